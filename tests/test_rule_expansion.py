"""Wide ``{n,m}`` runs are matched as exact-count variants (``extractor/rules/expand.py``): the
same (start, end) matches as the patterns as written, for every shipped pattern."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.matcher import Matcher

from extractor.rules import expand
from extractor.rules.expand import expand_all, expand_bounded_runs
from extractor.rules.loader import load_rules

ANY: dict[str, Any] = {}


def test_a_wide_run_becomes_one_variant_per_count() -> None:
    pattern = [{"LOWER": "pay"}, {"OP": "{0,8}"}, {"LOWER": "within"}]
    variants = expand_bounded_runs(pattern)
    assert len(variants) == 9
    assert variants[0] == [{"LOWER": "pay"}, {"LOWER": "within"}]
    assert variants[1] == [{"LOWER": "pay"}, ANY, {"LOWER": "within"}]
    assert variants[8] == [{"LOWER": "pay"}, {"OP": "{8}"}, {"LOWER": "within"}]


def test_narrow_runs_and_other_operators_stay_as_written() -> None:
    pattern = [{"LOWER": "a"}, {"OP": "{0,2}"}, {"LOWER": "-", "OP": "?"}, {"OP": "*"}]
    assert expand_bounded_runs(pattern) == [pattern]


def test_over_budget_the_narrowest_runs_stay_as_written() -> None:
    wide, narrower = {"OP": "{0,12}"}, {"LOWER": {"NOT_IN": ["x"]}, "OP": "{1,8}"}
    variants = expand_bounded_runs([{"LOWER": "a"}, narrower, {"LOWER": "b"}, wide])
    assert expand.MAX_VARIANTS < 13 * 8
    assert len(variants) == 13  # the {0,12} run expanded, the {1,8} run kept
    assert all(v[1] == narrower for v in variants)


def _texts() -> list[str]:
    texts = []
    for rule in load_rules().rules:
        texts += [e if isinstance(e, str) else e.text for e in rule.examples.positive]
        texts += list(rule.examples.negative) + list(rule.examples.todo)
    return texts


@pytest.fixture(scope="module")
def docs(analyzer: Any) -> list[Any]:
    nlp: Language = analyzer.nlp
    return list(nlp.pipe(_texts()))


def test_expanded_patterns_match_exactly_what_the_written_ones_match(
    analyzer: Any, docs: list[Any]
) -> None:
    nlp: Language = analyzer.nlp
    written, expanded = Matcher(nlp.vocab), Matcher(nlp.vocab)
    expanded_any = 0
    for rule in load_rules().rules:
        for g, group in enumerate([rule.patterns, rule.exclude, *rule.require]):
            for i, pattern in enumerate(group or []):
                key = f"{rule.id}/{g}/{i}"
                variants = expand_all([pattern])
                expanded_any += len(variants) > 1
                written.add(key, [pattern])
                expanded.add(key, variants)
    assert expanded_any > 50  # the shipped rules do use wide runs
    for doc in docs:
        assert set(written(doc)) == set(expanded(doc)), doc.text
