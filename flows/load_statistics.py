"""load-statistics: statistics files in seeds/statistics (or a landing folder) → raw statistics."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.locks import writes_warehouse
from planwatch.config import get_paths
from planwatch.statistics import load_statistics_files, statistics_files


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_files(files: list[str], seeds_dir: str, data_dir: str) -> dict:
    paths = get_paths(seeds_dir, data_dir).ensure()
    summary = load_statistics_files([Path(f) for f in files], paths.raw_db, paths.reference_dir, paths.landing_dir)
    return {
        "files": [f.__dict__ for f in summary.files],
        "read": summary.read, "loaded": summary.loaded, "quarantined": summary.quarantined, "skipped": summary.skipped,
        "line": summary.line(),
    }


@flow(name="load-statistics", log_prints=True)
@writes_warehouse("load-statistics")
def load_statistics(seeds_dir: str | None = None, data_dir: str | None = None, landing_folder: str | None = None) -> dict:
    """Load new statistics files; files already loaded (same content) are skipped."""
    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    folder = Path(landing_folder) if landing_folder else paths.statistics_dir
    files = [str(p) for p in statistics_files(folder)]
    result = load_files(files, str(paths.seeds_dir), str(paths.data_dir))
    create_table_artifact(
        key="load-statistics-summary",
        table=[{k: f[k] for k in ("file", "status", "rows_read", "rows_loaded", "rows_quarantined", "message")} for f in result["files"]],
        description=result["line"],
    )
    for f in result["files"]:
        if f["status"] == "failed":
            logger.warning("could not read %s: %s", f["file"], f["message"])
    logger.info("load-statistics: %s", result["line"])
    return result


if __name__ == "__main__":
    load_statistics()
