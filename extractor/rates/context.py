"""What a rate row needs from around it: its product line, its setting and its exhibit's own
effective date.

A schedule that names one product ("Attachment C - Medicare Advantage Compensation") prices that
product; a schedule covering every product of the agreement gets none. The setting (inpatient,
outpatient, professional) comes from the row's own description, else from its exhibit's headings
when they name exactly one. An effective date is taken only from the exhibit the row sits in
(its headings and the text before the row): the agreement's own effective date is a key term of
the contract, not of the rates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from extractor.key_terms import products_in
from extractor.model import Block, BlockKind, ContractTerms, Document, RateRow, Section
from extractor.nlp.entities import find_entities
from extractor.rates.vocabulary import Vocabulary

# How far into an exhibit (characters before the row's block) its preamble is read for a date.
PREAMBLE_CHARS = 2500
# A paragraph this short just before a table is its caption.
CAPTION_CHARS = 160


def with_context(
    rows: list[RateRow], document: Document, terms: ContractTerms, vocab: Vocabulary
) -> list[RateRow]:
    table_blocks = _table_blocks(document)
    # Rows of one table share a block: its headings, exhibit text and date are read once.
    per_block: dict[int | None, _BlockContext] = {}
    out = []
    for row in rows:
        block_index = row.block
        if block_index is None and row.table is not None:
            block_index = table_blocks.get(row.table)
        if block_index not in per_block:
            per_block[block_index] = _block_context(block_index, document, vocab)
        ctx = per_block[block_index]
        out.append(
            replace(
                row,
                block=block_index,
                section=ctx.section,
                product_line=_product_line(row, ctx.headings, terms, ctx.exhibit_text),
                setting=_setting(row, ctx.headings, vocab),
                effective_date=ctx.effective_date,
            )
        )
    return out


@dataclass(frozen=True)
class _BlockContext:
    section: str | None
    headings: str
    exhibit_text: str
    effective_date: date | None


def _block_context(index: int | None, document: Document, vocab: Vocabulary) -> _BlockContext:
    block = document.blocks[index] if index is not None else None
    scope = _exhibit_scope(block, document, vocab)
    return _BlockContext(
        section=_section(block, document),
        headings=_headings(block, document),
        exhibit_text=scope,
        effective_date=_effective_date(scope, vocab),
    )


def _chain(index: int | None, document: Document) -> list[Section]:
    """A section and its ancestors, innermost first."""
    chain = []
    while index is not None:
        section = document.sections[index]
        chain.append(section)
        index = section.parent
    return chain


def _title(section: Section) -> str:
    return f"{section.number or ''} {section.title or ''}"


def _section(block: Block | None, document: Document) -> str | None:
    if block is None or block.section_index is None:
        return None
    return document.sections[block.section_index].label


def table_captions(document: Document) -> dict[int, str]:
    """Table index -> what titles it: a short line just before it ("Table 2-1. Schedule of
    Case Rates by Product") and the headings of its section."""
    captions = {}
    for t_index, b_index in _table_blocks(document).items():
        block = document.blocks[b_index]
        parts = [_headings(block, document)]
        if b_index > 0:
            before = document.blocks[b_index - 1]
            if before.kind is not BlockKind.TABLE and len(before.text) <= CAPTION_CHARS:
                parts.append(before.text)
        captions[t_index] = "\n".join(p for p in parts if p.strip())
    return captions


def _product_line(
    row: RateRow, headings: str, terms: ContractTerms, exhibit_text: str = ""
) -> str | None:
    if row.product_line is not None:  # set by its column ("HMO | PPO | EPO")
        return row.product_line
    for text in (row.description or "", headings, exhibit_text):
        found = products_in(text)
        if len(found) == 1:
            return next(iter(found))
    if len(terms.product_lines) == 1:
        return terms.product_lines[0]
    return None


def _setting(row: RateRow, headings: str, vocab: Vocabulary) -> str | None:
    for text in (row.description or "", headings):
        found = {name for name, pattern in vocab.settings if pattern.search(text)}
        if len(found) == 1:
            return next(iter(found))
    return None


def _effective_date(scope: str, vocab: Vocabulary) -> date | None:
    if not scope:
        return None
    # The nearest stated date before the row wins: "Part B ..., effective January 1, 2025"
    # overrides the exhibit's own date for the table under it.
    found = None
    for entity in find_entities(scope):
        if entity.label != "DATE" or not isinstance(entity.value, date):
            continue
        if vocab.effective_date.search(scope[max(0, entity.start - 60) : entity.start]):
            found = entity.value
    return found


def _exhibit_scope(block: Block | None, document: Document, vocab: Vocabulary) -> str:
    """What an exhibit says before a row: its headings from the exhibit down to the row's
    section ("EFFECTIVE JANUARY 1, 2024"), then the text just before the row; "" outside an
    exhibit."""
    exhibit = _exhibit(block, document, vocab)
    if block is None or exhibit is None:
        return ""
    start = max(exhibit.start, block.start - PREAMBLE_CHARS)
    preamble = document.text[start : block.start] if block.start > start else ""
    inside = []
    for section in _chain(block.section_index, document):
        if section.index == exhibit.index:
            break
        inside.append(_title(section))
    return "\n".join([_title(exhibit), *reversed(inside), preamble])


def _exhibit(block: Block | None, document: Document, vocab: Vocabulary) -> Section | None:
    """The exhibit a block sits in: an ancestor section named Exhibit/Attachment/Schedule, or,
    where the exhibit's paragraphs are numbered on their own ("B.5" under "EXHIBIT B"), the
    nearest such section before it."""
    if block is None or block.section_index is None:
        return None

    def is_exhibit(section: Section) -> bool:
        return bool(
            vocab.exhibit.search(section.number or "") or vocab.exhibit.search(section.title or "")
        )

    enclosing = next((s for s in _chain(block.section_index, document) if is_exhibit(s)), None)
    if enclosing is not None:
        return enclosing
    earlier = reversed(document.sections[: block.section_index])
    return next((s for s in earlier if is_exhibit(s)), None)


def _headings(block: Block | None, document: Document) -> str:
    if block is None:
        return ""
    return " ".join(_title(section) for section in _chain(block.section_index, document))


def _table_blocks(document: Document) -> dict[int, int]:
    """Table index -> the TABLE block showing it (same page and box)."""
    found: dict[int, int] = {}
    for t_index, table in enumerate(document.tables):
        for block in document.blocks:
            if block.kind is BlockKind.TABLE and any(
                p.page == table.page and p.bbox == table.bbox for p in block.provenance
            ):
                found[t_index] = block.index
                break
    return found
