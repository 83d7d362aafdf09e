"""Write the second holdout set and its ground truth.

    python -m corpus.generator.holdout2.generate [--out corpus/holdout2] [--only NAME ...]

Pages are read back from the built PDF (pdfplumber, body area), never assumed. Besides the checks
of the sample generator (each marked passage found exactly once, severity matches the policy),
this driver re-reads every PDF and checks that each cited text starts on its cited page, that every
declared trap is printed exactly once and is cited by no finding, and that the contract fields are
consistent (title / parties on page 1, expiration = effective + term - 1 day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import sys
from pathlib import Path

import pdfplumber

from ..generate_samples import Sample, contract_to_sample, summary, write_sample
from ..layout import BODY_BOX
from ..locate import normalise
from .kit import Holdout

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = REPO_ROOT / "corpus" / "holdout2"
SOURCE_DIR = "corpus/holdout2"

MODULES = (  # one module per contract, named like its output files
    "childrens_hospital_medicaid_agreement",
    "fqhc_participation_agreement",
    "dme_supplier_agreement",
    "radiology_imaging_benefit_agreement",
    "redacted_infusion_pharmacy_agreement",
    "ppo_network_access_agreement",
)


def load(only: list[str] | None = None) -> list[Holdout]:
    out = []
    for name in MODULES:
        if only and name not in only:
            continue
        mod = importlib.import_module(f"{__package__}.{name}")
        assert name == mod.NAME, (mod.NAME, name)
        out.append(mod.build())
    return out


def _pages(pdf: bytes) -> tuple[list[str], list[str]]:
    full, body = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            full.append(normalise(page.extract_text() or ""))
            crop = page.crop((BODY_BOX.x0, BODY_BOX.top, BODY_BOX.x1, BODY_BOX.bottom))
            body.append(normalise(crop.extract_text() or ""))
    return full, body


def _term_end(start: str, months: int) -> str:
    d = dt.date.fromisoformat(start)
    y, m = divmod(d.month - 1 + months, 12)
    return (dt.date(d.year + y, m + 1, d.day) - dt.timedelta(days=1)).isoformat()


def verify(s: Sample, traps: list[str]) -> None:
    """Independent read-back of the built PDF against its ground truth."""
    full, body = _pages(s.pdf)
    assert s.truth["source"]["pages"] == len(full), s.name
    c = s.truth["contract"]
    for value in (c["title"], c["payer"], c["provider"]):
        if value is not None and normalise(value) not in full[0]:
            raise AssertionError(f"{s.name}: {value!r} not on page 1")
    if c["initial_term_months"] is not None:
        want = _term_end(c["effective_date"], c["initial_term_months"])
        if c["expiration_date"] != want:
            raise AssertionError(f"{s.name}: expiration {c['expiration_date']} != {want}")
    elif c["expiration_date"] is not None:
        raise AssertionError(f"{s.name}: expiration without a term")
    for f in s.truth["findings"]:
        page = f["page"]
        if len(f["text"]) < 40:
            raise AssertionError(f"{s.name}: cited text too short: {f['text']!r}")
        if f["text"][:60] not in full[page - 1]:
            raise AssertionError(f"{s.name}: start of cited text not on page {page}: {f['text']}")
        following = body[page] if page < len(body) else ""
        if f["text"] not in normalise(body[page - 1] + " " + following):
            raise AssertionError(f"{s.name}: cited text not on page {page}(+1): {f['text']}")
    stream = " ".join(body)
    for trap in traps:
        tr = normalise(trap)
        if stream.count(tr) != 1:
            raise AssertionError(f"{s.name}: trap printed {stream.count(tr)} times: {tr!r}")
        for f in s.truth["findings"]:
            if tr in f["text"] or f["text"] in tr:
                raise AssertionError(f"{s.name}: trap overlaps a finding: {tr!r}")
    for r in s.truth["rates"]:
        if not 1 <= r["page"] <= len(full):
            raise AssertionError(f"{s.name}: rate page out of range: {r}")
        if r["amount"] is None and r["percent"] is None:
            raise AssertionError(f"{s.name}: rate without amount or percent: {r}")


def build_samples(only: list[str] | None = None) -> list[Sample]:
    samples = []
    for h in load(only):
        s = contract_to_sample(h.contract)
        s.truth["source"]["path"] = f"{SOURCE_DIR}/{h.contract.name}.pdf"
        verify(s, h.traps)
        samples.append(s)
    return samples


def generate(out: Path = DEFAULT_OUT, only: list[str] | None = None) -> list[Sample]:
    samples = build_samples(only)
    for s in samples:
        write_sample(s, out)
    return samples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--only", nargs="*", help="contract names to build (default: all)")
    args = ap.parse_args(argv)
    samples = generate(args.out, args.only)
    print(summary(samples))
    print(f"wrote {2 * len(samples)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
