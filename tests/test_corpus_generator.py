"""The sample-contract corpus: ground-truth schema, citations against the PDFs, reproducibility."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from corpus.generator.common import policy_severity
from corpus.generator.generate_samples import generate
from corpus.generator.long_contract import build_long_contract
from corpus.generator.model import Finding

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpus" / "samples"
NAMES = sorted(p.stem for p in SAMPLES.glob("*.pdf"))

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
BASES = {
    "payer_fee_schedule",
    "reasonable_and_customary",
    "payer_discretion",
    "benchmark_unspecified",
    "percent_of_charges_default",
    "third_party_vendor_schedule",
}
RATE_KEYS = {
    "code",
    "code_type",
    "modifier",
    "description",
    "methodology",
    "amount",
    "percent",
    "percent_of",
    "unit",
    "product_line",
    "page",
}
CODE_TYPES = {"CPT", "HCPCS", "REV", "MS-DRG", "APC", "OTHER", None}
METHODOLOGIES = {
    "fee_schedule",
    "percent_of_benchmark",
    "per_diem",
    "case_rate",
    "drg",
    "apc",
    "capitation",
    "conversion_factor",
    "stop_loss",
    "other",
}
PERCENT_OF = {"medicare", "medicaid", "billed_charges", "payer_fee_schedule", "other", None}
UNITS = {"per_service", "per_diem", "per_case", "per_unit", "pmpm", None}

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def page_lines(name: str) -> tuple[tuple[str, ...], ...]:
    """Text lines of each page of a sample PDF, as pdfplumber reads them."""
    with pdfplumber.open(SAMPLES / f"{name}.pdf") as pdf:
        return tuple(tuple((p.extract_text() or "").splitlines()) for p in pdf.pages)


def page_text(name: str, page: int) -> str:
    return norm(" ".join(page_lines(name)[page - 1]))


def body_text(name: str, page: int) -> str:
    """Page text minus running headers/footers: lines recurring (digits aside) on half the pages."""
    pages = page_lines(name)
    key = lambda line: re.sub(r"\d+", "#", norm(line))  # noqa: E731
    counts = Counter(k for lines in pages for k in {key(x) for x in lines})
    repeated = {k for k, n in counts.items() if len(pages) > 1 and n >= len(pages) / 2}
    return norm(" ".join(x for x in pages[page - 1] if key(x) not in repeated))


def is_iso(value) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def add_months_minus_day(start: dt.date, months: int) -> dt.date:
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, start.day) - dt.timedelta(days=1)


def test_corpus_is_complete():
    assert len(NAMES) >= 9
    jsons = sorted(p.stem for p in SAMPLES.glob("*.json"))
    assert jsons == NAMES, "every sample PDF needs a ground-truth JSON and vice versa"


@pytest.mark.parametrize("name", NAMES)
def test_ground_truth_schema(name):
    gt = truth(name)
    assert set(gt) == {"schema_version", "source", "contract", "findings", "rates", "notes"}
    assert gt["schema_version"] == 1
    assert isinstance(gt["notes"], str)
    src = gt["source"]
    assert src == {
        "path": f"corpus/samples/{name}.pdf",
        "pages": len(page_lines(name)),
        "ocr_pages": [],
        "media_type": "application/pdf",
    }

    c = gt["contract"]
    assert set(c) == {
        "title",
        "payer",
        "provider",
        "effective_date",
        "expiration_date",
        "initial_term_months",
        "product_lines",
    }
    assert c["title"] and norm(c["title"]) in page_text(name, 1)
    for party in ("payer", "provider"):
        assert c[party] is None or norm(c[party]) in page_text(name, 1)
    assert is_iso(c["effective_date"])
    assert c["expiration_date"] is None or is_iso(c["expiration_date"])
    assert c["initial_term_months"] is None or isinstance(c["initial_term_months"], int)
    if c["initial_term_months"] and c["expiration_date"]:
        start = dt.date.fromisoformat(c["effective_date"])
        end = add_months_minus_day(start, c["initial_term_months"])
        assert c["expiration_date"] == end.isoformat()
    assert c["product_lines"] and set(c["product_lines"]) <= PRODUCT_LINES

    for f in gt["findings"]:
        assert set(f) == {"category", "severity", "page", "section", "text", "fields"}
        assert f["category"] in CATEGORY_FIELDS
        assert f["severity"] in {"high", "medium", "low"}
        assert isinstance(f["page"], int) and 1 <= f["page"] <= src["pages"]
        assert f["section"] is None or (isinstance(f["section"], str) and f["section"])
        assert isinstance(f["text"], str) and f["text"] == norm(f["text"]) and len(f["text"]) >= 40
        assert set(f["fields"]) == CATEGORY_FIELDS[f["category"]]
        x = f["fields"]
        if f["category"] == "vague_reimbursement":
            assert x["basis"] in BASES
        if f["category"] == "audit_provision":
            assert isinstance(x["extrapolation"], bool)
        for k in ("initial_term_months", "renewal_term_months", "notice_days", "lookback_months"):
            assert x.get(k) is None or (isinstance(x[k], int) and x[k] > 0)
    per_category = Counter(f["category"] for f in gt["findings"])
    assert all(n <= 3 for n in per_category.values())

    for r in gt["rates"]:
        assert set(r) == RATE_KEYS
        assert r["code"] is None or (r["code"] == r["code"].upper() and " " not in r["code"])
        assert r["code_type"] in CODE_TYPES and r["methodology"] in METHODOLOGIES
        assert r["percent_of"] in PERCENT_OF and r["unit"] in UNITS
        assert r["amount"] is not None or r["percent"] is not None
        assert r["product_line"] is None or r["product_line"] in c["product_lines"]
        assert isinstance(r["page"], int) and 1 <= r["page"] <= src["pages"]


@pytest.mark.parametrize("name", NAMES)
def test_cited_text_is_on_cited_page(name):
    gt = truth(name)
    for f in gt["findings"]:
        page = f["page"]
        assert f["text"][:60] in page_text(name, page), (f["category"], page, f["text"][:60])
        # A clause may run onto the next page; the whole passage must be there, headers aside.
        following = body_text(name, page + 1) if page < gt["source"]["pages"] else ""
        assert f["text"] in norm(body_text(name, page) + " " + following), f["text"][:60]


@pytest.mark.parametrize("name", NAMES)
def test_rate_rows_are_on_their_pages(name):
    for r in truth(name)["rates"]:
        text = page_text(name, r["page"])
        if r["code"]:
            assert r["code"] in text, r
        if r["amount"] is not None:
            printed = [f"{r['amount']:,.2f}"]
            if r["amount"] == int(r["amount"]):
                printed.append(f"{r['amount']:,.0f}")
            assert any(p in text for p in printed), r
        if r["percent"] is not None and r["methodology"] in {"percent_of_benchmark", "stop_loss"}:
            assert f"({r['percent']:g}%)" in text, r


def test_corpus_coverage():
    findings = [(n, f) for n in NAMES for f in truth(n)["findings"]]
    counts = Counter(f["category"] for _, f in findings)
    assert counts["evergreen_renewal"] >= 12
    assert counts["vague_reimbursement"] >= 12
    assert counts["audit_provision"] >= 12
    assert counts["recoupment_offset"] >= 8
    for category in CATEGORY_FIELDS:
        severities = {f["severity"] for _, f in findings if f["category"] == category}
        assert len(severities) >= 2, category
    benign = [
        n
        for n in NAMES
        if not any(f["category"] == "evergreen_renewal" for f in truth(n)["findings"])
        and all(
            f["severity"] == "low"
            for f in truth(n)["findings"]
            if f["category"] == "audit_provision"
        )
    ]
    assert len(benign) >= 2
    assert any(truth(n)["contract"]["payer"] is None for n in NAMES), "a redacted sample"


def test_some_cited_clause_runs_across_a_page_break():
    crossing = [
        f for n in NAMES for f in truth(n)["findings"] if f["text"] not in body_text(n, f["page"])
    ]
    assert crossing


@pytest.mark.parametrize(
    "fields,facts,expected",
    [
        ({"initial_term_months": 36, "renewal_term_months": 12, "notice_days": 90}, {}, "medium"),
        ({"initial_term_months": 36, "renewal_term_months": 12, "notice_days": 60}, {}, "high"),
        ({"initial_term_months": 12, "renewal_term_months": 12, "notice_days": 120}, {}, "high"),
        ({"initial_term_months": 12, "renewal_term_months": 12, "notice_days": None}, {}, "medium"),
        (
            {"initial_term_months": 12, "renewal_term_months": 12, "notice_days": 90},
            {"rates_frozen": True},
            "high",
        ),
        (
            {"initial_term_months": None, "renewal_term_months": None, "notice_days": 90},
            {"indefinite": True, "without_cause_days": 90},
            "low",
        ),
    ],
)
def test_evergreen_severity_policy(fields, facts, expected):
    assert policy_severity(Finding("evergreen_renewal", expected, fields, facts)) == expected


@pytest.mark.slow
def test_regenerating_gives_identical_files(tmp_path):
    generate(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".json"})
    assert made == committed
    for file_name in made:
        assert (tmp_path / file_name).read_bytes() == (SAMPLES / file_name).read_bytes(), file_name


def test_long_contract_has_the_pages_asked_for(tmp_path):
    path = tmp_path / "long.pdf"
    build_long_contract(path, pages=20)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 20
        text = pdf.pages[9].extract_text() or ""
    assert len(text) > 1500, "pages should be mostly text"
