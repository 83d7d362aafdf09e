"""``GET /audit-log``: who did what in the organisation, newest first (admin, legal, finance;
viewers cannot read it, as it shows everyone's activity)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from service.api import queries
from service.api.auth import Auditor
from service.api.deps import SessionDep
from service.api.errors import AUTHED, error_responses
from service.api.routes.views import audit_out
from service.api.schemas import AuditList

router = APIRouter(tags=["audit"])


@router.get(
    "/audit-log",
    response_model=AuditList,
    summary="The organisation's audit log, newest first",
    description="Actions: document.uploaded, analysis.stored, contract.reanalysis_requested, "
    "finding.reviewed, user.created, user.updated, api_key.created, api_key.revoked. "
    "Roles: admin, legal, finance.",
    responses=error_responses(*AUTHED, 403, 422),
)
def list_audit_log(
    principal: Auditor,
    session: SessionDep,
    action: Annotated[str | None, Query(max_length=64)] = None,
    target_type: Annotated[str | None, Query(max_length=32)] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    user_id: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditList:
    entries, total = queries.audit_entries(
        session,
        principal.org_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        user_id=user_id,
        limit=limit,
        offset=offset,
    )
    return AuditList(items=[audit_out(e) for e in entries], total=total, limit=limit, offset=offset)
