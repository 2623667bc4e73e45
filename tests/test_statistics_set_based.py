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
