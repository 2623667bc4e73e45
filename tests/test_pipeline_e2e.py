"""The whole pipeline on the real seed documents, into a temporary data directory."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory, prefect_harness):
    import os

    data = tmp_path_factory.mktemp("e2e") / "warehouse"
    os.environ["PLANWATCH_DATA_DIR"] = str(data)
    try:
        from flows.pipeline import pipeline
        from planwatch.config import get_paths

        seeds_before = _hashes(get_paths().seeds_dir)
        result = pipeline()
        first_counts = _raw_counts(get_paths().raw_db)
        second = pipeline()  # a re-run adds nothing to raw
        second_counts = _raw_counts(get_paths().raw_db)
        # dbt compiles seeds next to their path; the inputs must come out untouched.
        assert _hashes(get_paths().seeds_dir) == seeds_before
        yield get_paths(), result, second, first_counts, second_counts
    finally:
        os.environ.pop("PLANWATCH_DATA_DIR", None)


def _hashes(folder):
    import hashlib

    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _raw_counts(raw_db):
    con = duckdb.connect(str(raw_db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("plan_targets", "plan_reported_actuals", "statistics", "statistics_quarantine", "plan_documents")}
    finally:
        con.close()


def query(paths, sql):
    con = duckdb.connect(str(paths.warehouse_db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_daye_high_tech_enterprises_target_with_baseline_and_line(pipeline_run):
    paths, *_ = pipeline_run
    rows = query(paths, """
        select t.target_value, t.unit, t.baseline_year, t.baseline_value, t.document, t.source_line, t.source_text
        from marts.fct_plan_target t join marts.dim_plan p using (plan_id)
        where p.region_name = '大冶市' and t.indicator_code = 'high_tech_enterprises'
          and t.target_year = 2025 and t.target_type = 'level'
    """)
    assert rows == [(400.0, "家", 2020, 149.0, "daye_city_sti_five_year_plan_2021_2025.txt", 143,
                     "引领发展\t高新技术企业数量\t家\t149\t400")]  # the exact line, category cell included


def test_luxi_milestone_table_is_read_cell_by_cell(pipeline_run):
    paths, *_ = pipeline_run
    rows = query(paths, """
        select target_year, value_as_written, source_line from marts.fct_plan_target
        where plan_id = 'luxi-sti-fyp-2021-2025' and indicator_as_written = '本级财政科学技术支出'
        order by target_year
    """)
    assert rows == [(2021, 3100.0, 66), (2022, 3200.0, 67), (2023, 3300.0, 68), (2024, 3400.0, 69), (2025, 3500.0, 70)]


def test_statistics_loaded_and_quarantined_rows_add_up(pipeline_run):
    paths, result, *_ = pipeline_run
    stats = result["statistics"]
    assert stats["read"] == stats["loaded"] + stats["quarantined"] > 0
    reasons = query(paths, "select reason from staging.stg_statistics_quarantine")
    assert any(r[0].startswith("unknown region") for r in reasons)  # the 高新区 rows are not administrative regions


def test_target_vs_actual_compares_daye_high_tech_enterprises(pipeline_run):
    paths, *_ = pipeline_run
    rows = query(paths, """
        select year, actual_value, status from marts.target_vs_actual
        where region_code = '420281' and indicator_code = 'high_tech_enterprises' and year = 2025
    """)
    assert rows == [(2025, 423.0, "achieved")]


def test_rerun_adds_nothing_to_raw_and_summary_is_printed(pipeline_run):
    paths, first, second, first_counts, second_counts = pipeline_run
    assert first_counts == second_counts
    assert first["plans"]["documents"] == 5 and first["plans"]["loaded"] == 5
    assert second["plans"]["loaded"] == 0
    assert any(line.startswith("warehouse:") and str(paths.warehouse_db) in line for line in first["summary"])
    assert "documents refused:     0 (see marts.document_quarantine)" in first["summary"]
    assert query(paths, "select count(*) from marts.document_quarantine") == [(0,)]
    assert query(paths, "select count(*), count(distinct document) from staging.stg_plans") == [(5, 5)]
    assert (paths.data_docs_dir / "index.html").exists()
    assert paths.warehouse_db.exists() and not paths.build_db.exists()  # published by rename


def test_validate_command_rechecks_the_published_warehouse(pipeline_run, monkeypatch):
    from typer.testing import CliRunner

    from planwatch.cli import app

    paths, *_ = pipeline_run
    monkeypatch.setenv("PLANWATCH_DATA_DIR", str(paths.data_dir))
    before = paths.warehouse_db.stat().st_mtime_ns
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert f"validated {paths.warehouse_db}" in result.stdout and "0 errors" in result.stdout
    assert paths.warehouse_db.stat().st_mtime_ns == before  # nothing pending, nothing republished
