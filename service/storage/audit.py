"""The audit log: who did what, appended in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from service.storage.models import AuditLog


def record(
    session: Session,
    *,
    org_id: str,
    user_id: str | None,
    action: str,
    target_type: str | None = None,
    target_id: str | None = None,
    **detail: Any,
) -> AuditLog:
    entry = AuditLog(
        org_id=org_id,
        user_id=user_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    session.add(entry)
    return entry
