"""Ambulatory surgery center agreement: CPT case rates, two-year renewals, mitigated recoupment."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    UNPRICED,
    also,
    audit,
    carve,
    dispute,
    evergreen,
    finding,
    in_exhibit,
    money,
    rate,
    recoup,
    rng_for,
    stop_loss,
    vague,
    without_cause,
)
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

EFFECTIVE = "2025-03-01"  # Exhibit 2's effective date (its heading)
PRODUCTS = (  # column header -> product line
    ("Pinnacle Ridge\nHMO", "commercial_hmo"),
    ("Open Access\nPPO", "commercial_ppo"),
    ("Select\nEPO", "commercial_epo"),
)

# (CPT, procedure, specialty, Medicare ASC payment indicator, implants carved out,
#  case rate for HMO, PPO, EPO: an amount or an unpriced cell as printed)
CASE_RATES = [
    (
        "66984",
        "Cataract removal with intraocular lens, one stage",
        "Ophthalmology",
        "A2",
        "No",
        (2180.00, 2290.00, 2180.00),
    ),
    (
        "66821",
        "YAG laser discission of secondary membrane (posterior capsulotomy)",
        "Ophthalmology",
        "A2",
        "No",
        (410.00, 435.00, 410.00),
    ),
    (
        "15823",
        "Blepharoplasty, upper eyelid, with excessive skin weighting down lid (functional only)",
        "Ophthalmology",
        "A2",
        "No",
        ("Not covered", 1720.00, "Not covered"),
    ),
    (
        "45378",
        "Colonoscopy, diagnostic",
        "Gastroenterology",
        "A2",
        "No",
        (1050.00, 1105.00, 1050.00),
    ),
    (
        "45380",
        "Colonoscopy with biopsy, single or multiple",
        "Gastroenterology",
        "A2",
        "No",
        (1190.00, 1250.00, 1190.00),
    ),
    (
        "43239",
        "Upper GI endoscopy with biopsy, single or multiple",
        "Gastroenterology",
        "A2",
        "No",
        (1020.00, 1070.00, 1020.00),
    ),
    (
        "29881",
        "Knee arthroscopy with meniscectomy, medial or lateral, including debridement",
        "Orthopedics",
        "A2",
        "No",
        (3450.00, 3620.00, 3450.00),
    ),
    (
        "29827",
        "Shoulder arthroscopy, rotator cuff repair",
        "Orthopedics",
        "G2",
        "Yes",
        (5275.00, 5540.00, 5275.00),
    ),
    (
        "64483",
        "Transforaminal epidural injection with imaging guidance, lumbar or sacral, single level",
        "Pain Management",
        "A2",
        "No",
        (1280.00, 1345.00, 1280.00),
    ),
    (
        "0275T",
        "Percutaneous image-guided lumbar decompression (interlaminar approach)",
        "Pain Management",
        "G2",
        "No",
        ("Per Medicare", "Per Medicare", "Per Medicare"),
    ),
    (
        "63685",
        "Insertion or replacement of spinal neurostimulator pulse generator",
        "Pain Management",
        "J8",
        "Yes",
        ("By Report", "By Report", "By Report"),
    ),
    (
        "64721",
        "Carpal tunnel release (neuroplasty, median nerve at carpal tunnel)",
        "Hand Surgery",
        "A2",
        "No",
        (1720.00, 1805.00, 1720.00),
    ),
    (
        "26055",
        "Trigger finger release (tendon sheath incision)",
        "Hand Surgery",
        "A2",
        "No",
        (1540.00, 1615.00, 1540.00),
    ),
    (
        "47562",
        "Laparoscopic cholecystectomy",
        "General Surgery",
        "G2",
        "No",
        (4350.00, 4570.00, 4350.00),
    ),
    (
        "49650",
        "Laparoscopic inguinal hernia repair, initial",
        "General Surgery",
        "G2",
        "No",
        (3980.00, 4180.00, 3980.00),
    ),
    (
        "30520",
        "Septoplasty or submucous resection, with or without cartilage scoring",
        "Otolaryngology",
        "A2",
        "No",
        (2640.00, 2770.00, 2640.00),
    ),
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
                Clause(
                    "Facility shall report to Payer's quality management department, within two "
                    "(2) business days, any wrong-site or wrong-patient surgery, retained foreign "
                    "object, unplanned hospital transfer or other serious reportable event "
                    "involving a Member, and shall cooperate in Payer's review of the event."
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
                    "[[After the first anniversary of the Effective Date, either party may "
                    "terminate this Agreement for convenience upon one hundred twenty (120) days' "
                    "written notice to the other party.]]",
                    findings=[without_cause("medium", 120, payer_may=True)],
                ),
                Clause(
                    "[[Payer may end Facility's participation in any one of the products listed in "
                    "Exhibit 1, without cause, on sixty (60) days' written notice, and this "
                    "Agreement shall continue in effect for the remaining products.]] Facility "
                    "has no corresponding right to withdraw from a single product.",
                    findings=[
                        without_cause(
                            "high",
                            60,
                            payer_may=True,
                            asymmetric=True,
                            note="Product-level exit for the payer only, on 60 days' notice.",
                        )
                    ],
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
                    "[[Payer issues payments by virtual credit card unless Facility enrolls in "
                    "Payer's electronic funds transfer program through Payer's payment vendor. "
                    "Any processing, transaction or enrollment fee charged by the card issuer or "
                    "the payment vendor is Facility's responsibility and shall not be reimbursed "
                    "by Payer.]]",
                    findings=[
                        finding("payment_method_fees", "medium", provider_fee_or_card_default=True)
                    ],
                ),
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
        Article(
            "Dispute Resolution",
            [
                *bp.disputes(rng, arbitration=False),
                Clause(
                    "[[No action or proceeding arising out of this Agreement, including a claim "
                    "for payment, may be brought by either party more than one (1) year after "
                    "the date on which the claim arose.]]",
                    findings=[dispute("medium", False, short_limitation=True)],
                ),
            ],
        ),
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
    rows, rates = [], []
    for code, desc, specialty, indicator, carved, prices in CASE_RATES:
        rows.append(
            [code, desc, specialty, indicator]
            + [money(x) if not isinstance(x, str) else x for x in prices]
            + [carved]
        )
        rates.append(
            [
                rate(
                    code,
                    "CPT",
                    desc,
                    "case_rate",
                    amount=None if isinstance(x, str) else x,
                    unit="per_case",
                    product_line=line,
                    note=UNPRICED[x] if isinstance(x, str) else None,
                )
                for x, (_, line) in zip(prices, PRODUCTS, strict=True)
            ]
        )
    rates = in_exhibit(rates, setting="outpatient", effective_date=EFFECTIVE)
    arts = [
        Article(
            "",
            [
                Clause(
                    "ASC Services for the procedures listed in the Schedule of Case Rates "
                    "(Table 2-1, attached to this Exhibit 2) shall be paid the Case Rate shown "
                    "for the product in which the Member is enrolled, which includes all facility "
                    "services, supplies and drugs furnished on the day of surgery, except "
                    'implants paid under paragraph 4 where the Schedule shows "Yes" under '
                    '"Implants Carved Out". "Per Medicare" means the Medicare ASC payment '
                    "rate for the procedure in effect on the date of service, unadjusted; "
                    '"By Report" procedures are paid as procedures not listed in the Schedule '
                    '(paragraph 3); "Not covered" procedures are excluded from that product.'
                ),
                Clause(
                    "[[When more than one procedure is performed in the same operative session, "
                    "Payer shall pay one hundred percent (100%) of the Case Rate for the procedure "
                    "with the highest Case Rate, fifty percent (50%) of the Case Rate for the "
                    "second procedure and twenty-five percent (25%) of the Case Rate for each "
                    "additional procedure.]]",
                    findings=[
                        finding(
                            "claims_editing",
                            "low",
                            source="fixed",
                            note="Judgement call: a multiple-procedure reduction written into the "
                            "exhibit (100/50/25), which Payer cannot change alone; low.",
                        )
                    ],
                ),
                Clause(
                    "[[Procedures that are not listed in the Schedule of Case Rates but are "
                    "approved for performance in an ambulatory surgical setting shall be "
                    "reimbursed at a rate established by Payer on a case-by-case basis.]]",
                    findings=[
                        vague("high", "payer_discretion"),
                        also(
                            finding("non_priced_codes", "medium", payer_sets=True),
                            "Procedures that are not listed in the Schedule of Case Rates but are "
                            "approved for performance in an ambulatory surgical setting shall be "
                            "reimbursed at a rate established by Payer on a case-by-case basis.",
                        ),
                    ],
                ),
                Clause(
                    "[[Implants with an invoice cost of more than five hundred dollars ($500) per "
                    "case shall be paid at the invoice cost plus ten percent (10%), net of any "
                    "rebates or discounts, in addition to the Case Rate.]]",
                    findings=[carve("low", "rate_carve_out")],
                    rates=[
                        rate(
                            None,
                            None,
                            "Implants over $500 per case",
                            "other",
                            percent=110.0,
                            percent_of="other",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
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
                        ),
                        also(
                            finding("rate_escalator", "high", {"percent": None}, kind="freeze"),
                            "During any renewal term under Section 4(a), the Case Rates in this "
                            "Exhibit 2 shall remain unchanged unless the parties agree otherwise "
                            "in a signed amendment.",
                        ),
                    ],
                ),
                Clause(
                    "[[If Facility's billed charges for a single case exceed forty thousand "
                    "dollars ($40,000), excluding implants paid under paragraph 4, Payer shall pay "
                    "fifty percent (50%) of Facility's billed charges for the entire case in place "
                    "of the Case Rate.]]",
                    findings=[stop_loss("medium", 40000.0)],
                    rates=[
                        rate(
                            None,
                            None,
                            "High-cost case: 50% of billed charges when charges exceed $40,000",
                            "stop_loss",
                            amount=40000.0,
                            percent=50.0,
                            percent_of="billed_charges",
                            unit="per_case",
                            setting="outpatient",
                            effective_date=EFFECTIVE,
                            anchor="fifty percent (50%) of Facility's billed charges for the "
                            "entire case",
                        )
                    ],
                ),
                Clause(
                    "[[Payment for a procedure shall not exceed Facility's billed charges for "
                    "that procedure.]] The limit applies procedure by procedure, after the "
                    "reductions in paragraph 2, and not to the claim as a whole.",
                    findings=[finding("lesser_of", "medium", claim_level_case_rate=False)],
                ),
                Clause(
                    "[[Payer shall not pay a Case Rate for a procedure that Payer's published "
                    "site-of-care guideline identifies as appropriate for the physician office "
                    "setting, such as laser capsulotomy or a single-level epidural injection, "
                    "unless the treating surgeon documents why the procedure required a facility "
                    "setting for that Member.]] Procedures performed without that documentation "
                    "are payable only on the surgeon's professional claim.",
                    findings=[finding("site_of_service", "medium")],
                ),
                Clause(
                    "[[If CMS adds a procedure to the list of procedures covered in ambulatory "
                    "surgical centers after the Effective Date, the parties shall negotiate in "
                    "good faith a Case Rate for it, and Facility shall not be required to perform "
                    "the procedure for Members until the Case Rate has been set out in a signed "
                    "amendment to this Exhibit 2.]]",
                    findings=[finding("new_services_technology", "low", payer_sets=False)],
                ),
                PageBreak("landscape"),
                Para(
                    "Schedule of Case Rates by Product, effective March 1, 2025",
                    label="Table 2-1.",
                    style="plain",
                ),
                Table(
                    ["CPT", "Procedure", "Specialty", "Medicare\nASC PI"]
                    + [h for h, _ in PRODUCTS]
                    + ["Implants\nCarved Out"],
                    rows,
                    [46, 232, 92, 52, 66, 66, 66, 28 + 30],
                    rates=rates,
                    align_right=(4, 5, 6),
                    wrap=(1,),
                    font_size=9,
                ),
                Para(
                    "PI: Medicare ASC payment indicator, shown for reference only; it does not "
                    "change the Case Rate. Case Rates are per case for the procedure with the "
                    "highest Case Rate; see paragraph 2 for additional procedures.",
                    style="small",
                ),
            ],
        )
    ]
    ex2 = [
        PageBreak(),
        Heading(
            "EXHIBIT 2\nASC COMPENSATION \u2014 COMMERCIAL HMO, PPO AND EPO\n"
            "Outpatient Facility Case Rates, effective March 1, 2025"
        ),
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
        "recoupment during a dispute) and is low. Trap: accreditation renewal. The Schedule of "
        "Case Rates is a wide table on a landscape page with one Case Rate column per "
        "product, so each procedure gives one rate row per product (product_line set); "
        "'Not covered', 'Per Medicare' and 'By Report' cells are rows with a null amount "
        "and a note. The Medicare ASC payment indicator and implant carve-out columns are "
        "not rates. The implant carve-out (invoice + 10%) applies to every product."
        " Every TAXONOMY.md category is annotated. Clauses written for the full taxonomy: 4(c) "
        "product-level exit for Payer only on 60 days (termination_without_cause high; 4(b) "
        "is the mutual 120-day right, medium), 5(e) virtual-card default with fees on Facility "
        "(payment_method_fees medium), 8(c) one-year limitation period (dispute_resolution "
        "medium, not arbitration), and Exhibit 2 paragraphs 6 (high-cost case stop-loss, "
        "$40,000, with its rate row), 7 (per-procedure billed-charges cap: lesser_of medium, "
        "line level), 8 (office-setting site-of-care guideline: site_of_service) and 9 (new "
        "ASC procedures priced only by signed amendment: new_services_technology low). "
        "Paragraph 3 is both vague_reimbursement and non_priced_codes (Payer sets the rate: "
        "medium); paragraph 5 is both the rate evergreen and rate_escalator (freeze). "
        "Judgement calls: paragraph 2's 100/50/25 multiple-procedure reduction is "
        "claims_editing, low because it is written into the exhibit; paragraph 1's legend "
        "('Per Medicare', 'By Report' paid under paragraph 3) is a cross-reference, not a "
        "non_priced_codes finding of its own. Traps: 2(e) duty to report serious reportable "
        "events (no payment consequence, not never_events_hac), 7(b) privacy of Member "
        "information, 11(b) amendment only by a signed writing, Exhibit 1 (no government "
        "products).",
    )
