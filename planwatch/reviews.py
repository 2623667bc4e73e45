"""Reviewers over what the extractor read: list the figures awaiting review, decide them, add missed
targets by hand, and add a reviewed name to the catalog as an alias.

Decisions and hand-typed targets are lines appended to reference files beside corrections.csv
(dbt seeds): seeds/reference/target_reviews.csv (one line per decision, keyed by the figure's
stable figure_key; a later line for a figure replaces an earlier one) and
seeds/reference/manual_targets.csv. The next `planwatch run` applies them in staging
(stg_plan_target_figures); raw keeps what was read. The queue itself is marts.figure_review.
Every value is checked here against the catalog, the regions and the warehouse, so a decision the
build could not apply is refused at the prompt (the build still names any bad line a hand edit
brings: marts.review_quarantine).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planwatch.config import Paths
from planwatch.plans.cells import AT_LEAST, AT_MOST, APPROX, AVG_GROWTH, EXACT, GROWTH, LEVEL, PP_INCREASE, TARGET_TYPES

REVIEWS_FILE = "target_reviews.csv"
REVIEW_COLUMNS = ["figure_key", "decision", "indicator_code", "value", "unit", "year", "target_type", "qualifier",
                  "region_code", "reviewer", "decided_on", "reason"]
MANUAL_FILE = "manual_targets.csv"
# plan_id, then the leading columns of `planwatch extract`'s output (the issue's hand-typed targets file), then the
# optional attribute (extract's output has it among the rest; a file written before it was added loads without it).
MANUAL_COLUMNS = ["plan_id", "region", "indicator_as_written", "indicator_code", "unit", "year", "value", "target_type",
                  "qualifier", "baseline_year", "baseline_value", "source_line", "source_text", "attribute"]
ALIASES_FILE = "indicator_aliases.csv"
DECISIONS = ("accept", "reject", "edit")
# The words the extractor writes (planwatch/plans/cells.py: TARGET_TYPES and these); dbt_project/macros/reviews.sql
# names the same for SQL (tests/test_target_reviews.py compares them).
QUALIFIERS = (EXACT, AT_LEAST, AT_MOST, APPROX)
STATUSES = ("open", "decided")
KINDS = ("target", "actual")
LIST_COLUMNS = ["figure_key", "figure_kind", "review_status", "region_name", "document", "source_line", "indicator_as_written",
                "indicator_code", "year", "target_type", "value", "unit", "match_score", "rule"]
DECIDED_COLUMNS = ["figure_key", "review_status", "decision", "reviewed_by", "reviewed_on", "review_reason",
                   "region_name", "indicator_code", "year", "value", "unit"]


class ReviewError(ValueError):
    """A request the reviewer must fix (unknown key, indicator, region or plan; a missing reason)."""


@dataclass
class Edits:
    """The fields an edit changes (None: as read)."""
    indicator_code: str | None = None
    value: float | None = None
    unit: str | None = None
    year: int | None = None
    target_type: str | None = None
    qualifier: str | None = None
    region: str | None = None

    def given(self) -> bool:
        return any(v is not None for v in vars(self).values())


@dataclass
class Recorded:
    path: Path
    row: dict = field(default_factory=dict)
    replaces: int = 0  # earlier lines for the same figure that this one replaces


# ---------------------------------------------------------------- the queue

def _has_table(paths: Paths, build: bool, schema: str, table: str) -> bool:
    from planwatch.warehouse import has_table

    return has_table(paths, build, schema, table)


def _query(paths: Paths, build: bool, sql: str, params: list | None = None) -> pd.DataFrame:
    from planwatch.warehouse import reader_of

    with reader_of(paths, build) as reader:
        return reader.frame(sql, params)


def _review_db(paths: Paths, build: bool = False) -> bool:
    """Checks the warehouse (or the build) has the review queue; returns build."""
    from planwatch.warehouse import warehouse_exists, where

    if not warehouse_exists(paths, build):
        raise ReviewError(f"no warehouse at {where(paths, build)}; run `planwatch run` first")
    if not _has_table(paths, build, "marts", "figure_review"):
        raise ReviewError(f"{where(paths, build)} has no marts.figure_review; rebuild it with `planwatch run`")
    return build


def read_figures(paths: Paths, build: bool = False) -> pd.DataFrame:
    """marts.figure_review of the published warehouse (or of the last unpublished build)."""
    return _query(paths, _review_db(paths, build), "select * from marts.figure_review")


def list_figures(paths: Paths, region: str | None = None, document: str | None = None, status: str | None = None,
                 max_confidence: float | None = None, kind: str | None = None, build: bool = False) -> pd.DataFrame:
    """The figures to review: least sure first (match_score), then by region, document and line."""
    if status is not None and status not in STATUSES:
        raise ReviewError(f"unknown status {status!r}; use open or decided")
    if kind is not None and kind not in KINDS:
        raise ReviewError(f"unknown kind {kind!r}; use target or actual")
    figures = read_figures(paths, build)
    if kind:
        figures = figures[figures["figure_kind"] == kind]
    if region:
        figures = _in_region(figures, region)
    if document:
        d = document.strip()
        docs = figures["document"].fillna("")
        figures = figures[(docs == d) | docs.str.contains(d, regex=False) | (figures["plan_id"] == d)]
    if status == "open":
        figures = figures[~figures["is_decided"]]
    elif status == "decided":
        figures = figures[figures["is_decided"]]
    if max_confidence is not None:
        # an unmatched name has a score too (its best candidate's); a hand-typed target has none and is no guess
        figures = figures[figures["match_score"].notna() & (figures["match_score"] <= max_confidence)]
    order = figures.assign(_score=figures["match_score"].fillna(1000.0))
    return order.sort_values(["_score", "region_name", "document", "source_line", "figure_key"], na_position="last",
                             kind="stable").drop(columns="_score").reset_index(drop=True)


def _in_region(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    """Rows of a region given by its 6-digit code, its name or the start of its name (泸溪)."""
    r = region.strip()
    names = frame["region_name"].fillna("")
    return frame[(frame["region_code"].fillna("") == r) | (names == r) | names.str.startswith(r)]


def list_unmapped(paths: Paths, region: str | None = None, build: bool = False) -> pd.DataFrame:
    """The names the catalog does not know (marts.unmapped_indicators), most targets first: a queue of their own,
    answered by `planwatch catalog alias add` (or by rejecting figures that are no indicator)."""
    from planwatch.warehouse import where

    _review_db(paths, build)
    if not _has_table(paths, build, "marts", "unmapped_indicators"):
        raise ReviewError(f"{where(paths, build)} has no marts.unmapped_indicators; rebuild it with `planwatch run`")
    names = _query(paths, build, "select * from marts.unmapped_indicators")
    if region:
        names = _in_region(names, region)
    return names.sort_values(["target_count", "region_name", "indicator_as_written"], ascending=[False, True, True],
                             na_position="last", kind="stable").reset_index(drop=True)


def known_figure_keys(paths: Paths) -> set[str]:
    keys: set[str] = set()
    for build in (False, True):
        if _has_table(paths, build, "marts", "figure_review"):
            keys |= set(read_figures(paths, build)["figure_key"])
    return keys


# ---------------------------------------------------------------- reference files

def _read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [dict(row) for row in csv.DictReader(f)]


def _write_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write a reference file atomically (header always)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def _append(path: Path, columns: list[str], row: dict) -> None:
    rows = _read_rows(path)
    _write_rows(path, columns, rows + [row])


def _number(x: float) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def _required(text: str | None, what: str, option: str) -> str:
    if text is None or not str(text).strip():
        raise ReviewError(f"{what} is needed ({option})")
    return str(text).strip()


def _catalog(paths: Paths) -> pd.DataFrame:
    return pd.read_csv(paths.reference_dir / "indicators.csv", dtype=str, keep_default_na=False)


def _indicator_code(paths: Paths, code: str) -> str:
    codes = set(_catalog(paths)["indicator_code"])
    code = code.strip()
    if code not in codes:
        raise ReviewError(f"unknown indicator code {code!r}: not in {paths.reference_dir / 'indicators.csv'}")
    return code


def _region_code(paths: Paths, region: str) -> str:
    from planwatch.regions import AmbiguousRegion, RegionNotFound, RegionResolver

    region = region.strip()
    try:
        return RegionResolver.default(paths.reference_dir).resolve(region).region_code
    except (RegionNotFound, AmbiguousRegion) as exc:
        raise ReviewError(f"region {region!r}: {exc}") from exc


def _choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ReviewError(f"unknown {what} {value!r}; use one of {', '.join(allowed)}")
    return value


def _unit(paths: Paths, unit: str | None) -> str | None:
    if unit is None:
        return None
    from planwatch.units import UnitTable

    units = UnitTable.from_dir(paths.reference_dir)
    if not units.known(unit.strip()):
        raise ReviewError(f"unknown unit {unit!r}: not in {paths.reference_dir / 'units.csv'}")
    return unit.strip()


# ---------------------------------------------------------------- decide

def decide(paths: Paths, figure_key: str, decision: str, reason: str, reviewer: str, edits: Edits | None = None,
           decided_on: dt.date | None = None) -> Recorded:
    """Append one decision on a figure to seeds/reference/target_reviews.csv (it replaces earlier ones)."""
    from planwatch.warehouse import warehouse_exists, where

    edits = edits or Edits()
    figure_key = _required(figure_key, "the figure's key", "KEY: planwatch targets list")
    _choice(decision, DECISIONS, "decision")
    reason = _required(reason, "a reason", "--reason")
    reviewer = _required(reviewer, "the reviewer's name", "--reviewer")
    if decision == "edit" and not edits.given():
        raise ReviewError("an edit needs at least one of --value, --indicator, --year, --unit, --type, --qualifier, --region")
    if decision != "edit" and edits.given():
        raise ReviewError(f"a decision to {decision} takes no edited fields (use edit)")
    known = known_figure_keys(paths)
    if not known and not warehouse_exists(paths) and not warehouse_exists(paths, build=True):
        raise ReviewError(f"no warehouse at {where(paths)} to check the key against; run `planwatch run` first")
    if figure_key not in known:
        raise ReviewError(f"unknown figure key {figure_key!r}: no figure of the published warehouse or of the last build "
                          "has it (list them with `planwatch targets list`)")
    entered_by, kind = _figure_of(paths, figure_key)
    if entered_by == "manual":
        raise ReviewError(f"{figure_key} is a target typed by hand: change its line in {paths.reference_dir / MANUAL_FILE}")
    if kind == "actual" and edits.qualifier is not None:
        raise ReviewError(f"{figure_key} is a reported actual: it has no qualifier")
    row = {
        "figure_key": figure_key, "decision": decision,
        "indicator_code": _indicator_code(paths, edits.indicator_code) if edits.indicator_code else "",
        "value": "" if edits.value is None else _number(edits.value),
        "unit": _unit(paths, edits.unit) or "",
        "year": "" if edits.year is None else str(_year(edits.year)),
        "target_type": _choice(edits.target_type, TARGET_TYPES, "target type") or "",
        "qualifier": _choice(edits.qualifier, QUALIFIERS, "qualifier") or "",
        "region_code": _region_code(paths, edits.region) if edits.region else "",
        "reviewer": reviewer, "decided_on": (decided_on or dt.date.today()).isoformat(), "reason": reason,
    }
    path = paths.reference_dir / REVIEWS_FILE
    earlier = sum((r.get("figure_key") or "").strip() == figure_key for r in _read_rows(path))
    _append(path, REVIEW_COLUMNS, row)
    return Recorded(path, row, earlier)


def _figure_of(paths: Paths, figure_key: str) -> tuple[str | None, str | None]:
    """Who entered the figure and its kind (target or actual), from the published warehouse or the last build."""
    for build in (False, True):
        if _has_table(paths, build, "marts", "figure_review"):
            found = _query(paths, build, "select entered_by, figure_kind from marts.figure_review where figure_key = ?", [figure_key])
            if len(found):
                return found["entered_by"].iloc[0], found["figure_kind"].iloc[0]
    return None, None


def _year(year: int) -> int:
    if not 1949 <= int(year) <= 2100:
        raise ReviewError(f"year {year} is not a plan year")
    return int(year)


# ---------------------------------------------------------------- add a target by hand

def _plans(paths: Paths) -> pd.DataFrame:
    from planwatch.warehouse import where

    for build in (False, True):
        if _has_table(paths, build, "marts", "dim_plan"):
            return _query(paths, build, "select plan_id, region_code, region_name, document from marts.dim_plan")
    raise ReviewError(f"no warehouse at {where(paths)} to check the plan against; run `planwatch run` first")


def add_target(paths: Paths, plan_id: str, indicator: str, year: int, value: float, unit: str | None = None,
               region: str | None = None, target_type: str | None = None, qualifier: str | None = None,
               indicator_as_written: str | None = None, baseline_year: int | None = None,
               baseline_value: float | None = None, source_line: int | None = None, source_text: str | None = None,
               attribute: str | None = None) -> Recorded:
    """Append a target typed by hand to seeds/reference/manual_targets.csv, checked as the build checks it."""
    from planwatch.indicators import IndicatorCatalog
    from planwatch.plans.table_columns import target_attributes
    from planwatch.units import UnitTable

    plan_id = _required(plan_id, "the plan", "--plan")
    plans = _plans(paths)
    if plan_id not in set(plans["plan_id"]):
        raise ReviewError(f"unknown plan {plan_id!r}; the plans are: {', '.join(sorted(plans['plan_id']))}")
    catalog = IndicatorCatalog.from_dir(paths.reference_dir)
    indicator = _required(indicator, "the indicator", "--indicator")
    if indicator in set(_catalog(paths)["indicator_code"]):
        code = indicator
    else:
        match = catalog.match(indicator)
        if match.method != "exact":
            hint = f" (closest: {match.indicator_code})" if match.indicator_code else ""
            raise ReviewError(f"indicator {indicator!r} is neither a code of indicators.csv nor one of its names or aliases{hint}; "
                              "give the code, or add the name first: planwatch catalog alias add NAME CODE")
        code = match.indicator_code
        indicator_as_written = indicator_as_written or indicator
    target_type = _choice(target_type, TARGET_TYPES, "target type") or LEVEL
    qualifier = _choice(qualifier, QUALIFIERS, "qualifier") or EXACT
    attribute = _choice(attribute, tuple(target_attributes()), "attribute") or ""
    canonical = "%" if target_type in (GROWTH, AVG_GROWTH) else "个百分点" if target_type == PP_INCREASE else catalog.canonical_unit(code)
    unit = (unit or canonical or "").strip()
    if UnitTable.from_dir(paths.reference_dir).factor(unit, canonical) is None:
        raise ReviewError(f"unit {unit!r} does not convert to {canonical} (the unit {code} is compared in): see units.csv")
    region_code = _region_code(paths, region) if region else ""
    row = {
        "plan_id": plan_id, "region": region_code, "indicator_as_written": indicator_as_written or catalog.indicators.loc[code, "name_zh"],
        "indicator_code": code, "unit": unit, "year": str(_year(year)), "value": _number(value), "target_type": target_type,
        "qualifier": qualifier, "baseline_year": "" if baseline_year is None else str(_year(baseline_year)),
        "baseline_value": "" if baseline_value is None else _number(baseline_value),
        "source_line": "" if source_line is None else str(int(source_line)), "source_text": source_text or "",
        "attribute": attribute,
    }
    path = paths.reference_dir / MANUAL_FILE
    same = sum(r.get("plan_id") == plan_id and r.get("indicator_code") == code and r.get("year") == row["year"]
               and (r.get("target_type") or LEVEL) == target_type and (r.get("region") or "") == region_code
               for r in _read_rows(path))
    _append(path, MANUAL_COLUMNS, row)
    return Recorded(path, row, same)


# ---------------------------------------------------------------- the catalog

def add_alias(paths: Paths, name: str, indicator_code: str, reviewer: str, reason: str,
              decided_on: dt.date | None = None) -> Recorded:
    """Append a name to seeds/reference/indicator_aliases.csv for an indicator of the catalog (the next run re-reads
    every document with it: the catalog is part of the extraction version)."""
    from planwatch.indicators import normalize_name

    name = _required(name, "the name", "NAME")
    code = _indicator_code(paths, _required(indicator_code, "the indicator code", "INDICATOR_CODE"))
    reviewer = _required(reviewer, "the reviewer's name", "--reviewer")
    reason = _required(reason, "a reason", "--reason")
    path = paths.reference_dir / ALIASES_FILE
    rows = _read_rows(path)
    names = [(r["alias"], r["indicator_code"]) for r in rows] + [(r["name_zh"], r["indicator_code"]) for _, r in _catalog(paths).iterrows()]
    key = normalize_name(name)
    for alias, other in names:
        if normalize_name(alias) == key:
            same = "already" if other == code else f"already names {other}"
            raise ReviewError(f"{name!r} {same} ({alias!r} in the catalog)")
    row = {"alias": name, "indicator_code": code,
           "note": f"reviewed by {reviewer} on {(decided_on or dt.date.today()).isoformat()}: {reason}"}
    columns = list(rows[0].keys()) if rows else ["alias", "indicator_code", "note"]
    _append(path, columns, row)
    return Recorded(path, row, 0)
