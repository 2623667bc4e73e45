"""Flattened plan tables → one mention per target cell.

Published plans reach users as text in which a table is either one row per
line with tab (or wide-space) separated cells, or one cell per line with the
rows one after another. Both are read by first finding a header row — a name
column and at least one year/base/target/growth column — and then reading
rows of the same width until something that is not a row appears. Page
headers (lines repeated through the document) inside a table are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.plans.cells import AVG_GROWTH, GROWTH, LEVEL, CellValue, parse_cell
from planwatch.plans.model import Mention, PlanContext
from planwatch.text import normalize

_SPLIT = re.compile(r"\t| {2,}|\u3000{1,}")
_YEAR = re.compile(r"(19|20)\d{2}")
_NAME_HEADER = re.compile(r"^(指标名称|指标|名称|主要指标|指标内容|具体指标|项目)$")
_INDEX_HEADER = re.compile(r"^(序号|编号)$")
_CATEGORY_HEADER = re.compile(r"(类型|类别|分类|领域|方面|板块|维度)")
_UNIT_HEADER = re.compile(r"单位")
_ATTRIBUTE_HEADER = re.compile(r"属性")
_GROWTH_HEADER = re.compile(r"年均增[长速]|增[长速]")
_BASE_WORDS = re.compile(r"基数|基期|基准|现状|现值|完成|实际")
_TARGET_WORDS = re.compile(r"目标|规划|预期|预计")
_CUMULATIVE_HEADER = re.compile(r"累计")
# A unit written in parentheses at the end of a name: 高新技术企业数（家）.
_TRAILING_UNIT = re.compile(r"[（(]([^（）()]{1,12})[)）]\s*$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|专栏)")
ATTRIBUTES = ("预期性", "约束性")


@dataclass
class Column:
    role: str  # name | category | unit | attribute | index | base | target | growth | unknown
    year: int | None = None
    header: str = ""


@dataclass
class Table:
    header_line: int
    columns: list[Column]
    mode: str  # "inline" (a row per line) or "cells" (a cell per line)
    rows: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)  # (first line, [(line, cell)])


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
        if parse_cell(text) is not None or "\t" in text or text.endswith(("。", "；", "，")):
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


def classify_header(cells: list[str], ctx: PlanContext) -> list[Column] | None:
    """Column roles for a header row, or None when the cells are not a header."""
    columns: list[Column] = []
    for raw in cells:
        h = normalize(raw).strip().replace(" ", "")
        year_match = _YEAR.search(h)
        if _INDEX_HEADER.match(h):
            columns.append(Column("index", header=h))
        elif _NAME_HEADER.match(h) or (h.endswith("指标名称")):
            columns.append(Column("name", header=h))
        elif _UNIT_HEADER.search(h) and not year_match:
            columns.append(Column("unit", header=h))
        elif _ATTRIBUTE_HEADER.search(h):
            columns.append(Column("attribute", header=h))
        elif year_match and len(h) <= 14:
            year = int(year_match.group(0))
            if _BASE_WORDS.search(h):
                role = "base"
            elif _TARGET_WORDS.search(h):
                role = "target"
            elif _GROWTH_HEADER.search(h):
                role = "growth"
            else:
                role = "base" if ctx.start_year is not None and year < ctx.start_year else "target"
            columns.append(Column(role, year=year, header=h))
        elif _GROWTH_HEADER.search(h) and len(h) <= 14:
            columns.append(Column("growth", year=ctx.end_year, header=h))
        elif _CUMULATIVE_HEADER.search(h) and len(h) <= 14:
            columns.append(Column("cumulative", year=ctx.end_year, header=h))
        elif _BASE_WORDS.search(h) and len(h) <= 8:
            columns.append(Column("base", year=None if ctx.start_year is None else ctx.start_year - 1, header=h))
        elif _TARGET_WORDS.search(h) and len(h) <= 8:
            columns.append(Column("target", year=ctx.end_year, header=h))
        elif _CATEGORY_HEADER.search(h) and len(h) <= 8:
            columns.append(Column("category", header=h))
        else:
            return None
    roles = [c.role for c in columns]
    if "name" not in roles or not any(r in ("target", "growth", "cumulative") for r in roles):
        return None
    return columns


def split_cells(line: str) -> list[str]:
    return [c.strip() for c in _SPLIT.split(line)]


def find_tables(lines: tuple[str, ...], ctx: PlanContext) -> list[Table]:
    headers = page_header_lines(lines)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        table, next_i = _try_table_at(lines, i, ctx, headers)
        if table is not None:
            tables.append(table)
            i = next_i
        else:
            i += 1
    return tables


def _try_table_at(lines, i, ctx, headers) -> tuple[Table | None, int]:
    line = lines[i]
    cells = split_cells(line)
    if len([c for c in cells if c]) >= 2:
        columns = classify_header([c for c in cells if c], ctx)
        if columns:
            table = Table(header_line=i + 1, columns=columns, mode="inline")
            return table, _read_inline_rows(lines, i + 1, table, headers)
        return None, i + 1
    # One cell per line: a name header followed by year/target header cells.
    if not _NAME_HEADER.match(normalize(line).strip().replace(" ", "")):
        return None, i + 1
    header_cells, j = [line.strip()], i + 1
    while j < len(lines) and lines[j].strip() and len(header_cells) < 12:
        candidate = lines[j].strip()
        if classify_header(["指标名称", candidate], ctx) is None:
            break
        header_cells.append(candidate)
        j += 1
    columns = classify_header(header_cells, ctx)
    if not columns or len(columns) < 2:
        return None, i + 1
    table = Table(header_line=i + 1, columns=columns, mode="cells")
    return table, _read_cell_rows(lines, j, table, headers)


def _is_row_name(text: str) -> bool:
    s = normalize(text).strip()
    if not s or parse_cell(s) is not None or len(s) > 80:
        return False
    return not s.endswith(("。", "；")) and not _HEADING.match(s)


def _read_inline_rows(lines, start, table: Table, headers) -> int:
    width = len(table.columns)
    value_columns = sum(1 for c in table.columns if c.role in ("base", "target", "growth", "cumulative"))
    j, misses = start, 0
    while j < len(lines):
        text = lines[j]
        if not text.strip() or is_page_furniture(text, headers):
            j += 1
            continue
        cells = split_cells(text)
        if len(cells) < 2:
            cells = _split_trailing_values(text, value_columns)
        if cells and len(cells) > width and not cells[0]:
            cells = cells[1:]  # a leading tab before a row that has all its cells
        if cells is None or len(cells) < 2 or not any(parse_cell(c) for c in cells[1:]) or not _is_row_name(_first_text(cells)):
            misses += 1
            if misses > 1:
                break
            j += 1
            continue
        misses = 0
        # Right-align: leading cells (category) may be merged away in the flattening.
        if len(cells) < width:
            cells = [""] * (width - len(cells)) + cells
        table.rows.append((j + 1, [(j + 1, c) for c in cells[:width]]))
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
        if not _is_row_name(name) or not all(parse_cell(c) is not None or c in ("-", "—", "/") for _, c in cells if True):
            break
        table.rows.append((name_line, [(name_line, name)] + cells))
        end_line = cells[-1][0]
        k += width
    return max(end_line, start)


def table_mentions(lines: tuple[str, ...], ctx: PlanContext, document: str) -> list[Mention]:
    mentions: list[Mention] = []
    for table in find_tables(lines, ctx):
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
    name_cells = by_role.get("name", [])
    if not name_cells or not name_cells[0][2]:
        return []
    raw_name = name_cells[0][2]
    name, unit = split_name_unit(normalize(raw_name))
    if "unit" in by_role and by_role["unit"][0][2]:
        unit = normalize(by_role["unit"][0][2]).strip()
    attribute = None
    if "attribute" in by_role:
        a = normalize(by_role["attribute"][0][2]).strip()
        attribute = a if a in ATTRIBUTES else None
    base = None
    for column, line_no, cell in by_role.get("base", []):
        parsed = parse_cell(cell)
        if parsed is not None and parsed.value is not None:
            base = (column.year, parsed.value, parsed.unit or unit)
    name_type = _type_from_name(name, unit)
    mentions = []
    for role in ("target", "growth", "cumulative"):
        for column, line_no, cell in by_role.get(role, []):
            parsed = parse_cell(cell)
            if parsed is None:
                continue
            mentions.append(_mention(document, line_no, lines, ctx, name, unit, column, role, parsed, name_type, base, attribute, raw_name))
    return mentions


def _type_from_name(name: str, unit: str | None) -> str:
    """A row named '研发经费投入增长' with unit % holds growth rates, not levels."""
    n = normalize(name)
    if unit in ("%", None) and re.search(r"年均增[长速](率)?$", n):
        return AVG_GROWTH
    if unit in ("%", None) and re.search(r"增[长速](率)?$", n):
        return GROWTH
    return LEVEL


def _mention(document, line_no, lines, ctx, name, unit, column: Column, role, parsed: CellValue, name_type, base, attribute, raw_name) -> Mention:
    target_type = parsed.target_type
    if role == "growth" and target_type == LEVEL:
        target_type = AVG_GROWTH if "年均" in column.header or not column.header else GROWTH
    elif target_type == LEVEL and name_type != LEVEL:
        target_type = name_type
    value_unit = parsed.unit or ("%" if target_type in (GROWTH, AVG_GROWTH) else unit)
    baseline_year = base[0] if base else None
    baseline_value = base[1] if base else None
    baseline_unit = base[2] if base else None
    return Mention(
        document=document,
        line=line_no,
        source="table",
        kind="target",
        indicator_as_written=name,
        unit=value_unit,
        year=column.year or ctx.end_year,
        value=parsed.value,
        target_type=target_type,
        qualifier=parsed.qualifier,
        stretch=False,
        low=parsed.low,
        high=parsed.high,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        baseline_unit=baseline_unit,
        attribute=attribute,
        cumulative=parsed.cumulative or role == "cumulative",
        per_year=False,
        source_text=lines[line_no - 1].strip(),
        context=f"{raw_name.strip()} [{column.header}]",
    )
