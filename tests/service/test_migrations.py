"""The Alembic migrations are the schema: they build exactly the SQLModel tables, downgrade
cleanly, and make the audit log append-only in the database itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import service.storage.models  # noqa: F401  (registers the tables)
from service.storage.db import alembic_config, make_engine, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_migrations_match_the_models(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        tables = set(sa.inspect(conn).get_table_names())
    assert {"organisation", "contract", "document", "finding", "job", "audit_log"} <= tables
    command.downgrade(alembic_config(url), "base")
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_audit_log_refuses_update_and_delete(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (id, name, created_at) VALUES ('o1', 'Org', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (org_id, action, detail, at) "
                "VALUES ('o1', 'document.uploaded', '{}', :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action FROM audit_log")).all()
    assert [r[0] for r in rows] == ["document.uploaded"]
    engine.dispose()
