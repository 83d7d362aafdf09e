"""Write the holdout contracts and their ground truth.

    python -m corpus.generator.holdout.generate [--out corpus/holdout] [--only NAME ...]

Pages are read back from the built PDF (pdfplumber, body area), never assumed. Besides the
checks the sample generator makes (each marked passage found exactly once, severity matches the
policy), this driver re-reads the written PDF and checks that every cited text is on its cited
page, and that every declared trap is printed exactly once and is not cited by any finding.
"""

from __future__ import annotations

import argparse
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
DEFAULT_OUT = REPO_ROOT / "corpus" / "holdout"

MODULES = (  # one module per contract, named like its output files
    "regional_health_system_blue_plan_agreement",
    "outpatient_dialysis_services_agreement",
    "urgent_care_network_agreement",
    "medicare_advantage_snp_participation_agreement",
    "orthopaedic_rate_amendment",
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


def verify(s: Sample, traps: list[str]) -> None:
    """Independent read-back of the built PDF against its ground truth."""
    full, body = _pages(s.pdf)
    assert s.truth["source"]["pages"] == len(full), s.name
    c = s.truth["contract"]
    for value in (c["title"], c["payer"], c["provider"]):
        if value is not None and normalise(value) not in full[0]:
            raise AssertionError(f"{s.name}: {value!r} not on page 1")
    for f in s.truth["findings"]:
        page = f["page"]
        if f["text"][:60] not in full[page - 1]:
            raise AssertionError(f"{s.name}: start of cited text not on page {page}: {f['text']}")
        following = body[page] if page < len(body) else ""
        if f["text"] not in normalise(body[page - 1] + " " + following):
            raise AssertionError(f"{s.name}: cited text not on page {page}(+1): {f['text']}")
    stream = " ".join(body)
    for trap in traps:
        t = normalise(trap)
        if stream.count(t) != 1:
            raise AssertionError(f"{s.name}: trap printed {stream.count(t)} times: {t!r}")
        for f in s.truth["findings"]:
            if t in f["text"]:
                raise AssertionError(f"{s.name}: trap cited by a finding: {t!r}")
    for r in s.truth["rates"]:
        if not 1 <= r["page"] <= len(full):
            raise AssertionError(f"{s.name}: rate page out of range: {r}")


def build_samples(only: list[str] | None = None) -> list[Sample]:
    samples = []
    for h in load(only):
        s = contract_to_sample(h.contract)
        s.truth["source"]["path"] = f"corpus/holdout/{h.contract.name}.pdf"
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
    ap.add_argument("--only", nargs="*", help="holdout names to build (default: all)")
    args = ap.parse_args(argv)
    samples = generate(args.out, args.only)
    print(summary(samples))
    print(f"wrote {2 * len(samples)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
