"""validate_rows: each problem code fires on a bad row and stays quiet on a normal one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.model import RateRow
from extractor.rates.validate import (
    AMOUNT_IMPLAUSIBLE,
    CODE_FORMAT,
    COLUMN_SHIFT,
    MODIFIER_FORMAT,
    PERCENT_IMPLAUSIBLE,
    validate_rows,
)
from tests.conftest import rate_row

_row = rate_row


def _problems(row: RateRow) -> tuple[str, ...]:
    (out,) = validate_rows([row])
    return out.problems


NORMAL_ROWS = [
    _row(),
    _row(code="0001U"),
    _row(code="99091", code_type="CPT"),
    _row(code="J1885", code_type="HCPCS", amount=Decimal("0.52"), unit="per_unit"),
    _row(code="71046", modifier="26", amount=Decimal("12.35")),
    _row(code="71046", modifier="TC", amount=Decimal("32.35")),
    _row(code="T1015", code_type="HCPCS", modifier="HE"),
    _row(code="D1110", code_type="OTHER"),
    _row(
        code="0174", code_type="REV", methodology="per_diem", unit="per_diem", amount=Decimal(5420)
    ),
    _row(
        code=None, code_type="REV", methodology="per_diem", unit="per_diem", amount=Decimal("86.50")
    ),
    _row(
        code="470",
        code_type="MS-DRG",
        methodology="case_rate",
        unit="per_case",
        amount=Decimal(28450),
    ),
    _row(
        code="003",
        code_type="MS-DRG",
        methodology="case_rate",
        unit="per_case",
        amount=Decimal(190000),
    ),
    _row(
        code="5012", code_type="APC", methodology="case_rate", unit="per_case", amount=Decimal(412)
    ),
    _row(code=None, code_type=None, methodology="drg", unit="per_case", amount=Decimal(9800)),
    _row(code=None, code_type=None, methodology="capitation", unit="pmpm", amount=Decimal("4.50")),
    _row(
        code=None,
        code_type=None,
        description="Great Lakes Choice PPO",
        methodology="conversion_factor",
        unit="per_unit",
        amount=Decimal("68.50"),
    ),
    _row(
        code=None,
        code_type=None,
        methodology="stop_loss",
        unit="per_case",
        amount=Decimal(150000),
        percent=65.0,
        percent_of="billed_charges",
    ),
    _row(methodology="percent_of_benchmark", amount=None, percent=120.0, percent_of="medicare"),
    _row(
        code=None,
        code_type=None,
        methodology="percent_of_benchmark",
        amount=None,
        percent=45.0,
        percent_of="billed_charges",
        unit=None,
    ),
    _row(code=None, code_type=None, methodology="other", amount=None, percent=115.0),
    _row(amount=None, note="by_report"),
    _row(description=None),
    _row(description="Level 3"),
    _row(description="Evaluation and management, 15 minutes"),
]


@pytest.mark.parametrize("row", NORMAL_ROWS, ids=lambda r: f"{r.code}-{r.methodology}")
def test_normal_rows_have_no_problems(row: RateRow) -> None:
    assert _problems(row) == ()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (_row(code="9921"), CODE_FORMAT),
        (_row(code="992133"), CODE_FORMAT),
        (_row(code="0001X"), CODE_FORMAT),
        (_row(code="J188", code_type="HCPCS"), CODE_FORMAT),
        (_row(code="W1234", code_type="HCPCS"), CODE_FORMAT),
        (_row(code="99284", code_type="REV"), CODE_FORMAT),
        (_row(code="45", code_type="REV"), CODE_FORMAT),
        (_row(code="000", code_type="MS-DRG", methodology="case_rate"), CODE_FORMAT),
        (_row(code="4700", code_type="MS-DRG", methodology="case_rate"), CODE_FORMAT),
        (_row(code="501", code_type="APC", methodology="case_rate"), CODE_FORMAT),
        (_row(modifier="2"), MODIFIER_FORMAT),
        (_row(modifier="26TC"), MODIFIER_FORMAT),
        (_row(modifier="T-"), MODIFIER_FORMAT),
        (_row(amount=Decimal(0)), AMOUNT_IMPLAUSIBLE),
        (_row(amount=Decimal("-12.00")), AMOUNT_IMPLAUSIBLE),
        (_row(amount=Decimal("250000.01")), AMOUNT_IMPLAUSIBLE),
        (_row(methodology="per_diem", unit="per_diem", amount=Decimal("9.99")), AMOUNT_IMPLAUSIBLE),
        (_row(methodology="per_diem", unit="per_diem", amount=Decimal(100001)), AMOUNT_IMPLAUSIBLE),
        (_row(methodology="capitation", unit="pmpm", amount=Decimal(5001)), AMOUNT_IMPLAUSIBLE),
        (
            _row(methodology="conversion_factor", unit="per_unit", amount=Decimal(1200)),
            AMOUNT_IMPLAUSIBLE,
        ),
        (_row(methodology="case_rate", unit="per_case", amount=Decimal(12)), AMOUNT_IMPLAUSIBLE),
        (_row(methodology="other", unit=None, amount=Decimal(-5)), AMOUNT_IMPLAUSIBLE),
        (_row(methodology="percent_of_benchmark", amount=None, percent=0.0), PERCENT_IMPLAUSIBLE),
        (
            _row(methodology="percent_of_benchmark", amount=None, percent=1100.0),
            PERCENT_IMPLAUSIBLE,
        ),
        (
            _row(
                methodology="percent_of_benchmark",
                amount=None,
                percent=120.0,
                percent_of="billed_charges",
            ),
            PERCENT_IMPLAUSIBLE,
        ),
        (_row(description="99214"), COLUMN_SHIFT),
        (_row(description="$109.40"), COLUMN_SHIFT),
        (_row(description="109.40"), COLUMN_SHIFT),
        (_row(description="120%"), COLUMN_SHIFT),
        (_row(code="$109.40", code_type=None), COLUMN_SHIFT),
        (_row(amount=Decimal(99213)), COLUMN_SHIFT),
        (
            _row(methodology="percent_of_benchmark", percent=120.0, amount=Decimal(99214)),
            COLUMN_SHIFT,
        ),
    ],
)
def test_each_problem_fires(row: RateRow, problem: str) -> None:
    assert problem in _problems(row)


def test_rows_are_kept_in_order_with_existing_problems_and_no_duplicates() -> None:
    rows = [_row(code="9921", problems=("rate.ocr_low_confidence",)), _row(), _row(modifier="x")]
    out = validate_rows(rows)
    assert [r.code for r in out] == ["9921", "99213", "99213"]
    assert out[0].problems == ("rate.ocr_low_confidence", CODE_FORMAT)
    assert out[1].problems == ()
    assert out[2].problems == (MODIFIER_FORMAT,)
    assert validate_rows(out) == out  # idempotent


def test_three_digit_revenue_codes_are_padded() -> None:
    row = _row(code="450", code_type="REV", methodology="per_diem", unit="per_diem")
    (out,) = validate_rows([row])
    assert out.code == "0450"
    assert out.problems == ()
    (drg,) = validate_rows([_row(code="470", code_type="MS-DRG", methodology="case_rate")])
    assert drg.code == "470"  # only revenue codes are padded


def test_amount_problem_is_not_a_column_shift_for_a_large_stop_loss() -> None:
    row = _row(
        code=None,
        code_type=None,
        methodology="stop_loss",
        unit="per_case",
        amount=Decimal(25000),
        percent=60.0,
        percent_of="billed_charges",
    )
    assert _problems(row) == ()


def test_a_code_unlike_the_rest_of_its_table_is_flagged() -> None:
    """A scan that lost a letter ("V5010" read as "5010") among CPT/HCPCS codes."""
    codes = ["92004", "92014", "V2020", "5010", "D0120"]
    rows = [_row(code=c, code_type="OTHER" if c == "5010" else None, table=0) for c in codes]
    flagged = [r.code for r in validate_rows(rows) if CODE_FORMAT in r.problems]
    assert flagged == ["5010"]
    # Revenue codes in a mixed "Rev. / CPT" column are not odd.
    mixed = [*rows, _row(code="0450", code_type="REV", table=0)]
    assert [r.code for r in validate_rows(mixed) if CODE_FORMAT in r.problems] == ["5010"]
