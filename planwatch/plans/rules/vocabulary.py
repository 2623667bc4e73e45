"""The lexicon compiled once into the pieces every rule shares: qualifier and unit alternations,
clause breaks, the lead words stripped from an indicator phrase."""

from __future__ import annotations

import re

from planwatch.plans.cells import APPROX, AT_LEAST, AT_MOST, EXACT
from planwatch.plans.lexicon import alternation, default_lexicon

LEX = default_lexicon()
BOUND = {"at_least": AT_LEAST, "at_most": AT_MOST, "approximately": APPROX, "exact": EXACT}

# ---------- vocabulary from the lexicon, compiled once
BEFORE_Q = alternation(LEX.qualifier_words("before"))
AFTER_Q = alternation(LEX.qualifier_words("after"))
INNER_Q = alternation(w for w in LEX.qualifier_words("after") if len(w) == 1)  # 40多项, 45万余份
UNIT_ALT = alternation(LEX.units)
PLAN_NAMES = alternation(LEX.plan_periods)
CN_NUM = r"(?:[一二两三四五六七八九十百千]{2,}|[二两三四五六七八九十])"
# 二点三亿元, 零点八: a decimal in words (a single 一 only with its 点, not the 一 of 一批)
CN_DECIMAL = r"[零〇一二两三四五六七八九十百千]+点[零〇一二三四五六七八九]+"
NUM = rf"\d+(?:\.\d+)?|{CN_DECIMAL}|{CN_NUM}"
RANK_WORDS = alternation(LEX.relations.get("rank", ()))
# "12 新培育科技型中小企业60家以上": a numbered row of a list or a task table run into lines (the number, a
# space, words; not "86 家", a number and its unit that a PDF spaced apart).
_ROW_NUMBER = rf"\d{{1,3}}\s+(?!{UNIT_ALT})(?=[\u4e00-\u9fff])"
NUMBERED_ROW = re.compile(rf"^{_ROW_NUMBER}")
# "●新增国家级科技型中小企业1163家": a bullet opens an item of a list of its own.
BULLETS = "●•◆■▲★▪◇○◎□➢►"
BULLETED = re.compile(rf"^\s*[{BULLETS}]")
CLAUSE_SPLIT = re.compile(r"[，,：:|]")  # | separates the cells of a table flattened into text
STRETCH = re.compile(alternation(q.word for q in LEX.qualifiers if q.stretch))
LEAD_STRIP = re.compile(
    rf"^(?:[、，,和及与|\s{BULLETS}]+|"
    r"[一二三四五六七八九十]+是|\d+[、.．](?!\d)|[(（](?:\d+|[一二三四五六七八九十]+)[)）]|"
    r"(?:\d+|[一二三四五六七八九十两]+)年(?:内|来|间|度)?|到\s*20\d\d\s*年(?:底|末)?|20\d\d\s*年(?:底|末|度)?|"
    # parts of a year (今年一季度全省…, 1-6月…): the figure's time, not its name
    r"(?:第)?[一二三四1-4]季度|前[一二三1-3]季度|上半年|下半年|(?:1|一)\s*(?:-|至|到|~)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:份)?|"
    rf"\"?(?:{PLAN_NAMES})\"?(?:期间|末|时期)?|(?:{alternation(LEX.time_words)})(?:底|末)?|要(?!素|求|点)|{alternation(LEX.lead_words)}"
    # a task's verb (加强, 深入实施) only before a name of its own: "提高0.5个百分点" keeps its verb
    rf"|(?:{alternation(LEX.task_words)})(?=[\u4e00-\u9fffA-Za-z]{{2}}))+"
)
# 力争, 争取, 确保: words of intent before a number, never part of an indicator's name.
STRETCH_ANYWHERE = re.compile(alternation(q.word for q in LEX.qualifiers if q.position == "before" and q.bound == "exact"))
LEVEL_TAIL = re.compile(rf"(?:{alternation(LEX.words('level'))})+$")


def clean(p: str) -> str:
    p = LEAD_STRIP.sub("", p.strip()).strip()
    return p.strip(" \"'、，,的")
