"""Unit conversion to each indicator's canonical unit, from the units seed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from planwatch.text import normalize


class UnitTable:
    def __init__(self, units: pd.DataFrame):
        units = units.copy()
        units["unit"] = units["unit"].map(lambda u: normalize(u).strip())
        self._rows = {r.unit: r for r in units.itertuples(index=False)}

    @classmethod
    def from_dir(cls, reference_dir: Path) -> "UnitTable":
        return _load(Path(reference_dir).resolve())

    def known(self, unit: str | None) -> bool:
        return isinstance(unit, str) and normalize(unit).strip() in self._rows

    def factor(self, unit: str | None, target: str | None) -> float | None:
        """Multiply a value in `unit` by this to get it in `target`; None when it cannot convert."""
        if not isinstance(unit, str) or not isinstance(target, str):
            return None
        u, t = normalize(unit).strip(), normalize(target).strip()
        if u == t:
            return 1.0
        if t.endswith("/万人") and "/" not in u:
            # 每万人口发明专利拥有量 written "件": the indicator's name carries the per-10k
            # denominator, so the written unit is only the numerator's.
            numerator = t[: -len("/万人")]
            ru, rn = self._rows.get(u), self._rows.get(numerator)
            if ru is not None and rn is not None and ru.dimension == rn.dimension:
                return 1.0
            return None
        ru, rt = self._rows.get(u), self._rows.get(t)
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
    return UnitTable(pd.read_csv(path, dtype=str, keep_default_na=False))
