"""Uploads (``POST /documents``) and a document's metadata."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request

from service.api import uploads
from service.api.auth import Reader, Writer
from service.api.deps import ServicesDep, SessionDep
from service.api.errors import AUTHED, ApiError, error_responses
from service.api.routes.views import document_out
from service.api.schemas import DocumentOut, UploadAccepted
from service.api.scope import owned
from service.storage.models import Contract, Document

log = logging.getLogger(__name__)
router = APIRouter(tags=["documents"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The contract PDF (application/pdf or "
                            "application/octet-stream), at most max_upload_bytes.",
                        },
                        "contract_id": {
                            "type": "string",
                            "description": "Upload a new version of this contract: its "
                            "analysis replaces the contract's current one.",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/documents",
    status_code=202,
    response_model=UploadAccepted,
    summary="Upload a contract (PDF or Word .docx) and queue its analysis",
    description="Multipart field `file` (the PDF or .docx), optional `contract_id` (a new "
    "version of that contract). The body is streamed to disk and refused as soon as it passes "
    "the size limit; the file is checked (a PDF or Word document, not encrypted, not empty, "
    "not a zip bomb, within the page limit) before anything is stored. 202 with the job to "
    "poll (`GET /jobs/{id}`). The same bytes uploaded again by the organisation give the "
    "existing document and its latest job (`duplicate: true`) and start no new analysis, "
    "unless that job failed. Roles: admin, legal, finance.",
    openapi_extra=_UPLOAD_BODY,
    responses=error_responses(400, *AUTHED, 403, 404, 413, 415, 422, **uploads.UPLOAD_ERROR_CODES),
)
def upload_document(
    request: Request, principal: Writer, session: SessionDep, services: ServicesDep
) -> UploadAccepted:
    settings = services.settings
    boundary = uploads.check_request(request, settings)
    received = uploads.receive(uploads.request_chunks(request), boundary, services.blobs, settings)
    try:
        stored = uploads.accept(
            session, received, services, org_id=principal.org_id, user_id=principal.user_id
        )
    except ApiError as exc:
        log.info("upload refused (%s) for org %s", exc.code, principal.org_id)
        raise
    return UploadAccepted(
        job_id=stored.job.id, document_id=stored.document.id, duplicate=stored.duplicate
    )


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    summary="One uploaded document",
    responses=error_responses(*AUTHED, 404),
)
def get_document(document_id: str, principal: Reader, session: SessionDep) -> DocumentOut:
    document = owned(session, Document, document_id, principal.org_id)
    current = None
    if document.contract_id:
        contract = owned(session, Contract, document.contract_id, principal.org_id)
        current = contract.current_document_id
    return document_out(document, current)
