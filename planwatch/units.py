"""Unit conversion to each indicator's canonical unit, from the units seed.

A unit written with a 万 or 亿 in front of a unit of the table (万份, 万平方米) is that
unit times 10^4 or 10^8, so the table need not list every such compound.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from planwatch.text import normalize

_MULTIPLIERS = {"千": 1_000.0, "万": 10_000.0, "亿": 100_000_000.0}


class _Unit(NamedTuple):
    canonical_unit: str
    factor: str
    dimension: str


class UnitTable:
    def __init__(self, units: pd.DataFrame, forms: pd.DataFrame | None = None):
        units = units.copy()
        units["unit"] = units["unit"].map(lambda u: normalize(u).strip())
        self._rows = {r.unit: _Unit(r.canonical_unit, r.factor, r.dimension) for r in units.itertuples(index=False)}
        # Ways of writing a unit of the table (lexicon/unit_forms.csv: 个亿 → 亿元).
        self._forms = {} if forms is None else {
            normalize(w).strip(): normalize(u).strip() for w, u in zip(forms["written"], forms["unit"])}

    @classmethod
    def from_dir(cls, reference_dir: Path) -> "UnitTable":
        return _load(Path(reference_dir).resolve())

    def written_forms(self) -> list[str]:
        """Every way a unit may be written in a text: the table's units and their other spellings."""
        return sorted(set(self._rows) | set(self._forms), key=len, reverse=True)

    def as_written(self, written: str) -> str:
        """The table's unit a written form stands for (个亿 → 亿元); the form itself when it is one."""
        return self._forms.get(written, written)

    def _row(self, unit: str) -> _Unit | None:
        unit = self._forms.get(unit, unit)
        row = self._rows.get(unit)
        if row is None and len(unit) > 1 and unit[0] in _MULTIPLIERS and unit[1:] in self._rows:
            base = self._rows[unit[1:]]
            if str(base.factor).strip():
                row = _Unit(base.canonical_unit, str(float(base.factor) * _MULTIPLIERS[unit[0]]), base.dimension)
        return row

    def dimension(self, unit: str | None) -> str | None:
        """The unit's dimension (count_entities, money, share…), or None for a unit the table does not know."""
        row = self._row(normalize(unit).strip()) if isinstance(unit, str) else None
        return row.dimension if row is not None else None

    def known(self, unit: str | None) -> bool:
        return isinstance(unit, str) and self._row(normalize(unit).strip()) is not None

    def factor(self, unit: str | None, target: str | None) -> float | None:
        """Multiply a value in `unit` by this to get it in `target`; None when it cannot convert."""
        if not isinstance(unit, str) or not isinstance(target, str):
            return None
        u, t = normalize(unit).strip(), normalize(target).strip()
        if u == t:
            return 1.0
        numerator, per, denominator = t.partition("/")
        if per and denominator.startswith("万") and "/" not in u:
            # 每万人口发明专利拥有量 written "件", 每万家企业法人中高新技术企业数 written "家": the indicator's
            # name carries the per-10k denominator, so the written unit is only the numerator's.
            ru, rn = self._row(u), self._row(numerator)
            if ru is not None and rn is not None and ru.dimension == rn.dimension:
                return 1.0
            return None
        ru, rt = self._row(u), self._row(t)
        if ru is None or rt is None or not str(ru.factor).strip() or not str(rt.factor).strip():
            return None
        # Same canonical unit, or the same dimension under two classifiers (家 and 个 both count entities).
        if ru.canonical_unit != rt.canonical_unit and ru.dimension != rt.dimension:
            return None
        return float(ru.factor) / float(rt.factor)


@lru_cache(maxsize=8)
def _load(reference_dir: Path) -> UnitTable:
    path = reference_dir / "units.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the unit table is missing")
    forms_path = reference_dir / "lexicon" / "unit_forms.csv"
    forms = pd.read_csv(forms_path, dtype=str, keep_default_na=False) if forms_path.is_file() else None
    return UnitTable(pd.read_csv(path, dtype=str, keep_default_na=False), forms)
