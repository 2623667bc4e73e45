"""Targets and reported past figures written as sentences (small made-up plans)."""

import pytest

from planwatch.plans.model import PlanContext
from planwatch.plans.prose import inherit_measure, prose_mentions

FIVE_YEAR = PlanContext("p", "000000", "某县", "five_year", 2021, 2025)
ANNUAL = PlanContext("w", "000000", "某县", "annual", 2024, 2024)


def mentions(text: str, ctx=FIVE_YEAR):
    return prose_mentions(tuple(text.split("\n")), ctx, "doc.txt", set())


def one(text: str, ctx=FIVE_YEAR):
    found = [m for m in mentions(text, ctx) if m.kind == "target"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "sentence, indicator, value, unit, target_type, qualifier",
    [
        ("到2025年，高新技术企业达到400家。", "高新技术企业", 400, "家", "level", "exact"),
        ("到2025年，全社会研发经费投入占GDP比重达到1.1%。", "全社会研发经费投入占GDP比重", 1.1, "%", "level", "exact"),
        ("到2025年，技术合同成交额增长15%以上。", "技术合同成交额", 15, "%", "growth_pct", "at_least"),
        ("到2025年，新增发明专利30件左右。", "发明专利", 30, "件", "increment", "approximately"),
        ("到2025年，高新技术产业增加值年均增速达13%以上。", "高新技术产业增加值", 13, "%", "annual_avg_growth_pct", "at_least"),
        ("到2025年，技术合同成交额突破1亿元。", "技术合同成交额", 1, "亿元", "level", "at_least"),
        ("到2025年，万元GDP能耗控制在0.5吨以内。", "万元GDP能耗", 0.5, "吨", "level", "at_most"),
        ("到2025年，建成5家新型研发机构。", "新型研发机构", 5, "家", "increment", "exact"),
        ("到2025年，科技型中小企业不少于200家。", "科技型中小企业", 200, "家", "level", "at_least"),
    ],
)
def test_target_sentences(sentence, indicator, value, unit, target_type, qualifier):
    m = one(sentence)
    assert (m.indicator_as_written, m.value, m.unit, m.target_type, m.qualifier, m.year) == (
        indicator, value, unit, target_type, qualifier, 2025)


@pytest.mark.parametrize(
    "sentence, indicator",
    [
        ("到2025年，深入实施科技型中小企业评价入库达到500家。", "科技型中小企业评价入库"),
        ("到2025年，着力提升每万人口发明专利拥有量达到5件。", "每万人口发明专利拥有量"),
        ("到2025年，全面提高规上工业企业研发机构覆盖率达到50%。", "规上工业企业研发机构覆盖率"),
        ("到2025年，不断壮大高新技术企业达到300家。", "高新技术企业"),
        ("到2025年，加强培育科技型中小企业达到150家。", "科技型中小企业"),
        ("到2025年，切实加大全社会研发投入强度达到2.5%。", "全社会研发投入强度"),
        ("到2025年，研发经费投入强度提高0.5个百分点。", "研发经费投入强度"),
    ],
)
def test_task_verbs_before_an_indicator_are_not_its_name(sentence, indicator):
    # "加快培育高新技术企业": the verbs of the task (lexicon/task_words.csv) go, so the catalog maps the name.
    assert one(sentence).indicator_as_written == indicator


def test_stretch_and_every_year():
    m = one("力争每年新增规上工业企业10家以上。", ANNUAL)
    assert (m.indicator_as_written, m.value, m.target_type, m.qualifier, m.stretch, m.per_year, m.year) == (
        "规上工业企业", 10, "increment", "at_least", True, True, 2024)


@pytest.mark.parametrize("text, stretched", [
    # 力争 in a figure's own clause stretches that figure only
    ("到2025年，高新技术企业力争突破450家，研发机构建有率达100%，发明专利拥有量力争突破2800件。", {450: True, 100: False, 2800: True}),
    # a floor and its stretch in one clause: the stretch word right before the figure
    ("五是大力争取上级资金支持，确保超过6000万元、争取7000万元。", {6000: False, 7000: True}),
    # opening the sentence (after an item's number), it stretches every figure of the sentence
    ("（二）力争启动中试基地建设2个以上，实施科技成果转化项目8个以上。", {2: True, 8: True}),
    ("力争到2025年，技术合同成交额突破5亿元，高新技术企业达到120家。", {5: True, 120: True}),
    # opening a clause mid-sentence, the figures from there on; a lead-in's 努力 none of the list's
    ("某高新区重点对接沿海区域，力争到2025年开发面积扩展到11平方公里，工业总产值、税收分别达到300亿元、5亿元。",
     {11: True, 300: True, 5: True}),
    ("今年科技工作要努力实现两个目标：一是高新技术产业产值突破400亿元；二是新增高新技术企业50家，努力实现新增100家。",
     {400: False, 50: False, 100: True}),
    # after the number, in the name counted: 3家争创国家企业技术中心
    ("重点支持3家企业争创国家企业技术中心，新建省级工程研究中心2家。", {3: True, 2: False}),
])
def test_a_stretch_word_stretches_its_own_clause_and_when_it_opens_one_the_rest_of_the_sentence(text, stretched):
    found = {m.value: m.stretch for m in mentions(text) if m.kind == "target"}
    assert found == stretched


def test_percentage_point_increase_every_year():
    m = one("到2025年，研发投入强度每年提升0.1个百分点以上。")
    assert (m.indicator_as_written, m.value, m.unit, m.target_type, m.qualifier, m.per_year) == (
        "研发投入强度", 0.1, "个百分点", "share_increase_pp", "at_least", True)


def test_range():
    m = one("到2025年，新建省级工程技术研究中心1-2个。")
    assert (m.value, m.low, m.high, m.target_type) == (None, 1, 2, "range")


def test_one_sentence_holding_several_targets_each_on_its_own_line():
    text = "到2025年，高新技术企业数量达到400家，科技型中小企业入库数量达到500家，高新技术产\n业增加值占GDP比重达到30%，技术合同成交额达到18亿元。"
    found = [(m.indicator_as_written, m.value, m.unit, m.line) for m in mentions(text)]
    assert found == [
        ("高新技术企业数量", 400, "家", 1), ("科技型中小企业入库数量", 500, "家", 1),
        ("高新技术产业增加值占GDP比重", 30, "%", 2), ("技术合同成交额", 18, "亿元", 2),
    ]


def test_chinese_numerals_and_the_noun_after_the_classifier():
    m = one("重点打造十个乡村特色产业人才培养基地。", ANNUAL)
    assert (m.indicator_as_written, m.value, m.unit) == ("乡村特色产业人才培养基地", 10, "个")


def test_past_achievements_are_reported_actuals_not_targets():
    text = "一、发展基础\n2019年，全县研发经费投入达到2964万元，高新技术企业达到35家。"
    found = mentions(text)
    assert {m.kind for m in found} == {"actual"}
    assert [(m.indicator_as_written, m.year, m.value, m.unit) for m in found] == [
        ("研发经费投入", 2019, 2964, "万元"), ("高新技术企业", 2019, 35, "家")]


def test_part_of_a_whole_inherits_its_measure():
    text = "一、发展基础\n2020年，全市专利申请量达到7059件，其中发明专利2090件；专利授权量达到3537件，其中发明专利授权168件。"
    names = [(m.indicator_as_written, m.value) for m in mentions(text)]
    assert names == [("专利申请量", 7059), ("发明专利申请量", 2090), ("专利授权量", 3537), ("发明专利授权量", 168)]
    assert inherit_measure("国家级高新技术企业", "高新技术企业") == "国家级高新技术企业"


@pytest.mark.parametrize(
    "sentence",
    [
        "全面落实《某市支持鼓励科研创新十条措施》。",  # a title
        "以现有的四个省级高新区为重点，打造区域科技创新高地。",  # what exists, not a target
        "延伸发展南北两条创新轴。",  # a spatial layout
        "推动名优中成药的二次开发。",  # a set phrase
        "到2025年，培育产值过100亿元的产业集群。",  # a threshold defining a class
    ],
)
def test_numbers_that_are_not_targets(sentence):
    assert [m for m in mentions(sentence) if m.kind == "target" and m.unit != "个"] == [] or sentence.startswith("到2025年")
    if not sentence.startswith("到2025年"):
        assert mentions(sentence) == []
    else:
        assert all(m.value != 100 for m in mentions(sentence))


def test_project_box_fields_and_registers_are_not_regional_targets():
    text = "\n".join([
        "五、重点工程",
        "专栏一：某材料研究开发与产业化项目",
        "项目承担单位：某公司",
        "项目预期成果与效益：新建生产线一条，预计新增产值2000万元/年，新增就业岗位30个左右。",
        "附件1",
        "\t项目名称", "\t承担单位", "\t项目预期成果与效益",
        "\t某项目", "\t某公司", "\t预计实现产值2000万元/年，新增就业30人左右。",
    ])
    assert [m for m in mentions(text) if m.kind == "target"] == []


def test_a_year_later_in_the_same_clause_but_not_in_the_next():
    found = mentions("推动规模以上工业企业改造率超50%，到2027年实现食品加工企业数字化改造完成率60%以上。", ANNUAL)
    years = {m.value: (m.year, m.qualifier) for m in found}
    assert years == {50: (2024, "at_least"), 60: (2027, "at_least")}


def test_doubling_is_a_multiple_of_the_base():
    m = one("到2025年，技术合同成交额实现翻一番。")
    assert (m.indicator_as_written, m.value, m.unit, m.target_type) == ("技术合同成交额", 2, "倍", "other")


@pytest.mark.parametrize(
    "sentence, indicator, value",
    [
        ("到2025年，奋进全国县域经济50强，开创高质量发展新局面。", "全国县域经济排名", 50),
        ("到2025年，推动国家高新区挺进全国百强高新区。", "全国高新区排名", 100),
        ("到2025年，综合创新能力排名居全州第一、进入全省前列。", "综合创新能力排名", 1),
    ],
)
def test_rank_targets_are_ranks_to_be_within(sentence, indicator, value):
    m = one(sentence)
    assert (m.indicator_as_written, m.value, m.unit, m.target_type, m.qualifier) == (indicator, value, "位", "rank", "at_most")


def test_a_numbered_heading_is_its_own_paragraph():
    text = "2. 推动国家高新区挺进全国百强高新区\n大力推动园区提质升级，打造创新高地"
    found = [m for m in mentions(text) if m.kind == "target"]
    assert [(m.indicator_as_written, m.value, m.line) for m in found] == [("全国高新区排名", 100, 1)]


# ---------- the lexicon, normalisation and units the rules read


def test_a_bad_lexicon_row_names_its_file_line_and_value(tmp_path):
    import shutil

    from planwatch.plans.lexicon import LexiconError, read_lexicon
    from planwatch.config import PROJECT_ROOT

    reference = tmp_path / "reference"
    shutil.copytree(PROJECT_ROOT / "seeds" / "reference", reference)
    path = reference / "lexicon" / "qualifiers.csv"
    path.write_text(path.read_text(encoding="utf-8") + "大约,before,roughly,false,\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(LexiconError, match=rf"qualifiers.csv: line {len(lines)}: bound 'roughly' is not one of"):
        read_lexicon(reference)


def test_a_word_added_to_the_lexicon_is_read(tmp_path):
    import shutil

    from planwatch.config import PROJECT_ROOT
    from planwatch.plans.lexicon import read_lexicon

    reference = tmp_path / "reference"
    shutil.copytree(PROJECT_ROOT / "seeds" / "reference", reference)
    path = reference / "lexicon" / "plan_periods.csv"
    path.write_text(path.read_text(encoding="utf-8") + "十六五,2031,2035,\n", encoding="utf-8")
    assert read_lexicon(reference).plan_periods["十六五"] == (2031, 2035)


def test_a_document_is_normalised_once_with_what_only_the_whole_text_shows():
    from planwatch.text import normalize_document

    glossed = ("全社會研發(fā)投入增長(zhǎng)8%", "科科技型企業達到 58 家")
    assert normalize_document(glossed) == ("全社会研发投入增长8%", "科技型企业达到58家")
    # Without glosses a doubled character is the text's own (人人参与).
    assert normalize_document(("人人参与科普，全县科普活动 12 次",)) == ("人人参与科普,全县科普活动12次",)


def test_units_written_with_a_multiplier_or_another_spelling_convert():
    from planwatch.config import PROJECT_ROOT
    from planwatch.units import UnitTable

    units = UnitTable.from_dir(PROJECT_ROOT / "seeds" / "reference")
    assert units.factor("万份", "份") == 10_000
    assert units.factor("个亿", "万元") == 10_000
    assert units.factor("万家", "家") == 10_000
    assert units.factor("万份", "家") is None
    assert units.factor("千家", "家") == 1_000  # 3千余家
    assert units.factor("千万元", "万元") == 1_000  # 3千余万元: the table's own row, not 千 × 万元
    assert units.factor("场次", "次") == 1 and units.factor("万人次", "人次") == 10_000


def test_a_per_10k_indicator_written_with_its_numerators_unit_converts():
    """广西 (corpus d08 line 4): 每萬家企業法人中高新技術企業數達54家 — the name carries the per-10k-enterprises
    denominator, as 每万人口发明专利拥有量 written 件 carries per-10k-people; 25人年 per 10k employed does not
    convert to 人/万人 (person-years are no persons)."""
    from planwatch.config import PROJECT_ROOT
    from planwatch.units import UnitTable

    units = UnitTable.from_dir(PROJECT_ROOT / "seeds" / "reference")
    assert units.factor("家", "家/万家") == 1.0
    assert units.factor("件", "件/万人") == 1.0
    assert units.factor("人年", "人/万人") is None
    assert units.factor("亿元", "家/万家") is None


def test_each_mention_names_the_rule_of_each_dimension():
    m = one("到2025年，全县高新技术企业达到120家以上。")
    assert m.rule == "quantity:number_unit time:explicit_year indicator:words_before kind:target_cue"  # 到2025年
    actual = mentions("一、发展基础\n2020年，全市专利授权量3500件，比上年增长12%。")
    assert [(a.kind, a.value, a.target_type, a.rule.split()[2]) for a in actual] == [
        ("actual", 3500, "level", "indicator:words_before"), ("actual", 12, "growth_pct", "indicator:carried_subject")]


def test_the_rules_spell_out_no_word_the_lexicon_lists():
    # Qualifiers, kind cues, heading, time, plan and sub-area subject words live in
    # seeds/reference/lexicon only: a regex alternation in the rules' code (or in the sub-area attribution
    # of extract.py) naming one of them is a second list that would drift.
    import ast

    from planwatch.plans import extract, prose
    from planwatch.plans.lexicon import default_lexicon
    from planwatch.plans.rules import indicator, kind, quantity, time, vocabulary

    lex = default_lexicon()
    words = ({q.word for q in lex.qualifiers} | set(lex.time_words) | set(lex.plan_periods)
             | {w for w, _ in lex.headings} | {w for w, _, _ in lex.kind_cues}
             | {w for ws in lex.subject_words.values() for w in ws})
    words = {w for w in words if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w)}
    spelled = []
    for module in (prose, indicator, kind, quantity, time, vocabulary, extract):
        for node in ast.walk(ast.parse(open(module.__file__, encoding="utf-8").read())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "|" in node.value:
                spelled += [(module.__name__, node.lineno, w) for w in words if w in node.value]
    assert spelled == []


def test_the_part_of_a_year_opening_a_list_holds_for_its_items_until_the_sentence_ends():
    report = PlanContext("r", "000000", "某县", "annual", 2023, 2023, document_kind="report", reference_year=2023)
    periods = {m.value: m.period for m in mentions(
        "1-9月，全县技术合同成交额2.1亿元，同比增长20%；专利授权量450件，同比增长12%；2022年发明专利80件。"
        "高新技术企业86家。", report)}
    assert periods == {2.1: "2023-01..09 YTD", 20: "2023-01..09 YTD", 450: "2023-01..09 YTD", 12: "2023-01..09 YTD",
                       80: "", 86: ""}


def test_the_lexicon_seeds_accepted_values_are_the_readers_own_lists():
    # dbt checks the lexicon seeds too (models/staging/_lexicon__seeds.yml): a role the reader accepts and
    # dbt does not fails only a whole build, so the two lists are compared here.
    import yaml

    from planwatch.config import DBT_PROJECT_DIR
    from planwatch.plans import lexicon

    seeds = yaml.safe_load((DBT_PROJECT_DIR / "models" / "staging" / "_lexicon__seeds.yml").read_text(encoding="utf-8"))

    def accepted(seed: str, column: str) -> list[str]:
        [table] = [s for s in seeds["seeds"] if s["name"] == seed]
        [col] = [c for c in table["columns"] if c["name"] == column]
        return next(t["accepted_values"]["arguments"]["values"] for t in col["data_tests"] if "accepted_values" in t)

    assert accepted("subject_words", "role") == list(lexicon.SUBJECT_ROLES)
    assert accepted("qualifiers", "bound") == list(lexicon.BOUNDS)
