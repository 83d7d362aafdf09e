"""The clause model: artefact round trip, combination with the rules, and a byte-identical
rebuild of the shipped model by ``payerlens train`` (no download: CUAD and the samples are in
the repo)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.layout import text_to_document
from extractor.learned.findings import apply_model
from extractor.learned.model import ARTEFACT, ClauseModel, load_model, shipped_model_path
from extractor.learned.training import OOF_FILE, choose_threshold, fold_of
from extractor.learned.units import clause_units
from extractor.model import SourceInfo

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model() -> ClauseModel:
    m = load_model()
    assert m is not None, "the package ships a clause model"
    return m


def _doc(text: str):  # type: ignore[no-untyped-def]
    return text_to_document(text, SourceInfo(path="t.txt", sha256="", pages=1))


def test_shipped_model_has_the_cuad_heads_with_thresholds(model: ClauseModel) -> None:
    for head in (
        "evergreen_renewal",
        "audit_provision",
        "termination_without_cause",
        "assignment_change_of_control:restricts_assignment",
        "assignment_change_of_control:change_of_control",
    ):
        assert head in model.categories
        threshold = model.categories[head].threshold
        assert threshold is not None and 0.0 < threshold < 1.0
    assert model.training["held_out_samples"]
    assert not set(model.training["held_out_samples"]) & set(model.training["samples"])


def test_artefact_round_trips_byte_for_byte(model: ClauseModel) -> None:
    raw = shipped_model_path().read_bytes()
    assert ClauseModel.from_bytes(raw).to_bytes() == raw


def test_scores_are_probabilities_and_rank_the_clause_type(model: ClauseModel) -> None:
    texts = [
        "Neither party may assign this Agreement without the prior written consent of the "
        "other party, and any attempted assignment without such consent shall be void.",
        "The parties shall meet quarterly to review the utilization reports for the region.",
    ]
    scores = model.scores(texts)["assignment_change_of_control:restricts_assignment"]
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[0] > 0.5 > scores[1]


def test_model_finding_where_no_rule_found_the_clause(model: ClauseModel) -> None:
    text = (
        "12.4 Transfer. Neither this Agreement nor any of the rights, interests or obligations "
        "hereunder shall be transferred by either party without the other party's prior "
        "written approval.\n\n12.5 Notices. Notices shall be sent by certified mail."
    )
    document = _doc(text)
    out = apply_model(model, document, [])
    hits = [f for f in out if f.category == "assignment_change_of_control"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit.rule_id == "model.assignment_change_of_control"
    assert hit.fields.get("restricts_assignment") is True
    assert hit.confidence == hit.model_score
    assert (
        hit.confidence
        >= model.categories["assignment_change_of_control:restricts_assignment"].threshold
    )  # type: ignore[operator]
    assert "model" in hit.explanation


def test_rule_findings_keep_their_evidence_and_gain_a_model_score(analyzer: Analyzer) -> None:
    text = (
        "This Agreement shall automatically renew for successive one (1) year terms unless "
        "either party gives written notice of non-renewal at least ninety (90) days before "
        "the end of the then-current term."
    )
    findings = analyzer.analyze_text(text).findings
    rule = [f for f in findings if f.category == "evergreen_renewal"]
    assert rule and not rule[0].rule_id.startswith("model.")
    assert rule[0].model_score is not None and rule[0].model_score > 0.5
    # one finding per clause and category: the model does not repeat what a rule found
    assert len(rule) == 1


def test_rules_alone_when_the_model_is_off() -> None:
    rules_only = Analyzer(AnalyzerSettings(use_model=False))
    assert rules_only.model is None
    text = (
        "Neither this Agreement nor any of the rights, interests or obligations hereunder "
        "shall be transferred by either party without the other party's prior written approval."
    )
    found = rules_only.analyze_text(text).findings
    assert not [f for f in found if f.rule_id.startswith("model.")]


def test_units_are_sentences_with_provenance() -> None:
    document = _doc("7.1 Term. This Agreement begins on the Effective Date. It runs three years.")
    units = clause_units(document)
    assert [u.text for u in units] == ["This Agreement begins on the Effective Date."]
    assert units[0].page == 1 and units[0].section == "7.1"


def test_threshold_maximises_dev_f1() -> None:
    # contracts named so that cuad_split puts them in the dev half
    from extractor.evaluation import cuad_split

    names = [f"c{i}.txt" for i in range(200) if cuad_split(f"c{i}.txt") == "dev"][:6]
    scores = {n: {"h": s} for n, s in zip(names, [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], strict=True)}
    truth = {n: {"h"} for n in names[:3]}
    assert choose_threshold(scores, truth, "h") == 0.7
    assert choose_threshold(scores, {}, "h") is None  # no positives: rules only
    # with rules that already find every positive, nothing the model adds helps
    every = {n: {"h"} for n in names[:3]}
    assert choose_threshold(scores, truth, "h", every) is None
    # rules that find the two best: the threshold still reaches the third
    assert choose_threshold(scores, truth, "h", {n: {"h"} for n in names[:2]}) == 0.7


def test_folds_are_stable_and_cover_every_fold() -> None:
    folds = {fold_of(f"contract-{i}.txt") for i in range(100)}
    assert folds == set(range(5))
    assert fold_of("x.txt") == fold_of("x.txt")


def test_train_rebuilds_the_shipped_model_byte_for_byte(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "train", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shipped = shipped_model_path().parent
    assert (tmp_path / ARTEFACT).read_bytes() == (shipped / ARTEFACT).read_bytes()
    assert (tmp_path / OOF_FILE).read_bytes() == (shipped / OOF_FILE).read_bytes()
