"""The README's "Track my county" walkthrough, run line by line as a new user would type it.

The block's lines run in a directory laid out like a clone (seeds/, examples/, .venv → this
interpreter's environment) with the data directory and seeds pointed there, so the project's own
seeds are never touched. Each line must succeed; the marts must then hold what the README says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, SEEDS, cli_env

README = PROJECT_ROOT / "README.md"
_BLOCK = re.compile(r"<!-- walkthrough:[^>]*-->\s*```sh\n(?P<body>.*?)```", re.S)


def walkthrough_lines() -> list[str]:
    m = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert m, "README.md lost its walkthrough block (<!-- walkthrough: … --> then ```sh)"
    return [line for line in m.group("body").splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_walkthrough_block_is_found_and_uses_only_the_projects_commands():
    lines = walkthrough_lines()
    assert len(lines) >= 10
    assert all(re.match(r"(cp|echo|\.venv/bin/planwatch) ", line) for line in lines), lines


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    root = tmp_path_factory.mktemp("clone")
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(PROJECT_ROOT / "examples", root / "examples")
    (root / ".venv").symlink_to(Path(sys.prefix))
    data = root / "warehouse"
    env = cli_env(data, PLANWATCH_SEEDS_DIR=str(root / "seeds"))
    outputs = []
    for line in walkthrough_lines():
        result = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=root, env=env, capture_output=True,
                                text=True, timeout=900)
        assert result.returncode == 0, f"README walkthrough line failed: {line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        outputs.append((line, result.stdout))
    return root, data, outputs


def _rows(data: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data / "planwatch.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_new_county_is_tracked_with_the_reviewers_decisions(walked):
    _, data, _ = walked
    rows = {r[0]: r[1:] for r in _rows(data, """
        select indicator_code, target_value, actual_value, status, target_entered_by, next_step
        from marts.target_vs_actual where region_code = '430181'""")}
    assert set(rows) == {"rd_intensity", "high_tech_enterprises", "sme_tech_enterprises", "tech_contract_turnover",
                         "high_value_invention_patents_per_10k_people", "industrial_rd_activity_share"}
    assert rows["high_tech_enterprises"][:3] == (560.0, 571.0, "achieved")
    assert rows["tech_contract_turnover"][:3] == (600000.0, 655000.0, "achieved")  # 60亿元 in 万元
    assert rows["sme_tech_enterprises"][:2] == (1250.0, 1230.0)  # 新增200 on the 2023 stock of 1,050
    # the plan's only year is over: a target not met is missed, not behind schedule
    assert {code: rows[code][2] for code in ("rd_intensity", "sme_tech_enterprises",
                                             "high_value_invention_patents_per_10k_people")} == dict.fromkeys(
        ("rd_intensity", "sme_tech_enterprises", "high_value_invention_patents_per_10k_people"), "missed")
    manual = rows["industrial_rd_activity_share"]
    assert manual[3] == "manual" and manual[1] == 46.5
    assert manual[4] is not None and "2023" in manual[4]  # no baseline: the next step says which year to load
    assert _rows(data, "select count(*) from marts.fct_plan_target where indicator_as_written = '选派科技特派员'") == [(0,)]
    assert _rows(data, "select decision from marts.figure_review where indicator_as_written = '选派科技特派员'") == [("reject",)]


def test_what_the_user_reads_before_the_build_names_the_targets(walked):
    _, _, outputs = walked
    [extract_output] = [out for line, out in outputs if " extract " in line]
    assert "rd_intensity" in extract_output and "高新技术企业总数" in extract_output
