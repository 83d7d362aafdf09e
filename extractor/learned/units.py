"""Clause units the model scores: the sentences of a document's paragraphs, with provenance."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.model import BlockKind, Document
from extractor.nlp.sentences import sentence_bounds
from extractor.rules.engine import page_at, section_label

# A "sentence" shorter than this is a heading, a label or a fragment: nothing to classify.
MIN_WORDS = 6
# Run-on text (a table flattened into prose, an OCR soup) is cut so one unit stays one idea.
MAX_CHARS = 1200


@dataclass(frozen=True)
class ClauseUnit:
    text: str
    block: int  # index into document.blocks
    start: int  # document offsets
    end: int
    page: int
    section: str | None


def clause_units(document: Document) -> list[ClauseUnit]:
    units: list[ClauseUnit] = []
    for block in document.blocks:
        if block.kind is not BlockKind.PARAGRAPH or not block.text.strip():
            continue
        for s, e in sentence_bounds(block.text):
            text = " ".join(block.text[s:e].split())
            if len(text.split()) < MIN_WORDS:
                continue
            units.append(
                ClauseUnit(
                    text=text[:MAX_CHARS],
                    block=block.index,
                    start=block.start + s,
                    end=block.start + e,
                    page=page_at(block, block.start + s),
                    section=section_label(document, block),
                )
            )
    return units
