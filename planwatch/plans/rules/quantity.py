"""Quantity rules: what a number is (rule ids number_unit, chinese_numeral, percent_of, fraction,
range, rank_ordinal, rank_top, doubling, index_value), and the numbers that are names or layouts, not figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.plans.cells import EXACT, OTHER, RANK
from planwatch.plans.lexicon import alternation
from planwatch.plans.rules.vocabulary import (
    AFTER_Q, BEFORE_Q, BOUND, CN_DECIMAL, CN_NUM, INNER_Q, LEX, NUM, RANK_WORDS, UNIT_ALT,
)
from planwatch.text import chinese_numeral_to_number

QUANTITY = re.compile(
    rf"(?P<prefix>{BEFORE_Q})?\s*"
    rf"(?P<num>{NUM})"
    r"(?:\s*(?:-|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"\s*(?P<mult>千|万|亿)?(?P<inner>{INNER_Q})?(?P<unit>{UNIT_ALT})"
    rf"(?P<suffix>{AFTER_Q})?"
)
# 百分之四十五: a percentage written in words.
_PERCENT_OF = re.compile(rf"(?P<prefix>{BEFORE_Q})?百分之(?P<num>{CN_DECIMAL}|{CN_NUM}|{NUM}|一)(?P<suffix>{AFTER_Q})?")
# 1/3, 三分之一: a fraction (of enterprises, of the total).
_FRACTION = re.compile(
    rf"(?P<prefix>{BEFORE_Q})?(?:(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d/.])|(?P<cb>{CN_NUM}|一)分之(?P<ca>{CN_NUM}|一))"
    rf"(?P<suffix>{AFTER_Q})?"
)
# "在全省十三市中排名第八", "连续六年位居全市第一", "居全州第一", "排名第50位" (not 第一批, 第二届).
_RANK_ORDINAL = re.compile(
    rf"(?:(?:{alternation(w for w in LEX.relations.get('rank', ()) if len(w) > 1 or w == '居')})[^，。；,;：:]{{0,12}}?"
    rf"|(?:{alternation(LEX.relations.get('rank_scope', ()))}))"  # "增速26.6%全市第1": the field, then the rank
    r"第(?P<ord>\d+|[一二三四五六七八九十]+)(?:位|名)?(?![批个届次家期季年章条款轮项部阶类位名\d]|方阵|梯队|梯次|阵营|档)")
# "全国县域经济50强", "全国百强高新区", "进入全国前10位": a rank to be within (at most N).
_RANK_TOP = re.compile(
    rf"(?P<scope>{alternation(LEX.relations.get('rank_scope', ()))})(?P<what>[^，。；、,;\d百千强前]{{0,14}}?)"
    r"(?:(?P<n>\d+|百|千)强(?P<tail>[\u4e00-\u9fff]{0,6}?)(?=[，。；、,;]|$|行列|榜)|前(?P<top>\d+|[一二三四五六七八九十]+)(?:位|名|强))"
)
# "科技创新指数达到160以上", "综合评价得分为85.6": a measure without a unit, its value the number after it.
_INDEX_VALUE = re.compile(
    rf"(?:{alternation(LEX.words('index_measure'))})(?P<gap>(?:[^，。；,;\d%]|20\d\d\s*年)*?)(?P<prefix>{BEFORE_Q})?\s*"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<suffix>{AFTER_Q})?(?![\d.%‰]|\s*(?:{UNIT_ALT}|年|月|日|号|版|代|期|批|-|至|/))"
)
# "由2020年的58.3提高到2023年的66.1": the index's later value, in the same clause.
_INDEX_NEXT = re.compile(
    rf"[^，。；,;%\d]{{0,4}}?(?:到|至)\s*(?:20\d\d\s*年(?:底|末)?的?)?\s*(?P<num>\d+(?:\.\d+)?)(?P<suffix>{AFTER_Q})?"
    rf"(?![\d.%‰]|\s*(?:{UNIT_ALT}|年|月|日|号))"
)
# 价格指数涨幅控制在3左右: the index's change, whose unit the text left out, not the index.
_INDEX_CHANGE = re.compile(alternation(LEX.words("growth") + LEX.words("decline") + ("涨幅",)))
_DOUBLING_WORDS = dict(LEX.type_cues.get("doubling", ()))
_DOUBLING = re.compile(rf"(?P<cue>{alternation(_DOUBLING_WORDS)})")
_LAYOUT = alternation(LEX.noise.get("layout", ()))
_SET_PHRASE = re.compile(rf"(?:一|二|两)(?:{alternation(LEX.noise.get('set_phrase', ()))})")
_ITEM_UNITS = ("项", "个", "条", "篇")  # the units a document counts its own items in
_SELF_COUNT = re.compile(rf"(?:大|{'|'.join(_ITEM_UNITS)})?(?:{alternation(LEX.noise.get('self_count', ()))})+")
_SELF_COUNT_BEFORE = re.compile(rf"(?:{alternation(LEX.noise.get('self_count_before', ()))})\s*[(（]?\s*$")
_DURATION_AFTER = re.compile(rf"(?:{alternation(LEX.noise.get('duration', ()))})")
_GAP_BEFORE = re.compile(rf"(?:{alternation(LEX.noise.get('gap', ()))})[^，。；,;\d]{{0,4}}$")


@dataclass
class Quantity:
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


def _number_unit(sentence: str, m: re.Match) -> Quantity | None:
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
    return Quantity(m.start(), m.end(), m.start("num"), value, low, high, unit, m.group("prefix") or "", after, rule)


def quantities(sentence: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in QUANTITY.finditer(sentence):
        if _is_noise(sentence, m):
            continue
        q = _number_unit(sentence, m)
        if q is not None:
            found.append(q)
    for m in _INDEX_VALUE.finditer(sentence) if ("指数" in sentence or "分" in sentence) else ():
        if len(re.sub(r"20\d\d\s*年", "", m.group("gap"))) > 6 or _INDEX_CHANGE.search(m.group("gap")):
            continue
        found.append(Quantity(m.start("num") if not m.group("prefix") else m.start("prefix"), m.end(), m.start("num"),
                               float(m.group("num")), None, None, None, m.group("prefix") or "", m.group("suffix") or "",
                               "index_value"))
        later = _INDEX_NEXT.match(sentence, m.end())
        if later:
            found.append(Quantity(later.start("num"), later.end(), later.start("num"), float(later.group("num")), None, None,
                                   None, "", later.group("suffix") or "", "index_value"))
    for m in _PERCENT_OF.finditer(sentence) if "百分之" in sentence else ():
        value = _number(m.group("num"))
        if value is not None:
            found.append(Quantity(m.start(), m.end(), m.start("num"), value, None, None, "%", m.group("prefix") or "",
                                   m.group("suffix") or "", "percent_of"))
    for m in _FRACTION.finditer(sentence) if ("/" in sentence or "分之" in sentence) else ():
        if m.group("a"):
            a, b = float(m.group("a")), float(m.group("b"))
        else:
            a, b = _number(m.group("ca")) or 0, _number(m.group("cb")) or 0
        if 0 < a < b <= 100 and not _UNIT_NEXT.match(sentence, m.end()):
            found.append(Quantity(m.start(), m.end(), m.start(), a / b, None, None, None, m.group("prefix") or "",
                                   m.group("suffix") or "", "fraction"))
    for m in _RANK_ORDINAL.finditer(sentence) if "第" in sentence else ():
        value = _number(m.group("ord"))
        if value is not None:
            found.append(Quantity(m.start(), m.end(), m.start("ord"), value, None, None, "位", "", "以内", "rank_ordinal", RANK))
    for m in _RANK_TOP.finditer(sentence) if ("强" in sentence or "前" in sentence) else ():
        n = m.group("n") or m.group("top")
        value = {"百": 100.0, "千": 1000.0}.get(n) or _number(n)
        if value is None:
            continue
        name = f"{m.group('scope')}{m.group('what')}{m.group('tail') or ''}排名"
        found.append(Quantity(m.start(), m.end(), m.start("n") if m.group("n") else m.start("top"), value, None, None, "位",
                               "", "以内", "rank_top", RANK, name))
    for m in _DOUBLING.finditer(sentence) if ("番" in sentence or "倍" in sentence) else ():
        found.append(Quantity(m.start(), m.end(), m.start(), _DOUBLING_WORDS[m.group("cue")], None, None, "倍", "", "",
                               "doubling", OTHER))
    # Overlaps (第八 read as a rank and as 八 + a unit, 百分之 and a number): the earliest, longest wins;
    # a rank or a doubling wins over the plain number it contains.
    priority = {"rank_ordinal": 0, "rank_top": 0, "doubling": 0, "percent_of": 1, "fraction": 1}
    found.sort(key=lambda q: (q.start, priority.get(q.rule, 2), -(q.end - q.start)))
    kept: list[Quantity] = []
    for q in found:
        clash = next((k for k in kept if q.start < k.end and k.start < q.end), None)
        if clash is None:
            kept.append(q)
        elif priority.get(q.rule, 2) < priority.get(clash.rule, 2):
            kept[kept.index(clash)] = q
    return sorted(kept, key=lambda q: q.start)


_UNIT_NEXT = re.compile(rf"\s*(?:{UNIT_ALT})")
_ATTRIBUTIVE = re.compile(
    rf"(?:[、和及与][^，。；,;]{{0,15}}?)?的(?![^，。；,;]{{0,4}}(?:{alternation(LEX.cue_words('task') + LEX.relations.get('base', ()))}|水平))"
    rf"(?!{alternation(LEX.words('growth'))}|比重)(?!\s*\d+(?:\.\d+)?\s*[%‰])|级")  # 15亿元的120%: a rate of the figure
_EXISTING = re.compile(r"现有的?\s*$")
_LAYOUT_AFTER = re.compile(rf"[^，。；,;\s]{{0,6}}?(?:{_LAYOUT})(?:$|[^\u4e00-\u9fff]|[根依以围按，。])")
_RANK_SCOPE = re.compile(rf"[^，。；,;]{{0,8}}?中\s*(?:{RANK_WORDS})")
_DIGIT_PLUS = re.compile(r"\d\+$")
# Characters without which a sentence states no quantity (digits, numerals, 番/倍 of a doubling, 强 of a rank).
MAY_HOLD_A_NUMBER = re.compile(r"[\d一二两三四五六七八九十百千番倍]")


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
    # "连续6个月位居全省第一", "15个工作日内": a length of time counted in 个, not a figure.
    if m.group("unit") == "个" and _DURATION_AFTER.match(sentence, m.end()):
        return True
    # "在全省13个设区市中排名第五": the number of places ranked, not a figure.
    if _RANK_SCOPE.match(sentence, m.end()):
        return True
    # "实现六个目标：", "18项措施": counts of the document's own items.
    own = _SELF_COUNT.match(sentence, m.end())
    if own and re.match(r"\s|$|[:：，。；,;、]", sentence[own.end():]):
        return True
    # "主要指标12项": the document's own indicators counted, in items.
    if m.group("unit") in _ITEM_UNITS and _SELF_COUNT_BEFORE.search(sentence, 0, m.start()):
        return True
    # "距目标尚差40家": the distance still to go.
    if _GAP_BEFORE.search(sentence, max(0, m.start() - 8), m.start()):
        return True
    # "4+4": a quoted slogan with digits.
    return bool(_DIGIT_PLUS.search(sentence, 0, m.start()))




def qualifier(q: Quantity, phrase: str) -> str:
    for word, position in ((q.after, "after"), (q.before, "before")):
        found = LEX.qualifier(word, position) if word else None
        if found is not None and found.bound != "exact":
            return BOUND[found.bound]
    # "突破 70亿", "超过了": a bound word closing the phrase, apart from the number.
    tail = re.search(rf"(?:{BEFORE_Q})\s*$", phrase)
    found = LEX.qualifier(tail.group(0).strip(), "before") if tail else None
    return BOUND[found.bound] if found is not None else EXACT

