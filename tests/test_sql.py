"""`planwatch sql` is read-only by construction: no statement can write or read a file.

The attacks are the ones that worked on an earlier statement filter (issue 10): an
EXPLAIN ANALYZE of a COPY overwrote the published warehouse and rewrote the reviewers'
corrections seed; read_csv / read_text / read_blob / glob read files outside the warehouse.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from planwatch.cli import app
from planwatch.sql import ReadOnlyViolation, run_query, run_statements

runner = CliRunner()


@pytest.fixture
def warehouse(isolated_paths):
    isolated_paths.ensure()
    db = isolated_paths.warehouse_db
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create table marts.t as select * from (values (1, '永州市', 1.5), (2, '泸溪县', null)) v(a, 地区名称, x)")
    con.close()
    return db


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sql(*args):
    return runner.invoke(app, ["sql", *args])


@pytest.mark.parametrize("query", [
    "explain analyze copy (select 'x') to '{warehouse}' (format csv)",
    "copy (select 'x') to '{warehouse}' (format csv)",
    "copy (select 'x' as flag_key) to '{corrections}' (format csv, header)",
    "explain analyze copy (select 'x' as flag_key) to '{corrections}' (format csv, header)",
    "export database '{tmp}/dump'",
    "attach '{tmp}/other.duckdb' as other",
    "drop table marts.t",
    "insert into marts.t values (3, 'x', 1)",
    "select 1; delete from marts.t",
    "set enable_external_access = true",
    "install httpfs",
])
def test_statements_that_write_are_refused_and_change_nothing(warehouse, tmp_path, query):
    corrections = tmp_path / "corrections.csv"
    corrections.write_text("flag_key,decision\nabc,accept\n", encoding="utf-8")
    before = (_digest(warehouse), _digest(corrections))
    result = _sql(query.format(warehouse=warehouse, corrections=corrections, tmp=tmp_path))
    assert result.exit_code == 2, result.output
    assert "read-only" in result.stderr
    assert (_digest(warehouse), _digest(corrections)) == before
    assert not (tmp_path / "dump").exists() and not (tmp_path / "other.duckdb").exists()
    assert run_query(warehouse, "select count(*) as n from marts.t")["n"].iloc[0] == 2


@pytest.mark.parametrize("query", [
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "select * from read_blob('/etc/passwd')",
    "select * from glob('/etc/*')",
    "select * from '/etc/passwd'",
    "select * from read_parquet('{tmp}/*.parquet')",
])
def test_files_outside_the_warehouse_cannot_be_read(warehouse, tmp_path, query):
    duckdb.sql(f"copy (select 'secret' as s) to '{tmp_path}/leak.parquet' (format parquet)")
    result = _sql(query.format(tmp=tmp_path))
    assert result.exit_code == 2
    assert "root:" not in result.stdout and "secret" not in result.stdout
    # a bare file name is not even looked up as a file: DuckDB says no such table
    assert "read-only" in result.stderr or "does not exist" in result.stderr


def test_locked_connection_answers_reads(warehouse):
    con, results = run_statements(warehouse, "select sum(a) as s from marts.t; show tables; pragma version; summarize marts.t")
    try:
        assert results[0].frame()["s"].iloc[0] == 3
        assert "t" in set(results[1].frame()["name"])  # marts is on the search path
        assert results[2].frame()["library_version"].iloc[0].startswith("v")
        assert set(results[3].frame()["column_name"]) == {"a", "地区名称", "x"}
    finally:
        con.close()
    with pytest.raises(ReadOnlyViolation):
        run_query(warehouse, "create table marts.u as select 1")


def test_every_statement_prints_its_result_in_duckdbs_box_with_nulls_as_null(warehouse):
    result = _sql("select count(*) as n from t; select 地区名称, x from marts.t order by a; describe marts.t")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("┌") == 3  # one box per statement
    assert "NULL" in out and "NaN" not in out and "None" not in out and "<NA>" not in out
    # CJK cells are padded to their display width: every line of the box has the same width
    box = [line for line in out.split("\n\n")[1].splitlines() if line]
    import unicodedata

    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    assert len({width(line) for line in box}) == 1


def test_csv_and_json_formats(warehouse):
    csv = _sql("select a, 地区名称 from marts.t order by a", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines() == ["a,地区名称", "1,永州市", "2,泸溪县"]
    js = _sql("select a, x from marts.t order by a", "--format", "json")
    assert js.exit_code == 0, js.output
    assert json.loads(js.stdout) == [{"a": 1, "x": 1.5}, {"a": 2, "x": None}]


def test_errors_name_the_problem_without_a_traceback(warehouse, isolated_paths):
    missing = _sql("select * from marts.no_such_table")
    assert missing.exit_code == 2 and "no_such_table" in missing.stderr and "Traceback" not in missing.output
    isolated_paths.warehouse_db.unlink()
    none = _sql("select 1")
    assert none.exit_code == 2 and "no warehouse yet" in none.stderr


def test_duckdb_cli_from_pypi_opens_the_warehouse_and_raw_layer(good_warehouse):
    """Issue 12: the warehouse (written by DuckDB 2.0) could not be opened by the DuckDB CLI that PyPI
    serves (1.5): files are now written in a storage format the pinned CLI reads."""
    import subprocess
    import sys

    import duckdb

    cli = Path(sys.executable).parent / "duckdb"
    for db, table in ((good_warehouse / "planwatch.duckdb", "marts.target_vs_actual"),
                      (good_warehouse / "raw_layer.duckdb", "raw.plan_targets")):
        out = subprocess.run([str(cli), "-readonly", "-csv", "-noheader", str(db), "-c", f"select count(*) from {table}"],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        con = duckdb.connect(str(db), read_only=True)
        try:
            expected = con.execute(f"select count(*) from {table}").fetchone()[0]
        finally:
            con.close()
        assert int(out.stdout.strip()) == expected > 0
