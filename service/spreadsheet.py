"""CSV cells that a spreadsheet shows and never runs.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula. Our CSV cells carry text from the contracts (rate
descriptions, section titles, payer names) and from users (file names), so such a cell is
written with a leading apostrophe, which the spreadsheet shows as text (OWASP, "CSV
Injection"). A plain number (``-12.50``) is left as it is: it is a value, not a formula.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def inert(value: Any) -> Any:
    """``value``, with an apostrophe before it when it is text a spreadsheet would run."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def inert_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: inert(value) for key, value in row.items()}
