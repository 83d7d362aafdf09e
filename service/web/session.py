"""Browser sessions: an API key is exchanged once, at ``/login``, for a signed cookie.

* **The cookie** (``payerlens_session``; HttpOnly, SameSite=Lax, Secure on https, Path=/) holds
  ``{"k": key id, "c": CSRF token}`` signed and timestamped with ``itsdangerous`` under
  ``Settings.session_secret`` (or a random secret generated once into
  ``<data_dir>/session_secret``). It never holds the key itself. It is refused after
  ``Settings.session_max_age_seconds``.
* **Every request** looks the key id up again: a revoked key, a deactivated user or a user
  moved to another organisation ends the session at once (the browser is sent to /login).
* **CSRF**: a synchronizer token per session, kept inside the signed cookie (so a page of
  another site can neither read nor forge it) and printed into every form of ours; each POST
  must echo it, as the ``csrf_token`` form field or the ``X-CSRF-Token`` header (scripts).
  Visitors who have not signed in get a session without a key, so the login form is covered
  too; signing in issues a new token (no fixation).
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from service.api.auth import WRITERS, Principal
from service.api.deps import ServicesDep, SessionDep
from service.settings import Settings
from service.storage.models import ApiKey, User, utcnow

SESSION_COOKIE = "payerlens_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SECRET_FILE = "session_secret"
_SALT = "payerlens.web.session.v1"
# last_used_at of a key is written at most this often by browsing (as the API does).
_LAST_USED_SECONDS = 60.0


class LoginRequired(Exception):
    """No (valid) session: the browser goes to /login and comes back afterwards."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "")
        self.message = message


class WebError(Exception):
    """A page-level refusal shown as an HTML error page (403 forbidden or CSRF, 404, 429)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def csrf_failed() -> WebError:
    return WebError(
        403,
        "This form could not be accepted",
        "The form's security token is missing or does not match your session (CSRF "
        "protection). Reload the page and send the form again; if it keeps happening, make "
        "sure cookies are enabled for this site.",
    )


def forbidden(principal: Principal, what: str) -> WebError:
    return WebError(
        403,
        "Not allowed for your role",
        f"Your role ({principal.role.value}) can read this organisation's contracts but not "
        f"{what}. Ask an admin for the legal or finance role.",
    )


# ---- the secret --------------------------------------------------------------------------

_secrets: dict[str, bytes] = {}
_secrets_lock = threading.Lock()


def session_secret(settings: Settings) -> bytes:
    """``settings.session_secret``, or the data directory's generated one (created on first
    use with O_EXCL, so processes starting together agree on one)."""
    if settings.session_secret:
        return settings.session_secret.encode("utf-8")
    path = (settings.data_dir / SECRET_FILE).resolve()
    with _secrets_lock:
        cached = _secrets.get(str(path))
        if cached is None:
            cached = _read_or_create_secret(path)
            _secrets[str(path)] = cached
        return cached


def _read_or_create_secret(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _wait_for_secret(path)
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value + "\n")
    return value.encode("ascii")


def _wait_for_secret(path: Path) -> bytes:
    for _ in range(100):  # another process may be writing it: wait for its 64 characters
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= 64:
            return value.encode("ascii")
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty or damaged; delete it to have it regenerated")


# ---- the cookie --------------------------------------------------------------------------


@dataclass(frozen=True)
class WebSession:
    csrf: str
    key_id: str | None = None


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(session_secret(settings), salt=_SALT)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.services.settings
    return settings


def read_session(request: Request) -> WebSession | None:
    """The request's session (or the one this request has just started), None without a
    valid cookie."""
    pending: WebSession | None = getattr(request.state, "web_session", None)
    if pending is not None:
        return pending
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    settings = _settings(request)
    try:
        data: Any = _serializer(settings).loads(raw, max_age=settings.session_max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    key_id = data.get("k")
    return WebSession(csrf=data["c"], key_id=key_id if isinstance(key_id, str) else None)


def start_session(request: Request, key_id: str | None) -> WebSession:
    """A new session (new CSRF token) for ``key_id`` (None: not signed in), written to the
    response by ``apply_cookie``."""
    fresh = WebSession(csrf=secrets.token_urlsafe(32), key_id=key_id)
    request.state.web_session = fresh
    request.state.web_cookie = "set"
    return fresh


def ensure_session(request: Request) -> WebSession:
    """The visitor's session; an anonymous one is started when there is none (so forms
    shown to visitors, the login form, carry a token)."""
    return read_session(request) or start_session(request, None)


def end_session(request: Request) -> None:
    request.state.web_session = None
    request.state.web_cookie = "clear"


def apply_cookie(request: Request, response: Response) -> Response:
    """Write (or delete) the session cookie this request decided on."""
    action = getattr(request.state, "web_cookie", None)
    if action == "set":
        settings = _settings(request)
        web: WebSession = request.state.web_session
        value = _serializer(settings).dumps({"k": web.key_id, "c": web.csrf})
        response.set_cookie(
            SESSION_COOKIE,
            value,
            max_age=settings.session_max_age_seconds,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    elif action == "clear":
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


# ---- CSRF --------------------------------------------------------------------------------


def token_matches(request: Request, presented: str | None) -> bool:
    web = read_session(request)
    if web is None or not presented:
        return False
    return hmac.compare_digest(web.csrf.encode(), presented.encode())


def header_token(request: Request) -> str | None:
    return request.headers.get(CSRF_HEADER)


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form (url-encoded), once its CSRF token (field or header) matches the
    session's; ``csrf_failed`` otherwise."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    presented = header_token(request) or fields.get(CSRF_FIELD)
    if not token_matches(request, presented):
        raise csrf_failed()
    return fields


CheckedForm = Annotated[dict[str, str], Depends(checked_form)]


# ---- who is browsing ---------------------------------------------------------------------


def principal_for_key(session: Session, key_id: str) -> Principal | None:
    """The live key ``key_id`` and its active user, as the API's ``Principal``; None when the
    key was revoked, the user deactivated or moved."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.org_id != row.org_id:
        return None
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() >= _LAST_USED_SECONDS:
        row.last_used_at = now
        session.add(row)
        session.commit()
    return Principal(user, row)


def web_principal(request: Request, session: SessionDep, services: ServicesDep) -> Principal:
    """The signed-in user, or ``LoginRequired``."""
    web = read_session(request)
    if web is None or web.key_id is None:
        raise LoginRequired()
    principal = principal_for_key(session, web.key_id)
    if principal is None:
        end_session(request)
        raise LoginRequired("Your session has ended (the key was revoked or the user disabled).")
    request.state.principal = principal
    return principal


def can_write(principal: Principal) -> bool:
    return principal.role in WRITERS


WebUser = Annotated[Principal, Depends(web_principal)]
