"""Storing a checked file as an organisation's document with a queued analysis: the one code
path the API's uploads (``service.api.uploads``) and ``payerlens batch`` share, so both store
alike.

``store_document`` works in the caller's transaction and never commits: the stored file (once
per SHA-256, whoever uploaded it), the document (once per organisation and SHA-256), a queued
job unless the document's latest job has not failed, and the audit record. The caller commits
(with whatever else belongs to the same step, e.g. a batch item) and then hands a new job to a
runner. A concurrent store of the same bytes makes the commit fail on a unique constraint; the
caller rolls back and tries again (the second attempt finds the document).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from service.storage import audit
from service.storage.models import Document, Job, JobStatus, StoredFile

PDF_MEDIA_TYPE = "application/pdf"
# ``extractor.docx_reader.DOCX_MEDIA_TYPE``, named here too so that the API server does not import
# the document readers (PDFium, pdfplumber) to compare a media type.
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Stored:
    job: Job
    document: Document
    duplicate: bool  # the organisation had these bytes already
    new_job: bool  # a job was queued now: hand it to a runner after commit


def find_document(session: Session, org_id: str, sha256: str) -> Document | None:
    return session.exec(
        select(Document).where(Document.org_id == org_id, Document.sha256 == sha256)
    ).first()


def latest_job(session: Session, document_id: str) -> Job | None:
    return session.exec(
        select(Job)
        .where(Job.document_id == document_id)
        .order_by(col(Job.created_at).desc(), col(Job.id).desc())
    ).first()


def store_document(
    session: Session,
    *,
    sha256: str,
    size: int,
    pages: int,
    filename: str,
    org_id: str,
    user_id: str | None,
    target_contract_id: str | None,
    max_attempts: int,
    media_type: str = PDF_MEDIA_TYPE,
    **audit_detail: Any,
) -> Stored:
    """The rows for one checked file whose bytes are (or are about to be) in the blob store
    under ``sha256``; see the module docstring. ``audit_detail`` adds keys to the
    ``document.uploaded`` audit record."""
    from service.jobs.store import enqueue_analysis

    if session.get(StoredFile, sha256) is None:
        session.add(StoredFile(sha256=sha256, size=size, media_type=media_type, pages=pages))
        session.flush()
    document = find_document(session, org_id, sha256)
    duplicate = document is not None
    if document is None:
        document = Document(
            org_id=org_id,
            sha256=sha256,
            filename=filename,
            media_type=media_type,
            size=size,
            pages=pages,
            uploaded_by=user_id,
        )
        session.add(document)
        session.flush()
    job = latest_job(session, document.id) if duplicate else None
    new_job = job is None or job.status == JobStatus.FAILED.value
    if new_job:
        job = enqueue_analysis(
            session,
            org_id=org_id,
            document_id=document.id,
            user_id=user_id,
            target_contract_id=target_contract_id,
            max_attempts=max_attempts,
        )
    assert job is not None
    audit.record(
        session,
        org_id=org_id,
        user_id=user_id,
        action="document.uploaded",
        target_type="document",
        target_id=document.id,
        filename=filename,
        sha256=sha256,
        size=size,
        pages=pages,
        duplicate=duplicate,
        job_id=job.id,
        contract_id=target_contract_id,
        **audit_detail,
    )
    return Stored(job=job, document=document, duplicate=duplicate, new_job=new_job)
