"""Sanity checks on rate rows: each row comes back with ``problems`` filled, none is dropped.

A problem is a stable code an analyst can filter on; it says "look at this row", not "this row
is wrong". Checks are conservative (a false alarm costs an analyst's trust) and data-driven: the
formats and bands below are tables, one line each.

``rate.code_format``
    The code does not have its code type's format (DOMAIN.md §5.1): CPT 5 digits or 4 digits +
    F/T/U, HCPCS Level II a letter A-V + 4 digits, REV 4 digits, MS-DRG 3 digits 001-999, APC 4
    digits. Three-digit revenue codes are first left-padded ("450" -> "0450"), which is not a
    problem. OTHER or no code type: nothing to check against.
    A code that fits no procedure format in a table whose other codes are CPT/HCPCS (a scan that
    lost a letter, "V5010" read as "5010") is reported the same way.
``rate.modifier_format``
    The modifier is not two letters or digits (DOMAIN.md §5.1).
``rate.amount_implausible``
    The amount lies outside the band of AMOUNT_BANDS for its methodology and unit, e.g. a zero or
    negative fee, a per diem under $10, a PMPM over $5,000 (reasons next to each band).
``rate.percent_implausible``
    The percent is not positive, above 1,000 % of a benchmark, or above 100 % of billed charges.
``rate.column_shift``
    A cell holds what belongs in another column: the description is itself a code, a percent or
    a dollar amount; the code cell holds an amount; the amount equals the row's own code; a
    percent-of-benchmark row carries an amount that looks like a five-digit code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from extractor.model import RateRow

CODE_FORMAT = "rate.code_format"
MODIFIER_FORMAT = "rate.modifier_format"
AMOUNT_IMPLAUSIBLE = "rate.amount_implausible"
PERCENT_IMPLAUSIBLE = "rate.percent_implausible"
COLUMN_SHIFT = "rate.column_shift"

# DOMAIN.md §5.1, per code type (upper-cased, stripped).
CODE_FORMATS: dict[str, re.Pattern[str]] = {
    "CPT": re.compile(r"\d{5}|\d{4}[FTU]"),
    "HCPCS": re.compile(r"[A-V]\d{4}"),
    "REV": re.compile(r"\d{4}"),
    "MS-DRG": re.compile(r"(?!000)\d{3}"),
    "APC": re.compile(r"\d{4}"),
}
MODIFIER = re.compile(r"[A-Z0-9]{2}")


@dataclass(frozen=True)
class Band:
    """Plausible amounts, both ends inclusive; ``high`` None means no upper limit."""

    low: Decimal
    high: Decimal | None


# (methodology, unit) -> band; "*" matches any unit, ("*", "*") any row. Bands are wide, ten
# times or more beyond the prices DOMAIN.md and the shipped contracts show: they catch a misread
# cell (a count, a code, two numbers run together), not an unusual price.
AMOUNT_BANDS: dict[tuple[str, str], Band] = {
    # Fees run from cents (J1885 ketorolac per 15 mg, $0.47, DOMAIN.md §4.1) to a few thousand
    # for surgery; a $0.00 cell means "not payable / payer-priced" (§6) and belongs in `note`.
    # Above $250,000 only a handful of gene and cell therapies, which contracts carve out.
    ("fee_schedule", "*"): Band(Decimal("0.01"), Decimal(250_000)),
    # Per diems: $1,200-$4,800 acute (§4.4), $545 SNF to $6,950 NICU and $86.50 home infusion in
    # the corpus; under $10 is a count or a level number, over $100,000 no bed-day costs.
    ("per_diem", "*"): Band(Decimal(10), Decimal(100_000)),
    # Case rates: $1,020 (ASC endoscopy) to $52,800 (spinal fusion DRG) in the corpus, transplant
    # bundles far above (§4.5); under $50 a "case" is a per-service fee in the wrong column.
    ("case_rate", "*"): Band(Decimal(50), Decimal(2_000_000)),
    # A DRG base rate: Medicare's operating standardized amount is ~$6,750 (§7.3).
    ("drg", "*"): Band(Decimal(500), Decimal(100_000)),
    # PMPM: $4.50-$22.50 in the corpus (carved-out services); global-risk capitation runs to
    # hundreds or low thousands (§4.9); $5,000 a member a month is no capitation rate.
    ("capitation", "*"): Band(Decimal("0.01"), Decimal(5_000)),
    # Conversion factors: Medicare anesthesia ~$20, PFS ~$33 (§7.1); $66-$74 in the corpus.
    ("conversion_factor", "*"): Band(Decimal("0.01"), Decimal(1_000)),
    # Stop-loss thresholds: $100,000-$200,000 (§2.18), $45,000 for an outlier fixed loss.
    ("stop_loss", "*"): Band(Decimal(1_000), Decimal(10_000_000)),
    # Anything else: a price is never zero or negative.
    ("*", "*"): Band(Decimal("0.01"), None),
}

# percent_of -> (exclusive low, inclusive high). A percent of a benchmark above 1,000 % is a
# misread (the §6 column-shift bound); paying more than the provider's own charges is not a rate.
PERCENT_BANDS: dict[str, tuple[float, float]] = {
    "billed_charges": (0.0, 100.0),
    "*": (0.0, 1000.0),
}

# Cells that are a whole code, percent or dollar amount on their own (for column shifts). Only
# unambiguous shapes: CPT/HCPCS, a zero-led revenue code, "$..."/"12.50", "110%".
CODE_LIKE = re.compile(r"\d{5}|\d{4}[FTU]|[A-V]\d{4}|0\d{3}")
AMOUNT_LIKE = re.compile(r"\$\s*[\d,]+(\.\d{1,2})?|[\d,]*\d\.\d{2}")
PERCENT_LIKE = re.compile(r"\d+(\.\d+)?\s*%")
FIVE_DIGIT_CODE = (Decimal(10_000), Decimal(99_999))


def validate_rows(rows: Sequence[RateRow]) -> list[RateRow]:
    """Every row, in order, with its problems appended (existing ones kept, none repeated) and
    three-digit revenue codes padded to four."""
    odd = _odd_codes_in_their_table(rows)
    out = []
    for position, row in enumerate(rows):
        row = _normalised(row)
        found = [*row.problems]
        for problem in _problems(row) + ([CODE_FORMAT] if position in odd else []):
            if problem not in found:
                found.append(problem)
        out.append(replace(row, problems=tuple(found)))
    return out


def _odd_codes_in_their_table(rows: Sequence[RateRow]) -> set[int]:
    """Rows whose code fits no procedure format in a table of CPT/HCPCS codes: most often a
    scan that lost a letter ("V5010" read as "5010") or a shifted column."""
    by_table: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        if row.table is not None and row.code:
            by_table.setdefault(row.table, []).append(position)

    def procedure_like(row: RateRow) -> bool:
        code = (row.code or "").upper()
        return any(CODE_FORMATS[t].fullmatch(code) for t in ("CPT", "HCPCS"))

    odd: set[int] = set()
    for positions in by_table.values():
        coded = [p for p in positions if rows[p].code_type != "REV"]
        fits = [p for p in coded if procedure_like(rows[p])]
        if len(coded) >= 4 and len(fits) >= 0.8 * len(coded):
            odd.update(p for p in coded if p not in fits)
    return odd


def _normalised(row: RateRow) -> RateRow:
    if row.code_type == "REV" and row.code is not None and re.fullmatch(r"\d{3}", row.code):
        return replace(row, code=row.code.zfill(4))
    return row


def _problems(row: RateRow) -> list[str]:
    checks = (
        (CODE_FORMAT, _bad_code),
        (MODIFIER_FORMAT, _bad_modifier),
        (AMOUNT_IMPLAUSIBLE, _bad_amount),
        (PERCENT_IMPLAUSIBLE, _bad_percent),
        (COLUMN_SHIFT, _column_shift),
    )
    return [code for code, check in checks if check(row)]


def _bad_code(row: RateRow) -> bool:
    pattern = CODE_FORMATS.get(row.code_type or "")
    if row.code is None or pattern is None:
        return False
    return not pattern.fullmatch(row.code.strip().upper())


def _bad_modifier(row: RateRow) -> bool:
    return row.modifier is not None and not MODIFIER.fullmatch(row.modifier.strip().upper())


def _band(methodology: str, unit: str | None) -> Band:
    exact = AMOUNT_BANDS.get((methodology, unit or ""))
    return exact or AMOUNT_BANDS.get((methodology, "*"), AMOUNT_BANDS[("*", "*")])


def _bad_amount(row: RateRow) -> bool:
    if row.amount is None:
        return False
    band = _band(row.methodology, row.unit)
    return row.amount < band.low or (band.high is not None and row.amount > band.high)


def _bad_percent(row: RateRow) -> bool:
    if row.percent is None:
        return False
    low, high = PERCENT_BANDS.get(row.percent_of or "", PERCENT_BANDS["*"])
    return not low < row.percent <= high


def _column_shift(row: RateRow) -> bool:
    description = (row.description or "").strip()
    if description and any(
        p.fullmatch(description) for p in (CODE_LIKE, AMOUNT_LIKE, PERCENT_LIKE)
    ):
        return True
    code = (row.code or "").strip()
    if code and ("$" in code or re.fullmatch(r"[\d,]*\d\.\d{1,2}", code)):
        return True
    if row.amount is not None and code.isdigit() and row.amount == Decimal(code):
        return True
    low, high = FIVE_DIGIT_CODE
    return (
        row.methodology == "percent_of_benchmark"
        and row.percent is not None
        and row.amount is not None
        and row.amount == row.amount.to_integral_value()
        and low <= row.amount <= high
    )
