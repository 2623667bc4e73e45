"""Where planwatch reads and writes.

Everything the pipeline reads lives under the seeds directory and everything it
writes lives under the data directory; two environment variables move them so
that tests (and users) can run in other folders.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The DuckDB storage format of the files planwatch creates (warehouse, build, raw layer): the oldest
# that the DuckDB CLI on PyPI (duckdb-cli 1.5) reads, so analysts can open the warehouse with it.
# The Python package (2.0) reads and writes it; raise it only with the CLI pinned in requirements.
DUCKDB_STORAGE_VERSION = "v1.5.0"
DUCKDB_CREATE_CONFIG = {"storage_compatibility_version": DUCKDB_STORAGE_VERSION}
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
GX_PROJECT_DIR = PROJECT_ROOT / "expectations"


def _quiet_third_parties() -> None:
    """Telemetry off before prefect, dbt or GX are imported.

    Prefect's server telemetry job is what logs sqlite 'database is locked'
    under the ephemeral server; nothing here needs to phone home anyway.
    """
    for key, value in {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "false"),
        # The local (ephemeral) server can take longer than Prefect's 20 s default to start
        # on a busy 2-core machine; a run should wait for it rather than fail.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }.items():
        os.environ.setdefault(key, value)


_quiet_third_parties()


@dataclass(frozen=True)
class Paths:
    """Resolved absolute paths for one run."""

    seeds_dir: Path
    data_dir: Path

    @property
    def plans_dir(self) -> Path:
        return self.seeds_dir / "plans"

    @property
    def statistics_dir(self) -> Path:
        return self.seeds_dir / "statistics"

    @property
    def reference_dir(self) -> Path:
        return self.seeds_dir / "reference"

    @property
    def plan_manifest(self) -> Path:
        return self.plans_dir / "manifest.csv"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def raw_db(self) -> Path:
        """Append-only raw layer, written only by the loaders."""
        return self.data_dir / "raw_layer.duckdb"

    @property
    def warehouse_db(self) -> Path:
        """The published warehouse analysts query."""
        return self.data_dir / "planwatch.duckdb"

    @property
    def build_dir(self) -> Path:
        return self.data_dir / "build"

    @property
    def build_db(self) -> Path:
        """dbt builds here; the file replaces the published one once validated."""
        return self.build_dir / "planwatch.duckdb"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def data_docs_dir(self) -> Path:
        return self.reports_dir / "data_docs"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def dbt_target_dir(self) -> Path:
        return self.data_dir / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.data_dir / "dbt" / "logs"

    def ensure(self) -> "Paths":
        for d in (self.data_dir, self.landing_dir, self.build_dir, self.reports_dir, self.logs_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


@dataclass(frozen=True)
class PostgresWarehouse:
    """The warehouse in PostgreSQL (PLANWATCH_WAREHOUSE=postgresql://user:password@host:port/database)."""

    url: str
    host: str
    port: int
    user: str
    password: str
    database: str

    @property
    def dsn(self) -> str:
        return (f"host={self.host} port={self.port} user={self.user} dbname={self.database}"
                + (f" password={self.password}" if self.password else ""))


def postgres_warehouse(url: str | None = None) -> PostgresWarehouse | None:
    """PLANWATCH_WAREHOUSE (or url) read as a PostgreSQL warehouse; None when unset: the DuckDB files."""
    from urllib.parse import unquote, urlsplit

    url = url if url is not None else os.environ.get("PLANWATCH_WAREHOUSE", "")
    if not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"PLANWATCH_WAREHOUSE={url!r}: expected postgresql://user[:password]@host[:port]/database "
                         "(unset it to build the DuckDB warehouse)")
    database = parts.path.lstrip("/")
    if not database or not parts.username:
        raise ValueError(f"PLANWATCH_WAREHOUSE={url!r}: name the user and the database, "
                         "postgresql://user[:password]@host[:port]/database")
    return PostgresWarehouse(url, parts.hostname or "localhost", parts.port or 5432, unquote(parts.username),
                             unquote(parts.password or ""), unquote(database))


def get_paths(seeds_dir: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None) -> Paths:
    """Paths from arguments, else PLANWATCH_SEEDS_DIR / PLANWATCH_DATA_DIR, else the defaults."""
    seeds = seeds_dir or os.environ.get("PLANWATCH_SEEDS_DIR") or PROJECT_ROOT / "seeds"
    data = data_dir or os.environ.get("PLANWATCH_DATA_DIR") or PROJECT_ROOT / "warehouse"
    return Paths(seeds_dir=Path(seeds).resolve(), data_dir=Path(data).resolve())


@contextlib.contextmanager
def environment_variables(values: dict[str, str]):
    """Set `values` in os.environ for the block only, then put back what was there (unset stays unset).

    Settings left behind reach every later subprocess: PLANWATCH_PG_USER, the warehouse's database user
    set for dbt, once became the system user of the Prefect-on-PostgreSQL launcher.
    """
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
