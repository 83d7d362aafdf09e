"""Shared fixtures: small PDFs built on the fly with reportlab, and one analyzer per session."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extractor.analyzer import Analyzer
from extractor.model import RateRow

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpus" / "samples"

PdfMaker = Callable[..., Path]


def build_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    footer: str | None = "Page {n} of {total}",
    font_size: float = 10.5,
    encrypt: str | None = None,
) -> Path:
    """Each page is a list of lines drawn top to bottom; '' leaves a paragraph gap."""
    kwargs = {"invariant": 1}
    if encrypt:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt, ownerPassword=encrypt + "-owner")
    c = canvas.Canvas(str(path), pagesize=letter, **kwargs)
    width, height = letter
    for n, lines in enumerate(pages, start=1):
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(72, height - 40, header)
        if footer:
            c.setFont("Helvetica", 8)
            c.drawCentredString(width / 2, 30, footer.format(n=n, total=len(pages)))
        c.setFont("Helvetica", font_size)
        y = height - 80
        for line in lines:
            if line:
                c.drawString(72, y, line)
                y -= font_size * 1.35
            else:
                y -= font_size * 1.6
        c.showPage()
    c.save()
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> PdfMaker:
    counter = iter(range(10_000))

    def _make(pages: Sequence[Sequence[str]], name: str | None = None, **kwargs: object) -> Path:
        path = tmp_path / (name or f"doc{next(counter)}.pdf")
        return build_pdf(path, pages, **kwargs)  # type: ignore[arg-type]

    return _make


def image_only_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(img)
    for y in range(100, 1000, 40):
        draw.rectangle((80, y, 760, y + 12), fill=40)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    from reportlab.lib.utils import ImageReader

    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
    c.showPage()
    c.save()
    return path


def minimal_pdf(objects: Sequence[bytes]) -> bytes:
    """A hand-assembled PDF with the given objects (object 1 must be the catalog)."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


def rate_row(**changes: Any) -> RateRow:
    """A plain 99213 fee-schedule row, with ``changes`` applied (for rate unit tests)."""
    base = RateRow(
        code="99213",
        code_type="CPT",
        modifier=None,
        description="Established patient visit, low complexity",
        methodology="fee_schedule",
        amount=Decimal("109.40"),
        percent=None,
        percent_of=None,
        unit="per_service",
        product_line=None,
        page=4,
    )
    return replace(base, **changes)
