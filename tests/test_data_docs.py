"""GX Data Docs after a real validation of a small warehouse: offline, named runs, readable rows.

One checkpoint run over tests/small_warehouse.py's marts plus small statistics and quality-flag
tables, with two planted failures: a unit issue on 大冶市's 2025 high-tech enterprise target (400)
and an open warning flag for 泸溪县. Then the pages are read as files and opened in headless
Chromium with no network (tests/test_report.py's driver).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from planwatch.config import get_paths
from planwatch.data_docs import offline_html
from small_warehouse import make_warehouse
from tests.conftest import SEEDS

DAYE_ROW = "大冶市 | high_tech_enterprises | 2025 | 400 | t1"


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    from planwatch.validation import validate_warehouse

    paths = get_paths(SEEDS, tmp_path_factory.mktemp("docs") / "data")
    db = make_warehouse(paths.warehouse_db)
    con = duckdb.connect(str(db))
    try:
        con.execute("update marts.fct_plan_target set unit_issue = '个 does not convert to 家' where target_id = 't1'")
        # the columns of the mart's contract that GX and the report read
        con.execute("""create table marts.fct_statistic as select * from (values
            ('s1', '420281', 'high_tech_enterprises', '2024', 'year', date '2024-12-31', 'level', 300.0::double, '家',
             true, 'statistics_file', 's'),
            ('s2', '433122', 'rd_intensity', '2024-01..09 YTD', 'ytd', date '2024-09-30', 'level', 1.2::double, '%',
             true, 'statistics_file', 's'))
            t(statistic_id, region_code, indicator_code, period_label, period_type, period_end, measure, value, unit,
              is_chosen, source_kind, actual_source)""")
        con.execute("""create table marts.quality_flags as select * from (values
            ('f1', 'warning', '433122', '泸溪县', null::varchar, '研发中心建设', '2026', 2.0::double, 'open', false, true),
            ('f2', 'error', '420281', '大冶市', 'high_tech_enterprises', '高新技术企业数', '2025', 400.0::double,
             'corrected', false, false))
            t(flag_key, severity, region_code, region_name, indicator_code, indicator_name, period, value, status,
              blocks_publishing, needs_review)""")
    finally:
        con.close()
    summary = validate_warehouse(paths, db)
    return paths, summary


def _pages(paths) -> list[Path]:
    return sorted(paths.data_docs_dir.rglob("*.html"))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_no_page_loads_anything_remote(validated):
    paths, summary = validated
    pages = _pages(paths)
    assert summary.data_docs_index == paths.data_docs_dir / "index.html"
    assert len(pages) >= 9  # index, 4 suites, 4 validation results
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r"<script\b[^>]*\bsrc=[\"']https?:", html, re.I), page
        assert not re.findall(r"<link\b[^>]*\bhref=[\"']https?:", html, re.I), page
        assert not re.findall(r"<img\b[^>]*\bsrc=[\"']https?:", html, re.I), page
        assert not re.findall(r"url\(\s*[\"']?https?:", html), page  # inline CSS: fonts, background images
        assert "newsletter" not in html.lower()
        assert "integrity=" not in html  # SRI hashes of the CDN files would not match the local copies
    for css in (paths.data_docs_dir / "static").rglob("*.css"):
        assert not re.findall(r"url\(\s*[\"']?https?:", css.read_text(encoding="utf-8")), css


def test_every_local_asset_exists(validated):
    paths, _ = validated
    vendor = paths.data_docs_dir / "static" / "vendor"
    for page in _pages(paths):
        html = page.read_text(encoding="utf-8")
        refs = re.findall(r"<(?:script|img)\b[^>]*\bsrc=[\"']([^\"'#]+)", html, re.I)
        refs += re.findall(r"<link\b[^>]*\bhref=[\"']([^\"'#]+)", html, re.I)
        assert any("static/vendor/font-awesome/css/all.min.css" in r for r in refs), page
        assert any("static/vendor/jquery/jquery.min.js" in r for r in refs), page
        for ref in refs:
            target = (page.parent / ref.split("?")[0]).resolve()
            assert target.is_file(), f"{page}: {ref} does not exist"
            assert paths.data_docs_dir.resolve() in target.parents, f"{page}: {ref} is outside Data Docs"
    # font-awesome's stylesheet names its webfonts relative to itself
    css = (vendor / "font-awesome" / "css" / "all.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\(([^)]+)\)", css))
    assert any(f.endswith("fa-solid-900.woff2") for f in fonts)
    for font in fonts:
        assert (vendor / "font-awesome" / "css" / font.strip("'\"")).resolve().is_file(), font


def test_runs_are_named(validated):
    paths, summary = validated
    assert re.fullmatch(r"planwatch-\d{8}T\d{6}Z", summary.run_name)
    runs = {p.name for p in (paths.data_docs_dir / "validations").glob("*/*")}
    assert runs == {summary.run_name}
    assert "__none__" not in (paths.data_docs_dir / "index.html").read_text(encoding="utf-8")
    assert f"'run_name': '{summary.run_name}'" in (paths.data_docs_dir / "index.html").read_text(encoding="utf-8")


def test_a_pending_build_names_the_run_by_its_start(tmp_path):
    from planwatch.builds import mark_building
    from planwatch.validation import run_name

    paths = get_paths(SEEDS, tmp_path / "data").ensure()
    state = mark_building(paths)
    started = re.sub(r"[^0-9TZ]", "", state["started_at"])
    assert run_name(paths, paths.build_db) == f"planwatch-build-{started}"
    assert re.fullmatch(r"planwatch-\d{8}T\d{6}Z", run_name(paths, paths.warehouse_db))  # the published one: its time


def test_failing_rows_are_named_by_region_indicator_period_value(validated):
    paths, summary = validated
    by_column = {(f["suite"], f["column"]): f for f in summary.failures}
    assert by_column[("plan_targets_suite", "unit_issue")]["rows"] == [DAYE_ROW]
    assert by_column[("quality_flags_suite", "needs_review")]["rows"] == ["泸溪县 | 研发中心建设 | 2026 | 2 | f1"]
    assert summary.failed_errors == 1  # the unknown status in target_vs_actual
    assert by_column[("target_vs_actual_suite", "status")]["rows"][0].startswith("泸溪县 | rd_intensity | 2024 | 1.7 | ")
    # Data Docs: a table with one column per identity field, not a Python dict or an md5 key
    page = next((paths.data_docs_dir / "validations" / "plan_targets_suite").rglob("*.html"))
    text = _text(page.read_text(encoding="utf-8"))
    assert "Unexpected Value Count region indicator period value row_key 个 does not convert to 家 1 " \
           "大冶市 high_tech_enterprises 2025 400.0 t1" in text
    assert "{'" not in text
    flags = _text(next((paths.data_docs_dir / "validations" / "quality_flags_suite").rglob("*.html")).read_text(encoding="utf-8"))
    assert "region indicator period value row_key True 1 泸溪县 研发中心建设 2026 2.0 f1" in flags


def test_the_report_lists_the_failing_rows_readably(validated, tmp_path):
    from planwatch.report import build_report

    paths, _ = validated
    # without marts.quality_flags the quality page lists the GX failures (with it, the flags)
    db = tmp_path / "planwatch.duckdb"
    shutil.copyfile(paths.warehouse_db, db)
    con = duckdb.connect(str(db))
    con.execute("drop table marts.quality_flags")
    con.close()
    index = build_report(db, tmp_path / "report", paths.data_docs_dir / "index.html")
    quality = (index.parent / "quality.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>((?:<td[^>]*>[^<]*</td>)+)</tr>", quality)
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in rows]
    assert ["大冶市", "high_tech_enterprises", "2025", "400.0", "家"] in [c[:5] for c in cells]
    assert "<th>region</th><th>indicator</th><th>period</th><th>value</th>" in quality


def test_unknown_remote_assets_are_dropped_and_said(caplog):
    page = ('<head><script src="https://cdn.example.invalid/new-lib.js"></script>'
            '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
            '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
            'integrity="sha384-x" crossorigin="anonymous"></script></head>')
    with caplog.at_level(logging.WARNING, logger="planwatch.data_docs"):
        out = offline_html(page, "../..")
    assert out == '<head><link rel="stylesheet" href="../../static/vendor/bootstrap/css/bootstrap.min.css"></head>'
    assert "new-lib.js" in caplog.text


def test_index_and_icons_render_offline_in_chromium(validated, tmp_path):
    from test_report import _console_errors, _driver

    paths, summary = validated
    driver = _driver(tmp_path / "chromium-profile")
    try:
        for page in (paths.data_docs_dir / "index.html",
                     next((paths.data_docs_dir / "validations" / "plan_targets_suite").rglob("*.html"))):
            driver.get(page.as_uri())
            driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
            assert _console_errors(driver) == [], page
            resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            assert all(r.startswith("file://") for r in resources), resources  # Chromium lists remote ones only
            probe = driver.execute_script("""
                const icon = document.querySelector('i.fas');
                const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'Font Awesome 6 Free');
                return {family: getComputedStyle(icon).fontFamily, glyph: getComputedStyle(icon, '::before').content,
                        width: icon.getBoundingClientRect().width, loaded: faces.filter(f => f.status === 'loaded').length,
                        navbar: getComputedStyle(document.querySelector('nav.navbar')).display};""")
            assert "Font Awesome 6 Free" in probe["family"] and probe["glyph"] not in ("", "none", "normal"), probe
            assert probe["loaded"] >= 1 and probe["width"] > 4, probe  # the icon font came from static/vendor
            assert probe["navbar"] == "flex", probe  # bootstrap's stylesheet applied
        # the index's table of runs (bootstrap-table's stand-in): one row per suite, named by the run, rows link
        driver.get((paths.data_docs_dir / "index.html").as_uri())
        rows = driver.execute_script("""
            return Array.from(document.querySelectorAll('#Validation-Results table tbody tr')).map(tr => ({
              text: tr.innerText, href: tr.getAttribute('data-href'),
              failed: tr.querySelectorAll('.ge-failed-icon').length, passed: tr.querySelectorAll('.ge-success-icon').length}));""")
        assert len(rows) == 4, rows
        assert all(summary.run_name in r["text"] and r["href"].startswith("validations/") for r in rows), rows
        assert sum(r["failed"] for r in rows) == 3 and sum(r["passed"] for r in rows) == 1, rows
        driver.find_element("css selector", "#Validation-Results input[type=search]").send_keys("quality_flags")
        visible = driver.execute_script("return document.querySelectorAll('#Validation-Results table tbody tr').length")
        assert visible == 1
        driver.find_element("css selector", "#Validation-Results table tbody tr").click()
        assert "quality_flags_suite" in driver.current_url and summary.run_name in driver.current_url
    finally:
        driver.quit()


def test_a_missing_xstatic_package_is_named(tmp_path, monkeypatch):
    from planwatch import data_docs

    monkeypatch.setattr(data_docs, "VENDOR_FILES", [data_docs.VendorFile("x/y.js", "xstatic.pkg.not_installed", "y.js")])
    with pytest.raises(data_docs.MissingVendorPackage, match="xstatic.pkg.not_installed is not installed .*requirements.txt"):
        data_docs.vendor_assets(tmp_path)
