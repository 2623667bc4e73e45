"""A build is complete only when dbt finished it; validate never checks or publishes a half-built
file, says so, and checks the published warehouse instead; unreadable files give a message, not a
traceback; the validate flow without a pending build validates the published warehouse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import PLANWATCH, PROJECT_ROOT, cli_env, copy_data_dir

pytestmark = pytest.mark.slow

BUILD = """
from planwatch.config import get_paths
from planwatch.dbt_runner import build_warehouse
build_warehouse(get_paths())
"""


def marts_counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def planwatch(data, *argv, timeout=300):
    return subprocess.run([str(PLANWATCH), *argv], cwd=PROJECT_ROOT, env=cli_env(data), capture_output=True, text=True,
                          timeout=timeout)


def kill_build_midway(data) -> None:
    """Start dbt build as its own process and SIGKILL it once it is writing the build file."""
    proc = subprocess.Popen([sys.executable, "-c", BUILD], cwd=PROJECT_ROOT, env=cli_env(data),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    build_db = data / "build" / "planwatch.duckdb"
    deadline = time.monotonic() + 120
    while not (build_db.exists() and build_db.stat().st_size > 0) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(2)
    assert proc.poll() is None, "dbt build ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert build_db.exists()


def test_validate_after_a_killed_build_checks_the_published_warehouse(good_warehouse, tmp_path):
    data = copy_data_dir(good_warehouse, tmp_path / "warehouse")
    published = data / "planwatch.duckdb"
    before, mtime = marts_counts(published), published.stat().st_mtime_ns
    kill_build_midway(data)

    result = planwatch(data, "validate")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"the pending build in {data / 'build' / 'planwatch.duckdb'} is incomplete "
            f"(dbt build did not finish, started at 20") in result.stderr
    assert "run `planwatch run`" in result.stderr
    assert f"validated {published}:" in result.stdout and "published" not in result.stdout.replace(f"validated {published}", "")
    assert published.stat().st_mtime_ns == mtime and marts_counts(published) == before
    assert (data / "build" / "planwatch.duckdb").exists()  # left for `planwatch run` to replace


def test_unreadable_files_give_a_message_not_a_traceback(good_warehouse, tmp_path):
    data = copy_data_dir(good_warehouse, tmp_path / "warehouse")
    published = data / "planwatch.duckdb"
    blob = published.read_bytes()
    published.write_bytes(blob[: len(blob) // 3])  # a truncated copy, as a full disk leaves it
    result = planwatch(data, "validate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{published} cannot be read as a planwatch warehouse" in result.stderr

    published.write_bytes(b"not a database at all\n" * 100)
    result = planwatch(data, "validate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{published} cannot be read as a planwatch warehouse" in result.stderr


def test_validate_command_without_any_warehouse(tmp_path):
    result = planwatch(tmp_path / "warehouse", "validate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no warehouse yet and no build to validate; run `planwatch run` first" in result.stderr


def test_validate_flow_without_a_pending_build_validates_the_published_warehouse(good_warehouse, tmp_path, prefect_harness):
    from flows.validate import ValidationFailed, validate

    data = copy_data_dir(good_warehouse, tmp_path / "warehouse")
    published = data / "planwatch.duckdb"
    mtime = published.stat().st_mtime_ns
    assert not (data / "build" / "planwatch.duckdb").exists()
    result = validate(data_dir=str(data))
    assert result["validated"] == str(published) and result["published"] is None
    assert result["failed_errors"] == 0 and result["evaluated"] > 0
    assert published.stat().st_mtime_ns == mtime

    with pytest.raises(ValidationFailed, match="no warehouse yet and no build to validate"):
        validate(data_dir=str(tmp_path / "empty"))
