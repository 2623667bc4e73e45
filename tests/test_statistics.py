"""Loading statistics files: formats, encodings, periods, values, quarantine, re-runs, revisions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import raw_rows as _raw
from planwatch.cli import app

runner = CliRunner()

LONG = """地区,区划代码,指标,时期,数值,单位,来源
泸溪县,433122,高新技术企业数,2023,"1,234",家,县统计局
,433122,技术合同成交额,2023年1-9月,2.5亿,元,县科技局
凤凰县,,研发经费投入强度,2023Q3,１．２５,%,州统计局
芙蓉区,,技术合同成交额,2023年9月,300,万元,区统计局
永州市,431100,技术合同成交额,2023年三季度,1.5,亿元,市统计局
永州市,431100,技术合同成交额增长率,2023,12.5%,%,市统计局
大冶市,420281,高新技术企业总数较“十三五”末增长,2025,183.89,%,湖北日报
"""


def _load(tmp_path, name: str, content: bytes | str, *args: str, encoding: str = "utf-8"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode(encoding))
    else:
        path.write_bytes(content)
    return path, runner.invoke(app, ["load-stats", str(path), *args])



@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_long_format_with_chinese_headers_in_every_encoding(isolated_paths, tmp_path, encoding):
    _, result = _load(tmp_path, "stats.csv", LONG, encoding=encoding)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 7, loaded 7, quarantined 0, skipped 0"
    rows = _raw(isolated_paths, """
        select row_number, region_code, indicator_code, measure, base_year, period_type, period_start::varchar,
               period_end::varchar, is_ytd, period_label, value, unit, source
        from raw.statistics_loaded order by row_number""")
    assert rows == [
        (2, "433122", "high_tech_enterprises", "level", None, "year", "2023-01-01", "2023-12-31", False, "2023", 1234.0, "家", "县统计局"),
        (3, "433122", "tech_contract_turnover", "level", None, "ytd", "2023-01-01", "2023-09-30", True, "2023-01..09 YTD", 25000.0, "万元", "县科技局"),
        (4, "433123", "rd_intensity", "level", None, "quarter", "2023-07-01", "2023-09-30", False, "2023Q3", 1.25, "%", "州统计局"),
        (5, "430102", "tech_contract_turnover", "level", None, "month", "2023-09-01", "2023-09-30", False, "2023-09", 300.0, "万元", "区统计局"),
        (6, "431100", "tech_contract_turnover", "level", None, "quarter", "2023-07-01", "2023-09-30", False, "2023Q3", 15000.0, "万元", "市统计局"),
        (7, "431100", "tech_contract_turnover", "growth_pct", None, "year", "2023-01-01", "2023-12-31", False, "2023", 12.5, "%", "市统计局"),
        (8, "420281", "high_tech_enterprises", "cumulative_growth_pct", 2020, "year", "2025-01-01", "2025-12-31", False, "2025", 183.89, "%", "湖北日报"),
    ]


BAD = """region,region_code,indicator,period,value,unit
大冶新城区,,高新技术企业数,2023,10,家
泸溪县,433122,不存在的指标,2023,10,家
泸溪县,433122,高新技术企业数,明年,10,家
泸溪县,433122,高新技术企业数,2023,约十家,家
泸溪县,433122,技术合同成交额,2023,10,公斤
泸溪县,433122,科技型中小企业数,2023,20,家
泸溪县,433122,科技型中小企业数,2023,21,家
泸溪县,433122,研发经费投入强度,2023,1.1,%
泸溪县,433122,研发经费投入强度,2023,1.1,%
朝阳区,,高新技术企业数,2023,10,家
泸溪县,433122,高新技术企业数,2022,12,家
"""


def test_every_bad_row_is_quarantined_with_its_row_and_reason(isolated_paths, tmp_path):
    path, result = _load(tmp_path, "bad.csv", BAD)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 11, loaded 2, quarantined 9, skipped 0"
    reasons = dict(_raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine"))
    assert reasons[2].startswith("unknown region: '大冶新城区'")
    assert reasons[3] == "unknown indicator: 不存在的指标"
    assert reasons[4] == "unparseable period: 明年"
    assert reasons[5] == "unparseable value: 约十家"
    assert reasons[6] == "unit cannot convert: 公斤 to 万元"
    assert reasons[7] == reasons[8] == "conflicting duplicate in this file: rows 7, 8"
    assert reasons[10] == "duplicate of row 9"
    assert reasons[11].startswith("ambiguous region: '朝阳区'")
    assert {r[0] for r in _raw(isolated_paths, "select row_number from raw.statistics_loaded")} == {9, 12}
    assert set(_raw(isolated_paths, "select distinct file from raw.statistics_quarantine")) == {(str(path),)}


def test_loading_the_same_file_again_adds_nothing(isolated_paths, tmp_path):
    path, first = _load(tmp_path, "stats.csv", LONG)
    second = runner.invoke(app, ["load-stats", str(path)])
    assert second.exit_code == 0
    assert second.stdout.strip().splitlines()[-1] == "read 0, loaded 0, quarantined 0, skipped 7"
    assert _raw(isolated_paths, "select count(*) from raw.statistics_loaded") == [(7,)]


def test_a_revision_keeps_both_vintages_in_raw(isolated_paths, tmp_path):
    _load(tmp_path, "first.csv", "region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,30,家\n")
    _load(tmp_path, "revised.csv", "region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,32,家\n")
    assert _raw(isolated_paths, "select value from raw.statistics_loaded order by loaded_at") == [(30.0,), (32.0,)]


def test_an_unreadable_file_fails_by_name_and_the_others_still_load(isolated_paths, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,30,家\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    headless = tmp_path / "headless.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(broken), str(headless), str(good)])
    assert result.exit_code == 1
    assert "broken.xlsx: not a readable XLSX workbook" in result.stderr
    assert "headless.csv: cannot find a header row" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "read 1, loaded 1, quarantined 0, skipped 0"


def _workbook(path, sheets: dict[str, list[list]]):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_xlsx_named_sheet_and_formulas_never_evaluated(isolated_paths, tmp_path):
    path = tmp_path / "book.xlsx"
    _workbook(path, {
        "说明": [["本表为示例"]],
        "数据": [["地区", "指标", "年份", "数值", "单位"],
                 ["泸溪县", "高新技术企业数", 2023, 30, "家"],
                 ["泸溪县", "科技型中小企业数", 2023, "=B2*2", "家"]],
    })
    result = runner.invoke(app, ["load-stats", str(path), "--sheet", "数据"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 2, loaded 1, quarantined 1, skipped 0"
    assert _raw(isolated_paths, "select reason from raw.statistics_quarantine") == [("unparseable value: =B2*2",)]
    missing = runner.invoke(app, ["load-stats", str(path), "--sheet", "表3"])
    assert missing.exit_code == 1 and "no sheet named '表3'" in missing.stderr


def test_wide_yearbook_sheet_with_a_title_naming_the_region(isolated_paths, tmp_path):
    path = tmp_path / "yearbook.xlsx"
    _workbook(path, {"Sheet1": [
        ["凤凰县主要科技指标（2021-2023年）"],
        [],
        ["指标", "单位", "2021年", "2022年", "2023年"],
        ["高新技术企业数", "家", 20, 25, None],
        ["技术合同成交额", "亿元", 0.5, 0.8, 1.2],
    ]})
    result = runner.invoke(app, ["load-stats", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 5, loaded 5, quarantined 0, skipped 0"
    rows = _raw(isolated_paths, "select row_number, column_raw, region_code, indicator_code, period_label, value from raw.statistics_loaded order by 1, 2")
    assert rows == [
        (4, "c2", "433123", "high_tech_enterprises", "2021", 20.0), (4, "c3", "433123", "high_tech_enterprises", "2022", 25.0),
        (5, "c2", "433123", "tech_contract_turnover", "2021", 5000.0), (5, "c3", "433123", "tech_contract_turnover", "2022", 8000.0),
        (5, "c4", "433123", "tech_contract_turnover", "2023", 12000.0),
    ]


def test_wide_csv_without_region_needs_region_option(isolated_paths, tmp_path):
    content = "指标,单位,2022,2023\n高新技术企业数,家,10,12\n"
    _, failed = _load(tmp_path, "indicators.csv", content)
    assert failed.exit_code == 1 and "--region" in failed.stderr
    _, result = _load(tmp_path, "indicators2.csv", content + "\n", "--region", "花垣县")
    assert result.exit_code == 0, result.output
    assert _raw(isolated_paths, "select distinct region_code from raw.statistics_loaded") == [("433124",)]


# --- issue 10: one bad input costs only itself -------------------------------------------

GOOD = "region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,30,家\n"


def _log(paths):
    return _raw(paths, "select file, status, rows_read, rows_loaded, rows_quarantined, message from raw.load_log order by loaded_at, file")


def test_header_only_files_load_no_rows_and_say_so(isolated_paths, tmp_path):
    csv = tmp_path / "empty.csv"
    csv.write_text("地区,指标,时期,数值,单位\n", encoding="utf-8")
    xlsx = tmp_path / "empty.xlsx"
    _workbook(xlsx, {"Sheet1": [["地区", "指标", "年份", "数值", "单位"]]})
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(csv), str(xlsx), str(good)])
    assert result.exit_code == 0, result.output
    assert f"{csv}: no data rows below the header (line 1)" in result.stderr
    assert f"{xlsx}: no data rows below the header (line 1)" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "read 1, loaded 1, quarantined 0, skipped 0"
    log = {Path(r[0]).name: r[1:] for r in _log(isolated_paths)}
    assert log["empty.csv"][:4] == ("loaded", 0, 0, 0) and "no data rows below the header" in log["empty.csv"][4]
    assert log["empty.xlsx"][:4] == ("loaded", 0, 0, 0)
    assert log["good.csv"][:4] == ("loaded", 1, 1, 0)


def _big_rows() -> str:
    """Every region of the national reference × 12 months: over 1 MB, every row a distinct figure."""
    import csv

    from tests.conftest import REFERENCE

    with open(REFERENCE / "regions.csv", encoding="utf-8") as f:
        codes = [r["region_code"] for r in csv.DictReader(f)]
    return "".join(f"{code},高新技术企业数,2023年{m}月,{i},家,县统计局第{i}号\n"
                   for i, (code, m) in enumerate((c, m) for c in codes for m in range(1, 13)))


@pytest.mark.parametrize("where", [(1 << 20) + 50_000, 50_000], ids=["after the first MB", "within the first MB"])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_a_bad_byte_quarantines_only_its_line(isolated_paths, tmp_path, encoding, where):
    header = "区划代码,指标,时期,数值,单位,来源\n"
    body = _big_rows().encode(encoding)
    n = body.count(b"\n")
    assert len(body) > (1 << 20) + 100_000
    cut = body.index(b"\n", where) + 1  # the start of a line
    bad_line = header.encode(encoding).count(b"\n") + body[:cut].count(b"\n") + 1
    line_end = body.index(b"\n", cut)
    at = line_end - len("号".encode(encoding))  # between two characters of the source cell
    data = header.encode(encoding) + body[:at] + b"\xff" + body[at:]
    offset = data.index(b"\xff")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(path), str(good)])
    assert result.exit_code == 0, result.output
    rows = _raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine")
    assert rows == [(bad_line, f"undecodable bytes: byte offset {offset} is not valid {'GB18030' if encoding == 'gb18030' else 'UTF-8'}")]
    (read, loaded, quarantined), = _raw(isolated_paths, f"select rows_read, rows_loaded, rows_quarantined from raw.load_log where file = '{path}'")
    assert (read, loaded, quarantined) == (n, n - 1, 1)
    assert _raw(isolated_paths, "select count(*) from raw.statistics_loaded")[0][0] == n - 1 + 1  # and good.csv's row


def test_a_crash_while_writing_leaves_no_half_load_and_the_others_still_load(isolated_paths, tmp_path, monkeypatch):
    import planwatch.statistics as statistics

    real = statistics.log_load

    def crash_on(file_name):
        def log_load(con, *args, **kwargs):
            if Path(str(args[3])).name == file_name and args[8] == "loaded":
                raise duckdb.IOException("disk full (simulated)")
            return real(con, *args, **kwargs)
        return log_load

    monkeypatch.setattr(statistics, "log_load", crash_on("first.csv"))
    first = tmp_path / "first.csv"
    first.write_text(LONG, encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(first), str(good)])
    assert result.exit_code == 1
    assert f"{first}: cannot load: disk full (simulated)" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "read 1, loaded 1, quarantined 0, skipped 0"
    assert _raw(isolated_paths, f"select count(*) from raw.statistics_loaded where file = '{first}'") == [(0,)]
    assert _raw(isolated_paths, f"select count(*) from raw.statistics_quarantine where file = '{first}'") == [(0,)]
    assert _raw(isolated_paths, f"select status, message from raw.load_log where file = '{first}'") == [
        ("failed", f"{first}: cannot load: disk full (simulated)")]
    # The failed load did not count as loaded: the file loads on the next try.
    monkeypatch.setattr(statistics, "log_load", real)
    again = runner.invoke(app, ["load-stats", str(first)])
    assert again.stdout.strip().splitlines()[-1] == "read 7, loaded 7, quarantined 0, skipped 0"


# --- values --------------------------------------------------------------------------------

def test_non_finite_and_ambiguous_numbers_are_quarantined(isolated_paths, tmp_path):
    values = ["NaN", "inf", "-inf", "1e400", '"1,2"', "1_000", '"1,234"', '"12,345,678.5"', "１，２３４", "2.5万",
              "-3", "1.5E+3", '"12,34,567"', "Infinity"]
    lines = [f"433122,科技型中小企业数,{2001 + i},{v},家" for i, v in enumerate(values)]
    _, result = _load(tmp_path, "values.csv", "region_code,indicator,period,value,unit\n" + "\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    loaded = dict(_raw(isolated_paths, "select period_label, value from raw.statistics_loaded"))
    assert loaded == {"2007": 1234.0, "2008": 12345678.5, "2009": 1234.0, "2010": 25000.0, "2011": -3.0, "2012": 1500.0}
    reasons = dict(_raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine"))
    assert reasons == {
        2: "non-finite value: NaN",
        3: "non-finite value: inf",
        4: "non-finite value: -inf",
        5: "non-finite value: 1e400",
        6: "ambiguous number: 1,2 (comma is not a thousands separator here)",
        7: "ambiguous number: 1_000 (underscore is not a digit separator)",
        14: "ambiguous number: 12,34,567 (comma is not a thousands separator here)",
        15: "non-finite value: Infinity",
    }


# --- CSV layout ----------------------------------------------------------------------------

def test_title_rows_ragged_rows_and_multiline_cells_keep_real_line_numbers(isolated_paths, tmp_path):
    content = (
        "泸溪县主要科技指标\n"                                        # 1 title
        "（单位见各行）\n"                                            # 2 title
        "\n"                                                          # 3 blank
        "地区,指标,时期,数值,单位,来源\n"                             # 4 header
        "泸溪县,高新技术企业数,2021,10,家,县统计局\n"                 # 5
        '泸溪县,高新技术企业数,2022,12,家,"县统计局\n2023年公报"\n'  # 6-7 one row over two lines
        "泸溪县,高新技术企业数,2023,13,家,县统计局,多一列\n"          # 8 too many fields
        "泸溪县,高新技术企业数,2024\n"                                # 9 too few fields
        "\n"                                                          # 10 blank
        "泸溪县,科技型中小企业数,2023,20,家,县统计局\n"               # 11
        '泸溪县,科技型中小企业数,2024,"2,1",家,县统计局\n'            # 12 ambiguous number
    )
    _, result = _load(tmp_path, "titled.csv", content)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 6, loaded 3, quarantined 3, skipped 0"
    assert _raw(isolated_paths, "select row_number, period_label, value, source from raw.statistics_loaded order by 1") == [
        (5, "2021", 10.0, "县统计局"), (6, "2022", 12.0, "县统计局\n2023年公报"), (11, "2023", 20.0, "县统计局")]
    assert _raw(isolated_paths, "select row_number, reason, region_raw, indicator_raw, period_raw, value_raw "
                                "from raw.statistics_quarantine order by 1") == [
        (8, "ragged row: row has 7 fields, header has 6", "泸溪县", "高新技术企业数", "2023", "13"),
        (9, "ragged row: row has 3 fields, header has 6", "泸溪县", "高新技术企业数", "2024", None),
        (12, "ambiguous number: 2,1 (comma is not a thousands separator here)", "泸溪县", "科技型中小企业数", "2024", "2,1"),
    ]
    assert _raw(isolated_paths, "select distinct region_code from raw.statistics_loaded") == [("433122",)]


def test_a_stray_quote_in_the_title_does_not_throw_the_line_numbers_off(isolated_paths, tmp_path):
    content = ('泸溪县"十四五"期间主要指标 (单位:家, 1" = 1 页)\n'  # an odd number of quotes
               "\n"
               "region_code,indicator,period,value,unit\n"
               "433122,高新技术企业数,2021,10,家\n"
               "\n"
               "433122,高新技术企业数,2022,11,家\n")
    _, result = _load(tmp_path, "stray.csv", content)
    assert result.exit_code == 0, result.output
    assert _raw(isolated_paths, "select row_number, value from raw.statistics_loaded order by 1") == [(4, 10.0), (6, 11.0)]


def test_tab_separated_file_with_a_title(isolated_paths, tmp_path):
    content = "凤凰县科技统计\n地区\t指标\t年份\t数值\t单位\n凤凰县\t高新技术企业数\t2023\t1,234\t家\n"
    _, result = _load(tmp_path, "tabs.csv", content)
    assert result.exit_code == 0, result.output
    assert _raw(isolated_paths, "select row_number, region_code, value from raw.statistics_loaded") == [(3, "433123", 1234.0)]


# --- periods -------------------------------------------------------------------------------

def test_periods_that_start_after_the_load_date_are_quarantined(isolated_paths, tmp_path):
    from datetime import date

    from planwatch.statistics import load_statistics_files

    path = tmp_path / "future.csv"
    path.write_text("region_code,indicator,period,value,unit\n"
                    "433122,高新技术企业数,2099,30,家\n"
                    "433122,高新技术企业数,2030-05,31,家\n"
                    "433122,高新技术企业数,2026-12,32,家\n"    # started, not ended: fine
                    "433122,高新技术企业数,2026,33,家\n"
                    "433122,高新技术企业数,2027年1-3月,34,家\n", encoding="utf-8")
    summary = load_statistics_files([path], isolated_paths.raw_db, isolated_paths.reference_dir, today=date(2026, 12, 1))
    assert summary.line() == "read 5, loaded 2, quarantined 3, skipped 0"
    assert _raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine order by 1") == [
        (2, "period in the future: 2099 (loaded on 2026-12-01)"),
        (3, "period in the future: 2030-05 (loaded on 2026-12-01)"),
        (6, "period in the future: 2027年1-3月 (loaded on 2026-12-01)"),
    ]


def test_the_load_date_defaults_to_today(isolated_paths, tmp_path):
    from datetime import datetime, timezone

    today = datetime.now(timezone.utc).date()  # loads are timed in UTC
    this_month = today.strftime("%Y-%m")
    _, result = _load(tmp_path, "now.csv", f"region_code,indicator,period,value,unit\n433122,高新技术企业数,2099,30,家\n"
                                          f"433122,高新技术企业数,{this_month},31,家\n")
    assert result.stdout.strip().splitlines()[-1] == "read 2, loaded 1, quarantined 1, skipped 0"
    assert _raw(isolated_paths, "select reason from raw.statistics_quarantine") == [
        (f"period in the future: 2099 (loaded on {today.isoformat()})",)]


def test_a_missing_file_is_a_failed_load_in_the_log(isolated_paths, tmp_path):
    missing = tmp_path / "missing.csv"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(missing), str(good)])
    assert result.exit_code == 1 and f"{missing}: no such file" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "read 1, loaded 1, quarantined 0, skipped 0"
    assert _raw(isolated_paths, f"select status, message from raw.load_log where file = '{missing}'") == [
        ("failed", f"{missing}: no such file")]


def test_an_unterminated_quote_quarantines_the_lines_it_swallows_by_name(isolated_paths, tmp_path):
    content = ("region_code,indicator,period,value,unit,source\n"
               "433122,高新技术企业数,2021,10,家,src\n"
               '433122,高新技术企业数,2022,11,家,"open\n'
               "433122,高新技术企业数,2023,12,家,src\n"
               "433122,高新技术企业数,2024,13,家,src\n")
    _, result = _load(tmp_path, "open_quote.csv", content)
    assert result.exit_code == 0, result.output
    assert _raw(isolated_paths, "select row_number from raw.statistics_loaded") == [(2,)]
    (row, reason), = _raw(isolated_paths, "select row_number, reason from raw.statistics_quarantine")
    assert row == 3 and reason.startswith("unterminated quote: a quote opened in this row is not closed, lines 3-5 were read as one row")
