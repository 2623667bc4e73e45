"""Build the static HTML progress report from the published warehouse.

    build_report(warehouse_db, out_dir, data_docs_index) -> out_dir / "index.html"

Pages (all relative links, so the folder opens from disk and can be copied elsewhere):
- index.html           status grid (indicator × region), status counts per region, legend;
- region-<code>.html   one chart per indicator and the figures with their sources;
- quality.html         open quality flags (marts.quality_flags, else failed GX expectations)
                       with links to the GX Data Docs.
The folder is written aside and swapped in, so a reader never sees half a report.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from planwatch.report.data import (
    SEVERITY_ORDER,
    WarehouseData,
    gx_failures,
    load_warehouse,
    status_style,
    behind_statuses,
    status_styles,
    urgency_order,
)
from planwatch.report.svg import ActualPoint, ChartData, TargetPoint, fmt_number, render_chart
from planwatch.plans.table_columns import target_attributes
from planwatch.statuses import eurostat_trend_labels, open_sdg_labels
from planwatch.warehouse import warehouse_label

TEMPLATES = Path(__file__).parent / "templates"

# The offending rows a failed expectation lists: the frames' readable identity (region name, indicator,
# period, value: planwatch.validation.IDENTITY_COLUMNS), then where the figure came from.
FRAME_COLUMNS = ["region", "indicator", "period", "value", "unit", "plan_id", "indicator_as_written", "unit_issue",
                 "conflict_group", "document", "source_line", "evidence_file", "evidence_row", "source_text"]


def _none(v):
    """pandas missing values (NaN, NA, NaT) as None."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _int(v):
    v = _none(v)
    return None if v is None else int(v)


def _float(v):
    v = _none(v)
    return None if v is None else float(v)


def _rel(target: Path | None, start: Path) -> str | None:
    if target is None:
        return None
    return Path(os.path.relpath(Path(target).resolve(), Path(start).resolve())).as_posix()


def _is_url(s) -> bool:
    return isinstance(s, str) and s.startswith(("http://", "https://"))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = fmt_number
    env.filters["pct"] = lambda v: "–" if _none(v) is None else f"{100 * float(v):.0f}%"
    env.globals["is_url"] = _is_url
    return env


def region_page_name(region_code: str) -> str:
    return f"region-{region_code}.html"


@dataclass
class Cell:
    region_code: str
    indicator_code: str
    plan_id: str
    year: int | None
    status: dict
    reason: str | None
    actual_period: str | None


def _latest_rows(tva: pd.DataFrame) -> pd.DataFrame:
    """Per region × indicator × plan: the latest year with an actual, else the plan's last year."""
    if tva.empty:
        return tva
    t = tva.copy()
    t["_has_actual"] = t["actual_value"].notna()
    t = t.sort_values(["region_code", "indicator_code", "plan_id", "_has_actual", "year"])
    return t.groupby(["region_code", "indicator_code", "plan_id"], as_index=False, sort=False).tail(1)


def _target_sources(targets: pd.DataFrame | None) -> dict[tuple[str, str, int], list[dict]]:
    """(plan, indicator, year) → the plan lines that state a target for that year."""
    out: dict[tuple[str, str, int], list[dict]] = {}
    if targets is None or targets.empty:
        return out
    for r in targets.itertuples(index=False):
        code = _none(getattr(r, "indicator_code", None))
        year = _int(getattr(r, "target_year", None))
        if code is None or year is None:
            continue
        key = (r.plan_id, code, year)
        entry = {
            "document": _none(getattr(r, "document", None)),
            "line": _int(getattr(r, "source_line", None)),
            "text": _none(getattr(r, "source_text", None)),
            "value": _float(getattr(r, "value_as_written", None)),
            "unit": _none(getattr(r, "unit_as_written", None)),
            "target_type": _none(getattr(r, "target_type", None)),
            # extractor, reviewer (edited) or manual (typed by hand): the line is then the reviewer's word, not a reading
            "entered_by": _none(getattr(r, "entered_by", None)),
        }
        if entry not in out.setdefault(key, []):
            out[key].append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: (e["document"] or "", e["line"] or 0))
    return out


def _source_labels(actual_sources: pd.DataFrame | None) -> dict[str, str]:
    """source_kind → its Chinese name, best-ranked first (empty for a warehouse built before sources were ranked)."""
    if actual_sources is None or actual_sources.empty:
        return {}
    return {r.source_kind: _none(r.label_zh) or r.source_kind for r in actual_sources.itertuples(index=False)}


def _actual_provenance(r, labels: dict[str, str]) -> dict:
    """Where a row's actual comes from: source kind and its name, the file or document, row or line, and the
    exact text for figures read from a document. Warehouses built before actuals had provenance give Nones."""
    kind = _none(getattr(r, "actual_source_kind", None))
    document = _none(getattr(r, "actual_document", None))
    return {
        "actual_source_kind": kind,
        "actual_source_label": labels.get(kind, kind) if kind else None,
        "actual_document": Path(document).name if document else None,
        "actual_line": _int(getattr(r, "actual_line", None)),
        "actual_text": _none(getattr(r, "actual_text", None)),
        "actual_agreement": _none(getattr(r, "actual_agreement", None)),
    }


def _region_history(data: WarehouseData, region_code: str) -> dict[str, dict]:
    """indicator → {"before": [(year, value, period)…] the full-year actuals before its plans' first year,
    "trend": its fct_indicator_trend row}: history the target rows, which cover the plan years only, leave out."""
    out: dict[str, dict] = {}
    if data.history is not None and not data.history.empty:
        h = data.history[data.history["region_code"].astype(str) == region_code]
        for r in h.drop_duplicates(["indicator_code", "year"]).itertuples(index=False):
            out.setdefault(r.indicator_code, {"levels": [], "trend": None})["levels"].append(
                (int(r.year), float(r.value), _none(r.period_label) or str(r.year)))
    for code, trend in _region_trends(data, region_code).items():
        out.setdefault(code, {"levels": [], "trend": None})["trend"] = trend
    return out


def _region_trends(data: WarehouseData, region_code: str) -> dict[str, dict]:
    """indicator → its fct_indicator_trend row for the region: the Open SDG band and score and the Eurostat band of
    its growth, each with its Chinese label from its seed (open_sdg_categories, eurostat_trend_categories)."""
    if data.trends is None or data.trends.empty:
        return {}
    t = data.trends[data.trends["region_code"].astype(str) == region_code]
    open_sdg, eurostat = open_sdg_labels(), eurostat_trend_labels()
    out = {}
    for r in t.itertuples(index=False):
        status = _none(r.trend_status)
        eurostat_status = _none(getattr(r, "eurostat_trend_status", None))  # warehouses before the Eurostat bands: none
        out[r.indicator_code] = {
            "status": status, "status_zh": open_sdg.get(status, status), "score": _float(r.trend_score),
            "eurostat_status": eurostat_status, "eurostat_zh": eurostat.get(eurostat_status, eurostat_status),
            "reason": _none(r.trend_reason), "method": _none(r.trend_method),
            "name": _none(getattr(r, "indicator_name", None)) or r.indicator_code,
            "unit": _none(getattr(r, "unit", None)) or "",
            "base_year": _int(getattr(r, "base_year", None)), "base_value": _float(getattr(r, "base_value", None)),
            "latest_year": _int(getattr(r, "latest_year", None)), "latest_value": _float(getattr(r, "latest_value", None)),
            "has_plan_target": _none(getattr(r, "has_plan_target", None))}
    return out


def _untargeted_trends(data: WarehouseData, region_code: str, targeted: set[str]) -> list[dict]:
    """The region's indicators with actuals but no plan target: their trend rows, by name (Open SDG's and Eurostat's
    no-target bands are the only judgement such a series gets)."""
    trends = _region_trends(data, region_code)
    rows = [dict(t, code=code) for code, t in trends.items()
            if code not in targeted and t["has_plan_target"] is not True]
    return sorted(rows, key=lambda t: (str(t["name"]), t["code"]))


def _indicator_sections(rows: pd.DataFrame, sources: dict, region_code: str, labels: dict[str, str] | None = None,
                        history: dict[str, dict] | None = None) -> list[dict]:
    sections = []
    for code, ind_rows in rows.groupby("indicator_code", sort=False):
        ind_rows = ind_rows.sort_values(["plan_id", "year"])
        first = ind_rows.iloc[0]
        unit = _none(first.get("unit")) or ""
        name = _none(first.get("indicator_name")) or code
        paths, plans, figures = [], [], []
        actuals: dict[tuple[str, int], ActualPoint] = {}
        for plan_id, prow in ind_rows.groupby("plan_id", sort=False):
            prow = prow.sort_values("year")
            p0 = prow.iloc[0]
            latest = _latest_rows(prow).iloc[0]
            style = status_style(_none(latest.get("status")), _none(latest.get("status_zh")))
            final_year = _int(p0.get("final_target_year"))
            baseline_year = _int(p0.get("baseline_year"))
            plans.append({
                "plan_id": plan_id,
                "status": style,
                "status_year": _int(latest.get("year")),
                "status_reason": _none(latest.get("status_reason")),
                "next_step": _none(latest.get("next_step")),
                "baseline_year": baseline_year,
                "baseline_value": _float(p0.get("baseline_value")),
                "final_year": final_year,
                "final_value": _float(p0.get("final_target_value")),
                "qualifier": _none(p0.get("qualifier")),
                "attribute": _none(p0.get("attribute")),
                "target_type": _none(p0.get("target_type")),
                "method": _none(p0.get("method")),
                "final_sources": sources.get((plan_id, code, final_year), []) if final_year else [],
            })
            path = []
            for r in prow.itertuples(index=False):
                tv = _float(r.target_value)
                if tv is not None:
                    path.append(TargetPoint(int(r.year), tv, bool(_none(r.is_milestone))))
                av = _float(r.actual_value)
                if av is not None:
                    ytd = bool(_none(r.actual_is_ytd))
                    actuals.setdefault((str(_none(r.actual_period) or r.year), int(r.year)),
                                       ActualPoint(int(r.year), av, str(_none(r.actual_period) or r.year), ytd))
                figures.append({
                    "plan_id": plan_id,
                    "year": int(r.year),
                    "target_value": tv,
                    "is_milestone": bool(_none(r.is_milestone)),
                    "actual_value": av,
                    "actual_period": _none(r.actual_period),
                    "actual_is_ytd": bool(_none(r.actual_is_ytd)),
                    "actual_source": _none(r.actual_source),
                    **_actual_provenance(r, labels or {}),
                    "progress_share": _float(r.progress_share),
                    "elapsed_share": _float(r.elapsed_share),
                    "status": status_style(_none(r.status), _none(r.status_zh)),
                    "status_reason": _none(r.status_reason),
                    "next_step": _none(getattr(r, "next_step", None)),
                    "target_sources": sources.get((plan_id, code, int(r.year)), []),
                })
            if path:
                paths.append(path)
        # actuals of the years before the plans: history the chart and the page keep (baseline, trend)
        first_year = int(ind_rows["year"].min())
        hist = (history or {}).get(code) or {"levels": [], "trend": None}
        before = [{"year": y, "value": v, "period": p} for y, v, p in sorted(hist["levels"]) if y < first_year]
        for b in before:
            actuals.setdefault((str(b["period"]), b["year"]), ActualPoint(b["year"], b["value"], str(b["period"]), False))
        main = plans[-1]
        chart = ChartData(
            title=f"{name}", unit=unit,
            baseline_year=main["baseline_year"], baseline_value=main["baseline_value"],
            final_year=main["final_year"], final_value=main["final_value"], qualifier=main["qualifier"],
            paths=paths, actuals=list(actuals.values()),
            years=(min([first_year] + [b["year"] for b in before]), int(ind_rows["year"].max())),
        )
        anchor = f"ind-{code}"
        sections.append({
            "code": code,
            "name": name,
            "unit": unit,
            "anchor": anchor,
            "direction": _none(first.get("direction")),
            "plans": plans,
            "figures": figures,
            "history": before,
            "trend": hist["trend"],
            "svg": render_chart(chart, chart_id=f"chart-{region_code}-{code}"),
        })
    # indicators with figures first, binding (约束性) targets behind before all others, then by how far behind they are
    urgency = urgency_order()
    behind = behind_statuses()
    binding_words = {word for word, binding in target_attributes().items() if binding}

    def rank(sec):
        has_actual = any(f["actual_value"] is not None for f in sec["figures"])
        binding_behind = any(p["attribute"] in binding_words and p["status"]["key"] in behind for p in sec["plans"])
        worst = min((urgency.index(p["status"]["key"]) if p["status"]["key"] in urgency else len(urgency)) for p in sec["plans"])
        return (not has_actual, not binding_behind, worst, sec["name"])
    sections.sort(key=rank)
    return sections


def _status_counts(latest: pd.DataFrame, statuses: list[str]) -> list[dict]:
    rows = []
    for (code, name), g in latest.groupby(["region_code", "region_name"], dropna=False, sort=True):
        counts = g["status"].fillna("unknown").value_counts().to_dict()
        rows.append({"region_code": code, "region_name": _none(name) or code,
                     "counts": [int(counts.get(s, 0)) for s in statuses], "total": int(len(g))})
    return rows


def region_scores(scorecard: pd.DataFrame | None) -> dict[str, dict]:
    """Per region: its Open SDG score, band and rank among the regions in the latest year it has a score
    (marts.region_scorecard). Empty for a warehouse built before regions were scored."""
    if scorecard is None or scorecard.empty or "score" not in scorecard:
        return {}
    labels = open_sdg_labels()
    scored = scorecard[scorecard["score"].notna()].sort_values("year")
    out = {}
    for r in scored.groupby("region_code", sort=False).tail(1).itertuples(index=False):
        band = _none(r.score_band)
        out[str(r.region_code)] = {"year": _int(r.year), "score": _float(r.score), "band": band,
                                   "band_zh": labels.get(band, band), "rank": _int(r.score_rank),
                                   "of": _int(r.regions_ranked), "indicators": _int(r.indicators_scored)}
    return out


def status_counts_table(warehouse_db: Path) -> list[dict]:
    """Status counts per region (latest status per region × indicator × plan), for artifacts."""
    data = load_warehouse(warehouse_db)
    latest = _latest_rows(data.tva)
    out = []
    for (code, name), g in latest.groupby(["region_code", "region_name"], dropna=False, sort=True):
        row = {"region_code": code, "region_name": _none(name) or code}
        row.update({str(k): int(v) for k, v in g["status"].fillna("unknown").value_counts().items()})
        row["total"] = int(len(g))
        out.append(row)
    return out


def _ordered_statuses(tva: pd.DataFrame) -> list[str]:
    present = [s if _none(s) is not None else "unknown" for s in tva["status"].unique()] if not tva.empty else []
    styles = status_styles()
    known = sorted((s for s in present if s in styles), key=lambda s: int(styles[s]["order"]))
    unknown = sorted(s for s in set(present) if s not in styles)
    return known + unknown


def _status_zh_map(tva: pd.DataFrame) -> dict[str, str]:
    if tva.empty or "status_zh" not in tva:
        return {}
    pairs = tva[["status", "status_zh"]].dropna().drop_duplicates("status")
    return dict(zip(pairs["status"], pairs["status_zh"]))


def _refused(data: WarehouseData) -> dict:
    """Inputs refused whole (documents, statistics files), still refused at the latest run."""
    def records(frame):
        return [{k: _none(v) for k, v in r.items()} for r in frame.to_dict("records")] if frame is not None else []
    return {"documents": records(data.refused_documents), "files": records(data.refused_files)}


def _quality(data: WarehouseData, reports_dir: Path | None, data_docs_index: Path | None, out_dir: Path) -> dict:
    quality = _quality_checks(data, reports_dir, data_docs_index, out_dir)
    quality["refused"] = _refused(data)
    quality["reviews"] = _review_queues(data)
    return quality


def _review_queues(data: WarehouseData) -> dict | None:
    """The reviewers' queues over what was read (marts.figure_review): open figures, least sure first, counted by
    region and document; decided figures with decision, reviewer and date; review lines that were not applied."""
    if data.figure_review is None:
        return None
    figures = [{k: _none(v) for k, v in r.items()} for r in data.figure_review.to_dict("records")]
    open_ = [f for f in figures if not f["is_decided"]]
    groups: dict[tuple, dict] = {}
    for f in open_:
        g = groups.setdefault((f["region_name"] or f["region_code"] or "", f["document"] or ""),
                              {"region": f["region_name"] or f["region_code"], "document": f["document"], "count": 0, "lowest": None})
        g["count"] += 1
        if f["match_score"] is not None and (g["lowest"] is None or f["match_score"] < g["lowest"]):
            g["lowest"] = f["match_score"]
    decided = sorted((f for f in figures if f["is_decided"]),
                     key=lambda f: (str(f["reviewed_on"] or ""), f["figure_key"]), reverse=True)
    quarantine = ([{k: _none(v) for k, v in r.items()} for r in data.review_quarantine.to_dict("records")]
                  if data.review_quarantine is not None else [])
    unmapped = ([{k: _none(v) for k, v in r.items()} for r in data.unmapped.to_dict("records")]
                if data.unmapped is not None else [])
    return {"open": open_, "groups": sorted(groups.values(), key=lambda g: (str(g["region"]), str(g["document"]))),
            "decided": decided, "quarantine": quarantine, "unmapped": unmapped}


def _is_decided(flag: dict) -> bool:
    """A flag a reviewer has decided (marts.quality_flags.status other than open)."""
    return str(flag.get("status") or "open") != "open"


def _quality_checks(data: WarehouseData, reports_dir: Path | None, data_docs_index: Path | None, out_dir: Path) -> dict:
    if data.quality_flags is not None:
        flags = data.quality_flags.copy()
        rows = []
        for r in flags.to_dict("records"):
            rows.append({k: _none(v) for k, v in r.items()})
        # Open flags first, in the reviewer's queue order (highest expected impact first), then decided ones for the record.
        rows.sort(key=lambda r: (_is_decided(r), r.get("impact_rank") is None, r.get("impact_rank") or 0,
                                 SEVERITY_ORDER.get(str(r.get("severity") or "").lower(), 3),
                                 str(r.get("check_family") or ""), str(r.get("region_code") or "")))
        open_count = sum(not _is_decided(r) for r in rows)
        return {"source": "quality_flags", "flags": rows, "open_count": open_count, "failures": [], "run_time": None}
    failures, run_time = ([], None)
    if reports_dir is not None:
        failures, run_time = gx_failures(reports_dir, data_docs_index)
        frames_dir = Path(reports_dir) / "validation" / "frames"
        for f in failures:
            f["docs_page"] = _rel(f["docs_page"], out_dir) if f["docs_page"] else None
            f["rows"], f["row_columns"] = [], []
            frame_path = frames_dir / f"{f['asset']}.parquet"
            idx = f.pop("unexpected_index_list")
            if idx and frame_path.exists():
                try:
                    frame = pd.read_parquet(frame_path)
                except Exception:  # a frame from another run or unreadable: show no rows
                    continue
                keyed = isinstance(idx[0], dict) and "row_key" in frame.columns
                # a frame of every row (this run's, when its length is the count GX saw), or the sample of
                # failing rows the SQL pushdown wrote (planwatch.validation_sql), which holds each listed key
                if f.get("element_count") == len(frame) or (
                        keyed and {i.get("row_key") for i in idx[:20]} <= set(frame["row_key"])):
                    cols = [c for c in FRAME_COLUMNS if c in frame.columns]
                    if keyed:
                        # GX names offending rows by the frame's row_key column
                        keys = [i.get("row_key") for i in idx[:20]]
                        picked = frame[frame["row_key"].isin(keys)][cols]
                    else:
                        picked = frame.iloc[[i for i in idx[:20] if isinstance(i, int) and 0 <= i < len(frame)]][cols]
                    f["row_columns"] = cols
                    f["rows"] = [[_none(v) for v in row] for row in picked.itertuples(index=False)]
                    f["rows_more"] = max(0, len(idx) - 20)
    return {"source": "gx", "flags": [], "open_count": 0, "failures": failures, "run_time": run_time}


def build_report(warehouse_db: Path, out_dir: Path, data_docs_index: Path | None,
                 reports_dir: Path | None = None) -> Path:
    """Write the report folder; returns out_dir / "index.html".

    reports_dir is where GX validation results live (default: data_docs_index's grandparent,
    i.e. <data>/reports, when data_docs_index is given).
    """
    warehouse_db, out_dir = Path(warehouse_db), Path(out_dir)
    if data_docs_index is not None:
        data_docs_index = Path(data_docs_index)
        if reports_dir is None:
            reports_dir = data_docs_index.parent.parent
        if not data_docs_index.exists():
            data_docs_index = None
    data = load_warehouse(warehouse_db)
    tva = data.tva
    env = _env()
    generated = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M %Z")

    statuses = _ordered_statuses(tva)
    zh = _status_zh_map(tva)
    legend = [status_style(s, zh.get(s)) for s in statuses]
    latest = _latest_rows(tva)

    region_info: dict[str, dict] = {}
    if data.regions is not None and not data.regions.empty:
        codes = set(tva["region_code"].astype(str))
        for r in data.regions[data.regions["region_code"].astype(str).isin(codes)].to_dict("records"):
            region_info[str(r["region_code"])] = {k: _none(v) for k, v in r.items()}

    regions = []
    for code, g in tva.groupby("region_code", sort=True):
        name = _none(g["region_name"].dropna().iloc[0]) if g["region_name"].notna().any() else None
        info = region_info.get(str(code), {})
        parent = " · ".join(x for x in (info.get("province_name"), info.get("prefecture_name")) if x and x != name)
        regions.append({"code": str(code), "name": name or info.get("region_name") or str(code),
                        "level_zh": info.get("level_zh"), "parent": parent, "page": region_page_name(str(code)),
                        "plans": sorted(g["plan_id"].unique())})

    # grid: indicator rows × region columns; a cell holds one badge per plan
    indicator_names = {}
    for r in tva[["indicator_code", "indicator_name"]].drop_duplicates("indicator_code").itertuples(index=False):
        indicator_names[r.indicator_code] = _none(r.indicator_name) or r.indicator_code
    categories = {}
    if data.indicators is not None and "category" in data.indicators:
        categories = {r.indicator_code: _none(r.category) for r in data.indicators.itertuples(index=False)}
    grid_cells: dict[tuple[str, str], list[Cell]] = {}
    for r in latest.itertuples(index=False):
        grid_cells.setdefault((r.indicator_code, str(r.region_code)), []).append(Cell(
            str(r.region_code), r.indicator_code, r.plan_id, _int(r.year),
            status_style(_none(r.status), _none(r.status_zh)), _none(r.status_reason), _none(r.actual_period)))
    indicator_rows = sorted(indicator_names, key=lambda c: (categories.get(c) or "~", indicator_names[c]))
    grid = [{"code": c, "name": indicator_names[c], "category": categories.get(c),
             "cells": [grid_cells.get((c, reg["code"]), []) for reg in regions]} for c in indicator_rows]

    status_counts = _status_counts(latest, statuses)
    scores = region_scores(data.scorecard)
    for row in status_counts:
        row["score"] = scores.get(str(row["region_code"]))
    docs_rel_from_out = _rel(data_docs_index, out_dir) if data_docs_index is not None else None

    # write aside, then swap in
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        quality = _quality(data, reports_dir, data_docs_index, out_dir)
        common = {"generated": generated, "warehouse": warehouse_label(warehouse_db), "regions": regions,
                  "data_docs": docs_rel_from_out, "legend": legend,
                  "open_flags": quality["open_count"] + len(quality["failures"])}
        (tmp / "index.html").write_text(env.get_template("index.html.j2").render(
            **common, page="index", grid=grid, status_counts=status_counts,
            statuses=legend, total_pairs=len(latest)), encoding="utf-8")
        sources = _target_sources(data.targets)
        source_labels = _source_labels(data.actual_sources)
        for reg in regions:
            rows = tva[tva["region_code"].astype(str) == reg["code"]]
            sections = _indicator_sections(rows, sources, reg["code"], source_labels,
                                           _region_history(data, reg["code"]))
            untargeted = _untargeted_trends(data, reg["code"], set(rows["indicator_code"].astype(str)))
            (tmp / reg["page"]).write_text(env.get_template("region.html.j2").render(
                **common, page=reg["page"], region=reg, sections=sections, score=scores.get(reg["code"]),
                untargeted=untargeted, source_ranking=list(source_labels.values())), encoding="utf-8")
        (tmp / "quality.html").write_text(env.get_template("quality.html.j2").render(
            **common, page="quality", quality=quality), encoding="utf-8")
        (tmp / "report.css").write_text((TEMPLATES / "report.css").read_text(encoding="utf-8"), encoding="utf-8")
        os.chmod(tmp, 0o755)
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir / "index.html"

