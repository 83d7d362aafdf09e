"""The batch summary (service.batch.summary): numbers from rows written straight through the
models, the CSV, and the HTML page rendered by headless Chromium (Playwright driving Debian's
``/usr/bin/chromium``; ``scripts/install-browser`` installs it, and the test fails, never
skips, without it). The screenshot is kept as ``tests/artifacts/batch-summary.png``."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from service.batch.summary import (
    CSV_COLUMNS,
    CSV_SECTIONS,
    LOW_CONFIDENCE,
    NO_PAYER,
    NO_PRODUCT_LINE,
    BatchSummary,
    build_summary,
    render_csv,
    write_summary,
)
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    Batch,
    BatchItem,
    Contract,
    Document,
    Finding,
    Organisation,
    StoredFile,
)

TODAY = date(2026, 6, 15)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EVIL = "<script>alert(1)</script>.pdf"
FORMULA = "=HYPERLINK(1).pdf"


@dataclass(frozen=True)
class World:
    database: Database
    org_id: str
    batch_id: str
    contracts: dict[str, str]  # letter -> contract id


@pytest.fixture(params=["sqlite", "postgres"])
def summary_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    database = Database(settings)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_settings: Settings) -> Iterator[Database]:
    database = Database(sqlite_settings)
    yield database
    database.dispose()


def _sha() -> str:
    return secrets.token_hex(32)


def populate(database: Database) -> World:
    """One organisation's batch: 6 succeeded files (3 with OCR'd pages, 2 of them poorly read;
    two with the same bytes), 2 skipped (one the same document as a succeeded file, one a
    contract stored earlier and poorly OCR'd then), 3 failed, 1 queued; six contracts of two
    named payers and one unnamed; findings on current and superseded runs; notice deadlines
    3 months ahead, exactly 12 months ahead, 18 months ahead and already passed. A second
    batch and a second organisation must not leak in."""
    contracts: dict[str, str] = {}
    with database.transaction() as session:
        org = Organisation(name="Lakeside <Health> & Co")
        other_org = Organisation(name="Other org")
        session.add_all([org, other_org])
        session.flush()
        batch = Batch(org_id=org.id, source="/archives/2026 Q2 <payers>.zip")
        other_batch = Batch(org_id=org.id, source="/archives/other")
        foreign_batch = Batch(org_id=other_org.id, source="/archives/2026 Q2 <payers>.zip")
        session.add_all([batch, other_batch, foreign_batch])
        session.flush()

        def contract(
            letter: str,
            payer: str | None,
            lines: list[str],
            notice: date | None,
            org_id: str = org.id,
        ) -> Contract:
            c = Contract(
                org_id=org_id,
                title=f"Agreement {letter}",
                payer=payer,
                product_lines=lines,
                notice_deadline=notice,
                term_end=None if notice is None else date(notice.year + 1, 1, 1),
                notice_days=90 if notice else None,
                auto_renews=True if notice else None,
            )
            session.add(c)
            session.flush()
            contracts[letter] = c.id
            return c

        def document(c: Contract, name: str, pages: int) -> Document:
            sha = _sha()
            session.add(StoredFile(sha256=sha, size=1000, media_type="application/pdf"))
            session.flush()
            d = Document(
                org_id=c.org_id,
                contract_id=c.id,
                version=1,
                sha256=sha,
                filename=name,
                media_type="application/pdf",
                size=1000,
                pages=pages,
            )
            session.add(d)
            session.flush()
            return d

        def run(c: Contract, d: Document, findings: list[tuple[str, str]], **result: Any) -> None:
            r = AnalysisRun(
                org_id=c.org_id,
                document_id=d.id,
                contract_id=c.id,
                status="success",
                ruleset_version="test",
                extractor_version="test",
                result={"schema_version": 1, "errors": [], **result},
            )
            session.add(r)
            session.flush()
            for i, (category, severity) in enumerate(findings):
                session.add(
                    Finding(
                        org_id=c.org_id,
                        run_id=r.id,
                        contract_id=c.id,
                        ordinal=i,
                        category=category,
                        severity=severity,
                        page=1,
                        text="clause",
                        rule_id=f"{category}.test",
                        confidence=0.9,
                        explanation="why",
                        clause_key=secrets.token_hex(8),
                    )
                )
            c.current_document_id = d.id
            c.current_run_id = r.id
            session.add(c)
            session.flush()

        def item(path: str, status: str, d: Document | None = None, **kw: Any) -> None:
            session.add(
                BatchItem(
                    batch_id=kw.pop("batch_id", batch.id),
                    org_id=kw.pop("org_id", org.id),
                    path=path,
                    status=status,
                    document_id=d.id if d else None,
                    sha256=d.sha256 if d else None,
                    **kw,
                )
            )

        acme, beacon = "Acme Health Plan", "Beacon Care"
        a = contract("A", acme, ["commercial_ppo", "medicare_advantage"], date(2026, 9, 15))
        b = contract("B", acme, ["commercial_ppo"], date(2027, 12, 15))
        c = contract("C", beacon, ["medicaid_managed_care"], date(2026, 5, 1))
        d = contract("D", beacon, [], None)
        e = contract("E", None, ["commercial_hmo"], None)
        f = contract("F", acme, ["medicare_advantage"], date(2027, 6, 15))  # = today + 12 mo
        da = document(a, "a.pdf", 10)
        # A superseded run of A: its findings are not the contract's current ones.
        run(a, da, [("evergreen_renewal", "high")] * 5)
        run(
            a,
            da,
            [
                ("lesser_of", "high"),
                ("lesser_of", "high"),
                ("audit_provision", "medium"),
                ("confidentiality", "low"),
            ],
        )
        db_ = document(b, "b.pdf", 4)
        run(b, db_, [("lesser_of", "high"), ("lesser_of", "medium")])
        dc = document(c, "scans/good.pdf", 3)
        run(c, dc, [("timely_filing", "medium"), ("timely_filing", "medium")])
        dd = document(d, "scans/low.pdf", 2)
        run(d, dd, [])
        de = document(e, "scans/one-page-low.pdf", 2)
        low_page = {"code": "ocr.low_confidence", "message": "Page 2 was OCR'd with low confidence"}
        run(e, de, [], errors=[low_page])
        df = document(f, "old.pdf", 5)
        run(f, df, [("evergreen_renewal", "high")])

        item("a.pdf", "succeeded", da, pages=10, ocr_pages=0)
        item("b.pdf", "succeeded", db_, pages=4, ocr_pages=0)
        # The same bytes twice in the archive: one document, one analysis, two files.
        item("dup/b.pdf", "succeeded", db_, pages=4, ocr_pages=0)
        item("scans/good.pdf", "succeeded", dc, pages=3, ocr_pages=3, ocr_confidence=88.0)
        item("scans/low.pdf", "succeeded", dd, pages=2, ocr_pages=2, ocr_confidence=41.5)
        item("scans/one-page-low.pdf", "succeeded", de, pages=2, ocr_pages=2, ocr_confidence=72.0)
        item("copy/a.pdf", "skipped", da, pages=10)
        # Read by OCR in an earlier batch, poorly: listed, but its pages are not this batch's.
        item("old.pdf", "skipped", df, pages=5, ocr_pages=1, ocr_confidence=50.0)
        item(
            "broken.pdf", "failed", error_code="input.corrupt", error_message="The PDF is damaged."
        )
        item(FORMULA, "failed", error_code="input.encrypted", error_message="-needs a password")
        item(
            EVIL,
            "failed",
            pages=2000,
            error_code="limits.too_many_pages",
            error_message="2000 pages > 1000 <b>allowed</b>",
        )
        item("late.pdf", "queued")

        # Not this batch: another batch of the organisation, and another organisation.
        g = contract("G", "Elsewhere", ["commercial_epo"], date(2026, 7, 1))
        dg = document(g, "g.pdf", 9)
        run(g, dg, [("lesser_of", "high")] * 3)
        item("g.pdf", "succeeded", dg, batch_id=other_batch.id, pages=9, ocr_pages=9)
        h = contract("H", "Foreign", ["commercial_ppo"], date(2026, 7, 1), org_id=other_org.id)
        dh = document(h, "h.pdf", 7)
        run(h, dh, [("lesser_of", "high")] * 3)
        item("h.pdf", "succeeded", dh, batch_id=foreign_batch.id, org_id=other_org.id, pages=7)
        return World(database, org.id, batch.id, contracts)


def _summary(world: World) -> BatchSummary:
    with world.database.session() as session:
        return build_summary(session, world.batch_id, TODAY)


def test_summary_numbers(summary_db: Database) -> None:
    world = populate(summary_db)
    s = _summary(world)

    assert s.organisation == "Lakeside <Health> & Co"
    assert dict(s.status_counts) == {"succeeded": 6, "skipped": 2, "failed": 3, "queued": 1}
    assert s.files == 12
    # Pages this batch analysed, once per document; the failed file's 2000 pages do not count.
    assert (s.pages, s.ocr_pages, s.ocr_files) == (21, 7, 3)
    assert s.low_confidence_mark == LOW_CONFIDENCE == 60.0
    low = {f.path: f for f in s.low_confidence}
    assert sorted(low) == ["old.pdf", "scans/low.pdf", "scans/one-page-low.pdf"]
    assert low["old.pdf"].status == "skipped" and low["scans/low.pdf"].status == "succeeded"
    assert low["scans/low.pdf"].ocr_confidence == pytest.approx(41.5)
    assert low["scans/one-page-low.pdf"].low_pages == 1

    assert s.contracts == 6
    assert dict(s.payers) == {"Acme Health Plan": 3, "Beacon Care": 2, NO_PAYER: 1}
    assert {(r.payer, r.product_line): r.contracts for r in s.by_payer_line} == {
        ("Acme Health Plan", "commercial_ppo"): 2,
        ("Acme Health Plan", "medicare_advantage"): 2,
        ("Beacon Care", "medicaid_managed_care"): 1,
        ("Beacon Care", NO_PRODUCT_LINE): 1,
        (NO_PAYER, "commercial_hmo"): 1,
    }

    assert {(f.category, f.severity): (f.findings, f.contracts) for f in s.findings} == {
        ("lesser_of", "high"): (3, 2),
        ("lesser_of", "medium"): (1, 1),
        ("audit_provision", "medium"): (1, 1),
        ("confidentiality", "low"): (1, 1),
        ("timely_filing", "medium"): (2, 1),
        ("evergreen_renewal", "high"): (1, 1),
    }
    assert s.findings_total == 9
    assert s.severity_totals() == {"high": 4, "medium": 4, "low": 1}

    c = world.contracts
    assert [d.contract_id for d in s.upcoming_deadlines] == [c["A"], c["F"]]
    a = s.upcoming_deadlines[0]
    assert (a.notice_deadline, a.days_left, a.files) == (
        date(2026, 9, 15),
        92,
        ("a.pdf", "copy/a.pdf"),
    )
    assert s.upcoming_deadlines[1].days_left == 365
    assert [(d.contract_id, d.days_left) for d in s.missed_deadlines] == [(c["C"], -45)]

    assert [(f.path, f.error_code) for f in s.failed] == [
        (EVIL, "limits.too_many_pages"),
        (FORMULA, "input.encrypted"),
        ("broken.pdf", "input.corrupt"),
    ]
    assert s.metrics() == {
        "files": 12,
        "files_succeeded": 6,
        "files_skipped": 2,
        "files_failed": 3,
        "files_queued": 1,
        "files_pending": 0,
        "pages": 21,
        "ocr_pages": 7,
        "ocr_files": 3,
        "low_confidence_files": 3,
        "contracts": 6,
        "findings": 9,
        "deadlines_12_months": 2,
        "deadlines_missed": 1,
    }


def test_empty_batch(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        org = Organisation(name="Empty")
        session.add(org)
        session.flush()
        batch = Batch(org_id=org.id, source="/nothing")
        session.add(batch)
        session.flush()
        batch_id = batch.id
    with sqlite_db.session() as session:
        s = build_summary(session, batch_id, TODAY)
    assert s.files == 0 and s.contracts == 0 and s.findings == () and s.failed == ()
    assert "No file failed." in _html(sqlite_db, batch_id)


def _html(database: Database, batch_id: str, out: Path | None = None) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _, html = write_summary(database, batch_id, out or Path(tmp), today=TODAY)
        return html.read_text(encoding="utf-8")


def test_csv_layout(sqlite_db: Database, tmp_path: Path) -> None:
    world = populate(sqlite_db)
    csv_path, html_path = write_summary(sqlite_db, world.batch_id, tmp_path, today=TODAY)
    assert csv_path.name == f"batch-{world.batch_id}.csv"
    assert html_path.name == f"batch-{world.batch_id}.html"
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    for row in rows:
        section = row["section"]
        assert section in CSV_SECTIONS
        filled = {k for k, v in row.items() if v and k != "section"}
        assert filled <= set(CSV_SECTIONS[section]), (section, filled)

    def section(name: str) -> list[dict[str, str]]:
        return [r for r in rows if r["section"] == name]

    metrics = {r["name"]: int(r["value"]) for r in section("metric")}
    assert metrics["files_failed"] == 3 and metrics["ocr_pages"] == 7 and metrics["findings"] == 9
    assert {(r["payer"], r["product_line"]): r["contracts"] for r in section("contracts_by_payer")}[
        ("Acme Health Plan", "commercial_ppo")
    ] == "2"
    findings = {(r["category"], r["severity"]): r["findings"] for r in section("findings")}
    assert findings[("lesser_of", "high")] == "3"
    upcoming = section("deadline_upcoming")
    assert [(r["notice_deadline"], r["days_left"]) for r in upcoming] == [
        ("2026-09-15", "92"),
        ("2027-06-15", "365"),
    ]
    assert upcoming[0]["file"] == "a.pdf; copy/a.pdf" and upcoming[0]["auto_renews"] == "true"
    assert section("deadline_missed")[0]["days_left"] == "-45"
    assert {(r["file"], r["status"]) for r in section("low_ocr_confidence")} == {
        ("old.pdf", "skipped"),
        ("scans/low.pdf", "succeeded"),
        ("scans/one-page-low.pdf", "succeeded"),
    }
    failed = {r["code"]: r for r in section("failed")}
    # Text a spreadsheet would run as a formula is quoted; numbers stay numbers.
    assert failed["input.encrypted"]["file"] == "'" + FORMULA
    assert failed["input.encrypted"]["message"] == "'-needs a password"
    assert failed["limits.too_many_pages"]["file"] == EVIL
    assert render_csv(_summary(world)) == raw.decode("utf-8-sig")


def test_html_is_self_contained_and_escaped(sqlite_db: Database, tmp_path: Path) -> None:
    world = populate(sqlite_db)
    html = _html(sqlite_db, world.batch_id, tmp_path)
    assert '<html lang="en">' in html
    assert "<script" not in html  # no script of ours, and the file name's is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.pdf" in html
    assert "Lakeside &lt;Health&gt; &amp; Co" in html
    assert "&lt;b&gt;allowed&lt;/b&gt;" in html
    for external in ("http://", "https://", "//fonts", "<link", "@import", "url("):
        assert external not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), external
    assert html.count("<caption>") >= 5 and 'scope="col"' in html


# ---- headless Chromium ---------------------------------------------------------------------


def _launch_chromium(playwright: Any) -> Any:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run scripts/install-browser "
            "(apt-get install chromium); the summary's rendering test needs it and never skips"
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def test_html_renders_in_chromium(sqlite_db: Database, tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.fail("the playwright package is missing: pip install -e '.[dev]'")
    world = populate(sqlite_db)
    _, html_path = write_summary(sqlite_db, world.batch_id, tmp_path / "out", today=TODAY)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "batch-summary.png"

    requested: list[str] = []
    with sync_playwright() as p:
        browser = _launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            page.screenshot(path=str(screenshot), full_page=True)
            print(f"\nbatch summary screenshot: {screenshot}")

            def metric(name: str) -> int:
                return int(page.inner_text(f'[data-metric="{name}"]').strip())

            expected = _summary(world).metrics()
            for name in (
                "files",
                "files_succeeded",
                "files_skipped",
                "files_failed",
                "pages",
                "ocr_pages",
                "low_confidence_files",
                "contracts",
                "findings",
                "deadlines_12_months",
                "deadlines_missed",
            ):
                assert metric(name) == expected[name], name
            assert metric("files_succeeded") == 6 and metric("ocr_pages") == 7
            assert metric("findings_high") == 4

            assert page.title().startswith("Batch summary")
            assert page.locator("html").get_attribute("lang") == "en"
            # Escaped text shows as text; nothing ran.
            assert page.locator("script").count() == 0
            assert page.locator(f'#failed-table tr[data-file="{EVIL}"] th').inner_text() == EVIL
            assert page.locator("#failed-table tbody tr").count() == 3
            codes = page.eval_on_selector_all(
                "#failed-table tbody tr", "rows => rows.map(r => r.dataset.code)"
            )
            assert sorted(codes) == ["input.corrupt", "input.encrypted", "limits.too_many_pages"]

            lesser = page.locator('#findings-table tr[data-category="lesser_of"]')
            assert lesser.locator('td[data-severity="high"]').inner_text() == "3"
            assert lesser.locator("td").last.inner_text() == "4"
            acme = page.locator('#payers tr[data-payer="Acme Health Plan"]')
            assert acme.locator('td[data-product-line="medicare_advantage"]').inner_text() == "2"
            assert acme.locator("td").last.inner_text() == "3"

            upcoming = page.locator("#deadlines-upcoming tbody tr")
            assert upcoming.count() == 2
            assert upcoming.first.get_attribute("data-deadline") == "2026-09-15"
            assert "in 92 days" in upcoming.first.inner_text()
            assert page.locator("#deadlines-missed tbody tr").count() == 1
            assert page.locator("#low-confidence tbody tr").count() == 3

            # The charts are drawn (inline SVG with an accessible name), bars sized.
            chart = page.locator("#chart-findings")
            assert chart.get_attribute("role") == "img"
            assert page.locator("#chart-findings-title").text_content() == "Findings by category"
            bar = page.locator('#chart-findings g[data-bar="lesser_of"]')
            assert bar.get_attribute("data-value") == "4"
            assert bar.locator("rect").count() == 2  # high and medium
            assert chart.bounding_box()["width"] > 300  # type: ignore[index]
            # Every table has a caption and column headers.
            for table in page.locator("table").all():
                assert table.locator("caption").count() == 1
                assert table.locator('thead th[scope="col"]').count() >= 2
        finally:
            browser.close()
    # Self-contained: the page asked for nothing but itself.
    assert requested == [html_path.resolve().as_uri()], requested
    assert screenshot.stat().st_size > 10_000
