"""The reviewer's loop over extracted figures: list, decide, add by hand, alias — then the next run applies it.

Decided and added with the CLI on a copy of the seeds; the second run re-reads every document (the new alias
changes the extraction version), so the decisions are also shown to survive re-extraction. The apply logic
itself (accept, reject, edit, manual, later replaces earlier, bad lines) is fixed on made-up rows in
dbt_project/models/staging/*_unit_tests.yml.
"""

from __future__ import annotations

import io
import re
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SEEDS, planwatch_folders, query_rows
from planwatch.cli import app

DAYE, LUXI, YONGZHOU = "daye-sti-fyp-2021-2025", "luxi-sti-fyp-2021-2025", "yongzhou-sti-fyp-2021-2025"
runner = CliRunner()



def _key(db, plan, where, params):
    rows = query_rows(db, f"select figure_key from marts.figure_review where plan_id = ? and {where}", [plan, *params])
    assert rows, where
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, prefect_harness):
    """Run on a copy of the seeds; decide, add and alias with the CLI; add two bad lines by hand; run again."""
    root = tmp_path_factory.mktemp("reviews")
    seeds, data = root / "seeds", root / "warehouse"
    shutil.copytree(SEEDS, seeds)
    with planwatch_folders(seeds, data):
        from flows.pipeline import pipeline
        from planwatch.config import get_paths

        pipeline()
        paths = get_paths()
        db = paths.warehouse_db
        keys = {
            # a table's milestone, 3100 万元 for 2021: edited to 3150
            "edit": _key(db, LUXI, "figure_kind = 'target' and indicator_code = 'fiscal_sti_expenditure' and year = 2021", []),
            # 过500亿元级 (a count of industry clusters, no indicator): accepted first, then rejected
            "reject": _key(db, YONGZHOU, "figure_kind = 'target' and indicator_as_written = '过500亿元级'", []),
            "accept": _key(db, LUXI, "figure_kind = 'target' and indicator_code = 'regional_innovation_rank' and year = 2025", []),
            # a reported actual: 泸溪 line 9, 2019年度财政科技投入…增长25.65% (its own levels give 26.07 %)
            "actual": _key(db, LUXI, "figure_kind = 'actual' and indicator_code = 'fiscal_sti_expenditure' and year = 2019 "
                                     "and target_type = 'growth_pct'", []),
        }
        before = {
            "raw_loads": query_rows(paths.raw_db, "select count(distinct load_id) from raw.plan_targets where figure_key = ?",
                                [keys["reject"]])[0][0],
            "open_listing": runner.invoke(app, ["targets", "list", "--status", "open", "--region", "永州", "--format", "csv"]),
            "unsure_listing": runner.invoke(app, ["targets", "list", "--max-confidence", "50"]),
        }
        outcomes = {
            "edit": runner.invoke(app, ["targets", "decide", keys["edit"], "edit", "--value", "3150", "--reason",
                                        "the table's 2021 cell reads 3150", "--reviewer", "tester"]),
            "accept_first": runner.invoke(app, ["targets", "decide", keys["reject"], "accept", "--reason", "first look",
                                                "--reviewer", "tester"]),
            "reject": runner.invoke(app, ["targets", "decide", keys["reject"], "reject", "--reason",
                                          "a count of clusters, not an indicator", "--reviewer", "tester"]),
            "accept": runner.invoke(app, ["targets", "decide", keys["accept"], "accept", "--reason", "as the plan says",
                                          "--reviewer", "tester"]),
            "reject_actual": runner.invoke(app, ["targets", "decide", keys["actual"], "reject", "--reason",
                                                 "the rate disagrees with the text's own levels", "--reviewer", "tester"]),
            "add": runner.invoke(app, ["targets", "add", "--plan", DAYE, "--indicator", "enterprise_rd_expenditure",
                                       "--year", "2025", "--value", "8", "--unit", "亿元", "--baseline-year", "2020",
                                       "--baseline-value", "4", "--text", "企业研发经费投入达到8亿元"]),
            "alias": runner.invoke(app, ["catalog", "alias", "add", "规上工业企业研发投入总额", "enterprise_rd_expenditure",
                                         "--reviewer", "tester", "--reason", "how the 2026 work plan writes it"]),
        }
        # Lines typed by hand that the build cannot apply: named in marts.review_quarantine, never applied.
        with (paths.reference_dir / "target_reviews.csv").open("a", encoding="utf-8") as f:
            f.write(f"{keys['accept']},approve,,,,,,,,tester,2026-12-01,typo in the decision\n")
        with (paths.reference_dir / "manual_targets.csv").open("a", encoding="utf-8") as f:
            f.write("no-such-plan,,高新技术企业数,high_tech_enterprises,家,2025,40,level,exact,,,,\n")
        result = pipeline()
        yield paths, keys, before, outcomes, result


def test_the_queue_lists_open_figures_with_their_confidence(reviewed):
    _, keys, before, _, _ = reviewed
    listing = before["open_listing"]
    assert listing.exit_code == 0, listing.output
    frame = pd.read_csv(io.StringIO(listing.output), dtype=str, keep_default_na=False)
    assert keys["reject"] in set(frame["figure_key"]) and len(frame) > 10
    assert set(frame["review_status"]) == {"open"} and set(frame["region_name"]) == {"永州市"}
    scores = frame["match_score"].astype(float).tolist()
    assert scores == sorted(scores)  # least sure first
    unsure = before["unsure_listing"]
    assert unsure.exit_code == 0 and keys["reject"] in unsure.output and keys["accept"] not in unsure.output  # scored 100


def test_decisions_are_lines_of_the_reviews_file(reviewed):
    paths, keys, _, outcomes, _ = reviewed
    for name, outcome in outcomes.items():
        assert outcome.exit_code == 0, (name, outcome.output)
    assert "replacing 1 earlier" in outcomes["reject"].output
    lines = (paths.reference_dir / "target_reviews.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "figure_key,decision,indicator_code,value,unit,year,target_type,qualifier,region_code,reviewer,decided_on,reason"
    assert sum(keys["reject"] in line for line in lines) == 2  # both decisions kept; the later applies
    manual = (paths.reference_dir / "manual_targets.csv").read_text(encoding="utf-8").splitlines()
    assert manual[0] == ("plan_id,region,indicator_as_written,indicator_code,unit,year,value,target_type,qualifier,"
                         "baseline_year,baseline_value,source_line,source_text,attribute")
    assert manual[1] == f"{DAYE},,企业研发经费投入,enterprise_rd_expenditure,亿元,2025,8,level,exact,2020,4,,企业研发经费投入达到8亿元,"
    aliases = (paths.reference_dir / "indicator_aliases.csv").read_text(encoding="utf-8").splitlines()
    assert aliases[-1].startswith("规上工业企业研发投入总额,enterprise_rd_expenditure,reviewed by tester on ")


def test_the_next_run_applies_them_to_the_marts(reviewed):
    paths, keys, _, _, result = reviewed
    db = paths.warehouse_db
    assert result["validation"]["published"]
    # rejected: out of the marts, in the queue with its decision
    assert query_rows(db, "select count(*) from marts.fct_plan_target where figure_key = ?", [keys["reject"]]) == [(0,)]
    assert query_rows(db, "select review_status, decision, reviewed_by, review_reason from marts.figure_review where figure_key = ?",
                  [keys["reject"]]) == [("rejected", "reject", "tester", "a count of clusters, not an indicator")]
    # edited: the edited value, what was read kept beside it
    assert query_rows(db, "select target_value, value_as_written, entered_by, review_status from marts.fct_plan_target "
                      "where figure_key = ?", [keys["edit"]]) == [(3150.0, 3150.0, "reviewer", "edited")]
    assert query_rows(db, "select extracted_value, value from marts.figure_review where figure_key = ?", [keys["edit"]]) == [(3100.0, 3150.0)]
    assert query_rows(db, "select entered_by, review_status from marts.fct_plan_target where figure_key = ?",
                  [keys["accept"]]) == [("extractor", "accepted")]
    # typed by hand: in fct_plan_target converted to 万元, and followed in target_vs_actual
    # (no line: the GX expectation that every target names its line does not hold hand-typed ones to it)
    assert query_rows(db, "select target_value, baseline_value_canonical, entered_by, source_kind, source_line, source_text "
                      "from marts.fct_plan_target where plan_id = ? and indicator_code = 'enterprise_rd_expenditure'", [DAYE]) == [
        (80000.0, 40000.0, "manual", "manual", None, "企业研发经费投入达到8亿元")]
    tva = query_rows(db, "select distinct target_entered_by, target_review_status, final_target_value from marts.target_vs_actual "
                     "where plan_id = ? and indicator_code = 'enterprise_rd_expenditure'", [DAYE])
    assert tva == [("manual", "manual", 80000.0)]
    # raw is never changed: the edited figure still reads 3100 there
    assert {r[0] for r in query_rows(paths.raw_db, "select value from raw.plan_targets where figure_key = ?", [keys["edit"]])} == {3100.0}


def test_a_rejected_actual_is_no_actual(reviewed):
    paths, keys, _, _, _ = reviewed
    db = paths.warehouse_db
    assert query_rows(db, "select review_status, value_canonical, value_as_written, reviewed_by from staging.stg_plan_reported_actuals "
                      "where figure_key = ?", [keys["actual"]]) == [("rejected", None, 25.65, "tester")]
    assert query_rows(db, "select figure_kind, review_status, reviewed_by from marts.figure_review where figure_key = ?",
                  [keys["actual"]]) == [("actual", "rejected", "tester")]
    # the disagreement it raised has nothing left to disagree with
    assert query_rows(db, "select count(*) from marts.quality_flags where check_name = 'actual_sources_disagree' "
                      "and region_name = '泸溪县' and indicator_code = 'fiscal_sti_expenditure' and period = '2019'") == [(0,)]


def test_a_reject_survives_re_extraction(reviewed):
    paths, keys, before, _, _ = reviewed
    # the alias changed the extraction version: every document was read again, under the same keys
    loads = query_rows(paths.raw_db, "select count(distinct load_id), count(distinct extractor_version) from raw.plan_targets "
                                 "where figure_key = ?", [keys["reject"]])[0]
    assert before["raw_loads"] == 1 and loads == (2, 2)
    assert query_rows(paths.warehouse_db, "select review_status from marts.figure_review where figure_key = ?",
                  [keys["reject"]]) == [("rejected",)]


def test_lines_that_cannot_apply_are_named_not_dropped(reviewed):
    paths, keys, _, _, result = reviewed
    summary = "\n".join(result["summary"])
    assert "review lines not applied: 2 (fix them; see marts.review_quarantine):" in summary
    assert "seeds/reference/target_reviews.csv:7: unknown decision 'approve'" in summary
    rows = query_rows(paths.warehouse_db, "select file_name, file_line, problem from marts.review_quarantine order by file_name")
    assert rows == [
        ("manual_targets.csv", 3, "unknown plan_id 'no-such-plan' (no plan of that id in dim_plan: name it in seeds/plans/manifest.csv, with its document)"),
        ("target_reviews.csv", 7, "unknown decision 'approve' (accept, reject or edit)"),
    ]
    # the bad line did not replace the accept before it
    assert query_rows(paths.warehouse_db, "select review_status from marts.figure_review where figure_key = ?",
                  [keys["accept"]]) == [("accepted",)]


def test_the_cli_refuses_what_the_build_could_not_apply(reviewed):
    paths, keys, _, _, _ = reviewed
    reviews_before = (paths.reference_dir / "target_reviews.csv").read_text(encoding="utf-8")
    cases = {
        ("targets", "decide", "0123456789abcdef0123456789abcdef", "accept", "--reason", "x", "--reviewer", "t"): "unknown figure key",
        ("targets", "decide", keys["edit"], "edit", "--reason", "x", "--reviewer", "t"): "an edit needs at least one",
        ("targets", "decide", keys["edit"], "accept", "--value", "1", "--reason", "x", "--reviewer", "t"): "takes no edited fields",
        ("targets", "decide", keys["edit"], "edit", "--indicator", "no_such", "--reason", "x", "--reviewer", "t"): "unknown indicator code",
        ("targets", "decide", keys["edit"], "edit", "--region", "火星县", "--reason", "x", "--reviewer", "t"): "region '火星县'",
        ("targets", "decide", keys["edit"], "edit", "--type", "big", "--reason", "x", "--reviewer", "t"): "unknown target type",
        ("targets", "decide", keys["edit"], "edit", "--unit", "furlong", "--reason", "x", "--reviewer", "t"): "unknown unit",
        ("targets", "decide", keys["edit"], "reject", "--reason", " ", "--reviewer", "t"): "a reason is needed",
        ("targets", "decide", keys["actual"], "edit", "--qualifier", "at_least", "--reason", "x", "--reviewer", "t"): "has no qualifier",
        ("targets", "add", "--plan", "no-such-plan", "--indicator", "high_tech_enterprises", "--year", "2025",
         "--value", "1"): "unknown plan",
        ("targets", "add", "--plan", DAYE, "--indicator", "这不是指标", "--year", "2025", "--value", "1"): "neither a code",
        ("targets", "add", "--plan", DAYE, "--indicator", "high_tech_enterprises", "--year", "2025", "--value", "1",
         "--unit", "亿元"): "does not convert",
        ("targets", "add", "--plan", DAYE, "--indicator", "high_tech_enterprises", "--year", "2025", "--value", "1",
         "--attribute", "强制性"): "unknown attribute '强制性'; use one of 预期性, 约束性",
        ("catalog", "alias", "add", "规上工业企业研发投入总额", "enterprise_rd_expenditure", "--reviewer", "t", "--reason", "x"): "already",
        ("catalog", "alias", "add", "全社会研发经费支出", "high_tech_enterprises", "--reviewer", "t", "--reason", "x"): "already names rd_expenditure",
        ("catalog", "alias", "add", "某某新名称", "no_such", "--reviewer", "t", "--reason", "x"): "unknown indicator code",
    }
    for args, message in cases.items():
        outcome = runner.invoke(app, list(args))
        assert outcome.exit_code == 2, (args, outcome.output)
        assert message in outcome.output, (args, outcome.output)
    assert (paths.reference_dir / "target_reviews.csv").read_text(encoding="utf-8") == reviews_before


def test_sql_and_python_name_the_same_decisions_types_and_qualifiers():
    from planwatch import reviews

    macros = (SEEDS.parent / "dbt_project" / "macros" / "reviews.sql").read_text(encoding="utf-8")

    def listed(name):
        body = re.search(r"macro " + name + r"\(\).*?return\(\[(.*?)\]\)", macros, re.S).group(1)
        return tuple(re.findall(r"'([a-z_]+)'", body))

    assert listed("review_decisions") == reviews.DECISIONS
    assert set(listed("target_types")) == set(reviews.TARGET_TYPES)
    assert listed("target_qualifiers") == reviews.QUALIFIERS
