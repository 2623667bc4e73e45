"""The local Prefect server of a `planwatch run` without PREFECT_API_URL: a child that dies with us.

Prefect's own temporary server (SubprocessASGIServer) is stopped by an atexit hook, which
never runs when the run is killed (SIGKILL, OOM killer): uvicorn was left running as an
orphan. This starts the same server — uvicorn in a child process with Prefect's server app
factory, the command and environment SubprocessASGIServer uses — but asks the kernel
(prctl PR_SET_PDEATHSIG) to send the child SIGTERM the moment its parent dies, whatever
kills the parent. On a normal end the run stops it itself. The child runs in a session of
its own, so a Ctrl-C in the terminal reaches the run (which then stops the server) rather
than cutting the server away under a flow that is still reporting its state.

Linux only (prctl); elsewhere the child is still stopped on every normal exit.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from planwatch.config import environment_variables

PR_SET_PDEATHSIG = 1

try:  # loaded in the parent: the child, between fork and exec, only calls it
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # pragma: no cover - no libc to load
    _LIBC = None


class LocalServerError(RuntimeError):
    pass


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with(parent_pid: int):
    def preexec() -> None:  # runs in the child after fork, before exec
        if _LIBC is not None:
            _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl: nobody will stop us
            os._exit(1)
    return preexec


def start_child(command: list[str], env: dict[str, str], log, cwd: Path | None = None) -> subprocess.Popen:
    """A child in a session of its own that the kernel stops (SIGTERM) the moment this process dies."""
    return subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=_die_with(os.getpid()), start_new_session=True)


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """uvicorn with Prefect's server app, as prefect.server.api.server.SubprocessASGIServer runs it."""
    import prefect

    return [
        sys.executable, "-m", "uvicorn",
        "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app",
        "--host", host, "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]


def server_environment(home: Path) -> dict[str, str]:
    from prefect.settings import get_current_settings

    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True)}
    env.pop("PREFECT_API_URL", None)
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    })
    return env


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(api_url + "/health", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def local_prefect_server(home: Path, log_file: Path | None = None, startup_timeout: float | None = None):
    """Start the local server under `home` (its database), point this process at it, stop it at the end.

    Yields the API URL. With PREFECT_API_URL already set, uses that server and starts nothing.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    timeout = startup_timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = server_environment(home)
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL
    process = None
    try:
        deadline = time.monotonic() + timeout
        while True:
            port = _free_port()
            api_url = f"http://127.0.0.1:{port}/api"
            process = start_child(server_command(port), env, log)
            while process.poll() is None and not _healthy(api_url) and time.monotonic() < deadline:
                time.sleep(0.2)
            if process.poll() is None and _healthy(api_url):
                break
            if process.poll() == 3 and time.monotonic() < deadline:  # uvicorn: port taken meanwhile; next port
                continue
            code = process.poll()
            stop(process)
            raise LocalServerError(
                f"the local Prefect server did not start in {timeout:.0f} s"
                + (f" (exit code {code})" if code is not None else "")
                + (f"; see {log_file}" if log_file else "")
            )
        # os.environ for anything this run starts, the settings for this process's own client
        with environment_variables({"PREFECT_API_URL": api_url}), temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        if process is not None:
            _drain_prefect_workers()
            stop(process)
        if log is not subprocess.DEVNULL:
            log.close()


def _drain_prefect_workers(timeout: float = 15) -> None:
    """Send the logs and events still queued while the server is up; else Prefect's exit hook
    tries after it stopped and prints 'Error logging to API' under the run's summary."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout)
        except Exception:  # nothing queued, or already drained: the summary is what matters
            pass


# ---------- a standing server: `planwatch server` (README "Several analysts: Prefect on PostgreSQL")

WORKER_LOOP_SECONDS = "5"  # how often an idle worker asks the server for runs (Prefect's default is 10 s)


def standing_server_environment(home: Path, database_url: str | None) -> dict[str, str]:
    """The server's environment: every service on (scheduler, late runs, …), its database where told."""
    env = server_environment(home)
    for key in ("PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL"):
        env.pop(key)
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    return env


@contextlib.contextmanager
def standing_prefect_server(home: Path, database_url: str | None, host: str = "127.0.0.1", port: int = 4200,
                            log_file: Path | None = None, startup_timeout: float = 180):
    """A full Prefect server (migrations run on start) on `database_url` (Prefect's SQLite under `home` without
    one); this process points at it; stopped at the end and whenever this process dies. Yields the API URL."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL
    reach = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    api_url = f"http://{reach}:{port}/api"
    if _healthy(api_url):
        raise LocalServerError(f"a server already answers at {api_url}: stop it or give another --port")
    process = start_child(server_command(port, host), standing_server_environment(home, database_url), log)
    try:
        deadline = time.monotonic() + startup_timeout
        while process.poll() is None and not _healthy(api_url) and time.monotonic() < deadline:
            time.sleep(0.5)
        if process.poll() is not None or not _healthy(api_url):
            code = process.poll()
            raise LocalServerError(
                f"the Prefect server did not start in {startup_timeout:.0f} s"
                + (f" (exit code {code}: port {port} taken, or the database unreachable?)" if code is not None else "")
                + (f"; see {log_file}" if log_file else ""))
        with environment_variables({"PREFECT_API_URL": api_url}):
            yield api_url
    finally:
        stop(process)
        if log is not subprocess.DEVNULL:
            log.close()


@contextlib.contextmanager
def process_workers(pool: str, count: int, log_dir: Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    """`count` Prefect process workers on `pool`, each with its own name and log; stopped at the end.

    Each takes one flow run at a time from the pool; runs that write the warehouse still wait for
    each other on the planwatch-warehouse concurrency limit (flows/locks.py)."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    prefect = str(Path(sys.executable).parent / "prefect")
    env = {"PREFECT_WORKER_QUERY_SECONDS": WORKER_LOOP_SECONDS, **(env or os.environ)}
    processes, logs = [], []
    try:
        for i in range(1, count + 1):
            logs.append(open(log_dir / f"worker-{i}.log", "ab"))
            processes.append(start_child([prefect, "worker", "start", "--pool", pool, "--type", "process",
                                          "--name", f"planwatch-worker-{i}", "--limit", "1"], env, logs[-1], cwd))
        yield processes
    finally:
        for process in processes:  # all at once: each takes a while to wind down its run loop
            if process.poll() is None:
                process.terminate()
        for process in processes:
            stop(process, grace=30)
        for log in logs:
            log.close()
