"""The review workspace's pages, mounted at ``/`` next to the API (``/api/v1``) by
``service.web.install``. Reads go through the API's queries and organisation scoping
(``service.api.queries``, ``service.api.scope.owned``: another organisation's id is the same
404 page as a missing one); reviews through the API's own review function; uploads through
the API's stream parser and ``service.ingest``. Nothing here is in the OpenAPI schema."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from service import accounts, rates_csv
from service.api import queries, schemas
from service.api.auth import Principal
from service.api.deps import Services, ServicesDep, SessionDep
from service.api.errors import ApiError
from service.api.pdf_sandbox import PdfProblem
from service.api.routes import findings as findings_api
from service.api.scope import owned
from service.api.uploads import accept, check_request, request_chunks
from service.storage.models import (
    REVIEW_STATES,
    Contract,
    Document,
    Finding,
    Job,
    JobStatus,
    RateRow,
    ReviewDecision,
)
from service.web import charts, data, documents, highlight, ics
from service.web import session as web_session
from service.web.render import (
    DECISION_LABELS,
    REVIEW_LABELS,
    SEVERITY_ORDER,
    finish,
    humanise,
    is_fetch,
    page,
    redirect,
    render_text,
    wants_json,
)
from service.web.session import CheckedForm, WebError, WebUser, can_write, forbidden
from service.web.upload import receive_form

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
SEVERITIES = ("high", "medium", "low")
NOTICE_WINDOWS = {"30": 30, "60": 60, "90": 90, "180": 180, "365": 365}
SORTS = {
    "notice_deadline": schemas.ContractSort.NOTICE_DEADLINE,
    "updated": schemas.ContractSort.UPDATED,
    "term_end": schemas.ContractSort.TERM_END,
    "payer": schemas.ContractSort.PAYER,
}
_NAME = re.compile(r"^[a-z_]{1,64}$")


def _today() -> date:
    return date.today()


def safe_next(raw: str | None) -> str:
    """Only a path of this site (no scheme, no host, no ``//``) is a place to go back to."""
    if not raw or not raw.startswith("/") or raw.startswith(("//", "/\\")):
        return "/contracts"
    if any(ord(ch) < 32 for ch in raw):
        return "/contracts"
    return raw


# ---- signing in and out ---------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> Response:
    return redirect(request, "/contracts")


@router.get("/login")
def login_page(request: Request, session: SessionDep, next: str | None = None) -> Response:
    web = web_session.read_session(request)
    if web is not None and web.key_id and web_session.principal_for_key(session, web.key_id):
        return redirect(request, safe_next(next))
    message = request.query_params.get("m")
    notices = {
        "out": "You have signed out.",
        "expired": "Your session has ended; sign in again.",
        "required": "Sign in to continue.",
    }
    return page(
        request,
        "login.html",
        title="Sign in",
        next=safe_next(next),
        notice=notices.get(message or ""),
        error=None,
    )


@router.post("/login")
def login(
    request: Request, form: CheckedForm, session: SessionDep, services: ServicesDep
) -> Response:
    target = safe_next(form.get("next"))
    client = request.client.host if request.client else "unknown"
    decision = services.limiter.hit(f"web-login:{client}")
    if not decision.allowed:
        raise WebError(
            429,
            "Too many sign-in attempts",
            f"Wait {decision.retry_after} seconds before trying again.",
        )
    key = (form.get("api_key") or "").strip()
    found = accounts.authenticate(session, key) if key else None
    if found is None:
        return page(
            request,
            "login.html",
            status=401,
            title="Sign in",
            next=target,
            notice=None,
            error="That API key is not valid, or it has been revoked.",
        )
    if session.dirty:
        session.commit()
    _user, row = found
    web_session.start_session(request, row.id)
    log.info("web sign-in with key %s", row.prefix)
    return redirect(request, target)


@router.post("/logout")
def logout(request: Request, _form: CheckedForm) -> Response:
    web_session.end_session(request)
    return redirect(request, "/login?m=out")


# ---- the contracts list ---------------------------------------------------------------------


@dataclass
class ListQuery:
    q: str = ""
    payer: str = ""
    product_line: str = ""
    category: str = ""
    severity: str = ""
    review_state: str = ""
    notice: str = ""
    sort: str = "notice_deadline"
    page: int = 1
    active: list[tuple[str, str]] = field(default_factory=list)

    def params(self, **changes: Any) -> str:
        values = {
            "q": self.q,
            "payer": self.payer,
            "product_line": self.product_line,
            "category": self.category,
            "severity": self.severity,
            "review_state": self.review_state,
            "notice": self.notice,
            "sort": self.sort,
            "page": self.page,
            **changes,
        }
        kept = {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}
        return urlencode(kept)


def _list_query(request: Request) -> ListQuery:
    p = request.query_params

    def text(name: str, limit: int = 300) -> str:
        return (p.get(name) or "").strip()[:limit]

    def choice(name: str, allowed: Any) -> str:
        value = text(name, 64)
        return value if value in allowed else ""

    try:
        number = max(1, min(100_000, int(p.get("page") or 1)))
    except ValueError:
        number = 1
    query = ListQuery(
        q=text("q"),
        payer=text("payer"),
        product_line=text("product_line", 64),
        category=text("category", 64) if _NAME.match(text("category", 64)) else "",
        severity=choice("severity", SEVERITIES),
        review_state=choice("review_state", REVIEW_STATES),
        notice=choice("notice", (*NOTICE_WINDOWS, "passed")),
        sort=choice("sort", SORTS) or "notice_deadline",
        page=number,
    )
    labels = {
        "q": "Search",
        "payer": "Payer",
        "product_line": "Product line",
        "category": "Category",
        "severity": "Severity",
        "review_state": "Review state",
        "notice": "Notice deadline",
    }
    for name, label in labels.items():
        value = getattr(query, name)
        if value:
            shown = {
                "product_line": humanise(value),
                "category": humanise(value),
                "severity": value.capitalize(),
                "review_state": REVIEW_LABELS.get(value, value),
                "notice": "passed" if value == "passed" else f"within {value} days",
            }.get(name, value)
            query.active.append((label, shown))
    return query


def _filters(query: ListQuery) -> queries.ContractFilters:
    return queries.ContractFilters(
        payer=query.payer or None,
        product_line=query.product_line or None,
        category=query.category or None,
        severity=query.severity or None,
        review_state=query.review_state or None,
        text=query.q or None,
    )


def _notice_matches(d: data.ContractDeadlines, notice: str, today: date) -> bool:
    if not notice:
        return True
    if notice == "passed":  # passed, and the contract does not renew past it
        return d.notice_deadline is not None and d.notice_deadline < today
    due = d.notice_deadline
    return due is not None and today <= due <= today + timedelta(days=NOTICE_WINDOWS[notice])


def _deadline_order(d: data.ContractDeadlines, by: str) -> tuple[int, int]:
    """Soonest first, contracts without the date last."""
    value = d.term_end if by == "term_end" else d.notice_deadline
    return (0, value.toordinal()) if value else (1, 0)


@router.get("/contracts")
def contracts_page(request: Request, principal: WebUser, session: SessionDep) -> Response:
    """Filters on the analysis (payer, product line, findings, search) run in SQL
    (``queries.list_contracts``); the deadline filter and the deadline orders use each
    contract's deadlines as of today (``data.deadlines_today``), as the deadlines page does."""
    today = _today()
    query = _list_query(request)
    sort = SORTS[query.sort]
    by_deadline = sort in (schemas.ContractSort.NOTICE_DEADLINE, schemas.ContractSort.TERM_END)
    sql_sort = schemas.ContractSort.PAYER if by_deadline else sort
    found = data.all_contracts(session, principal.org_id, _filters(query), sort=sql_sort)
    dated = [(c, data.deadlines_today(c, today)) for c in found]
    dated = [(c, d) for c, d in dated if _notice_matches(d, query.notice, today)]
    if by_deadline:
        by = "term_end" if sort is schemas.ContractSort.TERM_END else "notice"
        dated.sort(key=lambda item: _deadline_order(item[1], by))  # stable: payer A–Z within
    total = len(dated)
    shown = dated[(query.page - 1) * PAGE_SIZE : query.page * PAGE_SIZE]
    counts = data.counts_by_contract(session, principal.org_id, [c for c, _ in shown])
    rows = [{"contract": c, "counts": counts[c.id], "deadlines": d} for c, d in shown]
    pages = max(1, -(-total // PAGE_SIZE))
    return page(
        request,
        "contracts.html",
        title="Contracts",
        nav="contracts",
        query=query,
        rows=rows,
        total=total,
        pages=pages,
        facets=data.facets(session, principal.org_id),
        severities=SEVERITIES,
        review_states=REVIEW_STATES,
        notice_windows=list(NOTICE_WINDOWS),
    )


# ---- one contract ----------------------------------------------------------------------------


@dataclass
class PageView:
    number: int
    text: str | None
    segments: list[highlight.Segment]
    unplaced: list[Finding]
    image: bool


def _reviews(session: Session, findings: list[Finding]) -> dict[str, list[Any]]:
    return {f.id: queries.clause_reviews(session, f) for f in findings}


def _current_document(session: Session, contract: Contract) -> Document | None:
    if contract.current_document_id is None:
        return None
    return owned(session, Document, contract.current_document_id, contract.org_id)


def _page_texts(
    services: Services, document: Document | None, ocr_pages: set[int]
) -> tuple[dict[int, str | None], str | None]:
    """The document's page texts and, when they could not be read, why."""
    if document is None:
        return {}, "This contract has no stored document."
    blob = services.blobs.path_for(document.sha256)
    if not blob.is_file():
        return {}, "The stored file of this document is missing."
    try:
        texts = documents.page_texts(services.sandbox, services.settings, blob, document.sha256)
    except PdfProblem as problem:
        return {}, f"The document's text could not be read: {problem.message}"
    return {n: (None if n in ocr_pages else t) for n, t in texts.items()}, None


def _page_views(
    texts: dict[int, str | None], findings: list[Finding], images: bool
) -> tuple[list[PageView], set[str]]:
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    marks = [highlight.Mark(f.id, f.page, f.text, rank.get(f.severity, 9)) for f in findings]
    located = highlight.locate_all(marks, texts)
    by_page: dict[int, list[tuple[str, int, highlight.Span]]] = {}
    rank_of = {m.id: m.rank for m in marks}
    for fid, spans in located.items():
        for span in spans:
            by_page.setdefault(span.page, []).append((fid, rank_of[fid], span))
    unplaced: dict[int, list[Finding]] = {}
    for f in findings:
        if f.id not in located:
            unplaced.setdefault(f.page, []).append(f)
    numbers = sorted(set(texts) | set(unplaced))
    views = []
    for n in numbers:
        text = texts.get(n)
        views.append(
            PageView(
                number=n,
                text=text,
                segments=(
                    highlight.segments(highlight.reflow(text), by_page.get(n, [])) if text else []
                ),
                unplaced=unplaced.get(n, []),
                image=images,
            )
        )
    return views, set(located)


def _rate_groups(rows: list[RateRow]) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for r in rows:
        d = r.data
        key = ("table", d.get("table")) if d.get("table") is not None else ("text", None)
        group = groups.setdefault(
            key,
            {
                "kind": key[0],
                "index": key[1],
                "pages": set(),
                "sections": [],
                "rows": [],
            },
        )
        group["rows"].append(d)
        if d.get("page"):
            group["pages"].add(d["page"])
        if d.get("section") and d["section"] not in group["sections"]:
            group["sections"].append(d["section"])
    ordered = sorted(groups.values(), key=lambda g: (g["kind"] != "table", g["index"] or 0))
    for g in ordered:
        g["pages"] = sorted(g["pages"])
    return ordered


def _renegotiation_status(d: data.ContractDeadlines, today: date) -> str:
    if d.renegotiation_start is None or d.renegotiation_end is None:
        return ""
    if d.renegotiation_start <= today <= d.renegotiation_end:
        return f"open now, closes in {(d.renegotiation_end - today).days} days"
    if today < d.renegotiation_start:
        return f"opens in {(d.renegotiation_start - today).days} days"
    return f"closed {(today - d.renegotiation_end).days} days ago"


def finding_card(
    request: Request,
    principal: Principal,
    finding: Finding,
    history: list[Any],
    located: bool,
    message: str | None = None,
) -> str:
    return render_text(
        request,
        "_finding.html",
        f=finding,
        history=history,
        located=located,
        can_write=can_write(principal),
        message=message,
        decisions=list(DECISION_LABELS.items()),
    )


@router.get("/contracts/{contract_id}")
def contract_page(
    contract_id: str,
    request: Request,
    principal: WebUser,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    today = _today()
    c = owned(session, Contract, contract_id, principal.org_id)
    findings = queries.current_findings(session, c)
    run = queries.current_run(session, c)
    document = _current_document(session, c)
    ocr_pages = set(run.result.get("source", {}).get("ocr_pages", [])) if run else set()
    texts, text_problem = _page_texts(services, document, ocr_pages)
    is_pdf = document is not None and document.media_type != documents.DOCX_MEDIA_TYPE
    views, located = _page_views(texts, findings, images=is_pdf and not text_problem)
    counts = data.counts_by_contract(session, principal.org_id, [c])[c.id]
    deadlines = data.deadlines_today(c, today)
    history = _reviews(session, findings)
    rate_groups = _rate_groups(queries.current_rates(session, c))
    return page(
        request,
        "contract.html",
        title=c.title or "Contract",
        nav="contracts",
        c=c,
        run=run,
        document=document,
        documents=queries.contract_documents(session, c),
        findings=findings,
        cards=[
            finding_card(request, principal, f, history[f.id], f.id in located) for f in findings
        ],
        pages=views,
        text_problem=text_problem,
        counts=counts,
        deadlines=deadlines,
        renegotiation=_renegotiation_status(deadlines, today),
        sources={s.term: s for s in queries.term_sources(findings)},
        rate_groups=rate_groups,
        rate_count=sum(len(g["rows"]) for g in rate_groups),
        fmap={f.id: f for f in findings},
        categories=sorted({f.category for f in findings}),
    )


@router.get("/contracts/{contract_id}/pages/{number}.png")
def page_image(
    contract_id: str,
    number: int,
    request: Request,
    principal: WebUser,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    c = owned(session, Contract, contract_id, principal.org_id)
    document = _current_document(session, c)
    if (
        document is None
        or document.media_type == documents.DOCX_MEDIA_TYPE
        or number < 1
        or (document.pages is not None and number > document.pages)
    ):
        raise ApiError(404, "not_found", "Not found.")
    blob = services.blobs.path_for(document.sha256)
    if not blob.is_file():
        raise ApiError(404, "not_found", "Not found.")
    try:
        png = documents.page_png(services.sandbox, services.settings, blob, document.sha256, number)
    except PdfProblem:
        raise ApiError(404, "not_found", "Not found.") from None
    response = Response(png, media_type="image/png")
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return finish(request, response)


@router.get("/contracts/{contract_id}/rates.csv")
def rates_download(
    contract_id: str, request: Request, principal: WebUser, session: SessionDep
) -> Response:
    c = owned(session, Contract, contract_id, principal.org_id)
    rows = queries.current_rates(session, c)
    run = queries.current_run(session, c)
    filename = str(run.result["source"]["path"]) if run else ""
    body = rates_csv.write_csv(rates_csv.stored_rate_csv_row(filename, r.data) for r in rows)
    response = Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rates-{c.id}.csv"'},
    )
    return finish(request, response)


# ---- reviews ---------------------------------------------------------------------------------


@router.post("/findings/{finding_id}/review")
def review_finding(
    finding_id: str,
    request: Request,
    principal: WebUser,
    form: CheckedForm,
    session: SessionDep,
) -> Response:
    if not can_write(principal):
        raise forbidden(principal, "review findings")
    finding = owned(session, Finding, finding_id, principal.org_id)
    try:
        body = schemas.ReviewCreate(
            decision=ReviewDecision(form.get("decision", "")),
            comment=(form.get("comment") or "").strip() or None,
        )
    except (ValueError, ValidationError):
        message = (
            "Choose accept, dismiss or needs negotiation; a comment is at most 5000 characters."
        )
        if is_fetch(request):
            return JSONResponse(
                {"error": {"code": "request.invalid", "message": message}}, status_code=422
            )
        raise WebError(422, "The review was not saved", message) from None
    findings_api.create_review(finding.id, body, principal, session)
    session.refresh(finding)
    if is_fetch(request):
        card = finding_card(
            request,
            principal,
            finding,
            queries.clause_reviews(session, finding),
            located=request.headers.get("x-located", "1") == "1",
            message=f"Saved: {DECISION_LABELS[body.decision.value].lower()}.",
        )
        return finish(request, Response(card, media_type="text/html; charset=utf-8"))
    return redirect(request, f"/contracts/{finding.contract_id}#card-{finding.id}")


# ---- uploads and their jobs ------------------------------------------------------------------


def _upload_page(
    request: Request,
    session: Session,
    principal: Principal,
    status: int = 200,
    error: str | None = None,
) -> Response:
    contracts = data.all_contracts(session, principal.org_id, sort=schemas.ContractSort.PAYER)
    return page(
        request,
        "upload.html",
        status=status,
        title="Upload a contract",
        nav="upload",
        contracts=contracts,
        error=error,
        max_mb=max(1, request.app.state.services.settings.max_upload_bytes // (1024 * 1024)),
    )


@router.get("/upload")
def upload_page(request: Request, principal: WebUser, session: SessionDep) -> Response:
    return _upload_page(request, session, principal)


def _upload_error(
    request: Request, session: Session, principal: Principal, status: int, code: str, msg: str
) -> Response:
    if is_fetch(request):
        return finish(
            request,
            JSONResponse({"error": {"code": code, "message": msg}}, status_code=status),
        )
    return _upload_page(request, session, principal, status=status, error=msg)


@router.post("/upload")
def upload(
    request: Request, principal: WebUser, session: SessionDep, services: ServicesDep
) -> Response:
    settings = services.settings
    header = web_session.header_token(request)
    if header is not None and not web_session.token_matches(request, header):
        raise web_session.csrf_failed()
    if not can_write(principal):
        raise forbidden(principal, "upload contracts")
    try:
        boundary = check_request(request, settings)
        received = receive_form(
            request_chunks(request),
            boundary,
            services.blobs,
            settings,
            token_ok=lambda token: web_session.token_matches(request, token),
            header_checked=header is not None,
        )
    except ApiError as exc:
        return _upload_error(request, session, principal, exc.status, exc.code, exc.message)
    try:
        stored = accept(
            session,
            received,
            services,
            org_id=principal.org_id,
            user_id=principal.user_id,
            via="web",
        )
    except ApiError as exc:
        return _upload_error(request, session, principal, exc.status, exc.code, exc.message)
    job_url = f"/jobs/{stored.job.id}"
    if is_fetch(request):
        return finish(
            request,
            JSONResponse(
                {
                    "job_id": stored.job.id,
                    "document_id": stored.document.id,
                    "duplicate": stored.duplicate,
                    "job_url": job_url,
                },
                status_code=202,
            ),
        )
    return redirect(request, job_url)


@router.get("/jobs/{job_id}")
def job_page(job_id: str, request: Request, principal: WebUser, session: SessionDep) -> Response:
    job = owned(session, Job, job_id, principal.org_id)
    document = owned(session, Document, job.document_id, principal.org_id)
    contract_url = f"/contracts/{job.contract_id}" if job.contract_id else None
    done = job.status == JobStatus.SUCCEEDED.value and contract_url is not None
    error = None
    if job.status == JobStatus.FAILED.value:
        error = {
            "code": job.error_code or "job.failed",
            "message": job.error_message or "The analysis failed.",
        }
    if wants_json(request):
        return finish(
            request,
            JSONResponse(
                {
                    "status": job.status,
                    "filename": document.filename,
                    "contract_url": contract_url if done else None,
                    "error": error,
                    "attempts": job.attempts,
                }
            ),
        )
    if done and contract_url:
        return redirect(request, contract_url)
    return page(
        request,
        "job.html",
        title="Analysing",
        nav="upload",
        job=job,
        document=document,
        error=error,
    )


# ---- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    contract: Contract
    deadlines: data.ContractDeadlines
    status: str  # upcoming | passed | none
    renegotiation: str


def _deadline_rows(session: Session, org_id: str, today: date) -> list[DeadlineRow]:
    rows = []
    for c in data.all_contracts(session, org_id):
        d = data.deadlines_today(c, today)
        if not d.any:
            status = "none"
        elif (d.notice_deadline and d.notice_deadline < today) or (
            d.term_end and d.term_end < today
        ):
            status = "passed"
        else:
            status = "upcoming"
        rows.append(DeadlineRow(c, d, status, _renegotiation_status(d, today)))

    def key(row: DeadlineRow) -> tuple[int, int]:
        d = row.deadlines
        first = d.notice_deadline or d.renegotiation_start or d.term_end
        if row.status == "upcoming" and first:  # soonest first
            return 0, first.toordinal()
        if row.status == "passed" and first:  # the most recently passed first
            return 1, -first.toordinal()
        return 2, 0

    return sorted(rows, key=key)


@router.get("/deadlines")
def deadlines_page(request: Request, principal: WebUser, session: SessionDep) -> Response:
    today = _today()
    rows = _deadline_rows(session, principal.org_id, today)
    upcoming = [r for r in rows if r.status == "upcoming"]
    items = [
        charts.TimelineItem(
            contract_id=r.contract.id,
            title=r.contract.title or r.contract.payer or "Untitled contract",
            notice=r.deadlines.notice_deadline,
            window=(r.deadlines.renegotiation_start, r.deadlines.renegotiation_end)
            if r.deadlines.renegotiation_start and r.deadlines.renegotiation_end
            else None,
            term_end=r.deadlines.decision_term_end,
            missed=r.deadlines.missed_notice,
        )
        for r in upcoming
    ]
    return page(
        request,
        "deadlines.html",
        title="Deadlines",
        nav="deadlines",
        rows=rows,
        upcoming=upcoming,
        timeline=charts.timeline(items, today) if items else None,
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "(unknown)"


def calendar_events(rows: list[DeadlineRow], base_url: str) -> list[ics.CalendarEvent]:
    events = []
    for row in rows:
        c, d = row.contract, row.deadlines
        name = c.title or "Untitled contract"
        who = f" ({c.payer})" if c.payer else ""
        url = f"{base_url}/contracts/{c.id}"
        if d.notice_deadline:
            notice = f"{c.notice_days} days' " if c.notice_days else ""
            events.append(
                ics.CalendarEvent(
                    uid=ics.uid(c.id, "notice"),
                    start=d.notice_deadline,
                    end=d.notice_deadline,
                    summary=f"Notice deadline: {name}{who}",
                    description=(
                        f"Last day to give {notice}notice of non-renewal of the term ending "
                        f"{_iso(d.decision_term_end)}.\n{url}"
                    ),
                    url=url,
                    alarms_days_before=ics.NOTICE_ALARMS_DAYS,
                    categories=("Notice deadline",),
                )
            )
        if d.renegotiation_start and d.renegotiation_end:
            events.append(
                ics.CalendarEvent(
                    uid=ics.uid(c.id, "renegotiation"),
                    start=d.renegotiation_start,
                    end=d.renegotiation_end,
                    summary=f"Renegotiation window: {name}{who}",
                    description=(
                        "Renegotiation window, 9 to 6 months before the term ending "
                        f"{_iso(d.decision_term_end)}.\n{url}"
                    ),
                    url=url,
                    categories=("Renegotiation window",),
                )
            )
    return events


@router.get("/deadlines.ics")
def deadlines_ics(request: Request, principal: WebUser, session: SessionDep) -> Response:
    rows = _deadline_rows(session, principal.org_id, _today())
    base = str(request.base_url).rstrip("/")
    body = ics.calendar(
        calendar_events(rows, base),
        name="payerlens contract deadlines",
        stamp=datetime.now(UTC),
    )
    response = Response(
        body.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="payerlens-deadlines.ics"'},
    )
    return finish(request, response)


# ---- charts ----------------------------------------------------------------------------------


@router.get("/charts")
def charts_page(request: Request, principal: WebUser, session: SessionDep) -> Response:
    contracts = data.all_contracts(session, principal.org_id)
    counts = data.counts_by_contract(session, principal.org_id, contracts)
    by_category = data.category_severity(session, principal.org_id)
    entries = [(c.payer, list(c.product_lines or []), counts[c.id].open_high) for c in contracts]
    totals = {s: sum(v.get(s, 0) for v in by_category.values()) for s in SEVERITY_ORDER}
    return page(
        request,
        "charts.html",
        title="Charts",
        nav="charts",
        bars=charts.bar_chart(by_category) if by_category else None,
        matrix=charts.matrix(entries) if contracts else None,
        totals=totals,
        contracts=len(contracts),
        open_high=sum(c.open_high for c in counts.values()),
    )
