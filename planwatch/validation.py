"""Great Expectations over the warehouse (the one place that validates).

The GX project is file-based, in expectations/gx: suites, validation
definitions and one checkpoint are committed there. GX's SQL datasource cannot
read DuckDB (rows vanish when its connection closes, and duckdb_engine is not
installed), and GX over pandas frames of every row took 693 s and 18 GB at
national scale (issue 14). So the expectations are validated where the data is:
planwatch.validation_sql runs each one as SQL in the warehouse (DuckDB or
PostgreSQL) — exact counts of the rows it looks at, the non-null ones and the
unexpected ones, and its most common unexpected values — and each run writes,
per table, a Parquet frame of only a bounded sample of failing rows (at most
SAMPLE_ROWS per expectation, with their identities) under the data directory.
The checkpoint runs over those frames (a pandas filesystem datasource whose
base directory is relative, "frames", so the run happens inside the run's
validation folder); its verdicts must agree with the SQL's, and the exact
counts are written into GX's results before Data Docs are drawn, so GX stays
the record and the report. `validate_warehouse(..., sample=None)` still gives
GX every row (the reference the pushdown is tested against). Validation
results and Data Docs go to the data directory through the environment
variables great_expectations.yml names.

Every frame starts with the columns that say which row it is, readable: `region` (the region's
name), `indicator` (the catalog code, or the name as written when unmapped), `period` (the target
year, the statistic's period label …), `value`, then `row_key` (the table's key: flag_key for
marts.quality_flags, target_id, statistic_id …, the handle `planwatch flags decide` and
corrections take). The checkpoint asks for COMPLETE results indexed by these columns, so Data Docs
and the summary list each failed expectation's rows as e.g. 大冶市 | high_tech_enterprises | 2025 |
400 | <key>, not just a count or a hash (GX lists at most 200 per expectation; so does the sample).

Each run is named (`planwatch-build-<build start>` for a pending build, `planwatch-<UTC time>`
otherwise) and its Data Docs are rewritten to load only local files (planwatch.data_docs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from planwatch.config import GX_PROJECT_DIR, Paths

log = logging.getLogger(__name__)

CHECKPOINT = "warehouse_checkpoint"
DATASOURCE = "warehouse_frames"
INDEX_COLUMN = "row_key"
# Readable identity of a frame's row: each is the first non-null of the table's candidate columns
# (region_name comes from marts.dim_region when the table has only region_code).
IDENTITY_COLUMNS = {
    "region": ("region_name", "region_code"),
    "indicator": ("indicator_code", "indicator_as_written", "indicator_name"),
    "period": ("period_label", "period", "target_year", "year"),
    "value": ("value", "target_value", "value_as_written"),
}
INDEX_COLUMNS = [*IDENTITY_COLUMNS, INDEX_COLUMN]
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS}
# GX is shown at most this many unexpected rows per expectation (with their identities), as many as GX itself
# lists (great_expectations.constants.MAX_RESULT_RECORDS); its counts are the warehouse's, over every row
# (planwatch.validation_sql)
SAMPLE_ROWS = 200


def _suites():
    """Suite name → (warehouse table, key column(s), expectations). Severity 'critical' blocks publishing.

    The key is the first of the named columns the table has; it becomes the frame's row_key.
    """
    import great_expectations.expectations as gxe

    from planwatch.plans.cells import TARGET_TYPES
    from planwatch.statuses import load_statuses

    target_types = list(TARGET_TYPES)
    statuses = [s.code for s in load_statuses()]
    return {
        "plan_targets_suite": ("marts.fct_plan_target", "target_id", [
            gxe.ExpectColumnValuesToNotBeNull(column="target_id"),
            gxe.ExpectColumnValuesToBeUnique(column="target_id"),
            gxe.ExpectColumnValuesToBeInSet(column="target_type", value_set=target_types),
            gxe.ExpectColumnValuesToBeBetween(column="target_year", min_value=2000, max_value=2100),
            # Every target read from a document names its line; one typed by hand may not (a plan that cannot be
            # read has no lines): its provenance is its line of seeds/reference/manual_targets.csv.
            gxe.ExpectColumnValuesToNotBeNull(column="source_line", row_condition='entered_by!="manual"',
                                              condition_parser="pandas"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="indicator_code", severity="warning",
                description="Indicator names the catalog could not match (unmapped): their queue is marts.unmapped_indicators; add aliases.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="unit_issue", severity="warning",
                description="Targets whose unit cannot be converted to the indicator's canonical unit.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="conflict_group", severity="warning",
                description="The document states the same target with different values (e.g. prose against its table).",
            ),
        ]),
        "statistics_suite": ("marts.fct_statistic", "statistic_id", [
            gxe.ExpectColumnValuesToNotBeNull(column="statistic_id"),
            gxe.ExpectColumnValuesToBeUnique(column="statistic_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="value"),
            gxe.ExpectColumnValuesToNotBeNull(column="region_code"),
            gxe.ExpectColumnValuesToBeInSet(column="period_type", value_set=["year", "quarter", "month", "ytd", "multi_year"]),
        ]),
        "target_vs_actual_suite": ("marts.target_vs_actual", ("target_vs_actual_id", "plan_id"), [
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=statuses),
            gxe.ExpectColumnValuesToNotBeNull(column="status"),
            gxe.ExpectColumnValuesToBeBetween(
                column="elapsed_share", min_value=0, max_value=1.5, severity="warning",
                description="Share of the plan period elapsed at the actual's period end.",
            ),
        ]),
        # Quality flags (dbt models/quality → marts.quality_flags): an open error-severity flag
        # blocks publishing until a reviewer decides it (seeds/reference/corrections.csv);
        # open warnings are listed but never block.
        "quality_flags_suite": ("marts.quality_flags", "flag_key", [
            gxe.ExpectColumnValuesToNotBeNull(column="flag_key"),
            gxe.ExpectColumnValuesToBeUnique(column="flag_key"),
            gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=["error", "warning"]),
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["open", "accepted", "corrected", "excluded"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="blocks_publishing", value_set=[False],
                description="Open error-severity quality flags (a value that cannot be right: decimal shift, unit, "
                            "impossible share or count, year-to-date falling). Publishing waits for a reviewer's "
                            "decision: planwatch flags --open, then planwatch flags decide FLAG_KEY.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="needs_review", value_set=[False], severity="warning",
                description="Open warning-severity quality flags for a reviewer (never block publishing): "
                            "planwatch flags --open.",
            ),
        ]),
    }


def _key_columns(key) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else tuple(key)


class WarehouseUnreadable(RuntimeError):
    """The file to validate is not a readable DuckDB warehouse with the validated tables."""


@dataclass
class ValidationSummary:
    success: bool
    run_name: str = ""
    evaluated: int = 0
    failed: int = 0
    failed_errors: int = 0
    failed_warnings: int = 0
    failures: list[dict] = field(default_factory=list)
    data_docs_index: Path | None = None
    data_docs_notice: str | None = None  # why Data Docs are not offline, when they are not


def gx_environment(paths: Paths) -> dict[str, str]:
    return {
        "PLANWATCH_GX_VALIDATIONS_DIR": str(paths.reports_dir / "gx_validations") + "/",
        "PLANWATCH_DATA_DOCS_DIR": str(paths.data_docs_dir) + "/",
        "GX_ANALYTICS_ENABLED": "false",
    }


def _context(paths: Paths):
    import great_expectations as gx

    os.environ.update(gx_environment(paths))
    return gx.get_context(mode="file", project_root_dir=str(GX_PROJECT_DIR))


def ensure_gx_project(paths: Paths):
    """Create what is missing in expectations/gx; update a suite only when its expectations changed."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    context = _context(paths)
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        datasource = context.data_sources.add_pandas_filesystem(DATASOURCE, base_directory="frames")
    definitions = []
    for suite_name, (table, key, expectations) in _suites().items():
        asset_name = table.split(".")[-1]
        try:
            asset = datasource.get_asset(asset_name)
        except LookupError:
            asset = datasource.add_parquet_asset(asset_name)
        try:
            batch = asset.get_batch_definition("whole_table")
        except (KeyError, ValueError, LookupError):
            batch = asset.add_batch_definition_path("whole_table", path=f"{asset_name}.parquet")
        try:
            suite = context.suites.get(suite_name)
            if _expectation_configs(suite.expectations) != _expectation_configs(expectations):
                suite.expectations = []
                for e in expectations:
                    suite.add_expectation(e)
                suite.save()
        except Exception:
            suite = context.suites.add(gx.ExpectationSuite(name=suite_name, expectations=expectations))
        vd_name = suite_name.replace("_suite", "_vd")
        try:
            vd = context.validation_definitions.get(vd_name)
        except Exception:
            vd = context.validation_definitions.add(gx.ValidationDefinition(name=vd_name, data=batch, suite=suite))
        definitions.append(vd)
    try:
        checkpoint = context.checkpoints.get(CHECKPOINT)
    except Exception:
        checkpoint = None
    if checkpoint is not None and (
        sorted(vd.name for vd in checkpoint.validation_definitions) != sorted(vd.name for vd in definitions)
        or _result_format_dict(checkpoint.result_format) != RESULT_FORMAT
    ):
        # A suite was added or the result format changed: rewrite the checkpoint, same name.
        context.checkpoints.delete(CHECKPOINT)
        checkpoint = None
    if checkpoint is None:
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            actions=[UpdateDataDocsAction(name="update_data_docs")],
            result_format=dict(RESULT_FORMAT),
        ))
    return context, checkpoint


def _result_format_dict(result_format) -> dict:
    if isinstance(result_format, dict):
        return {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in result_format.items()}
    return {"result_format": str(result_format)}


def _expectation_configs(expectations) -> list[tuple]:
    return sorted(
        (e.expectation_type, repr(sorted((k, str(v)) for k, v in e.configuration.kwargs.items())), str(e.severity), e.description or "")
        for e in expectations
    )


def _identity_select(columns: set[str], has_dim_region: bool) -> tuple[list[str], list[str]]:
    """SQL expressions naming each identity column, and the table's own columns they replace.

    A table's own column of the identity's name is used as it is (expectations check it).
    """
    exprs, replaced = [], []
    for name, candidates in IDENTITY_COLUMNS.items():
        if name in columns:
            exprs.append(f"t.{name}")
            replaced.append(name)
            continue
        parts = []
        for c in candidates:
            if c in columns:
                parts.append(f"cast(t.{c} as varchar)" if name == "period" else f"t.{c}")
            elif c == "region_name" and has_dim_region and "region_code" in columns:
                parts.append("(select min(r.region_name) from marts.dim_region r where r.region_code = t.region_code)")
        expr = f"coalesce({', '.join(parts)})" if len(parts) > 1 else (parts[0] if parts else "null")
        exprs.append(f"{expr} as {name}")
    return exprs, replaced


def _table_select(reader, table: str, key, has_dim_region: bool) -> tuple[list[str], str, str]:
    """(the table's columns, the frame's select list — identity columns, row_key, the rest —, the key column or '')."""
    schema, name = table.split(".")
    ordered = reader.columns(schema, name)
    if not ordered:
        raise WarehouseUnreadable(f"{reader.where} cannot be read as a planwatch warehouse ({table} is missing)")
    columns = set(ordered)
    key_column = next((k for k in _key_columns(key) if k in columns), None)
    row_key = f"cast(t.{key_column} as varchar)" if key_column else "cast(row_number() over () as varchar)"
    identity, replaced = _identity_select(columns, has_dim_region)
    rest = [f't."{c}"' for c in ordered if c not in replaced]
    return ordered, ", ".join([*identity, f"{row_key} as {INDEX_COLUMN}", *rest]), key_column or ""


def export_frames(db_path: Path, frames_dir: Path, build: bool = False, sample: int | None = None,
                  suites: dict | None = None):
    """Write each validated table's frame to Parquet, identity columns first, read through the warehouse reader
    (the DuckDB file, or PostgreSQL's live or build schemas).

    sample None: every row of every table (GX then computes everything; small warehouses, and the reference
    the pushdown is tested against). sample N: the expectations are pushed down to the warehouse as SQL
    (planwatch.validation_sql): each expectation's exact counts come back as aggregates, and the frame holds
    only up to N of its failing rows (with their identities), for GX to evaluate and Data Docs to show.
    suites: {suite name: expectations} (the stored suites' objects, whose ids the counts carry; default _suites()).
    Returns {table: Parquet path} and, when sampled, {suite: [ExpectationCounts]} (else {}).
    """
    import pyarrow.parquet as pq

    from planwatch.validation_sql import pushdown_table
    from planwatch.warehouse import read_warehouse

    frames_dir.mkdir(parents=True, exist_ok=True)
    out, counts = {}, {}
    with read_warehouse(db_path, build=build) as reader:
        has_dim_region = "region_name" in reader.columns("marts", "dim_region")
        for suite_name, (table, key, coded) in _suites().items():
            expectations = (suites or {}).get(suite_name, coded)
            name = table.split(".")[1]
            ordered, select, key_column = _table_select(reader, table, key, has_dim_region)
            path = frames_dir / f"{name}.parquet"
            if sample is None:
                pq.write_table(reader.arrow(f"select {select} from {table} t"), path)
            else:
                frame, counts[suite_name] = pushdown_table(reader, table, select, key_column, set(ordered),
                                                           expectations, sample)
                pq.write_table(frame, path)
            out[table] = path
    return out, counts


def psycopg2_errors() -> tuple[type[BaseException], ...]:
    """PostgreSQL's errors, when its driver is installed (the DuckDB warehouse does not need it)."""
    try:
        import psycopg2
    except ImportError:
        return ()
    return (psycopg2.Error,)


def run_name(paths: Paths, db_path: Path) -> str:
    """The name Data Docs list the run by: the pending build's start, else the validation's UTC time."""
    from planwatch.builds import read_state

    state = read_state(paths) if Path(db_path) == Path(paths.build_db) else None
    if state and state.get("started_at"):
        return "planwatch-build-" + re.sub(r"[^0-9TZ]", "", str(state["started_at"]))
    return "planwatch-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


class PushdownMismatch(RuntimeError):
    """GX's verdict on the sampled rows differs from the SQL counts: an expectation is translated wrongly."""


def _complete_results(context, result, counts: dict[str, list]) -> None:
    """Write the warehouse's exact counts into GX's results, name every result's index columns, redraw the pages.

    counts (export_frames with a sample): per suite, each expectation's counts over the whole table; GX
    evaluated only the sampled rows, so its element and unexpected counts are the sample's. GX's verdict on
    the sample must be the SQL's verdict on the table (planwatch.validation_sql); a difference raises.

    GX 1.24's expect_column_values_to_be_null leaves unexpected_index_column_names out of its
    result (the other expectations keep it), and Data Docs then print each offending row as a
    Python dict instead of a table of region, indicator, period, value and key.
    """
    fixed = []
    for identifier, run in result.run_results.items():
        by_id = {c.expectation_id: c for c in counts.get(run.suite_name, [])}
        changed = False
        for r in run.results:
            res = r.result if r.result is not None else {}
            exact = by_id.get(str(r.expectation_config.id)) if by_id else None
            if by_id and exact is None:
                raise PushdownMismatch(f"{run.suite_name}: {r.expectation_config.type} on "
                                       f"{r.expectation_config.kwargs.get('column')} was not pushed down")
            if exact is not None and not exact.evaluated and r.success:
                # a column the table lacks (GX over the sample may see only an identity column of that name)
                r.success = False
                r.exception_info = {"raised_exception": True, "exception_traceback": None,
                                    "exception_message": f"{exact.column} is not a column of the table"}
                changed = True
            if exact is not None and exact.evaluated:
                raised = bool((r.exception_info or {}).get("raised_exception"))
                if bool(r.success) != exact.success and not raised:
                    raise PushdownMismatch(
                        f"{run.suite_name}: {exact.expectation_type} on {exact.column}: GX says "
                        f"{'pass' if r.success else 'fail'} on the sampled rows, the warehouse counts "
                        f"{exact.unexpected_count} unexpected of {exact.element_count}")
                res.update(exact.result_fields())
                r.meta = {**(r.meta or {}), "planwatch": {
                    "evaluated_in": "warehouse (SQL)", "rows_listed": exact.sampled_rows,
                    "note": (f"counts over all {exact.element_count} rows; the first {exact.sampled_rows} unexpected rows "
                             "are listed") if exact.unexpected_count > exact.sampled_rows else
                            f"counts over all {exact.element_count} rows"}}
                changed = True
            index = res.get("unexpected_index_list")
            if index and isinstance(index[0], dict) and not res.get("unexpected_index_column_names"):
                res["unexpected_index_column_names"] = list(INDEX_COLUMNS)
                changed = True
        if changed:
            passed = sum(bool(r.success) for r in run.results)
            run.success = passed == len(run.results)
            run.statistics = {**run.statistics, "successful_expectations": passed,
                              "unsuccessful_expectations": len(run.results) - passed,
                              "success_percent": passed / len(run.results) * 100 if run.results else None}
            context.validation_results_store.set(identifier, run)
            fixed.append(identifier)
    if fixed:
        context.build_data_docs(resource_identifiers=fixed, build_index=False)


def _row_identity(index: dict) -> str:
    """One offending row as the summary shows it: region | indicator | period | value | key."""
    def text(v) -> str:
        if v is None or (isinstance(v, float) and v != v):  # null (NaN in a float column of a small sample)
            return ""
        return f"{v:g}" if isinstance(v, float) else str(v)  # 400, not 400.0

    return " | ".join(text(index.get(c)) for c in INDEX_COLUMNS)


def validate_warehouse(paths: Paths, db_path: Path | None = None, name: str | None = None,
                       build: bool | None = None, sample: int | None = SAMPLE_ROWS) -> ValidationSummary:
    """Run the checkpoint over the tables of db_path (the build file by default); build offline Data Docs.

    name: the run's name in Data Docs (default: run_name()). build: read the pending build (on PostgreSQL
    its build schemas; default: whether db_path is the build file). sample: the expectations run as SQL in
    the warehouse and GX sees at most this many failing rows per expectation (export_frames); None: GX
    reads every row of every table.
    """
    from great_expectations.core.run_identifier import RunIdentifier

    from planwatch.data_docs import MissingVendorPackage, make_offline
    from planwatch.warehouse import NoWarehouseYet

    db_path = Path(db_path or paths.build_db)
    build = (db_path == Path(paths.build_db)) if build is None else build
    run_dir = paths.reports_dir / "validation"
    frames_dir = run_dir / "frames"
    shutil.rmtree(frames_dir, ignore_errors=True)  # no frame of an earlier run (or table) stays beside this run's
    frames_dir.mkdir(parents=True)
    with contextlib.chdir(run_dir):  # the datasource's "frames" folder is this run's
        context, checkpoint = ensure_gx_project(paths)
        # the expectations GX runs (the stored suites, ids and all) are the ones pushed down
        suites = {vd.suite.name: vd.suite.expectations for vd in checkpoint.validation_definitions}
        try:
            _, counts = export_frames(db_path, frames_dir, build, sample=sample, suites=suites)
        except (duckdb.Error, NoWarehouseYet, *psycopg2_errors()) as exc:  # a corrupt, truncated or foreign file, or one without the marts
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            from planwatch.config import postgres_warehouse
            from planwatch.warehouse import where

            label = where(paths, build) if postgres_warehouse() is not None else db_path
            raise WarehouseUnreadable(f"{label} cannot be read as a planwatch warehouse ({detail})") from exc
        run_id = RunIdentifier(run_name=name or run_name(paths, db_path), run_time=datetime.now(timezone.utc))
        result = checkpoint.run(run_id=run_id)
        _complete_results(context, result, counts)
    summary = ValidationSummary(success=True, run_name=run_id.run_name)
    if paths.data_docs_dir.exists():
        try:
            make_offline(paths.data_docs_dir)
        except MissingVendorPackage as exc:  # the docs are a view: a missing install must not block publishing
            summary.data_docs_notice = f"Data Docs still load from CDNs: {exc}"
            log.warning(summary.data_docs_notice)
    for run in result.run_results.values():
        suite = run.suite_name
        for r in run.results:
            summary.evaluated += 1
            if r.success:
                continue
            severity = str(r.expectation_config.severity).split(".")[-1].lower()
            summary.failed += 1
            if severity == "critical":
                summary.failed_errors += 1
            else:
                summary.failed_warnings += 1
            summary.failures.append({
                "suite": suite,
                "expectation": r.expectation_config.type,
                "column": r.expectation_config.kwargs.get("column"),
                "severity": "error" if severity == "critical" else severity,
                "unexpected_count": r.result.get("unexpected_count"),
                "sample": [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
                "rows": [_row_identity(i) if isinstance(i, dict) else str(i)
                         for i in (r.result.get("unexpected_index_list") or [])[:20]],
            })
    summary.success = summary.failed_errors == 0
    index = paths.data_docs_dir / "index.html"
    summary.data_docs_index = index if index.exists() else None
    return summary
