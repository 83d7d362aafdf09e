"""Radiology group + imaging benefit manager carve-out: long run-on sentences with provisos.

Numbering ``Article 7 \u2014 Term and Renewal`` with paragraphs ``7.1``; Attachment C paragraphs
``C.4``.
"""

from __future__ import annotations

from ..common import audit, evergreen, money, rate, recoup, vague
from ..model import Contract, PageBreak, Running, Signature, Title
from .kit import Holdout, h1, h2, p, t, table

NAME = "radiology_imaging_benefit_agreement"
PAYER = "Saltmarsh Coastal Health Plan, Inc."
PROVIDER = "Harborline Imaging Associates, P.C."
TITLE = "RADIOLOGY SERVICES AGREEMENT"
HMO, PPO = "commercial_hmo", "commercial_ppo"


def art(n: int, title: str):
    return h1(f"Article {n} \u2014 {title}")


def cpt(code, mod, desc, amount):
    return (
        [code, mod, desc, money(amount)],
        rate(
            code,
            "CPT",
            desc,
            "fee_schedule",
            amount=amount,
            unit="per_service",
            modifier=mod or None,
        ),
    )


def build() -> Holdout:
    traps = [
        t("""Group shall cause each of its radiologists to hold, or to obtain within five (5) years
        after completing residency, certification by the American Board of Radiology, and shall
        cause each of its imaging sites to maintain accreditation by the American College of
        Radiology for each modality offered there, renewing that accreditation before it lapses,
        provided, however, that a lapse cured within thirty (30) days shall not be deemed a breach
        of this Agreement."""),
        t("""Interventional radiology procedures (CPT 36000 through 37799) shall be paid at one
        hundred twelve percent (112%) of the non-facility amount shown for the applicable code in
        the calendar year 2026 Medicare Physician Fee Schedule for Florida locality 04, as
        published by CMS in November 2025, which amounts shall remain fixed for the term of this
        Agreement notwithstanding any later revision by CMS."""),
        t("""Nothing in this Article 5 shall permit Plan to offset against Group any amount owed to
        Plan by a radiologist in his or her individual capacity, nor any amount owed under an
        agreement to which Group is not a party."""),
        t("""Group may, once in any calendar year and at its own expense, engage an independent
        accountant to examine Plan's records of the Claims paid to Group, for the purpose of
        verifying that Plan has paid them in accordance with Exhibit A, provided, however, that the
        accountant shall first agree in writing to keep confidential the terms of Plan's agreements
        with other providers."""),
    ]
    blocks = [
        Title(TITLE, "with Attachment C (Advanced Imaging Program)"),
        p("""This Radiology Services Agreement is made effective April 1, 2026 (the "Effective
        Date") between Saltmarsh Coastal Health Plan, Inc. ("Plan") and Harborline Imaging
        Associates, P.C. ("Group"), it being acknowledged by the Parties that Plan has engaged
        Lumenwise Imaging Management, LLC (the "Imaging Benefit Manager") to administer on its
        behalf the prior authorization, payment and review of certain advanced imaging services,
        and that Group, which renders diagnostic and interventional radiology services at the
        sites listed in Attachment B, wishes to participate in Plan's commercial HMO and PPO
        networks on the terms, and subject to the conditions, set out below."""),
        art(1, "Definitions"),
        p(
            """"Advanced Imaging Services" means computed tomography, magnetic resonance imaging and
        angiography, positron emission tomography and nuclear cardiology services, whether
        rendered in a hospital outpatient department or in a freestanding site, and whether billed
        globally or as the professional component only.""",
            "1.1",
        ),
        p(
            """"Claim" means a request for payment for Covered Services submitted on the
        appropriate professional claim format, and "Products" means Plan's commercial HMO and
        commercial PPO products.""",
            "1.2",
        ),
        art(2, "Services and Credentials"),
        p(
            """Group shall furnish Covered Services to Members at each site listed in Attachment B,
        shall read and report every study within the turnaround times stated in Plan's provider
        manual, and shall obtain from the Imaging Benefit Manager, before rendering any Advanced
        Imaging Service that is not emergent, the prior authorization required by Attachment
        C.""",
            "2.1",
        ),
        p(traps[0], "2.2"),
        art(3, "Compensation"),
        p(
            """Plan shall pay Group for Covered Services, other than Advanced Imaging Services, the
        lesser of Group's billed charges and the amount stated for the service in Exhibit A,
        provided, however, that the professional and technical components shall be paid
        separately only where Exhibit A lists them separately, and provided further that Group
        shall not bill a Member for any amount above the Exhibit A amount other than the Member's
        cost share.""",
            "3.1",
        ),
        p(
            traps[1],
            "3.2",
            rates=[
                rate(
                    None,
                    "CPT",
                    "Interventional radiology CPT 36000-37799 (CY 2026 MPFS, Florida locality 04)",
                    "percent_of_benchmark",
                    percent=112.0,
                    percent_of="medicare",
                    anchor="one hundred twelve percent (112%)",
                )
            ],
        ),
        p(
            """[[Covered Services for which no amount is stated in Exhibit A, and which are not
        otherwise priced under this Article 3, shall be paid at one hundred twenty-five percent
        (125%) of Medicare, provided, however, that in no event shall Plan pay more than Group's
        billed charges for such Covered Services, and provided further that modifiers 26 and TC
        shall be recognized in the manner in which Medicare recognizes them.]]""",
            "3.3",
            findings=[
                vague(
                    "medium",
                    "benchmark_unspecified",
                    note="'125% of Medicare' names no fee schedule year or locality.",
                )
            ],
            rates=[
                rate(
                    None,
                    "CPT",
                    "Covered Services not in Exhibit A",
                    "percent_of_benchmark",
                    percent=125.0,
                    percent_of="medicare",
                    anchor="one hundred twenty-five percent (125%) of Medicare",
                )
            ],
        ),
        p(
            """[[Where Medicare assigns no payment amount to a Covered Service, or where Group bills
        an unlisted procedure code, Plan shall determine the allowance in its sole discretion,
        having regard to such comparable services and such other factors as Plan may deem
        relevant, provided, however, that Group may request reconsideration of any such
        determination within sixty (60) days after the remittance on which it first
        appears.]]""",
            "3.4",
            findings=[vague("high", "payer_discretion")],
        ),
        art(4, "Claims"),
        p(
            """Group shall submit each Claim within one hundred twenty (120) days after the date of
        service, and Plan shall pay or deny each clean Claim within thirty (30) days after it is
        received, provided, however, that Claims for Advanced Imaging Services shall be submitted
        to, and paid by, the Imaging Benefit Manager in accordance with Attachment C.""",
            "4.1",
        ),
        art(5, "Overpayments"),
        p(
            """[[Plan may recover an overpayment by offset against amounts later payable to Group
        under this Agreement, provided, however, that Plan shall first give Group forty-five (45)
        days' written notice identifying the Member, the date of service, the amount and the
        reason, and provided further that no offset shall be taken while a dispute of the
        overpayment, timely raised by Group, remains pending, and that Plan shall not seek to
        recover any overpayment more than twelve (12) months after the date on which the Claim was
        originally paid, except in the case of a duplicate payment or of fraud.]]""",
            "5.1",
            findings=[recoup("low", 12, dispute_stay=True)],
        ),
        p(traps[2], "5.2"),
        art(6, "Records and Audit"),
        p(
            """[[Plan, and the Imaging Benefit Manager as to Advanced Imaging Services, may audit
        the
        clinical and billing records supporting Claims paid during the eighteen (18) months
        preceding the date of the audit notice, upon not less than twenty-one (21) days' prior
        written notice, and may recover any amount paid for a service that those records do not
        support, provided, however, that Plan shall not extrapolate the results of any such audit
        to Claims that were not actually reviewed.]]""",
            "6.1",
            findings=[audit("medium", 18, False, 21)],
        ),
        p(traps[3], "6.2"),
        art(7, "Term and Renewal"),
        p(
            """[[This Agreement shall be in effect for an initial term of three (3) years commencing
        on the Effective Date and shall thereafter be extended automatically for successive terms
        of one (1) year each, it being understood that either Party may prevent any such extension
        by giving the other written notice of non-renewal not less than ninety (90) days before the
        end of the initial term or of the extension term then in effect, provided, however, that
        no such notice shall be effective unless it is delivered by a nationally recognized
        overnight courier to the address stated in Article 8.]]""",
            "7.1",
            findings=[evergreen("medium", 36, 12, 90)],
        ),
        p(
            """Either Party may terminate this Agreement without cause upon one hundred eighty (180)
        days' written notice, provided, however, that no such termination shall take effect before
        the first anniversary of the Effective Date.""",
            "7.2",
        ),
        p(
            """Upon termination Group shall continue, at Plan's request and at the rates then in
        effect, to read any study performed before the termination date and to furnish Covered
        Services to any Member in an active course of treatment for up to ninety (90) days.""",
            "7.3",
        ),
        art(8, "General"),
        p(
            """Notices shall be sent, if to Plan, to its Vice President, Network Management, and if
        to
        Group, to its Managing Partner, at the addresses on the signature page, or to such other
        address as a Party may designate by notice.""",
            "8.1",
        ),
        p(
            """This Agreement, together with its Exhibit and Attachments, is the entire agreement of
        the Parties on its subject and may be amended only by a writing signed by both Parties,
        provided, however, that Plan may amend Attachment C to conform it to any change in Plan's
        agreement with the Imaging Benefit Manager upon sixty (60) days' notice to Group.""",
            "8.2",
        ),
        Signature(
            [
                ("SALTMARSH COASTAL HEALTH PLAN, INC.", PAYER),
                ("HARBORLINE IMAGING ASSOCIATES, P.C.", PROVIDER),
            ],
            lead_in="The Parties have caused this Agreement to be executed by their "
            "authorized representatives as of the Effective Date.",
        ),
        PageBreak(),
        h2("EXHIBIT A \u2014 FEE SCHEDULE (ALL PRODUCTS)"),
        table(
            ["CPT", "Mod.", "Description", "Allowed"],
            [
                cpt("71046", "", "Chest radiograph, 2 views (global)", 38.50),
                cpt("71046", "26", "Chest radiograph, 2 views (professional)", 12.10),
                cpt("73030", "", "Shoulder radiograph, 2+ views (global)", 34.90),
                cpt("76700", "", "Abdominal ultrasound, complete (global)", 118.75),
                cpt("76700", "26", "Abdominal ultrasound, complete (professional)", 36.20),
                cpt("77067", "", "Screening mammography, bilateral, with CAD", 142.00),
                cpt("77080", "", "DXA bone density, axial skeleton", 52.30),
            ],
            [55, 40, 260, 70],
            right=(3,),
        ),
        h2("ATTACHMENT C \u2014 ADVANCED IMAGING PROGRAM"),
        p(
            """Advanced Imaging Services require prior authorization from the Imaging Benefit
        Manager,
        which shall apply the clinical guidelines it publishes on its provider portal, and a Claim
        for a service rendered without that authorization may be denied, provided, however, that
        a service rendered in an emergency shall not require it.""",
            "C.1",
        ),
        p(
            """[[Advanced Imaging Services shall be reimbursed at the rates set forth in the Imaging
        Benefit Manager's radiology fee schedule, as such schedule may be published and revised by
        the Imaging Benefit Manager from time to time, provided, however, that the Imaging Benefit
        Manager shall make the schedule available to Group on its provider portal not less than
        thirty (30) days before any revision takes effect.]]""",
            "C.2",
            findings=[vague("medium", "third_party_vendor_schedule")],
        ),
        p(
            """[[The Imaging Benefit Manager may perform retrospective reviews of the clinical
        appropriateness of Advanced Imaging Services rendered within the six (6) months preceding
        its written request, provided that it gives Group not less than thirty (30) days' notice of
        the review, and that it shall not apply the findings of any review to services outside the
        sample actually reviewed.]]""",
            "C.3",
            findings=[audit("low", 6, False, 30)],
        ),
        p(
            """[[The Imaging Benefit Manager may deduct from any payment for Advanced Imaging
        Services, without prior notice, any amount that it determines was paid in error for imaging
        services rendered by Group to members of any health benefit plan for which the Imaging
        Benefit Manager administers imaging benefits, whether or not that plan is a party to this
        Agreement.]]""",
            "C.4",
            findings=[recoup("high", None, cross=True, prior_notice=False)],
        ),
        p(
            """[[This Attachment shall remain in force through December 31, 2026 and shall
        thereafter
        be renewed automatically for each succeeding calendar year for so long as Plan's agreement
        with the Imaging Benefit Manager continues, provided, however, that Group may elect not to
        renew this Attachment by written notice delivered to Plan not less than two months before
        the end of a calendar year, in which event Advanced Imaging Services rendered by Group
        thereafter shall be paid under Section 3.3.]]""",
            "C.5",
            findings=[
                evergreen(
                    "medium",
                    None,
                    12,
                    None,
                    note="Attachment C renews each calendar year; notice is 'two "
                    "months' before year-end (stated in months, so notice_days null); "
                    "its first period (April-December 2026) is not stated as a "
                    "duration.",
                )
            ],
        ),
    ]
    c = Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2026-04-01",
        expiration_date="2029-03-31",
        initial_term_months=36,
        product_lines=[HMO, PPO],
        blocks=blocks,
        running=Running(
            header_left="Saltmarsh Coastal Health Plan \u2014 Harborline Imaging",
            header_right="Confidential and Proprietary",
            footer_center="- {page} -",
        ),
        font="Times-Roman",
        font_size=10.0,
        notes=(
            "Long run-on sentences with 'provided, however' / 'provided further' provisos; the "
            "cited text is the whole sentence, proviso included. Headings 'Article 7 \u2014 Term "
            "and Renewal' with paragraphs '7.1'; Attachment C paragraphs 'C.1'-'C.5'. Imaging "
            "benefit manager (Lumenwise) carve-out: its rate schedule (C.2) is "
            "third_party_vendor_schedule, its cross-plan deduction without notice (C.4) is a high "
            "recoupment. Traps: ABR certification / ACR accreditation renewal (2.2), fully "
            "specified benchmark CY 2026 MPFS Florida locality 04 (3.2), limit on offset (5.2), "
            "Group's audit of Plan (6.2). 6.1 and C.3 negate extrapolation."
        ),
    )
    return Holdout(c, traps)
