"""The words the prose reader knows, read from seeds/reference/lexicon/*.csv (one list per file).

Rules match these words; they never spell them out themselves, so a word a new region uses is
added to a CSV, not to a regex. See seeds/reference/lexicon/README.md for what each file holds.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planwatch.text import normalize

BOUNDS = ("exact", "at_least", "at_most", "approximately")
TYPE_ROLES = ("growth", "avg_growth", "decline", "points", "points_decline", "increment", "level", "doubling", "completion", "per_year", "measure", "increment_actual", "increment_after", "cumulative", "total", "subject_measure", "change_only", "gap_to", "index_measure")
SECTIONS = ("past", "context", "target", "next", "principle", "task")
KINDS = ("target", "actual", "estimate", "task", "state")
SUBJECT_ROLES = ("lead", "self_reference", "zone_self_reference", "list_join")
FURNITURE_ROLES = ("navigation", "login", "metadata", "title_field")


class LexiconError(ValueError):
    """A lexicon file that cannot be read: names the file, the line and what is wrong."""


@dataclass(frozen=True)
class Qualifier:
    word: str
    position: str  # before | after (the number)
    bound: str  # exact | at_least | at_most | approximately
    stretch: bool  # a stretch goal (力争, 争取)


@dataclass(frozen=True)
class Lexicon:
    qualifiers: tuple[Qualifier, ...]
    type_cues: dict[str, tuple[tuple[str, float | None], ...]]  # role → (word, value)
    kind_cues: tuple[tuple[str, str, str], ...]  # (word, kind, weight)
    headings: tuple[tuple[str, str], ...]  # (word, section), first match wins
    time_words: dict[str, int | None]  # word → offset from the reference year; None: the year in force (当年, 同年)
    plan_periods: dict[str, tuple[int, int]]  # 十四五 → (2021, 2025)
    lead_words: tuple[str, ...]
    noise: dict[str, tuple[str, ...]]  # role → words
    relations: dict[str, tuple[str, ...]]  # role → words
    project_fields: dict[str, tuple[str, ...]]  # field | register_header | predicate → words
    units: tuple[str, ...]  # every written unit, longest first
    unit_forms: dict[str, str]  # written → the unit table's unit
    subject_words: dict[str, tuple[str, ...]]  # lead | self_reference | zone_self_reference | list_join → words (sub-area attribution)
    task_words: tuple[str, ...] = ()  # verbs of a task before an indicator's name (加强, 深入实施): not part of it
    page_furniture: dict[str, tuple[str, ...]] | None = None  # navigation | login | metadata | title_field → words
    unit_dimensions: dict[str, str] | None = None  # written unit → its dimension in seeds/reference/units.csv

    def unit_family(self, unit: str | None) -> str | None:
        """What a unit measures, broadly: money, a count (of entities, items, people), or its own dimension."""
        dimension = (self.unit_dimensions or {}).get(unit or "")
        if dimension is None:
            return None
        if dimension.startswith("money"):
            return "money"
        if dimension.startswith("count") or dimension in ("people", "person_times", "fte"):
            return "count"
        return dimension

    def words(self, role: str) -> tuple[str, ...]:
        return tuple(w for w, _ in self.type_cues.get(role, ()))

    def qualifier_words(self, position: str) -> tuple[str, ...]:
        return tuple(q.word for q in self.qualifiers if q.position == position)

    def qualifier(self, word: str, position: str) -> Qualifier | None:
        return next((q for q in self.qualifiers if q.word == word and q.position == position), None)

    def cue_words(self, kind: str, weight: str | None = None) -> tuple[str, ...]:
        return tuple(w for w, k, g in self.kind_cues if k == kind and (weight is None or g == weight))


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so that 及以上 is tried before 以上."""
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in unique) or "(?!)"


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise LexiconError(f"{path}: the lexicon file is missing")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise LexiconError(f"{path}: line 1: missing columns {missing}")
        out = []
        for number, row in enumerate(reader, start=2):
            row = {k: normalize((v or "").strip()) if k == columns[0] else (v or "").strip() for k, v in row.items()}
            if not row[columns[0]]:
                raise LexiconError(f"{path}: line {number}: empty {columns[0]!r}")
            out.append((number, row))
        return out


def _choice(path: Path, number: int, column: str, value: str, allowed) -> str:
    if value not in allowed:
        raise LexiconError(f"{path}: line {number}: {column} {value!r} is not one of {', '.join(allowed)}")
    return value


def _int(path: Path, number: int, column: str, value: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", value):
        raise LexiconError(f"{path}: line {number}: {column} {value!r} is not a whole number")
    return int(value)


def read_lexicon(reference_dir: Path) -> Lexicon:
    from planwatch.units import UnitTable

    folder = Path(reference_dir) / "lexicon"
    qualifiers = []
    path = folder / "qualifiers.csv"
    for n, r in _rows(path, ("word", "position", "bound", "stretch")):
        qualifiers.append(Qualifier(r["word"], _choice(path, n, "position", r["position"], ("before", "after")),
                                    _choice(path, n, "bound", r["bound"], BOUNDS),
                                    _choice(path, n, "stretch", r["stretch"], ("true", "false")) == "true"))
    type_cues: dict[str, list] = {}
    path = folder / "type_cues.csv"
    for n, r in _rows(path, ("word", "role", "value")):
        role = _choice(path, n, "role", r["role"], TYPE_ROLES)
        value = float(_int(path, n, "value", r["value"])) if r["value"] else None
        if role == "doubling" and value is None:
            raise LexiconError(f"{path}: line {n}: a doubling word needs its multiple in `value`")
        type_cues.setdefault(role, []).append((r["word"], value))
    path = folder / "kind_cues.csv"
    kind_cues = tuple((r["word"], _choice(path, n, "kind", r["kind"], KINDS), _choice(path, n, "weight", r["weight"], ("strong", "now", "weak", "plan")))
                      for n, r in _rows(path, ("word", "kind", "weight")))
    path = folder / "headings.csv"
    headings = tuple((r["word"], _choice(path, n, "section", r["section"], SECTIONS)) for n, r in _rows(path, ("word", "section")))
    path = folder / "time_words.csv"
    time_words = {r["word"]: (_int(path, n, "year_offset", r["year_offset"]) if r["year_offset"].strip() else None)
                  for n, r in _rows(path, ("word", "year_offset"))}
    path = folder / "plan_periods.csv"
    plan_periods = {}
    for n, r in _rows(path, ("name", "start_year", "end_year")):
        start, end = _int(path, n, "start_year", r["start_year"]), _int(path, n, "end_year", r["end_year"])
        if start > end:
            raise LexiconError(f"{path}: line {n}: start_year {start} is after end_year {end}")
        plan_periods[r["name"]] = (start, end)
    lead_words = tuple(r["word"] for _, r in _rows(folder / "lead_words.csv", ("word",)))
    task_words = tuple(r["word"] for _, r in _rows(folder / "task_words.csv", ("word",)))
    noise: dict[str, list] = {}
    path = folder / "noise_words.csv"
    for n, r in _rows(path, ("word", "role")):
        noise.setdefault(_choice(path, n, "role", r["role"], ("layout", "set_phrase", "self_count", "self_count_before", "gap", "mark", "duration")), []).append(r["word"])
    relations: dict[str, list] = {}
    path = folder / "relations.csv"
    for n, r in _rows(path, ("word", "role")):
        relations.setdefault(_choice(path, n, "role", r["role"], ("compare", "share", "rank", "rank_scope", "deadline", "since", "from", "base", "to_task", "program", "event", "report_frame")), []).append(r["word"])
    project_fields: dict[str, list] = {}
    path = folder / "project_fields.csv"
    for n, r in _rows(path, ("word", "role")):
        project_fields.setdefault(_choice(path, n, "role", r["role"], ("field", "register_header", "predicate")), []).append(r["word"])
    subject_words: dict[str, list] = {}
    path = folder / "subject_words.csv"
    for n, r in _rows(path, ("word", "role")):
        subject_words.setdefault(_choice(path, n, "role", r["role"], SUBJECT_ROLES), []).append(r["word"])
    page_furniture: dict[str, list] = {}
    path = folder / "page_furniture.csv"
    for n, r in _rows(path, ("word", "role")):
        page_furniture.setdefault(_choice(path, n, "role", r["role"], FURNITURE_ROLES), []).append(r["word"])
    table = UnitTable.from_dir(reference_dir)
    forms = {r["written"]: normalize(r["unit"]) for _, r in _rows(folder / "unit_forms.csv", ("written", "unit"))}
    return Lexicon(tuple(qualifiers), {k: tuple(v) for k, v in type_cues.items()}, kind_cues, headings, time_words,
                   plan_periods, lead_words, {k: tuple(v) for k, v in noise.items()},
                   {k: tuple(v) for k, v in relations.items()}, {k: tuple(v) for k, v in project_fields.items()}, tuple(table.written_forms()), forms,
                   {k: tuple(v) for k, v in subject_words.items()}, task_words, {k: tuple(v) for k, v in page_furniture.items()},
                   {w: d for w in table.written_forms() if (d := table.dimension(w)) is not None})


@lru_cache(maxsize=4)
def _cached(reference_dir: Path) -> Lexicon:
    return read_lexicon(reference_dir)


def default_lexicon() -> Lexicon:
    """The lexicon of the configured reference folder, or the project's own when that folder has none."""
    from planwatch.config import PROJECT_ROOT, get_paths

    configured = get_paths().reference_dir.resolve()
    if (configured / "lexicon").is_dir():
        return _cached(configured)
    return _cached((PROJECT_ROOT / "seeds" / "reference").resolve())
