"""Independent clinical laboratory agreement: indefinite term, unnumbered ALL-CAPS headings."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import audit, evergreen, money, rate, recoup, rng_for, vague
from ..draft import Article, CapsUnnumbered, Clause, Terms, Unnumbered, render_articles
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "independent_clinical_laboratory_agreement"
PAYER = "Tri-River Health Partners, Inc."
PROVIDER = "Apex Diagnostic Laboratories, Inc."
TITLE = "Laboratory Services Agreement"

LAB_FEES = [
    ("80048", "", "Basic metabolic panel", 8.90),
    ("80053", "", "Comprehensive metabolic panel", 11.20),
    ("80061", "", "Lipid panel", 13.75),
    ("82306", "", "Vitamin D, 25-hydroxy", 29.50),
    ("83036", "", "Hemoglobin A1c", 10.05),
    ("84443", "", "Thyroid stimulating hormone", 17.40),
    ("85025", "", "Complete blood count, automated, with differential", 8.10),
    ("81001", "", "Urinalysis, automated, with microscopy", 3.40),
    ("87086", "", "Urine culture, colony count", 8.60),
    ("87491", "", "Chlamydia, amplified probe", 26.10),
    ("88305", "26", "Surgical pathology, level IV, professional", 38.20),
    ("88305", "TC", "Surgical pathology, level IV, technical", 31.40),
    ("36415", "", "Venipuncture, routine", 3.00),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Member", "Coverage Agreement"],
        {
            "Laboratory Services": (
                "clinical laboratory and anatomic pathology testing performed by "
                "Laboratory upon the order of a licensed practitioner, including "
                "specimen collection at Laboratory's patient service centers."
            ),
            "Patient Service Center": (
                "a location operated by Laboratory at which specimens are "
                "collected from patients, as listed on Laboratory's website."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Laboratory Services",
            [
                Clause(
                    "Laboratory shall perform Laboratory Services for Members upon the order of a "
                    "licensed practitioner and shall report results to the ordering practitioner "
                    "within the turnaround times published in Laboratory's test directory.",
                    "Services",
                ),
                Clause(
                    "Laboratory shall hold a valid certificate under the Clinical Laboratory "
                    "Improvement Amendments of 1988 for every test it performs, shall renew each "
                    "certificate before its expiration, and shall maintain accreditation by the "
                    "College of American Pathologists.",
                    "CLIA Certification",
                ),
                Clause(
                    "Laboratory shall operate at least twelve (12) Patient Service Centers within "
                    "the service area and shall offer courier pickup of specimens from the offices "
                    "of participating physicians.",
                    "Access",
                ),
            ],
        ),
        Article(
            "Billing and Payment",
            [
                *bp.claims_submission(
                    rng, "three hundred sixty-five (365) days", "thirty (30) days"
                ),
                Clause(
                    "Health Plan shall pay Laboratory for Covered Services in accordance with "
                    "Schedule 1, less any Member cost-sharing, and Laboratory shall accept that "
                    "amount as payment in full.",
                    "Compensation",
                ),
                Clause(
                    "[[Health Plan may recoup an overpayment from future claim payments to "
                    "Laboratory after giving Laboratory thirty (30) days' written notice of the "
                    "overpayment. No recoupment shall be made more than twenty-four (24) months "
                    "after the date the claim was paid.]] Health Plan shall not offset any amount "
                    "against payments due to Laboratory under any other "
                    "agreement.",
                    "Overpayment Recovery",
                    findings=[recoup("medium", 24, prior_notice=True)],
                ),
                *bp.hold_harmless(rng),
            ],
        ),
        Article(
            "Records and Audit",
            [
                Clause(
                    "[[Health Plan may audit Laboratory's claims for Laboratory Services paid "
                    "within the twelve (12) months preceding the audit, upon at least thirty (30) "
                    "days' prior written notice. Laboratory may appeal any audit finding through "
                    "the dispute process below before any recovery is made.]]",
                    "Claims Audit",
                    findings=[audit("low", 12, False, 30)],
                ),
                bp.retention_only(rng),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[This Agreement shall become effective on the Effective Date and shall "
                    "continue in full force and effect until terminated as provided in this "
                    "Agreement. Either party may terminate this Agreement without cause at any "
                    "time by giving the other party not less than ninety (90) days' advance "
                    "written notice.]]",
                    "Term",
                    findings=[
                        evergreen(
                            "low",
                            None,
                            None,
                            90,
                            indefinite=True,
                            without_cause_days=90,
                            note="Indefinite term; either party may end it on 90 days' notice.",
                        )
                    ],
                ),
                Clause(
                    "Health Plan may terminate this Agreement immediately if Laboratory's CLIA "
                    "certificate or state license is revoked or "
                    "suspended.",
                    "Immediate Termination",
                ),
            ],
        ),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("General Terms", bp.general(rng, "Ohio")),
    ]


def _schedule() -> list:
    t = Terms("Health Plan", "Laboratory")
    rows = [[c, m, d, money(a)] for c, m, d, a in LAB_FEES]
    rates = [
        rate(c, "CPT", d, "fee_schedule", amount=a, unit="per_service", modifier=m or None)
        for c, m, d, a in LAB_FEES
    ]
    arts = [
        Article(
            "",
            [
                Clause(
                    "Laboratory Services identified in the table below shall be paid the amount "
                    "shown. These amounts apply to Members enrolled in all products listed in this "
                    "Schedule."
                ),
                Table(
                    ["CPT", "Mod", "Test", "Rate"],
                    rows,
                    [55, 40, 285, 88],
                    rates=rates,
                    ruled=False,
                    align_right=(3,),
                ),
                Clause(
                    "Clinical laboratory tests that are not listed above and that are priced on "
                    "the Medicare Clinical Laboratory Fee Schedule shall be reimbursed at "
                    "eighty-five percent (85%) of the national limitation amount on the Clinical "
                    "Laboratory Fee Schedule for the calendar year in which the test is performed.",
                    rates=[
                        rate(
                            None,
                            "CPT",
                            "Unlisted tests priced on the Medicare CLFS",
                            "percent_of_benchmark",
                            percent=85.0,
                            percent_of="medicare",
                            unit="per_service",
                            anchor="eighty-five percent (85%) of the national limitation amount",
                        )
                    ],
                ),
                Clause(
                    "[[Molecular pathology and genetic tests shall be reimbursed in accordance "
                    "with the fee schedule maintained by Health Plan's laboratory benefit "
                    "management vendor, currently Helixa Benefit Solutions, LLC.]] Prior "
                    "authorization from the vendor is required for such tests.",
                    findings=[vague("medium", "third_party_vendor_schedule")],
                ),
                Clause(
                    "[[Tests for which neither this Schedule nor the Clinical Laboratory Fee "
                    "Schedule establishes a rate shall be paid at the usual, customary and "
                    "reasonable charge for the test in the geographic area, as determined by "
                    "Health Plan.]]",
                    findings=[vague("medium", "reasonable_and_customary")],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("SCHEDULE 1\nLABORATORY FEE SCHEDULE"),
        Para(
            "Products: Tri-River Advantage HMO, Tri-River PPO and Tri-River Individual (Exchange).",
            style="center",
        ),
        *render_articles(arts, Unnumbered(), t),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Health Plan", "Laboratory")
    blocks = [
        Title(TITLE),
        Para(
            f'This {TITLE} is made as of October 1, 2024 (the "Effective Date"), between '
            f"{PAYER}, an Ohio corporation (together with its affiliated health maintenance "
            f'organization, "Health Plan"), and {PROVIDER}, a Delaware corporation '
            '("Laboratory").'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[0]]
    blocks += render_articles(_articles(rng), CapsUnnumbered(), t)
    blocks.append(Signature([("HEALTH PLAN", PAYER), ("LABORATORY", PROVIDER)]))
    blocks += _schedule()
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2024-10-01",
        expiration_date=None,
        initial_term_months=None,
        product_lines=["commercial_hmo", "commercial_ppo", "exchange"],
        blocks=blocks,
        running=Running(
            header_left="TRI-RIVER HEALTH PARTNERS - LABORATORY SERVICES AGREEMENT",
            footer_center="Page {page} of {pages}",
            footer_right="Confidential",
        ),
        font="Helvetica",
        font_size=9.5,
        notes="Indefinite term (no initial term, no expiration date): evergreen with "
        "renewal_term_months null, low because either party may end it on 90 days' notice. "
        "Headings are unnumbered ALL CAPS, so every section is null. The fee table is a "
        "header-rule-only (unruled) layout. Traps: CLIA certificate renewal; 'shall not "
        "offset ... under any other agreement' is a mitigant inside the recoupment clause. "
        "Helixa Benefit Solutions is a fictitious vendor.",
    )
