"""The prose rules on example phrasings (tests/data/phrasings/*.csv, see its README): one expected figure a row."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from planwatch.plans.model import PlanContext
from planwatch.plans.prose import prose_mentions

PHRASINGS = Path(__file__).parent / "data" / "phrasings"
CONTEXTS = {
    "plan5": PlanContext("p", "000000", "某县", "five_year", 2021, 2025, reference_year=2021),
    "annual": PlanContext("a", "000000", "某县", "annual", 2024, 2024),
    "work": PlanContext("w", "000000", "某县", "annual", 2024, 2024, document_kind="work_plan"),
    "report": PlanContext("r", "000000", "某县", "annual", 2023, 2023, document_kind="report", reference_year=2023),
    "bulletin": PlanContext("b", "000000", "某县", "annual", 2022, 2022, document_kind="bulletin", reference_year=2022),
    "review": PlanContext("rv", "000000", "某县", "annual", 2023, 2023, document_kind="report", reference_year=2024),
    "news": PlanContext("n", "000000", "某省", "annual", 2020, 2020, reference_year=2020),
    "undated": PlanContext("u", "000000", "某县", "annual", None, None),
    "undated_report": PlanContext("v", "000000", "某县", "annual", None, None, document_kind="report"),
    "midterm": PlanContext("m", "000000", "某县", "five_year", 2021, 2025, document_kind="report"),
    # a two-year action plan read from a copy dated in its last year
    "plan_late": PlanContext("pl", "000000", "某省", "multi_year", 2024, 2025, reference_year=2025),
    # news of a year's results and the next year's aims, dated early in the next year (its year read as the one reviewed)
    "news_after": PlanContext("na", "000000", "某市", "annual", 2023, 2023, reference_year=2024),
}


def _rows():
    for path in sorted(PHRASINGS.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.DictReader(f), start=2):
                yield pytest.param(row, id=f"{path.stem}:{number}")


def _read(row: dict):
    lines = ([row["heading"]] if row["heading"] else []) + row["sentence"].replace("\\n", "\n").split("\n")
    return prose_mentions(tuple(lines), CONTEXTS[row["context"]], "doc.txt", set())


def _same_value(m, row) -> bool:
    if not row["value"]:  # a range: checked by its type
        return m.value is None and m.low is not None
    expected = float(row["value"])
    return m.value is not None and math.isclose(m.value, expected, rel_tol=1e-6)


def _same_name(m, expected: str) -> bool:
    """'=name' asks for the whole name read; a plain name for a name that contains it."""
    if expected.startswith("="):
        return m.indicator_as_written == expected[1:]
    return expected in m.indicator_as_written


@pytest.mark.parametrize("row", list(_rows()))
def test_phrasing(row):
    found = _read(row)
    if row["kind"] == "none":
        assert not [m for m in found if m.value == float(row["value"])], found
        return
    candidates = [m for m in found if _same_value(m, row) and m.kind == row["kind"]
                  and (not row["unit"] or m.unit == row["unit"]) and _same_name(m, row["indicator"])]
    assert candidates, [(m.kind, m.indicator_as_written, m.value, m.unit, m.rule) for m in found]
    m = candidates[0]
    expected_year = int(row["year"]) if row["year"] else None
    assert m.year == expected_year, (m.year, m.rule)
    if row["type"]:
        assert m.target_type == row["type"], m
    if row["qualifier"]:
        assert m.qualifier == row["qualifier"], m
    for rule in row["rule"].split():
        assert rule in m.rule.split(), m.rule
    if "partial_year" in row["rule"]:
        assert m.period.endswith("YTD") and m.period.startswith(str(expected_year)), m.period


def test_every_rule_dimension_is_named_on_every_mention():
    for row in _rows():
        for m in _read(row.values[0]):
            dimensions = [part.split(":")[0] for part in m.rule.split()]
            assert dimensions == ["quantity", "time", "indicator", "kind"], m.rule
