"""validate: the GX checkpoint over the freshly built warehouse, then publish it if no error failed."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.locks import writes_warehouse
from planwatch.builds import NoWarehouse, validation_target
from planwatch.builds import publish as publish_build
from planwatch.config import get_paths
from planwatch.validation import validate_warehouse as run_checkpoint


class ValidationFailed(RuntimeError):
    pass


@task(cache_policy=NO_CACHE)
def run_gx_checkpoint(seeds_dir: str, data_dir: str, db_path: str | None = None) -> dict:
    summary = run_checkpoint(get_paths(seeds_dir, data_dir), Path(db_path) if db_path else None)
    return {**summary.__dict__, "data_docs_index": str(summary.data_docs_index) if summary.data_docs_index else None}


@task(cache_policy=NO_CACHE)
def publish_warehouse(seeds_dir: str, data_dir: str) -> str:
    """Swap the validated build file in as the published warehouse.

    A rename is atomic: readers that opened the old file keep reading it, new
    readers get the new one, and nobody ever sees a half-built table.
    """
    return str(publish_build(get_paths(seeds_dir, data_dir)))


@flow(name="validate", log_prints=True)
@writes_warehouse("validate")
def validate(seeds_dir: str | None = None, data_dir: str | None = None, publish: bool = True) -> dict:
    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    try:  # a complete pending build, else the published warehouse (validated, not republished)
        target = validation_target(paths)
    except NoWarehouse as exc:
        raise ValidationFailed(str(exc)) from None
    if target.notice:
        logger.warning(target.notice)
    result = run_gx_checkpoint(str(paths.seeds_dir), str(paths.data_dir), str(target.db))
    result["validated"] = str(target.db)
    create_table_artifact(
        key="validation-failures",
        table=[{k: f[k] for k in ("suite", "expectation", "column", "severity", "unexpected_count")} for f in result["failures"]]
        or [{"suite": "all", "expectation": "all passed", "column": "", "severity": "", "unexpected_count": 0}],
        description=f"{result['evaluated']} expectations evaluated, {result['failed']} failed",
    )
    if result["data_docs_notice"]:
        logger.warning(result["data_docs_notice"])
    if result["data_docs_index"]:
        create_link_artifact(key="data-docs", link=Path(result["data_docs_index"]).as_uri(), description="GX Data Docs")
    if result["failed_errors"]:
        raise ValidationFailed(
            f"{result['failed_errors']} error-severity expectations failed; the published warehouse was left as it was. "
            f"See {result['data_docs_index']}"
            + ("; open error flags: `planwatch flags --build --open`, decide them with `planwatch flags decide`"
               if any(f["suite"] == "quality_flags_suite" and f["severity"] == "error" for f in result["failures"]) else "")
        )
    result["published"] = (publish_warehouse(str(paths.seeds_dir), str(paths.data_dir))
                           if publish and target.publishable else None)
    logger.info("validate: %s evaluated, %s failed (%s warnings)", result["evaluated"], result["failed"], result["failed_warnings"])
    return result


if __name__ == "__main__":
    validate()
