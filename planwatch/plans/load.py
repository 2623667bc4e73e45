"""Extractions → landing Parquet files → the raw layer.

The ingest flow passes the landing folder's path from the extract task to the
load task. A document whose content and extractor version are already in
raw.plan_documents is not loaded again.
"""

from __future__ import annotations

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
CONFLICT_COLUMNS = ["conflict_group", "document", "line", "source", "indicator_as_written", "indicator_code", "year", "value", "unit", "source_text"]


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


def landing_path(landing_dir: Path, sha256: str, version: str) -> Path:
    return Path(landing_dir) / "plans" / f"{sha256[:16]}-v{version}"


def land_extraction(extraction: Extraction, landing_dir: Path, version: str) -> Path:
    out = landing_path(landing_dir, extraction.document.sha256, version)
    out.mkdir(parents=True, exist_ok=True)
    mentions = extraction.mentions.copy()
    if "region_code" not in mentions.columns:
        mentions["region_code"] = extraction.context.region_code
    mention_cols = MENTION_COLUMNS + ["indicator_code", "match_score", "match_method", "canonical_unit", "value_canonical", "unit_issue", "region", "region_code", "plan_id", "document_sha256"]
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
        seen = con.execute(
            "select count(*) from raw.plan_documents where document_sha256 = ? and extractor_version = ?",
            [meta["document_sha256"], meta["extractor_version"]],
        ).fetchone()[0]
        if seen:
            log_load(con, load_id, loaded_at, "plan_document", meta["document"], meta["document_sha256"],
                     meta["targets"], 0, 0, "skipped", "already loaded with this extractor version")
            return {**meta, "status": "skipped", "targets_loaded": 0, "actuals_loaded": 0}
        con.execute("begin")
        extra = {"load_id": load_id, "loaded_at": loaded_at, "extractor_version": meta["extractor_version"]}
        n_targets = append_parquet(con, "plan_targets", Path(landing) / "targets.parquet", extra)
        n_actuals = append_parquet(con, "plan_reported_actuals", Path(landing) / "actuals.parquet", extra)
        append_parquet(con, "plan_mentions", Path(landing) / "mentions.parquet", extra)
        append_parquet(con, "plan_conflicts", Path(landing) / "conflicts.parquet", extra)
        con.execute(
            "insert into raw.plan_documents values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, loaded_at, meta["document"], meta["document_sha256"], meta["extractor_version"], meta["plan_id"],
             meta["region_code"], meta["region_name"], meta["plan_kind"], meta["start_year"], meta["end_year"],
             meta["title"], meta["context_source"], meta["line_count"]],
        )
        log_load(con, load_id, loaded_at, "plan_document", meta["document"], meta["document_sha256"],
                 meta["targets"], n_targets, 0, "loaded")
        con.execute("commit")
    return {**meta, "status": "loaded", "targets_loaded": n_targets, "actuals_loaded": n_actuals}
