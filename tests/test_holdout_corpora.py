"""Both holdout sets: schema, citations against the PDFs, and byte-identical regeneration."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

REPO = Path(__file__).resolve().parents[1]
# folder -> (generator package, minimum findings per category over the set)
SETS = {"holdout": ("corpus.generator.holdout", 3), "holdout2": ("corpus.generator.holdout2", 6)}
CASES = [(s, p.stem) for s in SETS for p in sorted((REPO / "corpus" / s).glob("*.pdf"))]

CATEGORY_FIELDS = {
    "evergreen_renewal": {"initial_term_months", "renewal_term_months", "notice_days"},
    "vague_reimbursement": {"basis"},
    "audit_provision": {"lookback_months", "extrapolation", "notice_days"},
    "recoupment_offset": {"lookback_months"},
}
PRODUCT_LINES = {
    "commercial_hmo",
    "commercial_ppo",
    "commercial_epo",
    "commercial_pos",
    "medicare_advantage",
    "medicaid_managed_care",
    "exchange",
    "workers_comp",
    "other",
}
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def names(folder: str) -> list[str]:
    return [n for s, n in CASES if s == folder]


def truth(folder: str, name: str) -> dict:
    return json.loads((REPO / "corpus" / folder / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def page_lines(folder: str, name: str) -> tuple[tuple[str, ...], ...]:
    with pdfplumber.open(REPO / "corpus" / folder / f"{name}.pdf") as pdf:
        return tuple(tuple((p.extract_text() or "").splitlines()) for p in pdf.pages)


def page_text(folder: str, name: str, page: int) -> str:
    return norm(" ".join(page_lines(folder, name)[page - 1]))


def body_text(folder: str, name: str, page: int) -> str:
    """Page text minus running headers/footers (lines recurring on half the pages)."""
    pages = page_lines(folder, name)
    key = lambda line: re.sub(r"\d+", "#", norm(line))  # noqa: E731
    counts = Counter(k for lines in pages for k in {key(x) for x in lines})
    repeated = {k for k, n in counts.items() if len(pages) > 1 and n >= len(pages) / 2}
    return norm(" ".join(x for x in pages[page - 1] if key(x) not in repeated))


@pytest.mark.parametrize("folder", SETS)
def test_set_is_complete_and_regenerates_byte_identical(folder):
    package = SETS[folder][0]
    generate = importlib.import_module(f"{package}.generate")
    assert sorted(generate.MODULES) == names(folder)
    home = REPO / "corpus" / folder
    assert sorted(p.stem for p in home.glob("*.json")) == names(folder)
    for s in generate.build_samples():
        assert (home / f"{s.name}.pdf").read_bytes() == s.pdf, s.name
        text = json.dumps(s.truth, indent=2, ensure_ascii=False) + "\n"
        assert (home / f"{s.name}.json").read_text(encoding="utf-8") == text, s.name


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_ground_truth_schema(folder, name):
    gt = truth(folder, name)
    assert set(gt) == {"schema_version", "source", "contract", "findings", "rates", "notes"}
    assert gt["schema_version"] == 1
    assert gt["source"] == {
        "path": f"corpus/{folder}/{name}.pdf",
        "pages": len(page_lines(folder, name)),
        "ocr_pages": [],
        "media_type": "application/pdf",
    }
    c = gt["contract"]
    first = page_text(folder, name, 1)
    assert norm(c["title"]) in first
    for party in (c["payer"], c["provider"]):  # null only in a redacted contract
        assert party is None or norm(party) in first
    assert (c["payer"] is None) == (c["provider"] is None) == name.startswith("redacted_")
    start = dt.date.fromisoformat(c["effective_date"])
    if c["initial_term_months"]:
        y, m = divmod(start.month - 1 + c["initial_term_months"], 12)
        end = dt.date(start.year + y, m + 1, start.day) - dt.timedelta(days=1)
        assert c["expiration_date"] == end.isoformat()
    assert c["product_lines"] and set(c["product_lines"]) <= PRODUCT_LINES
    for f in gt["findings"]:
        assert set(f) == {"category", "severity", "page", "section", "text", "fields"}
        assert set(f["fields"]) == CATEGORY_FIELDS[f["category"]]
        assert f["severity"] in {"high", "medium", "low"}
        assert f["text"] == norm(f["text"]) and len(f["text"]) >= 40
        assert f["section"] is None or (isinstance(f["section"], str) and f["section"])
    assert all(n <= 3 for n in Counter(f["category"] for f in gt["findings"]).values())
    for r in gt["rates"]:
        assert r["amount"] is not None or r["percent"] is not None
        assert r["product_line"] is None or r["product_line"] in c["product_lines"]
        assert 1 <= r["page"] <= gt["source"]["pages"]


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_cited_text_is_on_cited_page(folder, name):
    gt = truth(folder, name)
    for f in gt["findings"]:
        page = f["page"]
        on_page = page_text(folder, name, page)
        assert f["text"][:60] in on_page, (f["category"], page, f["text"][:60])
        following = body_text(folder, name, page + 1) if page < gt["source"]["pages"] else ""
        here = body_text(folder, name, page)
        assert f["text"] in norm(here + " " + following), f["text"][:60]


@pytest.mark.parametrize("folder", SETS)
def test_mix_of_findings(folder):
    per_contract = {
        n: Counter(f["category"] for f in truth(folder, n)["findings"]) for n in names(folder)
    }
    benign = [n for n, c in per_contract.items() if c["evergreen_renewal"] == 0]
    assert benign, "need a benign contract"
    total = sum(per_contract.values(), Counter())
    assert all(total[c] >= SETS[folder][1] for c in CATEGORY_FIELDS), total
    severities = Counter(
        (f["category"], f["severity"]) for n in names(folder) for f in truth(folder, n)["findings"]
    )
    for category in CATEGORY_FIELDS:
        assert {s for (c, s) in severities if c == category} == {"high", "medium", "low"}
