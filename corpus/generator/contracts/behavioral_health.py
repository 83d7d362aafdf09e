"""Behavioral health agreement with benign terms: fixed term, narrow audit, no offset.

Expected: no evergreen_renewal, no recoupment_offset, no vague_reimbursement; one low audit.
"""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    audit,
    carve,
    cred,
    filing,
    finding,
    in_exhibit,
    money,
    prompt_pay,
    rate,
    rng_for,
)
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
                    "[[Provider shall furnish Behavioral Health Services to Members through "
                    "licensed psychiatrists, psychologists, clinical social workers and "
                    "professional counselors who have been credentialed by Plan.]]",
                    findings=[
                        cred(
                            "high",
                            None,
                            retroactive=False,
                            note="Only clinicians Plan has credentialed may serve Members; no "
                            "deadline for Plan and no retroactivity stated.",
                        )
                    ],
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
                Clause(
                    "[[Employee assistance program counseling and applied behavior analysis are "
                    "not Covered Services under this Agreement. Plan administers those benefits "
                    "through separate programs, and services furnished to Members under them are "
                    "governed by the terms of those programs.]]",
                    findings=[carve("medium", "benefit_carve_out")],
                ),
            ],
        ),
        Article("Credentialing", [bp.credentialing(rng)[0]]),
        Article(
            "Compensation",
            [
                Clause(
                    "Plan shall pay Provider the amounts set forth in Schedule A for Covered "
                    "Services, less Member cost-sharing. [[The amounts in Schedule A are fixed "
                    "for the term of this Agreement.]]",
                    findings=[
                        finding(
                            "rate_escalator",
                            "high",
                            {"percent": None},
                            kind="freeze",
                            note="Rates fixed for the two-year term (a freeze, high by "
                            "TAXONOMY.md even in this otherwise benign contract).",
                        )
                    ],
                ),
                Clause(
                    "[[Provider shall submit claims within one hundred twenty (120) days after "
                    "the date of service.]] [[Plan will pay Clean Claims within thirty (30) "
                    "days.]]",
                    findings=[filing("medium", 120), prompt_pay("low", 30)],
                ),
                Clause(
                    "[[Plan shall pay Provider by electronic funds transfer to the account "
                    "Provider designates, without any fee or charge to Provider, and shall not "
                    "pay Provider by virtual credit card.]]",
                    findings=[
                        finding("payment_method_fees", "low", provider_fee_or_card_default=False)
                    ],
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
            "New Services",
            [
                Clause(
                    "[[If Plan adds coverage for a behavioral health service that is not listed "
                    "in Schedule A, or a CPT code for such a service first becomes effective "
                    "after January 1, 2025, the rate for that service shall be agreed by the "
                    "parties and added to Schedule A by a written amendment signed by both "
                    "parties.]]",
                    findings=[finding("new_services_technology", "low", payer_sets=False)],
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
            "Services rendered by a master's-level clinician are paid at the rates above. [[Add-on "
            "codes are paid only when billed with the appropriate primary code.]] Codes shown "
            "with modifier 95 are services furnished by audio-video telehealth, paid at parity "
            "with in-person services.",
            style="small",
            findings=[
                finding(
                    "claims_editing",
                    "low",
                    source="fixed",
                    note="Judgement call: the add-on/primary code pairing rule is a code edit "
                    "written into the schedule (fixed, low).",
                )
            ],
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
        "recoup'."
        " Every TAXONOMY.md category is annotated; benign here means no evergreen, offset or "
        "vague rate, not no findings. Clauses written for the full taxonomy: the EAP/ABA "
        "benefit carve-out in 2 (carve_out, benefit, medium), EFT without fees and no card "
        "payments in 4 (payment_method_fees low) and 7 (new services priced by signed "
        "amendment: new_services_technology low). Findings in existing text: 2 'clinicians "
        "who have been credentialed by Plan' (credentialing high: no deadline, no "
        "retroactivity), 4 'fixed for the term' (rate_escalator freeze, high), 4 filing and "
        "payment windows (two findings in one paragraph), the Schedule A add-on code rule "
        "(judgement call: claims_editing, low, a fixed edit written into the schedule), and "
        "13 amendment on notice for a change in law only (unilateral_amendment low, "
        "regulatory). Traps: 2 follow-up visit within seven days after an inpatient "
        "discharge (not readmission_policy), 2 and Schedule A telehealth paid at parity (not "
        "site_of_service), 5 repayment by check or EFT (the provider paying, not "
        "payment_method_fees), 6 42 C.F.R. Part 2 (member records, not confidentiality), "
        "8 'shall not renew automatically'.",
    )
