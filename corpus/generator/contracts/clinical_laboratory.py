"""Independent clinical laboratory agreement: indefinite term, unnumbered ALL-CAPS headings."""

from __future__ import annotations

import random
import re

from .. import boilerplate as bp
from ..common import (
    UNPRICED,
    also,
    audit,
    carve,
    evergreen,
    finding,
    in_exhibit,
    rate,
    recoup,
    rng_for,
    vague,
    without_cause,
)
from ..draft import Article, CapsUnnumbered, Clause, Terms, Unnumbered, render_articles
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "independent_clinical_laboratory_agreement"
PAYER = "Tri-River Health Partners, Inc."
PROVIDER = "Apex Diagnostic Laboratories, Inc."
TITLE = "Laboratory Services Agreement"

# Part A: routine clinical laboratory tests, printed as a "phone book" (code | fee, three pairs
# to a line, in code order down each column). (code, fee)
PART_A_DATE = "2024-10-01"
PART_A = [
    ("36415", 3.00),
    ("80048", 8.90),
    ("80051", 7.40),
    ("80053", 11.20),
    ("80055", 46.30),
    ("80061", 13.75),
    ("80069", 9.10),
    ("80074", 47.80),
    ("80076", 8.60),
    ("81001", 3.40),
    ("81003", 2.25),
    ("82043", 5.80),
    ("82306", 29.50),
    ("82570", 5.55),
    ("82607", 15.40),
    ("82728", 14.25),
    ("82947", 3.90),
    ("83036", 10.05),
    ("83540", 6.60),
    ("83550", 8.90),
    ("84153", 18.40),
    ("84439", 9.30),
    ("84443", 17.40),
    ("84550", 4.70),
    ("85025", 8.10),
    ("85027", 6.75),
    ("85610", 4.00),
    ("85652", 2.95),
    ("86140", 5.30),
    ("86803", 14.10),
    ("86850", 11.50),
    ("87086", 8.60),
    ("87088", 8.70),
    ("87491", 26.10),
    ("87591", 26.10),
    ("87624", 33.20),
]

# Part B: pathology and molecular tests, printed from the plan's fee schedule report in
# Courier, columns aligned by spaces, amounts as the report prints them (no "$", no trailing
# zeros). A str is a section line; otherwise (code as printed, description, amount as printed)
PART_B_DATE = "2025-01-01"
PART_B = [
    "ANATOMIC PATHOLOGY",
    ("88300", "Surgical pathology, gross examination only", "12.7"),
    ("88304-26", "Surgical pathology, level III, professional", "14.1"),
    ("88304-TC", "Surgical pathology, level III, technical", "21.85"),
    ("88305", "Surgical pathology, level IV, global", "N/A"),
    ("88305-26", "Surgical pathology, level IV, professional", "38.2"),
    ("88305-TC", "Surgical pathology, level IV, technical", "31.4"),
    ("88307-26", "Surgical pathology, level V, professional", "84.6"),
    ("88307-TC", "Surgical pathology, level V, technical", "246.35"),
    (
        "88312",
        "Special stain, group I, for microorganisms, including interpretation and "
        "report, each stain",
        "67.1",
    ),
    ("88341", "Immunohistochemistry, each additional single antibody stain procedure", "81.45"),
    ("88342", "Immunohistochemistry, initial single antibody stain procedure", "95"),
    "CYTOPATHOLOGY",
    (
        "88142",
        "Cytopathology, cervical or vaginal, thin layer preparation in preservative "
        "fluid, manual screening under physician supervision",
        "21.6",
    ),
    (
        "88175",
        "Cytopathology, cervical or vaginal, thin layer preparation, screening by "
        "automated system with manual rescreening",
        "26.1",
    ),
    "MOLECULAR PATHOLOGY",
    ("81220", "CFTR gene analysis, common variants", "658.4"),
    ("81408", "Molecular pathology procedure, level 9", "1234.5"),
    (
        "81162",
        "BRCA1 and BRCA2 gene analysis, full sequence and full duplication or deletion analysis",
        "1586.8",
    ),
    (
        "81519",
        "Oncology (breast), mRNA expression profiling of 21 genes, reported as a recurrence score",
        "3416.5",
    ),
    ("81479", "Unlisted molecular pathology procedure", "By Report"),
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
                Clause(
                    "[[Laboratory shall not bill a Member for a test that Health Plan denies as "
                    "experimental, investigational or not medically necessary, even if the Member "
                    "signed a waiver or agreed in advance to pay for the test.]]",
                    "Denied Tests",
                    findings=[finding("hold_harmless", "medium", bars_consented_noncovered=True)],
                ),
                Clause(
                    "[[Health Plan shall apply to Laboratory's claims only the procedure-to-"
                    "procedure and medically unlikely edits of the CMS National Correct Coding "
                    "Initiative in effect on the date of service.]] Laboratory may dispute the "
                    "application of an edit through the dispute process below.",
                    "Coding Edits",
                    findings=[finding("claims_editing", "low", source="ncci")],
                ),
                Clause(
                    "[[Health Plan shall make all payments under this Agreement by electronic "
                    "funds transfer through the ACH network, with an electronic remittance "
                    "advice, at no cost to Laboratory.]]",
                    "Method of Payment",
                    findings=[
                        finding("payment_method_fees", "low", provider_fee_or_card_default=False)
                    ],
                ),
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
                        ),
                        also(
                            without_cause("medium", 90, payer_may=True),
                            "Either party may terminate this Agreement without cause at any time "
                            "by giving the other party not less than ninety (90) days' advance "
                            "written notice.",
                        ),
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


def _part_a() -> Table:
    per_column = -(-len(PART_A) // 3)
    columns = [PART_A[i : i + per_column] for i in range(0, len(PART_A), per_column)]
    rows, rates = [], []
    for r in range(per_column):
        cells: list[str] = []
        line = []
        for col in columns:
            if r < len(col):
                code, fee = col[r]
                cells += [code, f"{fee:.2f}"]
                line.append(
                    rate(
                        code,
                        "CPT",
                        None,  # a phone book prints no description
                        "fee_schedule",
                        amount=fee,
                        unit="per_service",
                        anchor=f"{code} {fee:.2f}",
                    )
                )
            else:
                cells += ["", ""]
        rows.append(cells)
        rates.append(line)
    return Table(
        ["CPT", "Fee", "CPT", "Fee", "CPT", "Fee"],
        rows,
        [60, 96, 60, 96, 60, 96],
        rates=in_exhibit(rates, setting="outpatient", effective_date=PART_A_DATE),
        align_right=(1, 3, 5),
    )


def _part_b() -> Table:
    rows, rates, sections = [], [], []
    for item in PART_B:
        if isinstance(item, str):
            sections.append(len(rows))
            rows.append([item, "", ""])
            rates.append(None)
            continue
        printed, desc, amount = item
        code, _, mod = printed.partition("-")
        priced = amount not in UNPRICED
        rows.append([printed, desc, amount])
        rates.append(
            rate(
                code,
                "CPT",
                desc,
                "fee_schedule",
                amount=float(amount) if priced else None,
                # Add-on and per-stain codes ("each stain", "each additional") count units.
                unit="per_unit" if re.search(r"\beach\b", desc) else "per_service",
                modifier=mod or None,
                note=None if priced else UNPRICED[amount],
            )
        )
    return Table(
        ["CPT-MOD", "DESCRIPTION", "ALLOWED"],
        rows,
        [66, 291, 61],
        rates=in_exhibit(rates, setting="outpatient", effective_date=PART_B_DATE),
        align_right=(2,),
        wrap=(1,),
        section_rows=tuple(sections),
        whitespace=True,
        font_size=8.5,
    )


def _schedule() -> list:
    t = Terms("Health Plan", "Laboratory")
    arts = [
        Article(
            "",
            [
                Clause(
                    "Laboratory Services identified in Part A and Part B below shall be paid the "
                    "amount shown. These amounts apply to Members enrolled in all products "
                    "listed in this Schedule."
                ),
                Heading(
                    "Part A \u2014 Clinical Laboratory Tests, effective October 1, 2024", level=2
                ),
                Para("Fees are per test, listed in code order down each column.", style="small"),
                _part_a(),
                Heading(
                    "Part B \u2014 Anatomic Pathology, Cytopathology and Molecular Diagnostics, "
                    "effective January 1, 2025",
                    level=2,
                ),
                Para(
                    "Reproduced from Health Plan fee schedule report FS-LAB-07. Codes shown with "
                    "a suffix are paid at that component (-26 professional, -TC technical); "
                    '"N/A" means the code is payable only by component.',
                    style="small",
                ),
                _part_b(),
                Clause(
                    "[[Clinical laboratory tests that are not listed in Part A or Part B and that "
                    "are priced on "
                    "the Medicare Clinical Laboratory Fee Schedule shall be reimbursed at "
                    "eighty-five percent (85%) of the national limitation amount on the Clinical "
                    "Laboratory Fee Schedule for the calendar year in which the test is "
                    "performed.]]",
                    findings=[finding("non_priced_codes", "low", payer_sets=False)],
                    rates=[
                        rate(
                            None,
                            "CPT",
                            "Unlisted tests priced on the Medicare CLFS",
                            "percent_of_benchmark",
                            percent=85.0,
                            percent_of="medicare",
                            unit="per_service",
                            setting="outpatient",
                            anchor="eighty-five percent (85%) of the national limitation amount",
                        )
                    ],
                ),
                Clause(
                    "[[Molecular pathology and genetic tests shall be reimbursed in accordance "
                    "with the fee schedule maintained by Health Plan's laboratory benefit "
                    "management vendor, currently Helixa Benefit Solutions, LLC.]] Prior "
                    "authorization from the vendor is required for such tests. The molecular "
                    "pathology codes listed in Part B are paid the amounts shown there.",
                    findings=[
                        vague("medium", "third_party_vendor_schedule"),
                        also(
                            carve(
                                "high",
                                "vendor_network_carve_out",
                                note="Molecular and genetic tests are managed and priced by "
                                "Health Plan's laboratory benefit vendor (paid at vendor rates): "
                                "a vendor carve-out; the same sentence is the "
                                "vague_reimbursement finding.",
                            ),
                            "Molecular pathology and genetic tests shall be reimbursed in "
                            "accordance with the fee schedule maintained by Health Plan's "
                            "laboratory benefit management vendor, currently Helixa Benefit "
                            "Solutions, LLC.",
                        ),
                    ],
                ),
                Clause(
                    "[[Tests for which neither this Schedule nor the Clinical Laboratory Fee "
                    "Schedule establishes a rate shall be paid at the usual, customary and "
                    "reasonable charge for the test in the geographic area, as determined by "
                    "Health Plan.]]",
                    findings=[
                        vague("medium", "reasonable_and_customary"),
                        also(
                            finding("non_priced_codes", "medium", payer_sets=True),
                            "Tests for which neither this Schedule nor the Clinical Laboratory "
                            "Fee Schedule establishes a rate shall be paid at the usual, "
                            "customary and reasonable charge for the test in the geographic "
                            "area, as determined by Health Plan.",
                        ),
                    ],
                ),
                Clause(
                    "[[A test code that first becomes effective after the Effective Date shall be "
                    "paid at an allowed amount that Health Plan assigns when it loads the code, "
                    "until CMS publishes a national limitation amount for the code; from then on "
                    "the code is paid as a test priced on the Clinical Laboratory Fee Schedule.]]",
                    findings=[finding("new_services_technology", "medium", payer_sets=True)],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("SCHEDULE 1\nOUTPATIENT LABORATORY FEE SCHEDULE"),
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
        "Headings are unnumbered ALL CAPS, so every section is null. Schedule 1 Part A is a "
        "'phone book' (three CPT | Fee pairs to a line, codes running down each column; "
        "each pair is its own rate row); Part B is printed in Courier with columns aligned "
        "by spaces and no ruling lines, codes written with their modifier ('88305-26'), "
        "descriptions wrapping onto code-less lines, amounts as a report prints them "
        "('38.2', '95', '1234.5'), section lines ('CYTOPATHOLOGY', not rate rows) and "
        "unpriced cells ('N/A': payable only by component; 'By Report'). 'Reproduced from "
        "Health Plan fee schedule report FS-LAB-07' says where the printed Part B came from; "
        "its amounts are attached, so it is not vague_reimbursement. Traps: CLIA "
        "certificate renewal; 'shall not "
        "offset ... under any other agreement' is a mitigant inside the recoupment clause. "
        "Helixa Benefit Solutions is a fictitious vendor."
        " Every TAXONOMY.md category is annotated. Clauses written for the full taxonomy: "
        "'Denied Tests' (no member billing for denied tests even with the Member's written "
        "agreement: hold_harmless medium; the boilerplate hold harmless is low), 'Coding "
        "Edits' (CMS NCCI and MUE only: claims_editing low), 'Method of Payment' "
        "(EFT at no cost: payment_method_fees low) and the new-test-code paragraph of "
        "Schedule 1 (allowed amount assigned by Health Plan until CMS prices the code: "
        "new_services_technology medium). The 'Term' clause carries the evergreen finding "
        "(both sentences) and termination_without_cause (its second sentence: mutual, 90 "
        "days, medium). Schedule 1: unlisted CLFS tests at 85% of the NLA are "
        "non_priced_codes (low, specific basis); the UCR paragraph is vague_reimbursement and "
        "non_priced_codes (Health Plan determines: medium); the molecular paragraph is "
        "vague_reimbursement and, judgement call, a vendor carve_out (high), since those "
        "tests are managed and paid at the laboratory benefit vendor's rates. No credentialing "
        "clause. Traps: CLIA/CAP renewal, HIPAA-only privacy clause, amendment only by a "
        "signed writing, 'Health Plan' defined to include its affiliated HMO (a party "
        "definition, not network_rental).",
    )
