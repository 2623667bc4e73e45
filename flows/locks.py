"""One flow run at a time on the warehouse: `@writes_warehouse("name")` under a flow's `@flow`.

- A deployment run first takes a slot of the global concurrency limit `planwatch-warehouse`
  (limit 1, created by `planwatch deploy`): runs of every deployment that writes queue there
  instead of failing on DuckDB's file lock. Then it waits for the warehouse lock (a
  `planwatch run` from a terminal may hold it; PLANWATCH_LOCK_WAIT_SECONDS, default 6 h).
- A flow called directly (`python flows/x.py`, the CLI) takes the warehouse lock at once or
  fails with who holds it.
- A subflow of a run that already holds the lock (the pipeline's steps) takes nothing more.
"""

from __future__ import annotations

import functools
import inspect
import os
from contextlib import contextmanager

from planwatch.config import get_paths
from planwatch.locking import holds_lock, warehouse_lock

GCL_NAME = "planwatch-warehouse"
DEFAULT_WAIT_SECONDS = 6 * 3600


def _deployment_id() -> str | None:
    """The deployment of the current flow run (None outside a flow run or for a run called directly)."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    run = getattr(ctx, "flow_run", None) if ctx else None
    return str(run.deployment_id) if run is not None and run.deployment_id else None


@contextmanager
def flow_warehouse_lock(data_dir, flow_name: str):
    if holds_lock(data_dir):
        yield
        return
    if _deployment_id():
        from prefect.concurrency.sync import concurrency

        wait = float(os.environ.get("PLANWATCH_LOCK_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))
        with concurrency(GCL_NAME, occupy=1), warehouse_lock(data_dir, f"deployment run {flow_name}", wait=wait):
            yield
    else:
        with warehouse_lock(data_dir, f"flow {flow_name}", wait=0):
            yield


def writes_warehouse(flow_name: str):
    """Decorate a flow's function (below @flow) so each run holds the warehouse while it runs."""
    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            paths = get_paths(bound.arguments.get("seeds_dir"), bound.arguments.get("data_dir"))
            with flow_warehouse_lock(paths.data_dir, flow_name):
                return fn(*args, **kwargs)
        return wrapper
    return decorate
