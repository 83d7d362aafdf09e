"""Children's hospital <-> Medicaid MCO: old-fashioned legalese, ``ARTICLE VII`` + ``VII.B.``."""

from __future__ import annotations

from ..common import audit, evergreen, money, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Spacer, Title
from .kit import Holdout, h1, p, rng_for, t, table

NAME = "childrens_hospital_medicaid_agreement"
PAYER = "Prairie Lantern Health Plan, Inc."
PROVIDER = "Bramblewood Children's Hospital"
TITLE = "PEDIATRIC HOSPITAL SERVICES AGREEMENT"
MCD = "medicaid_managed_care"


def art(n: str, title: str):
    return h1(f"ARTICLE {n}. \u2014 {title}")


def build() -> Holdout:
    rng = rng_for(NAME)
    form = f"Form PLHP-H-{rng.randrange(100, 999)}"
    traps = [
        t("""The Hospital shall at all times keep in force its license to operate a hospital, its
        certification under Titles XVIII and XIX of the Social Security Act, and its accreditation
        by a nationally recognized accrediting body, and shall renew each of the same before the
        expiration thereof; and the Hospital shall moreover submit to recredentialing by the MCO
        once in every thirty-six (36) months."""),
        t("""and shall cause every such policy to be renewed from year to year during the
        continuance of said Agreement"""),
        t("""Hospital outpatient services shall be paid at one hundred and two per centum (102%) of
        the amounts published by the Department in its Medicaid Outpatient Hospital Fee Schedule
        for State Fiscal Year 2026, effective July 1, 2025, for the freestanding children's
        hospital peer group."""),
        t("""The Hospital shall report and return unto the MCO any overpayment which the Hospital
        itself shall identify, within sixty (60) days after the date on which the same was
        identified, stating in writing the reason therefor."""),
        t("""The Hospital shall preserve all medical, financial and administrative records
        pertaining to Members for a period of not less than ten (10) years from the date of the
        last service recorded therein, or for such longer period as the law may require."""),
        t("""The books and accounts of the MCO shall be audited once in every year by an independent
        certified public accountant, and the MCO shall deliver a copy of its audited financial
        statements to the Department as the State Contract requires."""),
        t("""said Agreement shall terminate forthwith, without further act of either party, upon
        the expiration or earlier termination of the State Contract"""),
    ]

    blocks = [
        Title(TITLE, "Medicaid Managed Care \u2014 Hospital Participation"),
        p("""This Agreement, made and concluded as of the first day of July, two thousand and
        twenty-five (which day is hereinafter called the "Effective Date"), by and between
        Prairie Lantern Health Plan, Inc., a corporation duly organized and existing under the
        laws of the State wherein the Hospital is situated (hereinafter called "the State"), and
        holding a contract with the State Department of Human Services (hereinafter called "the
        Department") for the furnishing of medical assistance through managed care (which
        contract, as from time to time amended, is hereinafter called the "State Contract"),
        party of the first part and hereinafter called "the MCO"; and Bramblewood Children's
        Hospital, a nonprofit corporation operating a licensed general pediatric hospital, party
        of the second part and hereinafter called "the Hospital"."""),
        p("""The MCO, having undertaken by the State Contract to arrange for the care of children
        and families enrolled in the State's medical assistance program, is desirous of securing
        the services of the Hospital for such persons; and the Hospital is willing to render the
        same upon the terms hereinafter expressed. Now, therefore, in consideration of the
        premises and of the mutual covenants hereinafter contained, the parties hereto, intending
        to be legally bound, do covenant and agree each with the other as follows:"""),
        art("I", "DEFINITIONS"),
        p(
            """The words "Covered Services" shall mean such inpatient and outpatient hospital
        services as are covered under the State's medical assistance plan and the State Contract,
        when the same are furnished unto a Member.""",
            "I.A.",
        ),
        p(
            """The word "Member" shall mean any person enrolled with the MCO under the State
        Contract
        on the date on which a service is rendered.""",
            "I.B.",
        ),
        p(
            """The words "Clean Claim" shall mean a claim which may be adjudicated without the
        obtaining of further information from the Hospital or from any third person.""",
            "I.C.",
        ),
        art("II", "COVENANTS OF THE HOSPITAL"),
        p(
            """The Hospital shall render Covered Services unto Members in the same manner, and with
        the same availability, as it renders like services unto its other patients, and shall
        not discriminate against any Member by reason of his or her enrollment with the MCO.""",
            "II.A.",
        ),
        p(traps[0], "II.B."),
        p(
            """The Hospital shall carry professional and general liability insurance in amounts of
        not less than five million dollars ($5,000,000.00) for each occurrence, and shall cause
        every such policy to be renewed from year to year during the continuance of said
        Agreement, furnishing unto the MCO a certificate thereof upon request.""",
            "II.C.",
        ),
        art("III", "COMPENSATION"),
        p(
            """In full consideration of Covered Services rendered by the Hospital unto Members, the
        MCO shall pay unto the Hospital the rates set forth in Exhibit B hereto annexed, less such
        copayment as the Hospital is by law permitted to collect; and the Hospital shall accept
        the same as payment in full and shall look unto no Member for any part
        thereof.""",
            "III.A.",
        ),
        p(
            """[[For any Covered Service for which no rate is set forth in said Exhibit B, the MCO
        shall pay unto the Hospital a sum equal to ninety-eight per centum (98%) of the Medicaid
        fee schedule.]]""",
            "III.B.",
            findings=[
                vague(
                    "medium",
                    "benchmark_unspecified",
                    note="98% of 'the Medicaid fee schedule' names no State schedule, "
                    "program or year.",
                )
            ],
            rates=[
                rate(
                    None,
                    None,
                    "Covered Services not listed in Exhibit B",
                    "percent_of_benchmark",
                    percent=98.0,
                    percent_of="medicaid",
                    anchor="ninety-eight per centum (98%) of the Medicaid fee schedule",
                )
            ],
        ),
        p(
            traps[2]
            + """ For each State Fiscal Year thereafter the schedule so published for that
        year and for the same peer group shall be applied in like manner.""",
            "III.C.",
            rates=[
                rate(
                    None,
                    None,
                    "Hospital outpatient services (SFY 2026 State schedule)",
                    "percent_of_benchmark",
                    percent=102.0,
                    percent_of="medicaid",
                    anchor="one hundred and two per centum (102%)",
                )
            ],
        ),
        p(
            """[[Drugs, biologicals and implantable devices not enumerated in said Exhibit B shall
        be
        paid at such rate as the MCO shall from time to time fix and determine, and the
        determination of the MCO as to the same shall be conclusive upon the
        Hospital.]]""",
            "III.D.",
            findings=[vague("high", "payer_discretion")],
        ),
        p(
            """Where the billed charges for a single inpatient admission shall exceed two hundred
        fifty thousand dollars ($250,000.00), the MCO shall, in lieu of the per diem rates
        hereinafter set forth, pay sixty per centum (60%) of the whole of the billed charges for
        said admission.""",
            "III.E.",
            rates=[
                rate(
                    None,
                    None,
                    "Inpatient stop-loss (charges over threshold)",
                    "stop_loss",
                    amount=250000.0,
                    percent=60.0,
                    percent_of="billed_charges",
                    unit="per_case",
                    anchor="two hundred fifty thousand dollars ($250,000.00)",
                )
            ],
        ),
        art("IV", "CLAIMS, PAYMENT AND OVERPAYMENTS"),
        p(
            """The Hospital shall present its claims within one hundred eighty (180) days after the
        discharge of the Member or the rendering of the outpatient service, as the case may be;
        and the MCO shall pay every Clean Claim within thirty (30) days after its
        receipt.""",
            "IV.A.",
        ),
        p(
            """[[Should the MCO at any time discover that it has paid unto the Hospital any sum in
        excess of that which was due, the MCO may, after giving thirty (30) days' written notice
        thereof, withhold the amount of such excess from any sum thereafter payable unto the
        Hospital, whether under said Agreement or under any other agreement subsisting between
        the Hospital and the MCO or any affiliate of the MCO. No such recovery shall be commenced
        more than twelve (12) months after the date upon which the excess sum was paid.]]""",
            "IV.B.",
            findings=[
                recoup(
                    "high",
                    12,
                    cross=True,
                    note="withholding reaches any other agreement with the MCO or its affiliates.",
                )
            ],
        ),
        p(
            """[[Where the Department shall retroactively disenroll a Member, the MCO may recover
        the
        payments made for Covered Services rendered unto that Member after the effective date of
        the disenrollment by adjustment of subsequent remittances; provided that written notice
        identifying each claim and the amount thereof be given to the Hospital not less than
        thirty (30) days before any adjustment is made, that no adjustment be made in respect of
        a claim paid more than twelve (12) months before said notice, and that no adjustment be
        made while a timely appeal by the Hospital touching the same claim remains
        undetermined.]]""",
            "IV.C.",
            findings=[recoup("low", 12, dispute_stay=True)],
        ),
        p(traps[3], "IV.D."),
        art("V", "RECORDS, INSPECTION AND AUDIT"),
        p(traps[4], "V.A."),
        p(
            """[[The Hospital shall, upon request, afford unto the Department, the State Medicaid
        Fraud Control Unit, the Secretary of the United States Department of Health and Human
        Services and the Comptroller General, and unto the agents of any of them, access to the
        records aforesaid and to the premises of the Hospital, for the purposes of inspection,
        evaluation and audit, at any time during the period of preservation hereinabove
        mentioned.]]""",
            "V.B.",
            findings=[
                audit(
                    "low",
                    None,
                    False,
                    None,
                    kind="access",
                    recovery=False,
                    note="regulatory access during the retention period; the ten-year "
                    "retention in V.A is not a lookback.",
                )
            ],
        ),
        p(
            """[[The MCO, by its own officers or by such auditor as it shall appoint, may examine
        the
        clinical and billing records of the Hospital relating to any claim paid within the
        thirty-six (36) months next preceding the written demand of the MCO, which demand shall
        be delivered not less than twenty (20) days before the examination is begun. Where the
        examination is made upon a random sample of claims, the MCO may apply the rate of
        overpayment found in the sample unto the whole number of claims from which the sample was
        drawn, and may recover the amount so computed.]]""",
            "V.C.",
            findings=[audit("high", 36, True, 20)],
        ),
        p(traps[5], "V.D."),
        art("VI", "PROTECTION OF MEMBERS"),
        p(
            """In no event, including the insolvency of the MCO or its failure to pay, shall the
        Hospital bill, charge or seek compensation from any Member, or from any person acting on
        a Member's behalf, for Covered Services rendered hereunder.""",
            "VI.A.",
        ),
        art("VII", "TERM AND DURATION"),
        p(
            """[[Said Agreement shall commence upon the Effective Date hereinabove set forth and
        shall endure for an initial period of three (3) years; and at the expiration of said
        initial period, and of each renewal period thereafter, said Agreement shall be deemed
        renewed and extended for a further period of one (1) year, upon the same terms and
        conditions as are herein contained, unless either party shall have delivered unto the
        other written notice of its election not to renew the same not less than one hundred
        fifty (150) days prior to the expiration of the period then running.]]""",
            "VII.A.",
            findings=[evergreen("high", 36, 12, 150)],
        ),
        p(
            """Notwithstanding anything hereinabove contained, """
            + traps[6]
            + """; and neither
        party shall be liable unto the other by reason of such termination.""",
            "VII.B.",
        ),
        p(
            """Either party may terminate said Agreement without cause by giving unto the other not
        less than one hundred twenty (120) days' written notice of its intention so to
        do.""",
            "VII.C.",
        ),
        p(
            """Upon any termination, the Hospital shall continue to render Covered Services unto any
        Member who is then an inpatient until that Member's discharge, and the MCO shall pay for
        the same at the rates then in force.""",
            "VII.D.",
        ),
        art("VIII", "GENERAL PROVISIONS"),
        p(
            """All notices hereunder shall be in writing and shall be delivered by hand or by
        certified mail, return receipt requested, unto the addresses of the parties written
        beneath their signatures.""",
            "VIII.A.",
        ),
        p(
            """Said Agreement, together with its Exhibits, contains the whole agreement of the
        parties touching the subject matter hereof, and supersedes all prior negotiations,
        representations and agreements between them, whether written or oral.""",
            "VIII.B.",
        ),
        p(
            """Said Agreement shall be construed according to the laws of the State, and in the
        event of any conflict between said Agreement and the State Contract, the State Contract
        shall prevail.""",
            "VIII.C.",
        ),
        Spacer(8),
        Signature(
            [("THE MCO", PAYER), ("THE HOSPITAL", PROVIDER)],
            lead_in="IN TESTIMONY WHEREOF, the parties hereto have caused said Agreement to "
            "be signed by their duly authorized officers on the day and year first "
            "hereinabove written.",
        ),
        PageBreak(),
        h1("EXHIBIT B\nHOSPITAL REIMBURSEMENT RATES"),
        p(
            """The per diem rates set forth in the table following shall be paid for each day of
        inpatient care, the day of discharge excepted; the emergency rates shall be paid for each
        visit not resulting in admission.""",
            "B.1",
        ),
        table(
            ["Service", "Rev. / CPT", "Basis", "Rate"],
            [
                (
                    [
                        "Routine pediatric medical / surgical",
                        "0110-0159",
                        "Per diem",
                        money(2875.00),
                    ],
                    rate(
                        None,
                        "REV",
                        "Routine pediatric medical / surgical",
                        "per_diem",
                        amount=2875.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Pediatric intensive care", "0203", "Per diem", money(6120.00)],
                    rate(
                        "0203",
                        "REV",
                        "Pediatric intensive care",
                        "per_diem",
                        amount=6120.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Neonatal intensive care, Level III", "0173", "Per diem", money(4480.00)],
                    rate(
                        "0173",
                        "REV",
                        "Neonatal intensive care, Level III",
                        "per_diem",
                        amount=4480.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Neonatal intensive care, Level IV", "0174", "Per diem", money(6950.00)],
                    rate(
                        "0174",
                        "REV",
                        "Neonatal intensive care, Level IV",
                        "per_diem",
                        amount=6950.00,
                        unit="per_diem",
                    ),
                ),
                (
                    ["Emergency department visit, level 4", "99284", "Per visit", money(412.00)],
                    rate(
                        "99284",
                        "CPT",
                        "Emergency department visit, level 4",
                        "fee_schedule",
                        amount=412.00,
                        unit="per_service",
                    ),
                ),
                (
                    ["Emergency department visit, level 5", "99285", "Per visit", money(598.00)],
                    rate(
                        "99285",
                        "CPT",
                        "Emergency department visit, level 5",
                        "fee_schedule",
                        amount=598.00,
                        unit="per_service",
                    ),
                ),
            ],
            [190, 70, 80, 80],
            right=(3,),
        ),
        p(
            """[[The rates set forth in this Exhibit shall continue in force from the Effective Date
        throughout the initial period and every renewal period of said Agreement, without
        escalation or other alteration, until such time as the parties shall execute a written
        amendment superseding the same.]]""",
            "B.2",
            findings=[
                evergreen(
                    "high",
                    None,
                    None,
                    None,
                    rates_frozen=True,
                    note="rate evergreen: Exhibit B rates continue unchanged through "
                    "every renewal until a signed amendment; the clause itself states no "
                    "term length, so initial/renewal are null.",
                )
            ],
        ),
    ]
    c = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2025-07-01",
        expiration_date="2028-06-30",
        initial_term_months=36,
        product_lines=[MCD],
        blocks=blocks,
        running=Running(
            header_left="Prairie Lantern / Bramblewood",
            header_right="Pediatric Hospital Services Agreement",
            footer_left=form,
            footer_right="Page {page} of {pages}",
        ),
        font="Times-Roman",
        font_size=11.0,
        notes=(
            "Old-fashioned legalese ('said Agreement', 'hereinabove', 'per centum'); articles "
            "'ARTICLE VII. \u2014 TERM AND DURATION' with paragraphs printed 'VII.A.', section "
            "'VII.A' (trailing dot dropped); Exhibit B paragraphs 'B.1'/'B.2'. Effective date "
            "written out in words ('first day of July, two thousand and twenty-five'). Traps: "
            "licence/certification/accreditation renewal and 36-month recredentialing (II.B), "
            "insurance 'renewed from year to year' (II.C), fully specified State outpatient "
            "schedule SFY 2026 + peer group (III.C), provider's own 60-day report-and-return "
            "(IV.D), 10-year retention only (V.A), audit of the MCO's own books (V.D), automatic "
            "termination with the State Contract (VII.B). Judgement calls: V.B regulatory access "
            "is a low audit finding (access only); IV.C retroactive-disenrollment recovery is a "
            "recoupment finding (12 months, 30 days' notice, stayed during appeal -> low)."
        ),
    )
    return Holdout(c, traps)
