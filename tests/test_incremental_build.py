"""Incremental builds (issue 14): a new statistics load adds only its rows to the incremental models, and
the marts come out the same as a full refresh's; anything else changed makes the build a full one."""

from __future__ import annotations

import json

import duckdb
import pytest

from conftest import copy_data_dir, planwatch_folders, SEEDS

# A later file: a new year of one series, and a revision of a value the seeds load gave (a new vintage).
LATER = (
    "region,region_code,indicator,period,value,unit,source\n"
    "大冶市,420281,高新技术企业,2026,130,家,test later file\n"
    "大冶市,420281,高新技术企业,2019,113,家,test later file\n"
)


def _tables(db, schema: str) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall())
    finally:
        con.close()


def _differences(a, b, schema: str) -> dict[str, tuple[int, int]]:
    """Per table of `schema`: rows of a not in b and of b not in a (EXCEPT ALL both ways)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        out = {}
        for t in _tables(a, schema):
            ab = con.execute(f"select count(*) from (select * from a.{schema}.{t} except all select * from b.{schema}.{t})").fetchone()[0]
            ba = con.execute(f"select count(*) from (select * from b.{schema}.{t} except all select * from a.{schema}.{t})").fetchone()[0]
            out[t] = (ab, ba)
        return out
    finally:
        con.close()


def test_a_new_load_builds_incrementally_to_the_same_marts_as_a_full_refresh(good_warehouse, tmp_path):
    from planwatch.builds import publish, read_state
    from planwatch.config import get_paths
    from planwatch.dbt_runner import INCREMENTAL_MODELS, build_warehouse
    from planwatch.statistics import load_statistics_files

    data = copy_data_dir(good_warehouse, tmp_path / "warehouse")
    later = tmp_path / "later.csv"
    later.write_text(LATER, encoding="utf-8")
    with planwatch_folders(SEEDS, data):
        paths = get_paths()
        published_vintages = duckdb.connect(str(paths.warehouse_db), read_only=True).execute(
            "select count(*) from staging.stg_statistic_vintages").fetchone()[0]
        line = load_statistics_files([later], paths.raw_db, paths.reference_dir, paths.landing_dir).line()
        assert line.startswith("read 2, loaded 2"), line

        incremental = build_warehouse(paths)
        assert incremental.success, incremental.error
        state = read_state(paths)["dbt"]
        assert state["incremental"] is True and state["full_build_because"] is None, state["full_build_because"]
        manifest = json.loads((paths.dbt_target_dir / "manifest.json").read_text())
        assert sorted(n["name"] for n in manifest["nodes"].values()
                      if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental") == sorted(INCREMENTAL_MODELS)
        kept = tmp_path / "incremental.duckdb"
        paths.build_db.rename(kept)

        full = build_warehouse(paths, full_refresh=True)
        assert full.success, full.error
        assert read_state(paths)["dbt"] == {**read_state(paths)["dbt"], "incremental": False,
                                            "full_build_because": "a full refresh was asked for"}

        marts = _differences(kept, paths.build_db, "marts")
        assert marts and all(d == (0, 0) for d in marts.values()), {t: d for t, d in marts.items() if d != (0, 0)}
        staging = _differences(kept, paths.build_db, "staging")
        assert all(d == (0, 0) for t, d in staging.items() if t != "stg_incremental_state"), staging
        con = duckdb.connect(str(kept), read_only=True)
        try:
            # the later file's two rows were appended, and the revised statistic has two vintages, the later current
            assert con.execute("select count(*) from staging.stg_statistic_vintages").fetchone()[0] == published_vintages + 2
            assert con.execute(
                "select value, vintages from staging.stg_statistics where region_code = '420281' "
                "and indicator_code = 'high_tech_enterprises' and period_label = '2019'").fetchall() == [(113.0, 2)]
            assert con.execute("select carried_over from staging.stg_incremental_state").fetchall() == [(True,)]
        finally:
            con.close()

        # Published, the full build's state lets the next build be incremental again (nothing new: same tables).
        publish(paths)
        again = build_warehouse(paths)
        assert again.success and read_state(paths)["dbt"]["incremental"] is True
        assert all(d == (0, 0) for d in _differences(paths.warehouse_db, paths.build_db, "marts").values())


@pytest.mark.parametrize("change, reason", [
    ("code", "the dbt models or macros changed"),
    ("corrections", "seeds/reference/corrections.csv changed"),
    ("reference", "the reference tables (seeds/reference) changed"),
    ("documents", "the plan documents loaded changed"),
    ("retracted", "a load was retracted"),
    ("loads", "the statistics loads it holds are not those in the raw layer"),
])
def test_anything_but_new_loads_changed_makes_a_full_build(isolated_paths, tmp_path, change, reason):
    from planwatch.dbt_runner import carry_over_reason, incremental_state
    from planwatch.statistics import load_statistics_files

    paths = isolated_paths.ensure()
    first = tmp_path / "first.csv"
    first.write_text(LATER, encoding="utf-8")
    load_statistics_files([first], paths.raw_db, paths.reference_dir, paths.landing_dir)
    recorded = incremental_state(paths)
    assert carry_over_reason(paths, recorded, recorded) is None
    assert carry_over_reason(paths, incremental_state(paths), None) == "the published warehouse records no incremental state"

    # A later load alone is what an incremental build adds.
    later = tmp_path / "later.csv"
    later.write_text(LATER.replace("130", "131"), encoding="utf-8")
    load_statistics_files([later], paths.raw_db, paths.reference_dir, paths.landing_dir)
    now = incremental_state(paths)
    assert now["loaded_through"] > recorded["loaded_through"]
    assert carry_over_reason(paths, now, recorded) is None

    changed = {**recorded, change: "something else"}
    assert carry_over_reason(paths, now, changed) == reason


def test_a_removed_document_changes_the_state_and_a_rerun_of_ingest_does_not(good_warehouse, tmp_path):
    # int_actual_candidates holds the documents' reported figures: carried over, it must still hold the same documents.
    from planwatch.config import get_paths
    from planwatch.dbt_runner import carry_over_reason, incremental_state
    from planwatch.plans.load import record_document_states

    data = copy_data_dir(good_warehouse, tmp_path / "warehouse")
    with planwatch_folders(SEEDS, data):
        paths = get_paths()
        recorded = incremental_state(paths)
        assert recorded["documents"] is not None
        # the seeds' five documents, present at their one load (a first run records no state change)
        latest = duckdb.connect(str(paths.raw_db), read_only=True).execute(
            "select document, document_sha256, plan_id, 'present', load_id from raw.plan_documents order by document").fetchall()
        assert len(latest) == 5
        seen = [dict(zip(("document", "document_sha256", "plan_id", "status", "load_id"), row)) for row in latest]
        assert record_document_states(paths.raw_db, "rerun", seen) == []  # a re-run: the same states
        assert carry_over_reason(paths, incremental_state(paths), recorded) is None

        assert record_document_states(paths.raw_db, "removal", seen[1:]) == [seen[0]["document"]]
        now = incremental_state(paths)
        assert carry_over_reason(paths, now, recorded) == "the plan documents loaded changed"


def test_a_changed_reference_table_changes_the_state(isolated_paths, tmp_path):
    import shutil

    from planwatch.config import get_paths
    from planwatch.dbt_runner import carry_over_reason, incremental_state

    recorded = incremental_state(isolated_paths.ensure())
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    sources = seeds / "reference" / "actual_sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with planwatch_folders(seeds, isolated_paths.data_dir):
        now = incremental_state(get_paths())
    assert now["corrections"] == recorded["corrections"] and now["reference"] != recorded["reference"]
    assert carry_over_reason(isolated_paths, now, {**recorded, "loaded_through": "x"}) == \
        "the reference tables (seeds/reference) changed"
