"""Medicare Advantage participation amendment with CMS-required regulatory language."""

from __future__ import annotations

import dataclasses
import random

from .. import boilerplate as bp
from ..common import (
    UNPRICED,
    audit,
    carve,
    cred,
    evergreen,
    filing,
    finding,
    in_exhibit,
    money,
    prompt_pay,
    rate,
    recoup,
    rng_for,
    vague,
    without_cause,
)
from ..draft import Article, Clause, PlainNumbers, RomanOnly, Terms, render_articles
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

NAME = "medicare_advantage_amendment"
PAYER = "Keystone Meadows Health Plan, Inc."
PROVIDER = "Riverbend Family Physicians, PLLC"
TITLE = "Medicare Advantage Participation Amendment"
PRODUCT = "medicare_advantage"

EFFECTIVE = "2025-01-01"  # Attachment 1's effective date (its heading)

# (code, code type, service, rate or unpriced cell as printed)
SUPPLEMENTAL = [
    ("92004", "CPT", "Routine eye exam, new patient", 118.00),
    ("92014", "CPT", "Routine eye exam, established patient", 94.00),
    ("92015", "CPT", "Refraction (determination of refractive state)", 28.00),
    ("92250", "CPT", "Fundus photography with interpretation and report", "Per Medicare"),
    ("V2020", "HCPCS", "Frames, purchases (furnished through Plan's vision vendor)", "Not covered"),
    ("92557", "CPT", "Routine hearing evaluation", 58.00),
    ("V5010", "HCPCS", "Hearing aid fitting assessment", 65.00),
    ("V5261", "HCPCS", "Hearing aid, digital, binaural, behind the ear", "Not covered"),
    ("D0120", "OTHER", "Periodic oral evaluation (dental)", 38.00),
    ("D0150", "OTHER", "Comprehensive oral evaluation (dental)", 61.00),
    ("D0274", "OTHER", "Bitewings, four radiographic images (dental)", 52.00),
    ("D1110", "OTHER", "Prophylaxis, adult (dental)", 72.00),
]


def _articles(rng: random.Random) -> list[Article]:
    return [
        Article(
            "Purpose and Definitions",
            [
                Clause(
                    "This Amendment adds Plan's Medicare Advantage products to the Agreement and "
                    "sets out the terms that federal law requires in contracts between Medicare "
                    "Advantage organizations and their first tier, downstream and related "
                    "entities. Terms not defined in this Amendment have the meanings given in the "
                    "Agreement."
                ),
                Clause(
                    '"CMS" means the Centers for Medicare & Medicaid Services. "MA Member" means '
                    "an individual enrolled in a Medicare Advantage plan offered by Plan under a "
                    'contract with CMS. "Original Medicare" means the Medicare fee-for-service '
                    "program under Parts A and B of Title XVIII of the Social Security Act."
                ),
            ],
        ),
        Article(
            "Participation",
            [
                Clause(
                    "Provider shall participate in Keystone Meadows Medicare Advantage HMO and "
                    "Keystone Meadows Medicare Advantage PPO and shall furnish Covered Services to "
                    "MA Members in accordance with the Agreement, this Amendment and the Medicare "
                    "Advantage requirements of 42 C.F.R. Part 422."
                ),
                Clause(
                    "Provider shall maintain its Medicare enrollment in good standing and shall "
                    "not employ or contract with any individual or entity that is excluded from "
                    "participation in federal health care programs. Provider shall screen its "
                    "employees and contractors against the federal exclusion lists before hiring "
                    "and monthly thereafter."
                ),
            ],
        ),
        Article(
            "Compensation",
            [
                Clause(
                    "For Covered Services rendered to MA Members, Plan shall pay Provider one "
                    "hundred percent (100%) of the amount that Original Medicare would pay for the "
                    "service under the Medicare Physician Fee Schedule for the CMS payment "
                    "locality in which the service is furnished, in effect on the date of service, "
                    "including all adjustments that Original Medicare would apply, less applicable "
                    "MA Member cost-sharing.",
                    rates=[
                        rate(
                            None,
                            "CPT",
                            "Covered Services to MA Members (MPFS, locality and date of service)",
                            "percent_of_benchmark",
                            percent=100.0,
                            percent_of="medicare",
                            unit="per_service",
                            anchor="one hundred percent (100%) of the amount that Original "
                            "Medicare would pay",
                        )
                    ],
                ),
                Clause(
                    "Supplemental benefits that Original Medicare does not cover shall be paid at "
                    "the amounts listed in Attachment 1."
                ),
                Clause(
                    "[[Services for which Original Medicare has not established a payment amount, "
                    "and that are not listed in Attachment 1,]] [[will be paid according to Plan's "
                    "standard Medicare Advantage fee schedule in effect on the date of service.]]",
                    findings=[
                        finding("non_priced_codes", "medium", payer_sets=True),
                        vague("high", "payer_fee_schedule"),
                    ],
                ),
                Clause(
                    "[[Plan will load each CMS revision of the Medicare Physician Fee Schedule "
                    "within sixty (60) days after CMS publishes it and will apply it to claims "
                    "with dates of service on and after the CMS effective date.]] [[Claims paid "
                    "before a revision is loaded will be reprocessed, and Plan will pay or recover "
                    "the difference.]]",
                    findings=[
                        finding("rate_escalator", "medium", {"percent": None}, kind="benchmark"),
                        finding("retroactive_rate_change", "high", reaches_back=True),
                    ],
                ),
            ],
        ),
        Article(
            "Claims and Prompt Payment",
            [
                Clause(
                    "[[Provider shall submit claims for services to MA Members within one (1) year "
                    "after the date of service.]] [[As 42 C.F.R. \u00a7 422.520 requires, Plan "
                    "shall pay ninety-five percent (95%) of Clean Claims from Provider within "
                    "thirty (30) days after receipt and shall pay interest on Clean Claims not "
                    "paid within that period at the rate Original Medicare uses.]]",
                    findings=[
                        filing(
                            "low",
                            None,
                            days_equivalent=365,
                            note="The filing window is written in years ('one (1) year'), so "
                            "days is null (low: at least 180 days).",
                        ),
                        prompt_pay("low", 30, regulatory=True),
                    ],
                ),
                Clause(
                    "[[Plan applies to claims for MA Members the National Correct Coding "
                    "Initiative edits and medically unlikely edits that CMS publishes, in the same "
                    "manner as Original Medicare.]]",
                    findings=[finding("claims_editing", "low", source="ncci")],
                ),
                Clause(
                    "[[As 42 C.F.R. \u00a7 422.504(g) requires, Provider shall not hold an MA "
                    "Member liable for payment of any fees that are the legal obligation of Plan. "
                    "For MA Members who are also eligible for Medicaid, Provider shall not bill "
                    "the MA Member for Medicare cost-sharing when the State is responsible for "
                    "paying that amount, and shall accept Plan's payment plus any amount paid by "
                    "the State as payment in full.]]",
                    findings=[finding("hold_harmless", "low", regulatory=True)],
                ),
            ],
        ),
        Article(
            "Overpayments",
            [
                Clause(
                    "Provider shall report and return any overpayment it identifies within sixty "
                    "(60) days after the date on which the overpayment was identified, and shall "
                    "notify Plan in writing of the reason for the overpayment."
                ),
                Clause(
                    "[[Plan may recover overpayments made to Provider, including overpayments "
                    "identified by CMS or its contractors through risk adjustment data validation, "
                    "by offsetting the amount of the overpayment against payments due to Provider "
                    "under any Plan product or any other agreement between Plan and Provider.]] "
                    "Plan shall send Provider a statement of each offset.",
                    findings=[recoup("high", None, cross=True, prior_notice=False)],
                ),
            ],
        ),
        Article(
            "Records, Access and Audits",
            [
                Clause(
                    "[[Provider shall maintain books, records, documents and other evidence of "
                    "accounting procedures and practices related to services furnished to MA "
                    "Members for a period of ten (10) years from the final date of the CMS "
                    "contract period or from the date of completion of any audit, whichever is "
                    "later, and shall give the Department of Health and Human Services, the "
                    "Comptroller General, CMS and their designees the right to audit, evaluate, "
                    "collect and inspect those records.]]",
                    findings=[
                        regulatory(
                            audit(
                                "low",
                                None,
                                False,
                                None,
                                kind="access",
                                recovery=False,
                                note="Required CMS record-access language (regulatory).",
                            )
                        )
                    ],
                ),
                Clause(
                    "[[Plan may conduct post-payment reviews of claims paid to Provider within the "
                    "preceding twenty-four (24) months, including reviews of diagnosis coding "
                    "submitted for risk adjustment, upon sixty (60) days' written notice to "
                    "Provider, and may recover any amounts paid in error.]]",
                    findings=[audit("medium", 24, False, 60)],
                ),
                Clause(
                    "Provider shall submit complete encounter data for services furnished to MA "
                    "Members within the time frames CMS specifies, and certifies that all "
                    "diagnosis and encounter data it submits are accurate, complete and truthful "
                    "to the best of its knowledge."
                ),
            ],
        ),
        Article(
            "Medicare Regulatory Requirements",
            [
                Clause(
                    "Provider shall comply with all applicable Medicare laws, regulations and CMS "
                    "instructions, and with Plan's policies and procedures to the extent they "
                    "implement those requirements. Provider shall complete general compliance and "
                    "fraud, waste and abuse training within ninety (90) days after the Amendment "
                    "Effective Date and annually thereafter."
                ),
                Clause(
                    "Plan retains responsibility to CMS for the performance of its Medicare "
                    "Advantage contract. Any services or activities that Provider performs for "
                    "Plan shall be consistent with Plan's contractual obligations to CMS, and Plan "
                    "may revoke any delegated activity that Provider does not perform "
                    "satisfactorily."
                ),
                Clause(
                    "[[In the event of Plan's insolvency, Provider shall continue to furnish "
                    "Covered Services to MA Members, without charge beyond their cost-sharing, "
                    "through the period for which CMS has paid Plan and, for MA Members who are "
                    "hospitalized on that date, until discharge.]]",
                    findings=[
                        finding(
                            "hold_harmless",
                            "low",
                            regulatory=True,
                            note="CMS continuation-of-benefits language on Plan's insolvency "
                            "(42 C.F.R. 422.504(g)(2)), with no charge to MA Members beyond "
                            "cost-sharing: hold_harmless, regulatory.",
                        )
                    ],
                ),
            ],
        ),
        Article(
            "Term of Amendment",
            [
                Clause(
                    "[[This Amendment shall be effective January 1, 2025 and shall remain in "
                    "effect through December 31, 2025. It shall thereafter renew automatically for "
                    "successive one (1) year terms aligned with the Medicare contract year, unless "
                    "either party gives written notice of non-renewal at least one hundred twenty "
                    "(120) days prior to the end of the then-current term.]]",
                    findings=[evergreen("high", 12, 12, 120)],
                ),
                Clause(
                    "[[Plan may terminate this Amendment without cause on at least sixty (60) "
                    "days' written notice to Provider, as 42 C.F.R. \u00a7 422.202(d)(4) "
                    "requires.]]",
                    findings=[without_cause("low", 60, payer_may=True, regulatory=True)],
                ),
                Clause(
                    "This Amendment shall terminate automatically with respect to a Medicare "
                    "Advantage product if Plan's contract with CMS for that product terminates or "
                    "is not renewed by CMS. Termination of this Amendment does not terminate the "
                    "Agreement with respect to other products."
                ),
            ],
        ),
        Article(
            "Miscellaneous",
            [
                Clause(
                    "[[If this Amendment conflicts with the Agreement with respect to MA Members, "
                    "this Amendment controls.]] Except as modified by this Amendment, the "
                    "Agreement remains in full force and effect.",
                    findings=[finding("order_of_precedence", "low", manual_prevails=False)],
                ),
                bp.confidentiality(rng)[0],
            ],
        ),
    ]


def _attachment() -> list:
    rows = [[c, d, a if isinstance(a, str) else money(a)] for c, _, d, a in SUPPLEMENTAL]
    rates = [
        rate(
            c,
            ct,
            d,
            "fee_schedule",
            amount=None if isinstance(a, str) else a,
            unit="per_service",
            product_line=PRODUCT,
            note=UNPRICED[a] if isinstance(a, str) else None,
        )
        for c, ct, d, a in SUPPLEMENTAL
    ]
    return [
        PageBreak(),
        Heading(
            "ATTACHMENT 1\nMEDICARE ADVANTAGE PROFESSIONAL SUPPLEMENTAL BENEFIT FEE SCHEDULE\n"
            "Effective January 1, 2025"
        ),
        Para(
            "The following amounts apply to supplemental benefits offered under Keystone Meadows "
            "Medicare Advantage plans that include routine vision, hearing or dental benefits, "
            'for dates of service on and after January 1, 2025. "Per Medicare" services are '
            "paid under Article III, paragraph 1."
        ),
        Table(
            ["Code", "Service", "Rate"],
            rows,
            [70, 300, 98],
            rates=in_exhibit(rates, setting="professional", effective_date=EFFECTIVE),
            align_right=(2,),
        ),
        Para(
            "Dental codes are Current Dental Terminology (CDT) codes. [[Hearing aid devices are "
            "furnished through Plan's hearing benefit administrator, and eyewear through Plan's "
            "vision vendor; neither is payable to Provider.]]",
            style="small",
            findings=[carve("high", "vendor_network_carve_out")],
        ),
    ]


def _attachment_2() -> list:
    t = Terms("Plan", "Provider", "MA Members", "MA Member")
    arts = [
        Article(
            "",
            [
                Clause(
                    "[[A practitioner of Provider may treat MA Members as a participating provider "
                    "only after Plan has credentialed the practitioner under its credentialing "
                    "program, which follows 42 C.F.R. \u00a7 422.204.]]",
                    findings=[cred("low", None, retroactive=False, regulatory=True)],
                ),
                Clause(
                    "[[Provider shall not steer or encourage MA Members to enroll in or disenroll "
                    "from any Medicare Advantage plan, and any marketing to MA Members shall "
                    "comply with 42 C.F.R. Part 422, Subpart V.]]",
                    findings=[
                        finding("non_solicitation", "low", member_limits=True, regulatory=True)
                    ],
                ),
                Clause(
                    "Nothing in the Agreement or this Amendment restricts Provider from advising "
                    "an MA Member about the MA Member's health status, medical care or treatment "
                    "options, as 42 C.F.R. \u00a7 422.206 provides."
                ),
                Clause(
                    "Plan shall not deny payment for a service that it approved in advance on the "
                    "ground that the service was not medically necessary, as 42 C.F.R. "
                    "\u00a7 422.138(c) requires."
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("ATTACHMENT 2\nADDITIONAL CMS-REQUIRED PROVISIONS"),
        Para(
            "CMS requires the following provisions in contracts between Medicare Advantage "
            "organizations and their first tier, downstream and related entities. They apply to "
            "services furnished to MA Members."
        ),
        *render_articles(arts, PlainNumbers(), t),
    ]


def regulatory(f):
    """``f`` marked as required MA language (``fields.regulatory``)."""
    return dataclasses.replace(f, fields={**f.fields, "regulatory": True})


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Plan", "Provider", "MA Members", "MA Member")
    blocks = [
        Title(TITLE, "Amendment No. 2 to the Physician Services Agreement dated June 1, 2021"),
        Para(
            f'This {TITLE} (this "Amendment") is made by and between {PAYER}, a Pennsylvania '
            f'corporation ("Plan"), and {PROVIDER} ("Provider"), and is effective as of January '
            '1, 2025 (the "Amendment Effective Date"). It amends the Physician Services Agreement '
            'between Plan and Provider dated June 1, 2021 (the "Agreement").'
        ),
    ]
    blocks += render_articles(_articles(rng), RomanOnly(), t)
    blocks.append(
        Signature(
            [("PLAN", PAYER), ("PROVIDER", PROVIDER)],
            lead_in="The parties have executed this Amendment by their authorized representatives.",
        )
    )
    blocks += _attachment() + _attachment_2()
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-01-01",
        expiration_date="2025-12-31",
        initial_term_months=12,
        product_lines=[PRODUCT],
        blocks=blocks,
        running=Running(
            header_left="Keystone Meadows Health Plan - " + TITLE,
            header_right="KMHP-MA-AMD-02",
            footer_center="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes="A Medicare Advantage amendment to an underlying 2021 agreement; effective_date, "
        "expiration_date and initial_term_months describe this Amendment's own term (printed "
        "end date 2025-12-31). Articles are numbered ARTICLE I..IX with unnumbered "
        "paragraphs, so sections are Roman numerals. The CMS record-access clause is a "
        "regulatory audit_provision (low). Trap: Provider's 60-day report-and-return duty "
        "is not a recoupment by Plan. Dental rows are CDT codes (code_type OTHER). The "
        "Attachment 1 fee schedule came back from Plan as a scan: its page has no text "
        "layer (source.scanned_pages). 'Per Medicare' and 'Not covered' cells are rate "
        "rows with a null amount and a note. Regulatory (CMS-required, cited or in the CMS "
        "attachment: severity low, fields.regulatory true): IV prompt payment (95% of clean claims "
        "in 30 days, 42 C.F.R. 422.520), IV and VII hold harmless (VII is the insolvency "
        "continuation-of-benefits clause, annotated as hold_harmless because it bars charges "
        "beyond cost-sharing - judgement call), VI record access, VIII 60-day without-cause "
        "termination by Plan (422.202(d)(4)), Attachment 2 paragraphs 1 (credentialing before "
        "participation) and 2 (no steering of enrollment or disenrollment: non_solicitation). Not "
        "regulatory: IV one-year filing window (timely_filing, days null because written in "
        "years, low), IV NCCI / MUE edits only (claims_editing low), III CMS fee schedule "
        "revisions loaded within 60 days (rate_escalator benchmark pass-through, medium) with paid "
        "claims reprocessed and the difference recovered (retroactive_rate_change high), IX "
        "(this Amendment prevails over the Agreement: order_of_precedence low), Attachment 1 note "
        "(hearing aids and eyewear carved out to Plan's vendors: carve_out vendor, high, on the "
        "scanned page). III paragraph 3 is one sentence with two findings, split at its clause "
        "boundary (non_priced_codes medium / vague_reimbursement). Traps: Attachment 2 paragraph "
        "3 (anti-gag: Provider may advise MA Members freely) is not non_solicitation; paragraph 4 "
        "(no denial of services approved in advance for lack of medical necessity) rules "
        "retroactive_denial out; VII paragraph 2 (Plan may revoke delegated activities) is not "
        "assignment; VII paragraph 1 (follow Plan policies that implement CMS rules) gives Plan no "
        "amendment right; VIII paragraph 2 (automatic termination with Plan's CMS contract) is "
        "not termination_without_cause. Only Attachment 1 (page 4) is scanned; Attachment 2 "
        "follows it as a digital page.",
        scan=ScanPlan(
            start="MEDICARE ADVANTAGE PROFESSIONAL SUPPLEMENTAL BENEFIT",
            end="Dental codes are Current Dental Terminology (CDT) codes.",
        ),
    )
