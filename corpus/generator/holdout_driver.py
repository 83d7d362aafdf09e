"""What both holdout generators share: loading contract modules, reading a built PDF back,
building and writing samples, and the command line. Each holdout keeps its own checks."""

from __future__ import annotations

import argparse
import importlib
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pdfplumber

from .generate_samples import Sample, contract_to_sample, summary, write_sample
from .layout import BODY_BOX
from .locate import normalise

Verify = Callable[[Sample, list[str]], None]


def load(package: str, modules: Sequence[str], only: list[str] | None = None) -> list[Any]:
    out = []
    for name in modules:
        if only and name not in only:
            continue
        mod = importlib.import_module(f"{package}.{name}")
        assert name == mod.NAME, (mod.NAME, name)
        out.append(mod.build())
    return out


def read_pages(pdf: bytes) -> tuple[list[str], list[str]]:
    """Each page's whole text and its body text (inside the running header and footer)."""
    full, body = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            full.append(normalise(page.extract_text() or ""))
            crop = page.crop((BODY_BOX.x0, BODY_BOX.top, BODY_BOX.x1, BODY_BOX.bottom))
            body.append(normalise(crop.extract_text() or ""))
    return full, body


def build_samples(holdouts: list[Any], source_dir: str, verify: Verify) -> list[Sample]:
    samples = []
    for h in holdouts:
        s = contract_to_sample(h.contract)
        s.truth["source"]["path"] = f"{source_dir}/{h.contract.name}.pdf"
        verify(s, h.traps)
        samples.append(s)
    return samples


def write_samples(samples: list[Sample], out: Path) -> list[Sample]:
    for s in samples:
        write_sample(s, out)
    return samples


def main(
    doc: str,
    default_out: Path,
    generate: Callable[[Path, list[str] | None], list[Sample]],
    argv: list[str] | None = None,
) -> int:
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--out", type=Path, default=default_out, help="output folder")
    ap.add_argument("--only", nargs="*", help="contract names to build (default: all)")
    args = ap.parse_args(argv)
    samples = generate(args.out, args.only)
    print(summary(samples))
    print(f"wrote {2 * len(samples)} files to {args.out}")
    return 0
