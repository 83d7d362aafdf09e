"""``GET /jobs/{id}``: poll an analysis."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.auth import Reader
from service.api.deps import SessionDep
from service.api.errors import AUTHED, error_responses
from service.api.routes.views import job_out
from service.api.schemas import JobOut
from service.api.scope import owned
from service.storage.models import Job

router = APIRouter(tags=["jobs"])


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status",
    description="`status` is queued, running, succeeded or failed; `contract_id` is set once "
    "the analysis is stored, `error` when the job failed.",
    responses=error_responses(*AUTHED, 404),
)
def get_job(job_id: str, principal: Reader, session: SessionDep) -> JobOut:
    return job_out(owned(session, Job, job_id, principal.org_id))
