"""Train the clause model from the repo's labelled clauses, deterministically.

Training data (``labelled_sentences``):

* **CUAD** (``corpus/cuad``, CC BY 4.0): every sentence of the 398 training contracts, positive
  for a category where it overlaps a span CUAD labels with a matching clause type
  (``CUAD_TO_HEAD``). CUAD is silent on the healthcare categories, so its sentences count as
  negatives only for categories it cannot contain unlabelled (``CUAD_NEGATIVE_FOR``).
* **Samples** (``corpus/samples``): sentences overlapping a ground-truth finding, except the
  samples held out for reporting (``HELD_OUT_SAMPLES``) and scanned twins.

Rule examples are not training data: the model is a second opinion, independent of the rules,
and a rule edit does not change it.

One vocabulary (word 1–2-grams, numbers folded) and one
L2 logistic regression per head (liblinear, fixed seed). Model-only findings need a threshold:
it is chosen on out-of-fold scores of the CUAD contracts in the *dev* half (5 folds by file-name
hash, each contract scored by a model that never saw it) as the score that maximises the
contract-level F1 of rules + model there (so the thresholds complement the shipped rules: after a
rule change, ``payerlens train`` re-picks them); the CUAD *test* half stays out of every choice.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from extractor.evaluation import cuad_split, overlap
from extractor.layout import text_to_document
from extractor.learned.model import CategoryModel, ClauseModel, ngrams, tokens
from extractor.learned.splits import HELD_OUT_SAMPLES
from extractor.learned.units import clause_units
from extractor.model import Document, SourceInfo

MODEL_VERSION = "1"
# Next to the artefact: every CUAD contract's out-of-fold scores, which the evaluation uses to
# report rules + model on contracts the scoring model never saw.
OOF_FILE = "cuad_out_of_fold.json"
SEED = 20261127
NGRAM_MAX = 2
MIN_DF = 3
MAX_FEATURES = 40000
C = 4.0
FOLDS = 5
MIN_USEFUL_F1 = 0.5
MIN_POSITIVES = 25  # fewer labelled sentences than this: no model for the category
SPAN_OVERLAP = 0.6

# CUAD clause type → model head. A head is a finding category, or ``category:flag`` for a
# head whose findings carry ``fields[flag] = True`` (CUAD tells assignment restrictions and
# change-of-control terms apart; payerlens files both under one category).
CUAD_TO_HEAD = {
    "Renewal Term": "evergreen_renewal",
    "Notice Period to Terminate Renewal": "evergreen_renewal",
    "Audit Rights": "audit_provision",
    "Termination for Convenience": "termination_without_cause",
    "Most Favored Nation": "most_favored_nation",
    "Anti-Assignment": "assignment_change_of_control:restricts_assignment",
    "Change of Control": "assignment_change_of_control:change_of_control",
    "No-Solicit of Employees": "non_solicitation",
    "No-Solicit of Customers": "non_solicitation",
    "Non-Disparagement": "non_solicitation",
}
CUAD_HEADS = tuple(sorted(set(CUAD_TO_HEAD.values())))
# Categories CUAD labels (above), plus healthcare-only terms a commercial contract does not
# contain: for these an unlabelled CUAD sentence is a fair negative. Generic terms CUAD holds
# but never labels (confidentiality, arbitration, amendment…) are left out of its negatives.
CUAD_NEGATIVE_FOR = frozenset(CUAD_TO_HEAD.values()) | {
    "vague_reimbursement",
    "recoupment_offset",
    "timely_filing",
    "prompt_payment",
    "lesser_of",
    "all_products",
    "network_rental",
    "anti_steering",
    "claims_editing",
    "retroactive_denial",
    "stop_loss_outlier",
    "carve_out",
    "credentialing",
    "hold_harmless",
    "site_of_service",
    "readmission_policy",
    "never_events_hac",
    "observation_vs_inpatient",
    "value_based_withhold",
    "non_priced_codes",
    "new_services_technology",
    "coordination_of_benefits",
}


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    labels: frozenset[str]
    source: str  # cuad | sample | rule_example
    group: str  # contract it comes from: folds never split a group
    # heads this sentence is evidence about (positive or negative)
    known: frozenset[str] = field(default_factory=frozenset)


# -- data -----------------------------------------------------------------------------------------


def cuad_document(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    source = SourceInfo(path=path.name, sha256="", pages=1, media_type="text/plain")
    return text_to_document(text, source)


def cuad_spans(cuad: Path) -> dict[str, list[tuple[str, str]]]:
    """file name → [(category, span text)] for the clause types the model learns."""
    spans: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (cuad / "cuad_spans.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            head = CUAD_TO_HEAD.get(rec["category"])
            if head is None:
                continue
            for part in rec.get("parts") or [{"text": rec["clause"]}]:
                if len(part["text"].split()) >= 5:
                    spans[rec["txt_file"]].append((head, part["text"]))
    return spans


def _labels(text: str, spans: Iterable[tuple[str, str]]) -> frozenset[str]:
    return frozenset(c for c, span in spans if overlap(text, span) >= SPAN_OVERLAP)


def cuad_sentences(cuad: Path, heads: Sequence[str]) -> list[LabelledSentence]:
    spans = cuad_spans(cuad)
    known = frozenset(h for h in heads if h in CUAD_NEGATIVE_FOR)
    out = []
    for path in sorted((cuad / "full_contract_txt").glob("*.txt")):
        doc_spans = spans.get(path.name, [])
        for unit in clause_units(cuad_document(path)):
            labels = _labels(unit.text, doc_spans) & known
            out.append(LabelledSentence(unit.text, labels, "cuad", path.name, known))
    return out


def sample_sentences(
    documents: dict[str, Document], truths: dict[str, dict[str, Any]], heads: Sequence[str]
) -> list[LabelledSentence]:
    """Sentences of the training samples, labelled by the ground-truth findings they overlap.

    A sample's truth covers every category (clause_rules/TAXONOMY.md), so each sentence is
    evidence for every category head; flag heads need labels the truth does not carry.
    """
    known = frozenset(h for h in heads if ":" not in h)
    out = []
    for name in sorted(documents):
        if name in HELD_OUT_SAMPLES:
            continue
        findings = truths[name].get("findings", [])
        spans = [(f["category"], f["text"]) for f in findings if f["category"] in known]
        for unit in clause_units(documents[name]):
            labels = _labels(unit.text, spans)
            out.append(LabelledSentence(unit.text, labels, "sample", name, known))
    return out


# -- fitting ----------------------------------------------------------------------------------


def fold_of(group: str) -> int:
    return hashlib.sha1(group.encode()).digest()[1] % FOLDS


def build_vocabulary(sentences: Sequence[LabelledSentence]) -> tuple[dict[str, int], np.ndarray]:
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(set(ngrams(tokens(s.text), NGRAM_MAX)))
    kept = sorted((g for g, n in df.items() if n >= MIN_DF), key=lambda g: (-df[g], g))
    kept = sorted(kept[:MAX_FEATURES])
    n = len(sentences)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept])
    return {g: i for i, g in enumerate(kept)}, idf


def fit(
    sentences: Sequence[LabelledSentence], heads: Sequence[str], training: dict[str, Any]
) -> ClauseModel:
    from sklearn.linear_model import LogisticRegression

    vocab, idf = build_vocabulary(sentences)
    shell = ClauseModel(MODEL_VERSION, NGRAM_MAX, vocab, idf, {}, training)
    x = shell.vectorize([s.text for s in sentences])
    models = {}
    for head in heads:
        rows = [i for i, s in enumerate(sentences) if head in s.known]
        y = np.array([head in sentences[i].labels for i in rows])
        if y.sum() < MIN_POSITIVES or y.all():
            continue
        clf = LogisticRegression(
            C=C, solver="liblinear", dual=True, random_state=SEED, max_iter=1000
        )
        clf.fit(x[rows], y)
        models[head] = CategoryModel(
            head, clf.coef_[0].astype(np.float64), float(clf.intercept_[0]), None, int(y.sum())
        )
    return ClauseModel(MODEL_VERSION, NGRAM_MAX, vocab, idf, models, training)


def out_of_fold_scores(
    sentences: Sequence[LabelledSentence], heads: Sequence[str]
) -> dict[str, dict[str, float]]:
    """For every CUAD contract, its best sentence score per head from a model trained on the
    other folds (training samples are in every fold's training data)."""
    best: dict[str, dict[str, float]] = defaultdict(dict)
    for k in range(FOLDS):
        train_part = [s for s in sentences if s.source != "cuad" or fold_of(s.group) != k]
        held = [s for s in sentences if s.source == "cuad" and fold_of(s.group) == k]
        model = fit(train_part, heads, {})
        scores = model.scores([s.text for s in held])
        for head, values in scores.items():
            for s, v in zip(held, values, strict=True):
                best[s.group][head] = max(best[s.group].get(head, 0.0), round(float(v), 4))
    return {name: dict(sorted(b.items())) for name, b in sorted(best.items())}


def contract_truth(cuad: Path) -> dict[str, set[str]]:
    """CUAD contract → the heads it has a labelled clause for."""
    truth: dict[str, set[str]] = defaultdict(set)
    for name, spans in cuad_spans(cuad).items():
        truth[name].update(h for h, _ in spans)
    return truth


# The rules' contract-level CUAD prediction (``evaluation.cuad_predictions``) for each head.
HEAD_RULE_LABEL = {
    "evergreen_renewal": "renewal_term",
    "audit_provision": "audit_provision",
    "termination_without_cause": "termination_without_cause",
    "most_favored_nation": "most_favored_nation",
    "assignment_change_of_control:restricts_assignment": "anti_assignment",
    "assignment_change_of_control:change_of_control": "change_of_control",
    "non_solicitation": "non_solicitation",
}


def choose_threshold(
    scores: dict[str, dict[str, float]],
    truth: dict[str, set[str]],
    head: str,
    rules: dict[str, set[str]] | None = None,
) -> float | None:
    """The sentence score that maximises contract-level F1 of rules + model on the dev half.

    A model finding only adds to what the rules found, so the threshold is chosen for what it
    adds: with ``rules`` (each dev contract's rule predictions) a contract counts as found when
    the rules found it or the model scores at least the threshold. None when no threshold beats
    the rules alone (or, without rules, when the model alone stays under ``MIN_USEFUL_F1``):
    the head then scores rule findings but proposes none of its own.
    """
    label = HEAD_RULE_LABEL.get(head, head)
    dev = [
        (
            s.get(head, 0.0),
            head in truth.get(name, set()),
            rules is not None and label in rules.get(name, set()),
        )
        for name, s in scores.items()
        if cuad_split(name) == "dev"
    ]
    positives = sum(p for _, p, _ in dev)

    def f1(threshold: float) -> float:
        tp = sum(p for score, p, r in dev if r or score >= threshold)
        fp = sum(not p for score, p, r in dev if r or score >= threshold)
        return 2 * tp / (tp + fp + positives) if tp else 0.0

    floor = f1(2.0) if rules is not None else MIN_USEFUL_F1
    best_f1, best = floor, None
    for threshold in sorted({score for score, _, _ in dev}, reverse=True):
        value = f1(threshold)
        if value > best_f1 + 1e-9:
            best_f1, best = value, threshold
    return best


def train(
    cuad: Path,
    sample_documents: dict[str, Document],
    sample_truths: dict[str, dict[str, Any]],
    categories: Sequence[str],
    rules: dict[str, set[str]] | None = None,
) -> tuple[ClauseModel, dict[str, dict[str, float]]]:
    """The shipped model and the out-of-fold CUAD scores its thresholds were chosen on.

    ``categories``: the finding categories of the taxonomy; every one becomes a head, and the
    CUAD flag heads are added. Heads with too few labelled sentences are dropped in ``fit``.
    ``rules``: the rules' CUAD predictions per dev contract (``rule_predictions``), which the
    thresholds complement.
    """
    heads = sorted(set(categories) | set(CUAD_HEADS))
    sentences = cuad_sentences(cuad, heads) + sample_sentences(
        sample_documents, sample_truths, heads
    )
    oof = out_of_fold_scores(sentences, heads)
    truth = contract_truth(cuad)
    counts = Counter(s.source for s in sentences)
    training = {
        "sentences": dict(sorted(counts.items())),
        "samples": sorted(n for n in sample_documents if n not in HELD_OUT_SAMPLES),
        "held_out_samples": sorted(HELD_OUT_SAMPLES),
        "cuad_contracts": len({s.group for s in sentences if s.source == "cuad"}),
        "params": {
            "ngram_max": NGRAM_MAX,
            "min_df": MIN_DF,
            "max_features": MAX_FEATURES,
            "C": C,
            "folds": FOLDS,
            "seed": SEED,
            "min_positives": MIN_POSITIVES,
            "min_useful_f1": MIN_USEFUL_F1,
        },
    }
    model = fit(sentences, heads, training)
    heads_out = {
        name: CategoryModel(
            name,
            cm.weights,
            cm.bias,
            choose_threshold(oof, truth, name, rules) if name in CUAD_HEADS else None,
            cm.positives,
        )
        for name, cm in model.categories.items()
    }
    shipped = ClauseModel(
        model.version, model.ngram_max, model.vocabulary, model.idf, heads_out, training
    )
    return shipped, oof


def rule_predictions(cuad: Path, analyzer: Any) -> dict[str, set[str]]:
    """What the rules alone find in each dev-half CUAD contract (``cuad_predictions``)."""
    from extractor.evaluation import cuad_predictions

    out: dict[str, set[str]] = {}
    for path in sorted((cuad / "full_contract_txt").glob("*.txt")):
        if cuad_split(path.name) != "dev":
            continue
        result = analyzer.analyze_text(path.read_text(encoding="utf-8"), name=path.name)
        out[path.name] = cuad_predictions(result)
    return out


def load_samples(samples: Path) -> tuple[dict[str, Document], dict[str, dict[str, Any]]]:
    """The training samples' documents (digital pages only: OCR output depends on the installed
    Tesseract, and a model must rebuild byte-identically) and their ground truth."""
    from extractor.layout import pages_to_document
    from extractor.ocr import OcrSettings
    from extractor.pdf_reader import ReaderSettings, read_pdf

    reader = ReaderSettings(ocr=OcrSettings(enabled=False))
    documents: dict[str, Document] = {}
    truths: dict[str, dict[str, Any]] = {}
    for truth_path in sorted(samples.glob("*.json")):
        name = truth_path.stem
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if name in HELD_OUT_SAMPLES or truth.get("source", {}).get("twin_of"):
            continue
        read = read_pdf(truth_path.with_suffix(".pdf"), reader)
        documents[name] = pages_to_document(read.source, read.pages)
        truths[name] = truth
    return documents, truths


def taxonomy(truths: dict[str, dict[str, Any]]) -> list[str]:
    """The categories the sample ground truth is annotated for."""
    out: set[str] = set()
    for truth in truths.values():
        out.update(truth.get("annotated_categories", []))
    return sorted(out)


def oof_to_bytes(oof: dict[str, dict[str, float]]) -> bytes:
    return (json.dumps(oof, sort_keys=True, indent=0) + "\n").encode()
