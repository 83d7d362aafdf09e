"""Apply a rule set to a document: spaCy matches per unit, context conditions, fields, severity.

One hit is a rule whose patterns (and every ``require`` group) match within its unit and whose
``exclude`` patterns do not. Hits of one category in one clause (or in consecutive paragraphs of
one section) merge into a single finding, since reviewers see one highlighted clause per term.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from extractor.model import Block, BlockKind, Document, Finding, Severity
from extractor.parties import PartyWords
from extractor.rules.expand import expand_all
from extractor.rules.loader import RuleSet
from extractor.rules.schema import Condition, FieldSpec, Rule

# Findings quote the sentences that carry the term; past this many characters a merged
# span would drag unrelated text into the highlight, so only the evidence sentences are kept.
MAX_FINDING_CHARS = 900


@dataclass(frozen=True)
class _Ent:
    label: str
    start: int  # document offsets
    end: int
    value: Any


@dataclass
class _BlockNlp:
    block: Block
    sents: list[tuple[int, int]]  # document offsets
    keys: list[set[str]]  # matched keys per sentence
    ents: list[_Ent]


@dataclass
class _Hit:
    rule: Rule
    order: int
    block: int
    evidence: list[tuple[int, int]]
    fields: dict[str, Any]
    field_spans: list[tuple[int, int]] = field(default_factory=list)


class RuleEngine:
    def __init__(self, rules: RuleSet, nlp: Language) -> None:
        self.rules = rules
        self.nlp = nlp
        self._order = {rule.id: i for i, rule in enumerate(rules.rules)}
        self._distinct = {
            f.category: (tuple(f.distinct_by), f.distinct_between) for f in rules.files
        }
        # One matcher pair per category, run only where the category's prefilter matches:
        # token patterns with wildcards are costly, and most paragraphs concern no category.
        self._categories: list[tuple[re.Pattern[str], Matcher, PhraseMatcher, bool]] = []
        for rule_file in rules.files:
            matcher = Matcher(nlp.vocab, validate=True)
            phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
            for rule in rule_file.rules:
                if rule.patterns:
                    matcher.add(f"{rule.id}#p", expand_all(rule.patterns))
                if rule.phrases:
                    phrases.add(f"{rule.id}#p", [nlp.make_doc(p) for p in rule.phrases])
                for i, group in enumerate(rule.require):
                    matcher.add(f"{rule.id}#r{i}", expand_all(group))
                if rule.exclude:
                    matcher.add(f"{rule.id}#x", expand_all(rule.exclude))
            prefilter = re.compile(rule_file.prefilter, re.IGNORECASE)
            whole_block = any(
                r.unit != "sentence" or r.exclude_scope != "sentence" for r in rule_file.rules
            )
            self._categories.append((prefilter, matcher, phrases, whole_block))

    # -- public ---------------------------------------------------------------------------

    def find(self, document: Document, parties: PartyWords | None = None) -> list[Finding]:
        """Findings in reading order; ``parties`` says which words name payer and provider
        (rules test it as the token attribute ``_.party``)."""
        # Headings name a topic ("Records and Audit"); the clauses under them carry the terms.
        blocks = [b for b in document.blocks if b.text.strip() and b.kind is not BlockKind.HEADING]
        analysed = self._analyse_blocks(blocks, parties or PartyWords())
        by_section: dict[int | None, list[_BlockNlp]] = defaultdict(list)
        for item in analysed:
            by_section[item.block.section_index].append(item)
        hits: list[_Hit] = []
        for item in analysed:
            section_items = by_section[item.block.section_index]
            for rule in self.rules.rules:
                hits.extend(self._rule_hits(rule, item, section_items, document.text))
        return self._merge(hits, document, {a.block.index: a for a in analysed})

    # -- matching -------------------------------------------------------------------------

    def _analyse_blocks(self, blocks: Sequence[Block], parties: PartyWords) -> list[_BlockNlp]:
        # Paragraphs no category's prefilter admits cannot yield a hit: skip spaCy for them.
        blocks = [b for b in blocks if any(c[0].search(b.text) for c in self._categories)]
        out = []
        texts = (b.text for b in blocks)
        for block, doc in zip(blocks, self.nlp.pipe(texts, batch_size=64), strict=True):
            parties.tag(doc)
            out.append(self._analyse(block, doc))
        return out

    def _analyse(self, block: Block, doc: Doc) -> _BlockNlp:
        base = block.start
        if block.kind is BlockKind.TABLE:
            sents = _line_spans(block.text)
        else:
            sents = [(s.start_char, s.end_char) for s in doc.sents]
        sent_of_token = _token_sentence_index(doc, sents)
        keys: list[set[str]] = [set() for _ in sents]
        strings = self.nlp.vocab.strings
        sent_tokens = _sentence_token_ranges(sent_of_token, len(sents))
        for prefilter, matcher, phrases, whole_block in self._categories:
            if whole_block:
                if prefilter.search(block.text):
                    for match_id, start, _end in [*matcher(doc), *phrases(doc)]:
                        keys[sent_of_token[start]].add(strings[match_id])
                continue
            # Sentence-level rules only need the sentences that pass the prefilter.
            for index, (lo, hi) in enumerate(sent_tokens):
                if hi <= lo or not prefilter.search(block.text, sents[index][0], sents[index][1]):
                    continue
                span = doc[lo:hi]
                for match_id, _start, _end in [*matcher(span), *phrases(span)]:
                    keys[index].add(strings[match_id])
        ents = [_Ent(e.label_, base + e.start_char, base + e.end_char, e._.value) for e in doc.ents]
        return _BlockNlp(block, [(base + a, base + b) for a, b in sents], keys, ents)

    def _rule_hits(
        self, rule: Rule, item: _BlockNlp, section: list[_BlockNlp], text: str
    ) -> Iterable[_Hit]:
        pkey = f"{rule.id}#p"
        matched = [i for i, k in enumerate(item.keys) if pkey in k]
        if not matched:
            return
        for sent_index in matched:
            unit_keys = _unit_keys(rule.unit, item, section, sent_index)
            if not all(f"{rule.id}#r{i}" in unit_keys for i in range(len(rule.require))):
                continue
            if f"{rule.id}#x" in _unit_keys(rule.exclude_scope, item, section, sent_index):
                continue
            evidence = [item.sents[sent_index]]
            fields, spans = self._fields(rule, item, section, evidence[0], text)
            yield _Hit(rule, self._order[rule.id], item.block.index, evidence, fields, spans)
            if rule.unit != "sentence":
                return  # a clause- or section-level rule speaks once per block

    # -- fields ---------------------------------------------------------------------------

    def _fields(
        self,
        rule: Rule,
        item: _BlockNlp,
        section: list[_BlockNlp],
        evidence: tuple[int, int],
        text: str,
    ) -> tuple[dict[str, Any], list[tuple[int, int]]]:
        values: dict[str, Any] = dict(rule.fixed_fields)
        spans: list[tuple[int, int]] = []
        for name, spec in rule.fields.items():
            scope = _scope_range(spec.scope, item, section, evidence)
            value, span = _extract(
                spec, scope, evidence, _scope_ents(spec.scope, item, section), text
            )
            values[name] = value
            if span is not None:
                spans.append(span)
        return values, spans

    # -- merging --------------------------------------------------------------------------

    def _merge(
        self, hits: list[_Hit], document: Document, analysed: dict[int, _BlockNlp]
    ) -> list[Finding]:
        groups: list[list[_Hit]] = []
        by_cat: dict[str, list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_cat[_category(hit.rule)].append(hit)
        for cat_hits in by_cat.values():
            cat_hits.sort(key=lambda h: (h.block, h.evidence[0][0]))
            for hit in cat_hits:
                last = groups[-1] if groups else None
                if (
                    last
                    and _category(last[0].rule) == _category(hit.rule)
                    and _same_clause(document, last[-1].block, hit.block)
                    and _same_term(last, hit, *self._distinct[_category(hit.rule)])
                ):
                    last.append(hit)
                else:
                    groups.append([hit])
        findings = [self._finding(group, document, analysed) for group in groups]
        findings.sort(key=lambda f: (f.start, f.category))
        return findings

    def _finding(
        self, group: list[_Hit], document: Document, analysed: dict[int, _BlockNlp]
    ) -> Finding:
        ordered = sorted(group, key=lambda h: h.order)
        primary = ordered[0]
        fields: dict[str, Any] = {}
        for hit in ordered:
            for name, value in hit.fields.items():
                if fields.get(name) is None or fields.get(name) is False:
                    fields[name] = value
        # The most specific rule (first in file order) speaks for the clause.
        severity = _severity(primary.rule, fields)
        start, end = _evidence_span(group, analysed)
        block = document.blocks[group[0].block]
        return Finding(
            category=_category(primary.rule),
            severity=severity,
            page=page_at(block, start),
            section=section_label(document, block),
            text=" ".join(document.text[start:end].split()),
            fields={k: _jsonable(v) for k, v in fields.items()},
            rule_id=primary.rule.id,
            rule_version=primary.rule.version,
            confidence=max(h.rule.confidence for h in group),
            explanation=render_explanation(primary.rule.explanation, fields),
            start=start,
            end=end,
        )


# -- helpers (pure functions) -----------------------------------------------------------------


def _category(rule: Rule) -> str:
    return rule.id.split(".", 1)[0]


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans or [(0, 0)]


def _token_sentence_index(doc: Doc, sents: list[tuple[int, int]]) -> list[int]:
    out, s = [], 0
    for token in doc:
        while s + 1 < len(sents) and token.idx >= sents[s + 1][0]:
            s += 1
        out.append(s)
    return out


def _sentence_token_ranges(sent_of_token: list[int], n_sents: int) -> list[tuple[int, int]]:
    ranges = [[len(sent_of_token), 0] for _ in range(n_sents)]
    for token_index, sent in enumerate(sent_of_token):
        ranges[sent][0] = min(ranges[sent][0], token_index)
        ranges[sent][1] = max(ranges[sent][1], token_index + 1)
    return [(lo, hi) for lo, hi in ranges]


def _unit_keys(unit: str, item: _BlockNlp, section: list[_BlockNlp], sent: int) -> set[str]:
    if unit == "sentence":
        return item.keys[sent]
    if unit == "clause":
        return set().union(*item.keys)
    return set().union(*(k for other in section for k in other.keys))


def _scope_range(
    scope: str, item: _BlockNlp, section: list[_BlockNlp], evidence: tuple[int, int]
) -> tuple[int, int]:
    if scope == "sentence":
        return evidence
    if scope == "clause":
        return item.block.start, item.block.end
    return section[0].block.start, section[-1].block.end


def _scope_ents(scope: str, item: _BlockNlp, section: list[_BlockNlp]) -> list[_Ent]:
    if scope == "section":
        return [e for other in section for e in other.ents]
    return item.ents


_TYPE_LABEL = {
    "days": "DURATION",
    "months": "DURATION",
    "percent": "PERCENT",
    "money": "MONEY",
    "date": "DATE",
}


def _extract(
    spec: FieldSpec,
    scope: tuple[int, int],
    evidence: tuple[int, int],
    ents: list[_Ent],
    text: str,
) -> tuple[Any, tuple[int, int] | None]:
    cue = re.compile(spec.cue, re.IGNORECASE)
    unless = re.compile(spec.unless, re.IGNORECASE) if spec.unless else None
    lo, hi = scope
    if spec.type == "flag":
        m = cue.search(text, lo, hi)
        if m and not (unless and unless.search(text[max(lo, m.start() - 60) : m.end() + 60])):
            return True, (m.start(), m.end())
        return False, None
    candidates: list[tuple[Any, _Ent]] = []
    for ent in ents:
        if not (lo <= ent.start and ent.end <= hi) or ent.label != _TYPE_LABEL[spec.type]:
            continue
        value = _typed_value(spec.type, ent.value)
        if value is None:
            continue
        before = text[max(lo, ent.start - spec.window) : ent.start]
        after = text[ent.end : min(hi, ent.end + spec.window)]
        context = {"before": before, "after": after, "any": before + " … " + after}[spec.side]
        if not cue.search(context):
            continue
        if unless and unless.search(text[max(lo, ent.start - 40) : min(hi, ent.end + 40)]):
            continue
        candidates.append((value, ent))
    if not candidates:
        return None, None
    # Values stated in the evidence sentence come first: that is the clause the finding quotes.
    candidates.sort(key=lambda c: (not (evidence[0] <= c[1].start < evidence[1]), c[1].start))
    if spec.pick == "max":
        value, ent = max(candidates, key=lambda c: c[0])
    elif spec.pick == "min":
        value, ent = min(candidates, key=lambda c: c[0])
    elif spec.pick == "last":
        value, ent = candidates[-1]
    else:
        value, ent = candidates[0]
    return value, (ent.start, ent.end)


def _typed_value(kind: str, value: Any) -> Any:
    if kind in ("days", "months"):
        unit = getattr(value, "unit", None)
        amount = getattr(value, "amount", None)
        return amount if unit == kind else None
    if kind == "percent":
        return float(value) if value is not None else None
    return value


def _severity(rule: Rule, fields: dict[str, Any]) -> Severity:
    for option in rule.severity_when:
        if all(_holds(fields.get(name), cond) for name, cond in option.when.items()):
            return option.severity
    return rule.severity


def _holds(value: Any, cond: Condition) -> bool:
    checks = cond.model_dump(exclude_unset=True)
    for op, target in checks.items():
        if op == "is_null":
            if (value is None) != bool(target):
                return False
            continue
        if op == "not_null":
            if (value is not None) != bool(target):
                return False
            continue
        if op == "eq":
            if value != target:
                return False
            continue
        if op == "ne":
            if value == target:
                return False
            continue
        if value is None or isinstance(value, bool):
            return False
        number = float(value)
        if (
            (op == "lt" and not number < target)
            or (op == "le" and not number <= target)
            or (op == "gt" and not number > target)
            or (op == "ge" and not number >= target)
        ):
            return False
    return True


def _same_clause(document: Document, a: int, b: int) -> bool:
    if a == b:
        return True
    block_a, block_b = document.blocks[a], document.blocks[b]
    return (
        block_a.section_index is not None
        and block_a.section_index == block_b.section_index
        and b - a == 1
    )


def _same_term(group: list[_Hit], hit: _Hit, distinct_by: Sequence[str], between: str) -> bool:
    """Hits in one clause describe one term unless they differ in a ``distinct_by`` field."""
    if between == "paragraph" and group[-1].block == hit.block:
        return True
    return all(
        other.fields.get(name) == hit.fields.get(name) for other in group for name in distinct_by
    )


def _evidence_span(group: list[_Hit], analysed: dict[int, _BlockNlp]) -> tuple[int, int]:
    evidence = [span for hit in group for span in hit.evidence]
    start = min(s for s, _ in evidence)
    end = max(e for _, e in evidence)
    # Pull in whole sentences that stated a field, if they sit close to the evidence.
    for hit in group:
        item = analysed[hit.block]
        for fs, _fe in hit.field_spans:
            for ss, se in item.sents:
                if ss <= fs < se:
                    new_start, new_end = min(start, ss), max(end, se)
                    if new_end - new_start <= MAX_FINDING_CHARS:
                        start, end = new_start, new_end
    return start, end


def page_at(block: Block, offset: int) -> int:
    for prov in block.provenance:
        if offset < prov.end:
            return prov.page
    return block.provenance[-1].page


def section_label(document: Document, block: Block) -> str | None:
    index = block.section_index
    while index is not None:
        section = document.sections[index]
        if section.number:
            return section.number
        index = section.parent
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _shown(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def render_explanation(template: str, fields: dict[str, Any]) -> str:
    """Fill ``{field}`` placeholders; a ``[bracketed part]`` is dropped when a field it names is
    unknown, so an explanation never says "an unstated days"."""

    def optional(m: re.Match[str]) -> str:
        names = _PLACEHOLDER.findall(m.group(1))
        return m.group(1) if all(fields.get(n) is not None for n in names) else ""

    text = _OPTIONAL.sub(optional, template)
    text = _PLACEHOLDER.sub(
        lambda m: _shown(fields[m.group(1)]) if fields.get(m.group(1)) is not None else "unstated",
        text,
    )
    text = re.sub(r"\(\s*[;,]?\s*\)", "", text)  # a parenthesis left empty
    text = re.sub(r"\s+([;,.)])", r"\1", text)
    text = re.sub(r"\(\s*;\s*", "(", text)
    return " ".join(text.split())
