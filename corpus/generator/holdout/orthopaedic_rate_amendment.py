"""Holdout 5: rate amendment to an orthopaedic group's agreement.

Voice: terse amendment drafting - numbered amending instructions ("2. Term. Section 9.1 of the
Agreement is deleted and replaced with the following:") followed by the replacement text printed
as its own indented "Section 9.1"; parties called by short brand names ("Summit", "Ridgeline")
rather than role words; Schedule A paragraphs A-1..A-5. Helvetica 10.
"""

from __future__ import annotations

from ..common import audit, evergreen, rate, recoup, vague
from ..model import Contract, Running, Signature, Title
from .kit import Holdout, h1, h2, p, plain, rng_for, table

NAME = "orthopaedic_rate_amendment"
TITLE = "SECOND AMENDMENT TO PARTICIPATING PROVIDER AGREEMENT"
PAYER = "Summit Mutual Health Insurance Company"
PROVIDER = "Ridgeline Orthopaedic Associates, P.C."


def quoted(label: str, caption: str, text: str, **kw):
    """Replacement text of an Agreement section, printed indented under its own label."""
    return p(text, f"Section {label}", caption=caption, style="indent", **kw)


def build() -> Holdout:
    rng = rng_for(NAME)
    bonus = rng.choice(["$18,000", "$18,500"])

    blocks = [
        Title(TITLE, "2026 Rate Amendment"),
        plain(
            'This Second Amendment (the "Amendment") to the Participating Provider Agreement '
            "dated July 1, 2021, as previously amended by the First Amendment dated January 1, "
            '2023 (together, the "Agreement"), is made effective January 1, 2026 (the '
            f'"Amendment Effective Date") between {PAYER} ("Summit") and {PROVIDER} '
            '("Ridgeline").'
        ),
        h2("Background"),
        plain(
            "A. Ridgeline participates in Summit's commercial HMO, PPO and POS networks under "
            "the Agreement, whose current term ends on December 31, 2025."
        ),
        plain(
            "B. Summit and Ridgeline wish to extend the term, replace the compensation schedule "
            "and revise the payment integrity provisions of the Agreement, as set out below."
        ),
        h2("Agreed Terms"),
        p(
            "Capitalized terms that are not defined in this Amendment have the meanings given "
            "to them in the Agreement.",
            "1.",
            caption="Definitions.",
        ),
        p(
            "Section 9.1 of the Agreement is deleted and replaced with the following:",
            "2.",
            caption="Term.",
        ),
        quoted(
            "9.1",
            "Term.",
            "[[This Agreement shall continue for a term of twenty-four (24) months commencing "
            'January 1, 2026 and ending December 31, 2027 (the "Extended Term"). Upon '
            "expiration of the Extended Term, this Agreement shall renew automatically for "
            "successive twelve (12) month periods unless either party delivers written notice "
            "of non-renewal not fewer than ninety (90) days before the end of the then-current "
            "period.]]",
            findings=[evergreen("medium", 24, 12, 90)],
        ),
        p(
            "Exhibit B to the Agreement is deleted and replaced with Schedule A to this "
            "Amendment, which applies to services rendered on and after the Amendment Effective "
            "Date.",
            "3.",
            caption="Compensation.",
        ),
        p(
            "The following new Section 9.4 is added to the Agreement:",
            "4.",
            caption="Rates after the Extended Term.",
        ),
        quoted(
            "9.4",
            "Continuation of Rates.",
            "[[The rates set forth in Schedule A shall remain in effect through December 31, 2027 "
            "and, if this Agreement renews, shall continue in effect thereafter without "
            "escalation until the parties execute a written amendment establishing new "
            "rates.]]",
            findings=[
                evergreen(
                    "high",
                    24,
                    None,
                    None,
                    rates_frozen=True,
                    note="rate evergreen: Schedule A rates continue unchanged after 2027 until "
                    "mutually amended (renewal_term_months null = until amended).",
                )
            ],
        ),
        p(
            f"Summit shall pay Ridgeline a one-time transition payment of {bonus} within thirty "
            "(30) days after the Amendment Effective Date. The payment is made once; it will not "
            "recur and will not renew.",
            "5.",
            caption="Transition Payment.",
        ),
        p(
            "Sections 7.4 and 7.5 of the Agreement are deleted and replaced with the following, "
            "and a new Section 7.6 is added:",
            "6.",
            caption="Payment Integrity.",
        ),
        quoted(
            "7.4",
            "Post-Payment Review.",
            "[[Summit or its designated vendor may audit any claim paid within the thirty-six "
            "(36) months preceding the date of Summit's audit notice, may select claims for "
            "audit by statistically valid random sampling, and may extrapolate the overpayment "
            "rate found in the sample to the population of claims from which the sample was "
            "drawn. Summit shall give Ridgeline at least thirty (30) days' written notice of an "
            "audit.]]",
            findings=[audit("high", 36, True, 30)],
        ),
        quoted(
            "7.5",
            "Recovery.",
            "[[Summit may recover any overpayment, including an extrapolated overpayment under "
            "Section 7.4, by offsetting the amount against payments otherwise due to Ridgeline "
            "for any product or plan that Summit insures or administers, including self-funded "
            "group health plans, provided that Summit has given Ridgeline written notice of the "
            "overpayment at least thirty (30) days before the offset and the overpaid claim was "
            "paid within the preceding twenty-four (24) months.]]",
            findings=[recoup("high", 24, cross=True, prior_notice=True)],
        ),
        quoted(
            "7.6",
            "Review by Ridgeline.",
            "Not more than once in each calendar year, and at its own expense, Ridgeline may "
            "audit Summit's application of Schedule A to Ridgeline's claims, and Summit shall "
            "make its pricing records for the sampled claims available within thirty (30) days "
            "of Ridgeline's request.",
        ),
        p(
            "Except as amended by this Amendment, the Agreement remains in full force and "
            "effect. If this Amendment conflicts with the Agreement, this Amendment controls. "
            "This Amendment may be signed in counterparts and by electronic signature.",
            "7.",
            caption="Effect of Amendment.",
        ),
        Signature(
            [("SUMMIT", PAYER), ("RIDGELINE", PROVIDER)],
            lead_in="The parties have signed this Amendment to be effective on the Amendment "
            "Effective Date.",
        ),
        # ---------------------------------------------------------------- Schedule A
        h1("SCHEDULE A\nCOMPENSATION (EFFECTIVE JANUARY 1, 2026)"),
        p(
            "Summit shall pay the lesser of Ridgeline's billed charges and the amounts below for "
            "the listed codes, for every product covered by the Agreement.",
            "A-1",
        ),
        table(
            ["Code", "Mod", "Description", "Rate"],
            [
                (
                    ["99203", "", "New patient office visit, low MDM", "$142.10"],
                    rate(
                        "99203",
                        "CPT",
                        "New patient office visit, low MDM",
                        "fee_schedule",
                        amount=142.10,
                        unit="per_service",
                    ),
                ),
                (
                    ["99204", "", "New patient office visit, moderate MDM", "$212.60"],
                    rate(
                        "99204",
                        "CPT",
                        "New patient office visit, moderate MDM",
                        "fee_schedule",
                        amount=212.60,
                        unit="per_service",
                    ),
                ),
                (
                    ["99213", "", "Established patient visit, low MDM", "$101.35"],
                    rate(
                        "99213",
                        "CPT",
                        "Established patient visit, low MDM",
                        "fee_schedule",
                        amount=101.35,
                        unit="per_service",
                    ),
                ),
                (
                    ["99214", "", "Established patient visit, moderate MDM", "$143.80"],
                    rate(
                        "99214",
                        "CPT",
                        "Established patient visit, moderate MDM",
                        "fee_schedule",
                        amount=143.80,
                        unit="per_service",
                    ),
                ),
                (
                    ["20610", "", "Major joint injection or aspiration", "$92.40"],
                    rate(
                        "20610",
                        "CPT",
                        "Major joint injection or aspiration",
                        "fee_schedule",
                        amount=92.40,
                        unit="per_service",
                    ),
                ),
                (
                    ["20611", "", "Major joint injection, ultrasound guided", "$118.25"],
                    rate(
                        "20611",
                        "CPT",
                        "Major joint injection, ultrasound guided",
                        "fee_schedule",
                        amount=118.25,
                        unit="per_service",
                    ),
                ),
                (
                    ["29881", "", "Knee arthroscopy with meniscectomy", "$812.00"],
                    rate(
                        "29881",
                        "CPT",
                        "Knee arthroscopy with meniscectomy",
                        "fee_schedule",
                        amount=812.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["27447", "", "Total knee arthroplasty", "$1,642.00"],
                    rate(
                        "27447",
                        "CPT",
                        "Total knee arthroplasty",
                        "fee_schedule",
                        amount=1642.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["73562", "26", "Knee X-ray, 3 views, professional", "$10.95"],
                    rate(
                        "73562",
                        "CPT",
                        "Knee X-ray, 3 views, professional",
                        "fee_schedule",
                        amount=10.95,
                        unit="per_service",
                        modifier="26",
                    ),
                ),
                (
                    ["73562", "TC", "Knee X-ray, 3 views, technical", "$38.10"],
                    rate(
                        "73562",
                        "CPT",
                        "Knee X-ray, 3 views, technical",
                        "fee_schedule",
                        amount=38.10,
                        unit="per_service",
                        modifier="TC",
                    ),
                ),
                (
                    ["J7325", "", "Hyaluronan or derivative, per 1 mg", "$10.85"],
                    rate(
                        "J7325",
                        "HCPCS",
                        "Hyaluronan or derivative, per 1 mg",
                        "fee_schedule",
                        amount=10.85,
                        unit="per_unit",
                    ),
                ),
                (
                    ["L1833", "", "Knee orthosis, adjustable, off-the-shelf", "$185.00"],
                    rate(
                        "L1833",
                        "HCPCS",
                        "Knee orthosis, adjustable, off-the-shelf",
                        "fee_schedule",
                        amount=185.00,
                        unit="per_service",
                    ),
                ),
            ],
            [55, 35, 270, 80],
            ruled=False,
            right=(3,),
        ),
        p(
            "Covered services billed under CPT or HCPCS codes not listed above shall be paid at "
            "one hundred thirty-five percent (135%) of the Medicare Physician Fee Schedule "
            "amount for the Medicare payment locality in which the service is performed, using "
            "the fee schedule in effect on the date of service.",
            "A-2",
            rates=[
                rate(
                    None,
                    "CPT",
                    "Codes not listed in Schedule A",
                    "percent_of_benchmark",
                    percent=135.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="one hundred thirty-five percent (135%) of the Medicare Physician "
                    "Fee Schedule",
                ),
            ],
        ),
        p(
            "Implants and surgical hardware furnished in Ridgeline's office are paid at "
            "Ridgeline's invoice cost plus ten percent (10%); a copy of the invoice must "
            "accompany the claim.",
            "A-3",
            rates=[
                rate(
                    None,
                    None,
                    "Implants and surgical hardware (invoice cost plus 10%)",
                    "other",
                    percent=110.0,
                    percent_of="other",
                    anchor="invoice cost plus ten percent (10%)",
                ),
            ],
        ),
        p(
            "[[Where a service is reported under a code that has no Medicare Physician Fee "
            "Schedule amount, or under an unlisted-procedure code, Summit will price the service "
            "under its internal pricing methodology, which Summit may revise from time to "
            "time.]]",
            "A-4",
            findings=[vague("high", "payer_discretion")],
        ),
        p(
            "[[Physical and occupational therapy services furnished at Ridgeline's therapy "
            "locations shall be paid at the prevailing charge for such services in Ridgeline's "
            "community, determined by Summit by reference to a commercially available charge "
            "database selected by Summit.]]",
            "A-5",
            findings=[vague("medium", "reasonable_and_customary")],
        ),
    ]

    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-01-01",
        expiration_date="2027-12-31",
        initial_term_months=24,
        product_lines=["commercial_hmo", "commercial_ppo", "commercial_pos"],
        blocks=blocks,
        running=Running(
            header_left="Summit / Ridgeline - Second Amendment",
            footer_right="Page {page}",
        ),
        font="Helvetica",
        font_size=10.0,
        notes=(
            "Holdout rate amendment. Contract fields describe the amendment's own term: the "
            "24-month Extended Term printed in replacement Section 9.1 (January 1, 2026 - "
            "December 31, 2027). Amending instructions are numbered 1.-7.; the replacement "
            "text is printed indented under its own 'Section 9.1' / '9.4' / '7.4' / '7.5' label, "
            "and findings cite that innermost label (not the amending paragraph number). "
            "Parties are called 'Summit' (payer) and 'Ridgeline' (provider), never by a role "
            "word. Traps: the one-time transition payment that 'will not recur and will not "
            "renew' (5.); Ridgeline's own audit of Summit (7.6); 'remains in full force and "
            "effect' (7.); fully specified benchmark in A-2 (locality, fee schedule in effect on "
            "the date of service). Section 9.4 is a rate evergreen inside the auto-renewing "
            "term (rates continue without escalation until mutually amended): high."
        ),
    )
    return Holdout(
        contract,
        traps=[
            "it will not recur and will not renew",
            "Ridgeline may audit Summit's application of Schedule A",
            "the Agreement remains in full force and effect",
            "for the Medicare payment locality in which the service is performed, using the fee "
            "schedule in effect on the date of service",
        ],
    )
