"""Organisation isolation, roles, authentication and key storage, through the real app.

Every route that takes an id is tried with another organisation's id: the answer is 404 with
exactly the body of an id that does not exist, and nothing changes. A test fails if a route
with an id is added without being listed here.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from service import accounts
from service.storage.models import ApiKey, Finding, User

API = "/api/v1"
ID = re.compile(r"^[0-9a-f]{32}$")


def _first_finding(world: Any, contract: str, member: Any) -> str:
    response = world.harness.client.get(
        f"{API}/contracts/{contract}/findings", headers=member.headers
    )
    assert response.status_code == 200, response.text
    return str(response.json()["items"][0]["id"])


def _target_user(world: Any, org: Any) -> tuple[str, str]:
    """A spare user and key of ``org`` (so that revoking or editing them harms no test)."""
    with world.harness.database.transaction() as session:
        user = accounts.create_user(
            session,
            org_id=org.id,
            email=f"spare-{secrets.token_hex(3)}@example.org",
            role="viewer",
        )
        row, _ = accounts.create_key(session, user_id=user.id)
        return user.id, row.id


# (method, path, JSON body): every route with an id in its path, and then some.
ID_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/jobs/{job}", None),
    ("GET", "/documents/{document}", None),
    ("GET", "/contracts/{contract}", None),
    ("GET", "/contracts/{contract}/analysis", None),
    ("GET", "/contracts/{contract}/findings", None),
    ("GET", "/contracts/{contract}/rates", None),
    ("GET", "/contracts/{contract}/rates?format=csv", None),
    ("GET", "/contracts/{contract}/text", None),
    ("GET", "/contracts/{contract}/text?page=1", None),
    ("POST", "/contracts/{contract}/reanalyze", None),
    ("GET", "/findings/{finding}", None),
    ("GET", "/findings/{finding}/reviews", None),
    ("POST", "/findings/{finding}/reviews", {"decision": "dismiss", "comment": "theirs"}),
    ("PATCH", "/users/{user}", {"name": "Renamed"}),
    ("POST", "/users/{user}/keys", {"label": "stolen"}),
    ("POST", "/keys/{key}/revoke", None),
]


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def test_every_route_with_an_id_is_in_the_table(api_world: Any) -> None:
    paths = api_world.harness.client.get("/openapi.json").json()["paths"]
    with_ids = {
        (method.upper(), _normalise(path))
        for path, operations in paths.items()
        if "{" in path
        for method in operations
    }
    listed = {(method, _normalise(API + path)) for method, path, _ in ID_ROUTES}
    assert with_ids == listed


@pytest.fixture(scope="module")
def their_ids(api_world: Any) -> dict[str, str]:
    b = api_world.b
    user, key = _target_user(api_world, b)
    return {
        "job": api_world.jobs["b.behavioral"],
        "document": api_world.documents["b.behavioral"],
        "contract": api_world.contracts["b.behavioral"],
        "finding": _first_finding(api_world, api_world.contracts["b.behavioral"], b["viewer"]),
        "user": user,
        "key": key,
    }


def _call(world: Any, member: Any, method: str, path: str, body: Any) -> Any:
    return world.harness.client.request(method, API + path, headers=member.headers, json=body)


@pytest.mark.parametrize(
    ("method", "path", "body"), ID_ROUTES, ids=[f"{m} {p}" for m, p, _ in ID_ROUTES]
)
def test_another_organisations_id_is_not_found(
    api_world: Any, their_ids: dict[str, str], method: str, path: str, body: Any
) -> None:
    """Organisation A's admin (who may call every route) gets, for B's id, the very answer
    an unknown id gets; nothing is written. B's own admin can use the id (the control)."""
    harness = api_world.harness
    assert all(ID.match(v) for v in their_ids.values()), "ids are 128 random bits"
    attacker = api_world.a["admin"]
    before = harness.counts()
    theirs = _call(api_world, attacker, method, path.format(**their_ids), body)
    unknown = {k: secrets.token_hex(16) for k in their_ids}
    missing = _call(api_world, attacker, method, path.format(**unknown), body)
    assert theirs.status_code == missing.status_code == 404, theirs.text
    assert (
        theirs.json() == missing.json() == {"error": {"code": "not_found", "message": "Not found."}}
    )
    assert theirs.headers.get("content-type") == missing.headers.get("content-type")
    assert harness.counts() == before, "a refused request changed the database"

    owner = _call(api_world, api_world.b["admin"], method, path.format(**their_ids), body)
    assert owner.status_code in (200, 201, 202), owner.text
    if "reanalyze" in path:
        job = harness.wait_for_job(api_world.b["admin"], owner.json()["job_id"])
        assert job["status"] == "succeeded"


def test_another_organisations_document_is_not_found_through_my_contract(
    api_world: Any,
) -> None:
    mine = api_world.contracts["a.behavioral"]
    theirs = api_world.documents["b.behavioral"]
    response = api_world.harness.client.get(
        f"{API}/contracts/{mine}/text",
        params={"document_id": theirs},
        headers=api_world.a["viewer"].headers,
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_upload_cannot_target_another_organisations_contract(api_world: Any) -> None:
    from tests.conftest import SAMPLES

    harness = api_world.harness
    before = harness.counts()
    response = harness.upload(
        api_world.a["legal"],
        (SAMPLES / "anesthesia_group_agreement.pdf").read_bytes(),
        data={"contract_id": api_world.contracts["b.behavioral"]},
    )
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"
    assert harness.counts() == before


def test_lists_show_only_the_callers_organisation(api_world: Any) -> None:
    client, a, b = api_world.harness.client, api_world.a, api_world.b
    mine = {
        c["id"] for c in client.get(f"{API}/contracts", headers=a["viewer"].headers).json()["items"]
    }
    assert mine == {api_world.contracts["a.anesthesia"], api_world.contracts["a.behavioral"]}
    theirs = {
        c["id"] for c in client.get(f"{API}/contracts", headers=b["viewer"].headers).json()["items"]
    }
    assert theirs == {api_world.contracts["b.behavioral"]}

    b_targets = {
        v for k, v in {**api_world.contracts, **api_world.documents}.items() if k[0] == "b"
    }
    log = client.get(f"{API}/audit-log", params={"limit": 100}, headers=a["admin"].headers).json()
    assert log["items"] and not {e["target_id"] for e in log["items"]} & b_targets
    users = client.get(f"{API}/users", headers=a["admin"].headers).json()["items"]
    assert {u["id"] for u in users} >= {m.user_id for m in a.members.values()}
    assert not {u["id"] for u in users} & {m.user_id for m in b.members.values()}
    keys = client.get(f"{API}/keys", headers=a["admin"].headers).json()["items"]
    assert not {k["id"] for k in keys} & {m.key_id for m in b.members.values()}


# ---- roles ---------------------------------------------------------------------------------


def _a_ids(world: Any) -> dict[str, str]:
    contract = world.contracts["a.behavioral"]
    return {
        "contract": contract,
        "document": world.documents["a.behavioral"],
        "job": world.jobs["a.behavioral"],
        "finding": _first_finding(world, contract, world.a["viewer"]),
    }


READS = [
    "/me",
    "/contracts",
    "/contracts/{contract}",
    "/contracts/{contract}/analysis",
    "/contracts/{contract}/findings",
    "/contracts/{contract}/rates",
    "/contracts/{contract}/rates?format=csv",
    "/contracts/{contract}/text?page=1",
    "/findings/{finding}",
    "/findings/{finding}/reviews",
    "/jobs/{job}",
    "/documents/{document}",
]


@pytest.mark.parametrize("role", ["admin", "legal", "finance", "viewer"])
def test_every_role_reads(api_world: Any, role: str) -> None:
    ids = _a_ids(api_world)
    member = api_world.a[role]
    for path in READS:
        response = api_world.harness.client.get(API + path.format(**ids), headers=member.headers)
        assert response.status_code == 200, (path, response.text)


Writer = Callable[[Any, Any, dict[str, str]], Any]


def _upload_again(world: Any, member: Any, ids: dict[str, str]) -> Any:
    from tests.conftest import SAMPLES

    content = (SAMPLES / "behavioral_health_services_agreement.pdf").read_bytes()
    return world.harness.upload(member, content)


def _review(world: Any, member: Any, ids: dict[str, str]) -> Any:
    return world.harness.client.post(
        f"{API}/findings/{ids['finding']}/reviews",
        headers=member.headers,
        json={"decision": "needs_negotiation", "comment": f"by {member.role}"},
    )


def _reanalyze(world: Any, member: Any, ids: dict[str, str]) -> Any:
    response = world.harness.client.post(
        f"{API}/contracts/{ids['contract']}/reanalyze", headers=member.headers
    )
    if response.status_code == 202:
        world.harness.wait_for_job(member, response.json()["job_id"])
    return response


def _get(path: str) -> Writer:
    return lambda world, member, ids: world.harness.client.get(
        API + path.format(**ids), headers=member.headers
    )


def _create_user(world: Any, member: Any, ids: dict[str, str]) -> Any:
    return world.harness.client.post(
        f"{API}/users",
        headers=member.headers,
        json={"email": f"new-{secrets.token_hex(3)}@example.org", "role": "viewer"},
    )


def _patch_user(world: Any, member: Any, ids: dict[str, str]) -> Any:
    user, _ = _target_user(world, world.a)
    return world.harness.client.patch(
        f"{API}/users/{user}", headers=member.headers, json={"role": "finance"}
    )


def _create_key(world: Any, member: Any, ids: dict[str, str]) -> Any:
    user, _ = _target_user(world, world.a)
    return world.harness.client.post(f"{API}/users/{user}/keys", headers=member.headers, json={})


def _revoke_key(world: Any, member: Any, ids: dict[str, str]) -> Any:
    _, key = _target_user(world, world.a)
    return world.harness.client.post(f"{API}/keys/{key}/revoke", headers=member.headers)


# (action, the roles allowed, the success status)
ACTIONS: list[tuple[str, Writer, set[str], int]] = [
    ("upload", _upload_again, {"admin", "legal", "finance"}, 202),
    ("review", _review, {"admin", "legal", "finance"}, 201),
    ("reanalyze", _reanalyze, {"admin", "legal", "finance"}, 202),
    ("audit-log", _get("/audit-log"), {"admin", "legal", "finance"}, 200),
    ("list users", _get("/users"), {"admin"}, 200),
    ("create user", _create_user, {"admin"}, 201),
    ("change user", _patch_user, {"admin"}, 200),
    ("create key", _create_key, {"admin"}, 201),
    ("list keys", _get("/keys"), {"admin"}, 200),
    ("revoke key", _revoke_key, {"admin"}, 200),
]


@pytest.mark.parametrize("role", ["admin", "legal", "finance", "viewer"])
@pytest.mark.parametrize(
    ("action", "allowed", "status"),
    [pytest.param(fn, allowed, status, id=name) for name, fn, allowed, status in ACTIONS],
)
def test_role_limits(
    api_world: Any, role: str, action: Writer, allowed: set[str], status: int
) -> None:
    ids = _a_ids(api_world)
    before = api_world.harness.counts()
    response = action(api_world, api_world.a[role], ids)
    if role in allowed:
        assert response.status_code == status, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "auth.forbidden"
        assert role in response.json()["error"]["message"]
        after = api_world.harness.counts()
        # The spare user and key some actions create first are the only change.
        assert after["review"] == before["review"] and after["job"] == before["job"]
        assert after["document"] == before["document"]


def test_a_review_records_who_and_when_and_keeps_the_history(api_world: Any) -> None:
    client, a = api_world.harness.client, api_world.a
    finding = _first_finding(api_world, api_world.contracts["a.anesthesia"], a["viewer"])
    for member, decision in ((a["legal"], "needs_negotiation"), (a["finance"], "accept")):
        response = client.post(
            f"{API}/findings/{finding}/reviews",
            headers=member.headers,
            json={"decision": decision, "comment": f"{member.role} says {decision}"},
        )
        assert response.status_code == 201, response.text
        review = response.json()
        assert review["user_id"] == member.user_id and review["decision"] == decision
        assert review["created_at"] and review["finding_id"] == finding
    history = client.get(f"{API}/findings/{finding}/reviews", headers=a["viewer"].headers).json()
    mine = [r for r in history["items"] if r["comment"] and " says " in r["comment"]]
    assert [r["decision"] for r in mine][-2:] == ["needs_negotiation", "accept"]
    assert [r["user_email"] for r in mine][-2:] == [
        f"legal@{a.id[:8]}.example",
        f"finance@{a.id[:8]}.example",
    ]
    state = client.get(f"{API}/findings/{finding}", headers=a["viewer"].headers).json()
    assert state["review_state"] == "accept"
    log = client.get(
        f"{API}/audit-log",
        params={"action": "finding.reviewed", "target_id": finding},
        headers=a["legal"].headers,
    ).json()
    assert [e["user_id"] for e in log["items"]][:2] == [a["finance"].user_id, a["legal"].user_id]


@pytest.mark.parametrize(
    "body",
    [{}, {"decision": "maybe"}, {"decision": "accept", "comment": "x" * 5001}],
    ids=["no decision", "unknown decision", "comment too long"],
)
def test_a_bad_review_is_refused(api_world: Any, body: dict[str, Any]) -> None:
    finding = _first_finding(api_world, api_world.contracts["a.anesthesia"], api_world.a["viewer"])
    before = api_world.harness.counts()
    response = api_world.harness.client.post(
        f"{API}/findings/{finding}/reviews", headers=api_world.a["legal"].headers, json=body
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "request.invalid"
    assert "body." in error["message"]  # the field is named
    assert api_world.harness.counts() == before


def test_the_last_admin_cannot_be_demoted(api_world: Any) -> None:
    admin = api_world.a["admin"]
    response = api_world.harness.client.patch(
        f"{API}/users/{admin.user_id}", headers=admin.headers, json={"role": "viewer"}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "user.last_admin"


# ---- authentication and keys -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "auth.missing"),
        ("", "auth.missing"),
        ("Basic YWxhZGRpbjpvcGVuc2VzYW1l", "auth.invalid"),
        ("Bearer", "auth.invalid"),
        ("Bearer not-a-key", "auth.invalid"),
        ("Bearer pl_00000000_" + "A" * 43, "auth.invalid"),
    ],
)
def test_a_request_without_a_valid_key_is_unauthorised(
    api_world: Any, authorization: str | None, code: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for path in ("/contracts", f"/contracts/{api_world.contracts['a.anesthesia']}"):
        response = api_world.harness.client.get(API + path, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == code
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_scheme_is_case_insensitive_and_health_needs_no_key(api_world: Any) -> None:
    client = api_world.harness.client
    key = api_world.a["viewer"].key
    assert client.get(f"{API}/me", headers={"Authorization": f"bearer {key}"}).status_code == 200
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_keys_are_stored_hashed_and_shown_once(api_world: Any) -> None:
    harness, admin = api_world.harness, api_world.a["admin"]
    user, _ = _target_user(api_world, api_world.a)
    created = harness.client.post(
        f"{API}/users/{user}/keys", headers=admin.headers, json={"label": "ci"}
    )
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    assert re.fullmatch(r"pl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", key)
    assert body["prefix"] == key[:11] and body["label"] == "ci"
    with harness.database.session() as session:
        row = session.get(ApiKey, body["id"])
        assert row is not None
        assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert row.prefix == key[:11]
    secret = key[12:]
    dump = _database_dump(harness)
    assert secret not in dump and key not in dump
    listed = harness.client.get(f"{API}/keys", headers=admin.headers).json()["items"]
    assert all("key" not in item for item in listed)
    assert any(item["id"] == body["id"] for item in listed)
    me = harness.client.get(f"{API}/me", headers={"Authorization": f"Bearer {key}"}).json()
    assert me["user_id"] == user and me["key_prefix"] == key[:11]
    log = harness.client.get(
        f"{API}/audit-log", params={"action": "api_key.created"}, headers=admin.headers
    ).json()
    assert log["items"][0]["target_id"] == body["id"]
    assert log["items"][0]["user_id"] == admin.user_id


def _database_dump(harness: Any) -> str:
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    parts = []
    with harness.database.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            parts += [repr(tuple(row)) for row in conn.execute(sa.select(table))]
    return "\n".join(parts)


def test_a_revoked_key_and_a_deactivated_user_are_refused(api_world: Any) -> None:
    harness, admin = api_world.harness, api_world.a["admin"]
    user, _ = _target_user(api_world, api_world.a)
    key = harness.client.post(f"{API}/users/{user}/keys", headers=admin.headers, json={}).json()
    headers = {"Authorization": f"Bearer {key['key']}"}
    assert harness.client.get(f"{API}/me", headers=headers).status_code == 200

    harness.client.patch(f"{API}/users/{user}", headers=admin.headers, json={"active": False})
    refused = harness.client.get(f"{API}/me", headers=headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.invalid"
    harness.client.patch(f"{API}/users/{user}", headers=admin.headers, json={"active": True})
    assert harness.client.get(f"{API}/me", headers=headers).status_code == 200

    revoked = harness.client.post(f"{API}/keys/{key['id']}/revoke", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = harness.client.get(f"{API}/me", headers=headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.invalid"


def test_account_functions_refuse_bad_input(api_world: Any) -> None:
    with api_world.harness.database.session() as session:
        for call, code in [
            (lambda: accounts.create_org(session, "World A"), "org.exists"),
            (lambda: accounts.create_org(session, "  "), "org.bad_name"),
            (
                lambda: accounts.create_user(
                    session, org_id=api_world.a.id, email="x@example.org", role="owner"
                ),
                "user.bad_role",
            ),
            (
                lambda: accounts.create_user(
                    session, org_id=api_world.a.id, email="not-an-email", role="viewer"
                ),
                "user.bad_email",
            ),
            (
                lambda: accounts.create_user(
                    session,
                    org_id=api_world.a.id,
                    email=f"VIEWER@{api_world.a.id[:8]}.example",
                    role="viewer",
                ),
                "user.exists",
            ),
            (lambda: accounts.create_key(session, user_id="0" * 32), "not_found"),
            (
                lambda: accounts.revoke_key(
                    session, key_id=api_world.b["viewer"].key_id, org_id=api_world.a.id
                ),
                "not_found",
            ),
        ]:
            with pytest.raises(accounts.AccountError) as refused:
                call()
            assert refused.value.code == code
        session.rollback()
        assert accounts.find_org(session, "World B").id == api_world.b.id
        assert accounts.find_org(session, api_world.b.id).name == "World B"
        assert (
            accounts.find_user(
                session, org_id=api_world.a.id, email_or_id=api_world.b["viewer"].user_id
            )
            is None
        ), "a user id of another organisation is not found"
        assert accounts.authenticate(session, api_world.a["viewer"].key + "x") is None
        found = accounts.authenticate(session, api_world.a["viewer"].key)
        assert found is not None and found[0].id == api_world.a["viewer"].user_id
        assert session.exec(select(User).where(User.org_id == api_world.a.id)).first()
        assert session.exec(select(Finding)).first()
