"""The pending build and publishing it.

dbt builds into `<data>/build/planwatch.duckdb`. Next to it, `build.json` says what that
file is: written (atomically: temp file + rename) as `building` before dbt starts, and as
`complete` only after `dbt build` succeeded and dbt's DuckDB was closed; `failed` when dbt
reported failure. A build file whose state is not `complete` — the build was killed, failed,
or predates this record — is never validated or published; the published warehouse stays.

Publishing is one atomic rename of the complete build over `<data>/planwatch.duckdb`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from planwatch.config import Paths

STATE_NAME = "build.json"


class NoWarehouse(RuntimeError):
    pass


def state_path(paths: Paths) -> Path:
    return paths.build_dir / STATE_NAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write_state(paths: Paths, state: dict) -> None:
    target = state_path(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def read_state(paths: Paths) -> dict | None:
    try:
        return json.loads(state_path(paths).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def mark_building(paths: Paths) -> dict:
    """Before dbt starts: the build file that follows is not complete until mark_complete."""
    state = {"status": "building", "started_at": _now(), "pid": os.getpid(), "build_db": str(paths.build_db)}
    _write_state(paths, state)
    return state


def mark_finished(paths: Paths, started: dict, success: bool, summary: dict) -> None:
    """After dbt build returned (and its database was closed): complete on success, else failed."""
    _write_state(paths, {**started, "status": "complete" if success else "failed", "finished_at": _now(),
                         "dbt": summary})


@dataclass(frozen=True)
class Pending:
    """A build file waiting to be published, and whether dbt finished it."""

    db: Path
    state: dict | None

    @property
    def complete(self) -> bool:
        return bool(self.state) and self.state.get("status") == "complete"

    def why_incomplete(self) -> str:
        s = self.state or {}
        started = f", started at {s['started_at']}" if s.get("started_at") else ""
        if s.get("status") == "failed":
            reason = "dbt build failed"
        elif s.get("status") == "building":
            reason = "dbt build did not finish"
        else:
            reason = "no record that dbt build finished"
        return f"the pending build in {self.db} is incomplete ({reason}{started}); run `planwatch run`"


def pending_build(paths: Paths) -> Pending | None:
    if not paths.build_db.exists():
        return None
    return Pending(paths.build_db, read_state(paths))


@dataclass(frozen=True)
class Target:
    """What `validate` checks: a complete pending build (publish on success) or the published warehouse."""

    db: Path
    publishable: bool
    notice: str | None = None
    label: str = ""  # what messages call it (on PostgreSQL the schemas; else the file)

    def __str__(self) -> str:
        return self.label or str(self.db)


def validation_target(paths: Paths) -> Target:
    from planwatch.config import postgres_warehouse

    if postgres_warehouse() is not None:
        return _postgres_target(paths)
    pending = pending_build(paths)
    if pending is not None and pending.complete:
        return Target(pending.db, True)
    notice = pending.why_incomplete() if pending is not None else None
    if paths.warehouse_db.exists():
        return Target(paths.warehouse_db, False,
                      (notice + f"; validating the published warehouse {paths.warehouse_db} instead") if notice else None)
    raise NoWarehouse((notice + "; and there is no published warehouse yet") if notice else
                      f"{paths.warehouse_db}: no warehouse yet and no build to validate; run `planwatch run` first")


def publish(paths: Paths) -> Path | str:
    """Swap the complete build in as the published warehouse (atomic rename; on PostgreSQL the build schemas
    renamed over the live ones in one transaction), then drop its record. Returns what was published."""
    from planwatch.config import postgres_warehouse

    pg = postgres_warehouse()
    if pg is not None:
        from planwatch.warehouse import publish_postgres_build, where

        if (read_state(paths) or {}).get("status") != "complete":
            raise NoWarehouse(f"the pending build in {where(paths, build=True)} is incomplete; run `planwatch run`")
        publish_postgres_build(pg.dsn)
        state_path(paths).unlink(missing_ok=True)
        return where(paths)
    pending = pending_build(paths)
    if pending is None or not pending.complete:
        raise NoWarehouse(pending.why_incomplete() if pending else f"no build to publish in {paths.build_dir}")
    os.replace(paths.build_db, paths.warehouse_db)
    state_path(paths).unlink(missing_ok=True)
    return paths.warehouse_db


def _postgres_target(paths: Paths) -> Target:
    """On PostgreSQL: the build schemas when dbt finished them (publish on success), else the live schemas."""
    from planwatch.warehouse import warehouse_exists, where

    state = read_state(paths)
    built = warehouse_exists(paths, build=True)
    if built and state and state.get("status") == "complete":
        return Target(paths.build_db, True, label=where(paths, build=True))
    notice = None
    if built or state:
        reason = {"failed": "dbt build failed", "building": "dbt build did not finish"}.get(
            (state or {}).get("status"), "no record that dbt build finished")
        notice = f"the pending build in {where(paths, build=True)} is incomplete ({reason}); run `planwatch run`"
    if warehouse_exists(paths):
        return Target(paths.warehouse_db, False,
                      (notice + f"; validating the published warehouse {where(paths)} instead") if notice else None,
                      label=where(paths))
    raise NoWarehouse((notice + "; and there is no published warehouse yet") if notice else
                      f"{where(paths)}: no warehouse yet and no build to validate; run `planwatch run` first")


def build_reader(paths: Paths):
    """A read-only reader of what the last dbt build wrote: the build file (on PostgreSQL: the schemas dbt built)."""
    from planwatch.warehouse import read_warehouse

    return read_warehouse(paths.build_db, build=True)
