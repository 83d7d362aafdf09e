"""Jinja2 (autoescaped) pages: one environment, the filters the templates share, and
``page`` to render a template into a response with the session cookie and security headers."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from service.api.auth import Principal
from service.web import session as web_session

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Scripts and styles come only from /static: no inline script, no third party.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

PRODUCT_LINES = {
    "commercial_hmo": "Commercial HMO",
    "commercial_ppo": "Commercial PPO",
    "commercial_epo": "Commercial EPO",
    "commercial_pos": "Commercial POS",
    "medicare_advantage": "Medicare Advantage",
    "medicaid_managed_care": "Medicaid managed care",
    "exchange": "Exchange",
    "workers_comp": "Workers' comp",
    "other": "Other",
}
REVIEW_LABELS = {
    "open": "Open",
    "accept": "Accepted",
    "dismiss": "Dismissed",
    "needs_negotiation": "Needs negotiation",
}
DECISION_LABELS = {
    "accept": "Accept",
    "dismiss": "Dismiss",
    "needs_negotiation": "Needs negotiation",
}
SEVERITY_ORDER = ("high", "medium", "low")
# A shape as well as a colour, so severity never rests on colour alone.
SEVERITY_ICONS = {"high": "▲", "medium": "◆", "low": "●"}
_ACRONYMS = {"hac": "HAC", "mfn": "MFN", "cms": "CMS"}


def humanise(name: str | None) -> str:
    """``evergreen_renewal`` → ``Evergreen renewal``; product lines by their usual names."""
    if not name:
        return ""
    if name in PRODUCT_LINES:
        return PRODUCT_LINES[name]
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value:%b} {value.day}, {value.year} {value:%H:%M} UTC"
    return f"{value:%b} {value.day}, {value.year}"


def relative_days(value: date | None, today: date | None = None) -> str:
    if value is None:
        return ""
    days = (value - (today or date.today())).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"${float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def percent(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"{float(value):g} %"
    except (TypeError, ValueError):
        return str(value)


def field_value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(field_value(v) for v in value)
    return str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "svg"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        human=humanise,
        date=fmt_date,
        relative=relative_days,
        money=money,
        percent=percent,
        field=field_value,
    )
    env.globals.update(
        static=static_url,
        REVIEW_LABELS=REVIEW_LABELS,
        DECISION_LABELS=DECISION_LABELS,
        SEVERITY_ICONS=SEVERITY_ICONS,
        SEVERITY_ORDER=SEVERITY_ORDER,
        CSRF_FIELD=web_session.CSRF_FIELD,
    )
    return env


@lru_cache(maxsize=16)
def _static_version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: cacheable for long, never stale."""
    return f"/static/{name}?v={_static_version(name)}"


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def is_fetch(request: Request) -> bool:
    """A request from the pages' own scripts (or asking for JSON): errors go back as JSON."""
    return request.headers.get("x-requested-with", "").lower() == "fetch" or wants_json(request)


def secure_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render_text(request: Request, template: str, **context: Any) -> str:
    web = web_session.ensure_session(request)
    principal: Principal | None = getattr(request.state, "principal", None)
    values = {
        "request": request,
        "user": principal,
        "can_write": principal is not None and web_session.can_write(principal),
        "csrf": web.csrf,
        "nav": "",
        "title": "payerlens",
        "today": date.today(),
        **context,
    }
    return environment().get_template(template).render(values)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = HTMLResponse(render_text(request, template, **context), status_code=status)
    return finish(request, response)


def redirect(request: Request, url: str, status: int = 303) -> RedirectResponse:
    return finish(request, RedirectResponse(url, status_code=status))


def finish(request: Request, response: Response) -> Any:
    web_session.apply_cookie(request, response)
    return secure_headers(response)
