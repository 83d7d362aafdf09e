"""Holdout 2: outpatient and home dialysis agreement.

Voice: modern plain drafting - short sentences, "will" rather than "shall", "the Payor" and
"Participating Provider", PART headings with "§ 4.4" paragraphs, inline (i)/(ii) lists.
Helvetica, centred "- n -" footer.
"""

from __future__ import annotations

from ..common import audit, evergreen, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h1, p, plain, rng_for, table

NAME = "outpatient_dialysis_services_agreement"
TITLE = "OUTPATIENT DIALYSIS SERVICES AGREEMENT"
PAYER = "Prairie Lantern Insurance Company"
PROVIDER = "Cedar Basin Kidney Care, LLC"

S = "\u00a7"


def s(n: str) -> str:
    return f"{S} {n}"


def build() -> Holdout:
    rng = rng_for(NAME)
    venue = rng.choice(["the county where the Payor has its main office", "Polk County"])

    blocks = [
        Title(TITLE, "Commercial PPO and EPO Networks"),
        plain(
            f'This Agreement is made between {PAYER} (the "Payor") and {PROVIDER}, acting for '
            "itself and for each dialysis facility listed in Schedule 1 (together, the "
            '"Participating Provider"). It takes effect on April 1, 2026 (the "Effective '
            'Date").'
        ),
        plain(
            "The Payor offers preferred provider and exclusive provider networks to employers and "
            "individuals. The Participating Provider operates outpatient dialysis facilities and "
            "a home dialysis program. The parties want Covered Persons to have access to those "
            "services on the terms below."
        ),
        # ---------------------------------------------------------------- PART 1
        h1("PART 1 - WORDS WITH SPECIAL MEANINGS"),
        p(
            '"Covered Person" means a person who is enrolled in a benefit plan that the Payor '
            "insures or administers and who is entitled to use the Payor's PPO or EPO network.",
            s("1.1"),
        ),
        p(
            '"Dialysis Services" means (i) in-center hemodialysis, (ii) home hemodialysis, '
            "(iii) peritoneal dialysis, whether continuous ambulatory (CAPD) or continuous "
            "cycling (CCPD), and (iv) home dialysis training, together with the supplies, "
            "routine laboratory tests and drugs that are part of a Treatment.",
            s("1.2"),
        ),
        p(
            '"Treatment" means one hemodialysis session, or one day of peritoneal dialysis.',
            s("1.3"),
        ),
        p(
            '"Clean Claim" has the meaning that the prompt payment law of the Covered Person\'s '
            "state of residence gives it. If that law has no definition, it means a claim that "
            "can be paid without asking anyone for more information.",
            s("1.4"),
        ),
        # ---------------------------------------------------------------- PART 2
        h1("PART 2 - SERVICES AND STANDARDS"),
        p(
            "The Participating Provider will offer Dialysis Services to Covered Persons at each "
            "facility on the same terms, and with the same chair availability, as it offers them "
            "to its other patients.",
            s("2.1"),
        ),
        p(
            "Each facility must hold, and keep renewed, its Medicare certification as an ESRD "
            "facility, its state licence and its CLIA certificate. The Participating Provider "
            "will tell the Payor within five business days if any of them lapses or is not "
            "renewed.",
            s("2.2"),
        ),
        p(
            "The Participating Provider will send the Payor a monthly report of each Covered "
            "Person's Kt/V, hemoglobin and vascular access type, and will take part in the "
            "Payor's kidney care management program.",
            s("2.3"),
        ),
        p(
            "The Participating Provider will tell each new Covered Person about home dialysis "
            "options and about kidney transplant referral, and will record that conversation in "
            "the treatment record.",
            s("2.4"),
        ),
        # ---------------------------------------------------------------- PART 3
        h1("PART 3 - PAYMENT"),
        p(
            "The Payor will pay for Dialysis Services at the rates in Schedule 2. A Treatment "
            "rate covers everything used in the Treatment. In particular, (i) supplies, (ii) "
            "routine laboratory tests and (iii) drugs are not paid separately, except for the "
            "drugs listed in Table 2-B.",
            s("3.1"),
        ),
        p(
            "Claims must reach the Payor within ninety (90) days after the Treatment. The Payor "
            "will pay each Clean Claim within 30 days after receiving it, or within the shorter "
            "time that state law requires.",
            s("3.2"),
        ),
        p(
            "[[Laboratory tests that are not part of a Treatment will be paid at the rates that "
            "the Payor's laboratory benefit manager sets for the laboratories in its own network, "
            "and the Participating Provider will send those tests to the manager for pricing.]]",
            s("3.3"),
            findings=[vague("medium", "third_party_vendor_schedule")],
        ),
        p(
            "[[Home dialysis training sessions will be paid at 120% of the Medicare rate, per "
            "session, up to the number of sessions that Medicare allows for the modality.]]",
            s("3.4"),
            findings=[vague("medium", "benchmark_unspecified")],
            rates=[
                rate(
                    None,
                    None,
                    "Home dialysis training, per session",
                    "percent_of_benchmark",
                    percent=120.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="120% of the Medicare rate, per session",
                ),
            ],
        ),
        p(
            "The Participating Provider will collect only the copayment, coinsurance or "
            "deductible that the Covered Person's plan requires. It will not bill a Covered "
            "Person for any amount the Payor owes, even if the Payor fails to pay.",
            s("3.5"),
        ),
        # ---------------------------------------------------------------- PART 4
        h1("PART 4 - REVIEWS, RECORDS AND OVERPAYMENTS"),
        p(
            "[[The Payor may review claims it has paid to the Participating Provider to check "
            "that they were billed and paid correctly. A review may cover only claims paid within "
            "the twelve months before the Payor's written notice of the review, and that notice "
            "must be given at least twenty-one (21) days before the review begins.]]",
            s("4.1"),
            findings=[audit("low", 12, False, 21)],
        ),
        p(
            "[[On reasonable notice and during normal business hours, the Payor's clinical staff "
            "may visit any facility to inspect the treatment records of Covered Persons, and may "
            "make copies of them, for quality-of-care and care management purposes.]]",
            s("4.2"),
            findings=[
                audit(
                    "low",
                    None,
                    False,
                    None,
                    kind="access",
                    recovery=False,
                    note="record inspection for quality review only; no payment recovery.",
                )
            ],
        ),
        p(
            "The Participating Provider will keep the medical and billing records of each "
            "Covered Person for at least seven years after that person's last Treatment, or for "
            "longer if a law requires it.",
            s("4.3"),
        ),
        p(
            "[[The Payor will not recover an overpayment by reducing other payments unless it "
            "has first sent the Participating Provider a written notice that identifies the "
            "claim, the Covered Person, the amount and the reason, and thirty (30) days have "
            "passed since that notice. The Payor will not seek to recover any amount more than "
            "twelve (12) months after it paid the claim, and it will not reduce any payment "
            "while the Participating Provider's dispute of the overpayment is pending under "
            "Part 7.]]",
            s("4.4"),
            findings=[recoup("low", 12, prior_notice=True, dispute_stay=True)],
        ),
        p(
            "If the Participating Provider finds that it has been paid more than it should have "
            "been, it will return the excess within sixty days of finding it.",
            s("4.5"),
        ),
        p(
            "The Payor will not offset amounts that it claims under any other agreement, or under "
            "any plan that it administers for another plan sponsor, against payments due under "
            "this Agreement.",
            s("4.6"),
        ),
        # ---------------------------------------------------------------- PART 5
        h1("PART 5 - HOW LONG THE AGREEMENT LASTS"),
        p(
            "[[This Agreement runs for two years from the Effective Date. It then renews itself "
            "for one year at a time. Either party can stop the next renewal by giving the other "
            "written notice at least one hundred twenty days before the renewal date.]]",
            s("5.1"),
            findings=[evergreen("high", 24, 12, 120)],
        ),
        p(
            "After the first anniversary of the Effective Date, either party may end this "
            "Agreement for any reason by giving the other 150 days' written notice.",
            s("5.2"),
        ),
        p(
            "Either party may end this Agreement on 30 days' written notice if the other party "
            "seriously breaks it and does not put the breach right within that time. The Payor "
            "may end it at once for a facility that loses its Medicare certification.",
            s("5.3"),
        ),
        p(
            "When this Agreement ends, the Participating Provider will keep treating any Covered "
            "Person who is then receiving Dialysis Services for up to ninety (90) days, at the "
            "rates in Schedule 2, while the Payor arranges a safe transfer.",
            s("5.4"),
        ),
        # ---------------------------------------------------------------- PART 6
        h1("PART 6 - CONFIDENTIAL INFORMATION"),
        p(
            "Each party will keep the other's confidential business information, including the "
            "rates in Schedule 2, confidential. Either party may disclose those rates to a "
            "government body that asks for them, to its advisers, and to plan sponsors to the "
            "extent federal transparency rules require.",
            s("6.1"),
        ),
        p(
            "Each party will protect health information about Covered Persons as the HIPAA "
            "privacy and security rules require.",
            s("6.2"),
        ),
        # ---------------------------------------------------------------- PART 7
        h1("PART 7 - DISPUTES"),
        p(
            "A party with a complaint about a claim or a payment will send the other a written "
            "dispute notice within ninety (90) days after the event it is complaining about.",
            s("7.1"),
        ),
        p(
            "Representatives of the parties will meet, in person or by video, within thirty "
            "days after the dispute notice. If the meeting does not settle the dispute, either "
            "party may ask for non-binding mediation.",
            s("7.2"),
        ),
        p(
            f"If mediation fails, either party may bring a claim in the state courts of {venue}.",
            s("7.3"),
        ),
        # ---------------------------------------------------------------- PART 8
        h1("PART 8 - GENERAL"),
        p(
            "Changes to this Agreement, including changes to Schedule 2, must be in writing and "
            "signed by both parties.",
            s("8.1"),
        ),
        p(
            "Neither party may transfer this Agreement to someone else without the other's "
            "written consent, except to an affiliate that takes over substantially all of its "
            "dialysis business.",
            s("8.2"),
        ),
        p(
            "Notices must be in writing and sent to the address on the signature page, or to a "
            "new address that a party gives by notice.",
            s("8.3"),
        ),
        p(
            "This Agreement is governed by the law of the state in which the Participating "
            "Provider's principal office is located.",
            s("8.4"),
        ),
        Signature(
            [
                ("PRAIRIE LANTERN INSURANCE COMPANY", PAYER),
                ("CEDAR BASIN KIDNEY CARE, LLC", PROVIDER),
            ],
            lead_in="Signed by the parties' authorized representatives.",
        ),
        PageBreak(),
        # ---------------------------------------------------------------- SCHEDULES
        h1("SCHEDULE 1 - FACILITIES"),
        table(
            ["Facility", "Address", "Stations"],
            [
                (["Cedar Basin Dialysis - North", "410 Larch Avenue, Ferris", "18"], None),
                (["Cedar Basin Dialysis - Riverside", "77 Mill Road, Ferris", "24"], None),
                (["Cedar Basin Home Program", "410 Larch Avenue, Ferris", "home"], None),
            ],
            [200, 200, 70],
            ruled=False,
        ),
        h1("SCHEDULE 2 - RATES"),
        plain(
            "The rates below apply to each product line in which the Participating Provider "
            "participates. Rates are per Treatment unless the table says otherwise."
        ),
        table(
            ["Rev. code", "Service", "Basis", "Rate"],
            [
                (
                    ["0821", "Hemodialysis, in-center", "per treatment", "$412.00"],
                    rate(
                        "0821",
                        "REV",
                        "Hemodialysis, in-center",
                        "fee_schedule",
                        amount=412.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["0825", "Hemodialysis, home", "per treatment", "$338.00"],
                    rate(
                        "0825",
                        "REV",
                        "Hemodialysis, home",
                        "fee_schedule",
                        amount=338.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["0841", "Peritoneal dialysis, CAPD", "per day", "$96.50"],
                    rate(
                        "0841",
                        "REV",
                        "Peritoneal dialysis, CAPD",
                        "per_diem",
                        amount=96.50,
                        unit="per_diem",
                    ),
                ),
                (
                    ["0851", "Peritoneal dialysis, CCPD", "per day", "$103.75"],
                    rate(
                        "0851",
                        "REV",
                        "Peritoneal dialysis, CCPD",
                        "per_diem",
                        amount=103.75,
                        unit="per_diem",
                    ),
                ),
            ],
            [70, 200, 100, 90],
            ruled=False,
            right=(3,),
            caption="Table 2-A  Dialysis",
        ),
        table(
            ["HCPCS", "Drug", "Billing unit", "Rate"],
            [
                (
                    ["J0882", "Darbepoetin alfa (ESRD on dialysis)", "1 mcg", "$3.72"],
                    rate(
                        "J0882",
                        "HCPCS",
                        "Darbepoetin alfa (ESRD on dialysis)",
                        "fee_schedule",
                        amount=3.72,
                        unit="per_unit",
                    ),
                ),
                (
                    ["J1756", "Iron sucrose", "1 mg", "$0.58"],
                    rate(
                        "J1756",
                        "HCPCS",
                        "Iron sucrose",
                        "fee_schedule",
                        amount=0.58,
                        unit="per_unit",
                    ),
                ),
                (
                    ["Q4081", "Epoetin alfa (ESRD on dialysis)", "100 units", "$1.19"],
                    rate(
                        "Q4081",
                        "HCPCS",
                        "Epoetin alfa (ESRD on dialysis)",
                        "fee_schedule",
                        amount=1.19,
                        unit="per_unit",
                    ),
                ),
            ],
            [70, 200, 100, 90],
            ruled=False,
            right=(3,),
            caption="Table 2-B  Separately payable drugs",
        ),
    ]

    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-04-01",
        expiration_date="2028-03-31",
        initial_term_months=24,
        product_lines=["commercial_ppo", "commercial_epo"],
        blocks=blocks,
        running=Running(
            header_left="Prairie Lantern / Cedar Basin",
            header_right="Dialysis Services Agreement",
            footer_center="- {page} -",
            rule=False,
        ),
        font="Helvetica",
        font_size=9.5,
        notes=(
            "Holdout. Plain-English drafting with 'will'; PART headings and paragraphs printed "
            "'\u00a7 4.4' (section '4.4'); inline (i)-(iv) lists are not separate clauses. The "
            "evergreen notice is written in words only ('one hundred twenty days'). Traps: "
            "certification/licence/CLIA renewal (2.2); retention-only records clause (4.3); the "
            "Participating Provider's own 60-day repayment duty (4.5); 'The Payor will not "
            "offset' amounts claimed under other agreements or plans (4.6); rates changeable "
            "only by a signed writing (8.1). 4.4 is a recoupment clause phrased entirely in the "
            "negative (notice first, 12-month limit, no recovery during a dispute): low, not "
            "absent. Schedule tables are unruled (header rules only)."
        ),
    )
    return Holdout(
        contract,
        traps=[
            "Each facility must hold, and keep renewed, its Medicare certification",
            "will keep the medical and billing records of each Covered Person for at least seven "
            "years",
            "it will return the excess within sixty days of finding it",
            "The Payor will not offset amounts that it claims under any other agreement",
            "must be in writing and signed by both parties",
        ],
    )
