"""Behavioral health agreement with benign terms: fixed term, narrow audit, no offset.

Expected: no evergreen_renewal, no recoupment_offset, no vague_reimbursement; one low audit.
"""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import audit, in_exhibit, money, rate, rng_for
from ..draft import Article, Clause, Flat, Terms, render_articles
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "behavioral_health_services_agreement"
PAYER = "Coastal Mutual Health Plan, Inc."
PROVIDER = "Bright Path Counseling Group, LLC"
TITLE = "Behavioral Health Services Agreement"

FEES = [
    ("90791", "Psychiatric diagnostic evaluation", "per evaluation", 168.00),
    ("90832", "Psychotherapy, 30 minutes", "per session", 74.00),
    ("90834", "Psychotherapy, 45 minutes", "per session", 98.50),
    ("90837", "Psychotherapy, 60 minutes", "per session", 144.00),
    ("90839", "Psychotherapy for crisis, first 60 minutes", "per session", 158.00),
    ("90840", "Crisis psychotherapy, each added 30 minutes", "per unit", 74.50),
    ("90846", "Family psychotherapy without patient", "per session", 99.00),
    ("90847", "Family psychotherapy with patient", "per session", 104.00),
    ("90853", "Group psychotherapy", "per member", 33.75),
    ("90834-95", "Psychotherapy, 45 minutes, audio-video telehealth", "per session", 98.50),
    ("90837-95", "Psychotherapy, 60 minutes, audio-video telehealth", "per session", 144.00),
    ("96127", "Brief emotional/behavioral assessment", "per instrument", 5.20),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Member", "Medically Necessary", "Provider Manual"],
        {
            "Behavioral Health Services": (
                "outpatient mental health and substance use disorder "
                "services furnished by licensed clinicians employed by "
                "Provider."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Services",
            [
                Clause(
                    "Provider shall furnish Behavioral Health Services to Members through licensed "
                    "psychiatrists, psychologists, clinical social workers and professional "
                    "counselors who have been credentialed by Plan."
                ),
                Clause(
                    "Provider shall offer an appointment for a routine intake within ten (10) "
                    "business days of a Member's request and shall see a Member who has been "
                    "discharged from inpatient psychiatric care within seven (7) days after "
                    "discharge."
                ),
                Clause(
                    "Services may be furnished by real-time audio-video telehealth when clinically "
                    "appropriate and permitted by law, and shall be paid at the same rates as "
                    "in-person services."
                ),
            ],
        ),
        Article("Credentialing", [bp.credentialing(rng)[0]]),
        Article(
            "Compensation",
            [
                Clause(
                    "Plan shall pay Provider the amounts set forth in Schedule A for Covered "
                    "Services, less Member cost-sharing. The amounts in Schedule A are fixed for "
                    "the term of this Agreement."
                ),
                Clause(
                    "Provider shall submit claims within one hundred twenty (120) days after the "
                    "date of service. Plan will pay Clean Claims within thirty (30) days."
                ),
                *bp.hold_harmless(rng),
            ],
        ),
        Article(
            "Overpayments",
            [
                Clause(
                    "If Plan believes it has overpaid a claim, it shall notify Provider in writing "
                    "and explain the basis for its belief. Plan shall not offset or recoup any "
                    "overpayment against payments for other claims. Any overpayment that is "
                    "finally determined to be owed shall be repaid by Provider within sixty (60) "
                    "days by check or electronic funds transfer."
                ),
            ],
        ),
        Article(
            "Records and Review",
            [
                bp.retention_only(rng),
                Clause(
                    "[[Plan may review Provider's claims and the supporting treatment records for "
                    "claims paid within the twelve months preceding the review request. Plan shall "
                    "give Provider at least thirty days' prior written notice of a review "
                    "and shall not request psychotherapy notes.]] Provider may appeal the findings "
                    "of a review, and Plan shall not seek repayment of any amount until the appeal "
                    "has been finally resolved.",
                    findings=[audit("low", 12, False, 30)],
                ),
                Clause(
                    "Plan and Provider shall comply with 42 C.F.R. Part 2 with respect to records "
                    "of substance use disorder treatment and shall not redisclose such records "
                    "except as that regulation permits."
                ),
            ],
        ),
        Article(
            "Term",
            [
                Clause(
                    "This Agreement shall begin on January 1, 2025 and shall end on December 31, "
                    "2026. This Agreement shall not renew automatically; any extension must be set "
                    "out in a written amendment signed by both parties."
                ),
                Clause(
                    "Either party may terminate this Agreement for material breach upon thirty "
                    "(30) days' written notice if the breach is not cured within that period. "
                    "Provider shall cooperate in transferring the care of Members in treatment to "
                    "other participating providers."
                ),
            ],
        ),
        Article("Disputes", bp.disputes(rng, arbitration=False)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("Miscellaneous", bp.general(rng, "South Carolina")),
    ]


def _schedule_a() -> list:
    rows = [[c, d, u, money(a)] for c, d, u, a in FEES]
    rates = in_exhibit(
        [
            rate(
                c.partition("-")[0],
                "CPT",
                d,
                "fee_schedule",
                amount=a,
                unit="per_unit" if u in ("per unit", "per instrument") else "per_service",
                modifier=c.partition("-")[2] or None,
            )
            for c, d, u, a in FEES
        ],
        setting="outpatient",
        effective_date="2025-01-01",
    )
    return [
        PageBreak(),
        Heading("SCHEDULE A\nOUTPATIENT BEHAVIORAL HEALTH FEE SCHEDULE"),
        Para(
            "Effective January 1, 2025 through December 31, 2026. Applies to Coastal Mutual PPO "
            "and Coastal Mutual EPO.",
            style="center",
        ),
        Table(
            ["CPT", "Service", "Unit", "Rate"],
            rows,
            [50, 250, 90, 78],
            rates=rates,
            align_right=(3,),
        ),
        Para(
            "Services rendered by a master's-level clinician are paid at the rates above. Add-on "
            "codes are paid only when billed with the appropriate primary code. Codes shown "
            "with modifier 95 are services furnished by audio-video telehealth, paid at parity "
            "with in-person services.",
            style="small",
        ),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Plan", "Provider")
    blocks = [
        Title(TITLE),
        Para(
            f'{PAYER} ("Plan") and {PROVIDER} ("Provider") enter into this {TITLE} (the '
            '"Agreement") as of January 1, 2025.'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[2]]
    blocks += render_articles(_articles(rng), Flat(), t)
    blocks.append(Signature([("PLAN:", PAYER), ("PROVIDER:", PROVIDER)]))
    blocks += _schedule_a()
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-01-01",
        expiration_date="2026-12-31",
        initial_term_months=24,
        product_lines=["commercial_ppo", "commercial_epo"],
        blocks=blocks,
        running=Running(
            header_right="Coastal Mutual Health Plan | Behavioral Health Services Agreement",
            footer_right="Page {page} of {pages}",
            footer_left="Confidential and Proprietary",
        ),
        font="Helvetica",
        font_size=10,
        notes="Benign contract: fixed two-year term that expires ('shall not renew "
        "automatically'), narrow 12-month audit with 30 days' notice and appeal before "
        "repayment (low), and an express no-offset clause. Expected: no evergreen_renewal, "
        "no recoupment_offset, no vague_reimbursement. Numbering is flat ('7. Term.'); "
        "paragraphs that follow a numbered paragraph belong to it. Traps: recredentialing, "
        "insurance renewal, retention-only records clause, 'Plan shall not offset or "
        "recoup'.",
    )
