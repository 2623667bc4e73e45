"""A plan whose only document cannot be read at all (here a scanned PDF without a text layer) is still a plan:
the manifest names it, so dim_plan lists it as refused, and the targets a reviewer types for it by hand
(seeds/reference/manual_targets.csv) reach marts.fct_plan_target and target_vs_actual like any other."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import DAYE, PLANS, REFERENCE, SEEDS, planwatch_folders, query_rows
from planwatch.cli import app

pytestmark = pytest.mark.e2e

SCANNED = "luxi_scanned_plan_2021_2025.pdf"
SCANNED_PLAN = "luxi-scanned-plan-2021-2025"
runner = CliRunner()


def _scanned_pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 400, 300, 300, fill=1)  # a picture of a page: no text layer
    c.save()



@pytest.fixture(scope="module")
def refused_plan_run(tmp_path_factory, prefect_harness):
    """Seeds of the test's own: 大冶's plan (read), a scanned 泸溪 plan in the manifest (refused), one target typed for it."""
    root = tmp_path_factory.mktemp("refused-plan")
    seeds, data = root / "seeds", root / "warehouse"
    (seeds / "plans").mkdir(parents=True)
    shutil.copytree(REFERENCE, seeds / "reference")
    shutil.copytree(SEEDS / "statistics", seeds / "statistics")
    shutil.copy(DAYE, seeds / "plans" / DAYE.name)
    _scanned_pdf(seeds / "plans" / SCANNED)
    manifest = pd.read_csv(PLANS / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest["document"] == DAYE.name]
    scanned = {column: "" for column in manifest.columns} | {
        "document": SCANNED, "plan_id": SCANNED_PLAN, "region_name": "泸溪县", "region_code": "433122", "level": "county",
        "province": "湖南省", "plan_kind": "five_year", "document_kind": "plan", "start_year": "2021", "end_year": "2025",
        "title": "泸溪县“十四五”科技创新发展规划（扫描件）"}
    pd.concat([manifest, pd.DataFrame([scanned])]).to_csv(seeds / "plans" / "manifest.csv", index=False)
    with (seeds / "reference" / "manual_targets.csv").open("a", encoding="utf-8") as f:
        f.write(f"{SCANNED_PLAN},,高新技术企业数,high_tech_enterprises,家,2025,40,level,exact,2020,20,,"
                "到2025年，高新技术企业达到40家（扫描件第3页）\n")
    with planwatch_folders(seeds, data):
        from flows.pipeline import pipeline
        from planwatch.config import get_paths

        first = pipeline()
        again = pipeline()  # the same folder once more: the manifest is not loaded twice
        yield get_paths(), first, again


def test_the_refused_document_is_a_plan_of_dim_plan(refused_plan_run):
    paths, first, _ = refused_plan_run
    assert first["plans"]["refused"] == 1
    rows = query_rows(paths.warehouse_db, "select plan_id, region_code, start_year, end_year, document, document_state, "
                                      "refusal_reason, target_count from marts.dim_plan order by plan_id")
    assert [r[:6] for r in rows] == [
        ("daye-sti-fyp-2021-2025", "420281", 2021, 2025, DAYE.name, "read"),
        (SCANNED_PLAN, "433122", 2021, 2025, SCANNED, "refused"),
    ]
    assert rows[0][6] is None
    assert rows[1][6].startswith("no text layer: no text layer (scanned?)")
    assert rows[1][7] == 1  # the target typed by hand
    assert (f"  document {SCANNED}: no text layer (scanned?) — OCR it first (1 page without text) (its plan {SCANNED_PLAN} "
            f"stays in dim_plan: type its targets with `planwatch targets add --plan {SCANNED_PLAN}`)") in first["summary"]


def test_its_hand_typed_target_reaches_the_marts(refused_plan_run):
    paths, _, _ = refused_plan_run
    db = paths.warehouse_db
    assert query_rows(db, "select region_code, indicator_code, target_year, target_value, baseline_value_canonical, entered_by, "
                      "source_kind, document from marts.fct_plan_target where plan_id = ?", [SCANNED_PLAN]) == [
        ("433122", "high_tech_enterprises", 2025, 40.0, 20.0, "manual", "manual", SCANNED)]
    tva = query_rows(db, "select distinct region_code, final_target_value, target_entered_by, target_review_status "
                     "from marts.target_vs_actual where plan_id = ?", [SCANNED_PLAN])
    assert tva == [("433122", 40.0, "manual", "manual")]
    assert query_rows(db, "select count(*) from marts.review_quarantine") == [(0,)]


def test_the_manifest_is_loaded_once_per_content(refused_plan_run):
    paths, _, _ = refused_plan_run
    loads = query_rows(paths.raw_db, "select count(distinct load_id), count(*) from raw.plan_manifest")
    assert loads == [(1, 2)]
    assert query_rows(paths.raw_db, "select document, plan_id, manifest_row, problem from raw.plan_manifest order by manifest_row") == [
        (DAYE.name, "daye-sti-fyp-2021-2025", 2, None), (SCANNED, SCANNED_PLAN, 3, None)]


def test_targets_add_accepts_the_refused_plan(refused_plan_run):
    paths, _, _ = refused_plan_run
    outcome = runner.invoke(app, ["targets", "add", "--plan", SCANNED_PLAN, "--indicator", "rd_expenditure", "--year", "2025",
                                  "--value", "3", "--unit", "亿元"])
    assert outcome.exit_code == 0, outcome.output
    last = (paths.reference_dir / "manual_targets.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith(f"{SCANNED_PLAN},,")
