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

CATEGORIES = (
    "evergreen_renewal",
    "vague_reimbursement",
    "audit_provision",
    "recoupment_offset",
    "termination_without_cause",
    "unilateral_amendment",
    "timely_filing",
    "prompt_payment",
    "lesser_of",
    "most_favored_nation",
    "all_products",
    "network_rental",
    "anti_steering",
    "non_solicitation",
    "claims_editing",
    "retroactive_denial",
    "retroactive_rate_change",
    "rate_escalator",
    "stop_loss_outlier",
    "carve_out",
    "credentialing",
    "dispute_resolution",
    "confidentiality",
    "assignment_change_of_control",
    "hold_harmless",
    "order_of_precedence",
    "payment_method_fees",
    "site_of_service",
    "readmission_policy",
    "never_events_hac",
    "observation_vs_inpatient",
    "value_based_withhold",
    "non_priced_codes",
    "new_services_technology",
    "coordination_of_benefits",
)  # clause_rules/TAXONOMY.md
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
SETTINGS = ("inpatient", "outpatient", "professional")
RATE_NOTES = (
    "by_report",
    "not_covered",
    "not_applicable",
    "per_medicare",
    "individual_consideration",
)

FIELD_NAMES = {
    "evergreen_renewal": ("initial_term_months", "renewal_term_months", "notice_days"),
    "vague_reimbursement": ("basis",),
    "audit_provision": ("lookback_months", "extrapolation", "notice_days"),
    "recoupment_offset": ("lookback_months",),
    "termination_without_cause": ("notice_days",),
    "unilateral_amendment": ("notice_days",),
    "timely_filing": ("days",),
    "prompt_payment": ("days",),
    "rate_escalator": ("percent",),
    "stop_loss_outlier": ("threshold_amount",),
    "carve_out": ("carve_out_type",),
    "credentialing": ("payer_sla_days",),
    "dispute_resolution": ("binding_arbitration",),
    "readmission_policy": ("days",),
    "value_based_withhold": ("percent",),
}
# Core fields per clause_rules/TAXONOMY.md; categories not listed have none. Any finding may
# also carry ``regulatory: true`` (required MA / Medicaid language).
OPTIONAL_FIELDS = ("regulatory",)

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
    description: str | None  # None: the table prints no label (a "phone book")
    methodology: str
    amount: float | None = None
    percent: float | None = None
    percent_of: str | None = None
    unit: str | None = None
    product_line: str | None = None
    modifier: str | None = None
    # prose rates: substring of the clause that states the rate; table rates: the printed text
    # that locates the rate when it is not its whole row (a "phone book" row prices several codes)
    anchor: str | None = None
    setting: str | None = None  # inpatient | outpatient | professional (exhibit heading or text)
    effective_date: str | None = None  # the exhibit's own effective date (ISO), if it states one
    note: str | None = None  # why a row has no amount (RATE_NOTES)


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
    """A table. ``rates`` is aligned with ``rows``: one rate, none, or (a "phone book" row that
    prices several codes side by side) a list of rates, each with an ``anchor``.

    Layouts: a ruled grid (``ruled``), rules under the header only (``ruled=False``), or
    ``whitespace``: monospaced lines with columns aligned by spaces and no lines at all, as a
    schedule printed from a text report. ``wrap`` columns wrap long cells onto further lines of
    the same row (a code-less continuation line in a whitespace table). ``section_rows`` are
    label rows ("Radiology") printed across the table. ``repeat_header=False`` lets a table that
    runs onto another page continue without its header.
    """

    header: list[str]
    rows: list[list[str]]
    col_widths: list[float]  # in points
    rates: list[Rate | list[Rate] | None] = field(default_factory=list)  # aligned with rows
    ruled: bool = True  # full grid vs. header rule only
    align_right: tuple[int, ...] = ()  # column indexes right-aligned (amounts)
    caption: str | None = None
    repeat_header: bool = True
    wrap: tuple[int, ...] = ()  # column indexes whose long cells wrap within the row
    section_rows: tuple[int, ...] = ()  # row indexes printed as a label across the table
    whitespace: bool = False  # monospaced, space-aligned, no ruling lines
    font_size: float | None = None  # default: the body size less one point
    accounting: tuple[int, ...] = ()  # amount columns printed "$" flush left, figure right

    def row_text(self, i: int) -> str:
        return " ".join(c for c in self.rows[i] if c)

    def row_rates(self, i: int) -> list[Rate]:
        r = self.rates[i] if i < len(self.rates) else None
        if r is None:
            return []
        return list(r) if isinstance(r, list) else [r]


@dataclass
class PageBreak:
    """A page break; ``orientation`` ("landscape" / "portrait") turns the pages that follow."""

    orientation: str | None = None


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


@dataclass(frozen=True)
class ScanPlan:
    """Pages of the built PDF to turn into image-only office scans (see ``scan.py``).

    ``start`` / ``end`` are texts printed on the first / last page to scan (None: the first /
    last page of the document); ``rotate`` lists (page, degrees clockwise) for pages that were
    fed into the scanner sideways (90, 270) or upside down (180).
    """

    start: str | None = None
    end: str | None = None
    rotate: tuple[tuple[int, int], ...] = ()
    dpi: int = 200


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
    scan: ScanPlan | None = None  # compensation exhibit pages delivered as a scan
