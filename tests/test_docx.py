"""Word drafts (.docx) read into the same document model as PDFs: the same findings and rate
rows, pages from the file's page breaks, a paragraph reference on every finding and rate row,
and every kind of bad .docx one stable code, never a traceback."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.docx_reader import DOCX_MEDIA_TYPE, format_number, read_docx
from extractor.errors import PayerlensError
from extractor.model import AnalysisResult, BlockKind, Status
from extractor.pdf_reader import ReaderSettings, inspect_document
from extractor.serialize import result_to_dict
from tests.conftest import REPO, build_pdf
from tests.schema_v1 import ResultV1

TITLE = "PROVIDER SERVICES AGREEMENT"
PREAMBLE = (
    "This Provider Services Agreement is entered into as of January 1, 2025 by and between "
    'Acme Health Plan, Inc. ("Payer") and Riverside Medical Group, P.C. ("Provider").'
)
EVERGREEN = (
    "1.1 Term. This Agreement shall commence on the Effective Date and continue for an "
    "initial term of two (2) years. Thereafter, this Agreement shall automatically renew for "
    "successive one (1) year terms unless either party gives written notice of non-renewal "
    "at least ninety (90) days prior to the end of the then-current term."
)
WITHOUT_CAUSE = (
    "1.2 Termination Without Cause. Either party may terminate this Agreement without cause "
    "upon sixty (60) days' prior written notice to the other party."
)
AUDIT = (
    "2.1 Audit. Payer may audit Provider's records relating to claims paid under this "
    "Agreement at any time during the term and for a period of thirty-six (36) months after "
    "payment, and may recover any overpayments identified through extrapolation."
)
FEES = [
    ("99213", "Office visit, established patient", "$92.50"),
    ("99214", "Office visit, established, moderate", "$135.00"),
    ("93000", "Electrocardiogram, complete", "$18.75"),
]
# The body as the agreement prints it: (style, text); "PAGE" a page break, "TABLE" the fees.
BODY: list[tuple[str, str]] = [
    ("Title", TITLE),
    ("Normal", PREAMBLE),
    ("Heading 1", "ARTICLE 1 TERM AND TERMINATION"),
    ("Normal", EVERGREEN),
    ("Normal", WITHOUT_CAUSE),
    ("PAGE", ""),
    ("Heading 1", "ARTICLE 2 RECORDS AND AUDIT"),
    ("Normal", AUDIT),
    ("Heading 1", "EXHIBIT A COMPENSATION"),
    ("Normal", "Payer shall pay Provider the amounts in the fee schedule below."),
    ("TABLE", ""),
]


def agreement_docx(path: Path, body: list[tuple[str, str]] = BODY) -> Path:
    """The agreement as a Word draft: styles, a page break paragraph, a Word table of fees,
    and a header and footer that must not be read."""
    doc = new_docx()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL DRAFT - do not audit"
    section.footer.paragraphs[0].text = "Page 1"
    for style, text in body:
        if style == "PAGE":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif style == "TABLE":
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, head in zip(
                table.rows[0].cells, ("CPT Code", "Description", "Fee"), strict=True
            ):
                cell.text = head
            for row in FEES:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
        else:
            doc.add_paragraph(text, style=style)
    doc.save(str(path))
    return path


def agreement_pdf(path: Path) -> Path:
    """The same agreement typeset as a PDF (the fee table as aligned text)."""
    pages: list[list[str]] = [[]]
    for style, text in BODY:
        if style == "PAGE":
            pages.append([])
        elif style == "TABLE":
            pages[-1] += ["CPT Code      Description                               Fee"]
            for code, desc, fee in FEES:
                pages[-1].append(f"{code}         {desc:<40}  {fee}")
        else:
            pages[-1] += [*textwrap.wrap(text, 90), ""]
    return build_pdf(path, pages)


@pytest.fixture(scope="module")
def docx_result(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> AnalysisResult:
    path = agreement_docx(tmp_path_factory.mktemp("docx") / "agreement.docx")
    return analyzer.analyze_path(path)


def _by_category(result: AnalysisResult) -> dict[str, Any]:
    return {f.category: f for f in result.findings}


# -- the document model ---------------------------------------------------------------------------


def test_findings_carry_category_fields_section_page_and_paragraph(
    docx_result: AnalysisResult,
) -> None:
    result = docx_result
    assert result.status is Status.SUCCESS and result.problems == ()
    assert result.source.media_type == DOCX_MEDIA_TYPE and result.source.pages == 2
    found = _by_category(result)
    evergreen = found["evergreen_renewal"]
    assert evergreen.fields["notice_days"] == 90 and evergreen.fields["renewal_term_months"] == 12
    # paragraph 1 the title, 2 the preamble, 3 the heading, 4 the clause
    assert (evergreen.section, evergreen.page, evergreen.paragraph) == ("1.1", 1, 4)
    without_cause = found["termination_without_cause"]
    assert without_cause.fields["notice_days"] == 60
    assert (without_cause.section, without_cause.page, without_cause.paragraph) == ("1.2", 1, 5)
    # after the page break (paragraph 6): page 2
    audit = found["audit_provision"]
    assert audit.fields["lookback_months"] == 36 and audit.fields["extrapolation"] is True
    assert (audit.section, audit.page, audit.paragraph) == ("2.1", 2, 8)
    c = result.contract
    assert c.title == TITLE and c.payer == "Acme Health Plan, Inc."
    assert c.provider == "Riverside Medical Group, P.C." and c.initial_term_months == 24


def test_headers_footers_out_headings_and_sections_in(docx_result: AnalysisResult) -> None:
    document = docx_result.document
    assert document is not None
    assert "CONFIDENTIAL" not in document.text and "Page 1" not in document.text
    headings = [b.text for b in document.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        TITLE,
        "ARTICLE 1 TERM AND TERMINATION",
        "ARTICLE 2 RECORDS AND AUDIT",
        "EXHIBIT A COMPENSATION",
    ]
    labels = [s.label for s in document.sections]
    assert {"1", "1.1", "1.2", "2", "2.1", "Exhibit A"} <= set(labels)
    assert [p.number for p in document.pages] == [1, 2]
    assert all(b.paragraph is not None for b in document.blocks)


def test_rate_rows_from_a_word_table(docx_result: AnalysisResult) -> None:
    rows = [r for r in docx_result.rates if r.table is not None]
    assert [(r.code, r.amount) for r in rows] == [
        (code, Decimal(fee.strip("$"))) for code, _, fee in FEES
    ]
    for index, row in enumerate(rows, start=1):
        assert row.code_type == "CPT" and row.methodology == "fee_schedule"
        assert (row.page, row.table, row.row, row.section) == (2, 0, index, "Exhibit A")
        assert row.paragraph == 11 and row.bbox is None  # no geometry in a .docx: no box


def test_the_same_clauses_in_a_pdf_and_a_docx_give_the_same_findings(
    tmp_path: Path, analyzer: Analyzer, docx_result: AnalysisResult
) -> None:
    pdf = analyzer.analyze_path(agreement_pdf(tmp_path / "agreement.pdf"))
    assert pdf.status is Status.SUCCESS

    def summary(result: AnalysisResult) -> list[tuple[str, str, str | None, int, str]]:
        return sorted(
            (f.category, f.severity.value, f.section, f.page, json.dumps(f.fields, sort_keys=True))
            for f in result.findings
        )

    assert summary(docx_result) == summary(pdf)
    assert docx_result.contract == pdf.contract

    def rows(result: AnalysisResult) -> list[tuple[Any, ...]]:
        return [(r.code, r.amount, r.methodology, r.page, r.table, r.row) for r in result.rates]

    assert rows(docx_result) == rows(pdf)  # the Word table and the typeset one
    assert all(f.paragraph is None for f in pdf.findings)
    assert all(r.paragraph is None for r in pdf.rates)


def sample_as_docx(contract: Any, path: Path) -> Path:
    """A sample contract of ``corpus/generator`` written as a Word draft: the same text with
    Word's structure (Title and Heading styles, bold run-in captions, Word tables, a title
    block's lines parted by soft line breaks, running header and footer)."""
    from corpus.generator.model import Heading, PageBreak, Para, Signature, Table, Title

    doc = new_docx()
    running = contract.running
    doc.sections[0].header.paragraphs[0].text = f"{running.header_left} {running.header_right}"
    doc.sections[0].footer.paragraphs[0].text = running.footer_center
    for b in contract.blocks:
        if isinstance(b, Title):
            doc.add_paragraph(b.text, style="Title")
            if b.subtitle:
                doc.add_paragraph(b.subtitle, style="Subtitle")
        elif isinstance(b, Heading):
            heading = doc.add_paragraph(style="Heading 1" if b.level == 1 else "Heading 2")
            for i, line in enumerate(b.text.split("\n")):
                if i:
                    heading.add_run().add_break()
                heading.add_run(line)
        elif isinstance(b, Para):
            paragraph = doc.add_paragraph()
            lead = " ".join(x for x in (b.label, b.caption) if x)
            if lead:
                paragraph.add_run(lead).bold = True
                paragraph.add_run(" ")
            paragraph.add_run(b.clean_text())
        elif isinstance(b, Table):
            if b.caption:
                doc.add_paragraph().add_run(b.caption).bold = True
            table = doc.add_table(rows=1, cols=len(b.header))
            for cell, text in zip(table.rows[0].cells, b.header, strict=True):
                cell.text = text
            for i, values in enumerate(b.rows):
                cells = table.add_row().cells
                if i in b.section_rows:  # a label row across the table: one merged cell
                    cells[0].merge(cells[-1]).text = " ".join(v for v in values if v)
                else:
                    for cell, text in zip(cells, values, strict=True):
                        cell.text = text
        elif isinstance(b, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(b, Signature):
            doc.add_paragraph(b.lead_in)
            table = doc.add_table(rows=1, cols=len(b.parties))
            for cell, (caption, name) in zip(table.rows[0].cells, b.parties, strict=True):
                cell.text = f"{caption}\n{name}\nBy: ____________\nName: ____________"
    doc.save(str(path))
    return path


def _samples() -> list[Any]:
    from corpus.generator.generate_samples import load_contracts

    return list(load_contracts())


@pytest.mark.parametrize("contract", _samples(), ids=lambda c: c.name)
def test_every_sample_contract_as_a_word_draft_reads_as_its_pdf(
    contract: Any, tmp_path: Path, analyzer: Analyzer
) -> None:
    """The shipped samples written as Word drafts: the same key terms and findings as the
    PDFs' golden snapshots (category, severity, section, rule, fields), and the ground truth's
    rate rows. Pages differ (Word drafts only break where the generator forced a page), and
    text is not compared: part of two samples' PDFs is a scan, read through OCR."""
    path = sample_as_docx(contract, tmp_path / f"{contract.name}.docx")
    result = result_to_dict(analyzer.analyze_path(path))
    ResultV1.model_validate(result)
    golden_path = REPO / "tests" / "golden" / "samples" / f"{contract.name}.json"
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    assert result["errors"] == [] and result["contract"] == golden["contract"]
    keep = ("category", "severity", "section", "rule_id", "fields")
    assert [{k: f[k] for k in keep} for f in result["findings"]] == [
        {k: f[k] for k in keep} for f in golden["findings"]
    ]
    assert all(f["paragraph"] is not None for f in result["findings"])
    truth_path = REPO / "corpus" / "samples" / f"{contract.name}.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    fields = ("code", "modifier", "methodology", "amount", "percent", "percent_of", "unit")

    def rows(rates: list[dict[str, Any]]) -> list[str]:
        return sorted(json.dumps([r[k] for k in (*fields, "product_line", "note")]) for r in rates)

    assert rows(result["rates"]) == rows(truth["rates"])
    assert all(r["paragraph"] is not None and r["bbox"] is None for r in result["rates"])


def test_word_numbering_page_breaks_and_layout_tables(tmp_path: Path) -> None:
    """Automatic list numbers are printed before the text as Word shows them; section breaks
    and Word's rendered page marks count as pages (a mark right after an explicit break
    counts once); a one-column box table is read as paragraphs."""
    doc = new_docx()
    numbering = doc.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="ARTICLE %1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="(%3)"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def numbered(paragraph: Any, level: int) -> Any:
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            )
        )
        return paragraph

    rendered = f"<w:lastRenderedPageBreak {nsdecls('w')}/>"
    numbered(doc.add_heading("Term", 1), 0)  # 1
    numbered(doc.add_paragraph("Renewal. It renews each year."), 1)  # 2
    numbered(doc.add_paragraph("first item;"), 2)  # 3
    numbered(doc.add_paragraph("second item."), 2)  # 4
    doc.add_section(WD_SECTION.NEW_PAGE)  # 5: an empty paragraph ending the first section
    numbered(doc.add_heading("Audit", 1), 0)  # 6
    after_break = doc.add_paragraph()  # 7: an explicit break, then Word's own mark
    after_break.add_run().add_break(WD_BREAK.PAGE)
    marked = numbered(doc.add_paragraph("Records. Payer may inspect records."), 1)  # 8
    marked.runs[0]._r.insert(0, parse_xml(rendered))
    box = doc.add_table(rows=1, cols=1)  # 9: a layout box, not data
    box.rows[0].cells[0].text = "Notices shall be given in writing."
    path = tmp_path / "numbered.docx"
    doc.save(str(path))

    document = read_docx(path).document
    shown = [(b.text, b.page, b.paragraph, b.kind) for b in document.blocks]
    assert shown == [
        ("ARTICLE I Term", 1, 1, BlockKind.HEADING),
        ("1.1 Renewal. It renews each year.", 1, 2, BlockKind.PARAGRAPH),
        ("(a) first item;", 1, 3, BlockKind.PARAGRAPH),
        ("(b) second item.", 1, 4, BlockKind.PARAGRAPH),
        ("ARTICLE II Audit", 2, 6, BlockKind.HEADING),
        ("2.1 Records. Payer may inspect records.", 3, 8, BlockKind.PARAGRAPH),
        ("Notices shall be given in writing.", 3, 9, BlockKind.PARAGRAPH),
    ]
    assert document.source.pages == 3 and document.tables == ()
    assert {"I", "1.1", "1.1(a)", "II", "2.1"} <= {s.label for s in document.sections}


def test_a_paragraph_split_by_a_page_break_has_provenance_on_both_pages(tmp_path: Path) -> None:
    doc = new_docx()
    paragraph = doc.add_paragraph("Payer shall pay claims within thirty (30) days ")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.add_run("of receipt of a clean claim.")
    path = tmp_path / "split.docx"
    doc.save(str(path))
    (block,) = read_docx(path).document.blocks
    assert [p.page for p in block.provenance] == [1, 2] and block.paragraph == 1
    assert (
        block.text == "Payer shall pay claims within thirty (30) days of receipt of a clean claim."
    )


def test_no_page_marks_means_one_page(tmp_path: Path) -> None:
    path = agreement_docx(tmp_path / "flat.docx", [b for b in BODY if b[0] != "PAGE"])
    document = read_docx(path).document
    assert document.source.pages == 1 and {b.page for b in document.blocks} == {1}


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (4, "decimal", "4"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
        (28, "lowerLetter", "bb"),
    ],
)
def test_list_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_reader_chosen_by_content_not_suffix(tmp_path: Path, analyzer: Analyzer) -> None:
    docx_named_pdf = agreement_docx(tmp_path / "draft.pdf")
    result = analyzer.analyze_path(docx_named_pdf)
    assert result.source.media_type == DOCX_MEDIA_TYPE and result.findings
    pdf_named_docx = agreement_pdf(tmp_path / "agreement.docx")
    result = analyzer.analyze_path(pdf_named_docx)
    assert result.source.media_type == "application/pdf" and result.findings


def test_inspect_document_counts_pages_of_both_kinds(tmp_path: Path) -> None:
    assert inspect_document(agreement_docx(tmp_path / "a.docx")) == 2
    assert inspect_document(agreement_pdf(tmp_path / "a.pdf")) == 2
    with pytest.raises(PayerlensError) as caught:
        inspect_document(agreement_docx(tmp_path / "b.docx"), ReaderSettings(max_pages=1))
    assert caught.value.code == "limits.too_many_pages"


# -- bad input ------------------------------------------------------------------------------------


def _only_problem(result: AnalysisResult) -> tuple[str, str]:
    assert result.status is Status.FAILED
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert problem.fatal and problem.message and "Traceback" not in problem.message
    return problem.code, problem.message


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def compound_file(streams: list[str]) -> bytes:
    """A minimal, well-formed OLE compound file (CFB v3) whose root storage holds empty
    streams of these names, as an encrypted Office file ("EncryptionInfo",
    "EncryptedPackage") or a legacy .doc ("WordDocument") has."""
    end, free, fat, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)  # magic, CLSID
    # versions, byte order, sector shifts, reserved, counts and the first sectors: one FAT
    # sector (0), the directory in sector 1, no mini FAT, no DIFAT sectors
    header += struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0
    )
    header += struct.pack("<109I", 0, *[free] * 108)
    assert len(header) == 512
    fat_sector = struct.pack("<128I", fat, end, *[free] * 126)

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, nostream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )

    entries = [entry("Root Entry", 5, nostream, 1 if streams else nostream)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(streams) else nostream, nostream))
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat_sector + directory


@pytest.fixture
def failed(tmp_path: Path, analyzer: Analyzer) -> Callable[[str, bytes], tuple[str, str]]:
    def _failed(name: str, data: bytes) -> tuple[str, str]:
        path = tmp_path / name
        path.write_bytes(data)
        return _only_problem(analyzer.analyze_path(path))

    return _failed


def test_not_a_zip_named_docx_is_corrupt(failed: Callable[[str, bytes], tuple[str, str]]) -> None:
    code, message = failed("notes.docx", b"Dear counsel, please find the draft attached.")
    assert code == "input.corrupt" and "not a ZIP" in message
    code, _ = failed("empty.docx", b"")
    assert code == "input.corrupt"


def test_damaged_zip_and_damaged_xml_are_corrupt(
    tmp_path: Path, failed: Callable[[str, bytes], tuple[str, str]]
) -> None:
    good = agreement_docx(tmp_path / "good.docx").read_bytes()
    assert failed("cut.docx", good[: len(good) // 2])[0] == "input.corrupt"
    assert failed("garbage.docx", b"PK\x03\x04" + bytes(range(256)) * 20)[0] == "input.corrupt"
    broken = _zip(
        tmp_path / "broken.zip",
        {
            "[Content_Types].xml": b"<Types",
            "_rels/.rels": b"<not xml",
            "word/document.xml": b"<w:document>",
        },
    )
    assert failed("broken.docx", broken.read_bytes())[0] == "input.corrupt"


def test_encrypted_office_file(failed: Callable[[str, bytes], tuple[str, str]]) -> None:
    data = compound_file(["EncryptionInfo", "EncryptedPackage"])
    code, message = failed("locked.docx", data)
    assert code == "input.encrypted" and "password" in message


def test_zip_encrypted_package(
    tmp_path: Path, failed: Callable[[str, bytes], tuple[str, str]]
) -> None:
    data = bytearray(agreement_docx(tmp_path / "a.docx").read_bytes())
    at = data.find(b"PK\x01\x02")  # the first central-directory entry: set "encrypted"
    data[at + 8] |= 0x01
    assert failed("zip_locked.docx", bytes(data))[0] == "input.encrypted"


def test_legacy_doc_and_other_formats_are_unsupported(
    tmp_path: Path, failed: Callable[[str, bytes], tuple[str, str]]
) -> None:
    code, message = failed("old.doc", compound_file(["WordDocument", "1Table"]))
    assert code == "input.unsupported_type" and ".docx" in message and ".doc" in message
    sheet = _zip(tmp_path / "s.zip", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b""})
    assert failed("book.xlsx", sheet.read_bytes())[0] == "input.unsupported_type"
    macro = io.BytesIO()
    with (
        zipfile.ZipFile(agreement_docx(tmp_path / "m.docx")) as src,
        zipfile.ZipFile(macro, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document."
                    b"main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            dst.writestr(item, data)
    code, message = failed("macro.docm", macro.getvalue())
    assert code == "input.unsupported_type" and "macro" in message
    plain = _zip(tmp_path / "p.zip", {"notes.txt": b"hello"})
    code, message = failed("archive.zip", plain.read_bytes())
    assert code == "input.not_pdf" and "PDF" in message and ".docx" in message


def test_unknown_file_still_not_pdf_and_says_docx_too(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.not_pdf" and "not a PDF" in message and ".docx" in message


def test_empty_document_has_no_text(tmp_path: Path, analyzer: Analyzer) -> None:
    doc = new_docx()
    doc.add_paragraph("")
    doc.add_table(rows=2, cols=2)
    path = tmp_path / "blank.docx"
    doc.save(str(path))
    result = analyzer.analyze_path(path)
    assert result.status is Status.FAILED
    assert [p.code for p in result.problems] == ["input.no_text"]
    assert "Word document has no text" in result.problems[0].message


def test_xml_entities_are_not_expanded(tmp_path: Path, analyzer: Analyzer) -> None:
    """A "billion laughs" document body is never expanded: libxml2 refuses the entity
    amplification (damaged) or, left unresolved, the body has no text."""
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><w:document {nsdecls("w")}>'
        "<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(agreement_docx(tmp_path / "a.docx")) as src:
        members = {name: src.read(name) for name in src.namelist()}
    members["word/document.xml"] = body.encode()
    started = time.perf_counter()
    result = analyzer.analyze_path(_zip(tmp_path / "laughs.docx", members))
    assert time.perf_counter() - started < 2.0
    assert [p.code for p in result.problems] in (["input.corrupt"], ["input.no_text"])


def _with_limits(analyzer: Analyzer, **limits: int) -> Analyzer:
    settings = AnalyzerSettings(reader=ReaderSettings(**limits))
    return Analyzer(settings, rules=analyzer.rules, nlp=analyzer.nlp, model=analyzer.model)


def test_limits_apply_to_bytes_and_counted_pages(tmp_path: Path, analyzer: Analyzer) -> None:
    path = agreement_docx(tmp_path / "a.docx")
    code, message = _only_problem(_with_limits(analyzer, max_pages=1).analyze_path(path))
    assert code == "limits.too_many_pages" and "2 pages" in message
    code, _ = _only_problem(_with_limits(analyzer, max_bytes=1000).analyze_path(path))
    assert code == "limits.too_many_bytes"


@pytest.fixture(scope="module")
def zeros_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A "document" whose body inflates to 256 MiB of zeros from about 250 KB, written in
    chunks (the test never holds it in memory)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(256):
                member.write(chunk)
    return path


def test_zip_bomb_refused_before_inflating(zeros_bomb: Path, analyzer: Analyzer) -> None:
    assert zeros_bomb.stat().st_size < 2_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = analyzer.analyze_path(zeros_bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    code, message = _only_problem(result)
    assert code == "input.zip_bomb" and "word/document.xml" in message
    assert elapsed < 2.0, elapsed
    assert peak < 20 * 1024 * 1024, peak  # the file's bytes and the zip directory, no more


def test_member_declaring_gigabytes_is_refused(tmp_path: Path, analyzer: Analyzer) -> None:
    """A crafted archive: a small stored member whose headers declare 4 GB."""
    path = _zip(tmp_path / "tiny.docx", {"word/document.xml": b"<w:document/>"})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        struct.pack_into("<I", data, at + offset, 4_000_000_000)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 4_000_000_000
    started = time.perf_counter()
    code, _ = _only_problem(analyzer.analyze_path(path))
    assert code == "input.zip_bomb" and time.perf_counter() - started < 1.0


def test_too_many_members_is_refused(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for i in range(10_001):
            archive.writestr(f"x/{i}", b"")
    code, message = _only_problem(analyzer.analyze_path(path))
    assert code == "input.zip_bomb" and "members" in message


# -- the command line ----------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_analyzes_docx_and_folders_of_pdf_and_docx(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    (folder / "old").mkdir(parents=True)
    agreement_docx(folder / "a_draft.docx")
    agreement_pdf(folder / "old" / "b_signed.pdf")
    (folder / "~$a_draft.docx").write_bytes(b"\x00lock")  # Word's owner file: not a document
    (folder / "notes.txt").write_text("not a contract")
    result = _run("analyze", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    objs = [ResultV1.model_validate(json.loads(x)) for x in result.stdout.splitlines()]
    assert [Path(o.source.path).name for o in objs] == ["a_draft.docx", "b_signed.pdf"]
    docx, pdf = objs
    assert docx.errors == [] and docx.source.media_type == DOCX_MEDIA_TYPE
    assert docx.source.pages == 2
    evergreen = next(f for f in docx.findings if f.category == "evergreen_renewal")
    assert (evergreen.paragraph, evergreen.page, evergreen.section) == (4, 1, "1.1")
    assert evergreen.fields["notice_days"] == 90
    assert [(r.code, r.amount, r.paragraph) for r in docx.rates if r.table is not None] == [
        ("99213", 92.5, 11),
        ("99214", 135.0, 11),
        ("93000", 18.75, 11),
    ]
    assert all(f.paragraph is None for f in pdf.findings)
    assert {f.category for f in docx.findings} == {f.category for f in pdf.findings}


def test_cli_rates_csv_of_a_docx(tmp_path: Path) -> None:
    import csv

    path = agreement_docx(tmp_path / "draft.docx")
    result = _run("rates", str(path), "--csv")
    assert result.returncode == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["table"] != ""]
    assert [(r["code"], r["amount"], r["page"]) for r in rows] == [
        ("99213", "92.50", "2"),
        ("99214", "135.00", "2"),
        ("93000", "18.75", "2"),
    ]
    bad = tmp_path / "old.doc"
    bad.write_bytes(compound_file(["WordDocument"]))
    failed = _run("analyze", str(bad), "--json")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert json.loads(failed.stdout)["errors"][0]["code"] == "input.unsupported_type"


def test_schema_v1_keys_are_present_for_pdf_rows_too(docx_result: AnalysisResult) -> None:
    obj = result_to_dict(docx_result)
    ResultV1.model_validate(obj)
    assert all("paragraph" in f for f in obj["findings"])
    assert all("paragraph" in r for r in obj["rates"])
