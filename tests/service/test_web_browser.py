"""The review workspace in a real browser: Debian's Chromium, headless, driven by Playwright,
against ``payerlens serve`` started here on a free port (SQLite, the in-process runner, the
clause model and OCR off). One flow, as a reviewer works: sign in, drop a contract on the
upload page, wait for its analysis, see its findings highlighted, jump to one, review it, see
the history, sort and download the rates, filter the list, open the deadlines and download
the calendar, look at the charts; then a viewer, who cannot review; then sign out.

Screenshots of every page go to ``tests/artifacts/screens/`` (printed); with
``PAYERLENS_UPDATE_SCREENSHOTS=1`` the README's are refreshed in ``docs/screenshots/``.

Chromium missing is a failure, not a skip: CI installs it (``scripts/install-browser``).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
CHROMIUM = Path("/usr/bin/chromium")
# No network here: without these Chromium stalls on refused connections (updates, metrics).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENS = REPO / "tests" / "artifacts" / "screens"
README_SCREENS = REPO / "docs" / "screenshots"
README_NAMES = ("contract.png", "deadlines.png")
VIEWPORT = {"width": 1440, "height": 900}
ANALYSIS_TIMEOUT_MS = 120_000
# Analysed before the browser arrives (through the API), so the list, the deadlines and the
# charts have more than the browser's own two contracts.
SEEDED = (
    "acute_care_hospital_agreement.pdf",
    "medicaid_mco_provider_agreement.pdf",
    "physician_group_ppo_agreement.pdf",
)


@dataclass(frozen=True)
class Server:
    url: str
    keys: dict[str, str]  # role -> key, organisation A
    emails: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from service import accounts
    from service.storage.db import Database

    root = tmp_path_factory.mktemp("web_browser")
    settings = Settings(data_dir=root / "data", use_model=False, ocr=False)
    database = Database(settings)  # creates and migrates the SQLite file
    keys: dict[str, str] = {}
    emails: dict[str, str] = {}
    with database.transaction() as session:
        org = accounts.create_org(session, "Mercy Health")
        for role in ("legal", "viewer"):
            email = f"{role}@mercy.example"
            user = accounts.create_user(session, org_id=org.id, email=email, role=role)
            _, keys[role] = accounts.create_key(session, user_id=user.id, label="browser test")
            emails[role] = email
    database.dispose()

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYERLENS_")}
    env.update(
        PAYERLENS_DATA_DIR=str(settings.data_dir),
        PAYERLENS_USE_MODEL="0",
        PAYERLENS_OCR="0",
        PAYERLENS_RATE_LIMIT_PER_MINUTE="0",
    )
    log_path = root / "server.log"
    command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("payerlens serve did not start:\n" + log_path.read_text()[-4000:])
            time.sleep(0.2)
        _seed(url, keys["legal"], log_path)
        yield Server(url, keys, emails)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        print(f"\nserver log: {log_path}")


def _seed(url: str, key: str, log_path: Path) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url + "/api/v1", headers=headers, timeout=30) as client:
        jobs = []
        for name in SEEDED:
            content = (SAMPLES / name).read_bytes()
            response = client.post("/documents", files={"file": (name, content, "application/pdf")})
            assert response.status_code == 202, response.text
            jobs.append(response.json()["job_id"])
        deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
        for job_id in jobs:
            while (status := client.get(f"/jobs/{job_id}").json()["status"]) not in (
                "succeeded",
                "failed",
            ):
                if time.monotonic() > deadline:
                    pytest.fail("seeding timed out:\n" + log_path.read_text()[-4000:])
                time.sleep(0.3)
            assert status == "succeeded", log_path.read_text()[-4000:]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run scripts/install-browser "
            "(Debian's chromium package; CI installs it). The browser tests do not skip."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The playwright package is missing: pip install -e '.[dev]'.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


class Screens:
    def __init__(self) -> None:
        SCREENS.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def shot(self, page: Any, name: str, *, full_page: bool = False) -> None:
        path = SCREENS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)

    def publish(self) -> None:
        print(f"\nscreenshots: {SCREENS}")
        if os.environ.get("PAYERLENS_UPDATE_SCREENSHOTS") == "1":
            README_SCREENS.mkdir(parents=True, exist_ok=True)
            from PIL import Image

            for name in README_NAMES:  # 256 colours: a third of the bytes in the repository
                with Image.open(SCREENS / name) as image:
                    image.quantize(colors=256).save(README_SCREENS / name, optimize=True)
            print(f"README screenshots updated in {README_SCREENS}")


def _sign_in(page: Any, server: Server, role: str) -> None:
    page.goto(server.url + "/contracts")
    assert "/login" in page.url, "a page without a session sends the browser to sign in"
    page.get_by_label("API key").fill(server.keys[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/contracts$"))


def _nav(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def _drop_file(page: Any, path: Path) -> None:
    """Drag and drop, as a person would: a DataTransfer holding the file, dropped on the
    drop zone."""
    page.evaluate(
        """([data, name]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
            const zone = document.getElementById("dropzone");
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {
                    dataTransfer: transfer, bubbles: true, cancelable: true}));
            }
        }""",
        [base64.b64encode(path.read_bytes()).decode("ascii"), path.name],
    )


def _parse_ics(text: str) -> list[dict[str, str]]:
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, _, value = line.partition(":")
            current.setdefault(name.split(";")[0], value)
    return events


def test_the_review_workspace_in_a_browser(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    started = time.monotonic()
    screens = Screens()
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Console errors include Content-Security-Policy violations and failed loads.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    # Sign in with the API key (exchanged for a session cookie).
    page.goto(server.url + "/login")
    screens.shot(page, "login")
    _sign_in(page, server, "legal")
    cookies = {c["name"]: c for c in context.cookies()}
    assert (
        cookies["payerlens_session"]["httpOnly"]
        and cookies["payerlens_session"]["sameSite"] == "Lax"
    )
    assert server.keys["legal"] not in cookies["payerlens_session"]["value"]

    # Upload by drag and drop, follow the job, land on the contract.
    _nav(page, "Upload").click()
    expect(page.get_by_role("heading", name="Upload a contract")).to_be_visible()
    _drop_file(page, SAMPLES / "anesthesia_group_agreement.pdf")
    expect(page.locator("#upload-progress")).to_be_visible()
    screens.shot(page, "upload")
    page.wait_for_url(re.compile(r"/contracts/[0-9a-f]{32}$"), timeout=ANALYSIS_TIMEOUT_MS)
    contract_url = page.url
    contract_id = contract_url.rsplit("/", 1)[1]

    # Key terms on top; every finding highlighted in its page's text, and listed beside it.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anesthesia")
    expect(page.locator(".deadline-card")).to_contain_text("Renegotiation window")
    cards = page.locator("article.finding")
    marks = page.locator("mark.hl")
    assert cards.count() > 10 and marks.count() >= cards.count() // 2
    assert page.locator("article.finding[data-located='1']").count() == cards.count()
    assert page.locator("span.anchor").count() == cards.count()

    # The original page beside the text is a rendered PNG.
    first_image = page.locator("#page-1 img")
    first_image.scroll_into_view_if_needed()
    expect(first_image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 400", arg=first_image.element_handle()
    )

    # "Show in text" scrolls to the clause and marks it.
    high = page.locator("article.finding.sev-high").nth(2)
    finding_id = high.get_attribute("data-finding")
    assert finding_id
    high.get_by_role("link", name="Show in text").click()
    target = page.locator(f'mark[data-findings~="{finding_id}"]').first
    expect(target).to_have_class(re.compile(r"\bflash\b"))
    expect(target).to_be_in_viewport()
    assert page.evaluate("() => document.activeElement.id") == f"f-{finding_id}"

    # Review it: needs negotiation, with a comment; the card shows the state and the history.
    high.get_by_label("Needs negotiation").check()
    high.get_by_label("Comment").fill("Ask for 180 days' notice, not 60.")
    high.get_by_role("button", name="Save review").click()
    card = page.locator(f"#card-{finding_id}")
    expect(card.locator(".saved")).to_contain_text("Saved")
    expect(card.locator(".state")).to_have_text("Needs negotiation")
    history = card.locator("details.history")
    expect(history).to_contain_text("Needs negotiation by " + server.emails["legal"])
    expect(history).to_contain_text("Ask for 180 days' notice, not 60.")
    page.reload()
    card = page.locator(f"#card-{finding_id}")
    expect(card.locator(".state")).to_have_text("Needs negotiation")
    card.locator("details.history summary").click()
    expect(card.locator("details.history")).to_contain_text("180 days")
    card.get_by_role("link", name="Show in text").click()
    expect(target).to_be_in_viewport()
    card.scroll_into_view_if_needed()
    screens.shot(page, "contract")

    # The findings panel filters in place.
    page.get_by_label("Severity", exact=True).select_option("high")
    visible = page.locator(".finding-list > li:not([hidden]) article.finding")
    expect(visible.first).to_be_visible()
    assert all(s == "high" for s in visible.evaluate_all("els => els.map(e => e.dataset.severity)"))
    page.get_by_label("Severity", exact=True).select_option("")
    page.evaluate(
        "() => { window.scrollTo({top: 0, behavior: 'instant'});"
        " document.querySelector('.findings-panel').scrollTop = 0; }"
    )
    screens.shot(page, "contract-terms")

    # Rates: sortable (mouse and keyboard), with page references, and the CSV.
    table = page.locator("table.rate-table").first
    table.scroll_into_view_if_needed()
    amount_header = table.locator("thead th").nth(3)
    amount = amount_header.get_by_role("button", name="Amount")
    amount.click()
    expect(amount_header).to_have_attribute("aria-sort", "ascending")
    values = table.locator("tbody tr td:nth-child(4)").evaluate_all(
        "tds => tds.map(td => td.dataset.value).filter(v => v !== '').map(Number)"
    )
    assert values == sorted(values) and values
    amount.focus()
    page.keyboard.press("Enter")
    expect(amount_header).to_have_attribute("aria-sort", "descending")
    assert table.locator("tbody a[href^='#page-']").count() > 0
    shown_rows = page.locator("table.rate-table tbody tr").count()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["file", "page"] and len(rows) - 1 == shown_rows
    screens.shot(page, "rates")

    # A second contract, chosen with the file picker, for the list.
    page.goto(server.url + "/upload")
    page.get_by_label(re.compile("^Contract file")).set_input_files(
        str(SAMPLES / "behavioral_health_services_agreement.pdf")
    )
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url(re.compile(r"/contracts/[0-9a-f]{32}$"), timeout=ANALYSIS_TIMEOUT_MS)
    assert page.url != contract_url

    # The list: open high-severity counts, and filters.
    _nav(page, "Contracts").click()
    table_rows = page.locator("table.contracts-table tbody tr")
    expect(table_rows).to_have_count(2 + len(SEEDED))
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Review state").select_option("needs_negotiation")
    page.get_by_role("button", name="Apply filters").click()
    expect(table_rows).to_have_count(1)
    expect(table_rows.first).to_contain_text("Anesthesia")
    expect(page.locator(".result-summary")).to_contain_text("Needs negotiation")
    screens.shot(page, "contracts")
    page.get_by_role("link", name="Clear", exact=True).click()
    page.get_by_label("Payer").fill("coastal")
    page.get_by_role("button", name="Apply filters").click()
    expect(table_rows).to_have_count(1)
    expect(table_rows.first).to_contain_text("Behavioral")

    # Deadlines: the timeline, soonest first, and the calendar file.
    _nav(page, "Deadlines").click()
    expect(page.locator("svg.timeline")).to_be_visible()
    first_row = page.locator("table.deadlines-table tbody tr").first
    expect(first_row).to_contain_text("Anesthesia")
    screens.shot(page, "deadlines")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Export to calendar")).click()
    events = _parse_ics(Path(download.value.path()).read_bytes().decode("utf-8"))
    by_uid = {e["UID"]: e for e in events}
    notice = by_uid[f"{contract_id}-notice@payerlens"]
    window = by_uid[f"{contract_id}-renegotiation@payerlens"]
    assert date.fromisoformat(_iso(notice["DTSTART"])) >= date.today()
    assert window["DTSTART"] < window["DTEND"] <= notice["DTSTART"]
    assert notice["SUMMARY"].startswith("Notice deadline: Anesthesia")

    # Charts.
    _nav(page, "Charts").click()
    expect(page.locator("svg.chart")).to_have_count(2)
    screens.shot(page, "charts", full_page=True)

    # A viewer reads the same contract, with the history, but has no review form, and the
    # server refuses a review sent anyway.
    viewer_context = browser.new_context(viewport=VIEWPORT)
    viewer = viewer_context.new_page()
    _sign_in(viewer, server, "viewer")
    viewer.goto(contract_url)
    expect(viewer.locator("article.finding").first).to_be_visible()
    assert viewer.locator("form.review-form").count() == 0
    expect(viewer.locator(".findings-panel")).to_contain_text(
        "can read the findings but not review"
    )
    status = viewer.evaluate(
        """async (id) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch(`/findings/${id}/review`, {method: "POST",
                headers: {"Content-Type": "application/x-www-form-urlencoded",
                          "X-CSRF-Token": csrf, "X-Requested-With": "fetch"},
                body: "decision=dismiss"});
            return r.status;
        }""",
        finding_id,
    )
    assert status == 403
    screens.shot(viewer, "viewer-contract")
    viewer_context.close()

    # Sign out: the session is gone.
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".notice")).to_contain_text("signed out")
    page.goto(contract_url)
    assert "/login" in page.url
    context.close()

    assert not errors, f"script errors on the pages: {errors}"
    screens.publish()
    print(f"browser flow took {time.monotonic() - started:.1f} s")


def _iso(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
