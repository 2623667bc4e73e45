"""Binding (约束性) targets end to end: a plan whose indicator table marks each target's attribute, and targets typed
by hand with the optional attribute column of seeds/reference/manual_targets.csv, run through the real pipeline
(ingest → extract → load statistics → dbt build) on seeds of the test's own (tests/data/binding_targets: a made-up
plan for 大冶市 and made-up 2023 actuals). A binding target is fct_plan_target.is_binding, its status is
binding_behind where an expected one with the same progress needs acceleration, and region_scorecard counts it.
A manual_targets.csv written before the attribute column existed still loads (its targets are not binding); an
attribute that is no word of the lexicon is named with its file and line and quarantined."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import REFERENCE, planwatch_folders, query_rows

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent / "data" / "binding_targets"
PLAN_TEXT = DATA / "daye_binding_targets_plan_2021_2025.txt"
PLAN = "daye-binding-targets-2021-2025"
OLD_HEADER = ("plan_id,region,indicator_as_written,indicator_code,unit,year,value,target_type,qualifier,baseline_year,"
              "baseline_value,source_line,source_text")
TYPED = f"{PLAN},,全社会研发经费投入占GDP比重,rd_intensity,%,2025,2.5,level,exact,2020,2.0,,到2025年研发投入强度达到2.5%"



@pytest.fixture(scope="module")
def binding_runs(tmp_path_factory, prefect_harness):
    """Two runs on one data folder: the manual file with its attribute column (a binding row, a row whose attribute is
    no lexicon word, and a row typed by hand without the last column), then the same target in a file of the old form."""
    root = tmp_path_factory.mktemp("binding-targets")
    seeds, data = root / "seeds", root / "warehouse"
    (seeds / "plans").mkdir(parents=True)
    (seeds / "statistics").mkdir()
    shutil.copytree(REFERENCE, seeds / "reference")
    shutil.copy(PLAN_TEXT, seeds / "plans" / PLAN_TEXT.name)
    shutil.copy(DATA / "statistics.csv", seeds / "statistics" / "binding_targets_statistics.csv")
    pd.DataFrame([{
        "document": PLAN_TEXT.name, "plan_id": PLAN, "region_name": "大冶市", "region_code": "420281",
        "level": "county_level_city", "province": "湖北省", "plan_kind": "five_year", "document_kind": "plan",
        "start_year": "2021", "end_year": "2025", "title": "大冶市科技创新指标示例规划（2021-2025年）", "issuer": "test",
        "published": "", "year_note": "a made-up plan of the tests"}]).to_csv(seeds / "plans" / "manifest.csv", index=False)
    manual = seeds / "reference" / "manual_targets.csv"
    manual.write_text("\n".join([
        OLD_HEADER + ",attribute",
        TYPED + ",约束性",
        f"{PLAN},,全社会研发经费投入占GDP比重,rd_intensity,%,2024,2.4,level,exact,2020,2.0,,,强制性",
        f"{PLAN},,研发人员数,rd_personnel,人,2025,500,level,exact,,,,",  # typed without the attribute field at all
    ]) + "\n", encoding="utf-8")
    with planwatch_folders(seeds, data):
        from flows.pipeline import pipeline
        from planwatch.config import get_paths

        paths = get_paths()
        first = pipeline()
        first_db = root / "first.duckdb"
        shutil.copy(paths.warehouse_db, first_db)
        manual.write_text(OLD_HEADER + "\n" + TYPED + "\n", encoding="utf-8")  # the file as written before the column
        old_form = pipeline()
        yield {"first": (first, first_db), "old_form": (old_form, paths.warehouse_db)}


def test_the_table_attribute_and_the_typed_one_make_targets_binding(binding_runs):
    _, db = binding_runs["first"]
    rows = query_rows(db, "select indicator_code, target_year, target_value, attribute, is_binding, entered_by "
                      "from marts.fct_plan_target where plan_id = ? order by indicator_code, target_year", [PLAN])
    assert rows == [
        ("high_tech_enterprises", 2025, 200.0, "约束性", True, "extractor"),
        ("rd_intensity", 2025, 2.5, "约束性", True, "manual"),
        ("rd_personnel", 2025, 500.0, None, False, "manual"),
        ("sme_tech_enterprises", 2025, 600.0, "预期性", False, "extractor"),
    ]


def test_a_binding_target_behind_schedule_is_binding_behind(binding_runs):
    _, db = binding_runs["first"]
    rows = {r[0]: r[1:] for r in query_rows(
        db, "select indicator_code, attribute, is_binding, actual_value, status from marts.target_vs_actual "
            "where plan_id = ? and year = 2023 and target_type = 'level'", [PLAN])}
    # 高企 100 → 145 of 200 and 科技型中小企业 300 → 435 of 600: the same share of the way, the same schedule ratio;
    # the binding one is behind its requirement, the expected one needs acceleration
    assert rows["high_tech_enterprises"][:3] == ("约束性", True, 145.0)
    assert rows["sme_tech_enterprises"][:3] == ("预期性", False, 435.0)
    same = query_rows(db, "select count(distinct round(schedule_ratio, 6)) from marts.target_vs_actual "
                      "where plan_id = ? and year = 2023 and indicator_code in ('high_tech_enterprises', 'sme_tech_enterprises')",
                  [PLAN])
    assert same == [(1,)]
    assert rows["high_tech_enterprises"][3] == "binding_behind"
    assert rows["sme_tech_enterprises"][3] == "needs_acceleration"
    # the hand-typed binding share: 2.0 → 2.2 of 2.5 in 3 of 5 years (ratio 0.67)
    assert rows["rd_intensity"] == ("约束性", True, 2.2, "binding_behind")


def test_the_region_scorecard_counts_binding_targets_behind(binding_runs):
    _, db = binding_runs["first"]
    counts = query_rows(db, "select binding_behind, needs_acceleration from marts.region_scorecard "
                        "where region_code = '420281' and year = 2023")
    assert counts == [(2, 1)]


def test_an_attribute_that_is_no_lexicon_word_is_quarantined_with_its_line(binding_runs):
    first, db = binding_runs["first"]
    assert query_rows(db, "select file_name, file_line, problem from marts.review_quarantine") == [
        ("manual_targets.csv", 3, "unknown attribute '强制性' (a word of lexicon/target_attributes.csv: 约束性, 预期性)")]
    assert query_rows(db, "select count(*) from marts.fct_plan_target where plan_id = ? and target_year = 2024", [PLAN]) == [(0,)]
    summary = "\n".join(first["summary"])
    assert "seeds/reference/manual_targets.csv:3: unknown attribute '强制性'" in summary


def test_a_manual_file_without_the_attribute_column_still_loads(binding_runs):
    result, db = binding_runs["old_form"]
    assert result["validation"]["published"]
    assert query_rows(db, "select target_value, attribute, is_binding from marts.fct_plan_target "
                      "where plan_id = ? and indicator_code = 'rd_intensity'", [PLAN]) == [(2.5, None, False)]
    assert query_rows(db, "select status from marts.target_vs_actual where plan_id = ? and indicator_code = 'rd_intensity' "
                      "and year = 2023", [PLAN]) == [("needs_acceleration",)]
    assert query_rows(db, "select binding_behind, needs_acceleration from marts.region_scorecard "
                      "where region_code = '420281' and year = 2023") == [(1, 2)]
    assert query_rows(db, "select count(*) from marts.review_quarantine") == [(0,)]
