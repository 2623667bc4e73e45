"""Loading statistics files: formats, encodings, periods, values, quarantine, re-runs, revisions."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

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


def _raw(paths, sql: str):
    con = duckdb.connect(str(paths.raw_db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_long_format_with_chinese_headers_in_every_encoding(isolated_paths, tmp_path, encoding):
    _, result = _load(tmp_path, "stats.csv", LONG, encoding=encoding)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 7, loaded 7, quarantined 0, skipped 0"
    rows = _raw(isolated_paths, """
        select row_number, region_code, indicator_code, measure, base_year, period_type, period_start::varchar,
               period_end::varchar, is_ytd, period_label, value, unit, source
        from raw.statistics order by row_number""")
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
    assert {r[0] for r in _raw(isolated_paths, "select row_number from raw.statistics")} == {9, 12}
    assert set(_raw(isolated_paths, "select distinct file from raw.statistics_quarantine")) == {(str(path),)}


def test_loading_the_same_file_again_adds_nothing(isolated_paths, tmp_path):
    path, first = _load(tmp_path, "stats.csv", LONG)
    second = runner.invoke(app, ["load-stats", str(path)])
    assert second.exit_code == 0
    assert second.stdout.strip().splitlines()[-1] == "read 0, loaded 0, quarantined 0, skipped 7"
    assert _raw(isolated_paths, "select count(*) from raw.statistics") == [(7,)]


def test_a_revision_keeps_both_vintages_in_raw(isolated_paths, tmp_path):
    _load(tmp_path, "first.csv", "region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,30,家\n")
    _load(tmp_path, "revised.csv", "region_code,indicator,period,value,unit\n433122,高新技术企业数,2023,32,家\n")
    assert _raw(isolated_paths, "select value from raw.statistics order by loaded_at") == [(30.0,), (32.0,)]


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
    rows = _raw(isolated_paths, "select row_number, column_raw, region_code, indicator_code, period_label, value from raw.statistics order by 1, 2")
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
    assert _raw(isolated_paths, "select distinct region_code from raw.statistics") == [("433124",)]
