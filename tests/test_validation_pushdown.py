"""The suites' expectations run as SQL in the warehouse (planwatch.validation_sql), GX over a sample.

- The suites check what they checked before the pushdown (the list below is a floor: more is fine).
- Over a warehouse with planted failures of every expectation, the pushdown's results (counts,
  percentages, most common unexpected values, verdicts) are the ones GX computes over every row.
- A failing row planted among many in a big table is caught, blocks publishing when its severity is
  error, and is listed by its identity (region, indicator, period, value, key) in the summary and
  Data Docs — while the frame GX reads holds only the sampled failing rows.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from great_expectations.constants import MAX_RESULT_RECORDS

from planwatch.config import get_paths
from small_warehouse import make_warehouse
from tests.conftest import SEEDS

# (suite, expectation type, column, severity, row condition) of every expectation before the pushdown (issue 14)
EXPECTATIONS_BEFORE = {
    ("plan_targets_suite", "expect_column_values_to_not_be_null", "target_id", "critical", None),
    ("plan_targets_suite", "expect_column_values_to_be_unique", "target_id", "critical", None),
    ("plan_targets_suite", "expect_column_values_to_be_in_set", "target_type", "critical", None),
    ("plan_targets_suite", "expect_column_values_to_be_between", "target_year", "critical", None),
    ("plan_targets_suite", "expect_column_values_to_not_be_null", "source_line", "critical", 'entered_by!="manual"'),
    ("plan_targets_suite", "expect_column_values_to_not_be_null", "indicator_code", "warning", None),
    ("plan_targets_suite", "expect_column_values_to_be_null", "unit_issue", "warning", None),
    ("plan_targets_suite", "expect_column_values_to_be_null", "conflict_group", "warning", None),
    ("statistics_suite", "expect_column_values_to_not_be_null", "statistic_id", "critical", None),
    ("statistics_suite", "expect_column_values_to_be_unique", "statistic_id", "critical", None),
    ("statistics_suite", "expect_column_values_to_not_be_null", "value", "critical", None),
    ("statistics_suite", "expect_column_values_to_not_be_null", "region_code", "critical", None),
    ("statistics_suite", "expect_column_values_to_be_in_set", "period_type", "critical", None),
    ("target_vs_actual_suite", "expect_column_values_to_be_in_set", "status", "critical", None),
    ("target_vs_actual_suite", "expect_column_values_to_not_be_null", "status", "critical", None),
    ("target_vs_actual_suite", "expect_column_values_to_be_between", "elapsed_share", "warning", None),
    ("quality_flags_suite", "expect_column_values_to_not_be_null", "flag_key", "critical", None),
    ("quality_flags_suite", "expect_column_values_to_be_unique", "flag_key", "critical", None),
    ("quality_flags_suite", "expect_column_values_to_be_in_set", "severity", "critical", None),
    ("quality_flags_suite", "expect_column_values_to_be_in_set", "status", "critical", None),
    ("quality_flags_suite", "expect_column_values_to_be_in_set", "blocks_publishing", "critical", None),
    ("quality_flags_suite", "expect_column_values_to_be_in_set", "needs_review", "warning", None),
}
COUNT_FIELDS = ("element_count", "unexpected_count", "unexpected_percent", "missing_count", "missing_percent",
                "unexpected_percent_total", "unexpected_percent_nonmissing", "partial_unexpected_counts")


def _expectations_now() -> set[tuple]:
    from planwatch.validation import _suites

    out = set()
    for suite, (_, _, expectations) in _suites().items():
        for e in expectations:
            condition = getattr(e.row_condition, "pass_through_filter", e.row_condition) if e.row_condition else None
            out.add((suite, e.expectation_type, e.column, str(e.severity).split(".")[-1].lower(), condition))
    return out


def test_the_suites_still_check_everything_they_checked():
    assert EXPECTATIONS_BEFORE <= _expectations_now()


def _planted(db: Path, statistics: int = 2000) -> Path:
    """The small warehouse with statistics and quality flags, and failures planted for every expectation."""
    make_warehouse(db)
    con = duckdb.connect(str(db))
    try:
        # plan targets: a unit issue, a conflict, an unmapped indicator, a bad type and year, a duplicated id,
        # a missing source line (an error for a document's target, not for a manual one)
        con.execute("update marts.fct_plan_target set unit_issue = '个 does not convert to 家' where target_id = 't1'")
        # without its primary key, so an id can be duplicated
        con.execute("create table marts.targets as select * from marts.fct_plan_target")
        con.execute("drop table marts.fct_plan_target")
        con.execute("alter table marts.targets rename to fct_plan_target")
        con.execute("""insert into marts.fct_plan_target (target_id, plan_id, region_code, indicator_code, target_year,
                           target_type, figure_key, entered_by, review_status, source_line, conflict_group) values
            ('t1', 'p9', '420281', null, 1999, 'bogus', 'k1', 'extractor', 'pending', null, 'g1'),
            ('m1', 'p9', '420281', 'rd_intensity', 2025, 'level', 'k2', 'manual', 'pending', null, null),
            ('m2', 'p9', '420281', 'rd_intensity', 2101, 'level', 'k3', 'extractor', 'pending', 7, 'g1')""")
        con.execute("update marts.target_vs_actual set elapsed_share = 1.7 where plan_id = (select min(plan_id) from "
                    "marts.target_vs_actual)")
        con.execute(f"""create table marts.fct_statistic as
            select 's' || i as statistic_id,
                   case when i % 2 = 0 then '420281' else '433122' end as region_code,
                   case when i % 3 = 0 then 'rd_intensity' else 'high_tech_enterprises' end as indicator_code,
                   cast(2000 + i % 25 as varchar) as period_label,
                   case when i % 997 = 5 then 'decade' when i % 4 = 0 then 'month' else 'year' end as period_type,
                   date '2024-12-31' as period_end, 'level' as measure,
                   case when i % 501 = 7 then null else cast(i * 1.5 as double) end as value, '家' as unit, true as is_chosen,
                   'statistics_file' as source_kind, 's' as actual_source
            from range({statistics}) r(i)""")
        con.execute("""insert into marts.fct_statistic values
            ('s3', '420281', 'rd_intensity', '2024', 'year', date '2024-12-31', 'level', 3.0, '%', true, 'statistics_file', 's'),
            ('s3', '433122', 'rd_intensity', '2024', 'year', date '2024-12-31', 'level', 3.0, '%', true, 'statistics_file', 's'),
            (null, null, 'rd_intensity', '2024', null, date '2024-12-31', 'level', 3.0, '%', true, 'statistics_file', 's')""")
        con.execute("""create table marts.quality_flags as
            select 'f' || i as flag_key, case when i % 7 = 0 then 'error' when i = 11 then 'fatal' else 'warning' end as severity,
                   case when i % 2 = 0 then '420281' else '433122' end as region_code,
                   case when i % 2 = 0 then '大冶市' else '泸溪县' end as region_name,
                   'high_tech_enterprises' as indicator_code, '高新技术企业数' as indicator_name,
                   cast(2020 + i % 6 as varchar) as period, cast(i * 2 as double) as value,
                   case when i % 5 = 0 then 'accepted' when i = 13 then 'unknown' else 'open' end as status,
                   (i % 7 = 0 and i % 5 <> 0) as blocks_publishing, (i % 7 <> 0 and i % 5 <> 0) as needs_review
            from range(300) r(i)""")
        con.execute("insert into marts.quality_flags select * from marts.quality_flags where flag_key = 'f3'")
        con.execute("insert into marts.quality_flags values (null, null, '420281', '大冶市', null, 'x', '2024', 1.0, "
                    "'open', null, false)")
    finally:
        con.close()
    return db


def _results(paths) -> dict[tuple, dict]:
    """(suite, type, column, row condition) → GX's stored result of the latest run."""
    from planwatch.report.data import latest_gx_results

    out = {}
    for run in latest_gx_results(paths.reports_dir):
        for r in run["results"]:
            kwargs = r["expectation_config"]["kwargs"]
            condition = kwargs.get("row_condition")
            condition = condition.get("pass_through_filter") if isinstance(condition, dict) else condition
            out[(run["suite"], r["expectation_config"]["type"], kwargs["column"], condition)] = r
    return out


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    """The planted warehouse validated by GX over every row, and with the pushdown (a sample of 3 rows)."""
    from planwatch.validation import validate_warehouse

    root = tmp_path_factory.mktemp("pushdown")
    db = _planted(root / "planted.duckdb")
    full_paths = get_paths(SEEDS, root / "full")
    full = validate_warehouse(full_paths, db, sample=None)
    pushed_paths = get_paths(SEEDS, root / "pushed")
    pushed = validate_warehouse(pushed_paths, db, sample=3)
    return (full_paths, full), (pushed_paths, pushed)


def test_the_pushdown_counts_what_gx_counts_over_every_row(both_ways):
    (full_paths, full), (pushed_paths, pushed) = both_ways
    expected, got = _results(full_paths), _results(pushed_paths)
    assert set(got) == set(expected) and len(got) >= len(EXPECTATIONS_BEFORE)
    failing = 0
    for key, reference in expected.items():
        r = got[key]
        assert r["success"] == reference["success"], key
        failing += not reference["success"]
        for name in COUNT_FIELDS:
            want, have = reference["result"].get(name), r["result"].get(name)
            if name == "partial_unexpected_counts" and reference["result"]["unexpected_count"] > MAX_RESULT_RECORDS:
                # GX counts the values of its first 200 unexpected rows only; the warehouse counts them all
                assert [v["value"] for v in have] == [v["value"] for v in want], key
                assert all(h["count"] >= w["count"] for h, w in zip(have, want)), key
            elif name == "partial_unexpected_counts":
                # GX on pandas counts each NaN apart ([{None: 1}, {None: 1} …]); the warehouse counts null once
                assert _merged(have) == _merged(want), (key, have, want)
            elif isinstance(want, float):
                assert have == pytest.approx(want), (key, name)
            else:
                assert have == want, (key, name, have, want)
        # the rows listed are the whole table's unexpected rows, a bounded sample of them
        listed = [json.dumps(i, sort_keys=True) for i in r["result"].get("unexpected_index_list") or []]
        every = [json.dumps(i, sort_keys=True) for i in reference["result"].get("unexpected_index_list") or []]
        if reference["result"]["unexpected_count"] <= MAX_RESULT_RECORDS:  # GX lists the first 200
            assert set(listed) <= set(every), key
        assert bool(listed) == bool(every), key
        assert r["meta"]["planwatch"]["evaluated_in"] == "warehouse (SQL)"
    assert failing >= 18  # every expectation but a few fails on the planted warehouse
    assert (pushed.failed, pushed.failed_errors, pushed.failed_warnings) == (full.failed, full.failed_errors,
                                                                             full.failed_warnings)
    assert [(f["suite"], f["expectation"], f["column"], f["severity"], f["unexpected_count"]) for f in pushed.failures] \
        == [(f["suite"], f["expectation"], f["column"], f["severity"], f["unexpected_count"]) for f in full.failures]
    for f, g in zip(pushed.failures, full.failures):
        assert f["rows"], (f["suite"], f["column"])
        if g["unexpected_count"] <= MAX_RESULT_RECORDS:
            assert set(f["rows"]) <= set(_all_rows(full_paths, g)), (f["suite"], f["column"])


def _merged(counts: list[dict]) -> dict:
    out: dict = {}
    for c in counts or []:
        out[c["value"]] = out.get(c["value"], 0) + c["count"]
    return out


def _all_rows(paths, failure) -> list[str]:
    """Every failing row of a full run's failure, as the summary writes them (its list stops at 20)."""
    from planwatch.validation import _row_identity

    for key, r in _results(paths).items():
        if key[:3] == (failure["suite"], failure["expectation"], failure["column"]):
            return [_row_identity(i) for i in r["result"].get("unexpected_index_list") or []]
    return []


def test_gx_reads_only_the_sampled_rows(both_ways):
    (full_paths, _), (pushed_paths, _) = both_ways
    full = pq.read_metadata(full_paths.reports_dir / "validation" / "frames" / "fct_statistic.parquet").num_rows
    sampled = pq.read_metadata(pushed_paths.reports_dir / "validation" / "frames" / "fct_statistic.parquet").num_rows
    assert full == 2003
    assert 0 < sampled <= 3 * 5  # at most 3 per expectation of statistics_suite


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """300,000 statistics and 50,000 quality flags with one bad statistic and one open error flag among them."""
    from planwatch.validation import validate_warehouse

    root = tmp_path_factory.mktemp("big")
    db = make_warehouse(root / "big.duckdb")
    con = duckdb.connect(str(db))
    try:
        con.execute("""create table marts.fct_statistic as
            select 'stat-' || i as statistic_id, case when i % 2 = 0 then '420281' else '433122' end as region_code,
                   'high_tech_enterprises' as indicator_code, cast(2000 + i % 25 as varchar) as period_label,
                   'year' as period_type, date '2024-12-31' as period_end, 'level' as measure, cast(i as double) as value,
                   '家' as unit, true as is_chosen, 'statistics_file' as source_kind, 's' as actual_source
            from range(300000) r(i)""")
        con.execute("update marts.fct_statistic set value = null, period_label = '2023' where statistic_id = 'stat-123457'")
        con.execute("""create table marts.quality_flags as
            select 'flag-' || i as flag_key, 'warning' as severity, '433122' as region_code, '泸溪县' as region_name,
                   'rd_intensity' as indicator_code, '研发经费投入强度' as indicator_name, '2024' as period, cast(i as double) as value,
                   'accepted' as status, false as blocks_publishing, false as needs_review
            from range(50000) r(i)""")
        con.execute("update marts.quality_flags set severity = 'error', status = 'open', blocks_publishing = true, "
                    "region_code = '420281', region_name = '大冶市', indicator_code = 'high_tech_enterprises', "
                    "period = '2025', value = 4000 where flag_key = 'flag-31337'")
        # the small warehouse's target_vs_actual has an unknown status; fix it so only the planted rows fail
        con.execute("update marts.target_vs_actual set status = 'on_track' where status not in (select status from "
                    "(values ('achieved'), ('ahead'), ('on_track'), ('needs_acceleration'), ('well_behind'), "
                    "('binding_behind'), ('missed'), ('regressing'), ('too_early'), ('not_comparable'), ('no_data')) s(status))")
    finally:
        con.close()
    paths = get_paths(SEEDS, root / "data")
    return paths, validate_warehouse(paths, db)


def test_a_failing_row_planted_in_a_big_table_is_caught_and_named(big):
    paths, summary = big
    assert not summary.success
    by_column = {(f["suite"], f["column"]): f for f in summary.failures}
    value = by_column[("statistics_suite", "value")]
    assert value["severity"] == "error" and value["unexpected_count"] == 1
    assert value["rows"] == ["泸溪县 | high_tech_enterprises | 2023 |  | stat-123457"]
    flag = by_column[("quality_flags_suite", "blocks_publishing")]
    assert flag["severity"] == "error" and flag["unexpected_count"] == 1
    assert flag["rows"] == ["大冶市 | high_tech_enterprises | 2025 | 4000 | flag-31337"]
    assert summary.failed_errors == 2
    assert {(f["suite"], f["column"]) for f in summary.failures if f["severity"] == "error"} == {
        ("statistics_suite", "value"), ("quality_flags_suite", "blocks_publishing")}
    # GX's result counts every row, and Data Docs list the row by its identity
    stats = _results(paths)[("statistics_suite", "expect_column_values_to_not_be_null", "value", None)]["result"]
    assert stats["element_count"] == 300000 and stats["unexpected_count"] == 1
    page = next((paths.data_docs_dir / "validations" / "statistics_suite").rglob("*.html"))
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))))
    assert "泸溪县 high_tech_enterprises 2023" in text and "stat-123457" in text
    assert "300000" in text.replace(",", "")
    # and GX read two rows, not 350,000
    frames = paths.reports_dir / "validation" / "frames"
    assert pq.read_metadata(frames / "fct_statistic.parquet").num_rows == 1
    assert pq.read_metadata(frames / "quality_flags.parquet").num_rows == 1


def test_an_expectation_without_a_translation_is_refused():
    import great_expectations.expectations as gxe

    from planwatch.validation_sql import UnsupportedExpectation, translate

    with pytest.raises(UnsupportedExpectation, match="expect_column_values_to_match_regex has no SQL translation"):
        translate(gxe.ExpectColumnValuesToMatchRegex(column="a", regex="x"), {"a"}, "marts.t")
    with pytest.raises(UnsupportedExpectation, match="row_condition"):
        translate(gxe.ExpectColumnValuesToNotBeNull(column="a", row_condition="a > 3", condition_parser="pandas"),
                  {"a"}, "marts.t")
    with pytest.raises(UnsupportedExpectation, match="mostly=0.9"):
        translate(gxe.ExpectColumnValuesToNotBeNull(column="a", mostly=0.9), {"a"}, "marts.t")


def test_a_column_the_table_lacks_is_a_failed_expectation_not_a_crash(tmp_path):
    from planwatch.validation import validate_warehouse

    db = make_warehouse(tmp_path / "old.duckdb")
    con = duckdb.connect(str(db))
    try:  # statistics without their value column (a warehouse of an older layout)
        con.execute("""create table marts.fct_statistic as select 's1' as statistic_id, '420281' as region_code,
                       'high_tech_enterprises' as indicator_code, '2024' as period_label, 'year' as period_type""")
        con.execute("""create table marts.quality_flags as select 'f1' as flag_key, 'warning' as severity,
                       'accepted' as status, false as blocks_publishing, false as needs_review""")
    finally:
        con.close()
    summary = validate_warehouse(get_paths(SEEDS, tmp_path / "data"), db)
    failed = {(f["suite"], f["column"]): f for f in summary.failures}
    assert failed[("statistics_suite", "value")]["severity"] == "error"
    assert not summary.success
    assert ("statistics_suite", "statistic_id") not in failed
