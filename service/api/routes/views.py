"""Table rows to response models (the table models never go over the wire)."""

from __future__ import annotations

from service.api import schemas
from service.storage.models import (
    AnalysisRun,
    ApiKey,
    AuditLog,
    Document,
    Finding,
    Job,
    RateRow,
    Review,
    User,
)


def document_out(d: Document, current_document_id: str | None) -> schemas.DocumentOut:
    return schemas.DocumentOut(
        id=d.id,
        contract_id=d.contract_id,
        version=d.version,
        filename=d.filename,
        sha256=d.sha256,
        size=d.size,
        pages=d.pages,
        uploaded_by=d.uploaded_by,
        created_at=d.created_at,
        current=d.id == current_document_id,
    )


def job_out(j: Job) -> schemas.JobOut:
    error = None
    if j.error_code or j.error_message:
        error = schemas.JobError(code=j.error_code or "job.failed", message=j.error_message or "")
    return schemas.JobOut(
        id=j.id,
        kind=j.kind,
        status=schemas.JobStatus(j.status),
        document_id=j.document_id,
        contract_id=j.contract_id,
        target_contract_id=j.target_contract_id,
        run_id=j.run_id,
        attempts=j.attempts,
        max_attempts=j.max_attempts,
        error=error,
        created_at=j.created_at,
        started_at=j.started_at,
        finished_at=j.finished_at,
    )


def finding_out(f: Finding) -> schemas.FindingOut:
    return schemas.FindingOut(
        id=f.id,
        contract_id=f.contract_id,
        run_id=f.run_id,
        category=f.category,
        severity=schemas.Severity(f.severity),
        page=f.page,
        section=f.section,
        text=f.text,
        fields=dict(f.fields or {}),
        rule_id=f.rule_id,
        confidence=f.confidence,
        model_score=f.model_score,
        explanation=f.explanation,
        review_state=schemas.ReviewState(f.review_state),
    )


def rate_out(r: RateRow) -> schemas.RateOut:
    return schemas.RateOut.model_validate({**r.data, "id": r.id})


def review_out(r: Review, email: str | None) -> schemas.ReviewOut:
    return schemas.ReviewOut(
        id=r.id,
        finding_id=r.finding_id,
        contract_id=r.contract_id,
        clause_key=r.clause_key,
        user_id=r.user_id,
        user_email=email,
        decision=schemas.ReviewDecision(r.decision),
        comment=r.comment,
        created_at=r.created_at,
    )


def run_out(r: AnalysisRun) -> schemas.RunOut:
    return schemas.RunOut(
        id=r.id,
        document_id=r.document_id,
        status=r.status,
        ruleset_version=r.ruleset_version,
        model_version=r.model_version,
        extractor_version=r.extractor_version,
        created_at=r.created_at,
    )


def audit_out(a: AuditLog) -> schemas.AuditEntry:
    assert a.id is not None
    return schemas.AuditEntry(
        id=a.id,
        at=a.at,
        user_id=a.user_id,
        action=a.action,
        target_type=a.target_type,
        target_id=a.target_id,
        detail=dict(a.detail or {}),
    )


def user_out(u: User) -> schemas.UserOut:
    return schemas.UserOut(
        id=u.id,
        email=u.email,
        name=u.name,
        role=schemas.Role(u.role),
        active=u.active,
        created_at=u.created_at,
    )


def key_out(k: ApiKey) -> schemas.KeyOut:
    return schemas.KeyOut(
        id=k.id,
        user_id=k.user_id,
        prefix=k.prefix,
        label=k.label,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
        last_used_at=k.last_used_at,
    )
