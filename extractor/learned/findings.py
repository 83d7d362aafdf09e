"""Combine the model with the rules: score rule findings, and propose what no rule found.

* A rule finding keeps its evidence, severity and confidence; it gains ``model_score``, the
  model's best score for its category over the sentences it quotes (None where the model has
  no head for the category), so a reviewer sees where rules and model disagree.
* A sentence scoring at or above its head's threshold, in a clause where no rule found that
  category, becomes a model finding: ``rule_id`` ``model.<head>``, ``confidence`` = the model's
  probability, severity medium (no fields were read, so nothing supports high or low), and an
  explanation saying it is the model's call. One per clause and category: its best sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

import numpy as np

from extractor.learned.model import ClauseModel
from extractor.learned.units import ClauseUnit, clause_units
from extractor.model import Document, Finding, Severity

EXPLANATION = (
    "No rule matched this clause, but the payerlens model reads it as {what} "
    "(score {score:.2f}). Review it: the model finds paraphrases rules miss, and it also errs."
)
WHAT = {
    "evergreen_renewal": "an automatic renewal or evergreen term",
    "audit_provision": "an audit or records-inspection right",
    "termination_without_cause": "a right to terminate without cause",
    "most_favored_nation": "a most-favoured-nation promise",
    "assignment_change_of_control": "an assignment or change-of-control term",
    "non_solicitation": "a non-solicitation or non-disparagement term",
}


def category_of(head: str) -> str:
    return head.split(":", 1)[0]


def flag_of(head: str) -> str | None:
    return head.split(":", 1)[1] if ":" in head else None


def apply_model(model: ClauseModel, document: Document, findings: list[Finding]) -> list[Finding]:
    units = clause_units(document)
    if not units:
        return findings
    scores = model.scores([u.text for u in units])
    # units and blocks are in document order: a finding's sentences and block are found by
    # bisection, not by scanning every unit for every finding
    unit_ends = [u.end for u in units]
    block_starts = [b.start for b in document.blocks]
    scored = [_with_score(f, units, unit_ends, scores) for f in findings]
    covered = {(f.category, _block_of(document, block_starts, f.start)) for f in findings}
    best: dict[tuple[str, int], tuple[float, ClauseUnit]] = {}
    heads_hit: dict[tuple[str, int], set[str]] = {}
    for head, values in scores.items():
        threshold = model.categories[head].threshold
        if threshold is None:
            continue
        category = category_of(head)
        for unit, value in zip(units, values, strict=True):
            key = (category, unit.block)
            if value < threshold or key in covered:
                continue
            heads_hit.setdefault(key, set()).add(head)
            if key not in best or value > best[key][0]:
                best[key] = (float(value), unit)
    added = [
        _model_finding(category, score, unit, heads_hit[(category, block)])
        for (category, block), (score, unit) in best.items()
    ]
    return sorted(scored + added, key=lambda f: (f.start, f.category))


def _with_score(
    finding: Finding,
    units: list[ClauseUnit],
    unit_ends: list[int],
    scores: dict[str, np.ndarray],
) -> Finding:
    heads = [h for h in scores if category_of(h) == finding.category]
    if not heads:
        return finding
    inside = []
    i = bisect_right(unit_ends, finding.start)  # first unit ending after the finding starts
    while i < len(units) and units[i].start < finding.end:
        inside.append(i)
        i += 1
    if not inside:
        return finding
    top = max(float(scores[h][i]) for h in heads for i in inside)
    return replace(finding, model_score=round(top, 3))


def _block_of(document: Document, block_starts: list[int], offset: int) -> int:
    i = bisect_right(block_starts, offset) - 1
    if i >= 0 and offset < document.blocks[i].end:
        return document.blocks[i].index
    return -1


def _model_finding(category: str, score: float, unit: ClauseUnit, heads: set[str]) -> Finding:
    fields: dict[str, object] = {flag: True for h in sorted(heads) if (flag := flag_of(h))}
    return Finding(
        category=category,
        severity=Severity.MEDIUM,
        page=unit.page,
        section=unit.section,
        text=unit.text,
        fields=fields,
        rule_id=f"model.{category}",
        rule_version=1,
        confidence=round(score, 3),
        explanation=EXPLANATION.format(what=WHAT.get(category, category), score=score),
        start=unit.start,
        end=unit.end,
        model_score=round(score, 3),
    )
