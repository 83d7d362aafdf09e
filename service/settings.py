"""Service configuration: one frozen object, built from defaults, the environment or a test.

The extractor never reads the environment; the service does, here and only here
(``Settings.from_env``). Everything has an embedded default: a SQLite file under the data
directory and the in-process job runner, so nothing has to be started.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

RunnerKind = Literal["inprocess", "celery"]

ENV_PREFIX = "PAYERLENS_"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("payerlens-data"))
    # SQLAlchemy URL; None: sqlite:///<data_dir>/payerlens.db (WAL mode).
    database_url: str | None = None
    runner: RunnerKind = "inprocess"
    # Celery broker and result backend (runner "celery", `payerlens worker`).
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Queue name, so tests and deployments sharing a Redis do not take each other's tasks.
    queue: str = "payerlens"
    # In-process runner: analyses at once (threads of the server process).
    inprocess_workers: int = 1
    # Uploads: bytes streamed to disk before being refused, and pages.
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1000
    # Requests per key per minute; 0 turns the limit off.
    rate_limit_per_minute: int = 120
    # A job is tried this many times before it ends as failed.
    job_max_attempts: int = 3
    # A running job whose worker has not renewed its lease for this long is taken over.
    job_lease_seconds: float = 60.0
    # Celery workers stop an analysis running longer than this and fail its job with
    # ``limits.timeout`` (no retry: it would only time out again); 0 turns the limit off.
    job_time_limit_seconds: float = 900.0
    # Analysis options (extractor.analyzer.AnalyzerSettings).
    ocr: bool = True
    use_model: bool = True
    medicare_locality: str | None = None
    # The web workspace's session cookies are signed with this; None: a random secret is
    # generated once and kept in <data_dir>/session_secret (service.web.session).
    session_secret: str | None = field(default=None, repr=False)
    # A web session lasts this long after signing in.
    session_max_age_seconds: int = 12 * 3600

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'payerlens.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """PAYERLENS_DATA_DIR, PAYERLENS_DATABASE_URL, PAYERLENS_RUNNER, PAYERLENS_REDIS_URL,
        PAYERLENS_QUEUE, PAYERLENS_MAX_UPLOAD_BYTES, PAYERLENS_MAX_PAGES,
        PAYERLENS_RATE_LIMIT_PER_MINUTE, PAYERLENS_JOB_MAX_ATTEMPTS, PAYERLENS_JOB_LEASE_SECONDS,
        PAYERLENS_JOB_TIME_LIMIT_SECONDS, PAYERLENS_INPROCESS_WORKERS, PAYERLENS_OCR,
        PAYERLENS_USE_MODEL, PAYERLENS_MEDICARE_LOCALITY, PAYERLENS_SESSION_SECRET,
        PAYERLENS_SESSION_MAX_AGE_SECONDS;
        keyword overrides win (they come from command options)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, kind in _ENV_FIELDS.items():
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is None or raw == "":
                continue
            values[name] = kind(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.runner not in ("inprocess", "celery"):
            raise ValueError(
                f"PAYERLENS_RUNNER must be inprocess or celery, not {settings.runner!r}"
            )
        return settings


def _bool(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "on")


_ENV_FIELDS: dict[str, Callable[[str], object]] = {
    "data_dir": Path,
    "database_url": str,
    "runner": str,
    "redis_url": str,
    "queue": str,
    "inprocess_workers": int,
    "max_upload_bytes": int,
    "max_pages": int,
    "rate_limit_per_minute": int,
    "job_max_attempts": int,
    "job_lease_seconds": float,
    "job_time_limit_seconds": float,
    "ocr": _bool,
    "use_model": _bool,
    "medicare_locality": str,
    "session_secret": str,
    "session_max_age_seconds": int,
}
