"""The spaCy pipeline: a blank English tokenizer plus payerlens sentence and entity components.

This is the only module of ``extractor.nlp`` that imports spaCy. No trained model is loaded,
so building the pipeline is cheap and deterministic.

Entity values live in ``doc.user_data`` in a msgpack-friendly encoding: ``Doc.to_bytes``,
``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process>1)`` serialise ``user_data`` with msgpack,
which cannot hold ``Decimal``, ``date`` or our dataclasses. ``Span._.value`` decodes on access.
The ``value`` and ``entity`` Span extensions are registered when this module is imported, so a
Doc read back in another process answers them as soon as this module is loaded there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast
from weakref import WeakKeyDictionary

import numpy as np
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from thinc.types import Ints2d

from extractor.nlp.entities import Code, Duration, Entity, EntityValue, find_entities
from extractor.nlp.sentences import sentence_starts

__all__ = [
    "ENTITIES_COMPONENT",
    "MAX_LENGTH",
    "SENTENCES_COMPONENT",
    "entity_of",
    "make_nlp",
]

SENTENCES_COMPONENT = "payerlens_sentences"
ENTITIES_COMPONENT = "payerlens_entities"
MAX_LENGTH = 5_000_000
"""Characters per Doc. spaCy's default (1,000,000) protects the memory of parsers and NER models;
this pipeline has neither, and a long contract with exhibits can exceed a million characters."""

# Entries are keyed (_USER_DATA_KEY, start_char, end_char, label) at the top level of
# ``user_data``: spaCy serialises top-level tuple keys faithfully, nested ones it does not.
_USER_DATA_KEY = "payerlens.entity"

# One encoded entity: (kind, payload, warnings); payload holds only str/int/float/None.
_Encoded = tuple[str, tuple[Any, ...], tuple[str, ...]]


# ``Doc.text`` is rebuilt token by token on every access (about a third of this pipeline's own
# cost on a long contract); both components need it, so the first one to ask keeps it for the
# lifetime of the Doc.
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def _text_of(doc: Doc) -> str:
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def _encode(value: EntityValue) -> tuple[str, tuple[Any, ...]]:
    if isinstance(value, Duration):
        return "duration", (value.amount, value.unit, value.qualifier)
    if isinstance(value, Code):
        return "code", (value.code, value.modifier, value.through)
    if isinstance(value, Decimal):
        return "decimal", (str(value),)
    if isinstance(value, date):
        return "date", (value.isoformat(),)
    if isinstance(value, float):
        return "float", (value,)
    raise TypeError(f"no encoding for entity value {value!r}")


def _decode(kind: str, payload: tuple[Any, ...]) -> EntityValue:
    if kind == "duration":
        return Duration(*payload)
    if kind == "code":
        return Code(*payload)
    if kind == "decimal":
        return Decimal(payload[0])
    if kind == "date":
        return date.fromisoformat(payload[0])
    if kind == "float":
        return float(payload[0])
    raise ValueError(f"unknown entity value kind {kind!r}")


def entity_of(span: Span) -> Entity | None:
    """The payerlens Entity behind an entity span (offsets are the span's, in the Doc text)."""
    encoded = _user_data(span.doc).get(_key(span))
    if encoded is None:
        return None
    kind, payload, warnings = encoded
    value = _decode(kind, tuple(payload))
    return Entity(span.label_, span.start_char, span.end_char, span.text, value, tuple(warnings))


def _key(span: Span) -> tuple[str, int, int, str]:
    return (_USER_DATA_KEY, span.start_char, span.end_char, span.label_)


def _user_data(doc: Doc) -> dict[Any, Any]:
    # spaCy's stubs say dict[str, Any], but spaCy itself keys extension data by tuples.
    return cast(dict[Any, Any], doc.user_data)


def _value_of(span: Span) -> EntityValue | None:
    entity = entity_of(span)
    return None if entity is None else entity.value


def _register_extensions() -> None:
    # Getters rather than stored defaults: every ``doc.ents`` access builds fresh Span objects,
    # and a getter keyed on the span's offsets and label sees the same value from all of them.
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_value_of)
    if not Span.has_extension("entity"):
        Span.set_extension("entity", getter=entity_of)


_register_extensions()


@Language.component(SENTENCES_COMPONENT)
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark ``token.is_sent_start`` from the character-level rules in ``sentences.py``."""
    if len(doc) == 0:
        return doc
    token_starts = doc.to_array([IDX]).ravel().astype(np.int64)
    flags = np.full(len(doc), -1, dtype=np.int64)
    flags[0] = 1
    # Boundaries fall on a non-space character after whitespace, i.e. on a token start. The
    # first one is skipped so leading whitespace joins the first sentence (as trailing whitespace
    # joins the sentence it follows) instead of forming a sentence of its own.
    starts = sentence_starts(_text_of(doc))[1:]
    positions = np.searchsorted(token_starts, np.asarray(starts, np.int64))
    flags[positions[positions < len(doc)]] = 1
    doc.from_array([SENT_START], cast(Ints2d, flags.astype(np.uint64).reshape(-1, 1)))
    return doc


@Language.component(ENTITIES_COMPONENT)
def set_entities(doc: Doc) -> Doc:
    """Replace ``doc.ents`` with ``find_entities``' results; store values for ``Span._.value``."""
    spans: list[Span] = []
    found: dict[tuple[int, int, str], Entity] = {}
    for entity in find_entities(_text_of(doc)):
        span = doc.char_span(entity.start, entity.end, label=entity.label, alignment_mode="expand")
        if span is None:
            continue
        spans.append(span)
        found.setdefault((span.start_char, span.end_char, span.label_), entity)
    # Expanding to token boundaries can make two entities share a token; keep the longer.
    kept = filter_spans(spans)
    doc.ents = kept
    for span in kept:
        entity = found[(span.start_char, span.end_char, span.label_)]
        kind, payload = _encode(entity.value)
        encoded: _Encoded = (kind, payload, entity.warnings)
        _user_data(doc)[_key(span)] = encoded
    return doc


def make_nlp() -> Language:
    """A fresh blank-English pipeline with the payerlens sentence and entity components.

    Cheap (no model to load) but not free: build it once per process and reuse it.
    """
    nlp = spacy.blank("en")
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe(SENTENCES_COMPONENT)
    nlp.add_pipe(ENTITIES_COMPONENT)
    return nlp
