"""What one table cell or one prose quantity says: value, kind of target, qualifier.

Shared by the table and prose rules so that "45家以上", "≥45", "[13.5]",
"年均增长 13%" and "1-2" mean the same wherever they appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.text import normalize, parse_number

# Target types, as the warehouse stores them.
LEVEL = "level"
GROWTH = "growth_pct"
AVG_GROWTH = "annual_avg_growth_pct"
INCREMENT = "increment"
PP_INCREASE = "share_increase_pp"
RANGE = "range"
RANK = "rank"  # a position to reach or reached (第八, 前10位, 50强); lower is better
OTHER = "other"
TARGET_TYPES = (LEVEL, GROWTH, AVG_GROWTH, INCREMENT, PP_INCREASE, RANGE, RANK, OTHER)

# Qualifiers: how the actual is compared with the value.
EXACT = "exact"
AT_LEAST = "at_least"
AT_MOST = "at_most"
APPROX = "approximately"
QUALIFIERS = (EXACT, AT_LEAST, AT_MOST, APPROX)


def _lexicon_qualifiers(position: str) -> tuple[tuple[str, str], ...]:
    """(word, qualifier) of the bound words of the lexicon (seeds/reference/lexicon/qualifiers.csv), longest first."""
    from planwatch.plans.lexicon import default_lexicon

    words = [(q.word, q.bound) for q in default_lexicon().qualifiers if q.position == position and q.bound != EXACT]
    return tuple(sorted(words, key=lambda w: len(w[0]), reverse=True))


_PREFIX_QUALIFIERS = _lexicon_qualifiers("before")
_SUFFIX_QUALIFIERS = _lexicon_qualifiers("after")
# The words alone, for one test whether any of them begins (ends) a cell at all: most cells hold none.
_PREFIX_WORDS = tuple(word for word, _ in _PREFIX_QUALIFIERS)
_SUFFIX_WORDS = tuple(word for word, _ in _SUFFIX_QUALIFIERS)


def _growth_words() -> re.Pattern:
    from planwatch.plans.lexicon import alternation, default_lexicon

    lex = default_lexicon()
    return re.compile(rf"(?:({alternation(lex.words('avg_growth'))})|(?:{alternation(lex.words('growth'))}))(率)?"
                      rf"({alternation(('达到', '达', '为'))})?")


_NUM = r"\d+(?:\.\d+)?"
_RANGE_RE = re.compile(rf"^({_NUM})\s*(?:-|至|到)\s*({_NUM})")
_CELL_RE = re.compile(rf"^({_NUM})")
_GROWTH_WORDS = _growth_words()
# Cells that hold no figure but keep their column, as normalize() writes them (… → ..., — → -).
EMPTY_CELL = frozenset(normalize(c) for c in ("", "-", "--", "/", "—", "——", "…", "……", "无", "暂无", "待定", "x", "×"))


@dataclass(frozen=True)
class CellValue:
    value: float | None
    target_type: str
    qualifier: str
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # a unit written inside the cell ("13%", "5家")
    cumulative: bool = False  # "[13.5]": a total over the plan period


def take_qualifiers(text: str) -> tuple[str, str]:
    """Strip a leading and trailing qualifier word; return (rest, qualifier)."""
    qualifier = EXACT
    s = text.strip()
    if s.startswith(_PREFIX_WORDS):
        for word, q in _PREFIX_QUALIFIERS:
            if s.startswith(word):
                s, qualifier = s[len(word):].strip(), q
                break
    if s.endswith(_SUFFIX_WORDS):
        for word, q in _SUFFIX_QUALIFIERS:
            if s.endswith(word):
                s, qualifier = s[: -len(word)].strip(), q
                break
    return s, qualifier


def parse_cell(raw: str, known_units: tuple[str, ...] = ()) -> CellValue | None:
    """Parse a table cell that holds a target or base value; None if it holds none."""
    s = normalize(raw).strip()
    if s in EMPTY_CELL:
        return None
    cumulative = False
    if len(s) > 2 and s[0] in "[(" and s[-1] in "])":
        s, cumulative = s[1:-1].strip(), True
    target_type = LEVEL
    growth = _GROWTH_WORDS.match(s)
    if growth:
        target_type = AVG_GROWTH if growth.group(1) else GROWTH
        s = s[growth.end():].strip()
    elif s.startswith(("提高", "提升")) and "百分点" in s:
        target_type = PP_INCREASE
        s = s[2:].strip()
    elif s.startswith("翻一番"):
        return CellValue(None, OTHER, EXACT, unit=None, cumulative=cumulative)
    s, qualifier = take_qualifiers(s)
    m = _RANGE_RE.match(s)
    if m:
        low, high = float(m.group(1)), float(m.group(2))
        unit = s[m.end():].strip() or None
        if low < high:
            return CellValue(None, RANGE if target_type == LEVEL else target_type, qualifier, low, high, unit, cumulative)
    m = _CELL_RE.match(s.replace(",", ""))
    if m:
        rest = s.replace(",", "")[m.end():].strip()
        rest, q2 = take_qualifiers(rest)
        if q2 != EXACT:
            qualifier = q2
        rest = _spoken_amount(rest)
        if rest and rest not in known_units and rest not in ("%", "‰") and not _looks_like_unit(rest):
            return None
        return CellValue(float(m.group(1)), target_type, qualifier, unit=rest or None, cumulative=cumulative)
    number = parse_number(s)
    if number is not None:
        return CellValue(number, target_type, qualifier, cumulative=cumulative)
    return None


def _looks_like_unit(text: str) -> bool:
    # "5G基站数" is a name that starts with a number, not 5 of a unit "G基站数".
    return len(text) <= 4 and not re.search(r"\d", text) and not re.match(r"[A-Za-z]", text)


def _spoken_amount(unit: str) -> str:
    """'个亿' (2个亿) is the spoken form of an amount of money: 亿元."""
    m = re.fullmatch(r"个(亿|万)(元)?", unit)
    return f"{m.group(1)}元" if m else unit


def is_value_cell(raw: str) -> bool:
    return parse_cell(raw) is not None or normalize(raw).strip() in EMPTY_CELL
