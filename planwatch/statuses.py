"""The progress statuses of target_vs_actual, read from the one reference seed dbt also loads.

seeds/reference/progress_statuses.csv holds each status's code, Chinese and English labels, display
order, assessment (met / on_schedule / behind / unjudged) and badge colours. The GX suite checks the
mart against it and the report labels and colours its badges from it, so a status is added or renamed
in one file (and in the dbt macro progress_status that assigns it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

STATUSES_FILE = "progress_statuses.csv"
COLUMNS = ("status", "status_zh", "status_en", "display_order", "assessment", "badge_bg", "badge_fg", "description")
ASSESSMENTS = ("met", "on_schedule", "behind", "unjudged")


@dataclass(frozen=True)
class Status:
    code: str
    zh: str
    en: str
    order: int
    assessment: str
    bg: str
    fg: str


def load_statuses(reference_dir: Path | None = None) -> tuple[Status, ...]:
    """The statuses in display order (best first), from `<reference_dir>/progress_statuses.csv`."""
    if reference_dir is None:
        from planwatch.config import get_paths

        reference_dir = get_paths().reference_dir
    return _load(Path(reference_dir).resolve() / STATUSES_FILE)


@lru_cache(maxsize=8)
def _load(path: Path) -> tuple[Status, ...]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the list of progress statuses is missing")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        out = []
        for line, row in enumerate(reader, start=2):
            if row["assessment"] not in ASSESSMENTS:
                raise ValueError(f"{path}, line {line}: assessment {row['assessment']!r} is not one of {ASSESSMENTS}")
            try:
                order = int(row["display_order"])
            except ValueError:
                raise ValueError(f"{path}, line {line}: display_order {row['display_order']!r} is not a whole number") from None
            out.append(Status(row["status"], row["status_zh"], row["status_en"], order, row["assessment"],
                              row["badge_bg"], row["badge_fg"]))
    codes = [s.code for s in out]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: a status is listed twice: {sorted({c for c in codes if codes.count(c) > 1})}")
    return tuple(sorted(out, key=lambda s: s.order))


CATEGORIES_FILE = "open_sdg_categories.csv"
EUROSTAT_CATEGORIES_FILE = "eurostat_trend_categories.csv"


def open_sdg_labels(reference_dir: Path | None = None) -> dict[str, str]:
    """Open SDG category code → Chinese label, in display order, from `<reference_dir>/open_sdg_categories.csv`:
    the bands of a series' trend (fct_indicator_trend) and of a mean score (region_scorecard, plan_scorecard)."""
    return _load_categories(_reference_dir(reference_dir) / CATEGORIES_FILE)


def eurostat_trend_labels(reference_dir: Path | None = None) -> dict[str, str]:
    """Eurostat trend category code → Chinese label, in display order, from
    `<reference_dir>/eurostat_trend_categories.csv`: the five bands of fct_indicator_trend.eurostat_trend_status."""
    return _load_categories(_reference_dir(reference_dir) / EUROSTAT_CATEGORIES_FILE)


def _reference_dir(reference_dir: Path | None) -> Path:
    if reference_dir is None:
        from planwatch.config import get_paths

        reference_dir = get_paths().reference_dir
    return Path(reference_dir).resolve()


@lru_cache(maxsize=8)
def _load_categories(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the list of trend categories is missing")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"category", "label_zh", "display_order"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append((int(row["display_order"]), row["category"], row["label_zh"]))
            except ValueError:
                raise ValueError(f"{path}, line {line}: display_order {row['display_order']!r} is not a whole number") from None
    return {code: zh for _, code, zh in sorted(rows)}
