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
    # The newer categories' severity policy is TAXONOMY.md's table; findings state it directly.
    return f.severity


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
