"""Medicaid managed care (MCO) provider agreement for a community health center."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import audit, evergreen, money, rate, recoup, rng_for, vague
from ..draft import Article, Clause, PaddedDecimal, Prefixed, Terms, render_articles, resolve_refs
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "medicaid_mco_provider_agreement"
PAYER = "Heartland Community Care, Inc."
PROVIDER = "Sun Prairie Community Health Center, Inc."
TITLE = "Medicaid Managed Care Provider Agreement"
PRODUCT = "medicaid_managed_care"

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
                    "Provider shall accept such payment as payment in full and shall not bill an "
                    "Enrollee for any Covered Service, except for cost-sharing expressly permitted "
                    "by the State Agency.",
                    "Payment",
                ),
                Clause(
                    "Provider shall submit claims within one hundred eighty (180) days after the "
                    "date of service. MCO shall pay ninety percent (90%) of Clean Claims within "
                    "thirty (30) days and ninety-nine percent (99%) of Clean Claims within ninety "
                    "(90) days after receipt.",
                    "Claims Submission and Payment",
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
                    "MCO is the payer of last resort only to the extent provided in the State "
                    "Contract. Provider shall identify and bill other coverage, including "
                    "Medicare, before billing MCO.",
                    "Third Party Liability",
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
                        audit(
                            "low",
                            None,
                            False,
                            None,
                            kind="access",
                            recovery=False,
                            note="Required Medicaid managed care record-access language.",
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
                    "This Agreement shall remain in effect from year to year thereafter until "
                    "terminated by either party upon not less than ninety (90) days' prior written "
                    "notice to the other party.]]",
                    "Term",
                    findings=[evergreen("medium", 12, 12, 90)],
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
                    "Provider may file a complaint or claim dispute with MCO within sixty (60) "
                    "days after the action giving rise to it. MCO shall resolve the dispute within "
                    "thirty (30) days. Provider may then request a State fair hearing or external "
                    "review to the extent available under State law.",
                    "Provider Disputes",
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


def _exhibit_a() -> list:
    t = Terms("MCO", "Provider", "Enrollees", "Enrollee")
    rows = [[c, d, money(a)] for c, _, d, a in EPSDT]
    rates = [
        rate(c, ct, d, "fee_schedule", amount=a, unit="per_service" if c != "96110" else "per_unit")
        for c, ct, d, a in EPSDT
    ]
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
                            anchor="four dollars and fifty cents ($4.50) per Enrollee per month",
                        )
                    ],
                ),
                Clause(
                    "[[MCO may adjust reimbursement for any Covered Service in accordance with "
                    "MCO's reimbursement policies, as determined by MCO in its sole discretion.]]",
                    findings=[vague("high", "payer_discretion")],
                ),
                Clause(
                    "If the State Agency changes the Medicaid fee schedule, the change shall apply "
                    "to claims with dates of service on or after the effective date of the change "
                    "set by the State Agency."
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("EXHIBIT A\nCOMPENSATION"),
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
    blocks += _exhibit_a()
    blocks += [
        PageBreak(),
        Heading("EXHIBIT B\nSTATE-REQUIRED PROVISIONS"),
        Para(
            "The following provisions are required by the State Contract. If they conflict with "
            "any other provision of this Agreement, they control."
        ),
        *render_articles(
            [
                Article(
                    "",
                    [
                        Clause(
                            "Enrollees shall not be held liable for MCO's debts in the event of "
                            "MCO's insolvency, or for Covered Services for which the State Agency "
                            "does not pay MCO."
                        ),
                        Clause(
                            "Provider shall not be prohibited from advising an Enrollee about his "
                            "or her health status, medical care or treatment options, including "
                            "any alternative treatment, regardless of whether the care is a "
                            "Covered Service."
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
        "The care coordination fee is a PMPM capitation row.",
    )
