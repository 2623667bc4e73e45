"""The corpus scorer: every field graded, kinds kept apart, the split honoured."""

from __future__ import annotations

import pandas as pd
import pytest

from planwatch.plans.corpus import evaluate, header_region
from planwatch.plans.scoring import extracted_figures, gold_bound, gold_figures, score_figures

GOLD_COLUMNS = "doc_file,line_no,kind,indicator_as_written,value,unit,target_year,target_type,qualifier,baseline_year,baseline_value,notes".split(",")


def _gold(*rows):
    return gold_figures(pd.DataFrame([dict(zip(GOLD_COLUMNS, r + ("",) * (12 - len(r)))) for r in rows], dtype=str))


def _targets(*rows):
    cols = ["document", "source_lines", "indicator_as_written", "value", "low", "high", "unit", "year", "target_type",
            "qualifier", "stretch"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def _actuals(*rows):
    cols = ["document", "source_line", "indicator_as_written", "value", "unit", "year", "measure"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


@pytest.mark.parametrize("words, expected", [
    ("力争;以上", ("at_least", True)), ("达到", ("exact", False)), ("突破", ("at_least", False)),
    ("左右", ("approximately", False)), ("争取;余", ("at_least", True)), ("", ("exact", False)),
])
def test_gold_qualifier_words_read_as_categories(words, expected):
    assert gold_bound(words) == expected


def test_kinds_are_scored_apart_and_every_field_is_graded():
    gold = _gold(
        ("a.txt", "8", "target", "(全社会研发投入)增长", "8", "%", "2025", "growth_pct", "力争;以上"),
        ("a.txt", "8", "target", "(研发投入)强度", "2", "%", "2025", "level", "力争;达"),
        ("a.txt", "9", "actual", "高新技术企业", "58", "家", "2023", "level", ""),
        ("a.txt", "10", "target", "科技型企业", "1-2", "家", "2025", "range", ""),
    )
    extracted = extracted_figures(
        _targets(
            ("a.txt", "8", "全社会研发投入", 8.0, None, None, "%", 2025, "growth_pct", "at_least", True),   # all right
            ("a.txt", "8", "强度", 2.0, None, None, "%", 2024, "level", "exact", False),                   # year, qualifier wrong
            ("a.txt", "10", "科技型企业", None, 1.0, 2.0, "家", 2025, "range", "exact", False),            # a range
            ("a.txt", "12", "专利", 30.0, None, None, "件", 2025, "increment", "exact", False),             # not in gold
        ),
        _actuals(("a.txt", 9, "高新技术企业", 58.0, "家", 2023, "level")),
    )
    score = score_figures(extracted, gold)
    assert score.recall("target") == 1.0 and score.precision("target") == 0.75
    assert score.recall("actual") == 1.0 and score.precision("actual") == 1.0
    acc = score.field_accuracy()
    assert acc["year"] == 0.75 and acc["qualifier"] == 0.75 and acc["kind"] == 1.0 and acc["unit"] == 1.0
    assert list(score.extras()["indicator_as_written"]) == ["专利"]


def test_a_figure_read_with_the_wrong_kind_is_neither_recalled_nor_precise():
    gold = _gold(("b.txt", "4", "actual", "R&D经费投入强度", "2.35", "%", "2023", "level", ""))
    extracted = extracted_figures(_targets(("b.txt", "4", "R&D经费投入强度", 2.35, None, None, "%", 2023, "level", "exact", False)), None)
    score = score_figures(extracted, gold)
    assert score.recall("actual") == 0.0 and score.precision("target") == 0.0
    assert score.field_accuracy()["kind"] == 0.0 and len(score.misses()) == 1


def test_a_wrong_value_or_line_is_a_miss():
    gold = _gold(("c.txt", "5", "target", "高新技术企业", "400", "家", "2025", "level", ""))
    extracted = extracted_figures(_targets(
        ("c.txt", "5", "高新技术企业", 40.0, None, None, "家", 2025, "level", "exact", False),
        ("c.txt", "6", "高新技术企业", 400.0, None, None, "家", 2025, "level", "exact", False),
    ), None)
    assert score_figures(extracted, gold).recall("target") == 0.0


def test_corpus_documents_are_read_with_only_their_region_and_refusals_are_counted(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "dev").mkdir(parents=True)
    (corpus / "dev" / "x01.txt").write_text(
        "# source: https://example.invalid/x01\n# region: 泸溪县 (湖南省, county)\n# retrieval: made for this test\n"
        "泸溪县2024年科技工作要点\n到2024年，全县高新技术企业达到40家以上。\n", encoding="utf-8")
    (corpus / "dev" / "x02.txt").write_text(
        "# source: x\n# region: 不存在县 (county)\n# retrieval: x\n2024年目标：专利30件。\n", encoding="utf-8")
    pd.DataFrame([dict(zip(GOLD_COLUMNS, r)) for r in [
        ("x01.txt", "5", "target", "高新技术企业", "40", "家", "2024", "level", "达到;以上", "", "", ""),
        ("x02.txt", "4", "target", "专利", "30", "件", "2024", "level", "", "", "", ""),
    ]]).to_csv(corpus / "dev_gold.csv", index=False)
    split = tmp_path / "split.csv"
    split.write_text("doc_file,split,genre\nx01.txt,development,plan\nx02.txt,holdout,plan\n", encoding="utf-8")
    assert header_region(corpus / "dev" / "x01.txt") == "泸溪县"
    result = evaluate(corpus, split)
    assert result.scores["development"].recall("target") == 1.0
    assert result.scores["holdout"].recall("target") == 0.0
    assert "x02.txt" in result.refused and "不存在县" in result.refused["x02.txt"]


def test_a_figure_without_unit_matches_gold_without_unit():
    # Set F's 区域科技创新指数 160: gold's unit is empty, the extractor's NaN; "nan" is no unit either.
    gold = _gold(("d.txt", "14", "target", "区域科技创新指数", "160", "", "2027", "level", ""))
    extracted = extracted_figures(_targets(
        ("d.txt", "14", "区域科技创新指数", 160.0, None, None, float("nan"), 2027, "level", "exact", False)), None)
    score = score_figures(extracted, gold)
    assert score.recall("target") == 1.0 and score.field_accuracy()["unit"] == 1.0
