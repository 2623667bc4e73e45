"""What `planwatch run` prints: one line per step with its counts, the summary, and where the full log is.

Issue 12: the command printed ~50 lines of Prefect logs; they now go to logs/run-<time>.log
(and the Prefect UI), shown on the terminal only with --verbose.
"""

from __future__ import annotations

import re


def test_run_prints_one_line_per_step_and_the_summary(good_warehouse):
    stdout = (good_warehouse.parent / "run.stdout").read_text(encoding="utf-8")
    steps = [line for line in stdout.splitlines() if re.match(r"\[\d/5\] ", line)]
    assert [s.split(":")[0] for s in steps] == [
        "[1/5] ingest plans", "[2/5] load statistics", "[3/5] build warehouse", "[4/5] validate", "[5/5] report"]
    assert re.search(r"\[1/5\] ingest plans: 5 documents, \d+ targets, \d+ reported figures, 0 refused", stdout)
    assert "planwatch run finished" in stdout
    # No Prefect log records on the terminal (they look like "12:00:00.123 | INFO    | Flow run ...").
    assert not re.search(r"\|\s*INFO\s*\|", stdout)


def test_full_log_goes_to_the_file_the_command_names(good_warehouse):
    stderr = (good_warehouse.parent / "run.stderr").read_text(encoding="utf-8")
    assert not re.search(r"\|\s*INFO\s*\|", stderr)
    m = re.search(r"planwatch run: full log in (\S+\.log)", stderr)
    assert m, stderr[-2000:]
    log = open(m.group(1), encoding="utf-8").read()
    assert "Finished in state Completed" in log and "[5/5] report" in log


def test_dbt_docs_are_one_page_that_opens_from_disk(good_warehouse):
    """Issue 12: dbt's index.html never loads from file:// (it fetches manifest.json and catalog.json)."""
    from planwatch.dbt_runner import DOCS_PAGE

    page = good_warehouse / "dbt" / "target" / DOCS_PAGE
    html = page.read_text(encoding="utf-8")
    # The manifest and catalog are inlined: the models and their column descriptions are in the page itself.
    assert "model.planwatch.fct_plan_target" in html and "model.planwatch.target_vs_actual" in html
    stdout = (good_warehouse.parent / "run.stdout").read_text(encoding="utf-8")
    assert f"dbt docs:              {page}" in stdout
