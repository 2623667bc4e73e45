"""Statistical periods as written (2023, 2023Q3, 2023年三季度, 2023年9月, 2023年1-9月) → typed periods."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from planwatch.text import chinese_numeral_to_number, normalize


@dataclass(frozen=True)
class Period:
    period_type: str  # year | quarter | month | ytd
    start: date
    end: date
    is_ytd: bool

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def label(self) -> str:
        if self.period_type == "year":
            return f"{self.year}"
        if self.period_type == "quarter":
            return f"{self.year}Q{(self.end.month - 1) // 3 + 1}"
        if self.period_type == "month":
            return f"{self.year}-{self.end.month:02d}"
        return f"{self.year}-01..{self.end.month:02d} YTD"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _num(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = chinese_numeral_to_number(text)
    return int(value) if value is not None else None


_Y = r"(?P<y>(?:19|20)\d{2})"
_PATTERNS = [
    ("year", re.compile(rf"^{_Y}(?:年|年度)?$")),
    ("quarter", re.compile(rf"^{_Y}\s*(?:年)?\s*(?:Q|q|第)?(?P<q>[1-4一二三四])(?:季度|季)?$")),
    ("quarter", re.compile(rf"^{_Y}\s*-?\s*Q(?P<q>[1-4])$")),
    ("ytd_quarters", re.compile(rf"^{_Y}\s*年?\s*(?:1|一)\s*-\s*(?P<q>[1-4一二三四])\s*季度(?:累计)?$")),
    ("ytd_quarters", re.compile(rf"^{_Y}\s*年?\s*前(?P<q>[一二三1-3])季度(?:累计)?$")),
    ("ytd_half", re.compile(rf"^{_Y}\s*年?\s*上半年$")),
    ("ytd_months", re.compile(rf"^{_Y}\s*年?\s*(?:1|一)\s*-\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]+)\s*月(?:份)?(?:累计)?$")),
    ("month", re.compile(rf"^{_Y}\s*(?:年|-|/|\.)\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]+)\s*(?:月(?:份)?)?$")),
    ("month", re.compile(rf"^{_Y}(?P<m>0[1-9]|1[0-2])$")),
]


# How a period may be written in a statistics file, one example per form (the statistics template
# lists them; tests check every example parses to the meaning given).
PERIOD_FORMS = (
    ("year", "2023", "2023"),
    ("year", "2023年", "2023"),
    ("quarter", "2023Q3", "2023Q3"),
    ("quarter", "2023年三季度", "2023Q3"),
    ("year to date, quarters", "2023年1-3季度", "2023-01..09 YTD"),
    ("year to date, quarters", "2023年前三季度", "2023-01..09 YTD"),
    ("year to date, half year", "2023年上半年", "2023-01..06 YTD"),
    ("year to date, months", "2023年1-9月", "2023-01..09 YTD"),
    ("year to date, months", "2023年1-9月累计", "2023-01..09 YTD"),
    ("month", "2023年9月", "2023-09"),
    ("month", "2023-09", "2023-09"),
    ("month", "202309", "2023-09"),
)


def parse_period(text: object) -> Period | None:
    """None when the text is not a period this parser knows."""
    if text is None:
        return None
    s = normalize(str(text)).strip().replace(" ", "")
    if re.fullmatch(r"(?:19|20)\d{2}\.0", s):  # a year that went through a float column
        s = s[:-2]
    for kind, pattern in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group("y"))
        if kind == "year":
            return Period("year", date(year, 1, 1), date(year, 12, 31), False)
        if kind == "quarter":
            q = _num(m.group("q"))
            return Period("quarter", date(year, 3 * q - 2, 1), _month_end(year, 3 * q), False)
        if kind == "ytd_quarters":
            q = _num(m.group("q"))
            if q == 4:
                return Period("year", date(year, 1, 1), date(year, 12, 31), False)
            return Period("ytd", date(year, 1, 1), _month_end(year, 3 * q), True)
        if kind == "ytd_half":
            return Period("ytd", date(year, 1, 1), _month_end(year, 6), True)
        month = _num(m.group("m"))
        if month is None or not 1 <= month <= 12:
            return None
        if kind == "ytd_months":
            if month == 12:
                return Period("year", date(year, 1, 1), date(year, 12, 31), False)
            if month == 1:
                return Period("month", date(year, 1, 1), _month_end(year, 1), False)
            return Period("ytd", date(year, 1, 1), _month_end(year, month), True)
        return Period("month", date(year, month, 1), _month_end(year, month), False)
    return None


@lru_cache(maxsize=1)
def _named_period():
    """'2020年' or '"十二五"末', the plan names from the lexicon (seeds/reference/lexicon/plan_periods.csv)."""
    from planwatch.plans.lexicon import alternation, default_lexicon

    plans = default_lexicon().plan_periods
    pattern = re.compile(rf"(?P<year>(?:19|20)\d{{2}})\s*年|[\"“]?(?P<plan>{alternation(plans)})[\"”]?\s*(?:末|期末|末期)")
    return pattern, {name: end for name, (_, end) in plans.items()}


def named_period_year(text: str | None) -> int | None:
    """The year a phrase names: '2020年' → 2020, '"十二五"末' → 2015; None when it names none."""
    pattern, plan_end = _named_period()
    m = pattern.search(normalize(text or ""))
    if not m:
        return None
    return int(m.group("year")) if m.group("year") else plan_end[m.group("plan")]
