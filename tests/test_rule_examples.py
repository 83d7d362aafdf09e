"""Every rule's own examples: positives are found with their fields, negatives are not, and the
known misses listed under ``todo`` are still missed (move them up when a rule learns them)."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.analyzer import Analyzer
from extractor.model import Finding
from extractor.rules.loader import load_rules
from extractor.rules.schema import PositiveExample


def _cases(kind: str) -> list[Any]:
    cases = []
    for rule in load_rules().rules:
        examples = getattr(rule.examples, kind)
        for i, example in enumerate(examples):
            cases.append(pytest.param(rule.id, example, id=f"{rule.id}-{kind}{i}"))
    return cases


def _rule_findings(analyzer: Analyzer, text: str) -> list[Finding]:
    """What the rules find: the examples test rules, not the model's second opinion."""
    return [f for f in analyzer.analyze_text(text).findings if not f.rule_id.startswith("model.")]


def _category(rule_id: str) -> str:
    return rule_id.split(".", 1)[0]


@pytest.mark.parametrize(("rule_id", "example"), _cases("positive"))
def test_positive_example(analyzer: Analyzer, rule_id: str, example: Any) -> None:
    ex = example if isinstance(example, PositiveExample) else PositiveExample(text=example)
    findings = [f for f in _rule_findings(analyzer, ex.text) if f.category == _category(rule_id)]
    assert findings, f"{rule_id} did not fire on: {ex.text}"
    finding = findings[0]
    for name, expected in ex.fields.items():
        assert finding.fields.get(name) == expected, (name, finding.fields)
    if ex.severity is not None:
        assert finding.severity is ex.severity, finding
    assert finding.explanation and not set("{}[]") & set(finding.explanation)


@pytest.mark.parametrize(("rule_id", "example"), _cases("negative"))
def test_negative_example(analyzer: Analyzer, rule_id: str, example: str) -> None:
    findings = [f for f in _rule_findings(analyzer, example) if f.category == _category(rule_id)]
    assert not findings, f"{rule_id} wrongly fired on: {example}\n{findings}"


@pytest.mark.parametrize(("rule_id", "example"), _cases("todo"))
def test_known_miss_is_still_missed(analyzer: Analyzer, rule_id: str, example: str) -> None:
    findings = [f for f in _rule_findings(analyzer, example) if f.category == _category(rule_id)]
    assert not findings, f"{rule_id} now finds a listed known miss; move it to positive: {example}"


def _prefilter_cases() -> list[Any]:
    cases = []
    for rule_file in load_rules().files:
        for rule in rule_file.rules:
            for i, example in enumerate(rule.examples.positive):
                text = example if isinstance(example, str) else example.text
                cases.append(pytest.param(rule_file.prefilter, text, id=f"{rule.id}-{i}"))
    return cases


@pytest.mark.parametrize(("prefilter", "text"), _prefilter_cases())
def test_prefilter_admits_every_positive_example(prefilter: str, text: str) -> None:
    import re

    assert re.search(prefilter, text, re.IGNORECASE), "the category prefilter would skip this"
