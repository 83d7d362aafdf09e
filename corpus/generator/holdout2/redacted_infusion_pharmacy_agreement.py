"""Ambulatory / home infusion pharmacy agreement with the party names redacted (``[***]``).

British-flavoured commercial drafting ("in respect of", "for the avoidance of doubt"), paragraphs
numbered continuously ``1.`` to ``21.`` under unnumbered headings (section ``"17"``), schedules
numbered ``C.2`` / ``D.3``. Courier, like a scanned-and-retyped disclosure copy.
"""

from __future__ import annotations

from ..common import audit, evergreen, money, rate, recoup, vague
from ..model import Contract, PageBreak, Para, Running, Signature, Title
from .kit import Holdout, h2, p, t, table

NAME = "redacted_infusion_pharmacy_agreement"
TITLE = "AMBULATORY AND HOME INFUSION SERVICES AGREEMENT"
PPO, MA = "commercial_ppo", "medicare_advantage"
R = "[***]"


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, text: str, **kw) -> Para:
        self.n += 1
        return p(text, f"{self.n}.", **kw)


def build() -> Holdout:
    traps = [
        t("""The Pharmacy shall hold and keep current its pharmacy permit in each state in which it
        dispenses, its accreditation for home infusion therapy from a body recognised by CMS, and
        the registration of each pharmacist and nurse it engages, and shall renew each of them in
        good time before it expires."""),
        t("""The Pharmacy shall insure against professional and general liability with an insurer
        of good repute, shall renew that insurance annually, and shall produce the certificate of
        renewal on request."""),
        t("""For Covered Persons enrolled in the Medicare Advantage Product, drugs payable under
        Part B shall be priced at one hundred and six per cent (106%) of the payment limit
        published for the relevant HCPCS code in the CMS ASP Drug Pricing File for January 2026,
        which prices shall not be updated during the Initial Period."""),
        t("""Where the Pharmacy becomes aware that it has been overpaid, it shall notify the Company
        and repay the amount within sixty days of becoming aware of it."""),
        t("""The Pharmacy shall keep complete dispensing, compounding and delivery records in
        respect of each Covered Person for not less than ten (10) years from the date of
        dispensing."""),
        t("""The Table C-2 prices apply to drugs dispensed on or before 31 January 2027 and shall
        then lapse; prices for later dispensing require a new Table C-2 signed by both parties,
        failing which paragraph 8 applies."""),
    ]
    n = Counter()
    blocks = [
        Title(TITLE),
        p(
            f"""THIS AGREEMENT is dated {R} and is made between: (1) {R}, a {R} corporation whose
        principal office is at {R} (the "Company"); and (2) {R}, a licensed pharmacy operating
        ambulatory infusion suites and a home infusion service (the "Pharmacy"). Effective Date:
        1 February 2026.""",
            style="plain",
        ),
        h2("Interpretation"),
        n(""""Covered Person" means a person enrolled in a Product; "Products" means the
        Company's commercial PPO product (the "PPO Product") and its Medicare Advantage plans (the
        "Medicare Advantage Product"); "Infusion Therapy" means the parenteral administration of a
        drug, with the related pharmacy, nursing and supply services; "Specialty Drug" means a drug
        listed in Schedule C; and "Overpayment" means any amount paid to the Pharmacy in excess of
        the amount properly payable under this Agreement."""),
        n("""References to paragraphs are to the numbered paragraphs of this Agreement, and
        references to Schedules are to the schedules attached to it, which form part of it."""),
        h2("The Pharmacy's Services"),
        n("""The Pharmacy shall provide Infusion Therapy to Covered Persons at its ambulatory
        infusion suites or, where the prescriber so orders, in the Covered Person's home, and shall
        deliver drugs and supplies within 24 hours of receiving a complete referral."""),
        n(traps[0]),
        n(traps[1]),
        h2("Payment"),
        n("""In respect of each Covered Person the Company shall pay the Pharmacy the per diem and
        per visit rates in Table C-1 of Schedule C and, for Specialty Drugs dispensed to Covered
        Persons in the PPO Product, the prices in Table C-2, in each case less any cost
        share."""),
        n(
            traps[2],
            rates=[
                rate(
                    None,
                    "HCPCS",
                    "Part B drugs, Medicare Advantage (106% of January 2026 ASP file)",
                    "percent_of_benchmark",
                    percent=106.0,
                    percent_of="other",
                    product_line=MA,
                    anchor="one hundred and six per cent (106%)",
                )
            ],
        ),
        n(
            """[[Specialty Drugs dispensed to Covered Persons in the PPO Product that are not listed
        in
        Table C-2 shall be paid at Average Wholesale Price less fifteen per cent (15%).]]""",
            findings=[
                vague(
                    "medium",
                    "benchmark_unspecified",
                    note="AWP with no named compendium or pricing date.",
                )
            ],
            rates=[
                rate(
                    None,
                    "HCPCS",
                    "Specialty Drugs not in Table C-2 (AWP less 15%)",
                    "percent_of_benchmark",
                    percent=85.0,
                    percent_of="other",
                    product_line=PPO,
                    anchor="Average Wholesale Price less fifteen per cent (15%)",
                )
            ],
        ),
        n(
            """[[Nursing visits in excess of the number authorised, and supplies not included in a
        per
        diem, shall be paid in accordance with the Company's home infusion reimbursement policy as
        in force on the date of service.]] For the avoidance of doubt, no per diem is payable for a
        day on which no drug is administered.""",
            findings=[vague("high", "payer_discretion")],
        ),
        h2("Claims and Overpayments"),
        n("""Claims shall be submitted within 90 days of the date of service, and the Company shall
        pay each complete claim within 30 days of receiving it."""),
        n(
            """[[The Company may recover any Overpayment by deducting it from any sum payable to the
        Pharmacy under this Agreement or under any other agreement between the Pharmacy or any of
        its Affiliates and the Company or any of its Affiliates. The Company shall not recover an
        Overpayment in respect of a claim paid more than 30 months before the date of its written
        notice of the Overpayment.]]""",
            findings=[recoup("high", 30, cross=True)],
        ),
        n(traps[3]),
        h2("Records and Audit"),
        n(traps[4]),
        n(
            """[[The Pharmacy shall make those records available to the Secretary of Health and
        Human
        Services, the Comptroller General, CMS and their designees for inspection, evaluation and
        audit at any time during that period.]]""",
            findings=[
                audit(
                    "low",
                    None,
                    False,
                    None,
                    kind="access",
                    recovery=False,
                    note="regulatory access only; the ten-year period is retention, not a "
                    "lookback.",
                )
            ],
        ),
        n(
            """[[The Company, or a pharmacy audit contractor acting on its behalf, may carry out
        desk
        and on-site audits of claims with a date of service in the preceding 24 months, on giving
        the Pharmacy not less than fourteen (14) days' written notice, and may recover any amount
        paid on a claim that the audit shows was not properly payable.]]""",
            findings=[audit("medium", 24, False, 14)],
        ),
        n(
            """[[The Company may also require the Pharmacy to produce wholesaler and manufacturer
        invoices evidencing its acquisition of any Specialty Drug dispensed in the preceding
        thirty-six (36) months and, where the Pharmacy cannot evidence the acquisition of the
        quantity billed, the Company may recover the amount paid for the quantity not
        evidenced.]]""",
            findings=[
                audit(
                    "high",
                    36,
                    False,
                    None,
                    note="invoice (acquisition) audit with a 36-month lookback.",
                )
            ],
        ),
        h2("Duration"),
        n(
            """[[This Agreement begins on the Effective Date and continues for an initial period of
        24
        months (the "Initial Period"). It then continues for successive further periods of 24
        months each unless either party gives the other not less than 180 days' written notice to
        terminate it at the end of the Initial Period or at the end of any further period.]]""",
            findings=[evergreen("high", 24, 24, 180)],
        ),
        n("""Either party may terminate this Agreement by written notice with immediate effect if
        the other commits a material breach that is not remedied within thirty days of a notice
        requiring it to be remedied."""),
        n("""On termination the Pharmacy shall complete any course of Infusion Therapy already
        begun, for up to 30 days, and shall be paid for it under this Agreement."""),
        h2("General"),
        n(f"""Notices shall be sent to the Company at {R}, marked for the attention of ________,
        and to the Pharmacy at {R}, marked for the attention of its Director of Pharmacy."""),
        n(f"""This Agreement is governed by the laws of the State of {R}. Neither party may assign
        it without the other's written consent, which shall not be unreasonably withheld."""),
        Signature(
            [("Signed for the COMPANY", R), ("Signed for the PHARMACY", R)],
            lead_in="Signed by the duly authorised representatives of the parties.",
        ),
        PageBreak(),
        h2("SCHEDULE C \u2014 RATES"),
        p(
            """Table C-1 applies to every Product. Per diem rates cover pharmacy services, supplies
        and equipment for each day on which a drug is administered.""",
            "C.1",
        ),
        table(
            ["Code", "Description", "Unit", "Rate"],
            [
                (
                    ["S9500", "Antibiotic infusion, every 24 hours", "Per diem", money(98.00)],
                    rate(
                        "S9500",
                        "HCPCS",
                        "Antibiotic infusion, every 24 hours",
                        "per_diem",
                        amount=98.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["S9501", "Antibiotic infusion, every 12 hours", "Per diem", money(112.00)],
                    rate(
                        "S9501",
                        "HCPCS",
                        "Antibiotic infusion, every 12 hours",
                        "per_diem",
                        amount=112.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["S9338", "Immunotherapy infusion (IVIG)", "Per diem", money(205.00)],
                    rate(
                        "S9338",
                        "HCPCS",
                        "Immunotherapy infusion (IVIG)",
                        "per_diem",
                        amount=205.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["S9490", "Corticosteroid infusion", "Per diem", money(86.50)],
                    rate(
                        "S9490",
                        "HCPCS",
                        "Corticosteroid infusion",
                        "per_diem",
                        amount=86.50,
                        unit="per_diem",
                    ),
                ),
                (
                    [
                        "99601",
                        "Home infusion nursing visit, up to 2 hours",
                        "Per visit",
                        money(165.00),
                    ],
                    rate(
                        "99601",
                        "CPT",
                        "Home infusion nursing visit, up to 2 hours",
                        "fee_schedule",
                        amount=165.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99602", "Each additional hour", "Per hour", money(72.00)],
                    rate(
                        "99602",
                        "CPT",
                        "Each additional hour",
                        "fee_schedule",
                        amount=72.00,
                        unit="per_unit",
                    ),
                ),
            ],
            [50, 230, 70, 70],
            right=(3,),
            caption="Table C-1 \u2014 Per diem and nursing rates",
        ),
        p(traps[5], "C.2"),
        table(
            ["HCPCS", "Drug", "Billing unit", "Price"],
            [
                (["J1569", "Immune globulin (IVIG), 500 mg", "500 mg", R], None),
                (
                    ["J1745", "Infliximab, 10 mg", "10 mg", money(88.40)],
                    rate(
                        "J1745",
                        "HCPCS",
                        "Infliximab, 10 mg",
                        "fee_schedule",
                        amount=88.40,
                        unit="per_unit",
                        product_line=PPO,
                    ),
                ),
                (
                    ["J0129", "Abatacept, 10 mg", "10 mg", money(61.75)],
                    rate(
                        "J0129",
                        "HCPCS",
                        "Abatacept, 10 mg",
                        "fee_schedule",
                        amount=61.75,
                        unit="per_unit",
                        product_line=PPO,
                    ),
                ),
                (
                    ["J2350", "Ocrelizumab, 1 mg", "1 mg", money(57.10)],
                    rate(
                        "J2350",
                        "HCPCS",
                        "Ocrelizumab, 1 mg",
                        "fee_schedule",
                        amount=57.10,
                        unit="per_unit",
                        product_line=PPO,
                    ),
                ),
            ],
            [50, 230, 70, 70],
            right=(3,),
            caption="Table C-2 \u2014 Specialty Drug prices (PPO Product)",
        ),
        h2("SCHEDULE D \u2014 MEDICARE ADVANTAGE PRODUCT"),
        p(
            """This Schedule applies to Covered Persons enrolled in the Medicare Advantage Product
        and
        prevails over the rest of this Agreement in respect of them.""",
            "D.1",
        ),
        p(
            """[[This Schedule applies for calendar year 2026 and renews automatically for each
        following calendar year unless either party notifies the other in writing, on or before
        1 October, that it is not to renew for the following year.]]""",
            "D.2",
            findings=[
                evergreen(
                    "medium",
                    None,
                    12,
                    None,
                    note="calendar-date notice ('on or before 1 October') -> "
                    "notice_days null; the first period is calendar year 2026 from the "
                    "1 February 2026 Effective Date, not stated as a duration.",
                )
            ],
        ),
        p(
            """[[Where CMS retroactively disenrolls a Covered Person, the Company may recover
        payments
        for services provided after the effective date of disenrollment by adjusting later
        remittances, after giving the Pharmacy thirty (30) days' written notice, and only in
        respect of claims paid in the 12 months before that notice.]]""",
            "D.3",
            findings=[
                recoup(
                    "medium",
                    12,
                    note="12 months with notice but no stay during a dispute -> medium.",
                )
            ],
        ),
        p(
            """The Pharmacy shall not bill a Covered Person in the Medicare Advantage Product for
        any
        amount other than the cost share shown in the Covered Person's evidence of coverage, even
        if the Company fails to pay.""",
            "D.4",
        ),
    ]
    c = Contract(
        name=NAME,
        title=TITLE,
        payer=None,
        provider=None,
        effective_date="2026-02-01",
        expiration_date="2028-01-31",
        initial_term_months=24,
        product_lines=[PPO, MA],
        blocks=blocks,
        running=Running(
            header_left="REDACTED COPY",
            header_right="Infusion Services Agreement",
            footer_left="Confidential treatment requested",
            footer_right="{page}",
        ),
        font="Courier",
        font_size=9.0,
        notes=(
            "Party names redacted as '[***]' (payer and provider null); a notice addressee is a "
            "blank '________'. Paragraphs numbered continuously 1.-21. under unnumbered headings "
            "(section = the paragraph number, e.g. '17'); schedules 'C.2', 'D.3'. British spelling "
            "and idiom ('per cent', 'authorised', 'in respect of'). Effective Date '1 February "
            "2026'. Traps: permit / accreditation / registration renewal (paragraph 4), annual "
            "insurance renewal (5), fully specified ASP benchmark (January 2026 CMS ASP file, "
            "paragraph 7), Pharmacy's own 60-day repayment (12), retention-only (13), Table C-2 "
            "prices that lapse on 31 January 2027 unless a new table is signed (C.2). Table C-2 "
            "row J1569 has its price redacted and is not a rate row. ASP- and AWP-based rates "
            "use percent_of 'other' (AWP less 15% -> percent 85)."
        ),
    )
    return Holdout(c, traps)
