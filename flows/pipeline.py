"""planwatch-pipeline: ingest plans, load statistics, build the warehouse, validate and publish."""

from __future__ import annotations

import logging

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.build_warehouse import build_warehouse
from flows.ingest_plans import ingest_plans
from flows.load_statistics import load_statistics
from flows.locks import writes_warehouse
from flows.report import build_report
from flows.validate import validate
from planwatch.config import get_paths
from planwatch.dbt_runner import DOCS_PAGE
from planwatch.warehouse import where


def refused_inputs(plans: dict, stats: dict) -> list[dict]:
    """Inputs refused whole this run (documents, statistics files): what the user must fix or remove."""
    refused = [{"kind": "document", "name": r["document"], "reason": r["reason"],
                "plan_kept": r["plan_id"] if r.get("plan_kept") else None}
               for r in plans.get("refused_documents", [])]
    refused += [{"kind": "statistics file", "name": f["file"], "reason": f["message"] or "unreadable"}
                for f in stats.get("files", []) if f["status"] == "failed"]
    return refused


def summary_lines(plans: dict, stats: dict, build: dict, checks: dict, paths, report: dict | None = None,
                  refused: list[dict] | None = None) -> list[str]:
    refused = refused_inputs(plans, stats) if refused is None else refused
    n_files = sum(1 for r in refused if r["kind"] == "statistics file")
    lines = [
        f"documents read:        {plans['documents']}",
        f"documents refused:     {plans.get('refused', 0)} (see marts.document_quarantine)",
        f"statistics files refused: {n_files} (see marts.statistics_file_quarantine)",
        f"targets extracted:     {plans['targets']} (reported past figures: {plans['reported_actuals']})",
        f"statistics rows:       {stats['line']}",
        f"models built:          {build['models']} (seeds {build['seeds']}, data tests {build['tests']}, failed {build['tests_failed']}; "
        + ("incremental: the new statistics loads only)" if build.get("incremental")
           else f"full build: {build.get('full_build_because') or 'no incremental state'})"),
        f"expectations failed:   {checks['failed']} of {checks['evaluated']} ({checks['failed_errors']} errors, {checks['failed_warnings']} warnings)",
        f"warehouse:             {where(paths)}",
        f"quality report:        {checks['data_docs_index']}",
        f"dbt docs:              {paths.dbt_target_dir / DOCS_PAGE}",
    ] + ([f"progress report:       {report['index']}"] if report else [])
    if refused:
        lines.append("refused inputs (nothing of them is in the warehouse; fix or remove them, the next run reads them):")
        lines += [f"  {r['kind']} {r['name']}: {r['reason']}" + (
                  f" (its plan {r['plan_kept']} stays in dim_plan: type its targets with "
                  f"`planwatch targets add --plan {r['plan_kept']}`)" if r.get("plan_kept") else "") for r in refused]
    problems = build.get("review_problems") or []
    if problems:
        lines.append(f"review lines not applied: {len(problems)} (fix them; see marts.review_quarantine):")
        lines += [f"  {p}" for p in problems]
    return lines


# One line per finished step: `planwatch run` shows these (logger planwatch.progress) while
# Prefect's own INFO logs stay in the run's log file and the Prefect UI.
PROGRESS = logging.getLogger("planwatch.progress")
STEPS = 5


def progress(step: int, name: str, outcome: str) -> None:
    line = f"[{step}/{STEPS}] {name}: {outcome}"
    PROGRESS.info(line)
    get_run_logger().info(line)


@flow(name="planwatch-pipeline", log_prints=True)
@writes_warehouse("planwatch-pipeline")
def pipeline(seeds_dir: str | None = None, data_dir: str | None = None, full_refresh: bool = False) -> dict:
    paths = get_paths(seeds_dir, data_dir).ensure()
    seeds, data = str(paths.seeds_dir), str(paths.data_dir)
    plans = ingest_plans(seeds, data)
    progress(1, "ingest plans", f"{plans['documents']} documents, {plans['targets']} targets, "
                                f"{plans['reported_actuals']} reported figures, {plans.get('refused', 0)} refused")
    stats = load_statistics(seeds, data)
    progress(2, "load statistics", stats["line"])
    build = build_warehouse(seeds, data, full_refresh)
    progress(3, "build warehouse", f"{build['models']} models, {build['tests']} data tests, {build['tests_failed']} failed")
    checks = validate(seeds, data)
    progress(4, "validate", f"{checks['failed']} of {checks['evaluated']} expectations failed "
                            f"({checks['failed_errors']} errors, {checks['failed_warnings']} warnings)")
    report = build_report(seeds, data)  # after validate: only a published warehouse is reported
    progress(5, "report", report["index"] if report else "not built")
    refused = refused_inputs(plans, stats)
    lines = summary_lines(plans, stats, build, checks, paths, report, refused)
    create_markdown_artifact(key="pipeline-summary", markdown="```\n" + "\n".join(lines) + "\n```", description="planwatch run")
    return {"plans": plans, "statistics": stats, "build": build, "validation": checks, "report": report, "summary": lines,
            "refused": refused}


if __name__ == "__main__":
    pipeline()
