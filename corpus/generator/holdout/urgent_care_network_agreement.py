"""Holdout 3 (benign on renewal): urgent care centre joining a PPO network.

Voice: consumer-style plain English - "we"/"us" (the Network) and "you" (the Center), short
imperative sentences, ARTICLE FIVE headings spelled out with 5.1 paragraphs. Courier.
Fixed term that expires; renewal only by signed amendment; express no-offset clause.
"""

from __future__ import annotations

from ..common import audit, rate, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h2, p, plain, rng_for, table

NAME = "urgent_care_network_agreement"
TITLE = "URGENT CARE NETWORK PARTICIPATION AGREEMENT"
PAYER = "Lakeshore Preferred Network, LLC"
PROVIDER = "Harbor Point Urgent Care, P.C."

WORDS = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT"]


def art(n: int, title: str):
    return h2(f"ARTICLE {WORDS[n - 1]}: {title}")


def build() -> Holdout:
    rng = rng_for(NAME)
    hours = rng.choice(["8 a.m. to 8 p.m.", "8 a.m. to 9 p.m."])

    blocks = [
        Title(TITLE, "Lakeshore Preferred Network"),
        plain(
            f'This Agreement is between {PAYER} ("the Network", "we", "us" or "our") '
            f'and {PROVIDER} ("the Center", "you" or "your"). It starts on March 1, 2026.'
        ),
        plain(
            "We run a preferred provider network. Employers, insurers and plan administrators "
            '(our "Clients") pay for care that their members get from providers in our '
            "network. This Agreement says how you join the network, how you are paid, and how "
            "either of us can leave."
        ),
        # ---------------------------------------------------------------- ONE
        art(1, "KEY WORDS"),
        p(
            '"Client" means an employer, insurer or plan administrator that has a contract '
            "with us giving its Enrollees access to the network. We publish a list of Clients "
            "on our provider website.",
            "1.1",
        ),
        p(
            '"Enrollee" means a person whose ID card shows our network logo and who is covered '
            "by a Client's plan on the date of the visit.",
            "1.2",
        ),
        p(
            '"Urgent Care Visit" means an unscheduled visit for an illness or injury that needs '
            "prompt attention but is not an emergency.",
            "1.3",
        ),
        p(
            '"Billed Charges" means your usual charge for a service, as shown on the claim and '
            "as charged to all patients.",
            "1.4",
        ),
        # ---------------------------------------------------------------- TWO
        art(2, "WHAT YOU AGREE TO DO"),
        p(
            f"Stay open at least from {hours}, seven days a week, except on six public holidays "
            "a year. See walk-in patients without an appointment.",
            "2.1",
        ),
        p(
            "Keep your facility licence, your CLIA certificate of waiver and each clinician's "
            "licence and DEA registration in force, and renew each one before it expires. We "
            "recredential the Center every three years.",
            "2.2",
        ),
        p(
            "Refer Enrollees who need follow-up care to providers in our network when that is "
            "medically appropriate and the Enrollee agrees.",
            "2.3",
        ),
        p(
            "Keep a complete medical record of every visit for at least ten years after the visit.",
            "2.4",
        ),
        # ---------------------------------------------------------------- THREE
        art(3, "WHAT WE AGREE TO DO"),
        p(
            "List the Center, with its address and hours, in our online directory and in the "
            "directories we give to Clients.",
            "3.1",
        ),
        p(
            "Require each Client to show our network logo on its ID cards and to follow the "
            "payment terms in Article Four.",
            "3.2",
        ),
        p(
            "Once in each calendar year you may audit how we and our Clients priced your claims. "
            "Tell us in writing at least 30 days ahead, and we will give you or your accountant "
            "the repricing records for the claims you choose.",
            "3.3",
        ),
        # ---------------------------------------------------------------- FOUR
        art(4, "CLAIMS AND PAYMENT"),
        p(
            "Send each claim to us electronically within one hundred twenty (120) days after the "
            "visit. We reprice it and send it to the Client within five business days.",
            "4.1",
        ),
        p(
            "The Client pays each clean claim within 30 days after we receive it. If a Client "
            "pays late, we will remove that Client's access to your rates after one warning.",
            "4.2",
        ),
        p(
            "You will be paid the amounts in Exhibit A, less the Enrollee's copayment, "
            "coinsurance or deductible. Do not bill an Enrollee anything more for a covered "
            "service.",
            "4.3",
        ),
        p(
            "If we or a Client find that a claim was overpaid, we will send you a written refund "
            "request that explains why. Neither we nor any Client will offset, withhold or "
            "deduct the amount from any other payment to you. You may repay it by check within "
            "sixty days, or dispute it under Article Seven.",
            "4.4",
        ),
        p(
            "If you find an overpayment yourself, pay it back within sixty (60) days.",
            "4.5",
        ),
        # ---------------------------------------------------------------- FIVE
        art(5, "HOW LONG THIS AGREEMENT LASTS"),
        p(
            "This Agreement begins on March 1, 2026 and ends on February 28, 2029. It will "
            "expire on that date and will not renew.",
            "5.1",
        ),
        p(
            "Neither party shall be obligated to renew or extend this Agreement. If both of us "
            "want to keep working together, we may do so only by a written amendment that both "
            "of us sign before this Agreement expires.",
            "5.2",
        ),
        p(
            "Either of us may end this Agreement early, without giving a reason, on 90 days' "
            "written notice.",
            "5.3",
        ),
        p(
            "Either of us may end this Agreement on 30 days' notice if the other seriously "
            "breaks it and does not fix the problem within that time. We may end it at once if "
            "you lose your licence.",
            "5.4",
        ),
        p(
            "After this Agreement ends, finish any treatment you have started for an Enrollee "
            "and we will pay you for it at the rates in Exhibit A.",
            "5.5",
        ),
        # ---------------------------------------------------------------- SIX
        art(6, "REVIEWS OF YOUR CLAIMS"),
        p(
            "[[We may review the coding and billing of claims paid to you and ask you to repay "
            "any amount that your records do not support. We will give you at least thirty (30) "
            "days' written notice of a review, and we will ask for no more than 40 records in "
            "any 90-day period.]] We look at each claim on its own: we do not project the "
            "results of a review onto claims we have not looked at.",
            "6.1",
            findings=[
                audit(
                    "medium",
                    None,
                    False,
                    30,
                    note="payment review with repayment and no lookback stated.",
                )
            ],
        ),
        p(
            "You may appeal the result of a review within 60 days. We will not ask you to repay "
            "anything until the appeal is decided.",
            "6.2",
        ),
        # ---------------------------------------------------------------- SEVEN
        art(7, "IF WE DISAGREE"),
        p(
            "Call or write to your network representative first. If that does not resolve the "
            "problem within 30 days, either of us may ask for a meeting between senior managers.",
            "7.1",
        ),
        p(
            "If the meeting does not resolve it, either of us may start arbitration. One "
            "arbitrator decides, and the decision is final.",
            "7.2",
        ),
        # ---------------------------------------------------------------- EIGHT
        art(8, "OTHER TERMS"),
        p(
            "We may not change Exhibit A, or any other part of this Agreement, without your "
            "signature.",
            "8.1",
        ),
        p(
            "You may not transfer this Agreement to another company without our written consent.",
            "8.2",
        ),
        p(
            "The law of the state where the Center is located governs this Agreement.",
            "8.3",
        ),
        Signature(
            [("THE NETWORK", PAYER), ("THE CENTER", PROVIDER)],
            lead_in="Each of us has signed this Agreement by an authorized representative.",
        ),
        PageBreak(),
        # ---------------------------------------------------------------- EXHIBIT A
        h2("EXHIBIT A: WHAT WE PAY"),
        p(
            "Each Urgent Care Visit is paid a single global rate under HCPCS S9083, which covers "
            "the visit itself and everything in it except the tests, procedures, imaging and "
            "drugs listed in the table.",
            "A-1",
        ),
        table(
            ["Code", "Mod", "Service", "Rate"],
            [
                (
                    ["S9083", "", "Urgent care global visit", "$148.00"],
                    rate(
                        "S9083",
                        "HCPCS",
                        "Urgent care global visit",
                        "fee_schedule",
                        amount=148.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["87880", "", "Strep A antigen, rapid", "$18.40"],
                    rate(
                        "87880",
                        "CPT",
                        "Strep A antigen, rapid",
                        "fee_schedule",
                        amount=18.40,
                        unit="per_service",
                    ),
                ),
                (
                    ["87635", "", "SARS-CoV-2 amplified probe", "$51.31"],
                    rate(
                        "87635",
                        "CPT",
                        "SARS-CoV-2 amplified probe",
                        "fee_schedule",
                        amount=51.31,
                        unit="per_service",
                    ),
                ),
                (
                    ["71046", "", "Chest X-ray, 2 views", "$48.00"],
                    rate(
                        "71046",
                        "CPT",
                        "Chest X-ray, 2 views",
                        "fee_schedule",
                        amount=48.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["71046", "26", "Chest X-ray, reading", "$11.90"],
                    rate(
                        "71046",
                        "CPT",
                        "Chest X-ray, reading",
                        "fee_schedule",
                        amount=11.90,
                        unit="per_service",
                        modifier="26",
                    ),
                ),
                (
                    ["71046", "TC", "Chest X-ray, technical", "$36.10"],
                    rate(
                        "71046",
                        "CPT",
                        "Chest X-ray, technical",
                        "fee_schedule",
                        amount=36.10,
                        unit="per_service",
                        modifier="TC",
                    ),
                ),
                (
                    ["12002", "", "Simple wound repair", "$172.00"],
                    rate(
                        "12002",
                        "CPT",
                        "Simple wound repair",
                        "fee_schedule",
                        amount=172.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["29125", "", "Short arm splint", "$88.00"],
                    rate(
                        "29125",
                        "CPT",
                        "Short arm splint",
                        "fee_schedule",
                        amount=88.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["J1885", "", "Ketorolac, per 15 mg", "$2.40"],
                    rate(
                        "J1885",
                        "HCPCS",
                        "Ketorolac, per 15 mg",
                        "fee_schedule",
                        amount=2.40,
                        unit="per_unit",
                    ),
                ),
            ],
            [60, 40, 250, 80],
            right=(3,),
        ),
        p(
            "Some Clients do not accept S9083. For their Enrollees, evaluation and management "
            "visits (CPT 99202 through 99215) are paid at 125% of the 2026 Medicare Physician "
            "Fee Schedule non-facility amount for the Medicare payment locality in which the "
            "Center is located.",
            "A-2",
            rates=[
                rate(
                    None,
                    "CPT",
                    "E/M visits 99202-99215 (Clients not accepting S9083)",
                    "percent_of_benchmark",
                    percent=125.0,
                    percent_of="medicare",
                    unit="per_service",
                    anchor="paid at 125% of the 2026 Medicare Physician Fee Schedule",
                ),
            ],
        ),
        p(
            "[[Crutches, splints and other supplies that you dispense from the Center's own "
            "stock are paid at the reasonable charge for the item in your geographic area, as we "
            "work it out from the charge data we collect.]]",
            "A-3",
            findings=[vague("medium", "reasonable_and_customary")],
        ),
        p(
            "[[A covered service that has no rate in this Exhibit is paid at 55 percent of your "
            "Billed Charges.]]",
            "A-4",
            findings=[vague("low", "percent_of_charges_default")],
            rates=[
                rate(
                    None,
                    None,
                    "Covered services with no rate in Exhibit A",
                    "percent_of_benchmark",
                    percent=55.0,
                    percent_of="billed_charges",
                    anchor="55 percent of your Billed Charges",
                ),
            ],
        ),
        p(
            "The amounts in this Exhibit apply for the whole term of this Agreement. They change "
            "only if both of us sign an amendment.",
            "A-5",
        ),
    ]

    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-03-01",
        expiration_date="2029-02-28",
        initial_term_months=36,
        product_lines=["commercial_ppo", "commercial_epo"],
        blocks=blocks,
        running=Running(
            header_left="Lakeshore Preferred Network",
            header_right="Urgent Care",
            footer_left="LPN-UC 03/2026",
            footer_right="page {page}",
        ),
        font="Courier",
        font_size=9.0,
        notes=(
            "Holdout, benign on renewal. Plain-English 'we'/'you' drafting: 'we' is the payer "
            "(the Network), 'you' the provider (the Center); ARTICLE ONE..EIGHT headings with "
            "1.1-style paragraphs; Exhibit A paragraphs A-1..A-5. No evergreen: the term is "
            "fixed and printed (March 1, 2026 - February 28, 2029), 5.1 says it 'will expire "
            "... and will not renew', 5.2 that neither party is obliged to renew and that any "
            "extension needs a signed amendment; A-5 keeps rates for the term only. No "
            "recoupment: 4.4 expressly rules out offset (refund request only). Other traps: "
            "licence/CLIA/DEA renewal and three-yearly recredentialing (2.2); retention-only "
            "records (2.4); the Center's right to audit the Network's pricing (3.3); the "
            "Center's own 60-day repayment duty (4.5); 'we do not project the results' in 6.1 "
            "(no extrapolation; 6.1 states no lookback, so it is medium); fully specified "
            "benchmark in A-2 (2026 MPFS, non-facility, the "
            "Center's locality)."
        ),
    )
    return Holdout(
        contract,
        traps=[
            "and renew each one before it expires",
            "Keep a complete medical record of every visit for at least ten years",
            "Once in each calendar year you may audit how we and our Clients priced your claims",
            "Neither we nor any Client will offset, withhold or deduct the amount",
            "If you find an overpayment yourself, pay it back within sixty (60) days",
            "It will expire on that date and will not renew",
            "Neither party shall be obligated to renew or extend this Agreement",
            "we do not project the results of a review onto claims we have not looked at",
            "2026 Medicare Physician Fee Schedule non-facility amount for the Medicare payment "
            "locality",
            "They change only if both of us sign an amendment",
        ],
    )
