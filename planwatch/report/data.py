"""What the report reads from the published warehouse (read-only) and the GX results."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planwatch.statuses import load_statuses

# Status labels, order and colours (Okabe-Ito, colour-blind safe; text colour chosen for contrast on
# each fill) come from the one list of statuses, seeds/reference/progress_statuses.csv. Every badge
# also carries its label, so colour is never the only channel.
def status_styles() -> dict[str, dict[str, str]]:
    """Status code → badge style and labels, in display order (best first)."""
    return {s.code: {"bg": s.bg, "fg": s.fg, "en": s.en, "zh": s.zh, "order": str(s.order)} for s in load_statuses()}


def urgency_order() -> list[str]:
    """The judged statuses, most urgent first (the display order reversed): the report lists indicators so."""
    return [s.code for s in reversed(load_statuses()) if s.assessment != "unjudged"]


def behind_statuses() -> set[str]:
    """The statuses whose assessment is behind (a binding target in one is listed first)."""
    return {s.code for s in load_statuses() if s.assessment == "behind"}


UNKNOWN_STYLE = {"bg": "#bdbdbd", "fg": "#000000", "order": "99"}

SEVERITY_ORDER = {"error": 0, "critical": 0, "warning": 1, "info": 2}


def status_style(status: str | None, status_zh: str | None = None) -> dict[str, str]:
    """Colour and labels of a status; statuses the report does not know get a neutral grey."""
    key = status or "unknown"
    base = status_styles().get(key)
    if base is None:
        base = {**UNKNOWN_STYLE, "en": key.replace("_", " "), "zh": status_zh or key}
    style = dict(base)
    style["key"] = key
    if status_zh:
        style["zh"] = status_zh
    return style


@dataclass
class WarehouseData:
    tva: pd.DataFrame
    targets: pd.DataFrame | None
    regions: pd.DataFrame | None
    indicators: pd.DataFrame | None
    quality_flags: pd.DataFrame | None
    tables: set[str] = field(default_factory=set)
    refused_documents: pd.DataFrame | None = None  # marts.document_quarantine
    refused_files: pd.DataFrame | None = None  # marts.statistics_file_quarantine
    actual_sources: pd.DataFrame | None = None  # marts.dim_actual_source: the ranked kinds of source of actuals
    figure_review: pd.DataFrame | None = None  # marts.figure_review: the reviewers' queue over what was read
    review_quarantine: pd.DataFrame | None = None  # marts.review_quarantine: review lines not applied
    unmapped: pd.DataFrame | None = None  # marts.unmapped_indicators: names the catalog does not know, a queue of its own
    scorecard: pd.DataFrame | None = None  # marts.region_scorecard: status counts and the Open SDG score and rank per region × year
    history: pd.DataFrame | None = None  # chosen full-year levels of marts.fct_statistic, every year (before the plans too)
    trends: pd.DataFrame | None = None  # marts.fct_indicator_trend: each region × indicator series' Open SDG trend


def _frame(reader, sql: str) -> pd.DataFrame:
    return reader.frame(sql)


def load_warehouse(warehouse_db: Path) -> WarehouseData:
    """The marts the report shows, read through the warehouse reader (the DuckDB file, or PostgreSQL)."""
    from planwatch.warehouse import read_warehouse

    with read_warehouse(Path(warehouse_db)) as con:
        tables = con.tables("marts")
        if "target_vs_actual" not in tables:
            raise ValueError(f"{con.where}: marts.target_vs_actual is missing")
        tva = _frame(con, "select * from marts.target_vs_actual order by region_code, indicator_code, plan_id, year")
        targets = _frame(con, "select * from marts.fct_plan_target") if "fct_plan_target" in tables else None
        regions = _frame(con, "select * from marts.dim_region") if "dim_region" in tables else None
        indicators = _frame(con, "select * from marts.dim_indicator") if "dim_indicator" in tables else None
        flags = _frame(con, "select * from marts.quality_flags") if "quality_flags" in tables else None
        documents = (_frame(con, "select * from marts.document_quarantine order by document")
                     if "document_quarantine" in tables else None)
        files = (_frame(con, "select * from marts.statistics_file_quarantine order by file, sheet")
                 if "statistics_file_quarantine" in tables else None)
        actual_sources = (_frame(con, "select * from marts.dim_actual_source order by source_rank")
                          if "dim_actual_source" in tables else None)
        figure_review = (_frame(con, "select * from marts.figure_review order by match_score nulls last, region_name, "
                                     "document, source_line, figure_key") if "figure_review" in tables else None)
        review_quarantine = (_frame(con, "select * from marts.review_quarantine order by file_name, file_line")
                             if "review_quarantine" in tables else None)
        unmapped = (_frame(con, "select * from marts.unmapped_indicators order by target_count desc, region_code, "
                                "indicator_as_written") if "unmapped_indicators" in tables else None)
        scorecard = (_frame(con, "select * from marts.region_scorecard order by year, region_code")
                     if "region_scorecard" in tables else None)
        # the year's actual as target_vs_actual would choose it: the chosen full-year level of each year
        history = (_frame(con, "select region_code, indicator_code, cast(extract(year from period_end) as bigint) as year, "
                               "value, period_label, source_kind, actual_source from marts.fct_statistic "
                               "where is_chosen and measure = 'level' and period_type = 'year' "
                               "order by region_code, indicator_code, year")
                   if "fct_statistic" in tables else None)
        trends = _frame(con, "select * from marts.fct_indicator_trend") if "fct_indicator_trend" in tables else None
    return WarehouseData(tva=tva, targets=targets, regions=regions, indicators=indicators, quality_flags=flags, tables=tables,
                         refused_documents=documents, refused_files=files, actual_sources=actual_sources,
                         figure_review=figure_review, review_quarantine=review_quarantine, unmapped=unmapped,
                         scorecard=scorecard, history=history, trends=trends)


# --- GX validation results (used when the warehouse has no marts.quality_flags) ---------------

def _validation_files(reports_dir: Path) -> list[Path]:
    files: list[Path] = []
    for sub in ("gx_validations", "validation"):
        root = reports_dir / sub
        if root.is_dir():
            files += [p for p in root.rglob("*.json") if "frames" not in p.parts]
    return files


def latest_gx_results(reports_dir: Path) -> list[dict]:
    """The latest validation result per suite and batch: [{suite, run_time, file, success, results}]."""
    latest: dict[tuple[str, str], dict] = {}
    for path in _validation_files(Path(reports_dir)):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict) or "results" not in doc:
            continue
        meta = doc.get("meta") or {}
        run_time = str(((meta.get("run_id") or {}).get("run_time")) or meta.get("validation_time") or "")
        suite = doc.get("suite_name") or meta.get("expectation_suite_name") or path.parent.parent.parent.name
        asset = ((meta.get("active_batch_definition") or {}).get("data_asset_name")) or path.stem
        key = (suite, asset)
        if key not in latest or run_time > latest[key]["run_time"]:
            latest[key] = {"suite": suite, "asset": asset, "run_time": run_time, "file": path,
                           "success": doc.get("success"), "results": doc.get("results") or []}
    return sorted(latest.values(), key=lambda r: (r["suite"], r["asset"]))


def gx_failures(reports_dir: Path, data_docs_index: Path | None) -> tuple[list[dict], str | None]:
    """Failed expectations of the latest run of each suite, with a Data Docs page for each."""
    failures: list[dict] = []
    run_time = None
    for run in latest_gx_results(reports_dir):
        run_time = max(run_time or "", run["run_time"]) or None
        docs_page = None
        if data_docs_index is not None:
            # Data Docs mirror the results store: validations/<suite>/<batch>/<run>/<asset>.html
            rel = None
            for sub in ("gx_validations", "validation"):
                try:
                    rel = run["file"].relative_to(Path(reports_dir) / sub)
                    break
                except ValueError:
                    continue
            if rel is not None:
                candidate = Path(data_docs_index).parent / "validations" / rel.with_suffix(".html")
                if candidate.exists():
                    docs_page = candidate
        for r in run["results"]:
            if r.get("success"):
                continue
            cfg = r.get("expectation_config") or {}
            kwargs = cfg.get("kwargs") or {}
            res = r.get("result") or {}
            severity = str(cfg.get("severity") or "critical").lower()
            samples = res.get("partial_unexpected_counts") or []
            sample_text = "; ".join(
                f"{'(空)' if s.get('value') is None else s.get('value')} ×{s.get('count')}" for s in samples[:5]
            ) or "; ".join(str(v) for v in (res.get("partial_unexpected_list") or [])[:5])
            failures.append({
                "severity": "error" if severity == "critical" else severity,
                "suite": run["suite"],
                "asset": run["asset"],
                "expectation": cfg.get("type") or cfg.get("expectation_type"),
                "column": kwargs.get("column"),
                "description": cfg.get("description") or "",
                "unexpected_count": res.get("unexpected_count"),
                "element_count": res.get("element_count"),
                "unexpected_percent": res.get("unexpected_percent"),
                "sample": sample_text,
                "exception": ((r.get("exception_info") or {}).get("exception_message")),
                "docs_page": docs_page,
                "unexpected_index_list": res.get("unexpected_index_list") or [],
            })
    failures.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 3), f["suite"], str(f["column"])))
    return failures, run_time
