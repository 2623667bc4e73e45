"""The HTML report, looked at as a person would: in a real headless Chromium.

The browser test needs Debian's chromium, chromium-driver and fonts-noto-cjk, which the project's
set-up installs; when they are missing it fails (it does not skip). Screenshots are saved under
<repo>/test-output/screenshots/.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import duckdb
import pytest
import yaml

from planwatch.report import build_report, status_counts_table
from small_warehouse import FORMULA_SOURCE, LUXI_BULLETIN, LUXI_BULLETIN_TEXT, make_warehouse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1000", "--force-device-scale-factor=1",
]


def _gx_results(reports: Path) -> Path:
    """A GX validation result as the checkpoint stores it, its Data Docs page and index."""
    rel = Path("plan_targets_suite/__none__/20260101T000000.000000Z/warehouse_frames-fct_plan_target.json")
    result = {
        "success": False, "suite_name": "plan_targets_suite",
        "meta": {"run_id": {"run_time": "2026-01-01T00:00:00+00:00"},
                 "active_batch_definition": {"data_asset_name": "fct_plan_target"}},
        "statistics": {"evaluated_expectations": 2, "unsuccessful_expectations": 1},
        "results": [
            {"success": True, "expectation_config": {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "target_id"}}, "result": {}},
            {"success": False,
             "expectation_config": {"type": "expect_column_values_to_not_be_null", "severity": "warning",
                                    "description": "Indicator names the catalog could not match (unmapped): their queue is marts.unmapped_indicators; add aliases.",
                                    "kwargs": {"column": "indicator_code"}},
             "result": {"element_count": 4, "unexpected_count": 1, "unexpected_percent": 25.0,
                        "partial_unexpected_counts": [{"value": None, "count": 1}], "unexpected_index_list": [2]}},
        ],
    }
    path = reports / "gx_validations" / rel
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(result), encoding="utf-8")
    page = reports / "data_docs" / "validations" / rel.with_suffix(".html")
    page.parent.mkdir(parents=True)
    page.write_text("<html><body>validation</body></html>", encoding="utf-8")
    index = reports / "data_docs" / "index.html"
    index.write_text("<html><body>Data Docs</body></html>", encoding="utf-8")
    return index


@pytest.fixture
def report(tmp_path):
    data = tmp_path / "data"
    db = make_warehouse(data / "planwatch.duckdb")
    docs_index = _gx_results(data / "reports")
    index = build_report(db, data / "report", docs_index)
    return index


# --- what the files say -------------------------------------------------------------------

def test_report_pages_and_content(report):
    out = report.parent
    assert report == out / "index.html"
    names = sorted(p.name for p in out.iterdir())
    assert names == ["index.html", "quality.html", "region-420281.html", "region-433122.html", "report.css"]
    index = report.read_text(encoding="utf-8")
    # statuses come from the table, the unknown one included, with its own label and a neutral colour
    for label in ("已实现", "略滞后", "明显滞后", "神秘状态", "mystery status"):
        assert label in index
    assert 'class="badge status-mystery_status" style="background:#bdbdbd' in index
    # no network: no absolute http(s) references to load (links to sources are plain anchors)
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "cdn" not in html.lower()
        assert 'src="http' not in html and 'href="http' not in html.replace('<a href="http', "")
    daye = (out / "region-420281.html").read_text(encoding="utf-8")
    assert daye.count('<svg class="chart"') == 2
    assert 'class="pt-ytd"' in daye and "2025年1-9月 460" in daye  # the YTD point, drawn apart and labelled
    assert 'class="pt-milestone"' in daye  # 2023 and 2025 are stated by the plan
    assert "单位：家" in daye
    assert f"{'daye_city_sti_five_year_plan_2021_2025.txt'}:143" in daye and "https://example.invalid/daye-statistics" in daye
    assert "HYPERLINK" in daye and FORMULA_SOURCE not in daye  # escaped, not raw
    quality = (out / "quality.html").read_text(encoding="utf-8")
    assert "Indicator names the catalog could not match" in quality
    assert 'href="../reports/data_docs/index.html"' in quality
    assert 'href="../reports/data_docs/validations/plan_targets_suite/' in quality


def test_region_page_says_where_each_actual_comes_from(report):
    import re

    luxi = (report.parent / "region-433122.html").read_text(encoding="utf-8")
    rows = {int(m.group(1)): m.group(0) for m in
            re.finditer(r'<tr>\s*<td>luxi-sti-fyp-2021-2025</td><td class="num">(\d{4})</td>.*?</tr>', luxi, re.S)}
    # 2022 was read from a bulletin's text: its kind, document:line and the sentence
    assert "公报、报告文字" in rows[2022]
    assert f"{LUXI_BULLETIN}:7" in rows[2022] and f"「{LUXI_BULLETIN_TEXT}」" in rows[2022]
    # 2024 comes from a statistics file (publisher, then file name:row), which another source contradicts
    assert "统计数据文件" in rows[2024] and "湘西州统计局" in rows[2024] and "xiangxi.csv:12" in rows[2024]
    assert "其他来源数值不同" in rows[2024] and "其他来源数值不同" not in rows[2022]
    assert "/data/seeds/statistics" not in luxi  # file names, not the loader's absolute paths
    # no actual, no source
    assert "统计数据文件" not in rows[2023] and "公报" not in rows[2023]
    assert "统计数据文件 &gt; 公报、报告文字 &gt; 规划回顾" in luxi  # the ranking, from marts.dim_actual_source


def _quality_flags_mart(con, rows: list[dict]) -> None:
    """marts.quality_flags with the columns and types of its dbt contract, so the page reads what the mart has."""
    spec = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "models" / "marts" / "quality_flags.yml").read_text(encoding="utf-8"))
    [model] = spec["models"]
    columns = [(c["name"], c["data_type"]) for c in model["columns"]]
    con.execute(f"create table marts.quality_flags ({', '.join(f'{n} {t}' for n, t in columns)})")
    for row in rows:
        names = list(row)
        con.execute(f"insert into marts.quality_flags ({', '.join(names)}) values ({', '.join('?' for _ in names)})",
                    list(row.values()))


def _flag(key: str, **values) -> dict:
    flag = {"flag_key": key, "severity": "warning", "check_family": "unit", "check_name": "yoy_jump_x10000",
            "entity": "fct_statistic", "entity_id": key, "region_code": "420281", "region_name": "大冶市",
            "indicator_code": "tech_contract_turnover", "indicator_name": "技术合同成交额", "period": "2025-01..09 YTD",
            "value": 342500, "unit": "万元", "expected_value": "≈ 34.25 (亿元 read as 万元?)", "suggested_value": 34.25,
            "message": "10000× the previous year", "evidence": "https://example.invalid/source", "status": "open",
            "blocks_publishing": False, "needs_review": True}
    flag.update(values)
    return flag


def test_quality_flags_table_is_preferred(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    _quality_flags_mart(con, [_flag("f1")])
    con.close()
    index = build_report(db, tmp_path / "report", None)
    quality = (index.parent / "quality.html").read_text(encoding="utf-8")
    assert "yoy_jump_x10000" in quality and "GX Data Docs</a>" not in quality


def test_quality_page_shows_expected_value_status_decision_and_names(tmp_path):
    """Issue 12: the open count counted corrected flags, 期望 was always empty (the template read `expected`,
    the mart has `expected_value`), there was no status or decision, and regions/indicators showed as codes."""
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    _quality_flags_mart(con, [
        _flag("f1"),
        _flag("f2", status="corrected", decision="correct", corrected_value=34.25, decision_reason="亿元 typed as 万元",
              reviewer="wang", decided_on="2026-11-30", needs_review=False),
        _flag("f3", status="open", check_family="trajectory", check_name="broken_trajectory", severity="error",
              blocks_publishing=True),
    ])
    con.close()
    index = build_report(db, tmp_path / "report", None)
    quality = (index.parent / "quality.html").read_text(encoding="utf-8")
    assert "2 open flags" in quality and "1 decided" in quality
    assert "≈ 34.25 (亿元 read as 万元?)" in quality  # the 期望 column
    assert "大冶市" in quality and "技术合同成交额" in quality
    assert "corrected" in quality and "亿元 typed as 万元" in quality and "wang" in quality
    assert "10000× the previous year" in quality
    assert "数据质量 Quality (2)" in index.read_text(encoding="utf-8")  # the navigation counts open flags only


def test_quality_page_lists_open_flags_by_expected_impact(tmp_path):
    """Issue 14: the reviewer's queue is ranked by impact (marts.quality_flags impact_rank), not by severity and check."""
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    _quality_flags_mart(con, [
        _flag("f_small", severity="error", message="small deviation", impact_score=0.002, impact_rank=2, reference_value=340000),
        _flag("f_unscored", message="no reference", impact_rank=3),
        _flag("f_large", message="large deviation", impact_score=1.25, impact_rank=1, reference_value=34.25),
    ])
    con.close()
    quality = (build_report(db, tmp_path / "report", None).parent / "quality.html").read_text(encoding="utf-8")
    positions = [quality.index(m) for m in ("large deviation", "small deviation", "no reference")]
    assert positions == sorted(positions), positions
    assert "1.25" in quality and "ref 34.25" in quality and "0.002" in quality


def test_inputs_refused_whole_are_listed_for_the_reviewer(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    con.execute("""create table marts.document_quarantine as select 'q1' as quarantine_id, 'old_plan.docx' as document,
        3 as manifest_row, 'daye-x' as plan_id, 'not a Word file' as reason_kind,
        'not a Word file: bad zip (File is not a zip file)' as reason, timestamp '2026-11-30 02:30:00' as refused_at""")
    con.execute("""create table marts.statistics_file_quarantine as select 'q2' as quarantine_id,
        '/data/in/2025年统计.xlsx' as file, null::varchar as sheet,
        '/data/in/2025年统计.xlsx: not a readable XLSX workbook (File is not a zip file)' as reason,
        timestamp '2026-11-29 03:00:00' as first_refused_at, 2 as attempts""")
    con.close()
    quality = (build_report(db, tmp_path / "report", None).parent / "quality.html").read_text(encoding="utf-8")
    assert 'id="refused"' in quality
    assert "old_plan.docx (manifest row 3)" in quality and "not a Word file: bad zip" in quality
    assert "2025年统计.xlsx: not a readable XLSX workbook" in quality and "(2 attempts)" in quality

    clean = make_warehouse(tmp_path / "clean.duckdb")
    assert 'id="refused"' not in (build_report(clean, tmp_path / "r2", None).parent / "quality.html").read_text(encoding="utf-8")


def test_quality_page_shows_the_review_queues(tmp_path):
    """Issue 12: figures awaiting review by region and document with their confidence, decided ones with decision,
    reviewer and date, and review lines that were not applied — beside the flags table."""
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    _quality_flags_mart(con, [_flag("f1")])
    con.execute("""create table marts.figure_review as select * from (values
        ('k_open_low', 'open', false, '大冶市', '420281', 'daye.txt', 140, '规上高企', null, null, 2025, 'level', 'exact', 60.0, '家', 72.5, 'indicator:words_before', '规上高企达到60家', null, null, null, null, null, null, null),
        ('k_open_high', 'open', false, '大冶市', '420281', 'daye.txt', 141, '高新技术企业', 'high_tech_enterprises', '高新技术企业数', 2025, 'level', 'at_least', 150.0, '家', 100.0, 'indicator:words_before', '高新技术企业150家以上', null, null, null, null, null, null, null),
        ('k_edit', 'edited', true, '泸溪县', '433122', 'luxi.txt', 66, '财政科技投入', 'fiscal_sti_expenditure', '财政科技支出', 2021, 'level', 'exact', 3150.0, '万元', 100.0, 'table', '3100', 'edit', '李四', date '2026-11-30', 'the cell reads 3150', 'fiscal_sti_expenditure', 2021, 3100.0),
        ('k_reject', 'rejected', true, '永州市', '431100', 'yongzhou.txt', 183, '过500亿元级', null, null, 2025, 'increment', 'exact', 2.0, '个', 16.7, 'indicator:noun_after', '过500亿元级', 'reject', '王五', date '2026-11-29', 'a count of clusters', null, 2025, 2.0)
        ) as t(figure_key, review_status, is_decided, region_name, region_code, document, source_line, indicator_as_written,
               indicator_code, indicator_name, year, target_type, qualifier, value, unit, match_score, rule, source_text,
               decision, reviewed_by, reviewed_on, review_reason, extracted_indicator_code, extracted_year, extracted_value)""")
    con.execute("alter table marts.figure_review add column extracted_unit varchar")
    con.execute("""create table marts.review_quarantine as select 'target_reviews.csv:6' as quarantine_id,
        'target_reviews.csv' as file_name, 6 as file_line, 'k_x' as figure_key, null::varchar as plan_id,
        'unknown decision ''approve'' (accept, reject or edit)' as problem, 'tester' as entered_by_reviewer""")
    con.close()
    quality = (build_report(db, tmp_path / "report", None).parent / "quality.html").read_text(encoding="utf-8")
    assert 'id="review-queue"' in quality and "2 figures read from the documents (targets and reported actuals) await a reviewer, 2 are decided" in quality
    groups = quality.split('class="review-groups"', 1)[1].split("</table>", 1)[0]
    assert "大冶市" in groups and "daye.txt" in groups and ">2<" in groups and ">72<" in groups  # lowest confidence, rounded
    open_table = quality.split('class="review-open"', 1)[1].split("</table>", 1)[0]
    assert open_table.index("k_open_low") < open_table.index("k_open_high")  # least sure first
    assert "unmatched" in open_table and "规上高企达到60家" in open_table
    decided = quality.split('class="review-decided"', 1)[1].split("</table>", 1)[0]
    assert "k_open" not in decided
    assert "edited" in decided and "李四" in decided and "2026-11-30" in decided and "3100.0" in decided
    assert "rejected" in decided and "a count of clusters" in decided
    assert "seeds/reference/target_reviews.csv" in quality and "unknown decision 'approve'" in html.unescape(quality)
    assert quality.index('class="flags"') < quality.index('id="review-queue"')


def test_region_page_marks_targets_typed_by_hand_or_edited(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    con.execute("update marts.fct_plan_target set entered_by = 'manual', review_status = 'manual' where target_id = 't1'")
    con.execute("update marts.fct_plan_target set entered_by = 'reviewer', review_status = 'edited' where target_id = 't2'")
    con.close()
    index = build_report(db, tmp_path / "report", None)
    text = (index.parent / "region-420281.html").read_text(encoding="utf-8")
    # the target's cell in the figures table: document:line 「text」 and who entered it
    row_of = {line_no: text.split(f':{line_no} <span class="quote"', 1)[1].split("<br>", 1)[0] for line_no in (143, 144, 201)}
    assert "人工录入 typed by hand" in row_of[143] and "审核修改" not in row_of[143]
    assert "审核修改 edited by a reviewer" in row_of[144]
    assert "人工录入" not in row_of[201] and "审核修改" not in row_of[201]


def test_status_counts_table(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    rows = {r["region_code"]: r for r in status_counts_table(db)}
    assert rows["420281"]["achieved"] == 1 and rows["420281"]["needs_acceleration"] == 1
    assert rows["433122"]["mystery_status"] == 1 and rows["433122"]["total"] == 1


def test_rebuild_replaces_the_folder(tmp_path):
    db = make_warehouse(tmp_path / "planwatch.duckdb")
    out = tmp_path / "report"
    build_report(db, out, None)
    (out / "region-999999.html").write_text("stale", encoding="utf-8")
    build_report(db, out, None)
    assert not (out / "region-999999.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report")]


# --- in a real browser --------------------------------------------------------------------

def _driver(user_data_dir: Path):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: the project's set-up installs chromium and chromium-driver (make setup)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # the lock installs selenium
        pytest.fail(f"selenium is not installed: {exc}")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS + [f"--user-data-dir={user_data_dir}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))


def _full_page_screenshot(driver, path: Path) -> bytes:
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(1280, min(max(height + 40, 600), 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    png = driver.get_screenshot_as_png()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return png


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


# Render each character alone on a canvas in the element's own font and compare the pixels with
# those of code points no font has (they draw the .notdef box, "tofu"): real CJK glyphs differ
# from the box and from each other; tofu is the same box every time.
GLYPH_PROBE = """
const el = arguments[0];
const style = getComputedStyle(el);
const font = style.fontWeight + ' 32px ' + style.fontFamily;
function draw(ch) {
  const c = document.createElement('canvas'); c.width = 48; c.height = 48;
  const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 48, 48);
  g.fillStyle = '#000'; g.font = font; g.textBaseline = 'middle'; g.fillText(ch, 4, 24);
  const d = g.getImageData(0, 0, 48, 48).data; let s = '', ink = 0;
  for (let i = 0; i < d.length; i += 4) { const dark = d[i] < 128 ? 1 : 0; s += dark; ink += dark; }
  return {bits: s, ink: ink, width: g.measureText(ch).width};
}
const chars = Array.from(new Set(Array.from(el.textContent).filter(ch => /[\\u4e00-\\u9fff]/.test(ch))));
return {font: font, chars: chars, glyphs: chars.map(draw), tofu: ['\\u0378', '\\u0379', '\\u05ff'].map(draw)};
"""


def _assert_cjk_glyphs(driver, element, label: str) -> None:
    probe = driver.execute_script(GLYPH_PROBE, element)
    glyphs, tofu = probe["glyphs"], probe["tofu"]
    assert len(glyphs) >= 3, f"{label}: expected Chinese text, got {probe['chars']}"
    # control: the probe does see tofu as one and the same box
    assert tofu[0]["bits"] == tofu[1]["bits"] == tofu[2]["bits"], f"{label}: .notdef control not identical"
    boxes = [ch for ch, g in zip(probe["chars"], glyphs) if g["bits"] == tofu[0]["bits"] or g["ink"] == 0]
    assert not boxes, f"{label}: {''.join(boxes)} drawn as empty boxes in {probe['font']}"
    assert len({g["bits"] for g in glyphs}) == len(glyphs), f"{label}: distinct characters drew identical glyphs"
    # CJK glyphs are full-width
    assert all(abs(g["width"] - 32) <= 3 for g in glyphs), f"{label}: widths {[g['width'] for g in glyphs]}"


def test_report_in_headless_chromium(report, tmp_path):
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("report-*.png"):
        old.unlink()
    driver = _driver(tmp_path / "chromium-profile")
    try:
        # overview
        driver.get(report.as_uri())
        driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
        assert driver.title.startswith("总览")
        assert _console_errors(driver) == []
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(r.startswith("file://") for r in resources), resources  # nothing remote
        assert "Noto Sans CJK SC" in driver.execute_script("return getComputedStyle(document.body).fontFamily")  # report.css loaded
        cells = driver.execute_script("""
            return Array.from(document.querySelectorAll('#status-grid .badge')).map(b => {
              const r = b.getBoundingClientRect();
              return {text: b.textContent, bg: getComputedStyle(b).backgroundColor, w: r.width, h: r.height}; })""")
        assert len(cells) == 3
        assert all(c["w"] > 20 and c["h"] > 10 for c in cells)
        assert len({c["bg"] for c in cells}) == 3  # achieved, needs_acceleration and the unknown: three colours
        _assert_cjk_glyphs(driver, driver.find_element("id", "title"), "overview heading")
        _full_page_screenshot(driver, SCREENSHOTS / "report-index.png")

        # a region page: charts drawn, not blank
        driver.get((report.parent / "region-420281.html").as_uri())
        driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
        assert driver.title.startswith("大冶市")
        assert _console_errors(driver) == []
        charts = driver.find_elements("css selector", "svg.chart")
        assert len(charts) == 2
        for chart in charts:
            boxes = driver.execute_script("""
                const svg = arguments[0]; const out = {};
                for (const sel of ['.series-target', '.pt-actual', '.pt-final', '.pt-baseline', '.axes text']) {
                  out[sel] = Array.from(svg.querySelectorAll(sel)).map(e => { const b = e.getBBox(); return [b.width, b.height]; });
                }
                out.dash = getComputedStyle(svg.querySelector('.series-target')).strokeDasharray;
                return out;""", chart)
            assert boxes[".series-target"] and all(w > 50 and h > 5 for w, h in boxes[".series-target"]), boxes
            assert boxes[".pt-actual"] and all(w > 0 and h > 0 for w, h in boxes[".pt-actual"])
            assert boxes[".pt-final"] and boxes[".pt-baseline"] and len(boxes[".axes text"]) > 8
            assert boxes["dash"] not in ("", "none")  # the target line is dashed
            png = Image.open(io.BytesIO(chart.screenshot_as_png)).convert("RGB")
            colours = png.getcolors(maxcolors=1 << 20)
            assert len(colours) > 20, "chart screenshot is nearly a single colour"
            rgb = {c for _, c in colours}
            assert any(abs(r - 0x00) < 40 and abs(g - 0x72) < 40 and abs(b - 0xB2) < 40 for r, g, b in rgb)  # target blue
            assert any(abs(r - 0xD5) < 40 and abs(g - 0x5E) < 40 and abs(b - 0x00) < 40 for r, g, b in rgb)  # actual vermillion
        ytd = driver.find_elements("css selector", "svg.chart .pt-ytd")
        assert len(ytd) == 1 and ytd[0].get_attribute("fill") == "#ffffff"
        _assert_cjk_glyphs(driver, driver.find_element("id", "title"), "region heading")
        _assert_cjk_glyphs(driver, driver.find_element("css selector", "svg.chart .legend text"), "chart legend")
        _assert_cjk_glyphs(driver, driver.find_element("css selector", "svg.chart .unit"), "chart unit")
        charts[1].screenshot(str(SCREENSHOTS / "report-region-chart.png"))
        _full_page_screenshot(driver, SCREENSHOTS / "report-region-420281.png")

        # the quality page links to Data Docs, which open
        driver.get((report.parent / "quality.html").as_uri())
        assert _console_errors(driver) == []
        _full_page_screenshot(driver, SCREENSHOTS / "report-quality.png")
        driver.find_element("id", "data-docs-link").click()
        assert "Data Docs" in driver.find_element("tag name", "body").text
    finally:
        driver.quit()
    shots = sorted(p.name for p in SCREENSHOTS.glob("report-*.png"))
    assert shots == ["report-index.png", "report-quality.png", "report-region-420281.png", "report-region-chart.png"]


def test_build_report_flow_publishes_artifacts(prefect_harness, tmp_path, monkeypatch):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.report import build_report as build_report_flow

    data = tmp_path / "data"
    make_warehouse(data / "planwatch.duckdb")
    state = build_report_flow(data_dir=str(data), return_state=True)
    result = state.result()
    flow_run_id = state.state_details.flow_run_id
    assert Path(result["index"]) == data / "report" / "index.html" and Path(result["index"]).exists()
    counts = {r["region_code"]: r for r in result["status_counts"]}
    assert counts["420281"]["achieved"] == 1 and counts["433122"]["mystery_status"] == 1
    assert counts["433122"]["achieved"] == 0  # rectangular: every status column in every row

    async def artifacts(key):
        async with get_client() as client:
            # this run's artifacts only: the session's Prefect server also holds the pipeline test's
            return await client.read_artifacts(artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[key]), flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))

    table = asyncio.run(artifacts("report-status-counts"))
    link = asyncio.run(artifacts("progress-report"))
    assert table and {r["region_name"] for r in json.loads(table[0].data)} == {"大冶市", "泸溪县"}
    assert link and (data / "report" / "index.html").as_uri() in str(link[0].data)


def test_region_score_rank_and_history_before_the_plan(tmp_path):
    """Where a warehouse scores regions (marts.region_scorecard) the index shows each region's Open SDG score
    and rank, and its page says so too; full-year actuals of years before the plan (marts.fct_statistic) are
    kept as history: drawn in the chart, listed, and the series' trend (marts.fct_indicator_trend) stated."""
    db = make_warehouse(tmp_path / "data" / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    try:
        con.execute("create table marts.region_scorecard (region_code varchar, year bigint, indicators_scored bigint, "
                    "score double, score_band varchar, score_rank bigint, regions_ranked bigint)")
        con.executemany("insert into marts.region_scorecard values (?,?,?,?,?,?,?)", [
            ("420281", 2023, 2, 3.75, "on_track", 1, 2), ("433122", 2023, 1, -1.1111, "limited_progress", 2, 2),
            ("420281", 2024, 0, None, None, None, 0)])
        con.execute("create table marts.fct_statistic (region_code varchar, indicator_code varchar, period_end date, "
                    "value double, period_label varchar, source_kind varchar, actual_source varchar, is_chosen boolean, "
                    "measure varchar, period_type varchar)")
        con.executemany("insert into marts.fct_statistic values (?,?,?,?,?,?,?,?,?,?)", [
            ("420281", "high_tech_enterprises", "2018-12-31", 97.0, "2018", "statistics_file", "s", True, "level", "year"),
            ("420281", "high_tech_enterprises", "2017-12-31", 88.0, "2017", "statistics_file", "s", False, "level", "year"),
            ("420281", "high_tech_enterprises", "2021-12-31", 335.0, "2021", "statistics_file", "s", True, "level", "year")])
        con.execute("create table marts.fct_indicator_trend (region_code varchar, indicator_code varchar, trend_status varchar, "
                    "trend_score double, trend_reason varchar, trend_method varchar)")
        con.execute("insert into marts.fct_indicator_trend values ('420281', 'high_tech_enterprises', 'on_track', 5.0, "
                    "'growth 51.3% a year from 2018 to 2021', 'open_sdg_cagr/last_5_years')")
    finally:
        con.close()
    out = build_report(db, tmp_path / "data" / "report", None).parent
    index = (out / "index.html").read_text(encoding="utf-8")
    # each region's latest scored year (2024 scores nobody): 大冶 first of two, 泸溪 second
    assert '3.75 <span class="meta">进展顺利</span></td><td class="num rank">1/2' in index
    assert '-1.11 <span class="meta">进展有限</span></td><td class="num rank">2/2' in index
    daye = (out / "region-420281.html").read_text(encoding="utf-8")
    assert "score 3.75（进展顺利）· 排名 rank 1/2（2023 年" in daye
    # 2018 is before the plan (2021–2025): listed and drawn; 2017 was not the chosen figure; 2021 is a plan year
    assert "actuals before the plan: 2018 年 97 家" in daye and "2017 年" not in daye
    assert "趋势 trend（open_sdg_cagr/last_5_years）：进展顺利，得分 5.00 — growth 51.3% a year from 2018 to 2021" in daye
    assert ">2018<" in daye  # the year axis reaches back to it
    luxi = (out / "region-433122.html").read_text(encoding="utf-8")
    assert "actuals before the plan" not in luxi


def test_binding_target_behind_is_listed_first(tmp_path):
    """A binding (约束性) target behind schedule heads its region's page, before an expected (预期性) one
    further behind: binding targets must be met."""
    db = make_warehouse(tmp_path / "data" / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    try:
        con.execute("update marts.target_vs_actual set status = 'well_behind', status_zh = '明显滞后' "
                    "where indicator_code = 'sme_tech_enterprises' and year = 2025")
        con.execute("update marts.target_vs_actual set status = 'needs_acceleration', status_zh = '略滞后', attribute = '约束性' "
                    "where indicator_code = 'high_tech_enterprises' and year = 2023")
        con.execute("update marts.target_vs_actual set attribute = '约束性' where indicator_code = 'high_tech_enterprises'")
    finally:
        con.close()
    out = build_report(db, tmp_path / "data" / "report", None).parent
    daye = (out / "region-420281.html").read_text(encoding="utf-8")
    assert daye.index('id="ind-high_tech_enterprises"') < daye.index('id="ind-sme_tech_enterprises"')
    con = duckdb.connect(str(db))
    try:
        con.execute("update marts.target_vs_actual set attribute = '预期性'")
    finally:
        con.close()
    daye = (build_report(db, tmp_path / "data" / "report", None).parent / "region-420281.html").read_text(encoding="utf-8")
    assert daye.index('id="ind-sme_tech_enterprises"') < daye.index('id="ind-high_tech_enterprises"')


def test_indicators_without_a_target_are_listed_with_both_no_target_bands(tmp_path, monkeypatch):
    """A region's indicators with actuals but no plan target (marts.fct_indicator_trend.has_plan_target false) are
    listed on its page with their Open SDG band and score and their Eurostat band (eurostat_trend_status), each
    labelled from its seed: a label changed in seeds/reference/eurostat_trend_categories.csv changes the page."""
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds" / "reference", seeds / "reference")
    categories = seeds / "reference" / "eurostat_trend_categories.csv"
    categories.write_text(categories.read_text(encoding="utf-8").replace(",适度进展,", ",适度进展（试）,"), encoding="utf-8")
    monkeypatch.setenv("PLANWATCH_SEEDS_DIR", str(seeds))
    db = make_warehouse(tmp_path / "data" / "planwatch.duckdb")
    con = duckdb.connect(str(db))
    try:
        con.execute("create table marts.fct_indicator_trend (region_code varchar, indicator_code varchar, indicator_name varchar, "
                    "unit varchar, base_year integer, base_value double, latest_year integer, latest_value double, "
                    "has_plan_target boolean, trend_status varchar, trend_score double, eurostat_trend_status varchar, "
                    "trend_method varchar, trend_reason varchar)")
        con.executemany("insert into marts.fct_indicator_trend values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            # a targeted indicator of 大冶: its section states the trend, Eurostat's band beside Open SDG's
            ("420281", "high_tech_enterprises", "高新技术企业数", "家", 2018, 97.0, 2021, 335.0, True, "on_track", 5.0,
             "significant_progress", "open_sdg_cagr/last_5_years", "growth 51.3% a year from 2018 to 2021"),
            # no target: 0.8 % a year is Open SDG's acceleration_needed (0.5–1.5 %) and Eurostat's moderate progress (0.1–1 %)
            ("420281", "patents_granted", "专利授权量", "件", 2019, 1000.0, 2022, 1024.2, False, "acceleration_needed", 0.75,
             "moderate_progress", "open_sdg_cagr/last_5_years", "growth 0.8% a year from 2019 to 2022"),
            # one year only: unable to assess in both
            ("420281", "rd_personnel", "研发人员数", "人", 2022, 410.0, 2022, 410.0, False, "unable_to_assess", None,
             "unable_to_assess", "open_sdg_cagr/last_5_years", "one year (2022) in the last 5 years: a trend needs two"),
            ("433122", "patents_granted", "专利授权量", "件", 2019, 50.0, 2022, 40.0, False, "deterioration", -5.0,
             "significant_deterioration", "open_sdg_cagr/last_5_years", "growth -7.17% a year from 2019 to 2022")])
    finally:
        con.close()
    out = build_report(db, tmp_path / "data" / "report", None).parent
    daye = (out / "region-420281.html").read_text(encoding="utf-8")
    assert "growth 51.3% a year from 2018 to 2021；Eurostat：显著进展" in daye
    listed = daye[daye.index('id="no-target"'):]
    assert 'href="#no-target">无规划目标的指标 without a target (2)' in daye
    patents = listed[listed.index('id="trend-patents_granted"'):listed.index("</tr>", listed.index('id="trend-patents_granted"'))]
    assert "2019 年 1000 – 2022 年 1,024.2" in patents
    assert '<td class="open-sdg status-acceleration_needed">有进展·需加快</td>' in patents
    assert '<td class="num">0.75</td>' in patents
    assert '<td class="eurostat status-moderate_progress">适度进展（试）</td>' in patents  # the seed's label, as edited
    personnel = listed[listed.index('id="trend-rd_personnel"'):]
    assert '<td class="open-sdg status-unable_to_assess">无法评估</td>' in personnel
    assert '<td class="eurostat status-unable_to_assess">无法评估</td>' in personnel
    assert 'id="trend-high_tech_enterprises"' not in listed  # it has a target: its own section says its trend
    # the listing is by name: 专利授权量 before 研发人员数
    assert listed.index("trend-patents_granted") < listed.index("trend-rd_personnel")
    luxi = (out / "region-433122.html").read_text(encoding="utf-8")
    assert '<td class="eurostat status-significant_deterioration">显著偏离</td>' in luxi
    assert '<td class="open-sdg status-deterioration">逆向变化</td>' in luxi
