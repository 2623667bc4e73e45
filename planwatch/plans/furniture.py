"""A web page's furniture around a copied document: menus, breadcrumbs, login boxes and a disclosure
page's record (索引号：…  发布时间：…). Such lines are neither the title nor prose; the words are in
seeds/reference/lexicon/page_furniture.csv (a `title_field` names the record field that holds the title)."""

from __future__ import annotations

import re
from functools import lru_cache

from planwatch.plans.lexicon import alternation, default_lexicon

FURNITURE_MAX = 60  # a menu, breadcrumb or login line is short; a sentence mentioning 首页 is not furniture
LOGIN_MAX = 20


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    words = default_lexicon().page_furniture
    compact = {role: [re.sub(r"\s+", "", w) for w in ws] for role, ws in words.items()}
    separators = [w for w in compact.get("navigation", ()) if not re.search(r"[\u4e00-\u9fff]", w)]
    navigation = [w for w in compact.get("navigation", ()) if w not in separators]
    field = re.compile(rf"^(?:{alternation(compact.get('metadata', ()))})[:：]")
    title = re.compile(rf"^(?:{alternation(compact.get('title_field', ()))})[:：](?P<title>.+)$")
    return (field, title, re.compile(alternation(navigation) or "(?!)"),
            re.compile(f"[{''.join(re.escape(s) for s in separators)}]" if separators else "(?!)"),
            re.compile(alternation(compact.get("login", ())) or "(?!)"))


def page_furniture(text: str) -> str | None:
    """The furniture role of a (normalised) line — navigation, login, metadata, title_field — or None."""
    field, title, navigation, separator, login = _patterns()
    if len(text) > 2 * FURNITURE_MAX:  # a line of prose: only a record's field label at its start can make it furniture
        head = re.sub(r"\s+", "", text[:24])
        return "title_field" if title.match(head) else "metadata" if field.match(head) else None
    s = re.sub(r"\s+", "", text)
    if not s:
        return None
    if title.match(s):
        return "title_field"
    if field.match(s):
        return "metadata"
    if len(s) <= FURNITURE_MAX and (navigation.search(s) and (separator.search(s) or len(s) <= 12) or len(separator.findall(s)) >= 2):
        return "navigation"
    if len(s) <= LOGIN_MAX and login.search(s):
        return "login"
    return None


def title_in_field(text: str) -> str | None:
    """The title a record field gives ("名称: 2023年…任务分解" → "2023年…任务分解"), else None."""
    m = _patterns()[1].match(re.sub(r"\s+", "", text))
    return m.group("title") if m else None
