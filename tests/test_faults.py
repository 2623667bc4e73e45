"""Fault injection: real processes SIGKILLed at random points of a statistics load, a dbt build, a
validation and a publish, each on a copy of one good data directory.

After every kill: the published warehouse is the last good one and readable (read-only, marts
present, the same row counts); raw holds no partial load (every raw.statistic_values load_id has a
`loaded` raw.load_log row whose rows_loaded is its row count, and likewise for quarantine; no
orphan rows); and re-running the step completes and adds nothing twice (counts equal a clean
run's). Kill delays come from a seeded RNG (PLANWATCH_FAULT_SEED, default 20261201) over the
step's measured duration; PLANWATCH_FAULT_TRIALS scales the trials per step.

    .venv/bin/python -m pytest -q -s tests/test_faults.py    # prints the figures; test-output/faults.json
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import PLANWATCH, PROJECT_ROOT, REFERENCE, cli_env, copy_data_dir

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("PLANWATCH_FAULT_SEED", "20261201"))
SCALE = float(os.environ.get("PLANWATCH_FAULT_TRIALS", "1"))
TRIALS = {"statistics load": 3, "dbt build": 2, "validation": 2, "publish": 3}
BIG_ROWS = 200_000

BUILD = """
from planwatch.config import get_paths
from planwatch.dbt_runner import build_warehouse
result = build_warehouse(get_paths())
raise SystemExit(0 if result.success else 1)
"""

RECORD: dict[str, dict] = {}
RECORD_EXTRA: dict[str, list[str]] = {}


def trials(step: str) -> int:
    return max(1, round(TRIALS[step] * SCALE))


def kill_delays(rng: random.Random, n: int, lo: float, hi: float) -> list[float]:
    """n random delays, stratified: trial i draws from the i-th of n equal slices of [lo, hi],
    so the kills spread over the whole step (start, middle, end) whatever the seed."""
    return [lo + (hi - lo) * (i + rng.random()) / n for i in range(n)]


# --- what must hold after every fault -----------------------------------------------------

def marts_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


RAW_TABLES = ("statistic_values", "statistic_regions", "statistic_indicators", "statistic_periods", "statistic_units", "statistics_quarantine", "load_log", "plan_documents", "plan_targets", "plan_reported_actuals")


def raw_counts(raw_db: Path) -> dict[str, int]:
    con = duckdb.connect(str(raw_db), read_only=True)
    try:
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES if t != "load_log"}
        counts["load_log_loaded"] = con.execute("select count(*) from raw.load_log where status = 'loaded'").fetchone()[0]
        return counts
    finally:
        con.close()


def partial_loads(raw_db: Path) -> list[tuple]:
    """Loads whose rows do not match their `loaded` log row, and rows of no logged load."""
    con = duckdb.connect(str(raw_db), read_only=True)
    try:
        return con.execute("""
            with logged as (
                select load_id, rows_loaded, rows_quarantined from raw.load_log
                where kind = 'statistics_file' and status = 'loaded'
            ), s as (select load_id, count(*) as n from raw.statistic_values group by 1),
            q as (select load_id, count(*) as n from raw.statistics_quarantine group by 1)
            select 'statistics rows of no loaded load' as problem, s.load_id, s.n from s anti join logged using (load_id)
            union all
            select 'quarantine rows of no loaded load', q.load_id, q.n from q anti join logged using (load_id)
            union all
            select 'loaded count differs', l.load_id, coalesce(s.n, 0) from logged l left join s using (load_id)
            where l.rows_loaded <> coalesce(s.n, 0)
            union all
            select 'quarantined count differs', l.load_id, coalesce(q.n, 0) from logged l left join q using (load_id)
            where l.rows_quarantined <> coalesce(q.n, 0)
            union all
            select 'statistics rows without their keys', v.load_id, count(*) from raw.statistic_values v
            where not exists (select 1 from raw.statistic_regions k where k.load_id = v.load_id and k.region_key = v.region_key)
               or not exists (select 1 from raw.statistic_indicators k where k.load_id = v.load_id and k.indicator_key = v.indicator_key)
               or not exists (select 1 from raw.statistic_periods k where k.load_id = v.load_id and k.period_key = v.period_key)
               or not exists (select 1 from raw.statistic_units k where k.load_id = v.load_id and k.unit_key = v.unit_key)
            group by v.load_id
            union all
            select 'plan targets of no document', t.load_id, count(*) from raw.plan_targets t
            anti join raw.plan_documents d using (load_id) group by t.load_id
            union all
            select 'duplicate loaded content', file_sha256, count(*) from raw.load_log
            where kind = 'statistics_file' and status = 'loaded' group by file_sha256, coalesce(sheet, '') having count(*) > 1
        """).fetchall()
    finally:
        con.close()


def lost(expected: dict[str, int], actual: dict[str, int]) -> int:
    """Rows missing against the expected counts (extra rows are caught by the equality checks)."""
    return sum(max(0, n - actual.get(t, 0)) for t, n in expected.items())


# --- running and killing real processes ---------------------------------------------------

def start(data: Path, argv: list[str], stderr=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=PROJECT_ROOT, env=cli_env(data), stdout=subprocess.DEVNULL,
                            stderr=stderr, text=True, start_new_session=True)


def timed(data: Path, argv: list[str], timeout: float = 600) -> float:
    started = time.monotonic()
    proc = start(data, argv, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return time.monotonic() - started


def kill_after(data: Path, argv: list[str], delay: float, after=None) -> bool:
    """Run argv and SIGKILL its process group `delay` s after it started (or after `after(start_time)`
    first holds); True if it was killed (still running then)."""
    since = time.time()
    proc = start(data, argv)
    if after is not None:
        deadline = time.monotonic() + 600
        while proc.poll() is None and not after(since) and time.monotonic() < deadline:
            time.sleep(0.01)
    try:
        proc.wait(timeout=delay)
        return False  # finished first
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return True


def docs_written(data: Path):
    docs = data / "reports" / "data_docs" / "index.html"
    return lambda since: docs.exists() and docs.stat().st_mtime > since


def docs_to_exit(data: Path) -> float:
    """Seconds from the checkpoint writing its Data Docs to `planwatch validate` exiting (publishing is in there)."""
    since = time.time()
    proc = start(data, VALIDATE_CMD)
    written = docs_written(data)
    while proc.poll() is None and not written(since):
        time.sleep(0.01)
    at = time.monotonic()
    assert proc.wait(timeout=600) == 0
    return time.monotonic() - at


def load_cmd(csv: Path) -> list[str]:
    return [str(PLANWATCH), "load-stats", str(csv)]


BUILD_CMD = [sys.executable, "-c", BUILD]
VALIDATE_CMD = [str(PLANWATCH), "validate"]


# --- the module's good state, prepared once ----------------------------------------------

@pytest.fixture(scope="module")
def prepared(good_warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    spec = importlib.util.spec_from_file_location("planwatch_benchmark_load", PROJECT_ROOT / "benchmarks" / "load_statistics.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    csv = root / "monthly_statistics.csv"
    bench.generate(csv, BIG_ROWS, REFERENCE)

    good = {"marts": marts_counts(good_warehouse / "planwatch.duckdb"), "raw": raw_counts(good_warehouse / "raw_layer.duckdb")}
    assert not partial_loads(good_warehouse / "raw_layer.duckdb")

    loaded = copy_data_dir(good_warehouse, root / "clean-load")  # the clean run of the load step
    load_seconds = timed(loaded, load_cmd(csv))
    after_load = raw_counts(loaded / "raw_layer.duckdb")
    assert after_load["statistic_values"] > good["raw"]["statistic_values"]

    pending = copy_data_dir(good_warehouse, root / "pending")  # a complete build waiting to be published
    build_seconds = timed(pending, BUILD_CMD)
    assert marts_counts(pending / "build" / "planwatch.duckdb") == good["marts"]

    published = copy_data_dir(pending, root / "clean-publish")  # validate + publish, timed
    started = time.monotonic()
    publish_gap = docs_to_exit(published)  # and how long from its Data Docs to its end
    validate_seconds = time.monotonic() - started
    assert not (published / "build" / "planwatch.duckdb").exists()
    assert marts_counts(published / "planwatch.duckdb") == good["marts"]

    yield {
        "root": root, "csv": csv, "good": good, "after_load": after_load, "pending": pending,
        "seconds": {"statistics load": load_seconds, "dbt build": build_seconds, "validation": validate_seconds,
                    "publish": validate_seconds}, "publish_gap": publish_gap,
    }

    out = PROJECT_ROOT / "test-output"
    out.mkdir(exist_ok=True)
    total = {k: sum(r[k] for r in RECORD.values()) for k in ("trials", "killed", "survived", "rows_lost")}
    (out / "faults.json").write_text(json.dumps({"seed": SEED, "steps": RECORD, "total": total}, indent=1, ensure_ascii=False),
                                     encoding="utf-8")
    print(f"\nfault injection (seed {SEED}): {total['killed']} processes killed mid-step in {total['trials']} trials, "
          f"{total['survived']} trials with every check passing, {total['rows_lost']} rows lost")
    for step, r in RECORD.items():
        when = (f"kill delays {r['delays']} s after the Data Docs, {r['docs_to_exit_seconds']} s before the end"
                if "docs_to_exit_seconds" in r else f"kill delays {r['delays']} s of a {r['step_seconds']} s step")
        print(f"  {step:16s} trials {r['trials']}, killed {r['killed']}, survived {r['survived']}, "
              f"rows lost {r['rows_lost']}, {when}" + (f"; state after the kill {r['state_after_kill']}"
                                                        if r.get("state_after_kill") else ""))


def fresh(prepared, source: Path, name: str) -> Path:
    return copy_data_dir(source, prepared["root"] / name)


class Trial:
    """One fault: collects what went wrong (instead of stopping at the first), records, then asserts."""

    def __init__(self, step: str, delay: float, seconds: float):
        self.step, self.delay, self.seconds = step, delay, seconds
        self.killed, self.rows_lost, self.problems = False, 0, []

    def check(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.problems.append(f"{self.step}, kill at {self.delay:.2f} s: {problem}")
        return ok

    def published_is_good(self, data: Path, good: dict) -> None:
        """Readable read-only, every mart there, the good counts."""
        try:
            counts = marts_counts(data / "planwatch.duckdb")
        except duckdb.Error as exc:
            self.check(False, f"published warehouse unreadable: {exc}")
            self.rows_lost += sum(good["marts"].values())
            return
        self.rows_lost += lost(good["marts"], counts)
        self.check(counts == good["marts"], f"published marts {counts} != {good['marts']}")

    def raw_is_whole(self, data: Path, expected: dict | tuple[dict, ...]) -> dict:
        raw = data / "raw_layer.duckdb"
        problems = partial_loads(raw)
        self.check(not problems, f"partial loads in raw: {problems}")
        counts = raw_counts(raw)
        options = expected if isinstance(expected, tuple) else (expected,)
        if counts not in options:
            self.rows_lost += min(lost(o, counts) for o in options)
            self.check(False, f"raw counts {counts} not in {options}")
        return counts

    def done(self) -> None:
        r = RECORD.setdefault(self.step, {"trials": 0, "killed": 0, "survived": 0, "rows_lost": 0, "delays": [],
                                          "step_seconds": round(self.seconds, 1), "problems": []})
        r["trials"] += 1
        r["killed"] += int(self.killed)
        r["survived"] += int(not self.problems)
        r["rows_lost"] += self.rows_lost
        r["delays"].append(round(self.delay, 2))
        r["problems"] += self.problems


def rerun(trial: Trial, data: Path, argv: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=PROJECT_ROOT, env=cli_env(data), capture_output=True, text=True, timeout=900)
    trial.check(done.returncode == 0 and "Traceback" not in done.stderr,
                f"re-run `{' '.join(argv[-2:])}` exit {done.returncode}: {done.stderr[-1500:]}")
    return done


def assert_all_survived(step: str) -> None:
    assert not RECORD[step]["problems"], "\n".join(RECORD[step]["problems"])


# --- the faults ---------------------------------------------------------------------------

def test_killed_statistics_loads(prepared, good_warehouse):
    step, rng = "statistics load", random.Random(f"{SEED}-load")
    seconds, good = prepared["seconds"][step], prepared["good"]
    for i, delay in enumerate(kill_delays(rng, trials(step), 0.3, 0.95 * seconds)):
        data = fresh(prepared, good_warehouse, f"load-{i}")
        t = Trial(step, delay, seconds)
        t.killed = kill_after(data, load_cmd(prepared["csv"]), t.delay)
        t.raw_is_whole(data, (good["raw"], prepared["after_load"]))  # all of the load or none of it
        t.published_is_good(data, good)
        rerun(t, data, load_cmd(prepared["csv"]))  # completes and adds nothing twice
        t.raw_is_whole(data, prepared["after_load"])
        t.check(not list((data / "landing").glob("tmp*")), "temporary folder of the killed load left behind")
        t.done()
    assert_all_survived(step)


def test_killed_dbt_builds(prepared, good_warehouse):
    step, rng = "dbt build", random.Random(f"{SEED}-build")
    seconds, good = prepared["seconds"][step], prepared["good"]
    for i, delay in enumerate(kill_delays(rng, trials(step), 1.0, 0.95 * seconds)):
        data = fresh(prepared, good_warehouse, f"build-{i}")
        t = Trial(step, delay, seconds)
        t.killed = kill_after(data, BUILD_CMD, t.delay)
        t.published_is_good(data, good)
        t.raw_is_whole(data, good["raw"])
        state = data / "build" / "build.json"
        status = json.loads(state.read_text())["status"] if state.exists() else None
        half_built = (data / "build" / "planwatch.duckdb").exists()
        # A kill after dbt build finished (while dbt writes its docs) leaves a complete build: publishable.
        finished = status == "complete"
        t.check(finished if not t.killed else status in (None, "building", "complete"), f"build state {status}")
        if t.killed and finished:
            t.check(half_built, "a complete build without its file")
        if t.killed and half_built and not finished:  # the half-built file is neither validated nor published
            check = rerun(t, data, VALIDATE_CMD)
            t.check("is incomplete (dbt build did not finish" in check.stderr, f"validate said: {check.stderr[-500:]}")
            t.check(f"validated {data / 'planwatch.duckdb'}" in check.stdout, f"validate checked: {check.stdout[-500:]}")
            t.check("published" not in check.stdout.split("quality report")[-1], "a half-built file was published")
            t.published_is_good(data, good)
        RECORD_EXTRA.setdefault(step, []).append("killed after the build finished" if t.killed and finished else
                                                 "half-built file" if half_built and t.killed else
                                                 "killed before dbt wrote" if t.killed else "finished")
        rerun(t, data, BUILD_CMD)  # a complete build with the good counts
        t.check(marts_counts(data / "build" / "planwatch.duckdb") == good["marts"], "rebuild counts differ")
        t.done()
    RECORD[step]["state_after_kill"] = RECORD_EXTRA.pop(step, [])
    assert_all_survived(step)


def test_killed_validations(prepared, good_warehouse):
    step, rng = "validation", random.Random(f"{SEED}-validate")
    seconds, good = prepared["seconds"][step], prepared["good"]
    for i, delay in enumerate(kill_delays(rng, trials(step), 0.3, 0.95 * seconds)):
        data = fresh(prepared, good_warehouse, f"validate-{i}")
        mtime = (data / "planwatch.duckdb").stat().st_mtime_ns
        t = Trial(step, delay, seconds)
        t.killed = kill_after(data, VALIDATE_CMD, t.delay)
        t.published_is_good(data, good)
        t.check((data / "planwatch.duckdb").stat().st_mtime_ns == mtime, "published warehouse was replaced")
        rerun(t, data, VALIDATE_CMD)
        t.published_is_good(data, good)
        t.raw_is_whole(data, good["raw"])
        t.done()
    assert_all_survived(step)


def test_killed_publishes(prepared):
    step, rng = "publish", random.Random(f"{SEED}-publish")
    seconds, good = prepared["seconds"][step], prepared["good"]
    outcomes = []
    # around the rename: a random delay after the checkpoint wrote its Data Docs, the step before publishing
    for i, delay in enumerate(kill_delays(rng, trials(step), 0.0, prepared["publish_gap"])):
        data = fresh(prepared, prepared["pending"], f"publish-{i}")
        t = Trial(step, delay, seconds)
        t.killed = kill_after(data, VALIDATE_CMD, t.delay, after=docs_written(data))
        t.published_is_good(data, good)  # the old good warehouse or the new one, never a mix
        outcomes.append("pending" if (data / "build" / "planwatch.duckdb").exists() else "published")
        rerun(t, data, VALIDATE_CMD)  # completes; publishes what is still pending
        t.published_is_good(data, good)
        t.check(not (data / "build" / "planwatch.duckdb").exists(), "build still pending after the re-run")
        t.raw_is_whole(data, good["raw"])
        t.done()
    RECORD[step]["state_after_kill"] = outcomes
    RECORD[step]["docs_to_exit_seconds"] = round(prepared["publish_gap"], 2)
    assert_all_survived(step)
