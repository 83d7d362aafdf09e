"""AnalysisResult to the schema-v1 JSON object (later versions extend it, never break it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from extractor.model import AnalysisResult, Finding, MedicareBenchmark, RateRow

SCHEMA_VERSION = 1


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "category": f.category,
        "severity": f.severity.value,
        "page": f.page,
        "section": f.section,
        "text": f.text,
        "fields": dict(f.fields),
        "rule_id": f.rule_id,
        "confidence": round(f.confidence, 3),
        "model_score": f.model_score,
        "explanation": f.explanation,
        "paragraph": f.paragraph,
    }


def rate_to_dict(r: RateRow) -> dict[str, Any]:
    return {
        "code": r.code,
        "code_type": r.code_type,
        "modifier": r.modifier,
        "description": r.description,
        "methodology": r.methodology,
        "amount": float(r.amount) if r.amount is not None else None,
        "percent": r.percent,
        "percent_of": r.percent_of,
        "unit": r.unit,
        "product_line": r.product_line,
        "setting": r.setting,
        "effective_date": _iso(r.effective_date),
        "note": r.note,
        "page": r.page,
        "section": r.section,
        "table": r.table,
        "row": r.row,
        "bbox": [round(v, 1) for v in r.bbox] if r.bbox else None,
        "problems": list(r.problems),
        "medicare": _medicare(r.medicare),
        "paragraph": r.paragraph,
    }


def _medicare(m: MedicareBenchmark | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "locality": m.locality,
        "amount": float(m.amount),
        "percent_of_medicare": round(m.percent_of_medicare, 2),
        "suspicious": m.suspicious,
    }


def result_to_dict(result: AnalysisResult) -> dict[str, Any]:
    c = result.contract
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": result.source.path,
            "sha256": result.source.sha256,
            "pages": result.source.pages,
            "ocr_pages": list(result.source.ocr_pages),
            "ocr_confidence": (
                round(result.source.ocr_confidence, 1)
                if result.source.ocr_confidence is not None
                else None
            ),
            "media_type": result.source.media_type,
        },
        "contract": {
            "title": c.title,
            "payer": c.payer,
            "provider": c.provider,
            "effective_date": _iso(c.effective_date),
            "expiration_date": _iso(c.expiration_date),
            "initial_term_months": c.initial_term_months,
            "product_lines": list(c.product_lines),
        },
        "findings": [finding_to_dict(f) for f in result.findings],
        "rates": [rate_to_dict(r) for r in result.rates],
        "errors": [{"code": p.code, "message": p.message} for p in result.problems],
    }
