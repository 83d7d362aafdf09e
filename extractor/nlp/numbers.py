"""English number words and the "ninety (90)" convention of legal drafting.

Contracts spell quantities out and repeat them as numerals ("one hundred eighty (180) days") so
that a typo in one form can be caught by the other. The numeral is the form drafters check, so
when the two disagree the numeral wins and the disagreement is reported to the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NUMBER_WORDS_PATTERN",
    "NumberReading",
    "parse_number_words",
    "parse_numeral",
    "read_number",
    "reconcile",
]

_UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: dict[str, int] = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_HUNDRED = "hundred"

# "a" / "an" are deliberately not numbers: "a thirty-day period" and "an amount" would turn into
# spurious ones, and drafters who mean one year write "one (1) year".
_VOCABULARY = sorted([*_UNITS, *_TEENS, *_TENS, *_SCALES, _HUNDRED], key=len, reverse=True)
_WORD = "(?:" + "|".join(_VOCABULARY) + ")"
# "and" only ever joins after a scale word ("one hundred and twenty"); allowing it elsewhere
# would glue two separate quantities together ("thirty and sixty days").
NUMBER_WORDS_PATTERN = (
    rf"\b{_WORD}(?:(?:[ \t]*-[ \t]*|\s+){_WORD}|"
    rf"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))[\s-]+and[\s-]+{_WORD})*\b"
)
"""Regex source for a run of number words in lower-case (or re.IGNORECASE) text; a match is a
candidate only, ``parse_number_words`` decides whether it is a well-formed number."""

_SPLIT = re.compile(r"[\s\-]+")
_NUMERAL = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def parse_number_words(text: str) -> int | None:
    """Value of a cardinal written in English words, or None if it is not one.

    Accepts hyphens, any whitespace, "and" after a scale word and any case; rejects digits,
    ordinals, fractions and malformed sequences ("ninety ninety", "six thirty").
    """
    tokens = [t for t in _SPLIT.split(text.strip().lower()) if t]
    if not tokens:
        return None
    if tokens == ["zero"]:
        return 0
    total = 0
    group = 0  # the part below the current scale word, 0..999
    last = ""  # class of the previous token: unit, teen, tens, hundred, scale, and
    last_scale = None
    for token in tokens:
        if token == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
            continue
        if token in _UNITS and token != "zero":
            if last in ("unit", "teen") or (last == "tens" and group % 10):
                return None
            group += _UNITS[token]
            last = "unit"
        elif token in _TEENS:
            if last in ("unit", "teen", "tens"):
                return None
            group += _TEENS[token]
            last = "teen"
        elif token in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            group += _TENS[token]
            last = "tens"
        elif token == _HUNDRED:
            # "twelve hundred" and "twenty-five hundred" are idiomatic; a bare "hundred" is not.
            if last not in ("unit", "teen", "tens") or group >= 100:
                return None
            group *= 100
            last = "hundred"
        elif token in _SCALES:
            scale = _SCALES[token]
            if group == 0 or (last_scale is not None and scale >= last_scale):
                return None
            total += group * scale
            group = 0
            last_scale = scale
            last = "scale"
        else:
            return None
    if last == "and":
        return None
    return total + group


def parse_numeral(text: str) -> int | None:
    """Integer value of a digit string such as "90", "(90)" or "1,000"; None otherwise."""
    match = _NUMERAL.fullmatch(text.strip().strip("()").strip())
    return int(match.group().replace(",", "")) if match else None


@dataclass(frozen=True)
class NumberReading:
    """A quantity read from text: the value to use plus what each written form said."""

    value: int
    words: int | None = None
    numeral: int | None = None

    @property
    def mismatch(self) -> bool:
        """True when the spelled-out and the numeral form disagree (the numeral was used)."""
        return self.words is not None and self.numeral is not None and self.words != self.numeral


def reconcile(words: int | None, numeral: int | None) -> NumberReading | None:
    """Combine the two forms of a quantity, preferring the numeral when both are present."""
    if numeral is not None:
        return NumberReading(numeral, words, numeral)
    if words is not None:
        return NumberReading(words, words, None)
    return None


_WORDS_THEN_NUMERAL = re.compile(r"(?P<words>[^()]*?)\s*\(\s*(?P<numeral>[\d,]+)\s*\)", re.S)
_NUMERAL_THEN_WORDS = re.compile(r"(?P<numeral>[\d,]+)\s*\(\s*(?P<words>[^()]+?)\s*\)", re.S)


def read_number(text: str) -> NumberReading | None:
    """Read "ninety (90)", "(90)", "90 (ninety)", "ninety" or "90"; None if not a quantity."""
    text = text.strip()
    for pattern in (_WORDS_THEN_NUMERAL, _NUMERAL_THEN_WORDS):
        match = pattern.fullmatch(text)
        if match:
            numeral = parse_numeral(match["numeral"])
            words_text = match["words"].strip()
            words = parse_number_words(words_text) if words_text else None
            if numeral is None or (words_text and words is None):
                return None
            return reconcile(words, numeral)
    numeral = parse_numeral(text)
    if numeral is not None:
        return reconcile(None, numeral)
    return reconcile(parse_number_words(text), None)
