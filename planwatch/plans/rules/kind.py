"""Kind rules: whether a figure is a target or an achieved figure (rule ids past_year, future_year,
actual_cue, target_cue, estimate, task_target, beside_task, same_sentence (set in prose), section,
document_kind), with its year."""

from __future__ import annotations

import re

from planwatch.plans.lexicon import alternation
from planwatch.plans.model import PlanContext
from planwatch.plans.rules.time import (TO_YEAR, State, Time, opens_with_part_of_year, part_of_year_after, reports,
                                        since_plan_period, compared_only)
from planwatch.plans.rules.vocabulary import CLAUSE_SPLIT, LEX

_STRONG_TARGET = re.compile(alternation(LEX.cue_words("target", "strong")))
# 争取, 确保: a goal in a plan, but in a report "争取上级资金5450万元" is what was won.
_PLAN_TARGET = re.compile(alternation(LEX.cue_words("target", "plan")))
_WEAK_TARGET = re.compile(alternation(LEX.cue_words("target", "weak") + LEX.cue_words("target", "plan")))
# "now": what there is now (目前, 现有) — achieved in any document, but no sign that the document reports.
# They speak for their own clause only ("…2个省级科研平台，目前正在建设…" says nothing of the platforms).
_STRONG_ACTUAL = re.compile(alternation(LEX.cue_words("actual", "strong") + LEX.cue_words("actual", "now")))
_SENTENCE_ACTUAL = re.compile(alternation(LEX.cue_words("actual", "strong")))
_WEAK_ACTUAL = re.compile(alternation(LEX.cue_words("actual", "weak")))
ESTIMATE = re.compile(alternation(LEX.cue_words("estimate")))
_COMPARISONS = frozenset(LEX.relations.get("compare", ()))


def _compares_only(text: str) -> bool:
    """The text's words of what was done are all comparisons (同比, 比上年): in a plan's aims, 同比增长20% is a goal."""
    found = _STRONG_ACTUAL.findall(text)
    return bool(found) and all(w in _COMPARISONS for w in found)
_CONTEXT_STATE = re.compile(alternation(LEX.cue_words("state")))
# "完成技术合同成交额20亿元（任务目标15亿元）": the figure a quoted task stands beside was achieved.
BESIDE_TASK = re.compile(rf"\s*[(（][^()（）]{{0,6}}(?:{alternation(LEX.cue_words('task'))})[^()（）]{{0,8}}\d")
# "技术合同成交额任务目标15亿元，实际完成18亿元": task words right before the number.
_TASK_END = re.compile(rf"(?:{alternation(LEX.cue_words('task'))})+[为是:：]?\s*$")


# "…的120%" right after a figure: a rate of that figure, so the figure is the task the rate was done against.
_RATE_OF = re.compile(r"\s*[)）]?\s*的\s*\d+(?:\.\d+)?\s*[%‰]")


def rate_of(sentence: str, end: int) -> bool:
    """A percentage of the figure ending at `end` follows it (为年度目标15亿元的120%)."""
    return bool(_RATE_OF.match(sentence, end))


def ends_in_task_words(text: str) -> bool:
    """The words end in a task's (距规划目标, 任务目标为): the figure after them is the task, whatever follows it."""
    return bool(_TASK_END.search(text))


def states_a_task(clause_text: str, rated: bool = False) -> bool:
    """The clause names a task and its figure (任务目标15亿元), not what was done about it (超额完成目标20%);
    with `rated` (the figure has a rate of it after it: 完成年度任务20家的120%), done words do not say otherwise."""
    return bool(_TASK_END.search(clause_text)) and (rated or not _STRONG_ACTUAL.search(clause_text))


TASK_TARGET = re.compile(rf"[(（][^()（）]{{0,6}}(?:{alternation(LEX.cue_words('task'))})[^()（）]{{0,8}}$"
                         # "已完成规划目标（40家）的77.5%": the task's figure in parentheses after its words
                         rf"|(?:{alternation(LEX.cue_words('task'))})\s*[(（]\s*$")
# "提前完成2025年1.5亿元的目标": the figure before 的目标 is the task.
_TASK_AFTER = re.compile(rf"\s*[)）]?\s*的\s*(?:{alternation(LEX.cue_words('task'))})")


def task_after(sentence: str, end: int) -> bool:
    """The words after the figure ending at `end` say it is a task (…1.5亿元的目标)."""
    return bool(_TASK_AFTER.match(sentence, end))


def deadline_ahead(text: str, ctx: PlanContext) -> bool:
    """A 到2025年 / 到“十四五”末 the text sets as a deadline. In a report, 到2023年底 of the year it reviews
    (or an earlier one) is a point reached, not a deadline."""
    for m in TO_YEAR.finditer(text):
        year = re.search(r"20\d\d", m.group(0))
        now = ctx.start_year if ctx.start_year is not None else ctx.reference_year
        if not (reports(ctx) and year and now is not None and int(year.group(0)) <= now):
            return True
    return False


_LIST_LEAD = re.compile(r"^([^:：。]{2,40})[:：]")


# "过去的五年，…；…；": a first clause of only a time just past, no figure in it
_PAST_FRAME = re.compile(rf"^[^，,。；;:：\d]{{0,12}}?(?:{alternation(LEX.cue_words('actual', 'strong'))})\s*[，,]")


def list_lead_kind(sentence: str) -> str | None:
    """'target' when the sentence opens a list with a lead-in of aims ("今年的主要目标是：…；", "力争：…；"):
    words of a target (目标 too) before the colon and none of what was done; 'actual' when its first clause
    is a time just past ("过去的五年，…；新培育…；建成…"): it speaks for the list's clauses that say nothing."""
    frame = _PAST_FRAME.match(sentence.strip())
    if frame and not (_STRONG_TARGET.search(frame.group(0)) or _WEAK_TARGET.search(frame.group(0))):
        return "actual"
    lead = _LIST_LEAD.match(sentence.strip())
    if lead is None:
        return None
    words = lead.group(1)
    if _STRONG_ACTUAL.search(words) or not (_WEAK_TARGET.search(words) or _STRONG_TARGET.search(words)):
        return None
    return "target"


def _last_cue(text: str, *patterns: re.Pattern) -> int:
    """Where the last match of any of the patterns in `text` ends (-1 for none)."""
    return max((m.end() for p in patterns for m in p.finditer(text)), default=-1)


def kind_by_cues(clause_text: str, sentence: str, ctx: PlanContext, before: str | None = None) -> tuple[str | None, str]:
    """('target'|'actual'|None, rule) from the words of the clause and its sentence. Where the sentence has
    words of both, the last of them before the figure (`before`: the sentence up to it) decides."""
    # (近三年…年均增长25%，今年力争增长20%: the first figure is achieved, the second an aim)
    plan = not reports(ctx)
    strong_target = bool(_STRONG_TARGET.search(clause_text) or deadline_ahead(clause_text, ctx)
                         or plan and _PLAN_TARGET.search(clause_text))
    strong_actual = bool(_STRONG_ACTUAL.search(clause_text))
    if strong_actual and not strong_target:
        return "actual", "actual_cue"
    if strong_target and not strong_actual:
        return "target", "target_cue"
    sentence_target = bool(_STRONG_TARGET.search(sentence) or deadline_ahead(sentence, ctx) or plan and _PLAN_TARGET.search(sentence))
    sentence_actual = bool(_SENTENCE_ACTUAL.search(sentence))
    if sentence_actual and not sentence_target:
        return "actual", "actual_cue"
    if sentence_target and not sentence_actual:
        return "target", "target_cue"
    if sentence_target and sentence_actual and before:
        last_target = _last_cue(before, _STRONG_TARGET, *((_PLAN_TARGET,) if plan else ()))
        last_actual = _last_cue(before, _SENTENCE_ACTUAL)
        if last_actual > last_target:
            return "actual", "actual_cue"
        if last_target > last_actual:
            return "target", "target_cue"
    return None, ""




def temporal(sentence: str, pos: int, times: list[Time], section: str, ctx: PlanContext, phrase: str,
              state: State) -> tuple[str | None, int | None, int | None, str, str]:
    """(kind, year, period_start, time rule, kind rule) of a quantity at `pos`; kind None drops it."""
    # A part on the coming year's work (三、下步打算) sets goals in any document; a part headed 目标 or
    # 指标 does in a plan, while in a report it lists what was achieved.
    coming = section == "next"
    if coming:
        section = "target"
    clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence, 0, pos)])
    clause_end = min([len(sentence)] + [c.start() for c in CLAUSE_SPLIT.finditer(sentence, pos)])
    before = [t for t in times if t.at < pos and (t.until is None or pos < t.until)]
    after = [t for t in times if pos < t.at < clause_end]  # "…60%以上（2027年）": a year later in the same clause
    cue_kind, cue_rule = kind_by_cues(sentence[clause_start:pos], sentence, ctx, sentence[:pos])
    if cue_kind is None and state.listed_kind == "actual":
        cue_kind, cue_rule = "actual", "list_lead"  # 过去的五年，…；新培育高新技术企业75家: the list's frame
    if cue_kind == "actual" and section == "target" and not reports(ctx) and _compares_only(sentence):
        cue_kind, cue_rule = None, ""  # 一、主要目标 … 技术合同成交额达到1.2亿元，同比增长20%: the part's aims
    elif (cue_kind == "actual" and _compares_only(sentence[clause_start:pos]) and _STRONG_TARGET.search(sentence, 0, clause_start)
          and not any(clause_start <= t.at < pos and t.rule != "compare_base" for t in times)):
        cue_kind, cue_rule = "target", "target_cue"  # 力争…达到200亿元，比去年的180亿元增长11%: the aim's own growth
    lead = _LIST_LEAD.match(sentence)
    if cue_kind == "actual" and not reports(ctx) and lead and lead.end() <= clause_start and list_lead_kind(sentence) == "target":
        # "2025年科技工作总体目标是：…获评高成长性科技型企业数达20家": the lead-in of aims speaks for its list
        cue_kind, cue_rule = "target", "list_lead"
    start, end, reference = ctx.start_year, ctx.end_year, ctx.reference_year
    if cue_kind != "target" and section != "target" and opens_with_part_of_year(sentence, pos):
        # "截至6月底，全市高新技术企业达到112家": a point or part of the document's own year, already reached
        own = reference if reference is not None else (start if ctx.plan_kind == "annual" else None)
        if own is not None and not any(t.at < pos and t.year is not None for t in times):
            return "actual", own, own, "partial_year", cue_rule or "part_of_year"
    nearest, rule = None, ""
    if before:
        nearest, rule = before[-1], before[-1].rule
    elif after:
        nearest, rule = after[0], ("year_after" if after[0].rule == "explicit_year" else after[0].rule)
    elif state.year is not None and not opens_with_part_of_year(sentence, pos):
        carried = state.year
        # A year named earlier in the paragraph holds unless the sentence's own words say otherwise
        # (a past year before "力争…", a coming year before "比上年增长…").
        past = carried.year is not None and ((start is not None and carried.year < start)
                                             or (reference is not None and carried.year < reference))
        if not ((past and cue_kind == "target") or (not past and cue_kind == "actual" and carried.year is not None
                                                     and reference is not None and carried.year > reference)):
            nearest, rule = carried, ("section_year" if carried.rule == "section_year" else "carried_year")
    if nearest is not None and nearest.at >= clause_start:
        # "去年…达到12.6亿元，今年力争突破15亿元": a clause naming its own time answers to its own words,
        # not to a cue of another clause.
        own_kind, _ = kind_by_cues(sentence[clause_start:pos], sentence[clause_start:clause_end], ctx)
        if own_kind is None and cue_kind is not None:
            cue_kind, cue_rule = None, ""
    if nearest is not None and nearest.year is not None:
        year = nearest.year
        if (cue_kind != "target" and section != "target" and part_of_year_after(sentence, nearest.at)
                and not (reference is not None and year > reference) and not (start is not None and year > start)):
            # "2020年1-3月，…", "今年上半年，…": a part of a year not still ahead, reported as "1-3月，…" is
            return "actual", year, year, rule, cue_rule or "part_of_year"
        deadline = nearest.to and nearest.tail != "底" and ctx.plan_kind == "annual" and cue_kind != "actual"
        first = nearest.first if nearest.first is not None else year
        if start is not None and year < start and not (deadline and year >= start - 1):
            return "actual", year, first, rule, "past_year"
        if (section == "target" and not reports(ctx) and cue_kind != "actual" and ctx.plan_kind != "annual"
                and start is not None and end is not None and start <= year <= end
                and reference is not None and year < reference):
            # A plan's aims for the years of its own period (行动计划(2024—2025年)：高新技术企业2024年突破3.5万家),
            # whenever the copy read is dated.
            return "target", year, None, rule, cue_rule or "section"
        if reference is not None and year < reference and cue_kind != "target":
            return "actual", year, year, rule, "past_year"
        if reference is not None and year > reference:
            return "target", year, None, rule, "future_year"
        if (reports(ctx) and cue_kind != "actual" and ctx.plan_kind != "annual" and start is not None
                and end is not None and year >= end > start):
            # A review of a plan period (中期评估) reports the years so far; its period's end is the aim.
            return "target", year, None, rule, cue_rule or "future_year"
        if reports(ctx) and cue_kind != "actual" and (coming or (start is not None and year > start and (
                ctx.plan_kind == "annual" or end is None))):
            # A report's part on the coming year ("二、2024年工作打算"), or the year after the one it reviews
            # (今年 in a review published in January): its figures are aims.
            return "target", year, None, rule, cue_rule or "section"
        if cue_kind == "actual" or (cue_kind is None and reports(ctx)):
            return "actual", year, year, rule, cue_rule or "document_kind"
        if start is None and cue_kind is None and section in ("past", "context"):
            return "actual", year, year, rule, "section"
        return "target", year, None, rule, cue_rule or "future_year"
    if nearest is not None:  # 今年 in a document whose reference year is unknown
        # 去年 is past and 明年 ahead whichever year 今年 is.
        if nearest.offset is not None and nearest.offset < 0 and cue_kind != "target":
            return "actual", None, None, rule, "past_year"
        if nearest.offset is not None and nearest.offset > 0 and cue_kind != "actual":
            return "target", None, None, rule, "future_year"
        kind = cue_kind or ("actual" if reports(ctx) or section == "past" else "target")
        return kind, None, None, rule, cue_rule or ("document_kind" if reports(ctx) else "section")
    # No year in the sentence or the paragraph: the plans it names, the section, the cues and the document say.
    default_past = start - 1 if start is not None else None
    for name, (first, last) in LEX.plan_periods.items():
        if name in sentence and start is not None and section != "target" and cue_kind != "target" and (
                last == start - 1 or last < start and not since_plan_period(sentence, name)) and not compared_only(sentence, name):
            # "十三五"期间…: the plan just before this one, or in a later document any plan that had ended.
            return "actual", last, first, "plan_period", "past_year"
    if section == "past":
        if cue_kind == "target" and TO_YEAR.search(sentence):
            return "target", end, None, "plan_end" if end else "undated", cue_rule
        if not reports(ctx):
            return "actual", default_past, None, "section_default" if start else "undated", "section"
        # A report's part on its results (一、主要工作成效) is of the year the report reviews, not the one before.
    if cue_kind == "actual" or (cue_kind is None and reports(ctx) and not coming) or section == "past":
        # A yearly report's figures are of the year it reviews (published in January, it is the year before).
        if reports(ctx) and ctx.plan_kind == "annual" and start is not None:
            year = start
        elif reports(ctx) and reference is None:
            # A review of a five-year plan part-way through (中期评估) with no date: its figures are of some
            # year of the plan that the text does not say, not of the year before the plan.
            year = None
        else:
            year = reference if reference is not None else (start if ctx.plan_kind == "annual" else default_past)
        return "actual", year, year, "section_default" if year is not None else "undated", cue_rule or "document_kind"
    if section == "target":
        return "target", end, None, "plan_end" if end else "undated", "section"
    if section == "context":
        if _CONTEXT_STATE.search(phrase):
            return "actual", default_past, None, "section_default" if start else "undated", "section"
        return _listed(state, end)
    weak_target = bool(_WEAK_TARGET.search(sentence))
    # (a work plan states aims: its 累计/拥有 are totals to reach — 全年技术合同成交额累计突破5亿元)
    weak_actual = bool(_WEAK_ACTUAL.search(sentence)) and ctx.document_kind != "work_plan"
    if section == "task" and (weak_target or cue_kind == "target" or ctx.plan_kind == "annual") and not weak_actual:
        return "target", end, None, "plan_end" if end else "undated", cue_rule or "section"
    if section in ("intro", "principle") and (weak_target or cue_kind == "target") and not weak_actual and (
            ctx.plan_kind == "annual" or cue_kind == "target" or ctx.document_kind == "work_plan"):
        return "target", end, None, "plan_end" if end else "undated", cue_rule or "section"
    return _listed(state, end)


def _listed(state: State, end: int | None) -> tuple[str | None, int | None, int | None, str, str]:
    """A figure nothing else decides, in an item of a list whose lead-in names aims ("主要目标是：…；…"), is
    one of them; otherwise it is dropped. (Only then: the lead-in never overrides a year, a cue or a
    report's own figures.)"""
    if state.listed_kind == "target":
        return "target", end, None, "plan_end" if end else "undated", "list_lead"
    return None, None, None, "", ""

