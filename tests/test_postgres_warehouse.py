"""The warehouse on PostgreSQL (PLANWATCH_WAREHOUSE=postgresql://…): the same dbt project, built from the
same raw layer, gives every mart the same rows as the DuckDB build of the seeds.

Needs PostgreSQL's server binaries (Debian: apt-get install postgresql; .ci/run installs it); the test
starts its own server in a temporary folder and skips, saying why, when it cannot.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from planwatch.config import postgres_warehouse
from tests.conftest import SEEDS, copy_data_dir
from tests.postgres_server import running_server, why_no_server

needs_postgres = pytest.mark.skipif(why_no_server() is not None, reason=str(why_no_server()))


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


def _rows(cursor, sql):
    cursor.execute(sql)
    columns = [d[0] for d in cursor.description]
    return columns, sorted((tuple(_comparable(v) for v in row) for row in cursor.fetchall()), key=repr)


@needs_postgres
def test_every_mart_has_the_same_rows_on_postgresql_as_on_duckdb(good_warehouse, postgres_build):
    import psycopg2

    duck = duckdb.connect(str(good_warehouse / "planwatch.duckdb"), read_only=True)
    marts = [t for (t,) in duck.execute("select table_name from information_schema.tables "
                                         "where table_schema = 'marts' order by table_name").fetchall()]
    pg = psycopg2.connect(postgres_warehouse(postgres_build.url).dsn)
    try:
        with pg.cursor() as cur:
            cur.execute("select table_name from information_schema.tables where table_schema = 'marts' order by table_name")
            assert [t for (t,) in cur.fetchall()] == marts
            differing = []
            for mart in marts:
                duck_columns, duck_rows = _rows(duck.cursor(), f'select * from marts."{mart}"')
                pg_columns, pg_rows = _rows(cur, f'select * from marts."{mart}"')
                assert pg_columns == duck_columns, mart
                if pg_rows != duck_rows:
                    only_duck = [r for r in duck_rows if r not in pg_rows][:3]
                    only_pg = [r for r in pg_rows if r not in duck_rows][:3]
                    differing.append(f"{mart}: {len(duck_rows)} rows on DuckDB, {len(pg_rows)} on PostgreSQL; "
                                     f"only on DuckDB {only_duck}; only on PostgreSQL {only_pg}")
    finally:
        pg.close()
        duck.close()
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
