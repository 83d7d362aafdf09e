"""Physician group agreement, commercial PPO: ruled CPT fee schedule and % of Medicare prose."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    amendment,
    audit,
    cred,
    evergreen,
    finding,
    money,
    rate,
    recoup,
    rng_for,
    vague,
)
from ..draft import (
    Article,
    Clause,
    PlainNumbers,
    Prefixed,
    SectionDecimal,
    Terms,
    render_articles,
    resolve_refs,
)
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Spacer, Table, Title

NAME = "physician_group_ppo_agreement"
PAYER = "Meridian Crest Insurance Company"
PROVIDER = "Lakeshore Internal Medicine Associates, P.C."
TITLE = "Medical Group Participation Agreement"
PRODUCT = "commercial_ppo"

# (code, modifier, description (abbreviated, original wording), allowable)
FEE_SCHEDULE = [
    ("99202", "", "New patient office visit, straightforward", 92.15),
    ("99203", "", "New patient office visit, low complexity", 141.60),
    ("99204", "", "New patient office visit, moderate complexity", 211.35),
    ("99205", "", "New patient office visit, high complexity", 278.90),
    ("99211", "", "Established patient visit, minimal", 28.40),
    ("99212", "", "Established patient visit, straightforward", 72.85),
    ("99213", "", "Established patient visit, low complexity", 109.40),
    ("99214", "", "Established patient visit, moderate complexity", 154.75),
    ("99215", "", "Established patient visit, high complexity", 216.30),
    ("99396", "", "Preventive visit, established, age 40-64", 168.20),
    ("G0439", "", "Annual wellness visit, subsequent", 141.05),
    ("93000", "", "Electrocardiogram with interpretation", 21.90),
    ("71046", "", "Chest x-ray, two views, global", 44.70),
    ("71046", "26", "Chest x-ray, two views, professional", 12.35),
    ("71046", "TC", "Chest x-ray, two views, technical", 32.35),
    ("36415", "", "Routine venipuncture", 3.85),
    ("90471", "", "Immunization administration, first", 25.10),
    ("20610", "", "Arthrocentesis, major joint", 79.60),
    ("11102", "", "Tangential skin biopsy, single lesion", 118.45),
    ("J1885", "", "Injection, ketorolac tromethamine, per 15 mg", 0.52),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        [
            "Clean Claim",
            "Covered Services",
            "Member",
            "Medically Necessary",
            "Provider Manual",
            "Coverage Agreement",
        ],
        {
            "Group Physician": (
                "a physician or other licensed health care professional who is employed "
                "by or under contract with Group, who has been credentialed by Company "
                "and who renders Covered Services on Group's behalf."
            ),
            "PPO Product": (
                "the preferred provider organization benefit plans insured or administered "
                "by Company and marketed under the name Meridian Crest Preferred."
            ),
            "Fee Schedule": (
                "the schedule of allowable amounts set out in Attachment 1 to Exhibit A."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Participation of Group",
            [
                Clause(
                    "Group agrees to participate in the PPO Product and to furnish Covered "
                    "Services to Members through Group Physicians at the office locations listed "
                    "in Exhibit B. Group will accept new Members as patients on the same basis as "
                    "it accepts other new patients.",
                    "Participation",
                ),
                Clause(
                    "[[Company may add Group to other products, networks or programs that Company "
                    "or its affiliates offer now or later, at the compensation in Exhibit A unless "
                    "the parties agree otherwise; Group may decline any such product by notice "
                    "within sixty (60) days after Company adds it.]]",
                    "Other Products",
                    findings=[
                        finding(
                            "all_products",
                            "medium",
                            future_binding_no_opt_out=False,
                            note="Future products bind Group at Exhibit A rates, but Group may "
                            "decline a new product within 60 days (opt-out): medium.",
                        )
                    ],
                ),
                Clause(
                    "[[Company may extend the rates and terms of this Agreement to self-funded "
                    "plans administered by Company or its affiliates and to other preferred "
                    "provider networks and third-party administrators with which it has access "
                    "agreements.]]",
                    "Access by Other Payors",
                    findings=[finding("network_rental", "high", rental=True)],
                ),
                Clause(
                    "Group shall add a physician to this Agreement by submitting a credentialing "
                    "application for that physician. [[Services rendered by a physician before "
                    "Company approves the physician's credentialing application are not payable "
                    "under this Agreement.]]",
                    "Addition of Group Physicians",
                    findings=[
                        cred(
                            "high",
                            None,
                            retroactive=False,
                            note="No deadline for Company's decision and no retroactive "
                            "participation (Article III states none either).",
                        )
                    ],
                ),
                Clause(
                    "Group shall maintain office hours of at least thirty (30) hours per week at "
                    "each primary care location and shall arrange for coverage by a participating "
                    "physician twenty-four (24) hours a day, seven (7) days a week.",
                    "Access",
                ),
                *bp.compliance(rng),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Company Responsibilities",
            [
                Clause(
                    "Company shall furnish Members with identification cards and shall make "
                    "eligibility information available to Group through its provider portal and "
                    "its customer service line.",
                    "Eligibility Information",
                ),
                Clause(
                    "[[Company shall give Group at least ninety (90) days' written notice of any "
                    "change to the Provider Manual that materially affects Group's compensation or "
                    "administrative obligations.]]",
                    "Notice of Policy Changes",
                    findings=[
                        amendment(
                            "high",
                            90,
                            "rates",
                            note="Judgement call: the clause presupposes that Company changes "
                            "the Provider Manual by notice alone, including changes that affect "
                            "compensation, so it reaches rates (high).",
                        )
                    ],
                ),
            ],
        ),
        Article(
            "Claims Submission and Payment",
            [
                *bp.claims_submission(rng, "ninety (90) days", "thirty (30) calendar days"),
                Clause(
                    "Company shall pay Group for Covered Services in accordance with Exhibit A, "
                    "less applicable Member cost-sharing. [[Group shall accept such amount as "
                    "payment in full and shall not balance bill Members.]]",
                    "Compensation",
                    findings=[finding("hold_harmless", "low", bars_consented_noncovered=False)],
                ),
                Clause(
                    "[[Group represents that the amounts in Exhibit A are no greater than those "
                    "Group accepts from any other commercial payer for the same services. If Group "
                    "accepts lower amounts from another payer, it shall notify Company within "
                    "thirty (30) days and those amounts shall apply under this Agreement from the "
                    "date they took effect.]]",
                    "Most Favorable Rates",
                    findings=[finding("most_favored_nation", "high")],
                ),
                *bp.cob(rng),
                Clause(
                    "[[If a Member's coverage is terminated retroactively, Company may recover any "
                    "amount paid for services rendered after the termination date]], and Group may "
                    "bill the individual for them.",
                    "Retroactive Eligibility Changes",
                    findings=[finding("retroactive_rate_change", "high", reaches_back=True)],
                ),
                Clause(
                    "[[Group authorizes Company to recover any overpayment, and any other amount "
                    "that Group owes to Company, by deducting it from any payment due to Group "
                    "under this Agreement or under any other agreement between Group and Company "
                    "or any of Company's affiliates. Company may make such deductions without "
                    "prior notice to Group.]] Company shall identify each deduction on the "
                    "remittance advice on which it is taken.",
                    "Recovery of Amounts Owed",
                    key="offset",
                    findings=[recoup("high", None, cross=True, prior_notice=False)],
                ),
            ],
        ),
        Article(
            "Audits and Records",
            [
                Clause(
                    "Group shall maintain a complete medical record for each Member in accordance "
                    "with generally accepted documentation standards and shall transfer copies of "
                    "a Member's records to another treating provider, without charge, within "
                    "twenty (20) days after the Member's written request.",
                    "Medical Records",
                ),
                Clause(
                    "[[Company may conduct post-payment audits of Group's claims and supporting "
                    "medical records for claims paid during the thirty-six (36) months preceding "
                    "the date of the audit. Company may select a statistically valid random sample "
                    "of claims and may extrapolate the error rate found in the sample to all "
                    "claims paid to Group during the audit period.]] Amounts found to be owed may "
                    "be recovered as provided in Section <<offset>>.",
                    "Post-Payment Audit",
                    findings=[audit("high", 36, True, None)],
                ),
                Clause(
                    "Once in each calendar year, Group may, at its own expense, review Company's "
                    "claims payment data for claims submitted by Group in order to verify that "
                    "Company has paid those claims in accordance with Exhibit A. Company shall "
                    "provide the data within thirty (30) days after Group's written request.",
                    "Group Review of Payments",
                ),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[This Agreement shall remain in effect for one (1) year from the Effective "
                    "Date and shall thereafter continue from year to year unless either party "
                    "notifies the other, not later than one hundred (100) days before an "
                    "anniversary of the Effective Date, that it elects not to continue this "
                    "Agreement beyond that anniversary.]]",
                    "Term",
                    key="term",
                    findings=[evergreen("medium", 12, 12, 100)],
                ),
                Clause(
                    "Company may terminate this Agreement, or the participation of an individual "
                    "Group Physician, immediately upon written notice if the physician's license "
                    "is suspended or revoked, if the physician is excluded from any federal health "
                    "care program, or if Company determines that a Member's health or safety is in "
                    "jeopardy.",
                    "Immediate Termination",
                ),
                Clause(
                    "Either party may terminate this Agreement for a material breach that the "
                    "other party fails to cure within thirty (30) days after written notice of the "
                    "breach.",
                    "Termination for Breach",
                ),
                Clause(
                    "Following termination, Group shall continue to treat Members who are in an "
                    "active course of treatment, including Members in the second or third "
                    "trimester of pregnancy, until the treatment is completed or the Member is "
                    "transferred to another participating provider, and Company shall pay for such "
                    "services at the rates in Exhibit A.",
                    "Continuity of Care",
                ),
            ],
        ),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("Miscellaneous", bp.general(rng, "Illinois")),
    ]


def _exhibit_a(refs: dict) -> list:
    t = Terms("Company", "Group")
    rows = [[c, m, d, money(a)] for c, m, d, a in FEE_SCHEDULE]
    rates = [
        rate(
            c,
            "HCPCS" if c[0].isalpha() else "CPT",
            d,
            "fee_schedule",
            amount=a,
            unit="per_unit" if c == "J1885" else "per_service",
            modifier=m or None,
            setting="professional",  # the attachment's heading: "Professional Fee Schedule"
        )
        for c, m, d, a in FEE_SCHEDULE
    ]
    arts = [
        Article(
            "",
            [
                Clause(
                    "[[For Covered Services rendered to Members enrolled in the PPO Product, "
                    "Company shall pay Group the lesser of Group's billed charges or the allowable "
                    "amount determined under this Exhibit A.]]",
                    findings=[finding("lesser_of", "medium", claim_level_case_rate=False)],
                ),
                Clause(
                    "Covered Services identified by a code listed in Attachment 1 shall be paid "
                    "the allowable amount shown for that code and modifier. The amounts in "
                    "Attachment 1 apply regardless of the place of service."
                ),
                Clause(
                    "[[Covered Services identified by a CPT code that is not listed in Attachment "
                    "1 shall be paid at one hundred twenty percent (120%) of the Medicare "
                    "Physician Fee Schedule allowable amount for Illinois locality 16 (Chicago) in "
                    "effect on the date of service,]] [[using the facility or non-facility amount "
                    "that corresponds to the place of service reported on the claim]] and without "
                    "reduction for sequestration.",
                    findings=[
                        finding(
                            "non_priced_codes",
                            "low",
                            payer_sets=False,
                            note="Codes not in Attachment 1 are priced on a fully specified "
                            "Medicare basis (low). One sentence carries two findings; the "
                            "generator needs one marker per finding, so the sentence is split "
                            "at its clause boundary (non_priced_codes / site_of_service).",
                        ),
                        finding("site_of_service", "medium"),
                    ],
                    rates=[
                        rate(
                            None,
                            "CPT",
                            "CPT codes not listed in Attachment 1",
                            "percent_of_benchmark",
                            percent=120.0,
                            percent_of="medicare",
                            unit="per_service",
                            anchor="one hundred twenty percent (120%) of the Medicare Physician "
                            "Fee Schedule allowable amount",
                        )
                    ],
                ),
                Clause(
                    "[[Injectable drugs, vaccines and biologicals that are not listed in "
                    "Attachment 1]] [[will be reimbursed at Company's then-current drug fee "
                    "schedule, as updated by Company from time to time.]]",
                    findings=[
                        finding("non_priced_codes", "medium", payer_sets=True),
                        vague("high", "payer_fee_schedule"),
                    ],
                ),
                Clause(
                    "[[Durable medical equipment and supplies dispensed in Group's offices shall "
                    "be reimbursed at one hundred percent (100%) of Medicare.]]",
                    findings=[
                        vague(
                            "medium",
                            "benchmark_unspecified",
                            note="No year, locality or Medicare schedule is named.",
                        )
                    ],
                    rates=[
                        rate(
                            None,
                            None,
                            "DME and supplies dispensed in office",
                            "percent_of_benchmark",
                            percent=100.0,
                            percent_of="medicare",
                            anchor="one hundred percent (100%) of Medicare",
                        )
                    ],
                ),
                Clause(
                    '[[Unlisted procedure codes and codes billed "by report"]] [[will be paid at a '
                    "rate established by Company after review of the operative report or other "
                    "documentation submitted with the claim.]]",
                    findings=[
                        finding("non_priced_codes", "medium", payer_sets=True),
                        vague("high", "payer_discretion"),
                    ],
                ),
                Clause(
                    "[[The allowable amounts in Attachment 1 shall not change]] [[during any year "
                    "in which this Agreement continues under Section <<term>> unless Company and "
                    "Group agree to new amounts in a signed amendment.]]",
                    findings=[
                        finding(
                            "rate_escalator",
                            "high",
                            {"percent": None},
                            kind="freeze",
                            note="Rates frozen with no escalator (high); the same sentence is "
                            "the evergreen rate freeze, split at its clause boundary.",
                        ),
                        evergreen(
                            "high",
                            12,
                            12,
                            None,
                            rates_frozen=True,
                            note="Fee schedule frozen for every continuation year.",
                        ),
                    ],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("EXHIBIT A\nCOMPENSATION - PPO PRODUCT"),
        *render_articles(arts, PlainNumbers(), t, refs=refs),
        Spacer(4),
        Heading("Attachment 1 to Exhibit A - Professional Fee Schedule", level=2),
        Table(
            ["CPT/HCPCS", "Mod", "Description", "Allowable"],
            rows,
            [70, 40, 270, 88],
            rates=rates,
            align_right=(3,),
        ),
        Para(
            "Amounts are per service except J1885, which is per 15 mg unit. Codes "
            "identified with modifier 26 or TC are paid at the component amount shown.",
            style="small",
        ),
    ]


def _exhibit_b() -> list:
    return [
        Heading("EXHIBIT B\nGROUP LOCATIONS AND TAX IDENTIFICATION"),
        Table(
            ["Location", "Address", "Tax ID"],
            [
                [
                    "Lakeshore IM - Lincoln Park",
                    "2150 N. Clark Street, Chicago, IL 60614",
                    "XX-XXX4218",
                ],
                ["Lakeshore IM - Evanston", "1001 Davis Street, Evanston, IL 60201", "XX-XXX4218"],
                ["Lakeshore IM - Oak Park", "720 Lake Street, Oak Park, IL 60301", "XX-XXX4218"],
            ],
            [150, 230, 88],
            ruled=True,
        ),
    ]


def _exhibit_c() -> list:
    t = Terms("Company", "Group")
    arts = [
        Article(
            "",
            [
                Clause(
                    "[[Company shall withhold ten percent (10%) of the allowable amount otherwise "
                    "payable to Group for each Covered Service and shall credit the withheld "
                    "amounts to a quality pool kept for Group. Within one hundred twenty (120) "
                    "days after the end of each calendar year, Company shall pay Group the part "
                    "of the pool that corresponds to the share of the targets in paragraph C.3 "
                    "that Group met; the rest is retained by Company.]]",
                    findings=[finding("value_based_withhold", "high", {"percent": 10.0})],
                ),
                Clause(
                    "[[Company may recognize Group Physicians who meet its cost and quality "
                    "benchmarks in a physician designation program, show the designation in its "
                    "provider directory, and offer Members lower copayments for visits to "
                    "designated physicians.]] Company shall tell Group its designation, and the "
                    "data behind it, at least sixty (60) days before publishing it.",
                    findings=[finding("anti_steering", "medium", protects_provider=False)],
                ),
                Clause(
                    "The targets for each calendar year are: breast cancer screening, 74%; "
                    "colorectal cancer screening, 68%; HbA1c below 8.0% for diabetic Members, "
                    "62%; controlling high blood pressure, 65%. [[Company may replace a measure "
                    "or change a target for a later year by notice given to Group before that "
                    "year begins.]]",
                    findings=[
                        amendment(
                            "high",
                            None,
                            "rates",
                            note="Company changes the quality targets that decide how much of "
                            "the withheld compensation is paid, by notice alone (reaches "
                            "compensation: high).",
                        )
                    ],
                ),
            ],
        )
    ]
    return [
        Heading("EXHIBIT C\nQUALITY PERFORMANCE PROGRAM"),
        *render_articles(arts, Prefixed("C"), t),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Company", "Group")
    refs: dict[str, str] = {}
    blocks = [
        Title(TITLE, "Meridian Crest Preferred (PPO)"),
        Para(
            f'THIS {TITLE.upper()} (the "Agreement") is made and entered into this 1st day of '
            f'July, 2025 (the "Effective Date"), by and between {PAYER}, an Illinois stock '
            f'insurance company ("Company"), and {PROVIDER}, an Illinois professional '
            'corporation ("Group").'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[1]]
    blocks += render_articles(_articles(rng), SectionDecimal(), t, refs=refs)
    blocks.append(
        Signature(
            [("MERIDIAN CREST INSURANCE COMPANY", PAYER), ("GROUP", PROVIDER)],
            lead_in="IN WITNESS WHEREOF, the parties have caused this Agreement to "
            "be signed by their duly authorized representatives.",
        )
    )
    blocks += _exhibit_a(refs) + _exhibit_b() + _exhibit_c()
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-07-01",
        expiration_date="2026-06-30",
        initial_term_months=12,
        product_lines=[PRODUCT],
        blocks=blocks,
        running=Running(
            header_left="Meridian Crest Insurance Company",
            header_right=TITLE,
            footer_left="Form MC-MGPA-2025",
            footer_center="- {page} -",
            footer_right="Confidential",
        ),
        font="Helvetica",
        font_size=9.5,
        notes="Commercial PPO physician group agreement with a ruled CPT/HCPCS fee schedule. Term "
        "continues from year to year; notice of non-continuation is due 100 days before an "
        "anniversary (medium by the corpus policy). Exhibit A paragraph 3 is a fully "
        "specified Medicare benchmark (year = date of service, locality, site) and is not a "
        "vague_reimbursement finding. Trap: Group's right to review Company's payment data "
        "is not an audit_provision (the right belongs to the provider). J1885 is priced per "
        "15 mg unit. All TAXONOMY.md categories: 2.2 (all products, 60-day opt-out: medium), "
        "2.3 (rates extended to self-funded plans and other PPO networks / TPAs: network_rental "
        "high), 2.4 (no pay before credentialing approval, no deadline, no retroactivity: high), "
        "4.2 (Provider Manual changes on 90 days' notice that may affect compensation: "
        "unilateral_amendment high - judgement call, the clause presupposes that Company changes "
        "the manual unilaterally), 5.3 (no balance billing: hold_harmless low), 5.4 (MFN), 5.6 "
        "(recovery after retroactive termination of coverage: retroactive_rate_change high), "
        "Exhibit A 1 (lesser of billed charges on a fee schedule: medium), Exhibit C (10% "
        "quality withhold: high; designation program with lower copayments: anti_steering "
        "medium; targets changed by notice: unilateral_amendment high). Where one existing "
        "sentence carries two findings (Exhibit A paragraphs 3, 4, 6 and 7) the generator's "
        "one-marker-per-finding rule splits it at its clause boundary, each finding citing its "
        "part: 3 non_priced_codes (low, specified Medicare basis) / site_of_service (facility vs "
        "non-facility by place of service); 4 and 6 non_priced_codes (medium, Company sets the "
        "amount) / vague_reimbursement; 7 rate_escalator (freeze, high) / evergreen rate freeze. "
        "Traps: Exhibit A paragraph 2 ('apply regardless of the place of service') rules "
        "site_of_service out; paragraph 5 (DME at 100% of Medicare) prices a category, it is not "
        "a non_priced_codes rule; 7.2 (termination on loss of licence or exclusion) and 7.3 "
        "(breach) are not termination_without_cause - the agreement has no without-cause right; "
        "7.4 continuity of care is not a finding; 12.2 (amendment only by a writing signed by "
        "both) is not unilateral_amendment.",
    )
