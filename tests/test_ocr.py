"""Scanned pages: OCR'd through ocrmypdf/Tesseract and read like digital pages.

The scans are made here from a digital sample (rendered, tilted or turned sideways, saved as
image-only pages), so every expectation is the digital original's own result.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from corpus.generator.scan import scan_pdf
from extractor import ocr
from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.model import AnalysisResult, Status
from extractor.ocr import OcrSettings, ocr_available
from extractor.pdf_reader import ReaderSettings
from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(
    not ocr_available(),
    reason="Tesseract/ocrmypdf not installed: run scripts/install-ocr (CI does)",
)

SAMPLE = SAMPLES / "physician_group_ppo_agreement.pdf"


def _rate_keys(result: AnalysisResult) -> Counter[tuple[object, ...]]:
    return Counter((r.code, r.modifier, r.unit, r.amount, r.percent) for r in result.rates)


def _finding_keys(result: AnalysisResult) -> list[tuple[str, int, str]]:
    return sorted((f.category, f.page, f.severity.value) for f in result.findings)


@pytest.fixture(scope="module")
def digital(analyzer: Analyzer) -> AnalysisResult:
    return analyzer.analyze_path(SAMPLE)


@pytest.fixture(scope="module")
def exhibit_page(digital: AnalysisResult) -> int:
    return Counter(r.page for r in digital.rates).most_common(1)[0][0]


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory: pytest.TempPathFactory, exhibit_page: int) -> Path:
    # The corpus scanner: both pages tilted, noisy, JPEG; the first page fed in sideways.
    target = tmp_path_factory.mktemp("scan") / "scanned.pdf"
    pages = sorted({1, exhibit_page})
    target.write_bytes(scan_pdf(SAMPLE.read_bytes(), pages, seed="test_ocr", rotate={1: 90}))
    return target


@pytest.fixture(scope="module")
def scanned(analyzer: Analyzer, scanned_pdf: Path) -> AnalysisResult:
    return analyzer.analyze_path(scanned_pdf)


def test_the_scans_have_no_text_layer(scanned_pdf: Path, exhibit_page: int) -> None:
    pdf = pdfium.PdfDocument(str(scanned_pdf))
    for number in (1, exhibit_page):
        assert pdf[number - 1].get_textpage().count_chars() == 0


def test_scanned_pages_are_ocrd_and_listed(scanned: AnalysisResult, exhibit_page: int) -> None:
    assert scanned.status is Status.SUCCESS, scanned.problems
    assert scanned.source.ocr_pages == tuple(sorted({1, exhibit_page}))
    assert scanned.source.ocr_confidence is not None and scanned.source.ocr_confidence > 80


def test_the_sideways_page_is_turned_upright(scanned: AnalysisResult) -> None:
    assert scanned.contract.title and "Agreement" in scanned.contract.title
    assert scanned.contract.payer == "Meridian Crest Insurance Company"


def test_rates_on_a_tilted_scan_equal_the_digital_rates(
    scanned: AnalysisResult, digital: AnalysisResult, exhibit_page: int
) -> None:
    assert _rate_keys(scanned) == _rate_keys(digital)
    assert {r.page for r in scanned.rates if r.table is not None} == {exhibit_page}


def test_findings_keep_their_pages(scanned: AnalysisResult, digital: AnalysisResult) -> None:
    assert _finding_keys(scanned) == _finding_keys(digital)


def test_ocr_can_be_turned_off(analyzer: Analyzer, scanned_pdf: Path, exhibit_page: int) -> None:
    settings = AnalyzerSettings(reader=ReaderSettings(ocr=OcrSettings(enabled=False)))
    result = Analyzer(settings, rules=analyzer.rules, nlp=analyzer.nlp).analyze_path(scanned_pdf)
    assert result.source.ocr_pages == ()
    assert result.status is Status.PARTIAL
    assert {(p.code, p.page) for p in result.problems} == {
        ("page.no_text_layer", 1),
        ("page.no_text_layer", exhibit_page),
    }


def test_missing_ocr_programs_are_a_problem_not_a_crash(
    analyzer: Analyzer, scanned_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda _name: None)
    result = analyzer.analyze_path(scanned_pdf)
    codes = [p.code for p in result.problems]
    assert codes.count("ocr.unavailable") == 1
    assert "page.no_text_layer" in codes
    assert result.status is Status.PARTIAL and result.findings


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (subprocess.CompletedProcess([], 15, b"", b"boom\n"), "ocrmypdf failed: boom"),
        (subprocess.TimeoutExpired(["ocrmypdf"], 1.0), "longer than"),
    ],
)
def test_a_failed_ocr_run_is_reported_and_the_rest_analysed(
    analyzer: Analyzer,
    scanned_pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
    outcome: object,
    reason: str,
) -> None:
    def run(*_args: object, **_kwargs: object) -> object:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(ocr.subprocess, "run", run)
    result = analyzer.analyze_path(scanned_pdf)
    failed = [p for p in result.problems if p.code == "ocr.failed"]
    assert len(failed) == 1 and reason in failed[0].message
    assert result.status is Status.PARTIAL and result.findings


def test_only_the_scanned_pages_go_to_ocr(
    analyzer: Analyzer, scanned_pdf: Path, exhibit_page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real_run = subprocess.run

    def run(command: list[str], **kwargs: object) -> object:
        seen.append(len(pdfium.PdfDocument(command[-2])))  # the PDF handed to ocrmypdf
        return real_run(command, **kwargs)

    monkeypatch.setattr(ocr.subprocess, "run", run)
    result = analyzer.analyze_path(scanned_pdf)
    # Page 1 and the exhibit page, not the whole contract; then the sideways page 1 alone,
    # with orientation detection (an upright page is not read twice).
    assert seen == [2, 1]
    assert result.source.ocr_pages == tuple(sorted({1, exhibit_page}))


def _hocr_line(x0: int, y0: int, x1: int, y1: int) -> str:
    return (
        f"<span class='ocr_line' id='line_1' title=\"bbox {x0} {y0} {x1} {y1}; x_size 20\">"
        f"<span class='ocrx_word' title='bbox {x0} {y0} {x1} {y1}; x_wconf 95'>word</span></span>"
    )


def test_a_page_read_as_vertical_lines_is_sideways(tmp_path: Path) -> None:
    kept = tmp_path / "ocrmypdf.io.test"
    kept.mkdir()
    upright = [_hocr_line(200, 100 + 40 * i, 1500, 125 + 40 * i) for i in range(20)]
    sideways = [_hocr_line(2000 - 40 * i, 200, 2025 - 40 * i, 1500) for i in range(20)]
    (kept / "000001_ocr_hocr.hocr").write_text("".join(upright) + sideways[0])
    (kept / "000002_ocr_hocr.hocr").write_text("".join(sideways) + upright[0])
    confidence, turned = ocr._hocr_pages(tmp_path)
    assert confidence == {1: 95.0, 2: 95.0}  # Tesseract is sure of both
    assert turned == {2}


def test_only_doubtful_pages_are_read_again_with_orientation_detection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Page 1 upright, page 2 upside down (it reads as noise), page 3 sideways (it reads as
    # confident vertical lines).
    scan = scan_pdf(SAMPLE.read_bytes(), [1, 2, 3], seed="orient", rotate={2: 180, 3: 90})
    subset = ocr.pages_pdf(scan, [1, 2, 3])
    runs: list[tuple[int, bool]] = []
    real_run = subprocess.run

    def run(command: list[str], **kwargs: object) -> object:
        runs.append((len(pdfium.PdfDocument(command[-2])), "--rotate-pages" in command))
        return real_run(command, **kwargs)

    monkeypatch.setattr(ocr.subprocess, "run", run)
    result = ocr.ocr_pages(subset, [1, 2, 3], OcrSettings(jobs=2), labels=[4, 5, 6])
    assert runs == [(3, False), (2, True)]
    assert result.pdf is not None and not result.problems
    assert set(result.confidence) == {4, 5, 6}
    assert all(score > 80 for score in result.confidence.values())
    pdf = pdfium.PdfDocument(result.pdf)
    for index in range(3):  # every page's text layer runs left to right now
        textpage = pdf[index].get_textpage()
        text = textpage.get_text_range()
        assert len(text) > 500 and " the " in text.lower()
        boxes = [textpage.get_charbox(i) for i, c in enumerate(text) if c.isalpha()][:400]
        steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(boxes, boxes[1:], strict=False)]
        rightward = sum(dx > 0 and abs(dy) < dx for dx, dy in steps)
        assert rightward > 0.8 * len(steps), index + 1


def test_a_second_reading_without_words_never_replaces_the_first() -> None:
    first = ocr._Run(b"", {1: 90.0, 2: 40.0}, frozenset({1}))
    turned = ocr._Run(b"", {2: 85.0}, frozenset())  # page 1 came back empty
    assert not ocr._better(turned, 1, first, 1)
    assert ocr._better(turned, 2, first, 2)
    assert not ocr._better(ocr._Run(b"", {1: 30.0}, frozenset()), 1, first, 2)
