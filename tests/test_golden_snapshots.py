"""Snapshots of every sample's findings and key terms, so any change in output shows as a diff.

Regenerate only on purpose: ``PAYERLENS_UPDATE_GOLDEN=1 pytest tests/test_golden_snapshots.py``,
review the diff, commit. The flag test below fails while the flag is set, so a regenerating
run can never pass silently.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from extractor.analyzer import Analyzer
from extractor.serialize import result_to_dict
from tests.conftest import REPO, SAMPLES

GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("PAYERLENS_UPDATE_GOLDEN") == "1"
CORPORA = [SAMPLES, REPO / "corpus" / "holdout", REPO / "corpus" / "holdout2"]


def _snapshot(result: dict[str, Any]) -> dict[str, Any]:
    keep = ("category", "severity", "page", "section", "rule_id", "fields", "text")
    return {
        "contract": result["contract"],
        "findings": [{k: f[k] for k in keep} for f in result["findings"]],
        "errors": result["errors"],
    }


PDFS = sorted(p for corpus in CORPORA for p in corpus.glob("*.pdf"))


@pytest.mark.parametrize("pdf", PDFS, ids=[f"{p.parent.name}/{p.stem}" for p in PDFS])
def test_snapshot(analyzer: Analyzer, pdf: Path) -> None:
    actual = _snapshot(result_to_dict(analyzer.analyze_path(pdf)))
    path = GOLDEN / pdf.parent.name / f"{pdf.stem}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no snapshot for {pdf}; run with PAYERLENS_UPDATE_GOLDEN=1"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected


def test_update_flag_is_off() -> None:
    assert not UPDATE, "PAYERLENS_UPDATE_GOLDEN is set: snapshots were rewritten, not checked"
