"""Targets and reported past figures written as sentences.

A document is read as sections (headings set whether a section reports the
past, sets goals or lists tasks), sentences (split at 。；！？) and clauses
(split at ，：). Every quantity — a number with a unit — in a clause becomes a
mention; the words before it name the indicator and say what kind of target
it is (达到 → level, 增长 → growth, 新增 → increment, 提升…个百分点 → points).
Whether it is a target or a past figure follows from the years the sentence
names, its section and words such as 力争/到…年/每年 versus 十三五/已/累计.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.plans.cells import (
    APPROX, AT_LEAST, AT_MOST, AVG_GROWTH, EXACT, GROWTH, INCREMENT, LEVEL, OTHER, PP_INCREASE, RANGE,
)
from planwatch.plans.model import Mention, PlanContext
from planwatch.periods import named_period_year
from planwatch.text import chinese_numeral_to_number, normalize

UNITS = (
    "个百分点", "人/万人", "件/万人", "项/万人", "人·年", "人年", "万元", "亿元", "千元", "元", "%", "‰",
    "平方公里", "平方米", "公里", "家", "个", "件", "项", "名", "人", "所", "座", "条", "位", "台", "套", "户", "亩", "吨", "倍", "支", "处", "篇", "部", "次",
)
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
_CN_NUM = r"(?:[一二两三四五六七八九十百千]{2,}|[二两三四五六七八九十])"
QUANTITY = re.compile(
    r"(?P<prefix>不低于|不少于|超过|超|突破|高于|不高于|不超过|低于|控制在|约)?\s*"
    rf"(?P<num>\d+(?:\.\d+)?|{_CN_NUM})"
    r"(?:\s*(?:-|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"\s*(?P<mult>万(?!元|人)|亿(?!元))?(?:余|多)?(?P<unit>{_UNIT_ALT})"
    r"(?P<suffix>及以上|以上|以下|以内|左右|多)?"
)
_YEAR = re.compile(r"(?P<to>到|至|截至|截止)?\s*(?P<year>(?:19|20)\d{2})\s*年(?P<tail>底|末|前|内|左右)?")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_SPLIT = re.compile(r"[，,：:]")
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))\s*"
)
_TOC_LINE = re.compile(r"\.{4,}|…{2,}")

_PAST_HEADING = re.compile(r"基础|成绩|成效|回顾|进展|现状|取得|主要工作")
_CONTEXT_HEADING = re.compile(r"问题|挑战|形势|机遇|环境|短板|不足|差距")
_TARGET_HEADING = re.compile(r"目标|指标")
_PRINCIPLE_HEADING = re.compile(r"指导思想|原则|定位|思路|意义")
_TASK_HEADING = re.compile(r"任务|工程|行动|举措|措施|重点|布局|计划|建设|推进|实施|保障|机制")

_PAST_WORDS = re.compile(r"十三五|十二五|已经|已|累计|共计|先后|以来|获批|比.{0,8}增长|是.{0,8}的.{0,6}倍|较20\d\d年")
_FUTURE_WORDS = re.compile(r"力争|争取|争创|确保|每年|全年|年均|将|计划|预计|目标|到20\d\d|达到|突破|新增|引进|培育|建成|打造|提升|提高|推动")
_STRETCH = re.compile(r"力争|争取|争创")
_PER_YEAR = re.compile(r"每年|年均")

_LEAD_STRIP = re.compile(
    r"^(?:[、，,和及与]+|并且|其中|以及|另外|同时|力争|争取|确保|到\s*20\d\d\s*年(?:底|末)?|全年|每年|全市|全县|全区|全州|我市|我县|我区|"
    r"进一步|推动|推进|促进|实现|使|让|加快|大力|积极|重点|努力|持续|保持|规划期内|十四五期间|十四五末|期间|"
    r"\"十四五\"期间|\"十四五\"末|的)+"
)
_INCREMENT_VERB = re.compile(
    r"^(?:新增|新建|新培育|新认定|新引进|引进|引育|培育|培养|建设|建成|新设|设立|组建|创建|争创|创成|认定|申报|攻克|突破|实施|开展|打造|转化|孵化|登记|落地|举办|推广|完成|促成|取得|获得|争取|承接|招引|招商|发展)"
)
_GROWTH_TAIL = re.compile(r"(年均)?(?:增长|增速|递增|增幅)(?:率)?(?:达到|达|为|保持在|在)?$")
_PP_TAIL = re.compile(r"(?:提升|提高|增加|上升|增长)(?:了)?$")
_LEVEL_TAIL = re.compile(
    r"(?:达到|达|为|提高到|提升到|增加到|增长到|增至|提高至|提升至|扩展到|扩大到|扩大至|突破|超过|保持在|稳定在|控制在|不低于|不少于|不高于|不超过|要|将|实现|拥有|有|在)+$"
)


@dataclass
class _Section:
    kind: str = "intro"  # intro | past | context | target | principle | task


def classify_heading(text: str) -> str | None:
    """Section kind for a numbered heading line, or None when the line is not a heading."""
    s = normalize(text).strip()
    m = _HEADING.match(s)
    if not m or _TOC_LINE.search(s):
        return None
    title = re.split(r"[。；]", s[m.end():], maxsplit=1)[0]
    if len(title) > 40:
        return None
    if _PAST_HEADING.search(title):
        return "past"
    if _TARGET_HEADING.search(title):
        return "target"
    if _CONTEXT_HEADING.search(title):
        return "context"
    if _PRINCIPLE_HEADING.search(title):
        return "principle"
    return "task"


def _is_top_heading(text: str) -> bool:
    s = normalize(text).strip()
    return bool(re.match(r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])", s))


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
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if number in skip or "\t" in stripped:
            if buffer:
                yield buffer, starts
            buffer, starts = "", []
            continue
        if not stripped:
            continue  # blank lines inside a broken sentence do not end it
        text = normalize(stripped)
        starts_new = (
            not buffer
            or _PARAGRAPH_END.search(buffer)
            or _HEADING.match(text)
            or _FIELD_START.match(text)
            or len(buffer) < 20
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


def register_lines(lines: tuple[str, ...]) -> set[int]:
    """Lines inside registers: from a second register column header to the next top-level heading."""
    inside: set[int] = set()
    headers = 0
    for number, raw in enumerate(lines, start=1):
        text = normalize(raw).strip()
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


def prose_mentions(lines: tuple[str, ...], ctx: PlanContext, document: str, table_lines: set[int]) -> list[Mention]:
    section = _Section()
    mentions: list[Mention] = []
    registers = register_lines(lines)
    # A paragraph printed again (a section or the whole text repeated) is read in the section it
    # was first read in, so the repeat states the same targets as the first printing.
    first_read_in: dict[str, str] = {}
    for text, starts in _paragraphs(lines, table_lines):
        heading_kind = classify_heading(text)
        if heading_kind is not None and _is_top_heading(text):
            section.kind = heading_kind
        elif len(text) >= 20:
            section.kind = first_read_in.setdefault(text, section.kind)
        if _TOC_LINE.search(text) or _PROJECT_FIELD.match(text) or starts[0][1] in registers:
            continue
        offset = 0
        for sentence in _sentences(text):
            begin = text.index(sentence, offset)
            offset = begin + len(sentence)
            for m, at in _sentence_mentions(sentence, section.kind, ctx, document, starts[0][1], text):
                # The number's own position, so a paragraph joined across lines maps back to its line.
                mentions.append(_at_line(m, _line_at(starts, begin + at), lines))
    return mentions


def _at_line(m: Mention, line: int, lines) -> Mention:
    from dataclasses import replace

    return replace(m, line=line, context=lines[line - 1].strip()[:200])


def _sentences(text: str) -> list[str]:
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _quantity_value(m: re.Match) -> float | None:
    num = m.group("num")
    value = float(num) if num[0].isdigit() else chinese_numeral_to_number(num)
    if value is None:
        return None
    if m.group("mult") == "万":
        value *= 10_000
    elif m.group("mult") == "亿":
        value *= 100_000_000
    return value


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
    # Attributive: "产值过100亿元、税收过2亿元的产业集群" defines a class; the count of the class is the target.
    if re.match(r"(?:[、和及与][^，。；,;]{0,15}?)?的(?!目标|水平|任务|增长|增速|比重)|级", sentence[m.end():]):
        return True
    # "以现有的四个省级高新区为重点": what exists now, named as a base for the task.
    if re.search(r"现有的?\s*$", sentence[: m.start()]):
        return True
    # "南北两条创新轴", "一核两翼": parts of a spatial layout, not things to count.
    if re.match(r"[^，。；,;\s]{0,6}?(?:轴|翼|廊|圈|核|极)(?:$|[^\u4e00-\u9fff]|[根依以围按，。])", sentence[m.end():]):
        return True
    # Set phrases read as number + unit: 二次开发, 一次性, 一条龙.
    if re.match(r"(?:一|二|两)(?:次开发|次创业|次利用|次性|条龙)", sentence[m.start() :]):
        return True
    # Inside quotation marks: a programme's name such as "十个乡村特色产业人才培养基地" stays a target,
    # but a quoted slogan with digits ("4+4") does not.
    return bool(re.search(r"\d\+$", sentence[: m.start()]))


def _sentence_mentions(
    sentence: str, section: str, ctx: PlanContext, document: str, line: int, raw: str
) -> list[tuple[Mention, int]]:
    """(mention, offset of its number in the sentence) for each quantity the sentence states."""
    quantities = [m for m in QUANTITY.finditer(sentence) if not _is_noise(sentence, m)]
    specials = _special_targets(sentence)
    if not quantities and not specials:
        return []
    # "比2016年增加了235家", "较2016年增长108%": a comparison base is not the figure's own year.
    years = [(y.start(), int(y.group("year")), bool(y.group("to")), y.group("tail")) for y in _YEAR.finditer(sentence)
             if not re.search(r"(?:比|较|相比|与)\s*$", sentence[max(0, y.start() - 3): y.start()])]
    stretch_sentence = bool(_STRETCH.search(sentence))
    mentions: list[tuple[Mention, int]] = []
    listed = _respectively(sentence, quantities)
    spans = _from_to(sentence, quantities)
    inherited_type: str | None = None
    inherited_per_year = False
    clause_bounds = [0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence)] + [len(sentence) + 1]
    previous_end = 0
    previous_clause = -1
    previous_indicator = ""
    for m in quantities:
        clause_index = max(i for i, b in enumerate(clause_bounds) if b <= m.start())
        clause_start = clause_bounds[clause_index]
        if clause_index != previous_clause:
            inherited_type, inherited_per_year = None, False
            previous_end = clause_start
        phrase_start = max(clause_start, previous_end)
        phrase = sentence[phrase_start : m.start()]
        previous_end, previous_clause = m.end(), clause_index
        unit = m.group("unit")
        indicator, target_type, per_year, stretch = _read_phrase(phrase, unit)
        counted = _noun_after(sentence, m.end())
        if not indicator or (counted and not m.group("suffix")):
            # "培育两个研发中心": the thing counted follows its number and classifier.
            indicator = counted or indicator
        if m.start() in listed:
            indicator = listed[m.start()]
        span_year = None
        if m.start() in spans:
            indicator, span_year = spans[m.start()]
        if not indicator or len(indicator) < 2:
            continue
        if phrase.lstrip(" ，,、").startswith("其中") and previous_indicator:
            indicator = inherit_measure(indicator, previous_indicator)
        previous_indicator = indicator
        if target_type is None:
            target_type = inherited_type or LEVEL
            per_year = per_year or inherited_per_year
        elif target_type == INCREMENT:
            inherited_type, inherited_per_year = INCREMENT, per_year
        if span_year is not None:
            kind, year, period_start = ("target" if ctx.start_year is None or span_year >= ctx.start_year else "actual"), span_year, None
        else:
            kind, year, period_start = _temporal(sentence, m.start(), years, section, ctx, phrase)
        if kind is None:
            continue
        value = _quantity_value(m)
        qualifier = _qualifier(m, phrase)
        low = high = None
        if m.group("num2"):
            low, high, value = value, float(m.group("num2")), None
            target_type = RANGE if target_type in (LEVEL, INCREMENT) else target_type
        if unit == "倍" and kind == "target":
            continue  # "是…的1.6倍", "翻…倍": ratios to another figure, not a level to track
        mentions.append((
            Mention(
                document=document,
                line=line,
                source="prose",
                kind=kind,
                indicator_as_written=indicator,
                unit=unit,
                year=year,
                value=value,
                target_type=target_type if kind == "target" else _actual_type(target_type),
                qualifier=qualifier if kind == "target" else EXACT,
                stretch=(stretch or stretch_sentence) if kind == "target" else False,
                low=low,
                high=high,
                baseline_year=None,
                baseline_value=None,
                baseline_unit=None,
                attribute=None,
                cumulative=False,
                per_year=per_year if kind == "target" else False,
                source_text=sentence.strip(),
                context=raw.strip()[:200],
                period_start=period_start,
            ),
            m.start("num"),
        ))
    for name, value, unit, target_type, qualifier, pos in specials:
        kind, year, _ = _temporal(sentence, pos, years, section, ctx, name)
        if kind is None and target_type == LEVEL:
            kind, year = "target", ctx.end_year  # a rank to reach, stated as an aim (奋进全国县域经济50强)
        if kind != "target" or len(name) < 2:
            continue
        mentions.append((
            Mention(document=document, line=line, source="prose", kind=kind, indicator_as_written=name, unit=unit,
                    year=year, value=float(value), target_type=target_type, qualifier=qualifier, stretch=stretch_sentence,
                    low=None, high=None, baseline_year=None, baseline_value=None, baseline_unit=None, attribute=None,
                    cumulative=False, per_year=False, source_text=sentence.strip(), context=raw.strip()[:200],
                    period_start=None),
            pos,
        ))
    return mentions


def _special_targets(sentence: str) -> list[tuple[str, float, str, str, str, int]]:
    """Targets written without a number-and-unit: 翻一番, 进入全国百强, 居全州第一.

    (indicator, value, unit, target_type, qualifier, offset of the number).
    """
    found = []
    for d in _DOUBLING.finditer(sentence):
        name = _LEAD_STRIP.sub("", _LEVEL_TAIL.sub("", d.group("name").strip())).strip(" \"'、，,的")
        found.append((name, 2 ** {"一": 1, "两": 2, "二": 2, "三": 3}[d.group("times")], "倍", OTHER, EXACT, d.start("times")))
    for r in _RANK_TOP.finditer(sentence):
        n = r.group("n")
        value = {"百": 100, "千": 1000}.get(n) or float(n)
        name = f"{r.group('scope')}{r.group('what')}{r.group('tail')}排名"
        found.append((name, value, "位", LEVEL, AT_MOST, r.start("n")))
    for r in _RANK_ORDINAL.finditer(sentence):
        value = float(r.group("ord")) if r.group("ord").isdigit() else chinese_numeral_to_number(r.group("ord"))
        name = _LEAD_STRIP.sub("", r.group("name").strip()).strip(" \"'、，,的")
        if value is not None:
            found.append((name if name.endswith("排名") else name + "排名", value, "位", LEVEL, AT_MOST, r.start("ord")))
    return found


# "全国县域经济50强", "全国百强高新区": a rank to be within (at most N).
_RANK_TOP = re.compile(
    r"(?P<scope>全国|全省|全州|全市)(?P<what>[^，。；、,;\d百千强]{0,14}?)(?P<n>\d+|百|千)强(?P<tail>[\u4e00-\u9fff]{0,6}?)(?=[，。；、,;]|$|行列|榜)"
)
# "综合创新能力排名居全州第一": an ordinal rank.
_RANK_ORDINAL = re.compile(
    r"(?P<name>[^，。；、,;]{2,20}?)(?:居|位居|位列|稳居|保持)(?:全国|全省|全州|全市)第(?P<ord>[一二三四五六七八九十]+|\d+)"
)


# "技术合同成交额实现翻一番": a multiple of the plan's base level (2× for 翻一番, 4× for 翻两番).
_DOUBLING = re.compile(r"(?P<name>[^，。；,;：:]{2,30}?)(?:实现|力争|要|再)?翻(?P<times>一|两|二|三)番")


def inherit_measure(part: str, whole: str) -> str:
    """'专利申请量…，其中发明专利…' → 发明专利申请量: a 其中 part counts what the whole counts.

    The part's name ends where the whole's begins (…专利 / 专利…); the rest of
    the whole's name (申请量) is the measure the part inherits.
    """
    for size in range(min(len(part), len(whole)) - 1, 1, -1):
        if part.endswith(whole[:size]):
            return part + whole[size:]
    return part


def _actual_type(target_type: str) -> str:
    return target_type if target_type in (GROWTH, AVG_GROWTH, INCREMENT) else LEVEL


def _read_phrase(phrase: str, unit: str) -> tuple[str, str | None, bool, bool]:
    """Indicator words and target kind from the text before a quantity."""
    p = phrase.strip().strip('"\'').strip()
    per_year = bool(_PER_YEAR.search(p))
    stretch = bool(_STRETCH.search(p))
    p = _LEAD_STRIP.sub("", p).strip()
    target_type: str | None = None
    if unit == "个百分点" and _PP_TAIL.search(p):
        target_type = PP_INCREASE
        p = _PP_TAIL.sub("", p)
    elif unit in ("%", "‰") and _GROWTH_TAIL.search(p):
        g = _GROWTH_TAIL.search(p)
        target_type = AVG_GROWTH if (g.group(1) or "年均" in phrase) else GROWTH
        p = p[: g.start()]
    verb = _INCREMENT_VERB.match(p)
    if verb:
        p = p[verb.end():]
        if target_type is None:
            target_type = INCREMENT
    p = _LEVEL_TAIL.sub("", p.strip()).strip()
    p = _LEAD_STRIP.sub("", p).strip()
    if target_type is None and _LEVEL_TAIL.search(phrase.strip()):
        target_type = LEVEL
    p = p.strip(" \"'、，,的")
    if "每年" in p:
        p = p.replace("每年", "")
        per_year = True
    return p.strip(), target_type, per_year, stretch


_NOT_A_NOUN = re.compile(r"^(?:以上|左右|及以上|以内|以下|多|的|和|及|与|或|等|为|是|到|至|增长|提高|提升|下降|/)")


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


def _from_to(sentence: str, quantities: list[re.Match]) -> dict[int, tuple[str, int | None]]:
    """'高新技术企业数量从"十二五"末的21家增加到2020年的149家': one indicator, two dated values.

    Returns, by the offset of each number, the shared indicator name and the
    year its period names (None when the text names no period for it).
    """
    out: dict[int, tuple[str, int | None]] = {}
    for q1, q2 in zip(quantities, quantities[1:]):
        clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence[: q1.start()])])
        head = sentence[clause_start : q1.start()]
        came_from, went_to = _FROM.search(head), _TO.match(sentence[q1.end() : q2.start()])
        if not came_from or not went_to:
            continue
        name = _LEAD_STRIP.sub("", head[: came_from.start()]).strip(" \"'、，,的")
        if len(name) < 2:
            continue
        out[q1.start()] = (name, named_period_year(came_from.group("period")))
        out[q2.start()] = (name, named_period_year(went_to.group("period")))
    return out


def _respectively(sentence: str, quantities: list[re.Match]) -> dict[int, str]:
    """'A、B、C分别达到 1、2、3': the names listed before 分别, by the offset of their number."""
    out: dict[int, str] = {}
    for marker in re.finditer(r"分别(?:达到|达|为|增长|提高到|提升到|突破)?", sentence):
        clause_start = max([0] + [c.end() for c in _CLAUSE_SPLIT.finditer(sentence[: marker.start()])])
        names = [n for n in re.split(r"[、和及与]", sentence[clause_start : marker.start()]) if n.strip()]
        after = [q for q in quantities if q.start() >= marker.end()][: len(names)]
        if len(names) >= 2 and len(after) == len(names):
            for name, q in zip(names, after):
                cleaned = _LEAD_STRIP.sub("", name.strip()).strip()
                if len(cleaned) >= 2:
                    out[q.start()] = cleaned
    return out


def _qualifier(m: re.Match, phrase: str) -> str:
    prefix, suffix = m.group("prefix"), m.group("suffix")
    if suffix in ("以上", "及以上", "多"):
        return AT_LEAST
    if suffix in ("以下", "以内"):
        return AT_MOST
    if suffix == "左右":
        return APPROX
    if prefix in ("不低于", "不少于", "超过", "超", "突破", "高于") or re.search(r"(超过|突破|不低于|不少于)\s*$", phrase):
        return AT_LEAST
    if prefix in ("不高于", "不超过", "低于", "控制在") or re.search(r"(不高于|不超过|控制在)\s*$", phrase):
        return AT_MOST
    if prefix == "约":
        return APPROX
    return EXACT


def _years_before(year: int | None, n: int) -> int | None:
    """`n` years before `year`; None for an undated document (its figures get no year)."""
    return None if year is None else year - n


def _temporal(sentence, pos, years, section, ctx: PlanContext, phrase) -> tuple[str | None, int | None, int | None]:
    """('target'|'actual'|None, year, period_start) for a quantity at `pos`."""
    before = [y for y in years if y[0] < pos]
    clause_end = min([len(sentence)] + [c.start() for c in _CLAUSE_SPLIT.finditer(sentence, pos)])
    after = [y for y in years if pos < y[0] < clause_end]  # "…60%以上（2027年）": a year later in the same clause
    nearest = before[-1] if before else (after[0] if after else None)
    clause_text = sentence[: pos]
    if nearest is not None:
        _, year, to, tail = nearest
        if ctx.start_year is None:  # an undated document: a year it states is not before its period
            return "target", year, None
        if year >= ctx.start_year or (to and year >= ctx.start_year - 1 and tail != "底" and ctx.plan_kind == "annual"):
            return "target", year, None
        if year < ctx.start_year:
            return "actual", year, year
    past_words = bool(_PAST_WORDS.search(clause_text) or _PAST_WORDS.search(sentence))
    if "十三五" in sentence and section != "target":
        return "actual", _years_before(ctx.start_year, 1), _years_before(ctx.start_year, 5)
    if section == "past":
        return ("actual", _years_before(ctx.start_year, 1), None)
    if section == "target":
        return "target", ctx.end_year, None
    if section == "context":
        return ("actual", _years_before(ctx.start_year, 1), None) if re.search(r"仅|只有|仅为|不足|低于|为|达", phrase) else (None, None, None)
    future = bool(_FUTURE_WORDS.search(sentence))
    if section == "task" and (future or ctx.plan_kind == "annual") and not past_words:
        return "target", ctx.end_year, None
    if section in ("intro", "principle") and future and not past_words and ctx.plan_kind == "annual":
        return "target", ctx.end_year, None
    return None, None, None
