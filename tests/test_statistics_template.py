"""`planwatch template statistics`: a template the loader reads back whole once it is filled in."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from planwatch.cli import app
from planwatch.periods import PERIOD_FORMS, parse_period
from planwatch.statistics import HEADER_ALIASES, load_statistics_files
from planwatch.statistics_template import DATA_SHEET

runner = CliRunner()


def test_every_period_form_in_the_guide_is_read_as_it_says():
    for form, example, meaning in PERIOD_FORMS:
        period = parse_period(example)
        assert period is not None and period.label == meaning, (form, example)


def test_template_has_the_data_sheet_first_and_the_guide_after(isolated_paths, tmp_path):
    out = tmp_path / "stats.xlsx"
    result = runner.invoke(app, ["template", "statistics", "--out", str(out), "--region", "大冶市", "--year", "2024"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [DATA_SHEET, "headers", "periods", "units", "indicators"]
    header = [c.value for c in book[DATA_SHEET][1]]
    assert header == list(HEADER_ALIASES)
    accepted = pd.read_excel(out, sheet_name="headers")
    for role, aliases in HEADER_ALIASES.items():
        listed = accepted.loc[accepted["column"] == role, "accepted headers"].iloc[0]
        assert all(a in listed.split(", ") for a in aliases), role
    catalog = pd.read_csv(isolated_paths.reference_dir / "indicators.csv", dtype=str)
    rows = pd.read_excel(out, sheet_name=DATA_SHEET, dtype=str)
    assert len(rows) == len(catalog) and set(rows["region_code"]) == {"420281"} and set(rows["period"]) == {"2024"}


def test_filled_in_template_loads_without_quarantine(isolated_paths, tmp_path):
    out = tmp_path / "stats.xlsx"
    assert runner.invoke(app, ["template", "statistics", "--out", str(out), "--region", "大冶市", "--region", "420281-HTZ",
                               "--year", "2023", "--year", "2024"]).exit_code == 0
    book = openpyxl.load_workbook(out)
    ws = book[DATA_SHEET]
    header = [c.value for c in ws[1]]
    for i, row in enumerate(ws.iter_rows(min_row=2), start=1):
        row[header.index("value")].value = i
        row[header.index("source")].value = "filled in by the test"
    book.save(out)
    isolated_paths.ensure()
    summary = load_statistics_files([out], isolated_paths.raw_db, isolated_paths.reference_dir, today=date(2026, 12, 1))
    [load] = summary.files
    assert load.rows_quarantined == 0 and load.rows_loaded == ws.max_row - 1


def test_unfilled_rows_are_quarantined_not_loaded(isolated_paths, tmp_path):
    out = tmp_path / "stats.csv"
    assert runner.invoke(app, ["template", "statistics", "--out", str(out), "--region", "大冶市", "--year", "2024"]).exit_code == 0
    isolated_paths.ensure()
    summary = load_statistics_files([out], isolated_paths.raw_db, isolated_paths.reference_dir, today=date(2026, 12, 1))
    [load] = summary.files
    assert load.rows_loaded == 0 and load.rows_quarantined == len(pd.read_csv(out))


def test_template_refuses_bad_requests(isolated_paths, tmp_path):
    assert runner.invoke(app, ["template", "statistics", "--out", str(tmp_path / "t.txt")]).exit_code == 2
    assert runner.invoke(app, ["template", "statistics", "--region", "大冶市"]).exit_code == 2
    unknown = runner.invoke(app, ["template", "statistics", "--out", str(tmp_path / "t.xlsx"), "--region", "不存在县", "--year", "2024"])
    assert unknown.exit_code == 2 and "不存在县" in unknown.output
