"""The suites' expectations pushed down to the warehouse as SQL (DuckDB or PostgreSQL).

GX on pandas needs every row of a table in memory (10 million statistics at national scale: minutes
and many GB), and GX's SQL datasource cannot read DuckDB (planwatch.validation). So each
expectation GX runs is translated here to two SQL predicates over the warehouse table `t`:

- its domain (the rows it looks at: all, or its row_condition), and
- its unexpected rows (null where it expects values, outside the set or range, a duplicated value …).

One aggregate query per table then counts, for every expectation, the rows in its domain, the non-null
ones and the unexpected ones, exactly; a grouped query gives the most common unexpected values (GX's
partial_unexpected_counts); and a bounded sample of each expectation's unexpected rows (at most
`sample`, ordered by the table's key) is read with the rows' identities (region, indicator, period,
value, row_key). GX still evaluates every expectation, over that sample, and renders the results and
Data Docs; planwatch.validation then writes the exact counts into GX's results. A row that is
unexpected in the whole table is unexpected in any sample that holds it (a duplicated value is sampled
with at least two of its rows), so GX's verdict on the sample is the verdict on the table; the two are
compared, and a disagreement (a wrong translation) is an error, never a silent pass.

An expectation type or row_condition not translated here raises UnsupportedExpectation naming it:
add its translation (tests/test_validation_pushdown.py checks every suite expectation has one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARTIAL_UNEXPECTED_COUNT = 20  # GX's default partial_unexpected_count: its partial_unexpected_counts length

# expectation type → does it report missing (null) values? (GX: not_be_null/be_null report none)
_NULL_TYPES = {"expect_column_values_to_not_be_null", "expect_column_values_to_be_null"}
SUPPORTED = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_null",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_between",
}
_CONDITION = re.compile(r"""^\s*(\w+)\s*(==|!=)\s*(["'])(.*)\3\s*$""")
_PG_TID = re.compile(r"^\(\d+,\d+\)$")


class UnsupportedExpectation(ValueError):
    """An expectation the SQL pushdown has no translation for."""


class MissingColumn(UnsupportedExpectation):
    """An expectation names a column the table lacks: GX reports it (over the sample) as it always has."""


@dataclass
class ExpectationCounts:
    """What GX would have counted over the whole table, for one expectation."""

    expectation_id: str
    expectation_type: str
    column: str
    element_count: int
    nonnull_count: int | None  # None: the expectation reports no missing values (GX's not_be_null, be_null)
    unexpected_count: int
    top_unexpected: list[dict] = field(default_factory=list)  # [{value, count}], GX's partial_unexpected_counts
    sampled_rows: int = 0
    evaluated: bool = True  # False: a column is missing; GX's own result (an exception) stands

    def result_fields(self) -> dict:
        """GX's summary fields of a column map result (great_expectations.expectations.expectation._format_map_output)."""
        element, unexpected = self.element_count, self.unexpected_count
        out = {"element_count": element, "unexpected_count": unexpected, "partial_unexpected_counts": self.top_unexpected}
        total = unexpected / element * 100 if element > 0 else None
        if self.nonnull_count is None:
            out["unexpected_percent"] = total
            return out
        missing = element - self.nonnull_count
        nonmissing = (unexpected / self.nonnull_count * 100 if self.nonnull_count > 0 else None) if element > 0 else None
        out.update({
            "unexpected_percent": nonmissing,
            "missing_count": missing,
            "missing_percent": missing / element * 100 if element > 0 else None,
            "unexpected_percent_total": total,
            "unexpected_percent_nonmissing": nonmissing,
        })
        return out

    @property
    def success(self) -> bool:
        """GX's verdict with mostly = 1: no unexpected row (vacuously true on an empty domain)."""
        return self.unexpected_count == 0


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise UnsupportedExpectation(f"value {value!r} ({type(value).__name__}) has no SQL literal")


def _column(name: str, columns: set[str]) -> str:
    if name not in columns:
        raise MissingColumn(f"column {name!r} is not in the table")
    return f't."{name}"'


def domain_sql(expectation, columns: set[str]) -> str:
    """The rows an expectation looks at: its row_condition (pandas syntax `col == "x"` / `col != "x"`), as SQL."""
    condition = getattr(expectation, "row_condition", None)
    if condition is None or condition == "":
        return "1 = 1"
    text = getattr(condition, "pass_through_filter", condition)
    match = _CONDITION.match(str(text)) if isinstance(text, str) else None
    if getattr(expectation, "condition_parser", None) != "pandas" or match is None:
        raise UnsupportedExpectation(f"row_condition {condition!r} ({expectation.condition_parser}) has no SQL translation; "
                                     "planwatch.validation_sql translates pandas `col == \"x\"` and `col != \"x\"`")
    column, op, _, value = match.groups()
    c = _column(column, columns)
    # pandas compares a missing value as unequal to everything: NaN != "x" holds, NaN == "x" does not
    return f"({c} is null or {c} <> {_literal(value)})" if op == "!=" else f"{c} = {_literal(value)}"


def unexpected_sql(expectation, columns: set[str], table: str, domain: str) -> str:
    """The expectation's unexpected rows of `t` (within its domain) as a SQL predicate."""
    kind = expectation.expectation_type
    if kind not in SUPPORTED:
        raise UnsupportedExpectation(f"{kind} has no SQL translation in planwatch.validation_sql")
    mostly = getattr(expectation, "mostly", 1)
    if mostly not in (None, 1, 1.0):
        raise UnsupportedExpectation(f"{kind} on {expectation.column} has mostly={mostly}; only mostly=1 is translated")
    c = _column(expectation.column, columns)
    if kind == "expect_column_values_to_not_be_null":
        return f"{c} is null"
    if kind == "expect_column_values_to_be_null":
        return f"{c} is not null"
    if kind == "expect_column_values_to_be_unique":
        inner = domain.replace('t."', 'd."')
        dc = c.replace('t."', 'd."')
        return f"{c} in (select {dc} from {table} d where {inner} and {dc} is not null group by {dc} having count(*) > 1)"
    if kind == "expect_column_values_to_be_in_set":
        values = list(expectation.value_set or [])
        if not values:
            return f"{c} is not null"
        return f"{c} is not null and {c} not in ({', '.join(_literal(v) for v in values)})"
    # between
    parts = []
    if expectation.min_value is not None:
        parts.append(f"{c} {'<=' if expectation.strict_min else '<'} {_literal(expectation.min_value)}")
    if expectation.max_value is not None:
        parts.append(f"{c} {'>=' if expectation.strict_max else '>'} {_literal(expectation.max_value)}")
    if not parts:
        raise UnsupportedExpectation(f"{kind} on {expectation.column} has neither min_value nor max_value")
    return f"{c} is not null and ({' or '.join(parts)})"


def translate(expectation, columns: set[str], table: str) -> tuple[str, str]:
    """(domain, unexpected) predicates of one expectation over `table t`."""
    domain = domain_sql(expectation, columns)
    return domain, unexpected_sql(expectation, columns, table, domain)


def _plain(value):
    """A value as GX's JSON results hold it (PostgreSQL's numeric comes back as Decimal)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def _row_id(reader) -> str:
    """A physical row identity, so a sample never holds a row twice nor merges genuine duplicates."""
    return "t.rowid" if reader.engine == "duckdb" else "cast(t.ctid as varchar)"


def pushdown_table(reader, table: str, select: str, key_column: str, columns: set[str], expectations, sample: int):
    """Exact counts of every expectation over `table`, and an Arrow table of at most `sample` unexpected rows
    per expectation (the frame's columns: `select`). Returns (arrow table, [ExpectationCounts])."""
    import pyarrow as pa

    translated, missing = [], []
    for e in expectations:
        try:
            translated.append((e, *translate(e, columns, table)))
        except MissingColumn:
            missing.append(ExpectationCounts(expectation_id=str(e.id), expectation_type=e.expectation_type,
                                             column=e.column, element_count=0, nonnull_count=None, unexpected_count=0,
                                             evaluated=False))
    # One pass over the table for every expectation's domain, non-null and unexpected counts. The unique
    # expectations' duplicated values come from a grouped subquery each (the IN list DuckDB hashes once).
    aggregates = []
    for e, domain, unexpected in translated:
        c = _column(e.column, columns)
        aggregates += [f"sum(case when {domain} then 1 else 0 end)",
                       f"sum(case when {domain} and {c} is not null then 1 else 0 end)",
                       f"sum(case when {domain} and ({unexpected}) then 1 else 0 end)"]
    row = reader.rows(f"select {', '.join(aggregates)} from {table} t")[0] if aggregates else ()
    order = f"t.\"{key_column}\"" if key_column else "1"
    rid = _row_id(reader)
    counts, sampled_ids = [], []
    for i, (e, domain, unexpected) in enumerate(translated):
        element, nonnull, bad = (int(v or 0) for v in row[3 * i: 3 * i + 3])
        c = _column(e.column, columns)
        top, ids = [], []
        if bad:
            top = [{"value": _plain(v), "count": int(n)} for v, n in reader.rows(
                f"select {c}, count(*) from {table} t where {domain} and ({unexpected}) "
                f"group by {c} order by count(*) desc, {c} limit {PARTIAL_UNEXPECTED_COUNT}")]
            # a duplicated value's rows together (ordered by the value first), so the sample keeps the duplicate
            first = f"{c}, " if e.expectation_type == "expect_column_values_to_be_unique" else ""
            ids = [r for (r,) in reader.rows(
                f"select {rid} from {table} t where {domain} and ({unexpected}) order by {first}{order} limit {int(sample)}")]
        counts.append(ExpectationCounts(
            expectation_id=str(e.id), expectation_type=e.expectation_type, column=e.column,
            element_count=element, nonnull_count=None if e.expectation_type in _NULL_TYPES else nonnull,
            unexpected_count=bad, top_unexpected=top, sampled_rows=len(ids)))
        sampled_ids += ids
    counts += missing
    unique_ids = list(dict.fromkeys(sampled_ids))
    if not unique_ids:
        where = "1 = 0"
    elif reader.engine == "duckdb":
        where = f"t.rowid in ({', '.join(str(int(r)) for r in unique_ids)})"
    else:
        if not all(_PG_TID.match(str(r)) for r in unique_ids):
            raise ValueError(f"unexpected PostgreSQL row ids {unique_ids[:3]}")
        where = f"{rid} in ({', '.join(repr(str(r)) for r in unique_ids)})"
    frame = reader.arrow(f"select {select} from {table} t where {where} order by {order}")
    if not isinstance(frame, pa.Table):
        frame = pa.table(frame)
    return frame, counts
