"""The records the extractor produces."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class PlanContext:
    """What the extractor needs to know about the plan a document belongs to."""

    plan_id: str
    region_code: str
    region_name: str
    plan_kind: str  # five_year | annual
    start_year: int | None  # None: an undated document (no year given, none inferable); its figures get no year
    end_year: int | None
    title: str = ""
    # plan | work_plan | bulletin | report: what the document is (manifest `document_kind`, else inferred).
    # Plans and work plans mostly set targets; bulletins and reports mostly state achieved figures.
    document_kind: str = "plan"
    # The calendar year 今年 refers to (明年 = +1, 去年 = -1): --year, the manifest, or the publication date.
    reference_year: int | None = None


@dataclass(frozen=True)
class Mention:
    """One place in a document that states a target (kind='target') or a past figure (kind='actual')."""

    document: str
    line: int
    source: str  # table | prose
    kind: str  # target | actual
    indicator_as_written: str
    unit: str | None
    year: int | None  # target year, or the year an actual refers to (end of its period)
    value: float | None
    target_type: str
    qualifier: str
    stretch: bool
    low: float | None
    high: float | None
    baseline_year: int | None
    baseline_value: float | None
    baseline_unit: str | None
    attribute: str | None
    cumulative: bool
    per_year: bool
    # Provenance: the document's line(s) holding the figure exactly as written (traditional script, ASCII
    # punctuation and spacing as they are; the lines of a sentence broken across lines joined by "\n").
    source_text: str
    context: str = ""  # the row name and column header, or the sentence, that gives the cell its meaning
    period_start: int | None = None  # actuals: first year of the period a figure covers
    # Actuals for part of a year (1-9月, 截至10月): the statistics loader's period label (planwatch.periods,
    # e.g. "2022-01..10 YTD"); empty for a whole year (or a target).
    period: str = ""
    # The named rules that read this mention, one per dimension, e.g.
    # "quantity:number_unit time:explicit_year indicator:words_before kind:future_cue" — visible in the output.
    rule: str = ""
    # The text as the rules read it (normalised: simplified, half-width, no spaces around numbers): the
    # sentence (or part of one between ；) for prose, the row's line for a table.
    source_text_normalised: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


MENTION_COLUMNS = [f.name for f in fields(Mention)]
