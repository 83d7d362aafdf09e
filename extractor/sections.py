"""The contract's section tree, read from the numbering that starts its paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractor.model import Block, BlockKind, Section

ROMAN = r"[IVXLC]+"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "part",
        re.compile(
            r"^(EXHIBIT|ATTACHMENT|SCHEDULE|ADDENDUM|APPENDIX|AMENDMENT)\s+"
            r"(?:NO\.\s*)?([A-Z0-9]{1,4})\b(?![a-z])",
            re.IGNORECASE,
        ),
    ),
    ("article", re.compile(rf"^ARTICLE\s+({ROMAN}|\d+)\b", re.IGNORECASE)),
    ("section", re.compile(r"^(?:SECTION|Section|Sec\.)\s+(\d+(?:\.\d+)*(?:\([a-z0-9]+\))?)")),
    ("dotted", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?(?=\s|$)")),
    # Exhibit-style numbering: "B.7", "C.2.1"; "VII.A", "5.a", dashed "6-1"
    ("dotted", re.compile(r"^([A-Z]\.\d{1,2}(?:\.\d{1,2})*)\.?(?=\s)")),
    ("dotted", re.compile(rf"^((?:{ROMAN}|\d{{1,2}})\.[A-Za-z])\.?(?=\s)")),
    ("dotted", re.compile(r"^(\d{1,2}-\d{1,2})(?=\s)")),
    ("num_paren", re.compile(r"^(\d{1,2})\(([a-z]{1,3}|\d{1,2})\)(?=\s)")),
    ("number", re.compile(r"^(\d{1,2})\.(?=\s+\S)")),
    ("roman", re.compile(rf"^({ROMAN})\.(?=\s+[A-Z])")),
    ("letter", re.compile(r"^\(([a-z]{1,2}|[ivx]{1,4})\)(?=\s)")),
)


@dataclass(frozen=True)
class Numbering:
    kind: str
    number: str
    end: int  # where the numbering ends in the text


def numbering_at_start(text: str) -> Numbering | None:
    stripped = text.lstrip()
    for kind, pattern in _PATTERNS:
        m = pattern.match(stripped)
        if m:
            if kind == "num_paren":
                number = f"{m.group(1)}({m.group(2)})"
            elif kind == "part":
                number = f"{m.group(1).title()} {m.group(2)}"
            else:
                number = m.group(1)
            return Numbering(kind, number, m.end() + len(text) - len(stripped))
    return None


def _title_after(text: str, numbering: Numbering) -> str | None:
    rest = text[numbering.end :].strip(" .:-–—\t")
    if not rest:
        return None
    first = re.split(r"(?<=[a-z)])\.\s", rest, maxsplit=1)[0]
    return first[:80].strip() or None


@dataclass
class _Open:
    index: int
    level: int
    number: str | None


def assign_sections(blocks: list[Block]) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """Give every block its innermost section; sections nest by their numbering depth."""
    sections: list[dict[str, object]] = []
    stack: list[_Open] = []
    last_top: int | None = None
    out: list[Block] = []
    untitled: int | None = None  # a bare "ARTICLE VIII" heading waiting for its title line
    for block in blocks:
        if (
            untitled is not None
            and block.kind is BlockKind.HEADING
            and numbering_at_start(block.text) is None
        ):
            sections[untitled]["title"] = " ".join(block.text.split())[:80]
            untitled = None
            out.append(replace(block, section_index=stack[-1].index if stack else None))
            continue
        untitled = None
        start = _section_start(block, last_top, stack)
        if start is not None:
            level, number, title = start
            if number is not None and number.isdigit() and level == _TOP:
                last_top = int(number)
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1].index if stack else None
            sections.append(
                {
                    "index": len(sections),
                    "number": number,
                    "title": title,
                    "level": level,
                    "page": block.page,
                    "start": block.start,
                    "parent": parent,
                }
            )
            stack.append(_Open(len(sections) - 1, level, number))
            if title is None and block.kind is BlockKind.HEADING:
                untitled = len(sections) - 1
        out.append(replace(block, section_index=stack[-1].index if stack else None))
    ends = _section_ends(sections, out[-1].end if out else 0)
    built = tuple(
        Section(
            index=int(s["index"]),  # type: ignore[call-overload]
            number=s["number"],  # type: ignore[arg-type]
            title=s["title"],  # type: ignore[arg-type]
            level=int(s["level"]),  # type: ignore[call-overload]
            page=int(s["page"]),  # type: ignore[call-overload]
            start=int(s["start"]),  # type: ignore[call-overload]
            end=end,
            parent=s["parent"],  # type: ignore[arg-type]
        )
        for s, end in zip(sections, ends, strict=True)
    )
    return tuple(out), built


_PART, _TOP = 0, 1


def _section_start(
    block: Block, last_top: int | None, stack: list[_Open]
) -> tuple[int, str | None, str | None] | None:
    if block.kind is BlockKind.TABLE:
        return None
    numbering = numbering_at_start(block.text)
    if numbering is None:
        if block.kind is BlockKind.HEADING and block.text.isupper():
            return (_TOP, None, block.text.strip()[:80])
        return None
    title = _title_after(block.text, numbering)
    kind, number = numbering.kind, numbering.number
    if kind == "part":
        return (_PART, number, title)
    if kind in ("article", "roman"):
        return (_TOP, number, title)
    if kind in ("section", "dotted"):
        base = re.sub(r"\(.*$", "", number)
        depth = len(re.findall(r"[.-]", base)) + 1 + (1 if "(" in number else 0)
        return (depth, number, title)
    if kind == "num_paren":
        return (2, number, title)
    if kind == "number":
        value = int(number)
        # A bare "3." is a top-level section only when it continues the top-level count;
        # otherwise it is an item of a numbered list inside a clause.
        if (last_top is None and value == 1) or (last_top is not None and value == last_top + 1):
            return (_TOP, number, title)
        return None
    if kind == "letter":
        numbered = [s for s in stack if s.number and "(" not in s.number and s.level >= _TOP]
        if not numbered:
            return None
        parent = numbered[-1]
        # "(b)" under Section 4 is cited as "4(b)", a sibling of "4(a)".
        return (parent.level + 1, f"{parent.number}({number})", title)
    return None


def _section_ends(sections: list[dict[str, object]], doc_end: int) -> list[int]:
    ends = []
    for i, sec in enumerate(sections):
        end = doc_end
        for later in sections[i + 1 :]:
            if int(later["level"]) <= int(sec["level"]):  # type: ignore[call-overload]
                end = int(later["start"]) - 2  # type: ignore[call-overload]
                break
        ends.append(end)
    return ends
