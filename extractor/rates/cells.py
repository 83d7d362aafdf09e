"""One cell to one value: amounts (Decimal), percents, codes with modifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

AMOUNT = re.compile(r"^\(?\s*\$?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?\s*\)?\*?$")
PERCENT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*%")
CODE = re.compile(r"^([0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4}|[0-9]{3,4})(?:\s*-\s*([A-Z0-9]{2}))?$")
# Footnote marks after a code or amount ("99214¹", "$98.40*", "0450†").
FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]+$")
# Specks a scan leaves around a code (". 99202", "V2020;") and letters OCR reads for digits.
OCR_SPECKS = re.compile(r"^[^A-Z0-9]+|[^A-Z0-9]+$")
OCR_LETTER_DIGITS = re.compile(r"^[A-V](?=.*[OIL])[0-9OIL]{4}$")
OCR_DIGITS = str.maketrans("OIL", "011")
REV_RANGE = re.compile(r"^[0-9]{3,4}\s*-\s*[0-9]{3,4}$")


@dataclass(frozen=True)
class CodeCell:
    code: str | None
    modifier: str | None
    is_range: bool = False


def cell_to_amount(text: str) -> Decimal | None:
    """'$1,234.50', '1234.5', '$ 95.00', '(12.00)' (negative) -> Decimal; anything else None."""
    t = text.strip()
    m = AMOUNT.match(t)
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
    except InvalidOperation:
        return None
    return -value if t.startswith("(") and t.rstrip("*").endswith(")") else value


def cell_to_percent(text: str) -> float | None:
    m = PERCENT.match(text.strip())
    return float(m.group(1)) if m else None


def cell_to_number(text: str) -> float | None:
    """A bare number ("118", "92.5"), as under a percent column's header."""
    m = re.fullmatch(r"([0-9]{1,4}(?:\.[0-9]+)?)\*?", text.strip())
    return float(m.group(1)) if m else None


def cell_to_code(text: str) -> CodeCell | None:
    """'99213', '99213-26', 'J1885', '0450', '470'; a revenue-code range '0110-0159'."""
    t = FOOTNOTE_MARK.sub("", text.strip().upper().replace(" ", ""))
    t = OCR_SPECKS.sub("", t)
    if OCR_LETTER_DIGITS.match(t):  # "DO120" read by OCR for D0120
        t = t[0] + t[1:].translate(OCR_DIGITS)
    if REV_RANGE.match(t):
        return CodeCell(None, None, is_range=True)
    m = CODE.match(t)
    if not m:
        return None
    return CodeCell(m.group(1), m.group(2))


def code_type_of(code: str) -> str:
    if re.fullmatch(r"[0-9]{5}|[0-9]{4}[FTU]", code):
        return "CPT"
    if re.fullmatch(r"[A-V][0-9]{4}", code):
        return "OTHER" if code.startswith("D") else "HCPCS"
    if re.fullmatch(r"0[0-9]{3}", code):
        return "REV"  # four digits with a leading zero: a revenue code (DOMAIN.md §5.1)
    return "OTHER"
