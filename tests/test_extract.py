"""`planwatch extract` and the extractor on whole documents: seeds, Word, PDF and plain text."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import DAYE, LUXI, PLANS, REFERENCE, YONGZHOU
from planwatch.cli import app
from planwatch.plans.extract import EXTRACT_COLUMNS, extract_paths
from planwatch.plans.scoring import score_targets

GOLD = PLANS.parent.parent / "tests" / "data" / "gold"

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_extractions():
    return extract_paths(sorted(PLANS.glob("*.txt")), PLANS, REFERENCE)


def test_recall_and_precision_on_the_hand_checked_seed_list(seed_extractions):
    extracted = pd.concat([e.targets for e in seed_extractions], ignore_index=True)
    gold = pd.read_csv(GOLD / "seed_targets.csv", dtype=str, keep_default_na=False)
    score = score_targets(extracted, gold)
    print(score.report())  # the misses and extras, listed in the test output
    assert score.recall >= 0.95, score.report()
    assert score.precision >= 0.95, score.report()


def test_reported_past_figures_against_the_hand_checked_list(seed_extractions):
    actuals = pd.concat([e.actuals for e in seed_extractions], ignore_index=True)
    gold = pd.read_csv(GOLD / "seed_reported_actuals.csv", dtype=str, keep_default_na=False)
    found = 0
    for g in gold.itertuples():
        same = actuals[(actuals["document"] == g.document) & (actuals["source_line"] == int(g.line))
                       & (actuals["year"] == int(g.year)) & ((actuals["value"] - float(g.value)).abs() < 1e-9)]
        found += len(same) > 0
    assert found / len(gold) >= 0.75, f"reported actuals recall {found}/{len(gold)}"


def test_a_target_the_prose_repeats_from_the_table_is_one_target(seed_extractions):
    # 泸溪县 states R&D intensity 1.1 % for 2025 in its goals paragraph (line 53) and in the indicator table (line 84).
    luxi = next(e for e in seed_extractions if e.document.path == LUXI)
    rd = luxi.targets[(luxi.targets["indicator_code"] == "rd_intensity") & (luxi.targets["year"] == 2025)]
    assert len(rd) == 1
    [row] = rd.to_dict("records")
    assert (row["value"], row["source"], row["source_line"], row["source_lines"]) == (1.1, "table", 84, "53,84")
    assert pd.isna(row["conflict_group"])


def test_table_and_prose_disagreeing_are_both_kept_as_a_conflict(seed_extractions):
    yongzhou = next(e for e in seed_extractions if e.document.path == YONGZHOU)
    tech = yongzhou.targets[yongzhou.targets["indicator_code"] == "tech_contract_turnover_gdp_share"]
    assert set(tech["value"]) >= {1.5, 1.6}
    conflict = yongzhou.conflicts[yongzhou.conflicts["conflict_group"] == tech["conflict_group"].dropna().iloc[0]]
    assert set(conflict["line"]) == {117, 145} and set(conflict["source"]) == {"table", "prose"}


def test_cli_prints_the_documented_columns_in_order():
    result = runner.invoke(app, ["extract", str(DAYE)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns[: len(EXTRACT_COLUMNS)]) == EXTRACT_COLUMNS
    assert set(frame["kind"]) == {"target", "actual"}  # one row per figure, both kinds
    row = frame[(frame["kind"] == "target") & (frame["indicator_code"] == "high_tech_enterprises") & (frame["year"] == "2025")].iloc[0]
    assert (row["region"], row["value"], row["unit"], row["baseline_year"], row["baseline_value"], row["source_line"]) == (
        "大冶市", "400.0", "家", "2020", "149.0", "143")


def test_cli_json_output(tmp_path):
    result = runner.invoke(app, ["extract", str(LUXI), "--format", "json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert {r["region"] for r in records} == {"泸溪县"}
    assert any(r["indicator_as_written"] == "规模以上企业新产品销售收入占主营业务收入比重" and r["year"] == 2024 for r in records)


def _plan_text(title: str) -> str:
    return "\n".join([
        title,
        "二、发展目标",
        "到2025年，全县高新技术企业达到45家以上，技术合同成交额突破1亿元。",
        "指标名称\t单位\t2020年\t2025年",
        "科技型中小企业\t家\t20\t60",
        "",
        "三、重点任务",
    ])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_plan_outside_the_manifest_infers_its_region_and_says_so(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(_plan_text("凤凰县“十四五”科技创新规划（2021-2025年）").encode(encoding))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "region inferred from the text: 凤凰县" in result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert set(frame["region"]) == {"凤凰县"}
    assert set(zip(frame["indicator_code"], frame["value"])) >= {
        ("high_tech_enterprises", "45.0"), ("tech_contract_turnover", "1.0"), ("sme_tech_enterprises", "60.0")}


def test_region_option_and_the_failure_when_nothing_names_one(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(_plan_text("科技创新规划（2021-2025年）"), encoding="utf-8")
    failed = runner.invoke(app, ["extract", str(path)])
    assert failed.exit_code == 2
    assert "plan.txt" in failed.stderr and "--region" in failed.stderr
    named = runner.invoke(app, ["extract", str(path), "--region", "湖南省泸溪县"])
    assert named.exit_code == 0, named.output
    assert set(pd.read_csv(io.StringIO(named.stdout))["region"]) == {"泸溪县"}


def test_word_tables_are_read_as_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("花垣县科技创新发展规划（2021-2025年）")
    document.add_paragraph("二、发展目标")
    table = document.add_table(rows=3, cols=5)
    for r, cells in enumerate([["指标", "单位", "属性", "2020年", "2025年"],
                               ["高新技术企业数", "家", "预期性", "12", "30"],
                               ["R&D经费投入强度", "%", "约束性", "0.8", "1.5"]]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    [extraction] = extract_paths([path], PLANS, REFERENCE)
    t = extraction.targets.set_index("indicator_code")
    assert extraction.context.region_name == "花垣县"
    assert (t.at["high_tech_enterprises", "value"], t.at["high_tech_enterprises", "attribute"],
            t.at["high_tech_enterprises", "baseline_value"]) == (30, "预期性", 12)
    assert (t.at["rd_intensity", "value"], t.at["rd_intensity", "attribute"]) == (1.5, "约束性")


def test_pdf_text_layer_with_a_ruled_table(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a CID font: Chinese text without a font file
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16)
    table = Table([["指标名称", "单位", "2020年", "2025年"], ["高新技术企业数量", "家", "149", "400"],
                   ["技术合同成交额", "亿元", "10.06", "18"]])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    path = tmp_path / "plan.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("吉首市科技创新发展规划（2021-2025年）", style), Paragraph("二、发展目标", style),
        Paragraph("到2025年，科技型中小企业达到500家。", style), table, Paragraph("三、重点任务", style)])
    [extraction] = extract_paths([path], PLANS, REFERENCE)
    t = extraction.targets.set_index("indicator_code")
    assert extraction.context.region_name == "吉首市"
    assert (t.at["high_tech_enterprises", "value"], t.at["high_tech_enterprises", "baseline_value"], t.at["high_tech_enterprises", "source"]) == (400, 149, "table")
    assert t.at["tech_contract_turnover", "value_canonical"] == 180_000  # 18 亿元 in the catalog's 万元
    assert t.at["sme_tech_enterprises", "value"] == 500


def _target_facts(targets: pd.DataFrame) -> set[tuple]:
    return {(r.indicator_as_written, r.indicator_code if isinstance(r.indicator_code, str) else None, int(r.year),
             r.target_type, None if pd.isna(r.value) else round(float(r.value), 6)) for r in targets.itertuples()}


@pytest.mark.parametrize("seed", [LUXI, DAYE, YONGZHOU], ids=lambda p: p.name.split("_")[0])
def test_a_document_printed_twice_gives_the_targets_of_one_copy(tmp_path, seed):
    # `cat plan.txt plan.txt`: the repeated section is the same targets, each with both lines as provenance.
    from planwatch.plans.extract import extract_document, load_manifest, plan_context
    from planwatch.indicators import IndicatorCatalog
    from planwatch.plans.reading import read_document
    from planwatch.units import UnitTable

    doubled = tmp_path / seed.name
    doubled.write_bytes(seed.read_bytes() * 2)
    catalog, units = IndicatorCatalog.from_dir(REFERENCE), UnitTable.from_dir(REFERENCE)
    once_doc, twice_doc = read_document(seed), read_document(doubled)
    ctx, _ = plan_context(once_doc, load_manifest(PLANS))
    once = extract_document(once_doc, ctx, catalog, units).targets
    twice = extract_document(twice_doc, ctx, catalog, units).targets
    assert len(once) > 20
    assert _target_facts(twice) == _target_facts(once)
    offset = len(once_doc.lines) - 1  # the first copy's trailing newline ends where the second copy begins
    for row in once.itertuples():
        match = twice[(twice["target_key"] == row.target_key)]
        assert len(match) == 1, row.target_key
        lines = {int(x) for x in match.iloc[0]["source_lines"].split(",")}
        assert lines >= {int(x) for x in row.source_lines.split(",")} | {int(x) + offset for x in row.source_lines.split(",")}


# ---------- targets and figures of a named sub-area (zones, divisions inside the plan's region)


def test_seed_targets_stated_for_zones_are_the_zones(seed_extractions):
    targets = pd.concat([e.targets for e in seed_extractions], ignore_index=True)
    zoned = targets[targets["area_rule"] != "plan"]
    got = sorted(zip(zoned["document"], zoned["source_line"], zoned["region_code"], zoned["value"]))
    assert got == sorted([
        (DAYE.name, 164, "420281-HTZ", 100.0),  # 推动黄石大冶湖国家高新区挺进全国百强高新区
        (YONGZHOU.name, 173, "431181-HTZ", 660.0), (YONGZHOU.name, 173, "431181-HTZ", 150.0),
        (YONGZHOU.name, 173, "431181-HTZ", 10.0),  # 祁阳高新区…；…；…
        (YONGZHOU.name, 173, "431129-HTZ", 11.0), (YONGZHOU.name, 173, "431129-HTZ", 300.0),
        (YONGZHOU.name, 173, "431129-HTZ", 5.0), (YONGZHOU.name, 173, "431129-HTZ", 8.0),  # 江华高新区作为……分别达到
        (YONGZHOU.name, 173, "431126-HTZ", 3.0),  # 宁远高新区以……打造三个以上……产业集群
        (YONGZHOU.name, 175, "431124-HTZ", 300.0), (YONGZHOU.name, 175, "431124-HTZ", 3.5),  # 道县高新区……。5年内，实现…
    ])
    assert set(zoned["area_rule"]) == {"named_zone"}
    assert set(zoned["region"]) == {"黄石大冶湖高新区", "祁阳高新区", "江华高新区", "宁远高新区", "道县高新区"}
    # Every other target is its plan's region's, and the plans keep their region.
    rest = targets[targets["area_rule"] == "plan"]
    assert rest["area_as_written"].isna().all()
    assert {e.context.region_code for e in seed_extractions} == {"433122", "420281", "431100", "430626"}
    for e in seed_extractions:
        own = e.targets[e.targets["area_rule"] == "plan"]
        assert set(own["region_code"]) <= {e.context.region_code}


def test_places_named_inside_a_sentence_leave_the_figure_with_the_plan(seed_extractions):
    daye = next(e for e in seed_extractions if e.document.path == DAYE)
    # "在大冶湖高新区建立了…。通过…累计促成科技成果转化项目200项" — a place, and another sentence.
    assert (daye.actuals["area_rule"] == "plan").all()
    yongzhou = next(e for e in seed_extractions if e.document.path == YONGZHOU)
    # "江华县工业园、宁远县工业园、祁阳经开区、道县工业集中区获批省级高新区，…由"零"发展到4家": four areas, the city's count.
    line63 = yongzhou.actuals[yongzhou.actuals["source_line"] == 63]
    assert len(line63) and (line63["region_code"] == "431100").all()
    luxi = next(e for e in seed_extractions if e.document.path == LUXI)
    # "泸溪高新区众创空间通过省级认定，建立省级“星创天地”3家；发展科技服务机构67家" — the zone opens neither figure's clause.
    assert (luxi.actuals["region_code"] == "433122").all()


def _yongzhou_text(*sentences: str) -> str:
    return "\n".join(["永州市“十四五”科技创新发展规划（2021-2025年）", "二、发展目标", *sentences, "三、重点任务"])


@pytest.mark.parametrize("sentence, code, rule", [
    ("冷水滩区力争到2025年高新技术企业达到50家。", "431103", "named_subdivision"),
    ("到2025年，江华瑶族自治县高新技术企业达到30家。", "431129", "named_subdivision"),
    ("祁阳经济技术开发区作为示范园区，力争到2025年技术合同成交额达到5亿元。", "431181-EDZ", "named_zone"),
    ("力争到2025年，全市高新技术企业达到500家。", "431100", "plan"),
    ("依托祁阳高新区，力争到2025年高新技术企业达到500家。", "431100", "plan"),
    ("在祁阳高新区建设一批平台，到2025年高新技术企业达到500家。", "431100", "plan"),
    ("祁阳高新区、江华高新区到2025年高新技术企业达到500家。", "431100", "plan"),
    ("黄石高新区到2025年高新技术企业达到500家。", "431100", "plan"),  # not inside 永州市
    ("长沙经开区到2025年高新技术企业达到500家。", "431100", "plan"),  # ambiguous: 长沙市 or 长沙县
    ("道县高新区围绕电子信息产业，增强园区发展后劲。5年内，高新技术企业达到50家。", "431124-HTZ", "named_zone"),
    ("道县高新区围绕电子信息产业。全市5年内，高新技术企业达到500家。", "431100", "plan"),
    # the words of seeds/reference/lexicon/subject_words.csv: lead words, a plan period, self-references, list joins
    ("支持祁阳高新区到2025年高新技术企业达到80家。", "431181-HTZ", "named_zone"),
    ("鼓励冷水滩区到2025年技术合同成交额达到5亿元。", "431103", "named_subdivision"),
    ("“十四五”期间，冷水滩区高新技术企业达到50家。", "431103", "named_subdivision"),
    ("十四五末冷水滩区高新技术企业达到50家。", "431103", "named_subdivision"),
    ("本市到2025年高新技术企业达到500家。", "431100", "plan"),
    ("祁阳高新区以及江华高新区到2025年高新技术企业达到500家。", "431100", "plan"),
    ("冷水滩区和零陵区到2025年高新技术企业达到500家。", "431100", "plan"),
])
def test_a_figure_whose_sentence_has_a_sub_area_as_subject_is_that_areas(tmp_path, sentence, code, rule):
    path = tmp_path / "plan.txt"
    path.write_text(_yongzhou_text(sentence), encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="永州市")
    [row] = e.targets.to_dict("records")
    assert (row["region_code"], row["area_rule"]) == (code, rule)
    if rule != "plan":  # the area is who, the rest of the phrase is what
        assert row["indicator_code"] in ("high_tech_enterprises", "tech_contract_turnover"), row["indicator_as_written"]
    assert e.context.region_code == "431100"


def test_a_bad_subject_word_row_names_its_file_and_line(tmp_path):
    import shutil

    from planwatch.plans.lexicon import LexiconError, read_lexicon

    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    path = reference / "lexicon" / "subject_words.csv"
    path.write_text("word,role,note\n力争,lead,\n全市,self,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"subject_words.csv: line 3: role 'self' is not one of lead, self_reference, zone_self_reference, list_join"):
        read_lexicon(reference)


def test_a_zone_and_its_city_keep_their_own_targets_for_one_indicator(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(_yongzhou_text("到2025年，全市高新技术企业达到500家。", "祁阳高新区力争到2025年高新技术企业达到80家。"),
                    encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="永州市")
    hte = e.targets[e.targets["indicator_code"] == "high_tech_enterprises"]
    assert sorted(zip(hte["region_code"], hte["value"])) == [("431100", 500.0), ("431181-HTZ", 80.0)]
    assert hte["conflict_group"].isna().all() and hte["target_key"].is_unique
    assert hte.loc[hte["region_code"] == "431100", "target_key"].iloc[0].count("|") == 6  # the plan's own key is unchanged


def test_a_table_row_naming_a_zone_is_the_zones(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(_yongzhou_text("指标名称\t单位\t2020年\t2025年", "高新技术企业\t家\t283\t500",
                                   "其中：祁阳高新区高新技术企业\t家\t40\t80", ""), encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="永州市")
    rows = e.targets[e.targets["year"] == 2025]
    assert sorted(zip(rows["region_code"], rows["value"])) == [("431100", 500.0), ("431181-HTZ", 80.0)]


# A web copy in traditional script with ASCII punctuation, a sentence broken across two lines and a table row.
AS_WRITTEN = [
    "某縣科技創新工作總結(2023年)",
    "一、主要成效",
    "    2023年,全縣高新技術企業達到 58 家,比上年增長16%;技術合同成交額",
    "達到3.2億元.",
    "二、主要指標",
    "指標名稱\t單位\t2025年目標",
    "研發經費投入強度\t%\t2.5",
    "",
]


def test_source_text_is_the_line_as_written_and_the_read_text_is_kept_beside_it(tmp_path):
    path = tmp_path / "review.txt"
    path.write_text("\n".join(AS_WRITTEN), encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="泸溪县", year=2023, document_kind="report")
    actuals = {(r.indicator_code, r.value): r for r in e.actuals.itertuples()}
    hte = actuals[("high_tech_enterprises", 58)]
    assert hte.source_line == 3 and hte.source_text == AS_WRITTEN[2].strip()  # the whole line, as written
    assert hte.source_text_normalised == "2023年,全县高新技术企业达到58家,比上年增长16%;"  # the part the rules read
    turnover = actuals[("tech_contract_turnover", 3.2)]
    assert turnover.source_text == AS_WRITTEN[2].strip() + "\n" + AS_WRITTEN[3]  # a sentence broken across lines
    assert "技术合同成交额达到3.2亿元" in turnover.source_text_normalised
    [target] = e.targets.itertuples()
    assert (target.value, target.source_line, target.source_text) == (2.5, 7, AS_WRITTEN[6])
    assert target.source_text_normalised == "研发经费投入强度\t%\t2.5"


@pytest.mark.parametrize("sentence, code", [
    # the count of contracts, not their turnover in 万元: the unit decides between 技术合同登记数 and 技术合同成交额
    ("全年登记技术合同238项，技术合同成交额2.36亿元。", ["tech_contract_count", "tech_contract_turnover"]),
    ("全市技术合同登记1020项。", ["tech_contract_count"]),
    # a name that only begins a longer catalog name (科技孵化器年均新增科技企业数量) is not that indicator
    ("全县现有科技孵化器8家。", [None]),
])
def test_the_figures_unit_decides_between_indicators_a_name_begins(tmp_path, sentence, code):
    path = tmp_path / "bulletin.txt"
    path.write_text(f"2023年临夏市国民经济和社会发展统计公报\n十、科学技术\n{sentence}\n", encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="临夏市")
    read = e.actuals[e.actuals["measure"] == "level"]
    assert [c if isinstance(c, str) else None for c in read["indicator_code"]] == code, read[["indicator_as_written", "unit"]]
