"""A statistics file template: the headers, periods, units and indicators the loader accepts.

`planwatch template statistics` writes it. The data sheet comes first (the loader reads a
workbook's first sheet); the sheets after it are the guide, drawn from the same tables the
loader reads (HEADER_ALIASES, PERIOD_FORMS, units.csv, the indicator catalog), so the template
cannot promise a form the loader refuses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planwatch.indicators import IndicatorCatalog
from planwatch.periods import PERIOD_FORMS, parse_period
from planwatch.statistics import HEADER_ALIASES

DATA_SHEET = "statistics"
ROLE_NOTES = {
    "region": "region name as the region reference spells it (大冶市), or leave empty and give region_code",
    "region_code": "6-digit GB/T 2260 code (420281) or a zone code (420281-HTZ)",
    "indicator": "indicator name; any name or alias in the catalog (sheet indicators) matches",
    "period": "the period the figure covers (sheet periods)",
    "value": "the number only: 423, 34.25, -2.1 (no thousands separators, no units)",
    "unit": "the unit of the value (sheet units); converted to the indicator's unit",
    "source": "where the figure was published (URL or bulletin title)",
}


def template_frames(reference_dir: Path, regions: list[tuple[str, str]] = (), years: list[int] = ()) -> dict[str, pd.DataFrame]:
    """The template's sheets, data sheet first. With regions and years, the data sheet has a row per
    region × catalog indicator × year to fill in (rows left without a value are quarantined on load)."""
    catalog = IndicatorCatalog.from_dir(reference_dir)
    indicators = catalog.indicators.reset_index(drop=True)
    columns = list(HEADER_ALIASES)
    rows = [
        {"region": name, "region_code": code, "indicator": ind.name_zh, "period": str(year), "value": None,
         "unit": ind.canonical_unit, "source": None}
        for name, code in regions for year in years for ind in indicators.itertuples(index=False)
    ]
    data = pd.DataFrame(rows, columns=columns)
    headers = pd.DataFrame([{"column": role, "accepted headers": ", ".join(aliases), "what to write": ROLE_NOTES.get(role, "")}
                            for role, aliases in HEADER_ALIASES.items()])
    periods = pd.DataFrame([{"form": form, "example": example, "read as": parse_period(example).label}
                            for form, example, _ in PERIOD_FORMS])
    units = pd.read_csv(Path(reference_dir) / "units.csv", dtype=str, keep_default_na=False)
    units = units[["unit", "canonical_unit", "factor", "note"]]
    aliases = catalog_aliases(reference_dir)
    guide = indicators[["indicator_code", "name_zh", "name_en", "canonical_unit", "category"]].copy()
    guide["aliases"] = guide["indicator_code"].map(lambda c: "、".join(aliases.get(c, [])))
    return {DATA_SHEET: data, "headers": headers, "periods": periods, "units": units, "indicators": guide}


def catalog_aliases(reference_dir: Path) -> dict[str, list[str]]:
    aliases = pd.read_csv(Path(reference_dir) / "indicator_aliases.csv", dtype=str, keep_default_na=False)
    return aliases.groupby("indicator_code")["alias"].apply(list).to_dict()


def write_template(out: Path, reference_dir: Path, regions: list[tuple[str, str]] = (), years: list[int] = ()) -> Path:
    """Write the template to `out` (.xlsx: data sheet plus guide sheets; .csv: the data sheet only)."""
    out = Path(out)
    frames = template_frames(reference_dir, regions, years)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        frames[DATA_SHEET].to_csv(out, index=False, encoding="utf-8-sig")
        return out
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"{out}: write the template as .xlsx (with its guide) or .csv")
    from planwatch.export import fitted_widths

    with pd.ExcelWriter(out, engine="xlsxwriter") as xw:
        for sheet, frame in frames.items():
            frame.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes(1, 0)
            for i, width in enumerate(fitted_widths(frame)):
                ws.set_column(i, i, width)
    return out
