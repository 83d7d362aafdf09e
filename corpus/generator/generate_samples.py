"""Write the sample contracts and their ground truth.

    python -m corpus.generator.generate_samples [--out corpus/samples] [--only NAME ...]

Every page number in the ground truth is read back from the built PDF (pdfplumber, body area),
never assumed; a passage that cannot be found exactly once stops the run. Table rows are found
by the text of their first printed line (a wrapped description continues below it), phone-book
rows by each code and its fee.

Scans come last: a contract with a ``ScanPlan`` has those pages of its PDF replaced by office
scans (``scan.py``), after the pages of its ground truth were read from the digital text; and
each contract in ``TWINS`` is also written fully scanned, as ``NAME_scanned``, with the same
ground truth. ``source.scanned_pages`` lists the image-only pages.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import importlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import PASSAGE, check_finding
from .layout import render_contract, row_keys
from .locate import Locator, PageTexts, normalise, read_pages
from .model import (
    CATEGORIES,
    CODE_TYPES,
    METHODOLOGIES,
    PERCENT_OF,
    PRODUCT_LINES,
    RATE_NOTES,
    SETTINGS,
    UNITS,
    Contract,
    Para,
    Rate,
    ScanPlan,
    Table,
)
from .scan import ScanLook, scan_pdf, text_chars

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

# Samples also written as a scan of every page: digital name -> how its pages went through the
# scanner. The twin is named NAME_scanned and shares the digital sample's ground truth.
TWINS = {
    "physician_group_ppo_agreement": ScanPlan(rotate=((3, 90),)),
}


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


def _rate_row(
    r: Rate, page: int, default_product: str | None, context: bool = False
) -> dict[str, Any]:
    for value, allowed in (
        (r.code_type, CODE_TYPES),
        (r.methodology, METHODOLOGIES),
        (r.percent_of, PERCENT_OF),
        (r.unit, UNITS),
        (r.setting, SETTINGS),
        (r.note, RATE_NOTES),
    ):
        if value is not None and value not in allowed:
            raise ValueError(f"rate {r.description!r}: {value!r} not in {allowed}")
    if r.amount is None and r.percent is None and r.note is None:
        raise ValueError(f"rate {r.description!r}: no amount, percent or note")
    if r.note is not None and (r.amount is not None or r.percent is not None):
        raise ValueError(f"rate {r.description!r}: a priced row has no note")
    if r.effective_date is not None:
        dt.date.fromisoformat(r.effective_date)
    row = {
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
    if context:  # the exhibit context the sample corpus records (RATE_ROWS.md)
        del row["page"]
        row.update(setting=r.setting, effective_date=r.effective_date, note=r.note, page=page)
    elif r.setting or r.effective_date or r.note:
        raise ValueError(f"rate {r.description!r}: setting/effective_date/note need context")
    return row


def contract_to_sample(c: Contract, *, rate_context: bool = False) -> Sample:
    """Build ``c`` and its ground truth. ``rate_context`` adds each rate row's ``setting``,
    ``effective_date`` and ``note``, the source's ``scanned_pages`` and the annotated
    categories (the sample corpus);
    without it the output keeps the earlier shape the holdout sets were written in."""
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
            # A finding is matched to the next ``[[ ]]`` marker, unless it names its passage
            # itself (``common.also``: a second category resting on an already marked sentence).
            passages = block.marked_passages()
            marked = [f for f in block.findings if PASSAGE not in f.facts]
            if len(passages) != len(marked):
                raise ValueError(
                    f"{c.name}: {len(passages)} marked passages, "
                    f"{len(marked)} marked findings in {body[:60]!r}"
                )
            next_marker = iter(passages)
            for f in block.findings:
                passage = f.facts.get(PASSAGE) or next(next_marker)
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
                rates.append(_rate_row(r, where.page, default_product, rate_context))
        elif isinstance(block, Table) and block.rates:
            if len(block.rates) != len(block.rows):
                raise ValueError(f"{c.name}: table rates not aligned with rows")
            keys = row_keys(block, c.font, c.font_size)
            for i in range(len(block.rows)):
                row_rates = block.row_rates(i)
                if i in block.section_rows and row_rates:
                    raise ValueError(f"{c.name}: section row {block.rows[i][0]!r} has a rate")
                for r in row_rates:
                    page = loc.locate(r.anchor or keys[i]).page
                    rates.append(_rate_row(r, page, default_product, rate_context))
    for line in c.product_lines:
        if line not in PRODUCT_LINES:
            raise ValueError(f"{c.name}: unknown product line {line!r}")
    source: dict[str, Any] = {
        "path": f"corpus/samples/{c.name}.pdf",
        "pages": pages,
        "ocr_pages": [],
        "media_type": "application/pdf",
    }
    if rate_context:
        source["scanned_pages"] = []
    truth = {
        "schema_version": 1,
        "source": source,
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
    if rate_context:
        # The sample corpus is annotated for the whole taxonomy; the holdout sets (older shape)
        # only for the first four categories, which is what the evaluation assumes without this.
        truth["annotated_categories"] = list(CATEGORIES)
    if normalise(c.title) not in texts.full[0]:
        raise ValueError(f"{c.name}: title not printed on page 1")
    return Sample(c.name, pdf, truth)


def _page_with(texts: PageTexts, marker: str, what: str) -> int:
    needle = normalise(marker)
    hits = [i + 1 for i, t in enumerate(texts.full) if needle in t]
    if len(hits) != 1:
        raise ValueError(f"scan {what} {marker!r} is printed on pages {hits}, not on one page")
    return hits[0]


def scan_pages(pdf: bytes, plan: ScanPlan) -> list[int]:
    """The pages a plan scans, found by the texts printed on its first and last page."""
    texts = read_pages(pdf)
    first = _page_with(texts, plan.start, "start") if plan.start else 1
    last = _page_with(texts, plan.end, "end") if plan.end else texts.pages
    if last < first:
        raise ValueError(f"scan ends (page {last}) before it starts (page {first})")
    return list(range(first, last + 1))


def scanned(s: Sample, plan: ScanPlan, name: str | None = None) -> Sample:
    """``s`` with the pages of ``plan`` scanned; with ``name``, a twin under that name."""
    name = name or s.name
    pages = scan_pages(s.pdf, plan)
    pdf = scan_pdf(s.pdf, pages, seed=name, rotate=dict(plan.rotate), look=ScanLook(dpi=plan.dpi))
    chars = text_chars(pdf)
    if len(chars) != s.truth["source"]["pages"]:
        raise RuntimeError(f"{name}: scanning changed the page count")
    empty = [i + 1 for i, n in enumerate(chars) if n == 0]
    if empty != pages:
        raise RuntimeError(f"{name}: pages without text {empty}, scanned {pages}")
    truth = copy.deepcopy(s.truth)
    truth["source"]["path"] = f"corpus/samples/{name}.pdf"
    truth["source"]["scanned_pages"] = pages
    if name != s.name:  # a twin: evaluation compares its clause scores with the original's
        truth["source"]["twin_of"] = f"corpus/samples/{s.name}.pdf"
    return Sample(name, pdf, truth)


def build_samples(only: list[str] | None = None) -> list[Sample]:
    """Build every sample (or those named in ``only``; a contract's name also builds its
    scanned twin), scans included."""
    samples = []
    for c in load_contracts():
        twin_name = f"{c.name}_scanned" if c.name in TWINS else None
        names = {c.name} | ({twin_name} if twin_name else set())
        wanted = names if not only else names & set(only)
        if only and c.name in only:
            wanted = names
        if not wanted:
            continue
        digital = contract_to_sample(c, rate_context=True)
        if c.name in wanted:
            samples.append(scanned(digital, c.scan) if c.scan else digital)
        if twin_name in wanted:
            if c.scan:
                raise ValueError(f"{c.name}: a twin is scanned from a fully digital sample")
            twin = scanned(digital, TWINS[c.name], twin_name)
            twin.truth["notes"] += (
                f" This copy was scanned on an office scanner, every page an image without a "
                f"text layer ({_turns(TWINS[c.name])}); its ground truth is that of "
                f"{c.name}.pdf, page for page."
            )
            samples.append(twin)
    return samples


def _turns(plan: ScanPlan) -> str:
    if not plan.rotate:
        return "all pages upright"
    how = {90: "sideways", 270: "sideways", 180: "upside down"}
    return ", ".join(f"page {p} fed in {how[d % 360]}" for p, d in plan.rotate)


def write_sample(s: Sample, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{s.name}.pdf").write_bytes(s.pdf)
    (out / f"{s.name}.json").write_text(
        json.dumps(s.truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def generate(out: Path, only: list[str] | None = None) -> list[Sample]:
    samples = build_samples(only)
    for s in samples:
        write_sample(s, out)
    return samples


def summary(samples: list[Sample]) -> str:
    """Per sample: pages, findings, categories, rate rows, scanned pages; then per category:
    findings, samples and severities (a fully scanned twin repeats its digital sample's findings
    and is left out of the category totals)."""
    lines = [f"{'sample':44} pages findings categories  rates  scanned"]
    total: Counter = Counter()
    in_samples: Counter = Counter()
    severity: dict[str, Counter] = {c: Counter() for c in CATEGORIES}
    for s in samples:
        found = s.truth["findings"]
        n = Counter(f["category"] for f in found)
        if s.truth["source"].get("scanned_pages") != list(range(1, s.truth["source"]["pages"] + 1)):
            total.update(n)
            in_samples.update(set(n))
            for f in found:
                severity[f["category"]][f["severity"]] += 1
        lines.append(
            f"{s.name:44} {s.truth['source']['pages']:5} {len(found):8} {len(n):10}"
            f"  {len(s.truth['rates']):5}  " + _ranges(s.truth["source"].get("scanned_pages", []))
        )
    lines.append(f"{'total':44} {'':5} {sum(total.values()):8}")
    lines += ["", f"{'category':30} findings samples  high medium  low"]
    for c in CATEGORIES:
        sev = severity[c]
        counts = f"{sev['high']:5} {sev['medium']:6} {sev['low']:4}"
        lines.append(f"{c:30} {total[c]:8} {in_samples[c]:7} {counts}")
    missing = [c for c in CATEGORIES if not total[c]]
    if missing:
        lines.append(f"not exercised by any sample: {', '.join(missing)}")
    return "\n".join(lines)


def _ranges(pages: list[int]) -> str:
    if not pages:
        return "-"
    return f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else str(pages[0])


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
