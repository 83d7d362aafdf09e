"""Positioned lines to a document: running headers/footers out, paragraphs in reading order,
hyphenation undone, clauses joined across page breaks, tables kept as their own blocks."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.model import (
    BBox,
    Block,
    BlockKind,
    Document,
    PageInfo,
    Provenance,
    SourceInfo,
    Table,
    TextLine,
)
from extractor.pdf_reader import SOFT_HYPHENS, RawPage
from extractor.sections import assign_sections, numbering_at_start

MARGIN_FRACTION = 0.09
PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–—]?\s*#+\s*[-–—]?\s*(?:(?:of|/)\s*#+)?\s*$", re.IGNORECASE
)
# Prefixes whose line-end hyphen is a real hyphen ("non-renewal", "thirty-six"), not a word break.
KEEP_HYPHEN_PREFIXES = frozenset(
    [
        "non",
        "self",
        "co",
        "pre",
        "post",
        "anti",
        "multi",
        "sub",
        "cross",
        "out",
        "over",
        "under",
        "well",
        "third",
        "full",
        "part",
        "high",
        "low",
        "long",
        "short",
        "year",
        "day",
        "month",
        "end",
        "on",
        "off",
        "follow",
        "set",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
    ]
)
SENTENCE_END = re.compile(r"[.;:!?)\"”]$")


@dataclass(frozen=True)
class LayoutSettings:
    # A running line must repeat on at least this share of pages to be dropped.
    repeat_share: float = 0.5
    # Vertical gap (in median line gaps) that starts a new paragraph.
    paragraph_gap: float = 1.45

    def __post_init__(self) -> None:
        if not 0 < self.repeat_share <= 1 or self.paragraph_gap <= 1:
            raise ValueError("invalid layout settings")


@dataclass
class _Para:
    lines: list[TextLine]
    kind: BlockKind = BlockKind.PARAGRAPH
    table: Table | None = None
    paragraph: int | None = None  # a source paragraph reference (documents without pages)


@dataclass(frozen=True)
class FlowItem:
    """One paragraph, heading or table of a document that states its own paragraphs (a Word
    .docx): no geometry to group lines by, so each item is one block as it is. ``lines`` are
    its line-broken parts (a soft line break or a page break inside it starts a new one), each
    on its page; a table item carries the table and no lines. ``paragraph`` is the item's
    reference in the source (1-based)."""

    kind: BlockKind
    lines: tuple[TextLine, ...]
    paragraph: int
    table: Table | None = None


def pages_to_document(
    source: SourceInfo, pages: Sequence[RawPage], settings: LayoutSettings | None = None
) -> Document:
    settings = settings or LayoutSettings()
    running = running_line_keys(pages, settings)
    sizes = [ln.font_size for page in pages for ln in page.lines]
    body_size = statistics.median(sizes) if sizes else 10.0
    paras: list[_Para] = []
    for page in pages:
        body = [ln for ln in page.lines if not _is_running(ln, page.info, running)]
        page_paras = _page_to_paras(body, page.tables, settings, body_size)
        if paras and page_paras and _continues(paras[-1], page_paras[0]):
            paras[-1].lines.extend(page_paras.pop(0).lines)
        paras.extend(page_paras)
    return _assemble(
        source, tuple(p.info for p in pages), paras, [t for p in pages for t in p.tables]
    )


def flow_to_document(
    source: SourceInfo, pages: tuple[PageInfo, ...], items: Sequence[FlowItem]
) -> Document:
    """A document from paragraphs the source already delimits (a .docx): the same assembly as
    a PDF's after its lines were grouped (hyphenation, provenance per page, the section tree),
    every block keeping its source paragraph reference."""
    paras = [
        _Para(list(item.lines), item.kind, item.table, item.paragraph)
        for item in items
        if item.table is not None or item.lines
    ]
    return _assemble(source, pages, paras, [it.table for it in items if it.table is not None])


def text_to_document(text: str, source: SourceInfo) -> Document:
    """A document from plain text (CUAD, tests): blank lines part paragraphs; all on page 1."""
    paras: list[_Para] = []
    y = 0.0
    for chunk in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        text_lines = []
        for ln in lines:
            text_lines.append(TextLine(1, ln, (0.0, y, 500.0, y + 10.0), 10.0))
            y += 12.0
        paras.append(_Para(text_lines))
    info = PageInfo(1, 612.0, max(792.0, y), 0, len(text), True)
    return _assemble(source, (info,), paras, [])


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def running_line_keys(pages: Sequence[RawPage], settings: LayoutSettings) -> frozenset[str]:
    """Normalised margin lines that recur on many pages (titles, form numbers, page n of m)."""
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {_key(ln.text) for ln in page.lines if _in_margin(ln, page.info)}
        counts.update(keys)
    if len(pages) < 2:
        return frozenset()
    threshold = max(2, settings.repeat_share * len(pages))
    return frozenset(k for k, n in counts.items() if n >= threshold)


def _in_margin(line: TextLine, info: PageInfo) -> bool:
    margin = info.height * MARGIN_FRACTION
    return line.bbox[3] <= margin or line.bbox[1] >= info.height - margin


def _is_running(line: TextLine, info: PageInfo, running: frozenset[str]) -> bool:
    if not _in_margin(line, info):
        return False
    key = _key(line.text)
    return key in running or bool(PAGE_NUMBER.match(key))


def _inside(box: BBox, outer: BBox, slack: float = 2.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] - slack <= cx <= outer[2] + slack and outer[1] - slack <= cy <= outer[3] + slack


def _page_to_paras(
    lines: list[TextLine], tables: Sequence[Table], settings: LayoutSettings, body_size: float
) -> list[_Para]:
    flow: list[tuple[float, _Para | TextLine]] = []
    for table in tables:
        flow.append((table.bbox[1], _Para([], BlockKind.TABLE, table)))
    for line in lines:
        if not any(_inside(line.bbox, t.bbox) for t in tables):
            flow.append((line.bbox[1], line))
    flow.sort(key=lambda item: item[0])
    gaps = [
        b.bbox[1] - a.bbox[3]
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 <= b.bbox[1] - a.bbox[3] < 3 * max(a.font_size, 1)
    ]
    usual_gap = statistics.median(gaps) if gaps else 2.0
    paras: list[_Para] = []
    current: _Para | None = None
    for _, item in flow:
        if isinstance(item, _Para):
            paras.append(item)
            current = None
            continue
        if current is None or _starts_new_paragraph(current.lines[-1], item, usual_gap, settings):
            current = _Para([item])
            paras.append(current)
        else:
            current.lines.append(item)
    for para in paras:
        if para.kind is BlockKind.PARAGRAPH and _looks_like_heading(para.lines, body_size):
            para.kind = BlockKind.HEADING
    return paras


def _starts_new_paragraph(
    prev: TextLine, line: TextLine, usual_gap: float, settings: LayoutSettings
) -> bool:
    gap = line.bbox[1] - prev.bbox[3]
    if gap > max(usual_gap * settings.paragraph_gap, usual_gap + 0.35 * line.font_size):
        return True
    prev_text = prev.text.rstrip()
    if prev_text.endswith(("-", *SOFT_HYPHENS)):
        return False
    # A sentence running on ("... at one hundred" / "twenty percent (120%) ...") stays one
    # paragraph whatever the line heights say: an OCR'd line that still tilts a little has a
    # taller box than its neighbours.
    head = line.text.lstrip()[:1]
    runs_on = head.islower() or (head == "(" and not numbering_at_start(line.text))
    if runs_on and not SENTENCE_END.search(prev_text) and not _looks_like_heading([prev]):
        return False
    # Rectangle heights vary with the glyphs on a line (descenders, capitals), so only a large
    # change of size marks a new block (a title above body text).
    sizes = sorted((max(line.font_size, 1.0), max(prev.font_size, 1.0)))
    if sizes[1] / sizes[0] > 1.4:
        return True
    if head.islower():
        return False
    if numbering_at_start(line.text) and SENTENCE_END.search(prev_text):
        return True
    return _looks_like_heading([prev])


def _looks_like_heading(lines: list[TextLine], body_size: float = 0.0) -> bool:
    if len(lines) > 2:
        return False
    text = " ".join(ln.text for ln in lines).strip()
    if not text or len(text) > 90 or text.endswith((".", ",", ";")):
        return False
    if body_size and min(ln.font_size for ln in lines) >= 1.25 * body_size:
        return True  # set in a larger type than the body: a title
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    upper_share = sum(c.isupper() for c in letters) / len(letters)
    if upper_share > 0.8:
        return True
    numbering = numbering_at_start(text)
    if numbering is None:
        return False
    # "8.1 Term of Agreement" is a heading; "8.1 Term. This Agreement shall ..." starts a clause.
    rest = text[numbering.end :].strip()
    return len(rest.split()) <= 8 and not re.search(r"[.;:]\s", rest) and rest[-1:] not in "-\x02"


def looks_like_heading(text: str, font_size: float, body_size: float) -> bool:
    """The PDF heading test for one line of text in the given size (for readers of documents
    that state their paragraphs, such as .docx)."""
    return _looks_like_heading([TextLine(1, text, (0.0, 0.0, 0.0, 0.0), font_size)], body_size)


def _continues(prev: _Para, nxt: _Para) -> bool:
    """A clause runs over a page break: no sentence end before it, or a lower-case start after."""
    if prev.kind is not BlockKind.PARAGRAPH or nxt.kind is not BlockKind.PARAGRAPH:
        return False
    first = nxt.lines[0].text.lstrip()
    if numbering_at_start(first):
        return False
    last = prev.lines[-1].text.rstrip()
    return not SENTENCE_END.search(last) or first[:1].islower()


def join_lines(lines: Sequence[str]) -> tuple[str, list[int]]:
    """Join wrapped lines into one text, undoing line-end hyphenation; return where each
    line starts in the joined text."""
    out = ""
    starts: list[int] = []
    for raw in lines:
        text = raw.strip()
        if out:
            tail = out[-1]
            if tail in SOFT_HYPHENS or (tail == "-" and len(out) > 1 and out[-2].isalpha()):
                word = re.search(r"([A-Za-z]+)[-\x02\ufffe]$", out)
                keep = word is not None and word.group(1).lower() in KEEP_HYPHEN_PREFIXES
                if text[:1].islower() and not keep:
                    out = out[:-1]
                elif tail in SOFT_HYPHENS:
                    out = out[:-1] + "-"
            else:
                out += " "
        starts.append(len(out))
        out += text
    return out.replace("\x02", "-").replace("\ufffe", "-"), starts


def _table_text(table: Table) -> str:
    return "\n".join(" | ".join(cell for cell in row) for row in table.grid())


def _assemble(
    source: SourceInfo, infos: tuple[PageInfo, ...], paras: list[_Para], tables: list[Table]
) -> Document:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for para in paras:
        provs: tuple[Provenance, ...]
        if para.table is not None:
            text = _table_text(para.table)
            provs = (Provenance(para.table.page, para.table.bbox, offset, offset + len(text)),)
        else:
            text, starts = join_lines([ln.text for ln in para.lines])
            if not text.strip():
                continue
            provs = _provenance(para.lines, starts, offset, len(text))
        size = statistics.median(ln.font_size for ln in para.lines) if para.lines else 0.0
        blocks.append(
            Block(
                len(blocks),
                para.kind,
                text,
                offset,
                offset + len(text),
                provs,
                None,
                size,
                para.paragraph,
            )
        )
        parts.append(text)
        offset += len(text) + 2
    full_text = "\n\n".join(parts)
    blocks_t, sections = assign_sections(blocks)
    return Document(
        source=source,
        pages=infos,
        text=full_text,
        blocks=blocks_t,
        tables=tuple(tables),
        sections=sections,
    )


def _provenance(
    lines: list[TextLine], starts: list[int], offset: int, length: int
) -> tuple[Provenance, ...]:
    """One provenance per page the paragraph touches, with the union box of its lines there."""
    provs: list[Provenance] = []
    i = 0
    while i < len(lines):
        page = lines[i].page
        j = i
        while j < len(lines) and lines[j].page == page:
            j += 1
        group = lines[i:j]
        box = (
            min(ln.bbox[0] for ln in group),
            min(ln.bbox[1] for ln in group),
            max(ln.bbox[2] for ln in group),
            max(ln.bbox[3] for ln in group),
        )
        end = starts[j] if j < len(lines) else length
        provs.append(Provenance(page, box, offset + starts[i], offset + end))
        i = j
    return tuple(provs)
