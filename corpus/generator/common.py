"""Helpers shared by the contract modules: ground-truth constructors and the severity policy.

The severity of every finding is written by hand in the contract modules and checked here
against the corpus policy (corpus/README.md), so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import random

from .model import FIELD_NAMES, OPTIONAL_FIELDS, Finding, Rate


def evergreen(
    severity: str,
    initial: int | None,
    renewal: int | None,
    notice: int | None,
    *,
    indefinite: bool = False,
    without_cause_days: int | None = None,
    rates_frozen: bool = False,
    note: str | None = None,
) -> Finding:
    return Finding(
        "evergreen_renewal",
        severity,
        {"initial_term_months": initial, "renewal_term_months": renewal, "notice_days": notice},
        {
            "indefinite": indefinite,
            "without_cause_days": without_cause_days,
            "rates_frozen": rates_frozen,
        },
        note,
    )


def vague(severity: str, basis: str, note: str | None = None) -> Finding:
    return Finding("vague_reimbursement", severity, {"basis": basis}, {}, note)


def audit(
    severity: str,
    lookback: int | None,
    extrapolation: bool,
    notice: int | None,
    *,
    kind: str = "payment",
    recovery: bool = True,
    note: str | None = None,
) -> Finding:
    return Finding(
        "audit_provision",
        severity,
        {"lookback_months": lookback, "extrapolation": extrapolation, "notice_days": notice},
        {"kind": kind, "recovery": recovery},
        note,
    )


def recoup(
    severity: str,
    lookback: int | None,
    *,
    cross: bool = False,
    prior_notice: bool = True,
    dispute_stay: bool = False,
    note: str | None = None,
) -> Finding:
    return Finding(
        "recoupment_offset",
        severity,
        {"lookback_months": lookback},
        {"cross": cross, "prior_notice": prior_notice, "dispute_stay": dispute_stay},
        note,
    )


_VAGUE_SEVERITY = {
    "payer_discretion": "high",
    "payer_fee_schedule": "high",
    "reasonable_and_customary": "medium",
    "benchmark_unspecified": "medium",
    "third_party_vendor_schedule": "medium",
    "percent_of_charges_default": "low",
}


def policy_severity(f: Finding) -> str:
    """The corpus severity policy (see corpus/README.md)."""
    x, facts = f.fields, f.facts
    if f.category == "evergreen_renewal":
        wc = facts.get("without_cause_days")
        short_exit = wc is not None and wc <= 90
        if facts.get("indefinite") and short_exit and not facts.get("rates_frozen"):
            return "low"
        n = x["notice_days"]
        if facts.get("rates_frozen") or (n is not None and (n < 90 or n >= 120)):
            return "high"
        return "medium"
    if f.category == "vague_reimbursement":
        return _VAGUE_SEVERITY[x["basis"]]
    if f.category == "audit_provision":
        lb = x["lookback_months"]
        if x["extrapolation"] or (lb is not None and lb > 24):
            return "high"
        if lb is not None and lb > 12:
            return "medium"
        if lb is None and facts.get("kind") == "payment" and facts.get("recovery"):
            return "medium"
        return "low"
    if f.category == "recoupment_offset":
        lb = x["lookback_months"]
        if facts.get("cross") or not facts.get("prior_notice") or (lb is not None and lb > 24):
            return "high"
        if lb is not None and lb <= 12 and facts.get("dispute_stay"):
            return "low"
        return "medium"
    return _newer_policy(f)


# --- the newer categories (clause_rules/TAXONOMY.md) ------------------------------------------
#
# Severity is computed from the core fields where they decide it, and otherwise from ``facts``
# the helpers below record. A finding of a newer category that carries neither (no facts, and
# fields that do not settle it) keeps its stated severity. Regulatory language (fields
# ``regulatory: True``: required MA / Medicaid text) is always ``low``.

_FIXED = {
    "most_favored_nation": "high",
    "site_of_service": "medium",
    "readmission_policy": "medium",
    "observation_vs_inpatient": "medium",
    "never_events_hac": "low",
}
_CARVE_OUT_SEVERITY = {
    "vendor_network_carve_out": "high",
    "benefit_carve_out": "medium",
    "rate_carve_out": "low",
}
_ESCALATOR_SEVERITY = {
    "freeze": "high",
    "locked_year": "high",
    "benchmark": "medium",
    "fixed": "low",
    "cpi": "low",
}
_COB_SEVERITY = {"standard": "low", "non_duplication": "medium", "carve_out": "medium"}


def _flag(facts: dict, key: str, if_true: str, if_false: str) -> str | None:
    """``if_true``/``if_false`` by a boolean fact; None when the fact was not recorded."""
    if key not in facts:
        return None
    return if_true if facts[key] else if_false


def _newer_policy(f: Finding) -> str:
    x, cat = f.fields, f.category
    facts = {k: v for k, v in f.facts.items() if not k.startswith("_")}
    if x.get("regulatory"):
        return "low"
    want: str | None = _FIXED.get(cat)
    if cat == "termination_without_cause":
        # facts: payer_may (the payer holds a without-cause right), payer_days (its notice,
        # default notice_days; None with payer_may = "at any time"), asymmetric (in the
        # payer's favour)
        if facts:
            payer_days = facts.get("payer_days", x["notice_days"])
            short = facts.get("payer_may") and (payer_days is None or payer_days < 90)
            want = "high" if short or facts.get("asymmetric") else "medium"
    elif cat == "unilateral_amendment":
        # facts: scope in {rates, manual, law}; manual_prevails
        if facts.get("manual_prevails") or facts.get("scope") == "rates":
            want = "high"
        elif facts.get("scope") == "manual":
            want = "medium"
        elif facts.get("scope") == "law":
            want = "low"
    elif cat == "timely_filing":
        d = x["days"]
        if d is None:
            d = facts.get("days_equivalent")  # a window written in months
        if d is not None:
            want = "high" if d < 90 else "medium" if d < 180 else "low"
    elif cat == "prompt_payment":
        d = x["days"]
        if d is None and not facts.get("days_not_in_days"):
            want = "high"  # "promptly", no number of days
        elif d is not None:
            want = "medium" if d > 45 else "low"
    elif cat == "lesser_of":
        want = _flag(facts, "claim_level_case_rate", "high", "medium")
    elif cat == "all_products":
        want = _flag(facts, "future_binding_no_opt_out", "high", "medium")
    elif cat == "network_rental":
        want = _flag(facts, "rental", "high", "medium")
    elif cat == "anti_steering":
        want = _flag(facts, "protects_provider", "low", "medium")
    elif cat == "non_solicitation":
        want = _flag(facts, "member_limits", "medium", "low")
    elif cat == "claims_editing":
        # facts: source in {proprietary (changeable / unspecified), noticed, ncci}
        # facts: source in {proprietary (the payer's own or unspecified edits it may change),
        # noticed (with advance notice of new edits), ncci (CMS NCCI only), fixed (a reduction
        # schedule written into the agreement, which the payer cannot change alone)}
        want = {"proprietary": "high", "noticed": "medium", "ncci": "low", "fixed": "low"}.get(
            facts.get("source", "")
        )
    elif cat == "retroactive_denial":
        want = _flag(facts, "post_service_necessity", "high", "medium")
    elif cat == "retroactive_rate_change":
        want = _flag(facts, "reaches_back", "high", "medium")
    elif cat == "rate_escalator":
        want = _ESCALATOR_SEVERITY.get(facts.get("kind", ""))
    elif cat == "stop_loss_outlier":
        want = _flag(facts, "caps_payment", "high", "medium")
    elif cat == "carve_out":
        want = _CARVE_OUT_SEVERITY.get(x["carve_out_type"] or "")
    elif cat == "credentialing":
        if "retroactive" in facts:
            n = (x["payer_sla_days"] is not None) + bool(facts["retroactive"])
            want = ("high", "medium", "low")[n]
    elif cat == "dispute_resolution":
        if x["binding_arbitration"]:
            want = "medium"
        else:
            want = _flag(facts, "short_limitation", "medium", "low")
    elif cat == "confidentiality":
        want = _flag(facts, "law_exception", "low", "medium")
    elif cat == "assignment_change_of_control":
        if facts:
            lopsided = facts.get("payer_free_provider_bound") or facts.get("control_trigger")
            want = "high" if lopsided else "medium"
    elif cat == "hold_harmless":
        want = _flag(facts, "bars_consented_noncovered", "medium", "low")
    elif cat == "order_of_precedence":
        want = _flag(facts, "manual_prevails", "high", "low")
    elif cat == "payment_method_fees":
        want = _flag(facts, "provider_fee_or_card_default", "medium", "low")
    elif cat == "value_based_withhold":
        if x["percent"] is not None:
            want = "high" if x["percent"] >= 10 else "medium"
    elif cat in ("non_priced_codes", "new_services_technology"):
        want = _flag(facts, "payer_sets", "medium", "low")
    elif cat == "coordination_of_benefits":
        want = _COB_SEVERITY.get(facts.get("method", ""))
    return want or f.severity


def finding(
    category: str,
    severity: str,
    fields: dict | None = None,
    note: str | None = None,
    *,
    regulatory: bool = False,
    **facts,
) -> Finding:
    """A finding of any newer category: ``fields`` are its core fields (FIELD_NAMES), keyword
    arguments its facts for the severity check (see ``_newer_policy``)."""
    x = dict(fields or {})
    if regulatory:
        x["regulatory"] = True
    return Finding(category, severity, x, facts, note)


def without_cause(
    severity,
    notice_days,
    *,
    payer_may,
    payer_days=...,
    asymmetric=False,
    regulatory=False,
    note=None,
) -> Finding:
    """``termination_without_cause``; ``payer_days`` defaults to ``notice_days``."""
    facts = {"payer_may": payer_may, "asymmetric": asymmetric}
    if payer_days is not ...:
        facts["payer_days"] = payer_days
    return finding(
        "termination_without_cause",
        severity,
        {"notice_days": notice_days},
        note,
        regulatory=regulatory,
        **facts,
    )


def amendment(
    severity, notice_days, scope, *, manual_prevails=False, regulatory=False, note=None
) -> Finding:
    """``unilateral_amendment``; ``scope`` in {rates, manual, law}."""
    return finding(
        "unilateral_amendment",
        severity,
        {"notice_days": notice_days},
        note,
        regulatory=regulatory,
        scope=scope,
        manual_prevails=manual_prevails,
    )


def filing(severity, days, *, days_equivalent=None, regulatory=False, note=None) -> Finding:
    """``timely_filing``: ``days`` the initial-claim window (None if written in months, then
    ``days_equivalent`` for the check)."""
    facts = {"days_equivalent": days_equivalent} if days_equivalent is not None else {}
    return finding("timely_filing", severity, {"days": days}, note, regulatory=regulatory, **facts)


def prompt_pay(severity, days, *, regulatory=False, note=None) -> Finding:
    """``prompt_payment``: ``days`` electronic / first stated; None = no number ("promptly")."""
    return finding("prompt_payment", severity, {"days": days}, note, regulatory=regulatory)


def carve(severity, carve_out_type, *, regulatory=False, note=None) -> Finding:
    return finding(
        "carve_out", severity, {"carve_out_type": carve_out_type}, note, regulatory=regulatory
    )


def stop_loss(severity, threshold, *, caps_payment=False, note=None) -> Finding:
    return finding(
        "stop_loss_outlier",
        severity,
        {"threshold_amount": threshold},
        note,
        caps_payment=caps_payment,
    )


def cred(severity, sla_days, *, retroactive, regulatory=False, note=None) -> Finding:
    return finding(
        "credentialing",
        severity,
        {"payer_sla_days": sla_days},
        note,
        regulatory=regulatory,
        retroactive=retroactive,
    )


def dispute(severity, binding, *, short_limitation=False, regulatory=False, note=None) -> Finding:
    return finding(
        "dispute_resolution",
        severity,
        {"binding_arbitration": binding},
        note,
        regulatory=regulatory,
        short_limitation=short_limitation,
    )


def readmission(severity, days, *, regulatory=False, note=None) -> Finding:
    return finding("readmission_policy", severity, {"days": days}, note, regulatory=regulatory)


def check_finding(f: Finding) -> None:
    core = tuple(k for k in f.fields if k not in OPTIONAL_FIELDS)
    want_fields = FIELD_NAMES.get(f.category, ())
    if core != want_fields:
        raise ValueError(f"{f.category}: fields must be {want_fields}, got {tuple(f.fields)}")
    want = policy_severity(f)
    if f.severity != want:
        raise ValueError(f"{f.category} {f.fields}: severity {f.severity!r}, policy says {want!r}")


def rate(
    code,
    code_type,
    description,
    methodology,
    *,
    amount=None,
    percent=None,
    percent_of=None,
    unit=None,
    product_line=None,
    modifier=None,
    anchor=None,
    setting=None,
    effective_date=None,
    note=None,
) -> Rate:
    return Rate(
        code=code,
        code_type=code_type,
        description=description,
        methodology=methodology,
        amount=amount,
        percent=percent,
        percent_of=percent_of,
        unit=unit,
        product_line=product_line,
        modifier=modifier,
        anchor=anchor,
        setting=setting,
        effective_date=effective_date,
        note=note,
    )


def money(x: float) -> str:
    return f"${x:,.2f}"


# Cells that price nothing, as printed -> the rate row's ``note`` (RATE_ROWS.md)
UNPRICED = {
    "By Report": "by_report",
    "BR": "by_report",
    "N/A": "not_applicable",
    "NA": "not_applicable",
    "Not covered": "not_covered",
    "Not Covered": "not_covered",
    "NC": "not_covered",
    "Per Medicare": "per_medicare",
    "IC": "individual_consideration",
    "Individual Consideration": "individual_consideration",
}


def in_exhibit(rates, *, setting=None, effective_date=None):
    """Stamp the exhibit's setting and effective date on its rate rows (keeps None rows)."""

    def stamp(r):
        if r is None:
            return None
        if isinstance(r, list):
            return [stamp(x) for x in r]
        return dataclasses.replace(r, setting=setting, effective_date=effective_date)

    return [stamp(r) for r in rates]


SEED = "payerlens-corpus-v5"


def rng_for(name: str) -> random.Random:
    """The seeded random generator a sample uses to choose boilerplate variants."""
    return random.Random(f"{SEED}:{name}")


PASSAGE = "_passage"


def also(f: Finding, passage: str) -> Finding:
    """``f`` resting on ``passage`` (text printed in the same paragraph, often a sentence that
    another of the paragraph's findings already marks) instead of on the next ``[[ ]]`` marker.
    Markers cannot overlap, so a sentence carrying two categories is marked once and the second
    finding names it. ``passage`` is the clean text (no markers, placeholders filled)."""
    return dataclasses.replace(f, facts={**f.facts, PASSAGE: passage})
