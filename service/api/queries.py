"""The API's read queries, every one filtered on the caller's organisation. Routes stay thin:
they check roles, call these and shape the answer."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, func, select

from service.api import schemas
from service.storage.models import (
    AnalysisRun,
    AuditLog,
    Contract,
    Document,
    Finding,
    RateRow,
    Review,
    User,
)


@dataclass(frozen=True)
class ContractFilters:
    payer: str | None = None
    product_line: str | None = None
    category: str | None = None
    severity: str | None = None
    review_state: str | None = None
    notice_deadline_before: date | None = None
    renewal_before: date | None = None
    # Title, payer or provider contains (any case): the web workspace's search box.
    text: str | None = None


def _like_contains(column: Any, needle: str) -> Any:
    return column.contains(needle, autoescape=True)


def list_contracts(
    session: Session,
    org_id: str,
    filters: ContractFilters,
    *,
    sort: schemas.ContractSort,
    limit: int,
    offset: int,
) -> tuple[list[Contract], int]:
    stmt = select(Contract).where(Contract.org_id == org_id)
    if filters.payer:
        stmt = stmt.where(_like_contains(func.lower(Contract.payer), filters.payer.lower()))
    if filters.product_line:
        # product_lines is a JSON list: match the quoted value in its text, on every backend.
        text = cast(Contract.product_lines, String)
        stmt = stmt.where(_like_contains(text, json.dumps(filters.product_line)))
    if filters.category or filters.severity or filters.review_state:
        match = select(Finding.id).where(
            Finding.org_id == org_id, Finding.run_id == Contract.current_run_id
        )
        if filters.category:
            match = match.where(Finding.category == filters.category)
        if filters.severity:
            match = match.where(Finding.severity == filters.severity)
        if filters.review_state:
            match = match.where(Finding.review_state == filters.review_state)
        stmt = stmt.where(match.exists())
    if filters.text:
        needle = filters.text.lower()
        stmt = stmt.where(
            or_(
                _like_contains(func.lower(Contract.title), needle),
                _like_contains(func.lower(Contract.payer), needle),
                _like_contains(func.lower(Contract.provider), needle),
            )
        )
    if filters.notice_deadline_before:
        stmt = stmt.where(col(Contract.notice_deadline) < filters.notice_deadline_before)
    if filters.renewal_before:
        stmt = stmt.where(col(Contract.term_end) < filters.renewal_before)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(*_order(sort)).limit(limit).offset(offset)
    return list(session.exec(stmt).all()), int(total)


def _order(sort: schemas.ContractSort) -> list[Any]:
    tiebreak = col(Contract.id)
    if sort is schemas.ContractSort.NOTICE_DEADLINE:
        column = col(Contract.notice_deadline)
        return [column.is_(None), column, tiebreak]  # soonest first, unknown last
    if sort is schemas.ContractSort.TERM_END:
        column = col(Contract.term_end)
        return [column.is_(None), column, tiebreak]
    if sort is schemas.ContractSort.PAYER:
        return [col(Contract.payer).is_(None), func.lower(Contract.payer), tiebreak]
    return [col(Contract.updated_at).desc(), tiebreak]


def finding_counts(
    session: Session, org_id: str, run_ids: list[str]
) -> dict[str, schemas.FindingCounts]:
    """Counts by severity and review state for each run (a contract's current findings)."""
    counts: dict[str, schemas.FindingCounts] = defaultdict(lambda: schemas.FindingCounts())
    if not run_ids:
        return counts
    rows = session.exec(
        select(Finding.run_id, Finding.severity, Finding.review_state, func.count())
        .where(Finding.org_id == org_id, col(Finding.run_id).in_(run_ids))
        .group_by(Finding.run_id, Finding.severity, Finding.review_state)
    ).all()
    for run_id, severity, state, n in rows:
        c = counts[run_id]
        c.total += n
        if hasattr(c.by_severity, severity):
            setattr(c.by_severity, severity, getattr(c.by_severity, severity) + n)
        if hasattr(c.by_review_state, state):
            setattr(c.by_review_state, state, getattr(c.by_review_state, state) + n)
        if severity == "high" and state == "open":
            c.open_high += n
    return counts


def contract_summary(c: Contract, counts: schemas.FindingCounts) -> schemas.ContractSummary:
    return schemas.ContractSummary(
        id=c.id,
        title=c.title,
        payer=c.payer,
        provider=c.provider,
        product_lines=list(c.product_lines or []),
        effective_date=c.effective_date,
        term_end=c.term_end,
        notice_deadline=c.notice_deadline,
        current_document_id=c.current_document_id,
        findings=counts,
        updated_at=c.updated_at,
    )


def current_findings(
    session: Session,
    contract: Contract,
    *,
    category: str | None = None,
    severity: str | None = None,
    review_state: str | None = None,
) -> list[Finding]:
    if contract.current_run_id is None:
        return []
    stmt = select(Finding).where(
        Finding.org_id == contract.org_id, Finding.run_id == contract.current_run_id
    )
    if category:
        stmt = stmt.where(Finding.category == category)
    if severity:
        stmt = stmt.where(Finding.severity == severity)
    if review_state:
        stmt = stmt.where(Finding.review_state == review_state)
    return list(session.exec(stmt.order_by(col(Finding.ordinal))).all())


def current_rates(session: Session, contract: Contract) -> list[RateRow]:
    if contract.current_run_id is None:
        return []
    return list(
        session.exec(
            select(RateRow)
            .where(RateRow.org_id == contract.org_id, RateRow.run_id == contract.current_run_id)
            .order_by(col(RateRow.ordinal))
        ).all()
    )


def rate_count(session: Session, contract: Contract) -> int:
    if contract.current_run_id is None:
        return 0
    return int(
        session.exec(
            select(func.count())
            .select_from(RateRow)
            .where(RateRow.org_id == contract.org_id, RateRow.run_id == contract.current_run_id)
        ).one()
    )


def current_run(session: Session, contract: Contract) -> AnalysisRun | None:
    if contract.current_run_id is None:
        return None
    return session.exec(
        select(AnalysisRun).where(
            AnalysisRun.org_id == contract.org_id, AnalysisRun.id == contract.current_run_id
        )
    ).first()


def latest_run_of_document(session: Session, document: Document) -> AnalysisRun | None:
    return session.exec(
        select(AnalysisRun)
        .where(AnalysisRun.org_id == document.org_id, AnalysisRun.document_id == document.id)
        .order_by(col(AnalysisRun.created_at).desc())
    ).first()


def contract_documents(session: Session, contract: Contract) -> list[Document]:
    return list(
        session.exec(
            select(Document)
            .where(Document.org_id == contract.org_id, Document.contract_id == contract.id)
            .order_by(col(Document.version), col(Document.created_at))
        ).all()
    )


# The renewal terms come from the first rule finding of evergreen_renewal that states each
# field (extractor.deadlines.renewal_terms): that finding is the term's page reference.
_RENEWAL_FIELDS = (
    ("auto_renews", "auto_renew"),
    ("renewal_term_months", "renewal_term_months"),
    ("notice_days", "notice_days"),
)


def term_sources(findings: list[Finding]) -> list[schemas.TermSource]:
    sources: list[schemas.TermSource] = []
    for term, field_name in _RENEWAL_FIELDS:
        for f in findings:
            if f.category != "evergreen_renewal" or f.rule_id.startswith("model."):
                continue
            if (f.fields or {}).get(field_name) is not None:
                sources.append(
                    schemas.TermSource(term=term, finding_id=f.id, page=f.page, section=f.section)
                )
                break
    return sources


def clause_reviews(session: Session, finding: Finding) -> list[tuple[Review, str | None]]:
    """Every review of this clause of this contract, oldest first, with the reviewer's e-mail."""
    rows = session.exec(
        select(Review, User.email)
        .join(User, col(User.id) == col(Review.user_id), isouter=True)
        .where(
            Review.org_id == finding.org_id,
            Review.contract_id == finding.contract_id,
            Review.clause_key == finding.clause_key,
        )
        .order_by(col(Review.created_at), col(Review.id))
    ).all()
    return [(review, email) for review, email in rows]


def audit_entries(
    session: Session,
    org_id: str,
    *,
    action: str | None,
    target_type: str | None,
    target_id: str | None,
    user_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[AuditLog], int]:
    stmt = select(AuditLog).where(AuditLog.org_id == org_id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if target_type:
        stmt = stmt.where(AuditLog.target_type == target_type)
    if target_id:
        stmt = stmt.where(AuditLog.target_id == target_id)
    if user_id:
        stmt = stmt.where(AuditLog.user_id == user_id)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(col(AuditLog.id).desc()).limit(limit).offset(offset)
    return list(session.exec(stmt).all()), int(total)
