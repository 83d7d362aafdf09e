"""Medicaid managed care (MCO) provider agreement for a community health center."""

from __future__ import annotations

import dataclasses
import random

from .. import boilerplate as bp
from ..common import (
    UNPRICED,
    audit,
    dispute,
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
from ..draft import Article, Clause, PaddedDecimal, Prefixed, Terms, render_articles, resolve_refs
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "medicaid_mco_provider_agreement"
PAYER = "Heartland Community Care, Inc."
PROVIDER = "Sun Prairie Community Health Center, Inc."
TITLE = "Medicaid Managed Care Provider Agreement"
PRODUCT = "medicaid_managed_care"
EFFECTIVE = "2024-09-01"  # Exhibit A's effective date (its heading)

EPSDT = [
    ("99381", "CPT", "Preventive visit, new, infant", 112.40),
    ("99382", "CPT", "Preventive visit, new, age 1-4", 118.60),
    ("99391", "CPT", "Preventive visit, established, infant", 98.20),
    ("99392", "CPT", "Preventive visit, established, age 1-4", 104.75),
    ("99393", "CPT", "Preventive visit, established, age 5-11", 104.75),
    ("96110", "CPT", "Developmental screening, per instrument", 9.80),
    ("99406", "CPT", "Tobacco cessation counseling, 3-10 minutes", 11.50),
    ("T1015", "HCPCS", "Clinic visit/encounter, all-inclusive", 176.40),
]

ATTACHMENT_DATE = "2024-09-01"  # Attachment A-1's effective date (its heading)

# Attachment A-1, the professional fee schedule, in print order: a str is a section row;
# otherwise (code, modifier, description (our own wording), rate or unpriced cell, per unit?)
FEE_SCHEDULE: list = [
    "Evaluation and Management",
    ("99202", "", "New patient office visit, straightforward", 58.98, False),
    ("99203", "", "New patient office visit, low complexity", 90.62, False),
    ("99204", "", "New patient office visit, moderate complexity", 135.26, False),
    ("99205", "", "New patient office visit, high complexity", 178.50, False),
    ("99211", "", "Established patient visit, minimal, may not require a physician", 18.18, False),
    ("99212", "", "Established patient visit, straightforward", 46.62, False),
    ("99213", "", "Established patient visit, low complexity", 70.02, False),
    ("99214", "", "Established patient visit, moderate complexity", 99.04, False),
    ("99215", "", "Established patient visit, high complexity", 138.43, False),
    (
        "99417",
        "",
        "Prolonged outpatient visit time beyond the highest-level visit, each additional "
        "15 minutes (list separately with 99205 or 99215)",
        24.90,
        True,
    ),
    (
        "G2211",
        "",
        "Visit complexity inherent to ongoing care of a single serious or complex "
        "condition (add-on to office visit)",
        "Not covered",
        False,
    ),
    (
        "99495",
        "",
        "Transitional care after discharge, moderate complexity, face-to-face visit within 14 days",
        148.74,
        False,
    ),
    (
        "99496",
        "",
        "Transitional care after discharge, high complexity, face-to-face visit within 7 days",
        201.34,
        False,
    ),
    "Preventive Medicine",
    ("99385", "", "Preventive visit, new patient, age 18-39", 119.94, False),
    ("99386", "", "Preventive visit, new patient, age 40-64", 140.70, False),
    ("99395", "", "Preventive visit, established patient, age 18-39", 105.79, False),
    ("99396", "", "Preventive visit, established patient, age 40-64", 107.65, False),
    ("99397", "", "Preventive visit, established patient, age 65 and over", 115.26, False),
    (
        "99401",
        "",
        "Preventive counseling or risk factor reduction, individual, about 15 minutes",
        26.37,
        False,
    ),
    (
        "G0438",
        "",
        "Annual wellness visit; includes a personalized prevention plan of service "
        "(PPPS), initial visit",
        "Not covered",
        False,
    ),
    (
        "G0439",
        "",
        "Annual wellness visit, includes a personalized prevention plan of service "
        "(PPPS), subsequent visit",
        "Not covered",
        False,
    ),
    ("G0444", "", "Annual depression screening, 5 to 15 minutes", 13.66, False),
    "Family Planning",
    ("11981", "", "Insertion of non-biodegradable drug delivery implant", 131.40, False),
    ("11982", "", "Removal of non-biodegradable drug delivery implant", 142.75, False),
    (
        "J7307",
        "",
        "Etonogestrel (contraceptive) implant system, including implant and supplies",
        1234.50,
        False,
    ),
    (
        "J7298",
        "",
        "Levonorgestrel-releasing intrauterine contraceptive system (Mirena), 52 mg",
        1046.75,
        False,
    ),
    ("J7300", "", "Intrauterine copper contraceptive", 812.40, False),
    "Surgery",
    ("10060", "", "Incision and drainage of abscess, simple or single", 96.80, False),
    ("11102", "", "Tangential skin biopsy, single lesion", 75.81, False),
    ("11104", "", "Punch skin biopsy, single lesion", 91.90, False),
    ("12001", "", "Simple repair of superficial wound, 2.5 cm or less", 85.02, False),
    ("17000", "", "Destruction of premalignant lesion, first lesion", 53.89, False),
    (
        "17003",
        "",
        "Destruction of premalignant lesions, second through fourteenth, each",
        4.29,
        True,
    ),
    (
        "17110",
        "",
        "Destruction of benign lesions other than skin tags, up to 14 lesions",
        86.46,
        False,
    ),
    ("20550", "", "Injection of single tendon sheath or ligament", 39.94, False),
    (
        "20610",
        "",
        "Arthrocentesis, aspiration or injection, major joint, without ultrasound guidance",
        50.94,
        False,
    ),
    ("58300", "", "Insertion of intrauterine device", 76.00, False),
    ("69210", "", "Removal of impacted cerumen by instrumentation, unilateral", 33.47, False),
    (
        "17999",
        "",
        "Unlisted procedure, skin, mucous membrane and subcutaneous tissue",
        "By Report",
        False,
    ),
    "Radiology",
    ("71045", "", "Chest x-ray, single view, global", 19.97, False),
    ("71046", "", "Chest x-ray, two views, global", 28.61, False),
    ("71046", "26", "Chest x-ray, two views, professional component", 7.90, False),
    ("71046", "TC", "Chest x-ray, two views, technical component", 20.70, False),
    ("73030", "", "Shoulder x-ray, minimum of two views", 25.47, False),
    ("73560", "", "Knee x-ray, one or two views", 25.70, False),
    ("73610", "", "Ankle x-ray, complete, minimum of three views", 26.43, False),
    ("76700", "", "Abdominal ultrasound, complete, global", 95.10, False),
    ("76700", "26", "Abdominal ultrasound, complete, professional component", 28.86, False),
    ("76700", "TC", "Abdominal ultrasound, complete, technical component", 66.24, False),
    ("77080", "", "Bone density study (DXA), axial skeleton", 33.54, False),
    "Pathology and Laboratory",
    ("36415", "", "Routine venipuncture", 2.46, False),
    ("80053", "", "Comprehensive metabolic panel", 8.58, False),
    ("80061", "", "Lipid panel", 10.37, False),
    ("81002", "", "Urinalysis by dip stick, non-automated, without microscopy", 2.75, False),
    ("82947", "", "Glucose, quantitative, blood", 3.26, False),
    ("83036", "", "Hemoglobin A1c", 8.13, False),
    ("84443", "", "Thyroid stimulating hormone", 13.50, False),
    ("85025", "", "Complete blood count with automated differential", 6.30, False),
    ("86580", "", "Tuberculosis skin test, intradermal", 5.38, False),
    ("87880", "", "Rapid streptococcus group A antigen test", 10.18, False),
    ("99000", "", "Handling or conveyance of specimen to a laboratory", "N/A", False),
    "Medicine",
    ("90471", "", "Immunization administration, first vaccine", 16.06, False),
    ("90472", "", "Immunization administration, each additional vaccine", 8.13, True),
    (
        "90686",
        "",
        "Influenza vaccine, quadrivalent, preservative free, 0.5 mL, intramuscular",
        14.37,
        False,
    ),
    (
        "90715",
        "",
        "Tetanus, diphtheria and acellular pertussis vaccine (Tdap), age 7 and over",
        26.75,
        False,
    ),
    ("92552", "", "Pure tone audiometry, air only", 18.62, False),
    ("93000", "", "Electrocardiogram, routine, with interpretation and report", 14.02, False),
    ("94010", "", "Spirometry", 25.28, False),
    ("94640", "", "Inhalation treatment for airway obstruction (nebulizer)", 13.95, False),
    ("94760", "", "Pulse oximetry, single determination", "N/A", False),
    (
        "96127",
        "",
        "Brief emotional or behavioral assessment, per standardized instrument",
        3.58,
        True,
    ),
    (
        "96372",
        "",
        "Therapeutic, prophylactic or diagnostic injection, subcutaneous or intramuscular",
        17.79,
        False,
    ),
    ("97110", "", "Therapeutic exercise, each 15 minutes", 22.18, True),
    ("97140", "", "Manual therapy techniques, each 15 minutes", 20.19, True),
    (
        "97810",
        "",
        "Acupuncture, without electrical stimulation, initial 15 minutes",
        "Not covered",
        False,
    ),
    "Injectable Drugs and Biologicals",
    ("J0696", "", "Injection, ceftriaxone sodium, per 250 mg", 0.86, True),
    ("J1030", "", "Injection, methylprednisolone acetate, 40 mg", 2.62, True),
    ("J1100", "", "Injection, dexamethasone sodium phosphate, 1 mg", 0.09, True),
    ("J1885", "", "Injection, ketorolac tromethamine, per 15 mg", 0.33, True),
    (
        "J1950",
        "",
        "Injection, leuprolide acetate (for depot suspension), per 3.75 mg",
        790.08,
        True,
    ),
    ("J2550", "", "Injection, promethazine HCl, up to 50 mg", 1.31, True),
    ("J3301", "", "Injection, triamcinolone acetonide, not otherwise specified, 10 mg", 1.25, True),
    ("J3420", "", "Injection, vitamin B-12 cyanocobalamin, up to 1,000 mcg", 0.52, True),
    ("J7030", "", "Infusion, normal saline solution, 1000 cc", 1.54, True),
    ("J3490", "", "Unclassified drugs", "By Report", True),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Medically Necessary", "Provider Manual"],
        {
            "Covered Services": (
                "the health care services that MCO is required to provide to Enrollees "
                "under the State Contract and that Provider is qualified to furnish."
            ),
            "Enrollee": (
                "an individual who is eligible for Medicaid or the Children's Health "
                "Insurance Program and is enrolled with MCO."
            ),
            "State Agency": (
                "the agency of the State of Nebraska that administers the Medicaid "
                "program, or its successor."
            ),
            "State Contract": (
                "the contract between MCO and the State Agency under which MCO arranges "
                "Covered Services for Enrollees."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Provider Obligations",
            [
                Clause(
                    "Provider shall furnish Covered Services to Enrollees within the scope of its "
                    "licensure and shall serve as a primary care provider for Enrollees who select "
                    "or are assigned to Provider.",
                    "Services",
                ),
                Clause(
                    "Provider shall meet the appointment standards of the State Contract: urgent "
                    "care within twenty-four (24) hours and routine primary care within thirty "
                    "(30) days of the Enrollee's request.",
                    "Access Standards",
                ),
                Clause(
                    "Provider shall be enrolled with the State Agency as a Medicaid provider and "
                    "shall revalidate that enrollment at least once every five (5) years, or more "
                    "often if the State Agency requires. MCO shall not pay for services rendered "
                    "during any period in which Provider's Medicaid enrollment is not in effect.",
                    "Medicaid Enrollment",
                ),
                Clause(
                    "Provider shall provide Early and Periodic Screening, Diagnostic and Treatment "
                    "services to Enrollees under the age of twenty-one (21) in accordance with the "
                    "State's periodicity schedule.",
                    "EPSDT",
                ),
                Clause(
                    "Provider shall make oral interpretation available to Enrollees with limited "
                    "English proficiency at no cost to the Enrollee.",
                    "Cultural Competency",
                ),
                *bp.compliance(rng),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Compensation and Claims",
            [
                Clause(
                    "MCO shall pay Provider for Covered Services in accordance with Exhibit A. "
                    "[[Provider shall accept such payment as payment in full and shall not bill an "
                    "Enrollee for any Covered Service, except for cost-sharing expressly permitted "
                    "by the State Agency.]]",
                    "Payment",
                    findings=[finding("hold_harmless", "low", bars_consented_noncovered=False)],
                ),
                Clause(
                    "[[Provider shall submit claims within one hundred eighty (180) days after the "
                    "date of service.]] [[As 42 C.F.R. \u00a7 447.46 requires, MCO shall pay "
                    "ninety percent (90%) of Clean Claims within thirty (30) days and ninety-nine "
                    "percent (99%) of Clean Claims within ninety (90) days after receipt.]]",
                    "Claims Submission and Payment",
                    findings=[filing("low", 180), prompt_pay("low", 30, regulatory=True)],
                ),
                Clause(
                    "[[A prior authorization confirms medical necessity but does not guarantee "
                    "payment, which remains subject to the Enrollee's eligibility on the date of "
                    "service and to the benefit limits of the State Contract.]]",
                    "Authorizations",
                    findings=[
                        finding("retroactive_denial", "medium", post_service_necessity=False)
                    ],
                ),
                Clause(
                    "[[MCO may recover an overpayment by offsetting it against future payments to "
                    "Provider, after giving Provider thirty (30) days' written notice that states "
                    "the Enrollee, the date of service, the amount and the basis of the "
                    "overpayment. MCO may also recoup, in the same manner and after the same "
                    "notice, any amount that the State Agency or its contractors determine to have "
                    "been overpaid to Provider.]]",
                    "Overpayments",
                    key="offset",
                    findings=[recoup("medium", None, prior_notice=True)],
                ),
                Clause(
                    "[[MCO is the payer of last resort only to the extent provided in the State "
                    "Contract. Provider shall identify and bill other coverage, including "
                    "Medicare, before billing MCO.]]",
                    "Third Party Liability",
                    findings=[
                        finding(
                            "coordination_of_benefits",
                            "low",
                            regulatory=True,
                            method="standard",
                            note="Medicaid payer-of-last-resort rule stated as the State "
                            "Contract provides it (regulatory).",
                        )
                    ],
                ),
            ],
        ),
        Article(
            "Records, Audits and Program Integrity",
            [
                Clause(
                    "[[Provider shall permit the State Agency, CMS, the Office of Inspector "
                    "General, the Comptroller General, the Medicaid Fraud Control Unit and their "
                    "designees to audit, evaluate and inspect Provider's premises, books, records "
                    "and systems relating to services furnished to Enrollees at any time, and "
                    "shall retain such records for ten (10) years after the final date of the "
                    "State Contract period or the completion of any audit, whichever is later.]]",
                    "Government Access",
                    findings=[
                        regulatory(
                            audit(
                                "low",
                                None,
                                False,
                                None,
                                kind="access",
                                recovery=False,
                                note="Required Medicaid managed care record-access language.",
                            )
                        )
                    ],
                ),
                Clause(
                    "[[MCO may conduct payment integrity audits of claims paid to Provider within "
                    "the preceding three (3) years. MCO may review a statistically valid random "
                    "sample of claims and extrapolate the results to all claims paid during the "
                    "audit period, and Provider shall repay the extrapolated overpayment in "
                    "accordance with Section <<offset>>.]]",
                    "Payment Integrity Audits",
                    findings=[audit("high", 36, True, None)],
                ),
                Clause(
                    "Provider shall report to MCO any suspected fraud, waste or abuse within five "
                    "(5) business days after discovering it and shall cooperate with any "
                    "investigation by MCO or a government agency.",
                    "Fraud and Abuse Reporting",
                ),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[The initial term of this Agreement is one (1) year from the Effective Date. "
                    "This Agreement shall remain in effect from year to year thereafter]] [[until "
                    "terminated by either party upon not less than ninety (90) days' prior written "
                    "notice to the other party.]]",
                    "Term",
                    findings=[
                        evergreen("medium", 12, 12, 90),
                        without_cause(
                            "medium",
                            90,
                            payer_may=True,
                            note="The rolling term lets either party end the Agreement on 90 "
                            "days' notice at any time (symmetric, 90 days: medium); the "
                            "sentence is split at its clause boundary between the evergreen "
                            "and the without-cause finding.",
                        ),
                    ],
                ),
                Clause(
                    "This Agreement terminates automatically if the State Contract terminates. MCO "
                    "may terminate this Agreement immediately if Provider is terminated from the "
                    "Medicaid program or is excluded from any federal health care program.",
                    "Termination with the State Contract",
                ),
                Clause(
                    "Upon termination, Provider shall assist in the orderly transition of "
                    "Enrollees to other providers and shall continue treatment of any Enrollee who "
                    "is receiving an active course of treatment for up to sixty calendar days.",
                    "Transition of Care",
                ),
            ],
        ),
        Article(
            "Grievances and Disputes",
            [
                Clause(
                    "[[Provider may file a complaint or claim dispute with MCO within sixty (60) "
                    "days after the action giving rise to it. MCO shall resolve the dispute within "
                    "thirty (30) days. Provider may then request a State fair hearing or external "
                    "review to the extent available under State law.]]",
                    "Provider Disputes",
                    findings=[
                        dispute(
                            "medium",
                            False,
                            short_limitation=True,
                            note="Provider-payer dispute process ending in a State fair "
                            "hearing; the 60-day filing window is a limitation period under a "
                            "year (medium).",
                        )
                    ],
                ),
                Clause(
                    "Provider shall assist Enrollees in filing grievances and appeals and shall "
                    "not take any punitive action against an Enrollee who does so.",
                    "Enrollee Grievances",
                ),
            ],
        ),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("General Provisions", bp.general(rng, "Nebraska")),
    ]


def regulatory(f):
    """``f`` marked as required Medicaid language (``fields.regulatory``)."""
    return dataclasses.replace(f, fields={**f.fields, "regulatory": True})


def _attachment_a1() -> list:
    rows: list[list[str]] = []
    rates: list = []
    sections: list[int] = []
    for item in FEE_SCHEDULE:
        if isinstance(item, str):
            sections.append(len(rows))
            rows.append([item, "", "", ""])
            rates.append(None)
            continue
        code, mod, desc, fee, per_unit = item
        priced = not isinstance(fee, str)
        rows.append([code, mod, desc, money(fee) if priced else fee])
        rates.append(
            rate(
                code,
                "HCPCS" if code[0].isalpha() else "CPT",
                desc,
                "fee_schedule",
                amount=fee if priced else None,
                unit="per_unit" if per_unit else "per_service",
                modifier=mod or None,
                note=None if priced else UNPRICED[fee],
            )
        )
    return [
        PageBreak(),
        Heading(
            "Attachment A-1 to Exhibit A \u2014 Medicaid Managed Care Professional Fee "
            "Schedule, effective September 1, 2024",
            level=2,
        ),
        Para(
            "Rates are per service, except that codes described per dose, per additional "
            "lesion or vaccine, per instrument or per 15 minutes are per unit. Rates for "
            "Enrollees under age 21 are those in paragraph A-2 where that paragraph lists the "
            'code. [["By Report" codes are paid under paragraph A-1 at the amount the State '
            'Agency sets for the claim;]] "N/A" codes are bundled and not separately payable; '
            '"Not covered" services are not Covered Services under the State Contract.',
            style="small",
            findings=[finding("non_priced_codes", "low", payer_sets=False)],
        ),
        Table(
            ["CPT/HCPCS", "Mod", "Description", "Rate"],
            rows,
            [62, 34, 280, 92],
            rates=in_exhibit(rates, setting="professional", effective_date=ATTACHMENT_DATE),
            align_right=(3,),
            wrap=(2,),
            section_rows=tuple(sections),
            font_size=8.5,
        ),
    ]


def _exhibit_a() -> list:
    t = Terms("MCO", "Provider", "Enrollees", "Enrollee")
    rows = [[c, d, money(a)] for c, _, d, a in EPSDT]
    rates = in_exhibit(
        [
            rate(
                c,
                ct,
                d,
                "fee_schedule",
                amount=a,
                unit="per_service" if c != "96110" else "per_unit",
            )
            for c, ct, d, a in EPSDT
        ],
        effective_date=EFFECTIVE,
    )
    arts = [
        Article(
            "",
            [
                Clause(
                    "Except as otherwise stated in this Exhibit, Covered Services shall be paid at "
                    "one hundred percent (100%) of the Nebraska Medicaid Physician Fee Schedule "
                    "published by the State Agency and in effect on the date of service.",
                    rates=[
                        rate(
                            None,
                            None,
                            "Covered Services (Nebraska Medicaid Physician Fee Schedule)",
                            "percent_of_benchmark",
                            percent=100.0,
                            percent_of="medicaid",
                            unit="per_service",
                            effective_date=EFFECTIVE,
                            anchor="one hundred percent (100%) of the Nebraska Medicaid Physician "
                            "Fee Schedule",
                        )
                    ],
                ),
                Clause("The following services shall be paid at the enhanced rates shown:"),
                Table(
                    ["Code", "Service", "Rate"], rows, [70, 300, 98], rates=rates, align_right=(2,)
                ),
                Clause(
                    "[[Outpatient behavioral health services shall be paid at ninety-five percent "
                    "(95%) of the Medicaid rate.]]",
                    findings=[
                        vague(
                            "medium",
                            "benchmark_unspecified",
                            note="'the Medicaid rate' names no schedule, program or year.",
                        )
                    ],
                    rates=[
                        rate(
                            None,
                            None,
                            "Outpatient behavioral health services",
                            "percent_of_benchmark",
                            percent=95.0,
                            percent_of="medicaid",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
                            anchor="ninety-five percent (95%) of the Medicaid rate",
                        )
                    ],
                ),
                Clause(
                    "MCO shall pay Provider a care coordination fee of four dollars and fifty "
                    "cents ($4.50) per Enrollee per month for each Enrollee assigned to Provider "
                    "as primary care provider on the first day of the month.",
                    rates=[
                        rate(
                            None,
                            None,
                            "Care coordination fee per assigned Enrollee",
                            "capitation",
                            amount=4.5,
                            unit="pmpm",
                            effective_date=EFFECTIVE,
                            anchor="four dollars and fifty cents ($4.50) per Enrollee per month",
                        )
                    ],
                ),
                Clause(
                    "[[MCO may adjust reimbursement for any Covered Service in accordance with "
                    "MCO's reimbursement policies,]] [[as determined by MCO in its sole "
                    "discretion.]]",
                    findings=[
                        finding(
                            "claims_editing",
                            "high",
                            source="proprietary",
                            note="Payment adjusted under MCO's own reimbursement policies, "
                            "changeable at its discretion; split from the vague_reimbursement "
                            "finding at its clause boundary.",
                        ),
                        vague("high", "payer_discretion"),
                    ],
                ),
                Clause(
                    "[[If the State Agency changes the Medicaid fee schedule, the change shall "
                    "apply to claims with dates of service on or after the effective date of the "
                    "change set by the State Agency.]] [[Where that date is earlier than the date "
                    "MCO loads the change, MCO shall reprocess the affected claims it has already "
                    "paid and shall pay or recover the difference.]]",
                    findings=[
                        finding("rate_escalator", "medium", {"percent": None}, kind="benchmark"),
                        finding("retroactive_rate_change", "high", reaches_back=True),
                    ],
                ),
                Clause(
                    "Professional services listed in Attachment A-1 shall be paid the rate shown "
                    "there in place of the rate under paragraph A-1."
                ),
                Clause(
                    "[[MCO shall withhold two percent (2%) of each fee-for-service payment under "
                    "this Exhibit, other than payments for EPSDT services, and shall pay the "
                    "withheld amounts to Provider within one hundred eighty (180) days after the "
                    "end of each calendar year to the extent Provider meets the quality targets "
                    "MCO publishes for that year.]]",
                    findings=[finding("value_based_withhold", "medium", {"percent": 2.0})],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("EXHIBIT A\nCOMPENSATION - MEDICAID AND CHIP\nEFFECTIVE SEPTEMBER 1, 2024"),
        *render_articles(arts, Prefixed("A", "-"), t),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("MCO", "Provider", "Enrollees", "Enrollee")
    refs: dict[str, str] = {}
    blocks = [
        Title(TITLE, "Heartland Community Care - Nebraska Medicaid and CHIP"),
        Para(
            f'This {TITLE} ("Agreement") is entered into on September 1, 2024 ("Effective Date") '
            f"by {PAYER}, a Nebraska corporation licensed as a health maintenance organization "
            f'("MCO"), and {PROVIDER} ("Provider"), a federally qualified health center.'
        ),
        Para(
            "MCO holds a contract with the State Agency to arrange Medicaid and CHIP services for "
            "Enrollees. Provider wishes to participate in MCO's network. The parties therefore "
            "agree as follows."
        ),
    ]
    blocks += render_articles(_articles(rng), PaddedDecimal(), t, refs=refs)
    blocks.append(Signature([("MCO", PAYER), ("PROVIDER", PROVIDER)]))
    blocks += _exhibit_a() + _attachment_a1()
    blocks += [
        PageBreak(),
        Heading("EXHIBIT B\nSTATE-REQUIRED PROVISIONS"),
        Para(
            "The following provisions are required by the State Contract. [[If they conflict "
            "with any other provision of this Agreement, they control.]]",
            findings=[
                finding("order_of_precedence", "low", regulatory=True, manual_prevails=False)
            ],
        ),
        *render_articles(
            [
                Article(
                    "",
                    [
                        Clause(
                            "[[Enrollees shall not be held liable for MCO's debts in the event of "
                            "MCO's insolvency, or for Covered Services for which the State Agency "
                            "does not pay MCO.]]",
                            findings=[finding("hold_harmless", "low", regulatory=True)],
                        ),
                        Clause(
                            "Provider shall not be prohibited from advising an Enrollee about his "
                            "or her health status, medical care or treatment options, including "
                            "any alternative treatment, regardless of whether the care is a "
                            "Covered Service."
                        ),
                        Clause(
                            "[[Provider shall not solicit or induce Enrollees to enroll with or "
                            "disenroll from MCO or any other managed care plan, and shall not give "
                            "Enrollees marketing materials that the State Agency has not "
                            "approved.]]",
                            findings=[
                                finding(
                                    "non_solicitation", "low", regulatory=True, member_limits=True
                                )
                            ],
                        ),
                        Clause(
                            "MCO shall not discriminate against Provider for serving high-risk "
                            "populations or for specializing in conditions that require costly "
                            "treatment."
                        ),
                        Clause(
                            "Nothing in this Agreement relieves MCO of its responsibility under "
                            "the State Contract. The State Agency is a third party beneficiary of "
                            "this Exhibit B."
                        ),
                    ],
                )
            ],
            Prefixed("B", "-"),
            t,
        ),
    ]
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2024-09-01",
        expiration_date="2025-08-31",
        initial_term_months=12,
        product_lines=[PRODUCT],
        blocks=blocks,
        running=Running(
            header_left="Heartland Community Care",
            header_right="Medicaid Provider Agreement - NE 2024",
            footer_center="{page}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes="Medicaid MCO agreement for an FQHC. Term: one year, then year to year until "
        "terminated on 90 days' notice (rolling renewal, medium). Sections are printed "
        "'Section 5.03'. Audit lookback is written in years (three years = 36 months). The "
        "government access clause is regulatory (low). Trap: Medicaid enrollment "
        "revalidation every five years. Exhibit A's base rate names the State schedule "
        "precisely (not vague); the behavioral health rate ('the Medicaid rate') does not. "
        "The care coordination fee is a PMPM capitation row. Attachment A-1 is a ruled "
        "professional fee schedule that runs over three pages with its header repeated on "
        "each, section rows ('Radiology', not rate rows), descriptions wrapped within their "
        "cell, a Mod column (26/TC) and unpriced cells ('By Report', 'N/A', 'Not covered': "
        "rows with a null amount and a note). Regulatory (State- or federally required, saying so "
        "or in Exhibit B: low, fields.regulatory true): 4.02 prompt payment (90% / 99% of clean "
        "claims, 42 C.F.R. 447.46), 4.05 payer of last resort (coordination_of_benefits, 'as "
        "provided in the State Contract' - judgement call), 5.01 government record access, the "
        "Exhibit B lead-in ('they control': order_of_precedence), B-1 insolvency hold harmless, "
        "B-3 no soliciting enrollment or disenrollment and State-approved marketing only "
        "(non_solicitation). Other categories: 4.01 no billing beyond State cost-sharing "
        "(hold_harmless low, not stated as required), 4.02 timely filing 180 days (low), 4.03 "
        "authorization no guarantee of payment, subject to eligibility and benefit limits, no "
        "post-service necessity review (retroactive_denial medium), 6.01 rolling term ended by "
        "either party on 90 days' notice (evergreen plus termination_without_cause medium, the "
        "sentence split at its clause boundary), 7.01 provider dispute process to a State fair "
        "hearing with a 60-day filing window (dispute_resolution medium: limitation under a year), "
        "A-5 (MCO's reimbursement policies: claims_editing high, split from the vague finding at "
        "its clause boundary), A-6 (State fee schedule changes passed through: rate_escalator "
        "benchmark, medium; paid claims reprocessed when the State's effective date precedes "
        "loading: retroactive_rate_change high), A-8 2% quality withhold (medium), Attachment "
        "A-1 note ('By Report' at the amount the State Agency sets: non_priced_codes low). Traps: "
        "2.03 (no payment while State Medicaid enrollment lapses) is enrollment, not payer "
        "credentialing; 6.02 automatic termination with the State Contract and for exclusion is "
        "not without cause; 6.03 transition of care is not a finding; 7.02 Enrollee grievances "
        "are not dispute_resolution; B-2 (Provider may advise Enrollees freely, anti-gag) is not "
        "non_solicitation; A-4 care coordination PMPM is a fee, not value_based_withhold; the "
        "Attachment A-1 note that 'N/A' codes are bundled lists codes, it names no editing "
        "software or policy (not claims_editing - judgement call). The signature block now "
        "falls on its own page 5, so Exhibit A starts on page 6.",
    )
