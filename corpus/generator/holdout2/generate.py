"""Write the second holdout set and its ground truth.

    python -m corpus.generator.holdout2.generate [--out corpus/holdout2] [--only NAME ...]

Pages are read back from the built PDF (pdfplumber, body area), never assumed. Besides the checks
of the sample generator (each marked passage found exactly once, severity matches the policy),
this driver re-reads every PDF and checks that each cited text starts on its cited page, that every
declared trap is printed exactly once and is cited by no finding, and that the contract fields are
consistent (title / parties on page 1, expiration = effective + term - 1 day).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .. import holdout_driver as driver
from ..generate_samples import Sample
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
    return driver.load(__package__, MODULES, only)


_pages = driver.read_pages


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
    return driver.build_samples(load(only), SOURCE_DIR, verify)


def generate(out: Path = DEFAULT_OUT, only: list[str] | None = None) -> list[Sample]:
    return driver.write_samples(build_samples(only), out)


def main(argv: list[str] | None = None) -> int:
    return driver.main(__doc__ or "", DEFAULT_OUT, generate, argv)


if __name__ == "__main__":
    sys.exit(main())
