"""Template comparison: the sample pair's clause labels (corpus/compare/expected.json), the
text classifier on small pairs, alignment of moved and renumbered clauses, the CLI, bad input,
and byte-identical regeneration of the pair."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corpus.generator.compare_pair import build_pair
from extractor.analyzer import Analyzer
from extractor.compare import (
    ClauseComparison,
    ClauseStatus,
    ComparisonResult,
    compare_documents,
    compare_results,
    compare_texts,
    strip_numbering,
)
from extractor.errors import INPUT_NOT_PDF, PayerlensError
from extractor.layout import text_to_document
from extractor.model import AnalysisResult, Document, SourceInfo
from service import cli
from service.cli import app
from tests.conftest import REPO

PAIR = REPO / "corpus" / "compare"
TEMPLATE = PAIR / "standard_template.pdf"
DRAFT = PAIR / "draft.pdf"
EXPECTED: dict[str, Any] = json.loads((PAIR / "expected.json").read_text(encoding="utf-8"))
CLAUSES: list[dict[str, Any]] = EXPECTED["clauses"]

STANDARD = ClauseStatus.STANDARD
VALUE = ClauseStatus.VALUE_CHANGED
SUBSTANCE = ClauseStatus.SUBSTANCE_CHANGED


@pytest.fixture(scope="module")
def analysed(analyzer: Analyzer) -> tuple[AnalysisResult, AnalysisResult]:
    return analyzer.analyze_path(TEMPLATE), analyzer.analyze_path(DRAFT)


@pytest.fixture(scope="module")
def pair(analysed: tuple[AnalysisResult, AnalysisResult]) -> ComparisonResult:
    return compare_results(*analysed)


def _sections(c: ClauseComparison) -> tuple[str | None, str | None]:
    return (c.template.section if c.template else None, c.draft.section if c.draft else None)


def _find(result: ComparisonResult, spec: dict[str, Any]) -> ClauseComparison:
    want = (spec["template_section"], spec["draft_section"])
    found = [c for c in result.clauses if _sections(c) == want]
    assert len(found) == 1, (spec["key"], want, [_sections(c) for c in result.clauses])
    return found[0]


# ---------------------------------------------------------------- the sample pair


def test_expected_covers_every_label_and_the_tricky_cases() -> None:
    labels = {c["label"] for c in CLAUSES}
    assert labels == {s.value for s in ClauseStatus}
    by_key = {c["key"]: c for c in CLAUSES}
    # value only, with the number words changing length along with the numeral
    assert by_key["claims_submission"]["label"] == "value_changed"
    # substance that keeps every number
    assert by_key["reimbursement"]["label"] == "substance_changed"
    assert by_key["reimbursement"]["value_changes"] == []
    # most clauses are standard
    assert sum(c["label"] == "standard" for c in CLAUSES) > len(CLAUSES) / 2


@pytest.mark.parametrize("spec", CLAUSES, ids=[c["key"] for c in CLAUSES])
def test_sample_pair_clause_label(pair: ComparisonResult, spec: dict[str, Any]) -> None:
    c = _find(pair, spec)
    assert c.status.value == spec["label"], (spec["key"], [d.to_dict() for d in c.diff])
    got = [{"from": v.from_text, "to": v.to_text, "kind": v.kind} for v in c.value_changes]
    assert got == spec["value_changes"]
    if spec["label"] in ("standard", "value_changed", "substance_changed"):
        assert c.template is not None and c.draft is not None
        if spec["caption"]:  # an uncaptioned definition is titled by its opening words
            assert c.template.caption == c.draft.caption == spec["caption"]
        assert c.template.page >= 1 and c.draft.page >= 1


def test_paragraphs_outside_the_clause_list_are_standard(pair: ComparisonResult) -> None:
    listed = {(c["template_section"], c["draft_section"]) for c in CLAUSES}
    others = [c for c in pair.clauses if _sections(c) not in listed]
    assert others  # preamble, witness line, signature block
    assert all(c.status is STANDARD for c in others), [c.to_dict() for c in others]
    assert {k: v for k, v in pair.counts().items() if k != "standard"} == {
        k: v for k, v in EXPECTED["counts"].items() if k != "standard"
    }


def test_moved_and_renumbered_clauses_align(pair: ComparisonResult) -> None:
    moved = [c for c in pair.clauses if c.moved]
    assert [_sections(c) for c in moved] == [("8.1", "9.6")]  # confidentiality
    assert moved[0].status is STANDARD
    renumbered = {_sections(c) for c in pair.clauses if c.renumbered and c.status is STANDARD}
    assert {("2.3", "2.4"), ("4.6", "4.5"), ("9.1", "8.1"), ("10.5", "9.5")} <= renumbered


def test_cross_references_that_follow_a_renumbering_are_standard(pair: ComparisonResult) -> None:
    by_key = {c["key"]: c for c in CLAUSES}
    for key, old, new in (
        ("continuation_of_care", "Section 4.6", "Section 4.5"),
        ("overpayments", "Section 9.1", "Section 8.1"),
    ):
        c = _find(pair, by_key[key])
        assert c.template is not None and c.draft is not None
        assert old in c.template.text and new in c.draft.text
        assert c.status is STANDARD


def test_output_is_in_draft_order_with_missing_clauses_in_place(pair: ComparisonResult) -> None:
    order = [_sections(c) for c in pair.clauses]
    assert order.index(("4.3", "4.3")) + 1 == order.index(("4.4", None))
    assert order.index(("4.4", None)) + 1 == order.index(("4.5", "4.4"))
    drafts = [c.draft.block for c in pair.clauses if c.draft]
    assert drafts == sorted(drafts)


def test_findings_sit_on_their_clauses(
    analysed: tuple[AnalysisResult, AnalysisResult], pair: ComparisonResult
) -> None:
    draft = analysed[1]
    assert draft.document is not None
    blocks = {b.index: b for b in draft.document.blocks}
    for c in pair.clauses:
        if c.draft is None:
            continue
        block = blocks[c.draft.block]
        expected = {
            (f.category, f.severity)
            for f in draft.findings
            if f.start < block.end and f.end > block.start
        }
        assert {(f.category, f.severity) for f in c.draft.findings} == expected
    offset = _find(pair, next(x for x in CLAUSES if x["key"] == "offset"))
    assert offset.status is ClauseStatus.ADDED
    assert "recoupment_offset" in {f.category for f in offset.findings_added}


def test_diff_runs_rebuild_the_draft_text(pair: ComparisonResult) -> None:
    for c in pair.clauses:
        draft = "".join(d.text for d in c.diff if d.op != "delete")
        if c.draft:
            assert draft == strip_numbering(c.draft.text), c.to_dict()
        else:
            assert draft == ""


def test_json_form_is_stable_and_complete(
    analysed: tuple[AnalysisResult, AnalysisResult], pair: ComparisonResult
) -> None:
    data = pair.to_dict()
    assert data["schema"] == "payerlens.compare/1"
    assert data["template"]["path"].endswith("standard_template.pdf")
    assert data["draft"]["pages"] >= 1
    assert sum(data["counts"].values()) == len(data["clauses"])
    for clause in data["clauses"]:
        assert set(clause) == {
            "status",
            "template",
            "draft",
            "similarity",
            "moved",
            "renumbered",
            "value_changes",
            "findings_added",
            "findings_removed",
            "diff",
        }
        assert all(d["op"] in ("equal", "insert", "delete") for d in clause["diff"])
    again = compare_results(*analysed)
    assert json.dumps(again.to_dict()) == json.dumps(data)


def test_sample_pair_regenerates_byte_identical() -> None:
    files = build_pair()
    assert sorted(files) == sorted(p.name for p in PAIR.iterdir() if p.name != "README.md")
    for name, data in files.items():
        on_disk = (PAIR / name).read_bytes()
        assert hashlib.sha256(on_disk).hexdigest() == hashlib.sha256(data).hexdigest(), name


# ---------------------------------------------------------------- the text classifier


@pytest.mark.parametrize(
    ("template", "draft", "status", "kinds"),
    [
        # value only; number words and numerals change together
        (
            "submit claims within ninety (90) days.",
            "submit claims within sixty (60) days.",
            VALUE,
            ["duration"],
        ),
        (
            "within one hundred eighty (180) days of service",
            "within ninety (90) days of service",
            VALUE,
            ["duration"],
        ),
        ("notice of ninety (90) days", "notice of three (3) months", VALUE, ["duration"]),
        ("paid at 110% of Medicare", "paid at 120% of Medicare", VALUE, ["percent"]),
        (
            "paid at one hundred ten percent (110%) of Medicare",
            "paid at one hundred five percent (105%) of Medicare",
            VALUE,
            ["percent"],
        ),
        (
            "a case rate of $1,250.00 per stay",
            "a case rate of $1,500.00 per stay",
            VALUE,
            ["money"],
        ),
        (
            "effective January 1, 2025 for claims",
            "effective April 1, 2025 for claims",
            VALUE,
            ["date"],
        ),
        ("before three (3) arbitrators", "before five (5) arbitrators", VALUE, ["count"]),
        # the same value written another way is no change
        ("within thirty (30) days.", "within 30 days.", STANDARD, []),
        # substance, keeping every number
        ("110% of the Medicare fee schedule", "110% of Plan's fee schedule", SUBSTANCE, []),
        (
            "Either party may terminate on ninety (90) days' notice.",
            "Plan may terminate on ninety (90) days' notice.",
            SUBSTANCE,
            [],
        ),
        (
            "within thirty (30) days.",
            "within thirty (30) days after any appeal is resolved.",
            SUBSTANCE,
            [],
        ),
        (
            "amended only by mutual written agreement of the parties",
            "amended by Plan upon thirty (30) days' notice",
            SUBSTANCE,
            [],
        ),
        # a value turned into another kind of value is a methodology change
        ("a discount of 10% per claim", "a discount of $10 per claim", SUBSTANCE, []),
        # both: substance wins, and the value change is still listed
        (
            "upon thirty (30) days' notice.",
            "upon fifteen (15) days' notice, except for fraud.",
            SUBSTANCE,
            ["duration"],
        ),
        # codes are not values
        ("CPT 99213 is paid at $50.00", "CPT 99214 is paid at $50.00", SUBSTANCE, []),
    ],
)
def test_classifier(template: str, draft: str, status: ClauseStatus, kinds: list[str]) -> None:
    result = compare_texts(template, draft)
    assert result.status is status, [d.to_dict() for d in result.diff]
    assert [v.kind for v in result.value_changes] == kinds


@pytest.mark.parametrize(
    ("template", "draft"),
    [
        ("Plan  shall\npay   promptly.", "Plan shall pay promptly."),
        ("written notice of non-renewal", "written notice of nonrenewal"),
        ("the \u201cPlan\u201d shall pay \u2013 promptly", 'the "Plan" shall pay - promptly'),
        ("4.2 Timely Filing. Claims are due.", "Section 4.2 Timely Filing. Claims are due."),
        ("(b) Claims are due.", "7.3 Claims are due."),
        ("PLAN SHALL PAY", "Plan shall pay"),
    ],
)
def test_formatting_and_labels_are_ignored(template: str, draft: str) -> None:
    result = compare_texts(template, draft)
    assert result.status is STANDARD
    assert result.value_changes == ()


def test_value_change_reports_printed_and_normalised_values() -> None:
    result = compare_texts(
        "Provider shall submit claims within one hundred eighty (180) days.",
        "Provider shall submit claims within ninety (90) days.",
    )
    assert [v.to_dict() for v in result.value_changes] == [
        {
            "from": "one hundred eighty (180) days",
            "to": "ninety (90) days",
            "kind": "duration",
            "from_value": "180 days",
            "to_value": "90 days",
        }
    ]
    ops = [(d.op, d.text.strip()) for d in result.diff]
    assert ("delete", "one hundred eighty (180)") in ops and ("insert", "ninety (90)") in ops


def test_cross_reference_compares_by_the_section_it_points_to() -> None:
    template, draft = "as provided in Section 4.6 above", "as provided in Section 4.5 above"
    assert compare_texts(template, draft).status is SUBSTANCE
    assert compare_texts(template, draft, {"4.5": "4.6"}).status is STANDARD


# ---------------------------------------------------------------- alignment


def _doc(text: str, name: str) -> Document:
    source = SourceInfo(path=name, sha256=hashlib.sha256(text.encode()).hexdigest(), pages=1)
    return text_to_document(text, source)


TEMPLATE_TEXT = """\
1. Claims. Provider shall submit claims within ninety (90) days after the date of service.

2. Payment. Plan shall pay each clean claim within thirty (30) days after receiving it.

3. Confidentiality. Each party shall keep the rates in this agreement confidential.

4. Interest. Plan shall pay interest of one percent (1%) per month on late payments.

5. Notices. Notices shall be given in writing to the addresses on the signature page.
"""
DRAFT_TEXT = """\
1. Payment. Plan shall pay each clean claim within thirty (30) days after receiving it.

2. Claims. Provider shall submit claims within sixty (60) days after the date of service.

3. Notices. Notices shall be given in writing to the addresses on the signature page.

4. Offset. Plan may offset any overpayment against future payments to Provider.

5. Confidentiality. Each party shall keep the rates in this agreement confidential.
"""


def test_alignment_follows_meaning_not_position() -> None:
    result = compare_documents(_doc(TEMPLATE_TEXT, "t"), _doc(DRAFT_TEXT, "d"))
    got = {(_sections(c), c.status) for c in result.clauses}
    assert got == {
        (("2", "1"), STANDARD),
        (("1", "2"), VALUE),
        (("5", "3"), STANDARD),
        ((None, "4"), ClauseStatus.ADDED),
        (("3", "5"), STANDARD),
        (("4", None), ClauseStatus.MISSING),
    }
    assert sum(c.moved for c in result.clauses) == 2
    assert all(c.renumbered for c in result.clauses if c.template and c.draft)


def test_identical_documents_are_all_standard() -> None:
    result = compare_documents(_doc(TEMPLATE_TEXT, "t"), _doc(TEMPLATE_TEXT, "d"))
    assert result.counts() == {
        "standard": 5,
        "value_changed": 0,
        "substance_changed": 0,
        "added": 0,
        "missing": 0,
    }
    assert not any(c.moved or c.renumbered for c in result.clauses)


# ---------------------------------------------------------------- bad input, library and CLI


def test_failed_analysis_raises_its_stable_code(
    analyzer: Analyzer, analysed: tuple[AnalysisResult, AnalysisResult], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    with pytest.raises(PayerlensError) as caught:
        compare_results(analysed[0], analyzer.analyze_path(bad))
    assert caught.value.code == INPUT_NOT_PDF


@pytest.fixture
def runner(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The command as typed, with the session's analyzer instead of loading another one."""
    monkeypatch.setattr(cli, "Analyzer", lambda settings: analyzer)
    return CliRunner()


def test_cli_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(DRAFT), "--template", str(TEMPLATE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["missing"] == 1 and data["counts"]["added"] == 2
    statuses = {
        (c["template"] and c["template"]["section"], c["draft"] and c["draft"]["section"]): c[
            "status"
        ]
        for c in data["clauses"]
    }
    for spec in CLAUSES:
        assert statuses[(spec["template_section"], spec["draft_section"])] == spec["label"]


def test_cli_report(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(DRAFT), "-t", str(TEMPLATE)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for label in ("substance_changed (3)", "value_changed (4)", "added (2)", "missing (1)"):
        assert label in text
    assert "[-one hundred eighty (180)-] {+ninety (90)+}" in text
    assert "Interest on Late Payment" in text and "8.1 -> 9.6 (moved)" in text


def test_cli_bad_input_reports_the_code_without_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "draft.pdf"
    bad.write_text("hello")
    result = runner.invoke(app, ["compare", str(bad), "--template", str(TEMPLATE), "--json"])
    assert result.exit_code == 1
    assert "input.not_pdf" in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    missing = runner.invoke(app, ["compare", str(DRAFT), "--template", str(tmp_path / "no.pdf")])
    assert missing.exit_code == 1 and "input.not_found" in missing.stderr, missing.output
