"""A small layout engine: contract blocks -> PDF bytes (reportlab platypus).

Tables come as a ruled grid, with rules under the header only, or as whitespace-aligned
monospaced lines with no ruling at all; cells may wrap within their row, label rows may cross
the table, headers may or may not repeat on the pages a table runs onto, and amounts may be
printed spreadsheet-style ("$" flush left). ``PageBreak("landscape")`` turns the following pages
(a wide table), ``PageBreak("portrait")`` turns them back.

Deterministic: the canvas is created with ``invariant=1`` and fixed metadata, so the same
contract always gives byte-identical output.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Preformatted,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable

from .model import Contract, Heading, PageBreak, Para, Running, Signature, Spacer, Table, Title

PAGE_SIZE = letter
MARGIN_X = 1.0 * inch
MARGIN_TOP = 1.0 * inch
MARGIN_BOTTOM = 0.9 * inch
HEADER_Y = PAGE_SIZE[1] - 0.55 * inch
FOOTER_Y = 0.5 * inch

BOLD = {"Times-Roman": "Times-Bold", "Helvetica": "Helvetica-Bold", "Courier": "Courier-Bold"}


@dataclass(frozen=True)
class BodyBox:
    """Where body text may appear, in pdfplumber's top-left coordinates (points)."""

    x0: float
    top: float
    x1: float
    bottom: float


BODY_BOX = BodyBox(0.0, MARGIN_TOP - 2.0, PAGE_SIZE[0], PAGE_SIZE[1] - MARGIN_BOTTOM + 2.0)


def body_box(width: float, height: float) -> BodyBox:
    """The body area of a page of any size or orientation (``BODY_BOX`` for portrait letter)."""
    return BodyBox(0.0, MARGIN_TOP - 2.0, width, height - MARGIN_BOTTOM + 2.0)


MONO = "Courier"
CELL_PAD = 6.0  # reportlab's default left/right cell padding


def make_styles(font: str, size: float) -> dict[str, ParagraphStyle]:
    bold = BOLD[font]
    lead = round(size * 1.3, 1)
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=size,
        leading=lead,
        alignment=TA_JUSTIFY,
        spaceAfter=size * 0.6,
    )
    return {
        "body": body,
        "indent": ParagraphStyle("indent", parent=body, leftIndent=0.35 * inch),
        "plain": ParagraphStyle("plain", parent=body, alignment=TA_LEFT),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=size - 1.5, leading=round((size - 1.5) * 1.3, 1)
        ),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=bold,
            fontSize=size + 5,
            leading=size + 9,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=size + 1,
            leading=size + 4,
            alignment=TA_CENTER,
            spaceAfter=14,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=bold,
            fontSize=size + 0.5,
            leading=lead + 1,
            alignment=TA_CENTER,
            spaceBefore=size,
            spaceAfter=size * 0.6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=bold,
            alignment=TA_LEFT,
            spaceBefore=size * 0.5,
            keepWithNext=1,
        ),
        "caption": ParagraphStyle("caption", parent=body, alignment=TA_LEFT, keepWithNext=1),
    }


def para_markup(p: Para) -> str:
    lead = " ".join(x for x in (p.label, p.caption) if x)
    text = escape(p.clean_text())
    return f"<b>{escape(lead)}</b> {text}" if lead else text


def _table_size(t: Table, size: float) -> float:
    return t.font_size if t.font_size is not None else size - 1


def _wrap_cell(text: str, font: str, size: float, width: float) -> str:
    return "\n".join(simpleSplit(text, font, size, width - 2 * CELL_PAD)) if text else text


def table_cells(t: Table, font: str, size: float) -> list[list[str]]:
    """The body rows as printed: cells of ``wrap`` columns broken into lines ("\n")."""
    fs = _table_size(t, size)
    out = []
    for i, row in enumerate(t.rows):
        if i in t.section_rows:
            out.append(list(row))
            continue
        out.append(
            [
                _wrap_cell(c, font, fs, t.col_widths[j]) if j in t.wrap else c
                for j, c in enumerate(row)
            ]
        )
    return out


def _accounting_cell(text: str, width: float, font: str, size: float) -> RLTable | str:
    """ "$1,234.50" printed as spreadsheets do in accounting format: "$" left, figure right."""
    if not text.startswith("$"):
        return text
    inner = RLTable(
        [["$", text[1:].strip()]],
        colWidths=[size, width - 2 * CELL_PAD - size],
        rowHeights=[size * 1.2],
    )
    inner.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, size),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return inner


def _table(t: Table, font: str, size: float) -> RLTable:
    bold = BOLD[font]
    fs = _table_size(t, size)
    body = table_cells(t, font, size)
    multi_line = any("\n" in c for row in body for c in row)
    if t.accounting:
        body = [
            [
                _accounting_cell(c, t.col_widths[j], font, fs)
                if j in t.accounting and i not in t.section_rows
                else c
                for j, c in enumerate(row)
            ]
            for i, row in enumerate(body)
        ]
    data = [t.header, *body]
    tbl = RLTable(
        data, colWidths=t.col_widths, repeatRows=1 if t.repeat_header else 0, hAlign="LEFT"
    )
    cmds = [
        ("FONT", (0, 0), (-1, 0), bold, fs),
        ("FONT", (0, 1), (-1, -1), font, fs),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if multi_line:
        # A wrapped cell grows its row downwards; the row's other cells stay on its first line.
        cmds.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    if t.ruled:
        cmds += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ]
    else:
        cmds += [
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
        ]
    for col in t.align_right:
        cmds.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    for r in t.section_rows:
        cmds += [("SPAN", (0, r + 1), (-1, r + 1)), ("FONT", (0, r + 1), (-1, r + 1), bold, fs)]
        cmds.append(("ALIGN", (0, r + 1), (-1, r + 1), "LEFT"))
        if t.ruled:
            cmds.append(("BACKGROUND", (0, r + 1), (-1, r + 1), colors.Color(0.95, 0.95, 0.95)))
    tbl.setStyle(TableStyle(cmds))
    return tbl


def _mono_columns(t: Table, size: float) -> list[int]:
    char = 0.6 * size  # Courier advance width
    return [max(1, int(w / char) - 2) for w in t.col_widths]


def whitespace_lines(t: Table, size: float) -> tuple[list[str], list[int]]:
    """A whitespace table as printed lines, and the index of each row's first line."""
    fs = _table_size(t, size)
    widths = _mono_columns(t, fs)

    def line(cells: list[str]) -> str:
        out = []
        for j, (c, w) in enumerate(zip(cells, widths, strict=True)):
            if len(c) > w:
                raise ValueError(f"cell {c!r} wider than its column ({w} characters)")
            out.append(c.rjust(w) if j in t.align_right else c.ljust(w))
        return "  ".join(out).rstrip()

    head = [h.split("\n") for h in t.header]
    depth = max(len(h) for h in head)
    lines = [line([h[k] if k < len(h) else "" for h in head]) for k in range(depth)]
    lines.append("  ".join("-" * w for w in widths))
    starts = []
    for i, row in enumerate(t.rows):
        starts.append(len(lines))
        if i in t.section_rows:
            if i:
                lines.append("")
                starts[-1] += 1
            lines.append(row[0])
            continue
        parts = [
            textwrap.wrap(c, widths[j]) if j in t.wrap and c else [c] for j, c in enumerate(row)
        ]
        for k in range(max(len(p) for p in parts)):
            lines.append(line([p[k] if k < len(p) else "" for p in parts]))
    return lines, starts


def _whitespace_table(t: Table, size: float, styles: dict[str, ParagraphStyle]) -> Preformatted:
    fs = _table_size(t, size)
    lines, _ = whitespace_lines(t, size)
    style = ParagraphStyle(
        "mono", parent=styles["plain"], fontName=MONO, fontSize=fs, leading=round(fs * 1.25, 2)
    )
    return Preformatted("\n".join(lines), style)


def row_keys(t: Table, font: str, size: float) -> list[str]:
    """For each body row, the text of its first printed line (what locates it in the PDF)."""
    if t.whitespace:
        lines, starts = whitespace_lines(t, size)
        return [" ".join(lines[s].split()) for s in starts]
    cells = table_cells(t, font, size)
    keys = []
    for i, row in enumerate(cells):
        firsts = []
        for j, c in enumerate(row):
            first = c.split("\n")[0]
            if j in t.accounting and i not in t.section_rows and first.startswith("$"):
                first = f"$ {first[1:].strip()}"
            if first:
                firsts.append(first)
        keys.append(" ".join(firsts))
    return keys


def _signature(s: Signature, styles: dict[str, ParagraphStyle]) -> list:
    cells = []
    for caption, name in s.parties:
        lines = [
            f"<b>{escape(caption)}</b>",
            escape(name),
            "",
            "By: ______________________________",
            "Name: ____________________________",
            "Title: _____________________________",
            "Date: _____________________________",
        ]
        cells.append(Paragraph("<br/>".join(lines), styles["plain"]))
    width = (PAGE_SIZE[0] - 2 * MARGIN_X) / len(cells)
    grid = RLTable([cells], colWidths=[width] * len(cells), hAlign="LEFT")
    grid.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [KeepTogether([Paragraph(escape(s.lead_in), styles["body"]), RLSpacer(1, 10), grid])]


def contract_to_flowables(c: Contract) -> list:
    styles = make_styles(c.font, c.font_size)
    out: list = []
    for b in c.blocks:
        if isinstance(b, Title):
            out.append(Paragraph(escape(b.text), styles["title"]))
            if b.subtitle:
                out.append(Paragraph(escape(b.subtitle), styles["subtitle"]))
        elif isinstance(b, Heading):
            style = styles["h1" if b.level == 1 else "h2"]
            out.append(CondPageBreak(1.0 * inch) if b.level == 1 else RLSpacer(1, 0))
            out.append(Paragraph("<br/>".join(escape(x) for x in b.text.split("\n")), style))
        elif isinstance(b, Para):
            out.append(Paragraph(para_markup(b), styles[b.style]))
        elif isinstance(b, Table):
            if b.caption:
                out.append(Paragraph(f"<b>{escape(b.caption)}</b>", styles["caption"]))
            if b.whitespace:
                out.append(_whitespace_table(b, c.font_size, styles))
            else:
                out.append(_table(b, c.font, c.font_size))
            out.append(RLSpacer(1, 8))
        elif isinstance(b, Signature):
            out.extend(_signature(b, styles))
        elif isinstance(b, PageBreak):
            if b.orientation is not None:
                if b.orientation not in ("landscape", "portrait"):
                    raise ValueError(f"unknown orientation {b.orientation!r}")
                out.append(
                    NextPageTemplate("landscape" if b.orientation == "landscape" else "page")
                )
            out.append(RLPageBreak())
        elif isinstance(b, Spacer):
            out.append(RLSpacer(1, b.height))
        else:  # pragma: no cover - guarded by the Block union
            raise TypeError(f"unknown block {b!r}")
    return out


def numbered_canvas(running: Running, font: str) -> type:
    """A canvas that draws the running header/footer once the page count is known."""

    class _Canvas(rl_canvas.Canvas):
        page_count = 0

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            type(self).page_count = total
            for state in self._pages:
                self.__dict__.update(state)
                _decorate(self, running, font, self._pageNumber, total)
                super().showPage()
            super().save()

    return _Canvas


def _decorate(cv: rl_canvas.Canvas, r: Running, font: str, page: int, total: int) -> None:
    def fill(s: str) -> str:
        return s.format(page=page, pages=total)

    width, height = cv._pagesize
    header_y = HEADER_Y + height - PAGE_SIZE[1]
    cv.saveState()
    cv.setFont(font, 8)
    if r.header_left:
        cv.drawString(MARGIN_X, header_y, fill(r.header_left))
    if r.header_right:
        cv.drawRightString(width - MARGIN_X, header_y, fill(r.header_right))
    if r.rule and (r.header_left or r.header_right):
        cv.setLineWidth(0.4)
        cv.line(MARGIN_X, header_y - 4, width - MARGIN_X, header_y - 4)
    if r.footer_left:
        cv.drawString(MARGIN_X, FOOTER_Y, fill(r.footer_left))
    if r.footer_center:
        cv.drawCentredString(width / 2, FOOTER_Y, fill(r.footer_center))
    if r.footer_right:
        cv.drawRightString(width - MARGIN_X, FOOTER_Y, fill(r.footer_right))
    cv.restoreState()


class _Doc(BaseDocTemplate):
    """Doc template with an optional hook run after each flowable (used by the long builder)."""

    def __init__(self, buf, after: Callable | None = None, **kw):
        super().__init__(buf, **kw)
        self._after = after

    def afterFlowable(self, flowable):
        if self._after is not None:
            self._after(self, flowable)


def render(
    flowables: list, running: Running, font: str, title: str, after: Callable | None = None
) -> tuple[bytes, int]:
    """Lay out ``flowables``; returns (pdf bytes, page count)."""
    buf = io.BytesIO()
    doc = _Doc(
        buf,
        after=after,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        invariant=1,
        title=title,
        author="payerlens synthetic corpus",
        creator="corpus.generator",
        subject="",
        producer="corpus.generator (reportlab)",
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        PAGE_SIZE[0] - 2 * MARGIN_X,
        PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    wide = landscape(PAGE_SIZE)
    wide_frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        wide[0] - 2 * MARGIN_X,
        wide[1] - MARGIN_TOP - MARGIN_BOTTOM,
        id="wide",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="page", frames=[frame], pagesize=PAGE_SIZE),
            PageTemplate(id="landscape", frames=[wide_frame], pagesize=wide),
        ]
    )
    canvas_class = numbered_canvas(running, font)
    doc.build(flowables, canvasmaker=canvas_class)
    return buf.getvalue(), canvas_class.page_count


def render_contract(c: Contract) -> tuple[bytes, int]:
    return render(contract_to_flowables(c), c.running, c.font, c.title)
