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
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from planwatch.indicators import IndicatorCatalog
from planwatch.periods import named_period_year, parse_period
from planwatch.plans.reading import decode_text
from planwatch.text import normalize
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


_HEADER_SCAN_ROWS = 30


@dataclass
class Layout:
    """Where the data sits in a sheet: the header row, what each column is, and the title above."""

    header_index: int  # 0-based row of the header within the file
    columns: dict[str, str]  # raw column name → region | region_code | indicator | period | value | unit | source
    period_columns: dict[str, str]  # wide format: raw column name → its header text (a period)
    title: str

    @property
    def wide(self) -> bool:
        return bool(self.period_columns)


def _role(cell: str) -> str | None:
    key = normalize(str(cell)).strip().lower().lstrip("\ufeff")
    for role, aliases in HEADER_ALIASES.items():
        if key in (a.lower() for a in aliases):
            return role
    return None


def detect_layout(rows: list[list[str | None]], names: list[str], path: Path) -> Layout:
    """Find the header among the first rows: long (…, period, value) or wide (indicator, 2021, 2022, …)."""
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        cells = ["" if c is None else str(c).strip() for c in row]
        columns: dict[str, str] = {}
        periods: dict[str, str] = {}
        for name, cell in zip(names, cells):
            role = _role(cell) if cell else None
            if role and role not in columns.values():
                columns[name] = role
            elif cell and parse_period(cell) is not None:
                periods[name] = cell
        roles = set(columns.values())
        if "indicator" not in roles:
            continue
        title = " ".join(" ".join(str(c) for c in r if c not in (None, "")) for r in rows[:i]).strip()
        if {"period", "value"} <= roles:
            return Layout(i, columns, {}, title)
        if periods and not {"period", "value"} & roles:
            return Layout(i, columns, periods, title)
    raise StatisticsFileError(
        f"{path}: cannot find a header row in the first {_HEADER_SCAN_ROWS} rows: expected long format "
        "(region or region code, indicator, period, value) or wide format (indicator, then one column per period)"
    )


def _read_raw(con, path: Path, staging: Path, sheet: str | None) -> None:
    """Temp table `raw_in`: every cell as text, columns c0, c1, …, plus line = the row's number in the file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, "rb") as f:
            head = f.read(1 << 20)
        if len(head) == 1 << 20 and b"\n" in head:
            head = head[: head.rindex(b"\n") + 1]  # whole lines, so no character is cut in two
        try:
            text, encoding = decode_text(head, str(path))
        except ValueError as exc:
            raise StatisticsFileError(str(exc)) from exc
        source = path
        if encoding not in ("utf-8", "utf-8-sig"):
            # DuckDB reads UTF-8; transcode GB18030/GBK files once, streaming.
            source = staging / (path.stem + ".utf8.csv")
            with open(path, encoding=encoding, errors="strict") as fin, open(source, "w", encoding="utf-8") as fout:
                for chunk in iter(lambda: fin.read(1 << 20), ""):
                    fout.write(chunk)
        reader = ("read_csv(?, all_varchar = true, header = false, auto_detect = true, strict_mode = false, "
                  "null_padding = true, skip = 0)")
        try:
            sniffed = [r[0] for r in con.execute(f"describe select * from {reader}", [str(source)]).fetchall()]
            renames = ", ".join(f'"{n}" as c{i}' for i, n in enumerate(sniffed))
            # One pass over the file; `line` is the row's line number (the reader keeps file order).
            con.execute(f"create or replace temp table raw_in as select row_number() over () as line, {renames} from {reader}",
                        [str(source)])
        except duckdb.Error as exc:
            raise StatisticsFileError(f"{path}: not a readable CSV ({exc})") from exc
    elif suffix == ".xlsx":
        frame = _xlsx_frame(path, sheet)
        frame.columns = [f"c{i}" for i in range(frame.shape[1])]
        frame.insert(0, "line", range(1, len(frame) + 1))
        con.register("raw_frame", frame)
        con.execute("create or replace temp table raw_in as select * from raw_frame")
        con.unregister("raw_frame")
    else:
        raise StatisticsFileError(f"{path}: unsupported statistics file type {suffix!r} (expected .csv or .xlsx)")


def _xlsx_frame(path: Path, sheet: str | None) -> pd.DataFrame:
    """Every cell as text. Formulas are never evaluated: a cell shows the value Excel cached,
    or, when there is none (a file written by a program), the formula itself, which then
    fails to parse as a number and is quarantined with the formula in the reason."""
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise StatisticsFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in values.sheetnames:
            raise StatisticsFileError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(values.sheetnames)})")
        name = sheet if sheet is not None else values.sheetnames[0]
        rows = []
        for cached, written in zip(values[name].iter_rows(values_only=True), formulas[name].iter_rows(values_only=True)):
            rows.append([
                _cell_text(c if c is not None or not (isinstance(w, str) and w.startswith("=")) else w)
                for c, w in zip(cached, written)
            ])
    finally:
        values.close()
        formulas.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_layout(con, path: Path, staging: Path, sheet: str | None = None) -> tuple[Layout, list[str]]:
    """Read the file into `raw_in` and find its layout."""
    _read_raw(con, path, staging, sheet)
    names = [r[0] for r in con.execute("describe raw_in").fetchall() if r[0] != "line"]
    head = con.execute(f"select {', '.join(names)} from raw_in order by line limit {_HEADER_SCAN_ROWS}").fetchall()
    return detect_layout([list(r) for r in head], names, path), names


def build_incoming(con, layout: Layout, names: list[str], file_region: str | None) -> int:
    """Create temp table `incoming_std` (region, region_code, indicator, period, value, unit, source as text,
    row_number = the row's number in the file, column_raw = the period column of a wide sheet)."""
    header_line = layout.header_index + 1
    select = {role: f"{col}" for col, role in layout.columns.items()}
    params: list = []
    if "region" not in select and "region_code" not in select:
        select["region"] = "?::varchar"
        params = [file_region]
    for role in ("region", "region_code", "unit", "source"):
        select.setdefault(role, "null::varchar")
    cols = ", ".join(f"{expr} as {role}" for role, expr in select.items())
    if layout.wide:
        periods = ", ".join(f"{c}" for c in layout.period_columns)
        header_cases = " ".join(f"when '{c}' then ?" for c in layout.period_columns)
        con.execute(
            f"create or replace temp table incoming_wide as select line as row_number, {cols}, {periods} "
            f"from raw_in where line > {header_line}", params,
        )
        # One row per non-empty cell; an empty cell in a yearbook is no figure, not a bad one.
        con.execute(
            f"create or replace temp table incoming_std as "
            f"select * exclude (column_raw), case column_raw {header_cases} end as period, column_raw "
            f"from (unpivot incoming_wide on {periods} into name column_raw value value) "
            f"where trim(coalesce(value, '')) <> ''",
            list(layout.period_columns.values()),
        )
    else:
        # Blank lines (all cells empty) are layout, not rows.
        not_blank = " or ".join(f"trim(coalesce({c}, '')) <> ''" for c in names)
        con.execute(
            f"create or replace temp view incoming_std as select line as row_number, {cols}, null::varchar as column_raw "
            f"from raw_in where line > {header_line} and ({not_blank})",
            params,
        )
    return con.execute("select count(*) from incoming_std").fetchone()[0]


def _register_mapping(con, name: str, frame: pd.DataFrame) -> None:
    con.register(name + "_df", frame)
    con.execute(f"create or replace temp table {name} as select * from {name}_df")
    con.unregister(name + "_df")


def load_statistics_files(
    files: list[Path], raw_db: Path, reference_dir: Path, staging_dir: Path | None = None,
    sheet: str | None = None, region: str | None = None,
) -> LoadSummary:
    """Load each file; `sheet` picks an XLSX sheet (default: the first), `region` names the region of files without a region column."""
    from planwatch.regions import RegionResolver

    catalog = IndicatorCatalog.from_dir(reference_dir)
    units = UnitTable.from_dir(reference_dir)
    resolver = RegionResolver.default(reference_dir)
    summary = LoadSummary()
    with tempfile.TemporaryDirectory(dir=staging_dir) as tmp, raw_connection(raw_db) as con:
        for path in files:
            summary.files.append(_load_one(con, Path(path), catalog, units, resolver, Path(tmp), sheet, region))
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_region(layout: Layout, path: Path, region: str | None, resolver) -> str:
    """The region of a sheet without a region column: --region, else the title above the header, else the file name."""
    if region is not None:
        return region
    for text in (layout.title, path.stem):
        inferred = resolver.infer_from_text(text) if text else None
        if inferred is not None:
            return inferred.region.region_code
    raise StatisticsFileError(
        f"{path}: no region column, and neither the title above the header nor the file name names a region; "
        "add a region column or pass --region"
    )


def _load_one(con, path: Path, catalog, units, resolver, tmp: Path, sheet: str | None = None, region: str | None = None) -> FileLoad:
    if not path.is_file():
        return FileLoad(str(path), "", "failed", message=f"{path}: no such file")
    sha = _sha256(path)
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = new_load_id()
    if path.suffix.lower() != ".xlsx":
        sheet = None  # only workbooks have sheets
    previous = con.execute(
        "select rows_read from raw.load_log where file_sha256 = ? and coalesce(sheet, '') = coalesce(?, '') "
        "and kind = 'statistics_file' and status = 'loaded' limit 1", [sha, sheet]
    ).fetchone()
    if previous:
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, previous[0], 0, 0, "skipped", "same content already loaded", sheet)
        return FileLoad(str(path), sha, "skipped", rows_read=previous[0], message="already loaded")
    try:
        layout, names = read_layout(con, path, tmp, sheet)
        has_region = {"region", "region_code"} & set(layout.columns.values())
        n = build_incoming(con, layout, names, None if has_region else _file_region(layout, path, region, resolver))
    except StatisticsFileError as exc:
        log_load(con, load_id, loaded_at, "statistics_file", path, sha, 0, 0, 0, "failed", str(exc), sheet)
        return FileLoad(str(path), sha, "failed", message=str(exc))
    _resolve_dimensions(con, catalog, units, resolver)
    con.execute("begin")
    n_loaded, n_quarantined = _write_rows(con, path, sha, load_id, loaded_at, sheet)
    log_load(con, load_id, loaded_at, "statistics_file", path, sha, n, n_loaded, n_quarantined, "loaded", None, sheet)
    con.execute("commit")
    return FileLoad(str(path), sha, "loaded", n, n_loaded, n_quarantined)


# "入库科技型中小企业同比增长", "技术合同成交额增长率", "高新技术企业总数较"十三五"末增长":
# a growth rate of a catalog indicator, not the indicator's level.
_GROWTH_NAME = re.compile(r"(?:(?:较|比)(?P<base>[^，,]{1,12}?))?(?:同比)?(?:增长|增速|增幅)(?:率)?(?:\(%\)|（%）)?$")


def indicator_measure(name: str, catalog: IndicatorCatalog) -> tuple[str | None, str, int | None]:
    """(indicator_code, measure, base_year) for a statistics indicator name.

    measure is level, growth_pct (year on year) or cumulative_growth_pct (since
    the base period the name gives, e.g. 较"十三五"末增长 → base 2020).
    """
    text = normalize(name or "").strip()
    growth = _GROWTH_NAME.search(text)
    if growth and growth.start() >= 2:
        base = catalog.match(text[: growth.start()])
        if base.indicator_code:
            base_year = named_period_year(growth.group("base")) if growth.group("base") else None
            if growth.group("base"):
                return base.indicator_code, "cumulative_growth_pct", base_year
            return base.indicator_code, "growth_pct", None
    return catalog.match(text).indicator_code, "level", None


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
    measures = [indicator_measure(name, catalog) for name in indicators["indicator"]]
    indicators["indicator_code"] = [m[0] for m in measures]
    indicators["measure"] = [m[1] for m in measures]
    indicators["base_year"] = pd.array([m[2] for m in measures], dtype="Int64")
    indicators["canonical_unit"] = [
        ("%" if measure != "level" else catalog.canonical_unit(code)) if code else None for code, measure, _ in measures
    ]
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
    select *,
        -- Most cells are plain numbers: cast first, clean only what does not cast.
        coalesce(try_cast(value as double), case when value is not null then (
            with cleaned as (
                select replace(replace(replace(translate(trim(value), '０１２３４５６７８９．，－％　', '0123456789.,-% '),
                                               ',', ''), ' ', ''), '%', '') as v
            )
            select case when regexp_full_match(v, '-?[0-9]+(\\.[0-9]+)?(万|亿)?')
                        then try_cast(regexp_replace(v, '(万|亿)$', '') as double)
                             * case when v like '%亿' then 100000000 when v like '%万' then 10000 else 1 end
                   end
            from cleaned
        ) end) as value_number
    from incoming_std
"""


def _write_rows(con, path: Path, sha: str, load_id: str, loaded_at, sheet: str | None = None) -> tuple[int, int]:
    con.execute(f"create or replace temp view parsed as {_VALUE_SQL}")
    con.execute(
        """
        create or replace temp table resolved as
        select p.row_number, p.region as region_raw, p.region_code as region_code_raw, p.indicator as indicator_raw,
               p.period as period_raw, p.value as value_raw, p.unit as unit_raw, p.source,
               r.region_code_resolved as region_code, r.region_problem,
               i.indicator_code, i.canonical_unit, i.measure, i.base_year, p.column_raw,
               d.period_type, d.period_start, d.period_end, d.is_ytd, d.period_label,
               p.value_number, u.factor,
               p.value_number * u.factor as value,
               case
                 when r.region_code_resolved is null then coalesce(r.region_problem, 'unknown region: no region given')
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
        -- Keys given more than once: counted over the good rows first (cheap), detailed only
        -- for the few repeated ones; most files have none.
        with repeated_keys as (
            select region_code, indicator_code, measure, period_label
            from resolved
            where problem is null
            group by all
            having count(*) > 1
        ),
        repeated as (
            select r.region_code, r.indicator_code, r.measure, r.period_label,
                   count(distinct r.value) as distinct_values,
                   string_agg(r.row_number::varchar, ', ' order by r.row_number) as all_rows,
                   min(r.row_number) as first_row
            from resolved as r
            semi join repeated_keys as k
              on r.region_code = k.region_code and r.indicator_code = k.indicator_code
             and r.measure = k.measure and r.period_label = k.period_label
            where r.problem is null
            group by all
        )
        select r.*,
            case
              when r.problem is not null then r.problem
              when d.distinct_values > 1 then 'conflicting duplicate in this file: rows ' || d.all_rows
              when d.first_row is not null and r.row_number <> d.first_row then 'duplicate of row ' || d.first_row
            end as reason
        from resolved r
        left join repeated d
          on r.problem is null
         and r.region_code = d.region_code and r.indicator_code = d.indicator_code
         and r.measure = d.measure and r.period_label = d.period_label
        """
    )
    common = "?::varchar as file, ?::varchar as file_sha256, ?::varchar as load_id, ?::timestamp as loaded_at, ?::varchar as sheet"
    params = [str(path), sha, load_id, loaded_at, sheet]
    con.execute(
        f"insert into raw.statistics by name select {common}, row_number, region_raw, region_code_raw, indicator_raw, "
        "period_raw, column_raw, value_raw, unit_raw, source, region_code, indicator_code, measure, base_year, period_type, "
        "period_start, period_end, is_ytd, period_label, value, canonical_unit as unit from checked where reason is null",
        params,
    )
    con.execute(
        f"insert into raw.statistics_quarantine by name select {common}, row_number, region_raw, region_code_raw, "
        "indicator_raw, period_raw, column_raw, value_raw, unit_raw, source, reason from checked where reason is not null",
        params,
    )
    n_loaded = con.execute("select count(*) from checked where reason is null").fetchone()[0]
    n_quarantined = con.execute("select count(*) from checked where reason is not null").fetchone()[0]
    return n_loaded, n_quarantined


def statistics_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in SUPPORTED and not p.name.startswith((".", "~$")))
