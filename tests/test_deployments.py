"""Every deployment in prefect.yaml points at a flow that imports, with parameters it accepts."""

import importlib
from pathlib import Path

import pytest
import yaml

from prefect.flows import Flow

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"
DEPLOYMENTS = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))["deployments"]


def test_every_flow_is_deployed_and_the_pipeline_is_scheduled_nightly():
    entrypoints = {d["entrypoint"] for d in DEPLOYMENTS}
    assert {"flows/pipeline.py:pipeline", "flows/ingest_plans.py:ingest_plans", "flows/load_statistics.py:load_statistics",
            "flows/build_warehouse.py:build_warehouse", "flows/validate.py:validate"} <= entrypoints
    crons = {d["entrypoint"]: [s["cron"] for s in d.get("schedules", [])] for d in DEPLOYMENTS}
    assert crons["flows/pipeline.py:pipeline"] == ["30 2 * * *"]
    assert crons["flows/load_statistics.py:load_statistics"] == ["0 3 25 * *"]  # monthly


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_entrypoint_imports_and_parameters_validate(deployment):
    path, func = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, func)
    assert isinstance(flow, Flow)
    params = deployment.get("parameters") or {}
    validated = flow.validate_parameters(params)
    assert set(validated) == set(params)
    assert deployment["work_pool"]["name"] == "planwatch-process"
