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
from extractor.learned.model import (
    ARTEFACT,
    CategoryModel,
    ClauseModel,
    load_model,
    shipped_model_path,
)
from extractor.learned.training import CUAD_HEADS, OOF_FILE, choose_threshold, fold_of
from extractor.learned.units import clause_units
from extractor.model import Finding, Severity, SourceInfo

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model() -> ClauseModel:
    m = load_model()
    assert m is not None, "the package ships a clause model"
    return m


def _doc(text: str):  # type: ignore[no-untyped-def]
    return text_to_document(text, SourceInfo(path="t.txt", sha256="", pages=1))


def test_shipped_model_has_the_cuad_heads_with_thresholds(model: ClauseModel) -> None:
    for head in CUAD_HEADS:
        if head == "most_favored_nation":
            continue  # 82 labelled sentences in CUAD: a head, but too weak to propose findings
        assert head in model.categories
        threshold = model.categories[head].threshold
        assert threshold is None or 0.0 < threshold < 1.0
    proposing = [h for h, c in model.categories.items() if c.threshold is not None]
    assert len(proposing) >= 3, proposing
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


def _tiny_model() -> ClauseModel:
    """Two heads over a five-word vocabulary: enough to test how findings are combined."""
    vocab = {w: i for i, w in enumerate(["assign", "consent", "merger", "notices", "transfer"])}
    idf = np.ones(len(vocab))
    restrict = np.array([4.0, 4.0, 0.0, -4.0, 4.0])
    control = np.array([0.0, 1.0, 6.0, -4.0, 0.0])
    heads = {
        "assignment_change_of_control:restricts_assignment": CategoryModel(
            "assignment_change_of_control:restricts_assignment", restrict, -1.0, 0.8, 30
        ),
        "assignment_change_of_control:change_of_control": CategoryModel(
            "assignment_change_of_control:change_of_control", control, -1.0, 0.8, 30
        ),
        "audit_provision": CategoryModel("audit_provision", np.zeros(5), -3.0, None, 30),
    }
    return ClauseModel("test", 1, vocab, idf, heads, {})


def test_model_finding_where_no_rule_found_the_clause() -> None:
    text = (
        "12.4 Transfer. Neither party may transfer or assign this Agreement without the other "
        "party's consent, including by merger.\n\n12.5 Notices. Notices shall be sent by "
        "certified mail to the addresses above."
    )
    model = _tiny_model()
    out = apply_model(model, _doc(text), [])
    assert [f.category for f in out] == ["assignment_change_of_control"]  # one per clause
    hit = out[0]
    assert hit.rule_id == "model.assignment_change_of_control"
    assert hit.fields == {"change_of_control": True, "restricts_assignment": True}
    assert hit.section == "12.4" and hit.text.startswith("Neither party may transfer")
    assert hit.confidence == hit.model_score and hit.confidence >= 0.8
    assert "model" in hit.explanation


def test_no_model_finding_where_a_rule_already_found_the_clause() -> None:
    text = "12.4 Transfer. Neither party may transfer or assign this Agreement without consent."
    document = _doc(text)
    block = next(b for b in document.blocks if "Neither" in b.text)
    start = block.start + block.text.index("Neither")
    rule = Finding(
        category="assignment_change_of_control",
        severity=Severity.MEDIUM,
        page=1,
        section="12.4",
        text=block.text[block.text.index("Neither") :],
        fields={"restricts_assignment": True},
        rule_id="assignment_change_of_control.consent_required",
        rule_version=1,
        confidence=0.9,
        explanation="x",
        start=start,
        end=block.end,
    )
    out = apply_model(_tiny_model(), document, [rule])
    assert len(out) == 1 and out[0].rule_id == rule.rule_id
    assert out[0].model_score is not None and out[0].model_score > 0.8


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
