from __future__ import annotations

import pytest

from extractor.nlp.sentences import sentence_bounds, sentence_starts


def _split(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_bounds(text)]


SENTENCES: list[tuple[str, list[str]]] = [
    # plain boundaries
    ("Payer shall pay. Provider shall bill.", ["Payer shall pay.", "Provider shall bill."]),
    ("Is it covered? Yes! It is.", ["Is it covered?", "Yes!", "It is."]),
    (
        'He wrote "Denied." Then he appealed. (The appeal failed.) Done.',
        ['He wrote "Denied."', "Then he appealed.", "(The appeal failed.)", "Done."],
    ),
    ("The fee is due. 5 days later it is late.", ["The fee is due.", "5 days later it is late."]),
    # abbreviations
    (
        "Provider shall comply with 42 U.S.C. § 1395 et seq. and all rules. Payer agrees.",
        ["Provider shall comply with 42 U.S.C. § 1395 et seq. and all rules.", "Payer agrees."],
    ),
    (
        "Payer shall comply with 42 C.F.R. § 422.504(g) at all times. Provider agrees.",
        ["Payer shall comply with 42 C.F.R. § 422.504(g) at all times.", "Provider agrees."],
    ),
    ("See Sec. 5 and Secs. 6 and 7. Then stop.", ["See Sec. 5 and Secs. 6 and 7.", "Then stop."]),
    (
        "Acme Health Plan, Inc. and Mercy Hospital Co. agree. Both sign.",
        ["Acme Health Plan, Inc. and Mercy Hospital Co. agree.", "Both sign."],
    ),
    (
        "Beta Corp. and Gamma Ltd. and Delta L.L.C. and Eta LLC. Sign here.",
        ["Beta Corp. and Gamma Ltd. and Delta L.L.C. and Eta LLC. Sign here."],
    ),
    (
        "Supplies, e.g. Drugs and devices, i.e. Implants, etc. Are covered. Next.",
        ["Supplies, e.g. Drugs and devices, i.e. Implants, etc. Are covered.", "Next."],
    ),
    (
        "Smith v. Jones and Doe vs. Roe apply. Next.",
        ["Smith v. Jones and Doe vs. Roe apply.", "Next."],
    ),
    (
        "Claim No. 12 and Nos. 13 to 15 are paid. Next.",
        ["Claim No. 12 and Nos. 13 to 15 are paid.", "Next."],
    ),
    (
        "Mr. Smith, Ms. Lee and Dr. Jones of St. Louis sign. Next.",
        ["Mr. Smith, Ms. Lee and Dr. Jones of St. Louis sign.", "Next."],
    ),
    (
        "Dated Jan. 5, 2026 and amended Feb. 1, 2026 and Dec. 1, 2026. Next.",
        ["Dated Jan. 5, 2026 and amended Feb. 1, 2026 and Dec. 1, 2026.", "Next."],
    ),
    ("See Art. 4, Para. 2 and Ch. 3. Next.", ["See Art. 4, Para. 2 and Ch. 3.", "Next."]),
    ("Pay approx. 5 dollars. Next.", ["Pay approx. 5 dollars.", "Next."]),
    ("Laws of the U.S. Apply here. Next.", ["Laws of the U.S. Apply here.", "Next."]),
    ("Signed by John A. Smith for the Plan.", ["Signed by John A. Smith for the Plan."]),
    ("Attached as Exhibit A. Provider agrees.", ["Attached as Exhibit A.", "Provider agrees."]),
    ("Billing is via Rev. Code 450. Next.", ["Billing is via Rev. Code 450.", "Next."]),
    # legal numbering and amounts are not boundaries
    (
        "As provided in Section 8.1, either party may terminate. See Section 4(b) and (a).",
        ["As provided in Section 8.1, either party may terminate.", "See Section 4(b) and (a)."],
    ),
    ("Under 8.1.2 and 4(b) Payer pays. Next.", ["Under 8.1.2 and 4(b) Payer pays.", "Next."]),
    (
        "The rate is $1,234.50 per case. The escalator is 7.5% per year.",
        ["The rate is $1,234.50 per case.", "The escalator is 7.5% per year."],
    ),
    ("Pay $100. Then stop.", ["Pay $100.", "Then stop."]),
    (
        "Terms are set forth in Section 6. If any term fails, the rest survive.",
        ["Terms are set forth in Section 6.", "If any term fails, the rest survive."],
    ),
    # enumerators belong to the sentence they open
    ("1. Provider shall bill. Claims are due.", ["1. Provider shall bill.", "Claims are due."]),
    (
        "(i) the first item; and (ii) the second item. Then more.",
        ["(i) the first item; and (ii) the second item.", "Then more."],
    ),
    (
        "a. Provider shall bill.\nb. Payer shall pay.",
        ["a. Provider shall bill.", "b. Payer shall pay."],
    ),
    (
        "The following apply: 1. Provider shall bill. 2. Payer shall pay.",
        ["The following apply: 1. Provider shall bill.", "2. Payer shall pay."],
    ),
    (
        "8.1. Termination. Either party may end it.",
        ["8.1. Termination.", "Either party may end it."],
    ),
    (
        "as follows:      SECTION 1. The Offering. Shares are sold.",
        ["as follows:      SECTION 1. The Offering.", "Shares are sold."],
    ),
    ("IV. Payment terms apply. Next.", ["IV. Payment terms apply.", "Next."]),
    # semicolons, line breaks, blank lines
    (
        "Payer may offset; Provider may appeal. Next.",
        ["Payer may offset; Provider may appeal.", "Next."],
    ),
    (
        "This sentence continues\nacross a PDF line break. Next.",
        ["This sentence continues\nacross a PDF line break.", "Next."],
    ),
    ("ARTICLE 1\n\nDEFINITIONS\n\n1.1 Terms.", ["ARTICLE 1", "DEFINITIONS", "1.1 Terms."]),
    ("Sec.\n\nFive applies.", ["Sec.", "Five applies."]),
    ("no period here\n \t\nnor here", ["no period here", "nor here"]),
    # lower case after a period is a continuation
    (
        "Pay within 30 days. thereafter interest accrues.",
        ["Pay within 30 days. thereafter interest accrues."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _split(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert sentence_bounds(text) == []
    assert sentence_starts(text) == []


def test_starts_skip_leading_whitespace_and_bounds_trim_trailing() -> None:
    text = "  \nFirst one.  Second one.\n\n"
    assert sentence_starts(text) == [3, 15]
    assert sentence_bounds(text) == [(3, 13), (15, 26)]


def test_long_text_without_newlines_stays_fast() -> None:
    # Enumerator and heading checks look back a bounded distance, never to the line start.
    text = "Payer shall pay the claim in full. " * 20_000
    assert len(sentence_starts(text)) == 20_000


def test_leader_dots_do_not_cost_quadratic_time() -> None:
    # Table-of-contents leaders; a backtracking pattern takes minutes on this, a linear one ms.
    text = "Contents " + "." * 200_000 + " 5\nSection 1 " + ". " * 100_000 + "Definitions."
    assert sentence_starts(text)[0] == 0
