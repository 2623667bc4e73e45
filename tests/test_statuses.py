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


def test_the_region_scorecard_counts_every_status_of_the_seed_and_no_other():
    """Its per-status count columns are a layout of the seed's list: a status added to the seed and
    not to the scorecard (its SQL and its contract) fails here, naming the mart."""
    import yaml

    marts = PROJECT_ROOT / "dbt_project" / "models" / "marts"
    sql = (marts / "region_scorecard.sql").read_text(encoding="utf-8")
    counted = dict(re.findall(r"count\(\*\) filter \(where status = '([a-z_]+)'\) as ([a-z_]+)", sql))
    statuses = {s.code for s in load_statuses(REFERENCE)}
    assert set(counted) == statuses, "marts.region_scorecard: count columns differ from progress_statuses.csv"
    assert all(status == column for status, column in counted.items())
    (model,) = yaml.safe_load((marts / "region_scorecard.yml").read_text(encoding="utf-8"))["models"]
    assert statuses <= {c["name"] for c in model["columns"]}


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


def _macro_codes(name: str) -> set[str]:
    macro = MACRO.read_text(encoding="utf-8")
    start = macro.index("{% macro " + name + "(")
    body = macro[start:macro.index("{%- endmacro %}", start)]
    return set(re.findall(r"then '([a-z_]+)'", body)) | set(re.findall(r"else '([a-z_]+)'", body))


def _seed_codes(file: str) -> set[str]:
    import csv

    with (REFERENCE / file).open(encoding="utf-8", newline="") as f:
        return {row["category"] for row in csv.DictReader(f)}


def test_the_trend_band_seeds_list_exactly_the_categories_their_macros_assign():
    # Eurostat's five bands (and unable_to_assess) in EUSTAT's variant; Open SDG's four (target_achieved is a score's only)
    assert _macro_codes("eurostat_trend_category") == _seed_codes("eurostat_trend_categories.csv")
    assert _macro_codes("open_sdg_trend_category") == _seed_codes("open_sdg_categories.csv") - {"target_achieved"}


def test_the_eurostat_trend_labels_are_the_seeds_in_display_order(tmp_path):
    # the report labels fct_indicator_trend.eurostat_trend_status from this seed, as it labels Open SDG's bands
    from planwatch.statuses import eurostat_trend_labels

    labels = eurostat_trend_labels(REFERENCE)
    assert list(labels) == ["significant_progress", "moderate_progress", "no_progress", "moderate_deterioration",
                            "significant_deterioration", "unable_to_assess"]
    assert labels["moderate_progress"] == "适度进展" and set(labels) == _seed_codes("eurostat_trend_categories.csv")
    bad = tmp_path / "eurostat_trend_categories.csv"
    bad.write_text((REFERENCE / "eurostat_trend_categories.csv").read_text(encoding="utf-8").replace(",1,", ",one,", 1),
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"eurostat_trend_categories.csv, line 3: display_order 'one'"):
        eurostat_trend_labels(tmp_path)


def test_no_sql_spells_a_target_attribute_word():
    # whether a target is binding is the lexicon's (seeds/reference/lexicon/target_attributes.csv), joined once in
    # stg_plan_targets.is_binding: a literal '约束性' in a model or macro would be a second list
    from planwatch.plans.table_columns import target_attributes

    words = set(target_attributes())
    sql = list((PROJECT_ROOT / "dbt_project" / "macros").glob("*.sql")) + list((PROJECT_ROOT / "dbt_project" / "models").rglob("*.sql"))
    spelled = [(p.name, w) for p in sql for w in words if f"'{w}'" in p.read_text(encoding="utf-8")]
    assert sql and not spelled
