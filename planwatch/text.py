"""Text normalisation shared by the plan extractor and the statistics loader.

Full-width forms go through Unicode NFKC, traditional characters through
OpenCC's t2s table and Chinese numerals through cn2an, so none of that is
hand-written here.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import cn2an
import opencc

_T2S = opencc.OpenCC("t2s")

# Quotes and dashes that NFKC leaves alone but that mean the same thing here.
_PUNCT = {
    "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "－": "-", "~": "-", "～": "-",
    "〔": "(", "〕": ")", "【": "[", "】": "]", "〈": "<", "〉": ">", "《": "<", "》": ">",
}
# One regex pass finds them: str.translate with a mapping looks every character of a Chinese line up in
# a dict, eight times slower than the regex scan on the lines the extractor reads.
_PUNCT_CHARS = re.compile("[" + re.escape("".join(_PUNCT)) + "]")


def _unify_punctuation(text: str) -> str:
    return _PUNCT_CHARS.sub(lambda m: _PUNCT[m.group()], text) if _PUNCT_CHARS.search(text) else text


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Half-width, simplified, with unified quotes and dashes; spacing kept."""
    text = unicodedata.normalize("NFKC", text)
    text = _T2S.convert(text)
    return _unify_punctuation(text)


# Machine-converted traditional text glosses characters with their pinyin: 技術(shù) → 技术.
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{_TONE}]*[{_TONE}])[a-z{_TONE}]{{1,7}}\)")
# The same converters print a character twice (发发展); only in text that shows the glosses.
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")
# "达到 58 家", "新认定高新技术企业 200家": spaces a web page or PDF put around a number.
_SPACE_BEFORE_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff%‰])[ \u3000\u00a0]+(?=[\d])")
_SPACE_AFTER_NUMBER = re.compile(r"(?<=\d)[ \u3000\u00a0]+(?=[\u4e00-\u9fff%‰])")


# HTML a scraper left in the text ("<p style=…><span>到2027年底，…</span></p>", &quot;): tags dropped, a block's
# end a sentence's end, entities decoded; a tag the copy cut off at the line's end dropped too.
_HTML_TAG = re.compile(r"</?(?:p|span|div|br|img|strong|em|b|i|u|font|a|td|th|tr|table|tbody|li|ul|ol|h[1-6]|section|article)\b[^<>]*>|"
                       r"<(?:p|span|div|img|a|font|td|section)\s[^<>]*$", re.IGNORECASE)
_HTML_BLOCK_END = re.compile(r"</(?:p|div|li|tr|h[1-6]|section|article)>|<br\s*/?>", re.IGNORECASE)
_HTML_HINT = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]|&(?:[a-z]+|#\d+);")
_SENTENCE_END = re.compile(r"[。！？；!?;…]\s*$")


def strip_html(line: str) -> str:
    """A line without the markup a web copy kept: its text, block ends as sentence ends."""
    if not _HTML_HINT.search(line):
        return line
    parts = []
    for piece in _HTML_BLOCK_END.split(line):
        text = html.unescape(_HTML_TAG.sub("", piece)).strip()
        if text:
            parts.append(text if _SENTENCE_END.search(text) else text + "。")
    joined = "".join(parts)
    return joined[:-1] if parts and not _SENTENCE_END.search(html.unescape(_HTML_TAG.sub("", line)).strip()) else joined


@lru_cache(maxsize=16)
def normalize_document(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Each line of a document as the prose reader reads it, normalised once.

    normalize() per line, then what only the whole text can tell: pinyin glosses removed, and in a
    text that carries such glosses (a machine conversion) doubled characters written once; spaces
    around numbers dropped. Line numbers are kept (one output line per input line). Cached: the
    readers of one document (sections, registers, sub-area attribution) share one normalisation.
    """
    text = [normalize(strip_html(line)) if "<" in line or "&" in line else normalize(line) for line in lines]
    # The patterns need a "(" (a gloss) or a space of one of their kinds: most lines have neither, and a
    # substring test costs less than a regex scan (the gloss pattern opens with a look-behind: no quick skip).
    glossed = any("(" in line and _PINYIN_GLOSS.search(line) for line in text)
    out = []
    for line in text:
        if glossed:
            line = _DOUBLED.sub(r"\1", _PINYIN_GLOSS.sub("", line))
        if " " in line or "\u3000" in line or "\u00a0" in line:
            line = _SPACE_AFTER_NUMBER.sub("", _SPACE_BEFORE_NUMBER.sub("", line))
        out.append(line)
    return tuple(out)


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


class WordScanner:
    """Every occurrence of a set of literal words in a text, left to right, not overlapping, the longest word
    at each place: what a longest-first regex alternation of them finds (`finditer`), without its cost.

    Python's regex engine tries the alternatives of an alternation one by one at every position, so a scan
    for thousands of region names costs milliseconds per sentence; here each position looks its first
    characters up in a dictionary and tries only the few words that begin with them.
    """

    def __init__(self, words):
        words = {w for w in words if w}
        self._key_length = min(map(len, words), default=1)
        by_key: dict[str, list[str]] = {}
        for word in sorted(words, key=len, reverse=True):
            by_key.setdefault(word[:self._key_length], []).append(word)
        self._by_key = by_key
        # The characters a word begins with: the scan jumps from one to the next in C.
        self._first_characters = re.compile("[" + "".join(sorted({re.escape(key[0]) for key in by_key})) + "]" if by_key else "(?!)")

    def finditer(self, text: str):
        """(start, end, word) of each occurrence."""
        i, last, size, by_key = 0, len(text) - self._key_length, self._key_length, self._by_key
        next_start = self._first_characters.search
        while i <= last:
            found = next_start(text, i, last + 1)
            if found is None:
                return
            i = found.start()
            words = by_key.get(text[i:i + size])
            if words is not None:
                for word in words:
                    if text.startswith(word, i):
                        yield i, i + len(word), word
                        i += len(word)
                        break
                else:
                    i += 1
            else:
                i += 1
