"""The schema-v1 JSON object as strict pydantic models: every key required, no extra keys."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ProductLine = Literal[
    "commercial_hmo",
    "commercial_ppo",
    "commercial_epo",
    "commercial_pos",
    "medicare_advantage",
    "medicaid_managed_care",
    "exchange",
    "workers_comp",
    "other",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class Source(_Strict):
    path: str
    sha256: str = Field(pattern=r"^([0-9a-f]{64})?$")
    pages: int = Field(ge=0)
    ocr_pages: list[int]
    ocr_confidence: float | None = Field(ge=0, le=100)
    media_type: str


class Contract(_Strict):
    title: str | None
    payer: str | None
    provider: str | None
    effective_date: date | None
    expiration_date: date | None
    initial_term_months: int | None
    product_lines: list[ProductLine]


class Finding(_Strict):
    category: str = Field(pattern=r"^[a-z_]+$")
    severity: Literal["high", "medium", "low"]
    page: int = Field(ge=1)
    section: str | None
    text: str = Field(min_length=1)
    fields: dict[str, Any]
    rule_id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    confidence: float = Field(ge=0, le=1)
    # rules: the model's score for the category (None: no model head); model findings: equal
    # to confidence
    model_score: float | None = Field(ge=0, le=1)
    explanation: str = Field(min_length=1)
    # The body paragraph/table (1-based) of a .docx the finding starts in; null for PDFs.
    paragraph: int | None = Field(ge=1)


class Medicare(_Strict):
    locality: str
    amount: float
    percent_of_medicare: float
    suspicious: bool


class Rate(_Strict):
    code: str | None
    code_type: Literal["CPT", "HCPCS", "REV", "MS-DRG", "APC", "OTHER"] | None
    modifier: str | None
    description: str | None
    methodology: Literal[
        "fee_schedule",
        "percent_of_benchmark",
        "per_diem",
        "case_rate",
        "drg",
        "apc",
        "capitation",
        "conversion_factor",
        "stop_loss",
        "other",
    ]
    amount: float | None
    percent: float | None
    percent_of: (
        Literal["medicare", "medicaid", "billed_charges", "payer_fee_schedule", "other"] | None
    )
    unit: str | None
    product_line: str | None
    setting: str | None
    effective_date: date | None
    note: str | None
    page: int = Field(ge=1)
    section: str | None
    table: int | None
    row: int | None
    bbox: list[float] | None = Field(min_length=4, max_length=4)
    problems: list[str]
    medicare: Medicare | None
    # The body paragraph/table (1-based) of a .docx the row was read from; null for PDFs.
    paragraph: int | None = Field(ge=1)


class Error(_Strict):
    code: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    message: str = Field(min_length=1)


class ResultV1(_Strict):
    schema_version: Literal[1]
    source: Source
    contract: Contract
    findings: list[Finding]
    rates: list[Rate]
    errors: list[Error]
