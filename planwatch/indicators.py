"""The indicator catalog and the one matcher that maps names as written to catalog codes.

Plans and statistics files name the same indicator many ways ("全社会研究与试验发展
（R&D）经费支出占地区生产总值（GDP）的比重", "全社会研发经费支出占地区生产总值比重", …).
Names are normalised (width, traditional characters, brackets, the usual
synonyms), looked up exactly among the catalog's aliases, and otherwise
fuzzy-matched with RapidFuzz above a score threshold. Below the threshold a
name stays unmatched: it is kept and reported, never forced onto a code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from planwatch.text import normalize

DEFAULT_THRESHOLD = 88.0

# Synonyms plans use interchangeably; applied to names and aliases alike.
_SYNONYMS = (
    ("研究与试验发展", "研发"), ("研究与发展", "研发"), ("研究开发", "研发"), ("r&d", "研发"), ("rd", "研发"),
    ("研发研发", "研发"), ("地区生产总值", "gdp"), ("国内生产总值", "gdp"), ("生产总值", "gdp"),
    ("规模以上", "规上"), ("规模", "规上"), ("每万人口", "万人"), ("每万人", "万人"), ("万名", "万人"),
    ("拥有量", "拥有"), ("成交金额", "成交额"), ("交易额", "成交额"), ("交易成交额", "成交额"),
    ("经费支出", "经费"), ("经费投入", "经费"), ("投入", ""), ("占比", "比重"), ("的比重", "比重"), ("的比值", "比重"),
    ("比值", "比重"), ("相当于", "占"), ("科学技术", "科技"), ("数量", "数"), ("企业数", "企业"), ("总数", "数"), ("的", ""),
    ("与", ""), ("和", ""), ("全社会", ""), ("全市", ""), ("全县", ""), ("本级", "本级"),
)
_STRIP = re.compile(r"[\s\"'“”‘’()（）\[\]【】<>《》、，,。.:：;；·\-—_/]+")


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """The comparison key for an indicator name: what differs only in writing compares equal."""
    s = normalize(name).lower()
    s = _STRIP.sub("", s)
    for old, new in _SYNONYMS:
        s = s.replace(old, new)
    return s


@dataclass(frozen=True)
class Match:
    indicator_code: str | None
    score: float
    matched_alias: str | None
    method: str  # exact | fuzzy | unmatched


# How many characters a name may lack of a catalog name for a figure's unit to decide between them (登记数, 项数).
MAX_MEASURE_TAIL = 3


class IndicatorCatalog:
    """The catalog seed plus its aliases, ready to match names."""

    def __init__(self, indicators: pd.DataFrame, aliases: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD):
        self.indicators = indicators.set_index("indicator_code", drop=False)
        self._canonical_units = dict(zip(indicators["indicator_code"], indicators["canonical_unit"]))
        self.threshold = threshold
        names = pd.concat(
            [
                aliases[["alias", "indicator_code"]],
                indicators[["name_zh", "indicator_code"]].rename(columns={"name_zh": "alias"}),
                indicators[["name_en", "indicator_code"]].rename(columns={"name_en": "alias"}),
            ],
            ignore_index=True,
        ).dropna()
        names["key"] = names["alias"].map(normalize_name)
        names = names[names["key"] != ""].drop_duplicates("key")
        self._exact = dict(zip(names["key"], zip(names["indicator_code"], names["alias"])))
        self._keys = list(self._exact)
        # Each comparison key's match, once per catalog: documents (and copies of one) repeat their names,
        # and a fuzzy match compares the key with every alias.
        self._matches: dict[str, Match] = {}

    @classmethod
    def from_dir(cls, reference_dir: Path, threshold: float = DEFAULT_THRESHOLD) -> "IndicatorCatalog":
        return _load_catalog(Path(reference_dir).resolve(), threshold)

    def canonical_unit(self, code: str) -> str | None:
        return self._canonical_units.get(code)

    def match(self, name: str) -> Match:
        key = normalize_name(name or "")
        found = self._matches.get(key)
        if found is None:
            if len(self._matches) > 100_000:
                self._matches.clear()
            found = self._matches[key] = self._match_key(key)
        return found

    def _match_key(self, key: str) -> Match:
        if not key:
            return Match(None, 0.0, None, "unmatched")
        if key in self._exact:
            code, alias = self._exact[key]
            return Match(code, 100.0, alias, "exact")
        best = process.extractOne(key, self._keys, scorer=fuzz.ratio)
        if best is not None and best[1] >= self.threshold:
            code, alias = self._exact[best[0]]
            return Match(code, float(best[1]), alias, "fuzzy")
        return Match(None, float(best[1]) if best else 0.0, None, "unmatched")

    def match_in_unit(self, name: str, fits) -> Match | None:
        """The one indicator whose name is this name and a measure word or two, in a unit that `fits` the figure's
        ("技术合同238项": 技术合同登记数, not 技术合同成交额 in 万元), or None when no such indicator, or more than one,
        is found. The rest of the name must be short (MAX_MEASURE_TAIL): 科技孵化器 is no 科技孵化器年均新增科技企业数量."""
        key = normalize_name(name or "")
        if len(key) < 3:
            return None
        found = {code: alias for k, (code, alias) in self._exact.items()
                 if k.startswith(key) and len(k) - len(key) <= MAX_MEASURE_TAIL and fits(code)}
        if len(found) != 1:
            return None
        [(code, alias)] = found.items()
        return Match(code, 100.0 * len(key) / len(normalize_name(alias)), alias, "unit")

    def match_each(self, names: list) -> list[Match]:
        """The match of every name in `names` (a missing name is unmatched); each distinct name is matched once."""
        results: dict[str, Match] = {}
        out = []
        for name in names:
            if not isinstance(name, str):
                out.append(_NO_NAME)
                continue
            found = results.get(name)
            if found is None:
                found = results[name] = self.match(name)
            out.append(found)
        return out


_NO_NAME = Match(None, 0.0, None, "unmatched")


@lru_cache(maxsize=8)
def _load_catalog(reference_dir: Path, threshold: float) -> IndicatorCatalog:
    indicators_path = reference_dir / "indicators.csv"
    aliases_path = reference_dir / "indicator_aliases.csv"
    for p in (indicators_path, aliases_path):
        if not p.is_file():
            raise FileNotFoundError(f"{p}: the indicator catalog is missing")
    indicators = pd.read_csv(indicators_path, dtype=str, keep_default_na=False)
    aliases = pd.read_csv(aliases_path, dtype=str, keep_default_na=False)
    unknown = set(aliases["indicator_code"]) - set(indicators["indicator_code"])
    if unknown:
        raise ValueError(f"{aliases_path}: aliases point to codes not in indicators.csv: {sorted(unknown)}")
    return IndicatorCatalog(indicators, aliases, threshold)
