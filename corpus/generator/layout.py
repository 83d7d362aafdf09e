"""A small layout engine: contract blocks -> PDF bytes (reportlab platypus).

Deterministic: the canvas is created with ``invariant=1`` and fixed metadata, so the same
contract always gives byte-identical output.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
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


def _table(t: Table, font: str, size: float) -> RLTable:
    bold = BOLD[font]
    data = [t.header, *t.rows]
    tbl = RLTable(data, colWidths=t.col_widths, repeatRows=1, hAlign="LEFT")
    cmds = [
        ("FONT", (0, 0), (-1, 0), bold, size - 1),
        ("FONT", (0, 1), (-1, -1), font, size - 1),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
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
    tbl.setStyle(TableStyle(cmds))
    return tbl


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
            out.append(_table(b, c.font, c.font_size))
            out.append(RLSpacer(1, 8))
        elif isinstance(b, Signature):
            out.extend(_signature(b, styles))
        elif isinstance(b, PageBreak):
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

    width = PAGE_SIZE[0]
    cv.saveState()
    cv.setFont(font, 8)
    if r.header_left:
        cv.drawString(MARGIN_X, HEADER_Y, fill(r.header_left))
    if r.header_right:
        cv.drawRightString(width - MARGIN_X, HEADER_Y, fill(r.header_right))
    if r.rule and (r.header_left or r.header_right):
        cv.setLineWidth(0.4)
        cv.line(MARGIN_X, HEADER_Y - 4, width - MARGIN_X, HEADER_Y - 4)
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
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas_class = numbered_canvas(running, font)
    doc.build(flowables, canvasmaker=canvas_class)
    return buf.getvalue(), canvas_class.page_count


def render_contract(c: Contract) -> tuple[bytes, int]:
    return render(contract_to_flowables(c), c.running, c.font, c.title)
