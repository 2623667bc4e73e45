"""Schedules on a real Prefect server: `prefect server start`, the work pool, `prefect deploy --all`
from this project's prefect.yaml, and the scheduler creating flow runs for every scheduled deployment.

(With SQLAlchemy 2.1 the server's scheduler logged "Can't evaluate bulk DML statement" every loop
and never created a run; this test is what caught it.)
"""

from __future__ import annotations

import time

import pytest
import yaml

from prefect_server import PROJECT_ROOT, prefect_server

pytestmark = pytest.mark.slow

PREFECT_YAML = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
SCHEDULED = sorted(d["name"] for d in PREFECT_YAML["deployments"] if d.get("schedules"))
ALL = sorted(d["name"] for d in PREFECT_YAML["deployments"])


def test_the_scheduler_creates_runs_for_every_scheduled_deployment(tmp_path):
    settings = {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2"}
    with prefect_server(tmp_path / "prefect-home", **settings) as server:
        pool = server.cli("work-pool", "create", "planwatch-process", "--type", "process")
        assert pool.returncode == 0, pool.stdout + pool.stderr
        deploy = server.cli("--no-prompt", "deploy", "--all", PLANWATCH_PROJECT_DIR=str(PROJECT_ROOT))
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr

        deployments = server.request("POST", "/deployments/filter", {})
        by_name = {d["name"]: d for d in deployments}
        assert sorted(by_name) == ALL
        assert SCHEDULED == ["ingest-plans", "load-statistics-monthly", "nightly"]

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
