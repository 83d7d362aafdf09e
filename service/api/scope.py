"""Organisation scoping: every row a route reads by id goes through ``owned``, which filters on
the caller's ``org_id`` in the query itself. A row of another organisation and a row that does
not exist give the same ``not_found``, so ids cannot be probed."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from service.api.errors import not_found

T = TypeVar("T", bound=SQLModel)


def owned(session: Session, model: type[T], id_: str, org_id: str) -> T:
    table: Any = model
    row = session.exec(select(model).where(table.id == id_, table.org_id == org_id)).first()
    if row is None:
        raise not_found()
    return row
