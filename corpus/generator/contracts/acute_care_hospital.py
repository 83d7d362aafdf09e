"""Acute-care hospital agreement, commercial HMO/POS/PPO, with a hospital compensation exhibit."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    also,
    amendment,
    audit,
    carve,
    evergreen,
    finding,
    in_exhibit,
    money,
    prompt_pay,
    rate,
    readmission,
    recoup,
    rng_for,
    stop_loss,
    vague,
    without_cause,
)
from ..draft import (
    Article,
    ArticleDecimal,
    Clause,
    Prefixed,
    Terms,
    Unnumbered,
    render_articles,
    resolve_refs,
)
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "acute_care_hospital_agreement"
PAYER = "Cascadia Summit Health Plan, Inc."
PROVIDER = "Saint Brendan Regional Medical Center"
TITLE = "Participating Hospital Agreement"

PER_DIEMS = [
    ("Medical/Surgical", "0110-0159", 2875.00),
    ("Intensive Care Unit", "0200-0209", 5150.00),
    ("Coronary Care Unit", "0210-0219", 4980.00),
    ("Neonatal Intensive Care, Level III", "0173", 3640.00),
    ("Neonatal Intensive Care, Level IV", "0174", 5420.00),
    ("Acute Inpatient Rehabilitation", "0118, 0128, 0138", 1905.00),
    ("Inpatient Psychiatric", "0114, 0124, 0134", 1460.00),
    ("Subacute Care", "0190-0199", 1120.00),
]

DRG_CASE_RATES = [
    ("470", "Major hip and knee joint replacement w/o MCC", 28450.00),
    ("460", "Spinal fusion except cervical w/o MCC", 52800.00),
    ("247", "Perc cardiovasc proc w drug-eluting stent w/o MCC", 31200.00),
    ("291", "Heart failure and shock w MCC", 16750.00),
    ("871", "Septicemia w/o MV >96 hours w MCC", 24900.00),
    ("788", "Cesarean section w/o sterilization w/o CC/MCC", 13400.00),
    ("807", "Vaginal delivery w/o sterilization/D&C w/o CC/MCC", 9850.00),
    ("795", "Normal newborn", 2150.00),
]

EFFECTIVE = "2024-01-01"  # Exhibit B's effective date (its heading)

ED_LEVELS = [
    ("99281", "Level 1", 410.00),
    ("99282", "Level 2", 690.00),
    ("99283", "Level 3", 1140.00),
    ("99284", "Level 4", 1780.00),
    ("99285", "Level 5", 2640.00),
]


def _main_articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        [
            "Clean Claim",
            "Covered Services",
            "Coverage Agreement",
            "Member",
            "Medically Necessary",
            "Product",
            "Provider Manual",
            "Emergency Services",
            "Eligible Charges",
        ],
        {
            "Hospital Services": (
                "the inpatient, outpatient, emergency and ancillary services that "
                "Hospital is licensed and equipped to furnish at the locations listed "
                "in Attachment A."
            ),
            "Payor": (
                "Plan or any employer, union trust or other entity that has contracted with Plan "
                "for access to Plan's networks and that is financially responsible for Covered "
                "Services rendered to its enrollees."
            ),
        },
    )
    return [
        Article(
            "Definitions",
            [Clause(d) for d in defs],
            intro="Capitalized terms used in this Agreement have the meanings set forth below "
            "or, if not defined below, the meanings given to them elsewhere in this "
            "Agreement.",
        ),
        Article(
            "Hospital Services and Participation",
            [
                Clause(
                    "Hospital shall provide Hospital Services to Members in the same manner, and "
                    "with the same availability and quality, as Hospital provides such services to "
                    "its other patients. Hospital shall maintain sufficient staff, facilities and "
                    "equipment to furnish Hospital Services twenty-four (24) hours a day, seven "
                    "(7) days a week.",
                    "Provision of Hospital Services",
                ),
                Clause(
                    "Hospital shall participate in the Products identified in Attachment A. Plan "
                    "may not designate Hospital as a participating provider in any other product "
                    "without Hospital's prior written consent.",
                    "Products",
                ),
                Clause(
                    "Hospital shall accept Members for admission upon the order of a physician who "
                    "holds clinical privileges at Hospital. Hospital shall notify Plan of each "
                    "inpatient admission by the next business day after the admission, and of each "
                    "emergency admission within one (1) business day after the Member's condition "
                    "is stabilized.",
                    "Admissions and Notification",
                ),
                Clause(
                    "Hospital shall cooperate with Plan's utilization management and case "
                    "management programs described in the Provider Manual, including concurrent "
                    "review and discharge planning. [[Plan's authorization of a service is a "
                    "determination of medical necessity only and is subject to the Member's "
                    "eligibility on the date of service.]]",
                    "Utilization Management",
                    findings=[
                        finding(
                            "retroactive_denial",
                            "medium",
                            post_service_necessity=False,
                            note="Judgement call: the authorization settles medical necessity "
                            "but not eligibility, so payment of an authorized service may still "
                            "be denied for eligibility (medium, no post-service necessity "
                            "review).",
                        )
                    ],
                ),
                Clause(
                    "Hospital shall provide Emergency Services to Members without requiring prior "
                    "authorization. Hospital shall notify Plan of a Member's emergency department "
                    "visit that results in an admission or transfer, and shall coordinate with "
                    "Plan regarding the transfer of a stabilized Member to another participating "
                    "facility when medically appropriate.",
                    "Emergency Services",
                ),
                Clause(
                    "Physicians who provide anesthesiology, radiology, pathology and emergency "
                    "medicine services at Hospital are not parties to this Agreement. Hospital "
                    "shall use reasonable efforts to cause such physicians to participate in "
                    "Plan's networks and shall inform Plan promptly of any change in the groups "
                    "furnishing those services.",
                    "Hospital-Based Physicians",
                ),
                Clause(
                    "[[Hospital shall comply with the Provider Manual. Plan may revise the "
                    "Provider Manual upon forty-five (45) days' written notice to Hospital.]] "
                    "[[If a provision of the Provider Manual conflicts with this Agreement, this "
                    "Agreement shall control.]]",
                    "Provider Manual",
                    findings=[
                        amendment("medium", 45, "manual"),
                        finding("order_of_precedence", "low", manual_prevails=False),
                    ],
                ),
                *bp.compliance(rng),
                Clause(
                    "[[Plan shall decide whether a Member's hospital stay is payable as an "
                    "inpatient admission or as observation services by applying the MCG "
                    "inpatient and surgical care guidelines in effect on the date of admission. "
                    "A stay that does not meet those guidelines for inpatient care shall be paid "
                    "as observation services under Section <<obs>> of Exhibit B, whatever the "
                    "status ordered by the attending physician,]] unless the admission is "
                    "approved on a physician-to-physician review requested by Hospital within two "
                    "(2) business days after Plan's determination.",
                    "Level of Care Determinations",
                    findings=[finding("observation_vs_inpatient", "medium")],
                ),
            ],
        ),
        Article(
            "Plan Obligations",
            [
                Clause(
                    "Plan shall issue identification cards to Members and shall maintain a system, "
                    "available to Hospital twenty-four (24) hours a day by telephone or through "
                    "Plan's provider portal, for verifying a Member's eligibility and benefits. "
                    "Plan shall pay for Covered Services authorized in reliance on eligibility "
                    "information furnished by Plan, even if the Member is later found to have been "
                    "ineligible, for services rendered within the three (3) business days "
                    "following the verification.",
                    "Eligibility Verification",
                ),
                Clause(
                    "Plan shall list Hospital as a participating provider in the directories it "
                    "publishes for each Product in which Hospital participates and shall correct "
                    "any inaccuracy within thirty (30) days after Hospital reports it.",
                    "Directories",
                ),
                Clause(
                    "Plan shall make available to Hospital, at no charge, the Provider Manual, its "
                    "medical policies and the clinical criteria it applies in utilization "
                    "management, and shall furnish the criteria used in any specific adverse "
                    "determination upon request.",
                    "Information to Hospital",
                ),
                Clause(
                    "[[Plan shall not steer Members away from Hospital or place Hospital in a less "
                    "favorable benefit tier than other acute care hospitals in Pierce County "
                    "during the initial term, except as required by an employer group's benefit "
                    "design.]]",
                    "Network Status",
                    findings=[finding("anti_steering", "low", protects_provider=True)],
                ),
            ],
        ),
        Article(
            "Credentialing and Quality Improvement",
            [
                *bp.credentialing(rng),
                Clause(
                    "Hospital shall maintain accreditation by The Joint Commission or another "
                    "accrediting organization recognized by the Centers for Medicare & Medicaid "
                    "Services and shall notify Plan within ten (10) days after any loss, "
                    "suspension or conditioning of accreditation.",
                    "Accreditation",
                ),
                Clause(
                    "Hospital shall participate in Plan's quality improvement program and shall "
                    "provide Plan with data reasonably requested for HEDIS reporting, patient "
                    "safety initiatives and the investigation of Member grievances.",
                    "Quality Improvement",
                ),
            ],
        ),
        Article(
            "Claims and Compensation",
            [
                *bp.claims_submission(rng, "one hundred eighty (180) days", "thirty (30) days"),
                Clause(
                    "Plan shall pay Hospital for Covered Services rendered to Members in "
                    "accordance with the Hospital Compensation Schedule attached as Exhibit B, "
                    "less any applicable copayment, coinsurance and deductible. Hospital shall "
                    "accept such payment as payment in full.",
                    "Compensation",
                ),
                *bp.cob(rng),
                *bp.hold_harmless(rng),
                Clause(
                    "If Plan determines that it has overpaid a claim, Plan shall send Hospital a "
                    "written notice identifying the Member, the date of service, the claim number, "
                    "the amount of the overpayment and the reason for the determination. [[If "
                    "Hospital does not dispute the overpayment or refund it within forty-five (45) "
                    "days after receiving the notice, Plan may recover the overpayment by "
                    "offsetting it against subsequent payments due to Hospital under this "
                    "Agreement. Plan shall not initiate recovery of an overpayment more than "
                    "eighteen (18) months after the date of the original payment, except in cases "
                    "of fraud or duplicate payment.]]",
                    "Overpayments",
                    key="overpay",
                    findings=[recoup("medium", 18, prior_notice=True, dispute_stay=False)],
                ),
                Clause(
                    "Hospital shall give Plan at least sixty (60) days' written notice before "
                    "implementing any increase in its chargemaster. Increases in Eligible Charges "
                    "exceeding five percent (5%) in any calendar year shall not be recognized in "
                    "calculating payments that are based on Eligible Charges.",
                    "Chargemaster Changes",
                ),
                Clause(
                    "[[Claims are subject to the claim editing software and payment policies that "
                    "Plan applies to hospital claims generally, including National Correct Coding "
                    "Initiative edits and additional clinical and bundling edits developed by "
                    "Plan or its claim editing vendor.]] [[Plan may add or revise edits and "
                    "payment policies from time to time by publishing them on its provider "
                    "portal.]]",
                    "Claim Edits",
                    findings=[
                        finding("claims_editing", "high", source="proprietary"),
                        amendment("medium", None, "manual"),
                    ],
                ),
            ],
        ),
        Article(
            "Claim Reconsideration and Appeals",
            [
                Clause(
                    "Hospital may request reconsideration of any claim determination by submitting "
                    "a written request, with supporting documentation, within one hundred eighty "
                    "(180) days after the date of the remittance advice. Plan shall issue a "
                    "written decision within forty-five (45) days after receiving the request.",
                    "Reconsideration",
                ),
                Clause(
                    "If Hospital disagrees with the reconsideration decision, Hospital may file a "
                    "second-level appeal within sixty (60) days. Second-level appeals involving "
                    "medical necessity shall be decided by a physician reviewer who holds an "
                    "active, unrestricted license and who was not involved in the initial "
                    "determination.",
                    "Second-Level Appeal",
                ),
                Clause(
                    "Nothing in this Article limits a Member's right to pursue a grievance or "
                    "appeal under the Member's Coverage Agreement or applicable law, and Hospital "
                    "may act as the Member's authorized representative in any such appeal.",
                    "Member Appeals",
                ),
            ],
        ),
        Article(
            "Records, Audits and Reviews",
            [
                bp.retention_only(rng),
                bp.payer_financial_audit(rng),
                Clause(
                    "[[Plan or its designated review vendor may audit claims paid to Hospital, "
                    "including by means of DRG validation, clinical validation, level-of-care "
                    "review and itemized bill review, for any claim paid within the twenty-four "
                    "(24) months preceding the date of Plan's audit notice. Plan shall give "
                    "Hospital at least thirty (30) days' advance written notice of an audit, and "
                    "any amount found to have been overpaid may be recovered under Section "
                    "<<overpay>>.]] Requests for medical records in connection with an audit shall "
                    "not exceed one hundred (100) records in any sixty (60) day period, and "
                    "Hospital shall produce requested records within forty-five (45) days after "
                    "receipt of the request.",
                    "Claims Audits",
                    key="audit",
                    findings=[audit("medium", 24, False, 30)],
                ),
                Clause(
                    "[[Hospital shall permit Plan, the Washington Office of the Insurance "
                    "Commissioner and any other governmental authority having jurisdiction to "
                    "inspect and copy Hospital's books and records relating to Covered Services "
                    "rendered to Members, upon reasonable notice and during regular business "
                    "hours.]] Plan shall reimburse Hospital's reasonable copying costs for records "
                    "requested by Plan other than for an audit under Section <<audit>>.",
                    "Access to Records",
                    findings=[audit("low", None, False, None, kind="access", recovery=False)],
                ),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[This Agreement shall commence on the Effective Date and shall continue for "
                    "an initial term of three (3) years. Thereafter, this Agreement shall renew "
                    "automatically for successive terms of one (1) year each, unless either party "
                    "gives the other written notice of non-renewal at least ninety (90) days "
                    "before the expiration of the then-current term.]]",
                    "Term",
                    findings=[evergreen("medium", 36, 12, 90)],
                ),
                Clause(
                    "[[After the expiration of the initial term, either party may terminate this "
                    "Agreement without cause upon at least one hundred eighty (180) days' prior "
                    "written notice to the other party.]]",
                    "Termination Without Cause",
                    findings=[without_cause("medium", 180, payer_may=True)],
                ),
                Clause(
                    "Either party may terminate this Agreement upon written notice if the other "
                    "party materially breaches this Agreement and fails to cure the breach within "
                    "sixty (60) days after receiving written notice describing it. Plan may "
                    "terminate this Agreement immediately if Hospital loses its license, its "
                    "Medicare certification or its accreditation.",
                    "Termination for Cause",
                ),
                Clause(
                    "Upon termination for any reason other than loss of licensure, Hospital shall "
                    "continue to furnish Covered Services to Members who are inpatients on the "
                    "date of termination until discharge, and to Members in an active course of "
                    "treatment for up to ninety (90) days, at the rates in effect immediately "
                    "before termination.",
                    "Continuation of Care",
                ),
            ],
        ),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article(
            "Insurance and Indemnification",
            [
                *bp.insurance(rng),
                Clause(
                    "Each party shall indemnify and hold harmless the other party from and against "
                    "any claims, losses and expenses, including reasonable attorneys' fees, to the "
                    "extent arising from the negligent acts or omissions of the indemnifying party "
                    "or its employees in the performance of this Agreement.",
                    "Indemnification",
                ),
            ],
        ),
        Article("Assignment", bp.assignment(rng)),
        Article("General Provisions", bp.general(rng, "Washington")),
    ]


def _attachment_a() -> list:
    return [
        PageBreak(),
        Heading("ATTACHMENT A\nPRODUCT AND LOCATION ATTACHMENT"),
        Para(
            "Hospital participates in the following Products offered or administered by Plan:",
            style="plain",
        ),
        Table(
            ["Product", "Network Name", "Product Type"],
            [
                ["Summit Select HMO", "Summit Select", "Commercial HMO"],
                ["Summit Select Plus POS", "Summit Select", "Commercial POS"],
                ["Summit Choice PPO", "Summit Choice", "Commercial PPO"],
            ],
            [150, 150, 168],
            ruled=True,
        ),
        Para(
            "Hospital does not participate in any Medicare Advantage, Medicaid managed care or "
            "individual marketplace product of Plan under this Agreement. Participation in any "
            "such product requires a separate written agreement or amendment signed by both "
            "parties.",
            style="body",
        ),
        Para(
            "Hospital locations: Saint Brendan Regional Medical Center, 2200 Harbor Crest Drive, "
            "Tacoma, Washington 98402 (main campus); Saint Brendan Outpatient Pavilion, 415 Ridge "
            "Road, Tacoma, Washington 98405.",
            style="plain",
        ),
    ]


def _exhibit_b(rng: random.Random, refs: dict) -> list:
    t = Terms("Plan", "Hospital")
    per_diem_rows = [[n, codes, money(a)] for n, codes, a in PER_DIEMS]
    per_diem_rates = in_exhibit(
        [
            rate(
                codes if "-" not in codes and "," not in codes else None,
                "REV",
                f"{n} (Rev. {codes})",
                "per_diem",
                amount=a,
                unit="per_diem",
            )
            for n, codes, a in PER_DIEMS
        ],
        setting="inpatient",
        effective_date=EFFECTIVE,
    )
    drg_rows = [[c, d, money(a)] for c, d, a in DRG_CASE_RATES]
    drg_rates = in_exhibit(
        [
            rate(c, "MS-DRG", d, "case_rate", amount=a, unit="per_case")
            for c, d, a in DRG_CASE_RATES
        ],
        setting="inpatient",
        effective_date=EFFECTIVE,
    )
    ed_rows = [[c, f"Emergency department visit, {lvl}", money(a)] for c, lvl, a in ED_LEVELS]
    ed_rates = in_exhibit(
        [
            rate(
                c,
                "CPT",
                f"Emergency department visit, {lvl} (Rev. 0450)",
                "fee_schedule",
                amount=a,
                unit="per_service",
            )
            for c, lvl, a in ED_LEVELS
        ],
        setting="outpatient",
        effective_date=EFFECTIVE,
    )
    arts = [
        Article(
            "",
            [
                Clause(
                    "This Exhibit B sets forth the compensation payable by Plan for Covered "
                    "Services rendered by Hospital to Members enrolled in the Products listed in "
                    "Attachment A. [[Payment for each claim shall be the lesser of Hospital's "
                    "Eligible Charges for the claim or the amount determined under this Exhibit "
                    "B.]]",
                    "General",
                    findings=[finding("lesser_of", "high", claim_level_case_rate=True)],
                ),
                Clause(
                    "Except as provided in Section <<drg>>, inpatient Covered Services shall be "
                    "paid at the per diem rate for the level of care provided on each day of the "
                    "admission, as identified by the revenue code billed for that day. The day of "
                    "discharge is not a payable day unless the Member is admitted and discharged "
                    "on the same day.",
                    "Inpatient Per Diem Rates",
                ),
                Table(
                    ["Service Category", "Revenue Codes", "Per Diem Rate"],
                    per_diem_rows,
                    [220, 130, 118],
                    rates=per_diem_rates,
                    align_right=(2,),
                    caption="Table B-1. Inpatient Per Diem Rates",
                ),
                Clause(
                    "Admissions grouping to the MS-DRGs listed in Table B-2 shall be paid the case "
                    "rate shown, which is payment in full for all inpatient Hospital Services "
                    "rendered during the admission. MS-DRG assignment shall be made using the "
                    "MS-DRG grouper version in effect on the date of discharge.",
                    "MS-DRG Case Rates",
                    key="drg",
                ),
                Table(
                    ["MS-DRG", "Description", "Case Rate"],
                    drg_rows,
                    [60, 290, 118],
                    rates=drg_rates,
                    align_right=(2,),
                    caption="Table B-2. Inpatient MS-DRG Case Rates",
                ),
                Clause(
                    "Emergency department visits billed under revenue code 0450 shall be paid the "
                    "per-visit rate in Table B-3 for the evaluation and management level billed. "
                    "If the Member is admitted as an inpatient, the emergency department visit is "
                    "included in the inpatient payment.",
                    "Emergency Department",
                ),
                Table(
                    ["CPT", "Description", "Per Visit"],
                    ed_rows,
                    [60, 290, 118],
                    rates=ed_rates,
                    align_right=(2,),
                    caption="Table B-3. Outpatient Emergency Department Rates (Rev. 0450)",
                ),
                Clause(
                    "Outpatient surgery and other outpatient services that are assigned to an "
                    "Ambulatory Payment Classification shall be paid at two hundred ten percent "
                    "(210%) of the Medicare OPPS APC payment rate in effect on the date of "
                    "service, adjusted by the wage index applicable to Hospital's core-based "
                    "statistical area and without reduction for sequestration. Outpatient clinical "
                    "laboratory services shall be paid at one hundred fifty percent (150%) of the "
                    "Medicare Clinical Laboratory Fee Schedule national limitation amount in "
                    "effect on the date of service.",
                    "Outpatient Services",
                    key="outpatient",
                    rates=[
                        rate(
                            None,
                            "APC",
                            "Outpatient services assigned to an APC",
                            "percent_of_benchmark",
                            percent=210.0,
                            percent_of="medicare",
                            unit="per_service",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
                            anchor="two hundred ten percent (210%) of the Medicare OPPS APC "
                            "payment rate",
                        ),
                        rate(
                            None,
                            None,
                            "Outpatient clinical laboratory services",
                            "percent_of_benchmark",
                            percent=150.0,
                            percent_of="medicare",
                            unit="per_service",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
                            anchor="one hundred fifty percent (150%) of the Medicare Clinical "
                            "Laboratory Fee Schedule",
                        ),
                    ],
                ),
                Clause(
                    "[[If Eligible Charges for an inpatient admission exceed one hundred fifty "
                    "thousand dollars ($150,000), Plan shall pay sixty-five percent (65%) of all "
                    "Eligible Charges for the admission in lieu of the per diem or case rate "
                    "otherwise payable.]] Charges for personal convenience items and for implants "
                    "paid under Section <<implants>> are excluded in determining whether the "
                    "threshold has been met.",
                    "Stop-Loss",
                    key="stoploss",
                    findings=[stop_loss("medium", 150000.0)],
                    rates=[
                        rate(
                            None,
                            None,
                            "Inpatient stop-loss: 65% of all Eligible Charges when "
                            "charges exceed $150,000",
                            "stop_loss",
                            amount=150000.0,
                            percent=65.0,
                            percent_of="billed_charges",
                            unit="per_case",
                            setting="inpatient",
                            effective_date=EFFECTIVE,
                            anchor="Plan shall pay sixty-five percent (65%) of all Eligible "
                            "Charges for the admission",
                        )
                    ],
                ),
                Clause(
                    "[[Covered Services that are not otherwise described in this Exhibit B shall "
                    "be reimbursed at forty-five percent (45%) of Eligible Charges.]]",
                    "Services Not Otherwise Listed",
                    findings=[
                        vague("low", "percent_of_charges_default"),
                        also(
                            finding("non_priced_codes", "low", payer_sets=False),
                            "Covered Services that are not otherwise described in this Exhibit B "
                            "shall be reimbursed at forty-five percent (45%) of Eligible Charges.",
                        ),
                    ],
                    rates=[
                        rate(
                            None,
                            None,
                            "Covered Services not otherwise listed",
                            "percent_of_benchmark",
                            percent=45.0,
                            percent_of="billed_charges",
                            effective_date=EFFECTIVE,
                            anchor="forty-five percent (45%) of Eligible Charges",
                        )
                    ],
                ),
                Clause(
                    "[[Professional services of Hospital-employed physicians and non-physician "
                    "practitioners that are billed on a CMS-1500 claim form shall be reimbursed "
                    "according to Plan's then-current Professional Fee Schedule, as Plan may amend "
                    "it from time to time.]] Such services are not eligible for the stop-loss "
                    "provision of Section <<stoploss>>.",
                    "Professional Services",
                    findings=[
                        vague("high", "payer_fee_schedule"),
                        also(
                            amendment(
                                "high",
                                None,
                                "rates",
                                note="The fee schedule 'as Plan may amend it from time to time' "
                                "is a unilateral right over rates; the same sentence is the "
                                "vague_reimbursement finding.",
                            ),
                            "Professional services of Hospital-employed physicians and "
                            "non-physician practitioners that are billed on a CMS-1500 claim form "
                            "shall be reimbursed according to Plan's then-current Professional "
                            "Fee Schedule, as Plan may amend it from time to time.",
                        ),
                    ],
                ),
                Clause(
                    "[[Implantable devices billed under revenue codes 0274, 0275, 0276 and 0278 "
                    "with an invoice cost above one thousand dollars ($1,000) per device shall be "
                    "paid at Hospital's invoice cost plus fifteen percent (15%), in addition to "
                    "the per diem or case rate.]] Hospital shall furnish the manufacturer's "
                    "invoice on request.",
                    "Implants",
                    key="implants",
                    findings=[carve("low", "rate_carve_out")],
                    rates=[
                        rate(
                            None,
                            "REV",
                            "Implants (Rev. 0274-0278), invoice over $1,000",
                            "other",
                            percent=115.0,
                            percent_of="other",
                            effective_date=EFFECTIVE,
                            anchor="invoice cost plus fifteen percent (15%)",
                        )
                    ],
                ),
                Clause(
                    "Outpatient observation services billed under revenue code 0762 shall be "
                    "paid one thousand six hundred fifty dollars ($1,650.00) per day, for up to "
                    "two (2) days. Observation stays that convert to an inpatient admission are "
                    "paid only as an inpatient admission.",
                    "Observation",
                    key="obs",
                    rates=[
                        rate(
                            "0762",
                            "REV",
                            "Observation services, per day (max. 2 days)",
                            "per_diem",
                            amount=1650.0,
                            unit="per_diem",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
                            anchor="one thousand six hundred fifty dollars ($1,650.00) per day",
                        )
                    ],
                ),
                Clause(
                    "[[An inpatient readmission to Hospital within seven (7) days after discharge "
                    "for the same or a closely related condition shall be combined with the "
                    "original admission and paid as a single admission, unless the readmission "
                    "was planned and documented in the discharge plan.]]",
                    "Readmissions",
                    findings=[readmission("medium", 7)],
                ),
                Clause(
                    "[[The rates in this Exhibit B shall apply to Covered Services with dates of "
                    "service, or for inpatient services dates of discharge, through December 31, "
                    "2026, and shall continue in effect thereafter until replaced by a written "
                    "amendment executed by both parties.]]",
                    "Rate Period",
                    findings=[
                        evergreen(
                            "high",
                            36,
                            None,
                            None,
                            rates_frozen=True,
                            note="Rate evergreen: the rates continue unchanged after the "
                            "initial term until superseded by mutual amendment.",
                        ),
                        also(
                            finding(
                                "rate_escalator",
                                "high",
                                {"percent": None},
                                kind="freeze",
                                note="No increase during the term and the same rates after "
                                "it: a freeze (same sentence as the rate evergreen).",
                            ),
                            "The rates in this Exhibit B shall apply to Covered Services with "
                            "dates of service, or for inpatient services dates of discharge, "
                            "through December 31, 2026, and shall continue in effect thereafter "
                            "until replaced by a written amendment executed by both parties.",
                        ),
                    ],
                ),
                Clause(
                    "[[Plan shall not pay for any service made necessary by a serious reportable "
                    "event listed by the National Quality Forum, or for the additional costs of "
                    "treating a hospital-acquired condition that was not present on admission, "
                    "as those conditions are identified by CMS for the Medicare program.]] "
                    "Hospital shall report each serious reportable event involving a Member to "
                    "Plan's quality department within five (5) business days.",
                    "Serious Reportable Events",
                    findings=[finding("never_events_hac", "low")],
                ),
                Clause(
                    "[[No facility fee is payable under Section <<outpatient>> for an evaluation "
                    "and management clinic visit furnished at an off-campus outpatient "
                    "department of Hospital, including the Saint Brendan Outpatient Pavilion; "
                    "only the professional claim for the visit is payable.]] Procedures "
                    "performed at the Outpatient Pavilion are paid under Section <<outpatient>> "
                    "in the same way as on the main campus.",
                    "Off-Campus Departments",
                    findings=[finding("site_of_service", "medium")],
                ),
                Clause(
                    "[[Organ, bone marrow and stem cell transplant services are excluded from this "
                    "Exhibit B. Plan covers such services only at the facilities it designates in "
                    "its transplant Centers of Excellence network, and Hospital shall be paid for "
                    "them only under a separate Centers of Excellence agreement.]]",
                    "Transplant Services",
                    findings=[carve("high", "vendor_network_carve_out")],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("EXHIBIT B\nHOSPITAL COMPENSATION SCHEDULE\nEFFECTIVE JANUARY 1, 2024"),
        Para(
            "Applies to: Summit Select HMO, Summit Select Plus POS and Summit Choice PPO.",
            style="center",
        ),
        *render_articles(arts, Prefixed("B"), t, refs=refs),
    ]


def _attachment_c() -> list:
    arts = [
        Article(
            "",
            [
                Clause(
                    "In the event Plan becomes insolvent or otherwise ceases operations, Hospital "
                    "shall continue to provide Covered Services to Members for the duration of the "
                    "period for which premiums have been paid and, for Members who are confined in "
                    "Hospital on the date of insolvency, until discharge. [[Hospital shall not "
                    "seek payment from such Members for those services except for applicable "
                    "cost-sharing.]]",
                    findings=[
                        finding(
                            "hold_harmless", "low", regulatory=True, bars_consented_noncovered=False
                        )
                    ],
                ),
                Clause(
                    "Hospital may not be penalized, and this Agreement may not be terminated, "
                    "because Hospital advocates on behalf of a Member, files a complaint against "
                    "Plan, or appeals a decision of Plan. Nothing in this Agreement prohibits "
                    "Hospital from discussing treatment options with a Member, regardless of "
                    "benefit coverage."
                ),
                Clause(
                    "[[Plan shall pay or deny at least ninety-five percent (95%) of the Clean "
                    "Claims Hospital submits each month within thirty (30) days after receipt, "
                    "and at least ninety-five percent (95%) of all claims within sixty (60) days "
                    "after receipt.]] Plan shall pay interest, at the rate set by Washington law, "
                    "on any Clean Claim it has not paid within sixty (60) days.",
                    findings=[prompt_pay("low", 30, regulatory=True)],
                ),
                Clause(
                    "To the extent that any provision of this Agreement is inconsistent with the "
                    "insurance laws of the State of Washington or the regulations of the Office of "
                    "the Insurance Commissioner, that provision shall be deemed amended to conform "
                    "to such laws for services rendered to Members enrolled in insured Products."
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("ATTACHMENT C\nWASHINGTON REGULATORY REQUIREMENTS"),
        Para(
            "[[The following provisions are required by Washington law and apply "
            "notwithstanding any contrary provision of the Agreement.]]",
            findings=[finding("order_of_precedence", "low", regulatory=True)],
        ),
        *render_articles(arts, Unnumbered(), Terms("Plan", "Hospital")),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Plan", "Hospital")
    blocks = [
        Title(TITLE, f"between {PAYER} and {PROVIDER}"),
        Para(
            f'This {TITLE} (this "Agreement") is entered into as of January 1, 2024 (the '
            f'"Effective Date") by and between {PAYER}, a Washington corporation ("Plan"), and '
            f'{PROVIDER}, a Washington nonprofit corporation ("Hospital"). Plan and Hospital are '
            'each referred to as a "party" and together as the "parties."'
        ),
        Heading("RECITALS", level=1),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[0]]
    refs: dict[str, str] = {}
    blocks += render_articles(_main_articles(rng), ArticleDecimal(), t, refs=refs)
    blocks.append(Signature([("PLAN", PAYER), ("HOSPITAL", PROVIDER)]))
    blocks += _attachment_a() + _exhibit_b(rng, refs) + _attachment_c()
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2024-01-01",
        expiration_date="2026-12-31",
        initial_term_months=36,
        product_lines=["commercial_hmo", "commercial_pos", "commercial_ppo"],
        blocks=blocks,
        running=Running(
            header_left=TITLE,
            header_right="CSHP Form HA-2023 (Rev. 09/2023)",
            footer_left="Confidential and Proprietary",
            footer_right="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=11,
        notes="Long commercial hospital agreement. Rates apply to all three commercial products "
        "(product_line null). Traps: recredentialing cycle and licence/insurance renewal, "
        "retention-only record clause, audit of Plan's own financial statements, "
        "chargemaster notice. Per diem rows keyed on a range or list of revenue codes have a "
        "null code (code_type REV). Stop-loss row: amount is the threshold, percent the "
        "payment percentage. Implant row: invoice cost + 15% (percent 115, percent_of "
        "other)."
        " Every TAXONOMY.md category is annotated. Clauses written for the full taxonomy: 2.9 "
        "level-of-care criteria (observation_vs_inpatient), 5.8 claim edits (claims_editing "
        "high; its second sentence, payment policies revised by portal posting, is "
        "unilateral_amendment medium), B.13 serious reportable events and HACs "
        "(never_events_hac), B.14 off-campus clinic visits (site_of_service), B.15 transplant "
        "Centers of Excellence (vendor/network carve_out, high) and the Washington prompt-pay "
        "paragraph of Attachment C. Attachment C is a state regulatory-requirements "
        "attachment: its precedence, hold-harmless and prompt-pay findings are low with "
        "regulatory true; its last paragraph (provisions 'deemed amended to conform' to "
        "Washington law) is, judgement call, not unilateral_amendment: no party amends "
        "anything, the law overrides. Some sentences carry two categories: B.1 lesser_of "
        "(claim level, over per diems and case rates: high); B.7 vague + non_priced_codes "
        "(low, 45% of charges); B.8 vague + unilateral_amendment ('as Plan may amend it', "
        "rates: high); B.12 rate evergreen + rate_escalator (freeze: high). Judgement calls: "
        "2.4 'authorization ... subject to the Member's eligibility' is retroactive_denial "
        "(medium); the reconsideration and second-level appeal windows of 6.1/6.2 are "
        "claim-level appeals, neither timely_filing nor dispute_resolution; the "
        "informal-resolution step 9.1 is a dispute_resolution finding of its own "
        "(binding_arbitration null). Traps: 2.2 and Attachment A (no other product without "
        "Hospital's consent or a signed amendment), the 'Payor' definition (a definition, "
        "not a network_rental clause), 2.3 admission notice with no payment consequence, 3.1 "
        "eligibility guarantee, B.5 'in effect on the date of service' (not rate_escalator), "
        "B.10 observation rate without level-of-care criteria (not "
        "observation_vs_inpatient), 10.2 HIPAA only (not confidentiality), 11.2 mutual "
        "indemnity 'hold harmless' (not member billing), 13.2 amendment only by a signed "
        "writing, and the anti-retaliation paragraph of Attachment C.",
    )
