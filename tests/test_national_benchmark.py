"""The national benchmark's generator (benchmarks/national_data.py) and the loader on what it writes."""

from __future__ import annotations

import importlib.util
import math
import sys

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import PROJECT_ROOT, REFERENCE
from conftest import raw_rows as _raw
from planwatch.cli import app

runner = CliRunner()


def _national_data():
    """benchmarks/ is no package of the install: load the generator by its path."""
    spec = importlib.util.spec_from_file_location("planwatch_national_data", PROJECT_ROOT / "benchmarks" / "national_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


national_data = _national_data()
ANOMALY_KINDS, generate = national_data.ANOMALY_KINDS, national_data.generate


def _national():
    spec = importlib.util.spec_from_file_location("planwatch_national", PROJECT_ROOT / "benchmarks" / "national.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("national"), REFERENCE, regions=4, seed=3, anomaly_share=0.02)


def _rows(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_every_region_indicator_and_year_has_twelve_rows_and_the_same_seed_the_same_file(generated, tmp_path):
    rows = _rows(generated.statistics)
    indicators = len(pd.read_csv(REFERENCE / "indicators.csv"))
    assert generated.regions == 4 and generated.indicators == indicators
    assert len(rows) == generated.rows == 4 * indicators * 7 * 12
    assert rows.groupby(["区划代码", "指标"]).size().eq(7 * 12).all()
    again = generate(tmp_path, REFERENCE, regions=4, seed=3, anomaly_share=0.02)
    assert again.statistics.read_bytes() == generated.statistics.read_bytes()
    assert again.answers.read_bytes() == generated.answers.read_bytes()


def test_loaded_flows_cumulate_to_the_year_and_planted_values_are_what_raw_holds(isolated_paths, generated):
    for path in (generated.statistics, generated.revisions):
        result = runner.invoke(app, ["load-stats", str(path)])
        assert result.exit_code == 0, result.output
    assert _raw(isolated_paths, "select count(*) from raw.statistics_quarantine") == [(0,)]
    assert _raw(isolated_paths, "select count(*) from raw.statistics_loaded") == [(generated.rows + len(_rows(generated.revisions)),)]
    answers = _rows(generated.answers)
    assert set(answers["kind"]) == set(ANOMALY_KINDS)
    con = duckdb.connect()
    con.execute(f"attach '{isolated_paths.raw_db}' as r (read_only)")
    con.execute(f"create table answers as select * from read_csv('{generated.answers}', all_varchar = true)")
    # Each planted figure is in raw as the answer file says, converted to the canonical unit.
    found = con.execute(
        """
        select a.kind, a.planted_value::double, s.value
        from answers a join r.raw.statistics_loaded s
          on s.region_code = a.region_code and s.indicator_code = a.indicator_code and s.period_label = a.period
         and s.file like '%' || a.file
        """
    ).fetchall()
    assert len(found) == len(answers)
    assert all(math.isclose(planted, value, rel_tol=1e-9) for _, planted, value in found)
    # Series without an anomaly: a flow's year-to-date figures never fall and reach the year's figure.
    broken = con.execute(
        """
        with clean as (
            select s.* from r.raw.statistics_loaded s
            join (select code as indicator_code from read_csv(?, all_varchar = true)) using (indicator_code)
            where not exists (select 1 from answers a where a.region_code = s.region_code and a.indicator_code = s.indicator_code)
              and s.file like '%statistics.csv'
        ),
        running as (
            select *, lag(value) over (partition by region_code, indicator_code, year(period_end) order by period_end) as before
            from clean
        )
        select count(*) filter (where value < before), count(*) filter (where period_type = 'year')
        from running
        """,
        [str(_flow_indicators(generated.statistics.parent))],
    ).fetchone()
    assert broken[0] == 0 and broken[1] > 0


def test_the_build_finds_every_planted_anomaly_flags_no_clean_series_and_queues_the_largest_first(isolated_paths, generated):
    """Issue 14, flags at scale: a decimal-shifted monthly stock figure went unflagged (no check looked at a
    stock's months); int_quality__statistic_shift compares each figure with the same period in other years."""
    from planwatch.dbt_runner import build_warehouse

    for path in (generated.statistics, generated.revisions):
        assert runner.invoke(app, ["load-stats", str(path)]).exit_code == 0
    result = build_warehouse(isolated_paths)
    assert result.success, result.error
    flags = _national().recall(isolated_paths.build_db, isolated_paths.raw_db, generated.answers, generated.series)
    assert flags["recall"] == 1.0, flags["by_kind"]
    assert flags["false_flag_series"] == 0, flags["flags_by_check"]
    answers = _rows(generated.answers)
    stock_months = answers[(answers["kind"] == "decimal_shift") & (answers["period_type"] == "month")]
    assert len(stock_months), "the generated file should hold a shifted monthly figure"
    # The queue opens with the unit slips' flags: 10^4 off, the largest share of their indicator-year's total.
    slips = set(map(tuple, answers.loc[answers["kind"] == "unit_slip", ["region_code", "indicator_code"]].to_numpy()))
    con = duckdb.connect(str(isolated_paths.build_db), read_only=True)
    queue = con.execute("select region_code, indicator_code from marts.quality_flags where impact_rank is not null "
                        "order by impact_rank").fetchall()
    con.close()
    on_slips = [series in slips for series in queue]
    assert sum(on_slips) >= len(slips) and all(on_slips[:sum(on_slips)]), on_slips


def test_a_planted_unit_slip_reads_ten_thousand_times_off_its_true_value(generated):
    """The number stays in the region's unit under the other label (万元 read as 亿元 or back):
    not a figure correctly converted, which no check could or should find."""
    slips = _rows(generated.answers).query("kind == 'unit_slip'")
    assert len(slips)
    ratios = slips["planted_value"].astype(float) / slips["true_value"].astype(float)
    assert all(math.isclose(abs(math.log10(r)), 4, abs_tol=0.01) for r in ratios), list(ratios)


def _flow_indicators(folder):
    flows = pd.read_csv(REFERENCE / "indicators.csv", dtype=str, keep_default_na=False)
    path = folder / "flows.csv"
    flows.loc[flows["accumulation"] == "flow", ["indicator_code"]].rename(columns={"indicator_code": "code"}).to_csv(path, index=False)
    return path


WIDE_REPEATED = """指标,单位,2023,2024
高新技术企业数,家,10,11
高新技术企业数,家,10,12
"""


def test_a_wide_sheet_giving_a_figure_twice_quarantines_by_cell(isolated_paths, tmp_path):
    """Rows of a wide sheet hold one statistic per period column: a repeat is judged cell by cell."""
    path = tmp_path / "泸溪县科技统计.csv"
    path.write_text(WIDE_REPEATED, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(path), "--region", "433122"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 4, loaded 1, quarantined 3, skipped 0"
    assert _raw(isolated_paths, "select row_number, period_label, value from raw.statistics_loaded") == [(2, "2023", 10.0)]
    assert sorted(_raw(isolated_paths, "select row_number, period_raw, reason from raw.statistics_quarantine")) == [
        (2, "2024", "conflicting duplicate in this file: rows 2, 3"),
        (3, "2023", "duplicate of row 2"),
        (3, "2024", "conflicting duplicate in this file: rows 2, 3"),
    ]


def test_the_incremental_steps_new_month_is_one_row_a_series_held_back_from_the_first_file(generated, tmp_path):
    national = _national()
    base, month = tmp_path / "base.csv", tmp_path / "month.csv"
    kept, held = national.split_new_month(generated.statistics, base, month)
    assert held == generated.series and kept + held == generated.rows
    con = duckdb.connect()
    read = "select * from read_csv(?, all_varchar = true, header = true)"
    periods = {p for (p,) in con.execute(f"select distinct 时期 from ({read})", [str(month)]).fetchall()}
    assert periods and all(p.startswith("2025") and "11" in p for p in periods), periods
    # every row of the file is in one of the two, as written
    assert con.execute(f"select count(*) from ({read} except all ({read} union all {read}))",
                       [str(generated.statistics), str(base), str(month)]).fetchone()[0] == 0
