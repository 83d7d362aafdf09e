"""Skilled nursing facility agreement with the party names redacted (payer/provider null)."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    UNPRICED,
    amendment,
    audit,
    carve,
    evergreen,
    finding,
    in_exhibit,
    money,
    rate,
    recoup,
    rng_for,
    vague,
    without_cause,
)
from ..draft import Article, Clause, PlainNumbers, SectionSign, Terms, render_articles, resolve_refs
from ..model import (
    Contract,
    Heading,
    PageBreak,
    Para,
    Running,
    ScanPlan,
    Signature,
    Table,
    Title,
)

NAME = "redacted_skilled_nursing_facility_agreement"
TITLE = "Skilled Nursing Facility Participation Agreement"
R = "[REDACTED]"

EFFECTIVE = "2024-04-01"  # Schedule 1's effective date (its heading)
PRODUCTS = (("Commercial\nHMO", "commercial_hmo"), ("Medicare\nAdvantage", "medicare_advantage"))

# (revenue code, level, description, per diem for commercial HMO and for Medicare Advantage:
#  an amount or an unpriced cell as printed)
LEVELS = [
    ("0191", "Level I", "Skilled nursing, routine", (545.00, 520.00)),
    ("0192", "Level II", "Skilled rehabilitation, moderate", (690.00, 655.00)),
    ("0193", "Level III", "Complex medical or rehabilitation", (865.00, 830.00)),
    ("0194", "Level IV", "Medically complex, including IV therapy", (1040.00, 985.00)),
    ("0180", "", "Leave of absence and bed-hold days", ("Not covered", "Not covered")),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Member", "Medically Necessary", "Provider Manual"],
        {
            "Level of Care": (
                "the classification of a Member's skilled nursing needs, assigned by "
                "Health Plan at authorization and at each concurrent review, that "
                "determines the per diem rate payable."
            ),
            "SNF Services": (
                "skilled nursing, rehabilitation therapy, room and board, routine supplies "
                "and pharmacy services furnished by Facility to an inpatient Member."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Facility Obligations",
            [
                Clause(
                    "Facility shall furnish SNF Services to Members upon Health Plan's "
                    "authorization. Health Plan shall respond to a complete request for admission "
                    "within twenty-four (24) hours, including weekends and holidays."
                ),
                Clause(
                    "Facility shall maintain its state license as a skilled nursing facility and "
                    "its certification under Medicare and Medicaid, and shall renew each license "
                    "and certification when due."
                ),
                Clause(
                    "Facility shall submit clinical information for concurrent review at the "
                    "intervals Health Plan specifies, not more often than once every seven (7) "
                    "days, and shall participate in discharge planning beginning on the day of "
                    "admission."
                ),
                *bp.compliance(rng),
                Clause(
                    "[[Facility shall participate in every commercial and Medicare Advantage "
                    "product that Health Plan or its affiliates offer now or later, at the rates "
                    "in Schedule 1 unless Health Plan designates other rates.]] [[Health Plan's "
                    "affiliates may use the rates and terms of this Agreement for their own "
                    "Members.]]",
                    "Products; Affiliates",
                    findings=[
                        finding("all_products", "high", future_binding_no_opt_out=True),
                        finding("network_rental", "medium", rental=False),
                    ],
                ),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[This Agreement takes effect on April 1, 2024 and has an initial term of one "
                    "(1) year. Upon expiration of the initial term, this Agreement shall "
                    "automatically renew for additional terms of one (1) year each unless either "
                    "party notifies the other in writing at least three (3) months before the end "
                    "of the then-current term of its intention not to renew.]]",
                    key="term",
                    findings=[
                        evergreen(
                            "medium",
                            12,
                            12,
                            None,
                            note="Non-renewal notice is stated in months (three "
                            "months), so notice_days is null.",
                        )
                    ],
                ),
                Clause(
                    "[[Either party may terminate this Agreement without cause upon one hundred "
                    "twenty (120) days' written notice.]] Health Plan may terminate this Agreement "
                    "immediately if Facility's license or certification is suspended or revoked.",
                    findings=[without_cause("medium", 120, payer_may=True)],
                ),
                Clause(
                    "Upon termination, Facility shall continue to furnish SNF Services to Members "
                    "who are inpatients on the termination date until they are safely discharged "
                    "or transferred, at the rates in effect on that date."
                ),
            ],
        ),
        Article(
            "Payment",
            [
                *bp.claims_submission(rng, "ninety (90) days", "thirty (30) days"),
                Clause(
                    "Health Plan shall pay Facility the per diem rates in Schedule 1 for each "
                    "authorized day at the authorized Level of Care. The day of discharge is not "
                    "payable."
                ),
                Clause(
                    "[[An authorization, and the Level of Care assigned with it, does not "
                    "guarantee payment; Health Plan may review authorized days after discharge and "
                    "deny or reduce payment for days it finds were not Medically Necessary or were "
                    "furnished at a lower Level of Care.]]",
                    "Authorized Days",
                    findings=[finding("retroactive_denial", "high", post_service_necessity=True)],
                ),
                Clause(
                    "[[Health Plan may offset any overpayment, and any other amount Facility owes "
                    "to Health Plan, against amounts payable to Facility under this Agreement or "
                    "under any other agreement between Health Plan and Facility or any of "
                    "Facility's affiliates.]] Health Plan will give Facility fifteen (15) days' "
                    "written notice before the first such offset.",
                    findings=[recoup("high", None, cross=True, prior_notice=True)],
                ),
                *bp.hold_harmless(rng),
            ],
        ),
        Article(
            "Audit",
            [
                Clause(
                    "[[Health Plan may audit Facility's clinical and billing records, including "
                    "minimum data set assessments and therapy logs, at any time during the term "
                    "and for three (3) years after payment of the audited claim, and may recover "
                    "any amount that the audit shows was not supported by the records.]] Facility "
                    "shall produce requested records within fourteen (14) days.",
                    findings=[audit("high", 36, False, None)],
                ),
                bp.retention_only(rng),
            ],
        ),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Insurance", bp.insurance(rng)),
        Article(
            "General",
            [
                *bp.assignment(rng),
                Clause(
                    "[[Facility shall give Health Plan sixty (60) days' notice of any change in "
                    "its ownership or operator, and Health Plan may terminate this Agreement as of "
                    "the date of the change.]]",
                    "Change of Ownership",
                    findings=[
                        finding("assignment_change_of_control", "high", control_trigger=True)
                    ],
                ),
                *bp.general(rng, R),
                Clause(
                    "[[Health Plan may revise the Provider Manual and its payment policies by "
                    "posting them on its website thirty (30) days before they take effect.]] [[If "
                    "this Agreement conflicts with the Provider Manual or a payment policy, the "
                    "Provider Manual or policy governs.]]",
                    "Provider Manual; Precedence",
                    findings=[
                        amendment("high", 30, "manual", manual_prevails=True),
                        finding("order_of_precedence", "high", manual_prevails=True),
                    ],
                ),
            ],
        ),
    ]


def _schedule_1(refs: dict) -> list:
    t = Terms("Health Plan", "Facility")
    rows, rates = [], []
    for code, lvl, desc, prices in LEVELS:
        rows.append([code, lvl, desc] + [x if isinstance(x, str) else money(x) for x in prices])
        rates.append(
            [
                rate(
                    code,
                    "REV",
                    f"{lvl}: {desc}" if lvl else desc,
                    "per_diem",
                    amount=None if isinstance(x, str) else x,
                    unit="per_diem",
                    product_line=line,
                    note=UNPRICED[x] if isinstance(x, str) else None,
                )
                for x, (_, line) in zip(prices, PRODUCTS, strict=True)
            ]
        )
    rates = in_exhibit(rates, setting="inpatient", effective_date=EFFECTIVE)
    arts = [
        Article(
            "",
            [
                Clause(
                    "The following per diem rates apply to Members enrolled in Health Plan's "
                    "commercial HMO and Medicare Advantage products, at the rate in the column "
                    "for the Member's product. The per diem includes all SNF Services except "
                    "those listed in paragraph 3."
                ),
                Table(
                    ["Rev. Code", "Level of Care", "Description"]
                    + [f"{h}\nPer Diem" for h, _ in PRODUCTS],
                    rows,
                    [52, 66, 190, 76, 84],
                    rates=rates,
                    align_right=(3, 4),
                ),
                Clause(
                    "[[A ventilator care add-on of three hundred ninety-five dollars ($395.00) per "
                    "day is payable in addition to the Level IV per diem for each authorized day "
                    "on which the Member requires mechanical ventilation.]]",
                    findings=[carve("low", "rate_carve_out")],
                    rates=[
                        rate(
                            None,
                            None,
                            "Ventilator care add-on to Level IV",
                            "per_diem",
                            amount=395.0,
                            unit="per_diem",
                            setting="inpatient",
                            effective_date=EFFECTIVE,
                            anchor="three hundred ninety-five dollars ($395.00) per day",
                        )
                    ],
                ),
                Clause(
                    "[[Ancillary services that are not included in the per diem and are not listed "
                    "in this Schedule 1]] [[shall be reimbursed as determined by Health Plan in "
                    "its sole discretion.]]",
                    findings=[
                        finding("non_priced_codes", "medium", payer_sets=True),
                        vague("high", "payer_discretion"),
                    ],
                ),
                Clause(
                    "[[The per diem rates in this Schedule 1 shall remain fixed during each "
                    "renewal term under \u00a7 <<term>>.]] [[No inflation or market basket "
                    "adjustment applies to them during the initial term or any renewal term.]]",
                    findings=[
                        evergreen("high", 12, 12, None, rates_frozen=True),
                        finding("rate_escalator", "high", {"percent": None}, kind="freeze"),
                    ],
                ),
                Clause(
                    "[[Facility represents that these per diem rates are no higher than the rates "
                    "Facility accepts from any other health plan for comparable levels of care. If "
                    "Facility agrees to lower rates with another health plan, Facility shall so "
                    "notify Health Plan within thirty (30) days and the rates in this Schedule 1 "
                    "shall be reduced to the same level.]]",
                    findings=[finding("most_favored_nation", "high")],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading(
            "SCHEDULE 1\nSKILLED NURSING FACILITY INPATIENT PER DIEM RATES\n"
            "Commercial HMO and Medicare Advantage \u2014 effective April 1, 2024"
        ),
        *render_articles(arts, PlainNumbers(), t, refs=refs),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Health Plan", "Facility")
    refs: dict[str, str] = {}
    blocks = [
        Title(TITLE),
        Para(
            f'This {TITLE} ("Agreement") is entered into by and between {R}, a {R} corporation '
            f'("Health Plan"), and {R}, a licensed skilled nursing facility located at {R} '
            '("Facility"), effective April 1, 2024.'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[0]]
    blocks += render_articles(_articles(rng), SectionSign(), t, refs=refs)
    blocks.append(Signature([("HEALTH PLAN", R), ("FACILITY", R)]))
    blocks += _schedule_1(refs)
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=None,
        provider=None,
        effective_date="2024-04-01",
        expiration_date="2025-03-31",
        initial_term_months=12,
        product_lines=["commercial_hmo", "medicare_advantage"],
        blocks=blocks,
        running=Running(
            header_left=TITLE,
            header_right=f"Contract No. {R}",
            footer_left="REDACTED COPY",
            footer_right="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes="Redacted copy: party names, state of incorporation, address and governing-law "
        "state are replaced by [REDACTED]; payer and provider are null. Sections are printed "
        "with a section sign ('\u00a7 4.1'). The renewal notice is 'three (3) months' "
        "(notice_days null, medium). The recoupment clause gives 15 days' notice but reaches "
        "other agreements and affiliates (high). Per diem rows are revenue codes 0191-0194, "
        "one per product column (commercial HMO, Medicare Advantage); leave-of-absence days "
        "(0180) are 'Not covered' (null amount, note). Schedule 1 is a scan, and its page "
        "went through the scanner upside down (rotated 180 degrees); its findings and rates "
        "are on that image-only page. Other categories: 2.5 (every current and future product at "
        "Schedule 1 rates, no opt-out: all_products high; affiliates may use the rates: "
        "network_rental medium, no leasing to other networks), 4.2 (either party without cause on "
        "120 days: medium), 5.4 (authorization no guarantee, post-discharge necessity and "
        "level-of-care review: retroactive_denial high), 10.2 (Health Plan may terminate on a "
        "change of ownership: assignment_change_of_control high), 10.11 (manual and payment "
        "policies revised by website posting on 30 days; the manual prevails: "
        "unilateral_amendment high and order_of_precedence high, one sentence each). Schedule 1: "
        "2 ventilator add-on paid outside the per diem (rate carve_out, low); 3 is one sentence "
        "with two findings, split at its clause boundary (non_priced_codes medium / "
        "vague_reimbursement); 4 adds 'no inflation or market basket adjustment' (rate_escalator "
        "freeze, high) after the evergreen rate freeze; 5 MFN (high). Traps: 4.3 care of "
        "inpatients after termination and the 'immediately if licence suspended' sentence of 4.2 "
        "are not findings; 2.1 (24-hour authorization response) is not retroactive_denial; "
        "Schedule 1 paragraph 1 only cross-refers to paragraph 3 (not a carve_out); 10.4 "
        "(amendment only by a signed writing) is not unilateral_amendment.",
        scan=ScanPlan(
            start="SKILLED NURSING FACILITY INPATIENT PER DIEM RATES", rotate=((5, 180),)
        ),
    )
