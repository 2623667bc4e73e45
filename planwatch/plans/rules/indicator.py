"""Indicator rules: the words that name a figure and what kind of figure they say it is (rule ids
words_before, noun_after, respectively, from_to, carried_subject, part_of_whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.periods import named_period_year
from planwatch.plans.cells import AVG_GROWTH, GROWTH, INCREMENT, LEVEL, OTHER, PP_INCREASE, RANK
from planwatch.plans.lexicon import alternation
from planwatch.plans.rules.quantity import Quantity
from planwatch.plans.rules.vocabulary import (
    AFTER_Q, CLAUSE_SPLIT, LEAD_STRIP, LEVEL_TAIL, LEX, PLAN_NAMES, RANK_WORDS, STRETCH, STRETCH_ANYWHERE, clean,
)

_PER_YEAR = re.compile(alternation(LEX.words("per_year")))
_INCREMENT_VERB = re.compile(rf"^(?:{alternation(LEX.words('increment'))})")
# "高新技术企业新增60家": a word of new units after the name (type_cues role increment_after).
_INCREMENT_TAIL = re.compile(rf"(?:{alternation(LEX.words('increment_after'))})了?$")
_RATE_CUE = alternation(LEX.words("avg_growth") + LEX.words("growth") + LEX.words("decline"))
_GROWTH_TAIL = re.compile(rf"(?P<cue>{_RATE_CUE})(?:率)?(?:{alternation(LEX.words('level'))})?$")
_PP_TAIL = re.compile(rf"(?P<cue>{alternation(LEX.words('points') + LEX.words('points_decline'))})(?:了)?$")
_GAP_TO = re.compile(rf"(?:{alternation(LEX.words('gap_to'))})[^，。；,;\d]{{0,12}}$")
_COMPLETION_TAIL = re.compile(rf"(?:{alternation(LEX.words('completion'))})(?:{alternation(LEX.words('level'))})?$")
_COMPARISON_BASE = re.compile(
    r"(?<=[\u4e00-\u9fff)\"])(?<!占)(?:比|较|与)(?:" + alternation(LEX.time_words) + r"|同期|(?:19|20)\d{2}\s*年(?:底|末)?(?:\s*\([^()]*\))?|\"?(?:" + PLAN_NAMES
    + r")\"?\s*(?:末期|期末|末)?)(?:相比)?(?P<verb>(?:" + alternation(LEX.words("increment_actual") + LEX.words("growth") + LEX.words("decline") + ("增加", "多"))
    + r")了?)?$")
_CUMULATIVE = re.compile(alternation(LEX.words("cumulative")))
# "新增…20个，累计达121个": in an achieved figure, the total the stock has reached (a level), not a sum of new ones.
CUMULATIVE_REACHED = re.compile(rf"(?:{alternation(LEX.words('cumulative'))})\s*(?:{alternation(LEX.words('level'))})\s*$")
_CUMULATIVE_TAIL = re.compile(rf"(?:{alternation(LEX.words('cumulative'))})$")  # 技术合同成交额累计达到: not its name
_ACTUAL_INCREMENT = set(LEX.words("increment_actual"))
_MEASURE_NOUN = re.compile(rf"(?:{alternation(LEX.words('measure'))})")
_TOTAL_ONLY = re.compile(rf"(?:{alternation(LEX.words('total'))})")
_SUBJECT_MEASURE = re.compile(rf"(?:{alternation(LEX.words('subject_measure'))})")
_CHANGE_ONLY = {w: float(v) for w, v in LEX.type_cues.get("change_only", ())}
_FEWER = re.compile(rf"(?:{alternation([w for w, v in _CHANGE_ONLY.items() if v < 0] + list(LEX.words('decline')))})了?$")
_RATIO_OF = re.compile(rf"^与[^，,]{{1,15}}?之比(?:{alternation(LEX.words('level'))})?")
_RELATION_START = re.compile(rf"^(?:{alternation(LEX.relations.get('compare', ()) + LEX.relations.get('share', ()))})")
_RANK_START = re.compile(rf"^(?:{RANK_WORDS})")
JOINER = re.compile(r"^[、和及与或]*$")
# "…成交额在上年1200亿元的基础上": the base's time (在上年, 由2019年的) closes the phrase, it names no indicator.
_BASE_TIME_TAIL = re.compile(
    rf"(?:在|{alternation(LEX.relations.get('from', ()))})\s*(?:{alternation(LEX.time_words)}|(?:19|20)\d{{2}}\s*年(?:底|末)?)的?$")
# "每万人口发明专利拥有量2019年为1.1件", "有效发明专利截至去年底达到": the figure's time, named after
# its subject, closes the phrase; the time rule reads the year, the name is the words before it.
_TIME_TAIL = re.compile(
    rf"(?:{alternation(LEX.relations.get('deadline', ()))})?\s*(?:(?:{alternation(LEX.time_words)})|(?:19|20)\d{{2}}\s*年)(?:底|末|度)?的?$")
# "今年的目标是2.3%", "距规划目标3件", "已完成规划目标（40家", "提前完成2025年1.5亿元的目标": only the words of a
# task (and of the way to it); the indicator is the subject named before.
_TASK_ONLY = re.compile(rf"^(?:{alternation(LEX.relations.get('to_task', ()))})?(?:{alternation(LEX.cue_words('task'))})*"
                        r"(?:是|为)?\s*[(（]?$")
# "科技型中小企业入库数已完成规划目标（300家", "专利授权量离年度目标1200件": the task's words after the name.
_TASK_TAIL = re.compile(rf"(?:{alternation(LEX.relations.get('to_task', ()))})?(?:{alternation(LEX.cue_words('task'))})+"
                        r"(?:是|为)?\s*[(（]?$")


@dataclass
class Phrase:
    indicator: str
    target_type: str | None
    per_year: bool
    stretch: bool
    sign: float = 1.0
    relation: str = ""  # compare | share | rank | measure: the figure relates to a subject named before
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


def actual_type(target_type: str, verb: str = "") -> str:
    """An achieved figure's measure: an increment only when its words say it is new (新增, 比上年增加)."""
    if target_type == INCREMENT and verb and verb not in _ACTUAL_INCREMENT:
        return LEVEL  # "获得自治区科技进步奖42项": a count of the period
    return target_type if target_type in (GROWTH, AVG_GROWTH, INCREMENT, PP_INCREASE, RANK, OTHER) else LEVEL


def read_phrase(phrase: str, unit: str | None) -> Phrase:
    """Indicator words and target kind from the text before a quantity."""
    p = phrase.strip().strip('"\'').strip()
    cumulative = bool(_CUMULATIVE.search(p))
    ratio = _RATIO_OF.match(p)  # "与地区生产总值之比为2.31%": the ratio of the figure named before
    per_year = bool(_PER_YEAR.search(p))
    stretch = bool(STRETCH.search(p))
    p = LEAD_STRIP.sub("", p).strip()
    target_type: str | None = None
    sign = 1.0
    if unit == "倍" and (g := _GROWTH_TAIL.search(p) or _PP_TAIL.search(p)):
        target_type = OTHER  # "成交金额8.6亿元，增长1.2倍": a multiple of the figure before, not a level
        p = p[: g.start()]
    elif unit == "个百分点" and (g := _GAP_TO.search(p)):
        target_type = OTHER  # 高于固定资产投资29.4个百分点: a gap to another figure
        p = p[: g.start()]
    elif unit == "个百分点" and (g := _PP_TAIL.search(p)):
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
        if target_type is None and base.group("verb") and unit not in ("%", "‰", "个百分点", "倍"):
            target_type = INCREMENT
        p = p[: base.start()]
    verb = _INCREMENT_VERB.match(p)
    if verb and _MEASURE_NOUN.fullmatch(LEVEL_TAIL.sub("", p[verb.end():]).strip()):
        verb = None  # "孵化面积", "转化率": the verb is part of the measure's name
    verb_word = verb.group(0) if verb else ""
    if verb:
        p = p[verb.end():]
        if target_type is None:
            target_type = INCREMENT
    elif (tail := _INCREMENT_TAIL.search(p)) and tail.start() >= 2:
        verb_word, p = tail.group(0), p[: tail.start()]
        if target_type is None:
            target_type = INCREMENT
    p = _CUMULATIVE_TAIL.sub("", LEVEL_TAIL.sub("", p.strip()).strip()).strip()
    p = LEAD_STRIP.sub("", p).strip()
    if cumulative and target_type in (None, LEVEL):
        target_type = INCREMENT
    if target_type is None and LEVEL_TAIL.search(phrase.strip()):
        target_type = LEVEL
    p = LEAD_STRIP.sub("", STRETCH_ANYWHERE.sub("", p.strip(" \"'、，,的")))  # 预计全年: 全年 opens it once 预计 is gone
    p = _BASE_TIME_TAIL.sub("", p)
    p = _TIME_TAIL.sub("", p).strip()
    if p in _CHANGE_ONLY and unit not in ("%", "‰", "个百分点") and phrase.strip().endswith(p):  # not 增加到 (a level)
        # "较上年的1229家增加271家": a change of the subject named before, no name of its own
        target_type, sign, p = target_type or INCREMENT, _CHANGE_ONLY[p], ""
    if p and (_TASK_ONLY.match(p) or _PER_YEAR.fullmatch(p) or _TOTAL_ONLY.fullmatch(p)):
        p = ""  # 年均提高0.125个百分点: a measure of the subject named before, no name of its own
    elif (task := _TASK_TAIL.search(p)) and task.start() >= 2:
        p = _TIME_TAIL.sub("", p[: task.start()]).strip()  # 技术合同成交额今年目标: the task's year goes too
    if "每年" in p:
        p = p.replace("每年", "")
        per_year = True
    relation = ""
    if ratio:
        p, relation = LEVEL_TAIL.sub("", ratio.group(0)), "share"
    elif _SUBJECT_MEASURE.fullmatch(p):
        relation = "measure"  # "、强度达2%", "比重提高到40%" (not 比 of a comparison): the measure of the subject named before
    elif _RELATION_START.match(p):
        relation = "share" if p.startswith(LEX.relations.get("share", ("占",))) else "compare"
    elif _RANK_START.match(p):
        relation = "rank"
    if relation == "share" and target_type is None:
        target_type = LEVEL  # "占全市获奖总数的49.4%": a share is a level
    if relation == "compare":
        # "比上年增加6.38亿元": the change of the figure named before, in its own unit.
        if target_type is None and unit not in ("%", "‰", "个百分点", "倍"):
            target_type = INCREMENT
        if target_type == INCREMENT and _FEWER.search(p):
            sign = -1.0  # 比上年减少20家
        p = ""
    return Phrase(p.strip(), target_type, per_year, stretch, sign, relation, verb_word, cumulative)


_NOT_A_NOUN = re.compile(rf"^(?:{alternation(LEX.qualifier_words('after') + LEX.words('growth') + LEX.words('points') + LEX.words('decline'))}"
                         r"|的|和|及|与|或|等|为|是|到|至|并|且|而|/)")


# "突破1000亿元大关": the mark passed (noise_words.csv, role mark), not the thing counted.
_MARK = re.compile(rf"(?:{alternation(LEX.noise.get('mark', ('大关',)))})")
# Where the noun after a number ends: a bound word (以上), 等, or 的目标 (the figure's purpose).
_NOUN_END = re.compile(rf"(?:{AFTER_Q}|等|的(?:{alternation(LEX.cue_words('task'))}))")


def noun_after(sentence: str, pos: int) -> str:
    """'建成 5 家新型研发机构' names the thing after the quantity ('' when nothing follows directly)."""
    tail = re.split(r"[，,。；;、：:（(\s]", sentence[pos:], maxsplit=1)[0]
    tail = tail.strip("\"'“”‘’")
    if not tail or _NOT_A_NOUN.match(tail) or _MARK.match(tail) or not re.match(r"[\u4e00-\u9fff]", tail):
        return ""
    tail = _NOUN_END.split(tail, maxsplit=1)[0].strip()
    return tail[:30] if 2 <= len(tail) <= 30 else ""


_FROM = re.compile(r"(?:从|由)(?P<period>[^，。；,;从由]{0,12}?)的?\s*$")
# "…增加到2020年的149家": a level word ending in 到/至 (提高到, 发展到, 增至).
_TO = re.compile(rf"^\s*(?:{alternation(w for w in LEX.words('level') if w.endswith(('到', '至')))})"
                 r"(?P<period>[^，。；,;]{0,12}?)的?\s*$")


def from_to(sentence: str, quantities: list[Quantity]) -> dict[int, tuple[str, int | None]]:
    """'高新技术企业数量从"十二五"末的21家增加到2020年的149家': one indicator, two dated values.

    Returns, by the offset of each number, the shared indicator name and the
    year its period names (None when the text names no period for it).
    """
    out: dict[int, tuple[str, int | None]] = {}
    for q1, q2 in zip(quantities, quantities[1:]):
        clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence[: q1.start])])
        head = sentence[clause_start : q1.start]
        came_from, went_to = _FROM.search(head), _TO.match(sentence[q1.end : q2.start])
        if not came_from or not went_to:
            continue
        name = clean(head[: came_from.start()])
        if len(name) < 2:
            continue
        out[q1.start] = (name, named_period_year(came_from.group("period")))
        out[q2.start] = (name, named_period_year(went_to.group("period")))
    return out


_JOINED_NEXT = re.compile(r"^\s*[、和及与,，]\s*$")


def respectively(sentence: str, quantities: list[Quantity]) -> dict[int, str | int]:
    """'A、B、C分别达到 1、2、3': the names listed before 分别, by the offset of their number.

    Where 分别 opens its clause ("国家级2个、省级10个，分别增长20%和15%"), the figures after it are
    of the figures listed before it, one for one: the value is then the offset of that figure's
    number, whose name the caller knows.
    """
    out: dict[int, str | int] = {}
    for marker in re.finditer(r"分别", sentence):
        clause_start = max([0] + [c.end() for c in CLAUSE_SPLIT.finditer(sentence[: marker.start()])])
        names = [n for n in re.split(r"[、和及与]", sentence[clause_start : marker.start()]) if n.strip()]
        following = [q for q in quantities if q.start >= marker.end()]
        after = following[: len(names)]
        if len(names) >= 2 and len(after) == len(names):
            for name, q in zip(names, after):
                cleaned = LEAD_STRIP.sub("", name.strip()).strip()
                if len(cleaned) >= 2:
                    out[q.start] = cleaned
        elif not LEAD_STRIP.sub("", sentence[clause_start : marker.start()]).strip() and following:
            run = [following[0]]  # the figures after 分别 joined by 、/和 (分别增长20%和15%)
            for q in following[1:]:
                if not _JOINED_NEXT.match(sentence[run[-1].end : q.start]):
                    break
                run.append(q)
            before = [q for q in quantities if q.end <= clause_start]
            if len(run) >= 2 and len(before) >= len(run):
                for q, named in zip(run, before[-len(run):]):
                    out[q.start] = named.start
    return out
