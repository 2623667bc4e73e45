"""Deployments on a real Prefect server (`prefect server start` on a free loopback port):

- `planwatch deploy` (work pool, the planwatch-warehouse global concurrency limit,
  `prefect --no-prompt deploy --all` of this project's prefect.yaml) and the scheduler creating
  flow runs for every scheduled deployment. (With SQLAlchemy 2.1 the scheduler logged "Can't
  evaluate bulk DML statement" every loop and never created a run.)
- A real process worker running `nightly`, `build-warehouse` and `validate` started together:
  all complete, one at a time, queued by the concurrency limit rather than failing on DuckDB.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import yaml

from conftest import PLANWATCH, SEEDS
from prefect_server import BIN, PROJECT_ROOT, prefect_server, stop_group

pytestmark = pytest.mark.slow

PREFECT_YAML = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
SCHEDULED = sorted(d["name"] for d in PREFECT_YAML["deployments"] if d.get("schedules"))
ALL = sorted(d["name"] for d in PREFECT_YAML["deployments"])
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2") as server:
        result = subprocess.run([str(PLANWATCH), "deploy"], cwd=PROJECT_ROOT, env=server.env(), capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "concurrency limit planwatch-warehouse: limit 1 (created)" in result.stdout
        yield server


def warehouse_limit(server) -> dict:
    """The planwatch-warehouse limit (the server also lists one `deployment:<id>` limit per deployment)."""
    return server.request("GET", "/v2/concurrency_limits/planwatch-warehouse")


def deployments_by_name(server) -> dict[str, dict]:
    return {d["name"]: d for d in server.request("POST", "/deployments/filter", {})}


def test_the_scheduler_creates_runs_for_every_scheduled_deployment(deployed):
    server = deployed
    by_name = deployments_by_name(server)
    assert sorted(by_name) == ALL
    assert SCHEDULED == ["ingest-plans", "load-statistics-monthly", "nightly"]
    gcl = warehouse_limit(server)
    assert (gcl["limit"], gcl["active"]) == (1, True)

    wanted = {by_name[name]["id"]: name for name in SCHEDULED}
    deadline = time.monotonic() + 120
    scheduled: dict[str, int] = {}
    while time.monotonic() < deadline:
        runs = server.request("POST", "/flow_runs/filter", {
            "flow_runs": {"deployment_id": {"any_": list(wanted)}, "state": {"type": {"any_": ["SCHEDULED"]}}},
        })
        scheduled = {name: sum(1 for r in runs if r["deployment_id"] == dep_id) for dep_id, name in wanted.items()}
        if all(scheduled.values()):
            break
        time.sleep(1)
    log = server.log_text()
    assert "Can't evaluate bulk DML statement" not in log, log[-3000:]
    assert all(scheduled.values()), f"scheduled runs per deployment after 120 s: {scheduled}\n{log[-3000:]}"
    # on-demand deployments get no runs of their own
    unscheduled = [by_name[n]["id"] for n in ALL if n not in SCHEDULED]
    assert server.request("POST", "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": unscheduled}}}) == []
    # the nightly cron in Asia/Shanghai: 02:30 local = 18:30 UTC the day before
    nightly = server.request("POST", "/flow_runs/filter", {
        "flow_runs": {"deployment_id": {"any_": [by_name["nightly"]["id"]]}}, "sort": "EXPECTED_START_TIME_ASC"})
    assert nightly and all(r["expected_start_time"][11:16] == "18:30" for r in nightly), nightly[:2]


def test_deployment_runs_started_together_queue_one_at_a_time(deployed, tmp_path):
    server = deployed
    data = tmp_path / "warehouse"
    env = server.env(PLANWATCH_DATA_DIR=str(data), PLANWATCH_SEEDS_DIR=str(SEEDS), PLANWATCH_PROJECT_DIR=str(PROJECT_ROOT),
                     PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_WORKER_PREFETCH_SECONDS="0")
    worker_log = tmp_path / "worker.log"
    with open(worker_log, "wb") as out:
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", "planwatch-process"], cwd=tmp_path,
                                  env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    history = data / "logs" / "warehouse-lock.log"

    def run(name: str) -> str:
        done = server.cli("deployment", "run", name)
        assert done.returncode == 0, done.stdout + done.stderr
        return next(line.split("UUID:")[1].strip() for line in done.stdout.splitlines() if "UUID:" in line)

    def state(run_id: str) -> str:
        return server.request("GET", f"/flow_runs/{run_id}")["state"]["type"]

    try:
        nightly = run("planwatch-pipeline/nightly")
        deadline = time.monotonic() + 240
        while not (history.exists() and "deployment run planwatch-pipeline" in history.read_text()):
            assert time.monotonic() < deadline, f"nightly never took the warehouse:\n{worker_log.read_text()[-3000:]}"
            assert state(nightly) not in FINAL, worker_log.read_text()[-3000:]
            time.sleep(0.5)
        others = [run("build-warehouse/build-warehouse"), run("validate/validate")]
        slots_seen = set()
        deadline = time.monotonic() + 600
        while not all(state(r) in FINAL for r in [nightly, *others]):
            assert time.monotonic() < deadline, worker_log.read_text()[-3000:]
            slots_seen.add(warehouse_limit(server)["active_slots"])
            time.sleep(1)
        states = {r: state(r) for r in [nightly, *others]}
        assert set(states.values()) == {"COMPLETED"}, f"{states}\n{worker_log.read_text()[-4000:]}"
        assert slots_seen <= {0, 1} and 1 in slots_seen
    finally:
        stop_group(worker)

    events = [json.loads(line) for line in history.read_text().splitlines()]
    holds = [e for e in events if e["command"].startswith("deployment run")]
    acquired = [e for e in holds if e["event"] == "acquired"]
    assert sorted(e["command"] for e in acquired) == [
        "deployment run build-warehouse", "deployment run planwatch-pipeline", "deployment run validate"]
    intervals = sorted((a["t"], next(r["t"] for r in holds if r["event"] == "released" and r["pid"] == a["pid"]))
                       for a in acquired)
    assert all(end <= start for (_, end), (start, _) in zip(intervals, intervals[1:])), intervals  # one at a time
    # the concurrency limit queued them: each found the warehouse free once it had its slot
    assert all(e["waited_s"] < 5 for e in acquired), acquired
    assert (data / "planwatch.duckdb").exists()
