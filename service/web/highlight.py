"""Findings in place: each finding's text found in its page's text and the page cut into
segments, each covered by the findings (none, one or several) that overlap there.

The stored finding text is the analysis's (line breaks joined, hyphenation undone, running
headers dropped); the page text is the file's text layer line by line. They are compared with
whitespace and hyphens left out and typographic quotes folded. A clause that runs over a page
break is found as its longest leading part at the end of its page and the rest on the next
page(s). A finding that cannot be found is listed without a highlight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_SKIP = frozenset(" \t\r\n\f\v\u00a0\u00ad\u200b-\u2010\u2011")
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})
# The shortest leading part of a finding accepted at the end of a page (normalised chars).
MIN_PART = 24
# A clause is followed over at most this many page breaks.
MAX_PAGES = 3
# reflow: a line at least this share of the page's long lines ran into the margin.
WRAPPED_SHARE = 0.75
_STARTS_BLOCK = re.compile(
    r"^\s*(\d+(\.\d+)*[.)]?\s|\d+\([a-z0-9]+\)|\([a-z0-9]{1,4}\)\s|[A-Z]\.\s|[•\-–*]\s"
    r"|(Article|ARTICLE|Section|SECTION|Exhibit|EXHIBIT|Schedule|SCHEDULE|Attachment|§"
    r"|WHEREAS|NOW,|IN WITNESS)\b)"
)


@dataclass(frozen=True)
class Span:
    page: int
    start: int
    end: int  # exclusive, in the page's text
    first: bool  # the finding's first part: where "show in text" scrolls to


@dataclass(frozen=True)
class Mark:
    """A finding to place: its id, page and text; ``rank`` orders overlapping marks (the
    most severe first)."""

    id: str
    page: int
    text: str
    rank: int = 0


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[str, ...] = ()  # finding ids covering it, the highest ranked first
    starts: tuple[str, ...] = ()  # finding ids whose first part starts here


def normalise(text: str) -> tuple[str, list[int]]:
    """The text without whitespace and hyphens, quotes folded; and each kept character's
    index in ``text``."""
    kept: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch in _SKIP:
            continue
        kept.append(ch)
        index.append(i)
    return "".join(kept), index


class PageIndex:
    """Normalised page texts, computed once per page."""

    def __init__(self, pages: Mapping[int, str | None]) -> None:
        self.pages = pages
        self._norm: dict[int, tuple[str, list[int]]] = {}

    def norm(self, page: int) -> tuple[str, list[int]] | None:
        text = self.pages.get(page)
        if not text:
            return None
        if page not in self._norm:
            self._norm[page] = normalise(text)
        return self._norm[page]


def _span(index: list[int], page: int, start: int, length: int, first: bool) -> Span:
    return Span(page, index[start], index[start + length - 1] + 1, first)


def _longest_prefix_at_end(needle: str, hay: str) -> tuple[int, int]:
    """(length, position) of the longest leading part of ``needle`` in ``hay`` (its last
    occurrence): containment of a prefix shrinks monotonically, so a binary search."""
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if needle[:mid] in hay:
            lo = mid
        else:
            hi = mid - 1
    return lo, (hay.rfind(needle[:lo]) if lo else -1)


def locate(text: str, page: int, index: PageIndex) -> list[Span] | None:
    """Where ``text`` stands, starting on ``page``: one span, or one per page it runs over;
    None when it cannot be found."""
    needle, _ = normalise(text)
    start_page = index.norm(page)
    if not needle or start_page is None:
        return None
    hay, positions = start_page
    at = hay.find(needle)
    if at >= 0:
        return [_span(positions, page, at, len(needle), True)]
    spans: list[Span] = []
    current, rest = page, needle
    for _ in range(MAX_PAGES):
        normed = index.norm(current)
        if normed is None:
            return None
        hay, positions = normed
        if spans:  # a continuation: the rest, whole, near the top of this page
            at = hay.find(rest)
            if at >= 0:
                spans.append(_span(positions, current, at, len(rest), False))
                return spans
        length, at = _longest_prefix_at_end(rest, hay)
        if length < min(MIN_PART, len(rest)) or at < 0:
            return None
        spans.append(_span(positions, current, at, length, not spans))
        rest = rest[length:]
        current += 1
    return None


def locate_all(marks: Iterable[Mark], pages: Mapping[int, str | None]) -> dict[str, list[Span]]:
    """Each findable mark's spans by finding id (unfound marks are left out)."""
    index = PageIndex(pages)
    found: dict[str, list[Span]] = {}
    for mark in marks:
        spans = locate(mark.text, mark.page, index)
        if spans:
            found[mark.id] = spans
    return found


def reflow(text: str) -> str:
    """The page's text with the line breaks inside a paragraph turned into spaces: a line as
    long as the page's long lines ran into the margin, unless the next starts a numbered
    clause or a heading. Same length as ``text``, so offsets into it stay valid."""
    lines = text.split("\n")
    if len(lines) < 3:
        return text
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if not lengths:
        return text
    long_line = lengths[int(0.9 * (len(lengths) - 1))]
    out = list(text)
    at = 0
    for line, following in zip(lines, lines[1:], strict=False):
        at += len(line)
        wrapped = len(line.rstrip()) >= WRAPPED_SHARE * long_line and line.strip()
        if wrapped and following.strip() and not _STARTS_BLOCK.match(following):
            out[at] = " "
        at += 1  # the newline
    return "".join(out)


def segments(text: str, spans: list[tuple[str, int, Span]]) -> list[Segment]:
    """``text`` cut at every span boundary; ``spans`` are (finding id, rank, span) on this
    page. Overlaps give a segment several marks, the lowest rank (most severe) first."""
    cuts = sorted({0, len(text), *(s.start for _, _, s in spans), *(s.end for _, _, s in spans)})
    out: list[Segment] = []
    ordered = sorted(spans, key=lambda item: (item[2].start, item[1]))
    starts_at: dict[int, list[str]] = {}
    for fid, _, span in ordered:
        if span.first:
            starts_at.setdefault(span.start, []).append(fid)
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        covering = sorted(
            ((rank, fid) for fid, rank, s in spans if s.start <= a and b <= s.end),
        )
        out.append(
            Segment(
                text=text[a:b],
                marks=tuple(fid for _, fid in covering),
                starts=tuple(starts_at.get(a, ())),
            )
        )
    return out
