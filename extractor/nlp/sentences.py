"""Sentence boundaries for contract prose.

A finding quotes "the sentence or sentences that carry the term", so boundaries have to survive
legal typography: abbreviations ("U.S.C.", "Inc.", "e.g."), citations ("42 C.F.R. § 422.504(g)"),
section numbers ("Section 8.1"), list enumerators ("1.", "a.") and amounts ("$1,234.50").
PDF text breaks lines mid-sentence, so a single newline is not a boundary; a blank line is.

The rules work on characters, not tokens, so they can be tested and reused without spaCy; the
pipeline component maps the offsets onto tokens.
"""

from __future__ import annotations

import re

__all__ = ["ABBREVIATIONS", "sentence_bounds", "sentence_starts"]

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # legal references
        "sec.",
        "secs.",
        "subsec.",
        "art.",
        "arts.",
        "para.",
        "paras.",
        "ch.",
        "cl.",
        "no.",
        "nos.",
        "p.",
        "pp.",
        "ex.",
        "exh.",
        "sch.",
        "fig.",
        "vol.",
        "rev.",
        "ref.",
        "u.s.",
        "u.s.c.",
        "c.f.r.",
        "fed.",
        "reg.",
        "stat.",
        "seq.",
        "id.",
        "cf.",
        "al.",
        "viz.",
        "e.g.",
        "i.e.",
        "etc.",
        "vs.",
        "v.",
        "approx.",
        # organisations, people, addresses
        "inc.",
        "co.",
        "corp.",
        "ltd.",
        "l.l.c.",
        "llc.",
        "l.p.",
        "llp.",
        "p.c.",
        "p.a.",
        "n.a.",
        "assn.",
        "assoc.",
        "dept.",
        "univ.",
        "bros.",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "st.",
        "jr.",
        "sr.",
        "hon.",
        "prof.",
        "ave.",
        "blvd.",
        "rd.",
        "ste.",
        "hwy.",
        "mt.",
        "ft.",
        # months
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
    }
)
"""Lower-cased words that end in a period without ending the sentence."""

# Words after which a single capital letter is a label ("Exhibit A."), not a person's initial.
_LABEL_WORDS = frozenset(
    {
        "exhibit",
        "schedule",
        "appendix",
        "attachment",
        "addendum",
        "annex",
        "part",
        "article",
        "section",
        "tier",
        "item",
        "class",
        "plan",
        "group",
        "level",
    }
)

# What may open a sentence: a capital, an opening quote or bracket, a digit, or a lower-case list
# label ("b. Payer shall", "ii) the"). A run of marks is only tried from its first mark and
# taken whole: table-of-contents leader dots would otherwise cost quadratic time.
_TERMINAL = re.compile(
    r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?P<gap>\s++)"
    r"(?=[A-Z\"'“‘(\[0-9]|(?:[a-z]|[ivx]{1,5})[.)]\s)"
)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")
_INITIAL = re.compile(r"[A-Z]\.")
_ENUMERATOR = re.compile(r"(?:\d+(?:\.\d+)*|[a-z]|[ivxlcdm]+)\.", re.IGNORECASE)
_HEADING_WORDS = frozenset({"section", "article", "sec.", "part", "§"})
_CLAUSE_END = re.compile(r"[.:;!?][\"'”’)\]]*$")
_OPENERS = "(\"'“‘["


def _ends_sentence(text: str, period: int) -> bool:
    """Whether the "." at ``period``, already known to be followed by whitespace and a likely
    sentence opener, ends a sentence."""
    word_start = period
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : period + 1].lstrip(_OPENERS)
    return not (_is_enumerator(text, word_start, word) or _is_abbreviation(text, word_start, word))


def _is_abbreviation(text: str, word_start: int, word: str) -> bool:
    if _INITIAL.fullmatch(word):
        # "John A. Smith" continues; "Exhibit A. Provider shall" ends.
        return _previous_word(text, word_start).lower() not in _LABEL_WORDS
    return word.lower() in ABBREVIATIONS or bool(_DOTTED_ACRONYM.fullmatch(word))


def _is_enumerator(text: str, word_start: int, word: str) -> bool:
    """A list label ("1.", "a.", "iv.") or numbered heading ("Section 4.") that opens a line or
    follows a clause end: it belongs to the sentence after it."""
    if not _ENUMERATOR.fullmatch(word):
        return False
    j = _skip_blanks_back(text, word_start - 1)
    if j >= 0 and text[j] != "\n":
        k = j
        while k > 0 and not text[k - 1].isspace():
            k -= 1
        if text[k : j + 1].lower() in _HEADING_WORDS:
            j = _skip_blanks_back(text, k - 1)
    return j < 0 or text[j] == "\n" or _ends_clause(text, j)


def _ends_clause(text: str, j: int) -> bool:
    """Whether the non-blank character at ``j`` closes a clause: ":" ";" "!" "?" or a "." that
    is not an abbreviation's ("Ch. 3." does not make "3." a list label)."""
    match = _CLAUSE_END.search(text[max(0, j - 4) : j + 1])
    if match is None:
        return False
    mark = j - (len(match.group()) - 1)
    if text[mark] != ".":
        return True
    word_start = mark
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : mark + 1].lstrip(_OPENERS)
    return not _is_abbreviation(text, word_start, word)


def _skip_blanks_back(text: str, i: int) -> int:
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i


def _previous_word(text: str, end: int) -> str:
    """The last run of word characters before ``end`` (skipping punctuation and spaces)."""
    limit = max(0, end - 40)
    i = end - 1
    while i >= limit and not text[i].isalnum():
        i -= 1
    j = i
    while j >= limit and text[j].isalnum():
        j -= 1
    return text[j + 1 : i + 1]


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start, ascending; the first is the first non-space."""
    first = len(text) - len(text.lstrip())
    if first == len(text):
        return []
    starts = {first}
    for m in _TERMINAL.finditer(text):
        # Only the last mark of a run matters ("etc.)." ends on the final period).
        mark = m.start("gap") - 1
        while text[mark] not in ".!?":
            mark -= 1
        if text[mark] != "." or _ends_sentence(text, mark):
            starts.add(m.end())
    for m in _BLANK_LINE.finditer(text):
        if m.end() < len(text):
            starts.add(m.end())
    return sorted(starts)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences, trailing whitespace excluded."""
    starts = sentence_starts(text)
    if not starts:
        return []
    ends = [*starts[1:], len(text)]
    return [(s, s + len(text[s:e].rstrip())) for s, e in zip(starts, ends, strict=True)]
