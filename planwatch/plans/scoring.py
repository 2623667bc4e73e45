"""Score extracted targets against a hand-checked list (recall, precision, misses).

A gold row is found when an extracted target of the same document and year
carries its value (or its range) and lists the gold row's line among its
provenances. One extracted target may answer several gold rows (a table cell
and the sentence repeating it); an extracted target that answers none is an
extra. Used by the tests on the seed documents and by anyone annotating a new
region's plans.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Score:
    gold: int
    extracted: int
    found: int
    correct: int
    misses: pd.DataFrame = field(repr=False)
    extras: pd.DataFrame = field(repr=False)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    def report(self) -> str:
        lines = [f"recall {self.recall:.3f} ({self.found}/{self.gold}), precision {self.precision:.3f} ({self.correct}/{self.extracted})"]
        if len(self.misses):
            lines.append("missed (in the gold list, not extracted):")
            lines += [f"  {r.document}:{r.line} {r.indicator_as_written} {r.year} {r.value if pd.notna(r.value) else f'{r.low}-{r.high}'} {r.unit}"
                      for r in self.misses.itertuples()]
        if len(self.extras):
            lines.append("extra (extracted, not in the gold list):")
            lines += [f"  {r.document}:{r.source_lines} {r.indicator_as_written} {r.year} {r.value if pd.notna(r.value) else f'{r.low}-{r.high}'} {r.unit}"
                      for r in self.extras.itertuples()]
        return "\n".join(lines)


def _num(x) -> float | None:
    if x is None or (isinstance(x, str) and not x.strip()):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _same(a, b) -> bool:
    a, b = _num(a), _num(b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _answers(target, gold) -> bool:
    if target["document"] != gold["document"] or _num(target["year"]) != _num(gold["year"]):
        return False
    lines = {int(x) for x in str(target["source_lines"]).split(",") if x.strip().isdigit()}
    if int(gold["line"]) not in lines:
        return False
    if _num(gold["value"]) is not None:
        return _same(target["value"], gold["value"])
    return _same(target["low"], gold["low"]) and _same(target["high"], gold["high"])


def score_targets(extracted: pd.DataFrame, gold: pd.DataFrame) -> Score:
    gold = gold.reset_index(drop=True)
    extracted = extracted.reset_index(drop=True)
    found_gold: set[int] = set()
    correct: set[int] = set()
    by_doc = {doc: frame for doc, frame in extracted.groupby("document")}
    for gi, g in gold.iterrows():
        candidates = by_doc.get(g["document"])
        if candidates is None:
            continue
        for ti, t in candidates.iterrows():
            if _answers(t, g):
                found_gold.add(gi)
                correct.add(ti)
    misses = gold.drop(index=list(found_gold))
    extras = extracted.drop(index=list(correct))
    return Score(len(gold), len(extracted), len(found_gold), len(correct), misses, extras)
