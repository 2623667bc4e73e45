"""ingest-plans: plan documents in seeds/plans → landing Parquet → raw plan targets.

A document that cannot be read, extracted or placed in a plan (its manifest row is wrong) is
quarantined with its reason and the flow goes on with the next one; every run records which
documents it saw, so that removed and replaced documents stop counting in the warehouse, and the
manifest's rows, so that a plan whose document is refused is still a plan (raw.plan_manifest).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.extract_documents import extract_all
from flows.locks import writes_warehouse
from planwatch.config import get_paths
from planwatch.plans.extract import ManifestError, extraction_version, load_manifest
from planwatch.plans.load import (
    load_landed_plan,
    load_plan_manifest,
    manifest_rows,
    plan_key,
    quarantine_document,
    record_document_states,
)
from planwatch.plans.reading import SUPPORTED_SUFFIXES, UNREADABLE_SUFFIXES, DocumentError
from planwatch.warehouse import new_load_id, raw_connection


def plan_documents(plans_dir: Path) -> list[Path]:
    """Plan documents in the folder: those planwatch reads, and those in formats it cannot read (to be refused)."""
    suffixes = SUPPORTED_SUFFIXES + UNREADABLE_SUFFIXES
    return sorted(p for p in Path(plans_dir).iterdir() if p.suffix.lower() in suffixes and not p.name.startswith(".") and p.is_file())


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_document(landing: str, data_dir: str, seeds_dir: str) -> dict:
    return load_landed_plan(Path(landing), get_paths(seeds_dir, data_dir).raw_db)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def refuse_document(document: str, content_sha256: str, plan_id: str | None, manifest_row: int | None, reason_kind: str,
                    reason: str, data_dir: str, seeds_dir: str) -> dict:
    return quarantine_document(get_paths(seeds_dir, data_dir).raw_db, document, content_sha256, plan_id, manifest_row,
                               reason_kind, reason)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def record_manifest(data_dir: str, seeds_dir: str) -> dict:
    """The manifest's rows, checked, into raw.plan_manifest: its plans count even when their documents cannot be read."""
    from planwatch.regions import RegionResolver

    paths = get_paths(seeds_dir, data_dir)
    rows = manifest_rows(load_manifest(paths.plans_dir), RegionResolver.default(paths.reference_dir))
    return load_plan_manifest(paths.raw_db, paths.plan_manifest, rows)


@flow(name="ingest-plans", log_prints=True)
@writes_warehouse("ingest-plans")
def ingest_plans(seeds_dir: str | None = None, data_dir: str | None = None) -> dict:
    """Extract targets from every plan document and append new ones to the raw layer; quarantine the unreadable."""
    logger = get_run_logger()
    paths = get_paths(seeds_dir, data_dir).ensure()
    with raw_connection(paths.raw_db):
        pass  # create the raw tables before anything reads them
    run_id = new_load_id()
    results, refused, states = [], [], []
    version = extraction_version(paths.reference_dir)
    manifest = load_manifest(paths.plans_dir)  # a manifest without its columns stops the run: no document could be placed
    manifest_load = record_manifest(str(paths.data_dir), str(paths.seeds_dir))
    jobs = []
    for document in plan_documents(paths.plans_dir):
        rows = manifest[manifest["document"] == document.name].to_dict("records") if len(manifest) else []
        jobs.append({"document": str(document), "content_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
                     "plan_key": plan_key(document.name, rows), "row": rows[0] if rows else None})
    # extraction fanned out (planwatch.task_runners); loading below, in document order, one writer
    extracted = extract_all([{k: j[k] for k in ("document", "content_sha256", "plan_key")} for j in jobs], version,
                            str(paths.seeds_dir), str(paths.data_dir))
    for job, landing in zip(jobs, extracted):
        document, sha, row = Path(job["document"]), job["content_sha256"], job["row"]
        if isinstance(landing, DocumentError):
            exc = landing
            logger.warning("refused %s: %s", document.name, exc.reason)
            plan_id = (row["plan_id"] or None) if row else None
            manifest_row = int(row["manifest_row"]) if row else None
            r = refuse_document(document.name, sha, plan_id, manifest_row, exc.kind, exc.reason,
                                str(paths.data_dir), str(paths.seeds_dir))
            # its manifest row is fine, only the document is not: the plan stays (dim_plan), its targets typed by hand
            r["plan_kept"] = plan_id is not None and not isinstance(exc, ManifestError)
            refused.append(r)
            states.append({"document": r["document"], "document_sha256": sha, "plan_id": r["plan_id"],
                           "status": "quarantined", "load_id": r["load_id"]})
            continue
        r = load_document(landing, str(paths.data_dir), str(paths.seeds_dir))
        results.append(r)
        states.append({"document": r["document"], "document_sha256": r["document_sha256"], "plan_id": r["plan_id"],
                       "status": "present", "load_id": r["load_id"]})
    removed = record_document_states(paths.raw_db, run_id, states)
    rows = [{"document": r["document"], "region": r["region_name"], "plan": r["plan_id"], "targets": r["targets"],
             "reported_actuals": r["actuals"], "unmatched_indicators": len(r.get("unmatched_indicators", [])),
             "status": r["status"], "reason": ""} for r in results]
    rows += [{"document": r["document"], "region": "", "plan": r["plan_id"] or "", "targets": 0, "reported_actuals": 0,
              "unmatched_indicators": 0, "status": "refused", "reason": f"{r['reason_kind']}: {r['reason']}"} for r in refused]
    rows += [{"document": d, "region": "", "plan": "", "targets": 0, "reported_actuals": 0, "unmatched_indicators": 0,
              "status": "removed", "reason": "no longer in seeds/plans; its targets leave the warehouse"} for d in removed]
    create_table_artifact(key="ingest-plans-summary", table=rows, description="Plan documents read and targets extracted")
    if refused:
        create_markdown_artifact(
            key="refused-documents",
            markdown="Plan documents refused (quarantined whole; see `marts.document_quarantine` after the build):\n\n"
                     + "\n".join(f"- `{r['document']}` — {r['reason_kind']}: {r['reason']}" for r in refused),
            description="Refused plan documents with reasons",
        )
    summary = {
        "documents": len(results),
        "targets": sum(r["targets"] for r in results),
        "reported_actuals": sum(r["actuals"] for r in results),
        "loaded": sum(1 for r in results if r["status"] == "loaded"),
        "refused": len(refused),
        "refused_documents": [{k: r[k] for k in ("document", "plan_id", "manifest_row", "reason_kind", "reason",
                                                                  "plan_kept")} for r in refused],
        "removed_documents": removed,
        "manifest_rows": manifest_load["rows"],
        "document_rows": rows,
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
    logger.info("ingest-plans: %s", {k: v for k, v in summary.items() if k != "document_rows"})
    return summary


if __name__ == "__main__":
    ingest_plans()
