"""Commercial rental-PPO network access agreement: flat ``Sec. 17.`` numbering, inline (i)/(ii).

The contracting "payer" is a leased PPO network whose clients (Payors) pay claims; a workers'
compensation addendum is numbered ``WC-2``.
"""

from __future__ import annotations

from ..common import audit, evergreen, money, rate, recoup, vague
from ..model import Contract, PageBreak, Para, Running, Signature, Title
from .kit import Holdout, h2, p, t, table

NAME = "ppo_network_access_agreement"
PAYER = "Tessellate PPO Network, Inc."
PROVIDER = "Juniper Flats Medical Group, P.A."
TITLE = "NETWORK ACCESS AND PARTICIPATION AGREEMENT"
PPO, WC = "commercial_ppo", "workers_comp"


class Sec:
    def __init__(self):
        self.n = 0

    def __call__(self, caption: str, text: str, **kw) -> Para:
        self.n += 1
        return p(text, f"Sec. {self.n}.", section=str(self.n), caption=f"{caption}.", **kw)


def build() -> Holdout:
    traps = [
        t("""Network credentials Provider's practitioners before they join and recredentials them
        every three years. Provider keeps each practitioner's state licence and DEA registration
        current and renews each when due."""),
        t("""Provider keeps professional liability coverage of at least $1 million per claim and
        $3 million in the aggregate, and sends Network a new certificate each time the policy
        renews."""),
        t("""Provider may, once a year and on 30 days' notice, audit Network's records of which
        Payors accessed the Network Rates for Provider's claims and whether each of them was on
        the Payor list on the date of service."""),
        t("""Schedule 2 applies to procedures performed from January 1, 2026 through December 31,
        2026. It expires on that date and will not be extended except by a written amendment
        signed by both parties."""),
    ]
    s = Sec()
    blocks = [
        Title(TITLE, "Preferred Provider Organization \u2014 Leased Network"),
        p("""This agreement is between Tessellate PPO Network, Inc. ("Network") \u2014 which
        contracts with providers and makes its preferred provider network available to employer
        health plans, third-party administrators, insurers and workers' compensation carriers
        (each a "Payor") \u2014 and Juniper Flats Medical Group, P.A. ("Provider"). It takes effect
        on October 1, 2025 (the "Effective Date")."""),
        h2("PART ONE \u2014 THE NETWORK"),
        s(
            "How the network works",
            """Network makes the Network Rates available to Payors. A Payor
        may take the Network Rates only if it (i) has a written agreement with Network that binds
        it to this agreement, (ii) shows Network's name or logo on the Covered Person's ID card, and
        (iii) is on the Payor list on the date of service. A Payor that fails any of these tests
        pays Provider's billed charges.""",
        ),
        s(
            "Payor list",
            """Network keeps a current list of Payors on its provider website and
        updates it at least monthly.""",
        ),
        s(
            "Provider's services",
            """Provider sees Covered Persons on the same terms as its other
        patients, at each office listed on the signature page.""",
        ),
        s("Credentials", traps[0]),
        s("Insurance", traps[1]),
        h2("PART TWO \u2014 RATES AND CLAIMS"),
        s(
            "Who pays",
            """Each Payor \u2014 not Network \u2014 pays the claims of its own Covered
        Persons. Network does not guarantee any Payor's payment.""",
        ),
        s(
            "Network Rates",
            """The Network Rate for a service listed in Schedule 1 is the lesser of
        Provider's billed charge and the amount shown in Schedule 1. Schedule 1 applies to all
        Payors, including workers' compensation Payors.""",
        ),
        s(
            "Unlisted services",
            """[[For a covered service not listed in Schedule 1, the Network
        Rate is the lesser of (i) Provider's billed charge and (ii) the usual and customary charge
        for that service in Provider's geographic area, as determined by the Payor.]]""",
            findings=[vague("medium", "reasonable_and_customary")],
        ),
        s(
            "Schedule changes",
            """[[Network may add codes to Schedule 1, and may revise Schedule 1
        amounts, from time to time on forty-five (45) days' notice; each claim is priced at the
        Schedule 1 in effect on the date of service.]] Provider's only remedy if it objects to a
        revision is to end this agreement under Sec. 18.""",
            findings=[
                vague(
                    "high",
                    "payer_fee_schedule",
                    note="Network (the contracting payer) may revise the attached "
                    "Schedule 1 unilaterally; claims are priced at the revised schedule.",
                )
            ],
        ),
        s(
            "Claims",
            """Provider sends each claim to the Payor named on the ID card within 120 days
        after the date of service. The Payor pays a clean claim within 30 days after it receives
        it.""",
        ),
        s(
            "Member billing",
            """Provider bills a Covered Person only for the deductible,
        copayment and coinsurance shown on the Payor's explanation of benefits.""",
        ),
        h2("PART THREE \u2014 OVERPAYMENTS AND AUDITS"),
        s(
            "Overpayments",
            """[[A Payor that overpays a claim may recover the overpayment by
        deducting it from later payments that Payor makes to Provider. The Payor must first give
        Provider forty-five (45) days' written notice identifying the claim and the amount, and
        may not recover a payment made more than 24 months earlier.]]""",
            findings=[recoup("medium", 24)],
        ),
        s(
            "Recovery through other Payors",
            """[[If Provider does not repay an overpayment owed
        to one Payor within sixty (60) days after that Payor's notice, Network may instruct any
        other Payor to withhold the amount from payments it owes Provider and to remit it to the
        first Payor.]]""",
            findings=[
                recoup(
                    "high",
                    None,
                    cross=True,
                    note="cross-Payor withholding: amounts owed to one Payor are taken "
                    "from other Payors' payments.",
                )
            ],
        ),
        s("Provider's review of Network", traps[2]),
        s(
            "Network audits",
            """[[Network, on behalf of the Payors, may audit Provider's billing
        and medical records for claims paid within the two years before the audit request, on ten
        (10) days' notice, and may have the Payor recover any amount paid for a service the
        records do not support.]]""",
            findings=[audit("medium", 24, False, 10, note="lookback 'two years' = 24 months.")],
        ),
        s(
            "Payor audits",
            """[[A Payor may audit claims it has paid under this agreement, but only
        claims paid within the nine (9) months before its audit request, no more than once a
        year, and on thirty (30) days' written notice. The Payor may not extrapolate its findings
        to claims it has not reviewed.]]""",
            findings=[audit("low", 9, False, 30)],
        ),
        h2("PART FOUR \u2014 TERM"),
        s(
            "Term",
            """[[This agreement runs for one year from the Effective Date. It then renews
        automatically, year to year, on each anniversary of the Effective Date, unless either party
        gives written notice of non-renewal at least thirty (30) days before that
        anniversary.]]""",
            findings=[evergreen("high", 12, 12, 30)],
        ),
        s(
            "Ending without cause",
            """Either party may end this agreement without cause on ninety
        (90) days' written notice.""",
        ),
        s(
            "After the end",
            """For up to ninety (90) days after this agreement ends, Payors keep the
        Network Rates for Covered Persons who are in an active course of treatment with
        Provider.""",
        ),
        s(
            "General",
            """Texas law governs. Network may assign this agreement to an affiliate on
        notice; Provider may assign it only with Network's written consent.""",
        ),
        Signature(
            [("NETWORK", PAYER), ("PROVIDER", PROVIDER)],
            lead_in="Agreed by the parties' authorized signers.",
        ),
        PageBreak(),
        h2("SCHEDULE 1 \u2014 NETWORK RATES"),
        table(
            ["CPT", "Service", "Network Rate"],
            [
                (
                    ["99203", "New patient office visit, low", money(118.00)],
                    rate(
                        "99203",
                        "CPT",
                        "New patient office visit, low",
                        "fee_schedule",
                        amount=118.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99213", "Established patient office visit, low", money(84.50)],
                    rate(
                        "99213",
                        "CPT",
                        "Established patient office visit, low",
                        "fee_schedule",
                        amount=84.50,
                        unit="per_service",
                    ),
                ),
                (
                    ["99214", "Established patient office visit, moderate", money(121.00)],
                    rate(
                        "99214",
                        "CPT",
                        "Established patient office visit, moderate",
                        "fee_schedule",
                        amount=121.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["20610", "Arthrocentesis / injection, major joint", money(88.00)],
                    rate(
                        "20610",
                        "CPT",
                        "Arthrocentesis / injection, major joint",
                        "fee_schedule",
                        amount=88.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["97110", "Therapeutic exercise, each 15 minutes", money(29.75)],
                    rate(
                        "97110",
                        "CPT",
                        "Therapeutic exercise, each 15 minutes",
                        "fee_schedule",
                        amount=29.75,
                        unit="per_unit",
                    ),
                ),
                (
                    ["29881", "Knee arthroscopy with meniscectomy", money(742.00)],
                    rate(
                        "29881",
                        "CPT",
                        "Knee arthroscopy with meniscectomy",
                        "fee_schedule",
                        amount=742.00,
                        unit="per_service",
                    ),
                ),
            ],
            [55, 270, 90],
            right=(2,),
        ),
        h2("SCHEDULE 2 \u2014 JOINT REPLACEMENT PILOT (COMMERCIAL PPO PAYORS ONLY)"),
        p(
            traps[3]
            + """ Each case rate covers the surgeon's fee and all follow-up visits for
        ninety (90) days.""",
            style="plain",
        ),
        table(
            ["CPT", "Procedure", "Case rate"],
            [
                (
                    ["27447", "Total knee arthroplasty", money(14250.00)],
                    rate(
                        "27447",
                        "CPT",
                        "Total knee arthroplasty",
                        "case_rate",
                        amount=14250.00,
                        unit="per_case",
                        product_line=PPO,
                    ),
                ),
                (
                    ["27130", "Total hip arthroplasty", money(14900.00)],
                    rate(
                        "27130",
                        "CPT",
                        "Total hip arthroplasty",
                        "case_rate",
                        amount=14900.00,
                        unit="per_case",
                        product_line=PPO,
                    ),
                ),
            ],
            [55, 270, 90],
            right=(2,),
        ),
        h2("WORKERS' COMPENSATION ADDENDUM"),
        p(
            """This addendum makes the Network Rates available to workers' compensation Payors for
        work-related injuries and illnesses. Where it conflicts with the agreement, it
        governs.""",
            "WC-1",
        ),
        p(
            """[[This addendum continues until either party ends it. Either party may end it at any
        time, for any reason, on sixty (60) days' written notice, without ending the rest of the
        agreement.]]""",
            "WC-2",
            findings=[evergreen("low", None, None, 60, indefinite=True, without_cause_days=60)],
        ),
        p(
            """Provider files first reports of injury and work-status reports in the form and within
        the time the law of the state of injury requires.""",
            "WC-3",
        ),
    ]
    c = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-10-01",
        expiration_date="2026-09-30",
        initial_term_months=12,
        product_lines=[PPO, WC],
        blocks=blocks,
        running=Running(
            header_left="TESSELLATE PPO NETWORK",
            header_right="Provider Agreement \u2014 Form TPN-PA-2025",
            footer_left="Confidential",
            footer_right="Page {page}",
        ),
        font="Times-Roman",
        font_size=10.5,
        notes=(
            "Rental / leased PPO network: the contracting 'payer' is the network (Tessellate); "
            "its client Payors pay claims. Flat numbering 'Sec. 13.' with run-in captions under "
            "'PART THREE' headings (section '13'); addendum paragraphs 'WC-2'. Inline "
            "(i)/(ii)/(iii) "
            "lists and em dashes. Schedule 1 applies to every Payor (product_line null); "
            "Schedule 2 case rates are commercial PPO only. Traps: 'recredentials them every "
            "three years' and licence/DEA renewal (Sec. 4), malpractice certificate 'each time the "
            "policy renews' (Sec. 5), Provider's audit of Network (Sec. 14), Schedule 2 pilot that "
            "expires on December 31, 2026 and is extended only by a signed amendment. Sec. 16 "
            "negates extrapolation. Sec. 1 (billed charges for non-qualifying Payors) is a "
            "network-rental safeguard, not a finding."
        ),
    )
    return Holdout(c, traps)
