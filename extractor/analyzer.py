"""Run the stages in order — read, lay out, find clauses, read key terms — and collect problems.

An ``Analyzer`` loads the spaCy pipeline and the rule set once; ``analyze_path`` never raises for
bad input: it returns a FAILED result whose problems carry the stable error code. The reader is
chosen by content: a PDF goes to ``pdf_reader``, a Word .docx (a ZIP package, or an OLE file
that turns out encrypted or legacy) to ``docx_reader``; both give the same ``Document``.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.language import Language

from extractor import errors
from extractor.docx_reader import DOCX_MEDIA_TYPE, read_docx, wants_docx_reader
from extractor.errors import PayerlensError
from extractor.key_terms import read_key_terms, read_parties
from extractor.layout import LayoutSettings, pages_to_document, text_to_document
from extractor.learned.findings import apply_model
from extractor.learned.model import ClauseModel, load_model
from extractor.model import (
    AnalysisResult,
    ContractTerms,
    Document,
    Finding,
    Problem,
    RateRow,
    SourceInfo,
    Status,
)
from extractor.nlp.pipeline import make_nlp
from extractor.parties import PartyWords
from extractor.pdf_reader import ReaderSettings, read_pdf
from extractor.rates.context import table_captions, with_context
from extractor.rates.medicare import MedicareSchedule, load_benchmark, with_medicare
from extractor.rates.prose import prose_to_rate_rows
from extractor.rates.tables import tables_to_rate_rows
from extractor.rates.validate import validate_rows
from extractor.rates.vocabulary import load_vocabulary
from extractor.rules.engine import RuleEngine
from extractor.rules.loader import RuleSet, load_rules

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalyzerSettings:
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    rules_dir: Path | None = None
    # Price fee-schedule rows against Medicare here (extractor.rates.medicare.KNOWN_LOCALITIES).
    medicare_locality: str | None = None
    # The shipped clause model's second opinion (extractor/learned); False: rules alone.
    use_model: bool = True


class Analyzer:
    def __init__(
        self,
        settings: AnalyzerSettings | None = None,
        *,
        rules: RuleSet | None = None,
        nlp: Language | None = None,
        model: ClauseModel | None = None,
    ) -> None:
        self.settings = settings or AnalyzerSettings()
        self.rules = rules or load_rules(self.settings.rules_dir)
        self.model = (model or load_model()) if self.settings.use_model else None
        self.nlp = nlp or make_nlp()
        self.engine = RuleEngine(self.rules, self.nlp)
        self.vocabulary = load_vocabulary()
        locality = self.settings.medicare_locality
        self.medicare: MedicareSchedule | None = load_benchmark(locality) if locality else None

    def analyze_path(self, path: Path) -> AnalysisResult:
        document: Document
        if wants_docx_reader(path):
            try:
                docx = read_docx(path, self.settings.reader)
            except PayerlensError as exc:
                return self._failed(path, exc, DOCX_MEDIA_TYPE)
            document, problems = docx.document, list(docx.problems)
            no_text = "The Word document has no text; nothing could be analysed."
        else:
            try:
                read = read_pdf(path, self.settings.reader)
            except PayerlensError as exc:
                return self._failed(path, exc)
            document = pages_to_document(read.source, read.pages, self.settings.layout)
            problems = list(read.problems)
            no_text = "No page has a text layer (an image-only PDF); nothing could be analysed."
        if not document.text.strip():
            problems.append(Problem(errors.INPUT_NO_TEXT, no_text, fatal=True))
            return AnalysisResult(
                document.source,
                Status.FAILED,
                ContractTerms(),
                (),
                (),
                tuple(problems),
                self.rules.version,
                document,
            )
        return self.analyze_document(document, problems)

    def analyze_text(self, text: str, name: str = "<text>") -> AnalysisResult:
        source = SourceInfo(
            path=name,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            pages=1,
            media_type="text/plain",
        )
        return self.analyze_document(text_to_document(text, source), [])

    def analyze_document(self, document: Document, problems: list[Problem]) -> AnalysisResult:
        terms = read_key_terms(document)
        parties = read_parties(document.text[:6000])
        words = PartyWords().with_aliases(
            list(parties.payer_aliases), list(parties.provider_aliases)
        )
        findings = self.engine.find(document, words)
        if self.model is not None:
            findings = apply_model(self.model, document, findings)
        findings = with_paragraphs([with_contract_context(f, terms) for f in findings], document)
        status = Status.PARTIAL if problems else Status.SUCCESS
        rates = tables_to_rate_rows(document.tables, self.vocabulary, table_captions(document))
        rates += prose_to_rate_rows(document, self.vocabulary)
        rates = with_context(rates, document, terms, self.vocabulary)
        rates = validate_rows(rates)
        if self.medicare is not None:
            rates = with_medicare(rates, self.medicare)
        rates = [rate_with_paragraph(r, document) for r in rates]
        return AnalysisResult(
            source=document.source,
            status=status,
            contract=terms,
            findings=tuple(findings),
            rates=tuple(rates),
            problems=tuple(problems),
            ruleset_version=self.rules.version,
            document=document,
        )

    def _failed(
        self, path: Path, exc: PayerlensError, media_type: str = "application/pdf"
    ) -> AnalysisResult:
        sha = ""
        try:
            if path.is_file():
                sha = _sha256_file(path)
        except OSError:
            pass
        source = SourceInfo(path=str(path), sha256=sha, pages=0, media_type=media_type)
        problem = Problem(exc.code, exc.message, page=exc.page, fatal=True)
        return AnalysisResult(
            source, Status.FAILED, ContractTerms(), (), (), (problem,), self.rules.version
        )


def with_contract_context(finding: Finding, terms: ContractTerms) -> Finding:
    """A field a clause leaves unstated but the contract states elsewhere (its initial term)
    is filled from the key terms, so each finding reads on its own."""
    missing = {
        name: getattr(terms, name)
        for name, value in finding.fields.items()
        if value is None and name in CONTEXT_FIELDS and getattr(terms, name) is not None
    }
    if not missing:
        return finding
    return replace(finding, fields={**finding.fields, **missing})


CONTEXT_FIELDS = frozenset({"initial_term_months"})


def with_paragraphs(findings: list[Finding], document: Document) -> list[Finding]:
    """Findings from a document without pages (.docx) name the source paragraph their
    evidence starts in; other findings are returned as they are."""
    if all(b.paragraph is None for b in document.blocks):
        return findings
    starts = [b.start for b in document.blocks]
    out = []
    for finding in findings:
        i = bisect_right(starts, finding.start) - 1
        paragraph = document.blocks[i].paragraph if i >= 0 else None
        out.append(replace(finding, paragraph=paragraph) if paragraph is not None else finding)
    return out


def rate_with_paragraph(row: RateRow, document: Document) -> RateRow:
    """A rate row from a document without pages (.docx) names its source paragraph or table;
    its box would be nominal there, so it has none."""
    if row.block is None or not 0 <= row.block < len(document.blocks):
        return row
    paragraph = document.blocks[row.block].paragraph
    if paragraph is None:
        return row
    return replace(row, paragraph=paragraph, bbox=None)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
