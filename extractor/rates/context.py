"""The product line a rate row belongs to, from the row itself, its exhibit's headings, or the
contract: a schedule that names one product ("Attachment C - Medicare Advantage Compensation")
prices that product; a schedule covering every product of the agreement gets none."""

from __future__ import annotations

from dataclasses import replace

from extractor.key_terms import products_in
from extractor.model import Block, BlockKind, ContractTerms, Document, RateRow


def with_product_lines(
    rows: list[RateRow], document: Document, terms: ContractTerms
) -> list[RateRow]:
    table_blocks = _table_blocks(document)
    out = []
    for row in rows:
        block_index = row.block
        if block_index is None and row.table is not None:
            block_index = table_blocks.get(row.table)
        block = document.blocks[block_index] if block_index is not None else None
        out.append(replace(row, product_line=_product_line(row, block, document, terms)))
    return out


def _product_line(
    row: RateRow, block: Block | None, document: Document, terms: ContractTerms
) -> str | None:
    for text in (row.description or "", _headings(block, document)):
        found = products_in(text)
        if len(found) == 1:
            return next(iter(found))
    if len(terms.product_lines) == 1:
        return terms.product_lines[0]
    return None


def _headings(block: Block | None, document: Document) -> str:
    if block is None:
        return ""
    titles = []
    index = block.section_index
    while index is not None:
        section = document.sections[index]
        titles.append(f"{section.number or ''} {section.title or ''}")
        index = section.parent
    return " ".join(titles)


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
