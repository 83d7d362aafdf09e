"""CSV exports never hand a spreadsheet a formula: contract text and file names are data."""

from __future__ import annotations

import csv
import io

import pytest

from service.rates_csv import stored_rate_csv_row, write_csv
from service.spreadsheet import inert


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x.example","fee")', '\'=HYPERLINK("http://x.example","fee")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTAB", "'\tTAB"),
        ("-12.50", "-12.50"),  # a negative amount is a number, left alone
        ("+5", "+5"),
        ("Office visit", "Office visit"),
        (95.5, 95.5),
        (None, None),
    ],
)
def test_cells_a_spreadsheet_would_run_are_made_text(value: object, shown: object) -> None:
    assert inert(value) == shown


def test_rate_csv_quotes_formula_text_from_the_contract() -> None:
    stored = {
        "page": 7,
        "code": "99213",
        "description": "=1+1 office visit",
        "section": "@Exhibit A",
        "amount": -5.0,
        "problems": [],
    }
    text = write_csv([stored_rate_csv_row("=evil.pdf", stored)])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["file"] == "'=evil.pdf"
    assert row["description"] == "'=1+1 office visit"
    assert row["section"] == "'@Exhibit A"
    assert row["amount"] == "-5.00" and row["code"] == "99213" and row["page"] == "7"
