"""The review workspace: server-rendered pages (Jinja2, a little plain JavaScript) served by the
API's own app, with the same keys, roles and organisation scoping.

``install(app)`` adds the pages (``service.web.routes``), ``/static`` and the error pages: for
a browser path (anything outside ``/api/``, ``/health`` and the OpenAPI pages) an error is an
HTML page, a missing session a redirect to ``/login``; API paths keep their JSON errors.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.errors import ApiError, validation_message
from service.web import render
from service.web.session import LoginRequired, WebError

NOT_API = ("/api/", "/health", "/docs", "/redoc", "/openapi.json")

_TITLES = {
    400: "Bad request",
    401: "Sign in required",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    413: "Too large",
    415: "Unsupported file",
    422: "Not accepted",
    429: "Too many requests",
}
# The one answer for an id that does not exist and an id of another organisation.
NOT_FOUND_MESSAGE = (
    "There is nothing here. The link may be wrong, or what it pointed to is not available to you."
)


def is_web(request: Request) -> bool:
    path = request.url.path
    return not (path == "/api" or path.startswith(NOT_API))


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    if render.is_fetch(request):
        code = "not_found" if status == 404 else f"web.{status}"
        return render.finish(
            request,
            JSONResponse({"error": {"code": code, "message": message}}, status_code=status),
        )
    return render.page(request, "error.html", status=status, title=title, message=message)


async def _delegate(handler: Any, request: Request, exc: Exception) -> Any:
    """Call the API's own handler (sync or async)."""
    result = handler(request, exc)
    if inspect.isawaitable(result):
        result = await result
    return result


def install(app: FastAPI) -> None:
    """Add the workspace to ``app`` (after ``service.api.errors.install``, whose handlers it
    keeps for API paths)."""
    from service.web.routes import router

    api_error = app.exception_handlers[ApiError]
    http_error = app.exception_handlers[StarletteHTTPException]
    invalid = app.exception_handlers[RequestValidationError]

    async def on_login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        reason = "expired" if exc.message else "required"
        if render.is_fetch(request):
            response = JSONResponse(
                {"error": {"code": "auth.login_required", "message": "Sign in again."}},
                status_code=401,
            )
            return render.finish(request, response)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return render.redirect(request, f"/login?m={reason}&next={quote(target, safe='')}")

    async def on_web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return error_page(request, exc.status, exc.title, exc.message)

    async def on_api_error(request: Request, exc: Exception) -> Any:
        if not is_web(request):
            return await _delegate(api_error, request, exc)
        assert isinstance(exc, ApiError)
        message = NOT_FOUND_MESSAGE if exc.status == 404 else exc.message
        return error_page(request, exc.status, _TITLES.get(exc.status, "Error"), message)

    async def on_http_error(request: Request, exc: Exception) -> Any:
        if not is_web(request):
            return await _delegate(http_error, request, exc)
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        message = NOT_FOUND_MESSAGE if status == 404 else str(exc.detail)
        return error_page(request, status, _TITLES.get(status, "Error"), message)

    async def on_invalid(request: Request, exc: Exception) -> Any:
        if not is_web(request):
            return await _delegate(invalid, request, exc)
        assert isinstance(exc, RequestValidationError)
        return error_page(request, 422, _TITLES[422], validation_message(exc.errors()))

    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(WebError, on_web_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.mount("/static", StaticFiles(directory=render.STATIC), name="static")
    app.include_router(router)


__all__ = ["install", "is_web"]
