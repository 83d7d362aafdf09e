"""Write the sample contracts and their ground truth.

    python -m corpus.generator.generate_samples [--out corpus/samples] [--only NAME ...]

Every page number in the ground truth is read back from the built PDF (pdfplumber, body area),
never assumed; a passage that cannot be found exactly once stops the run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import check_finding
from .layout import render_contract
from .locate import Locator, normalise, read_pages
from .model import (
    CATEGORIES,
    CODE_TYPES,
    METHODOLOGIES,
    PERCENT_OF,
    PRODUCT_LINES,
    UNITS,
    Contract,
    Para,
    Rate,
    Table,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "corpus" / "samples"

CONTRACT_MODULES = (
    "acute_care_hospital",
    "physician_group_ppo",
    "ambulatory_surgery_center",
    "clinical_laboratory",
    "medicare_advantage",
    "medicaid_mco",
    "behavioral_health",
    "exchange_narrow_network",
    "redacted_snf",
    "anesthesia_group",
)


@dataclass(frozen=True)
class Sample:
    name: str
    pdf: bytes
    truth: dict[str, Any]


def load_contracts(only: list[str] | None = None) -> Iterator[Contract]:
    for mod_name in CONTRACT_MODULES:
        mod = importlib.import_module(f"{__package__}.contracts.{mod_name}")
        if only and mod.NAME not in only and mod_name not in only:
            continue
        yield mod.build()


def _rate_row(r: Rate, page: int, default_product: str | None) -> dict[str, Any]:
    for value, allowed in (
        (r.code_type, CODE_TYPES),
        (r.methodology, METHODOLOGIES),
        (r.percent_of, PERCENT_OF),
        (r.unit, UNITS),
    ):
        if value is not None and value not in allowed:
            raise ValueError(f"rate {r.description!r}: {value!r} not in {allowed}")
    return {
        "code": r.code.upper() if r.code else None,
        "code_type": r.code_type,
        "modifier": r.modifier,
        "description": r.description,
        "methodology": r.methodology,
        "amount": r.amount,
        "percent": r.percent,
        "percent_of": r.percent_of,
        "unit": r.unit,
        "product_line": r.product_line or default_product,
        "page": page,
    }


def contract_to_sample(c: Contract) -> Sample:
    pdf, pages = render_contract(c)
    texts = read_pages(pdf)
    if texts.pages != pages:
        raise RuntimeError(
            f"{c.name}: reportlab made {pages} pages, pdfplumber reads {texts.pages}"
        )
    loc = Locator(texts)
    findings: list[dict[str, Any]] = []
    rates: list[dict[str, Any]] = []
    notes: list[str] = [c.notes] if c.notes else []
    # A single-product agreement prices that product; otherwise null = every product line.
    default_product = c.product_lines[0] if len(c.product_lines) == 1 else None
    for block in c.blocks:
        if isinstance(block, Para):
            body = block.clean_text()
            if "<<" in body or "[[" in body or "]]" in body:
                raise ValueError(f"{c.name}: unresolved markup in {body[:80]!r}")
            passages = block.marked_passages()
            if len(passages) != len(block.findings):
                raise ValueError(
                    f"{c.name}: {len(passages)} marked passages, "
                    f"{len(block.findings)} findings in {body[:60]!r}"
                )
            for passage, f in zip(passages, block.findings, strict=True):
                check_finding(f)
                where = loc.locate_within(body, passage)
                findings.append(
                    {
                        "category": f.category,
                        "severity": f.severity,
                        "page": where.page,
                        "section": block.section,
                        "text": normalise(passage),
                        "fields": dict(f.fields),
                    }
                )
                if where.crosses_page:
                    where_printed = block.section or "(unnumbered)"
                    notes.append(
                        f"The {f.category} clause in section {where_printed} "
                        f"starts on page {where.page} and continues on the next page."
                    )
                if f.note:
                    notes.append(f"{f.category} on page {where.page}: {f.note}")
            for r in block.rates:
                if not r.anchor:
                    raise ValueError(f"{c.name}: prose rate {r.description!r} has no anchor")
                where = loc.locate_within(body, r.anchor)
                rates.append(_rate_row(r, where.page, default_product))
        elif isinstance(block, Table) and block.rates:
            if len(block.rates) != len(block.rows):
                raise ValueError(f"{c.name}: table rates not aligned with rows")
            for i, r in enumerate(block.rates):
                if r is not None:
                    rates.append(_rate_row(r, loc.locate(block.row_text(i)).page, default_product))
    for line in c.product_lines:
        if line not in PRODUCT_LINES:
            raise ValueError(f"{c.name}: unknown product line {line!r}")
    truth = {
        "schema_version": 1,
        "source": {
            "path": f"corpus/samples/{c.name}.pdf",
            "pages": pages,
            "ocr_pages": [],
            "media_type": "application/pdf",
        },
        "contract": {
            "title": c.title,
            "payer": c.payer,
            "provider": c.provider,
            "effective_date": c.effective_date,
            "expiration_date": c.expiration_date,
            "initial_term_months": c.initial_term_months,
            "product_lines": list(c.product_lines),
        },
        "findings": findings,
        "rates": rates,
        "notes": " ".join(notes),
    }
    if normalise(c.title) not in texts.full[0]:
        raise ValueError(f"{c.name}: title not printed on page 1")
    return Sample(c.name, pdf, truth)


def write_sample(s: Sample, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{s.name}.pdf").write_bytes(s.pdf)
    (out / f"{s.name}.json").write_text(
        json.dumps(s.truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def generate(out: Path, only: list[str] | None = None) -> list[Sample]:
    samples = [contract_to_sample(c) for c in load_contracts(only)]
    for s in samples:
        write_sample(s, out)
    return samples


def summary(samples: list[Sample]) -> str:
    short = {
        "evergreen_renewal": "evg",
        "vague_reimbursement": "vague",
        "audit_provision": "audit",
        "recoupment_offset": "recoup",
    }
    lines = [f"{'sample':44} pages " + " ".join(f"{short[c]:>6}" for c in CATEGORIES) + "  rates"]
    total: Counter = Counter()
    for s in samples:
        n = Counter(f["category"] for f in s.truth["findings"])
        total.update(n)
        lines.append(
            f"{s.name:44} {s.truth['source']['pages']:5} "
            + " ".join(f"{n[c]:6}" for c in CATEGORIES)
            + f"  {len(s.truth['rates']):5}"
        )
    lines.append(f"{'total':44} {'':5} " + " ".join(f"{total[c]:6}" for c in CATEGORIES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--only", nargs="*", help="sample names to build (default: all)")
    args = ap.parse_args(argv)
    samples = generate(args.out, args.only)
    print(summary(samples))
    print(f"wrote {2 * len(samples)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
