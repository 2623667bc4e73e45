"""Documents → mentions → targets and reported actuals (the one place plans are parsed).

A *mention* is one place in a document that states a figure. Mentions of the
same target (a table cell and the sentence that repeats it, or a section the
document prints twice) merge into one *target* carrying every provenance;
when they disagree each value is kept and the disagreement is recorded as a
conflict for the quality checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from planwatch import frames
from planwatch.indicators import IndicatorCatalog, normalize_name
from planwatch.plans.cells import AVG_GROWTH, GROWTH, INCREMENT, LEVEL, PP_INCREASE
# The manifest and the plan context live in document_context; callers also import them from here.
from planwatch.plans.document_context import DocumentVocabulary, ManifestError, load_manifest, plan_context  # noqa: F401
from planwatch.plans.figure_keys import figure_keys
from planwatch.plans.lexicon import alternation
from planwatch.plans.model import MENTION_COLUMNS, PlanContext
from planwatch.plans.prose import prose_mentions
from planwatch.plans.reading import Document, DocumentError, read_document
from planwatch.plans.rules.vocabulary import LEAD_STRIP, LEX, PLAN_NAMES
from planwatch.plans.tables import find_tables, lines_of, table_mentions
from planwatch.units import UnitTable

EXTRACTOR_VERSION = "20"  # bump when rules change so cached extractions are redone
# What the rules read besides their code: a change to any of them re-extracts every document.
REFERENCE_FILES = ("indicators.csv", "indicator_aliases.csv", "units.csv", "zones.csv", "zone_kinds.csv")
LEXICON_DIR = "lexicon"  # every CSV in it (the reading vocabulary) counts too


def extraction_version(reference_dir: Path) -> str:
    """The extractor's rules plus the catalog it matched against: a new alias re-extracts every document."""
    import hashlib

    digest = hashlib.sha256()
    lexicon = sorted((Path(reference_dir) / LEXICON_DIR).glob("*.csv"))
    for path in [Path(reference_dir) / name for name in REFERENCE_FILES] + lexicon:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return f"{EXTRACTOR_VERSION}.{digest.hexdigest()[:10]}"


# What `planwatch extract` prints first, in this order, for targets and actuals alike (one row per figure;
# `kind` says which; an actual's measure is its target_type). The rest of each row follows.
EXTRACT_COLUMNS = [
    "region", "indicator_as_written", "indicator_code", "kind", "unit", "year", "period", "value", "target_type",
    "qualifier", "baseline_year", "baseline_value", "rule", "source_line", "source_text",
]
TARGET_COLUMNS = [
    "region", "indicator_as_written", "indicator_code", "unit", "year", "value", "target_type", "qualifier",
    "baseline_year", "baseline_value", "source_line", "source_text", "source_text_normalised",
    "region_code", "area_rule", "area_as_written", "plan_id", "document", "document_sha256", "canonical_unit", "value_canonical", "low", "high",
    "stretch", "attribute", "baseline_unit", "baseline_value_canonical", "cumulative", "per_year", "source", "source_lines", "context",
    "match_score", "match_method", "unit_issue", "conflict_group", "rule", "target_key", "figure_key",
]
ACTUAL_COLUMNS = [
    "region", "region_code", "area_rule", "area_as_written", "plan_id", "document", "document_sha256", "indicator_as_written", "indicator_code",
    "measure", "unit", "canonical_unit", "period_start", "year", "value", "value_canonical", "qualifier", "source_line",
    "source_text", "source_text_normalised", "unit_issue", "period", "rule", "source_lines", "actual_key",
    "match_score", "match_method", "figure_key",
]


@dataclass
class Extraction:
    document: Document
    context: PlanContext
    mentions: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    conflicts: pd.DataFrame
    how: str = "manifest"


# The mention frame (Extraction.mentions): the mention's fields, whose figure it is, the catalog's match and canonical values.
FRAME_COLUMNS = MENTION_COLUMNS + [
    "region", "region_code", "area_rule", "area_as_written", "indicator_code", "match_score", "match_method", "canonical_unit",
    "unit_issue", "factor", "value_canonical", "baseline_value_canonical", "plan_id", "document_sha256",
]


_WHOLE_NUMBERS = ("year", "baseline_year", "period_start", "source_line")  # Int64 in targets and actuals, also where some rows have none


def _empty_table(columns: list[str]) -> pd.DataFrame:
    return _empty_template(tuple(columns)).copy(deep=False)  # copy-on-write: a caller changing it changes its own


@lru_cache(maxsize=4)
def _empty_template(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns)).astype({c: "Int64" for c in _WHOLE_NUMBERS if c in columns})


def _table_of(frame: pd.DataFrame, rows: list[dict], positions: list[int], columns: list[str], fields: dict[str, list]) -> pd.DataFrame:
    """The mention rows at `positions` as a frame of `columns`: `fields` where given, whole numbers as Int64,
    the rest as the mention frame has them (each column of the frame's type)."""
    data, dtypes = {}, dict(frame.dtypes)
    for name in columns:
        if name in fields:
            data[name] = fields[name]
        elif name in _WHOLE_NUMBERS:
            data[name] = frames.whole_numbers([rows[i][name] for i in positions])
        else:
            data[name] = frames.column([rows[i][name] for i in positions], like=dtypes[name])
    return frames.frame(data)


def extract_document(doc: Document, ctx: PlanContext, catalog: IndicatorCatalog, units: UnitTable, resolver=None) -> Extraction:
    table_found = find_tables(doc.lines, ctx)
    # Lines a table covers (rows, wrapped names, budget lines it skips) are not read again as prose.
    table_line_set = set().union(*(lines_of(t) for t in table_found))
    mentions = table_mentions(doc.lines, ctx, doc.name, table_found) + prose_mentions(doc.lines, ctx, doc.name, table_line_set)
    if not mentions:
        frame = pd.DataFrame(columns=MENTION_COLUMNS)
        return Extraction(doc, ctx, frame, _empty_table(TARGET_COLUMNS), _empty_table(ACTUAL_COLUMNS), pd.DataFrame(), "")
    if resolver is None:
        from planwatch.regions import RegionResolver
        resolver = RegionResolver.default()
    # Each mention's fields as a row, completed in plain Python and made a frame once: per-row or
    # per-column pandas work costs more than the work itself on a document's few dozen mentions.
    rows = [dict(vars(m)) for m in mentions]  # plain values, so no deep copy (dataclasses.asdict)
    attribute_sub_areas(rows, doc, ctx, resolver, table_line_set)
    for row, match in zip(rows, catalog.match_each([row["indicator_as_written"] for row in rows])):
        code, unit, value = match.indicator_code, row["unit"], row["value"]
        canonical = _canonical_unit(catalog, code, row["target_type"], unit)
        factor = units.factor(unit, canonical)
        if (factor is None or not code) and row["target_type"] in (LEVEL, INCREMENT) and units.known(unit):
            # A name the catalog reads in another unit, or not at all: the indicator whose name it begins, in its unit.
            in_unit = catalog.match_in_unit(row["indicator_as_written"],
                                            lambda c: units.factor(unit, catalog.canonical_unit(c)) is not None)
            if in_unit is not None:
                match, code = in_unit, in_unit.indicator_code
                canonical = _canonical_unit(catalog, code, row["target_type"], unit)
                factor = units.factor(unit, canonical)
        # The baseline is a level in the row's unit (also for growth targets, whose value is a %).
        level_unit = catalog.canonical_unit(code) if isinstance(code, str) and code else None
        baseline, baseline_unit = row["baseline_value"], row["baseline_unit"]
        baseline_factor = None if _missing(baseline) else units.factor(baseline_unit if isinstance(baseline_unit, str) else unit, level_unit)
        row.update(
            indicator_code=code, match_score=match.score, match_method=match.method, canonical_unit=canonical,
            unit_issue=None if factor is not None or not isinstance(canonical, str)
            else f"cannot convert {unit if isinstance(unit, str) else '(no unit)'} to {canonical}",
            factor=factor,
            value_canonical=value * factor if not _missing(value) and factor is not None else None,
            baseline_value_canonical=baseline * baseline_factor if baseline_factor is not None else None,
            plan_id=ctx.plan_id, document_sha256=doc.sha256,
        )
    frame = frames.frame({column: [row[column] for row in rows] for column in FRAME_COLUMNS})
    targets, conflicts = _merge_targets(frame, rows, [i for i, row in enumerate(rows) if row["kind"] == "target"])
    actuals = _merge_actuals(frame, rows, [i for i, row in enumerate(rows) if row["kind"] == "actual"])
    return Extraction(doc, ctx, frame, targets, actuals, conflicts)


# ---------- attribution: whose figure is it?
#
# A plan's figures are its region's, unless the figure's own sentence (or table row) has a sub-area
# as its subject: a zone (祁阳高新区规模工业产值达到660亿元) or a division lying inside the plan's region
# (冷水滩区高新技术企业达到50家). The area counts as the subject when it opens a clause of that sentence,
# before the indicator, after nothing but lead words (力争、到2025年、推动 …); a place named inside a
# clause (在大冶湖高新区建立…, 依托…, 以…为), a list of areas (江华县工业园、宁远县工业园…获批…) or a
# self-reference (全市、我县) keeps the plan's region. A sentence without a subject of its own continues
# the subject of the clauses before it in the same sentence, or of the sentence just before it in the
# same paragraph (道县高新区围绕…。5年内，实现产值超300亿元). Names come from the resolver, so a zone added
# to zones.csv or a zone word added to zone_kinds.csv is attributed without a code change.
AREA_PLAN, AREA_ZONE, AREA_SUBDIVISION = "plan", "named_zone", "named_subdivision"
# The words come from seeds/reference/lexicon/subject_words.csv: lead words that may open the clause before
# its subject, besides a year or a five-year plan's period (到2025年底, 5年内, 十四五期间); self-references
# (全市, 我县); the words joining areas into a list.
_SUBJECT_LEAD = re.compile(
    rf"(?:{alternation(LEX.subject_words.get('lead', ()))}|"
    r"到\s*20\d\d\s*年(?:底|末|前)?|20\d\d\s*年(?:底|末|前)?|[\d一二三四五六七八九十]+\s*年内|"
    rf"\"?(?:{PLAN_NAMES})\"?(?:期间|末|时期))*"
)
_SELF_REFERENCE = re.compile(alternation(LEX.subject_words.get("self_reference", ())))
_CLAUSE_BREAK = re.compile(r"[,，:：;；。!！?？]")
_GRAMMATICAL_END = re.compile(r"[。!！?？]\s*$")
_HEADING_NUMBER = re.compile(r"^\s*(?:[\d一二三四五六七八九十]+\s*[、.．]|[（(][\d一二三四五六七八九十]+[)）])\s*")
_LIST_JOIN = re.compile(rf"^\s*(?:{alternation(LEX.subject_words.get('list_join', ()))})")
_DIGIT = re.compile(r"\d")


def _subjects(text: str, limit: int, resolver) -> list[tuple[int, int, str | None, str]]:
    """Each subject opening a clause of `text` before `limit`: (position, clause start, region code or
    None for the plan's own region, as written)."""
    found = []
    areas = resolver.areas_in(text)
    marks = [(a.start, a.end, a) for a in areas] + [(m.start(), m.end(), None) for m in _SELF_REFERENCE.finditer(text)]
    for start, end, area in sorted(marks, key=lambda x: x[0]):
        if start >= limit:
            break
        if area is None and any(a.start <= start < a.end for a in areas):
            continue  # 全州 inside a name
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
        prefix = text[clause_start:start]
        if clause_start == 0:
            prefix = _HEADING_NUMBER.sub("", prefix)
        if not _SUBJECT_LEAD.fullmatch(prefix.strip()):
            continue  # a place inside the clause (在…, 依托…, 以…为), not its subject
        if area is None:
            found.append((start, clause_start, None, text[start:end]))
            continue
        others = [b for b in areas if b is not area]
        listed = (_LIST_JOIN.match(text[end:]) and any(0 <= b.start - end <= 4 for b in others)) or any(
            0 <= start - b.end <= 4 and _LIST_JOIN.match(text[b.end:start]) for b in others)
        # One of several areas (江华县工业园、宁远县工业园…), or a name fitting several regions: nobody's alone.
        code = area.codes[0] if len(area.codes) == 1 and not listed else None
        found.append((start, clause_start, code, area.written))
    return found


def _figure_limit(text: str, indicator: str) -> int:
    """Where the figure's indicator ends in `text` (the subject comes before it), else its first number."""
    at = text.find(indicator) if indicator else -1
    if at >= 0:
        return at + len(indicator)
    heading = _HEADING_NUMBER.match(text)
    number = _DIGIT.search(text, heading.end() if heading else 0)
    return number.start() if number else len(text)


def _clause_states_a_number(text: str, at: int) -> bool:
    """Whether the clause of `text` that runs on from position `at` states a number (the subject's own figure)."""
    end = _CLAUSE_BREAK.search(text, at)
    return bool(_DIGIT.search(text, at, end.start() if end else len(text)))


def _paragraph_parts(doc: Document, table_lines: set[int]) -> list[tuple[list[str], list[int], int, int]]:
    """Each prose paragraph as the prose reader splits it: (parts split at 。！？；, index of each part's
    grammatical sentence, first line, last line)."""
    from planwatch.plans.prose import _paragraphs, _sentences

    out = []
    for text, starts in _paragraphs(doc.lines, table_lines):
        parts = [p.strip() for p in _sentences(text)]
        sentence, ids = 0, []
        for p in parts:
            ids.append(sentence)
            sentence += bool(_GRAMMATICAL_END.search(p))
        out.append((parts, ids, starts[0][1], starts[-1][1]))
    return out


def _area_of(parts: list[str], ids: list[int], index: int, indicator: str, areas: "_RememberedAreas") -> tuple[str | None, str]:
    """The subject of a figure in parts[index] (a sentence or a part of one between ；), as (code or None, as written).

    1. an area opening the very clause that holds the figure (力争到2025年底，祁阳高新区规模工业产值达到660亿元);
    2. an area opening the sentence the figure is in (江华高新区作为……，力争到2025年……分别达到300亿元、5亿元);
    3. a part without a subject continues a parallel part before it in the same sentence whose own figure
       had one (…规模工业产值达到660亿元；规模工业增加值达到150亿元);
    4. a sentence without a subject continues the sentence just before it, when that one opens with an area
       (道县高新区围绕……。5年内，实现产值超300亿元).
    A self-reference (全市) or a place named inside a clause is no sub-area's subject.
    """
    text = parts[index]
    limit = _figure_limit(text, indicator)
    subjects = areas.subjects(text, limit)
    own_clause = [s for s in subjects if not _CLAUSE_BREAK.search(text, s[0], limit)]
    if own_clause:
        return own_clause[-1][2], own_clause[-1][3]
    first_part = index == 0 or ids[index - 1] < ids[index]
    opening = [s for s in subjects if s[1] == 0]
    if first_part and opening:
        return opening[0][2], opening[0][3]
    if subjects:
        return None, ""
    j = index - 1
    while j >= 0 and ids[j] == ids[index]:  # 3. parallel parts of one sentence
        previous = areas.subjects(parts[j], len(parts[j]))
        with_figure = [s for s in previous if _clause_states_a_number(parts[j], s[0])]
        if with_figure:
            return with_figure[-1][2], with_figure[-1][3]
        if previous:
            return None, ""
        j -= 1
    if first_part and j >= 0:  # 4. the previous sentence's opening subject
        start = j
        while start > 0 and ids[start - 1] == ids[j]:
            start -= 1
        opening = [s for s in areas.subjects(parts[start], len(parts[start])) if s[1] == 0]
        if opening:
            return opening[0][2], opening[0][3]
    return None, ""


class _RememberedAreas:
    """The resolver, remembering the areas and the subjects of each text it was asked about: a sentence with
    several figures (and the sentences before them) is searched once per document, not once per figure."""

    def __init__(self, resolver):
        self._resolver, self._areas, self._subjects = resolver, {}, {}

    def subjects(self, text: str, limit: int) -> tuple[tuple[int, int, str | None, str], ...]:
        """_subjects(text, limit), once per document."""
        found = self._subjects.get((text, limit))
        if found is None:
            found = self._subjects[text, limit] = tuple(_subjects(text, limit, self))
        return found

    def areas_in(self, text: str):
        found = self._areas.get(text)
        if found is None:
            found = self._areas[text] = self._resolver.areas_in(text)
        return found


def attribute_sub_areas(rows: list[dict], doc: Document, ctx: PlanContext, resolver, table_lines: set[int]) -> None:
    """Set region, region_code, area_rule (plan | named_zone | named_subdivision) and area_as_written of every mention row."""
    paragraphs = _paragraph_parts(doc, table_lines)
    by_line: dict[int, list[int]] = {}  # line → the paragraphs spanning it, in document order
    for number, (_, _, first, last) in enumerate(paragraphs):
        for line in range(first, last + 1):
            by_line.setdefault(line, []).append(number)
    areas = _RememberedAreas(resolver)
    # (a region code the table does not hold, as a test's 000000, is no zone)
    plan_region = resolver.region(ctx.region_code) if ctx.region_code in resolver.table.index else None
    own_zone = bool(plan_region is not None and plan_region.is_zone)
    for row in rows:
        code, as_written = None, ""
        if row["source"] == "table":
            context = str(row["context"])
            subjects = areas.subjects(context, len(context))  # the row name and column header
            code, as_written = (subjects[-1][2], subjects[-1][3]) if subjects else (None, "")
        else:
            for number in by_line.get(row["line"], ()):
                parts, ids, _, _ = paragraphs[number]
                if row["source_text_normalised"] in parts:
                    code, as_written = _area_of(parts, ids, parts.index(row["source_text_normalised"]), str(row["indicator_as_written"]), areas)
                    break
        if code is not None and code != ctx.region_code and resolver.lies_in(code, ctx.region_code):
            area = resolver.region(code)
            row.update(region=area.region_name, region_code=code, area_rule=AREA_ZONE if area.is_zone else AREA_SUBDIVISION,
                       area_as_written=as_written)
            # "祁阳高新区规模工业产值": the area is who, the rest is what (the catalog matches the rest).
            row["indicator_as_written"] = _without_area(row["indicator_as_written"], as_written)
        else:
            row.update(region=ctx.region_name, region_code=ctx.region_code, area_rule=AREA_PLAN, area_as_written=None)
            if own_zone and code == ctx.region_code:  # the plan's own zone named: 泸溪高新区高新技术企业
                row["indicator_as_written"] = _without_area(row["indicator_as_written"], as_written)
            elif own_zone and isinstance(row["indicator_as_written"], str):
                self_word = _ZONE_SELF_REFERENCE.match(row["indicator_as_written"])
                rest = row["indicator_as_written"][self_word.end():] if self_word else ""
                if len(LEAD_STRIP.sub("", rest)) >= 2:  # 高新区高新技术企业 in the zone's own plan
                    row["indicator_as_written"] = LEAD_STRIP.sub("", rest)


_ZONE_SELF_REFERENCE = re.compile(rf"^(?:{alternation(LEX.subject_words.get('zone_self_reference', ()))})")


def _without_area(indicator, area: str | None):
    from planwatch.plans.prose import _LEAD_STRIP

    if not area or not isinstance(indicator, str) or area not in indicator:
        return indicator
    at = indicator.index(area)
    rest = _LEAD_STRIP.sub("", indicator[at + len(area):]).strip()
    return rest if _SUBJECT_LEAD.fullmatch(indicator[:at].strip()) and len(rest) >= 2 else indicator


def _canonical_unit(catalog: IndicatorCatalog, code, target_type, unit) -> str | None:
    if target_type in (GROWTH, AVG_GROWTH):
        return "%"
    if target_type == PP_INCREASE:
        return "个百分点"
    if isinstance(code, str) and code:
        return catalog.canonical_unit(code)
    return unit if isinstance(unit, str) else None  # unmatched: keep the unit as written


def _indicator_key(row: dict) -> str:
    return row["indicator_code"] if isinstance(row["indicator_code"], str) and row["indicator_code"] else "name:" + normalize_name(row["indicator_as_written"])


def _missing(x) -> bool:
    return x is None or x != x  # None, or NaN (the only value unequal to itself)


def _value_key(row: dict) -> tuple:
    def r(x):
        return None if _missing(x) else round(float(x), 6)
    v = row["value"] if _missing(row["value_canonical"]) else row["value_canonical"]
    return (r(v), r(row["low"]), r(row["high"]))


def _year_text(year) -> str:
    """A year as keys spell it: 2025 (also where the column holds floats because some year is missing), or None."""
    return "None" if _missing(year) else str(int(year))


_SOURCE_ORDER = {"table": 0, "prose": 1}  # a table states a target more formally than prose repeating it


def _merge_targets(frame: pd.DataFrame, rows: list[dict], positions: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions of one target (the mention rows at `positions` with the same area, indicator, year, type, per_year,
    cumulative and value) merge into one row; the same target with different values keeps a row per value and
    lists every mention as a conflict."""
    if not positions:
        return _empty_table(TARGET_COLUMNS), pd.DataFrame()
    groups: dict[tuple, list[int]] = {}
    for i in positions:
        row = rows[i]
        row["_ind"], row["_val"] = _indicator_key(row), _value_key(row)
        key = (row["region_code"], row["_ind"], None if _missing(row["year"]) else row["year"], row["target_type"],
               row["per_year"], row["cumulative"])
        groups.setdefault(key, []).append(i)
    primaries, merged, conflicts = [], [], []
    for group in groups.values():  # in order of first mention
        by_value: dict[tuple, list[int]] = {}
        for i in group:
            by_value.setdefault(rows[i]["_val"], []).append(i)
        conflict_group = None
        if len(by_value) > 1:
            first = rows[group[0]]
            conflict_group = f"{first['plan_id']}|{first['_ind']}|{_year_text(first['year'])}|{first['target_type']}" + _area_key(first)
            conflicts += [{
                "conflict_group": conflict_group, "document": c["document"], "line": c["line"], "source": c["source"],
                "indicator_as_written": c["indicator_as_written"], "indicator_code": c["indicator_code"],
                "year": c["year"], "value": c["value"], "unit": c["unit"], "source_text": c["source_text"],
                "source_text_normalised": c["source_text_normalised"],
            } for c in (rows[i] for i in group)]
        for same in by_value.values():
            primary, fields = _merged_row(rows, same, conflict_group)
            primaries.append(primary)
            merged.append(fields)
    fields = {column: [f[column] for f in merged] for column in merged[0]}
    fields["source_line"] = frames.whole_numbers(fields["source_line"])
    fields["baseline_year"] = frames.whole_numbers(fields["baseline_year"])
    return _with_figure_keys(_table_of(frame, rows, primaries, _read_columns(TARGET_COLUMNS), fields), "target"), pd.DataFrame(conflicts)


def _read_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c != "figure_key"]


def _with_figure_keys(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The table with the key reviewers' decisions are filed under (figure_keys.py: stable where the figure is the same)."""
    table["figure_key"] = figure_keys(table, kind)
    return table


def _merged_row(rows: list[dict], same: list[int], conflict_group) -> tuple[int, dict]:
    """One target from the mention rows stating it: its primary mention (the first in a table, else the first in
    the text), which gives its provenance, and the fields merged from all of them (a hedge, a stretch mark or a
    baseline any of them states is the target's)."""
    same = sorted(same, key=lambda i: (_SOURCE_ORDER.get(rows[i]["source"], len(_SOURCE_ORDER)), rows[i]["line"]))
    mentions = [rows[i] for i in same]
    primary = mentions[0]
    qualifiers = [m["qualifier"] for m in mentions if m["qualifier"] != "exact"]
    fields = {
        "qualifier": qualifiers[0] if qualifiers else "exact",
        "stretch": any(m["stretch"] for m in mentions),
        **{column: next((m[column] for m in mentions if not _missing(m[column])), None)
           for column in ("baseline_year", "baseline_value", "baseline_unit", "baseline_value_canonical", "attribute")},
        "source_line": primary["line"],
        "source_lines": ",".join(str(x) for x in sorted({m["line"] for m in mentions})),
        "conflict_group": conflict_group,
        "target_key": "|".join(str(x) for x in (
            primary["plan_id"], primary["_ind"], _year_text(primary["year"]), primary["target_type"], primary["per_year"],
            primary["cumulative"], _value_key(primary))) + _area_key(primary),
    }
    return same[0], fields


def _area_key(row) -> str:
    """'' for the plan's own region (keys as before areas were attributed), '|<code>' for a named sub-area."""
    return "" if row["area_rule"] == AREA_PLAN else f"|{row['region_code']}"


def _merge_actuals(frame: pd.DataFrame, rows: list[dict], positions: list[int]) -> pd.DataFrame:
    """One row per reported figure (the mention rows at `positions`): a figure stated twice (same area,
    indicator, year, measure and value) is kept once, at its first line, listing every line in source_lines."""
    if not positions:
        return _empty_table(ACTUAL_COLUMNS)
    kept, keys, seen, lines = [], [], {}, []
    for i in sorted(positions, key=lambda i: rows[i]["line"]):  # stable: a line's figures stay in reading order
        row = rows[i]
        ind, val = _indicator_key(row), _value_key(row)
        year = None if _missing(row["year"]) else row["year"]
        identity = (row["region_code"], ind, year, row["target_type"], val)
        if identity in seen:
            lines[seen[identity]].add(int(row["line"]))
            continue
        seen[identity] = len(kept)
        lines.append({int(row["line"])})
        kept.append(i)
        keys.append(f"{row['plan_id']}|{ind}|{_year_text(row['year'])}|{row['target_type']}|{val}" + _area_key(row))
    fields = {"measure": [rows[i]["target_type"] for i in kept], "source_line": frames.whole_numbers([rows[i]["line"] for i in kept]),
              "actual_key": keys, "source_lines": [",".join(str(n) for n in sorted(ls)) for ls in lines]}
    return _with_figure_keys(_table_of(frame, rows, kept, _read_columns(ACTUAL_COLUMNS), fields), "actual")


def extract_paths(paths: list[Path], plans_dir: Path, reference_dir: Path, region: str | None = None,
                  year: int | None = None, document_kind: str | None = None) -> list[Extraction]:
    """Read and extract several documents (the CLI's and the corpus scorer's entry point); the first
    document that cannot be read raises its DocumentError.

    `region`, `year` and `document_kind` are what the caller states about documents (``planwatch extract
    --region --year --kind``); the manifest and the text give the rest, and each Extraction.how says how.
    """
    results = []
    for result in extract_each(paths, plans_dir, reference_dir, region, year, document_kind):
        if isinstance(result, DocumentError):
            raise result
        results.append(result)
    return results


def extract_each(paths: list[Path], plans_dir: Path, reference_dir: Path, region: str | None = None,
                 year: int | None = None, document_kind: str | None = None):
    """Each document's Extraction, or the DocumentError that refuses it, in order (the ingest flow's entry
    point: a refused document costs only itself). The manifest and the reference are read once for all
    of them: that reading costs more than extracting a typical document."""
    from planwatch.regions import RegionResolver

    manifest = load_manifest(plans_dir)
    catalog = IndicatorCatalog.from_dir(reference_dir)
    units = UnitTable.from_dir(reference_dir)
    resolver = RegionResolver.default(reference_dir)
    vocabulary = DocumentVocabulary.from_dir(reference_dir)
    for path in paths:
        try:
            doc = read_document(path)
            ctx, how = plan_context(doc, manifest, region, resolver, year, document_kind, vocabulary)
        except DocumentError as exc:
            yield exc
            continue
        try:
            extraction = extract_document(doc, ctx, catalog, units, resolver)
        except Exception as exc:  # a rule tripping over this document: refuse it alone, saying how
            refused = DocumentError(path, f"extraction failed ({type(exc).__name__}: {exc})", "extraction failed")
            refused.__cause__ = exc
            yield refused
            continue
        extraction.how = how
        yield extraction


def figure_rows(extractions: list[Extraction]) -> pd.DataFrame:
    """One row per figure — targets and actuals, `kind` saying which — EXTRACT_COLUMNS first, then the rest of
    the target and actual rows; each document's figures in line order (what `planwatch extract` prints)."""
    rest = list(dict.fromkeys(c for c in TARGET_COLUMNS + ACTUAL_COLUMNS if c not in EXTRACT_COLUMNS))
    parts = []
    for e in extractions:
        targets = e.targets.assign(kind="target")
        if "period" not in targets:
            targets["period"] = ""  # a target's year is a whole year
        actuals = e.actuals.assign(kind="actual")
        if "target_type" not in actuals:
            actuals["target_type"] = actuals["measure"]  # level, growth_pct …: the same words as a target's type
        for frame in (targets, actuals):
            if len(frame):
                parts.append(frame.reindex(columns=EXTRACT_COLUMNS + rest))
    if not parts:
        return pd.DataFrame(columns=EXTRACT_COLUMNS + rest)
    figures = pd.concat(parts, ignore_index=True)
    order = figures["document"].map({e.document.name: i for i, e in enumerate(extractions)})
    figures = figures.assign(_order=order).sort_values(["_order", "source_line", "kind"], kind="stable", ignore_index=True)
    for column in ("year", "baseline_year", "source_line", "period_start"):
        figures[column] = pd.to_numeric(figures[column]).astype("Int64")
    return figures.drop(columns="_order")
