from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from extractor.nlp import entity_of, make_nlp
from extractor.nlp.entities import MISMATCH, Code, Duration, Entity, find_entities
from extractor.nlp.pipeline import ENTITIES_COMPONENT, MAX_LENGTH, SENTENCES_COMPONENT
from extractor.nlp.sentences import sentence_bounds

TEXT = (
    "Provider may terminate this Agreement upon ninety (90) days' prior written notice. "
    "Payer shall pay 110% of Medicare for CPT 99213-26, not to exceed $1,234.50 per visit, "
    "effective January 1, 2026.\n\n"
    "Rev. Code 450 is paid per diem under 42 C.F.R. § 412.2 for two (2) years. "
    "MS-DRG 470 is paid at a case rate."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return make_nlp()


@pytest.fixture(scope="module")
def doc(nlp: Language) -> Doc:
    return nlp(TEXT)


def test_pipeline_shape(nlp: Language) -> None:
    assert nlp.pipe_names == [SENTENCES_COMPONENT, ENTITIES_COMPONENT]
    assert nlp.lang == "en"
    assert nlp.max_length == MAX_LENGTH >= 5_000_000


def test_entities_with_values(doc: Doc) -> None:
    assert [(e.label_, e.text, e._.value) for e in doc.ents] == [
        ("DURATION", "ninety (90) days'", Duration(90, "days")),
        ("PERCENT", "110%", 110.0),
        ("CPT", "99213-26", Code("99213", modifier="26")),
        ("MONEY", "$1,234.50", Decimal("1234.50")),
        ("DATE", "January 1, 2026", date(2026, 1, 1)),
        ("REV", "450", Code("0450")),
        ("DURATION", "two (2) years", Duration(24, "months")),
        ("MS-DRG", "470", Code("470")),
    ]


def test_entity_spans_match_find_entities(doc: Doc) -> None:
    expected = [(e.start, e.end, e.label) for e in find_entities(TEXT)]
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == expected


def test_sentences(doc: Doc) -> None:
    assert [s.text.strip() for s in doc.sents] == [TEXT[a:b] for a, b in sentence_bounds(TEXT)]
    assert [s.text.strip() for s in doc.sents] == [
        "Provider may terminate this Agreement upon ninety (90) days' prior written notice.",
        "Payer shall pay 110% of Medicare for CPT 99213-26, not to exceed $1,234.50 per visit, "
        "effective January 1, 2026.",
        "Rev. Code 450 is paid per diem under 42 C.F.R. § 412.2 for two (2) years.",
        "MS-DRG 470 is paid at a case rate.",
    ]


def test_every_token_has_a_sentence_flag(doc: Doc) -> None:
    assert doc.has_annotation("SENT_START")
    assert doc[0].is_sent_start
    assert all(t.is_sent_start in (True, False) for t in doc)


def test_value_of_a_non_entity_span_is_none(doc: Doc) -> None:
    assert doc[0:2]._.value is None
    assert Span(doc, 0, 2, label="DURATION")._.value is None


def test_entity_extension_keeps_warnings(nlp: Language) -> None:
    doc = nlp("Payment is due within ten (90) days.")
    (ent,) = doc.ents
    entity = entity_of(ent)
    assert entity == ent._.entity
    assert entity == Entity("DURATION", 22, 35, "ten (90) days", Duration(90, "days"), (MISMATCH,))


def test_entity_expanded_to_token_boundaries_keeps_its_value(nlp: Language) -> None:
    # "30)-day" is one token for the blank English tokenizer; the span must still carry a value.
    doc = nlp("A thirty (30)-day cure period applies.")
    (ent,) = doc.ents
    assert ent.text == "thirty (30)-day"
    assert ent._.value == Duration(30, "days")


def test_values_survive_doc_serialisation(nlp: Language, doc: Doc) -> None:
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(e.text, e._.value) for e in restored.ents] == [(e.text, e._.value) for e in doc.ents]
    docbin = DocBin(store_user_data=True, docs=[doc])
    (again,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)
    assert [e._.value for e in again.ents] == [e._.value for e in doc.ents]


def test_multiprocess_pipe_keeps_values(nlp: Language) -> None:
    texts = ["CPT 99213 costs $95.00. Next.", "Notice: sixty (60) days."] * 2
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [[e._.value for e in d.ents] for d in docs] == [
        [Code("99213"), Decimal("95.00")],
        [Duration(60, "days")],
    ] * 2


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("", []),
        ("   ", ["   "]),
        ("\n\nNo quantities here.\n\n", ["\n\nNo quantities here.\n\n"]),
        ("  One.  Two.", ["  One.  ", "Two."]),
    ],
)
def test_whitespace_joins_a_neighbouring_sentence(
    nlp: Language, text: str, sentences: list[str]
) -> None:
    doc = nlp(text)
    assert doc.ents == ()
    assert [s.text_with_ws for s in doc.sents] == sentences


def test_make_nlp_is_repeatable() -> None:
    first, second = make_nlp(), make_nlp()
    assert first is not second
    text = "Pay 7.5% within 30 days."
    assert [(e.text, e._.value) for e in first(text).ents] == [
        (e.text, e._.value) for e in second(text).ents
    ]


def test_long_document(nlp: Language) -> None:
    paragraph = "Provider shall give ninety (90) days' notice under Sec. 4. Payer pays 110%.\n\n"
    doc = nlp(paragraph * 2_000)
    assert len(doc.ents) == 4_000
    assert len(list(doc.sents)) == 4_000
