"""Service fixtures: settings on a temporary data directory, and real PostgreSQL / Redis when
``.ci/run`` (or the developer) sets PAYERLENS_TEST_DATABASE_URL / PAYERLENS_TEST_REDIS_URL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.settings import Settings

PG_URL = os.environ.get("PAYERLENS_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("PAYERLENS_TEST_REDIS_URL")

needs_postgres = pytest.mark.skipif(
    not PG_URL, reason="PAYERLENS_TEST_DATABASE_URL is not set (.ci/run sets it)"
)
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="PAYERLENS_TEST_REDIS_URL is not set (.ci/run sets it)"
)

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Embedded defaults on a fresh data directory (SQLite, in-process runner), with the
    clause model off and OCR off unless a test turns them on: faster, same storage paths."""
    return Settings(data_dir=tmp_path / "data", use_model=False, ocr=False)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the test server for one test, dropped afterwards."""
    if not PG_URL:
        pytest.skip("PAYERLENS_TEST_DATABASE_URL is not set (.ci/run sets it)")
    import sqlalchemy as sa

    from service.storage.db import make_engine

    name = "payerlens_" + secrets.token_hex(6)
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def postgres_settings(tmp_path: Path, postgres_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", database_url=postgres_url, use_model=False, ocr=False
    )


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("PAYERLENS_TEST_REDIS_URL is not set (.ci/run sets it)")
    return REDIS_URL


@pytest.fixture
def queue_name() -> str:
    """A Celery queue of this test's own, so parallel runs sharing a Redis do not mix."""
    return "payerlens-test-" + secrets.token_hex(4)
