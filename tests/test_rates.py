"""Rate tables to rate rows (first slice of the rate-table issue: ruled tables)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractor.analyzer import Analyzer
from extractor.errors import RulesError
from extractor.model import Cell, Table
from extractor.rates.cells import cell_to_amount, cell_to_code, cell_to_percent
from extractor.rates.tables import table_to_rate_rows
from extractor.rates.vocabulary import load_vocabulary
from tests.conftest import SAMPLES


def _table(rows: list[list[str]], page: int = 3) -> Table:
    cells = tuple(
        Cell(r, c, text, None, is_header=r == 0)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )
    return Table(page, (0, 0, 500, 300), len(rows), len(rows[0]), cells)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        ("$ 95.00", Decimal("95.00")),
        ("(12.00)", Decimal("-12.00")),
        ("$98.40*", Decimal("98.40")),
        ("By Report", None),
        ("N/A", None),
        ("110%", None),
    ],
)
def test_cell_to_amount(text: str, expected: Decimal | None) -> None:
    assert cell_to_amount(text) == expected


def test_cell_to_percent_and_code() -> None:
    assert cell_to_percent("110%") == 110.0
    assert cell_to_percent("65 % of charges") == 65.0
    assert cell_to_code("99213-26") is not None and cell_to_code("99213-26").modifier == "26"
    assert cell_to_code("j1885").code == "J1885"
    assert cell_to_code("0110-0159").is_range
    assert cell_to_code("Radiology") is None


def test_fee_schedule_table_rows_exactly() -> None:
    vocab = load_vocabulary()
    table = _table(
        [
            ["CPT/HCPCS", "Mod", "Description", "Allowable"],
            ["Evaluation and Management", "", "", ""],
            ["99213", "", "Office visit, established", "$98.40"],
            ["71046", "26", "Chest x-ray, professional", "$11.02"],
            ["J1885", "", "Ketorolac per 15 mg", "0.47"],
            ["99499", "", "Unlisted E/M service", "By Report"],
        ]
    )
    rows = [
        (r.code, r.code_type, r.modifier, r.amount, r.methodology, r.unit, r.page)
        for r in table_to_rate_rows(table, vocab)
    ]
    assert rows == [
        ("99213", "CPT", None, Decimal("98.40"), "fee_schedule", "per_service", 3),
        ("71046", "CPT", "26", Decimal("11.02"), "fee_schedule", "per_service", 3),
        ("J1885", "HCPCS", None, Decimal("0.47"), "fee_schedule", "per_unit", 3),
        ("99499", "CPT", None, None, "fee_schedule", "per_service", 3),
    ]


def test_per_diem_and_drg_tables() -> None:
    vocab = load_vocabulary()
    per_diem = table_to_rate_rows(
        _table(
            [
                ["Service Category", "Revenue Codes", "Per Diem Rate"],
                ["Medical/Surgical", "0110-0159", "$2,875.00"],
                ["Nursery", "170", "$900"],
            ]
        ),
        vocab,
    )
    assert [(r.code, r.code_type, r.unit, r.amount) for r in per_diem] == [
        (None, "REV", "per_diem", Decimal("2875.00")),
        ("0170", "REV", "per_diem", Decimal("900")),
    ]
    drg = table_to_rate_rows(
        _table([["MS-DRG", "Description", "Case Rate"], ["470", "Hip/knee", "$28,450.00"]]), vocab
    )
    assert [(r.code, r.code_type, r.methodology, r.unit) for r in drg] == [
        ("470", "MS-DRG", "case_rate", "per_case")
    ]


def test_tables_that_price_nothing_yield_no_rows() -> None:
    vocab = load_vocabulary()
    assert table_to_rate_rows(_table([["Location", "Address"], ["Main", "1 Elm St"]]), vocab) == []
    assert table_to_rate_rows(_table([["Product", "Network"], ["PPO", "Choice"]]), vocab) == []


def test_broken_vocabulary_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "rate_tables.yaml"
    path.write_text("columns: {price: ['x']}\nmethodology: []\ncode_type: []\nnon_priced: {}\n")
    with pytest.raises(RulesError, match=r"rate_tables\.yaml"):
        load_vocabulary(path)


def test_analyze_fills_rates_with_page(analyzer: Analyzer) -> None:
    result = analyzer.analyze_path(SAMPLES / "physician_group_ppo_agreement.pdf")
    by_code = {r.code: r for r in result.rates}
    assert by_code["99202"].amount == Decimal("92.15") and by_code["99202"].page == 5
    assert all(r.page >= 1 for r in result.rates)


def test_unit_column_and_description_set_the_row_unit() -> None:
    vocab = load_vocabulary()
    rows = table_to_rate_rows(
        _table(
            [
                ["Code", "Description", "Unit", "Rate"],
                ["S9500", "Antibiotic infusion", "Per diem", "$98.00"],
                ["J1745", "Infliximab", "10 mg", "$88.40"],
                ["90832", "Psychotherapy", "per session", "$74.00"],
                ["97110", "Therapeutic exercise, each 15 minutes", "", "$29.75"],
            ]
        ),
        vocab,
    )
    assert [(r.code, r.methodology, r.unit) for r in rows] == [
        ("S9500", "per_diem", "per_diem"),
        ("J1745", "fee_schedule", "per_unit"),
        ("90832", "fee_schedule", "per_service"),
        ("97110", "fee_schedule", "per_unit"),
    ]


def test_rates_stated_in_prose() -> None:
    from extractor.layout import text_to_document
    from extractor.model import SourceInfo
    from extractor.rates.prose import prose_to_rate_rows

    text = (
        "B.5 Outpatient surgery shall be paid at two hundred ten percent (210%) of the Medicare "
        "OPPS APC payment rate in effect on the date of service.\n\n"
        "Covered Services not otherwise listed shall be reimbursed at forty-five percent (45%) of "
        "Eligible Charges.\n\n"
        "Anesthesia services are paid at $68.50 per anesthesia unit.\n\n"
        "If Eligible Charges for an admission exceed $150,000, Plan shall pay sixty-five percent "
        "(65%) of all Eligible Charges.\n\n"
        "Provider shall carry insurance of $1,000,000 per occurrence."
    )
    doc = text_to_document(text, SourceInfo("t", "", 1, "text/plain"))
    rows = [
        (r.methodology, r.percent, r.percent_of, r.amount, r.unit)
        for r in prose_to_rate_rows(doc, load_vocabulary())
    ]
    assert rows == [
        ("percent_of_benchmark", 210.0, "medicare", None, "per_service"),
        ("percent_of_benchmark", 45.0, "billed_charges", None, None),
        ("conversion_factor", None, None, Decimal("68.50"), "per_unit"),
        ("stop_loss", 65.0, "billed_charges", Decimal("150000"), "per_case"),
    ]


def test_table_continued_over_three_pages_without_repeated_header() -> None:
    from extractor.rates.tables import tables_to_rate_rows

    vocab = load_vocabulary()
    first = _table([["CPT", "Description", "Allowable"], ["99202", "New", "$92.15"]], page=4)
    second = _table([["99203", "New, low", "$141.60"], ["99204", "New, moderate", "$211.35"]], 5)
    third = _table([["99205", "New, high", "$280.00"]], page=6)
    unrelated = _table([["Name", "Address"], ["Main", "1 Elm"]], page=7)
    rows = tables_to_rate_rows([first, second, third, unrelated], vocab)
    # One table: the first part's index, row numbers running on; pages as printed.
    assert [(r.code, r.page, r.table, r.row) for r in rows] == [
        ("99202", 4, 0, 1),
        ("99203", 5, 0, 2),
        ("99204", 5, 0, 3),
        ("99205", 6, 0, 4),
    ]


def test_table_repeating_its_header_on_the_next_page_is_one_table() -> None:
    from extractor.rates.tables import tables_to_rate_rows

    header = ["CPT", "Description", "Allowable"]
    first = _table([header, ["99202", "New", "$92.15"]], page=4)
    second = _table([header, ["99203", "New, low", "$141.60"]], page=5)
    other = _table([["Code", "Per Diem"], ["0120", "$1,900.00"]], page=5)
    rows = tables_to_rate_rows([first, second, other], load_vocabulary())
    assert [(r.code, r.page, r.table, r.row) for r in rows] == [
        ("99202", 4, 0, 1),
        ("99203", 5, 0, 3),
        ("0120", 5, 2, 1),
    ]


def test_rows_know_their_product_line(analyzer: Analyzer) -> None:
    single = analyzer.analyze_path(SAMPLES / "physician_group_ppo_agreement.pdf")
    assert single.rates and {r.product_line for r in single.rates} == {"commercial_ppo"}
    per_row = analyzer.analyze_path(SAMPLES / "anesthesia_group_agreement.pdf")
    factors = {r.product_line for r in per_row.rates if r.methodology == "conversion_factor"}
    assert {"commercial_ppo", "commercial_epo", "workers_comp"} <= factors


def test_every_sample_rate_row_says_where_it_came_from(analyzer: Analyzer) -> None:
    """Page and box always; a table row its table and row, a prose row its section."""
    rows = [r for pdf in sorted(SAMPLES.glob("*.pdf")) for r in analyzer.analyze_path(pdf).rates]
    assert len(rows) > 300
    for r in rows:
        assert r.page >= 1 and r.bbox is not None, r
        assert (r.table is not None and r.row is not None) or r.section is not None, r
