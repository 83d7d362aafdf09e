"""Regex finder for the quantities payer contracts are made of: durations, money, percentages,
dates and medical codes, each with a normalised value.

Pure Python and spaCy-free so rules, table readers and tests can use it directly; the spaCy
pipeline (``pipeline.py``) only maps its results onto tokens.

Every pattern finds a *candidate*; a candidate becomes an entity only if its value parses (a
real calendar date, a well-formed number). Overlaps are resolved longest-first, so
"one hundred ten percent (110%)" is one PERCENT rather than a number plus a percentage.

Codes: a code is recognised only in a list that follows its keyword ("CPT", "CPT®", "HCPCS",
"J-code", "revenue code", "Rev. Code", "DRG", "MS-DRG(s)"), because bare 3-5 digit numbers in prose
are zip codes, amounts and years. The value is a ``Code``: "99213-26" -> Code("99213", "26");
a printed range "0110-0159" is ONE entity, Code("0110", through="0159"); revenue codes are
padded to four characters ("450" -> "0450"). Codes in rate tables are the table reader's job.

Known misses (kept visible in tests/nlp/test_nlp_entities.py::KNOWN_MISSES): fractional
durations ("1.5 years", "one and one-half years"), "a year" / "a month" (the article is not read
as one), DRGs printed with fewer than three digits ("DRG 65"), non-US currencies.

Speed: the full patterns are expensive to try at every character (long alternations of number
words), so each kind has a cheap *trigger* (a unit word, "$", "%", a year, a code keyword) and
its full pattern only runs in a window around each trigger. Patterns run on a lower-cased copy
of the text, which is several times faster than ``re.IGNORECASE``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from extractor.nlp.numbers import (
    NUMBER_WORDS_PATTERN,
    NumberReading,
    parse_number_words,
    parse_numeral,
    reconcile,
)

__all__ = ["LABELS", "MISMATCH", "Code", "Duration", "Entity", "EntityValue", "find_entities"]

LABELS: tuple[str, ...] = (
    "DURATION",
    "MONEY",
    "PERCENT",
    "DATE",
    "CPT",
    "HCPCS",
    "REV",
    "MS-DRG",
)

DurationUnit = Literal["days", "months"]
DayQualifier = Literal["calendar", "business", None]


@dataclass(frozen=True)
class Duration:
    """A span of time as contracts count it: weeks become days, years become months."""

    amount: int
    unit: DurationUnit
    qualifier: DayQualifier = None


@dataclass(frozen=True)
class Code:
    """A medical code as a rate row keys it. ``modifier`` is the first "-XX" modifier printed
    after it; ``through`` is the last code of a printed range ("0110-0159")."""

    code: str
    modifier: str | None = None
    through: str | None = None


EntityValue = Duration | Code | Decimal | float | date
"""DURATION -> Duration, MONEY -> Decimal, PERCENT -> float, DATE -> date, codes -> Code."""


@dataclass(frozen=True)
class Entity:
    """A found quantity; ``start``/``end`` are character offsets into the searched text.

    ``warnings`` carries stable codes a reviewer should see, e.g. ``number.word_numeral_mismatch``
    when "eighty (180)" was read as 180 (the numeral wins).
    """

    label: str
    start: int
    end: int
    text: str
    value: EntityValue
    warnings: tuple[str, ...] = ()


MISMATCH = "number.word_numeral_mismatch"

_WORDS = NUMBER_WORDS_PATTERN
_INT = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_DEC = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
# A numeral glued to a preceding digit, decimal point, currency sign or slash belongs to
# another quantity ("1.5 years" is not "5 years", "$30 days" is not a duration).
_NUM_START = r"(?<![\w.,$/\-])"


@dataclass(frozen=True)
class _Scan:
    """A full pattern and the cheap trigger every one of its matches contains.

    The pattern runs only over the stretches of text within ``before``/``after`` characters of
    a trigger; overlapping stretches are merged, so dense triggers (a fee schedule with a "$"
    every few words) cost one pass over the text rather than one pass per trigger.
    """

    pattern: re.Pattern[str]
    trigger: re.Pattern[str]
    before: int
    after: int

    def matches(self, low: str) -> Iterator[re.Match[str]]:
        size = len(low)
        for start, end in self._stretches(low):
            for m in self.pattern.finditer(low, start, end):
                if m.end() == end < size:
                    # The stretch may have cut the match short; let it run to its natural end.
                    full = self.pattern.match(low, m.start())
                    if full is not None:
                        yield full
                else:
                    yield m

    def _stretches(self, low: str) -> Iterator[tuple[int, int]]:
        size = len(low)
        current: tuple[int, int] | None = None
        for t in self.trigger.finditer(low):
            start, end = max(0, t.start() - self.before), min(size, t.end() + self.after)
            if current is not None and start <= current[1]:
                current = (current[0], end)
                continue
            if current is not None:
                yield current
            current = (start, end)
        if current is not None:
            yield current


# Whitespace within one line or across a single line break: PDF text wraps mid-phrase, but a
# blank line separates blocks ("2001\n\nYEAR 2" in a payment table is not a duration).
_GAP = r"[^\S\n]*(?:\n[^\S\n]*)?"


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source, re.VERBOSE)


# ---------------------------------------------------------------- DURATION

_DURATION = _Scan(
    _compile(
        rf"""
        (?:
            (?P<w1>{_WORDS})\s*\(\s*(?P<n1>{_INT})\s*\)                  # ninety (90)
          | {_NUM_START}(?P<n2>{_INT})\s*\(\s*(?P<w2>{_WORDS})\s*\)     # 90 (ninety)
          | \(\s*(?P<n3>{_INT})\s*\)                                    # (90)
          | {_NUM_START}(?!(?:19|20)\d\d\b)(?P<n4>{_INT})               # 90, but not "2019"
          | (?P<w4>{_WORDS})                                            # ninety
        )
        (?:{_GAP}-{_GAP}|(?=\s){_GAP}|(?<=[\d)]))           # "90-day", "(30)-day", "90days"
        (?:(?:consecutive|successive|additional|full|further)\s+)?
        (?:(?P<qual>calendar|business|working)(?:{_GAP}-{_GAP}|(?=\s){_GAP}))?
        (?P<unit>day|week|month|year)
        (?:s\b['’]?|['’]s\b|\b)                          # days, days', day's
        """
    ),
    re.compile(r"day|week|month|year"),
    before=160,
    after=12,
)

_UNIT_SCALE: dict[str, tuple[DurationUnit, int]] = {
    "day": ("days", 1),
    "week": ("days", 7),
    "month": ("months", 1),
    "year": ("months", 12),
}
_QUALIFIER: dict[str, DayQualifier] = {
    "calendar": "calendar",
    "business": "business",
    "working": "business",
}


def _reading(
    m: re.Match[str], word_groups: tuple[str, ...], numeral_groups: tuple[str, ...]
) -> NumberReading | None:
    """The quantity a match spells, from whichever word / numeral groups took part."""
    words_text = next((m[g] for g in word_groups if m[g]), None)
    numeral_text = next((m[g] for g in numeral_groups if m[g]), None)
    words = parse_number_words(words_text) if words_text else None
    numeral = parse_numeral(numeral_text) if numeral_text else None
    # A word run that is not a well-formed number is only tolerable when a numeral backs it.
    if words_text and words is None and numeral is None:
        return None
    return reconcile(words, numeral)


def _durations(text: str, low: str) -> Iterator[Entity]:
    for m in _DURATION.matches(low):
        reading = _reading(m, ("w1", "w2", "w4"), ("n1", "n2", "n3", "n4"))
        if reading is None or reading.value == 0:
            continue
        unit, factor = _UNIT_SCALE[m["unit"]]
        qualifier = _QUALIFIER[m["qual"]] if m["qual"] else None
        value = Duration(reading.value * factor, unit, qualifier)
        yield _entity("DURATION", text, m, value, reading.mismatch)


# ---------------------------------------------------------------- MONEY

_DOLLARS = r"(?:u\.?s\.?\s+)?dollars?\b"
_CURRENCY = r"(?:us\s?\$|u\.s\.\s?\$|\$|usd\b\s?)"


def _money_scale(n: int) -> str:
    # Letter suffixes must be attached ("$5M", "$250K"); words may follow a space.
    return rf"(?:\s*(?P<scale{n}>thousand|million|billion)\b|(?P<abbr{n}>mm|m|k|b)\b)"


_MONEY = _Scan(
    _compile(
        rf"""
        (?:
            (?P<w1>{_WORDS})\s*(?:{_DOLLARS}\s*)?
                \(\s*(?P<c1>{_CURRENCY})?\s*(?P<n1>{_DEC})\s*(?:usd\s*)?\)(?P<d1>\s*{_DOLLARS})?
                                                      # one thousand dollars ($1,000)
          | {_NUM_START}(?P<c2>{_CURRENCY})\s*(?P<n2>{_DEC})(?!\d|['’]\d){_money_scale(2)}?
                                                      # $1,234.50, USD 1,000, $2.5 million
          | {_NUM_START}(?P<n3>{_DEC})(?!\d){_money_scale(3)}?\s*{_DOLLARS}   # 1,000 dollars
          | (?P<w4>{_WORDS})\s+{_DOLLARS}             # one thousand dollars
        )
        """
    ),
    re.compile(r"\$|usd|dollar"),
    before=160,
    after=40,
)
_SCALE_FACTOR = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "billion": 1_000_000_000,
    "b": 1_000_000_000,
}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _money(text: str, low: str) -> Iterator[Entity]:
    for m in _MONEY.matches(low):
        if m["w1"] is not None and m["c1"] is None and "dollar" not in m[0]:
            continue  # "ninety (90)" without a currency marker is not money
        numeral_text = m["n1"] or m["n2"] or m["n3"]
        words_text = m["w1"] or m["w4"]
        words = parse_number_words(words_text) if words_text else None
        if numeral_text is None:
            if words is not None:
                yield _entity("MONEY", text, m, Decimal(words), False)
            continue
        amount = _decimal(numeral_text)
        if amount is None:
            continue
        scale = m["scale2"] or m["abbr2"] or m["scale3"] or m["abbr3"]
        if scale:
            amount *= _SCALE_FACTOR[scale]
        yield _entity("MONEY", text, m, amount, words is not None and words != amount)


# ---------------------------------------------------------------- PERCENT

_PCT_WORD = r"(?:per\s?cent|pct\.?)(?!age)\b"
_PCT_SIGN = rf"(?:\s*%|\s*{_PCT_WORD})"

_PERCENT = _Scan(
    _compile(
        rf"""
        (?:
            (?P<w1>{_WORDS})\s+{_PCT_WORD}\s*\(\s*(?P<n1>{_DEC})\s*(?:%|{_PCT_WORD})?\s*\)
                                                      # one hundred ten percent (110%)
          | (?P<w2>{_WORDS})\s*\(\s*(?P<n2>{_DEC})\s*(?:%|{_PCT_WORD})?\s*\){_PCT_SIGN}
                                                      # fifty (50) percent, fifty-one (51%) percent
          | (?P<w3>{_WORDS})\s*\(\s*(?P<n3>{_DEC})\s*%\s*\)   # forty (40%)
          | {_NUM_START}(?P<n4>{_DEC}){_PCT_SIGN}     # 110%, 65 percent
          | (?P<w5>{_WORDS})\s+{_PCT_WORD}            # forty percent
        )
        """
    ),
    re.compile(r"%|per\s?cent|pct"),
    before=160,
    after=30,
)


def _percents(text: str, low: str) -> Iterator[Entity]:
    for m in _PERCENT.matches(low):
        numeral_text = m["n1"] or m["n2"] or m["n3"] or m["n4"]
        words_text = m["w1"] or m["w2"] or m["w3"] or m["w5"]
        words = parse_number_words(words_text) if words_text else None
        if numeral_text is not None:
            value = float(numeral_text.replace(",", ""))
        elif words is not None:
            value = float(words)
        else:
            continue
        mismatch = words is not None and numeral_text is not None and words != value
        yield _entity("PERCENT", text, m, value, mismatch)


# ---------------------------------------------------------------- DATE

_MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_ORDINAL_WORDS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        (
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ),
        start=1,
    )
}
_ORDINAL_WORDS |= {f"twenty-{w}": 20 + n for w, n in list(_ORDINAL_WORDS.items())[:9]}
_ORDINAL_WORDS |= {"thirtieth": 30, "thirty-first": 31}

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL_NAMES = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)).replace("-", r"[\s-]")
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_SUFFIX = r"(?:st|nd|rd|th)"

_DATE = _Scan(
    _compile(
        rf"""
        \b(?P<m1>{_MONTH_NAMES})\b\.?\s*(?P<d1>[0-3]?\d){_SUFFIX}?\b,?\s+(?P<y1>{_YEAR})
                                                      # January 1, 2026 · Jan. 1st, 2026
      | \b(?:(?P<d2>[0-3]?\d){_SUFFIX}?|(?P<o2>{_ORDINAL_NAMES}))\b(?:\s+day)?\s+(?:of\s+)?
            (?P<m2>{_MONTH_NAMES})\b\.?,?\s+(?:in\s+the\s+year\s+)?(?P<y2>{_YEAR})
                                                      # 1 January 2026 · 1st day of January, 2026
      | (?<![\w/.\-])(?P<m3>[01]?\d)/(?P<d3>[0-3]?\d)/(?P<y3>(?:19|20)\d{{2}}|\d{{2}})
            (?![\w/]|\.\d)                            # 01/01/2026 · 1/1/26 (US order)
      | (?<![\w/.\-])(?P<m4>[01]?\d)-(?P<d4>[0-3]?\d)-(?P<y4>{_YEAR})
            (?![\w\-]|\.\d)                           # 01-01-2026
      | (?<![\w\-])(?P<y5>{_YEAR})-(?P<m5>\d{{2}})-(?P<d5>\d{{2}})
            (?![\w\-])                                # 2026-01-01
        """
    ),
    # Every accepted form carries its year; two-digit years only occur after "d/d/".
    re.compile(r"(?:19|20)\d\d|\d/\d"),
    before=90,
    after=16,
)

# Two-digit years pivot at 70 ("6/21/99" is 1999, "1/1/26" is 2026), fixed rather than relative
# to today so that results do not drift with the calendar.
_CENTURY_PIVOT = 70


def _date_value(m: re.Match[str]) -> date | None:
    form = next(n for n in "12345" if m[f"y{n}"])
    year = int(m[f"y{form}"])
    if len(m[f"y{form}"]) == 2:
        year += 2000 if year < _CENTURY_PIVOT else 1900
    month_text = m[f"m{form}"]
    month = _MONTHS[month_text] if month_text[0].isalpha() else int(month_text)
    ordinal = m["o2"]
    day = _ORDINAL_WORDS[re.sub(r"\s+", "-", ordinal)] if ordinal else int(m[f"d{form}"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dates(text: str, low: str) -> Iterator[Entity]:
    for m in _DATE.matches(low):
        value = _date_value(m)
        if value is not None:
            yield _entity("DATE", text, m, value, False)


# ---------------------------------------------------------------- medical codes

# A code is only recognised in a list introduced by its keyword: bare 3-5 digit numbers in prose
# are zip codes, amounts, years and phone numbers far more often than codes.
_KW_TAIL = r"(?:\s+(?:codes?|code\s*\(s\)|code\s+numbers?|nos?\.|numbers?))?\s*[:#]?\s*"
_PROC_KW = (
    r"\b(?:cpt(?:-4)?(?:\s*®|\s*\(r\))?(?:\s*(?:/|and|or)\s*hcpcs(?:\s+level\s+(?:ii|2))?)?"
    r"|hcpcs(?:\s+level\s+(?:ii|2))?(?:\s*(?:/|and|or)\s*cpt(?:-4)?(?:\s*®)?)?"
    r"|j-?codes?)"
)
_REV_KW = r"\b(?:revenue|rev\.?)\s*(?:center\s+)?(?:codes?|code\s*\(s\))"
_DRG_KW = r"(?<![\w\-])(?:ms[\s\-]?)?drgs?"

_PROC_ITEM = r"(?:\d{4}[ftu]|\d{5}|[a-v]\d{4})"
_REV_ITEM = r"(?:\d{3,4}|\d{2,3}x)"
_DRG_ITEM = r"\d{3}"
# A number followed by a unit is a quantity in a sentence that happens to follow a code list
# ("revenue code 450 and 180 days"), not another code.
_NOT_QUANTITY = (
    r"(?!\w|\s*(?:%|per\s?cent|(?:calendar\s+|business\s+)?(?:day|week|month|year|hour)s?\b))"
)
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?:through|thru|to)\s+)"
_LIST_SEP = r"(?:\s*[,;/]\s*(?:(?:and|or|and/or)\s+)?|\s+(?:and|or|and/or)\s+)"
_CODE_TRIGGER = re.compile(r"cpt|hcpcs|rev|drg|j-?code")


@dataclass(frozen=True)
class _CodeSystem:
    listing: _Scan  # keyword followed by one or more items
    item: re.Pattern[str]
    label_of: Callable[[str], str]
    normal: Callable[[str], str]


def _code_system(
    keyword: str,
    item: str,
    modifier: bool,
    label_of: Callable[[str], str],
    normal: Callable[[str], str],
) -> _CodeSystem:
    mod = r"(?:-(?P<mod>[a-z0-9]{2})(?!\w))?" if modifier else ""
    one = (
        rf"(?P<code>{item}){_NOT_QUANTITY}"
        rf"(?:{_RANGE_SEP}(?P<through>{item}){_NOT_QUANTITY}|{mod})"
    )
    anonymous = re.sub(r"\(\?P<\w+>", "(?:", one)
    listing = re.compile(rf"{keyword}{_KW_TAIL}(?P<list>{anonymous}(?:{_LIST_SEP}{anonymous})*)")
    return _CodeSystem(
        _Scan(listing, _CODE_TRIGGER, before=4, after=48), re.compile(one), label_of, normal
    )


_CODE_SYSTEMS = (
    _code_system(
        _PROC_KW, _PROC_ITEM, True, lambda c: "HCPCS" if c[0].isalpha() else "CPT", str.upper
    ),
    _code_system(_REV_KW, _REV_ITEM, False, lambda _: "REV", lambda c: c.upper().zfill(4)),
    _code_system(_DRG_KW, _DRG_ITEM, False, lambda _: "MS-DRG", str),
)


def _codes(text: str, low: str) -> Iterator[Entity]:
    for system in _CODE_SYSTEMS:
        for listing in system.listing.matches(low):
            for m in system.item.finditer(low, listing.start("list"), listing.end("list")):
                code = system.normal(m["code"])
                label = system.label_of(code)
                end = m.end()
                through = system.normal(m["through"]) if m["through"] else None
                if through is not None and system.label_of(through) != label:
                    through, end = None, m.end("code")
                modifier = m.groupdict().get("mod")
                value = Code(code, modifier.upper() if modifier else None, through)
                yield Entity(label, m.start(), end, text[m.start() : end], value)


# ---------------------------------------------------------------- assembly


def _entity(label: str, text: str, m: re.Match[str], value: EntityValue, mismatch: bool) -> Entity:
    return Entity(
        label, m.start(), m.end(), text[m.start() : m.end()], value, (MISMATCH,) if mismatch else ()
    )


_FINDERS: tuple[Callable[[str, str], Iterator[Entity]], ...] = (
    _codes,
    _money,
    _percents,
    _dates,
    _durations,
)
# Equal spans are rare; when they happen the more specific reading wins.
_PRIORITY = {
    label: rank
    for rank, label in enumerate(
        ("CPT", "HCPCS", "REV", "MS-DRG", "MONEY", "PERCENT", "DATE", "DURATION")
    )
}


def _non_overlapping(candidates: list[Entity]) -> list[Entity]:
    """Keep the longest candidates, dropping any that overlap one already kept."""
    ranked = sorted(candidates, key=lambda e: (e.start - e.end, _PRIORITY[e.label], e.start))
    starts: list[int] = []
    kept: list[Entity] = []  # parallel to ``starts``, sorted by start
    for entity in ranked:
        i = bisect_left(starts, entity.start)
        if (i > 0 and kept[i - 1].end > entity.start) or (
            i < len(kept) and kept[i].start < entity.end
        ):
            continue
        starts.insert(i, entity.start)
        kept.insert(i, entity)
    return kept


def _fold(text: str) -> str:
    # str.lower() keeps offsets except for U+0130 ("İ" -> "i̇"), the one code point it expands.
    return text.replace("\u0130", "i").lower()


def find_entities(text: str) -> list[Entity]:
    """All DURATION, MONEY, PERCENT, DATE, CPT, HCPCS, REV and MS-DRG entities in ``text``,
    non-overlapping and sorted by start offset."""
    low = _fold(text)
    candidates = [entity for finder in _FINDERS for entity in finder(text, low)]
    return _non_overlapping(candidates)
