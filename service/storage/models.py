"""The tables. Every row that belongs to a customer carries ``org_id``, and every query the
service makes filters on it (``service.api.scope``); public ids are random (``new_id``), so
they cannot be enumerated or guessed.

Times are aware UTC (``utcnow``); SQLModel's UTCDateTime stores them as UTC on every backend
(SQLite has no time zones) and gives them back aware.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def new_id() -> str:
    """128 random bits, URL-safe: an id says nothing about how many others exist."""
    return secrets.token_hex(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    ADMIN = "admin"
    LEGAL = "legal"
    FINANCE = "finance"
    VIEWER = "viewer"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ReviewDecision(StrEnum):
    ACCEPT = "accept"
    DISMISS = "dismiss"
    NEEDS_NEGOTIATION = "needs_negotiation"


# A finding's review state: "open" until someone reviews it, then its latest decision.
REVIEW_STATES = ("open", *[d.value for d in ReviewDecision])


class Organisation(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(unique=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("org_id", "email"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    email: str = Field(max_length=320)
    name: str | None = Field(default=None, max_length=200)
    role: str = Field(max_length=16)  # Role
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """A bearer key. Only its SHA-256 is stored (keys are 256 random bits, so a fast hash is
    enough: there is nothing to brute-force); ``prefix`` names it in listings and logs."""

    __tablename__ = "api_key"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=32)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(unique=True, max_length=64)
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class StoredFile(SQLModel, table=True):
    """One uploaded file's bytes, stored once however often and by whomever uploaded
    (content-addressed under the data directory's ``blobs/``)."""

    __tablename__ = "stored_file"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    media_type: str = Field(max_length=100)
    pages: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Contract(SQLModel, table=True):
    """A payer agreement as the organisation knows it: key terms of its current analysis and
    the deadlines computed from them (extractor.deadlines)."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    title: str | None = Field(default=None, max_length=500)
    payer: str | None = Field(default=None, max_length=300, index=True)
    provider: str | None = Field(default=None, max_length=300)
    product_lines: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    effective_date: date | None = None
    expiration_date: date | None = None
    initial_term_months: int | None = None
    renewal_term_months: int | None = None
    auto_renews: bool | None = None
    notice_days: int | None = None
    term_end: date | None = None
    notice_deadline: date | None = Field(default=None, index=True)
    renegotiation_start: date | None = None
    renegotiation_end: date | None = None
    current_document_id: str | None = Field(default=None, max_length=32)
    current_run_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    """A file an organisation uploaded: one row per organisation and SHA-256 (the same file
    uploaded twice is one document). ``version`` orders a contract's documents."""

    # Two analyses finishing together cannot number two documents of a contract alike: the
    # second transaction fails and its job is retried.
    __table_args__ = (
        UniqueConstraint("org_id", "sha256"),
        UniqueConstraint("contract_id", "version"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    contract_id: str | None = Field(default=None, foreign_key="contract.id", index=True)
    version: int | None = None
    sha256: str = Field(foreign_key="stored_file.sha256", max_length=64)
    filename: str = Field(max_length=500)
    media_type: str = Field(max_length=100)
    size: int
    pages: int | None = None
    uploaded_by: str | None = Field(default=None, foreign_key="user.id", max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class AnalysisRun(SQLModel, table=True):
    """One analysis of one document: which rules and model produced it, and its schema-v1
    result exactly as ``payerlens analyze --json`` prints it. ``job_id`` is unique: a job that
    is retried or taken over can never store two runs."""

    __tablename__ = "analysis_run"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    document_id: str = Field(foreign_key="document.id", index=True, max_length=32)
    contract_id: str = Field(foreign_key="contract.id", index=True, max_length=32)
    job_id: str | None = Field(default=None, unique=True, max_length=32)
    status: str = Field(max_length=16)  # extractor Status: success | partial | failed
    ruleset_version: str = Field(max_length=100)
    model_version: str | None = Field(default=None, max_length=100)
    extractor_version: str = Field(max_length=50)
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Finding(SQLModel, table=True):
    __table_args__ = (Index("ix_finding_contract_category", "contract_id", "category"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    run_id: str = Field(foreign_key="analysis_run.id", index=True, max_length=32)
    contract_id: str = Field(foreign_key="contract.id", max_length=32)
    ordinal: int
    category: str = Field(max_length=64)
    severity: str = Field(max_length=8)
    page: int
    section: str | None = Field(default=None, max_length=100)
    text: str
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    rule_id: str = Field(max_length=200)
    confidence: float
    model_score: float | None = None
    explanation: str
    # Same clause across re-analyses (category + normalised text): reviews carry over.
    clause_key: str = Field(max_length=64, index=True)
    review_state: str = Field(default="open", max_length=32)


class RateRow(SQLModel, table=True):
    __tablename__ = "rate_row"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    run_id: str = Field(foreign_key="analysis_run.id", index=True, max_length=32)
    contract_id: str = Field(foreign_key="contract.id", max_length=32)
    ordinal: int
    code: str | None = Field(default=None, max_length=32, index=True)
    code_type: str | None = Field(default=None, max_length=32)
    methodology: str | None = Field(default=None, max_length=64)
    amount: float | None = None
    percent: float | None = None
    unit: str | None = Field(default=None, max_length=64)
    product_line: str | None = Field(default=None, max_length=64)
    page: int | None = None
    # The whole schema-v1 rate row (extractor.serialize.rate_to_dict).
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Review(SQLModel, table=True):
    """One review decision; a finding's history is all of its rows, oldest first."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    finding_id: str = Field(foreign_key="finding.id", index=True, max_length=32)
    clause_key: str = Field(max_length=64, index=True)
    contract_id: str = Field(foreign_key="contract.id", max_length=32)
    user_id: str = Field(foreign_key="user.id", max_length=32)
    decision: str = Field(max_length=32)  # ReviewDecision
    comment: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Job(SQLModel, table=True):
    """A unit of background work. The row is the truth; a runner (in-process pool or Celery)
    only carries the id. A worker holds a job by a lease (``lease_token`` until
    ``lease_expires_at``) and renews it while working; an expired lease means the worker died,
    and the job is taken over (``service.jobs.store``)."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    kind: str = Field(default="analyze", max_length=32)
    document_id: str = Field(foreign_key="document.id", index=True, max_length=32)
    # Re-analysis or a new version: the contract the result belongs to.
    target_contract_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default=JobStatus.QUEUED.value, max_length=16, index=True)
    attempts: int = 0
    max_attempts: int = 3
    error_code: str | None = Field(default=None, max_length=64)
    error_message: str | None = None
    lease_token: str | None = Field(default=None, max_length=32)
    lease_expires_at: datetime | None = None
    contract_id: str | None = Field(default=None, max_length=32)
    run_id: str | None = Field(default=None, max_length=32)
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted (database triggers refuse
    both, see the migration)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    user_id: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=64)
    target_type: str | None = Field(default=None, max_length=32)
    target_id: str | None = Field(default=None, max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, index=True)


class BatchStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"


class Batch(SQLModel, table=True):
    """One archive processed by ``payerlens batch``: rerunning on the same source resumes it."""

    __table_args__ = (UniqueConstraint("org_id", "source"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    # The folder or zip as given, resolved to an absolute path.
    source: str = Field(max_length=1000)
    status: str = Field(default=BatchStatus.RUNNING.value, max_length=16)
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class BatchItem(SQLModel, table=True):
    """One file of a batch, by its path inside the source; its bytes are a Document (by
    SHA-256), its analysis a Job. ``status``: pending, skipped (already stored), queued,
    succeeded or failed (``error_code``, ``error_message``)."""

    __tablename__ = "batch_item"
    __table_args__ = (UniqueConstraint("batch_id", "path"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    batch_id: str = Field(foreign_key="batch.id", index=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    path: str = Field(max_length=1000)
    size: int | None = None
    sha256: str | None = Field(default=None, max_length=64, index=True)
    document_id: str | None = Field(default=None, max_length=32)
    job_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default="pending", max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    error_message: str | None = None
    pages: int | None = None
    ocr_pages: int | None = None
    ocr_confidence: float | None = None
    seconds: float | None = None
    updated_at: datetime = Field(default_factory=utcnow)
