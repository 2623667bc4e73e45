"""Figure keys: a reviewer's decision finds its figure again after the document is read anew."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import DAYE, LUXI, PLANS, REFERENCE, YONGZHOU
from planwatch.indicators import IndicatorCatalog
from planwatch.plans import extract
from planwatch.plans.extract import extract_document, load_manifest, plan_context
from planwatch.plans.figure_keys import figure_identity
from planwatch.plans.reading import read_document
from planwatch.units import UnitTable


def _read(path, seed=None):
    catalog, units = IndicatorCatalog.from_dir(REFERENCE), UnitTable.from_dir(REFERENCE)
    doc = read_document(path)
    ctx, _ = plan_context(read_document(seed or path), load_manifest(PLANS))
    return extract_document(doc, ctx, catalog, units)


def _keyed(table, value_column="value"):
    return {row.figure_key: (row.indicator_as_written, row.year, None if row[value_column] != row[value_column] else row[value_column])
            for _, row in table.iterrows()}


@pytest.mark.parametrize("seed", [LUXI, DAYE, YONGZHOU], ids=lambda p: p.name.split("_")[0])
def test_keys_are_unique_and_survive_lines_inserted_above(tmp_path, seed):
    once = _read(seed)
    shifted_path = tmp_path / seed.name
    shifted_path.write_text("前言\n\n本规划由县科技局编制。\n\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    shifted = _read(shifted_path, seed)
    for kind in ("targets", "actuals"):
        before, after = getattr(once, kind), getattr(shifted, kind)
        assert before["figure_key"].is_unique and len(before) > 0
        assert set(after["source_line"]) != set(before["source_line"])  # the lines did move
        assert _keyed(after) == _keyed(before)


def test_a_changed_value_keeps_its_key_and_a_changed_year_does_not(tmp_path):
    text = "\n".join([
        "凤凰县“十四五”科技创新规划（2021-2025年）",
        "二、发展目标",
        "到2025年，全县高新技术企业达到45家以上，技术合同成交额突破1亿元。",
    ])
    ctx_source = tmp_path / "a.txt"
    ctx_source.write_text(text, encoding="utf-8")
    changed = tmp_path / "b.txt"
    changed.write_text(text.replace("45家", "50家"), encoding="utf-8")
    later = tmp_path / "c.txt"
    later.write_text(text.replace("到2025年", "到2024年"), encoding="utf-8")
    catalog, units = IndicatorCatalog.from_dir(REFERENCE), UnitTable.from_dir(REFERENCE)
    from planwatch.regions import RegionResolver

    resolver = RegionResolver.default(REFERENCE)

    def targets(path):
        doc = read_document(path)
        ctx, _ = plan_context(doc, load_manifest(PLANS), None, resolver)
        ctx = dataclasses.replace(ctx, plan_id="fenghuang-test")  # one plan across the three files
        return extract_document(doc, ctx, catalog, units, resolver).targets.set_index("indicator_code")

    a, b, c = targets(ctx_source), targets(changed), targets(later)
    assert a.loc["high_tech_enterprises", "value"] == 45 and b.loc["high_tech_enterprises", "value"] == 50
    assert a.loc["high_tech_enterprises", "figure_key"] == b.loc["high_tech_enterprises", "figure_key"]
    assert a.loc["high_tech_enterprises", "target_key"] != b.loc["high_tech_enterprises", "target_key"]  # the value's key moves
    assert a.loc["high_tech_enterprises", "figure_key"] != c.loc["high_tech_enterprises", "figure_key"]
    assert a.loc["tech_contract_turnover", "figure_key"] == b.loc["tech_contract_turnover", "figure_key"]


def test_keys_do_not_depend_on_the_extractor_version(monkeypatch):
    before = _read(LUXI).targets["figure_key"].tolist()
    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", extract.EXTRACTOR_VERSION + ".next")
    assert extract.extraction_version(REFERENCE).startswith(extract.EXTRACTOR_VERSION)
    assert _read(LUXI).targets["figure_key"].tolist() == before


def test_the_identity_reads_the_name_as_the_catalog_matcher_does():
    # Width, brackets and the usual synonyms do not make another figure; the code (a catalog match) is not in it.
    assert figure_identity("target", "p", "433122", "全社会研究与试验发展（R&D）经费支出", 2025, "level") == \
        figure_identity("target", "p", "433122", "全社会研发经费支出", 2025.0, "level")
    assert figure_identity("target", "p", "433122", "高新技术企业数", 2025, "level") != \
        figure_identity("actual", "p", "433122", "高新技术企业数", 2025, "level")
    with pytest.raises(ValueError, match="unknown figure kind"):
        figure_identity("statistic", "p", "433122", "x", 2025, "level")
