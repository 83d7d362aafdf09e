"""Term end, notice deadline and renegotiation window (DOMAIN.md §3), from key terms and the
evergreen finding's fields. Pure date arithmetic: ``today`` is always passed in.

* Term end: a printed expiration date wins; else effective date + initial term − 1 day.
* Evergreen roll-forward: while the term end is before today, add the renewal term
  (end-of-month aware: a term ending on the last day of a month renews to the last day).
* Notice deadline: term end − notice days.
* Renegotiation window: term end − 270 days … term end − 180 days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from extractor.model import ContractTerms, Finding

RENEGOTIATION_OPENS_DAYS = 270
RENEGOTIATION_CLOSES_DAYS = 180
# A contract that auto-renews without saying for how long renews for a year (the usual term).
DEFAULT_RENEWAL_MONTHS = 12


@dataclass(frozen=True)
class RenewalTerms:
    auto_renews: bool | None = None
    renewal_term_months: int | None = None
    notice_days: int | None = None


@dataclass(frozen=True)
class Deadlines:
    term_end: date | None = None
    notice_deadline: date | None = None
    renegotiation_start: date | None = None
    renegotiation_end: date | None = None
    # True when the term end was rolled past today by evergreen renewals.
    rolled_forward: bool = False


def renewal_terms(findings: tuple[Finding, ...] | list[Finding]) -> RenewalTerms:
    """The renewal terms the evergreen finding states (the first rule finding that states
    each field; model findings read no fields)."""
    auto: bool | None = None
    months: int | None = None
    notice: int | None = None
    for f in findings:
        if f.category != "evergreen_renewal" or f.rule_id.startswith("model."):
            continue
        if auto is None and f.fields.get("auto_renew") is not None:
            auto = bool(f.fields["auto_renew"])
        if months is None and isinstance(f.fields.get("renewal_term_months"), int):
            months = f.fields["renewal_term_months"]
        if notice is None and isinstance(f.fields.get("notice_days"), int):
            notice = f.fields["notice_days"]
    return RenewalTerms(auto, months, notice)


def add_months(day: date, months: int) -> date:
    """``day`` + ``months``; a month-end stays a month-end (28 Feb 2027 + 12 → 29 Feb 2028)."""
    moved = day + relativedelta(months=months)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
    return moved


def initial_term_end(terms: ContractTerms) -> date | None:
    if terms.expiration_date is not None:
        return terms.expiration_date
    if terms.effective_date is not None and terms.initial_term_months:
        return add_months(terms.effective_date, terms.initial_term_months) - timedelta(days=1)
    return None


def compute_deadlines(terms: ContractTerms, renewal: RenewalTerms, today: date) -> Deadlines:
    end = initial_term_end(terms)
    if end is None:
        return Deadlines()
    rolled = False
    if renewal.auto_renews:
        step = renewal.renewal_term_months or DEFAULT_RENEWAL_MONTHS
        while end < today:
            end = add_months(end, step)
            rolled = True
    notice = end - timedelta(days=renewal.notice_days) if renewal.notice_days else None
    return Deadlines(
        term_end=end,
        notice_deadline=notice,
        renegotiation_start=end - timedelta(days=RENEGOTIATION_OPENS_DAYS),
        renegotiation_end=end - timedelta(days=RENEGOTIATION_CLOSES_DAYS),
        rolled_forward=rolled,
    )
