"""Flattened tables → one mention per figure cell.

Tables reach users as text in one of these layouts, each read by a named rule (the rule is the
mention's ``table:<layout>``):

- ``row_per_line``: one row per line, cells separated by tabs or wide spaces (Word and PDF tables);
- ``cell_per_line``: one cell per line, the header cells first, then each row's cells in turn;
- ``pipe_rows`` / ``pipe_kpi``: web copies with ``|`` between the cells, where row-spanning cells
  are printed once and the rows under them lose their leading cells; ``pipe_kpi`` is a department
  KPI table (一级指标 | 二级指标 | 三级指标 | 指标值), whose budget lines are not figures, and
  ``pipe_budget`` a budget table (年度预算 | 资金总额 | 财政拨款), read for no figure at all;
- ``space_aligned_years``: statistical yearbook tables as a web page prints them, the header ending
  in year columns (项 目  Item  2020 2021), each row a Chinese name, a unit in parentheses, an
  English gloss and one value per year, names and glosses wrapping onto indented lines.

Every layout starts at a header row whose cells the header vocabulary (table_columns) reads as a
name column and at least one value column; the columns say each figure's year, kind and measure.
A ``row_per_line`` or pipe header may have a second row under its years naming what each holds
(基期值 | 目标值) or its unit, or splitting a year merged over several columns (2023年 over 目标值 |
完成值); the columns take it in (table_columns.with_second_header) and the row is part of the header.
Page headers (lines repeated through the document) inside a table are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.plans.cells import AVG_GROWTH, GROWTH, LEVEL, PP_INCREASE, CellValue, is_value_cell, parse_cell
from planwatch.plans.model import Mention, PlanContext
from planwatch.plans.table_columns import (Column, classify_cell, classify_header, has_budget_words, is_kpi_header, target_attributes,
                                           type_from_row_name, with_second_header)
from planwatch.text import normalize

ROW_PER_LINE, CELL_PER_LINE, PIPE_ROWS, PIPE_KPI, PIPE_BUDGET, SPACE_ALIGNED_YEARS = (
    "row_per_line", "cell_per_line", "pipe_rows", "pipe_kpi", "pipe_budget", "space_aligned_years")
MAX_WORD_CELL = 8  # a cell-per-line table's unit/category/attribute cell
MAX_BUDGET_WORDS = 12  # a budget table's cells are amounts and short words (纳入专户的非税收入拨款); a longer one is text

_SPLIT = re.compile(r"\t| {2,}|\u3000{1,}")
_WIDE_SPACE = re.compile(r"\s{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR_TOKEN = re.compile(r"(?:19|20)\d{2}年?")
_MARKDOWN_RULE = re.compile(r"^[\s|:\-—–]+$")
# A unit written in parentheses at the end of a name: 高新技术企业数（家）.
_TRAILING_UNIT = re.compile(r"[（(]([^（）()]{1,12})[)）]\s*$")
_PAREN_ONLY = re.compile(r"^[（(]([^（）()]{1,12})[)）]$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|专栏)")
_SUB_ITEM = re.compile(r"^其中\s*[:：]?")


@dataclass
class Table:
    header_line: int
    columns: list[Column]
    layout: str  # one of the layouts above: the rule that read the table
    # (first line, cells): the row's cells in column order as (line, text); cells past the last column are
    # the lines the row continues on (a wrapped name, an English gloss), kept so the table claims them.
    rows: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)
    # (line, reason): rows of the table that give no figure, and why (a budget line, a qualitative value).
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # A cell-per-line header's further lines (单位, 2023年, 2024年 …), after header_line.
    header_more: tuple[int, ...] = ()
    # Yearbook rows: the row each sub-item (其中:…, a deeper indent) belongs to, by the sub-item's first line.
    parents: dict[int, str] = field(default_factory=dict)


def page_header_lines(lines: tuple[str, ...]) -> set[str]:
    """Stripped lines that repeat through the document and are not data: running page headers/footers.

    A running header recurs in different surroundings (each page's text around it differs). A line
    that recurs only inside a repeated stretch of the document (a section or the whole text printed
    twice) is the stretch's content and is read again, as in its first printing.
    """
    texts = [s for s in (line.strip() for line in lines) if s]
    at: dict[str, list[int]] = {}
    for position, text in enumerate(texts):
        at.setdefault(text, []).append(position)
    repeated = set()
    for text, positions in at.items():
        if len(positions) < 2 or len(text) < 6:
            continue
        if parse_cell(text) is not None or "\t" in text or "|" in text or text.endswith(("。", "；", "，")):
            continue
        if all(_same_surroundings(texts, a, b) for i, a in enumerate(positions) for b in positions[i + 1:]):
            continue
        repeated.add(text)
    return repeated


def _same_surroundings(texts: list[str], a: int, b: int, needed: int = 3) -> bool:
    """Whether positions a and b lie inside the same repeated stretch: the non-empty lines before and after
    them agree on both sides, for at least `needed` lines in all (a page header's previous line is the end
    of another page's text, so it never passes, even when the same lines follow it on every page)."""
    agree = []
    for step in (-1, 1):
        k = 0
        while k < needed and 0 <= a + step * (k + 1) < len(texts) and 0 <= b + step * (k + 1) < len(texts) \
                and texts[a + step * (k + 1)] == texts[b + step * (k + 1)]:
            k += 1
        agree.append(k)
    return min(agree) >= 1 and sum(agree) >= needed


def is_page_furniture(text: str, headers: set[str]) -> bool:
    s = text.strip()
    # A bare number cannot be told from a one-cell-per-line value, so only dashed page numbers count.
    return s in headers or bool(re.fullmatch(r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(\s*共\s*\d+\s*页)?", s))


def split_cells(line: str) -> list[str]:
    return [c.strip() for c in _SPLIT.split(line)]


def split_pipes(line: str) -> list[str] | None:
    """'培育 | 新认定高企数 | 6家以上 | |||' → its cells (trailing empty cells dropped); None unless two cells."""
    s = normalize(line)
    if s.count("|") < 2 or _MARKDOWN_RULE.match(s):
        return None
    cells = [c.strip() for c in s.split("|")]
    if s.lstrip().startswith("|"):
        cells = cells[1:]  # | a | b |, as Markdown writes a row
    while cells and not cells[-1]:
        cells.pop()
    return cells if sum(1 for c in cells if c) >= 2 else None


def find_tables(lines: tuple[str, ...], ctx: PlanContext) -> list[Table]:
    headers = page_header_lines(lines)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        for read in (_pipe_table_at, _row_table_at, _space_years_table_at, _cell_table_at):
            table, next_i = read(lines, i, ctx, headers)
            if table is not None:
                tables.append(table)
                i = max(next_i, i + 1)
                break
        else:
            i += 1
    return tables


def lines_of(table: Table) -> set[int]:
    """Every line a table covers: its header and its rows' cells and continuation lines."""
    covered = {table.header_line, *table.header_more} | {line for line, _ in table.skipped}
    for _, cells in table.rows:
        covered.update(line for line, _ in cells)
    return covered


# ---------- layouts


def _pipe_table_at(lines, i, ctx, headers) -> tuple[Table | None, int]:
    cells = split_pipes(lines[i])
    if cells is None:
        return None, i + 1
    columns = classify_header([c for c in cells if c], ctx)
    if not columns:
        return _budget_table_at(lines, i, cells, ctx, headers)
    kpi = is_kpi_header(columns)
    columns, more = _second_header(lines, i, [c for c in cells if c], columns, ctx, split_pipes)
    table = Table(header_line=i + 1, columns=columns, layout=PIPE_KPI if kpi else PIPE_ROWS, header_more=more)
    j, blanks = max(more, default=i + 1), 0
    while j < len(lines):
        text = lines[j]
        if not text.strip() or is_page_furniture(text, headers) or _MARKDOWN_RULE.match(normalize(text)):
            blanks += not text.strip()
            if blanks > 1:
                break
            j += 1
            continue
        blanks = 0
        row = split_pipes(text)
        if row is None:
            break
        aligned = align_row(row, columns)
        reason = _no_figure_reason(aligned, columns, kpi)
        if reason:
            table.skipped.append((j + 1, reason))
        else:
            table.rows.append((j + 1, [(j + 1, c) for c in aligned]))
        j += 1
    return table, j


def _budget_table_at(lines, i, cells, ctx, headers) -> tuple[Table | None, int]:
    """A pipe table headed by budget words (年度预算 (万元) | 资金总额 | 财政拨款): a department's budget, no
    figures to read. It runs on while its rows hold only amounts and short header words (财政拨款, 基本支出),
    up to the first row with text in it (部门职能职责描述 | …) or the next table's header; every row is kept
    as skipped."""
    if not any(has_budget_words(c) for c in cells) or not _budget_row(cells):
        return None, i + 1
    table = Table(header_line=i + 1, columns=[], layout=PIPE_BUDGET)
    j = i + 1
    while j < len(lines):
        row = split_pipes(lines[j]) if not is_page_furniture(lines[j], headers) else []
        if row is None or not _budget_row(row) or (row and classify_header([c for c in row if c], ctx)):
            break
        if row:
            table.skipped.append((j + 1, "budget table: not a figure to read"))
        j += 1
    return table, j


def _budget_row(cells: list[str]) -> bool:
    return all(parse_cell(c) is not None or len(re.sub(r"\s", "", c)) <= MAX_BUDGET_WORDS for c in cells)


def _row_table_at(lines, i, ctx, headers) -> tuple[Table | None, int]:
    if not _SPLIT.search(lines[i]):
        return None, i + 1  # one cell at most (every line is tried: the split and its list cost more than the search)
    cells = [c for c in split_cells(lines[i]) if c]
    if len(cells) < 2:
        return None, i + 1
    columns = classify_header(cells, ctx)
    if not columns:
        return None, i + 1
    columns, more = _second_header(lines, i, cells, columns, ctx, lambda t: split_cells(t) if _SPLIT.search(t) else None)
    table = Table(header_line=i + 1, columns=columns, layout=ROW_PER_LINE, header_more=more)
    return table, _read_inline_rows(lines, max(more, default=i + 1), table, headers)


def _second_header(lines, i, cells, columns, ctx, split) -> tuple[list[Column], tuple[int, ...]]:
    """The header's columns, with a second header row merged in when the next line (past a blank line or a
    markdown rule) is one (目标值/基期值 or units under the years: table_columns.with_second_header), and
    that row's line number (none when there is none)."""
    j = i + 1
    while j < len(lines) and j <= i + 2 and (not lines[j].strip() or _MARKDOWN_RULE.match(normalize(lines[j]))):
        j += 1
    below = split(lines[j]) if j < len(lines) else None
    merged = with_second_header(cells, below, ctx) if below else None
    return (merged, (j + 1,)) if merged else (columns, ())


def _cell_table_at(lines, i, ctx, headers) -> tuple[Table | None, int]:
    """One cell per line: a name header followed by year/target header cells, then the rows' cells."""
    first = lines[i].strip()
    opening = classify_cell(first) if first and "\t" not in first else None
    if opening is None or opening.role not in ("name", "level"):
        return None, i + 1
    header_cells, j = [first], i + 1
    while j < len(lines) and lines[j].strip() and len(header_cells) < 12:
        candidate = lines[j].strip()
        if classify_cell(candidate) is None:
            break
        header_cells.append(candidate)
        j += 1
    columns = classify_header(header_cells, ctx)
    if not columns or len(columns) < 2:
        return None, i + 1
    table = Table(header_line=i + 1, columns=columns, layout=CELL_PER_LINE, header_more=tuple(range(i + 2, j + 1)))
    return table, _read_cell_rows(lines, j, table, headers)


def _space_years_table_at(lines, i, ctx, headers) -> tuple[Table | None, int]:
    header = _space_years_header(lines[i], ctx)
    if header is None:
        return None, i + 1
    columns, unit_column = header
    table = Table(header_line=i + 1, columns=columns, layout=SPACE_ALIGNED_YEARS)
    return table, _read_space_rows(lines, i + 1, table, headers, len(columns) - 2, unit_column)


# ---------- rows


def align_row(cells: list[str], columns: list[Column]) -> list[str]:
    """A row's cells lined up with the header's columns.

    A full row is taken as it is. A shorter one lost cells to row-spanning cells on its left (the
    category, the 一级/二级指标 of the rows above), so its first figure is lined up with the first
    value column; without a figure it is right-aligned.
    """
    width = len(columns)
    if len(cells) > width and not cells[0]:
        cells = cells[1:]  # a leading tab before a row that has all its cells
    if len(cells) >= width:
        return cells[:width]
    first_value = next(k for k, c in enumerate(columns) if c.role == "value")
    anchor = next((k for k in range(1, len(cells)) if parse_cell(cells[k]) is not None), None)
    if anchor is None or anchor > first_value:
        return [""] * (width - len(cells)) + cells
    shift = first_value - anchor
    return ([""] * shift + cells + [""] * width)[:width]


def _no_figure_reason(cells: list[str], columns: list[Column], kpi: bool) -> str | None:
    names = [c for col, c in zip(columns, cells) if col.role in ("name", "description", "category") and c]
    if not names:
        return "no row name"
    if kpi:
        budget = [c for c in names if has_budget_words(c)]
        if budget:
            return f"budget line of a KPI table ({budget[0]}): not a figure to read"
    if not any(parse_cell(c) for col, c in zip(columns, cells) if col.role == "value"):
        return "no number in the value columns"
    return None


def _is_row_name(text: str) -> bool:
    s = normalize(text).strip()
    if not s or parse_cell(s) is not None or len(s) > 80:
        return False
    return not s.endswith(("。", "；")) and not _HEADING.match(s)


def _read_inline_rows(lines, start, table: Table, headers) -> int:
    value_columns = sum(1 for c in table.columns if c.role == "value")
    j, misses = start, 0
    while j < len(lines):
        text = lines[j]
        if not text.strip() or is_page_furniture(text, headers):
            j += 1
            continue
        cells = split_cells(text)
        if len(cells) < 2:
            cells = _split_trailing_values(text, value_columns)
        if cells is None or len(cells) < 2 or not any(parse_cell(c) for c in cells[1:]) or not _is_row_name(_first_text(cells)):
            misses += 1
            if misses > 1:
                break
            j += 1
            continue
        misses = 0
        table.rows.append((j + 1, [(j + 1, c) for c in align_row(cells, table.columns)]))
        j += 1
    return j


def _first_text(cells: list[str]) -> str:
    for c in cells:
        if c and parse_cell(c) is None:
            return c
    return ""


def _split_trailing_values(text: str, value_columns: int) -> list[str] | None:
    """'高新技术企业数（家） 283 500' (single spaces, as PDF text layers give) → cells."""
    tokens = normalize(text).strip().split(" ")
    if len(tokens) < 2:
        return None
    values: list[str] = []
    while tokens and len(values) < value_columns and parse_cell(tokens[-1]) is not None:
        values.insert(0, tokens.pop())
    if not values or not tokens:
        return None
    return [" ".join(tokens)] + values


def _read_cell_rows(lines, start, table: Table, headers) -> int:
    width = len(table.columns)
    stream: list[tuple[int, str]] = []
    j = start
    # Collect the cell stream until a line that cannot belong to the table.
    while j < len(lines):
        text = lines[j]
        stripped = text.strip()
        if not stripped or is_page_furniture(text, headers):
            j += 1
            continue
        if "\t" not in text and len(stripped) > 40:
            break
        if _HEADING.match(normalize(stripped)) and parse_cell(stripped) is None:
            break
        stream.append((j + 1, stripped))
        j += 1
    k = 0
    end_line = start
    while k + width <= len(stream):
        name_line, name = stream[k]
        cells = stream[k + 1 : k + width]
        # Figures under the value columns; a unit, category or attribute column holds a short word (家, 约束性).
        if not _is_row_name(name) or not all(is_value_cell(c) if column.role == "value" else len(c) <= MAX_WORD_CELL
                                             for column, (_, c) in zip(table.columns[1:], cells)):
            break
        table.rows.append((name_line, [(name_line, name)] + cells))
        end_line = cells[-1][0]
        k += width
    return max(end_line, start)


# ---------- space-aligned yearbook tables


def _space_years_header(line: str, ctx: PlanContext) -> tuple[list[Column], bool] | None:
    """'项     目     Item     2020 2021' → the columns rows are read in (name, unit, a value column per year)
    and whether the header has a unit column of its own (指标 单位 2021 2022: each row's unit is a word of it).
    The trailing columns may be value headers of their own ('指标名称 单位 2020年目标 2020年完成 完成率'): a
    note column among them (完成率) is read past, not as a figure."""
    tokens = normalize(line).split()
    years = []
    while tokens and (_YEAR_TOKEN.fullmatch(tokens[-1]) or _trailing_header(tokens[-1])):
        years.insert(0, tokens.pop())
    if not years or not tokens or len(years) != len(set(years)):
        return None
    words = _header_words(tokens)
    columns = classify_header(words + years, ctx)
    trailing = [c.role for c in columns[len(words):]] if columns is not None else []
    if columns is None or "value" not in trailing or set(trailing) - {"value", "note"}:
        return None
    # Rows are read as name, unit and values whatever the header's other columns (the gloss is dropped).
    name = next(c for c in columns if c.role == "name")
    unit = next((c for c in columns if c.role == "unit"), None)
    return [name, unit or Column("unit", "")] + columns[len(words):], unit is not None


def _trailing_header(token: str) -> bool:
    """A header cell of a value column (2020年目标, 完成值) or of a note after them (完成率, 备注)."""
    column = classify_cell(token)
    return column is not None and column.role in ("value", "note")


def _header_words(tokens: list[str]) -> list[str]:
    """Header tokens with spaced-out Chinese joined again: ['项', '目', 'Item'] → ['项目', 'Item']."""
    words: list[str] = []
    previous = ""
    for token in tokens:
        if words and _CJK.fullmatch(token) and _CJK.fullmatch(previous):
            words[-1] += token
        else:
            words.append(token)
        previous = token
    return words


@dataclass
class _SpaceLine:
    indent: int
    name: str  # the Chinese part
    unit: str | None
    values: list[str]


def _space_line(text: str, value_count: int, unit_column: bool = False) -> _SpaceLine:
    """One line of a yearbook table: its Chinese name part, a unit (in parentheses, or the word of a unit
    column after the name), and trailing values."""
    s = normalize(text).rstrip()
    indent = len(s) - len(s.lstrip())
    tokens = s.split()
    values: list[str] = []
    while tokens and len(values) < value_count and is_value_cell(tokens[-1]):
        values.insert(0, tokens.pop())
    if len(values) != value_count:
        values = []
    rest = s.strip()
    if values:
        cut = len(s)
        for value in reversed(values):
            cut = s.rindex(value, 0, cut)
        rest = s[:cut].strip()
    name_parts, unit = [], None
    for segment in _WIDE_SPACE.split(rest):
        paren = _PAREN_ONLY.match(segment)
        if paren and _is_unit_text(paren.group(1)):
            unit = unit or normalize(paren.group(1)).strip()
        elif _CJK.search(segment):
            name_parts.append(segment.strip())
        # else: the English gloss
    if unit_column and unit is None and name_parts:
        # The unit column's word ends the name part: '高新技术企业数 家', or a segment of its own.
        words = " ".join(name_parts).split()
        if len(words) > 1 and len(words[-1]) <= 4 and _is_unit_text(words[-1]):
            unit, name_parts = normalize(words[-1]).strip(), ["".join(words[:-1])]
    return _SpaceLine(indent, "".join(name_parts), unit, values)


def _read_space_rows(lines, start, table: Table, headers, value_count: int, unit_column: bool) -> int:
    rows: list[tuple[int, int, str, str | None, list[str], list[tuple[int, str]]]] = []  # line, indent, name, unit, values, more
    opening: tuple[_SpaceLine, list[int]] | None = None  # a row's first line(s), its values still to come
    j, blanks = start, 0
    while j < len(lines):
        text = lines[j]
        if not text.strip() or is_page_furniture(text, headers):
            blanks += 1
            if blanks > 1:
                break
            j += 1
            continue
        blanks = 0
        line = _space_line(text, value_count, unit_column)
        if line.values and line.name:
            if opening:  # the name began on the line before, the values come at its end
                rows.append((j + 1, opening[0].indent, opening[0].name + line.name, line.unit or opening[0].unit, line.values,
                             [(k, lines[k - 1].strip()) for k in opening[1]]))
                opening = None
            else:
                rows.append((j + 1, line.indent, line.name, line.unit, line.values, []))
        elif not line.values and opening and not line.name:
            opening[1].append(j + 1)  # the English gloss of a name still waiting for its values
        elif not line.values and rows and not opening and (line.indent > 0 or not line.name):
            # A wrapped name (indented Chinese) or the English gloss running on: part of the row above.
            n, indent, name, unit, values, more = rows[-1]
            rows[-1] = (n, indent, name + line.name, unit or line.unit, values, more + [(j + 1, text.strip())])
        elif not line.values and line.name and line.unit and not opening and _next_is_space_row(lines, j + 1, value_count):
            opening = (line, [j + 1])  # a name with its unit but no values: it wraps onto the values' line
        elif not line.values and line.name and not opening and _next_is_space_row(lines, j + 1, value_count):
            table.skipped.append((j + 1, "group heading inside the table: no figures"))
        else:
            break
        j += 1
    for k, (n, indent, name, unit, values, more) in enumerate(rows):
        parent = _parent_row(rows, k) if unit is None else None
        if parent is not None:
            unit = rows[parent][3]
            table.parents[n] = rows[parent][2]
            rows[k] = (n, indent, name, unit, values, more)
        table.rows.append((n, [(n, name), (n, unit or "")] + [(n, v) for v in values] + more))
    return j


def _parent_row(rows, k) -> int | None:
    """The row a unit-less sub-item belongs to (其中:高级职称 under 专业技术人才数 (万人), and the items indented
    under a 其中 row), if that row has a unit; the sub-item takes it."""
    _, indent, name, _, _, _ = rows[k]
    for p in range(k - 1, -1, -1):
        _, p_indent, p_name, p_unit, _, _ = rows[p]
        if p_indent < indent or (_SUB_ITEM.match(name) and p_indent <= indent and not _SUB_ITEM.match(p_name)):
            if _SUB_ITEM.match(p_name):
                return _parent_row(rows, p)  # 其中 opens a list: its items belong to the row above it
            return p if p_unit is not None else None
    return None


def _next_is_space_row(lines, j: int, value_count: int) -> bool:
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and bool(_space_line(lines[j], value_count).values)


# ---------- mentions


def table_mentions(lines: tuple[str, ...], ctx: PlanContext, document: str, tables: list[Table] | None = None) -> list[Mention]:
    mentions: list[Mention] = []
    for table in find_tables(lines, ctx) if tables is None else tables:
        for row_line, cells in table.rows:
            mentions.extend(_row_mentions(table, row_line, cells, ctx, document, lines))
    return mentions


def split_name_unit(name: str) -> tuple[str, str | None]:
    """'高新技术企业数（家）' → ('高新技术企业数', '家'); a parenthesised (R&D) inside stays."""
    s = name.strip()
    m = _TRAILING_UNIT.search(s)
    if m and _is_unit_text(m.group(1)):
        return s[: m.start()].strip(), normalize(m.group(1)).strip()
    return s, None


def _is_unit_text(text: str) -> bool:
    t = normalize(text).strip()
    if not t or re.search(r"[A-Za-z]{2,}", t) and t not in ("km", "kg"):
        return False
    return len(t) <= 6 and not any(w in t for w in ("含", "其中", "包括", "不含", "以上"))


def _row_mentions(table: Table, row_line, cells, ctx: PlanContext, document: str, lines) -> list[Mention]:
    by_role: dict[str, list[tuple[Column, int, str]]] = {}
    for column, (line_no, cell) in zip(table.columns, cells):
        by_role.setdefault(column.role, []).append((column, line_no, cell))
    name_cells = [c for c in by_role.get("name", []) if c[2]] or [c for c in by_role.get("description", []) if c[2]]
    if not name_cells:
        return []
    raw_name = name_cells[0][2]
    name, unit = split_name_unit(normalize(raw_name))
    if by_role.get("unit") and by_role["unit"][0][2]:
        unit = normalize(by_role["unit"][0][2]).strip()
    attribute = None
    if "attribute" in by_role:
        a = normalize(by_role["attribute"][0][2]).strip()
        attribute = a if a in target_attributes() else None
    described = [c[2] for c in by_role.get("description", []) if c[2] and c[2] != raw_name]
    parent = table.parents.get(row_line)
    row = RowText(raw_name, name, unit, attribute, ([parent] if parent else []) + described)
    cells_read = [(column, line_no, parsed) for column, line_no, cell in by_role.get("value", [])
                  if (parsed := parse_cell(cell)) is not None]
    # The last base cell (2020年, 基数) is the baseline of the row's targets, stored with them; an earlier one, or
    # one in a row without targets, is an achieved figure of its own.
    bases = [c for c in cells_read if c[0].kind == "base" and c[2].value is not None]
    has_targets = any(column.kind == "target" for column, _, _ in cells_read)
    baseline = bases[-1] if bases and has_targets else None
    base = (baseline[0].year, baseline[2].value, baseline[2].unit or unit) if baseline else None
    return [_mention(document, c[1], lines, ctx, table.layout, row, c[0], c[2], base if c[0].kind == "target" else None)
            for c in cells_read if c is not baseline]


@dataclass(frozen=True)
class RowText:
    raw_name: str
    name: str
    unit: str | None
    attribute: str | None
    described_by: list[str]  # the row above a sub-item, a 指标内容 beside the 三级指标: context, not the name


def _target_type(parsed: CellValue, column: Column, row: RowText) -> str:
    if parsed.target_type != LEVEL:
        return parsed.target_type
    if column.measure in ("growth", "avg_growth") and parsed.unit == "个百分点":
        return PP_INCREASE  # 增长 | 0.2个百分点: a share's growth is in points
    if column.measure == "avg_growth":
        return AVG_GROWTH
    if column.measure == "growth":
        return GROWTH
    return type_from_row_name(row.name, row.unit) or LEVEL


def _mention(document, line_no, lines, ctx, layout, row: RowText, column: Column, parsed: CellValue, base) -> Mention:
    target_type = _target_type(parsed, column, row)
    value_unit = parsed.unit or column.unit or ("%" if target_type in (GROWTH, AVG_GROWTH) else row.unit)
    kind = "target" if column.kind == "target" else "actual"  # a base cell is an achieved figure too
    context = " ".join([row.raw_name.strip()] + row.described_by) + f" [{column.header}]"
    return Mention(
        document=document,
        line=line_no,
        source="table",
        kind=kind,
        indicator_as_written=row.name,
        unit=value_unit,
        year=column.year,
        value=parsed.value,
        target_type=target_type,
        qualifier=parsed.qualifier,
        stretch=False,
        low=parsed.low,
        high=parsed.high,
        baseline_year=base[0] if base else None,
        baseline_value=base[1] if base else None,
        baseline_unit=base[2] if base else None,
        attribute=row.attribute,
        cumulative=parsed.cumulative or column.measure == "cumulative",
        per_year=False,
        source_text=lines[line_no - 1].strip(),
        source_text_normalised=normalize(lines[line_no - 1]).strip(),
        context=context,
        period=column.period if kind == "actual" else "",
        rule=f"table:{layout} {column.time_rule} {column.kind_rule}",
    )
