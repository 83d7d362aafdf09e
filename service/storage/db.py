"""The engine, sessions and schema upgrades.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout, so the API and
the in-process workers can write concurrently. PostgreSQL URLs (``postgresql://``) use psycopg 3.
The schema is created and upgraded only by Alembic (``upgrade``), never by ``create_all``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from service.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver we install)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation: a % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


# Any fixed number: PostgreSQL advisory locks are keyed by an integer.
_MIGRATION_LOCK = 724_451_977


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade the schema. On PostgreSQL an advisory lock serialises processes that start
    together (several API workers, several job workers) on a fresh database; SQLite's own
    write lock does that for SQLite."""
    from alembic import command

    if not normalise_url(url).startswith("postgresql"):
        command.upgrade(alembic_config(url), revision)
        return
    from sqlalchemy import pool, text

    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            try:
                command.upgrade(alembic_config(url), revision)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                lock.commit()
    finally:
        engine.dispose()


class Database:
    """One engine per process, sessions from it; ``transaction`` commits or rolls back whole."""

    def __init__(self, settings: Settings, *, migrate: bool = True) -> None:
        self.settings = settings
        if migrate:
            upgrade(settings.url)
        self.engine = make_engine(settings.url)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
