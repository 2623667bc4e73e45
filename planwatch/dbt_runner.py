"""Run dbt (the one place that does) against the build file, with absolute paths.

dbt runs in-process through dbtRunner. Paths are absolute and partial parsing
is off, because dbt-duckdb's seed loader otherwise reuses a root path cached
by a run from another folder.
"""

from __future__ import annotations

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


def build_warehouse(paths: Paths) -> DbtResult:
    """`dbt build` (seeds, models, tests) into a fresh build file, recorded complete only when dbt succeeded."""
    from planwatch import builds

    started = builds.mark_building(paths)  # before the old file goes: a kill from here on leaves "incomplete"
    pg = postgres_warehouse()
    if pg is not None:
        from planwatch.warehouse import copy_raw_to_postgres, drop_build_schemas

        copy_raw_to_postgres(paths.raw_db, pg.dsn)
        drop_build_schemas(pg.dsn)  # a build starts empty, as the DuckDB build file does
    result = run_dbt(paths, ["build"], fresh_build=True)
    builds.mark_finished(paths, started, result.success, {
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
