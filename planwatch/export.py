"""Export the marts for BI tools and spreadsheets: Parquet or CSV, one file per table, or one XLSX
workbook (marts.xlsx) with a sheet per table, its header frozen, an autofilter and fitted widths.

The warehouse (the DuckDB file, or PostgreSQL with PLANWATCH_WAREHOUSE) is read through the
read-only warehouse reader. In CSV and XLSX, text cells that a spreadsheet would run as a
formula (starting with = + - @, a tab or a carriage return) are written with a leading single
quote, so they stay text; numeric columns are left as numbers, and text that is just a signed
number ("-3.5") is left alone since a spreadsheet reads it as that number, not a formula.
Parquet keeps the column types and needs no neutralising.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

FORMATS = ("parquet", "csv", "xlsx")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
EXCEL_MAX_ROWS = 1_048_576
WORKBOOK_NAME = "marts.xlsx"
COLUMN_WIDTH_LIMITS = (6, 60)  # characters; a long source text wraps the sheet's layout otherwise


def neutralise(value):
    """A text cell a spreadsheet would evaluate, prefixed with ' ; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        out[col] = s.map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def mart_tables(reader) -> list[str]:
    return sorted(reader.tables("marts"))


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def _display_width(value) -> int:
    """Width of a cell in spreadsheet characters: CJK and full-width characters take two."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fitted_widths(frame: pd.DataFrame, sample: int = 2000) -> list[int]:
    low, high = COLUMN_WIDTH_LIMITS
    widths = []
    for column in frame.columns:
        values = frame[column].head(sample)
        widest = max([_display_width(column)] + [_display_width(v) for v in values])
        widths.append(min(max(widest + 2, low), high))
    return widths


def _sheet_names(tables: list[str]) -> dict[str, str]:
    """Each table's sheet name: Excel allows 31 characters, unique regardless of case."""
    names, used = {}, set()
    for table in tables:
        name, n = table[:31], 1
        while name.lower() in used:
            n += 1
            name = f"{table[:31 - len(str(n)) - 1]}~{n}"
        used.add(name.lower())
        names[table] = name
    return names


def _write_workbook(con, tables: list[str], path: Path) -> None:
    with pd.ExcelWriter(path, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        for table, sheet in _sheet_names(tables).items():
            frame = neutralise_frame(con.frame(f'select * from marts."{table}"'))
            if len(frame) >= EXCEL_MAX_ROWS:
                raise ValueError(f"marts.{table} has {len(frame)} rows, more than a worksheet holds; use csv or parquet")
            _excel_ready(frame).to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
            for i, width in enumerate(fitted_widths(frame)):
                ws.set_column(i, i, width)


def export_marts(warehouse_db: Path, fmt: str, out_dir: Path) -> list[Path]:
    """Write every table of the marts schema to out_dir: <table>.parquet / <table>.csv, or one
    marts.xlsx with a sheet per table. Returns the files written."""
    fmt = str(getattr(fmt, "value", fmt)).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    import pyarrow.parquet as pq

    from planwatch.warehouse import read_warehouse

    warehouse_db, out_dir = Path(warehouse_db), Path(out_dir)
    written: list[Path] = []
    with read_warehouse(warehouse_db) as con:
        tables = mart_tables(con)
        if not tables:
            raise ValueError(f"{con.where}: the marts schema has no tables")
        out_dir.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            path = out_dir / WORKBOOK_NAME
            tmp = path.with_name(f".{path.name}.tmp")
            _write_workbook(con, tables, tmp)
            tmp.replace(path)
            return [path]
        for table in tables:
            path = out_dir / f"{table}.{fmt}"
            tmp = path.with_name(f".{path.name}.tmp")
            if fmt == "parquet":
                pq.write_table(con.arrow(f'select * from marts."{table}"'), tmp)
            else:
                frame = neutralise_frame(con.frame(f'select * from marts."{table}"'))
                # UTF-8 with a BOM so spreadsheets read the Chinese text correctly
                frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")  # RFC 4180; quotes CR in cells
            tmp.replace(path)
            written.append(path)
    return written
