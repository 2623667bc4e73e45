"""One writer at a time on a data directory: the warehouse lock.

Every entry point that writes the raw layer, the build or the published warehouse
(`planwatch run`, `load-stats`, `validate`, and each flow run alone) holds an exclusive
`flock` on `<data>/.warehouse.lock` for its whole run. The file records the holder (pid,
command, start time), so a second writer fails at once with who holds it, or waits for it
(deployment runs, which Prefect's global concurrency limit queues anyway).

- Re-entrant within one process: the pipeline's subflows run in-process and take the lock
  their parent already holds.
- A lock of a killed process never blocks: the kernel drops an flock when the process that
  held it dies (even on SIGKILL); the file itself stays, with the dead holder's details,
  and is simply locked again.
- While a process holds the lock, nothing else writes the data directory, so whatever
  temporary folders are found there belong to a run that died: the first acquisition
  removes them.

Prefect-free: this works the same with or without a Prefect server.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = ".warehouse.lock"
HISTORY_NAME = "warehouse-lock.log"
EXIT_BUSY = 3  # `planwatch` exit code when another run holds the warehouse


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse lock."""

    def __init__(self, lock_path: Path, holder: dict | None, waited: float | None = None):
        self.lock_path = Path(lock_path)
        self.holder = holder or {}
        self.waited = waited
        super().__init__(self._message())

    def _message(self) -> str:
        h = self.holder
        who = (f"{h.get('command', 'unknown command')}, pid {h.get('pid', '?')}, started at {h.get('started_at', '?')}"
               if h else "holder unknown")
        waited = f" (waited {self.waited:.0f} s)" if self.waited else ""
        return (f"another run holds the warehouse ({who}){waited}; "
                f"wait for it to finish, or see {self.lock_path}")


@dataclass
class _Held:
    fd: int
    depth: int
    holder: dict


_held: dict[Path, _Held] = {}
_mutex = threading.RLock()


def _forget_in_child() -> None:
    """A forked child does not hold its parent's lock: close the inherited descriptors."""
    for held in _held.values():
        try:
            os.close(held.fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def holds_lock(data_dir: Path) -> bool:
    """True when this process holds the warehouse lock of data_dir."""
    with _mutex:
        return lock_path(Path(data_dir).resolve()) in _held


def read_holder(data_dir: Path) -> dict | None:
    """The details the last (or current) holder wrote; None when there are none."""
    path = lock_path(data_dir)
    for _ in range(10):  # the holder writes right after locking: give it a moment
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if text.strip():
            try:
                return json.loads(text)
            except ValueError:
                pass
        time.sleep(0.02)
    return None


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@contextmanager
def warehouse_lock(data_dir: Path, command: str, wait: float | None = 0, poll: float = 0.5):
    """Hold the warehouse lock of data_dir while the block runs.

    wait: 0 fails at once with WarehouseBusy when another process holds it; a number waits
    up to that many seconds; None waits as long as it takes.
    """
    data_dir = Path(data_dir).resolve()
    path = lock_path(data_dir)
    with _mutex:
        held = _held.get(path)
        if held is not None:
            held.depth += 1
    if held is not None:
        try:
            yield held.holder
        finally:
            with _mutex:
                held.depth -= 1
        return

    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    started = time.monotonic()
    try:
        while not _try_flock(fd):
            waited = time.monotonic() - started
            if wait is not None and waited >= wait:
                raise WarehouseBusy(path, read_holder(data_dir), waited if wait else None)
            time.sleep(poll if wait is None else max(0.01, min(poll, wait - waited)))
    except BaseException:
        os.close(fd)
        raise
    holder = {"pid": os.getpid(), "command": command, "started_at": _now(), "host": socket.gethostname(),
              "argv": sys.argv[:4], "waited_s": round(time.monotonic() - started, 1)}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(holder, ensure_ascii=False) + "\n").encode("utf-8"), 0)
    with _mutex:
        _held[path] = _Held(fd, 1, holder)
    _history(data_dir, "acquired", holder)
    try:
        clean_dead_run_leftovers(data_dir)
        yield holder
    finally:
        with _mutex:
            _held.pop(path, None)
        _history(data_dir, "released", holder)
        os.close(fd)  # drops the flock; the file and its last holder stay for the record


def _history(data_dir: Path, event: str, holder: dict) -> None:
    """One line per acquisition and release in <data>/logs/warehouse-lock.log (who wrote when)."""
    try:
        logs = data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / HISTORY_NAME, "a", encoding="utf-8") as f:
            f.write(json.dumps({"event": event, "at": _now(), "t": time.time(), **holder}, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the history is for people; never fail a run over it


def clean_dead_run_leftovers(data_dir: Path) -> list[Path]:
    """Remove temporary folders a killed run left in the data directory (call only holding the lock)."""
    removed = []
    landing = Path(data_dir) / "landing"
    if landing.is_dir():
        for entry in landing.iterdir():
            if entry.name.startswith("tmp") and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed
