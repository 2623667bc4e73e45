"""The loads of the raw layer: list them, and retract a statistics load that was wrong.

Raw stays append-only: a retraction is a row in raw.load_retractions (who, when, why),
never a delete. dbt's staging models leave out the rows of retracted loads, and the
loader no longer counts a retracted load as "same content already loaded", so the
same file can be loaded again (with the right --region, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from planwatch.warehouse import raw_connection, table_exists

LIST_COLUMNS = ["load_id", "loaded_at", "kind", "file", "sheet", "rows_read", "rows_loaded", "rows_quarantined",
                "status", "retracted"]


class LoadError(ValueError):
    """A retraction that cannot be made (unknown load, already retracted, nothing to retract)."""


@dataclass(frozen=True)
class Retraction:
    load_id: str
    file: str
    rows_loaded: int
    rows_quarantined: int
    retracted_at: datetime
    reviewer: str
    reason: str


def list_loads(raw_db: Path, limit: int = 20) -> pd.DataFrame:
    """The most recent loads, newest first, with whether (and by whom, why) each was retracted."""
    with raw_connection(raw_db, read_only=True) as con:
        # A raw layer written before retractions existed has no such table until the next load.
        retractions = ("raw.load_retractions" if table_exists(con, "raw", "load_retractions") else
                       "(select null::varchar as load_id, null::timestamp as retracted_at, "
                       "null::varchar as reviewer, null::varchar as reason where false)")
        return con.execute(
            f"""
            select l.load_id, l.loaded_at, l.kind, l.file, l.sheet, l.rows_read, l.rows_loaded, l.rows_quarantined,
                   l.status, r.load_id is not null as retracted, r.retracted_at, r.reviewer, r.reason as retraction_reason,
                   l.message
            from raw.load_log l
            left join {retractions} r using (load_id)
            order by l.loaded_at desc, l.load_id desc
            limit ?
            """,
            [limit],
        ).df()


def retract_load(raw_db: Path, load_id: str, reason: str, reviewer: str) -> Retraction:
    """Record that a statistics load is withdrawn; its rows stay in raw and leave the warehouse at the next build."""
    reason, reviewer = (reason or "").strip(), (reviewer or "").strip()
    if not reason or not reviewer:
        raise LoadError("a retraction needs a --reason and a --reviewer")
    if not Path(raw_db).exists():
        raise LoadError(f"{raw_db}: no raw layer yet, so no load {load_id!r}")
    with raw_connection(raw_db) as con:
        found = con.execute(
            "select kind, status, file, rows_loaded, rows_quarantined from raw.load_log where load_id = ?", [load_id]
        ).fetchone()
        if found is None:
            raise LoadError(f"no load {load_id!r} in raw.load_log; `planwatch loads list` shows the load ids")
        kind, status, file, rows_loaded, rows_quarantined = found
        if kind != "statistics_file":
            raise LoadError(f"load {load_id} is a {kind} load ({file}); only statistics loads can be retracted")
        if status != "loaded":
            raise LoadError(f"load {load_id} ({file}) was {status}: it added no rows, so there is nothing to retract")
        earlier = con.execute(
            "select retracted_at, reviewer, reason from raw.load_retractions where load_id = ?", [load_id]
        ).fetchone()
        if earlier is not None:
            raise LoadError(f"load {load_id} ({file}) is already retracted: on {earlier[0]:%Y-%m-%d %H:%M} UTC "
                            f"by {earlier[1]} ({earlier[2]})")
        retracted_at = datetime.now(timezone.utc).replace(tzinfo=None)
        con.execute("insert into raw.load_retractions (load_id, retracted_at, reviewer, reason) values (?, ?, ?, ?)",
                    [load_id, retracted_at, reviewer, reason])
    return Retraction(load_id, file, rows_loaded or 0, rows_quarantined or 0, retracted_at, reviewer, reason)
