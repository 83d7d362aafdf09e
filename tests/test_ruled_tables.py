"""Ruled tables read from pdfium's path objects match pdfplumber's table finder, cell for cell,
on every corpus PDF and every digital fixture exhibit (pdfplumber is the reference and the
fallback; the pdfium path is about four times faster)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ocr import OcrSettings
from extractor.pdf_reader import ReaderSettings, read_pdf
from tests.conftest import REPO
from tests.fixtures.rate_shapes import FIXTURES, build

NO_OCR = OcrSettings(enabled=False)
CORPUS = sorted((REPO / "corpus").glob("*/*.pdf"))
DIGITAL_FIXTURES = [f for f in FIXTURES if not f.ocr_pages]


def _grids(path: Path, engine: str) -> list[tuple[int, list[list[str]]]]:
    settings = ReaderSettings(ruled_tables=engine, ocr=NO_OCR)  # type: ignore[arg-type]
    return [(t.page, t.grid()) for page in read_pdf(path, settings).pages for t in page.tables]


@pytest.mark.parametrize("pdf", CORPUS, ids=[f"{p.parent.name}/{p.stem}" for p in CORPUS])
def test_corpus_tables_match_pdfplumber(pdf: Path) -> None:
    assert _grids(pdf, "pdfium") == _grids(pdf, "pdfplumber")


@pytest.mark.parametrize("fixture", DIGITAL_FIXTURES, ids=[f.name for f in DIGITAL_FIXTURES])
def test_fixture_tables_match_pdfplumber(fixture: object, tmp_path: Path) -> None:
    pdf = build(fixture, tmp_path)  # type: ignore[arg-type]
    grids = _grids(pdf, "pdfium")
    assert grids == _grids(pdf, "pdfplumber")
