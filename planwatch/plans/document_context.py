"""The plan a document belongs to — region, period, year, kind — and how each was decided.

Each part comes from the first source that gives it:

- region: the manifest row, else ``--region``, else the names the text uses (RegionResolver);
- period and year: ``--year`` (the caller), else the manifest's years, else a plan period in the
  title (2021-2025, 十四五 — names from seeds/reference/lexicon/plan_periods.csv), else the most
  frequent explicit year (2023年), else the year of the publication date; otherwise none: the
  document is undated and figures without a year of their own get none;
- reference year (the year 今年 means; 去年/明年 are relative to it): ``--year``, else the manifest
  (`published`, or an annual plan's year), else the publication date in the text (发布时间：2022-10-12,
  a date line in the head, the date under the signature), else an annual plan's year;
- document kind (plan | work_plan | bulletin | report): ``--kind``, else the manifest's
  `document_kind`, else the kind word that ends the title (seeds/reference/lexicon/document_kinds.csv;
  Chinese titles end in their genre: 关于…的实施方案, …工作总结), else plan.

Nothing here refuses a document for lacking a year; a manifest row with a wrong value still refuses
its document, naming the row.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from planwatch.plans.model import PlanContext
from planwatch.plans.reading import Document, DocumentError
from planwatch.text import chinese_numeral_to_number, normalize

DOCUMENT_KINDS = ("plan", "work_plan", "bulletin", "report")
DEFAULT_DOCUMENT_KIND = "plan"
PLAN_KINDS = ("five_year", "annual")
PLAUSIBLE_YEARS = (1990, 2100)
LONGEST_PLAN_PERIOD = 15  # years; a longer "2020-2050" is a vision, not the plan's period
MANIFEST_COLUMNS = {"document", "plan_id", "region_name", "region_code", "plan_kind", "start_year", "end_year"}
LEXICON_DIR = "lexicon"
DOCUMENT_KINDS_FILE = "document_kinds.csv"
PLAN_PERIODS_FILE = "plan_periods.csv"
NO_YEAR = "no year found: figures without their own year get none"


class ManifestError(DocumentError):
    """A document the manifest does not place in a plan: its row is wrong, or there is none and nothing can be inferred."""


class LexiconError(ValueError):
    """A vocabulary file that cannot be used: names the file, the line and what is wrong."""


# ---------- vocabulary


@dataclass(frozen=True)
class DocumentVocabulary:
    """The words that tell a document's kind and the names of five-year plans, from seeds/reference/lexicon."""

    kind_words: tuple[tuple[str, str], ...]  # (word, document kind)
    plan_periods: tuple[tuple[str, int, int], ...]  # (name, start year, end year)

    @classmethod
    def from_dir(cls, reference_dir: Path | None = None) -> "DocumentVocabulary":
        if reference_dir is None:
            from planwatch.config import get_paths

            reference_dir = get_paths().reference_dir
        folder = Path(reference_dir).resolve() / LEXICON_DIR
        files = (folder / DOCUMENT_KINDS_FILE, folder / PLAN_PERIODS_FILE)
        return _load_vocabulary(*files, *(f.stat().st_mtime_ns if f.is_file() else 0 for f in files))


def _read_lexicon(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise LexiconError(f"{path}: missing (columns {', '.join(columns)})")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LexiconError(f"{path}: missing columns {missing}")
    table = table.apply(lambda column: column.str.strip())
    table["line"] = range(2, len(table) + 2)
    return table


@lru_cache(maxsize=8)
def _load_vocabulary(kinds_path: Path, periods_path: Path, *_mtimes: int) -> DocumentVocabulary:
    kinds = _read_lexicon(kinds_path, ["word", "document_kind"])
    words: dict[str, str] = {}
    for r in kinds.itertuples():
        if not r.word:
            raise LexiconError(f"{kinds_path} line {r.line}: empty word")
        if r.document_kind not in DOCUMENT_KINDS:
            raise LexiconError(f"{kinds_path} line {r.line}: document_kind {r.document_kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        word = normalize(r.word)
        if word in words:
            raise LexiconError(f"{kinds_path} line {r.line}: {r.word!r} is listed twice")
        words[word] = r.document_kind
    periods = _read_lexicon(periods_path, ["name", "start_year", "end_year"])
    names = []
    for r in periods.itertuples():
        if not r.name or not re.fullmatch(r"\d{4}", r.start_year) or not re.fullmatch(r"\d{4}", r.end_year) \
                or int(r.start_year) > int(r.end_year):
            raise LexiconError(f"{periods_path} line {r.line}: needs a name and start_year <= end_year (four digits each), "
                               f"not {r.name!r}, {r.start_year!r}, {r.end_year!r}")
        names.append((normalize(r.name), int(r.start_year), int(r.end_year)))
    return DocumentVocabulary(tuple(words.items()), tuple(names))


# ---------- the manifest


def load_manifest(plans_dir: Path) -> pd.DataFrame:
    """The manifest as text, with `manifest_row` (the row's line in the file; the header is row 1).

    Only a file-level problem (missing columns) raises here; each row is checked when its
    document is read (check_manifest_row), so one bad row refuses one document. `document_kind`,
    `title` and `published` are optional columns (manifests written before them still load).
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


_PUBLISHED = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")


@dataclass(frozen=True)
class ManifestIndex:
    """The manifest's row positions by document and by plan_id: filtering the frame for each document it
    places costs pandas a few milliseconds per document, more than reading a short document."""

    documents: tuple[str, ...]  # the document of each row, in row order
    rows_of_document: dict[str, list[int]]
    rows_of_plan_id: dict[str, list[int]]
    records: tuple[dict, ...]  # each row as a dict (a pandas row costs microseconds per field read)


# Each manifest frame's index, built the first time one of its documents is placed (by id, with a weak
# reference telling whether that frame is still the one the id names).
_MANIFEST_INDEXES: dict[int, tuple[weakref.ref, ManifestIndex]] = {}


def manifest_index(manifest: pd.DataFrame) -> ManifestIndex:
    cached = _MANIFEST_INDEXES.get(id(manifest))
    if cached is not None and cached[0]() is manifest and len(cached[1].documents) == len(manifest):
        return cached[1]
    documents = tuple(manifest["document"].tolist()) if "document" in manifest else ()
    plan_ids = manifest["plan_id"].tolist() if "plan_id" in manifest else [None] * len(documents)
    by_document: dict[str, list[int]] = {}
    by_plan_id: dict[str, list[int]] = {}
    for i, (document, plan_id) in enumerate(zip(documents, plan_ids)):
        by_document.setdefault(document, []).append(i)
        by_plan_id.setdefault(plan_id, []).append(i)
    index = ManifestIndex(documents, by_document, by_plan_id, tuple(manifest.to_dict("records")))
    key = id(manifest)
    _MANIFEST_INDEXES[key] = (weakref.ref(manifest, lambda _, key=key: _MANIFEST_INDEXES.pop(key, None)), index)
    return index


def check_manifest_row(document: str, manifest: pd.DataFrame, resolver) -> dict:
    """The one manifest row of `document`, checked; ManifestError names the row, the document and the bad value.

    The years (start_year, end_year) and plan_kind may be empty — an undated document, whose period is
    then inferred like a document outside the manifest — but not half given or wrong.
    """
    path = Path(manifest.attrs.get("path", "manifest.csv"))
    index = manifest_index(manifest)
    positions = index.rows_of_document.get(document, [])
    if len(positions) > 1:
        numbers = [str(index.records[i]["manifest_row"]) for i in positions]
        raise ManifestError(document, f"{path.name} rows {', '.join(numbers[:-1])} and {numbers[-1]} both describe {document}; "
                                      "keep one", "duplicate manifest row")
    r = dict(index.records[positions[0]])  # the caller's to keep
    where = f"{path.name} row {r['manifest_row']} ({document})"

    def refuse(kind: str, what: str):
        raise ManifestError(document, f"{where}: {what}", kind)

    if not r["plan_id"]:
        refuse("bad plan id", "plan_id is empty")
    others = [i for i in index.rows_of_plan_id.get(r["plan_id"], []) if index.documents[i] != document]
    if others:
        o = index.records[others[0]]
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
    if r["plan_kind"] and r["plan_kind"] not in PLAN_KINDS:
        refuse("bad plan kind", f"plan_kind {r['plan_kind']!r} is not one of {', '.join(PLAN_KINDS)} (or empty: inferred)")
    kind = r.get("document_kind", "")
    if kind and kind not in DOCUMENT_KINDS:
        refuse("bad document kind", f"document_kind {kind!r} is not one of {', '.join(DOCUMENT_KINDS)} (or empty: inferred)")
    given = {column: r[column] for column in ("start_year", "end_year") if r[column]}
    for column, value in given.items():
        if not re.fullmatch(r"\d{4}", value):
            refuse("bad plan period", f"{column} {value!r} is not a year (four digits)")
    if len(given) == 1:
        [(column, value)] = given.items()
        other = "end_year" if column == "start_year" else "start_year"
        refuse("bad plan period", f"{column} is {value} but {other} is empty; give both years or neither (undated)")
    low, high = PLAUSIBLE_YEARS
    if given:
        start, end = int(r["start_year"]), int(r["end_year"])
        if start > end:
            refuse("bad plan period", f"start_year {start} is after end_year {end}")
        if start < low or end > high:
            refuse("bad plan period", f"the period {start}-{end} is outside {low}-{high}")
        if r["plan_kind"] == "annual" and start != end:
            refuse("bad plan period", f"an annual plan covers one year, not {start}-{end}; use plan_kind five_year or one year")
    published = r.get("published", "")
    if published:
        m = _PUBLISHED.fullmatch(published)
        if not m or not low <= int(m["year"]) <= high or (m["month"] and not 1 <= int(m["month"]) <= 12) \
                or (m["day"] and not 1 <= int(m["day"]) <= 31):
            refuse("bad publication date", f"published {published!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD, {low}-{high})")
    return r


# ---------- reading the text: title, period, dates, kind

_URL = re.compile(r"(?:https?://|www\.)\S+")
_SPAN = re.compile(r"(?<!\d)(20\d{2})\s*年?\s*[-至到~]\s*(20\d{2})(?!\d)")
_YEAR = re.compile(r"(20\d{2})\s*年")  # an explicit year as plans write it: 2023年
TITLE_LINES, TITLE_LENGTH = 3, 80  # a title is the first short lines, before the first sentence
HEAD_LINES, DATE_HEAD_LINES, DATE_TAIL_LINES = 40, 10, 5
DATE_LINE_LENGTH = 50  # a date line (来源：县科技局 2022-10-12, a signature's date) is short, or opens with the date

_NUMERIC_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日|(?P<sep>[-/.])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<d2>\d{1,2})(?![\d.]))"
_CN_DATE = r"(?P<cy>[〇零一二三四五六七八九]{4})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,2})\s*月\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*日"
_DATE = re.compile(rf"(?:{_NUMERIC_DATE}|{_CN_DATE})")
# A date a label calls the page's or the document's own (发布时间：2022-10-12, 成文日期：2023年1月5日).
_DATE_LABEL = re.compile(r"(?:发布|发文|成文|印发|公开|公布|更新|信息|文章)?(?:时间|日期)\s*[:]?\s*$")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def _clean(line: str) -> str:
    return _URL.sub(" ", normalize(line))


def _body_start(doc: Document) -> int:
    """Index of the first line after a leading block of '#' comment lines (a saved page's notes: source, date)."""
    i = 0
    while i < len(doc.lines) and (doc.lines[i].lstrip().startswith("#") or not doc.lines[i].strip()):
        i += 1
    return i if any(doc.lines[j].lstrip().startswith("#") for j in range(i)) else 0


def title_lines(doc: Document) -> list[tuple[int, str]]:
    """(line number, text) of the title: the first short non-empty lines, up to the first sentence."""
    from planwatch.plans.furniture import page_furniture, title_in_field

    found = []
    for i in range(_body_start(doc), len(doc.lines)):
        text = _clean(doc.lines[i]).strip()
        if not text:
            continue
        furniture = page_furniture(text)
        if furniture == "title_field" and not found:
            found.append((i + 1, title_in_field(text)))  # "名称: 2023年…任务分解": the record names the title
            continue
        if furniture is not None:
            continue  # a web page's menu, breadcrumb, login box or record fields (索引号: …) are not its title
        if len(text) > TITLE_LENGTH or text.endswith("。") or len(found) == TITLE_LINES:
            break
        found.append((i + 1, text))
    return found


def document_title(doc: Document) -> str:
    """The title as written (the first title line), else the first line of text."""
    titles = title_lines(doc)
    if titles:
        return doc.lines[titles[0][0] - 1].strip()
    return next((line.strip() for line in doc.lines[_body_start(doc):] if line.strip()), "")


def _period_span(text: str) -> tuple[int, int, str] | None:
    for m in _SPAN.finditer(text):
        start, end = int(m.group(1)), int(m.group(2))
        if start < end <= start + LONGEST_PLAN_PERIOD:
            return start, end, m.group(0)
    return None


def plan_period(doc: Document, vocabulary: DocumentVocabulary) -> tuple[int, int, str] | None:
    """(start, end, how) of a plan period the document states, or None.

    period:title_span (2021-2025 in the title), period:title_name (十四五 in the title, names from
    plan_periods.csv), period:head_span (a 20xx-20xx span in the first lines, e.g. 规划期为2021-2025年).
    A five-year plan's name outside the title (2025年是"十四五"规划收官之年) is no period of this document.
    """
    for line, text in title_lines(doc):
        span = _period_span(text)
        if span:
            return span[0], span[1], f"period {span[0]}-{span[1]}: {span[2]!r} in the title (line {line})"
        names = [(text.find(name), name, start, end) for name, start, end in vocabulary.plan_periods if name in text]
        if names:
            _, name, start, end = min(names)
            return start, end, f"period {start}-{end}: {name!r} in the title (line {line})"
    first = _body_start(doc)
    for i in range(first, min(len(doc.lines), first + HEAD_LINES)):
        span = _period_span(_DATE.sub(" ", _clean(doc.lines[i])))
        if span:
            return span[0], span[1], f"period {span[0]}-{span[1]}: {span[2]!r} in line {i + 1}"
    return None


def _date_year(m: re.Match) -> tuple[int, str, int] | None:
    """(year, the date as written, month) of a date match whose month and day are real."""
    if m["cy"]:
        year = int("".join(_CN_DIGIT[c] for c in m["cy"]))
        month, day = chinese_numeral_to_number(m["cm"]), chinese_numeral_to_number(m["cd"])
    else:
        year = int(m["y"])
        month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
    low, high = PLAUSIBLE_YEARS
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31 and low <= year <= high):
        return None
    return year, m.group(0), month


class Published(NamedTuple):
    """The date a document was issued or published: its year, how it was found, and its month."""
    year: int
    how: str
    month: int


def publication_date(doc: Document) -> Published | None:
    """The date the document was issued or published (year, how, month), or None.

    date:labelled — a date after 发布时间/发布日期/成文日期… in the head or the tail of the document;
    date:head_line — a full date (year, month, day) in one of the first lines, in a short line or opening it;
    date:signature — the same in one of the last lines (official documents end with the issuer and date).
    Dates inside web addresses are not read.
    """
    filled = [i for i, line in enumerate(doc.lines) if line.strip()]
    tail = filled[::-1][:min(DATE_TAIL_LINES, len(filled) // 2)]  # a short text's last lines are its signature
    head = [i for i in range(min(len(doc.lines), DATE_HEAD_LINES + _body_start(doc))) if i not in tail]
    found: dict[str, Published] = {}
    for place, indices in (("head", head), ("tail", tail)):
        for i in indices:
            text = _clean(doc.lines[i])
            for m in _DATE.finditer(text):
                read = _date_year(m)
                if read is None:
                    continue
                before = text[:m.start()]
                if _DATE_LABEL.search(before[-12:]):
                    rule = "labelled"
                elif len(text.strip()) <= DATE_LINE_LENGTH or not before.strip():
                    rule = "head_line" if place == "head" else "signature"
                else:
                    continue  # a date inside a sentence is an event's, not the document's
                found.setdefault(rule, Published(read[0], f"{read[1]} (line {i + 1})", read[2]))
    for rule, what in (("labelled", "the publication date"), ("head_line", "the date in the head"),
                       ("signature", "the date under the signature")):
        if rule in found:
            return found[rule]._replace(how=f"{what} {found[rule].how}")
    return None


def most_frequent_year(doc: Document) -> tuple[int, int] | None:
    """(year, times) of the explicit year (2023年) the text names most often, dates (2023年1月5日) not counted;
    ties go to the later year."""
    years = [int(y) for line in doc.lines for y in _YEAR.findall(_DATE.sub(" ", unicodedata.normalize("NFKC", line)))]
    if not years:
        return None
    counts = {y: years.count(y) for y in set(years)}
    year = max(counts, key=lambda y: (counts[y], y))
    return year, counts[year]


def _years_lines_all_aim(doc: Document, year: int, alone: bool = True) -> int | None:
    """The first line naming `year` when every line naming it aims (a strong aim cue, a task word such as
    目标, or a heading of the coming year's work, its aims or its approach); else None. With `alone`, the
    text must name no other year either."""
    from planwatch.plans.lexicon import default_lexicon
    from planwatch.plans.prose import heading_words_section

    lexicon = default_lexicon()
    aims = lexicon.cue_words("target", "strong") + ((lexicon.cue_words("task")) if not alone else ())
    first = None
    for number, line in enumerate(doc.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        named = {int(y) for y in _YEAR.findall(_DATE.sub(" ", unicodedata.normalize("NFKC", line)))}
        if not named or (not alone and year not in named):
            continue
        text = normalize(line)
        if named != {year} or not (heading_words_section(line) in ("next", "target", "principle")
                                   or any(w in text for w in aims)):
            return None
        first = first or number
    return first


def _latest_year_of_aims(doc: Document) -> tuple[int, int] | None:
    """(year, line) of the latest year an undated text names when every line naming it states aims
    ("2020年全省科技工作的主要目标已经确定"): the year the text speaks from, whatever earlier years its
    results name more often."""
    years = {int(y) for line in doc.lines if not line.lstrip().startswith("#")
             for y in _YEAR.findall(_DATE.sub(" ", unicodedata.normalize("NFKC", line)))}
    if not years:
        return None
    latest = max(years)
    line = _years_lines_all_aim(doc, latest, alone=False)
    return (latest, line) if line is not None else None


def title_year(doc: Document, document_kind: str) -> tuple[int, str] | None:
    """(year, how) of the year the title names (XX县2023年工作总结, 2024年科技工作要点), or None.

    A report reviews the first year its title names ("2023年工作总结和2024年工作打算"); a plan or work
    plan is for the last one ("2023年工作总结及2024年工作计划")."""
    found = [(line, int(y)) for line, text in title_lines(doc) for y in _YEAR.findall(_DATE.sub(" ", text))]
    if not found:
        return None
    line, year = found[0] if document_kind in ("report", "bulletin") else found[-1]
    if document_kind == "report":
        text = dict(title_lines(doc))[line]
        if _PLACEHOLDER_YEAR.search(text.split(str(year))[0]):
            # "202x年度工作总结及2025年度工作计划" (a template's hidden year): the review is of the year before.
            return year - 1, f"year {year - 1}: the title's review year is hidden ({_PLACEHOLDER_YEAR.search(text).group()}), its plan is for {year} (line {line})"
    return year, f"year {year}: named in the title (line {line})"


_PLACEHOLDER_YEAR = re.compile(r"(?:20[0-9]?[xX×Ｘ]{1,2}|[xX×Ｘ]{4})\s*年")


def document_kind_from_title(doc: Document, vocabulary: DocumentVocabulary) -> tuple[str, str] | None:
    """(kind, how) from the first title line holding a kind word: the word that ends last heads the title
    (XX规划实施情况 is a report, 关于XX规划的实施方案 a work plan); of two ending together, the longer."""
    for line, text in title_lines(doc):
        hits = [(text.rfind(word) + len(word), len(word), word, kind) for word, kind in vocabulary.kind_words if word in text]
        if hits:
            _, _, word, kind = max(hits)
            summary = _summary_and_plan(text, hits)
            if summary is not None:
                # "2023年工作总结及2024年工作计划": the review of a year, with a part on the next one.
                return "report", (f"document kind report: {summary[0]!r} and {summary[1]!r} in the title (line {line}): "
                                  "a year's review with a part on the next")
            return kind, f"document kind {kind}: {word!r} heads the title (line {line})"
    return None


# 工作总结和2024年工作计划: a summary joined to the next period's plan.
_JOINED_PLAN = re.compile(r"^[^，。；,;]{0,16}?(?:和|及|与|暨|以及)")


def _summary_and_plan(text: str, hits) -> tuple[str, str] | None:
    """(summary word, plan word) when the title joins a report word to a later work-plan word with 和/及/与/暨."""
    reports = [(end, word) for end, _, word, kind in hits if kind == "report"]
    plans = [(end - len(word), word) for end, _, word, kind in hits if kind == "work_plan"]
    for end, word in reports:
        for start, plan_word in plans:
            if start > end and _JOINED_PLAN.match(text[end:start]):
                return word, plan_word
    return None


def document_kind_from_dates(doc: Document, published: tuple[int, str] | None) -> tuple[str, str] | None:
    """("report", how) when every year the title names is before the year the text was published:
    "2023年，我县科技创新跑出加速度", published in January 2024, looks back."""
    if published is None:
        return None
    years = [int(y) for _, text in title_lines(doc) for y in _YEAR.findall(_DATE.sub(" ", text))]
    if years and max(years) < published[0]:
        return "report", (f"document kind report: the title names {max(years)} only, before the text's date "
                          f"({published[1]}): it looks back")
    return None


# A text with no kind word in its title is a report when its sentences mostly tell what was done:
# strong "done" cues of the lexicon (同比, 比上年, 已, 以来 …) at least REPORT_CUE_RATIO times its strong
# "aim" cues (力争, 将, 拟 …), and at least REPORT_MIN_CUES of them.
REPORT_CUE_RATIO = 2
REPORT_MIN_CUES = 3
REPORT_MIN_FIGURES = 5  # a text without a single aim is a report only when it states this many figures


def document_kind_from_text(doc: Document) -> tuple[str, str] | None:
    """("report", how) when the text reports far more than it aims; None when it does not."""
    from planwatch.plans.lexicon import default_lexicon
    from planwatch.plans.rules.time import TO_YEAR

    lexicon = default_lexicon()
    # Line by line: normalize() caches each line (the readers normalise the same lines), not a whole document.
    body = "\n".join(normalize(line) for line in doc.lines if not line.lstrip().startswith("#"))
    done = _cue_counts(body, lexicon.cue_words("actual", "strong"))
    aims = _cue_counts(body, lexicon.cue_words("target", "strong"))
    n_done, n_aims = sum(done.values()), sum(aims.values())
    if n_done >= REPORT_MIN_CUES and n_done >= REPORT_CUE_RATIO * n_aims:
        top = "、".join(w for w, n in sorted(done.items(), key=lambda x: -x[1])[:3] if n)
        return "report", (f"document kind report: no kind word in the title, and the text reports ({n_done} cues such as {top}) "
                          f"far more than it aims ({n_aims})")
    if n_aims == 0 and not any(TO_YEAR.search(normalize(line)) for line in doc.lines) and not _aims_heading(doc):
        # News of results ("高新技术企业数量增至135家，净增21家…") often carries no cue at all; a plan or
        # work plan always aims somewhere (力争, 将, 到2025年).
        figures = sum(_figure_count(line) for line in doc.lines if not line.lstrip().startswith("#"))
        if figures >= REPORT_MIN_FIGURES:
            return "report", (f"document kind report: no kind word in the title, and none of its {figures} figures "
                              f"is aimed at (no {'、'.join(sorted(aims)[:3])} nor 到…年)")
    return None


def _aims_heading(doc: Document) -> str | None:
    """The first numbered heading of aims (一、工作目标, （二）主要目标), if the text has one."""
    from planwatch.plans.prose import classify_heading, heading_words_section

    for line in doc.lines:
        if not line.lstrip().startswith("#") and classify_heading(line) is not None and heading_words_section(line) in _AIM_SECTIONS:
            return normalize(line).strip()
    return None


def _cue_counts(body: str, words: tuple[str, ...]) -> dict[str, int]:
    """How often each cue word occurs, longest match first: 已经 counts once, not also as 已."""
    from planwatch.plans.lexicon import alternation

    counts = dict.fromkeys(words, 0)
    for match in re.finditer(alternation(words), body):
        counts[match.group()] += 1
    return counts


# A text with no kind word in its title is also a report when its figures sit under headings of what was
# done (一、主要工作成效, 二、指标完成情况): at least REPORT_MIN_CUES of them, REPORT_CUE_RATIO times those
# under headings of tasks and the coming year, and no heading of aims (发展目标, 主要指标) — a plan's
# 发展基础 part may hold more figures than its goals, but a plan has a part for its goals.
_AIM_SECTIONS = ("target",)
_LATER_SECTIONS = ("task", "next", "principle")


@lru_cache(maxsize=65536)
def _figure_count(line: str) -> int:
    """How many figures (a number with its unit) a line states, as the prose reader's quantity rule reads them."""
    from planwatch.plans.rules.quantity import MAY_HOLD_A_NUMBER, quantities

    return len(quantities(normalize(line))) if MAY_HOLD_A_NUMBER.search(line) else 0


def document_kind_from_sections(doc: Document) -> tuple[str, str] | None:
    """("report", how) when the text's figures lie under headings of results and none of its headings sets aims."""
    from planwatch.plans.prose import classify_heading, heading_words_section, is_part_heading

    part, figures, aims_heading = "intro", {}, None
    for line in doc.lines:
        if line.lstrip().startswith("#"):
            continue
        section = classify_heading(line)
        if section is not None:
            named = heading_words_section(line)
            if named in _AIM_SECTIONS:
                aims_heading = aims_heading or normalize(line).strip()
            # Only a part's heading (一、主要工作成效) says what the part is: sub-headings (（二）科技项目扎实推进)
            # use the same verbs in a review's results as in a plan's tasks.
            if is_part_heading(line):
                part = section
        # A heading may run into its first sentence ("（一）创新主体不断壮大。全年新认定…56家"): its figures count.
        figures[part] = figures.get(part, 0) + _figure_count(line)
    done, later = figures.get("past", 0), sum(figures.get(s, 0) for s in _LATER_SECTIONS)
    if aims_heading is None and done >= REPORT_MIN_CUES and done >= REPORT_CUE_RATIO * later:
        return "report", (f"document kind report: no kind word in the title, and {done} of its figures lie under "
                          f"headings of results (against {later} under tasks and plans)")
    return None


_SENTENCE_SPLIT = re.compile(r"[。；;！？!?]")  # the sentences of a line, for the year cues below


def _goals_after_reported_year(doc: Document, year: int) -> tuple[str, str] | None:
    """(report cue, aim cue) when a line reports `year`'s results (figures) with a year-on-year cue (2019年…同比增长)
    and a line sets 今年's goals with an aim cue (今年…力争), and no line names a later year; else None."""
    from planwatch.plans.lexicon import default_lexicon

    lexicon = default_lexicon()
    this_year = [w for w, offset in lexicon.time_words.items() if offset == 0]
    done, aims = lexicon.cue_words("actual", "strong"), lexicon.cue_words("target", "strong")
    reported = aiming = None
    for line in doc.lines:
        if line.lstrip().startswith("#"):
            continue
        text = normalize(_DATE.sub(" ", line))
        named = [int(y) for y in _YEAR.findall(text)]
        if any(y > year for y in named):
            return None
        for sentence in _SENTENCE_SPLIT.split(text):
            if reported is None and f"{year}年" in sentence.replace(" ", "") and _figure_count(sentence):
                # "2019年…同比增长21%" reports results; "2020年全省科技工作的主要目标已经确定" states none.
                reported = next((w for w in done if w in sentence), None)
            if aiming is None and any(w in sentence for w in this_year):
                aiming = next((w for w in aims if w in sentence), None)
    return (reported, aiming) if reported and aiming else None


REVIEW_PUBLISHED_BY_MONTH = 6  # a review naming no year, published by June, is of the year before


def _latest_reported_year(doc: Document) -> int | None:
    """The latest year a text gives figures for: named in a sentence stating figures and no aim, or opening
    an earlier sentence of its paragraph ("2022年，…取得新进展。…资金提高至7300万元"). Years the time rules
    do not take as a figure's own are not counted: a meeting's name (2023年科技工作会议), a comparison
    base (较2022年), a deadline ahead (到2025年), a programme's year."""
    from planwatch.plans.lexicon import default_lexicon
    from planwatch.plans.rules.time import times

    lexicon = default_lexicon()
    aims = lexicon.cue_words("target", "strong") + lexicon.cue_words("task")
    reading = PlanContext("", "", "", "annual", None, None, "", "report", None)
    latest = None
    for line in doc.lines:
        if line.lstrip().startswith("#"):
            continue
        carried = None
        for sentence in _SENTENCE_SPLIT.split(normalize(_DATE.sub(" ", line))):
            if any(w in sentence for w in aims):
                continue
            years = [t for t in times(sentence, reading) if t.rule == "explicit_year" and t.year is not None
                     and not (t.to and not sentence.startswith("截", t.at))]
            carried = next((t.year for t in years if t.opening), carried)
            if _figure_count(sentence):
                for year in [t.year for t in years] or ([carried] if carried is not None else []):
                    latest = year if latest is None else max(latest, year)
    return latest


def _speaks_of_this_year(doc: Document) -> bool:
    """The text says 今年/本年 (a time word with offset 0 in time_words.csv)."""
    from planwatch.plans.lexicon import default_lexicon

    words = [w for w, offset in default_lexicon().time_words.items() if offset == 0]
    return any(w in normalize(line) for line in doc.lines if not line.lstrip().startswith("#") for w in words)


# ---------- putting it together


def _manifest_published_year(row) -> int | None:
    m = _PUBLISHED.fullmatch(row.get("published", "") or "")
    return int(m["year"]) if m else None


def check_year(year: int | None, where: str = "--year") -> int | None:
    low, high = PLAUSIBLE_YEARS
    if year is not None and not low <= int(year) <= high:
        raise ValueError(f"{where} {year} is not a plausible year ({low}-{high})")
    return None if year is None else int(year)


def check_document_kind(kind: str | None, where: str = "--kind") -> str | None:
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise ValueError(f"{where} {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    return kind


def plan_context(doc: Document, manifest: pd.DataFrame, region: str | None = None, resolver=None, year: int | None = None,
                 document_kind: str | None = None, vocabulary: DocumentVocabulary | None = None) -> tuple[PlanContext, str]:
    """The plan a document belongs to, and how that was decided ("manifest" when its row gave everything).

    `region`, `year` and `document_kind` are what a caller states (``planwatch extract --region --year
    --kind``); the manifest's row and the text fill in the rest (see the module docstring).
    """
    if resolver is None:
        from planwatch.regions import RegionResolver
        resolver = RegionResolver.default()
    vocabulary = vocabulary or DocumentVocabulary.from_dir()
    year, document_kind = check_year(year), check_document_kind(document_kind)
    row = check_manifest_row(doc.name, manifest, resolver) if doc.name in manifest_index(manifest).rows_of_document else None
    how: list[str] = []

    # Region
    if row is not None:
        region_code, region_name = row["region_code"], row["region_name"]
    elif region:
        found = resolver.resolve(region)
        region_code, region_name = found.region_code, found.region_name
        how.append(f"region given with --region ({found.region_name} {found.region_code})")
    else:
        inferred = resolver.infer_from_text("\n".join(doc.lines))
        if inferred is None:
            raise ManifestError(
                doc.path, "cannot tell which region this plan is about; name it with --region or add the document to the manifest "
                "(a zone or park the region table does not know: add it to seeds/reference/zones.csv with the division it lies in)",
                "no region")
        region_code, region_name = inferred.region.region_code, inferred.region.region_name
        how.append(f"region inferred from the text: {inferred.evidence}")

    # Document kind (said after the years; read first, as a report's title year is the year it reviews)
    kind_how = ""
    if document_kind is not None:
        kind = document_kind
        kind_how = f"document kind {kind}: given with --kind"
    elif row is not None and row.get("document_kind", ""):
        kind = row["document_kind"]
    else:
        inferred_kind = document_kind_from_title(doc, vocabulary)
        if inferred_kind is not None:
            kind = inferred_kind[0]
            kind_how = inferred_kind[1]
        elif (from_dates := document_kind_from_dates(doc, publication_date(doc))) is not None:
            kind = from_dates[0]
            kind_how = from_dates[1]
        elif (from_text := document_kind_from_text(doc) or document_kind_from_sections(doc)) is not None:
            kind = from_text[0]
            kind_how = from_text[1]
        else:
            kind = DEFAULT_DOCUMENT_KIND
            kind_how = f"document kind {kind}: no kind word in the title, and the text aims more than it reports (the default)"

    # Period, year and the year 今年 means
    manifest_kind = row["plan_kind"] if row is not None else ""
    published = publication_date(doc)
    reference, reference_how = None, None
    if row is not None and row["start_year"]:
        start, end = int(row["start_year"]), int(row["end_year"])
        plan_kind = manifest_kind or ("annual" if start == end else "five_year")
        if year is not None and plan_kind == "annual" and year != start:
            how.append(f"year {year} given with --year (the manifest says {start})")
            start = end = year
    elif manifest_kind != "annual" and (period := plan_period(doc, vocabulary)) is not None:
        start, end, period_how = period
        plan_kind = manifest_kind or "five_year"
        how.append(period_how)
    else:
        plan_kind = manifest_kind or "annual"
        frequent = most_frequent_year(doc)
        titled = title_year(doc, kind)
        if year is not None:
            start = end = year
            how.append(f"year {year} given with --year")
        elif titled is not None and (frequent is None or titled[0] != frequent[0]):
            # A report of 2023 names 2022 as often as 2023 (比2022年增长…); its title says which year it is about.
            start = end = titled[0]
            how.append(titled[1])
        elif frequent is not None and published is not None and frequent[0] < published[0] and kind not in ("report", "bulletin") \
                and _speaks_of_this_year(doc):
            # News of this year's goals names last year's results (2019年全省…) more often than this year;
            # the text's 今年 is the year it was published.
            start = end = published[0]
            how.append(f"year {published[0]}: the text speaks of 今年 and {published[1]} (the years it names are earlier)")
        elif frequent is not None and published is None and kind not in ("report", "bulletin") \
                and (aims := _latest_year_of_aims(doc)) is not None and aims[0] > frequent[0]:
            # News of this year's goals ("2020年全省科技工作的主要目标已经确定…今年力争…") or of a work report
            # ("2024年，新增…1200家。…2025年，四川将…") naming the year before more often, in its results:
            # it speaks from the latest year, the one every line naming it aims at.
            start = end = reference = aims[0]
            how.append(f"year {start}: the latest year the text names, for its aims (line {aims[1]}); the earlier years are of results")
            reference_how = f"今年 = {start}: the year its aims are for"
        elif frequent is not None and published is None and kind not in ("report", "bulletin") \
                and (cues := _goals_after_reported_year(doc, frequent[0])) is not None:
            # Undated news of this year's goals: "2019年，全省…同比增长21%。今年，力争…" speaks from the year after.
            start = end = reference = frequent[0] + 1
            how.append(f"year {start}: the text reports {frequent[0]}'s results ({cues[0]}) and sets 今年's goals ({cues[1]})")
            reference_how = f"今年 = {start}: the year after the results it reports"
        elif frequent is not None and kind in ("report", "bulletin") and published is None \
                and (ahead := _years_lines_all_aim(doc, frequent[0])) is not None:
            # "三、2024年工作思路 … 2024年，力争…": a review naming only the coming year's aims is of the year before.
            start = end = frequent[0] - 1
            reference = frequent[0]
            how.append(f"year {start}: the only year the text names, {frequent[0]}, is the coming one (line {ahead}: aims); "
                       "it reviews the year before")
            reference_how = f"今年 = {frequent[0]}: the year its aims are for"
        elif kind in ("report", "bulletin") and frequent is not None \
                and (reported := _latest_reported_year(doc)) is not None and reported != frequent[0] \
                and (published is None or reported <= published.year):
            # "2023年科技工作会议…总结回顾2022年…谋划部署2023年…": a review names its meeting's and its aims'
            # year as often as the year it reports; it is of the latest year it gives figures for.
            start = end = reported
            how.append(f"year {reported}: the latest year the text gives figures for (the most frequent, "
                       f"{frequent[0]}, names a meeting or aims)")
        elif kind in ("report", "bulletin") and frequent is None and published is not None \
                and published.month <= REVIEW_PUBLISHED_BY_MONTH:
            # 全年共申报…, published 2020-03-05: a review naming no year, published early in a year, is of the year before.
            start = end = published.year - 1
            how.append(f"year {start}: a review naming no year, {published.how} by month {REVIEW_PUBLISHED_BY_MONTH} "
                       f"of {published.year}: it is of the year before")
        elif frequent is not None:
            start = end = frequent[0]
            times = "once" if frequent[1] == 1 else f"{frequent[1]} times"
            how.append(f"year {frequent[0]}: the most frequent year in the text ({times})")
        elif published is not None:
            start = end = published[0]
            how.append(f"year {published[0]}: {published[1]}")
        else:
            start = end = None
            how.append(NO_YEAR)
    if reference is not None:
        pass  # the year after the results an undated text reports (above)
    elif year is not None:
        reference = year
        if not any("--year" in part for part in how):
            reference_how = f"今年 = {year}: given with --year"
    elif row is not None and _manifest_published_year(row) is not None:
        reference = _manifest_published_year(row)  # the manifest's own date: says nothing new
    elif row is not None and row["start_year"] and plan_kind == "annual":
        reference = start
    elif published is not None:
        reference, reference_how = published[0], f"今年 = {published[0]}: {published[1]}"
    elif plan_kind == "annual" and start is not None:
        reference = start  # an annual plan speaks of its own year as 今年
        reference_how = f"今年 = {start}: the plan's year"
    elif start is not None:
        reference_how = "今年 unknown: no publication date in the text"
    if reference_how:
        how.append(reference_how)
    if kind_how:
        how.append(kind_how)

    if row is not None:
        plan_id, title = row["plan_id"], row.get("title", "") or document_title(doc)
    else:
        plan_id = re.sub(r"[^a-z0-9]+", "-", doc.path.stem.lower()).strip("-") or doc.sha256[:12]
        title = document_title(doc)
    ctx = PlanContext(plan_id, region_code, region_name, plan_kind, start, end, title, kind, reference)
    return ctx, "; ".join((["manifest"] if row is not None else []) + how)
