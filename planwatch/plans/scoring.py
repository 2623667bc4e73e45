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
import re
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


# --- Every field of targets and achieved figures, against a corpus gold list -----------------
#
# The corpus gold (see its README) writes qualifiers as the words of the text (以上;力争) and
# values as written (1-2, 1/3, -27.6). To compare with the extractor's output they are read
# into the extractor's categories here, independently of the extractor's own vocabulary, so
# that a word the extractor does not know counts against it rather than vanishing from both.
_GOLD_AT_LEAST = ("以上", "突破", "超过", "超", "多", "余", "≥", "不低于", "不少于", "高于")
_GOLD_AT_MOST = ("以内", "以下", "不超过", "≤", "控制在", "低于")
_GOLD_APPROX = ("左右", "约")
_GOLD_STRETCH = ("力争", "争取", "努力")
FIELDS = ("indicator", "value", "unit", "year", "type", "qualifier", "kind")
FIGURE_COLUMNS = ["document", "kind", "lines", "indicator_as_written", "value", "low", "high", "unit", "year",
                  "target_type", "qualifier", "stretch"]


def gold_bound(words: str) -> tuple[str, bool]:
    """(qualifier category, stretch) of a gold row's ';'-separated qualifier words."""
    parts = [w.strip() for w in str(words or "").split(";") if w.strip()]
    bound = "exact"
    for word in parts:
        if any(word.endswith(w) or word.startswith(w) for w in _GOLD_AT_LEAST):
            bound = "at_least"
        elif any(word.endswith(w) or word.startswith(w) for w in _GOLD_AT_MOST):
            bound = "at_most"
        elif word in _GOLD_APPROX:
            bound = "approximately"
    return bound, any(w.startswith(_GOLD_STRETCH) for w in parts)


def _gold_value(text: str) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) of a gold value as written: '8', '-27.6', '1-2' (a range), '1/3'."""
    s = str(text or "").strip()
    if m := re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*[-~至]\s*(\d+(?:\.\d+)?)", s):
        return None, float(m.group(1)), float(m.group(2))
    if m := re.fullmatch(r"(\d+)\s*/\s*(\d+)", s):
        return float(m.group(1)) / float(m.group(2)), None, None
    return _num(s), None, None


def gold_figures(gold: pd.DataFrame) -> pd.DataFrame:
    """The corpus gold list (doc_file, line_no, kind, …) in the scorer's columns."""
    rows = []
    for g in gold.itertuples(index=False):
        value, low, high = _gold_value(g.value)
        bound, stretch = gold_bound(g.qualifier)
        rows.append({
            "document": g.doc_file, "line": int(g.line_no), "kind": g.kind, "indicator_as_written": g.indicator_as_written,
            "value": value, "low": low, "high": high, "unit": g.unit, "year": _num(g.target_year),
            "target_type": g.target_type, "qualifier": bound, "stretch": stretch,
        })
    return pd.DataFrame(rows, columns=["document", "line", "kind", "indicator_as_written", "value", "low", "high", "unit",
                                       "year", "target_type", "qualifier", "stretch"])


def extracted_figures(targets: pd.DataFrame | None, actuals: pd.DataFrame | None) -> pd.DataFrame:
    """Targets and reported actuals of an extraction as one frame of figures with a kind."""
    rows = []
    for t in (targets if targets is not None else pd.DataFrame()).to_dict("records"):
        rows.append({
            "document": t["document"], "kind": "target",
            "lines": {int(x) for x in str(t.get("source_lines") or t.get("source_line")).split(",") if x.strip().isdigit()},
            "indicator_as_written": t["indicator_as_written"], "value": _num(t["value"]), "low": _num(t.get("low")),
            "high": _num(t.get("high")), "unit": t.get("unit"), "year": _num(t.get("year")),
            "target_type": t.get("target_type"), "qualifier": t.get("qualifier") or "exact", "stretch": bool(t.get("stretch")),
        })
    for a in (actuals if actuals is not None else pd.DataFrame()).to_dict("records"):
        rows.append({
            "document": a["document"], "kind": "actual",
            "lines": {int(x) for x in str(a.get("source_lines") or a.get("source_line")).split(",") if x.strip().isdigit()},
            "indicator_as_written": a["indicator_as_written"], "value": _num(a["value"]), "low": None, "high": None,
            "unit": a.get("unit"), "year": _num(a.get("year")), "target_type": a.get("measure"), "qualifier": a.get("qualifier") or "exact",
            "stretch": False,
        })
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def _close(a, b) -> bool:
    a, b = _num(a), _num(b)
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def _value_matches(x: dict, g: dict) -> bool:
    if g["value"] is not None and not pd.isna(g["value"]):
        return _close(x["value"], g["value"]) or _close(x["high"], g["value"])
    return _close(x["low"], g["low"]) and _close(x["high"], g["high"])


def _same_text(a, b) -> bool:
    from planwatch.text import normalize

    def clean(s):
        if s is None or (isinstance(s, float) and s != s):  # NaN: a figure read without a unit
            return ""
        return normalize(str(s)).strip().lower()
    return clean(a) == clean(b)


def _indicator_matches(extracted: str, gold: str) -> bool:
    """The names overlap enough to be the same indicator (the gold's parentheses hold implied words)."""
    from rapidfuzz import fuzz

    from planwatch.text import normalize

    def clean(s):
        return re.sub(r"[()（）\s]", "", normalize(str(s or "")))
    a, b = clean(extracted), clean(gold)
    return bool(a and b) and fuzz.partial_ratio(a, b) >= 70


@dataclass
class FigureScore:
    """Recall and precision per kind, and the share of matched figures whose every other field is right."""

    gold: pd.DataFrame = field(repr=False)
    extracted: pd.DataFrame = field(repr=False)
    matches: pd.DataFrame = field(repr=False)  # every (gold, extracted) pair agreeing on document, line and value
    documents: int = 0

    def _same_kind(self, kind: str | None = None) -> pd.DataFrame:
        m = self.matches[self.matches["gold_kind"] == self.matches["extracted_kind"]]
        return m if kind is None else m[m["gold_kind"] == kind]

    def recall(self, kind: str) -> float:
        """Gold figures of this kind found as an extracted figure of the same kind."""
        n = int((self.gold["kind"] == kind).sum())
        return self._same_kind(kind)["gold_index"].nunique() / n if n else float("nan")

    def precision(self, kind: str) -> float:
        """Extracted figures of this kind that are a gold figure of the same kind."""
        n = int((self.extracted["kind"] == kind).sum())
        return self._same_kind(kind)["extracted_index"].nunique() / n if n else float("nan")

    def field_accuracy(self) -> dict[str, float]:
        """Among gold figures found with any kind (document, line and value agree): the share with each field right."""
        best = self.matches.sort_values("fields_right", ascending=False).drop_duplicates("gold_index")
        if best.empty:
            return {f: float("nan") for f in FIELDS}
        return {f: float(best[f"ok_{f}"].mean()) for f in FIELDS}

    def wrong_fields(self) -> list[str]:
        """Each found figure with a field read wrong: where it is, and each such field as gold has it and as read."""
        # the columns each graded field compares, gold's and the extractor's
        shown = {"indicator": "indicator_as_written", "unit": "unit", "year": "year", "type": "target_type",
                 "qualifier": "qualifier", "kind": "kind"}
        best = self.matches.sort_values("fields_right", ascending=False).drop_duplicates("gold_index")
        out = []
        for m in best.itertuples():
            g, x = self.gold.loc[m.gold_index], self.extracted.loc[m.extracted_index]
            def said(row, f, c):  # a qualifier is graded with its stretch (力争)
                return f"{row[c]}{' +stretch' if f == 'qualifier' and bool(row['stretch']) else ''}"
            wrong = [f"{f} {said(g, f, c)} ≠ read {said(x, f, c)}" for f, c in shown.items() if not getattr(m, f"ok_{f}")]
            if wrong:
                out.append(f"{g['document']}:{g['line']} {g['indicator_as_written']} {g['value']}: " + "; ".join(wrong))
        return out

    def misses(self) -> pd.DataFrame:
        return self.gold.drop(index=list(set(self._same_kind()["gold_index"])))

    def extras(self) -> pd.DataFrame:
        return self.extracted.drop(index=list(set(self._same_kind()["extracted_index"])))

    def report(self, list_misses: bool = False) -> str:
        lines = []
        for kind in ("target", "actual"):
            n_gold = int((self.gold["kind"] == kind).sum())
            n_ext = int((self.extracted["kind"] == kind).sum())
            lines.append(f"{kind:>7}: recall {self.recall(kind):.3f} of {n_gold} gold, precision {self.precision(kind):.3f} of {n_ext} extracted")
        acc = self.field_accuracy()
        lines.append("  fields right among found figures: " + ", ".join(f"{f} {v:.2f}" for f, v in acc.items()))
        if list_misses:
            for g in self.misses().itertuples():
                lines.append(f"  missed {g.kind} {g.document}:{g.line} {g.indicator_as_written} {g.value if pd.notna(g.value) else f'{g.low}-{g.high}'} {g.unit} {g.year}")
            for x in self.extras().itertuples():
                lines.append(f"  extra  {x.kind} {x.document}:{sorted(x.lines)} {x.indicator_as_written} {x.value} {x.unit} {x.year}")
            lines += [f"  wrong  {w}" for w in self.wrong_fields()]
        return "\n".join(lines)


def score_figures(extracted: pd.DataFrame, gold: pd.DataFrame, documents: int = 0) -> FigureScore:
    """Pair gold and extracted figures that agree on document, line and value; grade every other field."""
    gold = gold.reset_index(drop=True)
    extracted = extracted.reset_index(drop=True)
    by_doc = {doc: frame for doc, frame in extracted.groupby("document")} if len(extracted) else {}
    pairs = []
    for gi, g in gold.iterrows():
        candidates = by_doc.get(g["document"])
        if candidates is None:
            continue
        for xi, x in candidates.iterrows():
            if g["line"] not in x["lines"] or not _value_matches(x, g):
                continue
            ok = {
                "ok_indicator": _indicator_matches(x["indicator_as_written"], g["indicator_as_written"]),
                "ok_value": True,
                "ok_unit": _same_text(x["unit"], g["unit"]),
                "ok_year": _num(x["year"]) == _num(g["year"]),
                "ok_type": x["target_type"] == g["target_type"],
                "ok_qualifier": x["qualifier"] == g["qualifier"] and bool(x["stretch"]) == bool(g["stretch"]),
                "ok_kind": x["kind"] == g["kind"],
            }
            pairs.append({"gold_index": gi, "extracted_index": xi, "gold_kind": g["kind"], "extracted_kind": x["kind"],
                          **ok, "fields_right": sum(ok.values())})
    columns = ["gold_index", "extracted_index", "gold_kind", "extracted_kind"] + [f"ok_{f}" for f in FIELDS] + ["fields_right"]
    return FigureScore(gold=gold, extracted=extracted, matches=pd.DataFrame(pairs, columns=columns), documents=documents)
