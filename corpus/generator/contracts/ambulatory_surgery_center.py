"""Ambulatory surgery center agreement: CPT case rates, two-year renewals, mitigated recoupment."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import audit, evergreen, money, rate, recoup, rng_for, vague
from ..draft import (
    Article,
    Clause,
    NumberLetter,
    PlainNumbers,
    Terms,
    render_articles,
    resolve_refs,
)
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "ambulatory_surgery_center_agreement"
PAYER = "Pinnacle Ridge Health Insurance Company"
PROVIDER = "Northgate Surgery Center, LLC"
TITLE = "Ambulatory Surgical Center Services Agreement"

CASE_RATES = [
    ("66984", "Cataract removal with intraocular lens", "Ophthalmology", 2180.00),
    ("45378", "Colonoscopy, diagnostic", "Gastroenterology", 1050.00),
    ("45380", "Colonoscopy with biopsy", "Gastroenterology", 1190.00),
    ("43239", "Upper GI endoscopy with biopsy", "Gastroenterology", 1020.00),
    ("29881", "Knee arthroscopy with meniscectomy", "Orthopedics", 3450.00),
    ("29827", "Shoulder arthroscopy, rotator cuff repair", "Orthopedics", 5275.00),
    ("64483", "Transforaminal epidural injection, lumbar", "Pain Management", 1280.00),
    ("64721", "Carpal tunnel release", "Hand Surgery", 1720.00),
    ("26055", "Trigger finger release", "Hand Surgery", 1540.00),
    ("47562", "Laparoscopic cholecystectomy", "General Surgery", 4350.00),
    ("49650", "Laparoscopic inguinal hernia repair", "General Surgery", 3980.00),
    ("30520", "Septoplasty", "Otolaryngology", 2640.00),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Member", "Medically Necessary", "Provider Manual"],
        {
            "ASC Services": (
                "facility services furnished by Facility in connection with a surgical or "
                "endoscopic procedure performed on an outpatient basis, including nursing, "
                "supplies, anesthesia materials and recovery room services, but excluding "
                "the professional services of physicians and anesthesia practitioners."
            ),
            "Case Rate": (
                "the all-inclusive amount payable for the ASC Services associated with a "
                "procedure, as set forth in Exhibit 2."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Facility Services",
            [
                Clause(
                    "Facility shall furnish ASC Services to Members who are referred by "
                    "participating physicians holding privileges at Facility, in accordance with "
                    "the Medicare conditions for coverage for ambulatory surgical centers and "
                    "generally accepted standards of care."
                ),
                Clause(
                    "Facility shall maintain certification as an ambulatory surgical center under "
                    "the Medicare program and accreditation by the Accreditation Association for "
                    "Ambulatory Health Care or another nationally recognized accrediting body, and "
                    "shall renew that accreditation before it lapses."
                ),
                Clause(
                    "Facility shall obtain Payer's prior authorization for the procedures "
                    "identified as requiring authorization in the Provider Manual. Payer shall "
                    "respond to a complete request within fifteen (15) days, or within seventy-two "
                    "(72) hours for an urgent request."
                ),
                Clause(
                    "Facility shall transfer a Member to a participating acute care hospital when "
                    "the Member's condition requires it and shall maintain a written transfer "
                    "agreement with at least one such hospital."
                ),
                *bp.compliance(rng),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[This Agreement shall commence on the Effective Date and continue for an "
                    "initial term of two (2) years. Upon expiration of the initial term, this "
                    "Agreement shall automatically renew for successive two (2) year terms unless "
                    "either party gives written notice of its intent not to renew no later than "
                    "one hundred eighty (180) days prior to the expiration of the then-current "
                    "term.]]",
                    key="term",
                    findings=[evergreen("high", 24, 24, 180)],
                ),
                Clause(
                    "After the first anniversary of the Effective Date, either party may terminate "
                    "this Agreement for convenience upon one hundred twenty (120) days' written "
                    "notice to the other party."
                ),
                Clause(
                    "Payer may terminate this Agreement immediately by written notice if Facility "
                    "loses its license, Medicare certification or accreditation, or if Facility or "
                    "any of its owners is excluded from participation in a federal health care "
                    "program."
                ),
                Clause(
                    "Either party may terminate this Agreement upon thirty (30) days' written "
                    "notice if the other party materially breaches it and does not cure the breach "
                    "within that period."
                ),
            ],
        ),
        Article(
            "Claims and Payment",
            [
                *bp.claims_submission(rng, "one hundred twenty (120) days", "thirty (30) days"),
                Clause(
                    "Payer shall pay Facility for ASC Services in accordance with Exhibit 2, less "
                    "applicable Member cost-sharing. Facility shall accept such payment as payment "
                    "in full."
                ),
                *bp.hold_harmless(rng),
                Clause(
                    "[[Payer may recover an overpayment by offsetting it against later payments to "
                    "Facility under this Agreement only if (i) Payer has sent Facility a written "
                    "notice describing the overpayment at least forty-five (45) days before the "
                    "offset, and (ii) the overpayment was made within the twelve (12) months "
                    "preceding the notice. Payer shall not recoup any amount while a timely "
                    "dispute of the overpayment is pending under Section 8.]]",
                    key="recovery",
                    findings=[recoup("low", 12, prior_notice=True, dispute_stay=True)],
                ),
            ],
        ),
        Article(
            "Records and Audits",
            [
                bp.retention_only(rng),
                Clause(
                    "[[Payer may audit Facility's claims and the related medical records to verify "
                    "that ASC Services were rendered, documented and billed correctly. Audits "
                    "shall be limited to claims with dates of payment within the eighteen (18) "
                    "months preceding Payer's written audit request, and the request shall be made "
                    "at least thirty (30) days before the audit begins.]] Overpayments identified "
                    "in an audit shall be recovered only in accordance with Section <<recovery>>.",
                    findings=[audit("medium", 18, False, 30)],
                ),
            ],
        ),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=False)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("General", bp.general(rng, "Oregon")),
    ]


def _exhibits(refs: dict) -> list:
    t = Terms("Payer", "Facility")
    ex1 = [
        PageBreak(),
        Heading("EXHIBIT 1\nPRODUCTS"),
        Para(
            "Facility shall participate in the following products of Payer: Pinnacle Ridge HMO "
            "(commercial HMO), Pinnacle Ridge Open Access PPO (commercial PPO) and Pinnacle Ridge "
            "Select EPO (commercial EPO). Facility does not participate in any government "
            "program product under this Agreement."
        ),
    ]
    rows = [[c, d, s, money(a)] for c, d, s, a in CASE_RATES]
    rates = [rate(c, "CPT", d, "case_rate", amount=a, unit="per_case") for c, d, s, a in CASE_RATES]
    arts = [
        Article(
            "",
            [
                Clause(
                    "ASC Services for the procedures listed below shall be paid the Case Rate "
                    "shown, which includes all facility services, supplies and drugs furnished on "
                    "the day of surgery, except implants paid under paragraph 4."
                ),
                Table(
                    ["CPT", "Procedure", "Specialty", "Case Rate"],
                    rows,
                    [50, 220, 110, 88],
                    rates=rates,
                    align_right=(3,),
                    caption="Schedule of Case Rates",
                ),
                Clause(
                    "When more than one procedure is performed in the same operative session, "
                    "Payer shall pay one hundred percent (100%) of the Case Rate for the procedure "
                    "with the highest Case Rate, fifty percent (50%) of the Case Rate for the "
                    "second procedure and twenty-five percent (25%) of the Case Rate for each "
                    "additional procedure."
                ),
                Clause(
                    "[[Procedures that are not listed in the Schedule of Case Rates but are "
                    "approved for performance in an ambulatory surgical setting shall be "
                    "reimbursed at a rate established by Payer on a case-by-case basis.]]",
                    findings=[vague("high", "payer_discretion")],
                ),
                Clause(
                    "Implants with an invoice cost of more than five hundred dollars ($500) per "
                    "case shall be paid at the invoice cost plus ten percent (10%), net of any "
                    "rebates or discounts, in addition to the Case Rate.",
                    rates=[
                        rate(
                            None,
                            None,
                            "Implants over $500 per case",
                            "other",
                            percent=110.0,
                            percent_of="other",
                            anchor="invoice cost plus ten percent (10%)",
                        )
                    ],
                ),
                Clause(
                    "[[During any renewal term under Section <<term>>, the Case Rates in this "
                    "Exhibit 2 shall remain unchanged unless the parties agree otherwise in a "
                    "signed amendment.]]",
                    findings=[
                        evergreen(
                            "high",
                            24,
                            24,
                            None,
                            rates_frozen=True,
                            note="Case rates frozen for each two-year renewal term.",
                        )
                    ],
                ),
            ],
        )
    ]
    ex2 = [
        PageBreak(),
        Heading("EXHIBIT 2\nASC COMPENSATION"),
        *render_articles(arts, PlainNumbers(), t, refs=refs),
    ]
    return ex1 + ex2


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Payer", "Facility")
    refs: dict[str, str] = {}
    blocks = [
        Title(TITLE),
        Para(
            f'This {TITLE} ("Agreement") is made effective March 1, 2025 ("Effective Date") '
            f'between {PAYER} ("Payer") and {PROVIDER}, an Oregon limited liability company '
            '("Facility").'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[2]]
    blocks += render_articles(_articles(rng), NumberLetter(), t, refs=refs)
    blocks.append(Signature([("PAYER", PAYER), ("FACILITY", PROVIDER)]))
    blocks += _exhibits(refs)
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-03-01",
        expiration_date="2027-02-28",
        initial_term_months=24,
        product_lines=["commercial_hmo", "commercial_ppo", "commercial_epo"],
        blocks=blocks,
        running=Running(
            footer_left="PRHIC Form ASC-2025",
            footer_right="Page {page}",
            footer_center="CONFIDENTIAL",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes="Numbering: articles '4. TERM AND TERMINATION' with lettered paragraphs printed as "
        "'(a)'; the ground-truth section combines them ('4(a)'). Two-year renewal terms with "
        "180 days' notice. Recoupment is mitigated (45 days' notice, 12-month lookback, no "
        "recoupment during a dispute) and is low. Trap: accreditation renewal. Case-rate "
        "rows apply to all three commercial products (product_line null).",
    )
