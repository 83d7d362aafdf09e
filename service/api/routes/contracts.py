"""Contracts: the list with its filters, one contract, its analysis, findings, rates and text,
and re-analysis with the current rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from sqlmodel import col, select

from service import rates_csv
from service.api import queries, schemas
from service.api.auth import Reader, Writer
from service.api.deps import ServicesDep, SessionDep
from service.api.errors import AUTHED, ApiError, error_responses, not_found
from service.api.pdf_sandbox import PdfProblem
from service.api.routes.views import document_out, finding_out, rate_out, run_out
from service.api.scope import owned
from service.storage import audit
from service.storage.models import Contract, Document, Job, JobStatus

router = APIRouter(tags=["contracts"])

Category = Annotated[
    str | None,
    Query(max_length=64, pattern=r"^[a-z_]+$", description="A finding category."),
]


@router.get(
    "/contracts",
    response_model=schemas.ContractList,
    summary="The organisation's contracts, filtered and paginated",
    description="Filters combine (AND). `category`, `severity` and `review_state` select "
    "contracts whose current analysis has a finding matching all of those given. Dates are "
    "ISO (YYYY-MM-DD) and exclusive.",
    responses=error_responses(*AUTHED, 422),
)
def list_contracts(
    principal: Reader,
    session: SessionDep,
    payer: Annotated[
        str | None, Query(max_length=300, description="Payer name contains (any case).")
    ] = None,
    product_line: Annotated[
        str | None,
        Query(
            max_length=64,
            description="The contract covers this product line, e.g. medicare_advantage.",
        ),
    ] = None,
    category: Category = None,
    severity: schemas.Severity | None = None,
    review_state: schemas.ReviewState | None = None,
    notice_deadline_before: Annotated[
        date | None, Query(description="The non-renewal notice is due before this date.")
    ] = None,
    renewal_before: Annotated[
        date | None, Query(description="The current term ends before this date.")
    ] = None,
    sort: schemas.ContractSort = schemas.ContractSort.UPDATED,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> schemas.ContractList:
    filters = queries.ContractFilters(
        payer=payer,
        product_line=product_line,
        category=category,
        severity=severity.value if severity else None,
        review_state=review_state.value if review_state else None,
        notice_deadline_before=notice_deadline_before,
        renewal_before=renewal_before,
    )
    contracts, total = queries.list_contracts(
        session, principal.org_id, filters, sort=sort, limit=limit, offset=offset
    )
    counts = queries.finding_counts(
        session, principal.org_id, [c.current_run_id for c in contracts if c.current_run_id]
    )
    items = [
        queries.contract_summary(c, counts.get(c.current_run_id or "", schemas.FindingCounts()))
        for c in contracts
    ]
    return schemas.ContractList(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/contracts/{contract_id}",
    response_model=schemas.ContractDetail,
    summary="One contract: key terms, deadlines, documents (versions) and counts",
    responses=error_responses(*AUTHED, 404),
)
def get_contract(
    contract_id: str, principal: Reader, session: SessionDep
) -> schemas.ContractDetail:
    c = owned(session, Contract, contract_id, principal.org_id)
    findings = queries.current_findings(session, c)
    run = queries.current_run(session, c)
    counts = queries.finding_counts(session, c.org_id, [run.id] if run else [])
    return schemas.ContractDetail(
        id=c.id,
        key_terms=schemas.KeyTerms(
            title=c.title,
            payer=c.payer,
            provider=c.provider,
            product_lines=list(c.product_lines or []),
            effective_date=c.effective_date,
            expiration_date=c.expiration_date,
            initial_term_months=c.initial_term_months,
            auto_renews=c.auto_renews,
            renewal_term_months=c.renewal_term_months,
            notice_days=c.notice_days,
            sources=queries.term_sources(findings),
        ),
        deadlines=schemas.Deadlines(
            term_end=c.term_end,
            notice_deadline=c.notice_deadline,
            renegotiation_start=c.renegotiation_start,
            renegotiation_end=c.renegotiation_end,
        ),
        documents=[
            document_out(d, c.current_document_id) for d in queries.contract_documents(session, c)
        ],
        current_run=run_out(run) if run else None,
        findings=counts.get(c.current_run_id or "", schemas.FindingCounts()),
        rates=queries.rate_count(session, c),
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@router.get(
    "/contracts/{contract_id}/analysis",
    response_model=schemas.AnalysisV1,
    summary="The current analysis as the schema-v1 object",
    description="Exactly the object `payerlens analyze --json` prints for the document "
    "(`source.path` is the uploaded file's name).",
    responses=error_responses(*AUTHED, 404),
)
def get_analysis(contract_id: str, principal: Reader, session: SessionDep) -> Response:
    c = owned(session, Contract, contract_id, principal.org_id)
    run = queries.current_run(session, c)
    if run is None:
        raise not_found()
    return JSONResponse(run.result)


@router.get(
    "/contracts/{contract_id}/findings",
    response_model=schemas.FindingList,
    summary="The current analysis's findings, in document order",
    responses=error_responses(*AUTHED, 404, 422),
)
def list_findings(
    contract_id: str,
    principal: Reader,
    session: SessionDep,
    category: Category = None,
    severity: schemas.Severity | None = None,
    review_state: schemas.ReviewState | None = None,
) -> schemas.FindingList:
    c = owned(session, Contract, contract_id, principal.org_id)
    found = queries.current_findings(
        session,
        c,
        category=category,
        severity=severity.value if severity else None,
        review_state=review_state.value if review_state else None,
    )
    return schemas.FindingList(items=[finding_out(f) for f in found], total=len(found))


@router.get(
    "/contracts/{contract_id}/rates",
    response_model=schemas.RateList,
    summary="The current analysis's rate rows (JSON, or CSV with ?format=csv)",
    description="CSV: the columns of `payerlens rates --csv`, `file` being the document's name.",
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **error_responses(*AUTHED, 404, 422),
    },
)
def list_rates(
    contract_id: str,
    principal: Reader,
    session: SessionDep,
    format: Literal["json", "csv"] = "json",
) -> schemas.RateList | Response:
    c = owned(session, Contract, contract_id, principal.org_id)
    rows = queries.current_rates(session, c)
    if format == "json":
        return schemas.RateList(items=[rate_out(r) for r in rows], total=len(rows))
    run = queries.current_run(session, c)
    filename = str(run.result["source"]["path"]) if run else ""
    body = rates_csv.write_csv(rates_csv.stored_rate_csv_row(filename, r.data) for r in rows)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rates-{c.id}.csv"'},
    )


@router.get(
    "/contracts/{contract_id}/text",
    response_model=schemas.ContractText,
    summary="A document's text, page by page",
    description="Read again from the stored PDF's text layer (nothing extra is stored): the "
    "current document, or `document_id` for another version of the contract. Pages the "
    "analysis read by OCR have no text layer: `text` is null and `ocr` true.",
    responses=error_responses(*AUTHED, 404, 409, 422, s409=("document.unavailable",)),
)
def get_text(
    contract_id: str,
    principal: Reader,
    session: SessionDep,
    services: ServicesDep,
    document_id: str | None = None,
    page: Annotated[int | None, Query(ge=1, description="Only this page.")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> schemas.ContractText:
    c = owned(session, Contract, contract_id, principal.org_id)
    wanted = document_id or c.current_document_id
    if wanted is None:
        raise not_found()
    document = owned(session, Document, wanted, principal.org_id)
    if document.contract_id != c.id:
        raise not_found()
    if page is not None:
        offset, limit = page - 1, 1
    path = services.blobs.path_for(document.sha256)
    if not path.is_file():
        raise ApiError(409, "document.unavailable", "The stored file of this document is missing.")
    try:
        total, pages = services.sandbox.page_texts(path, offset=offset, limit=limit)
    except PdfProblem as problem:
        raise ApiError(409, "document.unavailable", problem.message) from None
    run = queries.latest_run_of_document(session, document)
    ocr_pages = set(run.result.get("source", {}).get("ocr_pages", [])) if run else set()
    if page is not None and page > total:
        raise not_found()
    return schemas.ContractText(
        contract_id=c.id,
        document_id=document.id,
        pages=total,
        items=[
            schemas.TextPage(page=n, text=None if n in ocr_pages else text, ocr=n in ocr_pages)
            for n, text in pages
        ],
        limit=limit,
        offset=offset,
    )


@router.post(
    "/contracts/{contract_id}/reanalyze",
    status_code=202,
    response_model=schemas.ReanalyzeAccepted,
    summary="Analyse the contract's current document again with the current rules",
    description="Queues a job; its result becomes the contract's current analysis, and "
    "reviews carry over to the same clauses. A job already queued or running for the "
    "document is returned instead (`duplicate: true`). Roles: admin, legal, finance.",
    responses=error_responses(*AUTHED, 403, 404),
)
def reanalyze(
    contract_id: str, principal: Writer, session: SessionDep, services: ServicesDep
) -> schemas.ReanalyzeAccepted:
    from service.jobs.store import enqueue_analysis

    c = owned(session, Contract, contract_id, principal.org_id)
    if c.current_document_id is None:
        raise not_found()
    active = session.exec(
        select(Job)
        .where(
            Job.org_id == principal.org_id,
            Job.document_id == c.current_document_id,
            col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
        .order_by(col(Job.created_at).desc())
    ).first()
    if active is not None:
        return schemas.ReanalyzeAccepted(
            job_id=active.id, document_id=active.document_id, contract_id=c.id, duplicate=True
        )
    job = enqueue_analysis(
        session,
        org_id=principal.org_id,
        document_id=c.current_document_id,
        user_id=principal.user_id,
        target_contract_id=c.id,
        max_attempts=services.settings.job_max_attempts,
    )
    audit.record(
        session,
        org_id=principal.org_id,
        user_id=principal.user_id,
        action="contract.reanalysis_requested",
        target_type="contract",
        target_id=c.id,
        job_id=job.id,
        document_id=c.current_document_id,
    )
    session.commit()
    services.runner.submit(job.id)
    return schemas.ReanalyzeAccepted(
        job_id=job.id, document_id=job.document_id, contract_id=c.id, duplicate=False
    )
