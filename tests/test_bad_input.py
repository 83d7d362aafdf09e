"""Every kind of bad input gets one clear message and a stable code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.model import Status
from extractor.pdf_reader import ReaderSettings
from tests.conftest import PdfMaker, build_pdf, image_only_pdf, minimal_pdf

GOOD_LINES = [
    [
        "PROVIDER AGREEMENT",
        "",
        "1.1 Term. This Agreement renews automatically for",
        "successive one (1) year terms unless either party gives ninety (90) days' notice.",
    ]
]


def _only_problem(result) -> tuple[str, str]:
    assert result.status is Status.FAILED
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.fatal and problem.message and "Traceback" not in problem.message
    return problem.code, problem.message


def test_not_a_pdf(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "contract.pdf"
    path.write_text("This is a Word document, honestly.")
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.not_pdf" and "not a PDF" in message


def test_missing_file(tmp_path: Path, analyzer: Analyzer) -> None:
    code, message = _only_problem(analyzer.analyze_path(tmp_path / "nope.pdf"))
    assert code == "input.not_found" and "nope.pdf" in message


def test_encrypted(tmp_path: Path, analyzer: Analyzer) -> None:
    path = build_pdf(tmp_path / "locked.pdf", GOOD_LINES, encrypt="s3cret")
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.encrypted" and "password" in message


def test_truncated_beyond_repair(tmp_path: Path, analyzer: Analyzer) -> None:
    good = build_pdf(tmp_path / "good.pdf", GOOD_LINES)
    path = tmp_path / "cut.pdf"
    path.write_bytes(good.read_bytes()[:400])
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.truncated" and "truncated" in message


def test_truncated_but_readable_is_partial(tmp_path: Path, analyzer: Analyzer) -> None:
    good = build_pdf(tmp_path / "good.pdf", GOOD_LINES)
    data = good.read_bytes()
    path = tmp_path / "tail_missing.pdf"
    path.write_bytes(data[: data.rindex(b"%%EOF") - 1])
    result = analyzer.analyze_path(path)
    codes = [p.code for p in result.problems]
    if result.status is Status.FAILED:  # pdfium could not rebuild it: still one clear code
        assert codes == ["input.truncated"]
    else:
        assert result.status is Status.PARTIAL and "input.truncated" in codes
        assert any(f.category == "evergreen_renewal" for f in result.findings)


def test_corrupt(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    code, _ = _only_problem(analyzer.analyze_path(path))
    assert code in {"input.corrupt", "input.empty"}


def test_zero_pages(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(
        minimal_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    )
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.empty" and "no pages" in message


def test_image_only_pdf_reports_the_page_and_fails(tmp_path: Path, analyzer: Analyzer) -> None:
    result = analyzer.analyze_path(image_only_pdf(tmp_path / "scan.pdf"))
    assert result.status is Status.FAILED
    codes = {(p.code, p.page) for p in result.problems}
    assert ("page.no_text_layer", 1) in codes
    assert any(p.code == "input.no_text" for p in result.problems)


def test_scanned_page_inside_a_digital_pdf_is_reported_on_that_page(
    tmp_path: Path, make_pdf: PdfMaker, analyzer: Analyzer
) -> None:
    from pypdfium2 import PdfDocument

    digital = make_pdf(GOOD_LINES)
    scan = image_only_pdf(tmp_path / "scan.pdf")
    merged = PdfDocument(str(digital))
    merged.import_pages(PdfDocument(str(scan)))
    path = tmp_path / "mixed.pdf"
    merged.save(str(path))
    result = analyzer.analyze_path(path)
    assert result.status is Status.PARTIAL
    assert [(p.code, p.page) for p in result.problems] == [("page.no_text_layer", 2)]
    assert result.source.pages == 2
    assert any(f.category == "evergreen_renewal" for f in result.findings)


def _with_limits(analyzer: Analyzer, **limits: int) -> Analyzer:
    settings = AnalyzerSettings(reader=ReaderSettings(**limits))
    return Analyzer(settings, rules=analyzer.rules, nlp=analyzer.nlp)


def test_over_the_size_limit(make_pdf: PdfMaker, analyzer: Analyzer) -> None:
    small = _with_limits(analyzer, max_bytes=500)
    code, message = _only_problem(small.analyze_path(make_pdf(GOOD_LINES)))
    assert code == "limits.too_many_bytes" and "limit" in message


def test_over_the_page_limit(make_pdf: PdfMaker, analyzer: Analyzer) -> None:
    limited = _with_limits(analyzer, max_pages=2)
    code, message = _only_problem(limited.analyze_path(make_pdf(GOOD_LINES * 3)))
    assert code == "limits.too_many_pages" and "3 pages" in message


def test_a_directory_given_as_a_file(tmp_path: Path, analyzer: Analyzer) -> None:
    code, _ = _only_problem(analyzer.analyze_path(tmp_path))
    assert code == "input.not_pdf"


@pytest.mark.parametrize("bad", [0, -5])
def test_reader_settings_are_validated(bad: int) -> None:
    with pytest.raises(ValueError):
        ReaderSettings(max_pages=bad)


def test_a_text_layer_of_unmapped_glyphs_is_not_usable() -> None:
    from extractor.pdf_reader import MIN_USABLE_SHARE, Segment, usable_share

    box = (0.0, 0.0, 10.0, 10.0)
    assert usable_share([Segment("Payer shall pay Provider", box)]) == 1.0
    garbage = [Segment("\ue001\ue002\ue003 \ufffd\ufffd ab", box)]
    assert usable_share(garbage) < MIN_USABLE_SHARE
