"""Drafting kit for the second holdout set (helpers only, no clause wording).

A module's ``build()`` returns a :class:`Holdout`: the contract plus the *trap* passages it
deliberately prints (text that looks like a finding but is not one). The driver checks that every
trap is printed exactly once and that no finding cites it.

Clause text is written in triple-quoted strings; :func:`t` folds the line breaks into single
spaces, so what is stored is exactly what the PDF prints (whitespace-normalised).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from ..model import Contract, Finding, Heading, Para, Rate, Table

SEED = "payerlens-holdout-v2"
_WS = re.compile(r"\s+")


def rng_for(name: str) -> random.Random:
    """Seeded generator for the few cosmetic choices a contract makes (form numbers etc.)."""
    return random.Random(f"{SEED}:{name}")


def t(text: str) -> str:
    """Fold a triple-quoted clause into one line (single spaces)."""
    return _WS.sub(" ", text).strip()


@dataclass
class Holdout:
    contract: Contract
    traps: list[str] = field(default_factory=list)


def p(
    text: str,
    label: str | None = None,
    *,
    section: str | None = None,
    caption: str | None = None,
    findings: list[Finding] | None = None,
    rates: list[Rate] | None = None,
    style: str = "body",
) -> Para:
    """A paragraph; ``section`` defaults to the printed label without a trailing dot."""
    if section is None and label is not None:
        section = label.strip().rstrip(".")
    return Para(
        t(text),
        label=label,
        caption=caption,
        section=section,
        findings=list(findings or []),
        rates=list(rates or []),
        style=style,
    )


def h1(text: str) -> Heading:
    return Heading(text, level=1)


def h2(text: str) -> Heading:
    return Heading(text, level=2)


def table(
    header: list[str],
    rows: list[tuple[list[str], Rate | None]],
    widths: list[float],
    *,
    ruled: bool = True,
    right: tuple[int, ...] = (),
    caption: str | None = None,
) -> Table:
    return Table(
        header=header,
        rows=[r for r, _ in rows],
        col_widths=widths,
        rates=[x for _, x in rows],
        ruled=ruled,
        align_right=right,
        caption=caption,
    )
