"""Drafting helpers: articles and clauses, numbering schemes, and party wording.

Contract modules write articles as data (``Article`` of ``Clause``); a ``Numbering`` scheme turns
them into printed labels (``8.1``, ``Section 12.3``, ``4(b)``, ``§ 4.2`` ...) and the ground-truth
``section`` of each paragraph.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Block, Finding, Heading, Para, Rate, Spacer, Table

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Terms:
    """How a contract names its parties.

    ``fill`` replaces ``{P}``, ``{Ps}``, ``{V}``, ``{Vs}``, ``{M}`` and ``{m}`` in clause text.
    """

    P: str  # payer defined term: Plan, Company, Payer, Health Plan, MCO
    V: str  # provider defined term: Provider, Hospital, Group, Facility, Laboratory, Center
    M: str = "Members"
    m: str = "Member"

    def fill(self, text: str) -> str:
        return text.format(
            P=self.P, Ps=self.P + "'s", V=self.V, Vs=self.V + "'s", M=self.M, m=self.m
        )


@dataclass
class Clause:
    text: str
    caption: str | None = None
    findings: list[Finding] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    key: str | None = None  # cross-reference target: other clauses write <<key>>


@dataclass
class Article:
    title: str
    items: list[Clause | Table | Para | Spacer]
    intro: str | None = None


class Numbering:
    """Base scheme: ``ARTICLE IV`` heading, ``4.1`` clause labels."""

    def heading(self, n: int, title: str) -> Heading | None:
        return Heading(f"ARTICLE {roman(n)}\n{title.upper()}")

    def label(self, n: int, i: int) -> tuple[str | None, str | None]:
        """(printed label, ground-truth section) of clause ``i`` of article ``n``."""
        return f"{n}.{i}", f"{n}.{i}"

    def caption(self, n: int, i: int, caption: str | None, title: str) -> str | None:
        return f"{caption}." if caption else None

    style = "body"


class ArticleDecimal(Numbering):
    pass


class SectionDecimal(Numbering):
    """``ARTICLE XII - TERM`` heading; ``Section 12.3`` labels."""

    def heading(self, n, title):
        return Heading(f"ARTICLE {roman(n)} - {title.upper()}")

    def label(self, n, i):
        return f"Section {n}.{i}", f"{n}.{i}"


class PaddedDecimal(Numbering):
    """``ARTICLE 5`` heading; ``Section 5.03`` labels."""

    def heading(self, n, title):
        return Heading(f"ARTICLE {n}\n{title.upper()}")

    def label(self, n, i):
        return f"Section {n}.{i:02d}", f"{n}.{i:02d}"


class NumberLetter(Numbering):
    """``4. TERM AND TERMINATION`` sub-heading; ``(b)`` labels; section ``4(b)``."""

    style = "indent"

    def heading(self, n, title):
        return Heading(f"{n}. {title.upper()}", level=2)

    def label(self, n, i):
        return f"({LETTERS[i - 1]})", f"{n}({LETTERS[i - 1]})"


class InlineParen(Numbering):
    """``Article 8: TERM`` heading; ``8(a)`` labels printed in full."""

    def heading(self, n, title):
        return Heading(f"Article {n}: {title.upper()}", level=2)

    def label(self, n, i):
        return f"{n}({LETTERS[i - 1]})", f"{n}({LETTERS[i - 1]})"


class SectionSign(Numbering):
    def heading(self, n, title):
        return Heading(f"ARTICLE {roman(n)}\n{title.upper()}")

    def label(self, n, i):
        return f"\u00a7 {n}.{i}", f"{n}.{i}"


class CapsUnnumbered(Numbering):
    """ALL-CAPS headings, run-in captions, no numbers (section null)."""

    def heading(self, n, title):
        return Heading(title.upper(), level=2)

    def label(self, n, i):
        return None, None


class RomanOnly(Numbering):
    """``ARTICLE III`` heading; unnumbered paragraphs; section ``III``."""

    def heading(self, n, title):
        return Heading(f"ARTICLE {roman(n)}\n{title.upper()}")

    def label(self, n, i):
        return None, roman(n)


class Flat(Numbering):
    """No headings: ``7. Term.`` opens the first paragraph; later paragraphs belong to ``7``."""

    def heading(self, n, title):
        return None

    def label(self, n, i):
        return (f"{n}." if i == 1 else None), str(n)

    def caption(self, n, i, caption, title):
        if i == 1:
            return f"{title}."
        return f"{caption}." if caption else None


class Prefixed(Numbering):
    """Exhibit paragraphs ``B.1``, ``B.2``; heading supplied by the exhibit."""

    def __init__(self, prefix: str, sep: str = "."):
        self.prefix, self.sep = prefix, sep

    def heading(self, n, title):
        return None

    def label(self, n, i):
        lab = f"{self.prefix}{self.sep}{i}"
        return lab, lab


class PlainNumbers(Numbering):
    """Exhibit paragraphs ``1.``, ``2.`` (section ``1``, ``2``)."""

    def heading(self, n, title):
        return None

    def label(self, n, i):
        return f"{i}.", str(i)


class Unnumbered(Numbering):
    def heading(self, n, title):
        return None

    def label(self, n, i):
        return None, None


def render_articles(
    articles: Sequence[Article],
    numbering: Numbering,
    terms: Terms,
    start: int = 1,
    refs: dict[str, str] | None = None,
) -> list[Block]:
    """Number and fill a run of articles; records ``key -> section`` in ``refs``."""
    out: list[Block] = []
    for n, art in enumerate(articles, start=start):
        h = numbering.heading(n, art.title)
        if h is not None:
            out.append(h)
        if art.intro:
            out.append(Para(terms.fill(art.intro)))
        i = 0
        for item in art.items:
            if isinstance(item, Clause):
                i += 1
                label, section = numbering.label(n, i)
                if item.key and refs is not None:
                    refs[item.key] = section or ""
                out.append(
                    Para(
                        terms.fill(item.text),
                        label=label,
                        caption=numbering.caption(n, i, item.caption, art.title),
                        section=section,
                        findings=list(item.findings),
                        rates=list(item.rates),
                        style=numbering.style,
                    )
                )
            else:
                out.append(item)
    return out


def pick(rng: random.Random, variants: Sequence):
    return variants[rng.randrange(len(variants))]


_REF = re.compile(r"<<([a-z0-9_]+)>>")


def resolve_refs(blocks: list[Block], refs: dict[str, str]) -> list[Block]:
    """Replace ``<<key>>`` in paragraph text with the section number the key was given."""
    for b in blocks:
        if isinstance(b, Para):
            b.text = _REF.sub(lambda m: refs[m.group(1)], b.text)
    return blocks


class ArabicDecimal(Numbering):
    """``ARTICLE 6 - TERM AND TERMINATION`` heading; ``6.1`` labels."""

    def heading(self, n, title):
        return Heading(f"ARTICLE {n} - {title.upper()}", level=2)
