"""A landscape page made by /Rotate on a portrait page: its text reads left to right as shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extractor.analyzer import Analyzer

ROWS = [
    ("99213", "Office visit, established, low", "$98.40"),
    ("20610", "Arthrocentesis", "$88.10"),
]


@pytest.mark.parametrize("ruled", [False, True])
@pytest.mark.parametrize("rotation", [90, 270])
def test_text_and_table_of_a_rotated_page(
    tmp_path: Path, analyzer: Analyzer, rotation: int, ruled: bool
) -> None:
    path = tmp_path / f"rotated_{rotation}_{ruled}.pdf"
    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    width, _ = letter
    # Draw in the shown (landscape) frame: shown (X, Y) -> user space for /Rotate 90 or 270.
    if rotation == 90:
        c.transform(0, 1, -1, 0, width, 0)
    else:
        c.transform(0, -1, 1, 0, 0, letter[1])
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 540, "Exhibit B - Professional Fee Schedule")
    c.setFont("Helvetica", 10)
    c.drawString(72, 500, "CPT")
    c.drawString(160, 500, "Description")
    c.drawRightString(700, 500, "Allowable")
    for n, (code, text, fee) in enumerate(ROWS * 2, start=1):
        y = 500 - 18 * n
        c.drawString(72, y, code)
        c.drawString(160, y, text)
        c.drawRightString(700, y, fee)
    if ruled:  # a grid: pdfplumber's table finder reads it
        rows = len(ROWS) * 2 + 1
        for n in range(rows + 1):
            c.line(66, 514 - 18 * n, 706, 514 - 18 * n)
        for x in (66, 150, 600, 706):
            c.line(x, 514, x, 514 - 18 * rows)
    c.showPage()
    c.save()
    pdf = pdfium.PdfDocument(str(path))
    pdf[0].set_rotation(rotation)
    pdf.save(str(path))

    result = analyzer.analyze_path(path)
    assert "Exhibit B - Professional Fee Schedule" in result.document.text
    assert [(r.code, r.amount) for r in result.rates] == [
        (code, Decimal(fee.strip("$"))) for code, _, fee in ROWS * 2
    ]
