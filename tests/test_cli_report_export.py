"""`planwatch report` and `planwatch export` against a small published warehouse."""

from __future__ import annotations

from typer.testing import CliRunner

from planwatch.cli import app
from small_warehouse import make_warehouse

runner = CliRunner()


def test_report_and_export_commands_write_where_they_say(isolated_paths):
    isolated_paths.ensure()
    make_warehouse(isolated_paths.warehouse_db)
    report = runner.invoke(app, ["report"])
    assert report.exit_code == 0, report.output
    index = isolated_paths.data_dir / "report" / "index.html"
    assert report.stdout.strip() == str(index) and index.is_file()
    assert "泸溪县" in index.read_text(encoding="utf-8") or "大冶市" in index.read_text(encoding="utf-8")

    export = runner.invoke(app, ["export", "--format", "csv"])
    assert export.exit_code == 0, export.output
    files = [line for line in export.stdout.splitlines() if line.strip()]
    assert files and all(f.startswith(str(isolated_paths.data_dir / "export" / "csv")) for f in files)
    assert any(f.endswith("target_vs_actual.csv") for f in files)


def test_report_without_a_warehouse_says_so(isolated_paths):
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 2
    assert "planwatch.duckdb" in result.stderr


def test_version_names_planwatch_and_its_stack():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"planwatch {version('planwatch')}"
    assert f"  prefect {version('prefect')}" in lines and f"  dbt-core {version('dbt-core')}" in lines
