"""The one list of progress statuses (seeds/reference/progress_statuses.csv) and the rules that assign them."""

import re

import pytest

from planwatch.statuses import load_statuses
from tests.conftest import PROJECT_ROOT, REFERENCE

MACRO = PROJECT_ROOT / "dbt_project" / "macros" / "progress_status.sql"


def test_the_seed_lists_exactly_the_statuses_the_macro_assigns():
    macro = MACRO.read_text(encoding="utf-8")
    start = macro.index("{% macro progress_status(")
    body = macro[start:macro.index("{%- endmacro %}", start)]
    assigned = set(re.findall(r"then '([a-z_]+)'", body)) | set(re.findall(r"else '([a-z_]+)'", body))
    assert assigned == {s.code for s in load_statuses(REFERENCE)}


def test_statuses_come_in_display_order_with_chinese_labels_and_the_report_ranks_urgent_first():
    from planwatch.report.data import urgency_order

    statuses = load_statuses(REFERENCE)
    assert [s.code for s in statuses][:3] == ["achieved", "ahead", "on_track"]
    assert {s.code: s.zh for s in statuses}["needs_acceleration"] == "略滞后"
    assert urgency_order()[0] == "regressing" and urgency_order()[-1] == "achieved"
    assert "no_data" not in urgency_order()


def test_a_bad_row_names_the_file_and_line(tmp_path):
    bad = tmp_path / "progress_statuses.csv"
    bad.write_text((REFERENCE / "progress_statuses.csv").read_text(encoding="utf-8").replace(",behind,", ",late,", 1),
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"progress_statuses.csv, line 5: assessment 'late'"):
        load_statuses(tmp_path)
