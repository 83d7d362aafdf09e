"""Rate rows as CSV: the columns of ``payerlens rates --csv`` and the API's
``GET /api/v1/contracts/{id}/rates?format=csv``, one line per row.

``rate_csv_row`` takes the extractor's row (the CLI); ``stored_rate_csv_row`` the schema-v1 dict
kept in the database (the API), and gives the same line for the same row: money is printed to
the cent from its decimal value, never through float formatting noise. Text a spreadsheet would
run as a formula is made inert (``service.spreadsheet``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.model import RateRow
from extractor.serialize import rate_to_dict
from service.spreadsheet import inert_row

RATE_COLUMNS = (
    "file", "page", "section", "table", "row", "code", "code_type", "modifier", "description",
    "methodology", "amount", "percent", "percent_of", "unit", "product_line", "setting",
    "effective_date", "note", "problems", "medicare_amount", "percent_of_medicare",
    "medicare_suspicious",
)  # fmt: skip


def rate_csv_row(path: Path | str, r: RateRow) -> dict[str, object]:
    medicare = r.medicare
    return inert_row(
        {
            "file": str(path),
            **rate_to_dict(r),
            # Money stays exact in the CSV: the Decimal as printed, never a float.
            "amount": None if r.amount is None else f"{r.amount:.2f}",
            "problems": ";".join(r.problems),
            "medicare_amount": None if medicare is None else f"{medicare.amount:.2f}",
            "percent_of_medicare": None
            if medicare is None
            else f"{medicare.percent_of_medicare:.1f}",
            "medicare_suspicious": None if medicare is None else medicare.suspicious,
        }
    )


def _cents(value: Any) -> str | None:
    """A JSON number back to the decimal it was printed from (``repr`` of a float is the
    shortest string that reads back to it), to the cent."""
    if value is None:
        return None
    return f"{Decimal(repr(float(value))):.2f}"


def stored_rate_csv_row(file: str, data: Mapping[str, Any]) -> dict[str, object]:
    """The CSV line of a stored schema-v1 rate row (``RateRow.data`` in the database)."""
    medicare = data.get("medicare")
    return inert_row(
        {
            "file": file,
            **data,
            "amount": _cents(data.get("amount")),
            "problems": ";".join(data.get("problems") or ()),
            "medicare_amount": None if not medicare else _cents(medicare.get("amount")),
            "percent_of_medicare": (
                None if not medicare else f"{float(medicare['percent_of_medicare']):.1f}"
            ),
            "medicare_suspicious": None if not medicare else medicare.get("suspicious"),
        }
    )


def write_csv(rows: Iterable[Mapping[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RATE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
