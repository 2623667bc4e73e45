"""The warehouse lock, held by real processes: a second writer fails at once naming the holder,
a lock of a SIGKILLed process does not block, the lock is re-entrant within one process, and
every writing command of the CLI takes it (exit 3 while another run holds it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planwatch.locking import EXIT_BUSY, WarehouseBusy, holds_lock, read_holder, warehouse_lock

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLANWATCH = Path(sys.executable).parent / "planwatch"

HOLDER = textwrap.dedent("""
    import sys, time
    from planwatch.locking import warehouse_lock
    with warehouse_lock(sys.argv[1], sys.argv[2]):
        print("held", flush=True)
        time.sleep(float(sys.argv[3]))
""")


def hold(data_dir: Path, command: str = "planwatch run", seconds: float = 120) -> subprocess.Popen:
    """A real process holding the warehouse lock; returns once it holds it."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir), command, str(seconds)],
                            stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    assert proc.stdout.readline().strip() == "held"
    return proc


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_second_writer_fails_at_once_naming_the_holder(tmp_path):
    holder = hold(tmp_path, "planwatch run")
    try:
        with pytest.raises(WarehouseBusy) as err:  # raised, not waited for: the default is not to wait
            with warehouse_lock(tmp_path, "planwatch run"):
                pass
        message = str(err.value)
        assert message.startswith(f"another run holds the warehouse (planwatch run, pid {holder.pid}, started at 20")
        assert err.value.holder["pid"] == holder.pid
    finally:
        kill9(holder)


def test_a_sigkilled_holder_does_not_block(tmp_path):
    holder = hold(tmp_path, "planwatch load-stats")
    kill9(holder)
    assert read_holder(tmp_path)["pid"] == holder.pid  # the record stays …
    with warehouse_lock(tmp_path, "next run") as me:  # … but the kernel dropped the lock (a held one would raise)
        assert me["pid"] == os.getpid()
        assert read_holder(tmp_path)["command"] == "next run"


def test_waiting_writer_gets_the_lock_when_the_holder_ends(tmp_path):
    holder = hold(tmp_path, "deployment run validate", seconds=1.5)
    try:
        with warehouse_lock(tmp_path, "deployment run build-warehouse", wait=60, poll=0.1):
            assert holder.poll() is not None or holder.wait(timeout=5) == 0
    finally:
        holder.wait(timeout=10)


def test_reentrant_within_one_process_and_released_after(tmp_path):
    with warehouse_lock(tmp_path, "planwatch run") as outer:
        with warehouse_lock(tmp_path, "flow ingest-plans") as inner:  # a subflow in the same process
            assert inner is outer
            assert holds_lock(tmp_path)
        assert holds_lock(tmp_path)
        probe = subprocess.run([sys.executable, "-c", HOLDER, str(tmp_path), "probe", "0"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=60)
        assert probe.returncode != 0 and "WarehouseBusy" in probe.stderr  # other processes still see it held
    assert not holds_lock(tmp_path)
    probe = subprocess.run([sys.executable, "-c", HOLDER, str(tmp_path), "probe", "0"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr


def test_acquiring_removes_temporary_folders_of_dead_runs(tmp_path):
    data = tmp_path / "warehouse"
    leftover = data / "landing" / "tmpabc123"
    leftover.mkdir(parents=True)
    (leftover / "incoming.parquet").write_bytes(b"partial")
    kept = data / "landing" / "plans"
    kept.mkdir()
    with warehouse_lock(data, "planwatch run"):
        assert not leftover.exists() and kept.exists()


@pytest.mark.parametrize("argv", [["run"], ["load-stats", "seeds/statistics/public_actuals_seed_regions.csv"], ["validate"],
                                  ["loads", "retract", "20261201T000000-abcdef12", "--reason", "x", "--reviewer", "y"]],
                         ids=["run", "load-stats", "validate", "loads-retract"])
def test_every_writing_command_exits_3_while_another_run_holds_the_warehouse(tmp_path, argv):
    data = tmp_path / "warehouse"
    holder = hold(data, "planwatch run")
    try:
        env = {**os.environ, "PLANWATCH_DATA_DIR": str(data)}
        env.pop("PREFECT_API_URL", None)
        result = subprocess.run([str(PLANWATCH), *argv], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == EXIT_BUSY == 3, result.stderr
        assert f"another run holds the warehouse (planwatch run, pid {holder.pid}, started at " in result.stderr
        assert "Traceback" not in result.stderr
        # at once: no Prefect server started (its home stays empty), nothing read or created
        assert not (data / "prefect").exists()
        assert not (data / "raw_layer.duckdb").exists()
    finally:
        kill9(holder)
