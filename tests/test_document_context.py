"""What a document is and which year it speaks from, when nobody says: undated documents are read
(their figures get no year, and the extractor says so), publication dates give the year 今年 means,
titles give the document's kind — and `planwatch extract` prints targets and actuals alike."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import PLANS, REFERENCE
from planwatch.cli import app
from planwatch.plans.corpus import DEFAULT_CORPUS, header_region
from planwatch.plans.document_context import (
    NO_YEAR,
    DocumentVocabulary,
    LexiconError,
    document_kind_from_title,
    plan_context,
    publication_date,
)
from planwatch.plans.extract import EXTRACT_COLUMNS, extract_paths, load_manifest
from planwatch.plans.reading import read_document

runner = CliRunner()
VOCABULARY = DocumentVocabulary.from_dir(REFERENCE)


def _doc(tmp_path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def _context(tmp_path, text: str, **given):
    return plan_context(_doc(tmp_path, text), load_manifest(tmp_path), given.pop("region", "凤凰县"),
                        vocabulary=VOCABULARY, **given)


# ---------- undated documents

UNDATED = [
    "凤凰县科技创新工作方案\n一、工作目标\n全县高新技术企业达到45家以上，技术合同成交额突破1亿元。\n",
    "昨日，县科技局召开全县科技工作会议，总结去年工作，部署今年任务。\n"
    "今年全县要新增高新技术企业10家，专利授权量突破500件。\n",
    "关于加快科技创新的实施意见\n力争全县科技型中小企业达到60家，研发投入强度提高0.5个百分点。\n",
    "凤凰县科技创新工作方案\n一、主要指标\n指标名称\t单位\t基期值\t目标值\n科技型中小企业\t家\t20\t60\n\n"
    "二、重点任务\n“十三五”期间，全县新增高新技术企业12家。高新技术企业达到45家。\n",
]


@pytest.mark.parametrize("text", UNDATED, ids=["work-plan", "news-item", "opinion", "table-and-review"])
def test_an_undated_document_is_read_without_a_year_and_says_so(tmp_path, text):
    ctx, how = _context(tmp_path, text)
    assert (ctx.start_year, ctx.end_year, ctx.reference_year) == (None, None, None)
    assert NO_YEAR in how and "region given with --region (凤凰县" in how
    [e] = extract_paths([tmp_path / "doc.txt"], tmp_path, REFERENCE, region="凤凰县")
    assert NO_YEAR in e.how
    assert len(e.targets) >= 2, e.targets  # a new user reading an undated work plan gets its targets
    assert e.targets["year"].isna().all()  # …without a year the text does not give


def test_the_cli_says_on_stderr_that_no_year_was_found(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(UNDATED[0], encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--region", "凤凰县"])
    assert result.exit_code == 0, result.output
    assert f"plan.txt: region given with --region (凤凰县 433123); {NO_YEAR}" in result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert len(frame) >= 2 and set(frame["year"]) == {""}


# ---------- years from dates in the text

@pytest.mark.parametrize("text, year, says", [
    ("凤凰县科技工作要点\n发布时间：2022-10-12  来源：县科技局\n今年全县高新技术企业达到45家。\n", 2022, "the publication date 2022-10-12"),
    ("凤凰县科技工作要点\n发布日期:2023/03/08\n今年新增专利100件。\n", 2023, "the publication date 2023/03/08"),
    ("凤凰县科技工作要点\n2023年1月5日\n今年全县高新技术企业达到45家。\n", 2023, "the date in the head 2023年1月5日"),
    ("凤凰县科技工作要点\n来源：凤凰县科技局  2021-12-30 09:15  浏览次数：35\n今年新增专利100件。\n", 2021,
     "the date in the head 2021-12-30"),
    ("凤凰县科技工作要点\n今年全县高新技术企业达到45家。\n\n凤凰县科学技术局\n二〇二四年一月五日\n", 2024,
     "the date under the signature 二〇二四年一月五日"),
    ("凤凰县科技工作要点\n今年全县高新技术企业达到45家。\n凤凰县人民政府办公室\n2020年2月28日印发\n", 2020,
     "the date under the signature 2020年2月28日"),
], ids=["labelled-iso", "labelled-slash", "date-line", "page-furniture", "signature-chinese-numerals", "signature"])
def test_the_publication_date_gives_the_year_and_what_jinnian_means(tmp_path, text, year, says):
    ctx, how = _context(tmp_path, text)
    assert ctx.reference_year == year, how
    assert (ctx.plan_kind, ctx.start_year, ctx.end_year) == ("annual", year, year)  # no explicit year: the date's
    assert f"year {year}: {says}" in how and NO_YEAR not in how


def test_jinnian_is_relative_to_the_publication_date_not_to_the_years_the_text_names(tmp_path):
    # A work report published early in 2023 reviews 2022 (its most frequent year) and sets 今年's goals.
    text = ("凤凰县科技局2022年工作总结\n发布时间：2023-01-06\n"
            "2022年全县高新技术企业达到58家，2022年技术合同成交额1.2亿元。\n今年力争高新技术企业达到70家。\n")
    ctx, how = _context(tmp_path, text)
    assert (ctx.start_year, ctx.end_year, ctx.reference_year) == (2022, 2022, 2023)
    assert "year 2022: the most frequent year in the text (3 times)" in how
    assert "今年 = 2023: the publication date 2023-01-06 (line 2)" in how


@pytest.mark.parametrize("text", [
    "凤凰县科技工作要点\n来源：http://www.fhx.gov.cn/2019-05/08/content_1.htm\n今年新增专利100件。\n",
    "凤凰县科技工作要点\n" + "为贯彻落实2018年5月28日召开的两院院士大会精神，全面实施创新驱动发展战略，加快建设创新型县，结合我县实际，"
    "制定本方案，力争全县研发投入稳步增长。\n今年新增专利100件。\n",
], ids=["date-in-a-web-address", "event-date-inside-a-sentence"])
def test_dates_that_are_not_the_documents_own_are_not_read(tmp_path, text):
    doc = _doc(tmp_path, text)
    assert publication_date(doc) is None
    ctx, how = _context(tmp_path, text)
    assert ctx.reference_year is None and NO_YEAR in how


def test_year_option_wins_and_is_said(tmp_path):
    text = "凤凰县科技工作要点\n发布时间：2022-10-12\n今年全县高新技术企业达到45家。\n"
    ctx, how = _context(tmp_path, text, year=2025)
    assert (ctx.start_year, ctx.end_year, ctx.reference_year) == (2025, 2025, 2025)
    assert "year 2025 given with --year" in how
    path = tmp_path / "doc.txt"
    result = runner.invoke(app, ["extract", str(path), "--region", "凤凰县", "--year", "2025"])
    assert result.exit_code == 0 and "year 2025 given with --year" in result.stderr
    bad = runner.invoke(app, ["extract", str(path), "--region", "凤凰县", "--year", "25"])
    assert bad.exit_code == 2 and "--year 25 is not a plausible year" in bad.stderr


def test_year_option_on_a_five_year_plan_sets_jinnian_only(tmp_path):
    ctx, how = _context(tmp_path, "凤凰县“十四五”科技创新规划\n到2025年，全县高新技术企业达到45家。\n", year=2023)
    assert (ctx.plan_kind, ctx.start_year, ctx.end_year, ctx.reference_year) == ("five_year", 2021, 2025, 2023)
    assert "'十四五' in the title" in how and "今年 = 2023: given with --year" in how


# ---------- plan periods

@pytest.mark.parametrize("title, period", [
    ("凤凰县“十三五”科技创新规划", (2016, 2020)),
    ("凤凰县科技创新十五五规划纲要", (2026, 2030)),
    ("凤凰县科技创新发展规划（2021—2025年）", (2021, 2025)),
    ("凤凰县科技创新三年行动计划(2023年-2025年)", (2023, 2025)),
])
def test_a_period_in_the_title_makes_a_multi_year_plan(tmp_path, title, period):
    ctx, how = _context(tmp_path, f"{title}\n到{period[1]}年，全县高新技术企业达到45家。\n")
    assert (ctx.plan_kind, ctx.start_year, ctx.end_year) == ("five_year", *period), how


def test_a_five_year_plan_named_in_passing_is_not_the_documents_period(tmp_path):
    text = ("2025年是“十四五”规划收官之年，也是“十五五”规划谋划之年。全县科技工作要坚持创新驱动，"
            "聚焦主导产业，强化企业创新主体地位，力争各项指标走在全市前列。\n一、主要目标\n全年新增高新技术企业10家。\n")
    ctx, how = _context(tmp_path, text)
    assert (ctx.plan_kind, ctx.start_year, ctx.end_year) == ("annual", 2025, 2025), how


def test_plan_period_names_come_from_the_lexicon(tmp_path):
    reference = tmp_path / "reference"
    (reference / "lexicon").mkdir(parents=True)
    (reference / "lexicon" / "document_kinds.csv").write_text("word,document_kind\n规划,plan\n", encoding="utf-8")
    (reference / "lexicon" / "plan_periods.csv").write_text("name,start_year,end_year\n十四五,2021,2025\n"
                                                             "新时代十年,2013,2022\n", encoding="utf-8")
    vocabulary = DocumentVocabulary.from_dir(reference)
    ctx, _ = plan_context(_doc(tmp_path, "凤凰县新时代十年科技规划\n全县高新技术企业达到45家。\n"), load_manifest(tmp_path),
                          "凤凰县", vocabulary=vocabulary)
    assert (ctx.start_year, ctx.end_year) == (2013, 2022)


@pytest.mark.parametrize("file, content, says", [
    ("document_kinds.csv", "word,document_kind\n规划,plan\n公报,statistics\n", "document_kinds.csv line 3: document_kind 'statistics'"),
    ("document_kinds.csv", "word,document_kind\n规划,plan\n规划,work_plan\n", "document_kinds.csv line 3: '规划' is listed twice"),
    ("plan_periods.csv", "name,start_year,end_year\n十四五,2025,2021\n", "plan_periods.csv line 2: needs a name"),
    ("plan_periods.csv", "name,start\n十四五,2021\n", "plan_periods.csv: missing columns ['start_year', 'end_year']"),
])
def test_a_bad_lexicon_file_names_its_line(tmp_path, file, content, says):
    reference = tmp_path / "reference"
    (reference / "lexicon").mkdir(parents=True)
    for name in ("document_kinds.csv", "plan_periods.csv"):
        (reference / "lexicon" / name).write_bytes((REFERENCE / "lexicon" / name).read_bytes())
    (reference / "lexicon" / file).write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=re.escape(says)):
        DocumentVocabulary.from_dir(reference)


# ---------- document kinds

@pytest.mark.parametrize("title, kind", [
    ("2022年凤凰县国民经济和社会发展统计公报", "bulletin"),
    ("凤凰县统计年鉴2023", "bulletin"),
    ("凤凰县2023年科技统计数据", "bulletin"),
    ("凤凰县人民政府工作报告", "report"),
    ("凤凰县科技局2023年工作总结和2024年工作思路", "report"),
    ("凤凰县“十四五”科技创新规划实施进展情况", "report"),
    ("凤凰县科技创新工作成效显著", "report"),
    ("凤凰县2024年科技工作要点", "work_plan"),
    ("凤凰县打好科技创新攻坚战工作方案", "work_plan"),
    ("关于印发《凤凰县“十四五”科技创新规划》的实施方案", "work_plan"),
    ("凤凰县科学技术局2021年度部门整体支出绩效目标申报表", "work_plan"),
    ("凤凰县“十四五”科技创新发展规划", "plan"),
    ("凤凰县科技创新三年行动计划", "plan"),
    ("关于支持区县科技创新发展的意见", "plan"),
])
def test_the_word_heading_the_title_gives_the_document_kind(tmp_path, title, kind):
    doc = _doc(tmp_path, f"{title}\n全县高新技术企业达到45家。\n")
    found = document_kind_from_title(doc, VOCABULARY)
    assert found is not None and found[0] == kind, found
    ctx, how = _context(tmp_path, f"{title}\n全县高新技术企业达到45家。\n")
    assert ctx.document_kind == kind and f"document kind {kind}:" in how


def test_without_a_kind_word_the_document_is_a_plan_and_kind_option_wins(tmp_path):
    text = "加快科技创新步伐 切实增强企业内生动力\n全县高新技术企业达到45家。\n"
    ctx, how = _context(tmp_path, text)
    assert ctx.document_kind == "plan" and "no kind word in the title" in how and "(the default)" in how
    ctx, how = _context(tmp_path, text, document_kind="report")
    assert ctx.document_kind == "report" and "document kind report: given with --kind" in how
    with pytest.raises(ValueError, match="--kind 'news' is not one of plan, work_plan, bulletin, report"):
        _context(tmp_path, text, document_kind="news")


def test_a_leading_comment_header_is_not_the_title(tmp_path):
    text = ("# source: https://example.invalid/2019-05/08/a.htm\n# region: 凤凰县\n"
            "凤凰县2019年科技工作总结\n全县高新技术企业达到45家。\n")
    ctx, how = _context(tmp_path, text)
    assert ctx.title == "凤凰县2019年科技工作总结" and ctx.document_kind == "report"
    assert ctx.reference_year == 2019 and "今年 = 2019: the plan's year" in how  # the URL's date is not read


# ---------- the dev corpus: documents without a year, as a user would run them

@pytest.mark.parametrize("name, period", [
    ("d06_luoyang_noyear.txt", (None, None)),
    ("d13_guangzhou_yearbook_table.txt", (None, None)),
    ("d16_kundulun_review_noyear.txt", (2016, 2020)),
])
def test_the_undated_corpus_documents_are_read(name, period):
    path = DEFAULT_CORPUS / "dev" / name
    if not path.is_file():
        pytest.skip(f"the development corpus is not at {DEFAULT_CORPUS}")
    [e] = extract_paths([path], PLANS, REFERENCE, region=header_region(path))
    assert (e.context.start_year, e.context.end_year) == period, e.how
    assert e.context.reference_year is None  # neither text states when it was published
    if period == (None, None):
        assert NO_YEAR in e.how
    else:
        assert "'十三五' in the title" in e.how
    if name.startswith("d06"):  # an undated news item's annual targets: read, without a year
        assert len(e.targets) >= 5 and e.targets["year"].isna().all()


# ---------- `planwatch extract` prints targets and actuals

REVIEW_AND_PLAN = ("凤凰县科技创新发展规划（2021-2025年）\n一、发展基础\n"
                   "2020年全县高新技术企业达到28家，技术合同成交额0.6亿元。\n二、发展目标\n"
                   "到2025年，全县高新技术企业达到45家以上，技术合同成交额突破1亿元。\n")


def test_the_cli_prints_one_row_per_figure_targets_and_actuals_with_their_kind(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(REVIEW_AND_PLAN, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns[: len(EXTRACT_COLUMNS)]) == EXTRACT_COLUMNS
    assert EXTRACT_COLUMNS.index("kind") == EXTRACT_COLUMNS.index("indicator_code") + 1
    figures = set(zip(frame["kind"], frame["indicator_code"], frame["year"], frame["value"], frame["source_line"]))
    assert figures >= {("actual", "tech_contract_turnover", "2020", "0.6", "3"),
                       ("target", "tech_contract_turnover", "2025", "1.0", "5"),
                       ("target", "high_tech_enterprises", "2025", "45.0", "5")}, figures
    assert list(frame["source_line"].astype(int)) == sorted(frame["source_line"].astype(int))  # in document order
    as_json = runner.invoke(app, ["extract", str(path), "--format", "json"])
    records = json.loads(as_json.stdout)
    assert {r["kind"] for r in records} == {"target", "actual"} and len(records) == len(frame)


# ---------- an undated document loads into the warehouse

OLD_PLAN_DOCUMENTS = """
create schema raw;
create table raw.plan_documents (load_id varchar not null, loaded_at timestamp not null, document varchar not null,
    document_sha256 varchar not null, extractor_version varchar not null, plan_id varchar not null,
    region_code varchar not null, region_name varchar not null, plan_kind varchar not null,
    start_year integer not null, end_year integer not null, title varchar, context_source varchar, line_count integer);
"""


@pytest.mark.parametrize("warehouse", ["new", "made-before-undated-documents"])
def test_an_undated_document_loads_with_its_kind_and_no_years(tmp_path, warehouse):
    import duckdb

    from planwatch.plans.load import land_extraction, load_landed_plan

    raw_db = tmp_path / "raw_layer.duckdb"
    if warehouse != "new":  # years NOT NULL, no document_kind/reference_year: the connection alters it
        con = duckdb.connect(str(raw_db))
        con.execute(OLD_PLAN_DOCUMENTS)
        con.close()
    path = tmp_path / "plan.txt"
    path.write_text(UNDATED[0], encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="凤凰县")
    landing = land_extraction(e, tmp_path / "landing", "test", "key")
    first = load_landed_plan(landing, raw_db)
    again = load_landed_plan(landing, raw_db)  # the same undated document again: already there
    assert (first["status"], again["status"]) == ("loaded", "skipped")
    con = duckdb.connect(str(raw_db), read_only=True)
    try:
        rows = con.execute("select start_year, end_year, reference_year, document_kind, context_source "
                           "from raw.plan_documents").fetchall()
        targets = con.execute("select count(*), count(year) from raw.plan_targets").fetchone()
    finally:
        con.close()
    assert len(rows) == 1 and rows[0][:4] == (None, None, None, "work_plan") and NO_YEAR in rows[0][4]
    assert targets[0] >= 2 and targets[1] == 0


@pytest.mark.parametrize("body, kind", [
    # a news item of results: reports what was done (同比, 比上年, 已, 以来), aims at nothing
    ("今年以来，全区高新技术企业已达58家，同比增长12%；技术合同成交额比上年增长20%；R&D经费投入强度比上年提高0.2个百分点。", "report"),
    ("1-9月，全县规上工业增加值同比增长8.1%，已完成全年任务的80%；专利授权量较上年增加35件。自2020年以来累计引进人才300名。", "report"),
    # aims, even with one look back: stays a plan
    ("力争全年新增高新技术企业20家，将技术合同成交额提高到5亿元；拟建设省级研发平台3个。去年同比增长10%。", "plan"),
    ("到2025年，全市研发投入强度力争达到2.5%，将培育科技型企业500家。", "plan"),
    # 已经 is one cue, not also 已: two looks back against two aims is not "far more"
    ("全县已经建成研发平台5个，已经认定高新技术企业30家；力争新增高新技术企业10家，将研发投入强度提高到2%。", "plan"),
])
def test_without_a_kind_word_a_text_that_reports_far_more_than_it_aims_is_a_report(tmp_path, body, kind):
    ctx, how = _context(tmp_path, f"加快科技创新步伐 切实增强企业内生动力\n{body}\n")
    assert ctx.document_kind == kind, how
    assert f"document kind {kind}:" in how


def test_a_text_with_a_heading_of_aims_is_no_report_for_lack_of_aim_words(tmp_path):
    # a work plan copied without its title: its figures carry no 力争/将, but 一、工作目标 says what they are
    body = ("字号: 大 中 小\n为深入开展科技成果产业化行动，推动科技创新和产业创新深度融合，制定本方案。\n一、工作目标\n"
            "2025年，全省就地转化重大科技成果650项以上，规模以上高技术制造业增加值增速达到6%以上。\n"
            "布局重大攻关项目200项以上，支持重大高新技术产业化项目20项以上，研制创新产品80项以上。\n")
    ctx, how = _context(tmp_path, body)
    assert ctx.document_kind == "plan", how
    path = tmp_path / "plan2.txt"
    path.write_text(body, encoding="utf-8")
    [e] = extract_paths([path], tmp_path, REFERENCE, region="黑龙江省")
    assert len(e.targets) == 5 and e.actuals.empty


# ---------- which year a review is of

MEETING_REVIEW = (
    "近日，凤凰县召开2025年全县科技工作大会，总结2024年工作，部署2025年重点任务。\n"
    "2024年，全县科技创新取得新成效。新增高新技术企业12家，技术合同成交额达到3.5亿元。\n"
    "到2026年，全县高新技术企业达到80家。\n"
)


def test_a_review_is_of_the_latest_year_it_gives_figures_for_not_its_meetings_year(tmp_path):
    # 2025 names the meeting and the tasks as often as 2024 names the results; the figures are 2024's,
    # and a deadline ahead (到2026年) is not a year reported.
    ctx, how = _context(tmp_path, MEETING_REVIEW, document_kind="report")
    assert (ctx.start_year, ctx.end_year) == (2024, 2024)
    assert "the latest year the text gives figures for" in how


def test_a_year_opening_a_paragraph_is_the_year_of_its_later_sentences_figures(tmp_path):
    text = ("2025年全县科技工作会议召开，部署2025年工作。\n"
            "2024年，全县创新体系持续完善。引进高层次人才45名，新建研发机构6家。\n")
    ctx, _ = _context(tmp_path, text, document_kind="report")
    assert ctx.start_year == 2024


@pytest.mark.parametrize("published, year", [("2021-03-08", 2020), ("2021-10-15", 2021)])
def test_a_review_naming_no_year_published_by_june_is_of_the_year_before(tmp_path, published, year):
    text = (f"发布时间：{published}\n"
            "全县全年共认定高新技术企业36家，比去年增长20%。技术合同成交额达到2.1亿元，科技贷款5亿元。\n")
    ctx, how = _context(tmp_path, text, document_kind="report")
    assert (ctx.start_year, ctx.end_year) == (year, year)
    assert ctx.reference_year == 2021  # 今年 is still the publication year
