"""Great Expectations over the warehouse (the one place that validates).

The GX project is file-based, in expectations/gx: suites, validation
definitions and one checkpoint are committed there. Each run exports the
tables to validate as Parquet frames under the data directory and runs the
checkpoint over them; GX reads them through a pandas filesystem datasource
whose base directory is relative ("frames"), so the run happens inside the
run's validation folder. GX's SQL datasource cannot read DuckDB reliably
(rows vanish when its connection closes), hence the frames. Validation
results and Data Docs go to the data directory through the environment
variables great_expectations.yml names.

Every frame carries a `row_key` column (the table's key: flag_key for
marts.quality_flags, target_id, statistic_id …) and the checkpoint asks for
COMPLETE results indexed by it, so Data Docs list the offending rows of each
failed expectation by key, not just a count.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from planwatch.config import GX_PROJECT_DIR, Paths

CHECKPOINT = "warehouse_checkpoint"
DATASOURCE = "warehouse_frames"
INDEX_COLUMN = "row_key"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": [INDEX_COLUMN]}


def _suites():
    """Suite name → (warehouse table, key column(s), expectations). Severity 'critical' blocks publishing.

    The key is the first of the named columns the table has; it becomes the frame's row_key.
    """
    import great_expectations.expectations as gxe

    from planwatch.plans.cells import TARGET_TYPES

    target_types = list(TARGET_TYPES)
    statuses = ["achieved", "ahead", "on_track", "needs_acceleration", "well_behind", "regressing", "binding_behind",
                "no_data", "not_comparable", "too_early"]
    return {
        "plan_targets_suite": ("marts.fct_plan_target", "target_id", [
            gxe.ExpectColumnValuesToNotBeNull(column="target_id"),
            gxe.ExpectColumnValuesToBeUnique(column="target_id"),
            gxe.ExpectColumnValuesToBeInSet(column="target_type", value_set=target_types),
            gxe.ExpectColumnValuesToBeBetween(column="target_year", min_value=2000, max_value=2100),
            gxe.ExpectColumnValuesToNotBeNull(column="source_line"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="indicator_code", severity="warning",
                description="Indicator names the catalog could not match (unmapped); review and add aliases.",
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
    evaluated: int = 0
    failed: int = 0
    failed_errors: int = 0
    failed_warnings: int = 0
    failures: list[dict] = field(default_factory=list)
    data_docs_index: Path | None = None


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


def export_frames(db_path: Path, frames_dir: Path) -> dict[str, Path]:
    """Copy each validated table to Parquet, read-only, with DuckDB's own writer."""
    frames_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table, key, _ in _suites().values():
            schema, name = table.split(".")
            columns = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, name]).fetchall()}
            key_column = next((k for k in _key_columns(key) if k in columns), None)
            row_key = f"{key_column}::varchar" if key_column else "(row_number() over ())::varchar"
            path = frames_dir / f"{name}.parquet"
            con.execute(f"copy (select {row_key} as {INDEX_COLUMN}, * from {table}) to '{path}' (format parquet)")
            out[table] = path
    finally:
        con.close()
    return out


def validate_warehouse(paths: Paths, db_path: Path | None = None) -> ValidationSummary:
    """Run the checkpoint over the tables of db_path (the build file by default); build Data Docs."""
    db_path = Path(db_path or paths.build_db)
    run_dir = paths.reports_dir / "validation"
    try:
        export_frames(db_path, run_dir / "frames")
    except duckdb.Error as exc:  # a corrupt, truncated or foreign file, or one without the marts
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarehouseUnreadable(f"{db_path} cannot be read as a planwatch warehouse ({detail})") from exc
    with contextlib.chdir(run_dir):  # the datasource's "frames" folder is this run's
        context, checkpoint = ensure_gx_project(paths)
        result = checkpoint.run()
    summary = ValidationSummary(success=True)
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
                "rows": [str(i.get(INDEX_COLUMN)) if isinstance(i, dict) else str(i)
                         for i in (r.result.get("unexpected_index_list") or [])[:20]],
            })
    summary.success = summary.failed_errors == 0
    index = paths.data_docs_dir / "index.html"
    summary.data_docs_index = index if index.exists() else None
    return summary
