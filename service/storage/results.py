"""Write one analysis — contract, run, findings, rate rows — in the caller's transaction.

The caller (the job worker) commits once, so a failure stores nothing half-done; the unique
``analysis_run.job_id`` makes a second store of the same job fail instead of duplicating.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from sqlmodel import Session, select

from extractor.deadlines import compute_deadlines, renewal_terms
from extractor.model import AnalysisResult
from extractor.serialize import result_to_dict
from service.storage import audit
from service.storage.models import (
    AnalysisRun,
    Contract,
    Document,
    Finding,
    Job,
    RateRow,
    Review,
    utcnow,
)

EXTRACTOR_VERSION = "0.1.0"


def clause_key(category: str, text: str) -> str:
    """The same clause in two analyses (or two versions of a contract): category plus its
    words, case and spacing folded."""
    words = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.sha256(f"{category}|{words}".encode()).hexdigest()


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def store_analysis(
    session: Session,
    *,
    job: Job,
    document: Document,
    result: AnalysisResult,
    model_version: str | None,
    today: date,
) -> AnalysisRun:
    """Create or update the contract from ``result`` and add the run with its findings and
    rate rows. Review states carry over from earlier findings of the same contract and clause.
    """
    contract_id = job.target_contract_id or document.contract_id
    contract = session.get(Contract, contract_id) if contract_id else None
    if contract is None or contract.org_id != job.org_id:
        contract = Contract(org_id=job.org_id)
        session.add(contract)
    if document.contract_id != contract.id:
        document.contract_id = contract.id
        versions = session.exec(
            select(Document.version).where(Document.contract_id == contract.id)
        ).all()
        document.version = max((v or 0 for v in versions), default=0) + 1
        session.add(document)

    terms = result.contract
    renewal = renewal_terms(result.findings)
    deadlines = compute_deadlines(terms, renewal, today)
    contract.title = terms.title or contract.title or document.filename
    contract.payer = terms.payer
    contract.provider = terms.provider
    contract.product_lines = list(terms.product_lines)
    contract.effective_date = terms.effective_date
    contract.expiration_date = terms.expiration_date
    contract.initial_term_months = terms.initial_term_months
    contract.auto_renews = renewal.auto_renews
    contract.renewal_term_months = renewal.renewal_term_months
    contract.notice_days = renewal.notice_days
    contract.term_end = deadlines.term_end
    contract.notice_deadline = deadlines.notice_deadline
    contract.renegotiation_start = deadlines.renegotiation_start
    contract.renegotiation_end = deadlines.renegotiation_end
    contract.updated_at = utcnow()

    payload = result_to_dict(result)
    payload["source"]["path"] = document.filename
    run = AnalysisRun(
        org_id=job.org_id,
        document_id=document.id,
        contract_id=contract.id,
        job_id=job.id,
        status=result.status.value,
        ruleset_version=result.ruleset_version,
        model_version=model_version,
        extractor_version=EXTRACTOR_VERSION,
        result=payload,
    )
    session.add(run)
    contract.current_document_id = document.id
    contract.current_run_id = run.id
    session.add(contract)

    reviewed = _latest_review_states(session, contract.id)
    for ordinal, f in enumerate(result.findings):
        key = clause_key(f.category, f.text)
        session.add(
            Finding(
                org_id=job.org_id,
                run_id=run.id,
                contract_id=contract.id,
                ordinal=ordinal,
                category=f.category,
                severity=f.severity.value,
                page=f.page,
                section=f.section,
                text=f.text,
                fields=payload["findings"][ordinal]["fields"],
                rule_id=f.rule_id,
                confidence=f.confidence,
                model_score=f.model_score,
                explanation=f.explanation,
                clause_key=key,
                review_state=reviewed.get(key, "open"),
            )
        )
    for ordinal, (r, data) in enumerate(zip(result.rates, payload["rates"], strict=True)):
        session.add(
            RateRow(
                org_id=job.org_id,
                run_id=run.id,
                contract_id=contract.id,
                ordinal=ordinal,
                code=r.code,
                code_type=data.get("code_type"),
                methodology=data.get("methodology"),
                amount=_float(data.get("amount")),
                percent=_float(data.get("percent")),
                unit=data.get("unit"),
                product_line=data.get("product_line"),
                page=r.page,
                data=data,
            )
        )
    job.contract_id = contract.id
    job.run_id = run.id
    session.add(job)
    audit.record(
        session,
        org_id=job.org_id,
        user_id=job.created_by,
        action="analysis.stored",
        target_type="contract",
        target_id=contract.id,
        run_id=run.id,
        document_id=document.id,
        findings=len(result.findings),
        rates=len(result.rates),
        status=result.status.value,
    )
    return run


def _latest_review_states(session: Session, contract_id: str) -> dict[str, str]:
    rows = session.exec(
        select(Review.clause_key, Review.decision)
        .where(Review.contract_id == contract_id)
        .order_by(Review.created_at)  # type: ignore[arg-type]
    ).all()
    return {key: decision for key, decision in rows}
