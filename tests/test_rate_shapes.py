"""Specification tests: rate exhibits in the shapes real contracts use -> exactly the rate rows.

Each fixture in ``tests/fixtures/rate_shapes`` is a small exhibit PDF (ruled, whitespace-aligned,
multi-page, landscape, phone-book, scanned, ...; every reimbursement methodology) with the rows a
finance analyst expects, written from ``corpus/RATE_ROWS.md``. The real analyzer reads the PDF and
its rows must equal the expected rows as a multiset on the scored keys (code, modifier, unit,
methodology, amount and percent within 0.01, percent_of, page); the context fields the fixture
states (code_type, note, product_line, effective_date; descriptions for wrapped-text fixtures)
must match too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from extractor.analyzer import Analyzer
from extractor.model import AnalysisResult
from extractor.serialize import result_to_dict
from tests.fixtures.rate_shapes import FIXTURES, Fixture, build

BY_NAME = {f.name: f for f in FIXTURES}
IDS = [f.name for f in FIXTURES]
TOLERANCE = 0.01
DISCRETE = ("code", "modifier", "unit", "methodology", "percent_of", "page")
CONTEXT = ("code_type", "note", "product_line", "effective_date")
ROW_KEYS = {
    "code",
    "code_type",
    "modifier",
    "description",
    "methodology",
    "amount",
    "percent",
    "percent_of",
    "unit",
    "page",
}
METHODOLOGIES = {
    "fee_schedule",
    "percent_of_benchmark",
    "per_diem",
    "case_rate",
    "drg",
    "apc",
    "capitation",
    "conversion_factor",
    "stop_loss",
    "other",
}
Analysed = tuple[AnalysisResult, list[dict[str, Any]]]


# ---------------------------------------------------------------------------------------------
# Session fixtures: build every PDF once, analyse each once
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def rate_shape_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rate_shapes")
    return {f.name: build(f, out) for f in FIXTURES}


@pytest.fixture(scope="session")
def analysed(rate_shape_pdfs: dict[str, Path], analyzer: Analyzer) -> Callable[[str], Analysed]:
    cache: dict[str, Analysed] = {}

    def get(name: str) -> Analysed:
        if name not in cache:
            result = analyzer.analyze_path(rate_shape_pdfs[name])
            cache[name] = (result, result_to_dict(result)["rates"])
        return cache[name]

    return get


# ---------------------------------------------------------------------------------------------
# Matching and diffs
# ---------------------------------------------------------------------------------------------


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= TOLERANCE + 1e-9


def _same_scored(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    return (
        all(expected[k] == got.get(k) for k in DISCRETE)
        and _close(expected["amount"], got.get("amount"))
        and _close(expected["percent"], got.get("percent"))
    )


def _match(
    expected: Iterable[dict[str, Any]], produced: Iterable[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair expected rows with produced rows on the scored keys; return (pairs, missing, extra)."""
    left = list(produced)
    pairs: list[tuple[dict, dict]] = []
    missing: list[dict] = []
    for exp in expected:
        for i, got in enumerate(left):
            if _same_scored(exp, got):
                pairs.append((exp, left.pop(i)))
                break
        else:
            missing.append(exp)
    return pairs, missing, left


def _num(value: float | None) -> str:
    return "-" if value is None else f"{float(value):g}"


def _fmt(row: dict[str, Any]) -> str:
    desc = row.get("description")
    return (
        f"p{row.get('page')} code={row.get('code') or '-'} mod={row.get('modifier') or '-'} "
        f"{row.get('methodology')} unit={row.get('unit') or '-'} amount={_num(row.get('amount'))} "
        f"percent={_num(row.get('percent'))} of={row.get('percent_of') or '-'}"
        + (f"  [{desc}]" if desc else "")
    )


def _differences(exp: dict[str, Any], got: dict[str, Any]) -> list[str]:
    out = []
    for key in (*DISCRETE, "amount", "percent"):
        same = (
            _close(exp[key], got.get(key))
            if key in ("amount", "percent")
            else exp[key] == got.get(key)
        )
        if not same:
            out.append(f"{key}: want {exp[key]!r} got {got.get(key)!r}")
    return out


def _near_miss(exp: dict[str, Any], extra: list[dict[str, Any]]) -> str:
    """For a missing row: how the closest produced row with its code and modifier differs."""
    candidates = [
        _differences(exp, got)
        for got in extra
        if got.get("code") == exp["code"] and got.get("modifier") == exp["modifier"]
    ]
    if not candidates:
        return ""
    return "      closest produced row differs in " + "; ".join(min(candidates, key=len))


def _diff(fixture: Fixture, missing: list[dict], extra: list[dict], produced: int) -> str:
    lines = [
        f"{fixture.name} ({fixture.shape}): {len(fixture.rows)} rows expected, "
        f"{produced} produced, {len(missing)} missing, {len(extra)} unexpected"
    ]
    if missing:
        lines.append("  missing (expected, not produced):")
        for exp in missing:
            lines.append("    - " + _fmt(exp))
            hint = _near_miss(exp, extra)
            if hint:
                lines.append(hint)
    if extra:
        lines.append("  unexpected (produced, not expected):")
        lines += ["    + " + _fmt(got) for got in extra]
    return "\n".join(lines)


def _context_checked(key: str, exp: dict[str, Any]) -> bool:
    if key not in exp:
        return False
    if key == "code_type":
        # RATE_ROWS defines code_type for a row keyed on a code and for revenue-code ranges;
        # for other code-less rows (categories, methodologies) it is left open.
        return exp["code"] is not None or exp["code_type"] == "REV"
    return True


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


# ---------------------------------------------------------------------------------------------
# The specification
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_rate_rows(name: str, analysed: Callable[[str], Analysed]) -> None:
    """Produced rows == expected rows, as a multiset on the scored keys."""
    fixture = BY_NAME[name]
    _result, produced = analysed(name)
    _pairs, missing, extra = _match(fixture.rows, produced)
    assert not missing and not extra, _diff(fixture, missing, extra, len(produced))


@pytest.mark.parametrize("name", IDS)
def test_rate_row_context(name: str, analysed: Callable[[str], Analysed]) -> None:
    """code_type, note, product_line, effective_date (and wrapped descriptions) as stated."""
    fixture = BY_NAME[name]
    _result, produced = analysed(name)
    pairs, _missing, _extra = _match(fixture.rows, produced)
    if not pairs:
        pytest.fail(
            f"{name}: none of the {len(fixture.rows)} expected rows was produced, so their "
            "context cannot be checked (see test_rate_rows)"
        )
    problems = []
    for exp, got in pairs:
        for key in CONTEXT:
            if _context_checked(key, exp) and got.get(key) != exp[key]:
                problems.append(f"{_fmt(exp)}\n      {key}: want {exp[key]!r} got {got.get(key)!r}")
        if fixture.check_description and _norm(got.get("description")) != exp["description"]:
            problems.append(
                f"{_fmt(exp)}\n      description: want {exp['description']!r} "
                f"got {got.get('description')!r}"
            )
    assert not problems, f"{name}: context fields differ on {len(problems)} rows\n" + "\n".join(
        "  " + p for p in problems
    )


@pytest.mark.parametrize("name", IDS)
def test_rate_row_provenance(name: str, analysed: Callable[[str], Analysed]) -> None:
    """Every row has its page; a row read from a table also has its table and row index."""
    fixture = BY_NAME[name]
    _result, produced = analysed(name)
    assert produced, f"{name}: no rate rows produced"
    problems = []
    for got in produced:
        page = got.get("page")
        if not isinstance(page, int) or not 1 <= page <= fixture.pages:
            problems.append(f"{_fmt(got)}: page {page!r} not in 1..{fixture.pages}")
        if fixture.source == "table" and (got.get("table") is None or got.get("row") is None):
            problems.append(f"{_fmt(got)}: table={got.get('table')!r} row={got.get('row')!r}")
    assert not problems, f"{name}: rows without provenance\n" + "\n".join(
        "  " + p for p in problems
    )


def test_three_page_table_yields_each_row_once(analysed: Callable[[str], Analysed]) -> None:
    """A header repeated on every page is not a row, and no line is read twice or skipped."""
    fixture = BY_NAME["three_page_repeated_header"]
    _result, produced = analysed(fixture.name)
    counts = Counter((r.get("code"), r.get("modifier")) for r in produced)
    expected = Counter((r["code"], r["modifier"]) for r in fixture.rows)
    assert all(n == 1 for n in expected.values())
    twice = sorted(f"{c}: {n}x" for (c, _m), n in counts.items() if n > 1)
    absent = sorted(c for (c, m) in expected if (c, m) not in counts)
    strays = sorted(str(c) for (c, m) in counts if (c, m) not in expected)
    per_page = Counter(r.get("page") for r in produced)
    assert not (twice or absent or strays), (
        f"read more than once: {twice}; never read: {absent}; not in the table: {strays}"
    )
    assert per_page == Counter(r["page"] for r in fixture.rows), f"rows per page: {per_page}"
    # One table: every row refers to the same table, and the row numbers run on across pages.
    assert len({r["table"] for r in produced}) == 1
    numbers = [r["row"] for r in produced]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_scanned_page_is_ocrd(analysed: Callable[[str], Analysed]) -> None:
    """The image-only exhibit is OCR'd (page 1) and yields the digital exhibit's rows."""
    fixture = BY_NAME["scanned_ruled_fee_schedule"]
    result, produced = analysed(fixture.name)
    assert result.source.ocr_pages == fixture.ocr_pages, (
        f"ocr_pages {result.source.ocr_pages!r}; problems: "
        + "; ".join(f"{p.code}: {p.message}" for p in result.problems)
    )
    assert fixture.rows == BY_NAME["ruled_fee_schedule"].rows
    _pairs, missing, extra = _match(fixture.rows, produced)
    assert not missing and not extra, _diff(fixture, missing, extra, len(produced))


# ---------------------------------------------------------------------------------------------
# The fixtures themselves (these hold whatever the extractor does)
# ---------------------------------------------------------------------------------------------


CODE_FORMATS = {
    "CPT": r"\d{5}|\d{4}[FTU]",
    "HCPCS": r"[A-V]\d{4}",
    "REV": r"\d{4}",
    "MS-DRG": r"\d{3}",
    "APC": r"\d{4}",
}


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fixture_rows_follow_rate_rows_md(fixture: Fixture) -> None:
    assert fixture.rows, "a fixture states at least one row"
    for row in fixture.rows:
        assert row.keys() >= ROW_KEYS, sorted(ROW_KEYS - row.keys())
        assert row["methodology"] in METHODOLOGIES
        assert 1 <= row["page"] <= fixture.pages
        assert row["unit"] in {None, "per_service", "per_unit", "per_diem", "per_case", "pmpm"}
        assert row["percent_of"] in {
            None,
            "medicare",
            "medicaid",
            "billed_charges",
            "payer_fee_schedule",
            "other",
        }
        if row["code"] is not None:
            assert re.fullmatch(CODE_FORMATS[row["code_type"]], row["code"]), row
        if row.get("note"):
            assert row["amount"] is None and row["percent"] is None
        if row["modifier"] is not None:
            assert re.fullmatch(r"[A-Z0-9]{2}", row["modifier"])


def test_fixture_catalogue_covers_shapes_and_methodologies() -> None:
    names = [f.name for f in FIXTURES]
    assert len(names) == len(set(names))
    methodologies = {r["methodology"] for f in FIXTURES for r in f.rows}
    assert methodologies >= METHODOLOGIES - {"apc"}
    assert {f.source for f in FIXTURES} == {"table", "prose"}
    assert any(f.pages == 3 for f in FIXTURES) and any(f.ocr_pages for f in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fixture_pdf_is_deterministic(
    fixture: Fixture, rate_shape_pdfs: dict[str, Path], tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    again = build(fixture, tmp_path)
    assert again.read_bytes() == rate_shape_pdfs[fixture.name].read_bytes()
    pdf = pdfium.PdfDocument(str(again))
    try:
        assert len(pdf) == fixture.pages
        for i in range(len(pdf)):
            page = pdf[i]
            width, height = page.get_size()
            assert (round(width), round(height)) == fixture.pagesize
            text = page.get_textpage().get_text_range()
            if i + 1 in fixture.ocr_pages:
                assert not text.strip(), "a scanned page has no text layer"
            else:
                assert text.strip()
    finally:
        pdf.close()
