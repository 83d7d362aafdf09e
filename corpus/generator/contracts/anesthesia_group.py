"""Anesthesia group agreement: conversion-factor rates by product, incl. a workers' comp network."""

from __future__ import annotations

import random

from .. import boilerplate as bp
from ..common import (
    also,
    amendment,
    audit,
    evergreen,
    finding,
    money,
    rate,
    recoup,
    rng_for,
    vague,
    without_cause,
)
from ..draft import Article, Clause, InlineParen, PlainNumbers, Terms, render_articles, resolve_refs
from ..model import Contract, Heading, PageBreak, Para, Running, Signature, Table, Title

NAME = "anesthesia_group_agreement"
PAYER = "Great Lakes Mutual Health Company"
PROVIDER = "Northern Shores Anesthesia Partners, S.C."
TITLE = "Anesthesia Services Provider Agreement"

CONVERSION_FACTORS = [
    ("Great Lakes Choice PPO", "commercial_ppo", 68.50),
    ("Great Lakes Direct EPO", "commercial_epo", 66.00),
    ("Great Lakes Flex POS", "commercial_pos", 68.50),
    ("Great Lakes CompCare (workers' compensation)", "workers_comp", 74.00),
]
MODIFIERS = [
    ("AA", "Anesthesia personally performed by anesthesiologist", "100%"),
    ("QK", "Medical direction of 2-4 concurrent procedures", "50%"),
    ("QX", "CRNA service with medical direction", "50%"),
    ("QZ", "CRNA service without medical direction", "100%"),
]


def _articles(rng: random.Random) -> list[Article]:
    defs = bp.definitions(
        rng,
        ["Clean Claim", "Covered Services", "Member", "Medically Necessary", "Provider Manual"],
        {
            "Anesthesia Services": (
                "general, regional and monitored anesthesia care furnished by "
                "Provider's anesthesiologists and certified registered nurse "
                "anesthetists at the facilities listed in Exhibit B."
            ),
            "Injured Worker": (
                "an individual whose medical care is payable under a workers' "
                "compensation policy insured or administered by Company."
            ),
        },
    )
    return [
        Article("Definitions", [Clause(d) for d in defs]),
        Article(
            "Services and Participation",
            [
                Clause(
                    "Provider shall furnish Anesthesia Services to Members and Injured Workers at "
                    "the participating hospitals and ambulatory surgery centers listed in Exhibit "
                    "B and shall maintain sufficient staff to cover all scheduled and emergency "
                    "cases at those facilities."
                ),
                Clause(
                    "Provider shall participate in the products listed in Exhibit A. [[Provider's "
                    "participation in Great Lakes CompCare is subject to the workers' compensation "
                    "laws of the State of Wisconsin, which control over this Agreement to the "
                    "extent of any conflict.]]",
                    findings=[
                        finding(
                            "order_of_precedence",
                            "low",
                            manual_prevails=False,
                            note="Judgement call: statute over agreement for the workers' "
                            "compensation product is read as an order-of-precedence term (low).",
                        )
                    ],
                ),
                Clause(
                    "Provider shall notify Company within five (5) business days of any change in "
                    "the facilities at which it furnishes Anesthesia Services."
                ),
                Clause(
                    "[[Provider shall follow the administrative procedures in Company's Provider "
                    "Manual and reimbursement policies, which Company may modify upon thirty (30) "
                    "days' notice posted on its provider website.]] [[If the Provider Manual "
                    "conflicts with this Agreement on a matter of claims administration, the "
                    "Provider Manual shall control.]]",
                    findings=[
                        amendment("high", 30, "manual", manual_prevails=True),
                        finding("order_of_precedence", "high", manual_prevails=True),
                    ],
                ),
                *bp.compliance(rng),
            ],
        ),
        Article("Credentialing", bp.credentialing(rng)),
        Article(
            "Claims",
            [
                *bp.claims_submission(rng, "ninety (90) days", "thirty (30) days"),
                Clause(
                    "Provider shall report anesthesia time in minutes, from the time the "
                    "anesthesia practitioner begins to prepare the patient for anesthesia until "
                    "the practitioner is no longer in personal attendance, and shall append the "
                    "applicable anesthesia modifier to each claim line."
                ),
                Clause(
                    "[[Company may recover overpayments by reducing subsequent payments to "
                    "Provider without prior notice.]] The remittance advice will identify the "
                    "claim to which each reduction relates.",
                    findings=[recoup("high", None, prior_notice=False)],
                ),
                *bp.hold_harmless(rng),
                Clause(
                    "[[Company applies code-editing software to anesthesia claims, consistent "
                    "with the ASA Relative Value Guide and the CMS National Correct Coding "
                    "Initiative. Company shall give Provider at least sixty (60) days' written "
                    "notice before implementing a new edit that reduces payment and shall "
                    "explain the logic of any edit on request.]]",
                    findings=[finding("claims_editing", "medium", source="noticed")],
                ),
                Clause(
                    "[[Company shall pay claims for Anesthesia Services furnished to Injured "
                    "Workers promptly after it accepts compensability of the injury, within the "
                    "time allowed by the Wisconsin workers' compensation rules.]]",
                    findings=[
                        finding(
                            "prompt_payment",
                            "high",
                            {"days": None},
                            note="Workers' compensation claims: 'promptly', no number of days "
                            "(high).",
                        )
                    ],
                ),
                Clause(
                    "[[Company shall not pay for Anesthesia Services furnished for a surgical or "
                    "other invasive procedure performed on the wrong patient or the wrong body "
                    "part, or for a procedure other than the one the patient consented to.]] "
                    "Services for the correct procedure performed afterwards are payable.",
                    findings=[finding("never_events_hac", "low")],
                ),
                Clause(
                    "[[If a Member has other health coverage that is primary, Company pays its "
                    "normal benefit under the Member's plan less the amount paid by the primary "
                    "plan, and nothing if the primary plan paid as much or more.]] Services for "
                    "a work-related injury shall be billed first to the workers' compensation "
                    "carrier.",
                    findings=[
                        finding("coordination_of_benefits", "medium", method="non_duplication")
                    ],
                ),
            ],
        ),
        Article(
            "Audits",
            [
                Clause(
                    "[[Company may audit Provider's anesthesia records, including anesthesia time "
                    "records and medical direction documentation, for claims paid within two (2) "
                    "years before the audit, upon 14 days' written notice, and may "
                    "recover any amounts paid for services that the records do not support.]]",
                    findings=[audit("medium", 24, False, 14)],
                ),
                bp.payer_financial_audit(rng),
            ],
        ),
        Article(
            "Term and Termination",
            [
                Clause(
                    "[[The initial term of this Agreement is three (3) years from the Effective "
                    "Date. On each anniversary of the end of the initial term, this Agreement "
                    "shall be extended automatically for an additional one-year period unless "
                    "either party gives notice of non-renewal at least forty-five (45) days before "
                    "that anniversary.]]",
                    key="term",
                    findings=[evergreen("high", 36, 12, 45)],
                ),
                Clause(
                    "[[Either party may terminate this Agreement without cause upon one hundred "
                    "eighty (180) days' prior written notice, but no such termination shall take "
                    "effect before the end of the initial term.]]",
                    findings=[without_cause("medium", 180, payer_may=True)],
                ),
                Clause(
                    "Company may terminate the participation of an individual anesthesia "
                    "practitioner who fails to meet Company's credentialing standards, without "
                    "terminating this Agreement as to Provider's other practitioners."
                ),
            ],
        ),
        Article("Dispute Resolution", bp.disputes(rng, arbitration=True)),
        Article("Confidentiality", bp.confidentiality(rng)),
        Article("Insurance", bp.insurance(rng)),
        Article("Assignment", bp.assignment(rng)),
        Article("General", bp.general(rng, "Wisconsin")),
    ]


def _exhibits(refs: dict) -> list:
    t = Terms("Company", "Provider")
    cf_rows = [[name, money(cf)] for name, _, cf in CONVERSION_FACTORS]
    cf_rates = [
        rate(
            None,
            None,
            f"Anesthesia conversion factor - {name}",
            "conversion_factor",
            amount=cf,
            unit="per_unit",
            product_line=line,
            setting="professional",
        )
        for name, line, cf in CONVERSION_FACTORS
    ]
    arts = [
        Article(
            "",
            [
                Clause(
                    "Anesthesia Services shall be paid as (base units + time units) multiplied by "
                    "the conversion factor for the Member's product shown below. Base units are "
                    "those assigned by the American Society of Anesthesiologists Relative Value "
                    "Guide in effect on the date of service; one time unit is allowed for each "
                    "fifteen (15) minutes of anesthesia time, with partial units calculated to one "
                    "decimal place."
                ),
                Table(
                    ["Product", "Conversion Factor per Unit"],
                    cf_rows,
                    [330, 138],
                    rates=cf_rates,
                    align_right=(1,),
                    caption="Conversion Factors",
                ),
                Clause(
                    "The amount determined under paragraph 1 is multiplied by the percentage shown "
                    "below for the modifier reported on the claim line."
                ),
                Table(
                    ["Modifier", "Description", "Percentage"],
                    [list(m) for m in MODIFIERS],
                    [60, 320, 88],
                    align_right=(2,),
                    ruled=False,
                ),
                Clause(
                    "[[The conversion factors in this Exhibit A shall remain in effect until "
                    "modified by a written amendment signed by both parties.]]",
                    findings=[
                        evergreen(
                            "high",
                            36,
                            None,
                            None,
                            rates_frozen=True,
                            note="Rate evergreen: conversion factors continue until "
                            "replaced by mutual amendment, including in extension "
                            "years.",
                        ),
                        also(
                            finding("rate_escalator", "high", {"percent": None}, kind="freeze"),
                            "The conversion factors in this Exhibit A shall remain in effect "
                            "until modified by a written amendment signed by both parties.",
                        ),
                    ],
                ),
                Clause(
                    "[[Pain management procedures and other services that are not Anesthesia "
                    "Services shall be reimbursed at Company's standard professional fee schedule "
                    "in effect on the date of service.]]",
                    findings=[vague("high", "payer_fee_schedule")],
                ),
                Clause(
                    "[[Anesthesia services for which the ASA Relative Value Guide assigns no base "
                    "units shall be paid at a rate established by Company.]]",
                    findings=[
                        vague("high", "payer_discretion"),
                        also(
                            finding("non_priced_codes", "medium", payer_sets=True),
                            "Anesthesia services for which the ASA Relative Value Guide assigns "
                            "no base units shall be paid at a rate established by Company.",
                        ),
                    ],
                ),
                Clause(
                    "[[Provider shall not disclose the conversion factors in this Exhibit A to "
                    "any facility, other health plan or anesthesia billing company, other than "
                    "the billing agent that prepares Provider's claims to Company.]]",
                    findings=[
                        finding(
                            "confidentiality",
                            "medium",
                            law_exception=False,
                            note="Rate-confidentiality term in the exhibit with no "
                            "required-by-law exception (medium); the general confidentiality "
                            "article has one (low).",
                        )
                    ],
                ),
            ],
        )
    ]
    return [
        PageBreak(),
        Heading("EXHIBIT A\nPRODUCTS AND COMPENSATION - PROFESSIONAL ANESTHESIA SERVICES"),
        *render_articles(arts, PlainNumbers(), t, refs=refs),
        Heading("EXHIBIT B\nPARTICIPATING FACILITIES"),
        Table(
            ["Facility", "City"],
            [
                ["Lakeview Memorial Hospital", "Green Bay, Wisconsin"],
                ["Bayshore Surgery Center", "Green Bay, Wisconsin"],
                ["Door Peninsula Regional Hospital", "Sturgeon Bay, Wisconsin"],
            ],
            [300, 168],
        ),
    ]


def build() -> Contract:
    rng = rng_for(NAME)
    t = Terms("Company", "Provider")
    refs: dict[str, str] = {}
    blocks = [
        Title(TITLE),
        Para(
            f'{PAYER}, a Wisconsin mutual insurance company ("Company"), and {PROVIDER}, a '
            f'Wisconsin service corporation ("Provider"), enter into this {TITLE} (the '
            '"Agreement") effective February 1, 2024 (the "Effective Date").'
        ),
    ]
    blocks += [Para(t.fill(x)) for x in bp.RECITALS[1]]
    blocks += render_articles(_articles(rng), InlineParen(), t, refs=refs)
    blocks.append(Signature([("COMPANY", PAYER), ("PROVIDER", PROVIDER)]))
    blocks += _exhibits(refs)
    resolve_refs(blocks, refs)
    return Contract(
        name=NAME,
        title=TITLE,
        payer=PAYER,
        provider=PROVIDER,
        effective_date="2024-02-01",
        expiration_date="2027-01-31",
        initial_term_months=36,
        product_lines=["commercial_ppo", "commercial_epo", "commercial_pos", "workers_comp"],
        blocks=blocks,
        running=Running(
            header_left="GLMHC Anesthesia Services Provider Agreement",
            header_right="Rev. 11/2023",
            footer_right="{page}/{pages}",
            footer_left="Confidential - Do Not Distribute",
        ),
        font="Helvetica",
        font_size=9.5,
        notes="Sections printed as '8(a)'. Conversion factors differ by product, so each rate row "
        "carries its own product_line (incl. workers_comp). The modifier percentage table "
        "is not a rate table (no rate rows). Extension notice is 45 days before each "
        "anniversary (high). Recoupment without prior notice (high). Trap: audit of "
        "Company's financial statements."
        " Every TAXONOMY.md category is annotated. Clauses written for the full taxonomy: 2(d) "
        "Provider Manual and reimbursement policies changed on 30 days' website notice, the "
        "Manual controlling in a conflict (unilateral_amendment high + order_of_precedence "
        "high), 4(f) code-editing software with 60 days' notice of new edits (claims_editing "
        "medium), 4(g) workers' compensation claims paid 'promptly', no days (prompt_payment "
        "high), 4(h) wrong-patient / wrong-site surgery not paid (never_events_hac), 4(i) "
        "non-duplication COB (medium) and Exhibit A paragraph 6 (conversion factors may not be "
        "disclosed, no required-by-law exception: confidentiality medium). Exhibit A "
        "paragraph 3 is both the rate evergreen and rate_escalator (freeze); paragraph 5 is "
        "both vague_reimbursement and non_priced_codes (medium). Judgement calls: 2(b) "
        "(Wisconsin workers' compensation law controls over the Agreement) is "
        "order_of_precedence, low; 6(c) removal of a practitioner who fails credentialing "
        "standards is a for-cause removal, not credentialing or termination_without_cause. "
        "Traps: 3(b) recredentialing and licence renewal, the medical-direction modifier "
        "percentages of Exhibit A paragraph 2 (payment method, not claims_editing), 8(b) "
        "HIPAA only, 11(b) amendment only by a signed writing.",
    )
