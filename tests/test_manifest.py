"""Manifest rows are checked when a document is read: a row that names no real region, a
region name that is not the code's, an impossible period or an unknown plan kind refuses
that document alone, with the manifest row, the document and the bad value."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import DAYE, LUXI, PLANS, REFERENCE
from planwatch.plans.document_context import NO_YEAR
from planwatch.plans.extract import ManifestError, extract_paths
from planwatch.plans.reading import DocumentError


def _plans_dir(tmp_path, **changes):
    """A plans folder with the 大冶 and 泸溪 seeds and their real manifest rows, luxi's row changed."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for seed in (DAYE, LUXI):
        shutil.copy(seed, folder / seed.name)
    manifest = pd.read_csv(PLANS / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest["document"].isin([DAYE.name, LUXI.name])].reset_index(drop=True)
    luxi = manifest.index[manifest["document"] == LUXI.name][0]
    for column, value in changes.items():
        manifest.loc[luxi, column] = value
    manifest.to_csv(folder / "manifest.csv", index=False)
    row = int(luxi) + 2  # the header is row 1
    return folder, row


@pytest.mark.parametrize("changes, kind, says", [
    ({"region_code": "999999"}, "unknown region", "region_code '999999' is not a region in"),
    ({"region_code": "43312"}, "unknown region", "region_code '43312' is not a 6-digit region code"),
    ({"region_name": "凤凰县"}, "region mismatch", "region_name '凤凰县' is not region_code 433122 (泸溪县)"),
    ({"start_year": "2021年"}, "bad plan period", "start_year '2021年' is not a year"),
    ({"start_year": "2026"}, "bad plan period", "start_year 2026 is after end_year 2025"),
    ({"end_year": "20250"}, "bad plan period", "end_year '20250' is not a year"),
    ({"start_year": "1921", "end_year": "1925"}, "bad plan period", "1921-1925 is outside 1990-2100"),
    ({"plan_kind": "five-year"}, "bad plan kind", "plan_kind 'five-year' is not one of five_year, annual"),
    ({"plan_kind": "annual"}, "bad plan period", "an annual plan covers one year, not 2021-2025"),
    ({"plan_id": ""}, "bad plan id", "plan_id is empty"),
    ({"plan_id": "daye-sti-fyp-2021-2025"}, "duplicate plan id", "plan_id 'daye-sti-fyp-2021-2025' is also row 3's (daye_"),
    ({"document_kind": "news"}, "bad document kind", "document_kind 'news' is not one of plan, work_plan, bulletin, report"),
    ({"start_year": ""}, "bad plan period", "end_year is 2025 but start_year is empty; give both years or neither"),
    ({"end_year": ""}, "bad plan period", "start_year is 2021 but end_year is empty"),
    ({"start_year": "", "end_year": "二〇二五"}, "bad plan period", "end_year '二〇二五' is not a year"),
    ({"published": "soon"}, "bad publication date", "published 'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"published": "2020-13-01"}, "bad publication date", "published '2020-13-01' is not a date"),
], ids=["unknown-code", "short-code", "name-not-code", "year-text", "start-after-end", "year-digits", "implausible",
        "kind", "annual-span", "no-plan-id", "plan-id-taken", "document-kind", "only-end-year", "only-start-year",
        "year-in-chinese", "published-text", "published-month"])
def test_a_bad_manifest_row_refuses_its_document_naming_row_document_and_value(tmp_path, changes, kind, says):
    folder, row = _plans_dir(tmp_path, **changes)
    with pytest.raises(ManifestError) as failed:
        extract_paths([folder / LUXI.name], folder, REFERENCE)
    error = failed.value
    assert isinstance(error, DocumentError) and error.kind == kind
    assert f"manifest.csv row {row} ({LUXI.name})" in error.reason and says in error.reason, error.reason
    if kind == "duplicate plan id":  # both rows claim the plan: neither is taken until one is fixed
        with pytest.raises(ManifestError, match=rf"row 3 \({DAYE.name}\): plan_id .* is also row {row}'s"):
            extract_paths([folder / DAYE.name], folder, REFERENCE)
        return
    # The other document's row is fine and still reads.
    [daye] = extract_paths([folder / DAYE.name], folder, REFERENCE)
    assert daye.context.region_code == "420281" and len(daye.targets) > 20


def test_two_manifest_rows_for_one_document_refuse_it(tmp_path):
    folder, row = _plans_dir(tmp_path)
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    extra = manifest[manifest["document"] == LUXI.name].assign(plan_id="luxi-again")
    pd.concat([manifest, extra]).to_csv(folder / "manifest.csv", index=False)
    with pytest.raises(ManifestError, match=rf"manifest.csv rows {row} and 4 both describe {LUXI.name}") as failed:
        extract_paths([folder / LUXI.name], folder, REFERENCE)
    assert failed.value.kind == "duplicate manifest row"


def test_the_seed_manifest_passes_its_checks():
    extractions = extract_paths(sorted(PLANS.glob("*.txt")), PLANS, REFERENCE)
    assert {e.how for e in extractions} == {"manifest"} and len(extractions) == 5


def test_a_manifest_without_the_document_kind_column_still_loads_and_the_kind_is_inferred(tmp_path):
    folder, _ = _plans_dir(tmp_path)
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    manifest.drop(columns=["document_kind", "published"]).to_csv(folder / "manifest.csv", index=False)
    [luxi] = extract_paths([folder / LUXI.name], folder, REFERENCE)
    assert luxi.context.document_kind == "plan" and luxi.context.region_code == "433122"
    assert luxi.how.startswith("manifest; ") and "document kind plan: '规划' heads the title" in luxi.how
    assert (luxi.context.start_year, luxi.context.end_year) == (2021, 2025) and len(luxi.targets) > 20


def test_a_declared_document_kind_is_taken_as_is(tmp_path):
    folder, _ = _plans_dir(tmp_path, document_kind="report")
    [luxi] = extract_paths([folder / LUXI.name], folder, REFERENCE)
    assert luxi.context.document_kind == "report" and luxi.how == "manifest"
    assert luxi.context.reference_year == 2020  # the manifest's published 2020-09-20: what 今年 means


def test_empty_years_in_the_manifest_are_inferred_from_the_title(tmp_path):
    folder, _ = _plans_dir(tmp_path, start_year="", end_year="", plan_kind="")
    [luxi] = extract_paths([folder / LUXI.name], folder, REFERENCE)
    assert (luxi.context.plan_kind, luxi.context.start_year, luxi.context.end_year) == ("five_year", 2021, 2025)
    assert luxi.how.startswith("manifest; period 2021-2025:"), luxi.how
    assert luxi.context.region_code == "433122" and len(luxi.targets) > 20  # the region is still the manifest's


def test_an_undated_document_in_the_manifest_is_read_without_a_year(tmp_path):
    folder, _ = _plans_dir(tmp_path, start_year="", end_year="", plan_kind="annual", published="",
                           document_kind="work_plan")
    (folder / LUXI.name).write_text("泸溪县科技创新工作方案\n一、工作目标\n全县高新技术企业达到45家以上，技术合同成交额突破1亿元。\n",
                                    encoding="utf-8")
    [luxi] = extract_paths([folder / LUXI.name], folder, REFERENCE)
    assert (luxi.context.start_year, luxi.context.end_year, luxi.context.reference_year) == (None, None, None)
    assert luxi.how == f"manifest; {NO_YEAR}"
    assert len(luxi.targets) >= 2 and luxi.targets["year"].isna().all()


def test_the_manifest_rows_reach_raw_once_per_change_with_their_problems(tmp_path):
    # raw.plan_manifest is how a plan whose document cannot be read is still a plan (dim_plan, refused).
    import duckdb

    from planwatch.plans.document_context import load_manifest
    from planwatch.plans.load import load_plan_manifest, manifest_rows
    from planwatch.regions import RegionResolver

    folder, row = _plans_dir(tmp_path, region_code="999999")
    raw_db, resolver = tmp_path / "raw_layer.duckdb", RegionResolver.default(REFERENCE)

    def load():
        return load_plan_manifest(raw_db, folder / "manifest.csv", manifest_rows(load_manifest(folder), resolver))

    def raw(sql):
        con = duckdb.connect(str(raw_db), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    first = load()
    assert first["status"] == "loaded" and first["rows"] == 2
    rows = raw("select manifest_row, document, region_code, start_year, problem_kind, problem from raw.plan_manifest order by 2")
    assert [r[:5] for r in rows] == [(5 - row, DAYE.name, "420281", "2021", None), (row, LUXI.name, "999999", "2021", "unknown region")]
    assert rows[1][5].startswith(f"manifest.csv row {row} ({LUXI.name}): region_code '999999' is not a region")
    assert load() == {"status": "skipped", "load_id": first["load_id"], "rows": 2}  # the same rows: nothing added
    assert raw("select count(*) from raw.plan_manifest") == [(2,)]

    (tmp_path / "fixed").mkdir()
    fixed_folder, _ = _plans_dir(tmp_path / "fixed")  # luxi's row corrected: a new load, its row now usable
    shutil.copy(fixed_folder / "manifest.csv", folder / "manifest.csv")
    fixed = load()
    assert fixed["status"] == "loaded" and fixed["load_id"] != first["load_id"]
    assert raw(f"select count(*), count(problem) from raw.plan_manifest where load_id = '{fixed['load_id']}'") == [(2, 0)]

    (folder / "manifest.csv").unlink()  # no manifest: a load of no rows, so its plans stop counting
    gone = load()
    assert gone["status"] == "loaded" and gone["rows"] == 0
    assert raw("select status, rows_loaded from raw.load_log where kind = 'plan_manifest' order by loaded_at") == [
        ("loaded", 2), ("skipped", 0), ("loaded", 2), ("loaded", 0)]
