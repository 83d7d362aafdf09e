"""Holdout 4: Medicare Advantage special needs plan (D-SNP / C-SNP) practice agreement.

Voice: compliance-heavy regulatory drafting - "the MA Organization" and "the Practice",
numbered headings ("6. RECORDS, ACCESS AND AUDIT") over roman-numeral paragraphs (i), (ii) ...
(section written "6(iii)"), an Exhibit C numbered C-1.. and an Attachment D numbered D.1.. .
Times-Roman 10.5, form-number footer.
"""

from __future__ import annotations

from ..common import audit, evergreen, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h1, h2, p, plain, rng_for, romans, table

NAME = "medicare_advantage_snp_participation_agreement"
TITLE = "MEDICARE ADVANTAGE SPECIAL NEEDS PLAN PARTICIPATION AGREEMENT"
PAYER = "Three Rivers Senior Health Plan, Inc."
PROVIDER = "Northgate Geriatric Medical Associates, PLLC"


def build() -> Holdout:
    rng = rng_for(NAME)
    training = rng.choice(["within ninety (90) days of", "no later than ninety (90) days after"])

    part1 = romans(
        1,
        [
            p(
                "\u201cEnrollee\u201d means an individual enrolled in an SNP who has selected or "
                "been assigned to a primary care practitioner of the Practice."
            ),
            p(
                "\u201cSNP\u201d means each dual-eligible special needs plan (\u201cD-SNP\u201d) "
                "and chronic condition special needs plan (\u201cC-SNP\u201d) that the MA "
                "Organization offers in the Service Area under its contract with CMS."
            ),
            p(
                "\u201cModel of Care\u201d means the MA Organization\u2019s model of care for an "
                "SNP as approved by CMS, including its requirements for health risk assessments, "
                "individualized care plans and interdisciplinary care teams."
            ),
            p(
                "\u201cService Area\u201d means the counties listed in Attachment D and such other "
                "counties as CMS may approve for an SNP."
            ),
        ],
    )
    part2 = romans(
        2,
        [
            p(
                "The Practice shall serve as primary care provider for Enrollees who select or are "
                "assigned to it, and shall furnish or arrange covered primary care services, "
                "including home visits for Enrollees who are homebound."
            ),
            p(
                "The Practice shall perform its functions under the Model of Care, shall attend "
                "interdisciplinary care team meetings for its Enrollees, and shall ensure that its "
                f"practitioners complete Model of Care training {training} joining the Practice "
                "and annually thereafter."
            ),
            p(
                "The MA Organization shall recredential the Practice\u2019s practitioners at "
                "intervals not exceeding thirty-six (36) months. The Practice shall maintain, and "
                "timely renew, each practitioner\u2019s licence, DEA registration and Medicare "
                "enrollment, and shall not employ or contract with any person excluded from "
                "participation in federal health care programs."
            ),
        ],
    )
    part3 = romans(
        3,
        [
            p(
                "The Practice shall not bill, charge, collect a deposit from, or seek compensation "
                "from any Enrollee for covered services, except for cost-sharing that the "
                "Enrollee\u2019s plan permits. For an Enrollee who is a full-benefit dual "
                "eligible or a qualified Medicare beneficiary, the Practice shall not collect "
                "Medicare cost-sharing for which the State Medicaid program is responsible."
            ),
            p(
                "The obligations in paragraph 3(i) survive the termination of this Agreement and "
                "apply regardless of the MA Organization\u2019s insolvency or any failure to pay."
            ),
        ],
    )
    part4 = romans(
        4,
        [
            p(
                "The MA Organization shall compensate the Practice as set forth in Exhibit C, and "
                "such compensation, together with permitted cost-sharing, shall be payment in "
                "full."
            ),
            p(
                "The MA Organization shall pay ninety-five percent (95%) of clean claims within "
                "thirty (30) days of receipt and shall pay interest on clean claims not paid "
                "timely at the rate applicable under Medicare rules."
            ),
            p("The Practice shall submit claims within one (1) year after the date of service."),
        ],
    )
    part5 = romans(
        5,
        [
            p(
                "[[The initial term of this Agreement shall be one (1) year from the Effective "
                "Date. Upon expiration of the initial term, this Agreement shall continue in "
                "effect without a fixed expiration date until terminated by either party. "
                "Following the initial term, either party may terminate this Agreement without "
                "cause upon ninety (90) days\u2019 prior written notice to the other party.]]",
                findings=[
                    evergreen(
                        "low",
                        12,
                        None,
                        90,
                        indefinite=True,
                        without_cause_days=90,
                        note="indefinite continuation after a one-year initial term; notice_days "
                        "is the 90-day without-cause notice that ends it.",
                    )
                ],
            ),
            p(
                "Either party may terminate this Agreement upon thirty (30) days\u2019 written "
                "notice for a material breach that remains uncured at the end of that period, and "
                "the MA Organization may terminate immediately where required by CMS or where the "
                "Practice or a practitioner is excluded from a federal health care program."
            ),
            p(
                "This Agreement shall terminate automatically as to any SNP for which CMS does not "
                "renew the MA Organization\u2019s contract, effective on the last day of that "
                "contract."
            ),
            p(
                "Following termination, the Practice shall continue to furnish covered services to "
                "Enrollees through the end of the month in which termination takes effect, and "
                "longer where CMS continuity-of-care rules so require."
            ),
        ],
    )
    part6 = romans(
        6,
        [
            p(
                "[[The Practice shall make its books, contracts, medical records, patient care "
                "documentation and electronic systems pertaining to Enrollees available for audit, "
                "evaluation and inspection by HHS, the Comptroller General, CMS, the MA "
                "Organization and their respective designees; such right of access shall continue "
                "for ten (10) years after this Agreement ends or after completion of any audit, "
                "whichever period is longer.]]",
                findings=[
                    audit(
                        "low",
                        None,
                        False,
                        None,
                        kind="access",
                        recovery=False,
                        note="CMS-required access and retention; the ten-year period is not a "
                        "lookback.",
                    )
                ],
            ),
            p(
                "The Practice shall keep Enrollee medical records confidential and shall release "
                "them only as permitted by HIPAA and applicable state law."
            ),
            p(
                "[[The MA Organization may review the medical records of the Practice to confirm "
                "that each diagnosis the Practice reported for risk adjustment is documented and "
                "supported, and such reviews may reach dates of service in any of the three (3) "
                "calendar years preceding the year in which the review is requested. Where a "
                "diagnosis is not supported, the MA Organization may recover any incentive, "
                "quality or care coordination payment that depended upon it.]]",
                findings=[
                    audit(
                        "high",
                        36,
                        False,
                        None,
                        note="'three (3) calendar years preceding the year in which the review "
                        "is requested' is recorded as 36 months (years x 12), although with the "
                        "current partial year it can reach further back.",
                    )
                ],
            ),
            p(
                "[[Any amount determined to be owed to the MA Organization under this Section 6, "
                "and any other overpayment, may be recovered by the MA Organization by adjustment "
                "of subsequent payments to the Practice, following not less than forty-five (45) "
                "days\u2019 written notice describing the overpayment, and such recovery may "
                "proceed notwithstanding any pending appeal of the determination. No such recovery "
                "shall be initiated more than eighteen (18) months after the date of the original "
                "payment, except in cases of fraud.]]",
                findings=[recoup("medium", 18, prior_notice=True, dispute_stay=False)],
            ),
            p(
                "The Practice shall report and return any overpayment that it identifies within "
                "sixty (60) days after identification, as Medicare rules require."
            ),
        ],
    )
    part7 = romans(
        7,
        [
            p(
                "The Practice shall comply with all Medicare laws, regulations and CMS "
                "instructions applicable to the services it furnishes under this Agreement, and "
                "with the MA Organization\u2019s compliance program, including fraud, waste and "
                "abuse training."
            ),
            p(
                "The Practice shall not perform any function under this Agreement through a "
                "subcontractor located outside the United States without the MA "
                "Organization\u2019s prior written approval."
            ),
        ],
    )
    part8 = romans(
        8,
        [
            p(
                "The MA Organization may amend this Agreement upon written notice to the extent "
                "required by CMS; any other amendment requires the written agreement of both "
                "parties."
            ),
            p(
                "Neither party may assign this Agreement without the prior written consent of the "
                "other."
            ),
            p(
                "This Agreement is governed by federal law to the extent applicable and otherwise "
                "by the law of the state in which the Service Area is located."
            ),
        ],
    )

    blocks = [
        Title(TITLE, "Dual-Eligible and Chronic Condition SNPs"),
        plain(
            f"This Participation Agreement is entered into effective January 1, 2026 (the "
            f"\u201cEffective Date\u201d) by {PAYER} (the \u201cMA Organization\u201d), which "
            "holds a contract with the Centers for Medicare & Medicaid Services (\u201cCMS\u201d) "
            "to offer Medicare Advantage dual-eligible and chronic condition special needs "
            f"plans, and {PROVIDER} (the \u201cPractice\u201d)."
        ),
        # ------------------------------------------------------------------ 1
        h2("1. DEFINITIONS"),
        *part1,
        # ------------------------------------------------------------------ 2
        h2("2. PARTICIPATION"),
        *part2,
        # ------------------------------------------------------------------ 3
        h2("3. ENROLLEE PROTECTIONS"),
        *part3,
        # ------------------------------------------------------------------ 4
        h2("4. COMPENSATION AND CLAIMS"),
        *part4,
        # ------------------------------------------------------------------ 5
        h2("5. TERM AND TERMINATION"),
        *part5,
        # ------------------------------------------------------------------ 6
        h2("6. RECORDS, ACCESS AND AUDIT"),
        *part6,
        # ------------------------------------------------------------------ 7
        h2("7. COMPLIANCE"),
        *part7,
        # ------------------------------------------------------------------ 8
        h2("8. GENERAL"),
        *part8,
        Signature(
            [("MA ORGANIZATION", PAYER), ("PRACTICE", PROVIDER)],
            lead_in="Executed by the duly authorized representatives of the parties.",
        ),
        PageBreak(),
        # ------------------------------------------------------------------ Exhibit C
        h1("EXHIBIT C\nCOMPENSATION"),
        p(
            "Except as otherwise provided in this Exhibit, the Practice shall be paid one "
            "hundred two percent (102%) of the amount payable under the Medicare Physician Fee "
            "Schedule for calendar year 2026 for the Medicare payment locality in which the "
            "service is furnished, applying the facility or non-facility amount according to the "
            "place of service.",
            "C-1",
            rates=[
                rate(
                    None,
                    "CPT",
                    "Professional services not otherwise listed",
                    "percent_of_benchmark",
                    percent=102.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="one hundred two percent (102%)",
                ),
            ],
        ),
        p(
            "The services in Table C-2 shall be paid the fixed amounts shown, in lieu of the "
            "amount under paragraph C-1.",
            "C-2",
        ),
        table(
            ["Code", "Service", "Amount"],
            [
                (
                    ["G0438", "Annual wellness visit, initial", "$198.00"],
                    rate(
                        "G0438",
                        "HCPCS",
                        "Annual wellness visit, initial",
                        "fee_schedule",
                        amount=198.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["G0439", "Annual wellness visit, subsequent", "$134.00"],
                    rate(
                        "G0439",
                        "HCPCS",
                        "Annual wellness visit, subsequent",
                        "fee_schedule",
                        amount=134.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99349", "Home visit, established patient, moderate", "$165.00"],
                    rate(
                        "99349",
                        "CPT",
                        "Home visit, established patient, moderate",
                        "fee_schedule",
                        amount=165.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99350", "Home visit, established patient, high", "$228.00"],
                    rate(
                        "99350",
                        "CPT",
                        "Home visit, established patient, high",
                        "fee_schedule",
                        amount=228.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99483", "Cognitive assessment and care plan", "$281.00"],
                    rate(
                        "99483",
                        "CPT",
                        "Cognitive assessment and care plan",
                        "fee_schedule",
                        amount=281.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99497", "Advance care planning, first 30 minutes", "$92.00"],
                    rate(
                        "99497",
                        "CPT",
                        "Advance care planning, first 30 minutes",
                        "fee_schedule",
                        amount=92.00,
                        unit="per_service",
                    ),
                ),
            ],
            [60, 300, 80],
            right=(2,),
            caption="Table C-2",
        ),
        p(
            "For each Enrollee assigned to the Practice on the first day of a month, the MA "
            "Organization shall pay a care coordination fee of twenty-two dollars and fifty "
            "cents ($22.50) per Enrollee per month, in recognition of the Practice\u2019s "
            "functions under the Model of Care.",
            "C-3",
            rates=[
                rate(
                    None,
                    None,
                    "Care coordination fee",
                    "capitation",
                    amount=22.50,
                    unit="pmpm",
                    anchor="twenty-two dollars and fifty cents ($22.50) per Enrollee per month",
                ),
            ],
        ),
        p(
            "[[Transitional care management services reported under CPT codes 99495 and 99496 "
            "shall be paid at one hundred percent (100%) of Original Medicare.]]",
            "C-4",
            findings=[vague("medium", "benchmark_unspecified")],
            rates=[
                rate(
                    "99495",
                    "CPT",
                    "Transitional care management, moderate complexity",
                    "percent_of_benchmark",
                    percent=100.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="one hundred percent (100%) of Original Medicare",
                ),
                rate(
                    "99496",
                    "CPT",
                    "Transitional care management, high complexity",
                    "percent_of_benchmark",
                    percent=100.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="one hundred percent (100%) of Original Medicare",
                ),
            ],
        ),
        p(
            "[[For any service for which neither this Exhibit nor the Medicare Physician Fee "
            "Schedule provides a payment amount, including unlisted procedure codes and codes "
            "priced by Medicare contractors, the MA Organization shall determine the payment "
            "amount in its sole judgment, having regard to such pricing information as it "
            "considers appropriate.]]",
            "C-5",
            findings=[vague("high", "payer_discretion")],
        ),
        # ------------------------------------------------------------------ Attachment D
        h1("ATTACHMENT D\nD-SNP PRODUCT ATTACHMENT"),
        p(
            "This Attachment applies to the Practice\u2019s participation in the MA "
            "Organization\u2019s D-SNP, which the MA Organization operates under a contract with "
            "the State Medicaid agency in the counties of Ashby, Corwin and Dale.",
            "D.1",
        ),
        p(
            "The Practice shall coordinate Medicaid-covered services for D-SNP Enrollees with "
            "the care coordinator identified in each Enrollee\u2019s individualized care plan.",
            "D.2",
        ),
        p(
            "[[This Attachment covers contract year 2026 and shall thereafter be extended "
            "automatically for each subsequent contract year in which the MA Organization "
            "continues to offer a D-SNP in the Service Area, unless the Practice notifies the MA "
            "Organization in writing, not less than six (6) months before the start of a "
            "contract year, that it elects to withdraw from the D-SNP network for that year.]]",
            "D.3",
            findings=[
                evergreen(
                    "medium",
                    12,
                    12,
                    None,
                    note="withdrawal notice is stated in months ('six (6) months'), so "
                    "notice_days is null.",
                )
            ],
        ),
        p(
            "If the State Medicaid agency does not renew its contract with the MA Organization "
            "for the D-SNP, this Attachment shall end on the date that contract ends.",
            "D.4",
        ),
    ]

    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-01-01",
        expiration_date="2026-12-31",
        initial_term_months=12,
        product_lines=["medicare_advantage"],
        blocks=blocks,
        running=Running(
            header_right="Three Rivers Senior Health Plan",
            footer_left="Form TRSHP-SNP-PA v3.1 (01/2026)",
            footer_right="{page} / {pages}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes=(
            "Holdout. Numbered headings ('6. RECORDS, ACCESS AND AUDIT') over paragraphs printed "
            "(i), (ii), (iii) ...; the section is written '6(iii)' after the README's '4(b)' "
            "convention (note that '(i)' here is a roman one, not the letter i). Exhibit C "
            "paragraphs C-1..C-5, Attachment D paragraphs D.1..D.4. The contract fields describe "
            "the one-year initial term (the agreement then continues indefinitely, 5(i)). "
            "Traps: recredentialing and licence/enrollment renewal (2(iii)); hold-harmless "
            "(3(i)); 'terminate automatically' if CMS does not renew (5(iii)) and the State "
            "Medicaid agency non-renewal (D.4); the Practice's own 60-day report-and-return "
            "duty (6(v)); fully specified MPFS benchmark in C-1 (2026, locality, facility / "
            "non-facility). 6(i) is regulatory access (low, lookback null); 6(iii) is a payment "
            "review reaching three calendar years (36 months, high). 6(iv) recovers after "
            "notice but during appeals: medium."
        ),
    )
    return Holdout(
        contract,
        traps=[
            "recredential the Practice\u2019s practitioners at intervals not exceeding",
            "shall terminate automatically as to any SNP for which CMS does not renew",
            "shall report and return any overpayment that it identifies within sixty (60) days",
            "for calendar year 2026 for the Medicare payment locality in which the service is "
            "furnished",
            "does not renew its contract with the MA Organization for the D-SNP",
        ],
    )
