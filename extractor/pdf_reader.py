"""PDF bytes to positioned text lines and table grids (the only module that opens PDFs with
pdfium and pdfplumber).

Text is read through pdfium (pypdfium2): its text rectangles give one run of text per line
segment with a box, about two orders of magnitude faster than pdfplumber's character model.
Ruled tables come from pdfium's path objects (``ruled_tables.py``); pdfplumber is opened only
for a page whose rules pdfium could not turn into a table, and each of its pages is closed after
use so memory stays flat with document length. Tables without rules come from word alignment
(``whitespace_tables.py``), and pages without a usable text layer from OCR (``ocr.py``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor import errors
from extractor.errors import InputError, LimitError
from extractor.model import BBox, Cell, PageInfo, Problem, SourceInfo, Table, TextLine
from extractor.ocr import OcrSettings, ocr_pages, pages_pdf
from extractor.ruled_tables import Rule, find_ruled_tables, path_rules
from extractor.whitespace_tables import Word, find_whitespace_tables

log = logging.getLogger(__name__)

# pdfium reports a line-end hyphen it judges soft as U+0002 (in rectangles) or U+FFFE (in ranges).
SOFT_HYPHENS = ("\x02", "\ufffe")


@dataclass(frozen=True)
class ReaderSettings:
    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 1000
    extract_tables: bool = True
    # A page with fewer characters than this but with images is treated as having no text layer.
    min_text_chars: int = 20
    # Pages with at least this many vector path objects are searched for ruled tables.
    min_paths_for_tables: int = 4
    # pdfium reads text; "pdfplumber" re-reads every page's lines with pdfplumber instead
    # (slow: for checking that the fast path finds the same things).
    text_engine: Literal["pdfium", "pdfplumber"] = "pdfium"
    # Tables typeset without ruling lines (and every OCR'd table), found from word alignment.
    whitespace_tables: bool = True
    # Ruled tables from pdfium's path objects (pdfplumber only where that finds none), or from
    # pdfplumber on every candidate page (slower; for comparison).
    ruled_tables: Literal["pdfium", "pdfplumber"] = "pdfium"
    ocr: OcrSettings = field(default_factory=OcrSettings)

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_pages <= 0:
            raise ValueError("limits must be positive")
        if self.min_text_chars < 0 or self.min_paths_for_tables < 1:
            raise ValueError("thresholds must be non-negative")


@dataclass(frozen=True)
class RawPage:
    info: PageInfo
    lines: tuple[TextLine, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class ReadResult:
    source: SourceInfo
    pages: tuple[RawPage, ...]
    problems: tuple[Problem, ...]


def read_pdf(path: Path, settings: ReaderSettings | None = None) -> ReadResult:
    """Read every page of ``path``; raise ``InputError``/``LimitError`` when nothing can be read."""
    settings = settings or ReaderSettings()
    data = _read_bytes(path, settings)
    source_sha = hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []
    pdf = _open_pdfium(data, problems)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise InputError("The PDF has no pages.", code=errors.INPUT_EMPTY)
        if n_pages > settings.max_pages:
            raise LimitError(
                f"The PDF has {n_pages} pages; the limit is {settings.max_pages}.",
                code=errors.LIMIT_TOO_MANY_PAGES,
            )
        pages, table_pages = _read_pdfium_pages(pdf, range(n_pages), settings)
    finally:
        pdf.close()
    confidence: dict[int, float] = {}
    scanned = [p.info.number for p in pages if not p.info.has_text_layer]
    if scanned and settings.ocr.enabled:
        pages, confidence = _ocr(data, pages, scanned, settings, problems)
    for raw in pages:
        if not raw.info.has_text_layer:
            problems.append(
                Problem(
                    errors.PAGE_NO_TEXT_LAYER,
                    f"Page {raw.info.number} has no usable text layer (a scan, or text "
                    "in a font that cannot be read)"
                    + (" and OCR found no text on it" if raw.info.number in confidence else "")
                    + "; it was not analysed.",
                    page=raw.info.number,
                )
            )
    if settings.extract_tables and table_pages:
        tables = _read_tables(data, table_pages, problems)
        pages = [_with_ruled_tables(p, tables.get(p.info.number - 1, ())) for p in pages]
    if settings.text_engine == "pdfplumber":
        pages = _plumber_lines(data, pages, skip=set(confidence))
    ocr_done = tuple(sorted(n for n in confidence if pages[n - 1].info.has_text_layer))
    source = SourceInfo(
        path=str(path),
        sha256=source_sha,
        pages=len(pages),
        ocr_pages=ocr_done,
        ocr_confidence=(sum(confidence[n] for n in ocr_done) / len(ocr_done) if ocr_done else None),
    )
    return ReadResult(source=source, pages=tuple(pages), problems=tuple(problems))


def inspect_pdf(path: Path, settings: ReaderSettings | None = None) -> int:
    """The page count of a PDF that ``read_pdf`` would accept, without reading its pages: the
    same ``InputError``/``LimitError`` codes for a file that is not a PDF, encrypted,
    truncated beyond repair, empty or over the limits (an upload's check before it is kept)."""
    settings = settings or ReaderSettings()
    data = _read_bytes(path, settings)
    pdf = _open_pdfium(data, [])
    try:
        n_pages = len(pdf)
    finally:
        pdf.close()
    if n_pages == 0:
        raise InputError("The PDF has no pages.", code=errors.INPUT_EMPTY)
    if n_pages > settings.max_pages:
        raise LimitError(
            f"The PDF has {n_pages} pages; the limit is {settings.max_pages}.",
            code=errors.LIMIT_TOO_MANY_PAGES,
        )
    return n_pages


def inspect_document(path: Path, settings: ReaderSettings | None = None) -> int:
    """The page count of a PDF or Word .docx that the analyzer would read (the reader chosen
    by content, as ``Analyzer.analyze_path`` does), without analysing it; the same
    ``InputError``/``LimitError`` codes otherwise (``input.zip_bomb``,
    ``input.unsupported_type`` too for a .docx). A .docx's pages are the ones its page
    breaks mark (``extractor.docx_reader``)."""
    from extractor import docx_reader  # it builds on this module: imported when needed

    if docx_reader.wants_docx_reader(path):
        return docx_reader.inspect_docx(path, settings)
    return inspect_pdf(path, settings)


def _read_bytes(path: Path, settings: ReaderSettings) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"No such file: {path}", code=errors.INPUT_NOT_FOUND) from None
    if path.is_dir():
        raise InputError(
            f"{path} is a directory, not a PDF or DOCX file.", code=errors.INPUT_NOT_PDF
        )
    if size > settings.max_bytes:
        raise LimitError(
            f"The file is {size:,} bytes; the limit is {settings.max_bytes:,}.",
            code=errors.LIMIT_TOO_MANY_BYTES,
        )
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise InputError(
            "The file is not a PDF (no %PDF header) nor a Word .docx document; payerlens "
            "reads PDF and DOCX files.",
            code=errors.INPUT_NOT_PDF,
        )
    return data


def _open_pdfium(data: bytes, problems: list[Problem]) -> pdfium.PdfDocument:
    has_eof = b"%%EOF" in data[-2048:]
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium's last-error code can be stale from an earlier failed load, so each verdict
        # is confirmed from the bytes themselves.
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise InputError(
                "The PDF is encrypted with a password; remove the password and try again.",
                code=errors.INPUT_ENCRYPTED,
            ) from None
        if has_eof and _page_count(data) == 0:
            raise InputError("The PDF has no pages.", code=errors.INPUT_EMPTY) from None
        if not has_eof:
            raise InputError(
                "The PDF is truncated (it ends before its end-of-file marker).",
                code=errors.INPUT_TRUNCATED,
            ) from None
        raise InputError(
            "The PDF is damaged and cannot be read.", code=errors.INPUT_CORRUPT
        ) from None
    if not has_eof:
        problems.append(
            Problem(
                errors.INPUT_TRUNCATED,
                "The PDF is truncated; pages that survived were read.",
            )
        )
    return pdf


def _page_count(data: bytes) -> int | None:
    try:
        with _plumber(data) as pdf:
            return len(pdf.pages)
    except Exception:  # pdfminer raises many types on damaged files
        return None


def _read_pdfium_pages(
    pdf: pdfium.PdfDocument, indexes: Iterable[int], settings: ReaderSettings
) -> tuple[list[RawPage], list[int]]:
    """Read pages one at a time (each closed after use); also return the pages whose vector
    paths may draw a ruled table."""
    pages: list[RawPage] = []
    table_pages: list[int] = []
    for index in indexes:
        page = pdf[index]
        try:
            raw, wants_tables = _read_pdfium_page(page, index + 1, settings)
        finally:
            page.close()
        pages.append(raw)
        if wants_tables:
            table_pages.append(index)
    return pages, table_pages


def _read_pdfium_page(
    page: pdfium.PdfPage, number: int, settings: ReaderSettings, ocr: bool = False
) -> tuple[RawPage, bool]:
    width, height = page.get_size()
    shown = _ShownFrame(page)
    textpage = page.get_textpage()
    ruled: tuple[Table, ...] = ()
    try:
        char_count = textpage.count_chars()
        chars = _PageChars(textpage, shown)
        segments = list(_segments(textpage, shown, chars, by_chars=ocr))
        has_images = False
        rules = _Rules()
        lines_drawn: list[Rule] = []
        if not ocr and (char_count < settings.min_text_chars or settings.extract_tables):
            for obj in page.get_objects(max_depth=1):
                kind = obj.type
                if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    has_images = True
                elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and settings.extract_tables:
                    rules.add(obj.get_bounds())
                    if settings.ruled_tables == "pdfium":
                        lines_drawn.extend(path_rules(obj, shown.point))
        wants_tables = rules.may_hold_table(settings.min_paths_for_tables)
        if wants_tables and lines_drawn:
            ruled = tuple(find_ruled_tables(lines_drawn, chars(), number))
    finally:
        textpage.close()
    # An OCR'd page keeps its scan as an image: only its new text decides. Text that is mostly
    # unmapped glyphs (a font without a Unicode map) is no text layer either: OCR reads the page.
    readable = usable_share(segments) >= MIN_USABLE_SHARE
    has_text = readable and (char_count >= settings.min_text_chars or (not has_images and not ocr))
    info = PageInfo(
        number=number,
        width=float(width),
        height=float(height),
        rotation=int(page.get_rotation()),
        char_count=char_count,
        has_text_layer=has_text,
    )
    groups = group_lines(segments) if has_text else []
    lines = tuple(_to_text_line(group, number) for group in groups)
    tables: tuple[Table, ...] = ()
    if has_text and settings.extract_tables and settings.whitespace_tables:
        tables = tuple(find_whitespace_tables(groups, number, float(width)))
    raw = RawPage(info, lines, tables)
    if ruled:  # pdfium read the grid: pdfplumber is not needed on this page
        return _with_ruled_tables(raw, ruled), False
    return raw, wants_tables


Chars = list[tuple[str, BBox]]


class _PageChars:
    """Every character of a page with its box in the shown frame (line ends kept), read from
    pdfium once, when first asked for: by the segmenter or by the ruled-table reader."""

    def __init__(self, textpage: pdfium.PdfTextPage, shown: _ShownFrame) -> None:
        self._textpage, self._shown = textpage, shown
        self._chars: Chars | None = None

    def __call__(self) -> Chars:
        if self._chars is None:
            text = self._textpage.get_text_range()
            self._chars = [
                (char, self._shown.box(self._textpage.get_charbox(index)))
                for index, char in enumerate(text)
            ]
        return self._chars


def _ocr(
    data: bytes,
    pages: list[RawPage],
    scanned: list[int],
    settings: ReaderSettings,
    problems: list[Problem],
) -> tuple[list[RawPage], dict[int, float]]:
    """OCR the scanned pages and re-read them from the OCR'd PDF; on failure keep the
    original (the pages stay without text, and the reason is a problem). Only the scanned pages
    are handed to ocrmypdf, copied into a PDF of their own, so one scanned exhibit in a long
    digital contract costs one page of OCR and nothing for the rest."""
    subset = pages_pdf(data, scanned)
    result = ocr_pages(subset, range(1, len(scanned) + 1), settings.ocr, labels=scanned)
    problems.extend(result.problems)
    if result.pdf is None:
        return pages, {}
    pdf = pdfium.PdfDocument(result.pdf)
    try:
        out = list(pages)
        for index, number in enumerate(scanned):
            page = pdf[index]
            try:
                raw, _ = _read_pdfium_page(page, number, settings, ocr=True)
            finally:
                page.close()
            out[number - 1] = raw
    finally:
        pdf.close()
    confidence = {n: result.confidence.get(n, 0.0) for n in scanned}
    return out, confidence


def _with_ruled_tables(raw: RawPage, ruled: tuple[Table, ...]) -> RawPage:
    """Ruled tables win over whitespace tables found in the same place, unless the rules only
    box the columns: then one ruled "row" holds many printed rows (a boxed phone-book table
    with no lines between rows), and the word alignment reads it row by row."""
    if not ruled:
        return raw
    keep_ruled = []
    aligned = list(raw.tables)
    for table in ruled:
        rival = next((t for t in aligned if _overlaps(t.bbox, table.bbox)), None)
        if rival is not None and rival.n_rows >= 3 * table.n_rows:
            continue
        keep_ruled.append(table)
        aligned = [t for t in aligned if not _overlaps(t.bbox, table.bbox)]
    tables = tuple(sorted(keep_ruled + aligned, key=lambda t: t.bbox[1]))
    return replace(raw, tables=tables)


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Below this share of readable characters a page's text layer is treated as unusable.
MIN_USABLE_SHARE = 0.5


def usable_share(segments: Sequence[Segment]) -> float:
    """The share of a page's visible characters that are real text: not U+FFFD, not from the
    private-use area, not control codes (what an unmapped font's glyphs come out as)."""
    chars = [c for seg in segments for c in seg.text if not c.isspace()]
    if not chars:
        return 1.0
    bad = sum(
        c == "\ufffd" or "\ue000" <= c <= "\uf8ff" or unicodedata.category(c) == "Cc" for c in chars
    )
    return 1 - bad / len(chars)


@dataclass
class _Rules:
    """Counts the ruling lines and boxes on a page: only a page with both horizontal and
    vertical rules (or several boxes) can hold a ruled table worth pdfplumber's time."""

    horizontal: int = 0
    vertical: int = 0
    boxes: int = 0

    def add(self, bounds: tuple[float, float, float, float]) -> None:
        left, bottom, right, top = bounds
        width, height = right - left, top - bottom
        if height < 3 and width > 10:
            self.horizontal += 1
        elif width < 3 and height > 5:
            self.vertical += 1
        elif width > 10 and height > 5:
            self.boxes += 1

    def may_hold_table(self, min_paths: int) -> bool:
        total = self.horizontal + self.vertical + self.boxes
        ruled = self.horizontal >= 2 and self.vertical >= 2
        return total >= min_paths and (ruled or self.boxes >= 2)


Segment = Word


# A text run that holds a whole table row typed with spaces ("88300   Surgical pathology   12.70"):
# pdfium returns it as one rectangle, so such pages are re-cut at the gaps between characters.
SPACED_ROW = re.compile(r"^\s*[A-Z]?\d{3,5}[A-Z]?(-\w{2})?\s+\S.*\s\$?\d[\d,]*(\.\d+)?\s*$")


def _segments(
    textpage: pdfium.PdfTextPage,
    shown: _ShownFrame,
    chars: Callable[[], Chars],
    by_chars: bool = False,
) -> Iterator[Segment]:
    """Text rectangles in the page's displayed frame (top-left origin): a page with /Rotate
    has its text in unrotated user space, turned here so lines run left to right. An OCR'd
    page (``by_chars``) is read character by character: its words are placed one by one, often
    on a slight slope, and pdfium's rectangles then overlap and repeat letters."""
    if by_chars:
        yield from _char_segments(chars())
        return
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = text.replace("\r", " ").replace("\n", " ")
        if text.strip():
            runs.append((text, (left, bottom, right, top)))
    if sum(1 for text, _ in runs if SPACED_ROW.match(text)) >= 2:
        yield from _char_segments(chars())
        return
    for text, box in runs:
        yield Segment(text, shown.box(box))


def _char_segments(chars: Chars) -> Iterator[Segment]:
    """Runs of characters cut at line ends and at gaps wider than one and a half character
    heights (a column gutter), so each table cell becomes its own segment."""
    run: Chars = []

    def flush() -> Iterator[Segment]:
        inked = [box for char, box in run if char.strip()]
        if inked:
            box = (
                min(b[0] for b in inked),
                min(b[1] for b in inked),
                max(b[2] for b in inked),
                max(b[3] for b in inked),
            )
            yield Segment("".join(char for char, _ in run).strip(), box)
        run.clear()

    last: BBox | None = None
    height = 1.0  # the tallest character of the line so far ("." alone is tiny)
    for char, box in chars:
        if char in "\r\n":
            yield from flush()
            last, height = None, 1.0
            continue
        if not char.strip():
            run.append((char, box))
            continue
        height = max(height, box[3] - box[1])
        if last is not None and (box[0] - last[2] > 1.5 * height or box[0] < last[0]):
            yield from flush()
        run.append((char, box))
        last = box
    yield from flush()


class _ShownFrame:
    """User-space boxes to the page as shown: /Rotate applied, top-left origin."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        left0, bottom0, right0, top0 = page.get_mediabox()
        self.origin = (left0, bottom0)
        self.width, self.height = right0 - left0, top0 - bottom0
        self.rotation = page.get_rotation() % 360

    def point(self, x: float, y: float) -> tuple[float, float]:
        x0, top, _, _ = self.box((x, y, x, y))
        return x0, top

    def box(self, rect: tuple[float, float, float, float]) -> BBox:
        left, bottom, right, top = rect
        width, height = self.width, self.height
        x0, y0 = left - self.origin[0], bottom - self.origin[1]
        x1, y1 = right - self.origin[0], top - self.origin[1]
        if self.rotation == 90:
            x0, y0, x1, y1, shown_height = y0, width - x1, y1, width - x0, width
        elif self.rotation == 180:
            x0, y0, x1, y1, shown_height = width - x1, height - y1, width - x0, height - y0, height
        elif self.rotation == 270:
            x0, y0, x1, y1, shown_height = height - y1, x0, height - y0, x1, width
        else:
            shown_height = height
        return (x0, shown_height - y1, x1, shown_height - y0)


def group_lines(segments: list[Segment]) -> list[list[Segment]]:
    """Group text runs that share a baseline into lines, top to bottom, left to right."""
    ordered = sorted(segments, key=lambda s: (round(s.bbox[1], 1), s.bbox[0]))
    groups: list[list[Segment]] = []
    for seg in ordered:
        mid = (seg.bbox[1] + seg.bbox[3]) / 2
        if groups:
            last = groups[-1]
            top = min(s.bbox[1] for s in last)
            bottom = max(s.bbox[3] for s in last)
            if top <= mid <= bottom:
                last.append(seg)
                continue
        groups.append([seg])
    for group in groups:
        group.sort(key=lambda s: s.bbox[0])
    return groups


def _to_text_line(group: list[Segment], page: int) -> TextLine:
    text = _join_segments(group)
    x0 = min(s.bbox[0] for s in group)
    top = min(s.bbox[1] for s in group)
    x1 = max(s.bbox[2] for s in group)
    bottom = max(s.bbox[3] for s in group)
    # The median run's height, not the tallest: a scanned line that still tilts a little has
    # words at different heights, and one tall box must not make it look like a heading.
    height = statistics.median(s.bbox[3] - s.bbox[1] for s in group)
    return TextLine(page, text, (x0, top, x1, bottom), round(height, 1))


def _join_segments(group: list[Segment]) -> str:
    parts = [group[0].text.strip()]
    for prev, seg in zip(group, group[1:], strict=False):
        gap = seg.bbox[0] - prev.bbox[2]
        height = max(seg.bbox[3] - seg.bbox[1], 1.0)
        # A wide gap is a column boundary (tab stops, aligned tables): keep it visible.
        parts.append("   " if gap > 1.5 * height else " ")
        parts.append(seg.text.strip())
    return "".join(parts)


def _read_tables(
    data: bytes, page_indexes: list[int], problems: list[Problem]
) -> dict[int, tuple[Table, ...]]:
    found: dict[int, tuple[Table, ...]] = {}
    with _plumber(data) as pdf:
        for index in page_indexes:
            page = pdf.pages[index]
            try:
                found[index] = tuple(
                    t for t in (_to_table(tb, index + 1) for tb in page.find_tables()) if t
                )
            except Exception as exc:  # pdfminer raises many types on odd content streams
                log.warning("table extraction failed on page %d: %s", index + 1, exc)
                problems.append(
                    Problem(
                        errors.PAGE_TABLES_FAILED,
                        f"Tables on page {index + 1} could not be read.",
                        page=index + 1,
                        stage="tables",
                    )
                )
            finally:
                page.close()
    return found


def _plumber_lines(data: bytes, pages: list[RawPage], skip: set[int]) -> list[RawPage]:
    """Every page's lines re-read by pdfplumber, except the OCR'd pages (``skip``), whose text
    exists only in the OCR result."""
    out = []
    with _plumber(data) as pdf:
        for raw in pages:
            if raw.info.number in skip:
                out.append(raw)
                continue
            page = pdf.pages[raw.info.number - 1]
            try:
                lines = tuple(
                    TextLine(
                        raw.info.number,
                        line["text"],
                        (line["x0"], line["top"], line["x1"], line["bottom"]),
                        round(line["bottom"] - line["top"], 1),
                    )
                    for line in page.extract_text_lines()
                    if line["text"].strip()
                )
            finally:
                page.close()
            out.append(RawPage(raw.info, lines if raw.info.has_text_layer else (), raw.tables))
    return out


@contextmanager
def _plumber(data: bytes) -> Iterator[Any]:
    pdf = pdfplumber.open(io.BytesIO(data))
    try:
        yield pdf
    finally:
        pdf.close()


def _to_table(found: Any, page: int) -> Table | None:
    rows = found.rows
    texts = found.extract()
    if len(rows) < 2 or not texts or max(len(r) for r in texts) < 2:
        return None
    n_cols = max(len(r) for r in texts)
    cells: list[Cell] = []
    for r, (row, row_texts) in enumerate(zip(rows, texts, strict=False)):
        for c, text in enumerate(row_texts):
            box = row.cells[c] if c < len(row.cells) else None
            cells.append(
                Cell(
                    row=r,
                    col=c,
                    text=" ".join((text or "").split()),
                    bbox=tuple(float(v) for v in box) if box else None,  # type: ignore[arg-type]
                    is_header=r == 0,
                )
            )
    bbox = tuple(float(v) for v in found.bbox)
    return Table(page=page, bbox=bbox, n_rows=len(rows), n_cols=n_cols, cells=tuple(cells))  # type: ignore[arg-type]
