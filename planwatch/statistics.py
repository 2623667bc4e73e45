"""Load statistics files (CSV or XLSX, long format) into the raw layer, losing nothing.

Each file is read as text into DuckDB, its headers mapped from English or
Chinese names, and every row is either loaded into raw.statistics or put in
raw.statistics_quarantine with the reason. Regions, indicators and periods
are resolved once per distinct value (in Python, with the shared resolver and
matcher) and joined back in SQL, so the cost grows with distinct values, not
rows. A file whose content hash is already in the load log is skipped.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from planwatch.indicators import IndicatorCatalog
from planwatch.periods import parse_period
from planwatch.plans.reading import decode_text
from planwatch.units import UnitTable
from planwatch.warehouse import log_load, new_load_id, raw_connection, table_exists

SUPPORTED = (".csv", ".xlsx")
HEADER_ALIASES = {
    "region": ("region", "region_name", "地区", "区域", "行政区划", "地区名称", "区划名称"),
    "region_code": ("region_code", "区划代码", "行政区划代码", "地区代码", "代码"),
    "indicator": ("indicator", "indicator_name", "指标", "指标名称", "indicator_as_written"),
    "period": ("period", "year", "时期", "年份", "时间", "统计期", "期别", "年度"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位", "计量单位"),
    "source": ("source", "source_url", "来源", "数据来源"),
}
STAT_COLUMNS = ["region_raw", "region_code_raw", "indicator_raw", "period_raw", "value_raw", "unit_raw", "source"]


class StatisticsFileError(ValueError):
    """A file that cannot be read at all."""


@dataclass
class FileLoad:
    file: str
    sha256: str
    status: str  # loaded | skipped | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


@dataclass
class LoadSummary:
    files: list[FileLoad] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(f.rows_read for f in self.files if f.status == "loaded")

    @property
    def loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.rows_read for f in self.files if f.status == "skipped")

    @property
    def failed(self) -> list[FileLoad]:
        return [f for f in self.files if f.status == "failed"]

    def line(self) -> str:
        return f"read {self.read}, loaded {self.loaded}, quarantined {self.quarantined}, skipped {self.skipped}"


def _map_headers(columns: list[str], path: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for col in columns:
        key = str(col).strip().lower().lstrip("\ufeff")
        for canonical, aliases in HEADER_ALIASES.items():
            if key in (a.lower() for a in aliases) and canonical not in mapping.values():
                mapping[col] = canonical
                break
    found = set(mapping.values())
    if not ({"region", "region_code"} & found) or not {"indicator", "period", "value"} <= found:
        raise StatisticsFileError(
            f"{path}: cannot find the long-format columns (region or region_code, indicator, period, value); "
            f"headers are {list(columns)}"
        )
    return mapping


def _read_as_text_table(con, path: Path, staging: Path) -> int:
    """Create temp table `incoming` (all text, plus row_number = the file's line/row number)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = path.read_bytes()
        try:
            text, encoding = decode_text(data[: 1 << 20], str(path))
        except ValueError as exc:
            raise StatisticsFileError(str(exc)) from exc
        source = path
        if encoding not in ("utf-8", "utf-8-sig"):
            # DuckDB reads UTF-8; transcode GB18030/GBK files once, streaming.
            source = staging / (path.stem + ".utf8.csv")
            with open(path, encoding=encoding, errors="strict") as fin, open(source, "w", encoding="utf-8") as fout:
                for chunk in iter(lambda: fin.read(1 << 20), ""):
                    fout.write(chunk)
        try:
            con.execute(
                "create or replace temp table incoming as "
                "select row_number() over () + 1 as row_number, * from read_csv(?, all_varchar = true, header = true, "
                "auto_detect = true, strict_mode = false, null_padding = true)",
                [str(source)],
            )
        except duckdb.Error as exc:
            raise StatisticsFileError(f"{path}: not a readable CSV ({exc})") from exc
    elif suffix == ".xlsx":
        try:
            # openpyxl with data_only: cached values, never formulas evaluated or kept.
            frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")
        except Exception as exc:
            raise StatisticsFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
        frame.insert(0, "row_number", range(2, len(frame) + 2))
        con.register("incoming_frame", frame)
        con.execute("create or replace temp table incoming as select * from incoming_frame")
        con.unregister("incoming_frame")
    else:
        raise StatisticsFileError(f"{path}: unsupported statistics file type {suffix!r} (expected .csv or .xlsx)")
    return con.execute("select count(*) from incoming").fetchone()[0]


def _register_mapping(con, name: str, frame: pd.DataFrame) -> None:
    con.register(name + "_df", frame)
    con.execute(f"create or replace temp table {name} as select * from {name}_df")
    con.unregister(name + "_df")


def load_statistics_files(files: list[Path], raw_db: Path, reference_dir: Path, staging_dir: Path | None = None) -> LoadSummary:
    from planwatch.regions import RegionResolver

    catalog = IndicatorCatalog.from_dir(reference_dir)
    units = UnitTable.from_dir(reference_dir)
    resolver = RegionResolver.default(reference_dir)
    summary = LoadSummary()
    with tempfile.TemporaryDirectory(dir=staging_dir) as tmp, raw_connection(raw_db) as con:
        for path in files:
            summary.files.append(_load_one(con, Path(path), catalog, units, resolver, Path(tmp)))
    return summary


def _load_one(con, path: Path, catalog, units, resolver, tmp: Path) -> FileLoad:
    if not path.is_file():
        return FileLoad(str(path), "", "failed", message=f"{path}: no such file")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = new_load_id()
    previous = con.execute(
        "select rows_read from raw.load_log where file_sha256 = ? and kind = 'statistics_file' and status = 'loaded' limit 1", [sha]
    ).fetchone()
    if previous:
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, previous[0], 0, 0, "skipped", "same content already loaded")
        return FileLoad(str(path), sha, "skipped", rows_read=previous[0], message="already loaded")
    try:
        n = _read_as_text_table(con, path, tmp)
        columns = [r[0] for r in con.execute("describe incoming").fetchall() if r[0] != "row_number"]
        mapping = _map_headers(columns, path)
    except StatisticsFileError as exc:
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, 0, 0, 0, "failed", str(exc))
        return FileLoad(str(path), sha, "failed", message=str(exc))
    select = ", ".join(
        f'"{src}" as {dst}' for src, dst in mapping.items()
    )
    con.execute(f"create or replace temp table incoming_std as select row_number, {select} from incoming")
    present = {r[0] for r in con.execute("describe incoming_std").fetchall()}
    for col in ("region", "region_code", "unit", "source"):
        if col not in present:
            con.execute(f"alter table incoming_std add column {col} varchar")
    _resolve_dimensions(con, catalog, units, resolver)
    con.execute("begin")
    n_loaded, n_quarantined = _write_rows(con, path, sha, load_id, loaded_at)
    log_load(con, load_id, loaded_at, "statistics_file", path, sha, n, n_loaded, n_quarantined, "loaded")
    con.execute("commit")
    return FileLoad(str(path), sha, "loaded", n, n_loaded, n_quarantined)


def _resolve_dimensions(con, catalog: IndicatorCatalog, units: UnitTable, resolver) -> None:
    regions = con.execute(
        "select distinct coalesce(trim(region_code), '') as code, coalesce(trim(region), '') as name from incoming_std"
    ).df()
    codes, problems = [], []
    for code, name in zip(regions["code"], regions["name"]):
        resolved, problem = None, None
        for candidate in (code, name):
            if not candidate:
                continue
            try:
                resolved = resolver.resolve(candidate).region_code
                break
            except ValueError as exc:
                problem = str(exc)
        codes.append(resolved)
        problems.append(None if resolved else (problem or "no region given"))
    regions["region_code_resolved"], regions["region_problem"] = codes, problems
    _register_mapping(con, "map_region", regions)

    indicators = con.execute("select distinct coalesce(trim(indicator), '') as indicator from incoming_std").df()
    matched = catalog.match_many(indicators["indicator"])
    indicators["indicator_code"] = matched["indicator_code"]
    indicators["canonical_unit"] = [catalog.canonical_unit(c) if c else None for c in indicators["indicator_code"]]
    _register_mapping(con, "map_indicator", indicators)

    periods = con.execute("select distinct coalesce(trim(period), '') as period from incoming_std").df()
    parsed = [parse_period(p) for p in periods["period"]]
    periods["period_type"] = [p.period_type if p else None for p in parsed]
    periods["period_start"] = [p.start if p else None for p in parsed]
    periods["period_end"] = [p.end if p else None for p in parsed]
    periods["is_ytd"] = [p.is_ytd if p else None for p in parsed]
    periods["period_label"] = [p.label if p else None for p in parsed]
    _register_mapping(con, "map_period", periods)

    pairs = con.execute(
        "select distinct coalesce(trim(s.unit), '') as unit, i.canonical_unit from incoming_std s "
        "join map_indicator i on coalesce(trim(s.indicator), '') = i.indicator"
    ).df()
    pairs["factor"] = [
        (1.0 if not u and c else units.factor(u, c)) if c else None for u, c in zip(pairs["unit"], pairs["canonical_unit"])
    ]
    _register_mapping(con, "map_unit", pairs)


# Cell values as statistics offices write them: full-width digits, thousands
# separators, %, and 万/亿 multipliers inside the cell.
_VALUE_SQL = """
    with t as (
        select *, replace(replace(replace(translate(trim(coalesce(value, '')), '０１２３４５６７８９．，－％　', '0123456789.,-% '), ',', ''), ' ', ''), '%', '') as v
        from incoming_std
    )
    select *,
        case when regexp_full_match(v, '-?[0-9]+(\\.[0-9]+)?(万|亿)?')
             then try_cast(regexp_replace(v, '(万|亿)$', '') as double)
                  * case when v like '%亿' then 100000000 when v like '%万' then 10000 else 1 end
        end as value_number
    from t
"""


def _write_rows(con, path: Path, sha: str, load_id: str, loaded_at) -> tuple[int, int]:
    con.execute(f"create or replace temp table parsed as {_VALUE_SQL}")
    con.execute(
        """
        create or replace temp table resolved as
        select p.row_number, p.region as region_raw, p.region_code as region_code_raw, p.indicator as indicator_raw,
               p.period as period_raw, p.value as value_raw, p.unit as unit_raw, p.source,
               r.region_code_resolved as region_code, r.region_problem,
               i.indicator_code, i.canonical_unit,
               d.period_type, d.period_start, d.period_end, d.is_ytd, d.period_label,
               p.value_number, u.factor,
               p.value_number * u.factor as value,
               case
                 when r.region_code_resolved is null then 'unknown region: ' || coalesce(r.region_problem, '')
                 when i.indicator_code is null then 'unknown indicator: ' || coalesce(nullif(trim(p.indicator), ''), '(empty)')
                 when d.period_type is null then 'unparseable period: ' || coalesce(nullif(trim(p.period), ''), '(empty)')
                 when p.value_number is null then 'unparseable value: ' || coalesce(nullif(trim(p.value), ''), '(empty)')
                 when u.factor is null then 'unit cannot convert: ' || coalesce(nullif(trim(p.unit), ''), '(none)') || ' to ' || i.canonical_unit
               end as problem
        from parsed p
        left join map_region r on coalesce(trim(p.region_code), '') = r.code and coalesce(trim(p.region), '') = r.name
        left join map_indicator i on coalesce(trim(p.indicator), '') = i.indicator
        left join map_period d on coalesce(trim(p.period), '') = d.period
        left join map_unit u on coalesce(trim(p.unit), '') = u.unit and i.canonical_unit = u.canonical_unit
        """
    )
    # Same region, indicator and period twice in one file: identical rows are duplicates,
    # different values are a conflict; either way only the first identical row loads.
    con.execute(
        """
        create or replace temp table checked as
        select *,
            case
              when problem is not null then problem
              when count(distinct value) over (partition by region_code, indicator_code, period_label) > 1
                then 'conflicting duplicate in this file: rows ' ||
                     string_agg(row_number::varchar, ', ') over (partition by region_code, indicator_code, period_label)
              when row_number() over (partition by region_code, indicator_code, period_label, value order by row_number) > 1
                then 'duplicate of row ' || min(row_number) over (partition by region_code, indicator_code, period_label, value)
            end as reason
        from resolved
        """
    )
    common = "?::varchar as file, ?::varchar as file_sha256, ?::varchar as load_id, ?::timestamp as loaded_at"
    params = [str(path), sha, load_id, loaded_at]
    if not table_exists(con, "raw", "statistics"):
        con.execute(
            f"create table raw.statistics as select {common}, row_number, region_raw, region_code_raw, indicator_raw, period_raw, "
            "value_raw, unit_raw, source, region_code, indicator_code, period_type, period_start, period_end, is_ytd, "
            "period_label, value, canonical_unit as unit from checked limit 0",
            params,
        )
        con.execute(
            f"create table raw.statistics_quarantine as select {common}, row_number, region_raw, region_code_raw, indicator_raw, "
            "period_raw, value_raw, unit_raw, source, reason from checked limit 0",
            params,
        )
    con.execute(
        f"insert into raw.statistics by name select {common}, row_number, region_raw, region_code_raw, indicator_raw, "
        "period_raw, value_raw, unit_raw, source, region_code, indicator_code, period_type, period_start, period_end, is_ytd, "
        "period_label, value, canonical_unit as unit from checked where reason is null",
        params,
    )
    con.execute(
        f"insert into raw.statistics_quarantine by name select {common}, row_number, region_raw, region_code_raw, "
        "indicator_raw, period_raw, value_raw, unit_raw, source, reason from checked where reason is not null",
        params,
    )
    n_loaded = con.execute("select count(*) from checked where reason is null").fetchone()[0]
    n_quarantined = con.execute("select count(*) from checked where reason is not null").fetchone()[0]
    return n_loaded, n_quarantined


def statistics_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in SUPPORTED and not p.name.startswith((".", "~$")))
