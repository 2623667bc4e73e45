"""Issue 12: rows of target_vs_actual that cannot be judged say why and what the user can do."""

from __future__ import annotations

import duckdb


def _rows(data_dir, sql):
    con = duckdb.connect(str(data_dir / "planwatch.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_unjudged_row_says_what_to_load_and_judged_rows_do_not(good_warehouse):
    unjudged = _rows(good_warehouse, "select status, status_reason, next_step, year, region_code from marts.target_vs_actual "
                                     "where status in ('no_data', 'not_comparable')")
    assert unjudged, "the seeds have rows without data"
    for status, reason, step, year, region in unjudged:
        assert reason and step, (status, reason)
        assert f"--region {region}" in step or "milestone" in step or "baseline" in step, step
    judged = _rows(good_warehouse, "select count(*) from marts.target_vs_actual "
                                   "where status not in ('no_data', 'not_comparable') and next_step is not null")
    assert judged == [(0,)]


def test_missing_baseline_names_its_year(good_warehouse):
    rows = _rows(good_warehouse, "select status_reason, next_step from marts.target_vs_actual "
                                 "where status_reason like 'neither the plan nor the warehouse gives a baseline for %'")
    for reason, step in rows:
        year = reason.rsplit(" ", 1)[-1]
        assert step.startswith(f"load the {year} value or state it in the plan") and f"--year {year}" in step


def test_region_page_shows_the_next_step(good_warehouse):
    pages = list((good_warehouse / "report").glob("region-*.html"))
    assert pages and any("下一步 what to do:" in p.read_text(encoding="utf-8") for p in pages)
