"""Read-only SQL against the published warehouse (the DuckDB file, or PostgreSQL with PLANWATCH_WAREHOUSE).

Read-only is a property of the connection, not of a statement filter: the file
is opened read-only, DuckDB's access to the file system (read_csv, COPY … TO,
ATTACH, glob, INSTALL …) is switched off and the configuration is locked so no
statement can switch it back on. Whatever the statement — EXPLAIN ANALYZE of a
COPY included — it can neither write a file nor read one outside the warehouse.

On PostgreSQL the session is read-only (default_transaction_read_only) with search_path marts, which
stops a mistaken write; a session can turn that default off, so what makes an analyst unable to write is
their login: a member of the read-only role publishing grants the marts to (planwatch_reader). The rows
are rendered by the same DuckDB box renderer, from the frame the server returned.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

# Applied at connect time; `lock_configuration` last, so nothing after it can undo them.
LOCKED_SETTINGS = {
    "enable_external_access": False,  # no file reads or writes, no ATTACH, no INSTALL
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_unsigned_extensions": False,
    "allow_community_extensions": False,
}
SEARCH_PATH = "marts,main"  # `show tables` and unqualified names find the marts


class ReadOnlyViolation(ValueError):
    """A statement that tried to write, or to reach outside the warehouse."""


@dataclass
class StatementResult:
    statement: str
    relation: duckdb.DuckDBPyRelation | None  # None: the statement returns no rows (e.g. SET, CHECKPOINT)

    def frame(self) -> pd.DataFrame:
        return self.relation.df() if self.relation is not None else pd.DataFrame()


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection that can only read the warehouse file."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse yet; run `planwatch run` first")
    con = duckdb.connect(str(warehouse), read_only=True, config=dict(LOCKED_SETTINGS))
    con.execute(f"set search_path = '{SEARCH_PATH}'")
    con.execute("set lock_configuration = true")
    return con


_WRITE_MARKERS = ("read-only mode", "file system operations are disabled", "configuration has been locked", "permission error")


def _explain(exc: duckdb.Error) -> Exception:
    """DuckDB's refusal, said in planwatch's words (the first line of DuckDB's message kept)."""
    first = str(exc).splitlines()[0]
    if isinstance(exc, duckdb.PermissionException) or any(m in first.lower() for m in _WRITE_MARKERS):
        return ReadOnlyViolation(
            f"refused: `planwatch sql` is read-only and cannot write, read files or change settings ({first}); "
            "the warehouse changes only through `planwatch run`"
        )
    return ValueError(first)


class _PostgresSession:
    """The reader of a PostgreSQL warehouse and the in-memory DuckDB that renders its results; close() ends both."""

    def __init__(self, stack: contextlib.ExitStack, reader):
        self._stack, self.reader = stack, reader
        self.renderer = duckdb.connect()

    def close(self) -> None:
        self.renderer.close()
        self._stack.close()


_PG_READ_ONLY_STATES = ("25006", "42501")  # read_only_sql_transaction, insufficient_privilege


def _run_postgres(query: str) -> tuple[_PostgresSession, list[StatementResult]]:
    import psycopg2
    import sqlparse

    from planwatch.warehouse import read_warehouse

    stack = contextlib.ExitStack()
    session = _PostgresSession(stack, stack.enter_context(read_warehouse()))
    try:
        statements = [s.strip().rstrip(";").strip() for s in sqlparse.split(query)]
        statements = [s for s in statements if s]
        if not statements:
            raise ValueError("no SQL statement given")
        session.reader.result("set search_path = marts, public")
        results = []
        for statement in statements:
            try:
                frame = session.reader.result(statement)
            except psycopg2.Error as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                if exc.pgcode in _PG_READ_ONLY_STATES:
                    raise ReadOnlyViolation(
                        f"refused: `planwatch sql` is read-only ({first}); the warehouse changes only through `planwatch run`"
                    ) from exc
                raise ValueError(first) from exc
            results.append(StatementResult(statement, None if frame is None else session.renderer.from_df(frame)))
        return session, results
    except BaseException:
        session.close()
        raise


def run_statements(warehouse: Path, query: str) -> tuple[duckdb.DuckDBPyConnection, list[StatementResult]]:
    """Run every statement of `query`; the caller renders the results, then closes the connection."""
    from planwatch.config import postgres_warehouse

    if postgres_warehouse() is not None:
        return _run_postgres(query)
    con = connect_read_only(warehouse)
    try:
        try:
            statements = con.extract_statements(query)
        except duckdb.Error as exc:
            raise ValueError(f"cannot parse the query: {str(exc).splitlines()[0]}") from exc
        if not statements:
            raise ValueError("no SQL statement given")
        results = []
        for statement in statements:
            try:
                relation = con.sql(statement.query)  # binds (and runs all but SELECT) now
            except duckdb.Error as exc:
                raise _explain(exc) from exc
            results.append(StatementResult(statement.query.strip().rstrip(";").strip(), relation))
        return con, results
    except BaseException:
        con.close()
        raise


def run_query(warehouse: Path, query: str) -> pd.DataFrame:
    """The last statement's rows as a DataFrame (for callers that want data, not text)."""
    con, results = run_statements(warehouse, query)
    try:
        return results[-1].frame()
    finally:
        con.close()


def render(results: list[StatementResult], fmt: str = "table", max_rows: int = 1000) -> str:
    """Each statement's result: DuckDB's box renderer (CJK-aware widths, NULL as NULL), CSV or JSON."""
    try:
        return _render(results, fmt, max_rows)
    except duckdb.Error as exc:  # a SELECT runs only now
        raise _explain(exc) from exc


def _render(results: list[StatementResult], fmt: str, max_rows: int) -> str:
    out: list[str] = []
    with_rows = [r for r in results if r.relation is not None]
    if fmt == "json":
        payload = [json.loads(r.frame().to_json(orient="records", force_ascii=False, date_format="iso")) for r in with_rows]
        return json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=1)
    for r in with_rows:
        if fmt == "csv":
            out.append(r.frame().to_csv(index=False).rstrip("\n"))
            continue
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            r.relation.show(max_rows=max_rows, max_width=10_000, null_value="NULL")
        out.append(buffer.getvalue().rstrip("\n"))
    return "\n\n".join(out) if out else "(no result)"
