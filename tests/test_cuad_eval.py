"""The CUAD contract-level evaluation on a fixed slice of the training split (the full run is
``payerlens evaluate``; its figures are in the README)."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.analyzer import Analyzer
from extractor.evaluation import cuad_split, evaluate_cuad, load_cuad_labels
from tests.conftest import REPO

CUAD = REPO / "corpus" / "cuad"


@pytest.fixture(scope="module")
def scores(analyzer: Analyzer) -> dict[str, Any]:
    return evaluate_cuad(analyzer, CUAD, limit=60)


def test_cuad_copy_is_complete_and_attributed() -> None:
    assert len(list((CUAD / "full_contract_txt").glob("*.txt"))) == 398
    assert "CC BY 4.0" in (CUAD / "SOURCES.md").read_text()
    labels = load_cuad_labels(CUAD)
    assert sum(1 for v in labels.values() if v.get("Renewal Term")) == 141
    assert sum(1 for v in labels.values() if v.get("Audit Rights")) == 166


def test_split_is_fixed_and_roughly_half() -> None:
    names = [p.name for p in (CUAD / "full_contract_txt").glob("*.txt")]
    dev = sum(cuad_split(n) == "dev" for n in names)
    assert 150 < dev < 250
    assert cuad_split(names[0]) == cuad_split(names[0])


def test_contract_level_scores_on_a_slice(scores: dict[str, Any]) -> None:
    assert scores["contracts"] == 60
    renewal = scores["labels"]["Renewal Term"]["all"]
    audit = scores["labels"]["Audit Rights"]["all"]
    assert renewal["tp"] + renewal["fn"] > 10 and audit["tp"] + audit["fn"] > 10
    assert renewal["f1"] >= 0.75, renewal
    assert audit["f1"] >= 0.75, audit
    assert scores["notice_days_agreement"]["all"]["accuracy"] >= 0.9
