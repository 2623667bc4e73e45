"""Where ingest extracts documents: a Dask cluster, local by default, or one already running.

Two settings (environment variables, read when each ingest run starts):

- PLANWATCH_DASK_ADDRESS: the scheduler of a running Dask cluster (``tcp://host:8786``). Its
  workers need this project importable and the seeds and data folders at the same paths
  (documents and landing folders are passed by path), and must reach the Prefect API.
- PLANWATCH_DASK_WORKERS: worker processes of the local cluster started for the run (one
  thread each: extraction is pure Python, threads would share one core). Default: the CPU
  count. 0 starts no cluster: documents are extracted one after another in the flow's own
  process (debugging, profiling, tests that patch the extractor).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ADDRESS_SETTING = "PLANWATCH_DASK_ADDRESS"
WORKERS_SETTING = "PLANWATCH_DASK_WORKERS"


class ClusterSettingError(ValueError):
    pass


@dataclass(frozen=True)
class ClusterSettings:
    address: str | None
    workers: int

    def describe(self) -> str:
        if self.address:
            return f"the Dask cluster at {self.address}"
        if self.workers == 0:
            return "this process, one document after another"
        return f"a local Dask cluster of {self.workers} worker process{'es' if self.workers > 1 else ''}"


def cluster_settings(environ=None) -> ClusterSettings:
    environ = os.environ if environ is None else environ
    address = environ.get(ADDRESS_SETTING, "").strip() or None
    raw = environ.get(WORKERS_SETTING, "").strip()
    if not raw:
        workers = os.cpu_count() or 1
    else:
        try:
            workers = int(raw)
        except ValueError:
            workers = -1
        if workers < 0:
            raise ClusterSettingError(f"{WORKERS_SETTING}={raw!r}: give a whole number of worker processes, 0 or more")
    return ClusterSettings(address=address, workers=workers)


def extraction_task_runner(settings: ClusterSettings | None = None):
    """The Prefect task runner the ingest flow maps document extraction on."""
    settings = settings or cluster_settings()
    if settings.address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.address)
    if settings.workers == 0:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(cluster_kwargs={
        "n_workers": settings.workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": "127.0.0.1:0",  # a free loopback port: no clash with other runs on the machine
    })
