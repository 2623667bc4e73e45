"""Table layouts as users' text exports flatten them (small made-up plans)."""

from planwatch.plans.model import PlanContext
from planwatch.plans.tables import split_name_unit, table_mentions

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


def test_unit_in_parentheses_but_not_an_acronym():
    assert split_name_unit("全社会研究与试验发展（R&D）经费支出占地区生产总值（GDP）的比重（%）") == (
        "全社会研究与试验发展（R&D）经费支出占地区生产总值（GDP）的比重", "%")
    assert split_name_unit("万名就业人员中R&D人员数（人/万人）") == ("万名就业人员中R&D人员数", "人/万人")
    assert split_name_unit("高新技术企业数") == ("高新技术企业数", None)
