"""A finding, and its reviews: accept, dismiss or needs negotiation, with a comment; the full
history is kept (a review is never changed, a later one supersedes it)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import select

from service.api import queries
from service.api.auth import Reader, Writer
from service.api.deps import SessionDep
from service.api.errors import AUTHED, error_responses
from service.api.routes.views import finding_out, review_out
from service.api.schemas import FindingOut, ReviewCreate, ReviewList, ReviewOut
from service.api.scope import owned
from service.storage import audit
from service.storage.models import Contract, Finding, Review

router = APIRouter(tags=["findings"])


@router.get(
    "/findings/{finding_id}",
    response_model=FindingOut,
    summary="One finding",
    responses=error_responses(*AUTHED, 404),
)
def get_finding(finding_id: str, principal: Reader, session: SessionDep) -> FindingOut:
    return finding_out(owned(session, Finding, finding_id, principal.org_id))


@router.get(
    "/findings/{finding_id}/reviews",
    response_model=ReviewList,
    summary="The review history of a finding's clause, oldest first",
    responses=error_responses(*AUTHED, 404),
)
def list_reviews(finding_id: str, principal: Reader, session: SessionDep) -> ReviewList:
    finding = owned(session, Finding, finding_id, principal.org_id)
    return ReviewList(items=[review_out(r, e) for r, e in queries.clause_reviews(session, finding)])


@router.post(
    "/findings/{finding_id}/reviews",
    status_code=201,
    response_model=ReviewOut,
    summary="Review a finding",
    description="Records the decision with who and when, sets the finding's `review_state` "
    "(and that of the same clause in the contract's current analysis, if the finding is from "
    "an earlier one), and writes the audit record, in one transaction. Later analyses of the "
    "contract carry the state over to the same clause. Roles: admin, legal, finance.",
    responses=error_responses(*AUTHED, 403, 404, 422),
)
def create_review(
    finding_id: str, body: ReviewCreate, principal: Writer, session: SessionDep
) -> ReviewOut:
    finding = owned(session, Finding, finding_id, principal.org_id)
    contract = owned(session, Contract, finding.contract_id, principal.org_id)
    comment = (body.comment or "").strip() or None
    review = Review(
        org_id=principal.org_id,
        finding_id=finding.id,
        clause_key=finding.clause_key,
        contract_id=finding.contract_id,
        user_id=principal.user_id,
        decision=body.decision.value,
        comment=comment,
    )
    session.add(review)
    same_clause = [finding]
    if contract.current_run_id and contract.current_run_id != finding.run_id:
        same_clause += session.exec(
            select(Finding).where(
                Finding.org_id == principal.org_id,
                Finding.run_id == contract.current_run_id,
                Finding.clause_key == finding.clause_key,
            )
        ).all()
    for f in same_clause:
        f.review_state = body.decision.value
        session.add(f)
    audit.record(
        session,
        org_id=principal.org_id,
        user_id=principal.user_id,
        action="finding.reviewed",
        target_type="finding",
        target_id=finding.id,
        review_id=review.id,
        contract_id=finding.contract_id,
        clause_key=finding.clause_key,
        decision=body.decision.value,
        comment=comment,
    )
    session.commit()
    return review_out(review, principal.user.email)
