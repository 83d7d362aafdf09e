"""A batch over an archive holding a fully scanned contract (every page an office-scanner
image without a text layer, made by the corpus scanner) and its digital twin: the scan is read
by OCR and yields the findings and rate rows of its twin, and the stored results and batch
items mark the OCR'd pages and their confidence."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from corpus.generator.scan import scan_pdf
from extractor.ocr import ocr_available
from service.batch.runner import run_batch
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import AnalysisRun, BatchItem, Finding, RateRow
from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(
    not ocr_available(),
    reason="Tesseract/ocrmypdf not installed: run scripts/install-ocr (CI does)",
)

NAME = "behavioral_health_services_agreement"
DIGITAL = f"digital/{NAME}.pdf"
SCANNED = f"scanned/{NAME}_scanned.pdf"
PAGES = 4


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    digital = (SAMPLES / f"{NAME}.pdf").read_bytes()
    path = tmp_path / "scans.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DIGITAL, digital)
        archive.writestr(SCANNED, scan_pdf(digital, range(1, PAGES + 1), seed=NAME))
    return path


def _stored(settings: Settings) -> dict[str, dict[str, Any]]:
    db = Database(settings, migrate=False)
    try:
        with db.session() as session:
            out: dict[str, dict[str, Any]] = {}
            for item in session.exec(select(BatchItem)).all():
                (run,) = session.exec(
                    select(AnalysisRun).where(AnalysisRun.document_id == item.document_id)
                ).all()
                findings = session.exec(select(Finding).where(Finding.run_id == run.id)).all()
                rates = session.exec(select(RateRow).where(RateRow.run_id == run.id)).all()
                out[item.path] = {
                    "item": item,
                    "source": run.result["source"],
                    "findings": Counter(
                        (f.category, f.severity, f.page, repr(sorted(f.fields.items())))
                        for f in findings
                    ),
                    "rates": Counter((r.code, r.amount, r.percent, r.unit) for r in rates),
                }
            return out
    finally:
        db.dispose()


def test_scanned_contracts_yield_their_digital_twins_findings(
    sqlite_settings: Settings, archive: Path
) -> None:
    settings = sqlite_settings.with_(ocr=True)
    report = run_batch(settings, archive, workers=1)
    assert report.exit_code == 0 and report.counts == {"succeeded": 2}, report.failures
    assert report.ocr_pages == PAGES and report.low_confidence == []
    stored = _stored(settings)
    digital, scanned = stored[DIGITAL], stored[SCANNED]
    # OCR'd pages are marked in the stored result and on the batch item
    assert scanned["source"]["ocr_pages"] == list(range(1, PAGES + 1))
    assert scanned["source"]["ocr_confidence"] > 80
    assert scanned["item"].ocr_pages == PAGES and scanned["item"].pages == PAGES
    assert scanned["item"].ocr_confidence == pytest.approx(scanned["source"]["ocr_confidence"])
    assert digital["source"]["ocr_pages"] == [] and digital["item"].ocr_pages == 0
    assert digital["item"].ocr_confidence is None
    # the scan yields its twin's findings (category, severity, page, fields) and rates
    assert digital["findings"] and digital["rates"]
    assert scanned["findings"] == digital["findings"]
    assert scanned["rates"] == digital["rates"]
