"""Benchmark: the ingest flow's extraction (extract-documents) on a local Dask cluster of 1 worker, then of 2.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/extract_fanout.py [--mb 4] [--workers 1,2] [--workdir /tmp/planwatch-bench-fanout]

Builds the plans folder of benchmarks/extract_plans.py (the seed documents and the corpus
development texts, copied with their figures shifted until it holds --mb megabytes; never the
holdout texts), starts a local Prefect server, and for each worker count runs extract-documents
into a data folder of its own, timing the whole call: starting the cluster, every task run
reported to the server, landing the Parquet files. Checks that every run landed the same files
with the same rows as the first, and prints each run's wall time and MB/s and the speed-up of
each against the first. The CPU count is printed: on a machine shared with other jobs the
workers get less than a core each.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # before prefect and distributed are imported
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

import pyarrow.parquet as pq  # noqa: E402

from extract_plans import build  # noqa: E402
from planwatch.config import get_paths  # noqa: E402


def landed(data_dir: Path) -> dict[str, tuple]:
    """Each landing folder's document.json and the rows of its Parquet files."""
    out = {}
    for folder in sorted((data_dir / "landing" / "plans").iterdir()):
        tables = tuple(pq.read_table(p).to_pylist().__repr__() for p in sorted(folder.glob("*.parquet")))
        out[folder.name] = ((folder / "document.json").read_text(encoding="utf-8"), tables)
    return out


def run(workers: int, seeds: Path, data: Path) -> float:
    from flows.extract_documents import extract_all
    from planwatch.plans.extract import extraction_version, load_manifest
    from planwatch.plans.load import plan_key
    from planwatch.plans.reading import DocumentError

    os.environ["PLANWATCH_DASK_WORKERS"] = str(workers)
    paths = get_paths(seeds, data).ensure()
    manifest = load_manifest(paths.plans_dir)
    jobs = []
    for document in sorted(p for p in paths.plans_dir.iterdir() if p.suffix == ".txt"):
        rows = manifest[manifest["document"] == document.name].to_dict("records")
        jobs.append({"document": str(document), "content_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
                     "plan_key": plan_key(document.name, rows)})
    version = extraction_version(paths.reference_dir)
    start = time.perf_counter()
    results = extract_all(jobs, version, str(paths.seeds_dir), str(paths.data_dir))
    wall = time.perf_counter() - start
    refused = [r for r in results if isinstance(r, DocumentError)]
    if refused:
        raise SystemExit(f"{len(refused)} documents refused, e.g. {refused[0]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of plan text (default 4)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, the first is the baseline (default 1,2)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/planwatch-bench-fanout"))
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    shutil.rmtree(args.workdir, ignore_errors=True)
    documents = build(args.workdir, args.mb)
    megabytes = sum(p.stat().st_size for p in documents) / 1e6
    seeds = args.workdir / "seeds"
    seeds.mkdir()
    (args.workdir / "plans").rename(seeds / "plans")
    shutil.copytree(get_paths().reference_dir, seeds / "reference")

    from planwatch.local_server import local_prefect_server

    walls, first = {}, None
    with local_prefect_server(args.workdir / "prefect", log_file=args.workdir / "prefect-server.log"):
        for n in counts:
            data = args.workdir / f"data-{n}-workers"
            walls[n] = run(n, seeds, data)
            print(f"{n} worker(s): {len(documents)} documents, {megabytes:.1f} MB in {walls[n]:.1f} s wall "
                  f"({megabytes / walls[n]:.2f} MB/s), cluster start and Prefect task runs included")
            files = landed(data)
            if first is None:
                first = files
            elif files != first:
                raise SystemExit(f"{n} workers landed other files or rows than {counts[0]}")
    base = counts[0]
    for n in counts[1:]:
        print(f"speed-up {n} workers against {base}: {walls[base] / walls[n]:.2f}x (same landing files, every row)")
    print(f"{os.cpu_count()} CPUs on this machine; load average {os.getloadavg()[0]:.1f} at the end "
          "(other jobs on the machine take their share of the cores)")


if __name__ == "__main__":
    main()
