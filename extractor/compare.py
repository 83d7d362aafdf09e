"""Compare a draft contract with a standard template, clause by clause.

``compare_results(template, draft)`` takes two ``AnalysisResult``s and returns a
``ComparisonResult``: every clause of either document labelled

* ``standard``: the same text once whitespace, quotes and dashes, hyphenation, case, the clause's
  own numbering and renumbered cross-references ("Section 4.6" that became "Section 4.5" because
  the clause it points to was renumbered) are set aside;
* ``value_changed``: only quantities differ: a duration, an amount of money, a percentage, a date
  or a bare count, written in words, numerals or both ("ninety (90) days" -> "sixty (60) days"
  is one change, however many words it takes);
* ``substance_changed``: anything else differs (added conditions, another party, another
  methodology); its value changes are listed too;
* ``added`` / ``missing``: no counterpart in the template / the draft.

Clauses are the documents' paragraph blocks (headings and tables are left out; running headers
and footers never reach the document). Alignment is one-to-one and optimal
(``scipy.optimize.linear_sum_assignment``; greedy when scipy is absent) over a score made of the
TF-IDF cosine similarity of the clause texts (digits ignored, so value changes do not weaken it)
plus a bonus where the section captions or numbers agree. Pairs below the similarity threshold
are left unmatched: added on one side, missing on the other. A matched clause whose position is
out of order relative to the others (not on the longest in-order run) is marked ``moved``.

Values come from the project's entity recogniser (``extractor.nlp.entities``: DURATION, MONEY,
PERCENT, DATE, each with a normalised value) plus bare counts ("three (3) arbitrators"). The word
diff (``difflib.SequenceMatcher`` on word tokens) links each value span on one side to the span
it is aligned with on the other; a change is value-only when every changed token lies in such a
linked pair of the same kind. Equal normalised values written differently ("30 days" vs "thirty
(30) days") are not a change.

Pure library code: no web, storage or CLI imports; deterministic for the same inputs.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from extractor import errors
from extractor.errors import InputError
from extractor.model import (
    AnalysisResult,
    BlockKind,
    Document,
    Finding,
    Severity,
    SourceInfo,
    Status,
)
from extractor.nlp.entities import Duration, find_entities
from extractor.nlp.numbers import NUMBER_WORDS_PATTERN, read_number
from extractor.sections import numbering_at_start

__all__ = [
    "ClauseComparison",
    "ClauseSide",
    "ClauseStatus",
    "CompareSettings",
    "ComparisonResult",
    "DiffSegment",
    "FindingRef",
    "TextComparison",
    "ValueChange",
    "compare_documents",
    "compare_results",
    "compare_texts",
    "normalise",
    "strip_numbering",
]

SCHEMA = "payerlens.compare/1"


class ClauseStatus(str, Enum):
    STANDARD = "standard"
    VALUE_CHANGED = "value_changed"
    SUBSTANCE_CHANGED = "substance_changed"
    ADDED = "added"
    MISSING = "missing"


STATUS_ORDER: tuple[ClauseStatus, ...] = tuple(ClauseStatus)


@dataclass(frozen=True)
class CompareSettings:
    """Alignment knobs. A pair is matched when its TF-IDF cosine similarity reaches
    ``min_similarity``, or ``min_similarity_same_caption`` when the two clauses carry the same
    caption ("Amendment", "Audits") — a rewritten clause under its old caption is still that
    clause."""

    min_similarity: float = 0.35
    min_similarity_same_caption: float = 0.05
    caption_bonus: float = 0.15
    number_bonus: float = 0.05


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class FindingRef:
    """A payerlens finding that sits on a clause."""

    category: str
    severity: Severity
    rule_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "severity": self.severity.value, "rule_id": self.rule_id}


@dataclass(frozen=True)
class ClauseSide:
    """One side of a comparison: the clause as printed in one of the documents."""

    block: int  # index of the paragraph block in its Document
    section: str | None  # the section label ("4.2", "Section 12(b)" -> "12(b)", "RECITALS")
    caption: str | None  # the section's caption or title ("Claims Submission")
    article: str | None  # the title of the enclosing top-level section ("COMPENSATION")
    page: int
    text: str  # whitespace-normalised clause text, numbering included
    findings: tuple[FindingRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "section": self.section,
            "caption": self.caption,
            "article": self.article,
            "page": self.page,
            "text": self.text,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class DiffSegment:
    """A run of word tokens that are equal on both sides, only in the draft (``insert``) or
    only in the template (``delete``). ``text`` keeps the space before the run, so the equal and
    inserted runs concatenate to the draft clause (without its numbering, whitespace
    normalised); equal runs are printed as the draft prints them."""

    op: str  # equal | insert | delete
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class ValueChange:
    """A quantity that differs: as printed (``from_text`` -> ``to_text``) and normalised."""

    kind: str  # duration | money | percent | date | count
    from_text: str
    to_text: str
    from_value: str
    to_value: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_text,
            "to": self.to_text,
            "kind": self.kind,
            "from_value": self.from_value,
            "to_value": self.to_value,
        }


@dataclass(frozen=True)
class TextComparison:
    """How two clause texts differ: a status (standard / value / substance) and the diff."""

    status: ClauseStatus
    diff: tuple[DiffSegment, ...]
    value_changes: tuple[ValueChange, ...]


@dataclass(frozen=True)
class ClauseComparison:
    status: ClauseStatus
    template: ClauseSide | None
    draft: ClauseSide | None
    similarity: float  # TF-IDF cosine of the pair (0 for added / missing)
    diff: tuple[DiffSegment, ...]
    value_changes: tuple[ValueChange, ...] = ()
    moved: bool = False  # out of order relative to the other aligned clauses
    renumbered: bool = False  # aligned, but printed under another section number

    @property
    def section(self) -> str | None:
        side = self.draft or self.template
        return side.section if side else None

    @property
    def findings_added(self) -> tuple[FindingRef, ...]:
        """Draft findings the template clause does not carry (or carries at a lower severity)."""
        return _new_findings(self.draft, self.template)

    @property
    def findings_removed(self) -> tuple[FindingRef, ...]:
        """Template findings the draft clause no longer carries at the same severity."""
        return _new_findings(self.template, self.draft)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "template": self.template.to_dict() if self.template else None,
            "draft": self.draft.to_dict() if self.draft else None,
            "similarity": round(self.similarity, 3),
            "moved": self.moved,
            "renumbered": self.renumbered,
            "value_changes": [v.to_dict() for v in self.value_changes],
            "findings_added": [f.to_dict() for f in self.findings_added],
            "findings_removed": [f.to_dict() for f in self.findings_removed],
            "diff": [d.to_dict() for d in self.diff],
        }


@dataclass(frozen=True)
class ComparisonResult:
    template: SourceInfo
    draft: SourceInfo
    clauses: tuple[ClauseComparison, ...]
    settings: CompareSettings = field(default_factory=CompareSettings)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(c.status is s for c in self.clauses) for s in STATUS_ORDER}

    def by_status(self, status: ClauseStatus) -> tuple[ClauseComparison, ...]:
        return tuple(c for c in self.clauses if c.status is status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "template": _source_dict(self.template),
            "draft": _source_dict(self.draft),
            "counts": self.counts(),
            "clauses": [c.to_dict() for c in self.clauses],
        }


def _source_dict(s: SourceInfo) -> dict[str, Any]:
    return {"path": s.path, "sha256": s.sha256, "pages": s.pages}


def _new_findings(side: ClauseSide | None, other: ClauseSide | None) -> tuple[FindingRef, ...]:
    if side is None:
        return ()
    worst: dict[str, int] = {}
    for f in other.findings if other else ():
        worst[f.category] = max(worst.get(f.category, -1), f.severity.rank)
    seen: set[tuple[str, str]] = set()
    out = []
    for f in side.findings:
        key = (f.category, f.severity.value)
        if f.severity.rank > worst.get(f.category, -1) and key not in seen:
            seen.add(key)
            out.append(f)
    return tuple(out)


# ---------------------------------------------------------------- text normalisation

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": None,
    }
)


def normalise(text: str) -> str:
    """NFKC, straight quotes, plain dashes, no soft hyphens, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TRANSLATE).split())


def strip_numbering(text: str) -> str:
    """The clause text without its own leading label ("4.2", "Section 4.2", "(b)", "7.")."""
    numbering = numbering_at_start(text)
    if numbering is None or numbering.kind == "part":  # "Schedule A ..." is words, not a label
        return text
    return text[numbering.end :].lstrip(" .:-\t")


# ---------------------------------------------------------------- tokens and value spans

_TOKEN = re.compile(
    r"\(\d[\d,]*(?:\.\d+)?%?\)"  # (90) (110%)
    r"|\$?\d+(?:[.,]\d+)*%?"  # 90 1,250.00 $1,250.00 110% 4.2
    r"|\w+(?:['\-]\w+)*"  # words, Provider's, non-renewal, twenty-four
    r"|[^\w\s]"  # punctuation, one character a token
)
_REF = re.compile(
    r"\b(?i:sections?|articles?|exhibits?|schedules?|attachments?|appendix)\s+"
    r"(?P<num>\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*|[IVXLC]+\b|[A-Z]\b(?:\.\d+)*)"
    r"|§§?\s*(?P<sign>\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*)"
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_COUNT = re.compile(
    rf"(?:{NUMBER_WORDS_PATTERN})(?:\s*\(\s*{_NUM}\s*\))?"  # three (3), three
    rf"|\(\s*{_NUM}\s*\)"  # (3)
    rf"|(?<![\w.$,]){_NUM}(?![\w%])",  # 3, 1,000, 2.5
    re.IGNORECASE,
)
_KINDS = {"DURATION": "duration", "MONEY": "money", "PERCENT": "percent", "DATE": "date"}
_CODE_LABELS = frozenset({"CPT", "HCPCS", "REV", "MS-DRG"})
_PUNCT = re.compile(r"[^\w\s]+")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    value: str
    text: str


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str
    span: int | None  # index of the value span the token lies in
    ref: str | None  # the cross-reference label the token belongs to


@dataclass(frozen=True)
class _Tokenized:
    text: str
    tokens: tuple[_Token, ...]
    spans: tuple[_Span, ...]


def _entity_value(value: object) -> str:
    if isinstance(value, Duration):
        qualifier = f" ({value.qualifier})" if value.qualifier else ""
        return f"{value.amount} {value.unit}{qualifier}"
    if isinstance(value, Decimal):
        return f"${value:,.2f}"
    if isinstance(value, float):
        return f"{value:g}%"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _count_value(text: str) -> str | None:
    reading = read_number(text)
    if reading is not None:
        return str(reading.value)
    try:
        return str(Decimal(text.strip("() ").replace(",", "")).normalize())
    except InvalidOperation:
        return None


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in taken)


def _tokenize(text: str) -> _Tokenized:
    refs: list[tuple[int, int, str]] = []
    for m in _REF.finditer(text):
        group = "num" if m["num"] is not None else "sign"
        refs.append((m.start(group), m.end(group), m[group]))
    spans: list[_Span] = []
    blocked: list[tuple[int, int]] = [(s, e) for s, e, _ in refs]
    for entity in find_entities(text):
        if entity.label in _KINDS:
            shown = entity.text.rstrip("'")
            value = _entity_value(entity.value)
            spans.append(_Span(entity.start, entity.end, _KINDS[entity.label], value, shown))
        blocked.append((entity.start, entity.end))
    for m in _COUNT.finditer(text):
        if _overlaps(m.start(), m.end(), blocked):
            continue
        count = _count_value(m.group())
        if count is not None:
            spans.append(_Span(m.start(), m.end(), "count", count, m.group()))
    spans.sort(key=lambda s: s.start)
    tokens = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        span = next((i for i, s in enumerate(spans) if s.start <= start and end <= s.end), None)
        ref = next((label for s, e, label in refs if s <= start and end <= e), None)
        key = m.group().lower()
        if len(key) > 1:
            key = key.replace("-", "")
        tokens.append(_Token(start, end, m.group(), key, span, ref))
    return _Tokenized(text, tuple(tokens), tuple(spans))


def _keys(t: _Tokenized, ref_map: Mapping[str, str]) -> list[str]:
    """Comparison keys; a cross-reference compares by the section it points to (mapped to the
    template's numbering when the alignment renumbered that section)."""
    out = []
    for token in t.tokens:
        if token.ref is not None:
            out.append(f"\x00ref:{ref_map.get(token.ref, token.ref)}")
        else:
            out.append(token.key)
    return out


# ---------------------------------------------------------------- diff and classification


def compare_texts(
    template: str, draft: str, ref_map: Mapping[str, str] | None = None
) -> TextComparison:
    """Classify how ``draft`` differs from ``template`` (two clause texts) and diff them.

    ``ref_map`` maps a draft section number to the template's number for the same clause, so a
    cross-reference that only follows a renumbering is not a change.
    """
    a = _tokenize(strip_numbering(normalise(template)))
    b = _tokenize(strip_numbering(normalise(draft)))
    a_keys = _keys(a, {})
    b_keys = _keys(b, ref_map or {})
    opcodes = difflib.SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()

    # Link value spans across the sides: aligned tokens link their spans, and every span a
    # changed region touches on either side is linked with the others in that region.
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: tuple[str, int], y: tuple[str, int]) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    substance = False
    touched: list[tuple[str, int]] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                sa, sb = a.tokens[i].span, b.tokens[j].span
                if sa is not None and sb is not None:
                    union(("a", sa), ("b", sb))
            continue
        region = [("a", a.tokens[i].span) for i in range(i1, i2)]
        region += [("b", b.tokens[j].span) for j in range(j1, j2)]
        if any(span is None for _, span in region):
            substance = True
        linked = [(side, span) for side, span in region if span is not None]
        for node in linked:
            find(node)
            touched.append(node)
        for node in linked[1:]:
            union(linked[0], node)

    changes: list[ValueChange] = []
    done: set[tuple[str, int]] = set()
    for node in touched:
        root = find(node)
        if root in done:
            continue
        done.add(root)
        group = sorted({n for n in parent if find(n) == root}, key=lambda n: (n[0], n[1]))
        a_spans = [a.spans[i] for side, i in group if side == "a"]
        b_spans = [b.spans[i] for side, i in group if side == "b"]
        kinds = {s.kind for s in a_spans + b_spans}
        if not a_spans or not b_spans or len(kinds) > 1:
            substance = True  # a quantity added or dropped, or one kind turned into another
            continue
        if [s.value for s in a_spans] == [s.value for s in b_spans]:
            continue  # the same quantity written another way
        if len(a_spans) != len(b_spans):
            changes.append(
                ValueChange(
                    kinds.pop(),
                    " / ".join(s.text for s in a_spans),
                    " / ".join(s.text for s in b_spans),
                    " / ".join(s.value for s in a_spans),
                    " / ".join(s.value for s in b_spans),
                )
            )
            continue
        for old, new in zip(a_spans, b_spans, strict=True):
            if old.value != new.value:
                changes.append(ValueChange(old.kind, old.text, new.text, old.value, new.value))

    if substance:
        status = ClauseStatus.SUBSTANCE_CHANGED
    elif changes:
        status = ClauseStatus.VALUE_CHANGED
    else:
        status = ClauseStatus.STANDARD
    return TextComparison(status, _segments(a, b, opcodes), tuple(changes))


def _segments(
    a: _Tokenized, b: _Tokenized, opcodes: Sequence[tuple[str, int, int, int, int]]
) -> tuple[DiffSegment, ...]:
    """Opcodes to text runs; punctuation-only equal runs between two changes are folded into
    them, so "ninety (90) days" -> "sixty (60) days" reads as one change, not four."""
    ops = list(opcodes)
    merged: list[list[Any]] = []
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        between = 0 < k < len(ops) - 1 and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"
        if (
            op == "equal"
            and between
            and all(_PUNCT.fullmatch(t.text) for t in a.tokens[i1:i2])
            and i2 - i1 <= 2
        ):
            op = "replace"
        if merged and op != "equal" and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([op, i1, i2, j1, j2])
    out: list[DiffSegment] = []

    def text(t: _Tokenized, lo: int, hi: int) -> str:
        # With the space before it, so that the equal and inserted runs concatenate to the
        # draft text, the equal and deleted runs to the template text.
        start = t.tokens[lo - 1].end if lo else t.tokens[lo].start
        return t.text[start : t.tokens[hi - 1].end]

    for op, i1, i2, j1, j2 in merged:
        if op == "equal":  # equal by comparison key; printed as the draft prints it
            out.append(DiffSegment("equal", text(b, j1, j2)))
            continue
        if i2 > i1:
            out.append(DiffSegment("delete", text(a, i1, i2)))
        if j2 > j1:
            out.append(DiffSegment("insert", text(b, j1, j2)))
    return tuple(out)


# ---------------------------------------------------------------- clauses


@dataclass(frozen=True)
class _Clause:
    side: ClauseSide
    body: str  # normalised text without its numbering
    number: str | None
    caption_key: str | None


def _findings_on(findings: Sequence[Finding], start: int, end: int) -> tuple[FindingRef, ...]:
    refs = [
        FindingRef(f.category, f.severity, f.rule_id)
        for f in findings
        if f.start < end and f.end > start
    ]
    return tuple(dict.fromkeys(refs))


def _clauses(document: Document, findings: Sequence[Finding]) -> list[_Clause]:
    out = []
    for block in document.blocks:
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        text = normalise(block.text)
        if not text:
            continue
        section = (
            document.sections[block.section_index] if block.section_index is not None else None
        )
        top = section
        while top is not None and top.parent is not None:
            top = document.sections[top.parent]
        article = top.title if top is not None and top is not section else None
        caption = normalise(section.title) if section and section.title else None
        label = normalise(section.label) if section and section.label else None
        side = ClauseSide(
            block=block.index,
            section=label,
            caption=caption,
            article=normalise(article) if article else None,
            page=block.page,
            text=text,
            findings=_findings_on(findings, block.start, block.end),
        )
        out.append(
            _Clause(
                side,
                strip_numbering(text),
                section.number if section else None,
                caption.lower() if caption else None,
            )
        )
    return out


# ---------------------------------------------------------------- alignment


def _similarity(template: Sequence[_Clause], draft: Sequence[_Clause]) -> list[list[float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not template or not draft:
        return [[0.0] * len(draft) for _ in template]
    texts = [c.body.lower() for c in (*template, *draft)]
    vectorizer = TfidfVectorizer(
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b", ngram_range=(1, 2), sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all
        return [[0.0] * len(draft) for _ in template]
    cosine = (matrix[: len(template)] @ matrix[len(template) :].T).toarray()
    out = [[float(x) for x in row] for row in cosine]
    for i, t in enumerate(template):
        for j, d in enumerate(draft):
            if t.body.lower() == d.body.lower():
                out[i][j] = 1.0
    return out


def _assign(score: list[list[float]]) -> list[tuple[int, int]]:
    """One-to-one pairs maximising the total score (greedy when scipy is missing)."""
    if not score or not score[0]:
        return []
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:  # pragma: no cover - scipy ships with scikit-learn
        cells = sorted(
            ((-s, i, j) for i, row in enumerate(score) for j, s in enumerate(row)),
        )
        used_i: set[int] = set()
        used_j: set[int] = set()
        pairs = []
        for _, i, j in cells:
            if i not in used_i and j not in used_j:
                used_i.add(i)
                used_j.add(j)
                pairs.append((i, j))
        return sorted(pairs)
    rows, cols = linear_sum_assignment(score, maximize=True)
    return sorted(zip((int(r) for r in rows), (int(c) for c in cols), strict=True))


def _in_order(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The largest set of pairs in the same order on both sides (longest increasing run of
    template positions in draft order); the other pairs were moved."""
    by_draft = sorted(pairs, key=lambda p: p[1])
    n = len(by_draft)
    length = [1] * n
    back = [-1] * n
    for k in range(n):
        for m in range(k):
            if by_draft[m][0] < by_draft[k][0] and length[m] + 1 > length[k]:
                length[k], back[k] = length[m] + 1, m
    if not n:
        return set()
    k = max(range(n), key=lambda x: (length[x], -x))
    keep = set()
    while k != -1:
        keep.add(by_draft[k])
        k = back[k]
    return keep


def compare_documents(
    template: Document,
    draft: Document,
    template_findings: Sequence[Finding] = (),
    draft_findings: Sequence[Finding] = (),
    settings: CompareSettings | None = None,
) -> ComparisonResult:
    """Align the two documents' clauses and classify each (see the module docstring)."""
    settings = settings or CompareSettings()
    t_clauses = _clauses(template, template_findings)
    d_clauses = _clauses(draft, draft_findings)
    cosine = _similarity(t_clauses, d_clauses)
    score = [row[:] for row in cosine]
    for i, t in enumerate(t_clauses):
        for j, d in enumerate(d_clauses):
            if t.caption_key and t.caption_key == d.caption_key:
                score[i][j] += settings.caption_bonus
            if t.number and t.number == d.number:
                score[i][j] += settings.number_bonus
    pairs = []
    for i, j in _assign(score):
        same_caption = bool(t_clauses[i].caption_key) and (
            t_clauses[i].caption_key == d_clauses[j].caption_key
        )
        floor = settings.min_similarity_same_caption if same_caption else settings.min_similarity
        if cosine[i][j] >= floor:
            pairs.append((i, j))
    in_order = _in_order(pairs)
    # Cross-references in the draft compare by the template number of the clause they cite.
    ref_map: dict[str, str] = {}
    for i, j in pairs:
        d_number, t_number = d_clauses[j].number, t_clauses[i].number
        if d_number and t_number:
            ref_map[d_number] = t_number

    compared: dict[int, ClauseComparison] = {}
    for i, j in pairs:
        t, d = t_clauses[i], d_clauses[j]
        text = compare_texts(t.body, d.body, ref_map)
        compared[j] = ClauseComparison(
            status=text.status,
            template=t.side,
            draft=d.side,
            similarity=cosine[i][j],
            diff=text.diff,
            value_changes=text.value_changes,
            moved=(i, j) not in in_order,
            renumbered=t.number != d.number,
        )
    template_of = {j: i for i, j in pairs}
    matched_t = {i for i, _ in pairs}
    missing = [i for i in range(len(t_clauses)) if i not in matched_t]

    def missing_clause(i: int) -> ClauseComparison:
        side = t_clauses[i].side
        return ClauseComparison(
            ClauseStatus.MISSING, side, None, 0.0, (DiffSegment("delete", t_clauses[i].body),)
        )

    # Draft order; each missing template clause goes where it stood relative to the clauses
    # that kept their order.
    out: list[ClauseComparison] = []
    for j, d in enumerate(d_clauses):
        if j in compared:
            i = template_of[j]
            if (i, j) in in_order:
                while missing and missing[0] < i:
                    out.append(missing_clause(missing.pop(0)))
            out.append(compared[j])
        else:
            out.append(
                ClauseComparison(
                    ClauseStatus.ADDED, None, d.side, 0.0, (DiffSegment("insert", d.body),)
                )
            )
    out += [missing_clause(i) for i in missing]
    return ComparisonResult(template.source, draft.source, tuple(out), settings)


def _document(result: AnalysisResult, which: str) -> Document:
    if result.status is Status.FAILED or result.document is None:
        fatal = next((p for p in result.problems if p.fatal), None)
        if fatal is None and result.problems:
            fatal = result.problems[0]
        code = fatal.code if fatal else errors.INPUT_EMPTY
        message = fatal.message if fatal else "the document could not be read"
        raise InputError(f"{which} {result.source.path}: {message}", code=code)
    return result.document


def compare_results(
    template: AnalysisResult,
    draft: AnalysisResult,
    settings: CompareSettings | None = None,
) -> ComparisonResult:
    """Compare a draft with a template, both already analysed (with their documents).

    Raises ``InputError`` carrying the analyzer's stable code (``input.not_pdf``, ...) when
    either analysis failed.
    """
    t_doc = _document(template, "template")
    d_doc = _document(draft, "draft")
    return compare_documents(t_doc, d_doc, template.findings, draft.findings, settings)
