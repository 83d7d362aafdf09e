"""Ruled tables from a page's vector rules, read through pdfium.

The same geometry pdfplumber's "lines" strategy uses, without its character model: the page's
horizontal and vertical rules (path lines and rectangle edges) are snapped and joined, their
crossings found, each cell taken as the smallest rectangle whose four corners are crossings
joined by rules, and the cells that share corners make a table. Characters go to the cell that
holds their centre. pdfplumber stays the fallback for a page where this finds no table.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.model import BBox, Cell, Table

SNAP = 3.0  # rules this close are one rule (pdfplumber's snap and join tolerance)
STRAIGHT = 1.0  # a segment this far from level or plumb is neither


@dataclass(frozen=True)
class Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one (shown frame, top-left origin)
    start: float
    end: float


def path_rules(
    obj: pdfium.PdfObject, to_shown: Callable[[float, float], tuple[float, float]]
) -> list[Rule]:
    """The straight level or plumb pieces of one path object, in the page's shown frame."""
    a, b, c, d, e, f = obj.get_matrix().get()
    points: list[tuple[int, float, float, bool]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        points.append((kind, *to_shown(px, py), bool(pdfium_c.FPDFPathSegment_GetClose(segment))))
    rules: list[Rule] = []
    start: tuple[float, float] | None = None
    last: tuple[float, float] | None = None
    for kind, px, py, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = last = (px, py)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
            rules.extend(_rule(last, (px, py)))
        last = (px, py)
        if closes and start is not None:
            rules.extend(_rule(last, start))
    return rules


def _rule(p: tuple[float, float], q: tuple[float, float]) -> list[Rule]:
    if abs(p[1] - q[1]) <= STRAIGHT and abs(p[0] - q[0]) > STRAIGHT:
        return [Rule(True, (p[1] + q[1]) / 2, min(p[0], q[0]), max(p[0], q[0]))]
    if abs(p[0] - q[0]) <= STRAIGHT and abs(p[1] - q[1]) > STRAIGHT:
        return [Rule(False, (p[0] + q[0]) / 2, min(p[1], q[1]), max(p[1], q[1]))]
    return []


def find_ruled_tables(
    rules: Iterable[Rule], chars: Sequence[tuple[str, BBox]], page: int
) -> list[Table]:
    horizontal = _joined([r for r in rules if r.horizontal])
    vertical = _joined([r for r in rules if not r.horizontal])
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    crossings = {
        (v.at, h.at)
        for h in horizontal
        for v in vertical
        if h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP
    }
    cells = _cells(crossings, horizontal, vertical)
    tables = []
    for group in _groups(cells):
        table = _table(group, chars, page)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0]))


def _joined(rules: list[Rule]) -> list[Rule]:
    """Rules at (nearly) the same position snapped together, and overlapping pieces joined."""
    rules = sorted(rules, key=lambda r: r.at)
    rows: list[list[Rule]] = []
    for rule in rules:
        if rows and rule.at - rows[-1][0].at <= SNAP:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    out: list[Rule] = []
    for row in rows:
        at = sum(r.at for r in row) / len(row)
        pieces = sorted((r.start, r.end) for r in row)
        start, end = pieces[0]
        for s, e in pieces[1:]:
            if s <= end + SNAP:
                end = max(end, e)
            else:
                out.append(Rule(row[0].horizontal, at, start, end))
                start, end = s, e
        out.append(Rule(row[0].horizontal, at, start, end))
    return out


def _covers(rules: list[Rule], at: float, a: float, b: float) -> bool:
    return any(abs(r.at - at) <= SNAP and r.start - SNAP <= a and r.end + SNAP >= b for r in rules)


def _cells(
    crossings: set[tuple[float, float]], horizontal: list[Rule], vertical: list[Rule]
) -> list[BBox]:
    """For each crossing, the smallest rectangle to its right and below whose corners are
    crossings and whose sides are ruled."""
    by_row: dict[float, list[float]] = defaultdict(list)
    by_col: dict[float, list[float]] = defaultdict(list)
    for x, y in crossings:
        by_row[y].append(x)
        by_col[x].append(y)
    for values in (*by_row.values(), *by_col.values()):
        values.sort()
    cells = []
    for x, y in sorted(crossings, key=lambda p: (p[1], p[0])):
        found = None
        for right in (rx for rx in by_row[y] if rx > x):
            if not _covers(horizontal, y, x, right):
                break
            for below in (by for by in by_col[x] if by > y):
                if not _covers(vertical, x, y, below):
                    break
                if (
                    (right, below) in crossings
                    and _covers(vertical, right, y, below)
                    and _covers(horizontal, below, x, right)
                ):
                    found = (x, y, right, below)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _groups(cells: list[BBox]) -> list[list[BBox]]:
    """Cells that share a corner belong to one table."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for corner in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            if corner in owner:
                parent[root(i)] = root(owner[corner])
            else:
                owner[corner] = i
    groups: dict[int, list[BBox]] = defaultdict(list)
    for i, cell in enumerate(cells):
        groups[root(i)].append(cell)
    return list(groups.values())


def _table(cells: list[BBox], chars: Sequence[tuple[str, BBox]], page: int) -> Table | None:
    tops = sorted({c[1] for c in cells})
    lefts = sorted({c[0] for c in cells})
    if len(tops) < 2 or len(lefts) < 2:
        return None
    texts: dict[BBox, list[str]] = {cell: [] for cell in cells}
    at = {(cell[1], cell[0]): cell for cell in cells}
    for char, (x0, top, x1, bottom) in chars:
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        row, col = bisect_right(tops, cy) - 1, bisect_right(lefts, cx) - 1
        if row < 0 or col < 0:
            continue  # above or left of the table
        # The grid position's own cell; a cell merged over several positions is searched for.
        cell = at.get((tops[row], lefts[col]))
        if cell is None or not (cell[2] >= cx and cell[3] >= cy):
            cell = next((c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)
        if cell is not None:
            texts[cell].append(char)
    out = tuple(
        Cell(
            row=tops.index(cell[1]),
            col=lefts.index(cell[0]),
            text=" ".join("".join(texts[cell]).split()),
            bbox=cell,
            is_header=tops.index(cell[1]) == 0,
        )
        for cell in sorted(cells, key=lambda c: (c[1], c[0]))
    )
    bbox = (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )
    return Table(page=page, bbox=bbox, n_rows=len(tops), n_cols=len(lefts), cells=out)
