"""Shared test set-up: quiet third parties, isolated Prefect home, paths to the real seeds."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before prefect, dbt or GX are imported anywhere.
_PREFECT_HOME = tempfile.mkdtemp(prefix="planwatch-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import pytest  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
PLANS = SEEDS / "plans"
REFERENCE = SEEDS / "reference"

DAYE = PLANS / "daye_city_sti_five_year_plan_2021_2025.txt"
LUXI = PLANS / "luxi_county_sti_five_year_plan_2021_2025.txt"
YONGZHOU = PLANS / "yongzhou_city_sti_five_year_plan_2021_2025.txt"
PINGJIANG_2023 = PLANS / "pingjiang_county_sti_work_plan_2023.txt"
PINGJIANG_2026 = PLANS / "pingjiang_county_sti_industry_work_plan_2026.txt"


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the session (starting one takes ~20 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def isolated_paths(tmp_path, monkeypatch):
    """A data directory of the test's own; seeds stay the project's real ones."""
    data = tmp_path / "warehouse"
    monkeypatch.setenv("PLANWATCH_DATA_DIR", str(data))
    monkeypatch.setenv("PLANWATCH_SEEDS_DIR", str(SEEDS))
    from planwatch.config import get_paths

    return get_paths()


PLANWATCH = Path(__import__("sys").executable).parent / "planwatch"


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `planwatch` subprocess on data_dir, as a user's shell would have it."""
    # Without the test session's own settings (PREFECT_LOGGING_LEVEL quiets in-process flows here).
    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_API_URL", "PREFECT_HOME", "PLANWATCH_DATA_DIR", "PREFECT_LOGGING_LEVEL")}
    env.update({"PLANWATCH_DATA_DIR": str(data_dir), "PLANWATCH_SEEDS_DIR": str(SEEDS)}, **extra)
    return env


@pytest.fixture(scope="session")
def good_warehouse(tmp_path_factory):
    """A data directory after one real `planwatch run` on the seeds (~70 s, once per session): copy it, never change it."""
    import subprocess

    data = tmp_path_factory.mktemp("good") / "warehouse"
    result = subprocess.run([str(PLANWATCH), "run"], cwd=PROJECT_ROOT, env=cli_env(data), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # What the user saw, for tests of the command's output (beside the data directory, not in it).
    (data.parent / "run.stdout").write_text(result.stdout, encoding="utf-8")
    (data.parent / "run.stderr").write_text(result.stderr, encoding="utf-8")
    return data


def copy_data_dir(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target, symlinks=True)
    return target


def planwatch_folders(seeds: Path, data: Path):
    """The pipeline's seeds and data folders (PLANWATCH_SEEDS_DIR, PLANWATCH_DATA_DIR) for a `with` block, then as before."""
    from planwatch.config import environment_variables

    return environment_variables({"PLANWATCH_DATA_DIR": str(data), "PLANWATCH_SEEDS_DIR": str(seeds)})


def query_rows(db, sql: str, params=None) -> list[tuple]:
    """Rows of a query on the DuckDB file `db`, opened read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def raw_rows(paths, sql: str) -> list[tuple]:
    """Rows of a query on the raw layer of `paths`, opened read-only."""
    return query_rows(paths.raw_db, sql)
