"""extract-documents: extraction mapped over plan documents on the task runner of planwatch.task_runners.

A subflow of ingest-plans, so that each ingest run takes the runner its settings name when it
starts (a local Dask cluster by default). Tasks get and return paths: a document's path in,
its landing folder's path out; the loading into DuckDB stays with ingest-plans, one writer.
This module is imported as flows.extract_documents wherever the flow is loaded from, so Dask
workers elsewhere can import the task by name.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped

from planwatch.config import get_paths
from planwatch.plans.extract import extract_paths
from planwatch.plans.load import land_extraction, landing_path
from planwatch.plans.reading import DocumentError
from planwatch.task_runners import cluster_settings, extraction_task_runner


def _extract_cache_key(context, parameters) -> str:
    """Content hash + plan (name, manifest row) + extractor version; a deleted landing folder forces a fresh parse."""
    paths = get_paths(parameters["seeds_dir"], parameters["data_dir"])
    out = landing_path(paths.landing_dir, parameters["content_sha256"], parameters["extractor_version"], parameters["plan_key"])
    landed = (out / "document.json").exists()
    return "-".join([parameters["content_sha256"], parameters["plan_key"], parameters["extractor_version"],
                     str(paths.data_dir), str(landed)])


def _retry_unless_refused(task, task_run, state) -> bool:
    """Retry what may pass next time (a locked file, a full disk), never a document that cannot be read."""
    return not isinstance(state.result(raise_on_failure=False), DocumentError)


@task(cache_key_fn=_extract_cache_key, persist_result=True, retries=2, retry_delay_seconds=2,
      retry_condition_fn=_retry_unless_refused)
def extract_document(document: str, content_sha256: str, extractor_version: str, plan_key: str, seeds_dir: str,
                     data_dir: str) -> str:
    """Parse one document into landing files; cached on its content hash, its plan and the extractor version (rules + catalog)."""
    paths = get_paths(seeds_dir, data_dir)
    out = landing_path(paths.landing_dir, content_sha256, extractor_version, plan_key)
    if (out / "document.json").exists():
        return str(out)  # landed by an earlier run
    [extraction] = extract_paths([Path(document)], paths.plans_dir, paths.reference_dir)
    return str(land_extraction(extraction, paths.landing_dir, extractor_version, plan_key))


@flow(name="extract-documents")
def extract_documents(jobs: list[dict], extractor_version: str, seeds_dir: str, data_dir: str) -> list:
    """Each job's landing folder (a str) or the DocumentError that refused its document, in the jobs' order.

    A job is {"document": path, "content_sha256": …, "plan_key": …}. Any other failure fails the flow.
    """
    get_run_logger().info("extracting %d documents on %s", len(jobs), cluster_settings().describe())
    futures = extract_document.map(
        document=[j["document"] for j in jobs], content_sha256=[j["content_sha256"] for j in jobs],
        extractor_version=unmapped(extractor_version), plan_key=[j["plan_key"] for j in jobs],
        seeds_dir=unmapped(seeds_dir), data_dir=unmapped(data_dir))
    results = []
    for future in futures:
        try:
            results.append(future.result())
        except DocumentError as exc:
            results.append(exc)
    return results


def extract_all(jobs: list[dict], extractor_version: str, seeds_dir: str, data_dir: str) -> list:
    """extract-documents on the runner the settings name now."""
    if not jobs:
        return []
    runner = extraction_task_runner()
    return extract_documents.with_options(task_runner=runner)(jobs, extractor_version, seeds_dir, data_dir)
