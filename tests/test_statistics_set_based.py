"""The set-based statistics load: what its first pass predicts cannot lose a row."""

from __future__ import annotations

from typer.testing import CliRunner

import planwatch.statistics as statistics
from conftest import raw_rows as _raw
from planwatch.cli import app

runner = CliRunner()

BAD_VALUE = """region_code,indicator,period,value,unit
433122,高新技术企业数,2023,12,家
433122,高新技术企业数,2024,约十家,家
"""


def test_a_problem_the_first_pass_missed_is_still_quarantined(isolated_paths, tmp_path, monkeypatch):
    """The quarantine pass is skipped when the distinct values show no problem; were that prediction
    wrong, the rows that did not load are quarantined all the same, none dropped."""
    real = statistics._resolve_dimensions

    def predicts_no_problem(*args, **kwargs):
        found = real(*args, **kwargs)
        return statistics.PassOne(found.rows, False)

    monkeypatch.setattr(statistics, "_resolve_dimensions", predicts_no_problem)
    path = tmp_path / "stats.csv"
    path.write_text(BAD_VALUE, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 2, loaded 1, quarantined 1, skipped 0"
    assert _raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine") == [(3, "unparseable value: 约十家")]


WRITTEN_TWICE = """region,region_code,indicator,period,value,unit
泸溪县,433122,高新技术企业数,2023,10,家
,433122,高新技术企业数,2023年,10,家
泸溪县,433122,高新技术企业数,2022,12,家
泸溪县,433122,高新技术企业数,2022,12,家
"""


def test_a_statistic_written_two_ways_is_a_duplicate_and_the_rest_keeps_its_keys(isolated_paths, tmp_path):
    """Raw keeps a row's distinct values as written (integer keys into the load's key tables), but
    duplicates are found on what they resolve to: the region by code alone and 2023年 are the row above.
    Each loaded row gets back exactly its own cells."""
    path = tmp_path / "stats.csv"
    path.write_text(WRITTEN_TWICE, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 4, loaded 2, quarantined 2, skipped 0"
    assert _raw(isolated_paths, "select row_number, region_code_raw, period_raw, reason from raw.statistics_quarantine "
                                "order by 1") == [(3, "433122", "2023年", "duplicate of row 2"), (5, "433122", "2022", "duplicate of row 4")]
    assert _raw(isolated_paths, "select row_number, region_raw, region_code, period_raw, period_label, value, file "
                                "from raw.statistics_loaded order by 1") == [
        (2, "泸溪县", "433122", "2023", "2023", 10.0, str(path)), (4, "泸溪县", "433122", "2022", "2022", 12.0, str(path))]
    # One row per distinct value as written, per load.
    assert _raw(isolated_paths, "select count(*) from raw.statistic_regions") == [(2,)]
    assert _raw(isolated_paths, "select count(*) from raw.statistic_periods") == [(3,)]
