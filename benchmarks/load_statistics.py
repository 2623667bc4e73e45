"""Benchmark: load N long-format statistics rows (default 10 million) with the real loader.

    .venv/bin/python benchmarks/load_statistics.py [--rows 10000000] [--workdir /tmp/planwatch-bench]

Generates a CSV the way statistics offices publish them — every county-level region
of the national reference × catalog indicators × monthly periods, Chinese names and
codes, some values with thousands separators — then times `load_statistics_files`
into an empty raw layer and prints rows per second. Generation is done by DuckDB and
is not timed.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

from planwatch.config import get_paths
from planwatch.statistics import load_statistics_files


def generate(csv_path: Path, rows: int, reference_dir: Path) -> None:
    con = duckdb.connect()
    regions = con.execute(
        "select region_code, region_name from read_csv(?, all_varchar = true) where level = 'county' order by region_code",
        [str(reference_dir / "regions.csv")],
    ).fetchall()
    indicators = con.execute(
        "select name_zh, canonical_unit from read_csv(?, all_varchar = true) order by indicator_code limit 40",
        [str(reference_dir / "indicators.csv")],
    ).fetchall()
    months = max(1, rows // (len(regions) * len(indicators)) + 1)
    con.execute("create table r as select * from (values " + ",".join(f"('{c}','{n}')" for c, n in regions) + ") t(code, name)")
    con.execute("create table i as select * from (values " + ",".join(f"('{n}','{u}')" for n, u in indicators) + ") t(name, unit)")
    con.execute(f"create table m as select range as k from range({months})")
    con.execute(
        f"""
        copy (
            select r.name as 地区, r.code as 区划代码, i.name as 指标,
                   (2015 + k // 12)::varchar || '年' || (k % 12 + 1)::varchar || '月' as 时期,
                   case when k % 7 = 0 then format('{{:,}}', (hash(r.code, i.name, k) % 100000)::bigint)
                        else ((hash(r.code, i.name, k) % 100000) / 100.0)::varchar end as 数值,
                   i.unit as 单位, '模拟数据' as 来源
            from r, i, m
            limit {rows}
        ) to '{csv_path}' (header, delimiter ',')
        """
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/planwatch-bench"))
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    reference = get_paths().reference_dir
    csv_path = args.workdir / "statistics.csv"
    started = time.perf_counter()
    generate(csv_path, args.rows, reference)
    print(f"generated {csv_path} ({csv_path.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    summary = load_statistics_files([csv_path], args.workdir / "raw_layer.duckdb", reference, args.workdir)
    seconds = time.perf_counter() - started
    print(summary.line())
    print(f"loaded in {seconds:.1f} s: {summary.read / seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()
