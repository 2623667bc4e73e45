"""Table layouts as users' text exports flatten them (small made-up tables in tests/data/tables), and the seed
plans' tables against the hand-checked list."""

import pandas as pd
import pytest

from conftest import PLANS, PROJECT_ROOT, REFERENCE
from planwatch.plans.cells import parse_cell
from planwatch.plans.model import PlanContext
from planwatch.plans.table_columns import LexiconError, classify_cell, header_words, target_attributes
from planwatch.plans.tables import find_tables, lines_of, split_name_unit, table_mentions

CTX = PlanContext("p", "000000", "某县", "five_year", 2021, 2025)


def mentions(text: str, ctx: PlanContext = CTX):
    return table_mentions(tuple(text.split("\n")), ctx, "doc.txt")


def targets(text: str, ctx: PlanContext = CTX):
    return [m for m in mentions(text, ctx) if m.kind == "target"]


def test_one_cell_per_line_with_year_columns():
    text = "\n".join([
        "规划指标", "\t指标名称", "\t2021年", "\t2022年", "\t2023年", "",
        "\t科技型企业数（家）", "\t10", "\t12", "\t15", "",
        "\t研发投入强度（%）", "\t1", "\t1.2", "\t1.5", "",
        "四、主要任务",
    ])
    found = [(m.indicator_as_written, m.unit, m.year, m.value, m.line) for m in targets(text)]
    assert found == [
        ("科技型企业数", "家", 2021, 10, 8), ("科技型企业数", "家", 2022, 12, 9), ("科技型企业数", "家", 2023, 15, 10),
        ("研发投入强度", "%", 2021, 1, 13), ("研发投入强度", "%", 2022, 1.2, 14), ("研发投入强度", "%", 2023, 1.5, 15),
    ]


def test_tab_separated_rows_with_category_unit_base_and_target():
    text = "\n".join([
        "指标类型\t指标名称\t指标单位\t2020年基数\t2025年目标值",
        "创新能力\t发明专利拥有量\t件\t120\t300",
        "\t技术合同成交额\t亿元\t1.5\t3",
        "",
        "（二）重点任务",
    ])
    found = [(m.indicator_as_written, m.unit, m.year, m.value, m.baseline_year, m.baseline_value) for m in targets(text)]
    assert found == [("发明专利拥有量", "件", 2025, 300, 2020, 120), ("技术合同成交额", "亿元", 2025, 3, 2020, 1.5)]


def test_page_header_inside_a_table_and_growth_cells():
    header = "某市“十四五”科技创新发展规划"
    text = "\n".join([
        header, "",
        "指标名称\t2020年\t2025年",
        "高新技术企业数（家）\t100\t200",
        "",
        header,
        "",
        "高新技术产业增加值（亿元）\t50.5\t年均增长 12%",
        "全社会研发经费投入年均增长（%）\t9.1\t13",
        "",
        "第三章 空间布局",
    ])
    found = [(m.indicator_as_written, m.target_type, m.value, m.unit, m.baseline_value, m.baseline_unit) for m in targets(text)]
    assert found == [
        ("高新技术企业数", "level", 200, "家", 100, "家"),
        ("高新技术产业增加值", "annual_avg_growth_pct", 12, "%", 50.5, "亿元"),
        ("全社会研发经费投入年均增长", "annual_avg_growth_pct", 13, "%", 9.1, "%"),
    ]


def test_attribute_and_growth_columns_and_bracketed_totals():
    text = "\n".join([
        "序号\t指标\t单位\t属性\t2020年\t2025年\t年均增长",
        "1\t研发经费投入\t亿元\t预期性\t10\t16\t10%",
        "2\t单位GDP能耗降低\t%\t约束性\t-\t[13.5]\t-",
        "",
    ])
    found = [(m.indicator_as_written, m.attribute, m.target_type, m.value, m.cumulative) for m in targets(text)]
    assert ("研发经费投入", "预期性", "level", 16, False) in found
    assert ("研发经费投入", "预期性", "annual_avg_growth_pct", 10, False) in found
    assert ("单位GDP能耗降低", "约束性", "level", 13.5, True) in found


def test_attribute_words_come_from_the_lexicon_in_any_script():
    # the attribute column's words are target_attributes.csv's; a traditional-script cell reads as its simplified word,
    # and a cell that is no attribute (a note in the attribute column) leaves the attribute empty
    assert target_attributes() == {"预期性": False, "约束性": True}
    text = "\n".join([
        "指標\t單位\t屬性\t2025年",
        "高新技術企業數\t家\t約束性\t80",
        "技術合同成交額\t億元\t預期性\t12",
        "科技型中小企業\t家\t新增\t40",
        "",
    ])
    found = {m.value: m.attribute for m in targets(text)}
    assert found == {80: "约束性", 12: "预期性", 40: None}


def test_a_binding_attribute_in_a_plan_table_reaches_the_extracted_targets(tmp_path):
    # a whole plan (made-up figures) whose indicator table has a 属性 column: each target carries its row's
    # attribute into the extract (→ raw.plan_targets → stg_plan_targets.is_binding by the lexicon → the status)
    from planwatch.plans.extract import extract_paths

    path = tmp_path / "plan.txt"
    path.write_text("\n".join([
        "凤凰县“十四五”科技创新规划（2021-2025年）",
        "二、发展目标",
        "表1 主要指标",
        "指标\t单位\t属性\t2020年\t2023年\t2025年",
        "全社会研发经费投入强度\t%\t约束性\t1.5\t1.9\t2.2",
        "高新技术企业数\t家\t预期性\t40\t55\t70",
        "",
        "三、重点任务",
    ]), encoding="utf-8")
    (extraction,) = extract_paths([path], tmp_path, REFERENCE)
    found = {(r.indicator_code, int(r.year), float(r.value), r.attribute, int(r.baseline_year), float(r.baseline_value))
             for r in extraction.targets.itertuples()}
    assert found == {
        ("rd_intensity", 2023, 1.9, "约束性", 2020, 1.5), ("rd_intensity", 2025, 2.2, "约束性", 2020, 1.5),
        ("high_tech_enterprises", 2023, 55.0, "预期性", 2020, 40.0), ("high_tech_enterprises", 2025, 70.0, "预期性", 2020, 40.0),
    }


def test_a_bad_attribute_row_names_its_file_and_line(tmp_path):
    path = tmp_path / "target_attributes.csv"
    path.write_text("word,binding,note\n预期性,false,\n约束性,yes,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"target_attributes.csv line 3: binding 'yes' is not one of true, false"):
        target_attributes(path)


def test_unit_in_parentheses_but_not_an_acronym():
    assert split_name_unit("全社会研究与试验发展（R&D）经费支出占地区生产总值（GDP）的比重（%）") == (
        "全社会研究与试验发展（R&D）经费支出占地区生产总值（GDP）的比重", "%")
    assert split_name_unit("万名就业人员中R&D人员数（人/万人）") == ("万名就业人员中R&D人员数", "人/万人")
    assert split_name_unit("高新技术企业数") == ("高新技术企业数", None)


def test_the_seed_plans_tables_against_the_hand_checked_list():
    from planwatch.plans.extract import extract_paths
    from planwatch.plans.scoring import score_targets

    extracted = pd.concat([e.targets for e in extract_paths(sorted(PLANS.glob("*.txt")), PLANS, REFERENCE)], ignore_index=True)
    gold = pd.read_csv(PROJECT_ROOT / "tests" / "data" / "gold" / "seed_targets.csv", dtype=str, keep_default_na=False)
    score = score_targets(extracted[extracted["source"] == "table"], gold[gold["source"] == "table"])
    assert score.recall >= 0.95 and score.precision >= 0.95, score.report()


# ---------- layouts as other regions' documents give them (fixtures in tests/data/tables, made-up figures)

TABLES = PROJECT_ROOT / "tests" / "data" / "tables"
ANNUAL = PlanContext("p", "000000", "某县", "annual", 2024, 2024)
UNDATED = PlanContext("p", "000000", "某县", "annual", None, None)
BULLETIN = PlanContext("p", "000000", "某县", "annual", None, None, document_kind="bulletin")


def fixture(name: str) -> tuple[str, ...]:
    return tuple((TABLES / name).read_text(encoding="utf-8").split("\n"))


def read(name: str, ctx: PlanContext):
    return table_mentions(fixture(name), ctx, name)


def test_kpi_table_with_spanned_cells_reads_each_row_under_its_value_column():
    found = [(m.line, m.indicator_as_written, m.value, m.unit, m.year, m.target_type, m.qualifier, m.kind)
             for m in read("kpi_pipes_spanned.txt", ANNUAL)]
    assert found == [
        (6, "高新技术企业数量", 12, "家", 2024, "level", "at_least", "target"),  # ≥12家
        (7, "新认定科技型中小企业", 30, "家", 2024, "increment", "at_least", "target"),  # 一级/二级 spanned away
        (8, "技术合同登记额", 3, "亿元", 2024, "level", "exact", "target"),  # 3个亿
        (9, "项目验收合格率", 100, "%", 2024, "level", "exact", "target"),
        (12, "服务对象满意度", 95, "%", 2024, "level", "at_least", "target"),
    ]
    assert {m.rule for m in read("kpi_pipes_spanned.txt", ANNUAL)} == {"table:pipe_kpi time:plan_end kind:target_column"}


def test_budget_cells_of_a_kpi_document_are_no_figures_but_are_kept_with_a_reason():
    budget, kpi = find_tables(fixture("kpi_pipes_spanned.txt"), ANNUAL)
    assert budget.layout == "pipe_budget" and budget.rows == [] and budget.skipped == [(4, "budget table: not a figure to read")]
    assert dict(kpi.skipped) == {10: "no number in the value columns",  # 及时: a qualitative value
                                 11: "budget line of a KPI table (成本指标): not a figure to read"}
    assert lines_of(budget) == {3, 4} and lines_of(kpi) == set(range(5, 13))


def test_markdown_kpi_table_of_an_undated_document_has_no_year():
    found = [(m.line, m.indicator_as_written, m.value, m.unit, m.year) for m in read("kpi_pipes_markdown.txt", UNDATED)]
    # The 预算执行率 row is a budget line; the rows under a spanned 一级/二级指标 keep their columns.
    assert found == [(5, "培训科技人员", 200, "人次", None), (6, "推广新技术", 8, "项", None), (8, "带动农户增收", 1500, "万元", None)]
    assert {m.rule for m in read("kpi_pipes_markdown.txt", UNDATED)} == {"table:pipe_kpi time:none kind:target_column"}


def test_pipe_rows_with_year_columns_keep_an_empty_cell_in_its_column():
    found = {(m.line, m.year): (m.value, m.unit, m.kind) for m in read("pipe_rows_years.txt", CTX)}
    assert found[(4, 2022)] == (38, "%", "target") and found[(4, 2025)] == (50, "%", "target") and (4, 2023) not in found
    assert found[(5, 2023)] == (2.6, "亿元", "target")
    assert {m.rule for m in read("pipe_rows_years.txt", CTX)} == {"table:pipe_rows time:column_year kind:plan_period"}


@pytest.mark.parametrize("ctx, kinds, rule", [
    # 2020 is the baseline of the 2021 and 2022 targets (stored with them), 2019 an achieved figure of its own.
    (CTX, {2019: "actual", 2021: "target", 2022: "target"}, "kind:before_plan_period"),
    (BULLETIN, {2019: "actual", 2020: "actual", 2021: "actual", 2022: "actual"}, "kind:bulletin_document"),
    (PlanContext("p", "000000", "某县", "annual", None, None, document_kind="report"), dict.fromkeys(range(2019, 2023), "actual"),
     "kind:report_document"),
    (PlanContext("p", "000000", "某县", "annual", None, None, reference_year=2021),
     {2019: "actual", 2021: "target", 2022: "target"}, "kind:before_reference_year"),
    (UNDATED, dict.fromkeys(range(2019, 2023), "target"), "kind:plan_document"),
])
def test_year_columns_are_achieved_or_planned_by_the_document(ctx, kinds, rule):
    found = [m for m in read("rows_past_and_plan_years.txt", ctx) if m.indicator_as_written == "科技企业孵化器"]
    assert {m.year: m.kind for m in found} == kinds
    assert {m.year: m.value for m in found} == {y: v for y, v in {2019: 3, 2020: 4, 2021: 5, 2022: 6}.items() if y in kinds}
    assert any(m.rule.endswith(rule) for m in found)
    for m in found:  # a planned year's target carries the last achieved year as its baseline
        assert (m.baseline_year, m.baseline_value) == ((2020, 4) if m.kind == "target" and 2020 not in kinds else (None, None))


def test_a_base_column_without_targets_in_its_row_is_an_achieved_figure():
    text = "\n".join(["指标名称\t2020年基数\t2025年目标", "科技特派员\t80\t120", "院士工作站\t2\t-", ""])
    found = [(m.indicator_as_written, m.kind, m.year, m.value, m.baseline_value) for m in mentions(text, CTX)]
    assert found == [("科技特派员", "target", 2025, 120, 80), ("院士工作站", "actual", 2020, 2, None)]


def test_bilingual_yearbook_table_gives_one_actual_per_row_and_year():
    for ctx in (BULLETIN, CTX):  # bilingual: a statistical yearbook's table, achieved figures also inside a plan
        found = {(m.line, m.year): (m.indicator_as_written, m.value, m.unit, m.kind) for m in read("yearbook_bilingual.txt", ctx)}
        assert found[(4, 2023)] == ("研究与试验发展人员", 6012, "人", "actual")
        assert found[(5, 2021)] == ("研究与试验发展经费内部支出", 31.2, "亿元", "actual")  # unit on the wrapped line
        assert found[(8, 2022)] == ("其中:发明专利", 462, "件", "actual")  # a sub-item takes its row's unit
        assert found[(9, 2023)] == ("实用新型", 2302, "件", "actual")
        assert found[(10, 2021)] == ("高新技术企业数", 168, "家", "actual") and (10, 2022) not in found  # … is no figure
        assert len(found) == 17
    mentions = read("yearbook_bilingual.txt", UNDATED)
    assert {m.rule for m in mentions} == {"table:space_aligned_years time:column_year kind:yearbook_table"}
    assert next(m for m in mentions if m.line == 9).context.startswith("实用新型 专利授权量")  # the row it is part of
    [table] = find_tables(fixture("yearbook_bilingual.txt"), UNDATED)
    assert lines_of(table) == set(range(3, 11))  # the wrapped line with "(100 million yuan)" belongs to the table


def test_space_aligned_table_with_a_unit_column_in_a_bulletin():
    found = [(m.line, m.indicator_as_written, m.unit, m.year, m.value, m.kind) for m in read("yearbook_unit_column.txt", BULLETIN)]
    assert found == [
        (4, "高新技术企业", "家", 2022, 96, "actual"), (4, "高新技术企业", "家", 2023, 118, "actual"),
        (5, "科技型中小企业", "家", 2022, 240, "actual"), (5, "科技型中小企业", "家", 2023, 301, "actual"),
        (6, "全社会研发投入", "亿元", 2022, 12.4, "actual"), (6, "全社会研发投入", "亿元", 2023, 14.1, "actual"),
    ]


def test_one_cell_per_line_with_a_unit_column():
    found = [(m.line, m.indicator_as_written, m.unit, m.year, m.value) for m in read("cells_per_line_with_unit.txt", CTX)]
    assert found == [(10, "科技特派员人数", "名", 2023, 120), (11, "科技特派员人数", "名", 2024, 135), (12, "科技特派员人数", "名", 2025, 150),
                     (16, "农业科技园区数", "个", 2023, 3), (17, "农业科技园区数", "个", 2024, 4), (18, "农业科技园区数", "个", 2025, 5)]
    [table] = find_tables(fixture("cells_per_line_with_unit.txt"), CTX)
    assert table.layout == "cell_per_line" and {2, 3, 4, 5, 6} <= lines_of(table)


def test_a_growth_column_takes_the_year_of_the_column_left_of_it():
    text = "\n".join(["指标\t单位\t2023年\t比上年增长(%)", "技术合同成交额\t亿元\t8.6\t12.5", "专利授权量\t件\t1203\t-3.2", ""])
    found = [(m.indicator_as_written, m.year, m.value, m.unit, m.target_type, m.kind, m.rule) for m in mentions(text, BULLETIN)]
    assert found == [
        ("技术合同成交额", 2023, 8.6, "亿元", "level", "actual", "table:row_per_line time:column_year kind:bulletin_document"),
        ("技术合同成交额", 2023, 12.5, "%", "growth_pct", "actual", "table:row_per_line time:year_column_left kind:bulletin_document"),
        ("专利授权量", 2023, 1203, "件", "level", "actual", "table:row_per_line time:column_year kind:bulletin_document"),
        ("专利授权量", 2023, -3.2, "%", "growth_pct", "actual", "table:row_per_line time:year_column_left kind:bulletin_document"),
    ]


def test_undated_plan_table_without_year_columns_has_targets_without_a_year():
    text = "\n".join(["指标名称\t单位\t目标值", "科技型中小企业\t家\t80", "研发投入强度\t%\t2.5", ""])
    found = [(m.indicator_as_written, m.year, m.value, m.kind, m.rule) for m in mentions(text, UNDATED)]
    assert found == [("科技型中小企业", None, 80, "target", "table:row_per_line time:none kind:target_column"),
                     ("研发投入强度", None, 2.5, "target", "table:row_per_line time:none kind:target_column")]


@pytest.mark.parametrize("header, expected", [
    ("2021-2025年累计", ("value", 2025, "cumulative")),
    ("2025年目标值", ("value", 2025, "target")),
    ("2020年基数", ("value", 2020, "base")),
    ("“十四五”目标", ("value", None, "target")),
    ("年均增长（%）", ("value", None, "avg_growth")),
    ("实际完成值", ("value", None, "actual")),
    ("部门整体 支出年度 绩效目标", ("label", None, None)),
    ("三级指标", ("level", None, None)),
    ("Item", ("name", None, None)),
    ("计量单位", ("unit", None, None)),
])
def test_header_cells_by_the_vocabulary(header, expected):
    c = classify_cell(header)
    assert (c.role, c.year, c.word_role) == expected


@pytest.mark.parametrize("text", ["2020 2021", "(2020年度)", "高新技术企业数量", "全年培育指导高新技术企业数量", "年度预算申请"])
def test_cells_that_are_no_header(text):
    assert classify_cell(text) is None


@pytest.mark.parametrize("raw, expected", [
    ("2个亿以上", (2, "亿元", "at_least")), ("≥95%", (95, "%", "at_least")), ("15家以上", (15, "家", "at_least")),
    ("100%", (100, "%", "exact")), ("≤80万元", (80, "万元", "at_most")), ("约1.5亿元", (1.5, "亿元", "approximately")),
])
def test_value_cells(raw, expected):
    cell = parse_cell(raw)
    assert (cell.value, cell.unit, cell.qualifier) == expected


@pytest.mark.parametrize("raw", ["5G基站数", "及时", "按期完成", "…", "——"])
def test_cells_without_a_figure(raw):
    assert parse_cell(raw) is None


def test_a_bad_vocabulary_row_names_its_file_and_line(tmp_path):
    path = tmp_path / "table_headers.csv"
    path.write_text("word,role,match,note\n指标,name,exact,\n目标,goal,contains,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"table_headers.csv line 3: role 'goal' is not one of"):
        header_words(path)
    with pytest.raises(LexiconError, match="missing"):
        header_words(tmp_path / "absent.csv")


def test_lines_a_table_claims_are_not_read_again_as_prose():
    from planwatch.indicators import IndicatorCatalog
    from planwatch.plans.extract import extract_document
    from planwatch.plans.reading import read_document
    from planwatch.regions import RegionResolver
    from planwatch.units import UnitTable

    doc = read_document(TABLES / "kpi_pipes_spanned.txt")
    e = extract_document(doc, ANNUAL, IndicatorCatalog.from_dir(REFERENCE), UnitTable.from_dir(REFERENCE), RegionResolver.default(REFERENCE))
    assert set(e.mentions["source"]) == {"table"}
    assert sorted(e.targets["source_line"]) == [6, 7, 8, 9, 12]  # no budget amount (line 4), no 成本指标 line (11)


def test_yearbook_row_whose_values_come_at_the_end_of_its_wrapped_name():
    found = {(m.line, m.year): (m.indicator_as_written, m.value, m.unit) for m in read("yearbook_values_on_the_wrapped_line.txt", UNDATED)}
    assert found[(6, 2023)] == ("规模以上工业企业研究与试验发展经费支出", 28.36, "亿元")  # name over lines 5-6, values on 6
    assert found[(8, 2022)] == ("制造业", 23.4, "亿元") and found[(9, 2022)] == ("新产品销售收入占营业收入比重", 18.2, "%")
    assert len(found) == 8 and {m.kind for m in read("yearbook_values_on_the_wrapped_line.txt", UNDATED)} == {"actual"}
    [table] = find_tables(fixture("yearbook_values_on_the_wrapped_line.txt"), UNDATED)
    assert table.skipped == [(7, "group heading inside the table: no figures")] and lines_of(table) == set(range(3, 10))


def test_kpi_self_evaluation_gives_the_target_and_the_achieved_figure_of_each_row():
    found = [(m.line, m.indicator_as_written, m.kind, m.value, m.unit, m.target_type, m.qualifier, m.year)
             for m in read("kpi_self_evaluation.txt", ANNUAL)]
    assert found == [
        (3, "新增高新技术企业", "target", 10, "家", "increment", "at_least", 2024),
        (3, "新增高新技术企业", "actual", 12, "家", "increment", "exact", 2024),
        (4, "科技成果登记", "target", 15, "项", "level", "exact", 2024), (4, "科技成果登记", "actual", 13, "项", "level", "exact", 2024),
        (5, "项目验收通过率", "target", 90, "%", "level", "at_least", 2024), (5, "项目验收通过率", "actual", 95, "%", "level", "exact", 2024),
        (7, "服务对象满意度", "target", 90, "%", "level", "at_least", 2024), (7, "服务对象满意度", "actual", 96, "%", "level", "exact", 2024),
    ]  # the scores (分值, 得分) are no figures of the indicator; 项目资金 (line 6) is a budget line


def test_part_year_columns_are_reported_figures_with_their_period():
    for ctx in (BULLETIN, CTX):
        found = [(m.line, m.kind, m.value, m.unit, m.year, m.period, m.target_type) for m in read("bulletin_part_year_columns.txt", ctx)]
        assert found == [
            (3, "actual", 86.5, "亿元", 2024, "2024-01..09 YTD", "level"), (3, "actual", 8.1, "%", 2024, "2024-01..09 YTD", "growth_pct"),
            (4, "actual", 12.3, "亿元", 2024, "2024-01..09 YTD", "level"), (4, "actual", -4.6, "%", 2024, "2024-01..09 YTD", "growth_pct"),
            (5, "actual", 57, "家", 2024, "2024-01..09 YTD", "increment"),  # full-width ｜ separators; — is no figure
        ]


def test_a_tab_separated_bilingual_header_is_a_yearbook_table():
    text = "\n".join(["项目\tItem\t2022\t2023", "技术合同成交额(亿元)\tTurnover of Technical Contracts\t31.5\t36.2", ""])
    found = [(m.indicator_as_written, m.unit, m.year, m.value, m.kind, m.rule) for m in mentions(text, CTX)]
    assert found == [("技术合同成交额", "亿元", 2022, 31.5, "actual", "table:row_per_line time:column_year kind:yearbook_table"),
                     ("技术合同成交额", "亿元", 2023, 36.2, "actual", "table:row_per_line time:column_year kind:yearbook_table")]


def test_columns_named_for_the_end_of_a_five_year_plan():
    text = "\n".join(["指标\t单位\t“十三五”末\t“十四五”目标\t属性", "高新技术企业\t家\t120\t250\t预期性", ""])
    found = [(m.kind, m.year, m.value, m.baseline_year, m.baseline_value, m.attribute) for m in mentions(text, CTX)]
    assert found == [("target", 2025, 250, 2020, 120, "预期性")]  # 十三五末 = 2020, the baseline of the 十四五 target
    assert classify_cell("“十三五”期末实际").word_role == "actual" and classify_cell("十三五末").year == 2020


# ---------- a second header row under the years (fixtures tests/data/tables/two_row_header_*.txt, made-up figures)


def test_a_second_header_row_says_which_year_is_the_base_and_which_the_target():
    # undated: a bare year would be a target; the row under the years says 2020 is the base
    found = [(m.line, m.indicator_as_written, m.kind, m.year, m.value, m.unit, m.baseline_year, m.baseline_value)
             for m in read("two_row_header_base_and_target.txt", UNDATED)]
    assert found == [(4, "高新技术企业数", "target", 2025, 150, "家", 2020, 85),
                     (5, "技术合同成交额", "target", 2025, 5, "亿元", 2020, 2.1)]
    [table] = find_tables(fixture("two_row_header_base_and_target.txt"), UNDATED)
    assert table.header_more == (3,) and lines_of(table) == {2, 3, 4, 5}


def test_a_year_spanning_a_target_and_an_achieved_column_becomes_both():
    ctx = PlanContext("p", "000000", "某县", "annual", None, None, document_kind="report")
    found = {(m.indicator_as_written, m.year, m.kind): m.value for m in read("two_row_header_spanned_years.txt", ctx)}
    assert found == {
        ("新增科技型中小企业", 2023, "target"): 40, ("新增科技型中小企业", 2023, "actual"): 46,
        ("新增科技型中小企业", 2024, "target"): 50, ("新增科技型中小企业", 2024, "actual"): 38,
        ("研发经费投入强度", 2023, "target"): 1.8, ("研发经费投入强度", 2023, "actual"): 1.9,
        ("研发经费投入强度", 2024, "target"): 2.0, ("研发经费投入强度", 2024, "actual"): 2.1,
    }


def test_units_under_the_years_are_the_units_of_their_columns():
    found = [(m.indicator_as_written, m.year, m.value, m.unit, m.kind) for m in read("two_row_header_units.txt", BULLETIN)]
    assert found == [("高新技术企业", 2022, 31, "家", "actual"), ("高新技术企业", 2023, 37, "家", "actual"),
                     ("科技型中小企业", 2022, 52, "家", "actual"), ("科技型中小企业", 2023, 66, "家", "actual")]


@pytest.mark.parametrize("below", [
    "\t\t基期值\t目标值\t备注",  # more cells than value columns, not a multiple of them
    "\t\t基期值\t高新技术企业",  # a name, not a word of what a column holds
    "\t\t2020\t2025",  # figures: a row, not a header
])
def test_a_line_under_the_header_that_is_no_second_header_leaves_the_columns_alone(below):
    header = "指标名称\t单位\t2020年\t2025年"
    text = "\n".join([header, below, "高新技术企业数\t家\t85\t150", ""])
    [table] = find_tables(tuple(text.split("\n")), UNDATED)
    assert table.header_more == () and [(c.year, c.kind) for c in table.columns if c.role == "value"] == [
        (2020, "target"), (2025, "target")]
