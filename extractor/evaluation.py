"""Score output against ground truth: the samples (finding level) and CUAD (contract level)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from extractor.learned.splits import HELD_OUT_SAMPLES
from extractor.model import AnalysisResult, Finding
from extractor.nlp.entities import Duration, find_entities
from extractor.serialize import result_to_dict

# A ground truth without ``annotated_categories`` (the holdout sets) covers these four only.
LEGACY_CATEGORIES = (
    "evergreen_renewal",
    "vague_reimbursement",
    "audit_provision",
    "recoupment_offset",
)
KEY_TERMS = (
    "title",
    "payer",
    "provider",
    "effective_date",
    "expiration_date",
    "initial_term_months",
    "product_lines",
)
# Contract-level CUAD labels and the payerlens prediction that stands for each (see
# ``cuad_predictions``).
CUAD_LABELS = {
    "Renewal Term": "renewal_term",
    "Notice Period to Terminate Renewal": "renewal_notice",
    "Audit Rights": "audit_provision",
    "Termination for Convenience": "termination_without_cause",
    "Most Favored Nation": "most_favored_nation",
    "Anti-Assignment": "anti_assignment",
    "Change of Control": "change_of_control",
}
MIN_OVERLAP = 0.5


class Analyses(Protocol):
    def analyze_path(self, path: Path) -> AnalysisResult: ...
    def analyze_text(self, text: str, name: str = ...) -> AnalysisResult: ...


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        self.tp += truth and predicted
        self.fp += predicted and not truth
        self.fn += truth and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Ratio:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 3)}


@dataclass
class SampleScores:
    categories: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    fields: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    severity: Ratio = field(default_factory=Ratio)
    key_terms: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    misses: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    rates: Counts = field(default_factory=Counts)
    # Rate rows on digital pages and on scanned (image-only) pages, scored apart.
    rates_by_pages: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # Every category pooled, per document: a scanned twin is compared with its digital original.
    clauses_by_document: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    twins: dict[str, str] = field(default_factory=dict)  # scanned document -> its digital twin
    # Context of matched rate rows (not part of the match): methodology, product line, ...
    rate_fields: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    # What the model adds: the same scoring with its findings left out, per category, and
    # both pooled over the samples the model was never trained on.
    rules_only: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    held_out: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def micro(self) -> Counts:
        """Every category pooled (micro-averaged)."""
        total = Counts()
        for c in self.categories.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "categories": {c: self.categories[c].as_dict() for c in sorted(self.categories)},
            "micro": self.micro().as_dict(),
            "rules_only": {c: self.rules_only[c].as_dict() for c in sorted(self.rules_only)},
            "held_out_samples": {k: v.as_dict() for k, v in sorted(self.held_out.items())},
            "fields": {f: r.as_dict() for f, r in sorted(self.fields.items())},
            "severity": self.severity.as_dict(),
            "key_terms": {k: self.key_terms[k].as_dict() for k in KEY_TERMS if k in self.key_terms},
            "rates": self.rates.as_dict(),
            "rates_by_pages": {k: self.rates_by_pages[k].as_dict() for k in PAGE_KINDS},
            "rate_fields": {f: r.as_dict() for f, r in sorted(self.rate_fields.items())},
            "twins": [
                {
                    "scanned": scanned,
                    "digital": digital,
                    "scanned_f1": round(self.clauses_by_document[scanned].f1, 3),
                    "digital_f1": round(self.clauses_by_document[digital].f1, 3),
                }
                for scanned, digital in sorted(self.twins.items())
            ],
            "misses": self.misses,
        }


# -- matching -------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def overlap(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def match_findings(
    truth: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Greedy one-to-one matching by text overlap within a page of each other."""
    pairs: list[tuple[float, int, int]] = []
    for i, t in enumerate(truth):
        for j, p in enumerate(predicted):
            if abs(int(t["page"]) - int(p["page"])) > 1:
                continue
            score = overlap(t["text"], p["text"])
            if score >= MIN_OVERLAP:
                pairs.append((score, i, j))
    pairs.sort(reverse=True)
    used_t: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in used_t or j in used_p:
            continue
        used_t.add(i)
        used_p.add(j)
        matched.append((truth[i], predicted[j]))
    missed = [t for i, t in enumerate(truth) if i not in used_t]
    extra = [p for j, p in enumerate(predicted) if j not in used_p]
    return matched, missed, extra


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return bool(a == b)


def _norm_name(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(_WORD.findall(value.lower()))
    if isinstance(value, list):
        return sorted(value)
    return value


def score_document(scores: SampleScores, truth: dict[str, Any], predicted: dict[str, Any]) -> None:
    scores.documents += 1
    name = Path(str(truth.get("source", {}).get("path", "?"))).name
    for category in truth.get("annotated_categories") or LEGACY_CATEGORIES:
        t = [f for f in truth.get("findings", []) if f["category"] == category]
        p = [f for f in predicted.get("findings", []) if f["category"] == category]
        matched, missed, extra = match_findings(t, p)
        rules = [f for f in p if not str(f.get("rule_id", "")).startswith("model.")]
        r_matched, r_missed, r_extra = match_findings(t, rules)
        held_out = Path(name).stem in HELD_OUT_SAMPLES
        pools = [
            (scores.categories[category], (matched, missed, extra)),
            (scores.clauses_by_document[name], (matched, missed, extra)),
            (scores.rules_only[category], (r_matched, r_missed, r_extra)),
        ]
        if held_out:
            pools += [
                (scores.held_out["rules + model"], (matched, missed, extra)),
                (scores.held_out["rules"], (r_matched, r_missed, r_extra)),
            ]
        for counts, (m, mi, ex) in pools:
            counts.tp += len(m)
            counts.fn += len(mi)
            counts.fp += len(ex)
        for tf, pf in matched:
            scores.severity.add(tf.get("severity") == pf.get("severity"))
            for key, value in (tf.get("fields") or {}).items():
                if key in pf.get("fields", {}):
                    ok = _same_value(value, pf["fields"].get(key))
                    scores.fields[key].add(ok)
                    if not ok:
                        scores.misses.append(
                            {
                                "doc": name,
                                "kind": "field",
                                "category": category,
                                "field": key,
                                "truth": value,
                                "predicted": pf["fields"].get(key),
                                "text": tf["text"][:160],
                            }
                        )
        for f in missed:
            scores.misses.append(
                {
                    "doc": name,
                    "kind": "missed",
                    "category": category,
                    "page": f["page"],
                    "text": f["text"][:200],
                }
            )
        for f in extra:
            scores.misses.append(
                {
                    "doc": name,
                    "kind": "extra",
                    "category": category,
                    "page": f["page"],
                    "text": f["text"][:200],
                }
            )
    source = truth.get("source", {})
    if source.get("twin_of"):
        scores.twins[name] = Path(str(source["twin_of"])).name
    scanned = set(source.get("scanned_pages", []))
    for kind in PAGE_KINDS:
        counts, pairs = _score_rates(
            [r for r in truth.get("rates", []) if _page_kind(r, scanned) == kind],
            [r for r in predicted.get("rates", []) if _page_kind(r, scanned) == kind],
        )
        for t_row, p_row in pairs:
            for key in RATE_CONTEXT:
                if key in t_row:
                    scores.rate_fields[key].add(t_row[key] == p_row.get(key))
        for total in (scores.rates, scores.rates_by_pages[kind]):
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
    tc, pc = truth.get("contract", {}), predicted.get("contract", {})
    for key in KEY_TERMS:
        if key in tc:
            ok = _norm_name(tc[key]) == _norm_name(pc.get(key))
            scores.key_terms[key].add(ok)
            if not ok:
                scores.misses.append(
                    {
                        "doc": name,
                        "kind": "key_term",
                        "field": key,
                        "truth": tc[key],
                        "predicted": pc.get(key),
                    }
                )


def _rate_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("code"), row.get("modifier"), row.get("unit"))


def _close(a: Any, b: Any, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tolerance


PAGE_KINDS = ("digital", "scanned")


def _page_kind(row: dict[str, Any], scanned: set[int]) -> str:
    return "scanned" if row.get("page") in scanned else "digital"


RATE_CONTEXT = ("methodology", "percent_of", "product_line", "setting", "effective_date", "note")
RatePairs = list[tuple[dict[str, Any], dict[str, Any]]]


def _score_rates(
    truth: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> tuple[Counts, RatePairs]:
    """A rate row matches on code + modifier + unit, amount within a cent, percent within 0.01."""
    counts = Counts()
    pairs: RatePairs = []
    unused = list(predicted)
    for row in truth:
        match = next(
            (
                p
                for p in unused
                if _rate_key(p) == _rate_key(row)
                and _close(p.get("amount"), row.get("amount"), 0.01)
                and _close(p.get("percent"), row.get("percent"), 0.01)
            ),
            None,
        )
        if match is None:
            counts.fn += 1
        else:
            counts.tp += 1
            pairs.append((row, match))
            unused.remove(match)
    counts.fp += len(unused)
    return counts, pairs


def evaluate_samples(analyzer: Analyses, samples: Path) -> dict[str, Any]:
    scores = SampleScores()
    for truth_path in sorted(samples.glob("*.json")):
        pdf = truth_path.with_suffix(".pdf")
        if not pdf.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        predicted = result_to_dict(analyzer.analyze_path(pdf))
        score_document(scores, truth, predicted)
    return scores.as_dict()


# -- CUAD ---------------------------------------------------------------------------------------


def cuad_split(name: str) -> str:
    """A fixed half/half split by file name: rules are developed on ``dev`` and reported on both."""
    return "dev" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "test"


def cuad_predictions(result: AnalysisResult) -> set[str]:
    """What the findings say about a contract, in CUAD's terms.

    CUAD's "Renewal Term" is a term that renews or extends. An agreement that runs until
    terminated from day one, or rates frozen until amended, are evergreen to payerlens but have
    no renewal term, so only findings with ``auto_renew`` or ``renewal_by_option`` count; a
    "Notice Period to Terminate Renewal" is such a renewal whose clause states a notice.
    """
    rule_findings = [f for f in result.findings if not is_model_finding(f)]
    found = {f.category for f in rule_findings}
    for f in rule_findings:
        if f.category == "assignment_change_of_control":
            # CUAD: "Anti-Assignment" = consent or notice needed to assign; "Change of Control" =
            # a party's change of control needs consent / notice or lets the other terminate.
            if f.fields.get("restricts_assignment") is True:
                found.add("anti_assignment")
            if f.fields.get("change_of_control") is True:
                found.add("change_of_control")
        if f.category != "evergreen_renewal":
            continue
        if f.fields.get("auto_renew") is True or f.fields.get("renewal_by_option") is True:
            found.add("renewal_term")
            if f.fields.get("notice_days") is not None or re.search(
                r"notice|notif", f.text, re.IGNORECASE
            ):
                found.add("renewal_notice")
    return found


def is_model_finding(f: Finding) -> bool:
    return f.rule_id.startswith("model.")


# CUAD label → the model head whose out-of-fold score stands for it (model.learned.training).
CUAD_MODEL_HEADS = {
    "Renewal Term": "evergreen_renewal",
    "Audit Rights": "audit_provision",
    "Termination for Convenience": "termination_without_cause",
    "Most Favored Nation": "most_favored_nation",
    "Anti-Assignment": "assignment_change_of_control:restricts_assignment",
    "Change of Control": "assignment_change_of_control:change_of_control",
}


@dataclass(frozen=True)
class OutOfFold:
    """Each CUAD contract's best sentence score per head from a model that never saw it, and
    the shipped thresholds: rules + model on CUAD without the shipped model's hindsight."""

    scores: dict[str, dict[str, float]]
    thresholds: dict[str, float | None]

    def predicts(self, contract: str, label: str) -> bool:
        head = CUAD_MODEL_HEADS.get(label)
        threshold = self.thresholds.get(head) if head else None
        if head is None or threshold is None:
            return False
        return self.scores.get(contract, {}).get(head, 0.0) >= threshold


def load_cuad_labels(cuad: Path) -> dict[str, dict[str, list[str]]]:
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with (cuad / "cuad_spans.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["category"] in CUAD_LABELS:
                labels[rec["txt_file"]][rec["category"]].append(rec["clause"])
    return labels


def _days_in(texts: Iterable[str]) -> set[int]:
    days: set[int] = set()
    for text in texts:
        for ent in find_entities(text):
            value = ent.value
            if isinstance(value, Duration) and value.unit == "days":
                days.add(value.amount)
    return days


def evaluate_cuad(
    analyzer: Analyses, cuad: Path, limit: int | None = None, oof: OutOfFold | None = None
) -> dict[str, Any]:
    """Contract-level scores per CUAD label: rules alone (findings from the rules only: the
    shipped model saw these contracts) and, with ``oof``, rules + model."""
    labels = load_cuad_labels(cuad)
    files = sorted((cuad / "full_contract_txt").glob("*.txt"))
    if limit:
        files = files[:limit]
    counts: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    with_model: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    notice = {"all": Ratio(), "dev": Ratio(), "test": Ratio()}
    errors: list[dict[str, Any]] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        result = analyzer.analyze_text(text, name=path.name)
        found = cuad_predictions(result)
        gold = labels.get(path.name, {})
        split = cuad_split(path.name)
        for label, category in CUAD_LABELS.items():
            truth = bool(gold.get(label))
            pred = category in found
            for part in ("all", split):
                counts[label][part].add(truth, pred)
                if oof is not None:
                    either = pred or oof.predicts(path.name, label)
                    with_model[label][part].add(truth, either)
            if truth != pred:
                errors.append({"file": path.name, "label": label, "truth": truth, "split": split})
        gold_days = _days_in(gold.get("Notice Period to Terminate Renewal", []))
        predicted_days = {
            f.fields.get("notice_days")
            for f in result.findings
            if f.category == "evergreen_renewal" and f.fields.get("notice_days") is not None
        }
        if gold_days and predicted_days:
            for part in ("all", split):
                notice[part].add(bool(gold_days & predicted_days))
    return {
        "contracts": len(files),
        "labels": {
            label: {part: c.as_dict() for part, c in sorted(parts.items())}
            for label, parts in counts.items()
        },
        "labels_with_model": {
            label: {part: c.as_dict() for part, c in sorted(parts.items())}
            for label, parts in with_model.items()
        },
        "notice_days_agreement": {k: v.as_dict() for k, v in notice.items()},
        "errors": errors,
    }


# -- reports ------------------------------------------------------------------------------------


def samples_report(scores: dict[str, Any]) -> str:
    lines = [
        f"Samples: {scores['documents']} contracts",
        "",
        "| category | TP | FP | FN | precision | recall | F1 | recall, rules alone |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rules_only = scores.get("rules_only", {})
    pooled = Counts()
    for c in rules_only.values():
        pooled.tp, pooled.fp, pooled.fn = (
            pooled.tp + c["tp"],
            pooled.fp + c["fp"],
            pooled.fn + c["fn"],
        )
    rows = [*scores["categories"].items(), ("**all (micro)**", scores["micro"])]
    for cat, c in rows:
        r = rules_only.get(cat) or (pooled.as_dict() if cat.startswith("**") else None)
        alone = f"{r['recall']:.3f}" if r else "—"
        lines.append(
            f"| {cat} | {c['tp']} | {c['fp']} | {c['fn']} | {c['precision']:.3f} | "
            f"{c['recall']:.3f} | {c['f1']:.3f} | {alone} |"
        )
    held = scores.get("held_out_samples") or {}
    if held:
        lines += ["", "| samples the model never saw | TP | FP | FN | precision | recall | F1 |"]
        lines.append("|---|---|---|---|---|---|---|")
        for kind, c in held.items():
            lines.append(
                f"| {kind} | {c['tp']} | {c['fp']} | {c['fn']} | {c['precision']:.3f} | "
                f"{c['recall']:.3f} | {c['f1']:.3f} |"
            )
    lines += ["", "| field | correct / total | accuracy |", "|---|---|---|"]
    for name, r in scores["fields"].items():
        lines.append(f"| {name} | {r['correct']} / {r['total']} | {r['accuracy']:.3f} |")
    sev = scores["severity"]
    lines.append(
        f"| severity (matched findings) | {sev['correct']} / {sev['total']} | "
        f"{sev['accuracy']:.3f} |"
    )
    r = scores["rates"]
    lines += [
        "",
        "| rate rows | TP | FP | FN | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|",
        f"| all pages | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.3f} | "
        f"{r['recall']:.3f} | {r['f1']:.3f} |",
    ]
    for kind, r in scores["rates_by_pages"].items():
        if r["tp"] + r["fp"] + r["fn"] == 0:
            continue  # no such pages in this corpus
        lines.append(
            f"| {kind} pages | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | {r['f1']:.3f} |"
        )
    if scores["rate_fields"]:
        lines += ["", "| rate row context (matched rows) | correct / total | accuracy |"]
        lines.append("|---|---|---|")
        for name, r in scores["rate_fields"].items():
            lines.append(f"| {name} | {r['correct']} / {r['total']} | {r['accuracy']:.3f} |")
    if scores["twins"]:
        lines += [
            "",
            "| scanned contract | digital twin | clause F1 scanned | clause F1 digital |",
            "|---|---|---|---|",
        ]
        for t in scores["twins"]:
            lines.append(
                f"| {t['scanned']} | {t['digital']} | {t['scanned_f1']:.3f} | "
                f"{t['digital_f1']:.3f} |"
            )
    lines += ["", "| key term | correct / total | accuracy |", "|---|---|---|"]
    for name, r in scores["key_terms"].items():
        lines.append(f"| {name} | {r['correct']} / {r['total']} | {r['accuracy']:.3f} |")
    return "\n".join(lines)


def cuad_report(scores: dict[str, Any]) -> str:
    with_model = scores.get("labels_with_model") or {}
    lines = [
        f"CUAD training split: {scores['contracts']} contracts (contract level). Rules: the "
        "rule findings; + model: rules or the out-of-fold model score at its shipped threshold.",
        "",
        "| CUAD label | part | TP | FP | FN | precision | recall | F1 rules | F1 + model |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, parts in scores["labels"].items():
        for part in ("all", "dev", "test"):
            if part in parts:
                c = parts[part]
                m = with_model.get(label, {}).get(part)
                shown = f"{m['f1']:.3f} (P {m['precision']:.2f} R {m['recall']:.2f})" if m else "—"
                lines.append(
                    f"| {label} | {part} | {c['tp']} | {c['fp']} | {c['fn']} | "
                    f"{c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {shown} |"
                )
    n = scores["notice_days_agreement"]
    lines += [
        "",
        "| notice days agree (both stated in days) | correct / total | accuracy |",
        "|---|---|---|",
    ]
    for part in ("all", "dev", "test"):
        r = n[part]
        lines.append(f"| {part} | {r['correct']} / {r['total']} | {r['accuracy']:.3f} |")
    return "\n".join(lines)
