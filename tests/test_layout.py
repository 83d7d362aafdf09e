"""PDF to document: running lines out, paragraphs joined across lines and pages, sections nested."""

from __future__ import annotations

from pathlib import Path

from extractor.layout import join_lines, pages_to_document
from extractor.model import BlockKind
from extractor.pdf_reader import read_pdf
from extractor.sections import numbering_at_start
from tests.conftest import PdfMaker


def _doc(path: Path):
    read = read_pdf(path)
    return pages_to_document(read.source, read.pages)


def test_running_headers_footers_and_page_numbers_are_not_clause_text(make_pdf: PdfMaker) -> None:
    body = ["ARTICLE I", "", "1.1 Purpose. Provider shall render Covered Services to Members."]
    path = make_pdf([body, body, body], header="Form PHA-2026 Confidential")
    doc = _doc(path)
    assert "Form PHA" not in doc.text
    assert "Page 1 of 3" not in doc.text and "of 3" not in doc.text
    assert doc.text.count("Provider shall render Covered Services") == 3


def test_clause_across_page_break_is_one_block(make_pdf: PdfMaker) -> None:
    page1 = ["7.2 Renewal. This Agreement shall renew for successive one (1) year terms unless"]
    page2 = [
        "either party gives ninety (90) days' written notice of non-renewal.",
        "",
        "7.3 Notices. Notices shall be in writing.",
    ]
    doc = _doc(make_pdf([page1, page2]))
    renewal = [b for b in doc.blocks if "successive" in b.text]
    assert len(renewal) == 1
    block = renewal[0]
    assert "unless either party gives ninety (90) days'" in block.text
    assert [p.page for p in block.provenance] == [1, 2]
    first, second = block.provenance
    assert doc.text[first.start : first.end].startswith("7.2 Renewal")
    assert doc.text[second.start : second.end].startswith("either party")


def test_line_end_hyphenation_is_undone_but_real_hyphens_kept() -> None:
    text, starts = join_lines(
        [
            "This Agreement renews auto-",
            "matically each year; a non-",
            "renewal notice is due ninety-",
            "five days before.",
        ]
    )
    assert "automatically" in text
    assert "non-renewal" in text
    assert "ninety-five" in text
    assert starts[0] == 0 and text[starts[1] :].startswith("matically")


def test_pdfium_soft_hyphen_is_joined(make_pdf: PdfMaker) -> None:
    doc = _doc(
        make_pdf(
            [
                [
                    "Section 8.1 Term. This Agreement shall renew auto-",
                    "matically for successive one (1) year terms.",
                ]
            ]
        )
    )
    assert "renew automatically for successive" in doc.text


def test_section_tree_from_numbering(make_pdf: PdfMaker) -> None:
    lines = [
        "PARTICIPATING PROVIDER AGREEMENT",
        "",
        "ARTICLE VIII",
        "",
        "TERM AND TERMINATION",
        "",
        "8.1 Term. The term is three (3) years.",
        "",
        "8.2 Termination. Either party may terminate.",
        "",
        "(a) Without cause, on ninety (90) days' notice.",
        "",
        "(b) For cause, on thirty (30) days' notice.",
        "",
        "Section 12.3 Audits. Plan may audit Claims.",
        "",
    ]
    doc = _doc(make_pdf([lines]))
    by_number = {s.number: s for s in doc.sections if s.number}
    assert {"VIII", "8.1", "8.2", "8.2(a)", "8.2(b)", "12.3"} <= set(by_number)
    assert by_number["8.1"].parent == by_number["VIII"].index
    assert by_number["8.2(b)"].parent == by_number["8.2"].index
    assert by_number["8.1"].title == "Term"
    without_cause = next(b for b in doc.blocks if b.text.startswith("(a)"))
    assert doc.sections[without_cause.section_index].number == "8.2(a)"
    title = doc.blocks[0]
    assert title.kind is BlockKind.HEADING


def test_numbering_patterns() -> None:
    assert numbering_at_start("ARTICLE VIII TERM").number == "VIII"
    assert numbering_at_start("4(b) Payment.").number == "4(b)"
    assert numbering_at_start("Section 12.3 Audit").number == "12.3"
    assert numbering_at_start("8.1. Term").number == "8.1"
    assert numbering_at_start("EXHIBIT B Compensation").number == "Exhibit B"
    assert numbering_at_start("ninety (90) days") is None
    assert numbering_at_start("2026 rates apply") is None


def test_bare_list_numbers_do_not_open_top_level_sections(make_pdf: PdfMaker) -> None:
    lines = [
        "1. Definitions. Terms have these meanings.",
        "",
        "2. Services. Provider shall:",
        "",
        "7. keep records;",
        "",
        "3. Payment. Plan shall pay Claims.",
    ]
    doc = _doc(make_pdf([lines]))
    numbers = [s.number for s in doc.sections]
    assert numbers == ["1", "2", "3"]
