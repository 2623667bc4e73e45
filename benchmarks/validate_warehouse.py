"""Benchmark: GX validation (planwatch.validation.validate_warehouse) of one warehouse file, timed on its own.

    PYTHONPATH=$PWD /usr/bin/time -v .venv/bin/python benchmarks/validate_warehouse.py WAREHOUSE.duckdb DATA_DIR [--full]

DATA_DIR receives the run's frames, GX results and Data Docs. --full gives GX every row (the way before
the SQL pushdown); default: the expectations run as SQL in the warehouse, GX over a sample of failing rows.
Prints the wall time, the expectations and failures with their first rows; run it under /usr/bin/time -v
for CPU time and peak RSS. (`benchmarks/national.py --steps validate` times `planwatch validate` after a build.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planwatch.config import get_paths
from planwatch.validation import validate_warehouse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--full", action="store_true", help="GX reads every row (no pushdown)")
    args = parser.parse_args()
    paths = get_paths(data_dir=args.data_dir)
    started = time.perf_counter()
    summary = validate_warehouse(paths, args.warehouse, build=False, **({"sample": None} if args.full else {}))
    print(f"validate_warehouse {time.perf_counter() - started:.1f} s: {summary.evaluated} expectations, "
          f"{summary.failed} failed ({summary.failed_errors} errors, {summary.failed_warnings} warnings)")
    for f in summary.failures:
        print(f"   {f['suite']} {f['column']} {f['severity']} {f['unexpected_count']} {f['rows'][:2]}")


if __name__ == "__main__":
    main()
