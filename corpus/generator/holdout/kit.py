"""Small drafting kit for the holdout contracts.

Each holdout module builds its blocks by hand (no shared clause text), using these helpers for
labels and sections. A module's ``build()`` returns a :class:`Holdout`: the contract plus the
*trap* passages it deliberately contains (text that looks like a finding but is not one). The
generator checks that every trap is printed and that no finding cites it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..draft import roman
from ..model import Contract, Finding, Heading, Para, Rate, Table

SEED = "payerlens-holdout-v1"


def rng_for(name: str) -> random.Random:
    """Seeded generator for the (few) variant choices a holdout contract makes."""
    return random.Random(f"{SEED}:{name}")


@dataclass
class Holdout:
    contract: Contract
    traps: list[str] = field(default_factory=list)


def p(
    text: str,
    label: str | None = None,
    *,
    caption: str | None = None,
    section: str | None = None,
    findings: list[Finding] | None = None,
    rates: list[Rate] | None = None,
    style: str = "body",
) -> Para:
    """A paragraph. ``section`` defaults to the label without ``§``/``Section`` and dots."""
    if section is None and label is not None:
        section = label.replace("\u00a7", "").replace("Section", "").strip().rstrip(".")
    return Para(
        text,
        label=label,
        caption=caption,
        section=section,
        findings=list(findings or []),
        rates=list(rates or []),
        style=style,
    )


def plain(text: str, style: str = "body") -> Para:
    return Para(text, style=style)


def h1(text: str) -> Heading:
    return Heading(text, level=1)


def h2(text: str) -> Heading:
    return Heading(text, level=2)


def roman_label(i: int) -> str:
    return f"({roman(i).lower()})"


def romans(n: int | str, items: list[Para]) -> list[Para]:
    """Label paragraphs ``(i)``, ``(ii)`` ... under heading ``n``; section ``"6(iii)"``."""
    out = []
    for i, para in enumerate(items, start=1):
        para.label = roman_label(i)
        para.section = f"{n}{roman_label(i)}"
        para.style = "indent"
        out.append(para)
    return out


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
