"""``create_app(settings)``: the FastAPI application, with everything it needs built by its
lifespan (database and migrations, job runner, rate limiter, PDF sandbox) — nothing at import
time. ``serve`` runs it with uvicorn; ``app_from_env`` is the factory for
``uvicorn --factory service.api.app:app_from_env`` (several worker processes)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from service.api import errors
from service.api.deps import Services
from service.api.pdf_sandbox import PdfSandbox
from service.api.ratelimit import RateLimiter, make_rate_limiter
from service.api.routes import api_router, root_router
from service.settings import Settings
from service.storage.blobs import BlobStore
from service.storage.db import Database
from service.web import install as install_web

if TYPE_CHECKING:
    from service.jobs.runner import Runner

log = logging.getLogger(__name__)

DESCRIPTION = """
Upload payer contracts (PDF), poll the analysis job, then read each contract's findings, rate
rows, key terms and text with page references, review findings, and read the audit log.

**Authentication**: `Authorization: Bearer <key>` on every route but `/health`. Keys belong to
a user (`payerlens admin create-key`); everything is scoped to that user's organisation, and an
id of another organisation answers exactly like an id that does not exist (404 `not_found`).

**Roles**: `viewer` reads; `legal` and `finance` also upload, review, re-analyse and read the
audit log; `admin` can do everything and alone manages users and keys (403 `auth.forbidden`).

**Errors**: always `{"error": {"code": "...", "message": "..."}}` with a stable dotted code:
`auth.missing`/`auth.invalid` (401), `auth.forbidden` (403), `not_found` (404),
`request.invalid` (422, the field named in the message), `rate_limited` (429, with
`Retry-After`), `internal` (500), and the upload codes on `POST /api/v1/documents`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    runner: Runner | None = None,
    database: Database | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The app for ``settings`` (the environment's when None). ``runner``, ``database`` and
    ``limiter`` replace what the lifespan would build (tests); a given runner is still started
    and stopped with the app, a given database is not disposed."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = database or Database(settings)
        sandbox = PdfSandbox()
        run = runner
        try:
            if run is None:
                from service.jobs.runner import make_runner

                run = make_runner(settings, db)
            run.start()
            sandbox.start()
            app.state.services = Services(
                settings=settings,
                database=db,
                blobs=BlobStore(settings.blob_dir, settings.upload_dir),
                runner=run,
                limiter=limiter or make_rate_limiter(settings),
                sandbox=sandbox,
            )
            yield
        finally:
            if run is not None:
                run.stop()
            sandbox.stop()
            if database is None:
                db.dispose()

    app = FastAPI(
        title="payerlens",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "documents", "description": "Uploads."},
            {"name": "jobs", "description": "Background analyses."},
            {"name": "contracts", "description": "Contracts and their current analysis."},
            {"name": "findings", "description": "Findings and their reviews."},
            {"name": "audit", "description": "The audit log."},
            {"name": "users and keys", "description": "Users and API keys."},
            {"name": "health", "description": "Liveness."},
        ],
    )
    errors.install(app)
    app.include_router(root_router)
    app.include_router(api_router)
    install_web(app)  # the browser workspace at /, with HTML error pages for its paths
    return app


def app_from_env() -> FastAPI:
    return create_app(Settings.from_env())


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API in this process with uvicorn (one process; for several, run uvicorn with
    ``--factory service.api.app:app_from_env --workers N`` and the Celery runner)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=True)
