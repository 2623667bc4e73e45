"""extract-documents: extraction mapped over plan documents on the task runner of planwatch.task_runners.

A subflow of ingest-plans, so that each ingest run takes the runner its settings name when it
starts (a local Dask cluster by default). The documents go out in batches, several per worker:
one Prefect task run costs about as much as extracting ten documents (its states go through the
API server), and reading the manifest and the reference costs more than one document, so a task
reads them once for its batch. Tasks get and
return paths: documents' paths in, landing folders' paths out; the loading into DuckDB stays
with ingest-plans, one writer. This module is imported as flows.extract_documents wherever the
flow is loaded from, so Dask workers elsewhere can import the task by name.
"""

from __future__ import annotations

import math
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE

from planwatch.config import get_paths
from planwatch.plans.extract import extract_each
from planwatch.plans.load import land_extraction, landing_path
from planwatch.plans.reading import DocumentError
from planwatch.task_runners import cluster_settings, extraction_task_runner

BATCHES_PER_WORKER = 8  # enough that a worker given long documents does not hold up the end


# Retried whole for what may pass next time (a locked file, a full disk); documents landed by the failed
# try are not read again. A document that cannot be read is an answer, not a failure: never retried.
@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def extract_batch(jobs: list[dict], extractor_version: str, seeds_dir: str, data_dir: str) -> list:
    """Each job's landing folder, or its document's DocumentError; documents landed by an earlier run (same
    content, plan and rules) are not read again."""
    paths = get_paths(seeds_dir, data_dir)
    results = {}
    for i, job in enumerate(jobs):
        out = landing_path(paths.landing_dir, job["content_sha256"], extractor_version, job["plan_key"])
        if (out / "document.json").exists():
            results[i] = str(out)
    todo = [i for i in range(len(jobs)) if i not in results]
    extracted = extract_each([Path(jobs[i]["document"]) for i in todo], paths.plans_dir, paths.reference_dir)
    for i, extraction in zip(todo, extracted):
        results[i] = extraction if isinstance(extraction, DocumentError) else str(
            land_extraction(extraction, paths.landing_dir, extractor_version, jobs[i]["plan_key"]))
    return [results[i] for i in range(len(jobs))]


def batches(jobs: list, workers: int) -> list[list]:
    """The jobs in order, cut into about BATCHES_PER_WORKER batches per worker."""
    size = max(1, math.ceil(len(jobs) / (BATCHES_PER_WORKER * max(workers, 1))))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


@flow(name="extract-documents")
def extract_documents(jobs: list[dict], extractor_version: str, seeds_dir: str, data_dir: str) -> list:
    """Each job's landing folder (a str) or the DocumentError that refused its document, in the jobs' order.

    A job is {"document": path, "content_sha256": …, "plan_key": …}. Any other failure fails the flow.
    """
    settings = cluster_settings()
    parts = batches(jobs, settings.workers)
    get_run_logger().info("extracting %d documents in %d batches on %s", len(jobs), len(parts), settings.describe())
    futures = extract_batch.map(parts, unmapped(extractor_version), unmapped(seeds_dir), unmapped(data_dir))
    return [result for future in futures for result in future.result()]


def extract_all(jobs: list[dict], extractor_version: str, seeds_dir: str, data_dir: str) -> list:
    """extract-documents on the runner the settings name now."""
    if not jobs:
        return []
    return extract_documents.with_options(task_runner=extraction_task_runner())(jobs, extractor_version, seeds_dir, data_dir)
