"""ingest-plans: plan documents in seeds/plans → landing Parquet → raw plan targets."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.locks import writes_warehouse
from planwatch.config import get_paths
from planwatch.plans.extract import extract_paths, extraction_version
from planwatch.plans.load import land_extraction, landing_path, load_landed_plan
from planwatch.plans.reading import SUPPORTED_SUFFIXES
from planwatch.warehouse import raw_connection


def plan_documents(plans_dir: Path) -> list[Path]:
    return sorted(p for p in Path(plans_dir).iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith("."))


def _extract_cache_key(context, parameters) -> str:
    """Content hash + extractor version; a landing folder that was deleted forces a fresh parse."""
    paths = get_paths(parameters["seeds_dir"], parameters["data_dir"])
    landed = (landing_path(paths.landing_dir, parameters["content_sha256"], parameters["extractor_version"]) / "document.json").exists()
    return "-".join([parameters["content_sha256"], parameters["extractor_version"], str(paths.data_dir), str(landed)])


@task(cache_key_fn=_extract_cache_key, persist_result=True, retries=2, retry_delay_seconds=2)
def extract_document(document: str, content_sha256: str, extractor_version: str, seeds_dir: str, data_dir: str) -> str:
    """Parse one document into landing files; cached on its content hash and the extractor version (rules + catalog)."""
    paths = get_paths(seeds_dir, data_dir)
    out = landing_path(paths.landing_dir, content_sha256, extractor_version)
    if (out / "document.json").exists():
        return str(out)  # landed by an earlier run
    [extraction] = extract_paths([Path(document)], paths.plans_dir, paths.reference_dir)
    return str(land_extraction(extraction, paths.landing_dir, extractor_version))


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_document(landing: str, data_dir: str, seeds_dir: str) -> dict:
    return load_landed_plan(Path(landing), get_paths(seeds_dir, data_dir).raw_db)


@flow(name="ingest-plans", log_prints=True)
@writes_warehouse("ingest-plans")
def ingest_plans(seeds_dir: str | None = None, data_dir: str | None = None) -> dict:
    """Extract targets from every plan document and append new ones to the raw layer."""
    import hashlib

    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    with raw_connection(paths.raw_db):
        pass  # create the raw tables before anything reads them
    results = []
    version = extraction_version(paths.reference_dir)
    for document in plan_documents(paths.plans_dir):
        sha = hashlib.sha256(document.read_bytes()).hexdigest()
        landing = extract_document(str(document), sha, version, str(paths.seeds_dir), str(paths.data_dir))
        results.append(load_document(landing, str(paths.data_dir), str(paths.seeds_dir)))
    rows = [{"document": r["document"], "region": r["region_name"], "plan": r["plan_id"], "targets": r["targets"],
             "reported_actuals": r["actuals"], "unmatched_indicators": len(r.get("unmatched_indicators", [])),
             "status": r["status"]} for r in results]
    create_table_artifact(key="ingest-plans-summary", table=rows, description="Plan documents read and targets extracted")
    summary = {
        "documents": len(results),
        "targets": sum(r["targets"] for r in results),
        "reported_actuals": sum(r["actuals"] for r in results),
        "loaded": sum(1 for r in results if r["status"] == "loaded"),
    }
    unmatched = sorted({name for r in results for name in r.get("unmatched_indicators", [])})
    if unmatched:
        create_markdown_artifact(
            key="unmatched-indicators",
            markdown="Indicator names the catalog does not know (targets kept with an empty code; add aliases in "
                     "`seeds/reference/indicator_aliases.csv`):\n\n" + "\n".join(f"- {n}" for n in unmatched),
            description="Unmatched indicator names for review",
        )
    summary["unmatched_indicators"] = len(unmatched)
    logger.info("ingest-plans: %s", summary)
    return summary


if __name__ == "__main__":
    ingest_plans()
