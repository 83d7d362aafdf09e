"""Text-level NLP for payer contracts: number words, typed quantities and codes, legal sentence
boundaries, and the spaCy pipeline that exposes them (``make_nlp``).

``numbers``, ``entities`` and ``sentences`` are pure Python; only ``pipeline`` imports spaCy, and
it is imported lazily here so rule code can use the finders without paying for spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.nlp.entities import LABELS, Code, Duration, Entity, EntityValue, find_entities
from extractor.nlp.numbers import NumberReading, parse_number_words, read_number
from extractor.nlp.sentences import sentence_bounds, sentence_starts

if TYPE_CHECKING:
    from extractor.nlp.pipeline import entity_of, make_nlp

__all__ = [
    "LABELS",
    "Code",
    "Duration",
    "Entity",
    "EntityValue",
    "NumberReading",
    "entity_of",
    "find_entities",
    "make_nlp",
    "parse_number_words",
    "read_number",
    "sentence_bounds",
    "sentence_starts",
]


def __getattr__(name: str) -> Any:
    if name in ("make_nlp", "entity_of"):
        from extractor.nlp import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
