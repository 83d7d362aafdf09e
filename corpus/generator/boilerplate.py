"""Boilerplate clause variants shared by the sample contracts.

Every variant carries the ground-truth findings clause_rules/TAXONOMY.md asks for (its passage
marked ``[[ ]]``); where a variant's severity depends on the contract (a filing window) the
function takes it as a parameter. None of them is a finding of the four original categories.
Several variants are deliberate *traps* that a rule must not report: recredentialing cycles and
licence, insurance and accreditation renewals (not ``credentialing`` / ``evergreen_renewal``);
audits of the payer's own financial statements and retention-only record clauses (not
``audit_provision``); privacy of member health information alone (not ``confidentiality``);
"no amendment unless in writing and signed by both parties" (not ``unilateral_amendment``); a
late claim's "shall not bill the Member" (part of the ``timely_filing`` term, not a
``hold_harmless`` clause). Judgement calls: the "Entire Agreement; Amendment" variant lets the
payer amend on notice only for a change in law (``unilateral_amendment`` low, ``regulatory``
per TAXONOMY.md's "low (+regulatory)"); the informal-resolution step of the dispute article is a
``dispute_resolution`` finding of its own with ``binding_arbitration`` null (it does not say);
both COB variants cap secondary payment at the contract amount / the member's remaining
liability, a standard method (low); "personal to Provider, may not be assigned by Provider"
says nothing of the payer's right, so ``assignment_change_of_control`` is medium there.
Placeholders: ``{P}`` payer term, ``{Ps}`` its possessive, ``{V}`` provider term, ``{Vs}``,
``{M}`` members, ``{m}`` member.
"""

from __future__ import annotations

import random
import re

from .common import amendment, cred, dispute, filing, finding, prompt_pay
from .draft import Clause, pick


def days_in(words: str) -> int:
    """The number of days a phrase such as "ninety (90) days" states."""
    m = re.search(r"\((\d+)\)", words) or re.search(r"\b(\d+)\b", words)
    if not m:
        raise ValueError(f"no number of days in {words!r}")
    return int(m.group(1))


_INFORMAL = (
    "The informal-resolution step is a dispute_resolution finding of its own; it does not say "
    "whether disputes end in arbitration, so binding_arbitration is null."
)
_COB = (
    "Secondary payment capped at what Provider would have received as primary / the "
    "member's remaining liability: a standard COB method (low)."
)


def _tf_severity(days: int) -> str:
    return "high" if days < 90 else "medium" if days < 180 else "low"


def _pp_severity(days: int) -> str:
    return "medium" if days > 45 else "low"


RECITALS = [
    [
        "WHEREAS, {P} offers or administers health benefit plans under which {M} are entitled to "
        "receive health care services from providers who participate in {Ps} networks;",
        "WHEREAS, {V} is duly licensed and qualified to furnish the health care services described "
        "in this Agreement and desires to furnish such services to {M}; and",
        "WHEREAS, the parties wish to set out the terms on which {V} will participate in {Ps} "
        "networks and be compensated for Covered Services;",
        "NOW, THEREFORE, in consideration of the mutual promises contained herein and other good "
        "and valuable consideration, the receipt and sufficiency of which are acknowledged, the "
        "parties agree as follows:",
    ],
    [
        "WHEREAS, {P} arranges for the provision of health care services to persons enrolled in "
        "its benefit programs through contracts with physicians, hospitals and other providers;",
        "WHEREAS, {V} operates a licensed practice and is willing to render services to {M} on the "
        "terms set forth below;",
        "NOW, THEREFORE, intending to be legally bound, {P} and {V} agree as follows:",
    ],
    [
        "RECITALS. {P} contracts with health care providers in order to make covered health care "
        "services available to individuals enrolled in the benefit plans it insures or "
        "administers. {V} desires to be a participating provider in those plans. The parties "
        "therefore agree to the terms and conditions that follow.",
    ],
]

DEFINITIONS = {
    "Clean Claim": [
        "a claim for Covered Services that has no defect or impropriety, includes all "
        "substantiating documentation reasonably required to adjudicate it, and can be processed "
        "without obtaining additional information from {V} or a third party.",
        "a claim submitted on the applicable standard form or electronic format that contains "
        "every data element needed for adjudication and is not subject to a pending coordination "
        "of benefits, subrogation or eligibility inquiry.",
    ],
    "Covered Services": [
        "those Medically Necessary health care services and supplies for which a {m} is entitled "
        "to benefits under the {m}'s Coverage Agreement.",
        "health care services and supplies that are covered under the terms of a {m}'s benefit "
        "plan, subject to the plan's exclusions, limitations and cost-sharing.",
    ],
    "Coverage Agreement": [
        "the certificate of coverage, evidence of coverage, summary plan description or other "
        "document that sets out the benefits to which a {m} is entitled.",
    ],
    "Member": [
        "an individual who is enrolled in, and eligible to receive benefits under, a Product.",
        "any subscriber or dependent who is eligible for benefits under a benefit plan insured or "
        "administered by {P} and in which {V} participates.",
    ],
    "Medically Necessary": [
        "services that are appropriate and consistent with the diagnosis or treatment of the {m}'s "
        "condition, are in accordance with generally accepted standards of medical practice, and "
        "are not furnished primarily for the convenience of the {m} or the provider.",
    ],
    "Product": [
        "a health benefit program offered or administered by {P}, such as a health maintenance "
        "organization, preferred provider or point-of-service program, in which {V} participates "
        "as specified in the Product Attachment.",
    ],
    "Provider Manual": [
        "the administrative guide published by {P} describing procedures for referrals, "
        "authorizations, claim submission, appeals and similar administrative matters.",
        "{Ps} provider handbook containing administrative procedures that {V} must follow when "
        "serving {M}.",
    ],
    "Emergency Services": [
        "services needed to evaluate or stabilize an emergency medical condition, as that term is "
        "defined by applicable federal and state law.",
    ],
    "Eligible Charges": [
        "{Vs} usual charges for Covered Services as set forth in its chargemaster, uniformly "
        "applied to all patients regardless of payer source.",
    ],
}


def definitions(
    rng: random.Random, names: list[str], extra: dict[str, str] | None = None
) -> list[str]:
    """Definition sentences ('"X" means ...'), alphabetised, with contract-specific extras."""
    items = {n: pick(rng, DEFINITIONS[n]) for n in names}
    items.update(extra or {})
    verb = pick(rng, ["means", "shall mean", "refers to"])
    return [f'"{k}" {verb} {v}' for k, v in sorted(items.items())]


def credentialing(rng: random.Random) -> list[Clause]:
    return pick(
        rng,
        [
            [
                Clause(
                    "[[{V} shall meet, and shall cause each of its practitioners to meet, {Ps} "
                    "credentialing criteria as a condition of participation. {P} shall notify {V} "
                    "of its credentialing decision within sixty (60) days after receiving a "
                    "complete application.]]",
                    "Credentialing",
                    findings=[cred("medium", 60, retroactive=False)],
                ),
                Clause(
                    "Each practitioner shall be recredentialed at least once every thirty-six (36) "
                    "months in accordance with {Ps} credentialing program and applicable "
                    "accreditation standards. {V} shall renew, and keep in good standing, every "
                    "license, certification and registration needed to perform Covered Services "
                    "and shall notify {P} within ten (10) days of any lapse, restriction or "
                    "disciplinary action.",
                    "Recredentialing; Licensure",
                ),
            ],
            [
                Clause(
                    "[[Participation is conditioned upon {V} satisfying {Ps} credentialing and "
                    "recredentialing standards.]] Recredentialing will occur every three years, "
                    "and {V} will respond to recredentialing requests within thirty (30) days. {V} "
                    "represents that it holds, and will timely renew, all licenses, permits and "
                    "accreditations required by law.",
                    "Credentialing and Recredentialing",
                    findings=[cred("high", None, retroactive=False)],
                ),
            ],
        ],
    )


def insurance(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "{V} shall maintain, at its own expense, professional liability insurance with "
                    "limits of not less than one million dollars ($1,000,000) per claim and three "
                    "million dollars ($3,000,000) in the aggregate, together with general "
                    "liability coverage in customary amounts. {V} shall renew such policies before "
                    "they expire and shall furnish certificates of insurance to {P} upon request "
                    "and upon each renewal.",
                    "Insurance",
                ),
                Clause(
                    "Throughout the term {V} will carry medical malpractice and comprehensive "
                    "general liability insurance, or an equivalent program of self-insurance, in "
                    "amounts reasonably acceptable to {P}. Policies shall be renewed annually, and "
                    "{V} will give {P} at least thirty (30) days' notice of any cancellation, "
                    "non-renewal or material reduction in coverage.",
                    "Liability Coverage",
                ),
            ],
        )
    ]


def hold_harmless(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "[[{V} agrees that in no event, including non-payment by {P}, insolvency of "
                    "{P} or breach of this Agreement, shall {V} bill, charge, collect a deposit "
                    "from, seek compensation from, or have any recourse against a {m} for Covered "
                    "Services, other than applicable copayments, coinsurance and deductibles.]] "
                    "This provision survives termination of this Agreement for services rendered "
                    "while this Agreement was in effect.",
                    "Member Hold Harmless",
                    findings=[finding("hold_harmless", "low", bars_consented_noncovered=False)],
                ),
                Clause(
                    "[[{V} shall look solely to {P} for compensation for Covered Services and "
                    "shall not balance bill {M} for any amount in excess of the applicable "
                    "cost-sharing. {V} may bill a {m} for a non-covered service only if the {m} "
                    "agreed in writing, before the service was rendered, to pay for that "
                    "specific service.]]",
                    "Prohibition on Balance Billing",
                    findings=[finding("hold_harmless", "low", bars_consented_noncovered=False)],
                ),
            ],
        )
    ]


def claims_submission(rng: random.Random, filing_days: str, pay_days: str) -> list[Clause]:
    """Timely filing (``filing_days``) and prompt payment (``pay_days``), e.g. "ninety (90)
    days"; their severities follow from the numbers."""
    fd, pd = days_in(filing_days), days_in(pay_days)
    tf = filing(_tf_severity(fd), fd)
    pp = prompt_pay(_pp_severity(pd), pd)
    return pick(
        rng,
        [
            [
                Clause(
                    "[[{V} shall submit claims for Covered Services electronically, using the "
                    "applicable HIPAA standard transaction, within " + filing_days + " after the "
                    "date of service or, for inpatient services, the date of discharge. Claims "
                    "received after that period may be denied, and {V} shall not bill the {m} for "
                    "any claim so denied.]]",
                    "Claim Submission",
                    findings=[tf],
                ),
                Clause(
                    "[[{P} shall pay or deny each Clean Claim within " + pay_days + " after "
                    "receipt. Interest on late payment of Clean Claims shall accrue as required "
                    "by applicable state prompt pay law.]]",
                    "Payment of Clean Claims",
                    findings=[pp],
                ),
            ],
            [
                Clause(
                    "[[All claims must be filed within " + filing_days + " from the date of "
                    "service. Corrected claims and requests for reconsideration must be submitted "
                    "within the same period measured from the date of the original remittance "
                    "advice.]]",
                    "Timely Filing",
                    findings=[tf],
                ),
                Clause(
                    "[[{P} will adjudicate Clean Claims within " + pay_days + " of receipt and "
                    "will identify in writing any additional information needed to adjudicate a "
                    "claim that is not a Clean Claim.]]",
                    "Prompt Payment",
                    findings=[pp],
                ),
            ],
        ],
    )


def cob(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "[[When a {m} is covered by more than one health benefit plan, {V} shall bill "
                    "the primary payer first. Payment by {P} as a secondary payer, when added to "
                    "the amount paid by the primary payer, will not exceed the amount {V} would "
                    "have received under this Agreement as the primary payer.]]",
                    "Coordination of Benefits",
                    findings=[
                        finding("coordination_of_benefits", "low", note=_COB, method="standard")
                    ],
                ),
                Clause(
                    "[[{V} will cooperate with {P} in coordinating benefits with other payers and "
                    "will supply information about other coverage known to {V}. {Ps} payment "
                    "obligation as a secondary payer is limited to the {m}'s remaining liability "
                    "under the benefit plan.]]",
                    "Other Coverage",
                    findings=[
                        finding("coordination_of_benefits", "low", note=_COB, method="standard")
                    ],
                ),
            ],
        )
    ]


def retention_only(rng: random.Random) -> Clause:
    """Trap: a record-retention duty with no audit or inspection right."""
    return pick(
        rng,
        [
            Clause(
                "{V} shall prepare and keep complete and legible medical and billing records for "
                "each {m} and shall retain such records for at least ten (10) years after the last "
                "date of service, or longer if required by law.",
                "Maintenance of Records",
            ),
            Clause(
                "{V} will maintain all medical records relating to {M} in accordance with "
                "professional standards and will preserve them for the longer of seven (7) years "
                "or the period required by state law.",
                "Record Keeping",
            ),
        ],
    )


def payer_financial_audit(rng: random.Random) -> Clause:
    """Trap: the payer's own financial statements are audited."""
    return pick(
        rng,
        [
            Clause(
                "{P} shall cause its annual financial statements to be audited by an independent "
                "certified public accounting firm and, upon written request, shall furnish {V} "
                "with a copy of its most recent audited statements.",
                "Financial Statements",
            ),
            Clause(
                "{P} represents that its financial statements are examined each year by "
                "independent auditors and filed with the state insurance regulator, and that it "
                "maintains the reserves required by law.",
                "Financial Responsibility",
            ),
        ],
    )


def confidentiality(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "[[Each party shall keep confidential the terms of this Agreement, including "
                    "the compensation schedules, and shall not disclose them to any third party "
                    "except to its attorneys, accountants and advisors who need to know them, to "
                    "a governmental authority as required by law, or with the other party's prior "
                    "written consent.]]",
                    "Confidentiality",
                    findings=[finding("confidentiality", "low", law_exception=True)],
                ),
                Clause(
                    "[[The rates and other financial terms of this Agreement are proprietary and "
                    "confidential. Neither party will disclose them except as required by law or "
                    "by a regulatory authority, and then only after giving the other party prompt "
                    "notice so that it may seek protective treatment.]]",
                    "Proprietary Information",
                    findings=[finding("confidentiality", "low", law_exception=True)],
                ),
            ],
        ),
        pick(
            rng,
            [
                Clause(
                    "The parties shall comply with the Health Insurance Portability and "
                    "Accountability Act of 1996 and its implementing regulations with respect to "
                    "protected health information of {M}.",
                    "Protected Health Information",
                ),
                Clause(
                    "Each party will protect the privacy and security of {m} information in "
                    "accordance with HIPAA, the HITECH Act and applicable state privacy laws.",
                    "Privacy",
                ),
            ],
        ),
    ]


def disputes(rng: random.Random, arbitration: bool = True) -> list[Clause]:
    first = pick(
        rng,
        [
            Clause(
                "[[The parties shall first attempt to resolve any dispute arising out of or "
                "relating to this Agreement through good-faith discussions between senior "
                "representatives for a period of sixty (60) days after written notice of the "
                "dispute.]]",
                "Informal Resolution",
                findings=[dispute("low", None, note=_INFORMAL)],
            ),
            Clause(
                "[[Any dispute under this Agreement will be referred to the parties' respective "
                "contract managers, who will meet within thirty (30) days and attempt to resolve "
                "it informally before either party pursues other remedies.]]",
                "Meet and Confer",
                findings=[dispute("low", None, note=_INFORMAL)],
            ),
        ],
    )
    second = (
        Clause(
            "[[Any dispute not resolved informally shall be settled by binding arbitration "
            "administered by the American Health Law Association under its rules then in "
            "effect.]] The arbitrator shall have no authority to award punitive damages, "
            "and judgment on the award may be entered in any court having jurisdiction.",
            "Arbitration",
            findings=[dispute("medium", True)],
        )
        if arbitration
        else Clause(
            "[[If the dispute is not resolved informally, either party may pursue any "
            "remedy available at law or in equity in a court of competent jurisdiction "
            "located in the state whose law governs this Agreement.]]",
            "Litigation",
            findings=[dispute("low", False)],
        )
    )
    return [first, second]


def assignment(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "[[Neither party may assign this Agreement, in whole or in part, without the "
                    "prior written consent of the other party, except that {P} may assign this "
                    "Agreement to an affiliate upon written notice to {V}. A change of control of "
                    "{V} shall be treated as an assignment for purposes of this Section.]]",
                    "Assignment",
                    findings=[
                        finding(
                            "assignment_change_of_control",
                            "high",
                            payer_free_provider_bound=True,
                            control_trigger=True,
                        )
                    ],
                ),
                Clause(
                    "[[This Agreement is personal to {V} and may not be assigned or delegated by "
                    "{V} without {Ps} prior written consent, which shall not be unreasonably "
                    "withheld.]] Any attempted assignment in violation of this provision is void.",
                    "No Assignment",
                    findings=[
                        finding(
                            "assignment_change_of_control",
                            "medium",
                            note="Judgement call: only Provider's assignment is restricted and "
                            "the clause is silent on the payer's, so not high.",
                            payer_free_provider_bound=False,
                            control_trigger=False,
                        )
                    ],
                ),
            ],
        )
    ]


def general(rng: random.Random, state: str) -> list[Clause]:
    law = pick(
        rng,
        [
            Clause(
                "This Agreement shall be governed by and construed in accordance with the laws of "
                "the State of " + state + ", without regard to its conflict of laws principles.",
                "Governing Law",
            ),
            Clause(
                "The laws of the State of "
                + state
                + " govern this Agreement, except to the extent "
                "preempted by federal law.",
                "Applicable Law",
            ),
        ],
    )
    rest = [
        pick(
            rng,
            [
                Clause(
                    "This Agreement, including its attachments, exhibits and amendments, is the "
                    "entire agreement between the parties regarding its subject matter and "
                    "supersedes all prior agreements and understandings. [[It may be amended only "
                    "by a written instrument signed by authorized representatives of both "
                    "parties, except that {P} may amend it on notice to the extent necessary to "
                    "comply with a change in law.]]",
                    "Entire Agreement; Amendment",
                    findings=[
                        amendment(
                            "low",
                            None,
                            "law",
                            regulatory=True,
                            note="Amendment on notice only for a change in law: low with "
                            "regulatory true, per TAXONOMY.md's 'low (+regulatory)'.",
                        )
                    ],
                ),
                Clause(
                    "This Agreement sets out the complete understanding of the parties and "
                    "replaces any earlier agreement between them for the same services. No "
                    "amendment will be effective unless it is in writing and signed by both "
                    "parties.",
                    "Integration",
                ),
            ],
        ),
        Clause(
            "If any provision of this Agreement is held invalid or unenforceable, the remaining "
            "provisions shall continue in full force and effect.",
            "Severability",
        ),
        Clause(
            "The failure of either party to insist on strict performance of any provision shall "
            "not be construed as a waiver of that provision or of any other provision.",
            "Waiver",
        ),
        pick(
            rng,
            [
                Clause(
                    "The relationship between {P} and {V} is that of independent contractors. "
                    "Nothing in this Agreement shall be construed to create an employment, agency, "
                    "partnership or joint venture relationship, and {V} retains sole "
                    "responsibility for the medical care rendered to {M}.",
                    "Independent Contractors",
                ),
                Clause(
                    "{V} is an independent contractor. {P} does not practice medicine and shall "
                    "not control the professional judgment of {V} or its practitioners.",
                    "Relationship of the Parties",
                ),
            ],
        ),
        Clause(
            "Neither party shall be liable for delay or failure in performance caused by events "
            "beyond its reasonable control, including natural disasters, epidemics, acts of "
            "government and failures of public utilities.",
            "Force Majeure",
        ),
        Clause(
            "Notices under this Agreement shall be in writing and delivered by hand, by "
            "nationally recognized overnight courier or by certified mail, return receipt "
            "requested, to the address set forth beneath the receiving party's signature or to "
            "such other address as a party designates by notice.",
            "Notices",
        ),
        Clause(
            "This Agreement may be executed in counterparts, each of which is an original and "
            "all of which together are one instrument. Electronic signatures shall have the "
            "same effect as original signatures.",
            "Counterparts",
        ),
    ]
    return [law, *rest]


def compliance(rng: random.Random) -> list[Clause]:
    return [
        pick(
            rng,
            [
                Clause(
                    "{V} shall comply with all federal and state laws applicable to the services "
                    "it furnishes, including laws prohibiting discrimination on the basis of race, "
                    "color, national origin, sex, age, disability or source of payment.",
                    "Compliance with Law; Non-Discrimination",
                ),
                Clause(
                    "Each party will perform its obligations in compliance with applicable law. "
                    "{V} will not discriminate against any {m} in the provision of services on any "
                    "basis prohibited by law, including health status or the {m}'s enrollment in a "
                    "public program.",
                    "Legal Compliance",
                ),
            ],
        )
    ]
