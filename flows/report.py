"""build-report: the static HTML progress report from the published warehouse, with artifacts."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from planwatch.config import get_paths
from planwatch.report import build_report as write_report
from planwatch.report import status_counts_table


@task(cache_policy=NO_CACHE)
def render_report(seeds_dir: str, data_dir: str) -> str:
    paths = get_paths(seeds_dir, data_dir)
    index = write_report(paths.warehouse_db, paths.data_dir / "report", paths.data_docs_dir / "index.html",
                         reports_dir=paths.reports_dir)
    return str(index)


@task(cache_policy=NO_CACHE)
def status_counts(seeds_dir: str, data_dir: str) -> list[dict]:
    return status_counts_table(get_paths(seeds_dir, data_dir).warehouse_db)


@flow(name="build-report", log_prints=True)
def build_report(seeds_dir: str | None = None, data_dir: str | None = None) -> dict:
    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    seeds, data = str(paths.seeds_dir), str(paths.data_dir)
    index = render_report(seeds, data)
    counts = status_counts(seeds, data)
    # one column per status seen anywhere, so the table is rectangular
    statuses = sorted({k for row in counts for k in row} - {"region_code", "region_name", "total"})
    table = [{"region_code": r["region_code"], "region_name": r["region_name"],
              **{s: r.get(s, 0) for s in statuses}, "total": r["total"]} for r in counts]
    create_table_artifact(
        key="report-status-counts",
        table=table or [{"region_code": "", "region_name": "no targets yet", "total": 0}],
        description="Status per region × indicator × plan (latest year with an actual), counted per region",
    )
    create_link_artifact(key="progress-report", link=Path(index).as_uri(), link_text="planwatch progress report",
                         description="Static HTML report: status grid, a chart per indicator, quality flags")
    logger.info("build-report: %s (%s regions)", index, len(counts))
    return {"index": index, "status_counts": table}


if __name__ == "__main__":
    build_report()
