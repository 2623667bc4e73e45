"""Targets and achieved figures written as sentences.

A document is normalised once (planwatch.text.normalize_document) and segmented once: sections
(a numbered heading says whether its section reports the past, sets goals or lists tasks),
paragraphs (lines a page break split are joined), sentences (split at 。；！？) and clauses (split
at ，：). Every quantity in a clause becomes a mention, read by named rules, one per dimension;
each mention lists the rules that read it in `Mention.rule`:

- quantity  what the number is: number_unit, chinese_numeral, percent_of, fraction, range,
            rank_ordinal, rank_top, doubling;
- time      the year (or part of a year) it refers to: explicit_year, year_after, relative_year,
            plan_period, partial_year, from_to, carried_year, section_default, plan_end, undated;
- indicator the words that name it: words_before, noun_after, respectively, from_to,
            carried_subject, part_of_whole;
- kind      target or actual: past_year, future_year, actual_cue, target_cue, estimate,
            task_target, section, document_kind.

The words the rules match (qualifiers, type cues, kind cues, heading words, time words, plan
names, units) are data: seeds/reference/lexicon/*.csv and seeds/reference/units.csv, read by
planwatch.plans.lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from planwatch.periods import named_period_year, parse_period
from planwatch.plans.cells import (
    APPROX, AT_LEAST, AT_MOST, AVG_GROWTH, EXACT, GROWTH, INCREMENT, LEVEL, OTHER, PP_INCREASE, RANGE, RANK,
)
from planwatch.plans.lexicon import alternation, default_lexicon
from planwatch.plans.model import Mention, PlanContext
from planwatch.text import chinese_numeral_to_number, normalize, normalize_document

LEX = default_lexicon()
_BOUND = {"at_least": AT_LEAST, "at_most": AT_MOST, "approximately": APPROX, "exact": EXACT}

# ---------- vocabulary from the lexicon, compiled once
_BEFORE_Q = alternation(LEX.qualifier_words("before"))
_AFTER_Q = alternation(LEX.qualifier_words("after"))
_INNER_Q = alternation(w for w in LEX.qualifier_words("after") if len(w) == 1)  # 40多项, 45万余份
_UNIT_ALT = alternation(LEX.units)
_PLAN_NAMES = alternation(LEX.plan_periods)
_CN_NUM = r"(?:[一二两三四五六七八九十百千]{2,}|[二两三四五六七八九十])"
_NUM = rf"\d+(?:\.\d+)?|{_CN_NUM}"

QUANTITY = re.compile(
    rf"(?P<prefix>{_BEFORE_Q})?\s*"
    rf"(?P<num>{_NUM})"
    r"(?:\s*(?:-|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"\s*(?P<mult>万|亿)?(?P<inner>{_INNER_Q})?(?P<unit>{_UNIT_ALT})"
    rf"(?P<suffix>{_AFTER_Q})?"
)
# 百分之四十五: a percentage written in words.
_PERCENT_OF = re.compile(rf"(?P<prefix>{_BEFORE_Q})?百分之(?P<num>{_CN_NUM}(?:点[零〇一二三四五六七八九]+)?|{_NUM})(?P<suffix>{_AFTER_Q})?")
# 1/3, 三分之一: a fraction (of enterprises, of the total).
_FRACTION = re.compile(
    rf"(?P<prefix>{_BEFORE_Q})?(?:(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d/.])|(?P<cb>{_CN_NUM}|一)分之(?P<ca>{_CN_NUM}|一))"
    rf"(?P<suffix>{_AFTER_Q})?"
)
_RANK_WORDS = alternation(LEX.relations.get("rank", ()))
# "在全省十三市中排名第八", "连续六年位居全市第一", "居全州第一", "排名第50位" (not 第一批, 第二届).
_RANK_ORDINAL = re.compile(
    rf"(?:{alternation(w for w in LEX.relations.get('rank', ()) if len(w) > 1 or w == '居')})[^，。；,;：:]{{0,12}}?"
    r"第(?P<ord>\d+|[一二三四五六七八九十]+)(?:位|名)?(?![批个届次家期季年章条款轮项部阶类位名\d])")
# "全国县域经济50强", "全国百强高新区", "进入全国前10位": a rank to be within (at most N).
_RANK_TOP = re.compile(
    r"(?P<scope>全国|全省|全州|全市)(?P<what>[^，。；、,;\d百千强前]{0,14}?)"
    r"(?:(?P<n>\d+|百|千)强(?P<tail>[\u4e00-\u9fff]{0,6}?)(?=[，。；、,;]|$|行列|榜)|前(?P<top>\d+|[一二三四五六七八九十]+)(?:位|名|强))"
)
_DOUBLING_WORDS = dict(LEX.type_cues.get("doubling", ()))
_DOUBLING = re.compile(rf"(?P<cue>{alternation(_DOUBLING_WORDS)})")

_YEAR = re.compile(r"(?P<to>到|至|截至|截止)?\s*(?P<year>(?:19|20)\d{2})\s*年(?P<tail>底|末|前|内|左右)?")
_RELATIVE_YEAR = re.compile(rf"(?P<to>到|至|截至|截止)?(?P<word>{alternation(LEX.time_words)})(?P<tail>底|末)?")
_PLAN_PERIOD = re.compile(rf"\"?(?P<plan>{_PLAN_NAMES})\"?\s*(?P<tail>末|期末|末期|期间|时期|以来)?")
# 1-9月, 1至9月, 前三季度, 上半年, 截至10月底: part of a year, read into the statistics loader's period label.
_PARTIAL_YEAR = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?:"
    r"(?:1|一)\s*(?:-|至|到|~)\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:份)?"
    r"|前(?P<q>[一二三1-3])季度|(?P<h>上半年)"
    r"|(?:截至|截止|截至到)\s*(?P<y2>(?:19|20)\d{2}\s*年)?\s*(?P<m2>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:底|末|份)?)"
)
_COMPARE_BEFORE = re.compile(rf"(?:{alternation(LEX.relations.get('compare', ()))})\s*$")

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_SPLIT = re.compile(r"[，,：:|]")  # | separates the cells of a table flattened into text
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))\s*"
)
_TOP_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
_TOC_LINE = re.compile(r"\.{4,}|…{2,}")
# "# source: …", "# region: …": metadata lines a scraper (or the corpus) writes above the text.
_METADATA_LINE = re.compile(r"^#\s*[A-Za-z_]+\s*:")

_STRONG_TARGET = re.compile(alternation(LEX.cue_words("target", "strong")))
# 争取, 确保: a goal in a plan, but in a report "争取上级资金5450万元" is what was won.
_PLAN_TARGET = re.compile(alternation(LEX.cue_words("target", "plan")))
_WEAK_TARGET = re.compile(alternation(LEX.cue_words("target", "weak") + LEX.cue_words("target", "plan")))
_STRONG_ACTUAL = re.compile(alternation(LEX.cue_words("actual", "strong")))
_WEAK_ACTUAL = re.compile(alternation(LEX.cue_words("actual", "weak")))
_STRETCH = re.compile(alternation(q.word for q in LEX.qualifiers if q.stretch))
_PER_YEAR = re.compile(alternation(LEX.words("per_year")))
_ESTIMATE = re.compile(alternation(LEX.cue_words("estimate")))
_CONTEXT_STATE = re.compile(alternation(LEX.cue_words("state")))
_TO_YEAR = re.compile(r"(?<![截止])(?:到|至)\s*(?:20\d\d\s*年|\"?(?:" + _PLAN_NAMES + r")\"?\s*末)")
_TASK_TARGET = re.compile(rf"[(（][^()（）]{{0,6}}(?:{alternation(LEX.cue_words('task'))})[^()（）]{{0,8}}$")

_LEAD_STRIP = re.compile(
    r"^(?:[、，,和及与|\s]+|[一二三四五六七八九十]+是|\d+[、.．](?!\d)|[(（](?:\d+|[一二三四五六七八九十]+)[)）]|"
    r"(?:\d+|[一二三四五六七八九十两]+)年(?:内|来|间)?|到\s*20\d\d\s*年(?:底|末)?|20\d\d\s*年(?:底|末)?|"
    rf"\"?(?:{_PLAN_NAMES})\"?(?:期间|末|时期)?|{alternation(LEX.time_words)}|要(?!素|求|点)|{alternation(LEX.lead_words)})+"
)
_STRETCH_ANYWHERE = re.compile(alternation(q.word for q in LEX.qualifiers if q.stretch) + "|确保")
_INCREMENT_VERB = re.compile(rf"^(?:{alternation(LEX.words('increment'))})")
_RATE_CUE = alternation(LEX.words("avg_growth") + LEX.words("growth") + LEX.words("decline"))
_GROWTH_TAIL = re.compile(rf"(?P<cue>{_RATE_CUE})(?:率)?(?:{alternation(LEX.words('level'))})?$")
_PP_TAIL = re.compile(rf"(?P<cue>{alternation(LEX.words('points') + LEX.words('points_decline'))})(?:了)?$")
_LEVEL_TAIL = re.compile(rf"(?:{alternation(LEX.words('level'))})+$")
_COMPLETION_TAIL = re.compile(rf"(?:{alternation(LEX.words('completion'))})(?:{alternation(LEX.words('level'))})?$")
_COMPARISON_BASE = re.compile(
    r"(?<=[\u4e00-\u9fff)\"])(?<!占)(?:比|较|与)(?:上年度?|去年|上年同期|同期|(?:19|20)\d{2}\s*年(?:底|末)?|\"?(?:" + _PLAN_NAMES
    + r")\"?\s*(?:末期|期末|末)?)(?:相比)?(?P<verb>(?:净)?(?:增加|增长|新增|多|减少)了?)?$")
_CUMULATIVE = re.compile(alternation(LEX.words("cumulative")))
_ACTUAL_INCREMENT = set(LEX.words("increment_actual"))
_MEASURE_NOUN = re.compile(rf"(?:{alternation(LEX.words('measure'))})")
_RATIO_OF = re.compile(r"^与[^，,]{1,15}?之比(?:为|达到|达)?")
_RELATION_START = re.compile(rf"^(?:{alternation(LEX.relations.get('compare', ()) + LEX.relations.get('share', ()))})")
_RANK_START = re.compile(rf"^(?:{_RANK_WORDS})")
_JOINER = re.compile(r"^[、和及与或]*$")
_LAYOUT = alternation(LEX.noise.get("layout", ()))
_SET_PHRASE = re.compile(rf"(?:一|二|两)(?:{alternation(LEX.noise.get('set_phrase', ()))})")
_SELF_COUNT = re.compile(rf"(?:大|项|个|条)?(?:{alternation(LEX.noise.get('self_count', ()))})")


@dataclass
class _Section:
    kind: str = "intro"  # intro | past | context | target | principle | task


def _heading_section(title: str) -> str | None:
    return next((section for word, section in LEX.headings if word in title), None)


def classify_heading(text: str) -> str | None:
    """Section kind for a numbered heading line, or None when the line is not a heading.

    "二、主要目标：到2025年…": a heading ending in a colon that runs into its first sentence is
    still a heading; its title is the part before the colon.
    """
    s = normalize(text).strip()
    m = _HEADING.match(s)
    if not m or _TOC_LINE.search(s):
        return None
    title = re.split(r"[。；;:：]", s[m.end():], maxsplit=1)[0]
    if len(title) > 40:
        return None
    return _heading_section(title) or "task"


def _is_top_heading(text: str) -> bool:
    return bool(_TOP_HEADING.match(normalize(text).strip()))


# "项目计划投资：…", "依托单位：…": fields of a single project's box (专栏), not regional targets.
_PROJECT_FIELD = re.compile(
    r"^\s*(?:项目)?[^，。；：:]{0,10}(项目|单位|基础|意义|方向|类别|领域|成果|效益|投资|内容|创新点|地点|规模|周期|进度)[^，。；：:]{0,8}[：:]"
)
# Any short "label：" at the start of a line begins a new field, so a box's fields never run together.
_FIELD_START = re.compile(r"^\s*(?:专栏|[^，。；：:]{2,14}[：:])")
# Column headers of registers: tables listing individual projects or platforms, one per row.
# Figures in them (a project's output, jobs, patents) belong to that project, not to the region.
_REGISTER_HEADER = re.compile(r"^(?:项目名称|项目类别|承担单位|依托单位|依托合作单位|建设单位|责任单位|实施主体|创新平台名称|平台名称|企业名称|项目计划投资|计划投资|总投资|建设内容|建设规模|建设地点)$")
_PARAGRAPH_END = re.compile(r"[。；！？!?：:）)]\s*$")


def _paragraphs(lines: tuple[str, ...], skip: set[int]):
    """Join lines that a page break or a PDF column split in mid-sentence.

    Yields (text, starts) where starts lists (character offset, line number) so
    every position in the joined text maps back to its line.
    """
    buffer, starts = "", []
    for number, text in enumerate(normalize_document(tuple(lines)), start=1):
        text = text.strip()
        if number in skip or "\t" in text or _METADATA_LINE.match(text):
            if buffer:
                yield buffer, starts
            buffer, starts = "", []
            continue
        if not text:
            continue  # blank lines inside a broken sentence do not end it
        if _CELL_ROW.search(text):
            # A row of a table flattened with | between cells: a paragraph of its own, its cells clauses.
            if buffer:
                yield buffer, starts
            yield text, [(0, number)]
            buffer, starts = "", []
            continue
        starts_new = (
            not buffer
            or _PARAGRAPH_END.search(buffer)
            or _HEADING.match(text)
            or _FIELD_START.match(text)
            or len(buffer) < 20
            or _is_title(buffer, text)
        )
        if starts_new:
            if buffer:
                yield buffer, starts
            buffer, starts = text, [(0, number)]
            if _HEADING.match(text) and len(text) <= 40 and not re.search(r"[。；;，,]", text):
                yield buffer, starts  # a heading line stands alone; the next line starts the text
                buffer, starts = "", []
        else:
            starts.append((len(buffer), number))
            buffer += text
    if buffer:
        yield buffer, starts


# A news title: no punctuation, its phrases set apart by spaces ("R&D经费投入较快增长 企业研发投入主体作用凸显"),
# or followed by a line opening with a year; it is not the start of the sentence on the next line.
_TITLE_GAP = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]")
_OPENS_WITH_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年")


_CELL_ROW = re.compile(r"\S\s*\|\s*\S|\|\s*\|")


def _is_title(buffer: str, line: str) -> bool:
    if re.search(r"[，。；：,;:！？!?、]", buffer) or len(buffer) > 40:
        return False
    return bool(_TITLE_GAP.search(buffer) or _OPENS_WITH_YEAR.match(line))


def register_lines(lines: tuple[str, ...]) -> set[int]:
    """Lines inside registers: from a second register column header to the next top-level heading."""
    inside: set[int] = set()
    headers = 0
    for number, text in enumerate(normalize_document(tuple(lines)), start=1):
        text = text.strip()
        if _is_top_heading(text) and classify_heading(text) is not None:
            headers = 0
        if _REGISTER_HEADER.match(re.sub(r"\s+", "", text)):
            headers += 1
        if headers >= 2:
            inside.add(number)
    return inside


def _line_at(starts, offset: int) -> int:
    line = starts[0][1]
    for start, number in starts:
        if start <= offset:
            line = number
    return line


@dataclass
class _State:
    """What one sentence leaves for the next in the same paragraph: its year and its subject."""

    year: tuple | None = None  # (year, rule, period) of the last explicit year
    subject: str = ""


def prose_mentions(lines: tuple[str, ...], ctx: PlanContext, document: str, table_lines: set[int]) -> list[Mention]:
    section = _Section()
    mentions: list[Mention] = []
    registers = register_lines(lines)
    # A paragraph printed again (a section or the whole text repeated) is read in the section it
    # was first read in, so the repeat states the same targets as the first printing.
    first_read_in: dict[str, str] = {}
    for text, starts in _paragraphs(lines, table_lines):
        heading_kind = classify_heading(text)
        if heading_kind is None and _CELL_ROW.search(text) and not _MAY_HOLD_A_NUMBER.search(text.replace("一级", "").replace("二级", "").replace("三级", "")):
            cells = [c.strip() for c in text.split("|") if c.strip()]
            # "绩效目标 | 一级指标 | 二级指标 | …": the header of a table flattened into text
            heading_kind = _heading_section("".join(cells[:2])) if cells and max(map(len, cells)) <= 16 else None
            if heading_kind is not None:
                section.kind = heading_kind
                continue
        if heading_kind is not None and _is_top_heading(text):
            section.kind = heading_kind
        elif heading_kind in ("past", "target") and len(text) <= 20 and not re.search(r"[。；;，,]", text):
            section.kind = heading_kind  # "1.总体目标": a lower heading that names what its part holds
        elif len(text) >= 20:
            section.kind = first_read_in.setdefault(text, section.kind)
        if _TOC_LINE.search(text) or _PROJECT_FIELD.match(text) or starts[0][1] in registers:
            continue
        offset = 0
        state = _State()
        for sentence in _sentences(text):
            begin = text.index(sentence, offset)
            offset = begin + len(sentence)
            for m, at in _sentence_mentions(sentence, section.kind, ctx, document, starts[0][1], text, state):
                # The number's own position, so a paragraph joined across lines maps back to its line.
                mentions.append(_at_line(m, _line_at(starts, begin + at), lines))
    return mentions


def _at_line(m: Mention, line: int, lines) -> Mention:
    return replace(m, line=line, context=lines[line - 1].strip()[:200])


def _sentences(text: str) -> list[str]:
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]


# ---------- quantity rules: what the number is


@dataclass
class _Quantity:
    start: int  # where the quantity (with its leading qualifier) starts
    end: int
    at: int  # where its number starts
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    before: str  # qualifier word before the number
    after: str  # qualifier word after it (or inside: 40多项)
    rule: str
    target_type: str | None = None  # set by the rule (rank, other), else read from the words before
    name: str | None = None  # set by the rule (rank_top), else read from the words


def _number(text: str) -> float | None:
    return float(text) if text[0].isdigit() else chinese_numeral_to_number(text)


def _number_unit(sentence: str, m: re.Match) -> _Quantity | None:
    value = _number(m.group("num"))
    if value is None:
        return None
    unit = LEX.unit_forms.get((m.group("mult") or "") + m.group("unit"), (m.group("mult") or "") + m.group("unit"))
    low = high = None
    rule = "number_unit" if m.group("num")[0].isdigit() else "chinese_numeral"
    if m.group("num2"):
        low, high, value, rule = value, float(m.group("num2")), None, "range"
        if low >= high:
            return None
    after = m.group("suffix") or m.group("inner") or ""
    return _Quantity(m.start(), m.end(), m.start("num"), value, low, high, unit, m.group("prefix") or "", after, rule)


def _quantities(sentence: str) -> list[_Quantity]:
    found: list[_Quantity] = []
    for m in QUANTITY.finditer(sentence):
        if _is_noise(sentence, m):
            continue
        q = _number_unit(sentence, m)
        if q is not None:
            found.append(q)
    for m in _PERCENT_OF.finditer(sentence) if "百分之" in sentence else ():
        value = _number(m.group("num"))
        if value is not None:
            found.append(_Quantity(m.start(), m.end(), m.start("num"), value, None, None, "%", m.group("prefix") or "",
                                   m.group("suffix") or "", "percent_of"))
    for m in _FRACTION.finditer(sentence) if ("/" in sentence or "分之" in sentence) else ():
        if m.group("a"):
            a, b = float(m.group("a")), float(m.group("b"))
        else:
            a, b = _number(m.group("ca")) or 0, _number(m.group("cb")) or 0
        if 0 < a < b <= 100 and not _UNIT_NEXT.match(sentence, m.end()):
            found.append(_Quantity(m.start(), m.end(), m.start(), a / b, None, None, None, m.group("prefix") or "",
                                   m.group("suffix") or "", "fraction"))
    for m in _RANK_ORDINAL.finditer(sentence) if "第" in sentence else ():
        value = _number(m.group("ord"))
        if value is not None:
            found.append(_Quantity(m.start(), m.end(), m.start("ord"), value, None, None, "位", "", "以内", "rank_ordinal", RANK))
    for m in _RANK_TOP.finditer(sentence) if ("强" in sentence or "前" in sentence) else ():
        n = m.group("n") or m.group("top")
        value = {"百": 100.0, "千": 1000.0}.get(n) or _number(n)
        if value is None:
            continue
        name = f"{m.group('scope')}{m.group('what')}{m.group('tail') or ''}排名"
        found.append(_Quantity(m.start(), m.end(), m.start("n") if m.group("n") else m.start("top"), value, None, None, "位",
                               "", "以内", "rank_top", RANK, name))
    for m in _DOUBLING.finditer(sentence) if ("番" in sentence or "倍" in sentence) else ():
        found.append(_Quantity(m.start(), m.end(), m.start(), _DOUBLING_WORDS[m.group("cue")], None, None, "倍", "", "",
                               "doubling", OTHER))
    # Overlaps (第八 read as a rank and as 八 + a unit, 百分之 and a number): the earliest, longest wins;
    # a rank or a doubling wins over the plain number it contains.
    priority = {"rank_ordinal": 0, "rank_top": 0, "doubling": 0, "percent_of": 1, "fraction": 1}
    found.sort(key=lambda q: (q.start, priority.get(q.rule, 2), -(q.end - q.start)))
    kept: list[_Quantity] = []
    for q in found:
        clash = next((k for k in kept if q.start < k.end and k.start < q.end), None)
        if clash is None:
            kept.append(q)
        elif priority.get(q.rule, 2) < priority.get(clash.rule, 2):
            kept[kept.index(clash)] = q
    return sorted(kept, key=lambda q: q.start)


_UNIT_NEXT = re.compile(rf"\s*(?:{_UNIT_ALT})")
_ATTRIBUTIVE = re.compile(r"(?:[、和及与][^，。；,;]{0,15}?)?的(?![^，。；,;]{0,4}(?:目标|水平|任务))(?!增长|增速|比重)|级")
_EXISTING = re.compile(r"现有的?\s*$")
_LAYOUT_AFTER = re.compile(rf"[^，。；,;\s]{{0,6}}?(?:{_LAYOUT})(?:$|[^\u4e00-\u9fff]|[根依以围按，。])")
_RANK_SCOPE = re.compile(rf"[^，。；,;]{{0,8}}?中\s*(?:{_RANK_WORDS})")
_DIGIT_PLUS = re.compile(r"\d\+$")
# Characters without which a sentence states no quantity (digits, numerals, 番/倍 of a doubling, 强 of a rank).
_MAY_HOLD_A_NUMBER = re.compile(r"[\d一二两三四五六七八九十百千番倍]")


def _is_noise(sentence: str, m: re.Match) -> bool:
    """Numbers that are names or labels, not quantities: '4+4 科创工程', '5+1 产业', '一主一特多优'."""
    before = sentence[max(0, m.start() - 1) : m.start()]
    after = sentence[m.end() : m.end() + 1]
    if before in ("+", "第") or after == "+":
        return True
    # Inside a title (《…十条措施》): part of a name.
    head = sentence[: m.start()]
    if head.count("《") + head.count("<") > head.count("》") + head.count(">"):
        return True
    # A short quoted slogan ("六个倍增、六个突破"): a name for a group of targets, each item a word or two.
    if head.count('"') % 2 == 1:
        close = sentence.find('"', m.end())
        quoted = sentence[head.rfind('"') + 1: close] if close >= 0 else ""
        if quoted and len(quoted) <= 12 and all(len(item) <= 5 for item in re.split(r"[、,，]", quoted)):
            return True
    # Attributive: "产值过100亿元、税收过2亿元的产业集群" defines a class; the count of the class is the target.
    if _ATTRIBUTIVE.match(sentence, m.end()):
        return True
    # "以现有的四个省级高新区为重点": what exists now, named as a base for the task.
    if _EXISTING.search(sentence, 0, m.start()):
        return True
    # "南北两条创新轴", "一核两翼": parts of a spatial layout, not things to count.
    if _LAYOUT_AFTER.match(sentence, m.end()):
        return True
    # Set phrases read as number + unit: 二次开发, 一次性, 一条龙.
    if _SET_PHRASE.match(sentence, m.start("num")):
        return True
    # "在全省13个设区市中排名第五": the number of places ranked, not a figure.
    if _RANK_SCOPE.match(sentence, m.end()):
        return True
    # "实现六个目标：", "18项措施": counts of the document's own items.
    own = _SELF_COUNT.match(sentence, m.end())
    if own and re.match(r"\s|$|[:：，。；,;、]", sentence[own.end():]):
        return True
    # "4+4": a quoted slogan with digits.
    return bool(_DIGIT_PLUS.search(sentence, 0, m.start()))


# ---------- indicator rules: the words that name the figure, and what kind of figure they say it is


@dataclass
class _Phrase:
    indicator: str
    target_type: str | None
    per_year: bool
    stretch: bool
    sign: float = 1.0
    relation: str = ""  # compare | share | rank: the figure relates to a subject named before
    verb: str = ""  # the increment verb that opened the phrase (新增, 建成)
    cumulative: bool = False  # 累计: a total over the plan's years


def inherit_measure(part: str, whole: str) -> str:
    """'专利申请量…，其中发明专利…' → 发明专利申请量: a 其中 part counts what the whole counts.

    The part's name ends where the whole's begins (…专利 / 专利…); the rest of
    the whole's name (申请量) is the measure the part inherits.
    """
    for size in range(min(len(part), len(whole)) - 1, 1, -1):
        if part.endswith(whole[:size]):
            return part + whole[size:]
    return part


def _actual_type(target_type: str, verb: str = "") -> str:
    """An achieved figure's measure: an increment only when its words say it is new (新增, 比上年增加)."""
    if target_type == INCREMENT and verb and verb not in _ACTUAL_INCREMENT:
        return LEVEL  # "获得自治区科技进步奖42项": a count of the period
    return target_type if target_type in (GROWTH, AVG_GROWTH, INCREMENT, PP_INCREASE, RANK, OTHER) else LEVEL


def _clean(p: str) -> str:
    p = _LEAD_STRIP.sub("", p.strip()).strip()
    return p.strip(" \"'、，,的")


def _read_phrase(phrase: str, unit: str | None) -> _Phrase:
    """Indicator words and target kind from the text before a quantity."""
    p = phrase.strip().strip('"\'').strip()
    cumulative = bool(_CUMULATIVE.search(p))
    ratio = _RATIO_OF.match(p)  # "与地区生产总值之比为2.31%": the ratio of the figure named before
    per_year = bool(_PER_YEAR.search(p))
    stretch = bool(_STRETCH.search(p))
    p = _LEAD_STRIP.sub("", p).strip()
    target_type: str | None = None
    sign = 1.0
    if unit == "个百分点" and (g := _PP_TAIL.search(p)):
        target_type = PP_INCREASE
        sign = -1.0 if g.group("cue") in LEX.words("points_decline") else 1.0
        p = p[: g.start()]
    elif unit in ("%", "‰") and (g := _COMPLETION_TAIL.search(p)):
        target_type = OTHER
        p = p[: g.start()]
    elif unit in ("%", "‰") and (g := _GROWTH_TAIL.search(p)):
        cue = g.group("cue")
        target_type = AVG_GROWTH if (cue in LEX.words("avg_growth") or "年均" in phrase) else GROWTH
        sign = -1.0 if cue in LEX.words("decline") else 1.0
        p = p[: g.start()]
    base = _COMPARISON_BASE.search(p)
    if base:
        # "高新技术企业数量比2016年增加了235家": X compared with a base; X is the indicator.
        if target_type is None and base.group("verb") and unit not in ("%", "‰", "个百分点"):
            target_type = INCREMENT
        p = p[: base.start()]
    verb = _INCREMENT_VERB.match(p)
    if verb and _MEASURE_NOUN.fullmatch(_LEVEL_TAIL.sub("", p[verb.end():]).strip()):
        verb = None  # "孵化面积", "转化率": the verb is part of the measure's name
    verb_word = verb.group(0) if verb else ""
    if verb:
        p = p[verb.end():]
        if target_type is None:
            target_type = INCREMENT
    p = _LEVEL_TAIL.sub("", p.strip()).strip()
    p = _LEAD_STRIP.sub("", p).strip()
    if cumulative and target_type in (None, LEVEL):
        target_type = INCREMENT
    if target_type is None and _LEVEL_TAIL.search(phrase.strip()):
        target_type = LEVEL
    p = _STRETCH_ANYWHERE.sub("", p.strip(" \"'、，,的"))
    if "每年" in p:
        p = p.replace("每年", "")
        per_year = True
    relation = ""
    if ratio:
        p, relation = _LEVEL_TAIL.sub("", ratio.group(0)), "share"
    elif _RELATION_START.match(p):
        relation = "share" if p.startswith(LEX.relations.get("share", ("占",))) else "compare"
    elif _RANK_START.match(p):
        relation = "rank"
    if relation == "share" and target_type is None:
        target_type = LEVEL  # "占全市获奖总数的49.4%": a share is a level
    if relation == "compare":
        # "比上年增加6.38亿元": the change of the figure named before, in its own unit.
        if target_type is None and unit not in ("%", "‰", "个百分点"):
            target_type = INCREMENT
        p = ""
    return _Phrase(p.strip(), target_type, per_year, stretch, sign, relation, verb_word, cumulative)


_NOT_A_NOUN = re.compile(rf"^(?:{alternation(LEX.qualifier_words('after') + LEX.words('growth') + LEX.words('points') + LEX.words('decline'))}"
                         r"|的|和|及|与|或|等|为|是|到|至|/)")


def _noun_after(sentence: str, pos: int) -> str:
    """'建成 5 家新型研发机构' names the thing after the quantity ('' when nothing follows directly)."""
    tail = re.split(r"[，,。；;、：:（(\s]", sentence[pos:], maxsplit=1)[0]
    tail = tail.strip("\"'“”‘’")
    if not tail or _NOT_A_NOUN.match(tail) or not re.match(r"[\u4e00-\u9fff]", tail):
        return ""
    tail = re.split(r"(?:以上|左右|等|的(?:目标|任务))", tail, maxsplit=1)[0].strip()
    return tail[:30] if 2 <= len(tail) <= 30 else ""


_FROM = re.compile(r"(?:从|由)(?P<period>[^，。；,;从由]{0,12}?)的?\s*$")
_TO = re.compile(r"^\s*(?:增加|增长|提高|提升|上升|扩大|增|发展|达)(?:到|至)(?P<period>[^，。；,;]{0,12}?)的?\s*$")


def _from_to(sentence: str, quantities: list[_Quantity]) -> dict[int, tuple[str, int | None]]:
    """'高新技术企业数量从"十二五"末的21家增加到2020年的149家': one indicator, two dated values.

    Returns, by the offset of each number, the shared indicator name and the
    year its period names (None when the text names no period for it).
    """
    out: dict[int, tuple[str, int | None]] = {}
    for q1, q2 in zip(quantities, quantities[1:]):
        clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence[: q1.start])])
        head = sentence[clause_start : q1.start]
        came_from, went_to = _FROM.search(head), _TO.match(sentence[q1.end : q2.start])
        if not came_from or not went_to:
            continue
        name = _clean(head[: came_from.start()])
        if len(name) < 2:
            continue
        out[q1.start] = (name, named_period_year(came_from.group("period")))
        out[q2.start] = (name, named_period_year(went_to.group("period")))
    return out


def _respectively(sentence: str, quantities: list[_Quantity]) -> dict[int, str]:
    """'A、B、C分别达到 1、2、3': the names listed before 分别, by the offset of their number."""
    out: dict[int, str] = {}
    for marker in re.finditer(r"分别", sentence):
        clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence[: marker.start()])])
        names = [n for n in re.split(r"[、和及与]", sentence[clause_start : marker.start()]) if n.strip()]
        after = [q for q in quantities if q.start >= marker.end()][: len(names)]
        if len(names) >= 2 and len(after) == len(names):
            for name, q in zip(names, after):
                cleaned = _LEAD_STRIP.sub("", name.strip()).strip()
                if len(cleaned) >= 2:
                    out[q.start] = cleaned
    return out


def _qualifier(q: _Quantity, phrase: str) -> str:
    for word, position in ((q.after, "after"), (q.before, "before")):
        found = LEX.qualifier(word, position) if word else None
        if found is not None and found.bound != "exact":
            return _BOUND[found.bound]
    # "突破 70亿", "超过了": a bound word closing the phrase, apart from the number.
    tail = re.search(rf"(?:{_BEFORE_Q})\s*$", phrase)
    found = LEX.qualifier(tail.group(0).strip(), "before") if tail else None
    return _BOUND[found.bound] if found is not None else EXACT


# ---------- time rules: the year (or part of a year) a figure refers to


@dataclass(frozen=True)
class _Time:
    at: int
    year: int | None
    to: bool  # 到/至/截至 before it: a deadline
    tail: str | None  # 底, 末, 前 …
    rule: str
    period: str = ""
    first: int | None = None  # the first year of a period ("2018年以来")
    opening: bool = False  # the year opens its sentence ("2020年，…", "到2025年，…"): it holds for the next ones


def _opens_clause(sentence: str, at: int) -> bool:
    clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, at)])
    return clause_start == 0 and re.sub(r"截至|截止|到|至|[一二三四五六七八九十\d]+[、.．]|\s", "", _LEAD_STRIP.sub("", sentence[:at])) == ""


def _times(sentence: str, ctx: PlanContext) -> list[_Time]:
    """Every year the sentence names, except comparison bases (比2016年增加, 较上年增长)."""
    found = []
    # Up to the document's own time: a plan's base year (the year before it starts), a report's year.
    if ctx.start_year is not None and ctx.plan_kind == "five_year" and not _reports(ctx):
        since = ctx.start_year - 1
    else:
        since = ctx.reference_year if ctx.reference_year is not None else ctx.start_year
    for y in _YEAR.finditer(sentence):
        if _COMPARE_BEFORE.search(sentence[max(0, y.start() - 5): y.start()]):
            continue
        if sentence.startswith("以来", y.end()):
            # "2018年以来，建立…12个": a count since then, up to the document's own time.
            if since is not None and since > int(y.group("year")):
                found.append(_Time(y.start(), since, False, None, "since_year", first=int(y.group("year"))))
            continue
        found.append(_Time(y.start(), int(y.group("year")), bool(y.group("to")), y.group("tail"), "explicit_year",
                           opening=_opens_clause(sentence, y.start()) and not sentence.startswith("的", y.end())))
    reference = ctx.reference_year if ctx.reference_year is not None else (
        ctx.start_year if ctx.plan_kind == "annual" else None)
    for r in _RELATIVE_YEAR.finditer(sentence):
        if _COMPARE_BEFORE.search(sentence[max(0, r.start() - 5): r.start()]):
            continue
        year = None if reference is None else reference + LEX.time_words[r.group("word")]
        found.append(_Time(r.start(), year, bool(r.group("to")), r.group("tail"), "relative_year"))
    for p in _PLAN_PERIOD.finditer(sentence):
        # "到“十四五”末，…": the figure's year when the period opens its clause; "由“十二五”末的21家",
        # "较“十二五”末增加": a base, not the figure's year.
        clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, p.start())])
        opening = _LEAD_STRIP.sub("", sentence[clause_start: p.start()]).strip() in ("", "到", "至")
        if p.group("tail") in ("末", "期末", "末期") and opening and not sentence.startswith("的", p.end()):
            found.append(_Time(p.start(), LEX.plan_periods[p.group("plan")][1], sentence[p.start() - 1: p.start()] in ("到", "至"),
                               "末", "plan_period"))
    return sorted(found, key=lambda t: t.at)


def _partial_year(sentence: str, pos: int, year: int | None) -> str:
    """The statistics loader's period label for 1-9月 / 截至10月 / 前三季度 before `pos` ('' for none)."""
    label = ""
    for m in _PARTIAL_YEAR.finditer(sentence, 0, pos):
        y = m.group("y") or (m.group("y2") or "").strip().rstrip("年")
        y = int(y) if y else year
        if y is None:
            continue
        month = m.group("m") or m.group("m2")
        if m.group("q"):
            text = f"{y}年前{m.group('q')}季度"
        elif m.group("h"):
            text = f"{y}年上半年"
        else:
            text = f"{y}年1-{month}月"
        period = parse_period(text)
        if period is not None and period.is_ytd:
            label = period.label
    return label


def _kind_by_cues(clause_text: str, sentence: str, ctx: PlanContext) -> tuple[str | None, str]:
    """('target'|'actual'|None, rule) from the words of the clause and its sentence."""
    plan = not _reports(ctx)
    strong_target = bool(_STRONG_TARGET.search(clause_text) or _TO_YEAR.search(clause_text)
                         or plan and _PLAN_TARGET.search(clause_text))
    strong_actual = bool(_STRONG_ACTUAL.search(clause_text))
    if strong_actual and not strong_target:
        return "actual", "actual_cue"
    if strong_target and not strong_actual:
        return "target", "target_cue"
    sentence_target = bool(_STRONG_TARGET.search(sentence) or _TO_YEAR.search(sentence) or plan and _PLAN_TARGET.search(sentence))
    sentence_actual = bool(_STRONG_ACTUAL.search(sentence))
    if sentence_actual and not sentence_target:
        return "actual", "actual_cue"
    if sentence_target and not sentence_actual:
        return "target", "target_cue"
    return None, ""


def _reports(ctx: PlanContext) -> bool:
    return ctx.document_kind in ("bulletin", "report")


def _temporal(sentence: str, pos: int, times: list[_Time], section: str, ctx: PlanContext, phrase: str,
              state: _State) -> tuple[str | None, int | None, int | None, str, str]:
    """(kind, year, period_start, time rule, kind rule) of a quantity at `pos`; kind None drops it."""
    clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, pos)])
    clause_end = min([len(sentence)] + [c.start() for c in _CLAUSE_SPLIT.finditer(sentence, pos)])
    before = [t for t in times if t.at < pos]
    after = [t for t in times if pos < t.at < clause_end]  # "…60%以上（2027年）": a year later in the same clause
    cue_kind, cue_rule = _kind_by_cues(sentence[clause_start:pos], sentence, ctx)
    start, end, reference = ctx.start_year, ctx.end_year, ctx.reference_year
    nearest, rule = None, ""
    if before:
        nearest, rule = before[-1], before[-1].rule
    elif after:
        nearest, rule = after[0], ("year_after" if after[0].rule == "explicit_year" else after[0].rule)
    elif state.year is not None:
        carried = state.year
        # A year named earlier in the paragraph holds unless the sentence's own words say otherwise
        # (a past year before "力争…", a coming year before "比上年增长…").
        past = carried.year is not None and ((start is not None and carried.year < start)
                                             or (reference is not None and carried.year < reference))
        if not ((past and cue_kind == "target") or (not past and cue_kind == "actual" and carried.year is not None
                                                     and reference is not None and carried.year > reference)):
            nearest, rule = carried, "carried_year"
    if nearest is not None and nearest.year is not None:
        year = nearest.year
        deadline = nearest.to and nearest.tail != "底" and ctx.plan_kind == "annual" and cue_kind != "actual"
        first = nearest.first if nearest.first is not None else year
        if start is not None and year < start and not (deadline and year >= start - 1):
            return "actual", year, first, rule, "past_year"
        if reference is not None and year < reference and cue_kind != "target":
            return "actual", year, year, rule, "past_year"
        if reference is not None and year > reference:
            return "target", year, None, rule, "future_year"
        if cue_kind == "actual" or (cue_kind is None and _reports(ctx)):
            return "actual", year, year, rule, cue_rule or "document_kind"
        if start is None and cue_kind is None and section in ("past", "context"):
            return "actual", year, year, rule, "section"
        return "target", year, None, rule, cue_rule or "future_year"
    if nearest is not None:  # 今年 in a document whose reference year is unknown
        kind = cue_kind or ("actual" if _reports(ctx) or section == "past" else "target")
        return kind, None, None, rule, cue_rule or ("document_kind" if _reports(ctx) else "section")
    # No year in the sentence or the paragraph: the plans it names, the section, the cues and the document say.
    default_past = start - 1 if start is not None else None
    for name, (first, last) in LEX.plan_periods.items():
        if name in sentence and start is not None and last == start - 1 and section != "target" and cue_kind != "target":
            return "actual", last, first, "plan_period", "past_year"  # "十三五"期间…: the plan just before this one
    if section == "past":
        if cue_kind == "target" and _TO_YEAR.search(sentence):
            return "target", end, None, "plan_end" if end else "undated", cue_rule
        return "actual", default_past, None, "section_default" if start else "undated", "section"
    if cue_kind == "actual" or (cue_kind is None and _reports(ctx)):
        year = reference if reference is not None else (start if ctx.plan_kind == "annual" else default_past)
        return "actual", year, year, "section_default" if year is not None else "undated", cue_rule or "document_kind"
    if section == "target":
        return "target", end, None, "plan_end" if end else "undated", "section"
    if section == "context":
        if _CONTEXT_STATE.search(phrase):
            return "actual", default_past, None, "section_default" if start else "undated", "section"
        return None, None, None, "", ""
    weak_target = bool(_WEAK_TARGET.search(sentence))
    weak_actual = bool(_WEAK_ACTUAL.search(sentence))
    if section == "task" and (weak_target or cue_kind == "target" or ctx.plan_kind == "annual") and not weak_actual:
        return "target", end, None, "plan_end" if end else "undated", cue_rule or "section"
    if section in ("intro", "principle") and (weak_target or cue_kind == "target") and not weak_actual and (
            ctx.plan_kind == "annual" or cue_kind == "target" or ctx.document_kind == "work_plan"):
        return "target", end, None, "plan_end" if end else "undated", cue_rule or "section"
    return None, None, None, "", ""


# ---------- one sentence: quantities, each read by the four dimensions


def _sentence_mentions(
    sentence: str, section: str, ctx: PlanContext, document: str, line: int, raw: str, state: _State | None = None,
) -> list[tuple[Mention, int]]:
    """(mention, offset of its number in the sentence) for each quantity the sentence states."""
    state = state if state is not None else _State()
    quantities = _quantities(sentence) if _MAY_HOLD_A_NUMBER.search(sentence) else []
    times = _times(sentence, ctx)
    explicit = [t for t in times if t.year is not None or t.rule == "relative_year"]
    if not quantities:
        _carry(state, sentence, explicit, "")
        return []
    stretch_sentence = bool(_STRETCH.search(sentence))
    mentions: list[tuple[Mention, int]] = []
    listed = _respectively(sentence, quantities)
    spans = _from_to(sentence, quantities)
    inherited_type: str | None = None
    inherited_per_year = False
    inherited_sign = 1.0
    clause_bounds = [0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence)] + [len(sentence) + 1]
    previous_end = 0
    previous_clause = -1
    previous_indicator = ""
    subject = state.subject
    for q in quantities:
        clause_index = max(i for i, b in enumerate(clause_bounds) if b <= q.start)
        clause_start = clause_bounds[clause_index]
        if clause_index != previous_clause:
            if previous_clause >= 0 or clause_index > 0:
                # A clause with no number between ("五是大力争取上级资金支持，确保超过6000万元") names the subject.
                gap = sentence[clause_bounds[max(clause_index - 1, 0)]: clause_start].rstrip("，,：:| ")
                if clause_index - 1 > previous_clause and not QUANTITY.search(gap):
                    named = _STRETCH_ANYWHERE.sub("", _clean(gap))
                    if 2 <= len(named) <= 25:
                        subject = named
            if inherited_type != INCREMENT:
                inherited_type, inherited_per_year, inherited_sign = None, False, 1.0
            previous_end = clause_start
        phrase_start = max(clause_start, previous_end)
        phrase = sentence[phrase_start : q.start]
        joined = bool(_JOINER.match(phrase.strip())) and previous_clause == clause_index
        previous_end, previous_clause = q.end, clause_index
        read = _read_phrase(phrase, q.unit)
        indicator, target_type, per_year, stretch = read.indicator, read.target_type, read.per_year, read.stretch
        indicator_rule = "words_before"
        if q.rule == "doubling":
            target_type = OTHER
        if q.target_type is not None:
            target_type = q.target_type
        elif target_type is None and q.before in LEX.words("level"):
            target_type = LEVEL  # "突破10亿元", "不少于40家": a bound on a level
        if q.name:
            indicator = q.name
        counted = _noun_after(sentence, q.end) if q.rule not in ("doubling", "rank_ordinal", "rank_top") else ""
        if not q.name and (not indicator or (counted and not q.after)) and counted:
            # "培育两个研发中心": the thing counted follows its number and classifier.
            indicator, indicator_rule = counted, "noun_after"
        if q.start in listed:
            indicator, indicator_rule = listed[q.start], "respectively"
        span_year = None
        if q.start in spans:
            indicator, span_year = spans[q.start]
            indicator_rule = "from_to"
        if read.relation and subject and indicator_rule == "words_before" and not q.name:
            # "比上年增长9.5%", "占全社会R&D经费的比重达94.2%", "在全省十三市中排名第八": of the subject before.
            indicator = subject + indicator if read.relation in ("share", "rank") else subject
            indicator_rule = "carried_subject"
        elif (not indicator or len(indicator) < 2) and subject:
            indicator, indicator_rule = subject, "carried_subject"
        if _TASK_TARGET.search(sentence[:q.start]) and subject and indicator_rule == "words_before":
            indicator, indicator_rule = subject, "carried_subject"  # （任务目标15亿元）: the task of the figure before
        if q.rule == "rank_ordinal" and not indicator.endswith("排名"):
            indicator += "排名"
        if not indicator or len(indicator) < 2:
            continue
        if phrase.lstrip(" ，,、").startswith("其中") and previous_indicator:
            indicator = inherit_measure(indicator, previous_indicator)
            indicator_rule = "part_of_whole"
        previous_indicator = indicator
        if read.relation != "compare" and indicator_rule != "carried_subject" or read.relation == "share":
            subject = indicator  # what the next "比上年增长…" refers to
        sign = read.sign
        if target_type is None:
            if joined and inherited_type is not None:
                target_type, per_year, sign = inherited_type, per_year or inherited_per_year, inherited_sign
            else:
                target_type = inherited_type if inherited_type == INCREMENT else LEVEL
                per_year = per_year or (inherited_per_year if inherited_type == INCREMENT else False)
        if target_type in (INCREMENT, GROWTH, AVG_GROWTH, PP_INCREASE):
            inherited_type, inherited_per_year, inherited_sign = target_type, per_year, sign
        if span_year is not None:
            past = ctx.start_year is not None and span_year < ctx.start_year
            kind, year, period_start, time_rule, kind_rule = (
                ("actual", span_year, None, "from_to", "past_year") if past else ("target", span_year, None, "from_to", "future_year"))
        else:
            kind, year, period_start, time_rule, kind_rule = _temporal(sentence, q.at, times, section, ctx, phrase, state)
        if kind is None and q.rule == "rank_top":
            # a rank to reach, stated as an aim (奋进全国县域经济50强)
            kind, year, period_start, time_rule, kind_rule = "target", ctx.end_year, None, "plan_end", "section"
        if kind is None:
            continue
        if _TASK_TARGET.search(sentence[:q.start]) and kind == "actual":
            # "完成技术合同交易额20亿元（任务目标15亿元）": the task quoted beside an achieved figure.
            kind, kind_rule = "target", "task_target"
        estimate = bool(_ESTIMATE.search(sentence[clause_start:q.start])) and kind == "actual"
        if estimate:
            kind_rule = "estimate"
        value = q.value * sign if q.value is not None else None
        qualifier = _qualifier(q, phrase)
        if q.low is not None and target_type in (LEVEL, INCREMENT):
            target_type = RANGE
        if q.unit == "倍" and kind == "target" and q.rule != "doubling":
            continue  # "是…的1.6倍": a ratio to another figure, not a level to track
        period = _partial_year(sentence, q.at, year) if kind == "actual" else ""
        if period:
            time_rule = "partial_year"
        rule = f"quantity:{q.rule} time:{time_rule or 'undated'} indicator:{indicator_rule} kind:{kind_rule or 'section'}"
        mentions.append((
            Mention(
                document=document,
                line=line,
                source="prose",
                kind=kind,
                indicator_as_written=indicator,
                unit=q.unit,
                year=year,
                value=value,
                target_type=target_type if kind == "target" else _actual_type(target_type, read.verb),
                qualifier=qualifier if kind == "target" else EXACT,
                stretch=(stretch or stretch_sentence) if kind == "target" else False,
                low=q.low,
                high=q.high,
                baseline_year=None,
                baseline_value=None,
                baseline_unit=None,
                attribute="预计" if estimate else None,
                cumulative=read.cumulative and kind == "target",
                per_year=per_year if kind == "target" else False,
                source_text=sentence.strip(),
                context=raw.strip()[:200],
                period_start=period_start,
                period=period,
                rule=rule,
            ),
            q.at,
        ))
    _carry(state, sentence, explicit, subject)
    return mentions


def _carry(state: _State, sentence: str, explicit: list[_Time], subject: str) -> None:
    """What the next sentence of the paragraph inherits: the year that opened this one, and the subject."""
    opening = [t for t in explicit if t.opening or t.rule == "relative_year" and _opens_clause(sentence, t.at)]
    if opening:
        state.year = opening[-1]
    if subject:
        state.subject = subject
