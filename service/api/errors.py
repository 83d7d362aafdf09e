"""Every error leaves the API as ``{"error": {"code", "message"}}`` with a stable dotted code.

``ApiError`` is what routes raise; the handlers below turn it, FastAPI's HTTP and validation
errors, and anything unexpected (500 ``internal``, no traceback) into that one shape.
``error_responses`` documents the same shape on each route in the OpenAPI schema.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.schemas import ErrorResponse

log = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "Not found."


class ApiError(Exception):
    """An error the client can act on: HTTP status, stable code, one-sentence message."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def not_found() -> ApiError:
    """The one answer for an id that does not exist *or* belongs to another organisation:
    identical bodies, so a guess tells nothing about existence."""
    return ApiError(404, "not_found", NOT_FOUND_MESSAGE)


def forbidden(message: str = "Your role does not allow this.") -> ApiError:
    return ApiError(403, "auth.forbidden", message)


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


# Codes for the generic statuses (route-specific ones are added by ``error_responses``).
_STATUS_CODES: dict[int, tuple[str, ...]] = {
    400: ("request.malformed",),
    401: ("auth.missing", "auth.invalid"),
    403: ("auth.forbidden",),
    404: ("not_found",),
    409: ("conflict",),
    413: ("upload.too_large",),
    415: ("upload.unsupported_type",),
    422: ("request.invalid",),
    429: ("rate_limited",),
    500: ("internal",),
}

_STATUS_TEXT: dict[int, str] = {
    400: "Malformed request",
    401: "Missing or invalid API key (WWW-Authenticate: Bearer)",
    403: "The caller's role does not allow this",
    404: "No such resource in the caller's organisation",
    409: "Conflict with the current state",
    413: "Upload over a limit",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests for this API key (see Retry-After)",
    500: "Unexpected server error",
    503: "Service unavailable",
}


def error_responses(*statuses: int, **codes: tuple[str, ...]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for a route: each status with the error model and the codes it
    can carry. ``codes`` overrides a status's codes by name, e.g. ``s422=("upload.empty",)``."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in (*statuses, 500):
        names = codes.get(f"s{status}", _STATUS_CODES.get(status, ()))
        listed = ", ".join(f"`{n}`" for n in names)
        out[status] = {
            "model": ErrorResponse,
            "description": f"{_STATUS_TEXT.get(status, 'Error')}: {listed}",
        }
    return out


# Routes that need a key: 401, 422 (any request can be malformed) and 429 besides whatever
# else they can answer. Declaring 422 also keeps FastAPI's own validation model out.
AUTHED = (401, 422, 429)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


_HTTP_CODES = {
    400: "request.malformed",
    401: "auth.invalid",
    403: "auth.forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request.too_large",
    415: "request.unsupported_type",
}


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http.{exc.status_code}")
    message = NOT_FOUND_MESSAGE if exc.status_code == 404 else str(exc.detail)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, message, headers)


def validation_message(errors: Any) -> str:
    """The first problem, naming its field: ``query.limit: Input should be less than or equal
    to 100`` (and how many more there are)."""
    errors = list(errors)
    if not errors:
        return "The request is invalid."
    first = errors[0]
    loc = ".".join(str(part) for part in first.get("loc", ()))
    message = f"{loc}: {first.get('msg', 'invalid')}" if loc else str(first.get("msg"))
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return message


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "request.invalid", validation_message(exc.errors()))


class CatchAllMiddleware:
    """Turns an unexpected exception into 500 ``internal`` (logged with its traceback, which
    never reaches the client). Pure ASGI, so streaming responses pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            body = json.dumps(error_body("internal", "Internal server error.")).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(CatchAllMiddleware)
