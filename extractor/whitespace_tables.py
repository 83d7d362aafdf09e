"""Tables drawn without ruling lines, found from how their words line up.

Fee schedules are often typeset with tab stops or spaces, and every OCR'd table is one (the
scan's lines are pixels, not paths). Such a table shows as a run of lines whose words fall into
the same columns, separated by gutters of white space, with money, percents or billing codes in
most rows. Prose never has gutters that run down several lines, and a two-column signature block
holds no prices, so both requirements together keep paragraphs out.

Layout within the run:
- the lines before the first priced row are the header (a header may wrap over two lines);
- a one-cell line just below a row, closer than rows are to each other, is that row's wrapped
  description; any other one-cell line is a section row ("Radiology").
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.model import BBox, Cell, Table

# A cell that prices something or names a billing code: what makes a line a table row.
PRICED = re.compile(
    r"^\(?\$\s?\d[\d,]*(\.\d{1,2})?\)?\*?$"  # $1,234.50
    r"|^\d[\d,]*\.\d{2}\*?$"  # 1234.50
    r"|^\d+(\.\d+)?\s?%$"  # 110%
    r"|^([0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4})(\s?-\s?[A-Z0-9]{2})?$"  # 99213, J1885, 99213-26
    r"|^0[0-9]{3}$"  # revenue code 0191
    r"|^(by\s+report|not\s+covered|n/a|per\s+medicare|individual\s+consideration)$",  # unpriced
    re.IGNORECASE,
)
# A scanned table's vertical rules come out of OCR as "|" words: they separate cells.
RULE_GLYPH = re.compile(r"^[|¦]+$")
RULE_IN_TEXT = re.compile(r"(^|\s)[|¦](\s|$)")
MIN_PRICED_ROWS = 3
# A typed rule under a header ("-------- ---------"), not a row.
RULE_LINE = re.compile(r"^[\s\-_=–—]+$")


@dataclass(frozen=True)
class Word:
    """A run of text on one line with its box (top-left origin): a pdfium text rectangle or an
    OCR'd word."""

    text: str
    bbox: BBox


@dataclass(frozen=True)
class _Chunk:
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class _Line:
    chunks: tuple[_Chunk, ...]
    top: float
    bottom: float

    @property
    def priced(self) -> bool:
        return len(self.chunks) >= 2 and any(PRICED.match(c.text) for c in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1


def find_whitespace_tables(
    lines: Sequence[Sequence[Word]],
    page: int,
    page_width: float,
) -> list[Table]:
    """``lines`` are the page's lines top to bottom, each its words left to right."""
    parsed = [_to_line(words) for words in lines if words]
    tables = []
    for run in _runs([p for p in parsed if p is not None], page_width):
        table = _to_table(run, page)
        if table is not None:
            tables.append(table)
    return tables


def _to_line(words: Sequence[Word]) -> _Line | None:
    """Words closer than one and a half line heights are one chunk (one cell's text)."""
    ordered = sorted(words, key=lambda w: w.bbox[0])
    # The line's full height, not a word's: OCR boxes hug the glyphs, so "to" or "-" would
    # make a small word gap look like a gutter.
    height = max(max(w.bbox[3] for w in ordered) - min(w.bbox[1] for w in ordered), 1.0)
    chunks: list[_Chunk] = []
    after_rule = False
    for word in ordered:
        if RULE_GLYPH.match(word.text.strip()):
            after_rule = True
            continue
        for text, x0, x1 in _split_spaced(word):
            if chunks and not after_rule and x0 - chunks[-1].x1 <= 1.5 * height:
                last = chunks[-1]
                chunks[-1] = _Chunk(f"{last.text} {text}", last.x0, max(last.x1, x1))
            else:
                chunks.append(_Chunk(text, x0, x1))
            after_rule = False
    if not chunks:
        return None
    top = min(w.bbox[1] for w in ordered)
    bottom = max(w.bbox[3] for w in ordered)
    return _Line(tuple(chunks), top, bottom)


def _split_spaced(word: Word) -> list[tuple[str, float, float]]:
    """A run typed with several spaces between cells ("99213    $85.00") is split there, the
    parts' positions estimated from their share of the characters."""
    text = word.text
    x0, x1 = word.bbox[0], word.bbox[2]
    if "  " not in text.strip() and not RULE_IN_TEXT.search(text):
        return [(text.strip(), x0, x1)] if text.strip() else []
    per_char = (x1 - x0) / max(len(text), 1)
    parts = []
    # Cells end at two spaces or at an OCR'd rule ("Code | Level of Care").
    for match in re.finditer(r"[^\s|¦]+(?: [^\s|¦]+)*", text):
        parts.append((match.group(), x0 + match.start() * per_char, x0 + match.end() * per_char))
    return parts


def _runs(lines: list[_Line], page_width: float) -> list[list[_Line]]:
    """Maximal runs of table-like lines: priced rows, headers and narrow one-cell lines, with no
    wide paragraph line or large vertical gap between them."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []

    def close() -> None:
        trimmed = _trim(current)
        if sum(line.priced for line in trimmed) >= MIN_PRICED_ROWS:
            runs.append(trimmed)
        current.clear()

    for line in lines:
        height = line.bottom - line.top
        if current and line.top - current[-1].bottom > 2.5 * max(height, 6.0):
            close()
        if len(line.chunks) >= 2 or (line.x1 - line.x0) < 0.55 * page_width:
            current.append(line)
        else:
            close()
    close()
    return runs


def _trim(run: list[_Line]) -> list[_Line]:
    """Drop one-cell lines before the header and after the last priced row (captions, notes)."""
    start = next((i for i, line in enumerate(run) if len(line.chunks) >= 2), len(run))
    end = max((i for i, line in enumerate(run) if line.priced), default=-1)
    return run[start : end + 1]


def _to_table(run: list[_Line], page: int) -> Table | None:
    columns = _columns([line for line in run if line.priced])
    if len(columns) < 2:
        return None
    run = [line for line in run if not RULE_LINE.match(" ".join(c.text for c in line.chunks))]
    first_priced = next(i for i, line in enumerate(run) if line.priced)
    header_lines = run[:first_priced]
    body = run[first_priced:]
    # A one-cell line just above the first row titles a section ("ANATOMIC PATHOLOGY").
    while header_lines and len(header_lines[-1].chunks) == 1 and len(header_lines) > 1:
        body.insert(0, header_lines.pop())
    pitches = [b.top - a.top for a, b in zip(body, body[1:], strict=False) if b.priced and a.priced]
    row_pitch = statistics.median(pitches) if pitches else None

    rows: list[list[str]] = []
    boxes: list[BBox] = []
    if header_lines:
        header = [""] * len(columns)
        for line in header_lines:
            for col, text in _assign(line, columns).items():
                header[col] = f"{header[col]} {text}".strip()
        rows.append(header)
        boxes.append(_box(header_lines))
    previous: _Line | None = None
    for line in body:
        cells = _assign(line, columns)
        # One cell below a row: in a later column it is that row's wrapped text; in the
        # first column, a section row, unless it sits closer than rows do.
        wrapped = (
            len(line.chunks) == 1
            and previous is not None
            and (
                next(iter(cells)) > 0
                or (row_pitch is not None and line.top - previous.top < 0.8 * row_pitch)
            )
        )
        if wrapped and rows:
            col = next(iter(cells))
            rows[-1][col] = f"{rows[-1][col]} {cells[col]}".strip()
            boxes[-1] = _union(boxes[-1], _box([line]))
        else:
            rows.append([cells.get(i, "") for i in range(len(columns))])
            boxes.append(_box([line]))
        previous = line
    if len(rows) < 2:
        return None
    has_header = bool(header_lines)
    table_cells = tuple(
        Cell(
            row=r,
            col=c,
            text=text,
            bbox=(columns[c][0], boxes[r][1], columns[c][1], boxes[r][3]),
            is_header=has_header and r == 0,
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )
    bbox = (
        min(line.x0 for line in run),
        run[0].top,
        max(line.x1 for line in run),
        run[-1].bottom,
    )
    return Table(page=page, bbox=bbox, n_rows=len(rows), n_cols=len(columns), cells=table_cells)


def _columns(rows: list[_Line]) -> list[tuple[float, float]]:
    """Column extents: the x-ranges covered by the priced rows' chunks, split at the gutters
    (x-ranges no chunk of those rows covers)."""
    spans = sorted((c.x0, c.x1) for line in rows for c in line.chunks)
    columns: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 1.0:
            columns[-1] = (columns[-1][0], max(columns[-1][1], x1))
        else:
            columns.append((x0, x1))
    return columns


def _assign(line: _Line, columns: list[tuple[float, float]]) -> dict[int, str]:
    """Each chunk to the column it overlaps most (or the nearest one)."""
    cells: dict[int, str] = {}
    for chunk in line.chunks:
        col = max(
            range(len(columns)),
            key=lambda i: (
                min(chunk.x1, columns[i][1]) - max(chunk.x0, columns[i][0]),
                -abs((chunk.x0 + chunk.x1) / 2 - (columns[i][0] + columns[i][1]) / 2),
            ),
        )
        cells[col] = f"{cells.get(col, '')} {chunk.text}".strip()
    return cells


def _box(lines: Sequence[_Line]) -> BBox:
    return (
        min(line.x0 for line in lines),
        min(line.top for line in lines),
        max(line.x1 for line in lines),
        max(line.bottom for line in lines),
    )


def _union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
