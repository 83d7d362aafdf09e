"""Reads the workspace needs beyond the API's (``service.api.queries``, reused for everything
it already answers): the values the list's filters offer, findings by category and severity,
and each contract's deadlines as of today. Every query filters on the organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from extractor.deadlines import (
    DEFAULT_RENEWAL_MONTHS,
    RENEGOTIATION_CLOSES_DAYS,
    RENEGOTIATION_OPENS_DAYS,
    RenewalTerms,
    add_months,
    compute_deadlines,
)
from extractor.model import ContractTerms
from service.api import queries, schemas
from service.storage.models import Contract, Finding

# The list pages through at most this many contracts at once; the deadlines page, the
# calendar and the charts read every contract of the organisation.
ALL = 100_000


@dataclass(frozen=True)
class Facets:
    payers: list[str]
    product_lines: list[str]
    categories: list[str]


def facets(session: Session, org_id: str) -> Facets:
    payers = session.exec(
        select(Contract.payer)
        .where(Contract.org_id == org_id, col(Contract.payer).is_not(None))
        .distinct()
    ).all()
    lines: set[str] = set()
    for product_lines in session.exec(
        select(Contract.product_lines).where(Contract.org_id == org_id)
    ).all():
        lines.update(product_lines or [])
    categories = session.exec(
        select(Finding.category)
        .join(Contract, col(Contract.current_run_id) == col(Finding.run_id))
        .where(Finding.org_id == org_id, Contract.org_id == org_id)
        .distinct()
    ).all()
    return Facets(
        payers=sorted((p for p in payers if p), key=str.lower),
        product_lines=sorted(lines),
        categories=sorted(categories),
    )


def all_contracts(
    session: Session,
    org_id: str,
    filters: queries.ContractFilters | None = None,
    sort: schemas.ContractSort = schemas.ContractSort.NOTICE_DEADLINE,
) -> list[Contract]:
    contracts, _ = queries.list_contracts(
        session, org_id, filters or queries.ContractFilters(), sort=sort, limit=ALL, offset=0
    )
    return contracts


def counts_by_contract(
    session: Session, org_id: str, contracts: list[Contract]
) -> dict[str, schemas.FindingCounts]:
    """Each contract's current finding counts (``queries.finding_counts``), by contract id."""
    by_run = queries.finding_counts(
        session, org_id, [c.current_run_id for c in contracts if c.current_run_id]
    )
    return {c.id: by_run.get(c.current_run_id or "", schemas.FindingCounts()) for c in contracts}


def category_severity(session: Session, org_id: str) -> dict[str, dict[str, int]]:
    """{category: {severity: count}} over the current analysis of every contract."""
    rows = session.exec(
        select(Finding.category, Finding.severity, func.count())
        .join(Contract, col(Contract.current_run_id) == col(Finding.run_id))
        .where(Finding.org_id == org_id, Contract.org_id == org_id)
        .group_by(Finding.category, Finding.severity)
    ).all()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for category, severity, n in rows:
        out[category][severity] = int(n)
    return dict(out)


@dataclass(frozen=True)
class ContractDeadlines:
    """A contract's deadlines as of a day. ``term_end`` is the current term's end; the notice
    deadline and the renegotiation window are the next ones still ahead, for
    ``decision_term_end``: when the current term's notice deadline has passed on a contract
    that renews by itself, that is the next term's end ("missed — renews until …",
    DOMAIN.md §3) and ``missed_notice`` is the deadline that passed."""

    term_end: date | None
    notice_deadline: date | None
    renegotiation_start: date | None
    renegotiation_end: date | None
    decision_term_end: date | None = None
    missed_notice: date | None = None
    # The current term end differs from the one stored at the analysis (renewed since).
    rolled_since_analysis: bool = False

    @property
    def any(self) -> bool:
        return self.term_end is not None


def deadlines_today(contract: Contract, today: date) -> ContractDeadlines:
    """The contract's deadlines as of ``today``, from its stored key terms with
    ``extractor.deadlines`` (the same arithmetic the analysis stored them with, on that day)."""
    terms = ContractTerms(
        effective_date=contract.effective_date,
        expiration_date=contract.expiration_date,
        initial_term_months=contract.initial_term_months,
    )
    renewal = RenewalTerms(
        auto_renews=contract.auto_renews,
        renewal_term_months=contract.renewal_term_months,
        notice_days=contract.notice_days,
    )
    current = compute_deadlines(terms, renewal, today)
    if current.term_end is None:
        return ContractDeadlines(
            contract.term_end,
            contract.notice_deadline,
            contract.renegotiation_start,
            contract.renegotiation_end,
            decision_term_end=contract.term_end,
        )
    decision, missed = current.term_end, None
    notice = current.notice_deadline
    if contract.auto_renews and notice is not None and notice < today:
        missed = notice
        step = contract.renewal_term_months or DEFAULT_RENEWAL_MONTHS
        while notice < today:
            decision = add_months(decision, step)
            notice = decision - timedelta(days=contract.notice_days or 0)
    return ContractDeadlines(
        term_end=current.term_end,
        notice_deadline=notice,
        renegotiation_start=decision - timedelta(days=RENEGOTIATION_OPENS_DAYS),
        renegotiation_end=decision - timedelta(days=RENEGOTIATION_CLOSES_DAYS),
        decision_term_end=decision,
        missed_notice=missed,
        rolled_since_analysis=current.term_end != contract.term_end,
    )
