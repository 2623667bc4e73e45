"""Targets and achieved figures written as sentences.

A document is normalised once (planwatch.text.normalize_document) and segmented once: sections
(a numbered heading says whether its section reports the past, sets goals or lists tasks),
paragraphs (lines a page break split are joined; a row of a table flattened with | stands alone),
sentences (split at 。；！？) and clauses (split at ，：|). Every quantity in a clause becomes a
mention, read by the named rules of planwatch.plans.rules, one module per dimension (quantity,
time, indicator, kind); each mention lists the rules that read it in `Mention.rule`, e.g.
"quantity:number_unit time:explicit_year indicator:words_before kind:target_cue".

The words the rules match are data: seeds/reference/lexicon/*.csv and seeds/reference/units.csv,
read by planwatch.plans.lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from planwatch.plans.furniture import page_furniture
from planwatch.plans.lexicon import alternation
from planwatch.plans.cells import AVG_GROWTH, EXACT, GROWTH, INCREMENT, LEVEL, OTHER, PP_INCREASE, RANGE
from planwatch.plans.model import Mention, PlanContext
from planwatch.plans.rules.indicator import CUMULATIVE_REACHED, JOINER, actual_type, from_to, inherit_measure, noun_after, read_phrase, respectively
from planwatch.plans.rules.kind import (BESIDE_TASK, ESTIMATE, TASK_TARGET, ends_in_task_words, list_lead_kind, rate_of, states_a_task, task_after,
                                        temporal)
from planwatch.plans.rules.quantity import MAY_HOLD_A_NUMBER, QUANTITY, qualifier
from planwatch.plans.rules.quantity import quantities as read_quantities
from planwatch.plans.rules.time import State, Time, opening_part_of_year, opens_clause, partial_year, reports, times
from planwatch.plans.rules.vocabulary import BULLETED, CLAUSE_SPLIT, LEAD_STRIP, LEX, NUMBERED_ROW, STRETCH, STRETCH_ANYWHERE, clean
from planwatch.text import normalize, normalize_document

_LEAD_STRIP = LEAD_STRIP  # the name the sub-area attribution (extract.py) imports

# An ASCII full stop ends a sentence after a character, a parenthesis or a percent sign (web copies turn 。
# into "."), never between digits (2.5%).
_ASCII_STOP = r"(?<=[\u4e00-\u9fff)）%])\.(?!\d)"
_SENTENCE_END = re.compile(rf"[。！？!?；;]|{_ASCII_STOP}")
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))\s*"
)
_TOP_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
# A part of the document (第二章, 三、), not a sub-heading within one (（一）, 1.).
_PART_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．])")
# A table of contents' line: dots leading to a page number ("第一章 发展基础.....\t1"); an ellipsis in prose
# ("…孵化载体35家……") is no such line.
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d{1,3}\s*$")
# "# source: …", "# region: …": metadata lines a scraper (or the corpus) writes above the text.
_METADATA_LINE = re.compile(r"^#\s*[A-Za-z_]+\s*:")


@dataclass
class _Section:
    kind: str = "intro"  # intro | past | context | target | next | principle | task
    year: Time | None = None  # the year its heading names ("一、2023年工作开展情况"): figures without one of their own take it


def heading_year(text: str, ctx: PlanContext) -> Time | None:
    """The year a heading's title names (2023年, 今年), as the section's year; None when it names none."""
    s = normalize(text).strip()
    m = _HEADING.match(s)
    title = re.split(r"[。；;:：]", s[m.end():] if m else s, maxsplit=1)[0]
    named = [t for t in times(title, ctx) if t.year is not None and t.rule in ("explicit_year", "relative_year")]
    return replace(named[0], at=-1, rule="section_year", opening=True) if named else None


def _heading_section(title: str) -> str | None:
    return next((section for word, section in LEX.headings if word in title), None)


def heading_words_section(text: str) -> str | None:
    """The section a numbered heading's own words name (成效 → past, 目标 → target); None for a heading
    without such a word or a line that is no heading."""
    s = normalize(text).strip()
    m = _HEADING.match(s)
    if not m or _TOC_LINE.search(s):
        return None
    title = re.split(r"[。；;:：]", s[m.end():], maxsplit=1)[0]
    return _heading_section(title) if len(title) <= 40 else None


@lru_cache(maxsize=65536)  # the register scan asks about each line, the section reader about each paragraph (often the same text)
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


def is_part_heading(text: str) -> bool:
    return bool(_PART_HEADING.match(normalize(text).strip()))


@lru_cache(maxsize=65536)
def is_top_heading(text: str) -> bool:
    return bool(_TOP_HEADING.match(normalize(text).strip()))


# "项目计划投资：…", "依托单位：…": fields of a single project's box (专栏), not regional targets.
# (not a heading's claim about its field, 创新成果丰硕：, 规模大幅提升：: the label holds no predicate word)
_PROJECT_FIELD = re.compile(
    rf"^\s*(?:项目)?(?:(?!{alternation(LEX.project_fields.get('predicate', ()))})[^，。；：:]){{0,10}}"
    rf"(?:{alternation(LEX.project_fields.get('field', ()))})"
    rf"(?:(?!{alternation(LEX.project_fields.get('predicate', ()))})[^，。；：:]){{0,8}}[：:]"
)
# Any short "label：" at the start of a line begins a new field, so a box's fields never run together.
_FIELD_START = re.compile(r"^\s*(?:专栏|[^，。；：:]{2,14}[：:])")
# Column headers of registers: tables listing individual projects or platforms, one per row.
# Figures in them (a project's output, jobs, patents) belong to that project, not to the region.
_REGISTER_HEADERS = frozenset(w for w in LEX.project_fields.get("register_header", ()) if w)  # a whole line, spaces aside
_SPACES = re.compile(r"\s+")
_PARAGRAPH_END = re.compile(rf"(?:[。；！？!?：:）)]|{_ASCII_STOP})\s*$")


def _paragraphs(lines: tuple[str, ...], skip: set[int]) -> tuple[tuple[str, list[tuple[int, int]]], ...]:
    """Join lines that a page break or a PDF column split in mid-sentence.

    (text, starts) of each paragraph, where starts lists (character offset, line number) so every
    position in the joined text maps back to its line. The prose reader and the sub-area attribution
    both read a document's paragraphs: split once (cached for the last few documents).
    """
    return _paragraphs_of(tuple(lines), frozenset(skip))


@lru_cache(maxsize=4)
def _paragraphs_of(lines: tuple[str, ...], skip: frozenset[int]) -> tuple[tuple[str, list[tuple[int, int]]], ...]:
    return tuple(_split_paragraphs(lines, skip))


def _split_paragraphs(lines: tuple[str, ...], skip: frozenset[int]):
    buffer, starts = "", []
    for number, text in enumerate(normalize_document(tuple(lines)), start=1):
        text = text.strip()
        row = NUMBERED_ROW.match(lines[number - 1].strip())
        if row and text.startswith(row.group().strip()):
            # "12 新培育…": the row's number (blanked, so offsets still map to the line) is no part of its text
            text = " " * len(row.group().strip()) + text[len(row.group().strip()):]
        if number in skip or "\t" in text or _METADATA_LINE.match(text) or page_furniture(text):
            if buffer:
                yield buffer, starts
            buffer, starts = "", []
            continue
        if not text:
            if buffer and BULLETED.match(buffer):
                # "●力争…2300户以上" then a blank line: a bulleted item is one line; the text after is not its
                yield buffer, starts
                buffer, starts = "", []
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
            or _is_date_line(buffer)
            or _PARAGRAPH_END.search(buffer)
            or _HEADING.match(text)
            or _FIELD_START.match(text)
            or row is not None
            or BULLETED.match(text)
            or _YEAR_ALONE.match(text)
            or len(buffer) < 20 and not _CONTINUES.match(text)
            or _is_title(buffer, text)
        )
        if starts_new:
            if buffer:
                yield buffer, starts
            buffer, starts = text, [(0, number)]
            if (_HEADING.match(text) and len(text) <= 40 and not re.search(r"[。；;，,]", text)) or _YEAR_ALONE.match(text):
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
# "2023年" on a line of its own, over the items of that year (a news page's bullets): a heading of its own.
_YEAR_ALONE = re.compile(r"^(?:19|20)\d{2}\s*年\s*[:：]?$")


_CELL_ROW = re.compile(r"\S\s*\|\s*\S|\|\s*\|")


# "2022-01-18 来源：…", "2023年5月6日 09:12": a page's date line, not the start of the sentence below it.
_FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?!\d)|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_DATE_LINE_LENGTH = 50


# A line opening with a number that is not a year ("86家，同比增长…") goes on the sentence a PDF line
# break cut, however short the line before it.
_CONTINUES = re.compile(r"\d+(?:\.\d+)?\s*(?![\d.\s年月日:：/-])")


def _is_date_line(buffer: str) -> bool:
    return len(buffer) <= _DATE_LINE_LENGTH and bool(_FULL_DATE.search(buffer)) and not re.search(r"[，。；,;！？!?]", buffer)


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
        if is_top_heading(text) and classify_heading(text) is not None:
            headers = 0
        if _SPACES.sub("", text) in _REGISTER_HEADERS:
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
    # A yearly text printed one sentence a line ("2020年，全区科技创新工作取得新进展。" then a line per
    # figure): a line without figures that opens with a year leads the lines after it, until a heading
    # or another such line. Five-year plans name their years line by line, and keep to their sections.
    lead: Time | None = None
    for text, starts in _paragraphs(lines, table_lines):
        heading_kind = classify_heading(text)
        if heading_kind is not None:
            lead = None
        if heading_kind is None and _CELL_ROW.search(text) and not MAY_HOLD_A_NUMBER.search(text.replace("一级", "").replace("二级", "").replace("三级", "")):
            cells = [c.strip() for c in text.split("|") if c.strip()]
            # "绩效目标 | 一级指标 | 二级指标 | …": the header of a table flattened into text
            heading_kind = _heading_section("".join(cells[:2])) if cells and max(map(len, cells)) <= 16 else None
            if heading_kind is not None:
                section.kind = heading_kind
                continue
        if heading_kind is not None and is_top_heading(text):
            section.kind = heading_kind
        elif heading_kind in ("past", "target", "next") and len(text) <= 20 and not re.search(r"[。；;，,]", text):
            section.kind = heading_kind  # "1.总体目标": a lower heading that names what its part holds
        elif len(text) >= 20:
            section.kind = first_read_in.setdefault(text, section.kind)
        if heading_kind is not None:
            named = heading_year(text, ctx)
            if is_top_heading(text) or named is not None:
                section.year = named  # a top heading without a year ends its predecessor's
        if _TOC_LINE.search(text) or _PROJECT_FIELD.match(text) or starts[0][1] in registers:
            continue
        offset = 0
        state = State(year=section.year if section.year is not None else lead)
        figures = 0
        for sentence in _sentences(text):
            begin = text.index(sentence, offset)
            offset = begin + len(sentence)
            exact = None
            for m, at in _sentence_mentions(sentence, section.kind, ctx, document, starts[0][1], text, state):
                figures += 1
                if exact is None:
                    exact = _as_written(lines, starts, begin, offset)
                # The number's own position, so a paragraph joined across lines maps back to its line.
                mentions.append(_at_line(m, _line_at(starts, begin + at), lines, exact))
        if ctx.plan_kind == "annual" and not figures and state.year is not None and state.year is not lead \
                and not state.year.to and len(_sentences(text)) == 1 and opens_clause(text, state.year.at):
            lead = state.year  # not a date line ("发布时间：2024年1月15日"): the year must open the line
    return mentions


def _as_written(lines, starts, begin: int, end: int) -> str:
    """The document's lines that the paragraph text's characters begin..end come from, exactly as written (a
    sentence broken across lines: its lines joined by "\n"; blank lines between them left out)."""
    first, last = _line_at(starts, begin), _line_at(starts, max(begin, end - 1))
    return "\n".join(text for text in (lines[n - 1].strip() for n in range(first, last + 1)) if text)


def _at_line(m: Mention, line: int, lines, exact: str) -> Mention:
    # The fields as they are (a frozen dataclass without derived fields): dataclasses.replace would look them up again.
    return Mention(**{**vars(m), "line": line, "context": lines[line - 1].strip()[:200], "source_text": exact})


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[str, ...]:
    """The sentences of a paragraph (cached: the prose reader and the sub-area attribution split the same ones)."""
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return tuple(p for p in parts if p.strip())


# ---------- one sentence: quantities, each read by the four dimensions


def _sentence_mentions(
    sentence: str, section: str, ctx: PlanContext, document: str, line: int, raw: str, state: State | None = None,
) -> list[tuple[Mention, int]]:
    """(mention, offset of its number in the sentence) for each quantity the sentence states."""
    state = state if state is not None else State()
    quantities = read_quantities(sentence) if MAY_HOLD_A_NUMBER.search(sentence) else []
    sentence_times = times(sentence, ctx)
    explicit = [t for t in sentence_times if t.year is not None or t.rule == "relative_year"]
    if not quantities:
        _carry(state, sentence, explicit, "", figureless=True)
        return []
    # 力争/争取 make a stretch goal of the figures of their own clause; opening a clause (力争到2025年，…;
    # （二）力争…), of the figures of the rest of the sentence too. Inside a clause, after its subject
    # (高新技术企业数量力争突破450家) or a lead-in (要努力实现六个目标：), they speak for that clause only.
    stretch_from = min((m.start() for m in STRETCH.finditer(sentence) if _opens_its_clause(sentence, m.start())),
                       default=None)
    mentions: list[tuple[Mention, int]] = []
    listed = respectively(sentence, quantities)
    spans = from_to(sentence, quantities)
    inherited_type: str | None = None
    inherited_verb = ""
    inherited_per_year = False
    inherited_sign = 1.0
    inherited_unit: str | None = None
    clause_bounds = [0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence)] + [len(sentence) + 1]
    previous_end = 0
    previous_clause = -1
    previous_indicator = ""
    subject = state.subject
    task_end = None  # where the task figure a rate may follow ends (为年度目标15亿元的120%)
    previous_phrase_start = None
    for q in quantities:
        clause_index = max(i for i, b in enumerate(clause_bounds) if b <= q.start)
        clause_start = clause_bounds[clause_index]
        if clause_index != previous_clause:
            if previous_clause >= 0 or clause_index > 0:
                # A clause with no number between ("五是大力争取上级资金支持，确保超过6000万元") names the subject.
                gap = sentence[clause_bounds[max(clause_index - 1, 0)]: clause_start].rstrip("，,：:| ")
                if clause_index - 1 > previous_clause and not QUANTITY.search(gap):
                    named = STRETCH_ANYWHERE.sub("", clean(gap))
                    if 2 <= len(named) <= 25:
                        subject = named
            if inherited_type != INCREMENT or (
                    LEX.unit_family(q.unit) != LEX.unit_family(inherited_unit) and None not in (
                        LEX.unit_family(q.unit), LEX.unit_family(inherited_unit))):
                # "新增科技小巨人企业8家，企业研发投入1.51亿元": new firms, not new money — a 新增 holds over the
                # next clauses only for figures of the same kind (counts after counts).
                inherited_type, inherited_per_year, inherited_sign = None, False, 1.0
            previous_end = clause_start
        phrase_start = max(clause_start, previous_end)
        phrase = sentence[phrase_start : q.start]
        if previous_phrase_start is not None and _CLOSES_BASE.match(phrase):
            # "比2020年（45家）增加75家": a base value in parentheses does not end the phrase it interrupts.
            opened = sentence.rfind("(", 0, phrase_start)
            if opened >= previous_phrase_start:
                phrase = sentence[previous_phrase_start:opened] + _CLOSES_BASE.sub("", phrase)
        previous_phrase_start = phrase_start
        joined = bool(JOINER.match(phrase.strip())) and previous_clause == clause_index
        previous_end, previous_clause = q.end, clause_index
        read = read_phrase(phrase, q.unit)
        indicator, target_type, per_year, stretch = read.indicator, read.target_type, read.per_year, read.stretch
        indicator_rule = "words_before"
        if q.rule == "doubling":
            target_type = OTHER
        if task_end is not None and q.unit in ("%", "‰") and sentence[task_end:q.start].strip(" )）") == "的":
            target_type = OTHER  # 为年度目标15亿元的120%: how much of the task was done, a completion rate
        task_end = None
        if q.target_type is not None:
            target_type = q.target_type
        elif target_type is None and q.before in LEX.words("level"):
            target_type = LEVEL  # "突破10亿元", "不少于40家": a bound on a level
        if q.name:
            indicator = q.name
        # (a share or a rate counts nothing: "增速26.6%全市第1" names no noun after its number)
        counted = noun_after(sentence, q.end) if q.rule not in ("doubling", "rank_ordinal", "rank_top") \
            and q.unit not in ("%", "‰", "个百分点") else ""
        if not q.name and (not indicator or (counted and not q.after)) and counted and not ends_in_task_words(phrase):
            # (not after 距规划目标: in 距规划目标3件还有差距 the figure is the task of the subject)
            # "培育两个研发中心": the thing counted follows its number and classifier.
            indicator, indicator_rule = counted, "noun_after"
        if q.start in listed:
            named = listed[q.start]
            if isinstance(named, int):  # the figure listed before 分别 at that offset
                named = next((m.indicator_as_written for m, at in mentions if at == named), "")
            if named:
                indicator, indicator_rule = named, "respectively"
        span_year = None
        if q.start in spans:
            indicator, span_year = spans[q.start]
            indicator_rule = "from_to"
        if read.relation and subject and indicator_rule == "words_before" and not q.name:
            # "比上年增长9.5%", "占全社会R&D经费的比重达94.2%", "在全省十三市中排名第八": of the subject before.
            indicator = subject + indicator if read.relation in ("share", "rank", "measure") else subject
            indicator_rule = "carried_subject"
        elif (not indicator or len(indicator) < 2) and subject:
            indicator, indicator_rule = subject, "carried_subject"
        if TASK_TARGET.search(sentence[:q.start]) and subject and indicator_rule == "words_before":
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
        verb = read.verb  # the increment verb the figure's type comes from (its own, or the one it inherits)
        if target_type is None:
            if joined and inherited_type is not None:
                target_type, per_year, sign, verb = inherited_type, per_year or inherited_per_year, inherited_sign, inherited_verb
            else:
                target_type = inherited_type if inherited_type == INCREMENT else LEVEL
                per_year = per_year or (inherited_per_year if inherited_type == INCREMENT else False)
                verb = inherited_verb if inherited_type == INCREMENT else verb
        if target_type in (INCREMENT, GROWTH, AVG_GROWTH, PP_INCREASE):
            inherited_type, inherited_per_year, inherited_sign, inherited_verb = target_type, per_year, sign, verb
            inherited_unit = q.unit
        # "由“十二五”末期的1.21件增至2.85件": the value a series rose to, after the one it came from.
        to_side = q.start in spans and any(start < q.start and spans[start][0] == indicator for start in spans)
        if span_year is not None:
            past = ctx.start_year is not None and span_year < ctx.start_year
            if not past and reports(ctx):
                # a report's 由2020年的0.9%提高到2022年的1.15%: the path so far, up to the year it speaks from
                # (unknown: short of its plan period's end, which a report restates as the aim)
                last_past = ctx.reference_year if ctx.reference_year else (ctx.end_year - 1 if ctx.end_year else span_year)
                past = span_year <= last_past
            kind, year, period_start, time_rule, kind_rule = (
                ("actual", span_year, None, "from_to", "past_year") if past else ("target", span_year, None, "from_to", "future_year"))
        else:
            # The period before it names where the series came from; the value it rose to is of the
            # document's own time.
            said = _without_plan_names(sentence[:q.start]) + sentence[q.start:] if to_side else sentence
            kind, year, period_start, time_rule, kind_rule = temporal(said, q.at, sentence_times, section, ctx, phrase, state)
            if time_rule == "compare_base":
                target_type = LEVEL  # 较2016年的8.52亿元: the base year's level, whatever the clause's verb
        achieved = next((m for m, _ in reversed(mentions) if m.kind == "actual"), None)
        if achieved is not None and not to_side and (kind is None or kind_rule == "section") and (
                target_type == OTHER or not TASK_TARGET.search(sentence[:q.start])):
            # "…完成35亿元（任务目标30亿元），居全市第一": with no word of its own, a figure goes with the
            # achieved one before it in the sentence.
            kind, year, period_start, kind_rule = "actual", achieved.year, achieved.year, "same_sentence"
            time_rule = achieved.rule.split()[1].split(":", 1)[1]
        if kind is None and q.rule == "rank_top":
            # a rank to reach, stated as an aim (奋进全国县域经济50强)
            kind, year, period_start, time_rule, kind_rule = "target", ctx.end_year, None, "plan_end", "section"
        if kind is None:
            continue
        if BESIDE_TASK.match(sentence, q.end) and kind == "target":
            kind, kind_rule, period_start = "actual", "beside_task", year  # a task quoted beside it: achieved
        rated = rate_of(sentence, q.end)
        if (TASK_TARGET.search(sentence[:q.start]) or states_a_task(sentence[clause_start:q.start], rated)
                or task_after(sentence, q.end)) and target_type != OTHER:
            # "完成技术合同交易额20亿元（任务目标15亿元）": the task quoted beside an achieved figure
            # ("（完成年度目标的112%）" beside it is how much of the task was done: an achieved rate).
            kind, kind_rule = "target", "task_target"
            if time_rule in ("section_default", "undated") and ctx.plan_kind != "annual" and ctx.end_year is not None:
                # 距规划目标8件 in a review of a plan period: the plan's aim, of its last year
                year, time_rule = ctx.end_year, "plan_end"
            if mentions and mentions[-1][0].kind == "actual":
                # the task is of the figure it stands beside, in the same unit: 增长18.6%（目标15%）; in
                # "2.36亿元，同比增长45.2%，完成全年目标（3亿元）的78.7%" the 3亿元 is the 2.36亿元's
                beside = next((m for m, _ in reversed(mentions) if m.kind == "actual" and m.unit == q.unit), mentions[-1][0])
                if beside.unit == q.unit:
                    target_type = beside.target_type
                if rated and (indicator_rule == "words_before" or read.relation == "share"):  # 占年度目标X的: not a share
                    # "…18亿元，为年度目标15亿元的120%": the task (and the rate after it) of the figure before
                    indicator, indicator_rule = beside.indicator_as_written, "carried_subject"
                    subject = indicator
            if rated:
                task_end = q.end
        estimate = bool(ESTIMATE.search(sentence[clause_start:q.start])) and kind == "actual"
        if kind == "actual" and target_type == INCREMENT and CUMULATIVE_REACHED.search(phrase) and mentions \
                and mentions[-1][0].target_type == INCREMENT and mentions[-1][0].indicator_as_written == indicator:
            target_type = LEVEL  # "新增…20个，累计达121个": after the new ones, the stock reached
        if estimate:
            kind_rule = "estimate"
        value = q.value * sign if q.value is not None else None
        bound = qualifier(q, phrase)
        if kind == "actual" and q.rule == "rank_ordinal":
            bound = EXACT  # 排名第八 reports the place held; a target's 第八 is a place to reach or beat
        if q.low is not None and target_type in (LEVEL, INCREMENT):
            target_type = RANGE
        if q.unit == "倍" and kind == "target" and q.rule != "doubling":
            continue  # "是…的1.6倍": a ratio to another figure, not a level to track
        if q.unit == "倍" and q.rule != "doubling" and target_type == LEVEL:
            target_type = OTHER  # "是“十一五”末的5.1倍": achieved, but a ratio to another figure, not a level
        period = partial_year(sentence, q.at, year) if kind == "actual" else ""
        if not period and kind == "actual" and state.part_of_year and not sentence_times:
            period = partial_year(state.part_of_year, len(state.part_of_year), year)  # an item of a list that opened with it
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
                target_type=target_type if kind == "target" else actual_type(target_type, verb),
                qualifier=bound,  # an achieved figure has its bound too: 突破70亿, 45万余份, 近3000家
                stretch=(stretch or (stretch_from is not None and stretch_from < q.at)
                         or bool(STRETCH.search(sentence, clause_start, q.at))
                         or (indicator_rule == "noun_after" and bool(STRETCH.search(indicator))))  # 3家争创国家企业技术中心
                if kind == "target" else False,
                low=q.low,
                high=q.high,
                baseline_year=None,
                baseline_value=None,
                baseline_unit=None,
                attribute="预计" if estimate else None,
                cumulative=read.cumulative and kind == "target",
                per_year=per_year if kind == "target" else False,
                source_text="",  # the lines as written: set by _at_line, which knows them
                source_text_normalised=sentence.strip(),
                context=raw.strip()[:200],
                period_start=period_start,
                period=period,
                rule=rule,
            ),
            q.at,
        ))
    _carry(state, sentence, explicit, subject)
    return mentions


_CLOSES_BASE = re.compile(r"^\s*\)")


def _opens_its_clause(sentence: str, at: int) -> bool:
    """Only an item number, lead words or a time stand before `at` in its clause."""
    clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence, 0, at)])
    return not LEAD_STRIP.sub("", _HEADING.sub("", sentence[clause_start:at]).strip()).strip(" ，,、")


def _without_plan_names(text: str) -> str:
    """`text` with the five-year plans it names blanked out, offsets kept."""
    for name in LEX.plan_periods:
        text = text.replace(name, "□" * len(name))
    return text


def _carry(state: State, sentence: str, explicit: list[Time], subject: str, figureless: bool = False) -> None:
    """What the next sentence of the paragraph inherits: the year that opened this one, and the subject.

    A sentence without figures ("记者获悉，去年我省科技工作取得新进展。") sets the year of those after
    it with a year that opens any of its clauses."""
    opening = [t for t in explicit if t.opening or (t.rule == "relative_year" or figureless)
               and opens_clause(sentence, t.at, any_clause=figureless)]
    if opening:
        state.year = opening[-1]
    if subject:
        state.subject = subject
    if not sentence.rstrip().endswith(("；", ";")):
        state.listed_kind, state.part_of_year = None, ""  # the list ends with its sentence
    else:
        if state.listed_kind is None:
            state.listed_kind = list_lead_kind(sentence)
        state.part_of_year = opening_part_of_year(sentence) or ("" if explicit else state.part_of_year)
