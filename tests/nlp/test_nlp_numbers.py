from __future__ import annotations

import re

import pytest

from extractor.nlp.numbers import (
    NUMBER_WORDS_PATTERN,
    NumberReading,
    parse_number_words,
    parse_numeral,
    read_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ninety", 90),
        ("one hundred eighty", 180),
        ("twenty-four", 24),
        ("thirty six", 36),
        ("one thousand", 1000),
        ("One Hundred and Twenty", 120),
        ("one-hundred-and-eighty", 180),
        ("three hundred sixty-five", 365),
        ("forty  five", 45),
        ("twelve hundred", 1200),
        ("seven thousand five hundred", 7500),
        ("two hundred fifty thousand", 250_000),
        ("ten million", 10_000_000),
        ("zero", 0),
        ("NINETY", 90),
    ],
)
def test_number_words(text: str, expected: int) -> None:
    assert parse_number_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",  # "a thirty-day period" must not become 1
        "an",
        "90",
        "hundred",
        "ninety ninety",
        "six thirty",
        "thirty and sixty",
        "one and",
        "one thousand two thousand",
        "first",
        "one-half",
    ],
)
def test_not_number_words(text: str) -> None:
    assert parse_number_words(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90", 90), ("(90)", 90), ("( 90 )", 90), ("1,000", 1000), ("ninety", None), ("9.5", None)],
)
def test_numeral(text: str, expected: int | None) -> None:
    assert parse_numeral(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ninety (90)", NumberReading(90, words=90, numeral=90)),
        ("one hundred eighty (180)", NumberReading(180, words=180, numeral=180)),
        ("90 (ninety)", NumberReading(90, words=90, numeral=90)),
        ("(90)", NumberReading(90, numeral=90)),
        ("90", NumberReading(90, numeral=90)),
        ("ninety", NumberReading(90, words=90)),
        # The numeral is what drafters check; the disagreement is reported, not hidden.
        ("eighty (180)", NumberReading(180, words=80, numeral=180)),
        ("ten (90)", NumberReading(90, words=10, numeral=90)),
    ],
)
def test_read_number(text: str, expected: NumberReading) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize(
    ("text", "mismatch"), [("ninety (90)", False), ("eighty (180)", True), ("90", False)]
)
def test_read_number_flags_mismatch(text: str, mismatch: bool) -> None:
    reading = read_number(text)
    assert reading is not None
    assert reading.mismatch is mismatch


@pytest.mark.parametrize("text", ["", "days", "ninety (ninety)", "sixty-ish (60)"])
def test_read_number_rejects(text: str) -> None:
    assert read_number(text) is None


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("within one hundred and twenty (120) days", ["one hundred and twenty"]),
        ("beyond one-hundred-and-eighty (180) days", ["one-hundred-and-eighty"]),
        ("thirty and sixty days", ["thirty", "sixty"]),  # "and" joins only after a scale word
        ("someone ten tenth", ["ten"]),
        ("Thirty-Six months", ["thirty-six"]),
    ],
)
def test_number_words_pattern_finds_whole_runs(text: str, runs: list[str]) -> None:
    assert re.findall(NUMBER_WORDS_PATTERN, text.lower()) == runs
