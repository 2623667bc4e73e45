"""The raw layer: an append-only DuckDB file that only the loaders write.

Loaders hand over landing files (Parquet) and this module appends them with
set-based SQL. A document or statistics file already loaded (same content
hash, and for documents the same extractor version) is skipped, so re-runs
never duplicate rows. dbt reads this file attached read-only and builds the
warehouse from it.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from planwatch.config import DUCKDB_CREATE_CONFIG

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.load_log (
    load_id varchar not null,
    loaded_at timestamp not null,
    kind varchar not null,            -- plan_document | plan_manifest | statistics_file
    file varchar not null,
    file_sha256 varchar not null,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar not null,          -- loaded | skipped | failed
    message varchar
);
create table if not exists raw.plan_documents (
    load_id varchar not null,
    loaded_at timestamp not null,
    document varchar not null,
    document_sha256 varchar not null,
    extractor_version varchar not null,
    plan_id varchar not null,
    region_code varchar not null,
    region_name varchar not null,
    plan_kind varchar not null,
    start_year integer,               -- null: an undated document (no year given, none inferable)
    end_year integer,
    title varchar,
    context_source varchar,
    line_count integer
);
create table if not exists raw.statistics (
    file varchar, file_sha256 varchar, load_id varchar, loaded_at timestamp, row_number bigint,
    region_raw varchar, region_code_raw varchar, indicator_raw varchar, period_raw varchar, value_raw varchar,
    unit_raw varchar, source varchar, region_code varchar, indicator_code varchar, period_type varchar,
    period_start date, period_end date, is_ytd boolean, period_label varchar, value double, unit varchar
);
create table if not exists raw.statistics_quarantine (
    file varchar, file_sha256 varchar, load_id varchar, loaded_at timestamp, row_number bigint,
    region_raw varchar, region_code_raw varchar, indicator_raw varchar, period_raw varchar, value_raw varchar,
    unit_raw varchar, source varchar, reason varchar
);
create table if not exists raw.plan_targets (load_id varchar, loaded_at timestamp, extractor_version varchar, region varchar, indicator_as_written varchar, indicator_code varchar, unit varchar, year bigint, value double, target_type varchar, qualifier varchar, baseline_year bigint, baseline_value double, source_line bigint, source_text varchar, region_code varchar, plan_id varchar, document varchar, document_sha256 varchar, canonical_unit varchar, value_canonical double, low double, high double, stretch boolean, attribute varchar, baseline_unit varchar, baseline_value_canonical double, cumulative boolean, per_year boolean, source varchar, source_lines varchar, context varchar, match_score double, match_method varchar, unit_issue varchar, conflict_group varchar, target_key varchar);
create table if not exists raw.plan_reported_actuals (load_id varchar, loaded_at timestamp, extractor_version varchar, region varchar, region_code varchar, plan_id varchar, document varchar, document_sha256 varchar, indicator_as_written varchar, indicator_code varchar, measure varchar, unit varchar, canonical_unit varchar, period_start bigint, year bigint, value double, value_canonical double, source_line bigint, source_text varchar, unit_issue varchar, actual_key varchar);
create table if not exists raw.plan_mentions (load_id varchar, loaded_at timestamp, extractor_version varchar, document varchar, line bigint, source varchar, kind varchar, indicator_as_written varchar, unit varchar, year bigint, value double, target_type varchar, qualifier varchar, stretch boolean, low double, high double, baseline_year bigint, baseline_value double, baseline_unit varchar, attribute varchar, cumulative boolean, per_year boolean, source_text varchar, context varchar, period_start bigint, indicator_code varchar, match_score double, match_method varchar, canonical_unit varchar, value_canonical double, unit_issue varchar, region varchar, region_code varchar, plan_id varchar, document_sha256 varchar);
create table if not exists raw.plan_conflicts (load_id varchar, loaded_at timestamp, extractor_version varchar, conflict_group varchar, document varchar, line bigint, source varchar, indicator_as_written varchar, indicator_code varchar, year bigint, value double, unit varchar, source_text varchar);
-- Columns added after the first release: existing warehouses gain them on first connection.
alter table raw.plan_targets add column if not exists rule varchar;
alter table raw.plan_reported_actuals add column if not exists period varchar;
alter table raw.plan_reported_actuals add column if not exists rule varchar;
alter table raw.plan_reported_actuals add column if not exists source_lines varchar;
alter table raw.plan_mentions add column if not exists period varchar;
alter table raw.plan_mentions add column if not exists rule varchar;
-- source_text is the line(s) exactly as written; source_text_normalised the text as the rules read it (rows
-- loaded before it was added: null, their source_text being the normalised text).
alter table raw.plan_targets add column if not exists source_text_normalised varchar;
alter table raw.plan_reported_actuals add column if not exists source_text_normalised varchar;
alter table raw.plan_mentions add column if not exists source_text_normalised varchar;
alter table raw.plan_conflicts add column if not exists source_text_normalised varchar;
-- Plan documents that could not be read, extracted or placed in a plan (one row per distinct
-- refusal: document × content × reason; a re-run adds none), and the state of every document
-- as ingest runs saw it (one row whenever a document's state changes: present at a load,
-- quarantined, or removed from seeds/plans). Staging counts each document's latest state.
create table if not exists raw.document_quarantine (
    load_id varchar not null,
    refused_at timestamp not null,
    document varchar not null,
    document_sha256 varchar not null,
    plan_id varchar,                  -- from the manifest row, when it has one
    manifest_row integer,             -- the row's line in manifest.csv (header = 1)
    reason_kind varchar not null,
    reason varchar not null
);
create table if not exists raw.plan_document_events (
    run_id varchar not null,
    seen_at timestamp not null,
    document varchar not null,
    document_sha256 varchar,          -- null when removed
    plan_id varchar,
    status varchar not null,          -- present | quarantined | removed
    load_id varchar                   -- raw.plan_documents.load_id (present) or raw.document_quarantine.load_id (quarantined)
);
-- Columns added after the first release: raw files made before keep loading.
alter table raw.statistics add column if not exists column_raw varchar;
alter table raw.statistics add column if not exists measure varchar;
alter table raw.statistics add column if not exists base_year integer;
alter table raw.statistics_quarantine add column if not exists column_raw varchar;
alter table raw.load_log add column if not exists sheet varchar;
alter table raw.statistics add column if not exists sheet varchar;
alter table raw.statistics_quarantine add column if not exists sheet varchar;
-- A load taken back (wrong --region, wrong file): its rows stay in raw, staging leaves them out.
create table if not exists raw.load_retractions (
    load_id varchar not null,
    retracted_at timestamp not null,
    reviewer varchar not null,
    reason varchar not null
);
-- Targets and figures of a named sub-area (zone or division inside the plan's region): area_rule says which rule.
alter table raw.plan_targets add column if not exists area_rule varchar;
alter table raw.plan_targets add column if not exists area_as_written varchar;
alter table raw.plan_reported_actuals add column if not exists area_rule varchar;
alter table raw.plan_reported_actuals add column if not exists area_as_written varchar;
-- The key reviewers' decisions on a figure are filed under (planwatch/plans/figure_keys.py).
alter table raw.plan_targets add column if not exists figure_key varchar;
alter table raw.plan_reported_actuals add column if not exists figure_key varchar;
alter table raw.plan_reported_actuals add column if not exists match_score double;
alter table raw.plan_reported_actuals add column if not exists match_method varchar;
-- An achieved figure's bound as written (突破70亿 at_least, 45万余份 at_least, 近3000家 approximately).
alter table raw.plan_reported_actuals add column if not exists qualifier varchar;
alter table raw.plan_mentions add column if not exists area_rule varchar;
alter table raw.plan_mentions add column if not exists area_as_written varchar;
-- What kind of document a plan document is (plan | work_plan | bulletin | report: bulletins' and reports'
-- achieved figures outrank a plan's review of past years) and the year 今年 meant; undated documents
-- have no period.
alter table raw.plan_documents add column if not exists document_kind varchar;
alter table raw.plan_documents add column if not exists reference_year integer;
alter table raw.plan_documents alter column start_year drop not null;
alter table raw.plan_documents alter column end_year drop not null;
-- The manifest's rows as each ingest run found them (one load per change: a re-run of the same manifest adds
-- none), each with the problem that refuses it, if any: a plan the manifest names counts even when its
-- document cannot be read (targets typed by hand serve it).
create table if not exists raw.plan_manifest (
    load_id varchar not null,
    loaded_at timestamp not null,
    manifest_sha256 varchar not null,  -- of the file's bytes (of no bytes when there is no manifest)
    manifest_row integer not null,     -- the row's line in manifest.csv (header = 1)
    document varchar,
    plan_id varchar,
    region_name varchar,
    region_code varchar,
    level varchar,
    province varchar,
    plan_kind varchar,
    document_kind varchar,
    start_year varchar,                -- as written: the row is raw text, checked by ingest (problem)
    end_year varchar,
    title varchar,
    issuer varchar,
    published varchar,
    year_note varchar,
    problem_kind varchar,              -- null: the row places its document in a plan
    problem varchar
);
-- Statistics rows, narrow: what a row has of its own (its line, value and the cells only it has) and
-- integer keys into the distinct values of its load, each written and resolved once per load in the key
-- tables below; what the load has (file, hash, sheet, time) is its raw.load_log row. Writing 25 columns
-- per row cost 2.5x writing the file's 7; rows of raw.statistics (the wide table) loaded before stay.
create table if not exists raw.statistic_values (
    load_id varchar not null,
    row_number bigint not null,       -- the line the row starts on in the file
    column_raw varchar,               -- wide sheets: the period column the value sat under
    region_key integer not null,      -- raw.statistic_regions of the same load
    indicator_key integer not null,   -- raw.statistic_indicators of the same load
    period_key integer not null,      -- raw.statistic_periods of the same load
    unit_key integer not null,        -- raw.statistic_units of the same load
    value_raw varchar,
    source varchar,
    value double                      -- in the indicator's canonical unit
);
create table if not exists raw.statistic_regions (
    load_id varchar not null, region_key integer not null,
    region_raw varchar, region_code_raw varchar,  -- as written
    region_code varchar                           -- resolved (null: the rows were quarantined)
);
create table if not exists raw.statistic_indicators (
    load_id varchar not null, indicator_key integer not null,
    indicator_raw varchar, indicator_code varchar, measure varchar, base_year integer,
    unit varchar                                  -- the canonical unit values are converted to
);
create table if not exists raw.statistic_periods (
    load_id varchar not null, period_key integer not null,
    period_raw varchar, period_type varchar, period_start date, period_end date, is_ytd boolean, period_label varchar
);
create table if not exists raw.statistic_units (
    load_id varchar not null, unit_key integer not null,
    unit_raw varchar, unit varchar, factor double  -- unit as written, the canonical unit, value = cell x factor
);
-- Every statistics row in the wide shape, old and new, for looking into raw (dbt's staging joins the
-- same tables itself, portably). A view: the raw file stays the only copy.
create or replace view raw.statistics_loaded as
select file, file_sha256, load_id, loaded_at, sheet, row_number, column_raw, region_raw, region_code_raw,
       indicator_raw, period_raw, value_raw, unit_raw, source, region_code, indicator_code, measure, base_year,
       period_type, period_start, period_end, is_ytd, period_label, value, unit
from raw.statistics
union all
select l.file, l.file_sha256, v.load_id, l.loaded_at, l.sheet, v.row_number, v.column_raw, r.region_raw,
       r.region_code_raw, i.indicator_raw, p.period_raw, v.value_raw, u.unit_raw, v.source, r.region_code,
       i.indicator_code, i.measure, i.base_year, p.period_type, p.period_start, p.period_end, p.is_ytd,
       p.period_label, v.value, i.unit
from raw.statistic_values v
join raw.load_log l on l.load_id = v.load_id
join raw.statistic_regions r on r.load_id = v.load_id and r.region_key = v.region_key
join raw.statistic_indicators i on i.load_id = v.load_id and i.indicator_key = v.indicator_key
join raw.statistic_periods p on p.load_id = v.load_id and p.period_key = v.period_key
join raw.statistic_units u on u.load_id = v.load_id and u.unit_key = v.unit_key;
"""


def new_load_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


@contextmanager
def raw_connection(raw_db: Path, read_only: bool = False):
    raw_db = Path(raw_db)
    if read_only and not raw_db.exists():
        raise FileNotFoundError(f"{raw_db}: no raw layer yet; run `planwatch run` first")
    raw_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(raw_db), read_only=read_only, config={} if read_only else dict(DUCKDB_CREATE_CONFIG))
    try:
        if not read_only:
            con.execute(RAW_DDL)
        yield con
    finally:
        con.close()


def table_exists(con, schema: str, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchone()[0])


def append_parquet(con, table: str, parquet: Path, extra: dict[str, object]) -> int:
    """Append a landing file to raw.<table>, adding the load columns; create the table on first use."""
    extras = ", ".join(f"?::{_sql_type(v)} as {k}" for k, v in extra.items())
    select = f"select {extras}, * from read_parquet(?)"
    params = list(extra.values()) + [str(parquet)]
    if not table_exists(con, "raw", table):
        con.execute(f"create table raw.{table} as {select} limit 0", params)
    before = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    con.execute(f"insert into raw.{table} by name {select}", params)
    return con.execute(f"select count(*) from raw.{table}").fetchone()[0] - before


def _sql_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, datetime):
        return "timestamp"
    return "varchar"


def log_load(con, load_id, loaded_at, kind, file, sha, read, loaded, quarantined, status, message=None, sheet=None) -> None:
    con.execute(
        "insert into raw.load_log (load_id, loaded_at, kind, file, file_sha256, rows_read, rows_loaded, rows_quarantined, "
        "status, message, sheet) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, loaded_at, kind, str(file), sha, read, loaded, quarantined, status, message, sheet],
    )


# DuckDB column types as PostgreSQL names them (the raw layer uses no others).
_POSTGRES_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision",
                   "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"}


def copy_raw_to_postgres(raw_db: Path, dsn: str) -> dict[str, int]:
    """Copy every raw table into schema raw of a PostgreSQL warehouse, one transaction, COPY not inserts.

    The loaders write the raw file (their set-based SQL is DuckDB's); in PostgreSQL mode this is the
    one step that puts it where dbt builds. Each table is replaced whole, so a re-run copies the same
    rows, and readers of raw see the old tables until the commit. Returns rows per table.
    """
    import tempfile

    import psycopg2

    copied: dict[str, int] = {}
    with raw_connection(raw_db, read_only=True) as con, tempfile.TemporaryDirectory() as tmp:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'raw' and table_type = 'BASE TABLE' order by table_name").fetchall()]  # not views
        pg = psycopg2.connect(dsn)
        try:
            with pg, pg.cursor() as cur:
                cur.execute("create schema if not exists raw")
                for table in tables:
                    columns = con.execute(
                        "select column_name, data_type from information_schema.columns where table_catalog = "
                        "current_database() and table_schema = 'raw' and table_name = ? order by ordinal_position",
                        [table]).fetchall()
                    unknown = [f"{c} {t}" for c, t in columns if t not in _POSTGRES_TYPES]
                    if unknown:
                        raise ValueError(f"raw.{table}: no PostgreSQL type for column(s) {', '.join(unknown)}")
                    cur.execute(f'drop table if exists raw."{table}"')
                    cur.execute(f'create table raw."{table}" ('
                                + ", ".join(f'"{c}" {_POSTGRES_TYPES[t]}' for c, t in columns) + ")")
                    csv = Path(tmp) / f"{table}.csv"
                    # Empty text is quoted, null is not: PostgreSQL's CSV COPY reads them back as written.
                    con.execute(f"copy raw.{table} to '{csv}' (format csv, header false, force_quote *)")
                    with open(csv, encoding="utf-8") as f:
                        cur.copy_expert(f'copy raw."{table}" from stdin (format csv)', f)
                    copied[table] = cur.rowcount
        finally:
            pg.close()
    return copied


# --------------------------------------------------------------------------- reading the warehouse

# The schemas dbt builds (dbt_project.yml); a build into PostgreSQL writes them with BUILD_SCHEMA_PREFIX
# first, and publishing renames them over the live ones.
WAREHOUSE_SCHEMAS = ("reference", "staging", "intermediate", "marts")
BUILD_SCHEMA_PREFIX = "build_"
_SCHEMA_NAME = re.compile(r"\b(" + "|".join(WAREHOUSE_SCHEMAS) + r")\.")

# PostgreSQL type oids (pg_type) and the pandas dtype DuckDB's .df() gives the same column, so that code
# reading a frame sees the same types on both engines.
_PG_INTEGERS = {20, 21, 23}
_PG_FLOATS = {700, 701, 1700}
_PG_BOOLEAN = 16
_PG_TIMES = {1082, 1114}


class WarehouseReader:
    """Read-only access to the warehouse: the DuckDB file, or the PostgreSQL database of PLANWATCH_WAREHOUSE.

    SQL is written once with the live schema names (marts.x); a reader of a PostgreSQL build reads
    the same names in the build schemas (build_marts.x). Parameters are written `?` on both engines.
    """

    def __init__(self, engine: str, where: str, connection, build: bool = False):
        self.engine = engine  # "duckdb" | "postgresql"
        self.where = where  # what messages name: the file, or the database and schemas
        self.build = build
        self._con = connection

    @property
    def connection(self):
        return self._con

    def schema(self, name: str) -> str:
        """The schema this reader finds `name` (marts, staging …) in."""
        return BUILD_SCHEMA_PREFIX + name if self.build and self.engine == "postgresql" else name

    def sql(self, sql: str) -> str:
        if self.build and self.engine == "postgresql":
            sql = _SCHEMA_NAME.sub(lambda m: self.schema(m.group(1)) + ".", sql)
        return sql

    def _execute(self, sql: str, params):
        if self.engine == "duckdb":
            return self._con.execute(self.sql(sql), list(params or []))
        cur = self._con.cursor()
        if params:  # psycopg2 writes placeholders %s (and a literal % as %%)
            cur.execute(self.sql(sql).replace("%", "%%").replace("?", "%s"), list(params))
        else:
            cur.execute(self.sql(sql))
        return cur

    def rows(self, sql: str, params=None) -> list[tuple]:
        return self._execute(sql, params).fetchall()

    def frame(self, sql: str, params=None):
        """The rows as a DataFrame, with the dtypes DuckDB's .df() gives on both engines."""
        if self.engine == "duckdb":
            return self._execute(sql, params).df()
        return self._pg_frame(self._execute(sql, params))

    def result(self, sql: str):
        """Run one statement: its rows as a frame, or None when it returns none (SET, SHOW on DuckDB is rows)."""
        if self.engine == "duckdb":
            relation = self._con.sql(self.sql(sql))
            return relation.df() if relation is not None else None
        cur = self._execute(sql, None)
        return self._pg_frame(cur) if cur.description is not None else None

    @staticmethod
    def _pg_frame(cur):
        import pandas as pd

        columns = [d.name for d in cur.description]
        frame = pd.DataFrame.from_records(cur.fetchall(), columns=columns, coerce_float=True)
        for i, d in enumerate(cur.description):
            column = frame.iloc[:, i]
            if d.type_code in _PG_INTEGERS:
                frame.isetitem(i, column.astype("Int64"))
            elif d.type_code in _PG_FLOATS:
                frame.isetitem(i, column.astype("float64"))  # numeric's Decimals too
            elif d.type_code == _PG_BOOLEAN:
                frame.isetitem(i, column.astype("boolean" if column.isna().any() else bool))
            elif d.type_code in _PG_TIMES:
                frame.isetitem(i, pd.to_datetime(column).astype("datetime64[us]"))
        return frame

    def arrow(self, sql: str, params=None):
        """The rows as an Arrow table (DuckDB's own types on DuckDB; the frame's on PostgreSQL)."""
        import pyarrow as pa

        if self.engine == "duckdb":
            return self._con.sql(self.sql(sql), params=list(params) if params else None).to_arrow_table()
        return pa.Table.from_pandas(self.frame(sql, params), preserve_index=False)

    def tables(self, schema: str = "marts") -> set[str]:
        return {t for (t,) in self.rows(
            "select table_name from information_schema.tables where table_schema = ? and table_catalog = current_database()",
            [self.schema(schema)])}

    def columns(self, schema: str, table: str) -> list[str]:
        """The table's columns in their order (none when there is no such table)."""
        return [c for (c,) in self.rows(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "and table_catalog = current_database() order by ordinal_position", [self.schema(schema), table])]

    def has_table(self, schema: str, table: str) -> bool:
        return table in self.tables(schema)


class NoWarehouseYet(FileNotFoundError):
    """Nothing built where the reader looks: no DuckDB file, or no marts schema in PostgreSQL."""

    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where

    def __str__(self) -> str:
        return self.args[0]


@contextmanager
def read_warehouse(db: Path | None = None, build: bool = False, config: dict | None = None):
    """A read-only WarehouseReader of the published warehouse (or, with build, of the pending build).

    DuckDB (default): the file `db` opened read-only. With PLANWATCH_WAREHOUSE=postgresql://… the
    database in a read-only session (default_transaction_read_only, so no statement of this
    connection can write), the live schemas or, with build, the build schemas; `db` is not used.
    """
    from planwatch.config import postgres_warehouse

    pg = postgres_warehouse()
    if pg is None:
        if db is None or not Path(db).exists():
            raise NoWarehouseYet(str(db), f"{db}: no warehouse yet; run `planwatch run` first")
        con = duckdb.connect(str(db), read_only=True, config=dict(config or {}))
        try:
            yield WarehouseReader("duckdb", str(db), con, build)
        finally:
            con.close()
        return
    import psycopg2

    con = psycopg2.connect(pg.dsn, options="-c default_transaction_read_only=on")
    try:
        con.set_session(readonly=True)
        reader = WarehouseReader("postgresql", "", con, build)
        schema = reader.schema("marts")
        reader.where = f"PostgreSQL {pg.host}:{pg.port}/{pg.database} (schema {schema})"
        if not reader.rows("select 1 from information_schema.schemata where schema_name = ?", [schema]):
            raise NoWarehouseYet(reader.where, f"{reader.where}: no schema {schema} yet; run `planwatch run` first")
        yield reader
    finally:
        con.close()


def reader_of(paths, build: bool = False):
    """read_warehouse of the published warehouse of `paths`, or of its pending build."""
    return read_warehouse(paths.build_db if build else paths.warehouse_db, build=build)


def warehouse_exists(paths, build: bool = False) -> bool:
    try:
        with reader_of(paths, build):
            return True
    except NoWarehouseYet:
        return False


def has_table(paths, build: bool, schema: str, table: str) -> bool:
    """Whether the published warehouse (or the pending build) has schema.table; False when there is none."""
    try:
        with reader_of(paths, build) as reader:
            return reader.has_table(schema, table)
    except NoWarehouseYet:
        return False


def where(paths, build: bool = False) -> str:
    """What messages call the published warehouse (or the pending build): its file, or its PostgreSQL schemas."""
    return warehouse_label(paths.build_db if build else paths.warehouse_db, build)


def warehouse_label(db_file: Path, build: bool = False) -> str:
    """The DuckDB file's name for the warehouse, or its PostgreSQL database and schema when PLANWATCH_WAREHOUSE names one."""
    from planwatch.config import postgres_warehouse

    pg = postgres_warehouse()
    if pg is None:
        return str(db_file)
    return f"PostgreSQL {pg.host}:{pg.port}/{pg.database} (schema {BUILD_SCHEMA_PREFIX if build else ''}marts)"


RETIRED_SCHEMA_PREFIX = "retired_"
DEFAULT_READER_ROLE = "planwatch_reader"


def reader_role() -> str:
    """The analysts' read-only role publishing grants the marts to (PLANWATCH_READER_ROLE, default planwatch_reader)."""
    import os

    return os.environ.get("PLANWATCH_READER_ROLE", "").strip() or DEFAULT_READER_ROLE


def _schemas(cur) -> set[str]:
    cur.execute("select nspname from pg_namespace")
    return {n for (n,) in cur.fetchall()}


def drop_build_schemas(dsn: str) -> None:
    """Drop what an earlier build left in the build schemas (an unpublished or killed build)."""
    import psycopg2
    from psycopg2 import sql

    con = psycopg2.connect(dsn)
    try:
        with con, con.cursor() as cur:
            present = _schemas(cur)
            for schema in WAREHOUSE_SCHEMAS:
                if BUILD_SCHEMA_PREFIX + schema in present:
                    cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(BUILD_SCHEMA_PREFIX + schema)))
    finally:
        con.close()


def publish_postgres_build(dsn: str, role: str | None = None) -> None:
    """Rename the build schemas over the live ones and grant them to the analysts' role, in ONE transaction.

    Readers see the old marts until the commit and the new ones after it, never a mix; if anything
    fails the transaction rolls back and the live schemas are as they were. Grants belong to the
    schemas and tables themselves, so they move with the rename.
    """
    import psycopg2
    from psycopg2 import sql

    role = role or reader_role()
    con = psycopg2.connect(dsn)
    try:
        with con, con.cursor() as cur:
            present = _schemas(cur)
            if BUILD_SCHEMA_PREFIX + "marts" not in present:
                raise FileNotFoundError(f"no schema {BUILD_SCHEMA_PREFIX}marts to publish; run `planwatch run`")
            swapped = [s for s in WAREHOUSE_SCHEMAS if BUILD_SCHEMA_PREFIX + s in present]
            for schema in swapped:
                build, retired = BUILD_SCHEMA_PREFIX + schema, RETIRED_SCHEMA_PREFIX + schema
                if retired in present:  # nothing leaves one (a failed publish rolls back); never let it block
                    cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(retired)))
                if schema in present:
                    cur.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(schema), sql.Identifier(retired)))
                cur.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(build), sql.Identifier(schema)))
            cur.execute("select 1 from pg_roles where rolname = %s", [role])
            if not cur.fetchone():
                cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
            for schema in WAREHOUSE_SCHEMAS:
                if schema in present or schema in swapped:
                    cur.execute(sql.SQL("grant usage on schema {0} to {1}; grant select on all tables in schema {0} to {1}")
                                .format(sql.Identifier(schema), sql.Identifier(role)))
            for schema in swapped:
                if schema in present:
                    cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(RETIRED_SCHEMA_PREFIX + schema)))
    finally:
        con.close()
