"""planwatch loads list / retract: a wrong statistics load is withdrawn, raw stays append-only."""

from __future__ import annotations

import csv
import io

import duckdb
from typer.testing import CliRunner

from conftest import raw_rows as _raw
from planwatch.cli import app

runner = CliRunner()

# A yearbook sheet without a region column: the region comes from --region, and is easy to get wrong.
WIDE = "指标,单位,2022,2023\n高新技术企业数,家,10,12\n不存在的指标,家,1,2\n"



def _loads(limit: int = 20) -> list[dict]:
    result = runner.invoke(app, ["loads", "list", "--format", "csv", "--limit", str(limit)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _load(path, *args):
    result = runner.invoke(app, ["load-stats", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_loads_list_shows_recent_loads_newest_first(isolated_paths, tmp_path):
    path = tmp_path / "yearbook.csv"
    path.write_text(WIDE, encoding="utf-8")
    _load(path, "--region", "花垣县")
    _load(path, "--region", "花垣县")  # same content: skipped
    rows = _loads()
    assert [(r["file"], r["kind"], r["status"], r["rows_read"], r["rows_loaded"], r["retracted"]) for r in rows] == [
        (str(path), "statistics_file", "skipped", "4", "0", "False"),
        (str(path), "statistics_file", "loaded", "4", "2", "False"),
    ]
    assert len(_loads(limit=1)) == 1
    table = runner.invoke(app, ["loads", "list"])
    assert table.exit_code == 0 and rows[1]["load_id"] in table.stdout


def test_a_load_with_the_wrong_region_is_retracted_and_the_file_loads_again(isolated_paths, tmp_path):
    from planwatch.dbt_runner import run_dbt

    path = tmp_path / "yearbook.csv"
    path.write_text(WIDE, encoding="utf-8")
    assert _load(path, "--region", "花垣县") == "read 4, loaded 2, quarantined 2, skipped 0"
    wrong = _loads()[0]["load_id"]

    result = runner.invoke(app, ["loads", "retract", wrong, "--reason", "凤凰县的年鉴, 不是花垣县", "--reviewer", "王五"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"retracted {wrong} ({path}: 2 rows loaded, 2 quarantined) by 王五")
    assert _loads()[0]["retracted"] == "True"

    # Not "same content already loaded" any more: it loads again, with the right region.
    assert _load(path, "--region", "凤凰县") == "read 4, loaded 2, quarantined 2, skipped 0"
    # Raw is append-only: both loads' rows are there, and the retraction with who and why.
    assert _raw(isolated_paths, "select region_code, count(*) from raw.statistics_loaded group by 1 order by 1") == [
        ("433123", 2), ("433124", 2)]
    assert _raw(isolated_paths, "select load_id, reviewer, reason from raw.load_retractions") == [
        (wrong, "王五", "凤凰县的年鉴, 不是花垣县")]

    again = runner.invoke(app, ["loads", "retract", wrong, "--reason", "again", "--reviewer", "李四"])
    assert again.exit_code == 2
    assert f"load {wrong} ({path}) is already retracted" in again.stderr and "by 王五" in again.stderr

    # The build leaves the retracted rows out of staging (and so of every statistics model).
    built = run_dbt(isolated_paths, ["build", "--select", "stg_statistic_vintages stg_statistics_quarantine "
                                     "source:raw.load_retractions"], fresh_build=True)
    assert built.success, built.error
    con = duckdb.connect(str(isolated_paths.build_db), read_only=True)
    try:
        vintages = con.execute("select distinct region_code, load_id from staging.stg_statistic_vintages").fetchall()
        quarantined = con.execute("select count(*), count(distinct load_id) from staging.stg_statistics_quarantine").fetchone()
    finally:
        con.close()
    assert len(vintages) == 1 and vintages[0][0] == "433123" and vintages[0][1] != wrong
    assert quarantined == (2, 1)


def test_unknown_and_unretractable_loads_are_refused(isolated_paths, tmp_path):
    path = tmp_path / "yearbook.csv"
    path.write_text(WIDE, encoding="utf-8")
    _load(path, "--region", "花垣县")
    _load(path, "--region", "花垣县")
    skipped = _loads()[0]
    assert skipped["status"] == "skipped"

    unknown = runner.invoke(app, ["loads", "retract", "20990101T000000-deadbeef", "--reason", "x", "--reviewer", "y"])
    assert unknown.exit_code == 2
    assert "no load '20990101T000000-deadbeef' in raw.load_log" in unknown.stderr

    nothing = runner.invoke(app, ["loads", "retract", skipped["load_id"], "--reason", "x", "--reviewer", "y"])
    assert nothing.exit_code == 2 and "was skipped: it added no rows" in nothing.stderr

    blank = runner.invoke(app, ["loads", "retract", _loads()[1]["load_id"], "--reason", " ", "--reviewer", "y"])
    assert blank.exit_code == 2 and "needs a --reason and a --reviewer" in blank.stderr
    assert _raw(isolated_paths, "select count(*) from raw.load_retractions") == [(0,)]


def test_a_file_refused_whole_stays_listed_until_it_loads(isolated_paths, tmp_path):
    """marts.statistics_file_quarantine: the files refused at their latest attempt, with the reason."""
    from planwatch.dbt_runner import run_dbt

    good = tmp_path / "yearbook.csv"
    good.write_text(WIDE, encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    for _ in range(2):  # refused twice: one row, two attempts
        assert runner.invoke(app, ["load-stats", str(good), str(broken), "--region", "花垣县"]).exit_code == 1

    def listed():
        built = run_dbt(isolated_paths, ["build", "--select", "+statistics_file_quarantine"], fresh_build=True)
        assert built.success, built.error
        con = duckdb.connect(str(isolated_paths.build_db), read_only=True)
        try:
            return con.execute("select file, reason, attempts from marts.statistics_file_quarantine").fetchall()
        finally:
            con.close()

    [(file, reason, attempts)] = listed()
    assert file == str(broken) and attempts == 2
    assert reason.startswith(str(broken)) and "XLSX" in reason
    # Replaced by a readable file under the same name: it loads and leaves the list.
    broken.unlink()
    import openpyxl

    wb = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(WIDE)):
        wb.active.append(row)
    wb.save(broken)
    assert runner.invoke(app, ["load-stats", str(broken), "--region", "凤凰县"]).exit_code == 0
    assert listed() == []
