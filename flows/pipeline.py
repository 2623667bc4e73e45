"""planwatch-pipeline: ingest plans, load statistics, build the warehouse, validate and publish."""

from __future__ import annotations

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from flows.build_warehouse import build_warehouse
from flows.ingest_plans import ingest_plans
from flows.load_statistics import load_statistics
from flows.report import build_report
from flows.validate import validate
from planwatch.config import get_paths


def summary_lines(plans: dict, stats: dict, build: dict, checks: dict, paths, report: dict | None = None) -> list[str]:
    return [
        f"documents read:        {plans['documents']}",
        f"documents refused:     {plans.get('refused', 0)} (see marts.document_quarantine)",
        f"targets extracted:     {plans['targets']} (reported past figures: {plans['reported_actuals']})",
        f"statistics rows:       {stats['line']}",
        f"models built:          {build['models']} (seeds {build['seeds']}, data tests {build['tests']}, failed {build['tests_failed']})",
        f"expectations failed:   {checks['failed']} of {checks['evaluated']} ({checks['failed_errors']} errors, {checks['failed_warnings']} warnings)",
        f"warehouse:             {paths.warehouse_db}",
        f"quality report:        {checks['data_docs_index']}",
        f"dbt docs:              {paths.dbt_target_dir / 'index.html'}",
    ] + ([f"progress report:       {report['index']}"] if report else [])


@flow(name="planwatch-pipeline", log_prints=True)
def pipeline(seeds_dir: str | None = None, data_dir: str | None = None) -> dict:
    paths = get_paths(seeds_dir, data_dir).ensure()
    seeds, data = str(paths.seeds_dir), str(paths.data_dir)
    plans = ingest_plans(seeds, data)
    stats = load_statistics(seeds, data)
    build = build_warehouse(seeds, data)
    checks = validate(seeds, data)
    report = build_report(seeds, data)  # after validate: only a published warehouse is reported
    lines = summary_lines(plans, stats, build, checks, paths, report)
    create_markdown_artifact(key="pipeline-summary", markdown="```\n" + "\n".join(lines) + "\n```", description="planwatch run")
    return {"plans": plans, "statistics": stats, "build": build, "validation": checks, "report": report, "summary": lines}


if __name__ == "__main__":
    pipeline()
