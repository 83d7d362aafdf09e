"""DME supplier agreement: terse plain English, lists inside clauses, ``PART 7`` + ``7-1``."""

from __future__ import annotations

from ..common import audit, evergreen, money, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h2, p, t, table

NAME = "dme_supplier_agreement"
PAYER = "Ironbridge Mutual Health Insurance Company"
PROVIDER = "Quillfeather Home Medical Supply, LLC"
TITLE = "DURABLE MEDICAL EQUIPMENT SUPPLIER AGREEMENT"
HMO, PPO, MA = "commercial_hmo", "commercial_ppo", "medicare_advantage"


def part(n: int, title: str):
    return h2(f"PART {n} \u2014 {title.upper()}")


def c(label: str, caption: str, text: str, **kw):
    return p(text, label, caption=f"{caption}.", **kw)


def dme(code, mod, item, unit_word, amount, unit):
    return (
        [code, mod, item, unit_word, money(amount)],
        rate(code, "HCPCS", item, "fee_schedule", amount=amount, unit=unit, modifier=mod or None),
    )


def build() -> Holdout:
    traps = [
        t("""Supplier keeps its DMEPOS accreditation, its state licences and its Medicare surety
        bond
        in force. Supplier renews each one before it expires and sends Insurer proof within 10 days
        after each renewal."""),
        t("""If Supplier finds an overpayment itself, Supplier pays it back within 60 days after
        finding it."""),
        t("""Keep every order, delivery record and rental log for 7 years after the date of
        delivery."""),
        t("""Exhibit A amounts equal 85% of the January 2026 Medicare DMEPOS fee schedule for Ohio,
        non-rural areas."""),
        t("""They are fixed dollar amounts. They do not change when Medicare changes its fee
        schedule."""),
    ]
    blocks = [
        Title(TITLE),
        p(
            """Ironbridge Mutual Health Insurance Company ("Insurer") and Quillfeather Home Medical
        Supply, LLC ("Supplier") agree as set out below. Effective date: March 1, 2026.""",
            style="plain",
        ),
        part(1, "What this agreement covers"),
        c(
            "1-1",
            "Scope",
            """Supplier provides durable medical equipment, prosthetics, orthotics
        and supplies ("DME") to Insurer's members. This agreement covers three products: (1)
        commercial HMO; (2) commercial PPO; and (3) Medicare Advantage (see Exhibit B).""",
        ),
        c(
            "1-2",
            "Orders",
            """Supplier fills only orders signed by a treating practitioner.
        Supplier delivers within 2 business days, or the same day for oxygen.""",
        ),
        part(2, "Supplier duties"),
        c("2-1", "Credentials", traps[0]),
        c(
            "2-2",
            "Insurance",
            """Supplier carries general and product liability insurance of at
        least $1,000,000 per claim.""",
        ),
        c(
            "2-3",
            "Proof of delivery",
            """For each delivery Supplier keeps a delivery slip signed by
        the member or caregiver, showing the date, the item and its serial number.""",
        ),
        part(3, "Members"),
        c(
            "3-1",
            "Billing members",
            """Supplier bills a member only for the member's copay,
        coinsurance or deductible. Supplier never bills a member for an item Insurer denied for
        a missing record.""",
        ),
        part(4, "Payment"),
        c(
            "4-1",
            "Exhibit A",
            """Insurer pays the amounts in Exhibit A, less member cost share.
        Rental amounts are per month. After 13 months of continuous rental the item belongs to the
        member.""",
        ),
        c(
            "4-2",
            "Items not on Exhibit A",
            """[[For an item not listed in Exhibit A, Insurer pays
        the lesser of (1) Supplier's billed charge or (2) Insurer's DME fee schedule in effect on
        the date of service. Insurer may change that fee schedule at any time.]] Insurer posts
        changes on its provider website 30 days before they take effect.""",
            findings=[vague("high", "payer_fee_schedule")],
        ),
        c(
            "4-3",
            "Miscellaneous codes",
            """[[For E1399, K0108, A9999 and other miscellaneous codes,
        Insurer sets the allowed amount for each claim after it reviews the manufacturer
        invoice.]] Supplier must attach the invoice to the claim.""",
            findings=[vague("high", "payer_discretion")],
        ),
        c(
            "4-4",
            "Medicare Advantage",
            """[[For a Medicare Advantage member, an item not listed in
        Exhibit A is paid at 100% of the Medicare DMEPOS fee schedule, not under 4-2.]]""",
            findings=[
                vague(
                    "medium",
                    "benchmark_unspecified",
                    note="'100% of the Medicare DMEPOS fee schedule' gives no year, state or "
                    "rural/non-rural column.",
                )
            ],
            rates=[
                rate(
                    None,
                    "HCPCS",
                    "DME not in Exhibit A, Medicare Advantage members",
                    "percent_of_benchmark",
                    percent=100.0,
                    percent_of="medicare",
                    product_line=MA,
                    anchor="100% of the Medicare DMEPOS fee schedule",
                )
            ],
        ),
        c(
            "4-5",
            "Claims",
            """Send each claim within 90 days after delivery. Insurer pays a clean
        claim within 30 days after it receives it.""",
        ),
        part(5, "Overpayments"),
        c(
            "5-1",
            "Taking back overpayments",
            """[[If Insurer overpays a claim, Insurer may take the
        overpayment back by reducing later payments to Supplier. Before it does, Insurer sends
        Supplier a notice listing: (1) the member; (2) the claim number; (3) the amount; and (4)
        the reason. Insurer will not take back a payment more than 18 months after it paid the
        claim.]]""",
            findings=[
                recoup(
                    "medium",
                    18,
                    note="prior notice is required but no number of days is given; no "
                    "stay during a dispute.",
                )
            ],
        ),
        c("5-2", "Supplier-found overpayments", traps[1]),
        part(6, "Audits and records"),
        c(
            "6-1",
            "Claim audits",
            """[[Insurer may audit any paid claim. Within 14 days after
        Insurer asks, Supplier must send: (1) the signed order; (2) proof of delivery; (3) for
        rentals, the rental log; and (4) for oxygen, the qualifying blood-gas result. If a
        required record is missing, Insurer may recover what it paid on that claim.]]""",
            findings=[
                audit(
                    "medium",
                    None,
                    False,
                    None,
                    note="no lookback stated; 14 days is the record-response time, not "
                    "advance notice of the audit.",
                )
            ],
        ),
        c(
            "6-2",
            "Sampling",
            """[[Insurer may audit a random sample of claims instead. If it does,
        Insurer may apply the sample's error rate to all of Supplier's claims for the same period
        and recover the result.]]""",
            findings=[audit("high", None, True, None)],
        ),
        c("6-3", "Records", traps[2]),
        part(7, "Term and ending"),
        c(
            "7-1",
            "Term",
            """This agreement starts on the effective date. [[The first term is two
        years. After that, it renews for one-year terms. To stop a renewal, a party must give
        written notice at least 60 days before the current term ends.]]""",
            findings=[evergreen("high", 24, 12, 60)],
        ),
        c(
            "7-2",
            "Ending without cause",
            """Either party may end this agreement without cause on
        120 days' written notice.""",
        ),
        c(
            "7-3",
            "Ending at once",
            """Either party may end this agreement at once if the other
        party loses a licence, accreditation or surety bond that this agreement requires.""",
        ),
        part(8, "General"),
        c(
            "8-1",
            "Notices",
            """Send notices by certified mail or courier to the address under each
        party's signature.""",
        ),
        c(
            "8-2",
            "Whole agreement",
            """This agreement and its exhibits are the whole agreement.
        Changes must be in writing and signed by both parties.""",
        ),
        Signature(
            [("INSURER", PAYER), ("SUPPLIER", PROVIDER)],
            lead_in="Signed for each party by an authorized person.",
        ),
        PageBreak(),
        h2("EXHIBIT A \u2014 DME FEE SCHEDULE"),
        p(traps[3] + " " + traps[4], style="plain"),
        table(
            ["HCPCS", "Mod", "Item", "Unit", "Allowed"],
            [
                dme("E0601", "RR", "CPAP device", "Month", 58.40, "per_unit"),
                dme("E0470", "RR", "Bi-level device, no backup rate", "Month", 142.10, "per_unit"),
                dme("E1390", "RR", "Oxygen concentrator", "Month", 118.65, "per_unit"),
                dme("E0260", "RR", "Hospital bed, semi-electric", "Month", 121.75, "per_unit"),
                dme("K0001", "RR", "Standard wheelchair", "Month", 54.30, "per_unit"),
                dme("K0001", "NU", "Standard wheelchair", "Each", 412.00, "per_service"),
                dme("A7030", "", "Full face mask", "Each", 98.20, "per_service"),
            ],
            [55, 35, 200, 50, 70],
            ruled=False,
            right=(4,),
        ),
        h2("EXHIBIT B \u2014 MEDICARE ADVANTAGE ATTACHMENT"),
        c(
            "B-1",
            "Scope",
            """This attachment adds Insurer's Medicare Advantage plans to the
        agreement. Section 4-4 sets payment for these members.""",
        ),
        c(
            "B-2",
            "Length",
            """[[This attachment has no fixed end date. It stays in effect until
        either party ends it by giving the other 90 days' written notice, with or without
        cause.]] If the agreement ends, this attachment ends with it.""",
            findings=[evergreen("low", None, None, 90, indefinite=True, without_cause_days=90)],
        ),
        c(
            "B-3",
            "CMS rules",
            """Supplier follows the Medicare Advantage rules that apply to
        downstream entities, including the rules on member billing and on marketing.""",
        ),
    ]
    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-03-01",
        expiration_date="2028-02-29",
        initial_term_months=24,
        product_lines=[HMO, PPO, MA],
        blocks=blocks,
        running=Running(
            header_left="Ironbridge Mutual | DME Supplier Agreement",
            header_right="Rev. 01/2026",
            footer_right="p. {page}/{pages}",
        ),
        font="Helvetica",
        font_size=10.0,
        notes=(
            "Terse plain English with numbered lists inside clauses; headings 'PART 6 \u2014 "
            "AUDITS AND RECORDS', paragraphs printed '6-1 Claim audits.', section '6-1'; exhibit "
            "paragraphs 'B-2'. Initial term 'two years' from March 1, 2026 -> ends February 29, "
            "2028 (leap day). 6-1 and 6-2 are separate numbered clauses and therefore separate "
            "audit findings. Traps: accreditation / licence / surety bond renewal (2-1), "
            "supplier's own 60-day payback (5-2), retention-only (6-3), fully specified "
            "benchmark for Exhibit A (January 2026 DMEPOS, Ohio non-rural) stated as fixed "
            "amounts (Exhibit A note). Exhibit A rental rows (RR, per month) are unit per_unit; "
            "purchases per_service. Exhibit B is an indefinite attachment ended on 90 days' notice "
            "with or without cause -> low evergreen."
        ),
    )
    return Holdout(contract, traps)
