"""A long, mostly-text payer contract for memory and speed tests.

    from corpus.generator.long_contract import build_long_contract
    build_long_contract(Path("big.pdf"), pages=300)

or ``python -m corpus.generator.long_contract big.pdf --pages 300``.

The document is a master provider agreement whose articles repeat with varied wording (seeded,
so the output is deterministic), with a ruled fee-schedule table every few articles. Layout
stops once the requested page is reasonably full, so the PDF normally has exactly ``pages``
pages (never fewer). No ground truth is written for it.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus.doctemplate import ActionFlowable

from . import boilerplate as bp
from .draft import Article, ArticleDecimal, Clause, Terms, render_articles
from .layout import contract_to_flowables, render
from .model import Contract, Heading, Para, Running, Table, Title

TITLE = "Master Provider Services Agreement"
_TERMS = [
    Terms("Plan", "Provider"),
    Terms("Company", "Group"),
    Terms("Payer", "Facility"),
    Terms("Health Plan", "Hospital"),
]

# Category-bearing clause wordings, so a long document exercises the rules as real ones do.
_RISK_CLAUSES = [
    (
        "Renewal",
        "This Agreement shall renew automatically for successive terms of one (1) year "
        "each unless either party gives written notice of non-renewal at least ninety "
        "(90) days before the end of the then-current term.",
    ),
    (
        "Continuation",
        "This Agreement shall continue in effect from year to year until terminated "
        "by either party upon not less than one hundred twenty (120) days' prior "
        "written notice.",
    ),
    (
        "Post-Payment Review",
        "{P} may conduct post-payment reviews of claims paid within the "
        "preceding twenty-four (24) months and may recover any amount found "
        "to have been overpaid.",
    ),
    (
        "Sampling",
        "{P} may use statistically valid sampling and extrapolate the results of an "
        "audit to the universe of claims paid during the audit period.",
    ),
    (
        "Offset",
        "{P} may recover any overpayment by deducting it from subsequent payments due to "
        "{V} after thirty (30) days' written notice.",
    ),
    (
        "Unlisted Services",
        "Services for which no rate is listed shall be paid at {Ps} then-current "
        "fee schedule, as revised from time to time.",
    ),
    (
        "Default Rate",
        "Covered Services not otherwise described in this Agreement shall be "
        "reimbursed at forty percent (40%) of billed charges.",
    ),
    (
        "Records",
        "{V} shall retain records relating to services furnished to {M} for ten (10) years.",
    ),
]

_PRODUCTS = [
    "Commercial HMO",
    "Commercial PPO",
    "Commercial EPO",
    "Commercial POS",
    "Medicare Advantage",
    "Medicaid Managed Care",
    "Individual Exchange",
]

_FEE_CODES = [
    ("99202", "New patient visit, straightforward", 88.10),
    ("99203", "New patient visit, low complexity", 136.40),
    ("99204", "New patient visit, moderate complexity", 204.75),
    ("99205", "New patient visit, high complexity", 270.20),
    ("99211", "Established patient visit, minimal", 27.15),
    ("99212", "Established patient visit, straightforward", 70.60),
    ("99213", "Established patient visit, low complexity", 104.95),
    ("99214", "Established patient visit, moderate complexity", 149.30),
    ("99215", "Established patient visit, high complexity", 210.85),
    ("93000", "Electrocardiogram with interpretation", 20.95),
    ("71046", "Chest x-ray, two views", 43.10),
    ("36415", "Routine venipuncture", 3.60),
    ("80053", "Comprehensive metabolic panel", 11.45),
    ("85025", "Complete blood count with differential", 8.35),
    ("90471", "Immunization administration", 24.20),
    ("J1885", "Ketorolac injection, per 15 mg", 0.49),
    ("20610", "Arthrocentesis, major joint", 76.80),
    ("11102", "Tangential skin biopsy", 114.60),
    ("97110", "Therapeutic exercise, each 15 minutes", 31.90),
    ("97140", "Manual therapy, each 15 minutes", 28.75),
]


def _fee_table(rng: random.Random, schedule_no: int) -> Table:
    factor = 0.9 + rng.random() * 0.5
    rows = [[code, desc, f"${amount * factor:,.2f}"] for code, desc, amount in _FEE_CODES]
    return Table(
        ["Code", "Description", "Allowable"],
        rows,
        [80, 280, 108],
        align_right=(2,),
        caption=f"Fee Schedule {schedule_no}",
    )


def _article_pool(rng: random.Random, t: Terms) -> Sequence[Article]:
    """A handful of articles, drawn from the boilerplate library with varied wording."""
    risk = [Clause(text, caption) for caption, text in rng.sample(_RISK_CLAUSES, 3)]
    defs = bp.definitions(rng, sorted(bp.DEFINITIONS))
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article("Participation", bp.compliance(rng) + bp.credentialing(rng) + bp.insurance(rng)),
        Article(
            "Claims and Payment",
            bp.claims_submission(rng, "ninety (90) days", "thirty (30) days")
            + bp.cob(rng)
            + bp.hold_harmless(rng)
            + risk[:1],
        ),
        Article(
            "Records and Audits", [bp.retention_only(rng), bp.payer_financial_audit(rng), *risk[1:]]
        ),
        Article("Confidentiality and Disputes", bp.confidentiality(rng) + bp.disputes(rng)),
        Article("General Provisions", bp.assignment(rng) + bp.general(rng, "Minnesota")),
    ]


def _blocks(pages: int, seed: int, tables: bool = True) -> list:
    rng = random.Random(seed)
    blocks: list = [
        Title(TITLE, "Synthetic long-form test document"),
        Para(
            'This Master Provider Services Agreement (the "Agreement") is entered into as of '
            'January 1, 2025 by and between North Star Regional Health Plan, Inc. ("Plan") and '
            'Lakeland Integrated Care Network, LLC ("Provider").'
        ),
    ]
    # The agreement is a bundle of attachments (one per product and region), each restating the
    # standard articles with varied wording and carrying its own fee schedule. An attachment
    # fills about 3.3 pages; one is generated per two pages asked for, and layout stops at the
    # target page.
    for k in range(1, pages // 2 + 4):
        t = _TERMS[rng.randrange(len(_TERMS))]
        product = _PRODUCTS[rng.randrange(len(_PRODUCTS))]
        blocks.append(Heading(f"ATTACHMENT {k}\n{product.upper()} TERMS - SERVICE REGION {k}"))
        blocks += render_articles(_article_pool(rng, t), ArticleDecimal(), t)
        if tables:
            blocks.append(_fee_table(rng, k))
    return blocks


def build_long_contract(
    path: Path, pages: int = 300, seed: int = 7, *, tables: bool = True
) -> None:
    """Write a realistic text-heavy contract of at least (normally exactly) ``pages`` pages;
    ``tables=False`` leaves out the fee-schedule tables (text-only pages, for benchmarks)."""
    if pages < 1:
        raise ValueError("pages must be >= 1")
    contract = Contract(
        name="long_contract",
        title=TITLE,
        payer=None,
        provider=None,
        effective_date="2025-01-01",
        expiration_date=None,
        initial_term_months=None,
        product_lines=[],
        blocks=_blocks(pages, seed, tables),
        running=Running(
            header_left=TITLE,
            header_right="Form MPSA-LONG",
            footer_left="Confidential and Proprietary",
            footer_right="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=10,
    )
    flowables = contract_to_flowables(contract)

    def stop_when_full(doc, flowable) -> None:
        # Ends the build on the target page once it is mostly filled (or if a large
        # flowable has already pushed past it); the page count is never below ``pages``.
        # Actions (a page beginning) are skipped: reportlab runs those from a queue of its
        # own, between two reads of the list emptied here, and between pages there is no
        # frame to measure.
        if isinstance(flowable, ActionFlowable):
            return
        full = doc.page == pages and doc.frame._y - doc.frame._y1 < 180
        if full or doc.page > pages:
            del flowables[:]

    pdf, made = render(flowables, contract.running, contract.font, TITLE, after=stop_when_full)
    if made < pages:  # pragma: no cover - content is generated with a wide margin
        raise RuntimeError(f"only {made} pages produced for {pages} requested")
    Path(path).write_bytes(pdf)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a long synthetic payer contract PDF.")
    ap.add_argument("path", type=Path)
    ap.add_argument("--pages", type=int, default=300)
    args = ap.parse_args(argv)
    build_long_contract(args.path, args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
