"""``GET /health``: no key needed; says whether the database answers."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from sqlalchemy import text

from service.api.deps import ServicesDep
from service.api.errors import ApiError, error_responses
from service.api.schemas import Health

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


def _version() -> str:
    try:
        return version("payerlens")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness and database check (no authentication)",
    responses=error_responses(503, s503=("unavailable",)),
)
def health(services: ServicesDep) -> Health:
    try:
        with services.database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        log.warning("health: database unreachable", exc_info=True)
        raise ApiError(503, "unavailable", "The database is not reachable.") from None
    return Health(status="ok", database="ok", runner=services.settings.runner, version=_version())
