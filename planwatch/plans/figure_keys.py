"""Figure keys: the name a reviewer's decision is filed under (seeds/reference/target_reviews.csv).

A decision must find its figure again after the document is read anew — by a later extractor
version, after an alias is added, or after lines were inserted above it. So the key is built from
what says *which* figure it is, never from what a reviewer may correct or what moves:

    md5(kind | plan_id | region_code | normalised indicator_as_written | year | target_type | period)

- plan_id, not the document's hash: a revised file of the same plan keeps its figures' keys;
- the indicator as written (normalised as the catalog's matcher normalises names), not its code:
  a new alias or a better match changes indicator_code but not which figure it is;
- no value: an edited or re-read value keeps its key (the target_key of extract.py has the value,
  because two values stated for one target are two targets there);
- no source line: text added above the figure moves it, not changes it.

Two figures of one document with the same identity (a table and a paragraph stating different
values for one target) are told apart by their order: the first (tables before prose, then by
line) has the plain key, the n-th gets ``#n`` before hashing. Order is relative, so shifted lines
keep it; only a reader that starts or stops seeing one of such twins can renumber them.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from planwatch.indicators import normalize_name

KINDS = ("target", "actual")
_SOURCE_ORDER = {"table": 0, "prose": 1}


def _text(x) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def figure_identity(kind: str, plan_id, region_code, indicator_as_written, year, target_type, period="") -> str:
    """The identity text a figure key hashes (before any #n of a twin)."""
    if kind not in KINDS:
        raise ValueError(f"unknown figure kind {kind!r}; one of {', '.join(KINDS)}")
    name = normalize_name(_text(indicator_as_written)) if _text(indicator_as_written) else ""
    return "|".join([kind, _text(plan_id), _text(region_code), name, _text(year), _text(target_type), _text(period)])


def figure_keys(table: pd.DataFrame, kind: str) -> list[str]:
    """The figure key of every row of an extracted target (kind 'target') or actual ('actual') table, in row order."""
    if not len(table):
        return []
    measure = table["target_type"] if kind == "target" else table["measure"]
    period = table["period"] if "period" in table and kind == "actual" else pd.Series([""] * len(table), index=table.index)
    source = table["source"] if "source" in table else pd.Series([""] * len(table), index=table.index)
    identities = [figure_identity(kind, *values) for values in zip(
        table["plan_id"], table["region_code"], table["indicator_as_written"], table["year"], measure, period)]
    # Columns as lists once: .iloc per row inside the sort key cost more than the whole prose reader.
    ranks = [_SOURCE_ORDER.get(_text(s), len(_SOURCE_ORDER)) for s in source.tolist()]
    lines = [_line(x) for x in table["source_line"].tolist()]
    order = sorted(range(len(identities)), key=lambda i: (ranks[i], lines[i], i))
    seen: dict[str, int] = {}
    keys = [""] * len(identities)
    for i in order:
        seen[identities[i]] = seen.get(identities[i], 0) + 1
        text = identities[i] if seen[identities[i]] == 1 else f"{identities[i]}#{seen[identities[i]]}"
        keys[i] = hashlib.md5(text.encode("utf-8")).hexdigest()
    return keys


def _line(x) -> int:
    t = _text(x)
    return int(t) if t.isdigit() else 0
