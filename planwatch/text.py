"""Text normalisation shared by the plan extractor and the statistics loader.

Full-width forms go through Unicode NFKC, traditional characters through
OpenCC's t2s table and Chinese numerals through cn2an, so none of that is
hand-written here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an
import opencc

_T2S = opencc.OpenCC("t2s")

# Quotes and dashes that NFKC leaves alone but that mean the same thing here.
_PUNCT_MAP = str.maketrans({
    "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "－": "-", "~": "-", "～": "-",
    "〔": "(", "〕": ")", "【": "[", "】": "]", "〈": "<", "〉": ">", "《": "<", "》": ">",
})


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Half-width, simplified, with unified quotes and dashes; spacing kept."""
    text = unicodedata.normalize("NFKC", text)
    text = _T2S.convert(text)
    return text.translate(_PUNCT_MAP)


_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_CN_DIGITS = set("零〇一二两三四五六七八九十百千")


def chinese_numeral_to_number(text: str) -> float | None:
    """'十' → 10, '两' → 2, '一百二十' → 120; None when it is not a numeral."""
    if not text or not any(ch in _CN_DIGITS for ch in text):
        return None
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def parse_number(text: str) -> float | None:
    """A plain number as written in a cell: '1,234.5', '１２', '3 100', '十'. None if not a number."""
    if text is None:
        return None
    s = normalize(str(text)).strip()
    if not s:
        return None
    s = s.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if _NUMBER.match(s):
        return float(s)
    return chinese_numeral_to_number(s)
