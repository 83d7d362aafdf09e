"""The Medicare benchmark: shipped CMS amounts, modifier matching, the suspicious band, the CLI."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.model import RateRow
from extractor.rates.medicare import (
    KNOWN_LOCALITIES,
    SUSPICIOUS_ABOVE_PERCENT,
    SUSPICIOUS_BELOW_PERCENT,
    load_benchmark,
    with_medicare,
)
from extractor.reference.cms import build
from service.cli import app
from tests.conftest import REPO, SAMPLES, rate_row

_row = rate_row


def _priced(row: RateRow, locality: str = "OH-2020", site: str = "non_facility") -> RateRow:
    (out,) = with_medicare([row], load_benchmark(locality), site=site)
    return out


def test_check_values_from_domain_md() -> None:
    ohio = load_benchmark("OH-2020")
    national = load_benchmark("national-2024")
    assert ohio.amount("99213", None, "non_facility") == Decimal("73.04")
    assert ohio.amount("99213", None, "facility") == Decimal("51.24")
    assert national.amount("99213", None, "non_facility") == Decimal("89.39")  # 2.73 × 32.7442
    assert national.amount("99213", None, "facility") == Decimal("64.18")  # 1.96 × 32.7442


def test_fee_schedule_row_gets_its_percent_of_medicare() -> None:
    out = _priced(_row())
    assert out.medicare is not None
    assert out.medicare.locality == "OH-2020"
    assert out.medicare.amount == Decimal("73.04")
    assert out.medicare.percent_of_medicare == pytest.approx(149.78)
    assert not out.medicare.suspicious
    facility = _priced(_row(), site="facility")
    assert facility.medicare is not None and facility.medicare.amount == Decimal("51.24")
    national = _priced(_row(amount=Decimal("89.39")), "national-2024")
    assert national.medicare is not None and national.medicare.percent_of_medicare == 100.0


def test_modifier_26_and_tc_are_priced_against_their_own_lines() -> None:
    global_, pc, tc = (
        _priced(_row(code="71046", modifier=m, amount=Decimal("20.00"))) for m in (None, "26", "TC")
    )
    assert global_.medicare is not None and global_.medicare.amount == Decimal("31.15")
    assert pc.medicare is not None and pc.medicare.amount == Decimal("10.96")
    assert tc.medicare is not None and tc.medicare.amount == Decimal("20.19")
    national_pc = _priced(_row(code="71046", modifier="26"), "national-2024")
    assert national_pc.medicare is not None
    assert national_pc.medicare.amount == Decimal("10.15")  # 0.31 × 32.7442


def test_rows_without_a_match_keep_no_benchmark() -> None:
    rows = [
        _row(code="36415"),  # lab: CLFS, not MPFS
        _row(code="99213", modifier="26"),  # no professional-component line for an E/M visit
        _row(code="99213", modifier="50"),  # payment-changing modifier not modelled
        _row(amount=None, note="by_report"),
        _row(code="0450", code_type="REV", methodology="per_diem", unit="per_diem"),
        _row(methodology="case_rate", unit="per_case"),
        _row(code=None, code_type=None, methodology="percent_of_benchmark", percent=120.0),
    ]
    out = with_medicare(rows, load_benchmark("OH-2020"))
    assert out == rows


def test_distinct_service_modifier_is_priced_as_the_global_line() -> None:
    out = _priced(_row(modifier="25"))
    assert out.medicare is not None and out.medicare.amount == Decimal("73.04")


def test_percent_of_medicare_row_with_a_code_gets_the_medicare_amount() -> None:
    row = _row(
        methodology="percent_of_benchmark", amount=None, percent=120.0, percent_of="medicare"
    )
    out = _priced(row)
    assert out.amount is None  # the row keeps what the contract printed
    assert out.medicare is not None
    assert out.medicare.amount == Decimal("73.04")
    assert out.medicare.percent_of_medicare == 120.0
    assert not out.medicare.suspicious
    medicaid = _priced(replace(row, percent_of="medicaid"))
    assert medicaid.medicare is None


@pytest.mark.parametrize(
    ("amount", "suspicious"),
    [
        ("36.52", False),  # exactly 50 %
        ("36.51", True),
        ("292.16", False),  # exactly 400 %
        ("292.17", True),
        ("5.00", True),
        ("1780.00", True),  # a hospital's ED facility fee against the professional MPFS
    ],
)
def test_suspicious_band(amount: str, suspicious: bool) -> None:
    assert (SUSPICIOUS_BELOW_PERCENT, SUSPICIOUS_ABOVE_PERCENT) == (50, 400)
    out = _priced(_row(amount=Decimal(amount)))
    assert out.medicare is not None and out.medicare.suspicious is suspicious


def test_unknown_locality_and_site_are_refused() -> None:
    with pytest.raises(ValueError, match="OH-2020, national-2024"):
        load_benchmark("CA-2024")
    with pytest.raises(ValueError, match="non_facility"):
        with_medicare([_row()], load_benchmark("OH-2020"), site="office")
    assert KNOWN_LOCALITIES == ("OH-2020", "national-2024")


def test_schedule_is_loaded_once_per_process() -> None:
    assert load_benchmark("OH-2020") is load_benchmark("OH-2020")


def test_shipped_files_match_the_build_script(tmp_path: Path) -> None:
    data = REPO.parent / "shared" / "data" / "cms"
    if not data.is_dir():
        pytest.skip("the CMS source conversions are not on this machine")
    build.build(data, tmp_path)
    for name in (build.OHIO_2020, build.NATIONAL_2024):
        assert (tmp_path / name).read_bytes() == (build.HERE / name).read_bytes()


def test_cli_rates_csv_with_locality_fills_medicare_columns() -> None:
    pdf = SAMPLES / "physician_group_ppo_agreement.pdf"
    result = CliRunner().invoke(app, ["rates", str(pdf), "--csv", "--locality", "OH-2020"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_code = {(r["code"], r["modifier"]): r for r in rows}
    visit = by_code[("99213", "")]
    assert visit["medicare_amount"] == "73.04"
    assert visit["percent_of_medicare"] == "149.8"  # $109.40 / $73.04
    assert visit["medicare_suspicious"] == "False"
    assert by_code[("71046", "26")]["medicare_amount"] == "10.96"
    assert by_code[("71046", "TC")]["medicare_amount"] == "20.19"
    cpt = [r for r in rows if r["code_type"] == "CPT" and r["methodology"] == "fee_schedule"]
    priced = [r for r in cpt if r["medicare_amount"]]
    # 36415 venipuncture is on the lab schedule (CLFS), not the MPFS; Medicare does not cover
    # 99396, a preventive visit (status N), so it has no amount.
    assert {r["code"] for r in cpt if not r["medicare_amount"]} == {"36415", "99396"}
    assert len(priced) >= 15


def test_cli_bad_locality_is_a_one_line_usage_error() -> None:
    pdf = SAMPLES / "physician_group_ppo_agreement.pdf"
    result = CliRunner().invoke(app, ["rates", str(pdf), "--csv", "--locality", "Ohio"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error usage.bad_locality:")
    assert "OH-2020" in lines[0] and "Traceback" not in result.output
