"""planwatch export: every mart, in Parquet, CSV and XLSX; formulas neutralised, numbers kept."""

from __future__ import annotations

import csv

import duckdb
import openpyxl
import pandas as pd
import pytest

from planwatch import warehouse as warehouse_module
from planwatch.export import export_marts, neutralise
from small_warehouse import FORMULA_SOURCE, make_warehouse

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", FORMULA_SOURCE]


@pytest.fixture
def warehouse(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    con.execute("create table marts.formula_probe (id integer, text varchar, amount double, signed varchar, note varchar)")
    rows = [(i, t, -1.5 * i, None, "普通文本") for i, t in enumerate(DANGEROUS)]
    rows.append((99, "安全 text", 2.0, "-3.5", None))
    con.executemany("insert into marts.formula_probe values (?, ?, ?, ?, ?)", rows)
    con.execute("create schema staging")
    con.execute("create table staging.not_a_mart (x integer)")
    con.close()
    return db


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_neutralise():
    for s in DANGEROUS:
        assert neutralise(s) == "'" + s
    for s in ("safe", "科技", "-3.5", "+12", "", "a=b"):
        assert neutralise(s) == s
    assert neutralise(-3.5) == -3.5 and neutralise(None) is None


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_export_writes_every_mart_with_its_rows(warehouse, tmp_path, fmt):
    counts = _counts(warehouse)
    out = tmp_path / f"out-{fmt}"
    files = export_marts(warehouse, fmt, out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left
    if fmt == "xlsx":  # one workbook, a sheet per mart
        assert [p.name for p in files] == ["marts.xlsx"]
        sheets = pd.read_excel(files[0], sheet_name=None)
        assert sorted(sheets) == sorted(counts)
        for table, frame in sheets.items():
            assert len(frame) == counts[table], table
        return
    assert sorted(p.name for p in files) == sorted(f"{t}.{fmt}" for t in counts)
    assert "not_a_mart" not in " ".join(p.name for p in files)
    for path in files:
        table = path.stem
        frame = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
        assert len(frame) == counts[table], table


def test_parquet_keeps_values_and_types(warehouse, tmp_path):
    export_marts(warehouse, "parquet", tmp_path)
    frame = pd.read_parquet(tmp_path / "formula_probe.parquet")
    assert list(frame["text"][: len(DANGEROUS)]) == DANGEROUS  # typed columns need no neutralising
    tva = pd.read_parquet(tmp_path / "target_vs_actual.parquet")
    assert pd.api.types.is_float_dtype(tva["actual_value"]) and pd.api.types.is_bool_dtype(tva["is_milestone"])


def test_csv_neutralises_formulas_and_keeps_numbers(warehouse, tmp_path):
    export_marts(warehouse, "csv", tmp_path)
    with open(tmp_path / "formula_probe.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["text"] for r in rows[: len(DANGEROUS)]] == ["'" + s for s in DANGEROUS]
    assert rows[-1]["text"] == "安全 text" and rows[-1]["signed"] == "-3.5"
    assert [r["amount"] for r in rows[:3]] == ["-0.0", "-1.5", "-3.0"]  # negative numbers stay numbers
    assert rows[0]["note"] == "普通文本"
    raw = (tmp_path / "formula_probe.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the Chinese as UTF-8
    tva = list(csv.DictReader(open(tmp_path / "target_vs_actual.csv", encoding="utf-8-sig", newline="")))
    assert any(r["actual_source"] == "'" + FORMULA_SOURCE for r in tva)


def test_xlsx_neutralises_formulas_and_keeps_numbers(warehouse, tmp_path):
    export_marts(warehouse, "xlsx", tmp_path)
    book = openpyxl.load_workbook(tmp_path / "marts.xlsx")
    ws = book["formula_probe"]
    header = [c.value for c in ws[1]]
    assert header == ["id", "text", "amount", "signed", "note"]
    body = list(ws.iter_rows(min_row=2))
    for row, s in zip(body, DANGEROUS):
        text = row[1]
        # a string, never a formula ("f"); OOXML escapes a CR as _x000D_, which Excel reads back as CR
        assert text.data_type == "s" and text.value.replace("_x000D_", "\r") == "'" + s
        assert row[2].data_type == "n" and isinstance(row[2].value, (int, float))
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    last = body[-1]
    assert last[1].value == "安全 text" and last[2].value == 2 and last[3].value == "-3.5"
    ws = book["target_vs_actual"]
    cols = [c.value for c in ws[1]]
    values = [r[cols.index("actual_source")].value for r in ws.iter_rows(min_row=2)]
    assert "'" + FORMULA_SOURCE in values
    years = [r[cols.index("year")] for r in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "n" for c in years)
    codes = [r[cols.index("region_code")] for r in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in codes)  # codes stay text


def test_export_opens_the_warehouse_read_only(warehouse, tmp_path, monkeypatch):
    calls = []
    real_connect = duckdb.connect

    def spy(database, *args, **kwargs):
        calls.append(kwargs.get("read_only"))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(warehouse_module.duckdb, "connect", spy)  # the one reader opens it
    export_marts(warehouse, "csv", tmp_path)
    assert calls == [True]


def test_export_refuses_unknown_format_and_missing_warehouse(warehouse, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export_marts(warehouse, "json", tmp_path)
    with pytest.raises(FileNotFoundError):
        export_marts(tmp_path / "nope.duckdb", "csv", tmp_path)


def test_xlsx_sheets_have_frozen_header_autofilter_and_fitted_widths(warehouse, tmp_path):
    [path] = export_marts(warehouse, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title  # the header row stays in view
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    ws = book["target_vs_actual"]
    cols = [c.value for c in ws[1]]
    width = {name: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i, name in enumerate(cols)}
    region_names = [r[cols.index("region_name")].value for r in ws.iter_rows(min_row=2)]
    # CJK text counts double: a column of 大冶市 is wider than its 3 characters, and no column is wider than the cap
    assert width["region_name"] >= 2 * max(len(n) for n in region_names if n)
    # xlsxwriter stores a width with the cell's padding added (about 0.71 of a character)
    assert max(width.values()) <= 61 and min(width.values()) >= 6


def test_sheet_names_fit_excel_and_stay_unique():
    from planwatch.export import _sheet_names

    long = "a_mart_with_a_name_longer_than_thirty_one"
    names = _sheet_names([long + "_x", long + "_y", "Target", "target"])
    assert all(len(n) <= 31 for n in names.values())
    assert len({n.lower() for n in names.values()}) == 4
