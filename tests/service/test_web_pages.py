"""The review workspace through the real app (``create_app`` with its lifespan, SQLite, the
in-process runner), page by page with a test client: signing in and out, the session cookie,
CSRF, roles, another organisation's ids, and what each page shows."""

from __future__ import annotations

import html
import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

API = "/api/v1"
SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
ANESTHESIA = "anesthesia_group_agreement.pdf"
BEHAVIORAL = "behavioral_health_services_agreement.pdf"
JOB_TIMEOUT = 180.0


@dataclass
class World:
    api: Any  # the ApiHarness
    a: Any
    b: Any
    contracts: dict[str, str]  # "a.anesthesia", "a.behavioral", "b.anesthesia"
    jobs: dict[str, str]

    @property
    def app(self) -> Any:
        return self.api.client.app

    @property
    def settings(self) -> Settings:
        settings: Settings = self.api.settings
        return settings


@pytest.fixture(scope="module")
def world(api_helpers: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("web_pages") / "data",
        use_model=False,
        ocr=False,
        rate_limit_per_minute=0,
    )
    with api_helpers.harness(settings) as api:
        a = api_helpers.org(api.database, "Web A")
        b = api_helpers.org(api.database, "Web B")
        wanted = {
            "a.anesthesia": (a, ANESTHESIA),
            "a.behavioral": (a, BEHAVIORAL),
            "b.anesthesia": (b, ANESTHESIA),
        }
        jobs = {}
        for name, (org, sample) in wanted.items():
            response = api.upload(org["legal"], (SAMPLES / sample).read_bytes(), filename=sample)
            assert response.status_code == 202, response.text
            jobs[name] = response.json()["job_id"]
        contracts = {}
        for name, (org, _) in wanted.items():
            job = api.wait_for_job(org["legal"], jobs[name])
            assert job["status"] == "succeeded", job
            contracts[name] = job["contract_id"]
        yield World(api, a, b, contracts, jobs)


# ---- helpers ---------------------------------------------------------------------------------


def client_for(world: World, base_url: str = "http://testserver") -> TestClient:
    """A browser of its own (its own cookie jar) on the running app."""
    return TestClient(world.app, base_url=base_url, follow_redirects=False)


def csrf_of(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert found, "every page carries the session's CSRF token"
    return found.group(1)


def sign_in(world: World, member: Any, base_url: str = "http://testserver") -> TestClient:
    client = client_for(world, base_url)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"csrf_token": token, "api_key": member.key})
    assert response.status_code == 303 and response.headers["location"] == "/contracts"
    return client


def token(client: TestClient) -> str:
    return csrf_of(client.get("/contracts").text)


def api_get(world: World, member: Any, path: str, **params: Any) -> Any:
    response = world.api.client.get(API + path, headers=member.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def findings(world: World, member: Any, contract: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api_get(world, member, f"/contracts/{contract}/findings")["items"]
    return items


def error_message(page: str) -> str:
    found = re.search(r'<p class="error-message">(.*?)</p>', page, re.S)
    assert found, page[:500]
    return html.unescape(found.group(1))


def upload_form(
    client: TestClient,
    content: bytes,
    *,
    filename: str = "contract.pdf",
    content_type: str = "application/pdf",
    csrf: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    fields: list[tuple[str, Any]] = []
    if csrf is not None:
        fields.append(("csrf_token", (None, csrf)))  # first, as the form puts it
    fields.append(("file", (filename, content, content_type)))
    return client.post("/upload", files=fields, headers=headers or {})


def wait_for_web_job(client: TestClient, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        job: dict[str, Any] = client.get(job_url, headers={"Accept": "application/json"}).json()
        if job["status"] in ("succeeded", "failed") and (
            job["contract_url"] or job["status"] == "failed"
        ):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"{job_url} still {job['status']}")
        time.sleep(0.25)


def counts_of_stored_things(world: World) -> tuple[int, int, int, list[str]]:
    c = world.api.counts()
    return c["document"], c["review"], c["job"], world.api.stored_files()


# ---- signing in and out ----------------------------------------------------------------------


def test_every_page_needs_a_session_and_sends_the_browser_to_sign_in(world: World) -> None:
    contract, job = world.contracts["a.anesthesia"], world.jobs["a.anesthesia"]
    client = client_for(world)
    for path in (
        "/contracts",
        f"/contracts/{contract}",
        f"/contracts/{contract}/pages/1.png",
        f"/contracts/{contract}/rates.csv",
        "/upload",
        f"/jobs/{job}",
        "/deadlines",
        "/deadlines.ics",
        "/charts",
    ):
        response = client.get(path)
        assert response.status_code == 303, path
        location = response.headers["location"]
        assert location.startswith("/login?m=required&next=%2F"), (path, location)
    assert client.get("/").headers["location"] == "/contracts"
    scripted = client.get("/contracts", headers={"X-Requested-With": "fetch"})
    assert scripted.status_code == 401
    assert scripted.json()["error"]["code"] == "auth.login_required"


def test_signing_in_sets_a_hardened_cookie_and_returns_to_the_page(world: World) -> None:
    contract = world.contracts["a.anesthesia"]
    legal = world.a["legal"]
    client = client_for(world)
    login_url = client.get(f"/contracts/{contract}").headers["location"]
    login_page = client.get(login_url)
    assert login_page.status_code == 200
    assert '<label for="api_key">API key</label>' in login_page.text
    signed = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(login_page.text),
            "api_key": legal.key,
            "next": f"/contracts/{contract}",
        },
    )
    assert signed.status_code == 303 and signed.headers["location"] == f"/contracts/{contract}"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("payerlens_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax"} <= flags
    assert "secure" not in flags, "plain http here"
    assert any(f.startswith("max-age=") for f in flags)
    assert legal.key not in cookie and legal.key.split("_")[2] not in cookie
    assert client.get(f"/contracts/{contract}").status_code == 200

    # The cookie is for pages only: the API still wants its key.
    assert client.get(f"{API}/contracts").status_code == 401

    # Over https the cookie is Secure; a sign-in never goes back to another site.
    secure = client_for(world, "https://testserver")
    page = secure.get("/login?next=//evil.example/x")
    assert 'name="next" value="/contracts"' in page.text
    signed = secure.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "api_key": legal.key, "next": "//evil.example"},
    )
    assert signed.headers["location"] == "/contracts"
    assert "secure" in signed.headers["set-cookie"].lower()


def test_a_wrong_key_is_refused(world: World) -> None:
    client = client_for(world)
    csrf = csrf_of(client.get("/login").text)
    for key in ("pl_00000000_" + "A" * 43, "not a key", world.a["legal"].key + "x"):
        refused = client.post("/login", data={"csrf_token": csrf, "api_key": key})
        assert refused.status_code == 401
        assert "not valid" in refused.text and 'aria-invalid="true"' in refused.text
    assert client.get("/contracts").status_code == 303


def test_signing_in_and_out_need_the_csrf_token(world: World) -> None:
    client = client_for(world)
    client.get("/login")
    refused = client.post("/login", data={"api_key": world.a["legal"].key})
    assert refused.status_code == 403
    assert "CSRF" in error_message(refused.text)
    assert client.get("/contracts").status_code == 303, "not signed in"

    client = sign_in(world, world.a["viewer"])
    assert client.post("/logout").status_code == 403
    assert client.get("/contracts").status_code == 200, "still signed in"
    out = client.post("/logout", data={"csrf_token": token(client)})
    assert out.status_code == 303 and out.headers["location"] == "/login?m=out"
    assert "payerlens_session=" in out.headers["set-cookie"]
    assert client.get("/contracts").status_code == 303
    assert "You have signed out." in client.get("/login?m=out").text


def test_signing_in_issues_a_new_csrf_token(world: World) -> None:
    client = client_for(world)
    before = csrf_of(client.get("/login").text)
    client.post("/login", data={"csrf_token": before, "api_key": world.a["viewer"].key})
    assert token(client) != before


def test_a_tampered_expired_or_foreign_cookie_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itsdangerous.timed
    from itsdangerous import URLSafeTimedSerializer

    from service.web import session as web_session

    client = sign_in(world, world.a["viewer"])
    value = client.cookies["payerlens_session"]
    for forged in (
        value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        URLSafeTimedSerializer("another secret", salt=web_session._SALT).dumps(
            {"k": world.a["admin"].key_id, "c": "x"}
        ),
    ):
        other = client_for(world)
        other.cookies.set("payerlens_session", forged)
        assert other.get("/contracts").status_code == 303

    secret = web_session.session_secret(world.settings)
    age = world.settings.session_max_age_seconds
    real_time = time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - age - 60)
    old = URLSafeTimedSerializer(secret, salt=web_session._SALT).dumps(
        {"k": world.a["viewer"].key_id, "c": "x"}
    )
    monkeypatch.undo()
    stale = client_for(world)
    stale.cookies.set("payerlens_session", old)
    assert stale.get("/contracts").status_code == 303


def test_a_revoked_key_or_a_deactivated_user_ends_the_session(world: World) -> None:
    from service import accounts

    database = world.api.database
    with database.transaction() as session:
        user = accounts.create_user(
            session, org_id=world.a.id, email="temp@web-a.example", role="legal"
        )
        row, key = accounts.create_key(session, user_id=user.id)
        user_id, key_id = user.id, row.id
        _, other_key = accounts.create_key(session, user_id=user.id)

    @dataclass
    class Member:
        key: str

    client = sign_in(world, Member(key))
    assert client.get("/contracts").status_code == 200
    with database.transaction() as session:
        accounts.revoke_key(session, key_id=key_id, org_id=world.a.id)
    ended = client.get("/contracts")
    assert ended.status_code == 303 and ended.headers["location"].startswith("/login?m=expired")
    assert "payerlens_session=" in ended.headers["set-cookie"], "the cookie is cleared"
    assert "Your session has ended" in client.get(ended.headers["location"]).text

    client = sign_in(world, Member(other_key))
    with database.transaction() as session:
        found = accounts.find_user(session, org_id=world.a.id, email_or_id=user_id)
        assert found is not None
        accounts.update_user(session, found, active=False)
    assert client.get("/contracts").status_code == 303


# ---- CSRF, roles, organisations --------------------------------------------------------------


def test_forms_without_their_csrf_token_are_refused(world: World) -> None:
    legal = sign_in(world, world.a["legal"])
    finding = findings(world, world.a["legal"], world.contracts["a.behavioral"])[0]
    before = counts_of_stored_things(world)
    elsewhere = token(sign_in(world, world.a["finance"]))
    for data, headers in (
        ({"decision": "dismiss"}, {}),
        ({"decision": "dismiss", "csrf_token": ""}, {}),
        ({"decision": "dismiss", "csrf_token": elsewhere}, {}),  # another session's token
        ({"decision": "dismiss"}, {"X-CSRF-Token": "wrong"}),
    ):
        refused = legal.post(f"/findings/{finding['id']}/review", data=data, headers=headers)
        assert refused.status_code == 403, data
        assert "CSRF" in error_message(refused.text)
    scripted = legal.post(
        f"/findings/{finding['id']}/review",
        data={"decision": "dismiss"},
        headers={"X-Requested-With": "fetch"},
    )
    assert scripted.status_code == 403 and "CSRF" in scripted.json()["error"]["message"]

    content = (SAMPLES / "medicare_advantage_amendment.pdf").read_bytes()
    for csrf in (None, "wrong", elsewhere):
        refused = upload_form(legal, content, csrf=csrf)
        assert refused.status_code == 403 and "CSRF" in error_message(refused.text)
    bad_header = upload_form(legal, content, csrf=token(legal), headers={"X-CSRF-Token": "no"})
    assert bad_header.status_code == 403
    assert counts_of_stored_things(world) == before, "nothing stored, not even the file"


def test_a_viewer_reads_but_cannot_review_or_upload(world: World) -> None:
    viewer = sign_in(world, world.a["viewer"])
    contract = world.contracts["a.behavioral"]
    page = viewer.get(f"/contracts/{contract}")
    assert page.status_code == 200
    assert 'class="finding ' in page.text and 'class="review-form"' not in page.text
    assert "can read the findings but not review them" in page.text
    assert 'href="/upload"' not in page.text
    finding = findings(world, world.a["viewer"], contract)[0]
    before = counts_of_stored_things(world)
    csrf = token(viewer)
    refused = viewer.post(
        f"/findings/{finding['id']}/review", data={"csrf_token": csrf, "decision": "dismiss"}
    )
    assert refused.status_code == 403
    assert "Your role (viewer)" in error_message(refused.text)
    scripted = viewer.post(
        f"/findings/{finding['id']}/review",
        data={"decision": "accept"},
        headers={"X-CSRF-Token": csrf, "X-Requested-With": "fetch"},
    )
    assert scripted.status_code == 403
    upload = upload_form(viewer, (SAMPLES / ANESTHESIA).read_bytes(), csrf=csrf)
    assert upload.status_code == 403 and "Your role (viewer)" in error_message(upload.text)
    assert "can read contracts but not upload" in viewer.get("/upload").text
    assert counts_of_stored_things(world) == before
    assert findings(world, world.a["viewer"], contract)[0]["review_state"] == "open"


def test_another_organisations_ids_are_the_not_found_page(world: World) -> None:
    legal = sign_in(world, world.a["legal"])
    theirs = world.contracts["b.anesthesia"]
    their_finding = findings(world, world.b["legal"], theirs)[0]["id"]
    missing = "0" * 32
    csrf = token(legal)

    def bodies(contract: str, finding: str, job: str) -> list[tuple[int, str]]:
        return [
            (r.status_code, r.text)
            for r in (
                legal.get(f"/contracts/{contract}"),
                legal.get(f"/contracts/{contract}/pages/1.png"),
                legal.get(f"/contracts/{contract}/rates.csv"),
                legal.get(f"/jobs/{job}"),
                legal.post(
                    f"/findings/{finding}/review",
                    data={"csrf_token": csrf, "decision": "dismiss"},
                ),
            )
        ]

    their = bodies(theirs, their_finding, world.jobs["b.anesthesia"])
    unknown = bodies(missing, missing, missing)
    assert [s for s, _ in their] == [404] * 5
    assert their == unknown, "another organisation's id answers exactly like a missing one"
    assert "<h1>Page not found</h1>" in their[0][1]
    # ... and B's contract is in none of A's lists.
    for path in ("/contracts", "/deadlines", "/deadlines.ics", "/charts"):
        assert theirs not in legal.get(path).text
    assert findings(world, world.b["legal"], theirs)[0]["review_state"] == "open"


def test_unknown_pages_are_html_and_the_api_keeps_its_json(world: World) -> None:
    client = sign_in(world, world.a["viewer"])
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = world.api.client.get(f"{API}/nothing", headers=world.a["viewer"].headers)
    assert api.json() == {"error": {"code": "not_found", "message": "Not found."}}
    paths = world.api.client.get("/openapi.json").json()["paths"]
    assert all(p.startswith(API) or p == "/health" for p in paths), "pages stay out of the API"


def test_pages_send_security_headers(world: World) -> None:
    client = sign_in(world, world.a["viewer"])
    for path in ("/contracts", "/login", f"/contracts/{world.contracts['a.anesthesia']}"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
    css = client.get("/static/web.css")
    assert css.status_code == 200 and "--high" in css.text


# ---- what the pages show ---------------------------------------------------------------------


def test_the_contract_page_shows_terms_findings_in_place_and_rates(world: World) -> None:
    from service.web.data import deadlines_today
    from service.web.render import fmt_date

    legal = world.a["legal"]
    contract_id = world.contracts["a.anesthesia"]
    client = sign_in(world, legal)
    page = client.get(f"/contracts/{contract_id}").text
    detail = api_get(world, legal, f"/contracts/{contract_id}")
    terms = detail["key_terms"]
    assert html.escape(terms["payer"]) in page and html.escape(terms["provider"]) in page
    assert "Workers&#39; comp" in page

    from service.storage.models import Contract

    with world.api.database.session() as session:
        stored = session.get(Contract, contract_id)
        assert stored is not None
        expected = deadlines_today(stored, date.today())
    assert expected.notice_deadline and expected.renegotiation_start and expected.term_end
    for day in (expected.notice_deadline, expected.renegotiation_start, expected.term_end):
        assert fmt_date(day) in page
    assert expected.renegotiation_start == expected.decision_term_end - timedelta(days=270)
    assert expected.renegotiation_end == expected.decision_term_end - timedelta(days=180)

    items = findings(world, legal, contract_id)
    for f in items:
        assert f'id="card-{f["id"]}"' in page
        assert f'id="f-{f["id"]}"' in page, "each finding has its place in the text"
    assert page.count('data-located="1"') == len(items)
    # Every highlighted stretch, put together, is the finding's text.
    marks = re.findall(r'<mark class="hl [^"]*" data-findings="([^"]+)">(.*?)</mark>', page, re.S)
    for f in items[:8]:
        pieces = [body for ids, body in marks if f["id"] in ids.split()]
        text = re.sub(r'<span class="anchor"[^>]*></span>', "", "".join(pieces))
        text = re.sub(
            r'<span class="tag [^"]*"><span aria-hidden="true">.</span>[^<]*</span>', "", text
        )
        squash = re.sub(r"[\s\-]+", "", html.unescape(text))
        assert squash == re.sub(r"[\s\-]+", "", f["text"]), f["category"]

    rates = api_get(world, legal, f"/contracts/{contract_id}/rates")
    rate_rows = re.findall(r"<tbody>(.*?)</tbody>", page.split('id="rates"')[1], re.S)[:-1]
    assert sum(chunk.count("<tr>") for chunk in rate_rows) == rates["total"] > 0
    assert 'class="data sortable rate-table"' in page
    assert f'src="/contracts/{contract_id}/pages/1.png"' in page
    assert f'href="/contracts/{contract_id}/rates.csv"' in page

    csv_body = client.get(f"/contracts/{contract_id}/rates.csv")
    assert csv_body.headers["content-type"].startswith("text/csv")
    api_csv = world.api.client.get(
        f"{API}/contracts/{contract_id}/rates", params={"format": "csv"}, headers=legal.headers
    )
    assert csv_body.text == api_csv.text


def test_a_review_from_the_page_is_recorded_with_its_history(world: World) -> None:
    contract_id = world.contracts["a.anesthesia"]
    legal, finance = world.a["legal"], world.a["finance"]
    high = next(f for f in findings(world, legal, contract_id) if f["severity"] == "high")
    client = sign_in(world, legal)
    saved = client.post(
        f"/findings/{high['id']}/review",
        data={
            "csrf_token": token(client),
            "decision": "needs_negotiation",
            "comment": "Ask for 90 days <b>not</b> 30",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/contracts/{contract_id}#card-{high['id']}"
    page = client.get(f"/contracts/{contract_id}").text
    card = page.split(f'id="card-{high["id"]}"')[1].split("</article>")[0]
    assert "Needs negotiation" in card and legal.role + "@" in card
    assert "Ask for 90 days &lt;b&gt;not&lt;/b&gt; 30" in card, "comments are escaped"

    # Scripted (the page's JavaScript): the card comes back, with both reviews.
    other = sign_in(world, finance)
    fragment = other.post(
        f"/findings/{high['id']}/review",
        data={"decision": "accept", "comment": ""},
        headers={"X-CSRF-Token": token(other), "X-Requested-With": "fetch"},
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith("<article")
    assert 'data-state="accept"' in fragment.text and "Review history (2)" in fragment.text
    assert "Saved: accept." in fragment.text
    history = api_get(world, legal, f"/findings/{high['id']}/reviews")["items"]
    assert [(r["decision"], r["user_id"]) for r in history] == [
        ("needs_negotiation", legal.user_id),
        ("accept", finance.user_id),
    ]
    actions = [e["action"] for e in api_get(world, legal, "/audit-log", limit=100)["items"]]
    assert actions.count("finding.reviewed") >= 2

    invalid = client.post(
        f"/findings/{high['id']}/review", data={"csrf_token": token(client), "decision": "maybe"}
    )
    assert invalid.status_code == 422
    assert len(api_get(world, legal, f"/findings/{high['id']}/reviews")["items"]) == 2


def _listed(client: TestClient, **params: str) -> set[str]:
    page = client.get("/contracts", params=params)
    assert page.status_code == 200
    return set(re.findall(r'<th scope="row"><a href="/contracts/([0-9a-f]{32})"', page.text))


def test_the_list_filters_and_counts_open_high_findings(world: World) -> None:
    from service.storage.models import Contract
    from service.web.data import deadlines_today

    legal = world.a["legal"]
    anesthesia, behavioral = world.contracts["a.anesthesia"], world.contracts["a.behavioral"]
    client = sign_in(world, legal)
    both = {anesthesia, behavioral}
    assert _listed(client) == both
    assert _listed(client, payer="great LAKES") == {anesthesia}
    assert _listed(client, q="northern shores") == {anesthesia}, "by provider"
    assert _listed(client, q="behavioral health") == {behavioral}, "by title"
    assert _listed(client, product_line="workers_comp") == {anesthesia}
    only_anesthesia = {f["category"] for f in findings(world, legal, anesthesia)} - {
        f["category"] for f in findings(world, legal, behavioral)
    }
    assert _listed(client, category=sorted(only_anesthesia)[0]) == {anesthesia}
    assert _listed(client, severity="high") == both
    assert _listed(client, category="no_such_category") == set()

    low = next(f for f in findings(world, legal, behavioral) if f["severity"] == "low")
    client.post(
        f"/findings/{low['id']}/review", data={"csrf_token": token(client), "decision": "dismiss"}
    )
    assert _listed(client, review_state="dismiss") == {behavioral}
    assert _listed(client, review_state="dismiss", severity="low") == {behavioral}
    assert _listed(client, review_state="dismiss", severity="high") == set()

    with world.api.database.session() as session:
        stored = session.get(Contract, anesthesia)
        assert stored is not None
        due = deadlines_today(stored, date.today()).notice_deadline
    assert due is not None and due >= date.today()
    days = (due - date.today()).days
    window = next(n for n in ("30", "60", "90", "180", "365") if int(n) >= days)
    assert _listed(client, notice=window) == {anesthesia}
    assert _listed(client, notice="passed") == set()
    assert behavioral not in _listed(client, notice="365"), "no deadline, never in a window"

    page = client.get("/contracts", params={"severity": "high"}).text
    open_high = api_get(world, legal, f"/contracts/{anesthesia}")["findings"]["open_high"]
    row = page.split(f'href="/contracts/{anesthesia}"')[1].split("</tr>")[0]
    assert f"▲</span> {open_high}<span" in row
    assert "Severity: High" in page, "the active filters are listed"
    # Deadline order: the contract with a deadline first, the one without last.
    ordered = re.findall(
        r'<th scope="row"><a href="/contracts/([0-9a-f]{32})"',
        client.get("/contracts", params={"sort": "notice_deadline"}).text,
    )
    assert ordered == [anesthesia, behavioral]


def _parse_ics(raw: bytes) -> list[dict[str, list[str]]]:
    text = raw.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    events: list[dict[str, list[str]]] = []
    stack: list[str] = []
    for line in unfolded.split("\r\n"):
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
            if line == "BEGIN:VEVENT":
                events.append({})
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
        elif line and stack and stack[-1] == "VEVENT":
            name, _, value = line.partition(":")
            events[-1].setdefault(name, []).append(value)
        elif line and stack and stack[-1] == "VALARM":
            events[-1].setdefault("VALARM." + line.partition(":")[0], []).append(line)
    assert stack == []
    return events


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_the_deadlines_page_and_its_calendar(world: World) -> None:
    from service.storage.models import Contract
    from service.web.data import deadlines_today
    from service.web.render import fmt_date

    anesthesia, behavioral = world.contracts["a.anesthesia"], world.contracts["a.behavioral"]
    client = sign_in(world, world.a["viewer"])
    page = client.get("/deadlines").text
    with world.api.database.session() as session:
        stored = session.get(Contract, anesthesia)
        assert stored is not None
        expected = deadlines_today(stored, date.today())
        title = stored.title
    assert expected.notice_deadline and expected.renegotiation_start
    assert expected.renegotiation_end
    assert '<svg class="chart timeline"' in page
    assert page.index(anesthesia) < page.index(behavioral), "soonest first, none last"
    assert fmt_date(expected.notice_deadline) in page

    response = client.get("/deadlines.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    events = _parse_ics(response.content)
    by_uid = {e["UID"][0]: e for e in events}
    assert set(by_uid) == {
        f"{anesthesia}-notice@payerlens",
        f"{anesthesia}-renegotiation@payerlens",
    }
    notice = by_uid[f"{anesthesia}-notice@payerlens"]
    start = expected.notice_deadline
    assert notice["DTSTART;VALUE=DATE"] == [start.strftime("%Y%m%d")]
    assert notice["DTEND;VALUE=DATE"] == [(start + timedelta(days=1)).strftime("%Y%m%d")]
    assert _unescape(notice["SUMMARY"][0]).startswith(f"Notice deadline: {title} (Great Lakes")
    assert f"/contracts/{anesthesia}" in _unescape(notice["DESCRIPTION"][0])
    assert notice["VALARM.TRIGGER"] == ["TRIGGER:-P30D", "TRIGGER:-P7D"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", notice["DTSTAMP"][0])
    window = by_uid[f"{anesthesia}-renegotiation@payerlens"]
    assert window["DTSTART;VALUE=DATE"] == [expected.renegotiation_start.strftime("%Y%m%d")]
    end = expected.renegotiation_end + timedelta(days=1)
    assert window["DTEND;VALUE=DATE"] == [end.strftime("%Y%m%d")]
    again = _parse_ics(client.get("/deadlines.ics").content)
    assert [e["UID"] for e in again] == [e["UID"] for e in events], "stable UIDs"


def test_the_charts_page(world: World) -> None:
    legal = world.a["legal"]
    client = sign_in(world, legal)
    page = client.get("/charts").text
    assert page.count('<svg class="chart"') == 2
    assert 'aria-labelledby="bars-title bars-desc"' in page
    all_findings = [
        f
        for key in ("a.anesthesia", "a.behavioral")
        for f in findings(world, legal, world.contracts[key])
    ]
    high = sum(f["severity"] == "high" for f in all_findings)
    assert f"{high} high, " in page
    tables = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    bar_rows = re.findall(r'<td class="num">(\d+)</td>', tables[0])
    assert sum(int(n) for n in bar_rows) == 2 * len(all_findings), "per severity, plus totals"
    detail = api_get(world, legal, f"/contracts/{world.contracts['a.anesthesia']}")
    matrix_row = tables[1].split("Great Lakes Mutual Health Company")[1].split("</tr>")[0]
    cells = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', matrix_row)]
    assert detail["findings"]["open_high"] in cells
    assert 'href="/contracts?severity=high&amp;review_state=open&amp;payer=Great+Lakes' in page


def test_page_images_are_pngs_rendered_once(world: World) -> None:
    client = sign_in(world, world.a["viewer"])
    contract = world.contracts["a.anesthesia"]
    first = client.get(f"/contracts/{contract}/pages/1.png")
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content.startswith(b"\x89PNG\r\n\x1a\n")
    cached = list((world.settings.data_dir / "web-cache" / "pages").rglob("1@*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == first.content
    assert client.get(f"/contracts/{contract}/pages/1.png").content == first.content
    for bad in ("0", "99", "x"):
        assert client.get(f"/contracts/{contract}/pages/{bad}.png").status_code in (404, 422)


# ---- uploads ---------------------------------------------------------------------------------


def test_an_upload_without_script_follows_its_job_to_the_contract(world: World) -> None:
    client = sign_in(world, world.a["legal"])
    upload_page = client.get("/upload").text
    assert 'enctype="multipart/form-data"' in upload_page and 'id="dropzone"' in upload_page
    assert upload_page.index('name="csrf_token"') < upload_page.index('name="file"')
    content = (SAMPLES / "medicare_advantage_amendment.pdf").read_bytes()
    sent = upload_form(client, content, filename="ma.pdf", csrf=token(client))
    assert sent.status_code == 303 and sent.headers["location"].startswith("/jobs/")
    job_url = sent.headers["location"]
    progress = client.get(job_url)
    if progress.status_code == 200:  # still running: a page that refreshes itself
        assert '<meta http-equiv="refresh" content="2">' in progress.text
    job = wait_for_web_job(client, job_url)
    assert job["status"] == "succeeded" and job["filename"] == "ma.pdf"
    done = client.get(job_url)
    assert done.status_code == 303 and done.headers["location"] == job["contract_url"]
    assert client.get(job["contract_url"]).status_code == 200

    again = upload_form(
        client,
        content,
        filename="again.pdf",
        csrf=token(client),
        headers={"X-Requested-With": "fetch"},
    )
    assert again.status_code == 202 and again.json()["duplicate"] is True


def _docx_from(pdf: Path, path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    from service.api.pdf_sandbox import _page_texts
    from service.web.highlight import reflow

    document = Document()
    _, pages = _page_texts(str(pdf), 0, 10_000)
    for i, (_, text) in enumerate(pages):
        for paragraph in reflow(text or "").split("\n"):
            if paragraph.strip():
                document.add_paragraph(paragraph)
        if i < len(pages) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(str(path))
    return path


def test_a_word_document_is_uploaded_read_and_highlighted(world: World, tmp_path: Path) -> None:
    client = sign_in(world, world.a["legal"])
    docx = _docx_from(SAMPLES / "exchange_narrow_network_agreement.pdf", tmp_path / "draft.docx")
    csrf = token(client)
    sent = upload_form(
        client,
        docx.read_bytes(),
        filename="draft.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        csrf=csrf,
        headers={"X-CSRF-Token": csrf, "X-Requested-With": "fetch"},
    )
    assert sent.status_code == 202, sent.text
    job = wait_for_web_job(client, sent.json()["job_url"])
    assert job["status"] == "succeeded", job
    page = client.get(job["contract_url"]).text
    assert "draft.docx" in page and "<mark" in page
    assert page.count('data-located="1"') >= page.count('class="finding ') - 2
    assert "/pages/1.png" not in page, "a Word file has no page images"
    contract = job["contract_url"].rsplit("/", 1)[1]
    assert client.get(f"/contracts/{contract}/pages/1.png").status_code == 404
    doc = api_get(world, world.a["legal"], f"/contracts/{contract}")["documents"][0]
    assert doc["filename"] == "draft.docx"


def test_refused_uploads_say_why_and_store_nothing(world: World) -> None:
    client = sign_in(world, world.a["legal"])
    before = counts_of_stored_things(world)
    page = upload_form(client, b"hello, not a contract", filename="x.pdf", csrf=token(client))
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "upload-form" in page.text
    scripted = upload_form(
        client,
        b"hello",
        csrf=token(client),
        headers={"X-Requested-With": "fetch"},
    )
    assert scripted.status_code == 422
    assert scripted.json()["error"]["code"] == "upload.not_pdf"
    image = upload_form(client, b"\x89PNG....", content_type="image/png", csrf=token(client))
    assert image.status_code == 415
    empty = upload_form(client, b"", csrf=token(client), headers={"X-Requested-With": "fetch"})
    assert empty.status_code == 422
    assert counts_of_stored_things(world) == before


def test_the_upload_page_offers_new_versions_of_the_contracts(world: World) -> None:
    client = sign_in(world, world.a["legal"])
    page = client.get("/upload").text
    for key in ("a.anesthesia", "a.behavioral"):
        assert f'<option value="{world.contracts[key]}">' in page
    assert world.contracts["b.anesthesia"] not in page
