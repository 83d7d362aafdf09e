"""The routers: ``/health`` at the root, everything else under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.routes import admin, audit_log, contracts, documents, findings, health, jobs

API_PREFIX = "/api/v1"

api_router = APIRouter(prefix=API_PREFIX)
for module in (documents, jobs, contracts, findings, audit_log, admin):
    api_router.include_router(module.router)

root_router = health.router

__all__ = ["API_PREFIX", "api_router", "root_router"]
