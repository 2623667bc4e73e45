"""Whole documents that report results (tests/data/report_documents, see its README): each figure read
as a target or an achieved figure of the right year, and each document placed in the right year and kind."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from conftest import PLANS, REFERENCE
from planwatch.plans.corpus import header_region
from planwatch.plans.extract import extract_paths
from planwatch.plans.scoring import extracted_figures

DOCUMENTS = Path(__file__).parent / "data" / "report_documents"
EXPECTED = pd.read_csv(DOCUMENTS / "expected.csv", dtype={"document": str, "unit": str, "kind": str})

# document → (year of figures without their own, the year 今年 means, document kind, what `how` says about it)
CONTEXTS = {
    "news_this_years_goals.txt": (2021, 2021, "plan", "the date under the signature"),
    "news_undated.txt": (2020, 2020, "plan", "the text reports 2019's results"),
    "news_one_sentence_a_line.txt": (2021, 2021, "plan", "the date in the head"),
    "news_one_sentence_a_line_relative.txt": (2022, 2022, "plan", "the date in the head"),
    "news_goals_with_baselines.txt": (2020, 2020, "plan", "the latest year the text names, for its aims"),
    "news_work_report_results.txt": (2024, 2024, "plan", "the latest year the text names, for its aims"),
    "zone_results_with_tasks.txt": (2021, 2022, "report", "the title names 2021 only, before the text's date"),
    "zone_quarter_undated.txt": (2022, 2022, "report", "the text reports"),
    "half_year_report_pdf.txt": (2023, 2023, "report", "named in the title"),
    "review_and_next_year.txt": (2023, 2024, "report", "'工作总结' heads the title"),
    "review_news_title.txt": (2023, 2024, "report", "the title names 2023 only, before the text's date"),
    "review_traditional.txt": (2021, 2021, "report", "'工作总结' heads the title"),
    "bulletin_published_next_year.txt": (2022, 2023, "bulletin", "'公报' heads the title"),
    "review_untitled_parts.txt": (2023, 2024, "report", "lie under headings of results"),
    "results_news_no_aims.txt": (None, None, "report", "is aimed at"),
    "january_review_this_year.txt": (2023, 2024, "report", "'工作总结' heads the title"),
    "table_done_and_aims.txt": (2020, 2020, "plan", "the most frequent year in the text"),
    "table_completion_spaced.txt": (2020, 2020, "report", "'完成情况' heads the title"),
    "template_review_hidden_year.txt": (2023, 2023, "report", "the title's review year is hidden"),
    "web_copy_action_plan.txt": (2024, 2025, "plan", "'行动计划' heads the title (line 8)"),
    "disclosure_record_task_split.txt": (2023, 2023, "work_plan", "'任务分解' heads the title (line 7)"),
}


def _read(name: str):
    path = DOCUMENTS / name
    [extraction] = extract_paths([path], PLANS, REFERENCE, header_region(path))
    return extraction, extracted_figures(extraction.targets, extraction.actuals)


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_each_document_is_placed_in_its_year_and_kind(name):
    extraction, _ = _read(name)
    year, reference, kind, says = CONTEXTS[name]
    ctx = extraction.context
    assert (ctx.start_year, ctx.reference_year, ctx.document_kind) == (year, reference, kind), extraction.how
    assert says in extraction.how


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_each_figure_has_its_kind_and_year(name):
    _, figures = _read(name)
    wrong = []
    for e in EXPECTED[EXPECTED["document"] == name].itertuples():
        here = figures[[e.line in lines for lines in figures["lines"]]]
        same = here[[v is not None and not math.isnan(v) and math.isclose(v, e.value, rel_tol=1e-9) for v in here["value"]]]
        same = same[same["unit"] == e.unit]
        got = sorted((k, y) for k, y in zip(same["kind"], same["year"]))
        if got != [(e.kind, float(e.year) if pd.notna(e.year) else None)]:
            wrong.append((e.line, e.value, e.unit, f"expected {e.kind} {e.year}", f"read {got}"))
    assert wrong == []


def test_a_completion_rate_column_is_no_figure_of_the_indicator():
    # 完成率 105% beside 2020年目标 40 and 2020年完成 42: the share of the target done, not 105% of anything
    _, figures = _read("table_completion_spaced.txt")
    assert sorted(figures["value"]) == [1.35, 1.4, 2.5, 2.8, 40, 42]


def test_a_web_pages_furniture_gives_no_figure_and_no_name():
    # the login box, the "28 次浏览" of the page's record and a task table's row numbers are not the document's
    _, copy = _read("web_copy_action_plan.txt")
    assert not [lines for lines in copy["lines"] if any(line < 11 for line in lines)]
    _, record = _read("disclosure_record_task_split.txt")
    assert sorted(record["indicator_as_written"]) == ["全社会研发投入", "科技型中小企业", "高新技术企业"]


def test_every_expected_document_is_in_the_folder():
    assert set(EXPECTED["document"]) == set(CONTEXTS) == {p.name for p in DOCUMENTS.glob("*.txt")}
