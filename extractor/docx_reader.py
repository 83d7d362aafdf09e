"""Word .docx drafts to the same document model as a PDF: paragraphs, headings and tables in
document order, every block with its page (where the file marks page breaks) and its paragraph
reference, so layout's assembly, the section tree, rules, key terms, rates and the clause model
run unchanged.

What is read, and how:

* **The body only**, in document order: paragraphs and tables, looking into content controls
  (``w:sdt``) and custom-XML wrappers. Headers, footers, footnotes, comments, text boxes and
  drawings are left out. Tracked changes read as if accepted: insertions in, deletions (and the
  source side of moves) out. Hidden text (``w:vanish``) is left out; ``w:caps`` text is upper-cased
  as Word shows it.
* **Paragraph references**: every paragraph and table of the body counts, empty paragraphs
  included, 1-based in document order (a table counts once, whatever it holds), so a reference
  points back at one element of ``word/document.xml``.
* **Pages**: Word does not store pages. They are counted from what the file marks: explicit
  page breaks (``w:br w:type="page"``), ``w:pageBreakBefore``, section breaks that start a new
  page, and the ``w:lastRenderedPageBreak`` marks Word leaves where it last paginated. A
  rendered mark right after an explicit break (Word writes both) counts once. A file without
  any of them is one page. Page sizes come from the sections' ``w:pgSz``.
* **Numbering**: automatic list numbers (``w:numPr``, from the paragraph or its style) are
  rendered from ``word/numbering.xml`` ("1.", "4.2", "(b)", "ARTICLE IV") and put before the
  paragraph's text, as a PDF would print them, so ``sections.py`` reads the same section tree.
  Bullets add nothing.
* **Headings**: a paragraph is a heading when its style (or a style it is based on) is
  "Heading N" or "Title", or it carries an outline level, and it is short enough to be one; or
  when it looks like a heading by the same tests ``layout.py`` applies to PDF lines (capitals,
  a number with a short caption, type much larger than the body's); or when all its text is
  bold and it is short, with no sentence end. A numbered clause styled as a heading but holding
  the clause's sentences stays a paragraph, so the rules read it.
* **Tables**: a Word table of at least two rows and two columns becomes a ``Table`` cell grid as
  the PDF readers produce (row 0 the header, merged cells' text in their first grid column), so
  ``rates/tables.py`` reads a fee schedule from it. A table used for layout (one row or column,
  or a cell holding a long passage) is read as paragraphs instead.

Geometry: a .docx has none. Boxes on blocks, lines and tables are nominal (they only keep order
on a page and tell tables apart) and never reach the output: rate rows from a .docx have no
``bbox``; findings and rate rows carry ``paragraph`` instead.

Untrusted input: the ZIP's central directory is checked before python-docx opens anything —
entry count, declared uncompressed sizes and compression ratios (``input.zip_bomb``), ZIP
encryption — and zipfile never inflates a member past its declared size (a member that lies
fails its CRC: ``input.corrupt``). python-docx parses XML with entity resolution off.
"""

from __future__ import annotations

import hashlib
import io
import re
import statistics
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractor import errors
from extractor.errors import InputError, LimitError
from extractor.layout import FlowItem, flow_to_document, looks_like_heading
from extractor.model import (
    BlockKind,
    Cell,
    Document,
    PageInfo,
    Problem,
    SourceInfo,
    Table,
    TextLine,
)
from extractor.pdf_reader import ReaderSettings

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted Office file is an OLE compound file holding an "EncryptedPackage" stream; the
# directory stores stream names in UTF-16LE.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
WORD_STREAM = "WordDocument".encode("utf-16-le")

# Zip-bomb limits, checked on the central directory before anything is inflated.
MAX_MEMBERS = 10_000
# All members together may declare at most this many times ReaderSettings.max_bytes ...
MAX_EXPANSION = 4
# ... but never less than this (a small --max-mb must not refuse ordinary drafts: python-docx's
# own template inflates to about 1 MB).
MIN_EXPANSION_BYTES = 32 * 1024 * 1024
# A member declaring more than this is refused when it compresses more than MAX_RATIO:1 (style
# XML reaches about 30:1; deflate's ceiling is about 1000:1).
RATIO_MEMBER_BYTES = 4 * 1024 * 1024
MAX_RATIO = 100

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEFAULT_PAGE = (612.0, 792.0)  # US Letter, points
DEFAULT_FONT_SIZE = 10.0
# A heading is at most this long (characters); a longer styled "heading" holds a clause.
HEADING_MAX_CHARS = 120
# A table cell with this many words holds prose: the table is layout, not data.
PROSE_CELL_WORDS = 40
HEADING_STYLE = re.compile(r"^(heading [1-9]|title|subtitle)$", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[a-z)][.;:]\s+\S")


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, R, T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
PPR, RPR, VAL = _w("pPr"), _w("rPr"), _w("val")
SECT_PR, BODY = _w("sectPr"), _w("body")
# Run containers inside a paragraph whose runs are shown: hyperlinks, insertions, smart tags...
RUN_CONTAINERS = frozenset(
    _w(t)
    for t in ("hyperlink", "ins", "smartTag", "customXml", "moveTo", "fldSimple", "dir", "bdo")
)


@dataclass(frozen=True)
class DocxRead:
    document: Document
    problems: tuple[Problem, ...] = ()


def wants_docx_reader(path: Path) -> bool:
    """Whether ``path`` is for this reader rather than the PDF reader, by content: a ZIP
    package or an OLE compound file (an encrypted Office file, a legacy .doc), or a file
    named .docx that holds neither a PDF nor those (it is then reported as damaged). A file
    that cannot be opened goes to the PDF reader, which reports it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return True
    if b"%PDF-" in head:
        return False
    return path.suffix.lower() in DOCX_SUFFIXES


def read_docx(path: Path, settings: ReaderSettings | None = None) -> DocxRead:
    """Read a .docx into a ``Document``; raise ``InputError``/``LimitError`` with a stable
    code when it cannot be read (see the module docstring)."""
    settings = settings or ReaderSettings()
    data = _read_bytes(path, settings)
    document = _open_docx(data, settings)
    walker = _Walker(document, settings.max_pages)
    items, pages = walker.read()
    if walker.page_count > settings.max_pages:
        raise LimitError(
            f"The document has {walker.page_count} pages (by its page breaks); the limit is "
            f"{settings.max_pages}.",
            code=errors.LIMIT_TOO_MANY_PAGES,
        )
    source = SourceInfo(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=len(pages),
        media_type=DOCX_MEDIA_TYPE,
    )
    return DocxRead(flow_to_document(source, pages, items))


def inspect_docx(path: Path, settings: ReaderSettings | None = None) -> int:
    """The page count of a .docx that ``read_docx`` would accept (the same codes otherwise)."""
    return read_docx(path, settings).document.source.pages


# -- opening: bytes, package, zip-bomb check --------------------------------------------------


def _read_bytes(path: Path, settings: ReaderSettings) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"No such file: {path}", code=errors.INPUT_NOT_FOUND) from None
    if path.is_dir():
        raise InputError(
            f"{path} is a directory, not a PDF or DOCX file.", code=errors.INPUT_NOT_PDF
        )
    if size > settings.max_bytes:
        raise LimitError(
            f"The file is {size:,} bytes; the limit is {settings.max_bytes:,}.",
            code=errors.LIMIT_TOO_MANY_BYTES,
        )
    return path.read_bytes()


def _open_docx(data: bytes, settings: ReaderSettings) -> Any:
    """The python-docx ``Document`` of ``data``, after the checks that need no inflating."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise InputError(
                "The Word document is encrypted with a password; remove the password and "
                "try again.",
                code=errors.INPUT_ENCRYPTED,
            )
        what = "a legacy Word 97-2003 .doc" if WORD_STREAM in data else "a legacy Office file"
        raise InputError(
            f"The file is {what}, which payerlens does not read; save it as .docx or PDF.",
            code=errors.INPUT_UNSUPPORTED_TYPE,
        )
    if not data.startswith(ZIP_MAGIC):
        raise InputError(
            "The .docx file is damaged: it is not a ZIP package"
            + (" (it is empty)." if not data else "."),
            code=errors.INPUT_CORRUPT,
        )
    _check_entry_count(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(
            "The .docx file is damaged (its ZIP directory cannot be read; is it cut short?).",
            code=errors.INPUT_CORRUPT,
        ) from None
    _check_members(members, len(data), settings)
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        if "[Content_Types].xml" in names:
            raise InputError(
                "The file is an Office document but not a Word one (a spreadsheet or a "
                "presentation?); payerlens reads PDF and Word .docx files.",
                code=errors.INPUT_UNSUPPORTED_TYPE,
            )
        raise InputError(
            "The file is a ZIP archive, not a PDF or a Word .docx document.",
            code=errors.INPUT_NOT_PDF,
        )
    from docx.opc.constants import CONTENT_TYPE
    from docx.package import Package

    try:
        part = Package.open(io.BytesIO(data)).main_document_part
        content_type = part.content_type
    except Exception:  # zipfile, lxml and python-docx raise many types on damaged packages
        raise InputError(
            "The .docx file is damaged and cannot be read.", code=errors.INPUT_CORRUPT
        ) from None
    if content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise InputError(
            "The file is a macro-enabled Word document or a Word template "
            f"({content_type}); save it as a .docx document and try again.",
            code=errors.INPUT_UNSUPPORTED_TYPE,
        )
    return part.document


def _check_entry_count(data: bytes) -> None:
    """Refuse an archive whose end record declares more entries than a document has, before
    zipfile builds an object per entry."""
    count = _declared_entries(data)
    if count is not None and count > MAX_MEMBERS:
        raise InputError(
            f"The .docx declares {count:,} archive members (the limit is {MAX_MEMBERS:,}): "
            "refused as a zip bomb.",
            code=errors.INPUT_ZIP_BOMB,
        )


def _declared_entries(data: bytes) -> int | None:
    """The entry count in the end-of-central-directory record (ZIP64's when present)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, at + 10)
    if count != 0xFFFF:
        return int(count)
    locator = at - 20
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return None
    (offset,) = struct.unpack_from("<Q", data, locator + 8)
    if offset + 56 > len(data) or data[offset : offset + 4] != b"PK\x06\x06":
        return None
    (count64,) = struct.unpack_from("<Q", data, offset + 32)
    return int(count64)


def _check_members(members: list[zipfile.ZipInfo], size: int, settings: ReaderSettings) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(
            f"The .docx has {len(members):,} archive members (the limit is {MAX_MEMBERS:,}): "
            "refused as a zip bomb.",
            code=errors.INPUT_ZIP_BOMB,
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise InputError(
            "The .docx package is encrypted (a password-protected ZIP); remove the password "
            "and try again.",
            code=errors.INPUT_ENCRYPTED,
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > RATIO_MEMBER_BYTES and ratio > MAX_RATIO:
            raise InputError(
                f"The .docx member {m.filename!r} declares {m.file_size:,} bytes compressed "
                f"{ratio:,.0f}:1 (the limit is {MAX_RATIO}:1): refused as a zip bomb.",
                code=errors.INPUT_ZIP_BOMB,
            )
    total = sum(m.file_size for m in members)
    limit = max(MAX_EXPANSION * settings.max_bytes, MIN_EXPANSION_BYTES)
    if total > limit:
        raise InputError(
            f"The .docx ({size:,} bytes) declares {total:,} bytes uncompressed; the limit is "
            f"{limit:,}: refused as a zip bomb.",
            code=errors.INPUT_ZIP_BOMB,
        )


# -- styles and numbering ----------------------------------------------------------------------


def _on(element: Any) -> bool | None:
    """A toggle property (``w:b``, ``w:caps``, ``w:vanish``...): None when absent."""
    if element is None:
        return None
    return element.get(VAL, "true").lower() not in ("0", "false", "off", "none")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Styles:
    """Style lookups with inheritance (``w:basedOn``), read from the styles part."""

    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        self.defaults_rpr: Any = None
        self._chains: dict[str, list[Any]] = {}
        self._inherited: dict[tuple[str | None, str | None, str], Any] = {}
        self._headings: dict[str | None, bool] = {}
        try:
            root = document.styles.element
        except Exception:  # a package without a styles part: python-docx makes one lazily
            root = None
        if root is None:
            return
        for style in root.iterchildren(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id:
                self.by_id[style_id] = style
                default = style.get(_w("default"), "0").lower() in ("1", "true", "on")
                if style.get(_w("type")) == "paragraph" and default:
                    self.default_paragraph = style_id
        self.defaults_rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{RPR}")

    def chain(self, style_id: str | None) -> list[Any]:
        key = style_id or ""
        if key not in self._chains:
            self._chains[key] = self._chain(style_id)
        return self._chains[key]

    def _chain(self, style_id: str | None) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(_w("basedOn"))
            style_id = based.get(VAL) if based is not None else None
        return out

    def paragraph_style(self, ppr: Any) -> str | None:
        found = ppr.find(_w("pStyle")) if ppr is not None else None
        return found.get(VAL) if found is not None else self.default_paragraph

    def is_heading_style(self, style_id: str | None) -> bool:
        if style_id not in self._headings:
            self._headings[style_id] = any(
                (name := style.find(_w("name"))) is not None
                and HEADING_STYLE.match(name.get(VAL, "")) is not None
                for style in self.chain(style_id)
            )
        return self._headings[style_id]

    def paragraph_prop(self, ppr: Any, style_id: str | None, tag: str) -> Any:
        """``pPr/tag`` from the paragraph, else from its style chain."""
        if ppr is not None and (found := ppr.find(tag)) is not None:
            return found
        for style in self.chain(style_id):
            spr = style.find(PPR)
            if spr is not None and (found := spr.find(tag)) is not None:
                return found
        return None

    def run_prop(self, rpr: Any, run_style: str | None, para_style: str | None, tag: str) -> Any:
        """``rPr/tag`` from the run, its character style, the paragraph style, the defaults."""
        if rpr is not None and (found := rpr.find(tag)) is not None:
            return found
        key = (run_style, para_style, tag)
        if key not in self._inherited:
            self._inherited[key] = self._styled_run_prop(run_style, para_style, tag)
        return self._inherited[key]

    def _styled_run_prop(self, run_style: str | None, para_style: str | None, tag: str) -> Any:
        for style in [*self.chain(run_style), *self.chain(para_style)]:
            srpr = style.find(RPR)
            if srpr is not None and (found := srpr.find(tag)) is not None:
                return found
        if self.defaults_rpr is not None:
            return self.defaults_rpr.find(tag)
        return None


_ROMAN: tuple[tuple[int, str], ...] = (
    *((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")),
    *((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")),
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it in ``fmt`` (``w:numFmt``)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n) if n > 0 else str(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # w:lvlRestart: 0 never restarts
    legal: bool = False
    suffix: str = " "


@dataclass
class _List:
    levels: dict[int, _Level]
    counters: list[int | None] = field(default_factory=lambda: [None] * 9)


class _Numbering:
    """Renders ``w:numPr`` list numbers from the numbering part ("%1.%2." -> "4.2.")."""

    def __init__(self, document: Any) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_levels: dict[str, tuple[str, int]] = {}  # pStyle -> (abstract id, ilvl)
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.lists: dict[str, _List] = {}
        root = self._root(document)
        if root is None:
            return
        for abstract in root.iterchildren(_w("abstractNum")):
            aid = abstract.get(_w("abstractNumId")) or ""
            levels = {}
            for lvl in abstract.iterchildren(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")), 0) or 0
                levels[ilvl] = self._level(lvl)
                pstyle = lvl.find(_w("pStyle"))
                if pstyle is not None and pstyle.get(VAL):
                    self.style_levels[pstyle.get(VAL)] = (aid, ilvl)
            self.abstract[aid] = levels
        for num in root.iterchildren(_w("num")):
            num_id = num.get(_w("numId")) or ""
            aid_el = num.find(_w("abstractNumId"))
            aid = aid_el.get(VAL, "") if aid_el is not None else ""
            starts: dict[int, int] = {}
            overrides: dict[int, _Level] = {}
            for override in num.iterchildren(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")), 0) or 0
                start = override.find(_w("startOverride"))
                if start is not None:
                    starts[ilvl] = _int(start.get(VAL), 1) or 0
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    overrides[ilvl] = self._level(lvl)
            self.nums[num_id] = (aid, starts, overrides)

    @staticmethod
    def _root(document: Any) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE

        try:  # only an existing part: python-docx's numbering_part would create one
            return document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except (KeyError, AttributeError):
            return None

    @staticmethod
    def _level(lvl: Any) -> _Level:
        def val(tag: str) -> str | None:
            found = lvl.find(_w(tag))
            return found.get(VAL) if found is not None else None

        suffix = {"tab": " ", "space": " ", "nothing": ""}.get(val("suff") or "tab", " ")
        return _Level(
            start=_int(val("start"), 1) or 0,
            fmt=val("numFmt") or "decimal",
            text=val("lvlText"),
            restart=_int(val("lvlRestart")),
            legal=bool(_on(lvl.find(_w("isLgl")))),
            suffix=suffix,
        )

    def label(self, num_id: str, ilvl: int | None, style_id: str | None) -> str | None:
        """The number to print before a paragraph of list ``num_id`` (advancing its counters),
        with its separator; None for a bullet or no list."""
        if num_id not in self.nums:
            return None
        aid, starts, overrides = self.nums[num_id]
        if ilvl is None:
            linked = self.style_levels.get(style_id or "")
            ilvl = linked[1] if linked and linked[0] == aid else 0
        ilvl = min(max(ilvl, 0), 8)
        levels = {**self.abstract.get(aid, {}), **overrides}
        for index, start in starts.items():
            base = levels.get(index, _Level())
            levels[index] = replace(base, start=start)
        # Lists of one abstract definition share counters unless the instance restarts them.
        key = f"num:{num_id}" if starts or overrides else f"abstract:{aid}"
        state = self.lists.setdefault(key, _List(levels))
        counters = state.counters
        level = levels.get(ilvl, _Level())
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, 9):
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet" or level.text is None:
            return None

        def one(m: re.Match[str]) -> str:
            index = int(m.group(1)) - 1
            lvl = levels.get(index, _Level())
            value = counters[index] if counters[index] is not None else lvl.start
            fmt = "decimal" if level.legal and lvl.fmt != "none" else lvl.fmt
            return format_number(value or 0, fmt)

        text = re.sub(r"%([1-9])", one, level.text).strip()
        return text + level.suffix if text else None


# -- the body ------------------------------------------------------------------------------------


@dataclass
class _Piece:
    text: str
    bold: bool
    size: float


@dataclass
class _Line:
    line: TextLine
    bold: bool  # all its text bold
    soft: bool  # it starts after a soft line break (not after a page break)


@dataclass
class _Para:
    """A paragraph as read, before it is classed heading or paragraph."""

    ref: int
    lines: list[_Line]
    style_heading: bool


@dataclass
class _Page:
    width: float
    height: float
    chars: int = 0


class _Walker:
    """Walks the body in order, tracking the page, and turns paragraphs and tables into
    flow items with nominal boxes (order within a page only)."""

    def __init__(self, document: Any, max_pages: int) -> None:
        # A document part without a body (or not a w:document at all) reads as no text.
        body = document.element.find(BODY)
        self.body = body if body is not None else document.element.makeelement(BODY)
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)
        # Section properties in order (a paragraph's own end its section; the body's the last),
        # not the earlier versions a tracked change keeps inside them.
        self.sections = [s for s in self.body.iter(SECT_PR) if s.getparent().tag in (PPR, BODY)]
        self.section = 0
        self.pages: list[_Page] = [_Page(*self._page_size())]
        # Pages are counted on past the limit (for the message), but not kept.
        self.page_count = 1
        self.max_pages = max_pages
        self.page_has_text = False
        self.y = 0.0
        self.ref = 0
        self.out: list[_Para | FlowItem] = []

    @property
    def page(self) -> int:
        return self.page_count

    def read(self) -> tuple[list[FlowItem], tuple[PageInfo, ...]]:
        for element in self._block_elements(self.body):
            self.ref += 1
            if element.tag == P:
                para = self._paragraph(element, self.ref)
                if para is not None:
                    self.out.append(para)
            else:
                self._table(element, self.ref)
        sizes = [ln.line.font_size for p in self.out if isinstance(p, _Para) for ln in p.lines]
        body_size = statistics.median(sizes) if sizes else DEFAULT_FONT_SIZE
        items: list[FlowItem] = []
        for p in self.out:
            items.extend(self._classify(p, body_size) if isinstance(p, _Para) else [p])
        pages = tuple(
            PageInfo(n, page.width, page.height, 0, page.chars, True)
            for n, page in enumerate(self.pages, start=1)
        )
        return items, pages

    def _block_elements(self, parent: Any) -> Iterator[Any]:
        for child in parent.iterchildren():
            if child.tag in (P, TBL):
                yield child
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._block_elements(content)
            elif child.tag == CUSTOM_XML:
                yield from self._block_elements(child)

    # -- pages ---------------------------------------------------------------------------------

    def _page_size(self) -> tuple[float, float]:
        if self.section < len(self.sections):
            size = self.sections[self.section].find(_w("pgSz"))
            if size is not None:
                width = _int(size.get(_w("w")))
                height = _int(size.get(_w("h")))
                if width and height and width > 0 and height > 0:
                    return width / 20, height / 20  # twentieths of a point
        return DEFAULT_PAGE

    def _new_page(self, always: bool) -> bool:
        """Start a page: an explicit page break always does; a rendered mark, a section break
        or page-break-before only when the current page has text (Word writes a rendered
        mark right after an explicit break: one break, not two)."""
        if not always and not self.page_has_text:
            return False
        self.page_count += 1
        if self.page_count <= self.max_pages:
            self.pages.append(_Page(*self._page_size()))
        self.page_has_text = False
        self.y = 0.0
        return True

    def _line(self, text: str, size: float) -> TextLine:
        page = self.pages[-1]
        box = (0.0, self.y, page.width, self.y + size)
        self.y += size * 1.2
        page.chars += len(text)
        return TextLine(self.page, text, box, size)

    # -- paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, p: Any, ref: int) -> _Para | None:
        ppr = p.find(PPR)
        style_id = self.styles.paragraph_style(ppr)
        if _on(self.styles.paragraph_prop(ppr, style_id, _w("pageBreakBefore"))):
            self._new_page(always=False)
        label = self._label(ppr, style_id)
        lines: list[_Line] = []
        current: list[_Piece] = []
        soft = False

        def flush() -> None:
            text = "".join(piece.text for piece in current).strip()
            if text:
                inked = [piece for piece in current if piece.text.strip()]
                line = self._line(text, _size_of(current))
                lines.append(_Line(line, all(piece.bold for piece in inked), soft))
            current.clear()

        for event in self._runs(p, style_id):
            if isinstance(event, _Piece):
                current.append(event)
                if event.text.strip():
                    self.page_has_text = True
            elif event == "line":
                flush()
                soft = True
            elif event in ("page", "rendered"):
                flush()
                soft = False
                self._new_page(always=event == "page")
        flush()
        self._after_paragraph(ppr)
        if not lines:
            return None
        if label:
            first = lines[0].line
            lines[0].line = TextLine(first.page, label + first.text, first.bbox, first.font_size)
        return _Para(
            ref=ref,
            lines=lines,
            style_heading=self.styles.is_heading_style(style_id)
            or _outline_level(self.styles.paragraph_prop(ppr, style_id, _w("outlineLvl"))),
        )

    def _label(self, ppr: Any, style_id: str | None) -> str | None:
        num_pr = self.styles.paragraph_prop(ppr, style_id, _w("numPr"))
        if num_pr is None:
            return None
        num_id_el = num_pr.find(_w("numId"))
        if num_id_el is None:  # ilvl here, the list from the style
            style_num = self.styles.paragraph_prop(None, style_id, _w("numPr"))
            num_id_el = style_num.find(_w("numId")) if style_num is not None else None
        num_id = num_id_el.get(VAL) if num_id_el is not None else None
        if not num_id or num_id == "0":
            return None
        ilvl_el = num_pr.find(_w("ilvl"))
        ilvl = _int(ilvl_el.get(VAL)) if ilvl_el is not None else None
        return self.numbering.label(num_id, ilvl, style_id)

    def _after_paragraph(self, ppr: Any) -> None:
        """A paragraph holding a ``w:sectPr`` ends a section; the next section's type says
        whether it starts on a new page (every type but "continuous" and "nextColumn")."""
        if ppr is None or ppr.find(SECT_PR) is None:
            return
        self.section += 1
        kind = "nextPage"
        if self.section < len(self.sections):
            found = self.sections[self.section].find(_w("type"))
            if found is not None:
                kind = found.get(VAL, "nextPage")
        if kind not in ("continuous", "nextColumn"):
            self._new_page(always=False)

    def _runs(self, parent: Any, para_style: str | None) -> Iterator[_Piece | str]:
        """The shown content of a paragraph in order: text pieces, "line" for a line break,
        "page" for an explicit page break, "rendered" for Word's last-rendered page mark."""
        for child in parent.iterchildren():
            tag = child.tag
            if tag == R:
                yield from self._run(child, para_style)
            elif tag in RUN_CONTAINERS:
                yield from self._runs(child, para_style)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._runs(content, para_style)

    def _run(self, run: Any, para_style: str | None) -> Iterator[_Piece | str]:
        rpr = run.find(RPR)
        rstyle_el = rpr.find(_w("rStyle")) if rpr is not None else None
        rstyle = rstyle_el.get(VAL) if rstyle_el is not None else None

        def prop(tag: str) -> Any:
            return self.styles.run_prop(rpr, rstyle, para_style, _w(tag))

        hidden = bool(_on(prop("vanish")))
        bold = bool(_on(prop("b")))
        caps = bool(_on(prop("caps")))
        size_el = prop("sz")
        half_points = _int(size_el.get(VAL)) if size_el is not None else None
        size = half_points / 2 if half_points and half_points > 0 else DEFAULT_FONT_SIZE
        for child in run.iterchildren():
            tag = child.tag
            text: str | None = None
            if tag == T:
                text = child.text or ""
            elif tag in (_w("tab"), _w("ptab")):
                text = " "
            elif tag == _w("noBreakHyphen"):
                text = "-"
            elif tag == _w("br"):
                yield "page" if child.get(_w("type")) == "page" else "line"
            elif tag == _w("cr"):
                yield "line"
            elif tag == _w("lastRenderedPageBreak"):
                yield "rendered"
            if text and not hidden:
                yield _Piece(text.upper() if caps else text, bold, size)

    def _classify(self, para: _Para, body_size: float) -> list[FlowItem]:
        """One block, or — where soft line breaks part it — a line that is a heading on its
        own stands alone, as layout.py parts a PDF's lines ("EXHIBIT A" / "COMPENSATION,
        EFFECTIVE JANUARY 1, 2026" are two headings, not one)."""
        parts: list[list[_Line]] = []
        for line in para.lines:
            if not parts or line.soft:
                parts.append([line])
            else:  # a line after a page break continues its part
                parts[-1].append(line)
        if len(parts) == 1:
            return [self._item(parts[0], para, body_size)]
        items: list[FlowItem] = []
        body: list[_Line] = []
        for part in parts:
            item = self._item(part, para, body_size)
            if item.kind is BlockKind.HEADING:
                if body:
                    items.append(FlowItem(BlockKind.PARAGRAPH, _lines(body), para.ref))
                    body = []
                items.append(item)
            else:
                body.extend(part)
        if body:
            items.append(FlowItem(BlockKind.PARAGRAPH, _lines(body), para.ref))
        return items

    def _item(self, lines: list[_Line], para: _Para, body_size: float) -> FlowItem:
        text = " ".join(" ".join(ln.line.text for ln in lines).split())
        shaped = len(text) <= HEADING_MAX_CHARS and not SENTENCE_BREAK.search(text)
        bold = all(ln.bold for ln in lines)
        size = _size_of_lines([ln.line for ln in lines])
        heading = (
            (para.style_heading and shaped)
            or (
                bold
                and shaped
                and len(text) <= 90
                and not text.endswith((".", ",", ";", ":"))
                and len(text.split()) <= 12
            )
            or (len(lines) <= 2 and looks_like_heading(text, size, body_size))
        )
        kind = BlockKind.HEADING if heading else BlockKind.PARAGRAPH
        return FlowItem(kind, _lines(lines), para.ref)

    # -- tables --------------------------------------------------------------------------------

    def _table(self, tbl: Any, ref: int) -> None:
        page = self.page
        top = self.y
        rows: list[list[tuple[int, int, str, list[_Para]]]] = []  # (col, span, text, paras)
        n_cols = len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))
        for tr in self._children(tbl, TR):
            row = []
            trpr = tr.find(_w("trPr"))
            before = trpr.find(_w("gridBefore")) if trpr is not None else None
            col = _int(before.get(VAL), 0) if before is not None else 0
            col = col or 0
            for tc in self._children(tr, TC):
                tcpr = tc.find(_w("tcPr"))
                span_el = tcpr.find(_w("gridSpan")) if tcpr is not None else None
                span = max(_int(span_el.get(VAL), 1) or 1, 1) if span_el is not None else 1
                merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                continued = merge is not None and merge.get(VAL, "continue") == "continue"
                paras = self._cell_paragraphs(tc, ref)
                text = (
                    ""
                    if continued
                    else " ".join(" ".join(ln.line.text for p in paras for ln in p.lines).split())
                )
                row.append((col, span, text, paras))
                col += span
            n_cols = max(n_cols, col)
            rows.append(row)
        prose = any(len(text.split()) >= PROSE_CELL_WORDS for row in rows for _, _, text, _ in row)
        filled_cols = {c for row in rows for c, _, text, _ in row if text}
        if len(rows) < 2 or len(filled_cols) < 2 or prose:
            self._table_as_paragraphs(rows)
            return
        cells = tuple(
            Cell(r, col, text, None, is_header=r == 0)
            for r, row in enumerate(rows)
            for col, _, text, _ in row
        )
        # A nominal box on the page the table starts on: below what came before, unique there.
        bottom = self.y if self.page == page and self.y > top else top + 1.0
        bbox = (0.0, top, self.pages[min(page, len(self.pages)) - 1].width, bottom)
        if self.page == page:
            self.y = bottom + 1.0
        table = Table(page, bbox, len(rows), n_cols, cells)
        self.out.append(FlowItem(BlockKind.TABLE, (), ref, table))

    def _children(self, parent: Any, tag: str) -> Iterator[Any]:
        """Rows of a table or cells of a row, looking into content controls."""
        for child in parent.iterchildren():
            if child.tag == tag:
                yield child
            elif child.tag in (SDT, CUSTOM_XML):
                inner = child.find(SDT_CONTENT) if child.tag == SDT else child
                if inner is not None:
                    yield from self._children(inner, tag)

    def _cell_paragraphs(self, tc: Any, ref: int) -> list[_Para]:
        paras: list[_Para] = []
        for element in self._block_elements(tc):
            if element.tag == P:
                para = self._paragraph(element, ref)
                if para is not None:
                    paras.append(para)
            else:  # a nested table: its cells' paragraphs, in order
                for tr in self._children(element, TR):
                    for cell in self._children(tr, TC):
                        paras.extend(self._cell_paragraphs(cell, ref))
        return paras

    def _table_as_paragraphs(self, rows: list[list[tuple[int, int, str, list[_Para]]]]) -> None:
        """A layout table's text as paragraphs, row by row; a short first cell ("4.2") is the
        number of the clause beside it and starts that clause's text, as a PDF would print it."""
        for row in rows:
            paras = [p for _, _, _, cell in row for p in cell]
            first = row[0][3] if row else []
            if len(row) >= 2 and len(first) == 1 and len(first[0].lines) == 1:
                label = first[0].lines[0].line.text
                nxt = row[1][3]
                if len(label) <= 12 and nxt:
                    head = nxt[0].lines[0].line
                    nxt[0].lines[0].line = TextLine(
                        head.page, f"{label} {head.text}", head.bbox, head.font_size
                    )
                    paras = [p for p in paras if p is not first[0]]
            self.out.extend(paras)


def _size_of(pieces: list[_Piece]) -> float:
    """The size most of a line's characters are set in."""
    weights: dict[float, int] = {}
    for piece in pieces:
        weights[piece.size] = weights.get(piece.size, 0) + len(piece.text.strip())
    if not weights:
        return DEFAULT_FONT_SIZE
    return max(weights, key=lambda size: weights[size])


def _lines(lines: list[_Line]) -> tuple[TextLine, ...]:
    return tuple(ln.line for ln in lines)


def _size_of_lines(lines: list[TextLine]) -> float:
    """The size most of these lines' characters are set in."""
    weights: dict[float, int] = {}
    for line in lines:
        weights[line.font_size] = weights.get(line.font_size, 0) + len(line.text)
    return max(weights, key=lambda size: weights[size])


def _outline_level(element: Any) -> bool:
    level = _int(element.get(VAL)) if element is not None else None
    return level is not None and 0 <= level < 9
