"""Run dbt (the one place that does) against the build file, with absolute paths.

dbt runs in-process through dbtRunner. Paths are absolute and partial parsing
is off, because dbt-duckdb's seed loader otherwise reuses a root path cached
by a run from another folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from planwatch.config import DBT_PROJECT_DIR, DUCKDB_STORAGE_VERSION, Paths, environment_variables, postgres_warehouse


@dataclass
class DbtResult:
    success: bool
    command: str
    nodes: list[dict] = field(default_factory=list)
    error: str | None = None

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(1 for n in self.nodes if n["resource_type"] == resource_type and (status is None or n["status"] == status))

    @property
    def failures(self) -> list[dict]:
        return [n for n in self.nodes if n["status"] in ("error", "fail", "runtime error")]


def seed_path(paths: Paths) -> str:
    """The reference folder relative to the dbt project, checked to be safe.

    dbt writes each seed's compiled SQL to <target>/run/<project>/<seed path>;
    with an absolute seed path that is the seed CSV itself, which dbt would
    overwrite. A relative path keeps the write inside the target folder.
    """
    relative = os.path.relpath(paths.reference_dir, DBT_PROJECT_DIR)
    landing = Path(os.path.normpath(paths.dbt_target_dir / "run" / "planwatch" / relative))
    if paths.data_dir not in landing.parents or paths.reference_dir in (landing, *landing.parents):
        raise ValueError(
            f"the seeds folder {paths.reference_dir} is too far from {DBT_PROJECT_DIR} for dbt to compile its seeds "
            f"inside {paths.data_dir}; move the seeds or the data directory closer to the project"
        )
    return relative


def dbt_env(paths: Paths) -> dict[str, str]:
    env = {
        "PLANWATCH_BUILD_DB": str(paths.build_db),
        "PLANWATCH_RAW_DB": str(paths.raw_db),
        "PLANWATCH_REFERENCE_DIR": seed_path(paths),
        "PLANWATCH_DUCKDB_STORAGE_VERSION": DUCKDB_STORAGE_VERSION,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    pg = postgres_warehouse()
    if pg is not None:  # profiles.yml target `postgres` reads these
        from planwatch.warehouse import BUILD_SCHEMA_PREFIX

        env.update({"PLANWATCH_PG_HOST": pg.host, "PLANWATCH_PG_PORT": str(pg.port), "PLANWATCH_PG_USER": pg.user,
                    "PLANWATCH_PG_PASSWORD": pg.password, "PLANWATCH_PG_DATABASE": pg.database,
                    # write-audit-publish: dbt writes build_<schema>, publishing renames them over the live ones
                    "PLANWATCH_SCHEMA_PREFIX": BUILD_SCHEMA_PREFIX})
    return env


def dbt_target() -> str:
    """The profiles.yml target: `postgres` when PLANWATCH_WAREHOUSE names a PostgreSQL database, else `local`."""
    return "postgres" if postgres_warehouse() is not None else "local"


# Incremental models, keyed on the statistics load (schema staging), and the one-row model recording
# what they hold. tests/test_incremental_build.py checks this list against the manifest.
INCREMENTAL_MODELS = {"stg_statistic_vintages": "staging", "stg_statistics": "staging", "fct_statistic_vintage": "marts",
                      "int_actual_candidates": "intermediate", "fct_statistic": "marts"}
STATE_MODEL = "stg_incremental_state"
INCREMENTAL_SCHEMA = "staging"  # the state model's


def incremental_state(paths: Paths) -> dict:
    """What the incremental models of a build started now would hold: a digest of the dbt project's models,
    macros and settings, of the reviewers' corrections, of the rest of the reference folder, of the plan
    documents loaded (int_actual_candidates holds their reported figures), the retracted loads, and of the
    statistics loads (load_log rows) up to the latest; the latest load's time. A later build may carry the
    tables over when all of it is the same except loads made after `loaded_through`."""
    code = hashlib.sha256()
    for f in sorted(DBT_PROJECT_DIR.rglob("*")):
        if f.is_file() and f.suffix in (".sql", ".yml") and not {"target", "logs", "dbt_packages"} & set(f.relative_to(DBT_PROJECT_DIR).parts):
            code.update(str(f.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + f.read_bytes() + b"\0")
    code.update(f"{DUCKDB_STORAGE_VERSION}|{dbt_target()}".encode())
    corrections = paths.reference_dir / "corrections.csv"
    state = {"code": code.hexdigest(),
             "corrections": hashlib.sha256(corrections.read_bytes()).hexdigest() if corrections.exists() else None,
             "reference": _files_digest(paths.reference_dir), "documents": None,
             "retracted": [], "loaded_through": None, "loads": None}
    if paths.raw_db.exists():
        import duckdb

        with duckdb.connect(str(paths.raw_db), read_only=True) as con:
            tables = {t for (t,) in con.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
            if "load_retractions" in tables:
                state["retracted"] = sorted(r for (r,) in con.execute("select load_id from raw.load_retractions").fetchall())
            if "load_log" in tables:
                state["documents"] = _documents_digest(con, tables)
                through = con.execute("select max(loaded_at) from raw.load_log where kind = 'statistics_file'").fetchone()[0]
                state["loaded_through"] = through.isoformat() if through is not None else None
                state["loads"] = _loads_digest(con, state["loaded_through"])
    return state


def _files_digest(folder: Path) -> str | None:
    """A digest of every file under `folder` (names and bytes). Any change of the reference makes the next build
    a full one: coarser than the models' own inputs, and never wrong."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(f.relative_to(folder)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _documents_digest(con, tables: set[str]) -> str:
    """A digest of the plan documents and manifests loaded (load_log rows that loaded something: a re-run's
    `skipped` rows change nothing) and of each document's latest state (present, quarantined, removed)."""
    rows = con.execute(
        "select load_id, kind, loaded_at::varchar, file_sha256 from raw.load_log "
        "where kind <> 'statistics_file' and status = 'loaded' order by loaded_at, load_id").fetchall()
    if "plan_document_events" in tables:
        rows += con.execute(
            "select distinct on (document) document, status, document_sha256, plan_id, load_id "
            "from raw.plan_document_events order by document, seen_at desc, run_id desc").fetchall()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def _loads_digest(con, through: str | None) -> str | None:
    """A digest of the statistics loads made up to `through` (load_log: id, time, file hash, status, rows)."""
    if through is None:
        return None
    rows = con.execute(
        "select load_id, loaded_at::varchar, file_sha256, status, rows_loaded from raw.load_log "
        "where kind = 'statistics_file' and loaded_at <= ?::timestamp order by loaded_at, load_id", [through]).fetchall()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def carry_over_reason(paths: Paths, now: dict, published: dict | None) -> str | None:
    """None when the published warehouse's incremental tables may be carried over into the build (only new
    loads differ), else why not."""
    if not published:
        return "the published warehouse records no incremental state"
    for key, what in (("code", "the dbt models or macros changed"), ("corrections", "seeds/reference/corrections.csv changed"),
                      ("reference", "the reference tables (seeds/reference) changed"),
                      ("documents", "the plan documents loaded changed"), ("retracted", "a load was retracted")):
        if published.get(key) != now.get(key):
            return what
    if published.get("loaded_through") is None:
        return "the published warehouse holds no statistics load"
    import duckdb

    with duckdb.connect(str(paths.raw_db), read_only=True) as con:
        if _loads_digest(con, published["loaded_through"]) != published.get("loads"):
            return "the statistics loads it holds are not those in the raw layer"
    return None


def published_incremental_state(paths: Paths) -> dict | None:
    """The incremental state recorded in the published warehouse (stg_incremental_state), if any."""
    try:
        pg = postgres_warehouse()
        if pg is not None:
            import psycopg2

            con = psycopg2.connect(pg.dsn)
            try:
                with con.cursor() as cur:
                    cur.execute("select to_regclass(%s)", [f"{INCREMENTAL_SCHEMA}.{STATE_MODEL}"])
                    if cur.fetchone()[0] is None:
                        return None
                    cur.execute(f"select incremental_state from {INCREMENTAL_SCHEMA}.{STATE_MODEL}")
                    row = cur.fetchone()
            finally:
                con.close()
        else:
            if not paths.warehouse_db.exists():
                return None
            import duckdb

            with duckdb.connect(str(paths.warehouse_db), read_only=True) as con:
                if not con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                                   [INCREMENTAL_SCHEMA, STATE_MODEL]).fetchone()[0]:
                    return None
                row = con.execute(f"select incremental_state from {INCREMENTAL_SCHEMA}.{STATE_MODEL}").fetchone()
    except Exception:  # an unreadable published warehouse: build from scratch
        return None
    return json.loads(row[0]) if row and row[0] else None


def carry_over_incremental_tables(paths: Paths) -> None:
    """Copy the incremental models' tables from the published warehouse into the (empty) build."""
    pg = postgres_warehouse()
    if pg is not None:
        import psycopg2
        from psycopg2 import sql

        from planwatch.warehouse import BUILD_SCHEMA_PREFIX

        con = psycopg2.connect(pg.dsn)
        try:
            with con, con.cursor() as cur:
                for model, schema in INCREMENTAL_MODELS.items():
                    build_schema = BUILD_SCHEMA_PREFIX + schema
                    cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(build_schema)))
                    cur.execute(sql.SQL("create table {}.{} as table {}.{}").format(
                        sql.Identifier(build_schema), sql.Identifier(model), sql.Identifier(schema), sql.Identifier(model)))
        finally:
            con.close()
        return
    import duckdb

    from planwatch.config import DUCKDB_CREATE_CONFIG

    with duckdb.connect(str(paths.build_db), config=DUCKDB_CREATE_CONFIG) as con:
        con.execute("attach ? as published (read_only)", [str(paths.warehouse_db)])
        for model, schema in INCREMENTAL_MODELS.items():
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {schema}.{model} as select * from published.{schema}.{model}")
        con.execute("detach published")
        con.execute("checkpoint")


def run_dbt(paths: Paths, args: list[str], fresh_build: bool = False) -> DbtResult:
    """Invoke `dbt <args>` on the project; with fresh_build the build file starts empty."""
    from dbt.cli.main import dbtRunner

    paths.ensure()
    if fresh_build:
        for suffix in ("", ".wal"):
            Path(str(paths.build_db) + suffix).unlink(missing_ok=True)
    argv = args + [
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(paths.dbt_target_dir),
        "--log-path", str(paths.dbt_log_dir),
        "--target", dbt_target(),
        "--no-partial-parse",
        "--quiet",
    ]
    if args and args[0] in ("build", "run", "test", "seed", "docs"):
        argv.append("--no-use-colors")
    try:
        with environment_variables(dbt_env(paths)):
            result = dbtRunner().invoke(argv)
    finally:
        _release_duckdb()
    nodes = []
    if result.result is not None and hasattr(result.result, "results"):
        for r in result.result.results:
            nodes.append({
                "unique_id": r.node.unique_id,
                "name": r.node.name,
                "resource_type": str(r.node.resource_type).split(".")[-1].lower(),
                "status": str(r.status).split(".")[-1].lower(),
                "message": r.message or "",
                "failures": r.failures,
                "seconds": round(r.execution_time or 0.0, 3),
            })
    error = None if result.success else str(result.exception or next((n["message"] for n in nodes if n["status"] in ("error", "fail")), "dbt failed"))
    return DbtResult(result.success, " ".join(args), nodes, error)


def _release_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps for the process.

    dbt-duckdb caches one environment per process and can keep its database
    open after dbtRunner returns; the validator then cannot open the build file
    read-only, and publishing would copy a file whose last writes may still be
    in the WAL. Closing it checkpoints the file.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def build_warehouse(paths: Paths, full_refresh: bool = False) -> DbtResult:
    """`dbt build` (seeds, models, tests) into a fresh build file, recorded complete only when dbt succeeded.

    The build starts empty except for the incremental models (INCREMENTAL_MODELS), copied from the
    published warehouse when only new statistics loads differ from what they hold (carry_over_reason);
    dbt then adds just the new loads' rows. With full_refresh, or when anything else changed, they are
    built from all the raw rows like every other model."""
    from planwatch import builds

    started = builds.mark_building(paths)  # before the old file goes: a kill from here on leaves "incomplete"
    state = incremental_state(paths)
    reason = "a full refresh was asked for" if full_refresh else carry_over_reason(paths, state, published_incremental_state(paths))
    pg = postgres_warehouse()
    if pg is not None:
        from planwatch.warehouse import copy_raw_to_postgres, drop_build_schemas

        copy_raw_to_postgres(paths.raw_db, pg.dsn)
        drop_build_schemas(pg.dsn)  # a build starts empty, as the DuckDB build file does
    else:
        for suffix in ("", ".wal"):
            Path(str(paths.build_db) + suffix).unlink(missing_ok=True)
    if reason is None:
        carry_over_incremental_tables(paths)
    variables = json.dumps({"incremental_state": json.dumps(state, sort_keys=True), "incremental_carried_over": reason is None})
    # The unit tests check the models' SQL on fixtures, not the data: a build carried over runs the code
    # the published build ran and passed them on (the state's code digest), so it leaves them out.
    skip = ["--exclude-resource-type", "unit_test"] if reason is None else []
    result = run_dbt(paths, ["build", "--vars", variables, *skip])
    builds.mark_finished(paths, started, result.success, {
        "incremental": reason is None,
        "full_build_because": reason,
        "success": result.success,
        "error": result.error,
        "nodes": len(result.nodes),
        "failed": len(result.failures),
        "models": result.count("model"),
        "tests": result.count("test") + result.count("unit_test"),
    })
    return result


DOCS_PAGE = "static_index.html"


def generate_docs(paths: Paths) -> DbtResult:
    """dbt's docs as one self-contained page (target/static_index.html): the manifest and catalog are
    inlined, so it opens from file:// (index.html fetches them, which browsers refuse from disk)."""
    return run_dbt(paths, ["docs", "generate", "--static"])
