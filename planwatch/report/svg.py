"""Hand-written inline SVG charts: one indicator's target path against its actuals.

No plotting library and no JavaScript: the SVG is written server-side into the page, so the
report opens from disk with no network, and its text is real text that the browser renders with
the page's font stack (CJK fonts included).

Visual encoding (colour-blind safe, Okabe-Ito, and never colour alone):
- target path: blue dashed line; years the plan states (milestones) as filled squares;
- final target: blue diamond with a label;
- baseline: black diamond with a label;
- actuals: vermillion solid line with filled circles;
- year-to-date actuals: vermillion hollow circles (no line), at the fraction of the year they cover,
  labelled with their months.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Okabe-Ito
BLUE = "#0072B2"
VERMILLION = "#D55E00"
BLACK = "#000000"
GREY = "#6b6b6b"
GRID = "#e3e3e3"

_YTD = re.compile(r"(\d{4})-(\d{1,2})\s*\.\.\s*(\d{1,2})")


@dataclass
class TargetPoint:
    year: int
    value: float
    milestone: bool = False


@dataclass
class ActualPoint:
    year: int
    value: float
    period: str = ""
    ytd: bool = False

    @property
    def x(self) -> float:
        """Position on the year axis: a full year sits on its year; Jan..Sep on 3/4 of the way to it."""
        if self.ytd:
            m = _YTD.search(self.period or "")
            if m and int(m.group(1)) == self.year:
                return self.year - 1 + min(int(m.group(3)), 12) / 12
        return float(self.year)

    @property
    def months_label(self) -> str:
        m = _YTD.search(self.period or "")
        if m:
            return f"{int(m.group(2))}-{int(m.group(3))}月"
        return "年内累计"


@dataclass
class ChartData:
    title: str
    unit: str
    baseline_year: int | None = None
    baseline_value: float | None = None
    final_year: int | None = None
    final_value: float | None = None
    qualifier: str | None = None
    paths: list[list[TargetPoint]] = field(default_factory=list)  # one per plan
    actuals: list[ActualPoint] = field(default_factory=list)
    years: tuple[int, int] | None = None  # the plan period, drawn even where no value is known


def fmt_number(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if abs(v) >= 10000:
        return f"{v:,.0f}"
    if float(v).is_integer():
        return f"{v:.0f}"
    if abs(v) >= 100:
        return f"{v:,.1f}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _nice_step(span: float, target_ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _y_range(values: list[float]) -> tuple[float, float, float]:
    lo, hi = min(values), max(values)
    if lo >= 0 and lo < 0.5 * hi:
        lo = 0.0
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_step(hi - lo)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    if hi - lo < step:
        hi = lo + step
    return lo, hi, step


_QUALIFIER = {"at_least": "≥", "at_most": "≤", "approximately": "≈"}


def _e(s) -> str:
    return str(escape(s))


def render_chart(data: ChartData, width: int = 680, height: int = 320, chart_id: str = "chart") -> Markup:
    """One indicator's chart as an inline <svg>."""
    left, right, top, bottom = 78, 64, 58, 44
    pw, ph = width - left - right, height - top - bottom

    values: list[float] = []
    years: list[float] = []
    if data.baseline_value is not None and data.baseline_year is not None:
        values.append(data.baseline_value)
        years.append(data.baseline_year)
    for path in data.paths:
        for p in path:
            values.append(p.value)
            years.append(p.year)
    if data.final_value is not None and data.final_year is not None:
        values.append(data.final_value)
        years.append(data.final_year)
    for a in data.actuals:
        values.append(a.value)
        years.append(a.x)
    if data.years is not None:
        years += list(data.years)
    if not values:
        values = [0.0, 1.0]
    if not years:
        years = [2020, 2025]
    x0, x1 = math.floor(min(years)), math.ceil(max(years))
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    y0, y1, ystep = _y_range(values)

    def sx(x: float) -> float:
        return round(left + (x - x0) / (x1 - x0) * pw, 1)

    def sy(y: float) -> float:
        return round(top + ph - (y - y0) / (y1 - y0) * ph, 1)

    out: list[str] = []
    labels: list[tuple[float, float, str, str, str]] = []
    desc = f"{data.title}（单位：{data.unit}）"
    out.append(
        f'<svg class="chart" id="{_e(chart_id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{_e(chart_id)}-title">'
        f'<title id="{_e(chart_id)}-title">{_e(desc)}</title>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    )
    # legend (top)
    lx, ly = left, 18
    out.append('<g class="legend" font-size="12">')
    out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" stroke="{BLUE}" stroke-width="2.5" stroke-dasharray="7 4"/>'
               f'<text x="{lx + 34}" y="{ly + 4}">目标路径</text>')
    lx += 98
    out.append(f'<rect x="{lx - 5}" y="{ly - 5}" width="10" height="10" fill="{BLUE}"/><text x="{lx + 10}" y="{ly + 4}">规划明确的年度目标</text>')
    lx += 142
    out.append(f'<path d="{_diamond(lx, ly, 7)}" fill="{BLUE}"/><text x="{lx + 11}" y="{ly + 4}">最终目标</text>')
    lx += 80
    out.append(f'<path d="{_diamond(lx, ly, 6)}" fill="{BLACK}"/><text x="{lx + 10}" y="{ly + 4}">基期值</text>')
    lx, ly = left, 38
    out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" stroke="{VERMILLION}" stroke-width="2.5"/>'
               f'<circle cx="{lx + 14}" cy="{ly}" r="4.5" fill="{VERMILLION}"/><text x="{lx + 34}" y="{ly + 4}">实际值（全年）</text>')
    lx += 140
    out.append(f'<circle cx="{lx}" cy="{ly}" r="4.5" fill="#ffffff" stroke="{VERMILLION}" stroke-width="2"/>'
               f'<text x="{lx + 10}" y="{ly + 4}">年内累计（未满一年）</text>')
    out.append("</g>")

    # axes and grid
    out.append('<g class="axes" font-size="12" fill="#333">')
    n = int(round((y1 - y0) / ystep))
    for i in range(n + 1):
        v = y0 + i * ystep
        y = sy(v)
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + pw}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{_e(fmt_number(v))}</text>')
    for yr in range(x0, x1 + 1):
        x = sx(yr)
        out.append(f'<line x1="{x}" y1="{top + ph}" x2="{x}" y2="{top + ph + 5}" stroke="#333"/>')
        out.append(f'<text x="{x}" y="{top + ph + 19}" text-anchor="middle">{yr}</text>')
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#333" stroke-width="1"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#333" stroke-width="1"/>')
    out.append(f'<text class="unit" x="{left - 6}" y="{top - 8}" text-anchor="end" font-size="12">单位：{_e(data.unit or "—")}</text>')
    out.append(f'<text x="{left + pw}" y="{top + ph + 36}" text-anchor="end" font-size="12">年份（年末值）</text>')
    out.append("</g>")

    # target paths: dashed, from the baseline through each plan year
    dashes = ["7 4", "3 3", "12 4 3 4"]
    for i, path in enumerate(data.paths):
        pts = sorted(path, key=lambda p: p.year)
        line_pts = []
        if data.baseline_value is not None and data.baseline_year is not None and pts and data.baseline_year < pts[0].year:
            line_pts.append((data.baseline_year, data.baseline_value))
        line_pts += [(p.year, p.value) for p in pts]
        if len(line_pts) >= 2:
            d = "M" + " L".join(f"{sx(x)},{sy(y)}" for x, y in line_pts)
            out.append(f'<path class="series-target" d="{d}" fill="none" stroke="{BLUE}" stroke-width="2.5" '
                       f'stroke-dasharray="{dashes[i % len(dashes)]}"/>')
        for p in pts:
            if p.milestone:
                out.append(f'<rect class="pt-milestone" x="{sx(p.year) - 5}" y="{sy(p.value) - 5}" width="10" height="10" fill="{BLUE}">'
                           f'<title>{p.year} 年目标 {_e(fmt_number(p.value))} {_e(data.unit)}</title></rect>')
            else:
                out.append(f'<circle class="pt-path" cx="{sx(p.year)}" cy="{sy(p.value)}" r="2.5" fill="{BLUE}">'
                           f'<title>{p.year} 年目标路径 {_e(fmt_number(p.value))} {_e(data.unit)}</title></circle>')

    # baseline
    if data.baseline_value is not None and data.baseline_year is not None:
        bx, by = sx(data.baseline_year), sy(data.baseline_value)
        out.append(f'<path class="pt-baseline" d="{_diamond(bx, by, 7)}" fill="{BLACK}">'
                   f'<title>基期 {data.baseline_year} 年 {_e(fmt_number(data.baseline_value))} {_e(data.unit)}</title></path>')
        labels.append((bx + 9, by + 16, f"基期 {fmt_number(data.baseline_value)}", "start", BLACK))

    # final target
    if data.final_value is not None and data.final_year is not None:
        fx, fy = sx(data.final_year), sy(data.final_value)
        q = _QUALIFIER.get(data.qualifier or "", "")
        out.append(f'<path class="pt-final" d="{_diamond(fx, fy, 9)}" fill="{BLUE}" stroke="#ffffff" stroke-width="1.5">'
                   f'<title>{data.final_year} 年最终目标 {_e(q + fmt_number(data.final_value))} {_e(data.unit)}</title></path>')
        labels.append((fx - 12, fy + 20, f"目标 {q}{fmt_number(data.final_value)}", "end", BLUE))

    # actuals: full years joined by a solid line; year-to-date points hollow and apart
    full = sorted((a for a in data.actuals if not a.ytd), key=lambda a: a.year)
    ytd = [a for a in data.actuals if a.ytd]
    if len(full) >= 2:
        d = "M" + " L".join(f"{sx(a.x)},{sy(a.value)}" for a in full)
        out.append(f'<path class="series-actual" d="{d}" fill="none" stroke="{VERMILLION}" stroke-width="2.5"/>')
    for a in full:
        out.append(f'<circle class="pt-actual" cx="{sx(a.x)}" cy="{sy(a.value)}" r="5" fill="{VERMILLION}">'
                   f'<title>{_e(a.period or a.year)} 实际 {_e(fmt_number(a.value))} {_e(data.unit)}</title></circle>')
        labels.append((sx(a.x) + 8, sy(a.value) - 8, fmt_number(a.value), "start", VERMILLION))
    for a in ytd:
        out.append(f'<circle class="pt-ytd" cx="{sx(a.x)}" cy="{sy(a.value)}" r="5.5" fill="#ffffff" stroke="{VERMILLION}" stroke-width="2.2">'
                   f'<title>{_e(a.period)} 年内累计 {_e(fmt_number(a.value))} {_e(data.unit)}</title></circle>')
        labels.append((sx(a.x) - 8, sy(a.value) - 9, f"{a.year}年{a.months_label} {fmt_number(a.value)}", "end", VERMILLION))

    placed: list[tuple[float, float, float, float]] = []
    for x, y, text, anchor, colour in labels:
        w = _text_width(text)
        for dy in (0, 15, -15, 30, -30, 45, -45):
            yy = min(max(y + dy, top + 10), top + ph - 2)
            box = (x - w if anchor == "end" else x, yy - 11, w, 14)
            if not any(_overlap(box, other) for other in placed):
                break
        placed.append(box)
        out.append(_label(x, yy, text, anchor, colour))
    out.append("</svg>")
    return Markup("".join(out))


def _text_width(text: str, size: float = 12) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{x},{y - r} L{x + r},{y} L{x},{y + r} L{x - r},{y} Z"


def _label(x: float, y: float, text: str, anchor: str, colour: str) -> str:
    # white halo so labels stay readable over lines
    return (f'<text class="label" x="{x}" y="{y}" text-anchor="{anchor}" font-size="12" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_e(text)}</text>')
