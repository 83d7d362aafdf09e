"""What goes over the wire: request bodies and responses (the table models never do).

The schema-v1 analysis object is described here too (``AnalysisV1``) for the OpenAPI page; the
route returns the stored object itself, byte for byte what ``payerlens analyze --json`` prints.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.storage.models import JobStatus, ReviewDecision, Role


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable dotted code, e.g. `not_found`, `upload.encrypted`.")
    message: str = Field(description="One sentence for a human.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    runner: str
    version: str


# ---- identity ----------------------------------------------------------------------------


class Me(BaseModel):
    user_id: str
    org_id: str
    org_name: str
    email: str
    name: str | None
    role: Role
    key_id: str
    key_prefix: str


class UserCreate(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    role: Role
    name: str | None = Field(default=None, max_length=200)


class UserUpdate(BaseModel):
    role: Role | None = None
    active: bool | None = None
    name: str | None = Field(default=None, max_length=200)


class UserOut(BaseModel):
    id: str
    email: str
    name: str | None
    role: Role
    active: bool
    created_at: datetime


class UserList(BaseModel):
    items: list[UserOut]


class KeyCreate(BaseModel):
    label: str | None = Field(default=None, max_length=200)


class KeyOut(BaseModel):
    id: str
    user_id: str
    prefix: str = Field(description="The key's first characters, to recognise it; not secret.")
    label: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The full key. Shown once; only its SHA-256 is stored.")


class KeyList(BaseModel):
    items: list[KeyOut]


# ---- documents and jobs ------------------------------------------------------------------


class UploadAccepted(BaseModel):
    job_id: str
    document_id: str
    duplicate: bool = Field(
        description="True when this organisation already had a document with these bytes: "
        "its latest job is returned and no new analysis is started."
    )


class DocumentOut(BaseModel):
    id: str
    contract_id: str | None
    version: int | None
    filename: str
    sha256: str
    size: int
    pages: int | None
    uploaded_by: str | None
    created_at: datetime
    current: bool = Field(description="The document the contract's current analysis read.")


class JobError(BaseModel):
    code: str
    message: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: JobStatus
    document_id: str
    contract_id: str | None
    target_contract_id: str | None
    run_id: str | None
    attempts: int
    max_attempts: int
    error: JobError | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ReanalyzeAccepted(BaseModel):
    job_id: str
    document_id: str
    contract_id: str
    duplicate: bool = Field(
        description="True when a queued or running job for this contract was returned "
        "instead of starting another one."
    )


# ---- contracts ---------------------------------------------------------------------------


class SeverityCounts(BaseModel):
    high: int = 0
    medium: int = 0
    low: int = 0


class ReviewStateCounts(BaseModel):
    open: int = 0
    accept: int = 0
    dismiss: int = 0
    needs_negotiation: int = 0


class FindingCounts(BaseModel):
    total: int = 0
    open_high: int = Field(default=0, description="High-severity findings nobody has reviewed yet.")
    by_severity: SeverityCounts = Field(default_factory=SeverityCounts)
    by_review_state: ReviewStateCounts = Field(default_factory=ReviewStateCounts)


class Deadlines(BaseModel):
    term_end: date | None
    notice_deadline: date | None
    renegotiation_start: date | None
    renegotiation_end: date | None


class ContractSummary(BaseModel):
    id: str
    title: str | None
    payer: str | None
    provider: str | None
    product_lines: list[str]
    effective_date: date | None
    term_end: date | None
    notice_deadline: date | None
    current_document_id: str | None
    findings: FindingCounts
    updated_at: datetime


class ContractList(BaseModel):
    items: list[ContractSummary]
    total: int
    limit: int
    offset: int


class TermSource(BaseModel):
    """Where a key term was read: the finding that states it, with its page and section."""

    term: str
    finding_id: str
    page: int
    section: str | None


class KeyTerms(BaseModel):
    title: str | None
    payer: str | None
    provider: str | None
    product_lines: list[str]
    effective_date: date | None
    expiration_date: date | None
    initial_term_months: int | None
    auto_renews: bool | None
    renewal_term_months: int | None
    notice_days: int | None
    sources: list[TermSource] = Field(
        description="Page references for the renewal terms (auto_renews, renewal_term_months, "
        "notice_days): the evergreen_renewal finding each was read from."
    )


class RunOut(BaseModel):
    id: str
    document_id: str
    status: str
    ruleset_version: str
    model_version: str | None
    extractor_version: str
    created_at: datetime


class ContractDetail(BaseModel):
    id: str
    key_terms: KeyTerms
    deadlines: Deadlines
    documents: list[DocumentOut]
    current_run: RunOut | None
    findings: FindingCounts
    rates: int
    created_at: datetime
    updated_at: datetime


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ReviewState(StrEnum):
    OPEN = "open"
    ACCEPT = "accept"
    DISMISS = "dismiss"
    NEEDS_NEGOTIATION = "needs_negotiation"


class ContractSort(StrEnum):
    UPDATED = "-updated_at"
    NOTICE_DEADLINE = "notice_deadline"
    TERM_END = "term_end"
    PAYER = "payer"


class FindingOut(BaseModel):
    id: str
    contract_id: str
    run_id: str
    category: str
    severity: Severity
    page: int
    section: str | None
    text: str
    fields: dict[str, Any]
    rule_id: str
    confidence: float
    model_score: float | None
    explanation: str
    review_state: ReviewState


class FindingList(BaseModel):
    items: list[FindingOut]
    total: int


class MedicareOut(BaseModel):
    locality: str
    amount: float
    percent_of_medicare: float
    suspicious: bool


class RateOut(BaseModel):
    """A schema-v1 rate row plus its id."""

    model_config = ConfigDict(extra="allow")

    id: str
    code: str | None
    code_type: str | None
    modifier: str | None
    description: str | None
    methodology: str | None
    amount: float | None
    percent: float | None
    percent_of: str | None
    unit: str | None
    product_line: str | None
    setting: str | None
    effective_date: date | None
    note: str | None
    page: int | None
    section: str | None
    table: int | None
    row: int | None
    bbox: list[float] | None
    problems: list[str]
    medicare: MedicareOut | None


class RateList(BaseModel):
    items: list[RateOut]
    total: int


class TextPage(BaseModel):
    page: int
    text: str | None = Field(
        description="The page's text layer, line by line; null on a page "
        "that has none (a scan read by OCR during analysis)."
    )
    ocr: bool = Field(description="The analysis read this page by OCR.")


class ContractText(BaseModel):
    contract_id: str
    document_id: str
    pages: int
    items: list[TextPage]
    limit: int
    offset: int


# ---- reviews and audit -------------------------------------------------------------------


class ReviewCreate(BaseModel):
    decision: ReviewDecision
    comment: str | None = Field(default=None, max_length=5000)


class ReviewOut(BaseModel):
    id: str
    finding_id: str
    contract_id: str
    clause_key: str
    user_id: str
    user_email: str | None
    decision: ReviewDecision
    comment: str | None
    created_at: datetime


class ReviewList(BaseModel):
    items: list[ReviewOut] = Field(
        description="Every review of this clause of the contract, oldest first (reviews carry "
        "over to the same clause in later analyses)."
    )


class AuditEntry(BaseModel):
    id: int
    at: datetime
    user_id: str | None
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]


class AuditList(BaseModel):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int


# ---- schema v1 (documentation of GET /contracts/{id}/analysis) -------------------------------


class _Open(BaseModel):
    # Schema v1 only grows: unknown keys are allowed.
    model_config = ConfigDict(extra="allow")


class SourceV1(_Open):
    path: str
    sha256: str
    pages: int
    ocr_pages: list[int]
    ocr_confidence: float | None
    media_type: str


class ContractV1(_Open):
    title: str | None
    payer: str | None
    provider: str | None
    effective_date: date | None
    expiration_date: date | None
    initial_term_months: int | None
    product_lines: list[str]


class FindingV1(_Open):
    category: str
    severity: Severity
    page: int
    section: str | None
    text: str
    fields: dict[str, Any]
    rule_id: str
    confidence: float
    model_score: float | None
    explanation: str


class RateV1(_Open):
    code: str | None
    code_type: str | None
    modifier: str | None
    description: str | None
    methodology: str | None
    amount: float | None
    percent: float | None
    percent_of: str | None
    unit: str | None
    product_line: str | None
    setting: str | None
    effective_date: date | None
    note: str | None
    page: int | None
    section: str | None
    table: int | None
    row: int | None
    bbox: list[float] | None
    problems: list[str]
    medicare: MedicareOut | None


class ProblemV1(_Open):
    code: str
    message: str


class AnalysisV1(_Open):
    """The schema-v1 object, exactly as ``payerlens analyze --json`` prints it (``source.path``
    is the uploaded file's name)."""

    schema_version: Literal[1]
    source: SourceV1
    contract: ContractV1
    findings: list[FindingV1]
    rates: list[RateV1]
    errors: list[ProblemV1]
