"""Extractions → landing Parquet files → the raw layer.

The ingest flow passes the landing folder's path from the extract task to the
load task. A document whose name, content, plan and extractor version are
already in raw.plan_documents is not loaded again (two byte-identical files under
two manifest rows are two plans, each loaded once). A document that cannot be
read is quarantined (raw.document_quarantine), and every run records which
documents it saw in which state (raw.plan_document_events): staging counts each
document's latest state only. The manifest's rows are recorded too (raw.plan_manifest, a load
whenever they change), so that a plan whose document cannot be read is still a plan.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from planwatch.plans.extract import ACTUAL_COLUMNS, TARGET_COLUMNS, Extraction
from planwatch.plans.model import MENTION_COLUMNS
from planwatch.warehouse import append_parquet, log_load, new_load_id, raw_connection

_INT = {"year", "baseline_year", "source_line", "line", "period_start"}
_FLOAT = {"baseline_value_canonical", "value", "value_canonical", "low", "high", "baseline_value", "match_score", "factor"}
_BOOL = {"stretch", "cumulative", "per_year"}
CONFLICT_COLUMNS = ["conflict_group", "document", "line", "source", "indicator_as_written", "indicator_code", "year", "value", "unit", "source_text",
                    "source_text_normalised"]


def _arrow_table(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    """A typed Arrow table, so an all-empty column still has its real type in raw."""
    arrays, fields = [], []
    for col in columns:
        values = frame[col].tolist() if col in frame.columns else [None] * len(frame)
        values = [None if (v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v))) else v for v in values]
        if col in _INT:
            typ, values = pa.int64(), [None if v is None else int(v) for v in values]
        elif col in _FLOAT:
            typ, values = pa.float64(), [None if v is None else float(v) for v in values]
        elif col in _BOOL:
            typ, values = pa.bool_(), [None if v is None else bool(v) for v in values]
        else:
            typ, values = pa.string(), [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=typ))
        fields.append(pa.field(col, typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def plan_key(document: str, manifest_rows: list[dict]) -> str:
    """The document's name and its manifest rows (normally one): what, besides content and rules, an extraction depends on."""
    rows = [{k: v for k, v in row.items() if k != "manifest_row"} for row in manifest_rows]
    text = json.dumps([document, rows], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def landing_path(landing_dir: Path, sha256: str, version: str, key: str) -> Path:
    return Path(landing_dir) / "plans" / f"{sha256[:16]}-{key}-v{version}"


def land_extraction(extraction: Extraction, landing_dir: Path, version: str, key: str) -> Path:
    out = landing_path(landing_dir, extraction.document.sha256, version, key)
    out.mkdir(parents=True, exist_ok=True)
    mentions = extraction.mentions.copy()
    if "region_code" not in mentions.columns:
        mentions["region_code"] = extraction.context.region_code
    mention_cols = MENTION_COLUMNS + ["indicator_code", "match_score", "match_method", "canonical_unit", "value_canonical", "unit_issue", "region", "region_code", "area_rule", "area_as_written", "plan_id", "document_sha256"]
    pq.write_table(_arrow_table(extraction.targets, TARGET_COLUMNS), out / "targets.parquet")
    pq.write_table(_arrow_table(extraction.actuals, ACTUAL_COLUMNS), out / "actuals.parquet")
    pq.write_table(_arrow_table(mentions, mention_cols), out / "mentions.parquet")
    pq.write_table(_arrow_table(extraction.conflicts, CONFLICT_COLUMNS), out / "conflicts.parquet")
    ctx = extraction.context
    (out / "document.json").write_text(json.dumps({
        "document": extraction.document.name,
        "document_sha256": extraction.document.sha256,
        "extractor_version": version,
        "plan_id": ctx.plan_id, "region_code": ctx.region_code, "region_name": ctx.region_name,
        "plan_kind": ctx.plan_kind, "start_year": ctx.start_year, "end_year": ctx.end_year, "title": ctx.title,
        "document_kind": ctx.document_kind, "reference_year": ctx.reference_year,
        "context_source": extraction.how, "line_count": len(extraction.document.lines),
        "targets": len(extraction.targets), "actuals": len(extraction.actuals),
        "unmatched_indicators": sorted(set(
            extraction.targets.loc[extraction.targets["indicator_code"].isna(), "indicator_as_written"].astype(str))),
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def load_landed_plan(landing: Path, raw_db: Path) -> dict:
    """Append one landed extraction to raw; skip when that document version is already there."""
    meta = json.loads((Path(landing) / "document.json").read_text(encoding="utf-8"))
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = new_load_id()
    with raw_connection(raw_db) as con:
        # The same document (name and content) in the same plan context, read by the same rules: loaded already.
        # Years may be unknown (undated documents) and rows loaded before document kinds existed are plans.
        seen = con.execute(
            "select load_id from raw.plan_documents where document = ? and document_sha256 = ? and extractor_version = ? "
            "and plan_id = ? and region_code = ? and region_name = ? and plan_kind = ? and start_year is not distinct from ? "
            "and end_year is not distinct from ? and title is not distinct from ? and coalesce(document_kind, 'plan') = ? "
            "and reference_year is not distinct from ? order by loaded_at desc limit 1",
            [meta["document"], meta["document_sha256"], meta["extractor_version"], meta["plan_id"], meta["region_code"],
             meta["region_name"], meta["plan_kind"], meta["start_year"], meta["end_year"], meta["title"],
             meta.get("document_kind") or "plan", meta.get("reference_year")],
        ).fetchone()
        if seen:
            log_load(con, load_id, loaded_at, "plan_document", meta["document"], meta["document_sha256"],
                     meta["targets"], 0, 0, "skipped", "already loaded with this extractor version")
            return {**meta, "status": "skipped", "load_id": seen[0], "targets_loaded": 0, "actuals_loaded": 0}
        con.execute("begin")
        extra = {"load_id": load_id, "loaded_at": loaded_at, "extractor_version": meta["extractor_version"]}
        n_targets = append_parquet(con, "plan_targets", Path(landing) / "targets.parquet", extra)
        n_actuals = append_parquet(con, "plan_reported_actuals", Path(landing) / "actuals.parquet", extra)
        append_parquet(con, "plan_mentions", Path(landing) / "mentions.parquet", extra)
        append_parquet(con, "plan_conflicts", Path(landing) / "conflicts.parquet", extra)
        document_row = {
            "load_id": load_id, "loaded_at": loaded_at, "document": meta["document"], "document_sha256": meta["document_sha256"],
            "extractor_version": meta["extractor_version"], "plan_id": meta["plan_id"], "region_code": meta["region_code"],
            "region_name": meta["region_name"], "plan_kind": meta["plan_kind"], "start_year": meta["start_year"],
            "end_year": meta["end_year"], "title": meta["title"], "context_source": meta["context_source"],
            "line_count": meta["line_count"], "document_kind": meta.get("document_kind") or "plan",
            "reference_year": meta.get("reference_year"),
        }
        con.execute(f"insert into raw.plan_documents ({', '.join(document_row)}) values ({', '.join('?' for _ in document_row)})",
                    list(document_row.values()))
        log_load(con, load_id, loaded_at, "plan_document", meta["document"], meta["document_sha256"],
                 meta["targets"], n_targets, 0, "loaded")
        con.execute("commit")
    return {**meta, "status": "loaded", "load_id": load_id, "targets_loaded": n_targets, "actuals_loaded": n_actuals}


def _latest_states(con) -> dict[str, tuple]:
    """document → (status, sha256, plan_id, load_id) of its latest event."""
    rows = con.execute("""
        select document, status, document_sha256, plan_id, load_id from raw.plan_document_events
        qualify row_number() over (partition by document order by seen_at desc, run_id desc) = 1
    """).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def quarantine_document(raw_db: Path, document: str, sha256: str, plan_id: str | None, manifest_row: int | None,
                        reason_kind: str, reason: str) -> dict:
    """Record a refused document: a raw.load_log row (failed) every time, a raw.document_quarantine row when the
    refusal is new (this document with this content was never refused for this reason before)."""
    refused_at = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = new_load_id()
    with raw_connection(raw_db) as con:
        con.execute("begin")
        log_load(con, load_id, refused_at, "plan_document", document, sha256, None, 0, None, "failed", f"{reason_kind}: {reason}")
        same = con.execute(
            "select load_id, refused_at from raw.document_quarantine where document = ? and document_sha256 = ? "
            "and reason_kind = ? and reason = ? and plan_id is not distinct from ? and manifest_row is not distinct from ? "
            "order by refused_at limit 1", [document, sha256, reason_kind, reason, plan_id, manifest_row]).fetchone()
        if same:
            load_id, refused_at = same
        else:
            con.execute("insert into raw.document_quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [load_id, refused_at, document, sha256, plan_id, manifest_row, reason_kind, reason])
        con.execute("commit")
    return {"document": document, "document_sha256": sha256, "plan_id": plan_id, "manifest_row": manifest_row,
            "reason_kind": reason_kind, "reason": reason, "load_id": load_id, "refused_at": str(refused_at),
            "status": "refused"}


MANIFEST_FIELDS = ("document", "plan_id", "region_name", "region_code", "level", "province", "plan_kind", "document_kind",
                   "start_year", "end_year", "title", "issuer", "published", "year_note")


def manifest_rows(manifest: pd.DataFrame, resolver) -> list[dict]:
    """The manifest's rows as written (optional columns it lacks: empty), each with the problem ingest refuses it for."""
    from planwatch.plans.document_context import ManifestError, check_manifest_row

    rows = []
    for record in manifest.to_dict("records"):
        row = {"manifest_row": int(record["manifest_row"])} | {f: (record.get(f) or None) for f in MANIFEST_FIELDS}
        try:
            check_manifest_row(record["document"], manifest, resolver)
            row["problem_kind"] = row["problem"] = None
        except ManifestError as exc:
            row["problem_kind"], row["problem"] = exc.kind, exc.reason
        rows.append(row)
    return rows


def load_plan_manifest(raw_db: Path, manifest_path: Path, rows: list[dict]) -> dict:
    """Record the manifest's rows (manifest_rows) in raw.plan_manifest as a new load, unless the latest load holds
    the same rows (then a `skipped` raw.load_log row only): a re-run never duplicates them."""
    manifest_path = Path(manifest_path)
    sha = hashlib.sha256(manifest_path.read_bytes() if manifest_path.is_file() else b"").hexdigest()
    columns = ["manifest_sha256", "manifest_row", *MANIFEST_FIELDS, "problem_kind", "problem"]
    new = sorted(tuple([sha] + [r[c] for c in columns[1:]]) for r in rows)
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = new_load_id()
    with raw_connection(raw_db) as con:
        con.execute("begin")
        latest = con.execute("select load_id from raw.load_log where kind = 'plan_manifest' and status = 'loaded' "
                             "order by loaded_at desc, load_id desc limit 1").fetchone()
        held = sorted(con.execute(f"select {', '.join(columns)} from raw.plan_manifest where load_id = ?",
                                  [latest[0]]).fetchall()) if latest else None
        if held == new:
            log_load(con, load_id, loaded_at, "plan_manifest", manifest_path.name, sha, len(rows), 0, 0, "skipped",
                     "these manifest rows are loaded already")
            con.execute("commit")
            return {"status": "skipped", "load_id": latest[0], "rows": len(rows)}
        if new:
            con.executemany(f"insert into raw.plan_manifest (load_id, loaded_at, {', '.join(columns)}) "
                            f"values (?, ?, {', '.join('?' for _ in columns)})", [[load_id, loaded_at, *r] for r in new])
        refused = sum(r["problem"] is not None for r in rows)
        log_load(con, load_id, loaded_at, "plan_manifest", manifest_path.name, sha, len(rows), len(rows), refused, "loaded")
        con.execute("commit")
    return {"status": "loaded", "load_id": load_id, "rows": len(rows)}


def record_document_states(raw_db: Path, run_id: str, seen: list[dict]) -> list[str]:
    """Append the state of every document this run saw, where it changed, and `removed` for documents no longer
    there; returns the documents removed. `seen`: dicts with document, document_sha256, plan_id, status
    (present | quarantined) and load_id."""
    seen_at = datetime.now(timezone.utc).replace(tzinfo=None)
    with raw_connection(raw_db) as con:
        con.execute("begin")
        latest = _latest_states(con)
        # Documents loaded before states were recorded count as present until a run says otherwise.
        for document, sha, plan, load in con.execute("""
                select document, document_sha256, plan_id, load_id from raw.plan_documents
                qualify row_number() over (partition by document order by loaded_at desc) = 1""").fetchall():
            latest.setdefault(document, ("present", sha, plan, load))
        rows = []
        for s in seen:
            state = (s["status"], s["document_sha256"], s["plan_id"], s["load_id"])
            if latest.get(s["document"]) != state:
                rows.append([run_id, seen_at, s["document"], *state[1:3], state[0], state[3]])
        names = {s["document"] for s in seen}
        removed = sorted(d for d, state in latest.items() if d not in names and state[0] != "removed")
        rows += [[run_id, seen_at, d, None, latest[d][2], "removed", None] for d in removed]
        if rows:
            con.executemany("insert into raw.plan_document_events (run_id, seen_at, document, document_sha256, plan_id, "
                            "status, load_id) values (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("commit")
    return removed
