"""ingest-plans with documents that cannot be read, manifest rows that are wrong, documents that
are removed or replaced, and byte-identical documents under two plans (the raw layer and the
staging models that decide which documents count)."""

from __future__ import annotations

import asyncio
import json
import shutil

import duckdb
import pandas as pd
import pytest

from conftest import DAYE, LUXI, PLANS, REFERENCE

pytestmark = pytest.mark.e2e


def _pdf(path, encrypt=None, text=True):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    if text:
        c.drawString(72, 720, "2025 plan")
    else:
        c.rect(72, 400, 300, 300, fill=1)
    c.save()
    return path


def _seeds(tmp_path, documents=(DAYE, LUXI)):
    """A seeds folder of the test's own: the given seed documents with their manifest rows, the real reference."""
    seeds = tmp_path / "seeds"
    (seeds / "plans").mkdir(parents=True)
    shutil.copytree(REFERENCE, seeds / "reference")
    for doc in documents:
        shutil.copy(doc, seeds / "plans" / doc.name)
    manifest = pd.read_csv(PLANS / "manifest.csv", dtype=str, keep_default_na=False)
    manifest[manifest["document"].isin([d.name for d in documents])].to_csv(seeds / "plans" / "manifest.csv", index=False)
    return seeds, tmp_path / "warehouse"


def _edit_manifest(seeds, document, **changes):
    path = seeds / "plans" / "manifest.csv"
    manifest = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in changes.items():
        manifest.loc[manifest["document"] == document, column] = value
    manifest.to_csv(path, index=False)


def _raw(data, sql, params=None):
    con = duckdb.connect(str(data / "raw_layer.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _ingest(seeds, data, **kwargs):
    from flows.ingest_plans import ingest_plans

    return ingest_plans(str(seeds), str(data), **kwargs)


def test_a_bad_document_costs_only_itself(tmp_path, prefect_harness, monkeypatch):
    import planwatch.plans.extract as extract

    seeds, data = _seeds(tmp_path)
    plans = seeds / "plans"
    (plans / "a_broken_plan.docx").write_bytes(b"PK\x03\x04 truncated")  # sorted before the good documents
    _pdf(plans / "b_locked_plan.pdf", encrypt="secret")
    _pdf(plans / "c_scanned_plan.pdf", text=False)
    reads = []
    real_read = extract.read_document
    monkeypatch.setenv("PLANWATCH_DASK_WORKERS", "0")  # extract in this process, where the patch below counts reads
    monkeypatch.setattr(extract, "read_document", lambda path: reads.append(path.name) or real_read(path))

    first = _ingest(seeds, data)

    assert first["documents"] == 2 and first["loaded"] == 2 and first["refused"] == 3
    refused = {r["document"]: r for r in first["refused_documents"]}
    assert refused["a_broken_plan.docx"]["reason"].startswith("not a Word file: bad zip")
    assert refused["b_locked_plan.pdf"]["reason"].startswith("encrypted PDF: needs a password")
    assert refused["c_scanned_plan.pdf"]["reason"].startswith("no text layer (scanned?) — OCR it first")
    assert reads.count("a_broken_plan.docx") == 1  # a deterministic failure is not retried
    quarantined = _raw(data, "select document, reason_kind, reason, document_sha256 from raw.document_quarantine order by 1")
    assert [(d, k) for d, k, *_ in quarantined] == [
        ("a_broken_plan.docx", "not a Word file"), ("b_locked_plan.pdf", "encrypted PDF"), ("c_scanned_plan.pdf", "no text layer")]
    assert all(len(sha) == 64 for *_, sha in quarantined)
    failed = _raw(data, "select file, message from raw.load_log where status = 'failed' order by 1")
    assert [f for f, _ in failed] == ["a_broken_plan.docx", "b_locked_plan.pdf", "c_scanned_plan.pdf"]
    assert _raw(data, "select distinct document from raw.plan_targets order by 1") == [(DAYE.name,), (LUXI.name,)]
    targets = _raw(data, "select count(*) from raw.plan_targets")

    second = _ingest(seeds, data)  # the same folder again: nothing new in raw
    assert second["refused"] == 3 and second["loaded"] == 0
    assert _raw(data, "select count(*) from raw.document_quarantine") == [(3,)]
    assert _raw(data, "select count(*) from raw.plan_targets") == targets


def test_a_plan_in_a_format_planwatch_cannot_read_is_refused_not_ignored(tmp_path, prefect_harness):
    seeds, data = _seeds(tmp_path, documents=(DAYE,))
    (seeds / "plans" / "old_plan.doc").write_bytes(b"\xd0\xcf\x11\xe0 binary Word")
    (seeds / "plans" / "signed_plan.ofd").write_bytes(b"PK\x03\x04 OFD")
    (seeds / "plans" / "notes.md").write_text("not a plan", encoding="utf-8")  # not a document format: left alone
    result = _ingest(seeds, data)
    refused = {r["document"]: r for r in result["refused_documents"]}
    assert set(refused) == {"old_plan.doc", "signed_plan.ofd"} and result["documents"] == 1
    assert refused["old_plan.doc"]["reason_kind"] == "unsupported type"
    assert refused["old_plan.doc"]["reason"].startswith("unsupported document type '.doc'")
    assert "save it as .docx or .pdf" in refused["signed_plan.ofd"]["reason"]


def test_refused_documents_are_listed_in_the_flow_artifact(tmp_path, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.ingest_plans import ingest_plans

    seeds, data = _seeds(tmp_path, documents=(DAYE,))
    _pdf(seeds / "plans" / "locked.pdf", encrypt="secret")
    state = ingest_plans(str(seeds), str(data), return_state=True)
    flow_run_id = state.state_details.flow_run_id

    async def artifacts(key):
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[key]), flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))

    [table] = asyncio.run(artifacts("ingest-plans-summary"))
    rows = {r["document"]: r for r in json.loads(table.data)}
    assert rows["locked.pdf"]["status"] == "refused" and rows["locked.pdf"]["reason"].startswith("encrypted PDF")
    assert rows[DAYE.name]["status"] == "loaded"
    [refusals] = asyncio.run(artifacts("refused-documents"))
    assert "locked.pdf" in refusals.data and "encrypted PDF: needs a password" in refusals.data


def test_a_bad_manifest_row_is_refused_at_ingest(tmp_path, prefect_harness):
    seeds, data = _seeds(tmp_path)
    _edit_manifest(seeds, LUXI.name, region_code="999999")
    result = _ingest(seeds, data)
    [refused] = result["refused_documents"]
    assert refused["document"] == LUXI.name and refused["reason_kind"] == "unknown region"
    assert refused["reason"].startswith(f"manifest.csv row 2 ({LUXI.name}): region_code '999999'")
    assert not refused["plan_kept"]  # a wrong row places no plan (a refused document of a good row does)
    assert _raw(data, "select plan_id, manifest_row from raw.document_quarantine") == [("luxi-sti-fyp-2021-2025", 2)]
    assert _raw(data, "select manifest_row, problem_kind from raw.plan_manifest where document = ?", [LUXI.name]) == [
        (2, "unknown region")]
    assert _raw(data, "select distinct document from raw.plan_documents") == [(DAYE.name,)]


def test_pipeline_summary_names_the_refused_documents_and_files():
    from types import SimpleNamespace

    from flows.pipeline import refused_inputs, summary_lines

    paths = SimpleNamespace(warehouse_db="w.duckdb", dbt_target_dir=__import__("pathlib").Path("t"))
    plans = {"documents": 4, "targets": 10, "reported_actuals": 2, "refused": 1, "refused_documents": [
        {"document": "locked.pdf", "reason_kind": "encrypted PDF", "reason": "encrypted PDF: needs a password"}]}
    stats = {"line": "read 1, loaded 1, quarantined 0, skipped 0", "files": [
        {"file": "/in/good.csv", "status": "loaded", "message": None},
        {"file": "/in/bad.xlsx", "status": "failed", "message": "/in/bad.xlsx: not a readable XLSX workbook"}]}
    lines = summary_lines(plans, stats, {"models": 1, "seeds": 1, "tests": 1, "tests_failed": 0},
                          {"failed": 0, "evaluated": 1, "failed_errors": 0, "failed_warnings": 0, "data_docs_index": "d"}, paths)
    assert lines[0] == "documents read:        4"
    assert lines[1] == "documents refused:     1 (see marts.document_quarantine)"
    assert lines[2] == "statistics files refused: 1 (see marts.statistics_file_quarantine)"
    assert lines[3].startswith("targets extracted:     10")
    assert lines[-3].startswith("refused inputs")
    assert lines[-2:] == ["  document locked.pdf: encrypted PDF: needs a password",
                          "  statistics file /in/bad.xlsx: /in/bad.xlsx: not a readable XLSX workbook"]
    assert [r["name"] for r in refused_inputs(plans, stats)] == ["locked.pdf", "/in/bad.xlsx"]
    clean = summary_lines({**plans, "refused": 0, "refused_documents": []}, {**stats, "files": stats["files"][:1]},
                          {"models": 1, "seeds": 1, "tests": 1, "tests_failed": 0},
                          {"failed": 0, "evaluated": 1, "failed_errors": 0, "failed_warnings": 0, "data_docs_index": "d"}, paths)
    assert not any(line.startswith("refused inputs") for line in clean)


def test_identical_documents_under_two_plans_are_both_loaded_once(tmp_path, prefect_harness):
    seeds, data = _seeds(tmp_path, documents=(DAYE,))
    twin = "daye_city_sti_five_year_plan_2021_2025_copy.txt"
    shutil.copy(DAYE, seeds / "plans" / twin)
    manifest = pd.read_csv(seeds / "plans" / "manifest.csv", dtype=str, keep_default_na=False)
    copy = manifest.assign(document=twin, plan_id="daye-sti-fyp-2021-2025-copy")
    pd.concat([manifest, copy]).to_csv(seeds / "plans" / "manifest.csv", index=False)

    first = _ingest(seeds, data)
    assert first["loaded"] == 2 and first["refused"] == 0
    plans = _raw(data, "select document, plan_id from raw.plan_documents order by 1")
    assert plans == [(DAYE.name, "daye-sti-fyp-2021-2025"), (twin, "daye-sti-fyp-2021-2025-copy")]
    per_plan = dict(_raw(data, "select plan_id, count(*) from raw.plan_targets group by 1"))
    assert per_plan["daye-sti-fyp-2021-2025"] == per_plan["daye-sti-fyp-2021-2025-copy"] > 20
    counts = _raw(data, "select count(*) from raw.plan_targets")

    second = _ingest(seeds, data)
    assert second["loaded"] == 0 and _raw(data, "select count(*) from raw.plan_targets") == counts


# ------------------------------------------------------------ which documents count in staging

def _build_staging(seeds, data):
    from planwatch.config import get_paths
    from planwatch.dbt_runner import run_dbt

    paths = get_paths(seeds, data)
    # stg_plan_targets and everything it is built from (the region dimension for the relationships tests, the
    # catalog, units and reviewers' files that staging applies).
    result = run_dbt(paths, ["build", "--select", "+stg_plan_targets",
                             "stg_document_quarantine", "document_quarantine", "--exclude", "resource_type:unit_test",
                             "--indirect-selection", "cautious"],
                     fresh_build=True)
    assert result.success, result.error
    con = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        return {
            "plans": con.execute("select document, plan_id, document_sha256 from staging.stg_plans order by 1").fetchall(),
            "targets": con.execute("select document, indicator_code, target_year, value_as_written, source_line, document_sha256 "
                                   "from staging.stg_plan_targets").fetchall(),
            "quarantine": con.execute("select document, reason_kind, reason from marts.document_quarantine order by 1").fetchall(),
        }
    finally:
        con.close()


def test_removed_replaced_and_recovered_documents(tmp_path, prefect_harness):
    import hashlib

    seeds, data = _seeds(tmp_path)
    plans = seeds / "plans"
    (plans / "extra_plan.docx").write_bytes(b"not a zip")

    _ingest(seeds, data)
    day1 = _build_staging(seeds, data)
    assert [(d, p) for d, p, _ in day1["plans"]] == [(DAYE.name, "daye-sti-fyp-2021-2025"), (LUXI.name, "luxi-sti-fyp-2021-2025")]
    assert [(d, k) for d, k, _ in day1["quarantine"]] == [("extra_plan.docx", "not a Word file")]
    assert (DAYE.name, "high_tech_enterprises", 2025, 400.0, 143) in [t[:5] for t in day1["targets"]]

    # Day 2: 泸溪 removed, 大冶 replaced by a revised text (400 → 450 high-tech enterprises), the Word file fixed.
    (plans / LUXI.name).unlink()
    revised = DAYE.read_text(encoding="utf-8").replace("引领发展\t高新技术企业数量\t家\t149\t400", "引领发展\t高新技术企业数量\t家\t149\t450")
    assert revised != DAYE.read_text(encoding="utf-8")
    (plans / DAYE.name).write_text(revised, encoding="utf-8")
    import docx

    fixed = docx.Document()
    fixed.add_paragraph("泸溪县科技创新工作方案（2024年）")
    fixed.add_paragraph("到2024年，全县高新技术企业达到40家。")
    fixed.save(plans / "extra_plan.docx")

    day2_ingest = _ingest(seeds, data)
    assert day2_ingest["removed_documents"] == [LUXI.name]
    day2 = _build_staging(seeds, data)
    assert [d for d, *_ in day2["plans"]] == [DAYE.name, "extra_plan.docx"]
    assert dict((d, s) for d, _, s in day2["plans"])[DAYE.name] == hashlib.sha256(revised.encode("utf-8")).hexdigest()
    new_sha = hashlib.sha256(revised.encode("utf-8")).hexdigest()
    daye_table = [t[3] for t in day2["targets"] if t[:3] == (DAYE.name, "high_tech_enterprises", 2025) and t[4] == 143]
    assert daye_table == [450.0]  # the old version's 400 is gone
    assert {t[5] for t in day2["targets"] if t[0] == DAYE.name} == {new_sha}  # only the new content counts
    assert not any(t[0] == LUXI.name for t in day2["targets"])
    assert day2["quarantine"] == []  # quarantined yesterday, readable today

    # Day 3: 泸溪 back (same content: skipped, but present again), 大冶 taken out of the manifest, the Word
    # file broken again (yesterday's readable version no longer counts).
    shutil.copy(LUXI, plans / LUXI.name)
    (plans / "extra_plan.docx").write_bytes(b"PK\x03\x04 cut short")
    manifest = pd.read_csv(plans / "manifest.csv", dtype=str, keep_default_na=False)
    manifest[manifest["document"] != DAYE.name].to_csv(plans / "manifest.csv", index=False)
    luxi_targets = _raw(data, "select count(*) from raw.plan_targets where document = ?", [LUXI.name])

    day3_ingest = _ingest(seeds, data)
    day3 = _build_staging(seeds, data)
    assert _raw(data, "select count(*) from raw.plan_targets where document = ?", [LUXI.name]) == luxi_targets  # not reloaded
    assert next(r for r in day3_ingest["document_rows"] if r["document"] == LUXI.name)["status"] == "skipped"
    by_document = {d: p for d, p, _ in day3["plans"]}
    assert by_document[LUXI.name] == "luxi-sti-fyp-2021-2025"
    # Outside the manifest, 大冶 is a plan of its own, inferred from its text; the manifest's plan is gone.
    assert by_document[DAYE.name] == "daye-city-sti-five-year-plan-2021-2025"
    assert "extra_plan.docx" not in by_document
    assert [(d, k) for d, k, _ in day3["quarantine"]] == [("extra_plan.docx", "not a Word file")]
    assert not any(t[0] == "extra_plan.docx" for t in day3["targets"])


def test_a_document_loaded_before_states_were_recorded_leaves_once_it_is_gone(tmp_path, prefect_harness):
    # A raw layer written before ingest recorded document states, holding a document whose manifest
    # row named no region (the old ingest loaded it): the build failed on stg_plans' relationships test,
    # and kept failing after the row and the file were removed. The next ingest run records it as removed.
    from datetime import datetime

    seeds, data = _seeds(tmp_path, documents=(DAYE,))
    _ingest(seeds, data)
    con = duckdb.connect(str(data / "raw_layer.duckdb"))
    try:
        # the columns of that time (later ones, such as document_kind, stay empty)
        con.execute("insert into raw.plan_documents (load_id, loaded_at, document, document_sha256, extractor_version, plan_id, "
                    "region_code, region_name, plan_kind, start_year, end_year, title, context_source, line_count) "
                    "values ('old-load', ?, 'ghost_plan.txt', ?, 'x', 'ghost-plan', '999999', "
                    "'无此县', 'five_year', 2021, 2025, 'ghost', 'manifest', 10)", [datetime(2026, 1, 1), "0" * 64])
    finally:
        con.close()
    from planwatch.config import get_paths
    from planwatch.dbt_runner import run_dbt

    before = run_dbt(get_paths(seeds, data), ["build", "--select", "regions", "zones", "zone_kinds", "stg_regions",
                                              "stg_plan_document_states", "stg_load_log", "stg_plan_manifest",
                                              "stg_document_quarantine", "stg_plans",
                                              "--indirect-selection", "cautious"], fresh_build=True)
    assert not before.success  # the old document still counts until a run says it is gone

    result = _ingest(seeds, data)
    assert result["removed_documents"] == ["ghost_plan.txt"]
    after = _build_staging(seeds, data)
    assert [d for d, *_ in after["plans"]] == [DAYE.name]


def test_an_undated_document_is_ingested_and_its_yearless_targets_are_flagged_not_tracked(tmp_path, prefect_harness):
    # A work plan that states no year and is not in the manifest: read (region from its title), not refused.
    seeds, data = _seeds(tmp_path, documents=(DAYE,))
    (seeds / "plans" / "fenghuang_work_plan.txt").write_text(
        "凤凰县科技创新工作方案\n一、主要指标\n指标名称\t单位\t基期值\t目标值\n科技型中小企业\t家\t20\t60\n\n"
        "二、工作基础\n全县已有高新技术企业32家，技术合同成交额1.5亿元。\n"
        "三、重点任务\n高新技术企业达到45家。研发投入增长10%以上。\n", encoding="utf-8")
    summary = _ingest(seeds, data)
    assert summary["refused"] == 0 and summary["documents"] == 2
    assert _raw(data, "select start_year, end_year, reference_year, document_kind from raw.plan_documents "
                      "where document = 'fenghuang_work_plan.txt'") == [(None, None, None, "work_plan")]
    from planwatch.config import get_paths
    from planwatch.dbt_runner import run_dbt

    paths = get_paths(seeds, data)
    result = run_dbt(paths, ["build", "--select", "+fct_plan_target", "+int_target_paths", "+quality_flags",
                             "--exclude", "resource_type:unit_test", "--indirect-selection", "cautious"], fresh_build=True)
    assert result.success, result.failures
    con = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        staged = con.execute("select count(*) from staging.stg_plan_targets where document = 'fenghuang_work_plan.txt' "
                             "and target_year is null").fetchone()[0]
        tracked = con.execute("select count(*) from marts.fct_plan_target where document = 'fenghuang_work_plan.txt'").fetchone()[0]
        flagged = con.execute("select count(*) from marts.quality_flags where check_name = 'target_without_year' "
                              "and evidence_source = 'fenghuang_work_plan.txt' and severity = 'warning'").fetchone()[0]
        daye = con.execute("select count(*) from marts.fct_plan_target where document = ?", [DAYE.name]).fetchone()[0]
        # its achieved figures (工作基础) have no year either: kept in staging, flagged, not among the actuals
        yearless = con.execute("select count(*) from staging.stg_plan_reported_actuals where document = 'fenghuang_work_plan.txt' "
                               "and period_label is null").fetchone()[0]
        flagged_actuals = con.execute("select count(*) from marts.quality_flags where check_name = 'actual_without_year' "
                                      "and evidence_source = 'fenghuang_work_plan.txt' and entity = 'reported_actual'").fetchone()[0]
    finally:
        con.close()
    assert staged >= 3 and tracked == 0 and flagged == staged and daye > 20
    assert yearless >= 2 and flagged_actuals == yearless
