"""Write the holdout contracts and their ground truth.

    python -m corpus.generator.holdout.generate [--out corpus/holdout] [--only NAME ...]

Pages are read back from the built PDF (pdfplumber, body area), never assumed. Besides the
checks the sample generator makes (each marked passage found exactly once, severity matches the
policy), this driver re-reads the written PDF and checks that every cited text is on its cited
page, and that every declared trap is printed exactly once and is not cited by any finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import holdout_driver as driver
from ..generate_samples import Sample
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
    return driver.load(__package__, MODULES, only)


_pages = driver.read_pages


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
    return driver.build_samples(load(only), "corpus/holdout", verify)


def generate(out: Path = DEFAULT_OUT, only: list[str] | None = None) -> list[Sample]:
    return driver.write_samples(build_samples(only), out)


def main(argv: list[str] | None = None) -> int:
    return driver.main(__doc__ or "", DEFAULT_OUT, generate, argv)


if __name__ == "__main__":
    sys.exit(main())
