"""Time rules: the year, or the part of a year, a figure refers to (rule ids explicit_year, year_after,
relative_year, since_year, plan_period, partial_year, from_to, carried_year, section_year (the year its
heading names), section_default,
plan_end, undated)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.periods import parse_period
from planwatch.plans.lexicon import alternation
from planwatch.plans.model import PlanContext
from planwatch.plans.rules.vocabulary import CLAUSE_SPLIT, LEAD_STRIP, LEX, PLAN_NAMES

# 到/至/截至 (seeds/reference/lexicon/relations.csv, role deadline): a point in time a figure is due or taken at.
_ABOUT = alternation(q.word for q in LEX.qualifiers if q.position == "after" and q.bound == "approximately")  # 2025年左右
DEADLINE = alternation(LEX.relations.get("deadline", ()))
_UP_TO = alternation(w for w in LEX.relations.get("deadline", ()) if w.startswith("截"))
_SINCE = alternation(LEX.relations.get("since", ()))
_YEAR = re.compile(rf"(?P<to>{DEADLINE})?\s*(?P<year>(?:19|20)\d{{2}})\s*年(?P<tail>底|末|前|内|{_ABOUT})?")
_RELATIVE_YEAR = re.compile(rf"(?P<to>{DEADLINE})?(?P<word>{alternation(LEX.time_words)})(?P<tail>底|末)?")
_PLAN_PERIOD = re.compile(rf"\"?(?P<plan>{PLAN_NAMES})\"?\s*(?P<tail>末|期末|末期|期间|时期|{_SINCE})?")
# 1-9月, 1至9月, 前三季度, 上半年, 截至10月底: part of a year, read into the statistics loader's period label.
_PARTIAL_YEAR = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?:"
    r"(?:1|一)\s*(?:-|至|到|~)\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:份)?"
    r"|前(?P<q>[一二三1-3])季度|(?P<h>上半年)|(?:第)?(?P<q1>[一1])季度"  # 一季度: January to March, as 1-3月
    rf"|(?:{_UP_TO})\s*(?P<y2>(?:19|20)\d{{2}}\s*年)?\s*(?P<m2>\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月(?:底|末|份)?)"
)
_BASE_VALUE = re.compile(r"(?:的|\s*\()\s*\d")  # 较2016年的8.52亿元, 比2016年（48家）: the base year's figure follows
# "由去年的8000件提高到9000件", "在上年1200亿元的基础上，今年力争…": the year is of the figure the series starts
# from (the base), up to the end of that figure; the rest of the sentence is of its own time.
_FROM_BEFORE = re.compile(rf"(?:{alternation(LEX.relations.get('from', ()))})\s*$")
_FIRST_FIGURE = re.compile(r"[^，。；,;]*?\d+(?:\.\d+)?\s*[^\d\s，。；,;]{0,3}")
_BASE_AFTER = re.compile(rf"[^，。；,;]*?\d+(?:\.\d+)?[^，。；,;]{{0,4}}?的\s*(?:{alternation(LEX.relations.get('base', ()))})")
_COMPARE_BEFORE = re.compile(rf"(?:{alternation(LEX.relations.get('compare', ()))})\s*$")
# "在2022年的基础上实现…，超过90家": a base year with no figure of its own, not the year of the figures after it.
_BARE_BASE_AFTER = re.compile(rf"\s*(?:底|末)?\s*的?\s*(?:{alternation(LEX.relations.get('base', ()))})")
_MULTIPLE_OF_BASE = re.compile(r"\s*(?:底|末)?\s*的\s*(?:\d+(?:\.\d+)?|[一二三四五六七八九十两]+)\s*倍")
_PROGRAM_BEFORE = re.compile(rf"(?:{alternation(LEX.relations.get('program', ()))})\s*$")
_PROGRAM_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度")
# "从2024年昆明市科技工作会上获悉": a year naming a meeting (up to the meeting word, no clause break between)
_EVENT_AFTER = re.compile(rf"[^，。；,;:：\d]{{0,20}}?(?:{alternation(LEX.relations.get('event', ()))})(?:上|中|期间|召开|获悉)")
# "是“十一五”末的5.1倍", "比“十一五”末提高0.55个百分点": a plan period the figure is compared with.
_COMPARED_PLAN = re.compile(rf"(?:{alternation(LEX.relations.get('compare', ()) + ('是', '为'))})\s*\"?(?P<plan>{PLAN_NAMES})")
# "到2025年", "到“十四五”末": a deadline ahead (截至 looks back).
_AHEAD = alternation(w for w in LEX.relations.get("deadline", ()) if not w.startswith("截"))
TO_YEAR = re.compile(rf"(?<![截止])(?:{_AHEAD})\s*(?:20\d\d\s*年|\"?(?:{PLAN_NAMES})\"?\s*末)")
_SINCE_AFTER = re.compile(_SINCE)
_AHEAD_WORDS = {w for w in LEX.relations.get("deadline", ()) if not w.startswith("截")}
_OPENING_WORDS = re.compile(rf"{DEADLINE}|[一二三四五六七八九十\d]+[、.．]|\s")
# What every time times() reads holds: a year's digits (_YEAR), a relative year's word (_RELATIVE_YEAR) or a
# plan's name (_PLAN_PERIOD). Most sentences name none of them, and one search for all three costs less than
# the three scans (keep it in step with the patterns above).
_NAMES_A_TIME = re.compile(rf"(?:19|20)\d{{2}}|{alternation(LEX.time_words)}|{PLAN_NAMES}")


def reports(ctx: PlanContext) -> bool:
    """A bulletin or a report: its figures are achieved ones unless its words say otherwise."""
    return ctx.document_kind in ("bulletin", "report")


@dataclass(frozen=True)
class Time:
    at: int
    year: int | None
    to: bool  # 到/至/截至 before it: a deadline
    tail: str | None  # 底, 末, 前 …
    rule: str
    period: str = ""
    first: int | None = None  # the first year of a period ("2018年以来")
    opening: bool = False  # the year opens its sentence ("2020年，…", "到2025年，…"): it holds for the next ones
    until: int | None = None  # the year holds only for a figure starting before this position (a comparison base)
    offset: int | None = None  # 去年 -1, 明年 +1: known even when the year 今年 means is not


# "记者从近日召开的全市科技工作会上获悉，": a clause saying only where the news came from
_REPORT_FRAME = re.compile(rf"^[^，,。；;:：]{{0,40}}?(?:{alternation(LEX.relations.get('report_frame', ()))})\s*[，,:：]")


def opens_clause(sentence: str, at: int, any_clause: bool = False) -> bool:
    """The time at `at` opens the sentence (or, with any_clause, the clause it is in)."""
    clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence, 0, at)])
    if any_clause:
        return _OPENING_WORDS.sub("", LEAD_STRIP.sub("", sentence[clause_start:at])) == ""
    # Clauses before it may only be lead words: "数据显示，2019年，…" opens with its year.
    frame = _REPORT_FRAME.match(sentence, 0, at)
    head = sentence[frame.end() if frame else 0:at]
    return _OPENING_WORDS.sub("", LEAD_STRIP.sub("", head)) == ""


def times(sentence: str, ctx: PlanContext) -> list[Time]:
    """Every year the sentence names, except comparison bases (比2016年增加, 较上年增长)."""
    if not _NAMES_A_TIME.search(sentence):
        return []
    found = []
    # Up to the document's own time: a plan's base year (the year before it starts), a report's year.
    if ctx.start_year is not None and ctx.plan_kind == "five_year" and not reports(ctx):
        since = ctx.start_year - 1
    else:
        since = ctx.reference_year if ctx.reference_year is not None else ctx.start_year
    for y in _YEAR.finditer(sentence):
        if _COMPARE_BEFORE.search(sentence[max(0, y.start() - 5): y.start()]):
            # "较2016年的0.54%": the number after 的 is the base year's own figure; the rest of the clause
            # (增长2倍) is not of that year.
            base = _BASE_VALUE.match(sentence, y.end())
            if base:
                found.append(Time(y.start(), int(y.group("year")), False, None, "compare_base", until=base.end()))
            continue
        if _SINCE_AFTER.match(sentence, y.end()):
            # "2018年以来，建立…12个": a count since then, up to the document's own time.
            if since is not None and since > int(y.group("year")):
                found.append(Time(y.start(), since, False, None, "since_year", first=int(y.group("year"))))
            continue
        base_end = _base_end(sentence, y.start(), y.end())
        if base_end is not None:
            found.append(Time(y.start(), int(y.group("year")), False, None, "base_year", until=base_end))
            continue
        if _BARE_BASE_AFTER.match(sentence, y.end()):
            continue
        if sentence[max(0, y.start() - 1): y.start()] == "是" and _MULTIPLE_OF_BASE.match(sentence, y.end()):
            continue  # "为1.44件，是2016年的1.6倍": the base of a multiple, not the year of the figures
        if _PROGRAM_BEFORE.search(sentence, max(0, y.start() - 4), y.start()) and _PROGRAM_YEAR.match(sentence, y.start()):
            continue  # 申报2024年度省…攻关项目: a programme's year
        if _EVENT_AFTER.match(sentence, y.end()):
            continue  # 从2024年全市科技工作会议上获悉: a meeting's name, not the figures' year
        found.append(Time(y.start(), int(y.group("year")), bool(y.group("to")), y.group("tail"), "explicit_year",
                           opening=opens_clause(sentence, y.start()) and not sentence.startswith("的", y.end())))
    reference = ctx.reference_year if ctx.reference_year is not None else (
        ctx.start_year if ctx.plan_kind == "annual" else None)
    for r in _RELATIVE_YEAR.finditer(sentence):
        if LEX.time_words[r.group("word")] is None:
            continue  # 当年, 同年: the year already in force holds
        year = None if reference is None else reference + LEX.time_words[r.group("word")]
        if _COMPARE_BEFORE.search(sentence[max(0, r.start() - 5): r.start()]):
            base = _BASE_VALUE.match(sentence, r.end())
            if base:  # "比去年的180亿元增长11%": the base's own figure is of that year, as with 较2016年的
                found.append(Time(r.start(), year, False, None, "compare_base", until=base.end(),
                                  offset=LEX.time_words[r.group("word")]))
            continue
        base_end = _base_end(sentence, r.start(), r.end())
        found.append(Time(r.start(), year, bool(r.group("to")), r.group("tail"), "base_year" if base_end else "relative_year",
                          offset=LEX.time_words[r.group("word")], until=base_end))
    for p in _PLAN_PERIOD.finditer(sentence):
        # "到“十四五”末，…": the figure's year when the period opens its clause; "由“十二五”末的21家",
        # "较“十二五”末增加": a base, not the figure's year.
        clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence, 0, p.start())])
        opening = LEAD_STRIP.sub("", sentence[clause_start: p.start()]).strip() in _AHEAD_WORDS | {""}
        if p.group("tail") in ("末", "期末", "末期") and opening and not sentence.startswith("的", p.end()):
            found.append(Time(p.start(), LEX.plan_periods[p.group("plan")][1], sentence[p.start() - 1: p.start()] in _AHEAD_WORDS,
                               "末", "plan_period"))
    return sorted(found, key=lambda t: t.at)


def _base_end(sentence: str, start: int, end: int) -> int | None:
    """Where the base figure a time belongs to ends ("由去年的8000件", "在上年1200亿元的基础上"), or None
    when the time is not a base's."""
    if _FROM_BEFORE.search(sentence, max(0, start - 2), start):
        first = _FIRST_FIGURE.match(sentence, end)
        return first.end() if first else None
    base = _BASE_AFTER.match(sentence, end)
    return base.end() if base else None


def compared_only(sentence: str, plan: str) -> bool:
    """Every time the sentence names `plan` it is what a figure is compared with (是“十一五”末的5.1倍)."""
    return sentence.count(plan) == sum(m.group("plan") == plan for m in _COMPARED_PLAN.finditer(sentence))


def since_plan_period(sentence: str, name: str) -> bool:
    """"“十二五”以来": from that plan up to the document's own time, not that plan's years."""
    return bool(re.search(rf"{re.escape(name)}\"?\s*(?:{_SINCE})", sentence))


_YEAR_WORD = re.compile(rf"\s*(?:(?:19|20)\d{{2}}\s*年|{alternation(LEX.time_words)})")


def part_of_year_after(sentence: str, at: int) -> bool:
    """The year at `at` is followed by a part of it ("2020年1-3月", "今年上半年", "今年一季度")."""
    year = _YEAR_WORD.match(sentence, at)
    part = _PARTIAL_YEAR.match(sentence, year.end()) if year else None
    return bool(part and part.group(0).strip())


def opening_part_of_year(sentence: str) -> str:
    """The part of a year that opens the sentence ("1-9月", "截至10月底"; '' for none), named with no year."""
    m = _PARTIAL_YEAR.search(sentence)
    return m.group(0).strip() if m and opens_with_part_of_year(sentence, len(sentence)) else ""


def opens_with_part_of_year(sentence: str, pos: int) -> bool:
    """The sentence opens with a part of a year that names no year ("1-6月，…", "截至10月底，…"): the
    document's own year, not one an earlier sentence named."""
    m = _PARTIAL_YEAR.search(sentence, 0, pos)
    return bool(m and m.group(0).strip() and not m.group("y") and not m.group("y2")
                and opens_clause(sentence, m.start() + len(m.group(0)) - len(m.group(0).lstrip())))


def partial_year(sentence: str, pos: int, year: int | None) -> str:
    """The statistics loader's period label for 1-9月 / 截至10月 / 前三季度 before `pos` ('' for none)."""
    label = ""
    for m in _PARTIAL_YEAR.finditer(sentence, 0, pos):
        y = m.group("y") or (m.group("y2") or "").strip().rstrip("年")
        y = int(y) if y else year
        if y is None:
            continue
        month = m.group("m") or m.group("m2")
        if m.group("q") or m.group("q1"):
            text = f"{y}年前{m.group('q') or m.group('q1')}季度"
        elif m.group("h"):
            text = f"{y}年上半年"
        else:
            text = f"{y}年1-{month}月"
        period = parse_period(text)
        if period is not None and period.is_ytd:
            label = period.label
    return label


@dataclass
class State:
    """What one sentence leaves for the next in the same paragraph: its year and its subject."""

    year: Time | None = None  # the year that opened the last sentence naming one
    subject: str = ""
    # "主要目标是：A；B；C。": the kind a lead-in before a colon gives the items of its list, up to the 。
    listed_kind: str | None = None
    # "1-9月，…；专利授权量450件…": the part of a year that opened a list's first item holds for the items after it
    part_of_year: str = ""

