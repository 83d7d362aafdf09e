"""Holdout 1: regional health system with a state Blue plan.

Voice: old-school formal drafting - WITNESSETH recitals, long sentences with provisos,
"Company" and "the System", articles spelled out (ARTICLE SIX) with three-level decimal
paragraphs (6.1.1). Times-Roman, running header with an agreement number.
"""

from __future__ import annotations

from ..common import audit, evergreen, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Spacer, Title
from .kit import Holdout, h1, h2, p, plain, rng_for, table

NAME = "regional_health_system_blue_plan_agreement"
TITLE = "HEALTH SYSTEM PARTICIPATION AGREEMENT"
PAYER = "Blue Tamarack Health Mutual, Inc."
PROVIDER = "Upper Sauk Valley Health System"


def build() -> Holdout:
    rng = rng_for(NAME)
    notices_by = rng.choice(
        [
            "by nationally recognised overnight courier or by certified mail, return receipt "
            "requested",
            "by certified mail, return receipt requested, or by nationally recognised overnight "
            "courier",
        ]
    )

    blocks = [
        Title(TITLE, "Agreement No. BT-HS-2026-014"),
        plain(
            f"THIS HEALTH SYSTEM PARTICIPATION AGREEMENT (this \u201cAgreement\u201d) is made "
            f"and entered into as of January 1, 2026 (the \u201cEffective Date\u201d) by and "
            f"between {PAYER}, a mutual health service corporation that operates the Blue-branded "
            f"health plan in its home state (hereinafter \u201cCompany\u201d), and {PROVIDER}, a "
            "nonprofit corporation that owns or controls the hospitals, ambulatory centres and "
            "clinics enumerated in Attachment 1 (hereinafter the \u201cSystem\u201d)."
        ),
        h2("WITNESSETH:"),
        plain(
            "WHEREAS, Company insures, underwrites or administers health benefit programs under "
            "which persons enrolled therein are entitled to receive hospital and related "
            "services; and"
        ),
        plain(
            "WHEREAS, the System, through the Facilities, is engaged in furnishing such services "
            "and desires to furnish them to persons so enrolled upon the terms hereinafter set "
            "forth;"
        ),
        plain(
            "NOW, THEREFORE, in consideration of the premises and of the mutual covenants herein "
            "contained, and for other good and valuable consideration, the receipt and "
            "sufficiency of which are hereby acknowledged, the parties, intending to be legally "
            "bound, agree as follows:"
        ),
        # ---------------------------------------------------------------- ARTICLE ONE
        h1("ARTICLE ONE\nDEFINITIONS"),
        plain(
            "Capitalised terms used in this Agreement shall have the meanings ascribed to them "
            "below or where they first appear in quotation marks."
        ),
        p(
            "\u201cBilled Charges\u201d means the full and undiscounted charges of a Facility for "
            "an item or service as set out in the Facility\u2019s charge description master in "
            "effect on the date the item or service is rendered, which charges shall be applied "
            "uniformly to all patients irrespective of the source of payment.",
            "1.1",
        ),
        p(
            "\u201cClaim\u201d means a request for payment for Covered Services submitted on the "
            "applicable institutional or professional electronic transaction, and \u201cClean "
            "Claim\u201d means a Claim that contains every data element required by the "
            "applicable transaction standard and requires no further information from the "
            "System or any third party in order to be adjudicated.",
            "1.2",
        ),
        p(
            "\u201cCovered Services\u201d means those medically necessary health care services "
            "and supplies for which an Enrollee is entitled to benefits under the terms of his "
            "or her Health Benefit Program.",
            "1.3",
        ),
        p(
            "\u201cEnrollee\u201d means any individual who is enrolled in, and eligible to "
            "receive benefits under, a Health Benefit Program on the date a Covered Service is "
            "rendered.",
            "1.4",
        ),
        p(
            "\u201cHealth Benefit Program\u201d means each group or individual program of health "
            "benefits insured or administered by Company in which the System participates, "
            "including the commercial health maintenance organisation and preferred provider "
            "programs and, to the extent provided in Attachment 2, the Exchange Program.",
            "1.5",
        ),
        p(
            "\u201cFacility\u201d means each hospital, ambulatory surgery centre, emergency "
            "department and provider-based clinic owned or controlled by the System and listed "
            "in Attachment 1, as the same may be supplemented by written notice accepted by "
            "Company.",
            "1.6",
        ),
        # ---------------------------------------------------------------- ARTICLE TWO
        h1("ARTICLE TWO\nUNDERTAKINGS OF THE SYSTEM"),
        h2("2.1  Services."),
        p(
            "The System shall cause each Facility to furnish Covered Services to Enrollees within "
            "the scope of that Facility\u2019s licensure, in the same manner, with the same "
            "availability and in accordance with the same standards as it furnishes like "
            "services to its other patients.",
            "2.1.1",
            style="indent",
        ),
        p(
            "Except in an emergency, the System shall obtain such authorisations as the "
            "applicable Health Benefit Program requires before an elective admission, and "
            "Company shall render its decision on any such request within the time required by "
            "law.",
            "2.1.2",
            style="indent",
        ),
        h2("2.2  Licensure, Accreditation and Credentialing."),
        p(
            "The System shall maintain in good standing, for each Facility, every licence, permit "
            "and certification required by law, shall renew each of the same prior to its "
            "lapse, and shall keep each hospital accredited by a nationally recognised "
            "accrediting organisation, notifying Company within ten (10) days of any lapse, "
            "suspension or adverse accreditation decision.",
            "2.2.1",
            style="indent",
        ),
        p(
            "Company shall credential each Facility upon its admission to the network and shall "
            "recredential it at intervals not exceeding thirty-six (36) months, in each case in "
            "accordance with Company\u2019s credentialing plan as applied generally to "
            "participating hospitals.",
            "2.2.2",
            style="indent",
        ),
        h2("2.3  Records."),
        p(
            "The System shall prepare and keep complete and legible medical records in respect of "
            "each Enrollee treated at a Facility and shall preserve the same for the longer of "
            "seven (7) years following the date of service or such longer period as any "
            "applicable statute may prescribe.",
            "2.3.1",
            style="indent",
        ),
        p(
            "Each party shall maintain the confidentiality of protected health information in "
            "accordance with applicable federal and state privacy laws, and the business "
            "associate provisions set out in Attachment 3 shall govern any use or disclosure "
            "thereof by either party on behalf of the other.",
            "2.3.2",
            style="indent",
        ),
        # ---------------------------------------------------------------- ARTICLE THREE
        h1("ARTICLE THREE\nUNDERTAKINGS OF COMPANY"),
        p(
            "Company shall issue to each Enrollee an identification card bearing the name of the "
            "Health Benefit Program and shall make eligibility information available to the "
            "System by electronic inquiry at all times.",
            "3.1",
            caption="Identification and Eligibility.",
        ),
        p(
            "Company shall list each Facility in the provider directories it publishes for the "
            "Health Benefit Programs in which the System participates and shall correct any "
            "inaccuracy within thirty (30) days of being informed of it.",
            "3.2",
            caption="Directories.",
        ),
        p(
            "Upon written request made not more often than once in any calendar year, the System "
            "or an independent accounting firm engaged by it may examine, at Company\u2019s "
            "offices and during ordinary business hours, those claims-processing records of "
            "Company that relate to Claims of the System, for the sole purpose of verifying that "
            "such Claims have been priced in accordance with Exhibit B.",
            "3.3",
            caption="Examination by the System.",
        ),
        # ---------------------------------------------------------------- ARTICLE FOUR
        h1("ARTICLE FOUR\nCLAIMS, COMPENSATION AND RECOVERY"),
        h2("4.1  Submission and Payment of Claims."),
        p(
            "The System shall submit each Claim electronically no later than one hundred eighty "
            "(180) days after the date of discharge or, in the case of outpatient services, the "
            "date of service, and Company shall pay or deny each Clean Claim within thirty (30) "
            "days after its receipt, failing which interest shall accrue at the rate prescribed "
            "by the prompt payment statute of the state in which the Facility is located.",
            "4.1.1",
            style="indent",
        ),
        p(
            "Company shall pay the System for Covered Services the amounts set forth in Exhibit "
            "B, less any deductible, copayment or coinsurance for which the Enrollee is "
            "responsible, and the System shall accept such amounts as payment in full; in no "
            "event shall the System seek payment from an Enrollee for any sum owed by Company, "
            "whether by reason of Company\u2019s insolvency or otherwise.",
            "4.1.2",
            style="indent",
        ),
        h2("4.2  Overpayments."),
        p(
            "In the event that Company determines that it has overpaid a Claim, Company shall so "
            "advise the System in writing, identifying the Claim, the amount of the overpayment "
            "and the basis of its determination, whereupon the System may, within forty-five "
            "(45) days, either refund the amount or deliver a written statement disputing it. "
            "[[Failing such refund or statement, Company may recover the overpaid amount by "
            "deducting it from any sum then or thereafter payable to the System, whether under "
            "this Agreement or under any other agreement in force between the System or any of "
            "its affiliates and Company or any of Company\u2019s affiliates, provided that no "
            "such deduction shall be made in respect of a Claim paid more than eighteen (18) "
            "months before the date of Company\u2019s notice.]]",
            "4.2.1",
            style="indent",
            findings=[recoup("high", 18, cross=True, prior_notice=True)],
        ),
        p(
            "Where the System itself identifies a payment to which it was not entitled, the "
            "System shall report and repay the same within sixty (60) days after the date on "
            "which it was identified.",
            "4.2.2",
            style="indent",
        ),
        # ---------------------------------------------------------------- ARTICLE FIVE
        h1("ARTICLE FIVE\nPAYMENT INTEGRITY"),
        p(
            "[[Company, acting directly or through a payment-integrity contractor designated by "
            "it, may conduct itemised-bill reviews, diagnosis-related-group validation and "
            "clinical-validation reviews of any Claim at any time within twenty-four (24) months "
            "following the date on which such Claim was paid, upon not less than thirty (30) "
            "days\u2019 advance written notice to the System.]] Requests for medical records in "
            "connection with such reviews shall not, in any period of forty-five (45) days, "
            "exceed two hundred (200) records for any one Facility, and any overpayment "
            "established by such a review shall be recovered only in the manner set out in "
            "Section 4.2.1.",
            "5.1",
            caption="Coding and Clinical Reviews.",
            findings=[audit("medium", 24, False, 30)],
        ),
        p(
            "[[Where the number of Claims subject to review renders a claim-by-claim examination "
            "impracticable, Company may draw a statistically valid random sample from the Claims "
            "paid within the four (4) years preceding the date of its notice and may extrapolate "
            "the rate of error found in the sample to the entire population of Claims from which "
            "the sample was drawn, the product of which shall be deemed an overpayment. Company "
            "shall give the System not less than sixty (60) days\u2019 prior written notice of "
            "any such review, describing the sampling methodology proposed to be used.]]",
            "5.2",
            caption="Sampling.",
            findings=[audit("high", 48, True, 60)],
        ),
        # ---------------------------------------------------------------- ARTICLE SIX
        h1("ARTICLE SIX\nTERM, RENEWAL AND TERMINATION"),
        h2("6.1  Term."),
        p(
            "[[This Agreement shall have an initial term of thirty-six (36) months commencing "
            "on the Effective Date (the \u201cInitial Term\u201d). This Agreement shall not "
            "expire at the end of the Initial Term but shall instead renew for successive terms "
            "of one (1) year each (each a \u201cRenewal Term\u201d); provided, however, that "
            "either party may cause this Agreement to expire at the end of the Initial Term or of "
            "any Renewal Term by written notice of non-renewal received by the other party not "
            "less than one hundred eighty (180) days before the last day of such term.]]",
            "6.1.1",
            style="indent",
            findings=[evergreen("high", 36, 12, 180)],
        ),
        p(
            "Nothing in Section 6.1.1 shall be construed to extend the term of any licence, "
            "accreditation or credentialing approval held by the System or any Facility, each of "
            "which shall be renewed, if at all, in accordance with its own terms.",
            "6.1.2",
            style="indent",
        ),
        p(
            "At any time after the expiration of the Initial Term, either party may terminate "
            "this Agreement without cause upon not less than one hundred twenty (120) days\u2019 "
            "prior written notice to the other party.",
            "6.2",
            caption="Termination Without Cause.",
        ),
        p(
            "Either party may terminate this Agreement upon written notice if the other party "
            "materially breaches the same and fails to cure such breach within sixty (60) days "
            "after receipt of written notice describing it with reasonable particularity; and "
            "Company may terminate this Agreement forthwith as to any Facility that loses its "
            "licence or is excluded from any federal health care program.",
            "6.3",
            caption="Termination for Cause.",
        ),
        p(
            "Upon any termination, the System shall continue to furnish Covered Services to "
            "each Enrollee who is then an inpatient until discharge, and to each Enrollee then "
            "in an active course of treatment for up to ninety (90) days, and Company shall pay "
            "for the same at the rates in Exhibit B.",
            "6.4",
            caption="Continuation of Care.",
        ),
        # ---------------------------------------------------------------- ARTICLE SEVEN
        h1("ARTICLE SEVEN\nRESOLUTION OF DISPUTES"),
        p(
            "Any dispute arising under this Agreement shall first be referred, by written notice, "
            "to senior executives of the parties, who shall meet within thirty (30) days of such "
            "notice and attempt in good faith to resolve it.",
            "7.1",
            caption="Executive Negotiation.",
        ),
        p(
            "Any dispute not so resolved within sixty (60) days after the notice referred to in "
            "Section 7.1 shall be finally settled by binding arbitration before a single "
            "arbitrator under the commercial rules of a nationally recognised arbitration "
            "provider, and judgment upon the award may be entered in any court of competent "
            "jurisdiction.",
            "7.2",
            caption="Arbitration.",
        ),
        # ---------------------------------------------------------------- ARTICLE EIGHT
        h1("ARTICLE EIGHT\nGENERAL PROVISIONS"),
        p(
            "This Agreement may be amended only by an instrument in writing executed by duly "
            "authorised officers of both parties, save that Company may, upon thirty (30) "
            "days\u2019 written notice, amend it to the extent necessary to comply with any "
            "change in applicable law.",
            "8.1",
            caption="Amendment.",
        ),
        p(
            "Neither party may assign this Agreement, by operation of law or otherwise, without "
            "the prior written consent of the other, which consent shall not be unreasonably "
            "withheld.",
            "8.2",
            caption="Assignment.",
        ),
        p(
            "All notices hereunder shall be in writing and shall be delivered by hand, "
            f"{notices_by}, to the addresses set out beneath the signatures of the parties.",
            "8.3",
            caption="Notices.",
        ),
        p(
            "This Agreement, together with its Attachments and Exhibits, constitutes the entire "
            "agreement of the parties concerning its subject matter. In the event of any "
            "conflict, Exhibit B shall prevail over the body of this Agreement, and the body of "
            "this Agreement shall prevail over any provider manual or policy of Company.",
            "8.4",
            caption="Entire Agreement; Precedence.",
        ),
        p(
            "This Agreement shall be governed by the laws of the state in which the System\u2019s "
            "principal hospital is located, without regard to its conflict of laws rules.",
            "8.5",
            caption="Governing Law.",
        ),
        Spacer(6),
        Signature(
            [("COMPANY", PAYER), ("SYSTEM", PROVIDER)],
            lead_in="IN WITNESS WHEREOF, the parties hereto have caused this Agreement to be "
            "executed by their duly authorised officers as of the Effective Date.",
        ),
        PageBreak(),
        # ---------------------------------------------------------------- ATTACHMENT 1
        h1("ATTACHMENT 1\nFACILITIES"),
        table(
            ["Facility", "Type", "City", "NPI"],
            [
                (
                    [
                        "Upper Sauk Valley Medical Center",
                        "Acute hospital",
                        "Millbrook",
                        "1999001104",
                    ],
                    None,
                ),
                (
                    ["Sauk Falls Community Hospital", "Acute hospital", "Sauk Falls", "1999001112"],
                    None,
                ),
                (["Millbrook Surgery Center", "ASC", "Millbrook", "1999001120"], None),
                (["Valley Provider-Based Clinics", "Clinic", "Various", "1999001138"], None),
            ],
            [190, 95, 85, 98],
        ),
        # ---------------------------------------------------------------- ATTACHMENT 2
        h1("ATTACHMENT 2\nEXCHANGE PROGRAM PARTICIPATION"),
        p(
            "The System shall participate in the individual health benefit plans that Company "
            "offers through the health insurance marketplace under the name \u201cTamarack "
            "Select\u201d (the \u201cExchange Program\u201d), and the rates in Exhibit B shall "
            "apply to the Exchange Program without modification.",
            "A2.1",
        ),
        p(
            "[[This Attachment shall apply for the plan year commencing January 1, 2026 and shall "
            "be extended automatically for each succeeding plan year unless, on or before the "
            "June 30 preceding such plan year, either party informs the other in writing that it "
            "will not participate in the Exchange Program for that plan year.]]",
            "A2.2",
            findings=[
                evergreen(
                    "medium",
                    12,
                    12,
                    None,
                    note="the non-renewal notice is a calendar deadline (on or before the "
                    "June 30 preceding the plan year), not a number of days, so notice_days is "
                    "null.",
                )
            ],
        ),
        p(
            "Termination of this Agreement shall terminate this Attachment, but the expiration "
            "of this Attachment shall not affect the continuation of this Agreement as to any "
            "other Health Benefit Program.",
            "A2.3",
        ),
        # ---------------------------------------------------------------- EXHIBIT B
        h1("EXHIBIT B\nCOMPENSATION"),
        p(
            "The amounts in this Exhibit B are stated as the total payment for the services "
            "described, inclusive of Enrollee cost-sharing, and shall apply to each Health "
            "Benefit Program in which the System participates.",
            "B.1",
        ),
        p(
            "Inpatient stays of the kinds listed in Table B-1 shall be paid per day, counting "
            "the day of admission but not the day of discharge; all other inpatient stays shall "
            "be paid per case on the basis of the MS-DRG assigned by the grouper version in "
            "effect on the date of discharge, as set out in Table B-2.",
            "B.2",
        ),
        table(
            ["Level of care", "Revenue codes", "Per diem"],
            [
                (
                    ["Medical / surgical", "0110-0159", "$3,148.00"],
                    rate(
                        None,
                        "REV",
                        "Medical / surgical",
                        "per_diem",
                        amount=3148.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Intensive and coronary care", "0200-0219", "$5,862.00"],
                    rate(
                        None,
                        "REV",
                        "Intensive and coronary care",
                        "per_diem",
                        amount=5862.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Neonatal intensive care", "0174", "$4,410.00"],
                    rate(
                        "0174",
                        "REV",
                        "Neonatal intensive care",
                        "per_diem",
                        amount=4410.00,
                        unit="per_diem",
                    ),
                ),
            ],
            [210, 120, 100],
            right=(2,),
            caption="Table B-1 - Inpatient per diem rates",
        ),
        table(
            ["MS-DRG", "Description", "Case rate"],
            [
                (
                    ["291", "Heart failure and shock with MCC", "$12,430.00"],
                    rate(
                        "291",
                        "MS-DRG",
                        "Heart failure and shock with MCC",
                        "case_rate",
                        amount=12430.00,
                        unit="per_case",
                    ),
                ),
                (
                    ["470", "Major hip and knee joint replacement without MCC", "$24,310.00"],
                    rate(
                        "470",
                        "MS-DRG",
                        "Major hip and knee joint replacement without MCC",
                        "case_rate",
                        amount=24310.00,
                        unit="per_case",
                    ),
                ),
                (
                    ["766", "Cesarean section without CC/MCC", "$11,275.00"],
                    rate(
                        "766",
                        "MS-DRG",
                        "Cesarean section without CC/MCC",
                        "case_rate",
                        amount=11275.00,
                        unit="per_case",
                    ),
                ),
                (
                    ["775", "Vaginal delivery without complicating diagnoses", "$7,940.00"],
                    rate(
                        "775",
                        "MS-DRG",
                        "Vaginal delivery without complicating diagnoses",
                        "case_rate",
                        amount=7940.00,
                        unit="per_case",
                    ),
                ),
                (
                    ["871", "Septicemia without MV over 96 hours with MCC", "$18,960.00"],
                    rate(
                        "871",
                        "MS-DRG",
                        "Septicemia without MV over 96 hours with MCC",
                        "case_rate",
                        amount=18960.00,
                        unit="per_case",
                    ),
                ),
            ],
            [60, 280, 90],
            right=(2,),
            caption="Table B-2 - MS-DRG case rates",
        ),
        p(
            "Outpatient services that would be payable to a hospital under the Medicare "
            "outpatient prospective payment system shall be paid at one hundred fifty-five "
            "percent (155%) of the Medicare OPPS payment rate published for calendar year "
            "2026, wage-adjusted for the core-based statistical area in which the Facility is "
            "located and determined before the application of any sequestration reduction.",
            "B.3",
            rates=[
                rate(
                    None,
                    None,
                    "Outpatient services payable under Medicare OPPS",
                    "percent_of_benchmark",
                    percent=155.0,
                    percent_of="medicare",
                    anchor="one hundred fifty-five percent (155%) of the Medicare OPPS payment "
                    "rate",
                ),
            ],
        ),
        p(
            "Emergency department visits shall be paid the flat amounts in Table B-3, which "
            "include all services rendered in the department other than advanced imaging.",
            "B.4",
        ),
        table(
            ["CPT", "Emergency department visit", "Amount"],
            [
                (
                    ["99283", "Moderate severity", "$612.00"],
                    rate(
                        "99283",
                        "CPT",
                        "Emergency department visit, moderate severity",
                        "fee_schedule",
                        amount=612.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99284", "High severity, urgent evaluation", "$948.00"],
                    rate(
                        "99284",
                        "CPT",
                        "Emergency department visit, high severity",
                        "fee_schedule",
                        amount=948.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["99285", "High severity, immediate threat", "$1,390.00"],
                    rate(
                        "99285",
                        "CPT",
                        "Emergency department visit, highest severity",
                        "fee_schedule",
                        amount=1390.00,
                        unit="per_service",
                    ),
                ),
            ],
            [60, 280, 90],
            right=(2,),
            caption="Table B-3 - Emergency department",
        ),
        p(
            "[[Professional and technical components of services furnished in the "
            "System\u2019s provider-based clinics that are not otherwise priced in this Exhibit "
            "shall be paid in accordance with the Company Standard Allowance Schedule in force on "
            "the date of service, as Company may revise that schedule from time to time upon "
            "notice published in its provider bulletin.]]",
            "B.5",
            findings=[vague("high", "payer_fee_schedule")],
        ),
        p(
            "[[Covered Services for which no payment rate is established elsewhere in this "
            "Exhibit B shall be paid at forty-five percent (45%) of Billed Charges.]]",
            "B.6",
            findings=[vague("low", "percent_of_charges_default")],
            rates=[
                rate(
                    None,
                    None,
                    "Covered Services not otherwise priced",
                    "percent_of_benchmark",
                    percent=45.0,
                    percent_of="billed_charges",
                    anchor="forty-five percent (45%) of Billed Charges",
                ),
            ],
        ),
    ]
    contract = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-01-01",
        expiration_date="2028-12-31",
        initial_term_months=36,
        product_lines=["commercial_hmo", "commercial_ppo", "exchange"],
        blocks=blocks,
        running=Running(
            header_left="Blue Tamarack / Upper Sauk Valley",
            header_right="Agreement No. BT-HS-2026-014",
            footer_left="Confidential - Contains Proprietary Rate Information",
            footer_right="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=10.0,
        notes=(
            "Holdout. Formal drafting: ARTICLE ONE..EIGHT spelled out, three-level paragraph "
            "numbers (4.2.1, 6.1.1) under two-level headings (2.1, 6.1); sections are the "
            "innermost printed number. Attachment 2 numbers paragraphs A2.1-A2.3 "
            "and Exhibit B B.1-B.6. "
            "Traps: licence/accreditation renewal (2.2.1) and recredentialing every 36 months "
            "(2.2.2); retention-only records clause (2.3.1); the System's right to examine "
            "Company's claims records (3.3); the System's own 60-day repayment duty (4.2.2); "
            "6.1.2 (licences renew on their own terms); fully specified OPPS benchmark in B.3 "
            "(calendar year 2026, CBSA wage index, pre-sequestration). The offset in 4.2.1 is "
            "high because it reaches other agreements and affiliates, although notice is given "
            "and the lookback is 18 months. The per diem for neonatal intensive care is keyed on "
            "a single revenue code (0174) and so carries a code."
        ),
    )
    return Holdout(
        contract,
        traps=[
            "shall renew each of the same prior to its lapse",
            "recredential it at intervals not exceeding thirty-six (36) months",
            "shall preserve the same for the longer of seven (7) years",
            "the System or an independent accounting firm engaged by it may examine",
            "shall report and repay the same within sixty (60) days",
            "each of which shall be renewed, if at all, in accordance with its own terms",
            "published for calendar year 2026, wage-adjusted for the core-based statistical area",
        ],
    )
