"""Find where ground-truth passages landed in a built PDF (pdfplumber, body area only)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pdfplumber

from .layout import body_box

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class PageTexts:
    body: list[str]  # whitespace-normalised body text per page (header/footer cropped away)
    full: list[str]  # whitespace-normalised text of the whole page

    @property
    def pages(self) -> int:
        return len(self.body)


def read_pages(pdf: bytes) -> PageTexts:
    body, full = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            full.append(normalise(page.extract_text() or ""))
            box = body_box(float(page.width), float(page.height))  # portrait or landscape
            crop = page.crop((box.x0, box.top, box.x1, box.bottom))
            body.append(normalise(crop.extract_text() or ""))
    return PageTexts(body, full)


class PassageNotFound(ValueError):
    pass


@dataclass(frozen=True)
class Located:
    page: int  # 1-based page where the passage starts
    crosses_page: bool


class Locator:
    """Locates passages in the running body text; each passage must occur exactly once."""

    def __init__(self, texts: PageTexts, prefix_chars: int = 60):
        self._texts = texts
        self._prefix = prefix_chars
        self._stream = " ".join(texts.body)
        self._starts = []
        pos = 0
        for t in texts.body:
            self._starts.append(pos)
            pos += len(t) + 1

    def _find_once(self, needle: str) -> int:
        first = self._stream.find(needle)
        if first < 0:
            raise PassageNotFound(f"not found in PDF body text: {needle[:90]!r}")
        if self._stream.find(needle, first + 1) >= 0:
            raise PassageNotFound(f"occurs more than once: {needle[:90]!r}")
        return first

    def locate(self, passage: str) -> Located:
        """Page of a passage that must occur exactly once in the document body."""
        needle = normalise(passage)
        return self._at(self._find_once(needle), needle)

    def locate_within(self, container: str, passage: str) -> Located:
        """Page of ``passage`` inside ``container`` (a paragraph occurring exactly once)."""
        outer, needle = normalise(container), normalise(passage)
        offset = outer.find(needle)
        if offset < 0:
            raise PassageNotFound(f"passage is not part of its paragraph: {needle[:90]!r}")
        return self._at(self._find_once(outer) + offset, needle)

    def _at(self, first: int, needle: str) -> Located:
        page = max(i for i, s in enumerate(self._starts) if s <= first) + 1
        if needle[: self._prefix] not in self._texts.full[page - 1]:
            raise PassageNotFound(
                f"first {self._prefix} characters not on start page {page}: {needle[:90]!r}"
            )
        crosses = needle not in self._texts.body[page - 1]
        return Located(page, crosses)
