"""Data model of a synthetic contract: blocks to lay out, plus the ground truth they carry.

A contract is a list of blocks. Clause text may mark the passage a finding rests on with
``[[`` and ``]]``; the findings attached to the clause are matched to the markers in order.
Rates written in prose carry an ``anchor`` (a substring of the clause text) so their page can
be found; table rates are anchored on their row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("evergreen_renewal", "vague_reimbursement", "audit_provision", "recoupment_offset")
SEVERITIES = ("high", "medium", "low")
PRODUCT_LINES = (
    "commercial_hmo",
    "commercial_ppo",
    "commercial_epo",
    "commercial_pos",
    "medicare_advantage",
    "medicaid_managed_care",
    "exchange",
    "workers_comp",
    "other",
)
VAGUE_BASES = (
    "payer_fee_schedule",
    "reasonable_and_customary",
    "payer_discretion",
    "benchmark_unspecified",
    "percent_of_charges_default",
    "third_party_vendor_schedule",
)
CODE_TYPES = ("CPT", "HCPCS", "REV", "MS-DRG", "APC", "OTHER")
METHODOLOGIES = (
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
)
PERCENT_OF = ("medicare", "medicaid", "billed_charges", "payer_fee_schedule", "other")
UNITS = ("per_service", "per_diem", "per_case", "per_unit", "pmpm")

FIELD_NAMES = {
    "evergreen_renewal": ("initial_term_months", "renewal_term_months", "notice_days"),
    "vague_reimbursement": ("basis",),
    "audit_provision": ("lookback_months", "extrapolation", "notice_days"),
    "recoupment_offset": ("lookback_months",),
}

_MARK = re.compile(r"\[\[(.*?)\]\]", re.S)


@dataclass(frozen=True)
class Finding:
    """Ground truth for one clause. ``facts`` feed the severity self-check only."""

    category: str
    severity: str
    fields: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Rate:
    code: str | None
    code_type: str | None
    description: str
    methodology: str
    amount: float | None = None
    percent: float | None = None
    percent_of: str | None = None
    unit: str | None = None
    product_line: str | None = None
    modifier: str | None = None
    anchor: str | None = None  # prose rates: substring of the clause that states the rate


@dataclass
class Title:
    text: str
    subtitle: str | None = None


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: article / exhibit heading (centred), 2: sub-heading (left)


@dataclass
class Para:
    """A paragraph: ``label`` and ``caption`` print bold before the text; ``section`` is truth."""

    text: str
    label: str | None = None
    caption: str | None = None
    section: str | None = None
    findings: list[Finding] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    style: str = "body"  # body | indent | center | small | plain

    def clean_text(self) -> str:
        return _MARK.sub(lambda m: m.group(1), self.text)

    def marked_passages(self) -> list[str]:
        return [m.group(1) for m in _MARK.finditer(self.text)]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    col_widths: list[float]  # in points
    rates: list[Rate | None] = field(default_factory=list)  # aligned with rows
    ruled: bool = True  # full grid vs. header rule only
    align_right: tuple[int, ...] = ()  # column indexes right-aligned (amounts)
    caption: str | None = None

    def row_text(self, i: int) -> str:
        return " ".join(c for c in self.rows[i] if c)


@dataclass
class PageBreak:
    pass


@dataclass
class Spacer:
    height: float = 6.0


@dataclass
class Signature:
    parties: list[tuple[str, str]]  # (caption, legal name as printed)
    lead_in: str = (
        "IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date."
    )


Block = Title | Heading | Para | Table | PageBreak | Spacer | Signature


@dataclass
class Running:
    """Running header / footer. ``{page}`` and ``{pages}`` are filled at save time."""

    header_left: str = ""
    header_right: str = ""
    footer_left: str = ""
    footer_center: str = ""
    footer_right: str = ""
    rule: bool = True


@dataclass
class Contract:
    name: str
    title: str
    payer: str | None
    provider: str | None
    effective_date: str
    expiration_date: str | None
    initial_term_months: int | None
    product_lines: list[str]
    blocks: list[Block]
    running: Running
    font: str = "Times-Roman"
    font_size: float = 10.0
    notes: str = ""
