"""Rates stated in sentences rather than tables: "… paid at one hundred ten percent (110%) of the
Medicare Physician Fee Schedule", "$68.50 per anesthesia unit", stop-loss thresholds. Each
becomes a rate row with a null code and the sentence's subject as its description."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from extractor.model import BBox, Block, BlockKind, Document, RateRow
from extractor.nlp.entities import Code, Entity, find_entities
from extractor.nlp.sentences import sentence_bounds
from extractor.rates.vocabulary import Vocabulary

CHEAP = re.compile(r"%|percent|\$", re.IGNORECASE)
SUBJECT_END = re.compile(
    r"\b(shall|will|are|is|must)\s+(be\s+)?(paid|reimbursed|compensated|priced)|\bat\b",
    re.IGNORECASE,
)


def prose_to_rate_rows(document: Document, vocab: Vocabulary) -> list[RateRow]:
    rows: list[RateRow] = []
    for block in document.blocks:
        if block.kind is not BlockKind.PARAGRAPH or not CHEAP.search(block.text):
            continue
        for start, end in sentence_bounds(block.text):
            sentence = block.text[start:end]
            if not vocab.pays.search(sentence):
                continue
            page = _page(block, block.start + start)
            rows.extend(
                replace(row, block=block.index, bbox=_box_on(block, page))
                for row in _sentence_rows(sentence, vocab, page)
            )
    return rows


def _box_on(block: Block, page: int) -> BBox | None:
    """The paragraph's box on the page the sentence is printed on."""
    return next((p.bbox for p in block.provenance if p.page == page), None)


def _page(block: Block, offset: int) -> int:
    for prov in block.provenance:
        if offset < prov.end:
            return prov.page
    return block.provenance[-1].page


def _subject(sentence: str) -> str:
    m = SUBJECT_END.search(sentence)
    text = sentence[: m.start()] if m else sentence
    text = re.sub(r"^\s*(?:[A-Z]?\d+(?:[.-]\d+)*\.?|\([a-z0-9]+\))\s+", "", text)
    return " ".join(text.split()).strip(" ,;:")[:120]


def _sentence_rows(sentence: str, vocab: Vocabulary, page: int) -> list[RateRow]:
    entities = find_entities(sentence)
    percents = [e for e in entities if e.label == "PERCENT"]
    moneys = [e for e in entities if e.label == "MONEY"]
    description = _subject(sentence) or None
    if vocab.stop_loss.search(sentence) and percents and moneys:
        return [_stop_loss(sentence, percents, moneys, description, page)]
    rows = []
    for ent in percents:
        if not isinstance(ent.value, float):
            continue
        if vocab.cost_plus.search(sentence[max(0, ent.start - 40) : ent.start]):
            rows.append(_row(description, "other", None, 100 + ent.value, "other", None, page))
            continue
        after = sentence[ent.end : ent.end + 90]
        m = re.match(r"\W*of\s+(?:the\s+|all\s+|its\s+|\w+'s\s+)?(.{0,70})", after, re.IGNORECASE)
        if not m:
            continue
        benchmark = next(
            ((of, meth) for pattern, of, meth in vocab.benchmarks if pattern.search(m.group(1))),
            None,
        )
        if benchmark is None:
            continue
        percent_of, methodology = benchmark
        per_service = percent_of not in ("billed_charges", "other") and bool(
            vocab.per_service_benchmark.search(m.group(1) + " " + (description or ""))
        )
        unit = "per_service" if per_service else None
        rows.append(_row(description, methodology, None, ent.value, percent_of, unit, page))
    for ent in moneys:
        after = sentence[ent.end : ent.end + 40]
        priced = next(((m, u) for p, m, u in vocab.amount_units if p.search(after)), None)
        if priced is None or not isinstance(ent.value, Decimal):
            continue
        if vocab.threshold.search(sentence[max(0, ent.start - 30) : ent.start]):
            continue  # "implants over $500 per case" states a condition, not a price
        rows.append(_row(description, priced[0], ent.value, None, None, priced[1], page))
    code, code_type = _one_code(entities)
    return [replace(row, code=code, code_type=code_type) for row in rows]


CODE_LABELS = ("CPT", "HCPCS", "REV", "MS-DRG")


def _one_code(entities: list[Entity]) -> tuple[str | None, str | None]:
    """The code a sentence prices when it names exactly one ("revenue code 0762"); a list or a
    range of codes keys the row on its code system only."""
    codes = [e for e in entities if e.label in CODE_LABELS and isinstance(e.value, Code)]
    if not codes:
        return None, None
    labels = {e.label for e in codes}
    code_type = next(iter(labels)) if len(labels) == 1 else None
    if len(codes) == 1 and isinstance(codes[0].value, Code) and codes[0].value.through is None:
        return codes[0].value.code, code_type
    return None, code_type


def _stop_loss(
    sentence: str,
    percents: list[Entity],
    moneys: list[Entity],
    description: str | None,
    page: int,
) -> RateRow:
    threshold = max((m.value for m in moneys if isinstance(m.value, Decimal)), default=None)
    percent = next((p.value for p in percents if isinstance(p.value, float)), None)
    of = "billed_charges" if re.search(r"charges", sentence, re.IGNORECASE) else None
    return _row(description, "stop_loss", threshold, percent, of, "per_case", page)


def _row(
    description: str | None,
    methodology: str,
    amount: Decimal | None,
    percent: float | None,
    percent_of: str | None,
    unit: str | None,
    page: int,
) -> RateRow:
    return RateRow(
        code=None,
        code_type=None,
        modifier=None,
        description=description,
        methodology=methodology,
        amount=amount,
        percent=percent,
        percent_of=percent_of,
        unit=unit,
        product_line=None,
        page=page,
    )
