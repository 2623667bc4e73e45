"""The warehouse on PostgreSQL (PLANWATCH_WAREHOUSE=postgresql://…): the same dbt project, built from the
same raw layer, gives every mart the same rows as the DuckDB build of the seeds.

Needs PostgreSQL's server binaries (Debian: apt-get install postgresql; .ci/run installs it); the test
starts its own server in a temporary folder and skips, saying why, when it cannot.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planwatch.config import postgres_warehouse
from tests.conftest import PLANWATCH, PROJECT_ROOT, SEEDS, cli_env, copy_data_dir
from tests.postgres_server import running_server, why_no_server

# Skipped on a machine without PostgreSQL's server binaries, never in CI (CI=true): .ci/run installs them, and
# a CI run that silently skipped the real-server tests would pass without testing the PostgreSQL warehouse.
needs_postgres = pytest.mark.skipif(why_no_server() is not None and not os.environ.get("CI"), reason=str(why_no_server()))


def test_warehouse_url_names_its_parts():
    pg = postgres_warehouse("postgresql://analyst:s%40cret@db.example:6543/planwatch")
    assert (pg.host, pg.port, pg.user, pg.password, pg.database) == ("db.example", 6543, "analyst", "s@cret", "planwatch")
    assert postgres_warehouse("postgresql://planwatch@localhost/pw").port == 5432
    assert postgres_warehouse("") is None


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h/", "postgresql://h/db"])
def test_a_warehouse_url_that_is_not_postgresql_is_refused(url):
    with pytest.raises(ValueError, match="PLANWATCH_WAREHOUSE"):
        postgres_warehouse(url)


@pytest.fixture(scope="module")
def postgres():
    # Not under pytest's tmp folder, which only its owner may enter: the server may run as another user.
    folder = Path(tempfile.mkdtemp(prefix="planwatch-pg-"))
    folder.chmod(0o755)
    try:
        with running_server(folder / "server") as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_build(good_warehouse, postgres, tmp_path_factory):
    """The good warehouse's raw layer built again into PostgreSQL (raw copied in, then `dbt build`)."""
    from planwatch.config import get_paths
    from planwatch.dbt_runner import build_warehouse

    data = copy_data_dir(good_warehouse, tmp_path_factory.mktemp("pg-build") / "warehouse")
    before = os.environ.get("PLANWATCH_WAREHOUSE")
    os.environ["PLANWATCH_WAREHOUSE"] = postgres.url
    try:
        result = build_warehouse(get_paths(SEEDS, data))
    finally:
        if before is None:
            os.environ.pop("PLANWATCH_WAREHOUSE")
        else:
            os.environ["PLANWATCH_WAREHOUSE"] = before
    failed = [f"{n['name']}: {n['message'][:300]}" for n in result.failures]
    assert result.success, "\n".join(failed) or result.error
    return postgres


def _comparable(value):
    """A cell as both engines can agree on it: floats to 12 significant digits (pow, ln and exp may differ
    in the last bits between the engines), numbers of either engine's numeric types as floats, lists as tuples."""
    if isinstance(value, (float, Decimal)):
        value = float(value)
        return "nan" if math.isnan(value) else float(f"{value:.12g}")
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _rows(cursor, sql, ignore=()):
    cursor.execute(sql)
    columns = [d[0] for d in cursor.description]
    kept = [i for i, c in enumerate(columns) if c not in ignore]
    return columns, sorted((tuple(_comparable(row[i]) for i in kept) for row in cursor.fetchall()), key=repr)


# What says when a run loaded its inputs, not what they hold: another run of the same seeds has others.
RUN_COLUMNS = ("load_id", "loaded_at", "first_seen", "valid_from", "valid_to", "vintage_id")  # vintage_id: md5 over load_id


def differing_marts(duckdb_file: Path, dsn: str, schema: str = "marts",
                    ignore: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The marts of the DuckDB file, and for each whose rows (or columns) differ in PostgreSQL's `schema`, why
    (columns named in `ignore` left out of the rows)."""
    import psycopg2

    duck = duckdb.connect(str(duckdb_file), read_only=True)
    marts = [t for (t,) in duck.execute("select table_name from information_schema.tables "
                                         "where table_schema = 'marts' order by table_name").fetchall()]
    pg = psycopg2.connect(dsn)
    differing = []
    try:
        with pg.cursor() as cur:
            cur.execute("select table_name from information_schema.tables where table_schema = %s order by table_name",
                        [schema])
            pg_marts = [t for (t,) in cur.fetchall()]
            if pg_marts != marts:
                return marts, [f"tables differ: DuckDB {marts}, PostgreSQL {pg_marts}"]
            for mart in marts:
                duck_columns, duck_rows = _rows(duck.cursor(), f'select * from marts."{mart}"', ignore)
                pg_columns, pg_rows = _rows(cur, f'select * from {schema}."{mart}"', ignore)
                if pg_columns != duck_columns:
                    differing.append(f"{mart}: columns {duck_columns} on DuckDB, {pg_columns} on PostgreSQL")
                elif pg_rows != duck_rows:
                    only_duck = [r for r in duck_rows if r not in pg_rows][:3]
                    only_pg = [r for r in pg_rows if r not in duck_rows][:3]
                    differing.append(f"{mart}: {len(duck_rows)} rows on DuckDB, {len(pg_rows)} on PostgreSQL; "
                                     f"only on DuckDB {only_duck}; only on PostgreSQL {only_pg}")
    finally:
        pg.close()
        duck.close()
    return marts, differing


@needs_postgres
def test_every_mart_has_the_same_rows_on_postgresql_as_on_duckdb(good_warehouse, postgres_build):
    # dbt builds into the build schemas (write-audit-publish); publishing is tested below
    marts, differing = differing_marts(good_warehouse / "planwatch.duckdb", postgres_warehouse(postgres_build.url).dsn,
                                       "build_marts")
    assert len(marts) > 10 and not differing, "\n".join(differing)


@needs_postgres
def test_raw_text_keeps_empty_apart_from_null_on_postgresql(tmp_path, postgres):
    """COPY in CSV: an empty text and a missing one stay different (a reviewer's '' is not a null)."""
    import psycopg2

    from planwatch.warehouse import copy_raw_to_postgres, raw_connection

    raw_db = tmp_path / "raw_layer.duckdb"
    with raw_connection(raw_db) as con:
        con.execute("insert into raw.load_log (load_id, loaded_at, kind, file, file_sha256, rows_read, rows_loaded, "
                    "rows_quarantined, status, message, sheet) values "
                    "('a', timestamp '2026-01-02 03:04:05', 'statistics_file', 'x.csv', '', 1, 1, 0, 'loaded', '', null), "
                    "('b, \"quoted\"', timestamp '2026-01-02 03:04:05', 'statistics_file', '多行\n文字', 'abc', null, 2, 0, "
                    "'failed', 'why', 'Sheet1')")
    copied = copy_raw_to_postgres(raw_db, postgres_warehouse(postgres.url).dsn)
    assert copied["load_log"] == 2 and copied["plan_targets"] == 0
    pg = psycopg2.connect(postgres_warehouse(postgres.url).dsn)
    try:
        with pg.cursor() as cur:
            cur.execute("select load_id, loaded_at, file, file_sha256, rows_read, message, sheet from raw.load_log order by load_id")
            assert cur.fetchall() == [("a", datetime(2026, 1, 2, 3, 4, 5), "x.csv", "", 1, "", None),
                                      ('b, "quoted"', datetime(2026, 1, 2, 3, 4, 5), "多行\n文字", "abc", None, "why", "Sheet1")]
    finally:
        pg.close()


def test_every_unit_test_name_fits_postgresqls_identifiers():
    # dbt names a unit test's relations after it; PostgreSQL cuts identifiers at 63 bytes and the build fails.
    # Checked without a server, so a long name fails here even where no PostgreSQL is installed.
    import yaml

    too_long = []
    for path in sorted((Path(__file__).parent.parent / "dbt_project" / "models").rglob("*_unit_tests.yml")):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            if len(test["name"].encode()) > 63:
                too_long.append(f"{path.name}: {test['name']}")
    assert too_long == []


def test_a_dbt_invocation_leaves_the_environment_as_it_found_it(tmp_path, monkeypatch):
    # CI failure this reproduces: after a PostgreSQL build, PLANWATCH_PG_USER (the warehouse's database
    # user) stayed in os.environ and the Prefect-on-PostgreSQL launcher took it for its system user.
    from planwatch.config import get_paths
    from planwatch.dbt_runner import run_dbt

    monkeypatch.setenv("PLANWATCH_WAREHOUSE", "postgresql://analyst@127.0.0.1:1/pw")
    monkeypatch.setenv("PLANWATCH_PG_PORT", "5999")
    monkeypatch.delenv("PLANWATCH_PG_USER", raising=False)
    before = dict(os.environ)
    result = run_dbt(get_paths(SEEDS, tmp_path / "warehouse"), ["parse"])
    assert result.success, result.error  # parsing needs the postgres profile's variables, not a server
    assert dict(os.environ) == before


# --------------------------------------------------------------------------- `planwatch run` on PostgreSQL

VALIDATE_LINE = re.compile(r"\[4/5\] validate: (\d+) of (\d+) expectations failed \((\d+) errors, (\d+) warnings\)")


@pytest.fixture(scope="module")
def postgres_run(postgres, tmp_path_factory):
    """`planwatch run` on the seeds with PLANWATCH_WAREHOUSE naming a database of its own: (url, data dir, stdout)."""
    url = postgres.new_database("planwatch_run")
    data = tmp_path_factory.mktemp("pg-run") / "warehouse"
    result = subprocess.run([str(PLANWATCH), "run"], cwd=PROJECT_ROOT, env=cli_env(data, PLANWATCH_WAREHOUSE=url),
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return url, data, result.stdout


@needs_postgres
def test_planwatch_run_on_postgresql_validates_reports_and_builds_the_duckdb_marts(good_warehouse, postgres_run):
    url, data, stdout = postgres_run
    validated = VALIDATE_LINE.search(stdout)
    duck_validated = VALIDATE_LINE.search((good_warehouse.parent / "run.stdout").read_text(encoding="utf-8"))
    assert validated and int(validated[2]) > 10, stdout
    assert validated.groups() == duck_validated.groups()  # the same expectations fail on the same marts
    assert "[5/5] report: " in stdout and (data / "report" / "index.html").exists()
    # the report names the warehouse it was read from, the PostgreSQL database, not a DuckDB file
    assert "PostgreSQL " in (data / "report" / "index.html").read_text(encoding="utf-8")
    assert "warehouse:             PostgreSQL 127.0.0.1:" in stdout
    # GX read the marts from PostgreSQL, not a file: there is none
    assert not (data / "planwatch.duckdb").exists() and not (data / "build" / "planwatch.duckdb").exists()
    marts, differing = differing_marts(good_warehouse / "planwatch.duckdb", postgres_warehouse(url).dsn,
                                       ignore=RUN_COLUMNS)
    assert len(marts) > 10 and not differing, "\n".join(differing)
    # published: the build schemas were renamed over the live ones, granted to the analysts' role
    assert _schemas(url) >= {"raw", "reference", "staging", "intermediate", "marts"}
    assert not {n for n in _schemas(url) if n.startswith(("build_", "retired_"))}


@needs_postgres
def test_report_sql_exports_and_review_queues_read_postgresql(good_warehouse, postgres_run, tmp_path, monkeypatch):
    from planwatch.config import get_paths
    from planwatch.export import export_marts
    from planwatch.quality import list_flags
    from planwatch.report.data import load_warehouse
    from planwatch.reviews import list_figures, list_unmapped

    url, data, _ = postgres_run
    duck_paths = get_paths(SEEDS, good_warehouse)
    duck = (load_warehouse(duck_paths.warehouse_db), list_flags(duck_paths), list_figures(duck_paths),
            list_unmapped(duck_paths), export_marts(duck_paths.warehouse_db, "csv", tmp_path / "duck"))
    monkeypatch.setenv("PLANWATCH_WAREHOUSE", url)
    pg_paths = get_paths(SEEDS, data)
    pg = (load_warehouse(pg_paths.warehouse_db), list_flags(pg_paths), list_figures(pg_paths),
          list_unmapped(pg_paths), export_marts(pg_paths.warehouse_db, "csv", tmp_path / "pg"))
    assert pg[0].tables == duck[0].tables and len(pg[0].tva) == len(duck[0].tva) > 0
    assert sorted(pg[0].history["year"].dropna().astype(int)) == sorted(duck[0].history["year"].dropna().astype(int))
    assert list(pg[1]["flag_key"]) == list(duck[1]["flag_key"]) and len(pg[1]) > 0
    assert sorted(pg[2]["figure_key"]) == sorted(duck[2]["figure_key"]) and len(pg[2]) > 0
    assert sorted(pg[3]["indicator_as_written"]) == sorted(duck[3]["indicator_as_written"])
    assert [p.name for p in pg[4]] == [p.name for p in duck[4]] and len(pg[4]) > 10
    pg_csv = pd.read_csv(tmp_path / "pg" / "target_vs_actual.csv", encoding="utf-8-sig")
    duck_csv = pd.read_csv(tmp_path / "duck" / "target_vs_actual.csv", encoding="utf-8-sig")
    assert sorted(pg_csv.columns) == sorted(duck_csv.columns) and len(pg_csv) == len(duck_csv)

    env = cli_env(data, PLANWATCH_WAREHOUSE=url)
    counted = subprocess.run([str(PLANWATCH), "sql", "--format", "csv",
                              "select count(*) as n from target_vs_actual; select count(*) as n from marts.dim_region"],
                             cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.split() == ["n", str(len(duck[0].tva)), "n", str(len(duck[0].regions))]
    for statement in ("create table marts.x as select 1", "delete from marts.dim_region", "drop schema marts cascade"):
        refused = subprocess.run([str(PLANWATCH), "sql", statement], cwd=PROJECT_ROOT, env=env, capture_output=True,
                                 text=True, timeout=120)
        assert refused.returncode == 2 and "read-only" in refused.stderr, (statement, refused.stdout, refused.stderr)
    assert len(load_warehouse(pg_paths.warehouse_db).regions) == len(duck[0].regions)


# --------------------------------------------------------------------------- write-audit-publish, the readers' role

def _schemas(url: str) -> set[str]:
    import psycopg2

    con = psycopg2.connect(postgres_warehouse(url).dsn)
    try:
        with con.cursor() as cur:
            cur.execute("select nspname from pg_namespace")
            return {n for (n,) in cur.fetchall()}
    finally:
        con.close()


def _execute(url: str, statement: str, params=None, user: str | None = None) -> list[tuple]:
    import psycopg2

    dsn = postgres_warehouse(url).dsn
    if user:
        dsn = dsn.replace(f"user={postgres_warehouse(url).user}", f"user={user}")
    con = psycopg2.connect(dsn)
    try:
        with con, con.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else []
    finally:
        con.close()


@needs_postgres
def test_a_build_that_fails_validation_or_publishing_leaves_the_live_marts_as_they_were(
        good_warehouse, postgres, postgres_run, tmp_path, monkeypatch):
    import psycopg2

    from planwatch.builds import publish, validation_target
    from planwatch.config import get_paths
    from planwatch.dbt_runner import build_warehouse
    from planwatch.validation import validate_warehouse

    url = postgres.new_database("planwatch_wap")
    monkeypatch.setenv("PLANWATCH_WAREHOUSE", url)
    paths = get_paths(SEEDS, copy_data_dir(postgres_run[1], tmp_path / "warehouse"))
    duck = good_warehouse / "planwatch.duckdb"
    dsn = postgres_warehouse(url).dsn

    assert build_warehouse(paths).success
    assert "build_marts" in _schemas(url) and "marts" not in _schemas(url)  # nothing live before publishing
    target = validation_target(paths)
    assert target.publishable and "build_marts" in str(target)
    assert validate_warehouse(paths, target.db).failed_errors == 0
    publish(paths)
    assert "marts" in _schemas(url) and "build_marts" not in _schemas(url)
    assert not differing_marts(duck, dsn, ignore=RUN_COLUMNS)[1]

    # A second build whose audit fails: one target of an unknown type (an error-severity expectation).
    assert build_warehouse(paths).success
    [(target_id, target_type)] = _execute(url, "select target_id, target_type from build_marts.fct_plan_target "
                                               "order by target_id limit 1")
    _execute(url, "update build_marts.fct_plan_target set target_type = 'bogus' where target_id = %s", [target_id])
    analyst = psycopg2.connect(dsn)  # an analyst's session open across what follows
    analyst.autocommit = True
    try:
        with analyst.cursor() as cur:
            cur.execute("select count(*) from marts.fct_plan_target where target_type = 'bogus'")
            assert cur.fetchone() == (0,)
        failed = validate_warehouse(paths, validation_target(paths).db)
        assert failed.failed_errors >= 1  # the flow publishes nothing now; the live marts are the first build's
        assert not differing_marts(duck, dsn, ignore=RUN_COLUMNS)[1]

        # Publishing itself fails half-way (after the live schemas were renamed away): it all rolls back.
        monkeypatch.setenv("PLANWATCH_READER_ROLE", "pg_reserved_name")  # PostgreSQL refuses to create it
        with pytest.raises(psycopg2.Error, match="reserved"):
            publish(paths)
        assert {"marts", "build_marts"} <= _schemas(url) and "retired_marts" not in _schemas(url)
        with analyst.cursor() as cur:
            cur.execute("select count(*) from marts.fct_plan_target where target_type = 'bogus'")
            assert cur.fetchone() == (0,)
        assert not differing_marts(duck, dsn, ignore=RUN_COLUMNS)[1]

        # Fixed and published: the same session reads the new marts under the same names.
        monkeypatch.delenv("PLANWATCH_READER_ROLE")
        _execute(url, "update build_marts.fct_plan_target set target_type = %s where target_id = %s",
                 [target_type, target_id])
        publish(paths)
        with analyst.cursor() as cur:
            cur.execute("select count(*) from marts.fct_plan_target")
            assert cur.fetchone()[0] == len(duckdb.connect(str(duck), read_only=True).execute(
                "select * from marts.fct_plan_target").fetchall())
    finally:
        analyst.close()
    assert not differing_marts(duck, dsn, ignore=RUN_COLUMNS)[1]
    assert not {n for n in _schemas(url) if n.startswith(("build_", "retired_"))}


@needs_postgres
def test_the_analysts_role_reads_the_marts_and_cannot_write(postgres_run):
    import psycopg2

    url = postgres_run[0]
    _execute(url, "create role analyst_li login in role planwatch_reader")
    assert _execute(url, "select count(*) from marts.target_vs_actual", user="analyst_li")[0][0] > 0
    assert _execute(url, "select count(*) from intermediate.int_target_paths", user="analyst_li") is not None
    for statement in ("create table marts.mine (a int)", "insert into marts.dim_region (region_code) values ('x')",
                      "delete from marts.dim_region", "drop table marts.dim_region", "create schema analyst_li",
                      "create table public.mine (a int)"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _execute(url, statement, user="analyst_li")
    # `planwatch sql` as the analyst: even a statement that turns the session's read-only default off cannot write
    analyst_url = url.replace("planwatch@", "analyst_li@", 1)
    escaped = subprocess.run([str(PLANWATCH), "sql", "set default_transaction_read_only = off; commit; "
                              "create table marts.mine as select 1"], cwd=PROJECT_ROOT,
                             env=cli_env(postgres_run[1], PLANWATCH_WAREHOUSE=analyst_url),
                             capture_output=True, text=True, timeout=120)
    assert escaped.returncode == 2 and "read-only" in escaped.stderr, escaped.stderr
    assert "mine" not in {t for (t,) in _execute(url, "select table_name from information_schema.tables "
                                                      "where table_schema = 'marts'")}


@needs_postgres
def test_an_incremental_build_on_postgresql_gives_the_marts_of_a_full_duckdb_build(postgres, good_warehouse, tmp_path,
                                                                                   monkeypatch):
    """A new statistics load after a published build: PostgreSQL carries the incremental tables over from the live
    schemas and adds the load's rows (is_incremental() on PostgreSQL); every mart as a full DuckDB build's."""
    from planwatch.builds import publish, read_state
    from planwatch.config import get_paths
    from planwatch.dbt_runner import build_warehouse
    from planwatch.statistics import load_statistics_files
    from tests.test_incremental_build import LATER

    url = postgres.new_database("planwatch_incremental")
    paths = get_paths(SEEDS, copy_data_dir(good_warehouse, tmp_path / "warehouse"))
    monkeypatch.setenv("PLANWATCH_WAREHOUSE", url)
    assert build_warehouse(paths).success and not read_state(paths)["dbt"]["incremental"]
    publish(paths)
    later = tmp_path / "later.csv"
    later.write_text(LATER, encoding="utf-8")
    load_statistics_files([later], paths.raw_db, paths.reference_dir, paths.landing_dir)
    built = build_warehouse(paths)
    assert built.success, built.error
    assert read_state(paths)["dbt"]["incremental"] is True

    monkeypatch.delenv("PLANWATCH_WAREHOUSE")
    full = build_warehouse(paths, full_refresh=True)  # DuckDB, the same raw layer
    assert full.success, full.error
    marts, differing = differing_marts(paths.build_db, postgres_warehouse(url).dsn, schema="build_marts")
    assert len(marts) > 10 and not differing, "\n".join(differing)
