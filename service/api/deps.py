"""What routes receive: the app's services (built once by the lifespan) and a session per
request. ``SessionDep``/``ServicesDep`` keep signatures readable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from service.api.pdf_sandbox import PdfSandbox
from service.api.ratelimit import RateLimiter
from service.settings import Settings
from service.storage.blobs import BlobStore
from service.storage.db import Database

if TYPE_CHECKING:
    from service.jobs.runner import Runner


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    blobs: BlobStore
    runner: Runner
    limiter: RateLimiter
    sandbox: PdfSandbox


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with services.database.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
