"""The typed, frozen objects every stage passes on: document, blocks, tables, sections, results.

Coordinates are PDF points with the origin at the top-left of the page (pdfplumber's convention),
pages are 1-based, character spans index into ``Document.text``. A document without page
geometry (a Word .docx) has nominal boxes (order only, never serialised) and a paragraph
reference on every block instead: the 1-based index of the body paragraph or table it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    TABLE = "table"


class Status(str, Enum):
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILED = "failed"


@dataclass(frozen=True)
class Provenance:
    """Where a piece of text stands: its page, its box there and its span in the document text."""

    page: int
    bbox: BBox
    start: int
    end: int


@dataclass(frozen=True)
class Problem:
    """Something that went wrong without stopping the analysis (or, if fatal, that did)."""

    code: str
    message: str
    page: int | None = None
    stage: str = "read"
    fatal: bool = False


@dataclass(frozen=True)
class TextLine:
    """One line of text on a page, as the PDF reader found it."""

    page: int
    text: str
    bbox: BBox
    font_size: float


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    bbox: BBox | None
    is_header: bool = False


@dataclass(frozen=True)
class Table:
    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]

    def grid(self) -> list[list[str]]:
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.text
        return rows


@dataclass(frozen=True)
class Block:
    """A paragraph or heading in reading order; one block may run across a page break."""

    index: int
    kind: BlockKind
    text: str
    start: int
    end: int
    provenance: tuple[Provenance, ...]
    section_index: int | None = None
    font_size: float = 0.0
    # The body paragraph or table this block came from (1-based, in document order) in a
    # document without page geometry (.docx); None for PDFs.
    paragraph: int | None = None

    @property
    def page(self) -> int:
        return self.provenance[0].page


@dataclass(frozen=True)
class Section:
    """A numbered or titled part of the contract ("ARTICLE VIII", "8.1", "4(b)", "DEFINITIONS")."""

    index: int
    number: str | None
    title: str | None
    level: int
    page: int
    start: int
    end: int
    parent: int | None

    @property
    def label(self) -> str | None:
        return self.number or self.title


@dataclass(frozen=True)
class PageInfo:
    number: int
    width: float
    height: float
    rotation: int
    char_count: int
    has_text_layer: bool


@dataclass(frozen=True)
class SourceInfo:
    path: str
    sha256: str
    pages: int
    media_type: str = "application/pdf"
    ocr_pages: tuple[int, ...] = ()
    # Mean Tesseract word confidence (0-100) over the OCR'd pages; None when nothing was OCR'd.
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class Document:
    source: SourceInfo
    pages: tuple[PageInfo, ...]
    text: str
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Finding:
    category: str
    severity: Severity
    page: int
    section: str | None
    text: str
    fields: dict[str, Any]
    rule_id: str
    rule_version: int
    confidence: float
    explanation: str
    start: int
    end: int
    # The clause model's score for this category (0-1); None where it has no opinion.
    model_score: float | None = None
    # The body paragraph/table the evidence starts in (1-based), for a .docx; None for PDFs.
    paragraph: int | None = None


@dataclass(frozen=True)
class MedicareBenchmark:
    """A fee-schedule row priced against Medicare: the Medicare amount for the same code,
    modifier and site of service in the chosen locality, and the row as a percent of it."""

    locality: str  # e.g. "OH-2020" or "national-2024"
    amount: Decimal
    percent_of_medicare: float
    suspicious: bool  # outside the sane band (see extractor/rates/medicare.py)


@dataclass(frozen=True)
class RateRow:
    code: str | None
    code_type: str | None
    modifier: str | None
    description: str | None
    methodology: str
    amount: Decimal | None
    percent: float | None
    percent_of: str | None
    unit: str | None
    product_line: str | None
    page: int
    # Where the row came from: the table's index in Document.tables and the row in its grid.
    table: int | None = None
    row: int | None = None
    block: int | None = None  # the Block it was read from (for its section and context)
    bbox: BBox | None = None  # the row's box on its page (top-left origin, points)
    section: str | None = None  # the section it is printed in ("B.10", "Exhibit A")
    setting: str | None = None  # inpatient, outpatient, professional, ... from the exhibit
    effective_date: date | None = None  # the exhibit's own effective date, where it states one
    # Why a row has no amount: by_report, not_covered, not_applicable, per_medicare, ...
    note: str | None = None
    # Validation findings on this row (codes like "rate.code_format"), never silently dropped.
    problems: tuple[str, ...] = ()
    medicare: MedicareBenchmark | None = None
    # The body paragraph/table the row was read from (1-based), for a .docx; None for PDFs.
    paragraph: int | None = None


@dataclass(frozen=True)
class ContractTerms:
    title: str | None = None
    payer: str | None = None
    provider: str | None = None
    effective_date: date | None = None
    expiration_date: date | None = None
    initial_term_months: int | None = None
    product_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalysisResult:
    """The one result type: it feeds the CLI, the evaluation, and later storage and the API."""

    source: SourceInfo
    status: Status
    contract: ContractTerms
    findings: tuple[Finding, ...]
    rates: tuple[RateRow, ...]
    problems: tuple[Problem, ...]
    ruleset_version: str
    document: Document | None = field(default=None, compare=False, repr=False)
