"""Load statistics files (CSV or XLSX, long format) into the raw layer, losing nothing.

Each file is read as text into DuckDB, its headers mapped from English or
Chinese names, and every row is either loaded into raw.statistic_values (narrow:
the row's own cells and value, with keys into its load's distinct regions,
indicators, periods and units, kept once each in raw.statistic_regions, …) or put
in raw.statistics_quarantine with the reason. Regions, indicators and periods
are resolved once per distinct value (in Python, with the shared resolver and
matcher; the distinct values come from one grouping-sets pass over the rows)
and joined back in SQL, so the Python cost grows with distinct values, not
rows. The rows that resolve are inserted in one statement straight from the
rows read; the quarantine is written by a second pass only when the distinct
values show a problem is possible. A file whose content hash is already in the
load log (and not retracted) is skipped.

CSVs: Python's csv module finds the header (and delimiter) in the first lines
only; DuckDB then reads the whole file with that dialect and width in strict
mode, setting ragged and undecodable rows aside in its rejects table, and the
rows get their real line numbers in SQL. Whatever fails for one file fails
that file alone, logged, with nothing of it written.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from planwatch.indicators import IndicatorCatalog
from planwatch.periods import named_period_year, parse_period
from planwatch.plans.reading import decode_text
from planwatch.text import normalize
from planwatch.units import UnitTable
from planwatch.warehouse import log_load, new_load_id, raw_connection

SUPPORTED = (".csv", ".xlsx")
HEADER_ALIASES = {
    "region": ("region", "region_name", "地区", "区域", "行政区划", "地区名称", "区划名称"),
    "region_code": ("region_code", "区划代码", "行政区划代码", "地区代码", "代码"),
    "indicator": ("indicator", "indicator_name", "指标", "指标名称", "indicator_as_written"),
    "period": ("period", "year", "时期", "年份", "时间", "统计期", "期别", "年度"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位", "计量单位"),
    "source": ("source", "source_url", "来源", "数据来源"),
}
STAT_COLUMNS = ["region_raw", "region_code_raw", "indicator_raw", "period_raw", "value_raw", "unit_raw", "source"]


class StatisticsFileError(ValueError):
    """A file that cannot be read at all."""


@dataclass
class FileLoad:
    file: str
    sha256: str
    status: str  # loaded | skipped | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


@dataclass
class LoadSummary:
    files: list[FileLoad] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(f.rows_read for f in self.files if f.status == "loaded")

    @property
    def loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.rows_read for f in self.files if f.status == "skipped")

    @property
    def failed(self) -> list[FileLoad]:
        return [f for f in self.files if f.status == "failed"]

    def line(self) -> str:
        return f"read {self.read}, loaded {self.loaded}, quarantined {self.quarantined}, skipped {self.skipped}"


_HEADER_SCAN_ROWS = 30


@dataclass
class Layout:
    """Where the data sits in a sheet: the header row, what each column is, and the title above."""

    header_index: int  # 0-based row of the header within the file
    columns: dict[str, str]  # raw column name → region | region_code | indicator | period | value | unit | source
    period_columns: dict[str, str]  # wide format: raw column name → its header text (a period)
    title: str

    @property
    def wide(self) -> bool:
        return bool(self.period_columns)


def _role(cell: str) -> str | None:
    key = normalize(str(cell)).strip().lower().lstrip("\ufeff")
    for role, aliases in HEADER_ALIASES.items():
        if key in (a.lower() for a in aliases):
            return role
    return None


def detect_layout(rows: list[list[str | None]], names: list[str], path: Path) -> Layout:
    """Find the header among the first rows: long (…, period, value) or wide (indicator, 2021, 2022, …)."""
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        cells = ["" if c is None else str(c).strip() for c in row]
        columns: dict[str, str] = {}
        periods: dict[str, str] = {}
        for name, cell in zip(names, cells):
            role = _role(cell) if cell else None
            if role and role not in columns.values():
                columns[name] = role
            elif cell and parse_period(cell) is not None:
                periods[name] = cell
        roles = set(columns.values())
        if "indicator" not in roles:
            continue
        title = " ".join(" ".join(str(c) for c in r if c not in (None, "")) for r in rows[:i]).strip()
        if {"period", "value"} <= roles:
            return Layout(i, columns, {}, title)
        if periods and not {"period", "value"} & roles:
            return Layout(i, columns, periods, title)
    raise StatisticsFileError(
        f"{path}: cannot find a header row in the first {_HEADER_SCAN_ROWS} rows: expected long format "
        "(region or region code, indicator, period, value) or wide format (indicator, then one column per period)"
    )


# Delimiters tried, in order, on the lines above and at the header (the first that yields a header wins).
_DELIMITERS = (",", "\t", ";", "|")
_CHUNK = 1 << 22


@dataclass
class CsvDialect:
    """What the header scan found: how to split the file, where the header is and how wide it is."""

    delimiter: str
    layout: Layout
    header_line: int  # physical line (1-based) the header starts on
    width: int  # fields in the header


def _head_records(text: str, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """The first `limit` non-blank records of the text with the physical line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    records, line = [], 1
    try:
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                records.append((line, fields))
                if len(records) >= limit:
                    break
            line = reader.line_num + 1
    except csv.Error:
        pass  # a cell cut off at the end of the sample: the records before it are what counts
    return records


def sniff_csv(head: str, path: Path) -> CsvDialect:
    """Find the header row and the delimiter in the first lines (Python's csv module, header part only)."""
    error: StatisticsFileError | None = None
    for delimiter in _DELIMITERS:
        records = _head_records(head, delimiter, _HEADER_SCAN_ROWS)
        width = max((len(f) for _, f in records), default=0)
        names = [f"c{i}" for i in range(width)]
        try:
            layout = detect_layout([f + [None] * (width - len(f)) for _, f in records], names, path)
        except StatisticsFileError as exc:
            error = error or exc
            continue
        header_line, header = records[layout.header_index]
        # The header's position among records becomes its physical line: raw_in numbers rows by line.
        layout.header_index = header_line - 1
        return CsvDialect(delimiter, layout, header_line, len(header))
    raise error


@dataclass
class LineScan:
    """The physical lines of a file: how many, and which are blank (outside quoted cells)."""

    lines: int
    blank: list[int]
    blank_any: list[int]  # inside quotes or not


def scan_lines(path: Path) -> LineScan:
    """Count lines and find blank ones at C speed (bytes.count/find), tracking quote parity so that
    an empty line inside a quoted cell is not taken for a blank line. Needed because DuckDB's reader
    skips blank lines and does not number rows."""
    newlines = quotes = 0
    blank: list[int] = []
    blank_any: list[int] = []
    ends_open = False
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            if not chunk.endswith(b"\n"):
                chunk += f.readline()  # chunks end at a line end, so each starts at a line start
            # Line starts that are followed at once by the line end: blank lines.
            starts = [0] if chunk.startswith((b"\n", b"\r\n")) else []
            for pattern in (b"\n\n", b"\n\r\n"):
                i = chunk.find(pattern)
                while i >= 0:
                    starts.append(i + 1)
                    i = chunk.find(pattern, i + 1)
            position = 0
            for at in sorted(starts):
                newlines += chunk.count(b"\n", position, at)
                quotes += chunk.count(b'"', position, at)
                position = at
                blank_any.append(newlines + 1)
                if quotes % 2 == 0:
                    blank.append(newlines + 1)
            newlines += chunk.count(b"\n", position)
            quotes += chunk.count(b'"', position)
            ends_open = not chunk.endswith(b"\n")
    return LineScan(newlines + (1 if ends_open else 0), blank, blank_any)


def count_lines(path: Path) -> int | None:
    """The physical lines of a file whose lines end in \n or \r\n (None if a \r stands alone: DuckDB
    takes it for a line end), counted at memchr speed."""
    newlines = 0
    ends_open = False
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            if not chunk.endswith(b"\n"):
                chunk += f.readline()  # chunks end at a line end, so no \r\n is cut in two
            newlines += chunk.count(b"\n")
            if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
                return None
            ends_open = not chunk.endswith(b"\n")
    return newlines + (1 if ends_open else 0)


@dataclass
class Undecodable:
    """Bytes that did not decode, by the physical line they sit on: line → first bad byte offset."""

    encoding: str
    lines: dict[int, int] = field(default_factory=dict)

    def reason(self, offset: int) -> str:  # the same text as the SQL in _number_rows
        return f"undecodable bytes: byte offset {offset} is not valid {self.encoding.upper()}"


_recording = threading.local()  # the errors of the decode call in progress, per thread


def _record_bad_bytes(exc: UnicodeDecodeError):
    """Codec error handler: note where the bad bytes are, keep them unchanged in the output."""
    getattr(_recording, "errors", []).append(exc)
    bad = exc.object[exc.start:exc.end]
    # surrogateescape's mapping, so the bytes pass through as they were (DuckDB then rejects them too).
    return "".join(chr(0xDC00 + b) if b >= 0x80 else "\ufffd" for b in bad), exc.end


codecs.register_error("planwatch-record", _record_bad_bytes)


def transcode(path: Path, target: Path, encoding: str) -> Undecodable:
    """Write the file as UTF-8 for DuckDB, streaming. Bytes that do not decode are recorded by line and
    byte offset (so only their rows are quarantined) instead of failing the whole file."""
    undecodable = Undecodable(encoding)
    decoder = codecs.getincrementaldecoder(encoding)(errors="planwatch-record")
    offset = newlines = 0
    with open(path, "rb") as fin, open(target, "wb") as fout:
        while True:
            chunk = fin.read(_CHUNK)
            errors = _recording.errors = []
            try:
                text = decoder.decode(chunk, final=not chunk)
            finally:
                del _recording.errors
            for exc in errors:
                # exc.object is the decoder's pending bytes followed by this chunk.
                at = offset - (len(exc.object) - len(chunk)) + exc.start
                line = newlines + chunk.count(b"\n", 0, max(at - offset, 0)) + 1
                undecodable.lines.setdefault(line, at)
            fout.write(text.encode("utf-8", "surrogateescape"))
            if not chunk:
                break
            offset += len(chunk)
            newlines += chunk.count(b"\n")
    return undecodable


def _lines_at(path: Path, offsets: list[int]) -> dict[int, tuple[int, int]]:
    """Byte offset → (the physical line it is on, the offset that line starts at); one pass, for the
    few rows DuckDB rejected."""
    result: dict[int, tuple[int, int]] = {}
    pending = sorted(set(offsets))
    position = newlines = 0
    line_start = 0
    with open(path, "rb") as f:
        while pending and (chunk := f.read(_CHUNK)):
            while pending and pending[0] < position + len(chunk):
                at = pending.pop(0)
                relative = max(at - position, 0)
                before = chunk.rfind(b"\n", 0, relative)
                result[at] = (newlines + chunk.count(b"\n", 0, relative) + 1,
                              position + before + 1 if before >= 0 else line_start)
            if (last := chunk.rfind(b"\n")) >= 0:
                line_start = position + last + 1
            newlines += chunk.count(b"\n")
            position += len(chunk)
    for at in pending:
        result[at] = (newlines + 1, line_start)
    return result


def _first_bad_utf8(path: Path, line_start: int, lines: int) -> int | None:
    """The offset of the first byte that is not UTF-8 in the `lines` lines from line_start (DuckDB's
    byte_position is only near it in a large file)."""
    with open(path, "rb") as f:
        f.seek(line_start)
        data = b"".join(f.readline() for _ in range(lines))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return line_start + exc.start
    return None


# A few undecodable bytes in the first megabyte do not change what the file's encoding is:
# their rows are quarantined like those further down.
_FEW_BAD_BYTES = 8


def _count_bad_bytes(data: bytes, encoding: str, limit: int = _FEW_BAD_BYTES) -> int:
    """How many undecodable sequences, counting up to limit + 1."""
    bad, start = 0, 0
    decoder = codecs.getincrementaldecoder(encoding)()
    while bad <= limit:
        try:
            decoder.decode(data[start:], final=True)
            break
        except UnicodeDecodeError as exc:
            bad += 1
            start += exc.end
            decoder.reset()
    return bad


def _decode_head(head: bytes, path: Path) -> tuple[str, str]:
    """The text and encoding of the file's first megabyte: UTF-8 (with or without BOM) or GB18030/GBK
    if either decodes cleanly, else if either decodes but for a few bytes, else what decode_text detects."""
    candidates = ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8", "gb18030")
    for encoding in candidates:
        try:
            return head.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    for encoding in candidates:
        if _count_bad_bytes(head, encoding) <= _FEW_BAD_BYTES:
            return head.decode(encoding, errors="replace"), encoding
    try:
        return decode_text(head, str(path))
    except ValueError as exc:
        raise StatisticsFileError(str(exc)) from exc


def _csv_reader_sql(dialect: CsvDialect) -> str:
    columns = "{" + ", ".join(f"'c{i}': 'varchar'" for i in range(dialect.width)) + "}"
    delim = dialect.delimiter.replace("'", "''")
    # Explicit dialect and width (the header's): the sniffer guesses wrong on title rows and
    # ragged rows. strict_mode + store_rejects: a row with more or fewer fields, or invalid
    # UTF-8, is set aside with its byte position instead of being padded, cut or failing the file.
    return (f"read_csv(?, columns = {columns}, header = false, auto_detect = false, delim = '{delim}', "
            "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, store_rejects = true, "
            "rejects_table = 'pw_csv_rejects', rejects_scan = 'pw_csv_scans', max_line_size = 16777216)")


def read_csv_rows(con, path: Path, staging: Path) -> Layout:
    """Temp tables `raw_in` (line, c0, c1, …: every cell as text, line = the physical line the row
    starts on) and `raw_bad` (the same, plus reason: rows DuckDB could not read as they stand)."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if len(head) == 1 << 20 and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # whole lines, so no character is cut in two
    text, encoding = _decode_head(head, path)
    dialect = sniff_csv(text, path)
    source, undecodable = path, Undecodable("utf-8")
    if encoding not in ("utf-8", "utf-8-sig"):
        # DuckDB reads UTF-8; transcode GB18030/GBK files once, streaming.
        source = staging / (path.stem + ".utf8.csv")
        undecodable = transcode(path, source, encoding)
    con.execute("drop table if exists pw_csv_rejects; drop table if exists pw_csv_scans")
    try:
        con.execute(f"create or replace temp table csv_records as select row_number() over () as k, * "
                    f"from {_csv_reader_sql(dialect)}", [str(source)])
        rejected = con.execute(
            "select line_byte_position, min(byte_position) filter (where error_type = 'INVALID ENCODING'), "
            "list(distinct error_type::varchar), any_value(csv_line), any_value(error_message) "
            "from pw_csv_rejects group by all order by 1"
        ).fetchall()
    except duckdb.Error as exc:
        raise StatisticsFileError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from exc
    _number_rows(con, path, source, dialect, rejected, undecodable)
    return dialect.layout


def _number_rows(con, path: Path, source: Path, dialect: CsvDialect, rejected: list, undecodable: Undecodable) -> None:
    """Give every row read the physical line it starts on, set-based.

    DuckDB skips blank lines, sets rejected rows aside and reads a quoted cell over several
    lines as one row, so the k-th row is not on line k. Row k starts at 1 + the lines of the
    rows before it + the blank lines and rejected rows before it; the few blank and rejected
    lines come from scan_lines and the rejects table, the rows' own line breaks from SQL.
    """
    starts = _lines_at(source, [r[0] - 1 for r in rejected])  # line_byte_position counts from 1
    items: list[tuple[int, int]] = []  # (line, lines taken) of the rejected rows, then of the blank lines
    bad_rows = []
    names = [f"c{i}" for i in range(dialect.width)]
    for line_byte_position, encoding_at, kinds, csv_line, message in rejected:
        line, line_start = starts[line_byte_position - 1]
        csv_line = csv_line or ""
        # DuckDB may start a rejected row at the blank line before it; the row starts after.
        lead = csv_line[: len(csv_line) - len(csv_line.lstrip("\r\n"))]
        line += lead.count("\n")
        csv_line = csv_line[len(lead):].rstrip("\r\n")
        items.append((line, 1 + csv_line.count("\n")))
        if line <= dialect.header_line or not csv_line.strip():
            continue  # title rows above the header, and lines of spaces, are layout
        fields = next(csv.reader(io.StringIO(csv_line, newline=""), delimiter=dialect.delimiter), [])
        transcoded_at = [undecodable.lines[n] for n in range(line, line + items[-1][1]) if n in undecodable.lines]
        if transcoded_at:
            reason = undecodable.reason(transcoded_at[0])
        elif encoding_at is not None:
            reason = undecodable.reason(_first_bad_utf8(source, line_start, lead.count("\n") + 1 + csv_line.count("\n")) or encoding_at)
        elif {"TOO MANY COLUMNS", "MISSING COLUMNS"} & set(kinds):
            reason = f"ragged row: row has {len(fields)} fields, header has {dialect.width}"
        elif items[-1][1] > 1 and "UNQUOTED VALUE" in kinds:
            # A quote never closed takes the lines after it into the same cell: say which, nothing is silently gone.
            reason = (f"unterminated quote: a quote opened in this row is not closed, lines {line}-{line + items[-1][1] - 1} "
                      f"were read as one row ({message})")
        else:
            reason = f"unreadable row: {message}"
        cells = (fields + [None] * dialect.width)[: dialect.width]
        bad_rows.append([line, *[c if c != "" else None for c in cells], reason])
    # fetchall, not fetchone: DuckDB refuses con.register while a result is still open.
    n_rows = con.execute("select count(*) from csv_records").fetchall()[0][0]
    rejected_lines = sum(span for _, span in items)
    cells = ", ".join(names)
    lines = count_lines(source)
    if lines is not None and n_rows + rejected_lines == lines and not undecodable.lines:
        # Every line is a row or a rejected row, so none is blank and no row spans lines (both add
        # lines): the blank-line scan, a quarter of a large file's load, is not needed.
        scan = LineScan(lines, [], [])
    else:
        scan = scan_lines(source)

    def adds_up(blank: list[int], breaks: int) -> bool:
        return n_rows + breaks + rejected_lines + len(blank) == scan.lines

    if adds_up(scan.blank, 0) and not undecodable.lines:
        base = "k"  # no row spans lines: row k is on line k, shifted past the items before it
        spans = "0"
        breaks = 0
    else:
        spans = " + ".join(f"coalesce(length({c}) - length(replace({c}, chr(10), '')), 0)" for c in names)
        con.execute(f"create or replace temp table csv_records as select *, {spans} as breaks from csv_records")
        base = "k + coalesce(sum(breaks) over (order by k rows between unbounded preceding and 1 preceding), 0)"
        spans = "breaks"
        breaks = con.execute("select coalesce(sum(breaks), 0) from csv_records").fetchall()[0][0]
    # Blank lines outside quoted cells, unless a stray quote (in a title, say) threw the count off.
    blank = next((b for b in (scan.blank, scan.blank_any) if adds_up(b, breaks)), None)
    if blank is None:
        raise StatisticsFileError(
            f"{path}: cannot tell which line each row is on ({scan.lines} lines, "
            f"{n_rows + breaks + rejected_lines + len(scan.blank)} read): is a quote (\") left open, "
            "or do lines end with a carriage return alone?"
        )
    # In the numbering of rows read, item i sits at g = its line - the lines of the items before it;
    # it comes before row k when g <= k's line counted without items.
    items = sorted(items + [(line, 1) for line in blank])
    shifts, before = {}, 0
    for line, span in items:
        before += span
        shifts[line - (before - span)] = before
    _register_mapping(con, "csv_items", pd.DataFrame({"g": list(shifts), "shift": list(shifts.values())}),
                      {"g": "bigint", "shift": "bigint"})
    numbered = f"select {base} as base, {spans} as breaks, {cells} from csv_records"
    if shifts:
        numbered = (f"select r.base + coalesce(i.shift, 0) as line, r.breaks, {', '.join('r.' + c for c in names)} "
                    f"from ({numbered}) r asof left join csv_items i on r.base >= i.g")
    else:
        numbered = f"select base as line, breaks, {cells} from ({numbered})"
    # Materialised unless it is a mere projection: the rows are read several times.
    _create_temp(con, "view" if base == "k" and not shifts else "table", "raw_in_all", numbered)
    bad_frame = pd.DataFrame(bad_rows, columns=["line", *names, "reason"])
    _register_mapping(con, "raw_bad", bad_frame, {"line": "bigint", **{c: "varchar" for c in names}, "reason": "varchar"})
    if undecodable.lines:
        # Rows DuckDB read although they hold bytes that did not decode (they happened to be valid UTF-8).
        _register_mapping(con, "csv_undecodable", pd.DataFrame({"line": list(undecodable.lines), "at": list(undecodable.lines.values())}),
                          {"line": "bigint", "at": "bigint"})
        con.execute(
            f"insert into raw_bad select r.line, {', '.join('r.' + c for c in names)}, "
            "'undecodable bytes: byte offset ' || min(u.at) || ' is not valid ' || ? "
            "from raw_in_all r join csv_undecodable u on u.line between r.line and r.line + r.breaks group by all",
            [undecodable.encoding.upper()],
        )
        _create_temp(con, "view", "raw_in", "select * exclude (breaks) from raw_in_all where line not in (select line from raw_bad)")
    else:
        _create_temp(con, "view", "raw_in", "select * exclude (breaks) from raw_in_all")


def _create_temp(con, kind: str, name: str, select: str, params=None) -> None:
    """create or replace, whether the name was a view or a table for the previous file."""
    for existing in con.execute("select 'view' from duckdb_views() where temporary and view_name = ? "
                                "union all select 'table' from duckdb_tables() where temporary and table_name = ?",
                                [name, name]).fetchall():
        con.execute(f"drop {existing[0]} {name}")
    con.execute(f"create temp {kind} {name} as {select}", params)


def _read_xlsx(con, path: Path, sheet: str | None) -> None:
    """Temp table `raw_in`: every cell as text, columns c0, c1, …, plus line = the row's number in the sheet."""
    frame = _xlsx_frame(path, sheet)
    frame.columns = [f"c{i}" for i in range(frame.shape[1])]
    frame.insert(0, "line", range(1, len(frame) + 1))
    con.register("raw_frame", frame)
    # Text, whatever pandas made of a column (an all-empty one has no type of its own).
    cells = "".join(f", {c}::varchar as {c}" for c in frame.columns[1:])
    _create_temp(con, "table", "raw_in", f"select line::bigint as line{cells} from raw_frame")
    con.unregister("raw_frame")
    # A workbook has no rows that cannot be read as cells.
    con.execute("create or replace temp table raw_bad as select *, null::varchar as reason from raw_in limit 0")


def _xlsx_frame(path: Path, sheet: str | None) -> pd.DataFrame:
    """Every cell as text. Formulas are never evaluated: a cell shows the value Excel cached,
    or, when there is none (a file written by a program), the formula itself, which then
    fails to parse as a number and is quarantined with the formula in the reason."""
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise StatisticsFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in values.sheetnames:
            raise StatisticsFileError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(values.sheetnames)})")
        name = sheet if sheet is not None else values.sheetnames[0]
        rows = []
        for cached, written in zip(values[name].iter_rows(values_only=True), formulas[name].iter_rows(values_only=True)):
            rows.append([
                _cell_text(c if c is not None or not (isinstance(w, str) and w.startswith("=")) else w)
                for c, w in zip(cached, written)
            ])
    finally:
        values.close()
        formulas.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_layout(con, path: Path, staging: Path, sheet: str | None = None) -> tuple[Layout, list[str]]:
    """Read the file into `raw_in` (and `raw_bad`) and find its layout."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        layout = read_csv_rows(con, path, staging)
    elif suffix == ".xlsx":
        _read_xlsx(con, path, sheet)
        layout = None
    else:
        raise StatisticsFileError(f"{path}: unsupported statistics file type {suffix!r} (expected .csv or .xlsx)")
    names = [r[0] for r in con.execute("describe raw_in").fetchall() if r[0] != "line"]
    if layout is None:
        head = con.execute(f"select {', '.join(names)} from raw_in order by line limit {_HEADER_SCAN_ROWS}").fetchall()
        layout = detect_layout([list(r) for r in head], names, path)
    return layout, names


def build_incoming(con, layout: Layout, names: list[str], file_region: str | None) -> int:
    """Create temp table `incoming_std` (region, region_code, indicator, period, value, unit, source as text,
    row_number = the row's number in the file, column_raw = the period column of a wide sheet) and `bad_std`
    (the rows the reader set aside); returns how many rows bad_std has."""
    header_line = layout.header_index + 1
    select = {role: f"{col}" for col, role in layout.columns.items()}
    params: list = []
    if "region" not in select and "region_code" not in select:
        select["region"] = "?::varchar"
        params = [file_region]
    for role in ("region", "region_code", "unit", "source"):
        select.setdefault(role, "null::varchar")
    cols = ", ".join(f"{expr} as {role}" for role, expr in select.items())
    if layout.wide:
        periods = ", ".join(f"{c}" for c in layout.period_columns)
        header_cases = " ".join(f"when '{c}' then ?" for c in layout.period_columns)
        con.execute(
            f"create or replace temp table incoming_wide as select line as row_number, {cols}, {periods} "
            f"from raw_in where line > {header_line}", params,
        )
        # One row per non-empty cell; an empty cell in a yearbook is no figure, not a bad one.
        con.execute(
            f"create or replace temp table incoming_std as "
            f"select * exclude (column_raw), case column_raw {header_cases} end as period, column_raw "
            f"from (unpivot incoming_wide on {periods} into name column_raw value value) "
            f"where trim(coalesce(value, '')) <> ''",
            list(layout.period_columns.values()),
        )
    else:
        # Blank lines (all cells empty) are layout, not rows.
        not_blank = " or ".join(f"trim(coalesce({c}, '')) <> ''" for c in names)
        con.execute(
            f"create or replace temp view incoming_std as select line as row_number, {cols}, null::varchar as column_raw "
            f"from raw_in where line > {header_line} and ({not_blank})",
            params,
        )
    # Rows the reader set aside (ragged, undecodable): quarantined with their reason, cells as far as they go.
    missing = "".join(f", null::varchar as {role}" for role in ("period", "value") if role not in select)
    con.execute(
        f"create or replace temp table bad_std as select line as row_number, {cols}{missing}, null::varchar as column_raw, "
        f"reason from raw_bad where line > {header_line}", params,
    )
    return con.execute("select count(*) from bad_std").fetchone()[0]


def _register_mapping(con, name: str, frame: pd.DataFrame, types: dict[str, str] | None = None) -> None:
    """A pandas frame as temp table; `types` casts columns, since an empty frame's columns have no type to infer."""
    con.register(name + "_df", frame)
    select = ", ".join(f'"{c}"::{types[c]} as "{c}"' if types and c in types else f'"{c}"' for c in frame.columns)
    con.execute(f"create or replace temp table {name} as select {select} from {name}_df")
    con.unregister(name + "_df")


def load_statistics_files(
    files: list[Path], raw_db: Path, reference_dir: Path, staging_dir: Path | None = None,
    sheet: str | None = None, region: str | None = None, today: date | None = None,
) -> LoadSummary:
    """Load each file; `sheet` picks an XLSX sheet (default: the first), `region` names the region of files without a region column.
    `today` is the load date periods may not start after (default: the load's UTC date)."""
    from planwatch.regions import RegionResolver

    catalog = IndicatorCatalog.from_dir(reference_dir)
    units = UnitTable.from_dir(reference_dir)
    resolver = RegionResolver.default(reference_dir)
    summary = LoadSummary()
    with tempfile.TemporaryDirectory(dir=staging_dir) as tmp, raw_connection(raw_db) as con:
        for path in files:
            summary.files.append(_load_one(con, Path(path), catalog, units, resolver, Path(tmp), sheet, region, today))
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_region(layout: Layout, path: Path, region: str | None, resolver) -> str:
    """The region of a sheet without a region column: --region, else the title above the header, else the file name."""
    if region is not None:
        return region
    for text in (layout.title, path.stem):
        inferred = resolver.infer_from_text(text) if text else None
        if inferred is not None:
            return inferred.region.region_code
    raise StatisticsFileError(
        f"{path}: no region column, and neither the title above the header nor the file name names a region; "
        "add a region column or pass --region"
    )


def _load_one(con, path: Path, catalog, units, resolver, tmp: Path, sheet: str | None = None, region: str | None = None,
              today: date | None = None) -> FileLoad:
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    today = today or loaded_at.date()
    load_id = new_load_id()
    if path.suffix.lower() != ".xlsx":
        sheet = None  # only workbooks have sheets
    try:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        sha = _sha256(path)
    except OSError as exc:
        text = str(exc) if isinstance(exc, FileNotFoundError) and str(exc).startswith(str(path)) else f"{path}: cannot read: {exc}"
        log_load(con, load_id, loaded_at, "statistics_file", path, "", 0, 0, 0, "failed", text, sheet)
        return FileLoad(str(path), "", "failed", message=text)
    # A retracted load no longer counts: the same file may be loaded again (e.g. with the right --region).
    previous = con.execute(
        "select rows_read from raw.load_log where file_sha256 = ? and coalesce(sheet, '') = coalesce(?, '') "
        "and kind = 'statistics_file' and status = 'loaded' "
        "and load_id not in (select load_id from raw.load_retractions) limit 1", [sha, sheet]
    ).fetchone()
    if previous:
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, previous[0], 0, 0, "skipped", "same content already loaded", sheet)
        return FileLoad(str(path), sha, "skipped", rows_read=previous[0], message="already loaded")
    try:
        layout, names = read_layout(con, path, tmp, sheet)
        has_region = {"region", "region_code"} & set(layout.columns.values())
        n_bad = build_incoming(con, layout, names, None if has_region else _file_region(layout, path, region, resolver))
        pass_one = _resolve_dimensions(con, catalog, units, resolver, today)
        n = pass_one.rows + n_bad
        message = None if n else f"{path}: no data rows below the header (line {layout.header_index + 1})"
        con.execute("begin")
        try:
            # Every row carries its row number: raw need not keep the file's order, which lets DuckDB write in parallel.
            con.execute("set preserve_insertion_order = false")
            try:
                n_loaded, n_quarantined = _write_rows(con, path, sha, load_id, loaded_at, sheet, today, pass_one.problems,
                                                       pass_one.rows)
            finally:
                con.execute("reset preserve_insertion_order")
            log_load(con, load_id, loaded_at, "statistics_file", path, sha, n, n_loaded, n_quarantined, "loaded", message, sheet)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")  # all of the file's rows or none
            raise
    except Exception as exc:  # whatever went wrong with this file, the next ones still load
        text = str(exc) if isinstance(exc, StatisticsFileError) else f"{path}: cannot load: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, 0, 0, 0, "failed", text, sheet)
        return FileLoad(str(path), sha, "failed", message=text)
    return FileLoad(str(path), sha, "loaded", n, n_loaded, n_quarantined, message)


# "入库科技型中小企业同比增长", "技术合同成交额增长率", "高新技术企业总数较"十三五"末增长":
# a growth rate of a catalog indicator, not the indicator's level.
def _growth_name() -> re.Pattern:
    from planwatch.plans.lexicon import alternation, default_lexicon

    growth = alternation(default_lexicon().words("growth"))  # seeds/reference/lexicon/type_cues.csv
    return re.compile(rf"(?:(?:较|比)(?P<base>[^，,]{{1,12}}?))?(?:同比)?(?:{growth})(?:率)?(?:\(%\)|（%）)?$")


_GROWTH_NAME = _growth_name()


def indicator_measure(name: str, catalog: IndicatorCatalog) -> tuple[str | None, str, int | None]:
    """(indicator_code, measure, base_year) for a statistics indicator name.

    measure is level, growth_pct (year on year) or cumulative_growth_pct (since
    the base period the name gives, e.g. 较"十三五"末增长 → base 2020).
    """
    text = normalize(name or "").strip()
    growth = _GROWTH_NAME.search(text)
    if growth and growth.start() >= 2:
        base = catalog.match(text[: growth.start()])
        if base.indicator_code:
            base_year = named_period_year(growth.group("base")) if growth.group("base") else None
            if growth.group("base"):
                return base.indicator_code, "cumulative_growth_pct", base_year
            return base.indicator_code, "growth_pct", None
    return catalog.match(text).indicator_code, "level", None


@dataclass
class PassOne:
    """What the one pass over a file's rows found: how many, and whether any can have a problem."""

    rows: int
    problems: bool


def _distinct_values(con) -> dict:
    """Every distinct region (code, name), period and (indicator, unit) of incoming_std as written (the
    maps join on that, so no row's cells need trimming), with the trimmed text resolution reads, how many
    rows have it and how many of those a value that does not parse: one scan (grouping sets), not one
    per dimension; the indicators are those of the (indicator, unit) pairs."""
    frame = con.execute(
        f"""
        select *, coalesce(trim(code_raw), '') as code, coalesce(trim(name_raw), '') as name,
               coalesce(trim(indicator_raw), '') as indicator, coalesce(trim(period_raw), '') as period,
               coalesce(trim(unit_raw), '') as unit
        from (
            select grouping(region_code, region) = 0 as is_region, grouping(period) = 0 as is_period,
                   region_code as code_raw, region as name_raw, indicator as indicator_raw, period as period_raw,
                   unit as unit_raw, count(*) as n, count(*) filter (where value_problem is not null) as bad_values
            from ({_value_sql('incoming_std')})
            group by grouping sets ((region_code, region), (period), (indicator, unit))
        )
        """
    ).df()
    regions = frame.loc[frame["is_region"]]
    units = frame.loc[~frame["is_region"] & ~frame["is_period"], ["indicator_raw", "indicator", "unit_raw", "unit"]]
    return {
        "regions": regions[["code_raw", "name_raw", "code", "name"]].reset_index(drop=True),
        "indicators": units[["indicator_raw", "indicator"]].drop_duplicates("indicator_raw", ignore_index=True),
        "periods": frame.loc[frame["is_period"], ["period_raw", "period"]].reset_index(drop=True),
        "units": units.reset_index(drop=True),
        "rows": int(regions["n"].sum()),
        "bad_values": int(regions["bad_values"].sum()),
    }


def _resolve_dimensions(con, catalog: IndicatorCatalog, units: UnitTable, resolver, today: date | None = None) -> PassOne:
    """Temp tables map_region, map_indicator, map_period, map_unit: each distinct value once, resolved in Python."""
    distinct = _distinct_values(con)
    regions = distinct["regions"]
    codes, problems = [], []
    for code, name in zip(regions["code"], regions["name"]):
        resolved, problem = None, None
        for candidate in (code, name):
            if not candidate:
                continue
            try:
                resolved = resolver.resolve(candidate).region_code
                break
            except ValueError as exc:
                problem = str(exc)
        codes.append(resolved)
        problems.append(None if resolved else (problem or "no region given"))
    regions["region_code_resolved"], regions["region_problem"] = codes, problems
    regions["key"] = range(1, len(regions) + 1)  # what raw.statistic_values keeps of a row's region
    _register_mapping(con, "map_region", regions, {**dict.fromkeys(regions.columns, "varchar"), "key": "integer"})

    indicators = distinct["indicators"]
    measures = [indicator_measure(name, catalog) for name in indicators["indicator"]]
    indicators["indicator_code"] = [m[0] for m in measures]
    indicators["measure"] = [m[1] for m in measures]
    indicators["base_year"] = pd.array([m[2] for m in measures], dtype="Int64")
    indicators["canonical_unit"] = [
        ("%" if measure != "level" else catalog.canonical_unit(code)) if code else None for code, measure, _ in measures
    ]
    indicators["key"] = range(1, len(indicators) + 1)
    _register_mapping(con, "map_indicator", indicators, {"indicator_raw": "varchar", "indicator": "varchar", "indicator_code": "varchar",
                                                      "measure": "varchar", "base_year": "integer", "canonical_unit": "varchar",
                                                      "key": "integer"})

    periods = distinct["periods"]
    parsed = [parse_period(p) for p in periods["period"]]
    periods["period_type"] = [p.period_type if p else None for p in parsed]
    periods["period_start"] = [p.start if p else None for p in parsed]
    periods["period_end"] = [p.end if p else None for p in parsed]
    periods["is_ytd"] = [p.is_ytd if p else None for p in parsed]
    periods["period_label"] = [p.label if p else None for p in parsed]
    periods["key"] = range(1, len(periods) + 1)
    _register_mapping(con, "map_period", periods, {"period_raw": "varchar", "period": "varchar", "period_type": "varchar", "period_start": "date",
                                                  "period_end": "date", "is_ytd": "boolean", "period_label": "varchar", "key": "integer"})

    canonical = dict(zip(indicators["indicator"], indicators["canonical_unit"]))
    pairs = distinct["units"].assign(canonical_unit=lambda f: f["indicator"].map(canonical))
    pairs = pairs.loc[pairs["canonical_unit"].notna(), ["unit_raw", "unit", "canonical_unit"]]
    pairs = pairs.drop_duplicates(["unit_raw", "canonical_unit"], ignore_index=True)
    pairs["factor"] = [1.0 if not u and c else units.factor(u, c) for u, c in zip(pairs["unit"], pairs["canonical_unit"])]
    pairs["key"] = range(1, len(pairs) + 1)
    _register_mapping(con, "map_unit", pairs, {"unit_raw": "varchar", "unit": "varchar", "canonical_unit": "varchar", "factor": "double",
                                               "key": "integer"})

    rows = distinct["rows"]
    future = today is not None and any(p is not None and p.start > today for p in parsed)
    problems = bool(
        rows and (any(c is None for c in codes) or indicators["indicator_code"].isna().any()
                  or any(p is None for p in parsed) or future or distinct["bad_values"] > 0
                  or pairs["factor"].isna().any())
    )
    return PassOne(rows, problems)


# Cell values as statistics offices write them: full-width digits, thousands separators
# (only where well-formed: 1,234 / 12,345,678.5), %, and 万/亿 multipliers inside the cell.
# Anything else that a cast would accept but is no figure is a problem with its reason:
# NaN, inf or 1e400 (non-finite), 1,2 or 1_000 (ambiguous).
_NUMBER = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_VALUE_SQL = f"""
    with direct as (
        -- Most cells are plain numbers: cast first, clean only what does not cast to a finite number.
        select *, try_cast(value as double) as cast_value from {{source}}
    ),
    fast as (
        select *, cast_value is not null and isfinite(cast_value) and strpos(value, '_') = 0 as plain from direct
    ),
    cleaned as (
        select *, case when not plain then
                   replace(replace(translate(trim(value), '０１２３４５６７８９．，－＋％　', '0123456789.,-+% '), ' ', ''), '%', '')
               end as v
        from fast
    ),
    numbers as (
        select *,
            case when regexp_full_match(v, '(?:{_NUMBER})(?:万|亿)?')
                 then try_cast(regexp_replace(replace(v, ',', ''), '(万|亿)$', '') as double)
                      * case when v like '%亿' then 100000000 when v like '%万' then 10000 else 1 end
            end as cleaned_value
        from cleaned
    )
    select * exclude (cast_value, plain, v, cleaned_value),
        case when plain then cast_value when isfinite(cleaned_value) then cleaned_value end as value_number,
        case
          when plain or isfinite(cleaned_value) then null
          when cleaned_value is not null or regexp_full_match(lower(coalesce(v, '')), '[+-]?(?:nan|inf|infinity)')
            then 'non-finite value: ' || trim(value)
          when strpos(v, ',') > 0 and regexp_full_match(replace(v, ',', ''), '(?:{_PLAIN_NUMBER})(?:万|亿)?')
            then 'ambiguous number: ' || trim(value) || ' (comma is not a thousands separator here)'
          when strpos(v, '_') > 0 and regexp_full_match(replace(v, '_', ''), '(?:{_PLAIN_NUMBER})(?:万|亿)?')
            then 'ambiguous number: ' || trim(value) || ' (underscore is not a digit separator)'
          else 'unparseable value: ' || coalesce(nullif(trim(value), ''), '(empty)')
        end as value_problem
    from numbers
"""


def _value_sql(source: str) -> str:
    """The rows of `source` with value_number (the cell as a number) and value_problem (why it is none)."""
    return _VALUE_SQL.replace("{source}", source)  # not format(): the regexes have braces


# Every row's dimensions, value and the first problem it has (none: it loads).
_RESOLVED_SQL = """
    select p.row_number, p.region as region_raw, p.region_code as region_code_raw, p.indicator as indicator_raw,
           p.period as period_raw, p.value as value_raw, p.unit as unit_raw, p.source, p.column_raw,
           r.region_code_resolved as region_code, i.indicator_code, i.measure, i.base_year,
           d.period_type, d.period_start, d.period_end, d.is_ytd, d.period_label,
           p.value_number * u.factor as value, i.canonical_unit as unit,
           r.key as region_key, i.key as indicator_key, d.key as period_key, u.key as unit_key,
           case
             when r.region_code_resolved is null then coalesce(r.region_problem, 'unknown region: no region given')
             when i.indicator_code is null then 'unknown indicator: ' || coalesce(nullif(trim(p.indicator), ''), '(empty)')
             when d.period_type is null then 'unparseable period: ' || coalesce(nullif(trim(p.period), ''), '(empty)')
             -- A period that has started (this month, this year) may have figures; one that has not, cannot.
             when d.period_start > $today::date then 'period in the future: ' || trim(p.period) || ' (loaded on ' || $today::date::varchar || ')'
             when p.value_problem is not null then p.value_problem
             when u.factor is null then 'unit cannot convert: ' || coalesce(nullif(trim(p.unit), ''), '(none)') || ' to ' || i.canonical_unit
           end as reason
    from ({parsed}) p
    left join map_region r on p.region_code is not distinct from r.code_raw and p.region is not distinct from r.name_raw
    left join map_indicator i on p.indicator is not distinct from i.indicator_raw
    left join map_period d on p.period is not distinct from d.period_raw
    left join map_unit u on p.unit is not distinct from u.unit_raw and i.canonical_unit = u.canonical_unit
"""
# What raw.statistic_values keeps of a row: its own cells and value, and keys into its load's distinct values.
_VALUE_COLUMNS = "row_number, column_raw, region_key, indicator_key, period_key, unit_key, value_raw, source, value"
_QUARANTINE_COLUMNS = ("row_number, region_raw, region_code_raw, indicator_raw, period_raw, column_raw, value_raw, unit_raw, "
                       "source, reason")
# The distinct values of the load, each once: the maps the rows were resolved with.
_KEY_INSERTS = (
    "insert into raw.statistic_regions select ?::varchar, key, name_raw, code_raw, region_code_resolved from map_region",
    "insert into raw.statistic_indicators select ?::varchar, key, indicator_raw, indicator_code, measure, base_year, "
    "canonical_unit from map_indicator",
    "insert into raw.statistic_periods select ?::varchar, key, period_raw, period_type, period_start, period_end, is_ytd, "
    "period_label from map_period",
    "insert into raw.statistic_units select ?::varchar, key, unit_raw, canonical_unit, factor from map_unit",
)
# The load's rows in raw with their dimensions joined back from the maps (small: hash joins on integers).
_LOADED_ROWS = """(
    select v.*, r.name_raw as region_raw, r.code_raw as region_code_raw, r.region_code_resolved as region_code,
           i.indicator_raw, i.indicator_code, i.measure, d.period_raw, d.period_label, u.unit_raw
    from raw.statistic_values v
    join map_region r on r.key = v.region_key
    join map_indicator i on i.key = v.indicator_key
    join map_period d on d.key = v.period_key
    join map_unit u on u.key = v.unit_key
    where v.load_id = ?
)"""


def _write_rows(con, path: Path, sha: str, load_id: str, loaded_at, sheet: str | None = None,
                today: date | None = None, problems: bool = True, rows: int | None = None) -> tuple[int, int]:
    """Rows without a problem into raw.statistic_values straight from the file's rows (one pass, nothing
    materialised) and the load's distinct values into the key tables; the rows with one into the quarantine
    (a second pass, only when the first pass over the distinct values saw a problem, or fewer rows loaded
    than were read); then the keys given twice, moved from the one to the other. Every row read ends in
    one of the two, or the file fails."""
    resolved = _RESOLVED_SQL.replace("{parsed}", _value_sql("incoming_std"))
    common = "?::varchar as file, ?::varchar as file_sha256, ?::varchar as load_id, ?::timestamp as loaded_at, ?::varchar as sheet"
    params = [str(path), sha, load_id, loaded_at, sheet]
    today = today or loaded_at.date()
    n_loaded = con.execute(
        f"insert into raw.statistic_values by name select ?::varchar as load_id, {_VALUE_COLUMNS} "
        f"from ({resolved.replace('$today', '?')}) where reason is null",
        [load_id] + [today] * _RESOLVED_SQL.count('$today'),
    ).fetchone()[0]
    if n_loaded:
        for insert in _KEY_INSERTS:
            con.execute(insert, [load_id])
    n_quarantined = 0
    if problems or rows is None or n_loaded < rows:
        n_quarantined += con.execute(
            f"insert into raw.statistics_quarantine by name select {common}, {_QUARANTINE_COLUMNS} "
            f"from ({resolved.replace('$today', '?')}) where reason is not null",
            params + [today] * _RESOLVED_SQL.count('$today'),
        ).fetchone()[0]
    if rows is not None and n_loaded + n_quarantined != rows:
        raise StatisticsFileError(f"{path}: {rows} rows read but {n_loaded} loaded and {n_quarantined} quarantined")
    # The rows the reader set aside.
    n_quarantined += con.execute(
        f"insert into raw.statistics_quarantine by name select {common}, row_number, region as region_raw, "
        "region_code as region_code_raw, indicator as indicator_raw, period as period_raw, column_raw, value as value_raw, "
        "unit as unit_raw, source, reason from bad_std",
        params,
    ).fetchone()[0]
    moved = _quarantine_duplicates(con, common, params, load_id) if n_loaded else 0
    return n_loaded - moved, n_quarantined + moved


def _quarantine_duplicates(con, common: str, params: list, load_id: str) -> int:
    """Same region, indicator and period twice in one file: identical rows are duplicates, different
    values are a conflict; either way only the first identical row stays loaded. Keys are counted over
    the load's rows by hash first (cheap), detailed only for the few repeated ones; most files have none.
    Resolved, not as written: 2023 and 2023年 are the same period."""
    # First counted on integers: each key of the load numbered by what it resolves to (small tables),
    # so no string is read or hashed per row; most files have no duplicate and stop here.
    for table, resolved in (("map_region", "region_code_resolved"), ("map_indicator", "indicator_code || '|' || measure"),
                            ("map_period", "period_label")):
        con.execute(f"create or replace temp table {table}_number as select key, dense_rank() over (order by {resolved}) "
                    f"as number from {table} where {resolved} is not null")
    if not con.execute(
        "select count(*) from (select 1 from raw.statistic_values v join map_region_number r on r.key = v.region_key "
        "join map_indicator_number i on i.key = v.indicator_key join map_period_number d on d.key = v.period_key "
        "where v.load_id = ? group by r.number, i.number, d.number having count(*) > 1)", [load_id]
    ).fetchone()[0]:
        return 0
    key = "hash(region_code, indicator_code, measure, period_label)"
    con.execute(
        f"""
        create or replace temp table repeated as
        with candidates as (
            select {key} as key from {_LOADED_ROWS} group by 1 having count(*) > 1
        )
        select region_code, indicator_code, measure, period_label,
               count(distinct value) as distinct_values,
               string_agg(row_number::varchar, ', ' order by row_number) as all_rows,
               min(row_number) as first_row
        from {_LOADED_ROWS}
        where {key} in (select key from candidates)
        group by all
        having count(*) > 1
        """,
        [load_id, load_id],
    )
    if not con.execute("select count(*) from repeated").fetchone()[0]:
        return 0
    con.execute(
        f"""
        create or replace temp table repeated_rows as
        select s.row_number, s.column_raw,  -- a row of a wide sheet is one statistic per period column
               case when d.distinct_values > 1 then 'conflicting duplicate in this file: rows ' || d.all_rows
                    else 'duplicate of row ' || d.first_row end as reason
        from {_LOADED_ROWS} s
        join repeated d
          on s.region_code = d.region_code and s.indicator_code = d.indicator_code
         and s.measure = d.measure and s.period_label = d.period_label
        where d.distinct_values > 1 or s.row_number <> d.first_row
        """,
        [load_id],
    )
    moved = con.execute(
        f"insert into raw.statistics_quarantine by name select {common}, s.row_number, s.region_raw, s.region_code_raw, "
        "s.indicator_raw, s.period_raw, s.column_raw, s.value_raw, s.unit_raw, s.source, q.reason "
        f"from {_LOADED_ROWS} s join repeated_rows q "
        "on s.row_number = q.row_number and s.column_raw is not distinct from q.column_raw",
        params + [load_id],
    ).fetchone()[0]
    con.execute("delete from raw.statistic_values s where load_id = ? and exists (select 1 from repeated_rows q "
                "where q.row_number = s.row_number and q.column_raw is not distinct from s.column_raw)", [load_id])
    return moved


def statistics_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in SUPPORTED and not p.name.startswith((".", "~$")))
