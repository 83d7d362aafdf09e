"""Job rows: enqueue, claim with a lease, renew it, finish, and recover abandoned jobs.

The ``job`` table is the truth; a runner only carries job ids. Every state change that a
second worker could race is one conditional UPDATE whose row count says who won, so two
workers can never both hold a job, on SQLite as on PostgreSQL:

* ``claim``: ``queued`` (or ``running`` with an expired lease and attempts left) →
  ``running`` with a new random ``lease_token``; ``attempts`` counts claims.
* ``renew``, ``complete_analysis``, ``fail_permanently``, ``release_after_error``: only while
  the caller's token is still the job's token. A worker whose lease was taken over finds no
  row to update and gives up; its result is never stored.
* ``recover_expired``: ``running`` jobs whose lease expired (the worker died) go back to
  ``queued`` while attempts are left, else end ``failed`` with ``job.abandoned``.

For a ``queued`` job ``lease_expires_at`` means something else: the time after which a
Celery worker's sweeper sends the job again (``take_stale_queued``) because no worker has
claimed it — its message may never have reached the broker (the API died between commit and
send, Redis was down) or was held by a worker that died. A duplicate message costs one
UPDATE that matches no row.

Functions here take a session and never commit: the caller's transaction decides.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, update
from sqlmodel import Session, col, select

from extractor.model import AnalysisResult
from service.storage import audit
from service.storage.models import AnalysisRun, Document, Job, JobStatus, utcnow
from service.storage.results import store_analysis

QUEUED = JobStatus.QUEUED.value
RUNNING = JobStatus.RUNNING.value
SUCCEEDED = JobStatus.SUCCEEDED.value
FAILED = JobStatus.FAILED.value

# Error codes of the job itself (the extractor's own codes, e.g. input.encrypted, are kept).
JOB_FAILED = "job.failed"  # an exception on every attempt
JOB_ABANDONED = "job.abandoned"  # its worker died (lease expired) on every attempt
LIMITS_TIMEOUT = "limits.timeout"  # stopped at its time limit (no retry)
LIMITS_MEMORY = "limits.memory"  # out of its memory limit

# A queued job nobody claimed is sent again after this many leases (see the module doc).
REDISPATCH_LEASES = 10.0
MAX_ERROR_CHARS = 2000


def redispatch_after(lease_seconds: float) -> timedelta:
    return timedelta(seconds=lease_seconds * REDISPATCH_LEASES)


def enqueue_analysis(
    session: Session,
    *,
    org_id: str,
    document_id: str,
    user_id: str | None,
    target_contract_id: str | None = None,
    max_attempts: int = 3,
) -> Job:
    """Add a queued analysis job (flushed, so ``job.id`` is usable); the caller commits and
    then hands the id to ``Runner.submit``."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    job = Job(
        org_id=org_id,
        kind="analyze",
        document_id=document_id,
        target_contract_id=target_contract_id,
        status=QUEUED,
        max_attempts=max_attempts,
        created_by=user_id,
    )
    session.add(job)
    session.flush()
    return job


def new_token() -> str:
    return secrets.token_hex(16)


def claim(
    session: Session, job_id: str, lease_seconds: float, *, now: datetime | None = None
) -> str | None:
    """Take the job: the new lease token, or None when it is not claimable (another worker
    holds it, it is finished, it has no attempts left, or there is no such job)."""
    now = now or utcnow()
    token = new_token()
    claimable = or_(
        col(Job.status) == QUEUED,
        and_(
            col(Job.status) == RUNNING,
            col(Job.lease_expires_at) < now,
            col(Job.attempts) < col(Job.max_attempts),
        ),
    )
    result = session.exec(
        update(Job)
        .where(col(Job.id) == job_id, claimable)
        .values(
            status=RUNNING,
            attempts=col(Job.attempts) + 1,
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=now,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return token if result.rowcount == 1 else None


def _held(job_id: str, token: str) -> list[ColumnElement[bool]]:
    """The caller still holds the job: its token, and the job still running."""
    return [col(Job.id) == job_id, col(Job.lease_token) == token, col(Job.status) == RUNNING]


def renew(
    session: Session,
    job_id: str,
    token: str,
    lease_seconds: float,
    *,
    now: datetime | None = None,
) -> bool:
    """Extend the lease; False when the token is no longer the job's (taken over)."""
    now = now or utcnow()
    result = session.exec(
        update(Job)
        .where(*_held(job_id, token))
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def complete_analysis(
    session: Session,
    job_id: str,
    token: str,
    *,
    result: AnalysisResult,
    model_version: str | None,
    today: date,
) -> AnalysisRun | None:
    """Mark the job succeeded and store its analysis, in the caller's transaction. None
    (nothing changed) when the token is no longer the job's: whoever took the job over stores
    the result. The conditional UPDATE comes first, so from then on the job's row is locked
    (PostgreSQL) or the database is (SQLite) and no one can take it over before commit."""
    now = utcnow()
    updated = session.exec(
        update(Job)
        .where(*_held(job_id, token))
        .values(
            status=SUCCEEDED,
            lease_token=None,
            lease_expires_at=None,
            finished_at=now,
            error_code=None,
            error_message=None,
        )
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:  # pragma: no cover - the UPDATE just matched it
        return None
    document = session.get(Document, job.document_id)
    if document is None:  # pragma: no cover - a foreign key guarantees it
        raise LookupError(f"document {job.document_id} of job {job_id} is gone")
    return store_analysis(
        session,
        job=job,
        document=document,
        result=result,
        model_version=model_version,
        today=today,
    )


def _finish_failed(session: Session, job: Job, token: str, code: str, message: str) -> bool:
    return _mark_failed(session, job, _held(job.id, token), code, message)


def _mark_failed(session: Session, job: Job, conditions: Any, code: str, message: str) -> bool:
    """``failed`` with ``code`` where ``conditions`` still hold (one conditional UPDATE), and
    the ``job.failed`` audit record; False when the job had moved on."""
    result = session.exec(
        update(Job)
        .where(*conditions)
        .values(
            status=FAILED,
            lease_token=None,
            lease_expires_at=None,
            finished_at=utcnow(),
            error_code=code,
            error_message=_clip(message),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    audit.record(
        session,
        org_id=job.org_id,
        user_id=job.created_by,
        action="job.failed",
        target_type="job",
        target_id=job.id,
        document_id=job.document_id,
        error_code=code,
        attempts=job.attempts,
    )
    return True


def fail_permanently(session: Session, job_id: str, token: str, code: str, message: str) -> bool:
    """The input cannot be analysed (the extractor's code, e.g. ``input.encrypted``): failed
    at once, no retry. False when the token is no longer the job's."""
    job = session.get(Job, job_id)
    if job is None:
        return False
    return _finish_failed(session, job, token, code, message)


@dataclass(frozen=True)
class Released:
    status: str  # "queued" (to be tried again) or "failed"
    attempts: int
    max_attempts: int


def release_after_error(
    session: Session,
    job_id: str,
    token: str,
    message: str,
    *,
    retry_delay: float,
    lease_seconds: float,
) -> Released | None:
    """An attempt ended in an exception: back to ``queued`` while attempts are left (the
    caller resubmits after ``retry_delay``), else ``failed`` with ``job.failed``. None when
    the token is no longer the job's (someone else holds it now)."""
    job = session.get(Job, job_id)
    if job is None or job.lease_token != token or job.status != RUNNING:
        return None
    if job.attempts < job.max_attempts:
        now = utcnow()
        result = session.exec(
            update(Job)
            .where(*_held(job_id, token))
            .values(
                status=QUEUED,
                lease_token=None,
                lease_expires_at=now
                + timedelta(seconds=retry_delay)
                + redispatch_after(lease_seconds),
                error_code=None,
                error_message=_clip(f"attempt {job.attempts} failed: {message}"),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return Released(QUEUED, job.attempts, job.max_attempts)
    if not _finish_failed(session, job, token, JOB_FAILED, message):
        return None
    return Released(FAILED, job.attempts, job.max_attempts)


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


def recover_expired(
    session: Session, *, lease_seconds: float, now: datetime | None = None
) -> Recovery:
    """Running jobs whose lease expired: back to queued while attempts are left (the caller
    resubmits ``requeued`` after commit), else failed with ``job.abandoned``. Each row is
    moved by its own conditional UPDATE, so concurrent sweepers never both act on a job."""
    now = now or utcnow()
    expired = session.exec(
        select(Job)
        .where(col(Job.status) == RUNNING, col(Job.lease_expires_at) < now)
        .order_by(col(Job.created_at))
    ).all()
    recovery = Recovery()
    for job in expired:
        still_expired = [
            col(Job.id) == job.id,
            col(Job.status) == RUNNING,
            col(Job.lease_token) == job.lease_token,
            col(Job.lease_expires_at) < now,
        ]
        if job.attempts < job.max_attempts:
            result = session.exec(
                update(Job)
                .where(*still_expired)
                .values(
                    status=QUEUED,
                    lease_token=None,
                    lease_expires_at=now + redispatch_after(lease_seconds),
                    error_code=None,
                    error_message=f"attempt {job.attempts} abandoned: its worker stopped "
                    "renewing the lease",
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                recovery.requeued.append(job.id)
        else:
            message = (
                f"the worker stopped during each of {job.attempts} attempts "
                "(crashed, killed or out of memory)"
            )
            result = session.exec(
                update(Job)
                .where(*still_expired)
                .values(
                    status=FAILED,
                    lease_token=None,
                    lease_expires_at=None,
                    finished_at=now,
                    error_code=JOB_ABANDONED,
                    error_message=message,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                audit.record(
                    session,
                    org_id=job.org_id,
                    user_id=job.created_by,
                    action="job.failed",
                    target_type="job",
                    target_id=job.id,
                    document_id=job.document_id,
                    error_code=JOB_ABANDONED,
                    attempts=job.attempts,
                )
                recovery.abandoned.append(job.id)
    return recovery


def queued_job_ids(session: Session) -> list[str]:
    """Every queued job, oldest first (the in-process runner resubmits them on start)."""
    return list(
        session.exec(
            select(Job.id).where(col(Job.status) == QUEUED).order_by(col(Job.created_at))
        ).all()
    )


def take_stale_queued(
    session: Session, *, lease_seconds: float, now: datetime | None = None
) -> list[str]:
    """Queued jobs no worker claimed in time (``lease_expires_at`` passed, or never set and
    enqueued longer than ``redispatch_after`` ago): each gets a new deadline and is returned
    to be sent again."""
    now = now or utcnow()
    wait = redispatch_after(lease_seconds)
    stale = or_(
        col(Job.lease_expires_at) < now,
        and_(col(Job.lease_expires_at).is_(None), col(Job.created_at) < now - wait),
    )
    candidates = session.exec(
        select(Job.id).where(col(Job.status) == QUEUED, stale).order_by(col(Job.created_at))
    ).all()
    taken: list[str] = []
    for job_id in candidates:
        result = session.exec(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status) == QUEUED, stale)
            .values(lease_expires_at=now + wait)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            taken.append(job_id)
    return taken


def _clip(message: str) -> str:
    return message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 1] + "…"


# ---- for a runner that supervises its own worker processes (``payerlens batch``) -----------
# The batch's local pool knows when a worker process of its own died or was killed, so it can
# settle that worker's job at once instead of waiting for the lease to expire. These take no
# token (the dead worker's token is unknown to the supervisor); each is one conditional UPDATE
# on the job's state, so a job that finished meanwhile is left alone.


def fail_unfinished(session: Session, job_id: str, code: str, message: str) -> bool:
    """A queued or running job whose worker the caller stopped (e.g. over its time limit):
    ``failed`` with ``code`` at once, no retry. False when it had already finished."""
    job = session.get(Job, job_id)
    if job is None:
        return False
    unfinished = (col(Job.id) == job_id, col(Job.status).in_([QUEUED, RUNNING]))
    return _mark_failed(session, job, unfinished, code, message)


def requeue_unfinished(session: Session, job_id: str, message: str) -> bool:
    """A running job whose worker the caller knows is dead: back to ``queued`` (the attempt it
    was on still counts), to be claimed again at once. False when it is not running."""
    result = session.exec(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == RUNNING)
        .values(
            status=QUEUED,
            lease_token=None,
            lease_expires_at=None,
            error_code=None,
            error_message=_clip(message),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def abandon_expired(session: Session, job: Job, *, now: datetime | None = None) -> bool:
    """``job`` (as the caller read it) is running with an expired lease and no attempts left,
    so no worker may claim it again: ``failed`` with ``job.abandoned``, as ``recover_expired``
    does, but for this one job. False when it changed since it was read."""
    now = now or utcnow()
    if job.attempts < job.max_attempts:
        return False
    result = session.exec(
        update(Job)
        .where(
            col(Job.id) == job.id,
            col(Job.status) == RUNNING,
            col(Job.lease_token) == job.lease_token,
            col(Job.lease_expires_at) < now,
        )
        .values(
            status=FAILED,
            lease_token=None,
            lease_expires_at=None,
            finished_at=now,
            error_code=JOB_ABANDONED,
            error_message=f"the worker stopped during each of {job.attempts} attempts "
            "(crashed, killed or out of memory)",
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    audit.record(
        session,
        org_id=job.org_id,
        user_id=job.created_by,
        action="job.failed",
        target_type="job",
        target_id=job.id,
        document_id=job.document_id,
        error_code=JOB_ABANDONED,
        attempts=job.attempts,
    )
    return True


def jobs_by_id(session: Session, job_ids: list[str]) -> dict[str, Job]:
    """The jobs among ``job_ids`` that exist, read fresh from the database."""
    found: dict[str, Job] = {}
    for start in range(0, len(job_ids), 500):
        chunk = job_ids[start : start + 500]
        for job in session.exec(
            select(Job).where(col(Job.id).in_(chunk)).execution_options(populate_existing=True)
        ).all():
            found[job.id] = job
    return found
