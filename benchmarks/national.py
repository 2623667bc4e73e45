"""Benchmark: a national statistics file through load, dbt build and GX validation.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/national.py --rows 1000000 [--workdir /tmp/planwatch-national]
        [--regions N] [--seed 14] [--steps read_csv,load,build,incremental,validate] [--reuse] [--code /work/main]

Generates the file (benchmarks/national_data.py: every county-level region, or a seeded sample
of --regions / enough for --rows, × the catalog's indicators × 2019–2025, monthly and yearly,
with planted anomalies in answers.csv), copies it into a fresh data directory and runs each step
in a subprocess of its own, printing its wall time and peak RSS (the kernel's for that process
and its children): DuckDB's bare read_csv of the same file into a table, the statistics load
(the file, then the later file of revisions), dbt build, GX validation. Then the planted
anomalies' recall against marts.quality_flags and the quarantine, and the series flagged
that hold no planted anomaly (false flags) as a share of all series, and where the planted
anomalies stand in the reviewer's queue ranked by expected impact (marts.quality_flags impact_rank),
in units of review (a region × indicator × year's flags, kept together in the queue).

With the step `incremental`, one month of every series (2025-11: the month, or 1-11月 year to date) is
held back from the statistics file: the load and the full build take the rest, the build is
published, then that month is loaded as a file of its own and built incrementally (the incremental
models carried over, only the new load's rows added), and built again with --full-refresh: the two
builds' times side by side, and every marts table compared (EXCEPT ALL both ways).

A planted anomaly counts as found when the build flags a statistic of its series in the same
year (a year-to-date figure shifted in May shows as the fall in June), or quarantines its row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parent.parent
STEPS = ("read_csv", "load", "build", "incremental", "validate")
NEW_MONTH = (2025, 10)  # (year, 0-based month): the month the step `incremental` loads last

_READ_CSV = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("set enable_progress_bar = false")
con.execute("create table statistics as select * from read_csv(?, all_varchar = true, delim = ',', quote = chr(34), header = true)",
            [sys.argv[1]])
print(con.execute("select count(*) from statistics").fetchone()[0], "rows")
"""
_GENERATE = """
import json, sys
from pathlib import Path
from benchmarks.national_data import generate
out, reference, regions, rows, seed = sys.argv[1:]
g = generate(Path(out), Path(reference), regions=int(regions) if regions else None, rows=int(rows) if rows else None, seed=int(seed))
meta = {"rows": g.rows, "series": g.series, "regions": g.regions, "indicators": g.indicators, "anomalies": g.anomalies,
        "seed": int(seed), "bytes": g.statistics.stat().st_size}
(Path(out) / "meta.json").write_text(json.dumps(meta))
"""
_LOAD = """
import sys
from pathlib import Path
from planwatch.config import get_paths
from planwatch.statistics import load_statistics_files
paths = get_paths().ensure()
for f in sys.argv[1:]:
    print(Path(f).name, load_statistics_files([Path(f)], paths.raw_db, paths.reference_dir, paths.landing_dir).line())
"""
_BUILD = """
import sys
from planwatch.config import get_paths
from planwatch.dbt_runner import build_warehouse
from planwatch.builds import read_state
paths = get_paths()
result = build_warehouse(paths, full_refresh="--full-refresh" in sys.argv)
dbt = (read_state(paths) or {}).get("dbt") or {}
print("dbt build", "succeeded" if result.success else "failed", len(result.nodes), "nodes,", len(result.failures), "failures;",
      "incremental" if dbt.get("incremental") else f"full build ({dbt.get('full_build_because')})")
for n in result.failures[:10]:
    print("  ", n["name"], n["status"], (n.get("message") or "")[:200])
sys.exit(0 if result.success else 1)
"""

_PUBLISH = """
from planwatch.builds import publish
from planwatch.config import get_paths
print("published", publish(get_paths()))
"""


def split_new_month(statistics: Path, base: Path, month: Path) -> tuple[int, int]:
    """statistics.csv without NEW_MONTH's rows (base) and those rows alone (month), text as written."""
    from benchmarks.national_data import _PERIOD_STYLES, _period_text

    year, m = NEW_MONTH
    texts = sorted({_period_text(style, flow, year, m)[0] for style in range(len(_PERIOD_STYLES)) for flow in (False, True)})
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true; set enable_progress_bar = false")
    con.execute("create table s as select * from read_csv(?, all_varchar = true, header = true, delim = ',', quote = chr(34))",
                [str(statistics)])
    period = con.execute("select column_name from (describe s) limit 1 offset 3").fetchone()[0]
    listed = ", ".join("'" + t + "'" for t in texts)
    counts = []
    for path, where in ((base, f'"{period}" not in ({listed})'), (month, f'"{period}" in ({listed})')):
        con.execute(f"copy (select * from s where {where}) to '{path}' (header, delimiter ',')")
        counts.append(con.execute(f"select count(*) from s where {where}").fetchone()[0])
    return counts[0], counts[1]


def compare_marts(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Every marts table of two warehouse files: rows of a not in b and of b not in a (EXCEPT ALL)."""
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    tables = [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'a' and table_schema = 'marts' order by 1").fetchall()]
    return {t: tuple(con.execute(f"select count(*) from (select * from {x}.marts.{t} except all select * from {y}.marts.{t})").fetchone()[0]
                     for x, y in (("a", "b"), ("b", "a"))) for t in tables}


def run_step(name: str, code: str | list[str], args: list[str], env: dict[str, str]) -> dict:
    """Run a step in a subprocess: wall seconds and peak RSS (GB) of the process tree the kernel reports."""
    # -P: python -c would put the working directory (this checkout) before PYTHONPATH (--code's).
    argv = [sys.executable, "-P", "-c", code, *args] if isinstance(code, str) else [*code, *args]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    result = {"step": name, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_gb": round(usage.ru_maxrss / 1e6, 2),
              "exit": process.returncode, "output": [l for l in output.splitlines() if l.strip() and "▕" not in l][-12:]}
    print(f"{name:>10}: {seconds:7.1f} s  CPU {cpu:7.1f} s  peak RSS {usage.ru_maxrss / 1e6:5.2f} GB  exit {process.returncode}",
          flush=True)
    for line in result["output"]:
        print(f"{'':>12}{line}")
    return result


def recall(build_db: Path, raw_db: Path, answers: Path, series: int) -> dict:
    """Planted anomalies found (flag in the same series and year, or the row quarantined) and false flags."""
    con = duckdb.connect()
    con.execute(f"attach '{build_db}' as wh (read_only)")
    con.execute(f"attach '{raw_db}' as rawdb (read_only)")
    con.execute("create temp table answers as select * from read_csv(?, all_varchar = true)", [str(answers)])
    has_rank = bool(con.execute(
        "select count(*) from information_schema.columns where table_catalog = 'wh' and table_schema = 'marts' "
        "and table_name = 'quality_flags' and column_name = 'impact_rank'").fetchone()[0])
    con.execute(
        f"""
        create temp table flagged as
        select region_code, indicator_code, left(period, 4) as year, check_name,
               {'impact_rank' if has_rank else 'null::integer'} as impact_rank
        from wh.marts.quality_flags where entity = 'statistic'
        """
    )
    con.execute(
        """
        create temp table quarantined as
        select distinct region_code_raw as region_code, indicator_raw as indicator_name, period_raw as period_as_written
        from rawdb.raw.statistics_quarantine
        """
    )
    by_kind = con.execute(
        """
        select a.kind, count(*) as planted,
               count(*) filter (where exists (select 1 from flagged f where f.region_code = a.region_code
                                               and f.indicator_code = a.indicator_code and f.year = left(a.period, 4))
                                   or exists (select 1 from quarantined q where q.region_code = a.region_code
                                               and q.indicator_name = a.indicator_name
                                               and q.period_as_written = a.period_as_written)) as found
        from answers a group by all order by 1
        """
    ).fetchall()
    false_series = con.execute(
        """
        select count(*) from (select distinct region_code, indicator_code from flagged) f
        where not exists (select 1 from answers a where a.region_code = f.region_code and a.indicator_code = f.indicator_code)
        """
    ).fetchone()[0]
    queue = _queue(con) if has_rank else None
    flags = con.execute("select count(*) from flagged").fetchone()[0]
    checks = con.execute("select check_name, count(*) from flagged group by 1 order by 2 desc").fetchall()
    planted = sum(r[1] for r in by_kind)
    found = sum(r[2] for r in by_kind)
    return {"planted": planted, "found": found, "recall": round(found / planted, 3) if planted else None,
            "by_kind": {k: {"found": f, "planted": p, "recall": round(f / p, 3)} for k, p, f in by_kind},
            "statistic_flags": flags, "flags_by_check": dict(checks),
            "false_flag_series": false_series, "false_flag_share": round(false_series / series, 5), "queue": queue}


def _queue(con) -> dict:
    """Where the planted anomalies stand in the reviewer's open queue (impact_rank, 1 first), counted in
    units of review — a region × indicator × year's flags, which the queue keeps together: each anomaly
    at its unit's place; how many are within the first N units."""
    con.execute(
        """
        create temp table units as
        select region_code, indicator_code, year, row_number() over (order by min(impact_rank)) as unit_rank, count(*) as flags
        from flagged where impact_rank is not null group by all
        """
    )
    ranks = sorted(r[0] for r in con.execute(
        """
        select u.unit_rank from answers a
        join units u on u.region_code = a.region_code and u.indicator_code = a.indicator_code and u.year = left(a.period, 4)
        """
    ).fetchall())
    planted = con.execute("select count(*) from answers").fetchone()[0]
    open_flags, units = con.execute("select coalesce(sum(flags), 0), count(*) from units").fetchone()
    within = {n: sum(r <= n for r in ranks) for n in (planted, 2 * planted)}
    return {"open_flags": int(open_flags), "units": units, "planted": planted,
            "median_unit_rank": ranks[len(ranks) // 2] if ranks else None, "worst_unit_rank": ranks[-1] if ranks else None,
            "planted_within_first_units": {str(n): {"found": k, "share": round(k / planted, 3)} for n, k in within.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="About this many rows (whole regions); default every county")
    parser.add_argument("--regions", type=int, default=None, help="A seeded sample of this many county-level regions")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/planwatch-national"))
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated, of {', '.join(STEPS)}")
    parser.add_argument("--reuse", action="store_true", help="keep the generated files in the workdir if there")
    parser.add_argument("--code", type=Path, default=PROJECT,
                        help="checkout whose planwatch the steps run (e.g. /work/main for a before/after comparison)")
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}")

    from planwatch.config import get_paths

    reference = get_paths().reference_dir
    generated_dir = args.workdir / "generated"
    meta_path = generated_dir / "meta.json"
    if not (args.reuse and meta_path.exists()):
        shutil.rmtree(generated_dir, ignore_errors=True)
        # In a subprocess of its own: the kernel's peak RSS of a step would otherwise start at this
        # process's (the generator's arrays), since a child inherits its parent's pages at fork.
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _GENERATE, str(generated_dir), str(reference), str(args.regions or ""),
                        str(args.rows or ""), str(args.seed)], check=True, cwd=PROJECT, env={**os.environ, "PYTHONPATH": str(PROJECT)})
        print(f"generated {generated_dir / 'statistics.csv'} in {time.perf_counter() - started:.1f} s", flush=True)
    meta = json.loads(meta_path.read_text())
    print(f"{meta['rows']:,} rows, {meta['bytes'] / 1e9:.2f} GB: {meta['regions']} regions × {meta['indicators']} indicators "
          f"({meta['series']:,} series), {meta['anomalies']} planted anomalies (seed {meta['seed']})", flush=True)

    data_dir = args.workdir / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    incoming = data_dir / "incoming"
    incoming.mkdir(parents=True)
    files = [shutil.copy(generated_dir / name, incoming / name) for name in ("statistics.csv", "statistics_revisions.csv")]
    if "incremental" in steps:
        base, month = incoming / "statistics_base.csv", incoming / "statistics_new_month.csv"
        kept, held = split_new_month(files[0], base, month)
        print(f"incremental: {held:,} rows of {NEW_MONTH[0]}-{NEW_MONTH[1] + 1:02d} held back for a load of their own, "
              f"{kept:,} in the first load", flush=True)
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "PLANWATCH_DATA_DIR": str(data_dir)}
    results = []
    if "read_csv" in steps:
        results.append(run_step("read_csv", _READ_CSV, [str(files[0]), str(data_dir / "read_csv.duckdb")], env))
        (data_dir / "read_csv.duckdb").unlink(missing_ok=True)
    if "load" in steps:
        results.append(run_step("load", _LOAD, [str(base if "incremental" in steps else files[0])], env))
        results.append(run_step("load (rev)", _LOAD, [str(files[1])], env))
    if "build" in steps:
        results.append(run_step("build", _BUILD, [], env))
    if "incremental" in steps and not (results and results[-1]["step"] == "build" and results[-1]["exit"] == 0):
        sys.exit("the step incremental needs the step build, and it to succeed")
    if "incremental" in steps:
        paths = get_paths(data_dir=data_dir)
        results.append(run_step("publish", _PUBLISH, [], env))
        results.append(run_step("load (month)", _LOAD, [str(month)], env))
        results.append(run_step("build (incr)", _BUILD, [], env))
        incremental_db = data_dir / "incremental.duckdb"
        shutil.copy(paths.build_db, incremental_db)
        results.append(run_step("build (full)", _BUILD, ["--full-refresh"], env))
        differences = compare_marts(incremental_db, paths.build_db)
        different = {t: d for t, d in differences.items() if d != (0, 0)}
        incr, full = (next(r["seconds"] for r in results if r["step"] == name) for name in ("build (incr)", "build (full)"))
        incr_cpu, full_cpu = (next(r["cpu_seconds"] for r in results if r["step"] == name) for name in ("build (incr)", "build (full)"))
        print(f"incremental build {incr:.1f} s = {incr / full:.1%} of the full refresh's {full:.1f} s "
              f"(CPU {incr_cpu:.1f} s = {incr_cpu / full_cpu:.1%} of {full_cpu:.1f} s); marts: "
              f"{len(differences) - len(different)} of {len(differences)} tables the same"
              + (f", different: {different}" if different else ""), flush=True)
        incremental_db.unlink()
        results.append({"step": "incremental vs full", "share": round(incr / full, 3), "cpu_share": round(incr_cpu / full_cpu, 3),
                        "marts_tables": len(differences),
                        "marts_different": different})
    if "validate" in steps:
        planwatch = str(Path(sys.executable).parent / "planwatch")
        results.append(run_step("validate", [planwatch, "validate", "--no-publish"], [], env))
    paths = get_paths(data_dir=data_dir)
    summary = {"meta": meta, "code": str(args.code.resolve()), "steps": results}
    if paths.build_db.exists() and paths.raw_db.exists():
        summary["flags"] = recall(paths.build_db, paths.raw_db, generated_dir / "answers.csv", meta["series"])
        f = summary["flags"]
        print(f"planted anomalies found {f['found']}/{f['planted']} ({f['recall']:.1%})")
        for kind, k in f["by_kind"].items():
            print(f"{'':>12}{kind:<20} {k['found']}/{k['planted']} ({k['recall']:.1%})")
        print(f"false flags: {f['false_flag_series']:,} series flagged with no planted anomaly, "
              f"{f['false_flag_share']:.3%} of {meta['series']:,} series")
        print(f"statistic flags {f['statistic_flags']:,} {f['flags_by_check']}")
        if f["queue"]:
            q = f["queue"]
            tops = ", ".join(f"first {n}: {t['found']}/{q['planted']} ({t['share']:.0%})"
                             for n, t in q["planted_within_first_units"].items())
            print(f"review queue: {q['open_flags']:,} open flags in {q['units']:,} units (region × indicator × year) ranked by "
                  f"impact; planted anomalies within the {tops} units; median unit rank {q['median_unit_rank']}, "
                  f"worst {q['worst_unit_rank']}")
    (args.workdir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"summary: {args.workdir / 'summary.json'}")


if __name__ == "__main__":
    main()
