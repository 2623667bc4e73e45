"""Quality flags for reviewers: list them, record decisions.

The flags themselves are computed in SQL by dbt (dbt_project/models/quality →
marts.quality_flags). A reviewer's decision goes to seeds/reference/corrections.csv
(a dbt seed): the next build shows the flag as accepted, corrected or excluded and
staging uses the corrected value (raw keeps the original). An open error-severity
flag blocks publishing, so the flags a reviewer must decide can sit in a build that
was not published: listing and deciding look at the published warehouse and, when
the last build was blocked, at that build too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planwatch.config import Paths

CORRECTIONS_FILE = "corrections.csv"
CORRECTIONS_COLUMNS = ["flag_key", "decision", "corrected_value", "reason", "reviewer", "decided_on"]
DECISIONS = ("accept", "correct", "exclude")
LIST_COLUMNS = ["impact_rank", "impact_score", "flag_key", "severity", "status", "check_family", "check_name", "region_name",
                "indicator_name", "period", "value", "unit", "expected_value", "suggested_value", "evidence"]
# The reviewer's queue: open flags by expected impact (marts.quality_flags impact_rank), then the rest.
QUEUE_ORDER = "impact_rank nulls last, "
FLAG_ORDER = "severity, status <> 'open', check_family, check_name, region_code, indicator_code, period, flag_key"


class QualityError(ValueError):
    """A request the reviewer must fix (unknown flag key, missing value, no warehouse)."""


@dataclass
class Decision:
    flag_key: str
    decision: str
    corrected_value: float | None
    reason: str
    reviewer: str
    decided_on: str
    replaced: bool = False


def corrections_path(paths: Paths) -> Path:
    return paths.reference_dir / CORRECTIONS_FILE


def unpublished_build(paths: Paths) -> bool:
    """True when the last build was not published (publishing moves the build file, or schemas, away)."""
    return _has_flags(paths.build_db, build=True)


def _has_flags(db: Path, build: bool = False) -> bool:
    from planwatch.warehouse import NoWarehouseYet, read_warehouse

    try:
        with read_warehouse(db, build=build) as reader:
            return reader.has_table("marts", "quality_flags")
    except NoWarehouseYet:
        return False


def read_flags(db: Path, build: bool = False) -> pd.DataFrame:
    """marts.quality_flags of the DuckDB file db (on PostgreSQL: of the live schemas, or with build the build's)."""
    from planwatch.warehouse import NoWarehouseYet, read_warehouse

    try:
        with read_warehouse(db, build=build) as reader:
            columns = set(reader.columns("marts", "quality_flags"))
            if not columns:
                raise QualityError(f"{reader.where} has no marts.quality_flags; rebuild it with `planwatch run`")
            # a warehouse built before the queue existed has no impact_rank: its flags in the old order
            order = (QUEUE_ORDER if "impact_rank" in columns else "") + FLAG_ORDER
            return reader.frame(f"select * from marts.quality_flags order by {order}")
    except NoWarehouseYet as exc:
        raise QualityError(f"no warehouse at {exc.where}; run `planwatch run` first") from None


def list_flags(paths: Paths, open_only: bool = False, region: str | None = None, build: bool = False) -> pd.DataFrame:
    """Flags of the published warehouse (or, with build, of the last unpublished build)."""
    flags = read_flags(paths.build_db if build else paths.warehouse_db, build)
    if open_only:
        flags = flags[flags["status"] == "open"]
    if region:
        r = region.strip()
        names = flags["region_name"].fillna("")
        flags = flags[(flags["region_code"].fillna("") == r) | (names == r) | names.str.startswith(r)]
    return flags.reset_index(drop=True)


def known_flag_keys(paths: Paths) -> set[str]:
    """Keys of the published warehouse's flags and of the last unpublished build's."""
    keys: set[str] = set()
    for db, build in ((paths.warehouse_db, False), (paths.build_db, True)):
        if _has_flags(db, build):
            keys |= set(read_flags(db, build)["flag_key"])
    return keys


def read_corrections(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [dict(row) for row in csv.DictReader(f)]


def write_corrections(path: Path, rows: list[dict]) -> None:
    """Write the corrections seed atomically (header always, also with no decisions)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CORRECTIONS_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") or "" for c in CORRECTIONS_COLUMNS})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def decide(paths: Paths, flag_key: str, decision: str, reason: str, reviewer: str,
           corrected_value: float | None = None, decided_on: dt.date | None = None) -> Decision:
    """Record (or replace) the decision on one flag in seeds/reference/corrections.csv."""
    flag_key = flag_key.strip()
    if decision not in DECISIONS:
        raise QualityError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    if decision == "correct" and corrected_value is None:
        raise QualityError("a correction needs the corrected value (--correct VALUE)")
    if decision != "correct" and corrected_value is not None:
        raise QualityError(f"a decision to {decision} takes no corrected value")
    if not reason or not reason.strip():
        raise QualityError("a decision needs a reason (--reason)")
    if not reviewer or not reviewer.strip():
        raise QualityError("a decision needs the reviewer's name (--reviewer)")
    known = known_flag_keys(paths)
    from planwatch.warehouse import warehouse_exists, where

    if not known and not warehouse_exists(paths) and not warehouse_exists(paths, build=True):
        raise QualityError(f"no warehouse at {where(paths)} to check the flag key against; run `planwatch run` first")
    if flag_key not in known:
        raise QualityError(f"unknown flag key {flag_key!r}: no flag of the published warehouse or of the last build has it "
                           "(list them with `planwatch flags`)")
    record = Decision(
        flag_key=flag_key, decision=decision,
        corrected_value=float(corrected_value) if corrected_value is not None else None,
        reason=reason.strip(), reviewer=reviewer.strip(),
        decided_on=(decided_on or dt.date.today()).isoformat(),
    )
    path = corrections_path(paths)
    rows = read_corrections(path)
    row = {
        "flag_key": record.flag_key, "decision": record.decision,
        "corrected_value": "" if record.corrected_value is None else repr(record.corrected_value),
        "reason": record.reason, "reviewer": record.reviewer, "decided_on": record.decided_on,
    }
    kept = [r for r in rows if (r.get("flag_key") or "").strip() != flag_key]
    record.replaced = len(kept) != len(rows)
    write_corrections(path, kept + [row])
    return record
