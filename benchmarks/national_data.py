"""A national statistics file that moves like real ones, with a known set of planted anomalies.

Every county-level region of seeds/reference/regions.csv (or a seeded sample: --regions, --rows)
× every catalog indicator × 2019–2025, twelve rows a year per series:

- flows (indicators.csv accumulation = flow: R&D expenditure, patents granted …) are published
  as the offices do, year to date: January's month, 1-2月 … 1-11月 cumulated, and the year
  (= December's year to date). An annual total grows on the series' trend and is spread
  over the months by a seasonal profile (low in January and February, high in December).
- stocks (enterprises, shares, ratios, ranks) are end-of-month levels, January to November,
  and the year (= December's level), moving geometrically from one year-end to the next.

Each region has a size shared by its indicators, each series a level and a trend growth; the
year adds a little noise. Regions differ in how they write: period forms (2023年9月, 2023-09,
202309), amounts in 万元 or 亿元, thousands separators. Values are computed in numpy and the
text written by DuckDB: no Python per row.

Planted anomalies, each in a series of its own, are written to answers.csv (region, indicator,
period, kind, true value, planted value, in the indicator's canonical unit):
decimal_shift (one figure ×10, ×100 or ÷10), unit_slip (an amount labelled 亿元 where its number
is in 万元, or the reverse), broken_trajectory (the series jumps ×/÷ 3.5–6 from one January on;
the answer names that year), duplicated_vintage (a later file, statistics_revisions.csv, repeats
a yearly figure with a decimal-shifted value). The revisions file also carries ordinary small
revisions (within ±5%), which are not anomalies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 2019, 2025
MONTHS = 12  # rows per series and year: 11 months (or year-to-date) and the year
ANOMALY_KINDS = ("decimal_shift", "unit_slip", "broken_trajectory", "duplicated_vintage")
ANSWER_COLUMNS = ["region_code", "region_name", "indicator_code", "indicator_name", "period", "period_as_written",
                  "period_type", "kind", "true_value", "planted_value", "unit", "file"]

# Period forms by a region's writing style: (year, month, year to date).
_PERIOD_STYLES = (
    ("{y}年", "{y}年{m}月", "{y}年1-{m}月"),
    ("{y}", "{y}-{m:02d}", "{y}年1-{m}月累计"),
    ("{y}", "{y}{m:02d}", "{y}年1-{m}月"),
)
# Monthly weights of a flow (January … December), before each series' own noise.
_SEASON = np.array([0.05, 0.05, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.08, 0.09, 0.15])


@dataclass
class Generated:
    statistics: Path
    revisions: Path
    answers: Path
    rows: int
    series: int
    regions: int
    indicators: int
    anomalies: int


def _indicators(reference_dir: Path) -> pd.DataFrame:
    ind = pd.read_csv(reference_dir / "indicators.csv", dtype=str, keep_default_na=False)
    ind = ind.sort_values("indicator_code", ignore_index=True)
    ind["is_flow"] = ind["accumulation"].eq("flow")
    ind["is_amount"] = ind["canonical_unit"].eq("万元")
    ind["is_share"] = ind["canonical_unit"].eq("%")
    ind["is_rank"] = ind["value_kind"].eq("index")
    # Counts and ranks are whole numbers; everything else is written with two decimals.
    ind["decimals"] = np.where(ind["value_kind"].isin(["count", "index"]), 0, 2)
    return ind


def _regions(reference_dir: Path, n: int | None, rng: np.random.Generator) -> pd.DataFrame:
    reg = pd.read_csv(reference_dir / "regions.csv", dtype=str, keep_default_na=False)
    reg = reg[reg["level"] == "county"].sort_values("region_code", ignore_index=True)
    if n is not None and n < len(reg):
        reg = reg.iloc[np.sort(rng.choice(len(reg), size=n, replace=False))].reset_index(drop=True)
    k = len(reg)
    reg["style"] = rng.integers(0, len(_PERIOD_STYLES), k)
    reg["in_yi"] = rng.random(k) < 0.15  # publishes amounts in 亿元
    reg["thousands"] = rng.random(k) < 0.05  # writes 12,345.67
    reg["size"] = np.exp(rng.normal(0, 0.8, k))
    return reg


def _series_values(reg: pd.DataFrame, ind: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Canonical values, shape (regions, indicators, years, 12); [..., 11] is the yearly figure."""
    R, I, Y = len(reg), len(ind), LAST_YEAR - FIRST_YEAR + 1
    amount, share, rank, flow = (ind[c].to_numpy() for c in ("is_amount", "is_share", "is_rank", "is_flow"))
    count = ind["value_kind"].eq("count").to_numpy()
    # Typical level of an indicator in a county of size 1, by what it measures.
    base = np.where(amount, np.exp(rng.normal(np.log(3e4), 1.0, I)),
           np.where(share, rng.uniform(2, 40, I),
           np.where(rank, rng.uniform(30, 80, I),
           np.where(count, np.exp(rng.normal(np.log(150), 0.8, I)), rng.uniform(3, 40, I)))))
    scales_with_size = ~(share | rank)
    level = base[None, :] * np.where(scales_with_size[None, :], reg["size"].to_numpy()[:, None], 1.0)
    level = level * np.exp(rng.normal(0, 0.4, (R, I)))
    growth = np.where(share | rank, rng.normal(0.015, 0.01, (R, I)), rng.normal(0.07, 0.03, (R, I)))
    years = np.arange(Y)
    log_year = np.log(level)[:, :, None] + growth[:, :, None] * years + np.cumsum(rng.normal(0, 0.03, (R, I, Y)), axis=2)
    # Counts of at least 20 a year, so that rounding alone never makes a jump.
    floor = np.where(count | rank, np.log(20.0), -np.inf)[None, :, None]
    log_year = np.maximum(log_year, floor)
    yearly = np.exp(log_year)
    yearly = np.where(share[None, :, None], np.minimum(yearly, 95.0), yearly)

    # Flows: the year spread over the months, cumulated (December's year to date is the year).
    weights = _SEASON[None, None, :] * np.exp(rng.normal(0, 0.1, (R, I, MONTHS)))
    cumulative = np.cumsum(weights, axis=2) / weights.sum(axis=2, keepdims=True)
    cumulative[..., -1] = 1.0
    flows = yearly[..., None] * cumulative[:, :, None, :]
    # Stocks: geometric path from last year-end to this one, a little noise within the year.
    previous = np.concatenate([yearly[:, :, :1] * np.exp(-growth[:, :, None]), yearly[:, :, :-1]], axis=2)
    step = (np.arange(1, MONTHS + 1) / MONTHS)[None, None, None, :]
    noise = rng.normal(0, 0.004, (R, I, Y, MONTHS))
    noise[..., -1] = 0.0
    stocks = np.exp(np.log(previous)[..., None] + step * (np.log(yearly) - np.log(previous))[..., None] + noise)
    stocks = np.where(share[None, :, None, None], np.minimum(stocks, 99.0), stocks)
    return np.where(flow[None, :, None, None], flows, stocks)


def _written(values: np.ndarray, divisor: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Values as the region writes them: in its unit, rounded (rows, any shape broadcast)."""
    scaled = values / divisor
    return np.where(decimals == 0, np.round(scaled), np.where(decimals == 2, np.round(scaled, 2), np.round(scaled, 6)))


def generate(out_dir: Path, reference_dir: Path, regions: int | None = None, rows: int | None = None,
             seed: int = 14, anomaly_share: float = 0.01) -> Generated:
    """Write statistics.csv, statistics_revisions.csv and answers.csv into out_dir."""
    rng = np.random.default_rng(seed)
    ind = _indicators(reference_dir)
    per_region = len(ind) * (LAST_YEAR - FIRST_YEAR + 1) * MONTHS
    if regions is None and rows is not None:
        regions = max(1, math.ceil(rows / per_region))
    reg = _regions(reference_dir, regions, rng)
    R, I, Y = len(reg), len(ind), LAST_YEAR - FIRST_YEAR + 1
    values = _series_values(reg, ind, rng)
    true_values = values.copy()

    # How each cell is written: amounts of 亿元 regions divided by 10^4 and given four more decimals.
    in_yi = (reg["in_yi"].to_numpy()[:, None] & ind["is_amount"].to_numpy()[None, :])  # (R, I)
    unit_code = np.broadcast_to(in_yi[:, :, None, None], values.shape).astype(np.int8)  # 0 canonical, 1 亿元
    decimals = np.broadcast_to((ind["decimals"].to_numpy()[None, :] + 4 * in_yi)[:, :, None, None], values.shape)

    # Planted anomalies: one per series, in distinct series, the kinds in equal numbers
    # (unit slips in amount series: only 万元 has a 亿元 to slip to).
    n_series = R * I
    per_kind = max(1, round(n_series * anomaly_share / len(ANOMALY_KINDS)))
    amount_series = np.flatnonzero(np.tile(ind["is_amount"].to_numpy(), R))
    slips = rng.choice(amount_series, size=min(per_kind, len(amount_series)), replace=False)
    others = rng.choice(np.setdiff1d(np.arange(n_series), slips), size=3 * per_kind, replace=False)
    chosen = np.concatenate([slips, others])
    kinds = ["unit_slip"] * len(slips) + [k for k in ANOMALY_KINDS if k != "unit_slip" for _ in range(per_kind)]
    planted = []  # (r, i, y, m, kind, file)
    shifts = []  # (r, i, y, m, factor): applied to the written figure
    revisions = []  # (r, i, y, factor on the true value, kind)
    number_code = unit_code  # the unit the number is written in; unit_code becomes the label
    unit_code = unit_code.copy()
    for s, kind in zip(chosen, kinds):  # a few thousand anomalies at most: the rows stay vectorised
        r, i = divmod(int(s), I)
        if kind == "decimal_shift":
            y, m = int(rng.integers(0, Y)), int(rng.integers(0, MONTHS))
            shifts.append((r, i, y, m, float(rng.choice([10.0, 100.0] if ind.at[i, "decimals"] == 0 else [10.0, 100.0, 0.1]))))
            planted.append((r, i, y, m, kind, "statistics.csv"))
        elif kind == "unit_slip":
            y, m = int(rng.integers(0, Y)), int(rng.integers(0, MONTHS))
            unit_code[r, i, y, m] = 1 - unit_code[r, i, y, m]
            planted.append((r, i, y, m, kind, "statistics.csv"))
        elif kind == "broken_trajectory":
            y = int(rng.integers(2, Y))
            factor = rng.uniform(3.5, 6.0)
            values[r, i, y:, :] *= factor if rng.random() < 0.5 else 1 / factor
            planted.append((r, i, y, MONTHS - 1, kind, "statistics.csv"))
        else:  # duplicated_vintage: a later file repeats a yearly figure, decimal-shifted
            y = int(rng.integers(Y - 2, Y))
            revisions.append((r, i, y, float(rng.choice([10.0, 0.1])), kind))
            planted.append((r, i, y, MONTHS - 1, kind, "statistics_revisions.csv"))
    # Ordinary revisions of last year's figure in the later file (not anomalies).
    anomalous = set(int(s) for s in chosen)
    ordinary = [int(s) for s in rng.choice(n_series, size=max(1, n_series // 100), replace=False) if int(s) not in anomalous]
    for s in ordinary:
        r, i = divmod(s, I)
        revisions.append((r, i, Y - 1, float(1 + rng.uniform(-0.05, 0.05)), "revision"))

    # A unit slip keeps the number in the region's unit under the other label: read as labelled,
    # it is 10^4 off (divisor, the label's, times the number).
    written = _written(values, np.where(number_code == 1, 1e4, 1.0), decimals)
    divisor = np.where(unit_code == 1, 1e4, 1.0)
    for r, i, y, m, factor in shifts:  # the figure as written, its decimal point moved
        written[r, i, y, m] = round(written[r, i, y, m] * factor, int(decimals[r, i, y, m]) + 1)

    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true; set enable_progress_bar = false")
    _dimension_tables(con, reg, ind)
    r_idx, i_idx, y_idx, m_idx = (a.ravel() for a in np.meshgrid(np.arange(R, dtype=np.int32), np.arange(I, dtype=np.int16),
                                                                np.arange(Y, dtype=np.int16), np.arange(MONTHS, dtype=np.int8),
                                                                indexing="ij"))
    cells = pd.DataFrame({"r": r_idx, "i": i_idx, "y": y_idx, "m": m_idx, "v": written.ravel(),
                          "u": unit_code.ravel(), "d": decimals.ravel().astype(np.int8)})
    statistics = out_dir / "statistics.csv"
    _write_csv(con, cells, statistics)
    del cells

    rev_r = np.array([x[0] for x in revisions], dtype=np.int32)
    rev_i = np.array([x[1] for x in revisions], dtype=np.int16)
    rev_y = np.array([x[2] for x in revisions], dtype=np.int16)
    rev_f = np.array([x[3] for x in revisions])
    rev_values = true_values[rev_r, rev_i, rev_y, MONTHS - 1] * rev_f
    rev_unit = unit_code[rev_r, rev_i, rev_y, MONTHS - 1]
    rev_dec = decimals[rev_r, rev_i, rev_y, MONTHS - 1]
    rev_written = _written(rev_values, np.where(rev_unit == 1, 1e4, 1.0), rev_dec)
    revised = pd.DataFrame({"r": rev_r, "i": rev_i, "y": rev_y, "m": np.full(len(revisions), MONTHS - 1, np.int8),
                            "v": rev_written, "u": rev_unit, "d": rev_dec.astype(np.int8)})
    revisions_path = out_dir / "statistics_revisions.csv"
    _write_csv(con, revised.sort_values(["r", "i", "y"]), revisions_path)

    answers = _answers(reg, ind, planted, revisions, true_values, unit_code, decimals, written, rev_written, divisor)
    answers_path = out_dir / "answers.csv"
    answers.to_csv(answers_path, index=False)
    return Generated(statistics, revisions_path, answers_path, len(r_idx), n_series, R, I, len(answers))


def _period_text(style: int, is_flow: bool, year: int, m: int) -> tuple[str, str, str]:
    """(as written, planwatch's label, period type) of row m (0-based) of a series' year."""
    y_form, m_form, ytd_form = _PERIOD_STYLES[style]
    month = m + 1
    if m == MONTHS - 1:
        return y_form.format(y=year), f"{year}", "year"
    if is_flow and month > 1:
        return ytd_form.format(y=year, m=month), f"{year}-01..{month:02d} YTD", "ytd"
    return m_form.format(y=year, m=month), f"{year}-{month:02d}", "month"


def _dimension_tables(con, reg: pd.DataFrame, ind: pd.DataFrame) -> None:
    regions = pd.DataFrame({"r": np.arange(len(reg), dtype=np.int32), "code": reg["region_code"], "name": reg["region_name"],
                            "style": reg["style"], "thousands": reg["thousands"],
                            "source": "模拟数据：" + reg["province_name"] + "统计局"})
    indicators = pd.DataFrame({"i": np.arange(len(ind), dtype=np.int16), "name": ind["name_zh"], "unit": ind["canonical_unit"],
                               "flow": ind["is_flow"]})
    periods = pd.DataFrame(
        [(s, f, y - FIRST_YEAR, m, *_period_text(s, f, y, m))
         for s in range(len(_PERIOD_STYLES)) for f in (False, True)
         for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(MONTHS)],
        columns=["style", "flow", "y", "m", "text", "label", "period_type"],
    )
    for name, frame in (("dim_r", regions), ("dim_i", indicators), ("dim_p", periods)):
        con.register(name + "_df", frame)
        con.execute(f"create or replace table {name} as select * from {name}_df")
        con.unregister(name + "_df")


def _write_csv(con, cells: pd.DataFrame, path: Path) -> None:
    con.register("cells", cells)
    con.execute(
        f"""
        copy (
            select r.name as 地区, r.code as 区划代码, i.name as 指标, p.text as 时期,
                   case when c.d = 0 then
                             case when r.thousands then format('{{:,}}', c.v::bigint) else c.v::bigint::varchar end
                        when r.thousands and c.d = 2 then format('{{:,.2f}}', c.v)
                        else c.v::varchar end as 数值,
                   case when c.u = 1 then '亿元' else i.unit end as 单位,
                   r.source as 来源
            from cells c
            join dim_r r on r.r = c.r
            join dim_i i on i.i = c.i
            join dim_p p on p.style = r.style and p.flow = i.flow and p.y = c.y and p.m = c.m
            order by c.r, c.i, c.y, c.m
        ) to '{path}' (header, delimiter ',')
        """
    )
    con.unregister("cells")


def _answers(reg, ind, planted, revisions, true_values, unit_code, decimals, written, rev_written, divisor) -> pd.DataFrame:
    rows = []
    revision_of = {(r, i, y): k for k, (r, i, y, _, kind) in enumerate(revisions) if kind == "duplicated_vintage"}
    for r, i, y, m, kind, file in planted:
        text, label, period_type = _period_text(int(reg.at[r, "style"]), bool(ind.at[i, "is_flow"]), FIRST_YEAR + y, m)
        region_factor = 1e4 if reg.at[r, "in_yi"] and ind.at[i, "is_amount"] else 1.0
        true_written = _written(true_values[r, i, y, m], region_factor, decimals[r, i, y, m])
        if kind == "duplicated_vintage":
            planted_value = rev_written[revision_of[(r, i, y)]] * region_factor
        else:
            planted_value = written[r, i, y, m] * divisor[r, i, y, m]
        rows.append((reg.at[r, "region_code"], reg.at[r, "region_name"], ind.at[i, "indicator_code"], ind.at[i, "name_zh"],
                     label, text, period_type, kind, round(float(true_written * region_factor), 6), round(float(planted_value), 6),
                     ind.at[i, "canonical_unit"], file))
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS).sort_values(["region_code", "indicator_code", "period"], ignore_index=True)
