"""The template-comparison sample pair: a standard template and a payer draft derived from it.

    python -m corpus.generator.compare_pair [--out corpus/compare]

Writes ``standard_template.pdf``, ``draft.pdf`` and ``expected.json`` (the label each clause
should get from ``payerlens compare``, keyed by its section on each side). Both PDFs come from
one list of clause specs, so the expected labels are true by construction.

The draft is printed on the payer's paper: another font, ``ARTICLE IV - COMPENSATION`` headings
and ``Section 4.2`` labels instead of ``4.2``, so every line wraps differently and every label is
printed differently; none of that is a change. What does change:

* value only: claim-filing window (the tricky one: "one hundred eighty (180)" becomes "ninety
  (90)", words and numeral together), the annual escalator percent, the without-cause notice
  days, the insurance limits (money);
* substance: the reimbursement benchmark (Medicare becomes Plan's commercial fee schedule; every
  number is kept), the audit clause (shorter notice *and* a fraud exception), and amendment by
  mutual written agreement becomes amendment by Plan on thirty days' notice;
* added: an all-products clause and an offset clause; missing: interest on late payment;
* moved: the confidentiality clause leaves its own article for the end of General Provisions;
  removing and inserting clauses renumbers many others, and two cross-references follow the
  renumbering ("Section 4.6" becomes "Section 4.5"), which is not a change either.

Deterministic: no randomness, and the layout engine writes byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .draft import (
    Article,
    ArticleDecimal,
    Clause,
    Numbering,
    SectionDecimal,
    Terms,
    render_articles,
    resolve_refs,
)
from .layout import render_contract
from .model import Block, Contract, Para, Running, Signature, Title

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "corpus" / "compare"
TEMPLATE_FILE = "standard_template.pdf"
DRAFT_FILE = "draft.pdf"
EXPECTED_FILE = "expected.json"

PAYER = "Summit Valley Health Plan, Inc."
TITLE = "Participating Provider Agreement"
LABELS = ("standard", "value_changed", "substance_changed", "added", "missing")


@dataclass(frozen=True)
class Spec:
    """One clause: its text in the template and in the draft (None where it is absent)."""

    key: str
    caption: str | None
    template: str | None
    draft: str | None
    label: str
    note: str = ""
    value_changes: tuple[tuple[str, str, str], ...] = field(default=())  # (from, to, kind)

    @staticmethod
    def same(key: str, caption: str | None, text: str, note: str = "") -> Spec:
        return Spec(key, caption, text, text, "standard", note)


SPECS: tuple[Spec, ...] = (
    # ------------------------------------------------------------------ definitions
    Spec.same(
        "def_clean_claim",
        None,
        '"Clean Claim" means a claim for Covered Services that has no defect or impropriety, '
        "includes all substantiating documentation required by this Agreement, and requires no "
        "special treatment that would prevent timely payment.",
    ),
    Spec.same(
        "def_covered_services",
        None,
        '"Covered Services" means the Medically Necessary health care services and supplies that '
        "a Member is entitled to receive under the terms of the Member's health benefit plan.",
    ),
    Spec.same(
        "def_member",
        None,
        '"Member" means an individual who is enrolled in and eligible to receive benefits under '
        "a health benefit plan issued or administered by Plan.",
    ),
    Spec.same(
        "def_provider_manual",
        None,
        '"Provider Manual" means the administrative guide published by Plan that describes its '
        "claims, referral, utilization management and quality procedures.",
    ),
    # ------------------------------------------------------------------ participation
    Spec.same(
        "services",
        "Provision of Services",
        "Provider shall furnish Covered Services to Members within the scope of Provider's "
        "licensure, in the same manner and with the same availability as Provider furnishes "
        "services to its other patients.",
    ),
    Spec.same(
        "access",
        "Appointment Access",
        "Provider shall offer a Member who requests routine care an appointment within ten (10) "
        "business days, and a Member who requests urgent care an appointment within twenty-four "
        "(24) hours.",
    ),
    Spec(
        "all_products",
        "Participation in All Products",
        None,
        "Provider shall participate in every health benefit product that Plan offers or "
        "administers, including commercial, Medicare Advantage, Medicaid managed care and "
        "exchange products and any product Plan introduces after the Effective Date, and may not "
        "decline participation in any such product while this Agreement is in effect.",
        "added",
        "an all-products clause the template does not have",
    ),
    Spec.same(
        "non_discrimination",
        "Non-Discrimination",
        "Provider shall not discriminate against any Member on the basis of race, color, "
        "national origin, sex, age, disability, health status or source of payment.",
        "renumbered 2.3 -> 2.4 by the inserted all-products clause",
    ),
    # ------------------------------------------------------------------ credentialing
    Spec.same(
        "credentialing",
        "Credentialing",
        "Provider shall meet Plan's credentialing and recredentialing standards. Plan shall "
        "complete its review of a complete credentialing application within sixty (60) days "
        "after receiving it and shall notify Provider of its decision in writing.",
    ),
    Spec.same(
        "notice_of_changes",
        "Notice of Changes",
        "Provider shall notify Plan in writing within ten (10) days after any change in "
        "Provider's licensure, accreditation, ownership or professional liability coverage.",
    ),
    # ------------------------------------------------------------------ compensation
    Spec(
        "reimbursement",
        "Reimbursement",
        "Plan shall pay Provider for Covered Services the lesser of Provider's billed charges or "
        "one hundred ten percent (110%) of the Medicare fee schedule amount in effect on the "
        "date of service, less applicable Member cost-sharing.",
        "Plan shall pay Provider for Covered Services the lesser of Provider's billed charges or "
        "one hundred ten percent (110%) of Plan's commercial fee schedule amount in effect on "
        "the date of service, less applicable Member cost-sharing.",
        "substance_changed",
        "benchmark switched from Medicare to Plan's own fee schedule; every number is kept",
    ),
    Spec(
        "claims_submission",
        "Claims Submission",
        "Provider shall submit claims for Covered Services within one hundred eighty (180) days "
        "after the date of service or, for inpatient services, the date of discharge.",
        "Provider shall submit claims for Covered Services within ninety (90) days after the "
        "date of service or, for inpatient services, the date of discharge.",
        "value_changed",
        "number words and numeral change together, and the words change length",
        (("one hundred eighty (180) days", "ninety (90) days", "duration"),),
    ),
    Spec.same(
        "prompt_payment",
        "Prompt Payment",
        "Plan shall pay or deny each Clean Claim within thirty (30) days after receiving it and "
        "shall give Provider a written explanation of any denial.",
    ),
    Spec(
        "late_payment_interest",
        "Interest on Late Payment",
        "If Plan does not pay a Clean Claim within the period required by Section "
        "<<prompt_payment>>, Plan shall pay interest on the unpaid amount at the rate of one "
        "percent (1%) per month from the date payment was due until the date it is paid.",
        None,
        "missing",
        "the draft drops interest on late payment",
    ),
    Spec(
        "rate_adjustment",
        "Annual Rate Adjustment",
        "On each anniversary of the Effective Date, the rates payable under this Agreement shall "
        "increase by three percent (3%) over the rates in effect during the preceding contract "
        "year.",
        "On each anniversary of the Effective Date, the rates payable under this Agreement shall "
        "increase by two percent (2%) over the rates in effect during the preceding contract "
        "year.",
        "value_changed",
        "escalator percent lowered",
        (("three percent (3%)", "two percent (2%)", "percent"),),
    ),
    Spec.same(
        "hold_harmless",
        "Member Hold Harmless",
        "In no event, including non-payment by Plan or Plan's insolvency, shall Provider bill, "
        "charge or seek compensation from a Member for Covered Services, other than applicable "
        "cost-sharing. This Section survives termination of this Agreement.",
        "renumbered 4.6 -> 4.5 (interest clause removed)",
    ),
    Spec.same(
        "coordination_of_benefits",
        "Coordination of Benefits",
        "When a Member has coverage under more than one health benefit plan, Provider shall "
        "cooperate with Plan in coordinating benefits, and Plan shall pay as primary or "
        "secondary payer in accordance with applicable law.",
        "renumbered 4.7 -> 4.6",
    ),
    # ------------------------------------------------------------------ records and audits
    Spec.same(
        "records",
        "Medical Records",
        "Provider shall maintain complete medical and billing records for each Member for at "
        "least ten (10) years after the date of service and shall make them available to Plan "
        "and to government agencies as required by law.",
    ),
    Spec(
        "audits",
        "Audits",
        "Plan may audit Provider's claims paid within the twenty-four (24) months preceding the "
        "audit upon at least thirty (30) days' prior written notice. Audits shall be conducted "
        "during normal business hours at Provider's offices.",
        "Plan may audit Provider's claims paid within the twenty-four (24) months preceding the "
        "audit upon at least fifteen (15) days' prior written notice, except that no prior "
        "notice is required where Plan suspects fraud, waste or abuse. Audits shall be "
        "conducted during normal business hours at Provider's offices.",
        "substance_changed",
        "shorter notice (a value change) and a new fraud exception (substance): substance wins",
        (("thirty (30) days", "fifteen (15) days", "duration"),),
    ),
    Spec.same(
        "overpayments",
        "Overpayments",
        "If Plan determines that it has overpaid a claim, it shall notify Provider in writing "
        "and explain the basis for its determination. Provider may dispute the determination "
        "under Section <<informal_resolution>>, and any amount finally determined to be owed "
        "shall be repaid within sixty (60) days.",
        "its cross-reference follows the renumbered dispute clause (9.1 -> 8.1)",
    ),
    Spec(
        "offset",
        "Recovery by Offset",
        None,
        "Plan may recover any overpayment, or any other amount Provider owes to Plan, by "
        "offsetting it against payments due to Provider under this Agreement or any other "
        "agreement between Plan and Provider, without first obtaining Provider's consent.",
        "added",
        "an offset clause the template does not have",
    ),
    # ------------------------------------------------------------------ term
    Spec.same(
        "term",
        "Term",
        "This Agreement begins on the Effective Date and continues for an initial term of three "
        "(3) years. Thereafter it renews for successive one (1) year terms unless either party "
        "gives written notice of non-renewal at least ninety (90) days before the end of the "
        "current term.",
    ),
    Spec(
        "termination_without_cause",
        "Termination Without Cause",
        "Either party may terminate this Agreement without cause upon one hundred twenty (120) "
        "days' prior written notice to the other party.",
        "Either party may terminate this Agreement without cause upon ninety (90) days' prior "
        "written notice to the other party.",
        "value_changed",
        "notice days shortened",
        (("one hundred twenty (120) days", "ninety (90) days", "duration"),),
    ),
    Spec.same(
        "termination_for_cause",
        "Termination for Cause",
        "Either party may terminate this Agreement upon written notice if the other party "
        "materially breaches it and fails to cure the breach within thirty (30) days after "
        "receiving written notice describing it.",
    ),
    Spec.same(
        "continuation_of_care",
        "Continuation of Care",
        "Upon termination, Provider shall continue to furnish Covered Services to Members in an "
        "active course of treatment until the treatment is completed or the Member is "
        "transferred, and Section <<hold_harmless>> shall apply to those services.",
        "its cross-reference follows the renumbered hold-harmless clause (4.6 -> 4.5)",
    ),
    # ------------------------------------------------------------------ insurance
    Spec(
        "insurance",
        "Professional Liability Insurance",
        "Provider shall maintain professional liability insurance with limits of not less than "
        "one million dollars ($1,000,000) per claim and three million dollars ($3,000,000) in "
        "the aggregate.",
        "Provider shall maintain professional liability insurance with limits of not less than "
        "two million dollars ($2,000,000) per claim and five million dollars ($5,000,000) in "
        "the aggregate.",
        "value_changed",
        "higher insurance limits (money)",
        (
            ("one million dollars ($1,000,000)", "two million dollars ($2,000,000)", "money"),
            ("three million dollars ($3,000,000)", "five million dollars ($5,000,000)", "money"),
        ),
    ),
    # ------------------------------------------------------------------ confidentiality
    Spec.same(
        "confidentiality",
        "Confidentiality",
        "Each party shall keep the terms of this Agreement, including its rates, confidential "
        "and shall not disclose them to any third party except as required by law or to its "
        "attorneys, accountants and regulators.",
        "moved: its own article in the template, the last General Provision in the draft",
    ),
    # ------------------------------------------------------------------ disputes
    Spec.same(
        "informal_resolution",
        "Informal Resolution",
        "The parties shall attempt in good faith to resolve any dispute arising under this "
        "Agreement through discussions between their senior representatives for a period of "
        "sixty (60) days after either party gives written notice of the dispute.",
    ),
    Spec.same(
        "arbitration",
        "Arbitration",
        "A dispute that is not resolved informally shall be submitted to binding arbitration "
        "before a single arbitrator under the Commercial Arbitration Rules of the American "
        "Arbitration Association.",
    ),
    # ------------------------------------------------------------------ general
    Spec(
        "amendment",
        "Amendment",
        "This Agreement may be amended only by mutual written agreement of the parties, signed "
        "by an authorized representative of each party.",
        "Plan may amend this Agreement upon thirty (30) days' written notice to Provider, and "
        "Provider's continued participation after that period constitutes acceptance of the "
        "amendment.",
        "substance_changed",
        "mutual written agreement becomes unilateral amendment by Plan on notice",
    ),
    Spec.same(
        "assignment",
        "Assignment",
        "Neither party may assign this Agreement without the prior written consent of the other "
        "party, which shall not be unreasonably withheld.",
    ),
    Spec.same(
        "governing_law",
        "Governing Law",
        "This Agreement is governed by the laws of the State of Ohio, without regard to its "
        "conflict of laws principles.",
    ),
    Spec.same(
        "notices",
        "Notices",
        "Notices under this Agreement shall be in writing and delivered by hand, by nationally "
        "recognized overnight courier or by certified mail to the addresses set forth on the "
        "signature page.",
    ),
    Spec.same(
        "entire_agreement",
        "Entire Agreement",
        "This Agreement, including its exhibits, is the entire agreement of the parties on its "
        "subject and supersedes all prior agreements and understandings.",
    ),
)
BY_KEY = {s.key: s for s in SPECS}

_DEFS = ["def_clean_claim", "def_covered_services", "def_member", "def_provider_manual"]
_GENERAL = ["amendment", "assignment", "governing_law", "notices", "entire_agreement"]
TEMPLATE_ARTICLES: tuple[tuple[str, list[str]], ...] = (
    ("Definitions", _DEFS),
    ("Participation", ["services", "access", "non_discrimination"]),
    ("Credentialing", ["credentialing", "notice_of_changes"]),
    (
        "Compensation",
        [
            "reimbursement",
            "claims_submission",
            "prompt_payment",
            "late_payment_interest",
            "rate_adjustment",
            "hold_harmless",
            "coordination_of_benefits",
        ],
    ),
    ("Records and Audits", ["records", "audits", "overpayments"]),
    (
        "Term and Termination",
        ["term", "termination_without_cause", "termination_for_cause", "continuation_of_care"],
    ),
    ("Insurance", ["insurance"]),
    ("Confidentiality", ["confidentiality"]),
    ("Dispute Resolution", ["informal_resolution", "arbitration"]),
    ("General Provisions", _GENERAL),
)
DRAFT_ARTICLES: tuple[tuple[str, list[str]], ...] = (
    ("Definitions", _DEFS),
    ("Participation", ["services", "access", "all_products", "non_discrimination"]),
    ("Credentialing", ["credentialing", "notice_of_changes"]),
    (
        "Compensation",
        [
            "reimbursement",
            "claims_submission",
            "prompt_payment",
            "rate_adjustment",
            "hold_harmless",
            "coordination_of_benefits",
        ],
    ),
    ("Records and Audits", ["records", "audits", "overpayments", "offset"]),
    (
        "Term and Termination",
        ["term", "termination_without_cause", "termination_for_cause", "continuation_of_care"],
    ),
    ("Insurance", ["insurance"]),
    ("Dispute Resolution", ["informal_resolution", "arbitration"]),
    ("General Provisions", [*_GENERAL, "confidentiality"]),
)

PREAMBLE = (
    f'This {TITLE} (the "Agreement") is entered into as of the Effective Date stated on the '
    f'signature page by {PAYER} ("Plan") and the health care provider named on the signature '
    'page ("Provider").',
    "Plan arranges for health care services for Members of the health benefit plans it issues "
    "or administers, and Provider wishes to furnish those services to Members on the terms of "
    "this Agreement. The parties therefore agree as follows.",
)


def _articles(plan: tuple[tuple[str, list[str]], ...], draft: bool) -> list[Article]:
    articles = []
    for title, keys in plan:
        clauses = []
        for key in keys:
            spec = BY_KEY[key]
            text = spec.draft if draft else spec.template
            if text is None:
                raise ValueError(f"{key} has no {'draft' if draft else 'template'} text")
            clauses.append(Clause(text, caption=spec.caption, key=key))
        articles.append(Article(title, list(clauses)))
    return articles


def _blocks(
    plan: tuple[tuple[str, list[str]], ...], numbering: Numbering, draft: bool
) -> tuple[list[Block], dict[str, str]]:
    refs: dict[str, str] = {}
    blocks: list[Block] = [Title(TITLE)]
    blocks += [Para(p) for p in PREAMBLE]
    blocks += render_articles(
        _articles(plan, draft), numbering, Terms("Plan", "Provider"), refs=refs
    )
    blocks.append(Signature([("PLAN:", PAYER), ("PROVIDER:", "______________________________")]))
    return resolve_refs(blocks, refs), refs


def _contract(name: str, blocks: list[Block], running: Running, font: str) -> Contract:
    return Contract(
        name=name,
        title=TITLE,
        payer=PAYER,
        provider=None,
        effective_date="2026-01-01",
        expiration_date=None,
        initial_term_months=36,
        product_lines=["commercial_ppo"],
        blocks=blocks,
        running=running,
        font=font,
        font_size=10.0,
    )


def build_contracts() -> tuple[Contract, Contract, dict[str, str], dict[str, str]]:
    """(template, draft, template key -> section, draft key -> section)."""
    t_blocks, t_refs = _blocks(TEMPLATE_ARTICLES, ArticleDecimal(), draft=False)
    d_blocks, d_refs = _blocks(DRAFT_ARTICLES, SectionDecimal(), draft=True)
    template = _contract(
        "standard_template",
        t_blocks,
        Running(
            header_left="Summit Valley Health Plan",
            header_right="Standard Participating Provider Agreement (Form PPA-2026)",
            footer_center="Page {page} of {pages}",
        ),
        "Times-Roman",
    )
    draft = _contract(
        "draft",
        d_blocks,
        Running(
            header_right="DRAFT FOR DISCUSSION - Plan proposed revisions",
            footer_left="Confidential",
            footer_right="{page}",
        ),
        "Helvetica",
    )
    return template, draft, t_refs, d_refs


def expected(t_refs: dict[str, str], d_refs: dict[str, str]) -> dict[str, Any]:
    clauses = []
    for spec in SPECS:
        clauses.append(
            {
                "key": spec.key,
                "caption": spec.caption,
                "template_section": t_refs.get(spec.key),
                "draft_section": d_refs.get(spec.key),
                "label": spec.label,
                "value_changes": [
                    {"from": a, "to": b, "kind": kind} for a, b, kind in spec.value_changes
                ],
                "note": spec.note,
            }
        )
    counts = {label: sum(s.label == label for s in SPECS) for label in LABELS}
    return {
        "template": f"corpus/compare/{TEMPLATE_FILE}",
        "draft": f"corpus/compare/{DRAFT_FILE}",
        "notes": "Every clause of either document, keyed by its section on each side (null "
        "where absent). Paragraphs not listed (preamble, signature block) are identical.",
        "counts": counts,
        "clauses": clauses,
    }


def build_pair() -> dict[str, bytes]:
    """File name -> bytes, for the three files of the pair."""
    template, draft, t_refs, d_refs = build_contracts()
    t_pdf, _ = render_contract(template)
    d_pdf, _ = render_contract(draft)
    truth = json.dumps(expected(t_refs, d_refs), indent=2, ensure_ascii=False) + "\n"
    return {TEMPLATE_FILE: t_pdf, DRAFT_FILE: d_pdf, EXPECTED_FILE: truth.encode("utf-8")}


def write_pair(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in build_pair().items():
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = ap.parse_args(argv)
    for path in write_pair(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
