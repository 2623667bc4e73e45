"""What a table's header says its columns hold, read from the header vocabulary.

The words live in seeds/reference/lexicon/: ``table_headers.csv`` (header word → column role),
``table_row_names.csv`` (words in a row's name that say what kind of figure the row holds: a row
named …年均增长 holds rates, a row named 新增… holds increments) and ``target_attributes.csv`` (the
words of an attribute column: 预期性, 约束性). This module is their only reader.

A value column says three things: its year (written in the header, else that of the year column
on its left, else the plan's), its kind (target, actual, or base: a starting level, the baseline of
the targets in its row, or an achieved figure where the row has none) and its measure (level,
growth, average growth, cumulative total). A header's own words decide the kind (目标值, 完成值,
基数); a part-year column (2023年1-9月) is reported; a bare year decides by the document: in a
bulletin, a report or a statistical yearbook table (bilingual: 项目 | Item) every year is achieved;
in a plan, years before the plan period (or, undated, before the reference year) are achieved and
the others planned.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planwatch.config import PROJECT_ROOT
from planwatch.periods import named_period_year, parse_period
from planwatch.plans.model import PlanContext
from planwatch.text import normalize

LEXICON_DIR = PROJECT_ROOT / "seeds" / "reference" / "lexicon"
HEADERS_FILE = LEXICON_DIR / "table_headers.csv"
ROW_NAMES_FILE = LEXICON_DIR / "table_row_names.csv"
ATTRIBUTES_FILE = LEXICON_DIR / "target_attributes.csv"

# Roles of the columns that name or describe a row, and of the columns that hold its figures.
TEXT_ROLES = ("index", "name", "level", "unit", "attribute", "category", "label", "note")
VALUE_ROLES = ("target", "actual", "base", "growth", "avg_growth", "cumulative")
ROW_ROLES = ("budget",)  # words of a KPI row's own cells, not of the header
MATCHES = ("exact", "contains", "suffix")
POSITIONS = ("prefix", "suffix", "contains")
REPORTING_KINDS = ("bulletin", "report")  # documents whose bare-year columns are achieved figures

_YEAR = re.compile(r"(?:19|20)\d{2}")
_LATIN_WORD = re.compile(r"[a-z]{2,}")  # headers are compared in lower case
_YEAR_WORDS = re.compile(r"(?:19|20)\d{2}\s*(?:年度|年末|年底|年)?")
_PERIOD_JOIN = re.compile(r"^[-—–至到~]+")
_PLAN_END = re.compile(r"[\"“]?十[一二三四五]五[\"”]?(?:期末|末期|末)")
_TWO_YEARS = re.compile(r"(?:19|20)\d{2}年?(?:19|20)\d{2}")
MAX_YEAR_HEADER = 14  # a longer cell with a year in it is text (a title, a sentence), not a column header
MAX_WORD_HEADER = 10
MAX_HEADER = 24  # no header cell is longer (部门整体支出年度绩效目标 is 12)


class LexiconError(ValueError):
    """A vocabulary file that cannot be read: names the file, the line and what is wrong."""


@dataclass(frozen=True)
class HeaderWord:
    word: str
    role: str
    match: str


@dataclass(frozen=True)
class RowNameCue:
    word: str
    position: str
    target_type: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise LexiconError(f"{path}: the table vocabulary file is missing")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise LexiconError(f"{path} line 1: missing columns {sorted(missing)}")
        return [(number, row) for number, row in enumerate(reader, start=2)]


def _compact(text: str) -> str:
    """A header cell as compared with the vocabulary: normalised, no spaces, lower case (项 目 = 项目)."""
    return re.sub(r"\s+", "", normalize(text)).lower()


@lru_cache(maxsize=4)
def header_words(path: Path = HEADERS_FILE) -> tuple[HeaderWord, ...]:
    words = []
    for number, row in _rows(path, ("word", "role", "match")):
        word, role, match = _compact(row["word"]), row["role"].strip(), row["match"].strip()
        if not word:
            raise LexiconError(f"{path} line {number}: empty word")
        if role not in TEXT_ROLES + VALUE_ROLES + ROW_ROLES:
            raise LexiconError(f"{path} line {number}: role {role!r} is not one of {', '.join(TEXT_ROLES + VALUE_ROLES + ROW_ROLES)}")
        if match not in MATCHES:
            raise LexiconError(f"{path} line {number}: match {match!r} is not one of {', '.join(MATCHES)}")
        words.append(HeaderWord(word, role, match))
    return tuple(words)


@lru_cache(maxsize=4)
def row_name_cues(path: Path = ROW_NAMES_FILE) -> tuple[RowNameCue, ...]:
    from planwatch.plans.cells import TARGET_TYPES

    cues = []
    for number, row in _rows(path, ("word", "position", "target_type")):
        word, position, target_type = normalize(row["word"]).strip(), row["position"].strip(), row["target_type"].strip()
        if not word:
            raise LexiconError(f"{path} line {number}: empty word")
        if position not in POSITIONS:
            raise LexiconError(f"{path} line {number}: position {position!r} is not one of {', '.join(POSITIONS)}")
        if target_type not in TARGET_TYPES:
            raise LexiconError(f"{path} line {number}: target_type {target_type!r} is not one of {', '.join(TARGET_TYPES)}")
        cues.append(RowNameCue(word, position, target_type))
    return tuple(cues)


@lru_cache(maxsize=4)
def target_attributes(path: Path = ATTRIBUTES_FILE) -> dict[str, bool]:
    """The words a table's attribute column holds (预期性, 约束性) → whether the target is binding."""
    attributes = {}
    for number, row in _rows(path, ("word", "binding")):
        word, binding = normalize(row["word"] or "").strip(), (row["binding"] or "").strip()
        if not word:
            raise LexiconError(f"{path} line {number}: empty word")
        if binding not in ("true", "false"):
            raise LexiconError(f"{path} line {number}: binding {binding!r} is not one of true, false")
        attributes[word] = binding == "true"
    return attributes


def _matches(h: str, w: HeaderWord) -> bool:
    if w.match == "exact":
        return h == w.word
    if w.match == "suffix":
        return h.endswith(w.word)
    return w.word in h


def header_role(text: str, roles: tuple[str, ...] = TEXT_ROLES + VALUE_ROLES) -> str | None:
    """The role the vocabulary gives a header cell: an exact word first, then the first word it contains."""
    return _role_of(_compact(text), roles)


@lru_cache(maxsize=65536)
def _role_of(h: str, roles: tuple[str, ...]) -> str | None:
    if not h:
        return None
    exact, others = _words_of_roles(roles)
    if h in exact:
        return exact[h]
    for w in others:
        if _matches(h, w):
            return w.role
    return None


@lru_cache(maxsize=16)
def _words_of_roles(roles: tuple[str, ...]) -> tuple[dict[str, str], tuple[HeaderWord, ...]]:
    """The header words of `roles`: exact words (word → the role of its first entry) and the others, in file order
    (every line of a document is tried as a header: sorted out once, not per line)."""
    words = [w for w in header_words() if w.role in roles]
    exact: dict[str, str] = {}
    for w in words:
        if w.match == "exact":
            exact.setdefault(w.word, w.role)
    return exact, tuple(w for w in words if w.match != "exact")


def has_budget_words(text: str) -> bool:
    """Whether a KPI row's cell names a budget line (成本指标, 预算, 资金): not a figure to read."""
    h = _compact(text)
    return any(_matches(h, w) for w in header_words() if w.role == "budget")


def type_from_row_name(name: str, unit: str | None) -> str | None:
    """The target type a row's name implies, or None: 研发经费投入年均增长 (%) holds average growth rates."""
    from planwatch.plans.cells import AVG_GROWTH, GROWTH

    n = normalize(name).strip()
    for cue in row_name_cues():
        hit = (n.startswith(cue.word) if cue.position == "prefix" else n.endswith(cue.word) if cue.position == "suffix"
               else cue.word in n)
        if not hit:
            continue
        if cue.target_type in (GROWTH, AVG_GROWTH) and unit not in ("%", None):
            continue  # 高新技术产业增加值 (亿元): a level whose name only sounds like growth
        return cue.target_type
    return None


@dataclass
class Column:
    """One column of a table: its role; for a value column, its year, kind and measure, and why."""

    role: str  # index | name | description | level | unit | attribute | category | label | note | value
    header: str = ""
    year: int | None = None
    kind: str | None = None  # value columns: target | actual | base
    measure: str = "level"  # value columns: level | growth | avg_growth | cumulative
    time_rule: str = ""  # time:column_year | time:year_column_left | time:plan_end | time:plan_start | time:none
    kind_rule: str = ""  # kind:target_column | kind:actual_column | kind:base_column | kind:<document kind>_document | …
    word_role: str | None = None  # the value role the header's words give (目标 → target), None for a bare year
    period: str = ""  # a part-year column (2023年1-9月): the statistics loader's period label; "" for a whole year
    unit: str | None = None  # a unit a second header row writes under the column (2025年 over （家）)


def bare_year_kind(year: int, ctx: PlanContext, yearbook: bool) -> tuple[str, str]:
    """(kind, rule) of a column headed only by a year (2021, 2021年) or by a measure under a year."""
    if yearbook:
        return "actual", "kind:yearbook_table"
    if ctx.document_kind in REPORTING_KINDS:
        return "actual", f"kind:{ctx.document_kind}_document"
    if ctx.start_year is not None:
        return ("base", "kind:before_plan_period") if year < ctx.start_year else ("target", "kind:plan_period")
    if ctx.reference_year is not None:
        return ("base", "kind:before_reference_year") if year < ctx.reference_year else ("target", "kind:from_reference_year")
    return "target", "kind:plan_document"


def _decide_value_columns(columns: list[Column], ctx: PlanContext, yearbook: bool) -> None:
    """Year, kind and measure of each value column, from its header words, the year column left of it and the document."""
    last_year, last_period = None, ""
    for c in columns:
        if c.role != "value":
            continue
        role = c.word_role
        c.measure = role if role in ("growth", "avg_growth", "cumulative") else "level"
        if c.year is not None:
            c.time_rule, last_year, last_period = "time:column_year", c.year, c.period
        elif role == "base":
            c.year, c.time_rule = (ctx.start_year - 1, "time:plan_start") if ctx.start_year is not None else (None, "time:none")
        elif last_year is not None and role in ("growth", "avg_growth"):
            # 2022年 | 比上年增长(%); 2024年1-9月 | 同比增长(%): the growth of the figure on its left
            c.year, c.period, c.time_rule = last_year, last_period, "time:year_column_left"
        else:
            c.year, c.time_rule = (ctx.end_year, "time:plan_end") if ctx.end_year is not None else (None, "time:none")
        if role in ("target", "actual", "base"):
            c.kind, c.kind_rule = role, f"kind:{role}_column"
        elif c.period:
            c.kind, c.kind_rule = "actual", "kind:part_year_column"  # figures for 1-9月 are reported, not planned
        elif c.time_rule in ("time:column_year", "time:year_column_left"):
            c.kind, c.kind_rule = bare_year_kind(c.year, ctx, yearbook)
        elif yearbook or ctx.document_kind in REPORTING_KINDS:
            c.kind, c.kind_rule = "actual", ("kind:yearbook_table" if yearbook else f"kind:{ctx.document_kind}_document")
        else:
            c.kind, c.kind_rule = "target", "kind:plan_document"
        if c.kind == "base" and c.measure != "level":
            c.kind = "actual"  # a past year's growth rate is an achieved rate, no target's baseline


def classify_cell(raw: str) -> Column | None:
    """The column a header cell heads (its value role and year, not yet its kind), or None when it is no header."""
    facts = _cell_facts(raw)
    if facts is None:
        return None
    role, header, year, word_role, period = facts
    return Column(role, header, year, word_role=word_role, period=period)


@lru_cache(maxsize=65536)
def _cell_facts(raw: str) -> tuple[str, str, int | None, str | None, str] | None:
    """(role, header as compared, year, value role of its words, part-year period) of a header cell; cached, as
    every line is tried as a header."""
    h = _compact(raw)
    if not h or len(h) > MAX_HEADER:
        return None
    period = parse_period(h)
    if period is not None and period.period_type != "year":
        return "value", h, period.year, None, period.label  # 2023年1-9月, 2023年三季度
    years = _YEAR.findall(h)
    plan_end = _PLAN_END.search(h)
    if plan_end and not years:  # “十三五”末: the last year of a five-year plan, a column like 2020年
        year = named_period_year(plan_end.group(0))
        rest = h.replace(plan_end.group(0), "")
        role = header_role(rest, VALUE_ROLES) if rest else None
        return ("value", h, year, role, "") if year and (role or not rest) else None
    if years:
        if len(h) > MAX_YEAR_HEADER:
            return None
        if _TWO_YEARS.search(h):
            return None  # '2020 2021' run together: two columns a wide-space split did not separate
        rest = _PERIOD_JOIN.sub("", _YEAR_WORDS.sub("", h, count=1))
        rest = _YEAR_WORDS.sub("", rest)  # 2021-2025年累计: the period's end is the column's year
        role = header_role(rest, VALUE_ROLES) if rest else None
        if rest and role is None:
            return None
        return "value", h, int(years[-1]), role, ""
    if len(h) > MAX_WORD_HEADER:
        role = header_role(h, ("name", "label", "note"))  # 主要指标名称, 部门整体支出年度绩效目标, 偏差原因分析及改进措施
        return (role, h, None, None, "") if role else None
    role = header_role(h)
    if role is None:
        return None
    if role in VALUE_ROLES:
        return "value", h, None, role, ""
    return role, h, None, None, ""


def classify_header(cells: list[str], ctx: PlanContext) -> list[Column] | None:
    """Column roles for a header row, or None when the cells are not a header (a name column and a value column).

    A header naming its rows in English as well (项目 | Item) is a statistical yearbook's: its years are achieved."""
    columns = []
    for raw in cells:
        column = classify_cell(raw)
        if column is None:
            return None
        columns.append(column)
    levels = [c for c in columns if c.role == "level"]
    names = [c for c in columns if c.role == "name"]
    if levels:
        # 一级指标 | 二级指标 | 三级指标 | 指标内容: the deepest level names the row, the others group it.
        for c in levels[:-1]:
            c.role = "category"
        levels[-1].role = "name"
        for c in names:
            c.role = "description"
    else:
        for c in names[1:]:
            c.role = "description"  # 项目 | Item: the English column describes the Chinese one
    roles = [c.role for c in columns]
    if "name" not in roles or "value" not in roles:
        return None
    yearbook = any(_LATIN_WORD.search(c.header) for c in columns if c.role in ("name", "description"))
    _decide_value_columns(columns, ctx, yearbook)
    return columns


def is_kpi_header(columns: list[Column]) -> bool:
    """A department KPI table (部门整体支出绩效目标): its names form a 一级/二级/三级指标 hierarchy."""
    return any(c.header.endswith("级指标") for c in columns)


# ---------- a second header row

_PARENTHESISED = re.compile(r"^[（(](.+)[)）]$")


def _unit_cell(raw: str) -> str | None:
    """The unit a header cell holds alone (家, （亿元）, %), or None: a known unit (seeds/reference/units.csv and
    the lexicon's unit forms), so that a word (目标值) is not taken for one."""
    from planwatch.plans.rules.vocabulary import LEX

    text = normalize(raw).strip()
    inner = _PARENTHESISED.match(text)
    text = (inner.group(1) if inner else text).strip()
    return text if text in _known_units(LEX.units) or text in LEX.unit_forms else None


@lru_cache(maxsize=2)
def _known_units(units: tuple[str, ...]) -> frozenset[str]:
    return frozenset(units)


def with_second_header(header: list[str], below: list[str], ctx: PlanContext) -> list[Column] | None:
    """The columns of a header whose value columns have a second header row under them, or None when `below`
    is no such row.

    The row under a row of years names what each year's column holds (2020年 | 2025年 over 基期值 | 目标值)
    or its unit (over （家） | （家）); under a year spanning several columns (a merged cell: 2023年 over
    目标值 | 完成值) it names each of them, so the year's column becomes as many columns. Every cell of the
    row must be such a word or unit, or repeat a text column's header (指标, a cell merged down the two rows).
    """
    from planwatch.plans.cells import parse_cell

    columns = classify_header(header, ctx)
    if not columns:
        return None
    texts = {_compact(h) for h, c in zip(header, columns) if c.role != "value"}
    words = [w for w in below if _compact(w) and _compact(w) not in texts]
    values = [k for k, c in enumerate(columns) if c.role == "value"]
    if not words or len(words) % len(values) or any(parse_cell(w) is not None and _unit_cell(w) is None for w in words):
        return None
    readings = []  # (header text of the new column, unit under it)
    for w in words:
        unit = _unit_cell(w)
        facts = _cell_facts(w) if unit is None else None
        if unit is None and (facts is None or facts[0] != "value" or facts[2] is not None or facts[3] is None):
            return None  # neither a unit nor a word of what a column holds (目标值, 基期, 增长)
        readings.append(("", unit) if unit else (w.strip(), None))
    per_year = len(words) // len(values)
    cells, units = [], []
    for k, (h, c) in enumerate(zip(header, columns)):
        if c.role != "value":
            cells.append(h)
            units.append(None)
            continue
        at = values.index(k) * per_year
        for word, unit in readings[at: at + per_year]:
            cells.append(h.strip() + word)
            units.append(unit)
    merged = classify_header(cells, ctx)
    if merged is None or len(merged) != len(cells):
        return None
    for column, unit in zip(merged, units):
        column.unit = unit
    return merged

