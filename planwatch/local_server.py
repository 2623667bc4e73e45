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


def server_command(port: int) -> list[str]:
    """uvicorn with Prefect's server app, as prefect.server.api.server.SubprocessASGIServer runs it."""
    import prefect

    return [
        sys.executable, "-m", "uvicorn",
        "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app",
        "--host", "127.0.0.1", "--port", str(port),
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
            process = subprocess.Popen(server_command(port), env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, preexec_fn=_die_with(os.getpid()),
                                       start_new_session=True)
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
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = api_url  # for anything this run starts
        try:
            with temporary_settings(updates={PREFECT_API_URL: api_url}):
                yield api_url
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
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
