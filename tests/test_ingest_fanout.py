"""ingest-plans with extraction fanned out on a local Dask cluster: the raw layer it writes is the one
serial extraction writes, row for row; a refused document is refused the same way; the settings
that choose where extraction runs are checked."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import PLANS, REFERENCE

pytestmark = pytest.mark.e2e

RAW_TABLES = ["plan_targets", "plan_reported_actuals", "plan_mentions", "plan_conflicts", "plan_documents",
              "document_quarantine"]
PER_RUN = {"load_id", "loaded_at", "refused_at", "quarantined_at"}  # differ between any two runs


def _seeds(tmp_path):
    """Every seed plan and its manifest, the real reference, and one document that cannot be read."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PLANS, seeds / "plans")
    shutil.copytree(REFERENCE, seeds / "reference")
    (seeds / "plans" / "broken_plan.docx").write_bytes(b"PK\x03\x04 truncated")
    return seeds


def _raw_rows(data) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(data / "raw_layer.duckdb"), read_only=True)
    try:
        tables = {}
        for table in RAW_TABLES:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
                "order by ordinal_position", [table]).fetchall() if c not in PER_RUN]
            tables[table] = con.execute(f"select {', '.join(columns)} from raw.{table} order by all").fetchall()
        return tables
    finally:
        con.close()


def _summary(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "document_rows"} | {
        "document_rows": sorted(result["document_rows"], key=lambda r: r["document"])}


def test_fanned_out_extraction_writes_the_raw_layer_serial_extraction_writes(tmp_path, prefect_harness, monkeypatch):
    from flows.ingest_plans import ingest_plans

    seeds = _seeds(tmp_path)
    monkeypatch.setenv("PLANWATCH_DASK_WORKERS", "0")
    serial = ingest_plans(str(seeds), str(tmp_path / "serial"))
    monkeypatch.setenv("PLANWATCH_DASK_WORKERS", "2")
    fanned = ingest_plans(str(seeds), str(tmp_path / "dask"))

    assert serial["documents"] == 5 and serial["targets"] > 100 and serial["refused"] == 1
    assert _summary(fanned) == _summary(serial)
    assert fanned["refused_documents"][0]["reason"].startswith("not a Word file: bad zip")  # crossed the process line intact
    serial_rows, fanned_rows = _raw_rows(tmp_path / "serial"), _raw_rows(tmp_path / "dask")
    for table in RAW_TABLES:
        assert fanned_rows[table] == serial_rows[table], table
    assert len(serial_rows["plan_targets"]) == serial["targets"]


def test_the_extraction_runs_on_what_the_settings_name():
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from planwatch.task_runners import ClusterSettingError, cluster_settings, extraction_task_runner

    local = extraction_task_runner(cluster_settings({"PLANWATCH_DASK_WORKERS": "3"}))
    assert isinstance(local, DaskTaskRunner) and local.cluster_kwargs["n_workers"] == 3
    assert local.cluster_kwargs["threads_per_worker"] == 1 and local.cluster_kwargs["processes"]
    remote = extraction_task_runner(cluster_settings({"PLANWATCH_DASK_ADDRESS": "tcp://10.0.0.5:8786"}))
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"
    assert isinstance(extraction_task_runner(cluster_settings({"PLANWATCH_DASK_WORKERS": "0"})), ThreadPoolTaskRunner)
    assert cluster_settings({}).workers >= 1  # the CPU count
    assert cluster_settings({"PLANWATCH_DASK_WORKERS": "2"}).describe() == "a local Dask cluster of 2 worker processes"
    for bad in ("two", "-1", "1.5"):
        with pytest.raises(ClusterSettingError, match=f"PLANWATCH_DASK_WORKERS='{bad}': give a whole number"):
            cluster_settings({"PLANWATCH_DASK_WORKERS": bad})


def test_documents_go_out_in_order_in_about_eight_batches_per_worker():
    from flows.extract_documents import batches

    jobs = list(range(100))
    two = batches(jobs, 2)
    assert [j for part in two for j in part] == jobs
    assert {len(part) for part in two[:-1]} == {7} and len(two) == 15
    assert batches(jobs[:5], 2) == [[0], [1], [2], [3], [4]]  # fewer documents than batches: one each
    assert len(batches(jobs, 0)) == 8  # serial: still cut, so a retry redoes a part only


def test_one_reading_of_the_reference_for_a_batch_extracts_what_one_call_per_document_does(tmp_path):
    import pandas as pd

    from planwatch.plans.extract import extract_each, extract_paths
    from planwatch.plans.reading import DocumentError

    documents = sorted(PLANS.glob("*.txt"))
    broken = tmp_path / "broken_plan.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    batch = list(extract_each(documents[:2] + [broken] + documents[2:], PLANS, REFERENCE))
    assert isinstance(batch.pop(2), DocumentError)  # refused in its place; the documents after it still extracted
    assert len(batch) == len(documents) == 5
    for document, together in zip(documents, batch):
        [alone] = extract_paths([document], PLANS, REFERENCE)
        assert together.document.name == document.name and together.how == alone.how
        for frame in ("targets", "actuals", "mentions", "conflicts"):
            pd.testing.assert_frame_equal(getattr(together, frame), getattr(alone, frame))
