"""Achieved figures read from a document's text, through the real pipeline on data made here: they reach
the marts with their provenance, a statistics file outranks them where both give a figure (the
disagreement is a flag for reviewers), they fill the periods no file covers, re-runs add nothing, and
a retracted statistics load gives the period back to the text."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import REFERENCE, query_rows

pytestmark = pytest.mark.e2e

# A five-year plan that sets the targets, and a later work plan whose review of the past year reports
# what was achieved (a plan's review: source kind plan_review).
PLAN = """泸溪县“十四五”科技创新发展规划（2021-2025年）

一、发展目标
到2025年，全县高新技术企业达到80家，技术合同成交额达到5亿元。
"""
WORK_PLAN = """泸溪县2024年科技创新工作要点

一、2023年工作回顾
2023年，全县高新技术企业达到58家，技术合同成交额达到3.2亿元。

二、2024年主要目标
到2024年底，全县高新技术企业达到70家。
"""
REVIEW_LINE = 4
REVIEW_TEXT = "2023年，全县高新技术企业达到58家，技术合同成交额达到3.2亿元。"


def _as_read(text):
    """Text as the reader normalises it (full-width punctuation folded), whether or not the extractor keeps it so."""
    from planwatch.text import normalize

    return normalize(text) if text is not None else None


def _texts_as_read(rows, column):
    return [tuple(_as_read(v) if i == column else v for i, v in enumerate(row)) for row in rows]
# The statistics bureau's figure for the same year: 60, not 58.
STATISTICS = ("region,region_code,indicator,period,value,unit,source\n"
              "泸溪县,433122,高新技术企业总数,2023,60,家,https://example.invalid/luxi-statistics-2023\n")
MANIFEST_COLUMNS = ["document", "plan_id", "region_name", "region_code", "level", "province", "plan_kind",
                    "start_year", "end_year", "title", "issuer", "published", "year_note"]


def _seeds(root):
    seeds = root / "seeds"
    (seeds / "plans").mkdir(parents=True)
    (seeds / "statistics").mkdir()
    shutil.copytree(REFERENCE, seeds / "reference")
    (seeds / "plans" / "luxi_plan_2021_2025.txt").write_text(PLAN, encoding="utf-8")
    (seeds / "plans" / "luxi_work_plan_2024.txt").write_text(WORK_PLAN, encoding="utf-8")
    rows = [
        ["luxi_plan_2021_2025.txt", "luxi-plan", "泸溪县", "433122", "county", "湖南省", "five_year", "2021", "2025",
         "泸溪县“十四五”科技创新发展规划", "", "", ""],
        ["luxi_work_plan_2024.txt", "luxi-work-2024", "泸溪县", "433122", "county", "湖南省", "annual", "2024", "2024",
         "泸溪县2024年科技创新工作要点", "", "", ""],
    ]
    pd.DataFrame(rows, columns=MANIFEST_COLUMNS).to_csv(seeds / "plans" / "manifest.csv", index=False)
    (seeds / "statistics" / "luxi_2023.csv").write_text(STATISTICS, encoding="utf-8")
    return seeds



ACTUAL_2023 = """
    select indicator_code, actual_value, actual_source_kind, actual_document, actual_line, actual_text, actual_agreement
    from marts.target_vs_actual
    where plan_id = 'luxi-plan' and year = 2023 order by indicator_code"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory, prefect_harness):
    """Two pipeline runs: the first on the data above; the second after the statistics load was
    retracted and its file taken away (the same documents again: a re-run for them)."""
    from flows.pipeline import pipeline
    from planwatch.config import get_paths
    from planwatch.loads import retract_load

    root = tmp_path_factory.mktemp("text-actuals")
    seeds, data = _seeds(root), root / "warehouse"
    paths = get_paths(seeds, data)
    first = pipeline(str(seeds), str(data))
    assert first["plans"]["loaded"] == 2 and first["statistics"]["loaded"] == 1, first["summary"]
    observed = {
        "statistics_file": str(seeds / "statistics" / "luxi_2023.csv"),  # the loader keeps the file's path as evidence
        "actuals": query_rows(paths.warehouse_db, ACTUAL_2023),
        "flags": query_rows(paths.warehouse_db, """
            select entity, indicator_code, period, value, suggested_value, evidence_source, evidence_line, evidence,
                   severity, blocks_publishing
            from marts.quality_flags where check_name = 'actual_sources_disagree'"""),
        "candidates": query_rows(paths.warehouse_db, """
            select indicator_code, period_label, source_kind, candidate_role, value from marts.fct_statistic
            where region_code = '433122' order by indicator_code, source_rank"""),
        "raw_actuals": query_rows(paths.raw_db, "select count(*) from raw.plan_reported_actuals")[0][0],
    }
    load_id = query_rows(paths.raw_db, "select load_id from raw.load_log where kind = 'statistics_file' and status = 'loaded'")[0][0]
    retract_load(paths.raw_db, load_id, "县统计局 revised the 2023 figures; file withdrawn", "王五")
    (seeds / "statistics" / "luxi_2023.csv").unlink()
    second = pipeline(str(seeds), str(data))
    observed |= {
        "second_plans_loaded": second["plans"]["loaded"],
        "actuals_after_retraction": query_rows(paths.warehouse_db, ACTUAL_2023),
        "flags_after_retraction": query_rows(paths.warehouse_db,
                                         "select count(*) from marts.quality_flags where check_name = 'actual_sources_disagree'")[0][0],
        "raw_actuals_after_rerun": query_rows(paths.raw_db, "select count(*) from raw.plan_reported_actuals")[0][0],
        "candidates_after_rerun": query_rows(paths.warehouse_db,
                                         "select count(*), count(distinct statistic_id) from marts.fct_statistic"),
    }
    return observed


def test_a_statistics_file_outranks_the_text_and_the_text_fills_the_gap(runs):
    assert _texts_as_read(runs["actuals"], 5) == [
        # both give 2023: the statistics file's 60 counts, and the text's 58 contradicts it
        ("high_tech_enterprises", 60.0, "statistics_file", runs["statistics_file"], 2, None, "contradicted"),
        # only the work plan's review gives the turnover (3.2亿元 = 32000 万元): the text counts, with its provenance
        ("tech_contract_turnover", 32000.0, "plan_review", "luxi_work_plan_2024.txt", REVIEW_LINE, _as_read(REVIEW_TEXT),
         "single_source"),
    ]
    assert runs["candidates"] == [
        ("high_tech_enterprises", "2023", "statistics_file", "chosen", 60.0),
        ("high_tech_enterprises", "2023", "plan_review", "contradicting", 58.0),
        ("tech_contract_turnover", "2023", "plan_review", "chosen", 32000.0),
    ]


def test_the_disagreement_is_a_warning_for_reviewers_on_the_text_figure(runs):
    assert _texts_as_read(runs["flags"], 7) == [("reported_actual", "high_tech_enterprises", "2023", 58.0, 60.0, "luxi_work_plan_2024.txt",
                              REVIEW_LINE, _as_read(f"luxi_work_plan_2024.txt:{REVIEW_LINE} {REVIEW_TEXT}"), "warning", False)]


def test_rerun_adds_nothing_and_a_retracted_load_gives_the_period_back_to_the_text(runs):
    assert runs["second_plans_loaded"] == 0
    assert runs["raw_actuals_after_rerun"] == runs["raw_actuals"] == 2  # 58家 and 3.2亿元, once each
    count, distinct = runs["candidates_after_rerun"][0]
    assert count == distinct == 2
    assert _texts_as_read(runs["actuals_after_retraction"], 5) == [
        ("high_tech_enterprises", 58.0, "plan_review", "luxi_work_plan_2024.txt", REVIEW_LINE, _as_read(REVIEW_TEXT), "single_source"),
        ("tech_contract_turnover", 32000.0, "plan_review", "luxi_work_plan_2024.txt", REVIEW_LINE, _as_read(REVIEW_TEXT),
         "single_source"),
    ]
    assert runs["flags_after_retraction"] == 0
