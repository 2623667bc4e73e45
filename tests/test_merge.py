"""How mentions of one figure merge into targets and reported actuals, on made-up mention rows.

A target is one (area, indicator, year, type, per_year, cumulative, value); its mentions merge into one
row whose provenance is the first table mention (else the first in the text) and which keeps a hedge,
a stretch mark or a baseline that any mention states. Different values for the same target are each
kept and listed as a conflict. Reported actuals stated twice are kept once, at the first line.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from planwatch import frames
from planwatch.plans.extract import ACTUAL_COLUMNS, FRAME_COLUMNS, TARGET_COLUMNS, _merge_actuals, _merge_targets
from planwatch.plans.model import MENTION_COLUMNS, Mention


def mention(line=10, source="prose", kind="target", value=500.0, year=2025, code="high_tech_enterprises", region="431100",
            area_rule="plan", **fields) -> dict:
    m = Mention(document="plan.txt", line=line, source=source, kind=kind, indicator_as_written="高新技术企业", unit="家",
                year=year, value=value, target_type="level", qualifier="exact", stretch=False, low=None, high=None,
                baseline_year=None, baseline_value=None, baseline_unit=None, attribute=None, cumulative=False, per_year=False,
                source_text=f"line {line}: 高新技术企业达到{value}家")
    row = {c: getattr(m, c) for c in MENTION_COLUMNS}
    row.update(region="永州市", region_code=region, area_rule=area_rule, area_as_written=None, indicator_code=code, match_score=100.0,
               match_method="exact", canonical_unit="家", unit_issue=None, factor=1.0, value_canonical=value,
               baseline_value_canonical=None, plan_id="p", document_sha256="sha")
    row.update(fields)
    return row


def merge(rows):
    frame = frames.frame({c: [r[c] for r in rows] for c in FRAME_COLUMNS})
    targets, conflicts = _merge_targets(frame, rows, [i for i, r in enumerate(rows) if r["kind"] == "target"])
    actuals = _merge_actuals(frame, rows, [i for i, r in enumerate(rows) if r["kind"] == "actual"])
    assert list(targets.columns) == TARGET_COLUMNS and list(actuals.columns) == ACTUAL_COLUMNS
    return targets, conflicts, actuals


def test_a_target_stated_in_prose_and_in_a_table_is_one_row_with_the_tables_provenance():
    targets, conflicts, _ = merge([mention(line=12, qualifier="以上", stretch=True),
                                   mention(line=40, source="table", baseline_year=2020, baseline_value=283.0),
                                   mention(line=7)])
    [row] = targets.to_dict("records")
    assert (row["source"], row["source_line"], row["source_lines"]) == ("table", 40, "7,12,40")
    assert (row["qualifier"], row["stretch"], row["baseline_year"], row["baseline_value"]) == ("以上", True, 2020, 283.0)
    assert pd.isna(row["conflict_group"]) and conflicts.empty
    assert row["target_key"] == "p|high_tech_enterprises|2025|level|False|False|(500.0, None, None)"


def test_the_same_target_with_two_values_keeps_both_and_lists_every_mention_as_a_conflict():
    targets, conflicts, _ = merge([mention(line=12, value=500.0), mention(line=40, source="table", value=550.0),
                                   mention(line=50, value=500.0)])
    assert sorted(targets["value"]) == [500.0, 550.0]
    assert targets["target_key"].is_unique
    [group] = set(targets["conflict_group"])
    assert group == "p|high_tech_enterprises|2025|level"
    assert sorted(conflicts["line"]) == [12, 40, 50] and set(conflicts["conflict_group"]) == {group}


@pytest.mark.parametrize("change", [
    {"year": 2024}, {"code": "sme_tech_enterprises"}, {"region": "431181-HTZ", "area_rule": "named_zone"},
    {"target_type": "increment"}, {"per_year": True}, {"cumulative": True},
])
def test_mentions_differing_in_what_identifies_a_target_stay_apart(change):
    targets, conflicts, _ = merge([mention(line=12), mention(line=30, **change)])
    assert len(targets) == 2 and targets["target_key"].is_unique and conflicts.empty


def test_merging_does_not_depend_on_the_order_of_the_mentions():
    rows = [mention(line=12, qualifier="以上"), mention(line=40, source="table"), mention(line=50, value=550.0),
            mention(line=60, year=2024, value=450.0)]
    results = set()
    for order in itertools.permutations(rows):
        targets, _, _ = merge(list(order))
        results.add(frozenset(targets[["target_key", "source_line", "source_lines", "qualifier"]].itertuples(index=False)))
    assert len(results) == 1


def test_a_target_without_a_year_merges_and_keys_without_one():
    targets, conflicts, _ = merge([mention(line=12, year=None), mention(line=13, year=None, value=600.0), mention(line=14, year=2025)])
    assert len(targets) == 3 and targets["target_key"].is_unique
    undated = targets[targets["year"].isna()]
    assert all("|None|" in key for key in undated["target_key"]) and set(undated["conflict_group"]) == {"p|high_tech_enterprises|None|level"}
    assert targets.loc[targets["year"] == 2025, "target_key"].iloc[0].startswith("p|high_tech_enterprises|2025|")  # not 2025.0
    assert len(conflicts) == 2


def test_a_reported_figure_stated_twice_is_kept_once_at_its_first_line():
    _, _, actuals = merge([mention(line=30, kind="actual", year=2023, value=58.0), mention(line=5, kind="actual", year=2023, value=58.0),
                           mention(line=31, kind="actual", year=2022, value=50.0)])
    assert sorted(zip(actuals["year"], actuals["source_line"])) == [(2022, 31), (2023, 5)]
    assert actuals["actual_key"].is_unique
    assert list(actuals["measure"]) == ["level", "level"]


def test_no_mentions_of_a_kind_give_an_empty_table_of_its_columns():
    targets, conflicts, actuals = merge([mention(kind="actual")])
    assert targets.empty and list(targets.columns) == TARGET_COLUMNS and str(targets["year"].dtype) == "Int64"
    assert len(actuals) == 1 and str(actuals["source_line"].dtype) == "Int64"


@pytest.mark.parametrize("values", [
    ["a", "b"], ["a", None], [None, None], [1.5, None], [1, 2], [1, None], [1, 2.5], [True, False], [True, None],
    ["a", float("nan")], [1.0, float("nan")], [], ["a", 1], [1, True], [None], [float("nan")], ["", None],
])
def test_columns_are_built_as_pandas_would_infer_them(values):
    built, inferred = pd.Series(frames.column(list(values))), pd.Series(list(values))
    assert built.dtype == inferred.dtype
    pd.testing.assert_series_equal(built, inferred)
