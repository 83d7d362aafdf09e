"""Geometry for the server-rendered SVG charts (no script, no library): findings by category
and severity, the payer × product line matrix of open high-severity findings, and the
deadlines timeline. The templates draw what these compute; every chart also has a table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from service.web.render import SEVERITY_ORDER, humanise

# ---- findings by category and severity ----------------------------------------------------


@dataclass(frozen=True)
class BarSegment:
    severity: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class BarRow:
    category: str
    label: str
    href: str
    y: float
    total: int
    counts: dict[str, int]
    segments: list[BarSegment]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int
    rows: list[BarRow]
    max_total: int
    ticks: list[tuple[float, int]] = field(default_factory=list)


def bar_chart(by_category: Mapping[str, Mapping[str, int]]) -> BarChart:
    label_width, bar_width, row_height, top = 230, 440, 26, 28
    ordered = sorted(
        by_category.items(),
        key=lambda item: (-item[1].get("high", 0), -sum(item[1].values()), item[0]),
    )
    max_total = max((sum(c.values()) for _, c in ordered), default=0) or 1
    scale = bar_width / max_total
    rows: list[BarRow] = []
    for i, (category, counts) in enumerate(ordered):
        x = float(label_width)
        segments = []
        for severity in SEVERITY_ORDER:
            n = counts.get(severity, 0)
            if n:
                segments.append(BarSegment(severity, x, n * scale, n))
                x += n * scale
        rows.append(
            BarRow(
                category=category,
                label=humanise(category),
                href="/contracts?" + urlencode({"category": category}),
                y=top + i * row_height,
                total=sum(counts.values()),
                counts={s: counts.get(s, 0) for s in SEVERITY_ORDER},
                segments=segments,
            )
        )
    step = _nice_step(max_total)
    ticks = [(label_width + v * scale, v) for v in range(0, max_total + 1, step)]
    return BarChart(
        width=label_width + bar_width + 110,
        height=top + len(rows) * row_height + 8,
        label_width=label_width,
        bar_width=bar_width,
        row_height=row_height,
        rows=rows,
        max_total=max_total,
        ticks=ticks,
    )


def _nice_step(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if maximum / step <= 8:
            return step
    return max(1, maximum // 8)


# ---- payer × product line matrix ----------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    x: float
    y: float
    count: int
    fill: str
    href: str
    label: str  # for the cell's tooltip and screen readers


@dataclass(frozen=True)
class Matrix:
    width: int
    height: int
    label_width: int
    cell_width: int
    cell_height: int
    top: int
    payers: list[str]
    columns: list[tuple[str, str]]  # (product line, label)
    cells: list[MatrixCell]
    table: list[tuple[str, list[int]]]
    max_count: int


NO_PRODUCT_LINE = ""
UNKNOWN_PAYER = "(payer not found)"


def matrix(entries: list[tuple[str | None, list[str], int]]) -> Matrix:
    """``entries``: (payer, product lines, open high-severity findings) per contract. A
    contract counts in the column of each product line it covers."""
    grid: dict[tuple[str, str], int] = {}
    payers: set[str] = set()
    lines: set[str] = set()
    for payer, product_lines, n in entries:
        name = payer or UNKNOWN_PAYER
        payers.add(name)
        for line in product_lines or [NO_PRODUCT_LINE]:
            lines.add(line)
            grid[(name, line)] = grid.get((name, line), 0) + n
    payer_list = sorted(payers, key=str.lower)
    columns = [(line, humanise(line) or "No product line") for line in sorted(lines)]
    label_width, cell_width, cell_height, top = 250, 96, 34, 110
    max_count = max(grid.values(), default=0)
    cells: list[MatrixCell] = []
    table: list[tuple[str, list[int]]] = []
    for r, payer in enumerate(payer_list):
        row: list[int] = []
        for c, (line, line_label) in enumerate(columns):
            n = grid.get((payer, line), 0)
            row.append(n)
            if (payer, line) not in grid:
                continue
            fill = heat(n, max_count)
            params = {"severity": "high", "review_state": "open"}
            if payer != UNKNOWN_PAYER:
                params["payer"] = payer
            if line:
                params["product_line"] = line
            cells.append(
                MatrixCell(
                    x=label_width + c * cell_width,
                    y=top + r * cell_height,
                    count=n,
                    fill=fill,
                    href="/contracts?" + urlencode(params),
                    label=f"{payer}, {line_label}: {n} open high-severity",
                )
            )
        table.append((payer, row))
    return Matrix(
        width=label_width + max(1, len(columns)) * cell_width + 130,  # room for slanted labels
        height=top + len(payer_list) * cell_height + 10,
        label_width=label_width,
        cell_width=cell_width,
        cell_height=cell_height,
        top=top,
        payers=payer_list,
        columns=columns,
        cells=cells,
        table=table,
        max_count=max_count,
    )


def heat(n: int, maximum: int) -> str:
    """A cell's fill from pale to deep red by ``n`` (the count itself is printed on a white
    label, so it keeps its contrast whatever the fill)."""
    if n <= 0 or maximum <= 0:
        return "#f3f5f7"
    t = 0.25 + 0.75 * n / maximum
    light, dark = (0xFB, 0xE3, 0xE6), (0x8E, 0x10, 0x21)
    rgb = tuple(round(a + (b - a) * t) for a, b in zip(light, dark, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# ---- deadlines timeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    contract_id: str
    label: str
    full_label: str
    y: float
    window: tuple[float, float] | None  # renegotiation window, x from/to
    notice_x: float | None
    term_end_x: float | None
    notice: date | None
    term_end: date | None
    window_dates: tuple[date, date] | None
    passed: bool
    missed_x: float | None = None
    missed: date | None = None


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    plot_width: int
    top: int
    row_height: int
    today_x: float
    ticks: list[tuple[float, str]]
    rows: list[TimelineRow]


@dataclass(frozen=True)
class TimelineItem:
    contract_id: str
    title: str
    notice: date | None
    window: tuple[date, date] | None
    term_end: date | None
    missed: date | None = None  # a notice deadline that passed (the contract renewed)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def timeline(items: list[TimelineItem], today: date) -> Timeline:
    label_width, plot_width, top, row_height = 260, 700, 34, 30
    dates = [today]
    for item in items:
        dates += [d for d in (item.notice, item.term_end, item.missed) if d]
        if item.window:
            dates += list(item.window)
    start = _month_start(min(dates))
    end = _next_month(max(dates))
    span = max(1, (end - start).days)

    def x(d: date) -> float:
        return round(label_width + (d - start).days / span * plot_width, 1)

    months = []
    cursor = start
    while cursor <= end:
        months.append(cursor)
        cursor = _next_month(cursor)
    every = 1 if len(months) <= 14 else 3 if len(months) <= 40 else 12
    ticks = [(x(m), f"{m:%b %Y}") for i, m in enumerate(months) if i % every == 0]
    if len(ticks) > 1 and ticks[-1][0] > label_width + plot_width - 30:
        ticks[-1] = (ticks[-1][0], "")  # no room for the last label: keep its grid line
    rows = []
    for i, item in enumerate(items):
        label = item.title if len(item.title) <= 34 else item.title[:33] + "…"
        rows.append(
            TimelineRow(
                contract_id=item.contract_id,
                label=label,
                full_label=item.title,
                y=top + i * row_height,
                window=(x(item.window[0]), x(item.window[1])) if item.window else None,
                notice_x=x(item.notice) if item.notice else None,
                term_end_x=x(item.term_end) if item.term_end else None,
                notice=item.notice,
                term_end=item.term_end,
                window_dates=item.window,
                passed=bool(item.notice and item.notice < today),
                missed_x=x(item.missed) if item.missed else None,
                missed=item.missed,
            )
        )
    return Timeline(
        width=label_width + plot_width + 60,
        height=top + len(items) * row_height + 10,
        label_width=label_width,
        plot_width=plot_width,
        top=top,
        row_height=row_height,
        today_x=x(today),
        ticks=ticks,
        rows=rows,
    )
