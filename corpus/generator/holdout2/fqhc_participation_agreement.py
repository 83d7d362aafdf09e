"""FQHC participation (Medicaid + QHP): **benign**, heavily defined-term style, ``6.b.`` labels.

No evergreen (fixed term, extension only by a signed amendment), a narrow 12-month payment review
without extrapolation, an express no-offset clause; the only vague term is a low %-of-charges
default for unlisted services.
"""

from __future__ import annotations

from ..common import audit, money, rate, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h2, p, t, table

NAME = "fqhc_participation_agreement"
PAYER = "Cedar Basin Community Health Plan, Inc."
PROVIDER = "Tallgrass Valley Community Health Center, Inc."
TITLE = "FEDERALLY QUALIFIED HEALTH CENTER PARTICIPATION AGREEMENT"
MCD, QHP = "medicaid_managed_care", "exchange"


def d(n: int, letter: str, text: str, **kw):
    return p(text, f"{n}.{letter}.", style="indent", **kw)


def build() -> Holdout:
    traps = [
        t("""Health Center maintains each Qualified Practitioner's license, DEA registration and
        board certification in good standing and renews each before it lapses. Health Plan
        recredentials each Qualified Practitioner every thirty-six (36) months."""),
        t("""Health Center maintains Federal Tort Claims Act coverage for its Deemed Activities and,
        for any other activity, professional liability insurance that it renews at the end of each
        policy year."""),
        t("""For a Covered Service to a QHP Member that is not listed in Schedule 2, Health Plan
        pays
        one hundred twelve percent (112%) of the non-facility amount for that service in the
        calendar year 2026 Medicare Physician Fee Schedule for payment locality 01, without regard
        to any later revision of that schedule."""),
        t("""Health Plan shall not offset, recoup or withhold an Overpayment against any payment due
        to Health Center under this Agreement or under any other arrangement."""),
        t("""Health Center either repays the Overpayment by check within sixty (60) days after the
        Overpayment Statement or disputes it under Section 7."""),
        t("""Health Center retains Records for ten (10) years after the end of the Agreement
        Term."""),
        t("""Health Center may, once each Contract Year and on thirty (30) days' notice, audit
        Health
        Plan's records of Encounter payments and of the data Health Plan reports to the State for
        the Wrap Payment reconciliation."""),
        t("""This Agreement does not renew automatically. The Parties may extend the Agreement Term
        only by an Amendment signed by both Parties before the Expiration Date."""),
    ]
    blocks = [
        Title(TITLE, "Medicaid Managed Care and Qualified Health Plan Networks"),
        p("""This Federally Qualified Health Center Participation Agreement (the "Agreement") is
        entered into by Cedar Basin Community Health Plan, Inc. ("Health Plan") and Tallgrass
        Valley Community Health Center, Inc. ("Health Center"; Health Plan and Health Center each a
        "Party"). Capitalized terms have the meanings given in Section 1 or where they first appear
        in quotation marks."""),
        h2("1. DEFINITIONS"),
        d(
            1,
            "a",
            """"Agreement Term" means the period from the Effective Date through the
        Expiration Date, unless the Agreement is terminated earlier under Section 6.""",
        ),
        d(
            1,
            "b",
            """"Amendment" means a written instrument that states that it amends this
        Agreement and that is signed by an authorized officer of each Party.""",
        ),
        d(
            1,
            "c",
            """"Billed Charges" means Health Center's usual charge for a service, as shown on
        its chargemaster and applied uniformly to all payers.""",
        ),
        d(
            1,
            "d",
            """"Contract Year" means each calendar year, or part of a calendar year, within the
        Agreement Term.""",
        ),
        d(
            1,
            "e",
            """"Effective Date" means January 1, 2026, and "Expiration Date" means
        December 31, 2028.""",
        ),
        d(
            1,
            "f",
            """"Encounter" means a face-to-face or telehealth visit between a Member and a
        Qualified Practitioner that qualifies for payment at the PPS Rate under the State
        Plan.""",
        ),
        d(
            1,
            "g",
            """"Line of Business" means either Medicaid Managed Care or the qualified health
        plan that Health Plan offers on the State exchange (the "QHP"); a "Member" is a person
        enrolled in a Line of Business.""",
        ),
        d(
            1,
            "h",
            """"Overpayment" means any amount Health Plan paid on a Claim in excess of the
        amount due under Schedule 2, and "Overpayment Statement" means Health Plan's written
        statement of the Claim, the amount and the reason for an Overpayment.""",
        ),
        d(
            1,
            "i",
            """"PPS Rate" means the Health Center-specific prospective payment system rate per
        Encounter established for Health Center by the State Medicaid agency for calendar year 2026
        under section 1902(bb) of the Social Security Act, as restated in Schedule 2.""",
        ),
        d(
            1,
            "j",
            """"Payment Review" means a post-payment examination by Health Plan of Claims and of
        the Records that support them, and "Review Notice" means Health Plan's written notice of a
        Payment Review listing the Claims to be examined.""",
        ),
        d(
            1,
            "k",
            """"Records" means the medical, billing and financial records that support a Claim,
        in any medium.""",
        ),
        d(
            1,
            "l",
            """"Unlisted Service" means a Covered Service that is neither an Encounter nor a
        service listed in Schedule 2.""",
        ),
        d(
            1,
            "m",
            """"Wrap Payment" means the supplemental payment the State makes to Health Center
        for the difference between Health Plan's payment for an Encounter and the PPS Rate.""",
        ),
        h2("2. PARTICIPATION AND CREDENTIALS"),
        d(
            2,
            "a",
            """Health Center participates in each Line of Business and furnishes Covered
        Services to Members at each Site listed in Schedule 1.""",
        ),
        d(2, "b", traps[0]),
        d(2, "c", traps[1]),
        h2("3. PAYMENT"),
        d(
            3,
            "a",
            """For each Encounter with a Medicaid Member, Health Plan pays the amount stated for
        that Encounter in Schedule 2. The State, not Health Plan, makes any Wrap Payment, and
        Health Plan reports Encounter data to the State within thirty (30) days after
        payment.""",
        ),
        d(
            3,
            "b",
            traps[2],
            rates=[
                rate(
                    None,
                    "CPT",
                    "QHP services not listed in Schedule 2 (CY 2026 MPFS, locality 01)",
                    "percent_of_benchmark",
                    percent=112.0,
                    percent_of="medicare",
                    product_line=QHP,
                    anchor="one hundred twelve percent (112%)",
                )
            ],
        ),
        d(
            3,
            "c",
            """[[Health Plan pays each Unlisted Service at fifty-five percent (55%) of
        Billed Charges.]] Billed Charges for an Unlisted Service may not exceed the amount Health
        Center charges its uninsured patients before any sliding-fee discount.""",
            findings=[vague("low", "percent_of_charges_default")],
            rates=[
                rate(
                    None,
                    None,
                    "Unlisted Services (default)",
                    "percent_of_benchmark",
                    percent=55.0,
                    percent_of="billed_charges",
                    anchor="fifty-five percent (55%) of Billed Charges",
                )
            ],
        ),
        d(
            3,
            "d",
            """Health Center submits each Claim within one hundred eighty (180) days after the
        date of service. Health Plan pays each Clean Claim within thirty (30) days after
        receipt.""",
        ),
        h2("4. OVERPAYMENTS"),
        d(4, "a", traps[3]),
        d(
            4,
            "b",
            """If Health Plan identifies an Overpayment, it sends Health Center an
        Overpayment Statement. """
            + traps[4],
        ),
        h2("5. PAYMENT REVIEWS AND RECORDS"),
        d(
            5,
            "a",
            """[[Health Plan may conduct a Payment Review only of Claims paid during the twelve
        (12) months before the date of the Review Notice, and sends the Review Notice at least
        thirty (30) days before the Payment Review begins. Each Payment Review is limited to the
        Claims listed in the Review Notice; Health Plan does not use sampling or
        extrapolation.]]""",
            findings=[
                audit(
                    "low",
                    12,
                    False,
                    30,
                    note="narrow review: 12-month lookback, 30 days' notice, listed Claims "
                    "only; the words 'sampling or extrapolation' are negated.",
                )
            ],
        ),
        d(5, "b", traps[5]),
        d(5, "c", traps[6]),
        h2("6. TERM"),
        d(
            6,
            "a",
            """This Agreement begins on the Effective Date and ends on the Expiration
        Date.""",
        ),
        d(6, "b", traps[7]),
        d(
            6,
            "c",
            """Either Party may terminate this Agreement without cause on one hundred eighty
        (180) days' written notice, and Health Plan's participation in a Line of Business ends when
        Health Plan's contract for that Line of Business ends.""",
        ),
        h2("7. DISPUTES"),
        d(
            7,
            "a",
            """A Party that disputes an Overpayment Statement, a Payment Review finding or a
        Claim determination sends the other Party a written dispute within ninety (90) days. The
        Parties' designated representatives meet within thirty (30) days after the dispute is
        received.""",
        ),
        d(
            7,
            "b",
            """Any dispute not resolved within sixty (60) days after that meeting may be
        submitted by either Party to non-binding mediation; neither Party waives any remedy
        available to it under State law.""",
        ),
        h2("8. GENERAL"),
        d(
            8,
            "a",
            """If this Agreement conflicts with a Schedule, this Agreement governs, except that
        the State-required provisions in Schedule 3 govern over both.""",
        ),
        d(
            8,
            "b",
            """Neither Party may assign this Agreement without the other Party's written
        consent.""",
        ),
        Signature(
            [("HEALTH PLAN", PAYER), ("HEALTH CENTER", PROVIDER)],
            lead_in="Each Party has signed this Agreement by its authorized officer.",
        ),
        PageBreak(),
        h2("SCHEDULE 2 \u2014 PAYMENT RATES"),
        p(
            """Amounts are per Encounter or per service, as stated. Medicaid amounts equal the PPS
        Rate for the service category; the State makes no Wrap Payment where Health Plan has paid
        the full PPS Rate.""",
            style="plain",
        ),
        table(
            ["Line of Business", "Code", "Mod.", "Service", "Payment"],
            [
                (
                    ["Medicaid", "T1015", "", "Medical Encounter", money(212.36)],
                    rate(
                        "T1015",
                        "HCPCS",
                        "Medical Encounter",
                        "fee_schedule",
                        amount=212.36,
                        unit="per_service",
                        product_line=MCD,
                    ),
                ),
                (
                    ["Medicaid", "T1015", "HE", "Behavioral health Encounter", money(198.10)],
                    rate(
                        "T1015",
                        "HCPCS",
                        "Behavioral health Encounter",
                        "fee_schedule",
                        amount=198.10,
                        unit="per_service",
                        product_line=MCD,
                        modifier="HE",
                    ),
                ),
                (
                    ["Medicaid", "D1206", "", "Topical fluoride varnish", money(31.00)],
                    rate(
                        "D1206",
                        "OTHER",
                        "Topical fluoride varnish",
                        "fee_schedule",
                        amount=31.00,
                        unit="per_service",
                        product_line=MCD,
                    ),
                ),
                (
                    ["QHP", "99213", "", "Office visit, established, low", money(101.25)],
                    rate(
                        "99213",
                        "CPT",
                        "Office visit, established, low",
                        "fee_schedule",
                        amount=101.25,
                        unit="per_service",
                        product_line=QHP,
                    ),
                ),
                (
                    ["QHP", "99214", "", "Office visit, established, moderate", money(142.80)],
                    rate(
                        "99214",
                        "CPT",
                        "Office visit, established, moderate",
                        "fee_schedule",
                        amount=142.80,
                        unit="per_service",
                        product_line=QHP,
                    ),
                ),
            ],
            [85, 50, 35, 190, 70],
            right=(4,),
        ),
    ]
    c = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-01-01",
        expiration_date="2028-12-31",
        initial_term_months=36,
        product_lines=[MCD, QHP],
        blocks=blocks,
        running=Running(
            header_left="Cedar Basin Community Health Plan",
            header_right="FQHC Participation Agreement",
            footer_center="{page}",
            footer_right="CONFIDENTIAL",
        ),
        font="Helvetica",
        font_size=9.5,
        notes=(
            "BENIGN: no evergreen, no recoupment. Heavily defined-term drafting (Capitalized "
            "terms defined in Section 1; the dates are defined terms: Effective Date January 1, "
            "2026, Expiration Date December 31, 2028). Headings '5. PAYMENT REVIEWS AND RECORDS' "
            "with paragraphs printed '5.a.', section '5.a'. Traps: licence/DEA renewal and "
            "36-month "
            "recredentialing (2.b), FTCA / malpractice renewal each policy year (2.c), fully "
            "specified benchmark CY 2026 MPFS locality 01 (3.b), express no-offset (4.a), "
            "refund by "
            "check after an Overpayment Statement - no deduction from payments, so no recoupment "
            "finding (4.b), retention-only (5.b), Health Center's audit of Health Plan (5.c), no "
            "automatic renewal / extension only by signed Amendment (6.b). Schedule 2 dental code "
            "D1206 is code_type OTHER."
        ),
    )
    return Holdout(c, traps)
