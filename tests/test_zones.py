"""Zones (high-tech zones, development zones, industrial parks) at the command line and in the manifest:
`--region` of extract and load-stats, zone codes in manifest rows, zones in statistics files."""

from __future__ import annotations

import io
import shutil

import pandas as pd
from typer.testing import CliRunner

from conftest import LUXI, PLANS, REFERENCE, raw_rows as _raw
from planwatch.cli import app
from planwatch.plans.extract import ManifestError, extract_paths

runner = CliRunner()

ZONE_PLAN = "\n".join([
    "2024年科技创新工作要点",
    "二、发展目标",
    "到2025年，高新技术企业达到120家，技术合同成交额突破3亿元。",
    "三、重点任务",
])



def test_extract_region_option_takes_a_zone(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(ZONE_PLAN, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--region", "石家庄高新区"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert set(frame["region"]) == {"石家庄高新区"} and set(frame["region_code"]) == {"130100-HTZ"}
    assert set(frame["area_rule"]) == {"plan"}  # the plan's own region, a zone
    assert "130100-HTZ" in result.stderr


def _names_read(tmp_path, text: str, region: str) -> dict[float, tuple[str, str]]:
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--region", region])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    return {float(r.value): (r.indicator_as_written, r.indicator_code) for r in frame.itertuples()}


def test_a_zones_own_plan_naming_itself_keeps_the_name_off_its_indicators(tmp_path):
    text = "\n".join(["2024年科技创新工作方案", "一、主要目标",
                      "2024年，高新区高新技术企业达到30家，园区技术合同成交额达到2亿元，石家庄高新区科技型中小企业达到200家。"])
    names = _names_read(tmp_path, text, "石家庄高新区")
    assert names == {30.0: ("高新技术企业", "high_tech_enterprises"), 2.0: ("技术合同成交额", "tech_contract_turnover"),
                     200.0: ("科技型中小企业", "sme_tech_enterprises")}


def test_in_a_citys_plan_an_unnamed_zone_stays_in_the_name_for_a_reviewer(tmp_path):
    text = "\n".join(["2024年科技创新工作方案", "一、主要目标", "2024年，高新区高新技术企业达到30家。"])
    assert _names_read(tmp_path, text, "石家庄市")[30.0][0] == "高新区高新技术企业"


def test_a_zone_in_the_title_is_inferred_as_the_plans_region(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("郑州经济技术开发区" + ZONE_PLAN, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "the title names the zone 郑州经开区" in result.stderr
    assert set(pd.read_csv(io.StringIO(result.stdout))["region_code"]) == {"410100-EDZ"}


def _manifest(tmp_path, code: str, name: str):
    folder = tmp_path / "plans"
    folder.mkdir(parents=True)
    shutil.copy(LUXI, folder / LUXI.name)
    manifest = pd.read_csv(PLANS / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest["document"] == LUXI.name].assign(region_code=code, region_name=name)
    manifest.to_csv(folder / "manifest.csv", index=False)
    return folder


def test_a_manifest_row_may_place_a_plan_in_a_zone(tmp_path):
    for i, (code, name) in enumerate((("433122-HTZ", "泸溪高新区"), ("433122-HTZ", "泸溪高新技术产业开发区"),
                                       ("433122-EDZ", "泸溪经开区"))):
        folder = _manifest(tmp_path / str(i), code, name)
        [e] = extract_paths([folder / LUXI.name], folder, REFERENCE)
        assert (e.context.region_code, e.context.region_name) == (code, name)
        assert set(e.targets["region_code"]) == {code}


def test_a_manifest_zone_code_that_is_no_zone_or_not_its_name_is_refused(tmp_path):
    cases = [("433122-XYZ", "泸溪高新区", "unknown region", "nor a zone"),
             ("433122-HTZ", "泸溪县", "region mismatch", "region_name '泸溪县' is not region_code 433122-HTZ (泸溪高新区)"),
             ("4331-HTZ", "泸溪高新区", "unknown region", "nor a zone code")]
    for i, (code, name, kind, says) in enumerate(cases):
        folder = _manifest(tmp_path / str(i), code, name)
        try:
            extract_paths([folder / LUXI.name], folder, REFERENCE)
        except ManifestError as error:
            assert error.kind == kind and says in error.reason, error.reason
        else:
            raise AssertionError(f"{code} {name} was accepted")


def test_load_stats_region_option_and_region_column_take_zones(isolated_paths, tmp_path):
    wide = tmp_path / "zone.csv"
    wide.write_text("指标,单位,2022,2023\n高新技术企业数,家,10,12\n", encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(wide), "--region", "石家庄高新区"])
    assert result.exit_code == 0, result.output
    long = tmp_path / "zones.csv"
    long.write_text("region,region_code,indicator,period,value,unit\n祁阳高新区,,高新技术企业数,2023,40,家\n"
                    ",431126-HTZ,高新技术企业数,2023,30,家\n长沙经开区,,高新技术企业数,2023,9,家\n", encoding="utf-8")
    result = runner.invoke(app, ["load-stats", str(long)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "read 3, loaded 2, quarantined 1, skipped 0"
    assert sorted(_raw(isolated_paths, "select region_code, value from raw.statistics_loaded")) == [
        ("130100-HTZ", 10.0), ("130100-HTZ", 12.0), ("431126-HTZ", 30.0), ("431181-HTZ", 40.0)]
    [(reason,)] = _raw(isolated_paths, "select reason from raw.statistics_quarantine")
    assert reason.startswith("ambiguous region: '长沙经开区'")
