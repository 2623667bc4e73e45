"""The static HTML progress report (see build.py)."""

from planwatch.report.build import build_report, status_counts_table

__all__ = ["build_report", "status_counts_table"]
