"""The Prefect server on PostgreSQL, for real: scripts/prefect_server_postgres.sh starts a PostgreSQL
cluster of its own, `planwatch server` on it (every deployment of prefect.yaml, a pool of two
process workers), and the ingest-plans deployment, unchanged, runs to completion on a worker,
its document extraction on a local Dask cluster; the run is in PostgreSQL's tables. On SIGTERM
the script stops the workers, the server and PostgreSQL.
Skipped where no PostgreSQL server binary exists."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from conftest import SEEDS
from prefect_server import BIN, PROJECT_ROOT, clean_env, free_port, stop_group

pytestmark = pytest.mark.slow

SCRIPT = PROJECT_ROOT / "scripts" / "prefect_server_postgres.sh"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def postgres_bin() -> str | None:
    """The folder of initdb, pg_ctl and postgres, found as the script finds it."""
    on_path = shutil.which("pg_ctl")
    candidates = [str(Path(on_path).parent)] if on_path else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if all(os.access(Path(folder) / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


PG_BIN = postgres_bin()


def _api(port: int, method: str, path: str, body: dict | None = None):
    import json
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}/api{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode() or "null")


def _wait(what: str, ready, process: subprocess.Popen, log: Path, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"the script exited ({process.returncode}) before {what}:\n{log.read_text()[-3000:]}"
        try:
            value = ready()
            if value:
                return value
        except OSError:
            pass
        assert time.monotonic() < deadline, f"no {what} after {timeout:.0f} s:\n{log.read_text()[-3000:]}"
        time.sleep(1)


def _flow_run_state_in_postgres(pg_port: int, run_id: str) -> str:
    import uuid

    import asyncpg

    async def query():
        con = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="prefect", database="prefect")
        try:
            return await con.fetchval("select state_type from flow_run where id = $1", uuid.UUID(run_id))
        finally:
            await con.close()

    return asyncio.run(query())


@pytest.mark.skipif(PG_BIN is None, reason="no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in "
                                           "/usr/lib/postgresql/*/bin: apt-get install postgresql")
def test_a_deployment_runs_on_a_prefect_server_on_postgresql_with_two_workers(tmp_path):
    # Under /tmp, not pytest's root-only tmp_path: PostgreSQL runs as another user when tests run as root.
    outer = Path(tempfile.mkdtemp(prefix="planwatch-pg-test-"))
    outer.chmod(0o755)
    pg_dir, data = outer / "cluster", tmp_path / "warehouse"
    api_port, pg_port = free_port(), free_port()
    env = clean_env(tmp_path / "prefect-home", PLANWATCH_DATA_DIR=str(data), PLANWATCH_SEEDS_DIR=str(SEEDS),
                    PLANWATCH_PREFECT_PG_DIR=str(pg_dir), PLANWATCH_PREFECT_PG_PORT=str(pg_port), PLANWATCH_PREFECT_PG_BIN=PG_BIN,
                    PLANWATCH_DASK_WORKERS="2", PREFECT_WORKER_PREFETCH_SECONDS="0")
    log = tmp_path / "script.log"
    with open(log, "wb") as out:
        script = subprocess.Popen(["bash", str(SCRIPT), "--port", str(api_port), "--workers", "2"], cwd=tmp_path, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def online_workers():
            workers = _api(api_port, "POST", "/work_pools/planwatch-process/workers/filter", {})
            return sorted(w["name"] for w in workers if w["status"] == "ONLINE") if len(workers) == 2 else None

        assert _wait("two online workers", online_workers, script, log, 600) == ["planwatch-worker-1", "planwatch-worker-2"]
        assert "database 127.0.0.1:%d/prefect" % pg_port in log.read_text()
        done = subprocess.run([str(BIN / "prefect"), "deployment", "run", "ingest-plans/ingest-plans"], cwd=PROJECT_ROOT,
                              env={**env, "PREFECT_API_URL": f"http://127.0.0.1:{api_port}/api"}, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        run_id = next(line.split("UUID:")[1].strip() for line in done.stdout.splitlines() if "UUID:" in line)

        def final_state():
            state = _api(api_port, "GET", f"/flow_runs/{run_id}")["state"]["type"]
            return state if state in FINAL else None

        worker_logs = lambda: "".join(p.read_text(errors="replace") for p in (data / "logs" / "prefect-workers").glob("*.log"))  # noqa: E731
        assert _wait("finished run", final_state, script, log, 600) == "COMPLETED", worker_logs()[-4000:]
        assert _flow_run_state_in_postgres(pg_port, run_id) == "COMPLETED"
        assert "extracting 5 documents in 5 batches on a local Dask cluster of 2 worker processes" in worker_logs()
        con = duckdb.connect(str(data / "raw_layer.duckdb"), read_only=True)
        try:
            assert con.execute("select count(distinct document) from raw.plan_targets").fetchone() == (5,)
        finally:
            con.close()
    finally:
        stop_group(script, grace=120)
        still_running = (pg_dir / "postmaster.pid").exists()
        if still_running:  # stop it anyway, as the user it runs as
            as_owner = ["runuser", "-u", pg_dir.owner(), "--"] if os.getuid() == 0 else []
            subprocess.run(as_owner + [f"{PG_BIN}/pg_ctl", "-D", str(pg_dir), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(outer, ignore_errors=True)
    assert not still_running, f"PostgreSQL was left running:\n{log.read_text()[-3000:]}"
    assert "stopped the workers and the server" in log.read_text()
