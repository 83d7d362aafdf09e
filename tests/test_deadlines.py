"""Deadline arithmetic (DOMAIN.md §3), including its worked example."""

from __future__ import annotations

from datetime import date

from extractor.deadlines import (
    RenewalTerms,
    add_months,
    compute_deadlines,
    initial_term_end,
    renewal_terms,
)
from extractor.model import ContractTerms, Finding, Severity

WORKED = ContractTerms(effective_date=date(2024, 3, 1), initial_term_months=36)
RENEWS = RenewalTerms(auto_renews=True, renewal_term_months=12, notice_days=120)


def test_worked_example_before_the_deadline() -> None:
    d = compute_deadlines(WORKED, RENEWS, today=date(2026, 1, 1))
    assert d.term_end == date(2027, 2, 28)
    assert d.notice_deadline == date(2026, 10, 31)
    assert (d.renegotiation_start, d.renegotiation_end) == (date(2026, 6, 3), date(2026, 9, 1))
    assert not d.rolled_forward


def test_worked_example_missed_rolls_to_the_next_term() -> None:
    d = compute_deadlines(WORKED, RENEWS, today=date(2027, 3, 15))
    assert d.term_end == date(2028, 2, 29)  # month-end stays month-end, leap year
    assert d.notice_deadline == date(2027, 11, 1)
    assert d.rolled_forward


def test_printed_expiration_wins_and_no_roll_without_auto_renewal() -> None:
    terms = ContractTerms(
        effective_date=date(2024, 1, 1), initial_term_months=36, expiration_date=date(2025, 6, 30)
    )
    assert initial_term_end(terms) == date(2025, 6, 30)
    d = compute_deadlines(terms, RenewalTerms(auto_renews=False, notice_days=90), date(2026, 1, 1))
    assert d.term_end == date(2025, 6, 30)
    assert d.notice_deadline == date(2025, 4, 1)


def test_unknown_term_has_no_deadlines() -> None:
    d = compute_deadlines(ContractTerms(), RENEWS, date(2026, 1, 1))
    assert d.term_end is None and d.notice_deadline is None


def test_add_months_mid_month_and_month_end() -> None:
    assert add_months(date(2024, 1, 15), 1) == date(2024, 2, 15)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 4, 30), 1) == date(2024, 5, 31)


def _finding(category: str, rule_id: str, **fields: object) -> Finding:
    return Finding(
        category, Severity.HIGH, 1, None, "text", dict(fields), rule_id, 1, 0.9, "why", 0, 4
    )


def test_renewal_terms_read_from_rule_findings_only() -> None:
    findings = [
        _finding("evergreen_renewal", "model.evergreen_renewal", notice_days=5),
        _finding("termination_without_cause", "t.x", notice_days=30),
        _finding("evergreen_renewal", "e.auto", auto_renew=True, renewal_term_months=12),
        _finding("evergreen_renewal", "e.notice", notice_days=90),
    ]
    assert renewal_terms(findings) == RenewalTerms(True, 12, 90)
