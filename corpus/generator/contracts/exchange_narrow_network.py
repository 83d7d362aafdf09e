"""Individual-marketplace (exchange) narrow-network agreement with benign term and no audit clause.

Expected: no evergreen_renewal and no audit_provision; one low recoupment, one low vague default;
rates frozen for the term (rate_escalator high) and several provider-protective traps.
"""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import UNPRICED, finding, in_exhibit, money, rate, recoup, rng_for, vague
from ..draft import ArabicDecimal, Article, Clause, Prefixed, Terms, render_articles
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "exchange_narrow_network_agreement"
PAYER = "Summit Peak Health Insurance Co."
PROVIDER = "Willow Creek Orthopaedic Specialists, P.A."
TITLE = "Individual Marketplace Network Participation Agreement"
PRODUCT = "exchange"

EFFECTIVE = "2026-01-01"  # Exhibit A's effective date (its heading)

# (code as printed, possibly with "-modifier"; description; fee or unpriced cell)
ORTHO = [
    ("99203", "New patient visit, low complexity", 138.00),
    ("99204", "New patient visit, moderate complexity", 206.00),
    ("99205", "New patient visit, high complexity", 272.00),
    ("99213", "Established patient visit, low complexity", 104.00),
    ("99214", "Established patient visit, moderate complexity", 152.00),
    ("99215", "Established patient visit, high complexity", 211.00),
    (
        "99244",
        "Office consultation, new or established patient, moderate complexity",
        "Not covered",
    ),
    ("20600", "Arthrocentesis or injection, small joint, without ultrasound guidance", 58.00),
    (
        "20605",
        "Arthrocentesis or injection, intermediate joint, without ultrasound guidance",
        62.00,
    ),
    ("20610", "Arthrocentesis or injection, major joint, without ultrasound guidance", 78.00),
    ("20611", "Arthrocentesis or injection, major joint, with ultrasound guidance", 112.00),
    ("20526", "Therapeutic injection, carpal tunnel", 71.00),
    ("20550", "Injection of single tendon sheath or ligament", 60.00),
    ("27096", "Sacroiliac joint injection with imaging guidance", 95.00),
    ("64721", "Carpal tunnel release, median nerve neuroplasty", 588.00),
    ("26055", "Trigger finger release, tendon sheath incision", 512.00),
    ("25607", "Open treatment of distal radial fracture, internal fixation", 1012.00),
    ("27786", "Closed treatment of ankle fracture, without manipulation", 318.00),
    ("28285", "Hammertoe correction", 560.00),
    ("29826", "Shoulder arthroscopy, subacromial decompression (add-on)", 218.00),
    ("29827", "Shoulder arthroscopy, rotator cuff repair", 1520.00),
    ("29880", "Knee arthroscopy with medial and lateral meniscectomy", 905.00),
    ("29881", "Knee arthroscopy with meniscectomy", 842.00),
    ("29888", "Arthroscopic anterior cruciate ligament reconstruction", 1465.00),
    ("23472", "Total shoulder arthroplasty", 2140.00),
    ("27130", "Total hip arthroplasty", 2295.00),
    ("27447", "Total knee arthroplasty", 2310.00),
    ("63030", "Laminotomy with decompression, one interspace, lumbar", 1387.50),
    ("22612", "Posterior lumbar arthrodesis, single level", "By Report"),
    ("72100", "X-ray lumbosacral spine, two or three views, global", 48.00),
    ("73030-26", "X-ray shoulder, two views, professional", 10.10),
    ("73030-TC", "X-ray shoulder, two views, technical", 29.70),
    ("73110-26", "X-ray wrist, three views, professional", 10.80),
    ("73110-TC", "X-ray wrist, three views, technical", 32.40),
    ("73562-26", "X-ray knee, three views, professional", 12.40),
    ("73562-TC", "X-ray knee, three views, technical", 38.10),
    ("73564-26", "X-ray knee, four or more views, professional", 14.60),
    ("73564-TC", "X-ray knee, four or more views, technical", 42.20),
    ("73630-26", "X-ray foot, three views, professional", 10.40),
    ("73630-TC", "X-ray foot, three views, technical", 31.90),
    ("73221-26", "MRI shoulder joint without contrast, professional", 78.50),
    ("73221-TC", "MRI shoulder joint without contrast, technical", 198.00),
    ("73721-26", "MRI knee joint without contrast, professional", 77.90),
    ("73721-TC", "MRI knee joint without contrast, technical", 196.40),
    ("L1810", "Knee orthosis, elastic with joints, prefabricated, off-the-shelf", 79.40),
    (
        "L1833",
        "Knee orthosis, adjustable knee joints, positional orthosis, rigid support, "
        "prefabricated, off-the-shelf",
        118.60,
    ),
    (
        "L3908",
        "Wrist hand orthosis, wrist extension control cock-up, non molded, "
        "prefabricated, off-the-shelf",
        41.20,
    ),
    (
        "L4361",
        "Walking boot, pneumatic and/or vacuum, with or without joints, with or "
        "without interface material, prefabricated, off-the-shelf",
        142.80,
    ),
    (
        "E0114",
        "Crutches underarm, other than wood, adjustable or fixed, pair, with pads, "
        "tips and handgrips",
        38.50,
    ),
    ("A4570", "Splint", "Not covered"),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Medically Necessary", "Provider Manual"],
        {
            "Marketplace Plan": (
                "a qualified health plan offered by Carrier to individuals through a "
                "health insurance exchange established under the Affordable Care Act, "
                "including the Summit Peak Connect narrow network plans."
            ),
            "Enrollee": "an individual enrolled in a Marketplace Plan.",
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Network Participation",
            [
                Clause(
                    "Group shall participate as an in-network provider in the Summit Peak Connect "
                    "network for Marketplace Plans. This Agreement does not obligate Group to "
                    "participate in any other product or network of Carrier."
                ),
                Clause(
                    "Carrier shall list Group in its provider directory for Marketplace Plans and "
                    "shall verify the accuracy of Group's directory information at least every "
                    "ninety (90) days."
                ),
                Clause(
                    "Group shall offer Enrollees appointments within the wait-time standards that "
                    "apply to qualified health plans in the State of Colorado."
                ),
                Clause(
                    "[[Carrier may place Group in a cost-sharing tier of the Summit Peak Connect "
                    "network using Carrier's cost and quality measures, which Carrier may revise "
                    "for each plan year, and Enrollees may pay lower cost-sharing when they use "
                    "providers in a preferred tier.]] Carrier shall give Group at least sixty (60) "
                    "days' notice of a change in Group's tier and an opportunity to request "
                    "reconsideration.",
                    findings=[finding("anti_steering", "medium", protects_provider=False)],
                ),
                Clause(
                    "Carrier shall not lease, sell or otherwise make the rates of this Agreement "
                    "available to any other network, payer or third-party administrator."
                ),
                Clause(
                    "[[Group shall not encourage Enrollees to change health plans and shall not "
                    "disparage Carrier to Enrollees. Any notice to Enrollees about Group's "
                    "withdrawal from the network shall use text approved in advance by Carrier.]]",
                    findings=[finding("non_solicitation", "medium", member_limits=True)],
                ),
                *bp.compliance(rng),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Claims and Payment",
            [
                *bp.claims_submission(rng, "one hundred eighty (180) days", "thirty (30) days"),
                Clause(
                    "Carrier shall pay Group for Covered Services in accordance with Exhibit A. "
                    "Carrier shall pay claims for Enrollees in the second and third months of an "
                    "advance premium tax credit grace period in accordance with federal rules, and "
                    "shall notify Group when an Enrollee enters such a grace period."
                ),
                Clause(
                    "[[Carrier may recover an overpayment by adjusting a later payment to Group "
                    "only if (a) Carrier has notified Group in writing at least 30 days in "
                    "advance, (b) the overpaid claim was paid within the prior 12 months, and (c) "
                    "Group has not disputed the overpayment; recoupment shall be suspended while a "
                    "dispute is pending.]]",
                    findings=[recoup("low", 12, prior_notice=True, dispute_stay=True)],
                ),
                *bp.cob(rng),
                Clause(
                    "[[Carrier shall pay Group by electronic funds transfer to an account Group "
                    "designates, without any fee to Group.]] Carrier shall not pay Group by "
                    "virtual credit card.",
                    findings=[
                        finding("payment_method_fees", "low", provider_fee_or_card_default=False)
                    ],
                ),
                Clause(
                    "Carrier shall not retroactively deny payment for a service that it authorized "
                    "on the ground that the service was not Medically Necessary."
                ),
            ],
        ),
        Article(
            "Records and Reports",
            [
                bp.retention_only(rng),
                bp.payer_financial_audit(rng),
                Clause(
                    "Carrier shall furnish Group with a quarterly report of claims paid to Group, "
                    "including the allowed amount for each claim line. Group may request an audit "
                    "of Carrier's payments to Group once in any twelve (12) month period."
                ),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "The term of this Agreement begins on January 1, 2026 and ends on December 31, "
                    "2028. The parties may extend the term only by a written amendment executed by "
                    "both of them; absent such an amendment this Agreement expires at the end of "
                    "the term."
                ),
                Clause(
                    "Either party may terminate this Agreement for cause upon sixty (60) days' "
                    "written notice if the other party fails to cure a material breach within that "
                    "period. Termination shall take effect at the end of a calendar quarter so "
                    "that Enrollees may be notified."
                ),
                Clause(
                    "Group shall continue to treat Enrollees in an active course of treatment for "
                    "up to ninety (90) days after termination, at the rates in Exhibit A."
                ),
            ],
        ),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article(
            "General Provisions",
            [
                *bp.general(rng, "Colorado"),
                Clause(
                    "[[If this Agreement conflicts with the Provider Manual or any Carrier policy, "
                    "this Agreement controls.]]",
                    "Order of Precedence",
                    findings=[finding("order_of_precedence", "low", manual_prevails=False)],
                ),
            ],
        ),
    ]


def _exhibit_a() -> list:
    t = Terms("Carrier", "Group", "Enrollees", "Enrollee")
    rows, rates = [], []
    for printed, desc, fee in ORTHO:
        code, _, mod = printed.partition("-")
        priced = not isinstance(fee, str)
        rows.append([printed, desc, money(fee) if priced else fee])
        rates.append(
            rate(
                code,
                "HCPCS" if code[0].isalpha() else "CPT",
                desc,
                "fee_schedule",
                amount=fee if priced else None,
                unit="per_service",
                modifier=mod or None,
                note=None if priced else UNPRICED[fee],
            )
        )
    rates = in_exhibit(rates, setting="professional", effective_date=EFFECTIVE)
    arts = [
        Article(
            "",
            [
                Clause(
                    "The services listed in Table A-1 shall be paid at the fixed amounts shown. "
                    "The surgical amounts include the global surgical package as defined by "
                    "Medicare. Codes shown with a suffix are paid at that component (-26 "
                    "professional, -TC technical). Consultation codes are not recognized; "
                    "consultations are billed as office visits."
                ),
                Para("Professional Fee Schedule", label="Table A-1.", style="plain"),
                Table(
                    ["Code", "Description", "Amount"],
                    rows,
                    [62, 316, 90],
                    rates=rates,
                    align_right=(2,),
                    repeat_header=False,
                    wrap=(1,),
                    accounting=(2,),
                ),
                Clause(
                    "[[Professional services not listed in Table A-1 shall be paid at one hundred "
                    "thirty percent (130%) of the CY 2026 Medicare Physician Fee Schedule amount "
                    "for Colorado (locality 01).]] [[The non-facility amount applies to services "
                    "in Group's offices and the facility amount to all other places of service.]] "
                    "[[The CY 2026 amounts are used for every year of the term and are not updated "
                    "for later Medicare fee schedules.]]",
                    findings=[
                        finding("non_priced_codes", "low", payer_sets=False),
                        finding("site_of_service", "medium"),
                        finding("rate_escalator", "high", {"percent": None}, kind="locked_year"),
                    ],
                    rates=[
                        rate(
                            None,
                            "CPT",
                            "Professional services not listed in Table A-1",
                            "percent_of_benchmark",
                            percent=130.0,
                            percent_of="medicare",
                            unit="per_service",
                            setting="professional",
                            effective_date=EFFECTIVE,
                            anchor="one hundred thirty percent (130%) of the CY 2026 Medicare "
                            "Physician Fee Schedule",
                        )
                    ],
                ),
                Clause(
                    "[[Covered Services for which no rate is established in this Exhibit A]] "
                    "[[shall be paid at fifty percent (50%) of Group's billed charges.]]",
                    findings=[
                        finding("non_priced_codes", "low", payer_sets=False),
                        vague("low", "percent_of_charges_default"),
                    ],
                    rates=[
                        rate(
                            None,
                            None,
                            "Covered Services with no rate in Exhibit A",
                            "percent_of_benchmark",
                            percent=50.0,
                            percent_of="billed_charges",
                            setting="professional",
                            effective_date=EFFECTIVE,
                            anchor="fifty percent (50%) of Group's billed charges",
                        )
                    ],
                ),
                Clause(
                    "[[The amounts in this Exhibit A apply to dates of service from January 1, "
                    "2026 through December 31, 2028 and are not subject to adjustment during the "
                    "term.]]",
                    findings=[finding("rate_escalator", "high", {"percent": None}, kind="freeze")],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading(
            "EXHIBIT A\nINDIVIDUAL MARKETPLACE (EXCHANGE) PLANS\n"
            "PROFESSIONAL SERVICES COMPENSATION, EFFECTIVE JANUARY 1, 2026"
        ),
        *render_articles(arts, Prefixed("A"), t),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Carrier", "Group", "Enrollees", "Enrollee")
    blocks = [
        Title(TITLE, "Summit Peak Connect Network"),
        Para(
            f'This {TITLE} (the "Agreement") is dated as of January 1, 2026 (the "Effective '
            f'Date") and is between {PAYER} ("Carrier") and {PROVIDER} ("Group").'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[1]]
    blocks += render_articles(_articles(rng), ArabicDecimal(), t)
    blocks.append(Signature([("CARRIER", PAYER), ("GROUP", PROVIDER)]))
    blocks += _exhibit_a()
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-01-01",
        expiration_date="2028-12-31",
        initial_term_months=36,
        product_lines=[PRODUCT],
        blocks=blocks,
        running=Running(
            header_left="Summit Peak Health Insurance Co.",
            header_right="Marketplace Network Agreement (2026)",
            footer_center="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes="Benign contract: fixed three-year term that expires unless extended by mutual "
        "written amendment; no audit clause (the only audits mentioned are of Carrier's own "
        "financial statements and Group's right to audit Carrier's payments - traps). "
        "Recoupment is mitigated (30 days' notice, 12-month lookback, suspended during a "
        "dispute) and is low. Expected: no evergreen_renewal, no audit_provision. The "
        "130% of CY 2026 MPFS benchmark is fully specified (not vague). Other categories: 2.4 "
        "(Carrier may tier Group and give Enrollees lower cost-sharing elsewhere: anti_steering "
        "medium), 2.6 (no encouraging Enrollees to change plans or disparaging Carrier; departure "
        "notices need Carrier-approved text: non_solicitation medium), 4.6 (EFT without fee, no "
        "virtual card: payment_method_fees low), 11.9 (this Agreement prevails over the Provider "
        "Manual: order_of_precedence low). Exhibit A: A.2 has three sentences - codes not in "
        "Table A-1 at a specified Medicare basis (non_priced_codes low), facility / non-facility "
        "amount by place of service (site_of_service), CY 2026 amounts never updated "
        "(rate_escalator locked base year, high); A.3 is one sentence split at its clause boundary "
        "(non_priced_codes low / vague_reimbursement low); A.4 rates not adjusted during the term "
        "(rate_escalator freeze, high). Traps: 2.1 'does not obligate Group to participate in any "
        "other product' (rules all_products out); 2.5 no leasing of the rates (rules "
        "network_rental out); 4.7 no retroactive denial of authorized services for medical "
        "necessity (rules retroactive_denial out); 6.2 is termination for cause only; 6.3 "
        "continuity of care is not a finding. Judgement calls: 4.3 (payment during an APTC grace "
        "period 'in accordance with federal rules') states no recovery, so it is not "
        "retroactive_rate_change; A.1 (global surgical package, consultation codes not "
        "recognized) defines what the fixed amounts cover and names no edits or payment "
        "policies, so it is not claims_editing.",
    )
