"""build-warehouse: dbt build (seeds, models, tests) into the build file."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.locks import writes_warehouse
from planwatch.config import get_paths
from planwatch.dbt_runner import build_warehouse as dbt_build
from planwatch.dbt_runner import generate_docs


@task(cache_policy=NO_CACHE)
def run_dbt_build(seeds_dir: str, data_dir: str, full_refresh: bool = False) -> dict:
    paths = get_paths(seeds_dir, data_dir)
    result = dbt_build(paths, full_refresh=full_refresh)
    from planwatch.builds import read_state

    dbt = (read_state(paths) or {}).get("dbt") or {}
    return {"success": result.success, "error": result.error, "nodes": result.nodes,
            "incremental": dbt.get("incremental", False), "full_build_because": dbt.get("full_build_because")}


@task(cache_policy=NO_CACHE)
def run_dbt_docs(seeds_dir: str, data_dir: str) -> bool:
    return generate_docs(get_paths(seeds_dir, data_dir)).success


class WarehouseBuildError(RuntimeError):
    pass


def review_problems(paths) -> list[str]:
    """Lines of the reviewers' files the build could not apply (marts.review_quarantine), as `file:line: problem`."""
    from planwatch.builds import build_reader

    with build_reader(paths) as reader:
        if not reader.has_table("marts", "review_quarantine"):
            return []
        rows = reader.rows("select file_name, file_line, problem from marts.review_quarantine order by file_name, file_line")
    return [f"seeds/reference/{name}:{line}: {problem}" for name, line, problem in rows]


@flow(name="build-warehouse", log_prints=True)
@writes_warehouse("build-warehouse")
def build_warehouse(seeds_dir: str | None = None, data_dir: str | None = None, full_refresh: bool = False) -> dict:
    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    result = run_dbt_build(str(paths.seeds_dir), str(paths.data_dir), full_refresh)
    nodes = result["nodes"]
    create_table_artifact(
        key="dbt-build-summary",
        table=[{k: n[k] for k in ("name", "resource_type", "status", "seconds")} for n in nodes],
        description=f"dbt build: {'success' if result['success'] else 'failed'}",
    )
    if not result["success"]:
        failed = [f"{n['name']}: {n['message']}" for n in nodes if n["status"] in ("error", "fail")]
        raise WarehouseBuildError("dbt build failed: " + ("; ".join(failed) or str(result["error"])))
    docs_ok = run_dbt_docs(str(paths.seeds_dir), str(paths.data_dir))
    summary = {
        "models": sum(1 for n in nodes if n["resource_type"] == "model"),
        "seeds": sum(1 for n in nodes if n["resource_type"] == "seed"),
        "tests": sum(1 for n in nodes if n["resource_type"] in ("test", "unit_test")),
        "tests_failed": sum(1 for n in nodes if n["resource_type"] in ("test", "unit_test") and n["status"] in ("fail", "error")),
        "docs": docs_ok,
        "incremental": result["incremental"],
        "full_build_because": result["full_build_because"],
        "build_db": str(paths.build_db),
        "review_problems": review_problems(paths),
    }
    logger.info("build-warehouse: %s", summary)
    return summary


if __name__ == "__main__":
    build_warehouse()
