"""Read-only SQL against the published warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

# Statement types that only read. DuckDB parses SHOW/DESCRIBE/SUMMARIZE as SELECT.
_READ_ONLY = {"SELECT", "EXPLAIN"}


class ReadOnlyViolation(ValueError):
    pass


def check_read_only(query: str) -> None:
    con = duckdb.connect(":memory:")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise ValueError(f"cannot parse the query: {exc}") from exc
    finally:
        con.close()
    if not statements:
        raise ValueError("no SQL statement given")
    for statement in statements:
        kind = str(statement.type).split(".")[-1]
        if kind not in _READ_ONLY:
            raise ReadOnlyViolation(
                f"refused: `planwatch sql` is read-only and this is a {kind} statement; "
                "the warehouse changes only through `planwatch run`"
            )


def run_query(warehouse: Path, query: str) -> pd.DataFrame:
    check_read_only(query)
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse yet; run `planwatch run` first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(query).df()
    finally:
        con.close()
