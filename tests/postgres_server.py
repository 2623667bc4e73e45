"""A throwaway PostgreSQL server for tests: initdb into a temporary folder, a free loopback port, always stopped.

PostgreSQL refuses to run as root; as root the server runs as the `postgres` user that Debian's
package creates (runuser), in a folder that user owns. The cluster uses the C collation, whose
byte order is DuckDB's, so that text sorts (and therefore ties, firsts and lists) agree.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.prefect_server import free_port

USER = "planwatch"
DATABASE = "planwatch"


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb") and shutil.which("pg_ctl")
    if found:
        return Path(shutil.which("pg_ctl")).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def why_no_server() -> str | None:
    """None when a server can be started here, else why not (the test's skip reason)."""
    if postgres_bin() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no `postgres` user to run the server as (PostgreSQL refuses root)"
    return None


@dataclass(frozen=True)
class Server:
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def new_database(self, name: str) -> str:
        """A further empty database on this server (tests that must not share one); its URL."""
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres")
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(f"create database {name}")
        finally:
            con.close()
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextlib.contextmanager
def running_server(folder: Path):
    """Start a fresh cluster in folder (created), yield its Server, stop it."""
    bin_dir = postgres_bin()
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    data = folder / "data"

    def run(argv: list[str]) -> None:
        done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")

    run([str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale"])
    port = free_port()
    run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start",
         "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"])
    try:
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=port, user=USER, dbname="postgres")
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"create database {DATABASE}")
        con.close()
        yield Server(port, folder)
    finally:
        run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
