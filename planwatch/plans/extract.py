"""Documents → mentions → targets and reported actuals (the one place plans are parsed).

A *mention* is one place in a document that states a figure. Mentions of the
same target (a table cell and the sentence that repeats it, or a section the
document prints twice) merge into one *target* carrying every provenance;
when they disagree each value is kept and the disagreement is recorded as a
conflict for the quality checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from planwatch.indicators import IndicatorCatalog, normalize_name
from planwatch.plans.cells import AVG_GROWTH, GROWTH, PP_INCREASE
from planwatch.plans.model import MENTION_COLUMNS, Mention, PlanContext
from planwatch.plans.prose import prose_mentions
from planwatch.plans.reading import Document, DocumentError, read_document
from planwatch.plans.tables import find_tables, table_mentions
from planwatch.units import UnitTable

EXTRACTOR_VERSION = "7"  # bump when rules change so cached extractions are redone
REFERENCE_FILES = ("indicators.csv", "indicator_aliases.csv", "units.csv", "zones.csv", "zone_kinds.csv") + tuple(
    f"lexicon/{name}.csv" for name in ("qualifiers", "type_cues", "kind_cues", "headings", "time_words", "plan_periods",
                                       "lead_words", "noise_words", "relations", "project_fields", "unit_forms"))


def extraction_version(reference_dir: Path) -> str:
    """The extractor's rules plus the catalog it matched against: a new alias re-extracts every document."""
    import hashlib

    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        path = Path(reference_dir) / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return f"{EXTRACTOR_VERSION}.{digest.hexdigest()[:10]}"

EXTRACT_COLUMNS = [
    "region", "indicator_as_written", "indicator_code", "unit", "year", "value", "target_type", "qualifier",
    "baseline_year", "baseline_value", "source_line", "source_text",
]
TARGET_COLUMNS = EXTRACT_COLUMNS + [
    "region_code", "area_rule", "area_as_written", "plan_id", "document", "document_sha256", "canonical_unit", "value_canonical", "low", "high",
    "stretch", "attribute", "baseline_unit", "baseline_value_canonical", "cumulative", "per_year", "source", "source_lines", "context",
    "match_score", "match_method", "unit_issue", "conflict_group", "rule", "target_key",
]
ACTUAL_COLUMNS = [
    "region", "region_code", "area_rule", "area_as_written", "plan_id", "document", "document_sha256", "indicator_as_written", "indicator_code",
    "measure", "unit", "canonical_unit", "period_start", "year", "value", "value_canonical", "source_line",
    "source_text", "unit_issue", "period", "rule", "actual_key",
]


class ManifestError(DocumentError):
    """A document the manifest does not place in a plan: its row is wrong, or there is none and nothing can be inferred."""


PLAN_KINDS = ("five_year", "annual")
PLAUSIBLE_YEARS = (1990, 2100)
MANIFEST_COLUMNS = {"document", "plan_id", "region_name", "region_code", "plan_kind", "start_year", "end_year"}


def load_manifest(plans_dir: Path) -> pd.DataFrame:
    """The manifest as text, with `manifest_row` (the row's line in the file; the header is row 1).

    Only a file-level problem (missing columns) raises here; each row is checked when its
    document is read (check_manifest_row), so one bad row refuses one document.
    """
    path = Path(plans_dir) / "manifest.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["document", "manifest_row"])
    manifest = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = MANIFEST_COLUMNS - set(manifest.columns)
    if missing:
        raise ManifestError(path, f"missing columns {sorted(missing)}", "bad manifest")
    manifest = manifest.apply(lambda column: column.str.strip())
    manifest["manifest_row"] = range(2, len(manifest) + 2)
    manifest.attrs["path"] = str(path)
    return manifest


def check_manifest_row(document: str, manifest: pd.DataFrame, resolver) -> pd.Series:
    """The one manifest row of `document`, checked; ManifestError names the row, the document and the bad value."""
    path = Path(manifest.attrs.get("path", "manifest.csv"))
    rows = manifest[manifest["document"] == document]
    if len(rows) > 1:
        numbers = [str(n) for n in rows["manifest_row"]]
        raise ManifestError(document, f"{path.name} rows {', '.join(numbers[:-1])} and {numbers[-1]} both describe {document}; "
                                      "keep one", "duplicate manifest row")
    r = rows.iloc[0]
    where = f"{path.name} row {r['manifest_row']} ({document})"

    def refuse(kind: str, what: str):
        raise ManifestError(document, f"{where}: {what}", kind)

    if not r["plan_id"]:
        refuse("bad plan id", "plan_id is empty")
    others = manifest[(manifest["plan_id"] == r["plan_id"]) & (manifest["document"] != document)]
    if len(others):
        o = others.iloc[0]
        refuse("duplicate plan id", f"plan_id {r['plan_id']!r} is also row {o['manifest_row']}'s ({o['document']}); "
                                    "each document is its own plan")
    code, name = r["region_code"], r["region_name"]
    if not re.fullmatch(r"\d{6}(?:-[A-Z]{2,4})?", code):
        refuse("unknown region", f"region_code {code!r} is not a 6-digit region code (GB/T 2260) "
                                 "nor a zone code (<division code>-<kind code>, e.g. 130100-HTZ)")
    if not resolver.candidates(code):  # a division, a zone in zones.csv, or a division's zone of a kind in zone_kinds.csv
        refuse("unknown region", f"region_code {code!r} is not a region in the region reference (seeds/reference/regions.csv) "
                                 "nor a zone (seeds/reference/zones.csv, zone_kinds.csv)")
    if code not in resolver.candidates(name):
        actual = resolver.region(code).region_name
        refuse("region mismatch", f"region_name {name!r} is not region_code {code} ({actual}); fix the name or the code")
    if r["plan_kind"] not in PLAN_KINDS:
        refuse("bad plan kind", f"plan_kind {r['plan_kind']!r} is not one of {', '.join(PLAN_KINDS)}")
    years = {}
    for column in ("start_year", "end_year"):
        if not re.fullmatch(r"\d{4}", r[column]):
            refuse("bad plan period", f"{column} {r[column]!r} is not a year (four digits)")
        years[column] = int(r[column])
    start, end = years["start_year"], years["end_year"]
    if start > end:
        refuse("bad plan period", f"start_year {start} is after end_year {end}")
    low, high = PLAUSIBLE_YEARS
    if start < low or end > high:
        refuse("bad plan period", f"the period {start}-{end} is outside {low}-{high}")
    if r["plan_kind"] == "annual" and start != end:
        refuse("bad plan period", f"an annual plan covers one year, not {start}-{end}; use plan_kind five_year or one year")
    return r


_PERIOD = re.compile(r"(20\d{2})\s*[-—–至到~]\s*(20\d{2})")
_FYP = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}


def infer_plan_period(doc: Document) -> tuple[str, int, int, str]:
    """(plan_kind, start, end, reason) from the first lines of a document outside the manifest."""
    head = "\n".join(doc.lines[:40])
    m = _PERIOD.search(head)
    if m:
        return "five_year", int(m.group(1)), int(m.group(2)), f"period {m.group(0)} in the title lines"
    for word, (start, end) in _FYP.items():
        if word in head:
            return "five_year", start, end, f"'{word}' in the title lines"
    years = [int(y) for y in re.findall(r"(20\d{2})\s*年", "\n".join(doc.lines))]
    if years:
        year = max(set(years), key=years.count)
        return "annual", year, year, f"most frequent year in the text ({year})"
    raise ManifestError(doc.path, "cannot infer the plan period (no 20xx-20xx, 十四五 or year in the text); add it to the manifest",
                        "no plan period")


def plan_context(doc: Document, manifest: pd.DataFrame, region: str | None = None, resolver=None) -> tuple[PlanContext, str]:
    """The plan a document belongs to, and how that was decided."""
    if resolver is None:
        from planwatch.regions import RegionResolver
        resolver = RegionResolver.default()
    if len(manifest) and (manifest["document"] == doc.name).any():
        r = check_manifest_row(doc.name, manifest, resolver)
        return (
            PlanContext(r["plan_id"], r["region_code"], r["region_name"], r["plan_kind"], int(r["start_year"]),
                        int(r["end_year"]), r.get("title", "")),
            "manifest",
        )
    kind, start, end, period_reason = infer_plan_period(doc)
    if region:
        found = resolver.resolve(region)
        how = f"region given with --region ({found.region_name} {found.region_code})"
    else:
        inferred = resolver.infer_from_text("\n".join(doc.lines))
        if inferred is None:
            raise ManifestError(
                doc.path, "cannot tell which region this plan is about; name it with --region or add the document to the manifest",
                "no region")
        found = inferred.region
        how = f"region inferred from the text: {inferred.evidence}"
    plan_id = re.sub(r"[^a-z0-9]+", "-", doc.path.stem.lower()).strip("-") or doc.sha256[:12]
    title = next((line.strip() for line in doc.lines if line.strip()), "")
    return PlanContext(plan_id, found.region_code, found.region_name, kind, start, end, title), f"{how}; {period_reason}"


@dataclass
class Extraction:
    document: Document
    context: PlanContext
    mentions: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    conflicts: pd.DataFrame
    how: str = "manifest"


def extract_document(doc: Document, ctx: PlanContext, catalog: IndicatorCatalog, units: UnitTable, resolver=None) -> Extraction:
    table_found = find_tables(doc.lines, ctx)
    table_line_set = set()
    for t in table_found:
        table_line_set.add(t.header_line)
        for _, cells in t.rows:
            table_line_set.update(line for line, _ in cells)
    mentions = table_mentions(doc.lines, ctx, doc.name) + prose_mentions(doc.lines, ctx, doc.name, table_line_set)
    frame = pd.DataFrame([m.as_dict() for m in mentions], columns=MENTION_COLUMNS)
    if frame.empty:
        empty_t = pd.DataFrame(columns=TARGET_COLUMNS)
        return Extraction(doc, ctx, frame, empty_t, pd.DataFrame(columns=ACTUAL_COLUMNS), pd.DataFrame(), "")
    if resolver is None:
        from planwatch.regions import RegionResolver
        resolver = RegionResolver.default()
    frame = attribute_sub_areas(frame, doc, ctx, resolver, table_line_set)
    matched = catalog.match_many(frame["indicator_as_written"])
    frame = pd.concat([frame, matched], axis=1)
    frame["canonical_unit"] = [_canonical_unit(catalog, code, tt, unit) for code, tt, unit in
                               zip(frame["indicator_code"], frame["target_type"], frame["unit"])]
    factors = [units.factor(u, c) for u, c in zip(frame["unit"], frame["canonical_unit"])]
    frame["unit_issue"] = [
        None if f is not None or not isinstance(c, str) else f"cannot convert {u if isinstance(u, str) else '(no unit)'} to {c}"
        for f, u, c in zip(factors, frame["unit"], frame["canonical_unit"])
    ]
    frame["factor"] = factors
    frame["value_canonical"] = [v * f if v is not None and f is not None and pd.notna(v) else None for v, f in zip(frame["value"], factors)]
    # The baseline is a level in the row's unit (also for growth targets, whose value is a %).
    level_units = [catalog.canonical_unit(c) if isinstance(c, str) and c else None for c in frame["indicator_code"]]
    frame["baseline_value_canonical"] = [
        b * f if pd.notna(b) and (f := units.factor(bu if isinstance(bu, str) else u, lu)) is not None else None
        for b, bu, u, lu in zip(frame["baseline_value"], frame["baseline_unit"], frame["unit"], level_units)
    ]
    frame["plan_id"] = ctx.plan_id
    frame["document_sha256"] = doc.sha256
    targets, conflicts = _merge_targets(frame[frame["kind"] == "target"])
    actuals = _merge_actuals(frame[frame["kind"] == "actual"])
    # Years and lines are whole numbers, also where some rows have none.
    for table, columns in ((targets, ("year", "baseline_year", "source_line")), (actuals, ("year", "period_start", "source_line"))):
        for column in columns:
            table[column] = pd.to_numeric(table[column]).astype("Int64")
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
_SUBJECT_LEAD = re.compile(
    r"(?:其中|同时|并|力争|争取|确保|推动|推进|促进|支持|鼓励|引导|带动|使|让|"
    r"到\s*20\d\d\s*年(?:底|末|前)?|20\d\d\s*年(?:底|末|前)?|[\d一二三四五六七八九十]+\s*年内|\"?十[三四五]五\"?(?:期间|末|时期))*"
)
_SELF_REFERENCE = re.compile(r"(?:全|我|本)(?:省|市|州|县|区|旗)")
_CLAUSE_BREAK = re.compile(r"[,，:：;；。!！?？]")
_GRAMMATICAL_END = re.compile(r"[。!！?？]\s*$")
_HEADING_NUMBER = re.compile(r"^\s*(?:[\d一二三四五六七八九十]+\s*[、.．]|[（(][\d一二三四五六七八九十]+[)）])\s*")
_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|同|以及)")
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


def _area_of(parts: list[str], ids: list[int], index: int, indicator: str, resolver) -> tuple[str | None, str]:
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
    subjects = _subjects(text, limit, resolver)
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
        previous = _subjects(parts[j], len(parts[j]), resolver)
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
        opening = [s for s in _subjects(parts[start], len(parts[start]), resolver) if s[1] == 0]
        if opening:
            return opening[0][2], opening[0][3]
    return None, ""


def attribute_sub_areas(frame: pd.DataFrame, doc: Document, ctx: PlanContext, resolver, table_lines: set[int]) -> pd.DataFrame:
    """region, region_code, area_rule (plan | named_zone | named_subdivision) and area_as_written of every mention."""
    frame = frame.copy()
    paragraphs = _paragraph_parts(doc, table_lines)
    regions, codes, rules, written = [], [], [], []
    for m in frame.itertuples(index=False):
        code, as_written = None, ""
        if m.source == "table":
            row = _subjects(str(m.context), len(str(m.context)), resolver)  # the row name and column header
            code, as_written = (row[-1][2], row[-1][3]) if row else (None, "")
        else:
            for parts, ids, first, last in paragraphs:
                if first <= m.line <= last and m.source_text in parts:
                    code, as_written = _area_of(parts, ids, parts.index(m.source_text), str(m.indicator_as_written), resolver)
                    break
        if code is not None and code != ctx.region_code and resolver.lies_in(code, ctx.region_code):
            area = resolver.region(code)
            regions.append(area.region_name)
            codes.append(code)
            rules.append(AREA_ZONE if area.is_zone else AREA_SUBDIVISION)
            written.append(as_written)
        else:
            regions.append(ctx.region_name)
            codes.append(ctx.region_code)
            rules.append(AREA_PLAN)
            written.append(None)
    frame["region"], frame["region_code"], frame["area_rule"], frame["area_as_written"] = regions, codes, rules, written
    # "祁阳高新区规模工业产值": the area is who, the rest is what (the catalog matches the rest).
    frame["indicator_as_written"] = [_without_area(i, w) for i, w in zip(frame["indicator_as_written"], written)]
    return frame


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


def _indicator_key(row) -> str:
    return row["indicator_code"] if isinstance(row["indicator_code"], str) and row["indicator_code"] else "name:" + normalize_name(row["indicator_as_written"])


def _value_key(row) -> tuple:
    def r(x):
        return None if x is None or pd.isna(x) else round(float(x), 6)
    v = row["value_canonical"] if pd.notna(row["value_canonical"]) else row["value"]
    return (r(v), r(row["low"]), r(row["high"]))


def _merge_targets(mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    if mentions.empty:
        return pd.DataFrame(columns=TARGET_COLUMNS), pd.DataFrame()
    m = mentions.copy()
    m["_ind"] = m.apply(_indicator_key, axis=1)
    m["_val"] = m.apply(_value_key, axis=1)
    group_cols = ["region_code", "_ind", "year", "target_type", "per_year", "cumulative"]
    rows, conflicts = [], []
    for _, group in m.groupby(group_cols, dropna=False, sort=False):
        distinct = list(dict.fromkeys(group["_val"]))
        conflict_group = None
        if len(distinct) > 1:
            first = group.iloc[0]
            conflict_group = f"{first['plan_id']}|{first['_ind']}|{int(first['year'])}|{first['target_type']}" + _area_key(first)
            for _, c in group.iterrows():
                conflicts.append({
                    "conflict_group": conflict_group, "document": c["document"], "line": c["line"], "source": c["source"],
                    "indicator_as_written": c["indicator_as_written"], "indicator_code": c["indicator_code"],
                    "year": c["year"], "value": c["value"], "unit": c["unit"], "source_text": c["source_text"],
                })
        for value_key in distinct:
            same = group[group["_val"].map(lambda v: v == value_key)]
            rows.append(_merged_row(same, conflict_group))
    targets = pd.DataFrame(rows)
    return targets[TARGET_COLUMNS].reset_index(drop=True), pd.DataFrame(conflicts)


def _merged_row(same: pd.DataFrame, conflict_group) -> dict:
    same = same.sort_values(["source", "line"], key=lambda s: s.map({"table": 0, "prose": 1}) if s.name == "source" else s)
    primary = same.iloc[0].to_dict()
    qualifiers = [q for q in same["qualifier"] if q != "exact"]
    primary["qualifier"] = qualifiers[0] if qualifiers else "exact"
    primary["stretch"] = bool(same["stretch"].any())
    for col in ("baseline_year", "baseline_value", "baseline_unit", "baseline_value_canonical", "attribute"):
        present = same[col].dropna()
        primary[col] = present.iloc[0] if len(present) else None
    primary["source_line"] = int(primary["line"])
    primary["source_lines"] = ",".join(str(x) for x in sorted(set(same["line"].astype(int))))
    primary["region"] = primary["region"]
    primary["conflict_group"] = conflict_group
    key_value = _value_key(primary)
    primary["target_key"] = "|".join(str(x) for x in (primary["plan_id"], primary["_ind"], primary["year"], primary["target_type"],
                                                       primary["per_year"], primary["cumulative"], key_value)) + _area_key(primary)
    return primary


def _area_key(row) -> str:
    """'' for the plan's own region (keys as before areas were attributed), '|<code>' for a named sub-area."""
    return "" if row["area_rule"] == AREA_PLAN else f"|{row['region_code']}"


def _merge_actuals(mentions: pd.DataFrame) -> pd.DataFrame:
    if mentions.empty:
        return pd.DataFrame(columns=ACTUAL_COLUMNS)
    m = mentions.copy()
    m["_ind"] = m.apply(_indicator_key, axis=1)
    m["_val"] = m.apply(_value_key, axis=1)
    m = m.sort_values("line").drop_duplicates(["region_code", "_ind", "year", "target_type", "_val"])
    m["measure"] = m["target_type"]
    m["source_line"] = m["line"].astype(int)
    m["actual_key"] = [f"{p}|{i}|{y}|{t}|{v}" + _area_key(r) for (p, i, y, t, v), (_, r) in
                       zip(zip(m["plan_id"], m["_ind"], m["year"], m["target_type"], m["_val"]), m.iterrows())]
    return m[ACTUAL_COLUMNS].reset_index(drop=True)


def extract_paths(paths: list[Path], plans_dir: Path, reference_dir: Path, region: str | None = None) -> list[Extraction]:
    """Read and extract several documents (the CLI's and the flow's entry point)."""
    from planwatch.regions import RegionResolver

    manifest = load_manifest(plans_dir)
    catalog = IndicatorCatalog.from_dir(reference_dir)
    units = UnitTable.from_dir(reference_dir)
    resolver = RegionResolver.default(reference_dir)
    results = []
    for path in paths:
        doc = read_document(path)
        ctx, how = plan_context(doc, manifest, region, resolver)
        try:
            extraction = extract_document(doc, ctx, catalog, units, resolver)
        except Exception as exc:  # a rule tripping over this document: refuse it alone, saying how
            raise DocumentError(path, f"extraction failed ({type(exc).__name__}: {exc})", "extraction failed") from exc
        extraction.how = how
        results.append(extraction)
    return results
