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


# ---- background jobs (tests/service/test_jobs_*.py) --------------------------------------
# Appended after the fixtures above, hence E402.
import contextlib  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

JOBS_LEASE_SECONDS = 3.0
# Long enough that a worker is still analysing it well after claiming it (about four seconds
# here), short enough to analyse twice within a test.
JOBS_LONG_PAGES = 100


@pytest.fixture(params=["sqlite", "postgres"])
def jobs_settings(request: pytest.FixtureRequest) -> Settings:
    """Each job-store test on SQLite and on PostgreSQL, with a short lease."""
    base: Settings = request.getfixturevalue(f"{request.param}_settings")
    return base.with_(job_lease_seconds=JOBS_LEASE_SECONDS)


@pytest.fixture
def jobs_celery_settings(postgres_settings: Settings, redis_url: str, queue_name: str) -> Settings:
    """The Celery runner on PostgreSQL and Redis, on this test's own queue."""
    return postgres_settings.with_(
        runner="celery",
        redis_url=redis_url,
        queue=queue_name,
        job_lease_seconds=JOBS_LEASE_SECONDS,
    )


@pytest.fixture
def jobs_db(jobs_settings: Settings) -> Iterator[Any]:
    from service.storage.db import Database

    database = Database(jobs_settings)
    yield database
    database.dispose()


@dataclass(frozen=True)
class SeededDocument:
    org_id: str
    user_id: str
    document_id: str
    sha256: str


def seed_document(database: Any, settings: Settings, pdf: Path) -> SeededDocument:
    """An organisation, a user, and ``pdf`` stored as their document (blob + rows), as an
    upload leaves them; a fresh organisation on every call."""
    from service.storage.blobs import BlobStore
    from service.storage.models import Document, Organisation, StoredFile, User

    blobs = BlobStore(settings.blob_dir, settings.upload_dir)
    data = pdf.read_bytes()
    spooled = blobs.spool([data], max_bytes=len(data) + 1)
    blobs.keep(spooled)
    with database.transaction() as session:
        org = Organisation(name="Org " + secrets.token_hex(4))
        session.add(org)
        session.flush()
        user = User(org_id=org.id, email="ana@example.org", role="admin")
        session.add(user)
        if session.get(StoredFile, spooled.sha256) is None:
            session.add(
                StoredFile(sha256=spooled.sha256, size=spooled.size, media_type="application/pdf")
            )
        session.flush()
        document = Document(
            org_id=org.id,
            sha256=spooled.sha256,
            filename=pdf.name,
            media_type="application/pdf",
            size=spooled.size,
            uploaded_by=user.id,
        )
        session.add(document)
        session.flush()
        return SeededDocument(org.id, user.id, document.id, spooled.sha256)


@pytest.fixture(scope="session")
def jobs_analyzer() -> Any:
    """The analyzer a job worker builds from test settings (model off, OCR off)."""
    from service.jobs.work import AnalyzerFactory

    return AnalyzerFactory(Settings(use_model=False, ocr=False))()


@pytest.fixture(scope="session")
def jobs_long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corpus.generator.long_contract import build_long_contract

    path = tmp_path_factory.mktemp("jobs") / "long_contract.pdf"
    build_long_contract(path, JOBS_LONG_PAGES)
    return path


@pytest.fixture(scope="session")
def jobs_long_reference(jobs_analyzer: Any, jobs_long_pdf: Path) -> tuple[int, int]:
    """(findings, rate rows) of a clean analysis of ``jobs_long_pdf``."""
    result = jobs_analyzer.analyze_path(jobs_long_pdf)
    assert result.status.value == "success", result.problems
    return len(result.findings), len(result.rates)


def jobs_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``Settings.from_env()`` in a child process equal
    ``settings`` (other PAYERLENS_* variables of this process are dropped)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYERLENS_")}
    env.update(
        PAYERLENS_DATA_DIR=str(settings.data_dir.resolve()),
        PAYERLENS_RUNNER=settings.runner,
        PAYERLENS_REDIS_URL=settings.redis_url,
        PAYERLENS_QUEUE=settings.queue,
        PAYERLENS_USE_MODEL="1" if settings.use_model else "0",
        PAYERLENS_OCR="1" if settings.ocr else "0",
        PAYERLENS_JOB_LEASE_SECONDS=str(settings.job_lease_seconds),
        PAYERLENS_JOB_MAX_ATTEMPTS=str(settings.job_max_attempts),
        PAYERLENS_JOB_TIME_LIMIT_SECONDS=str(settings.job_time_limit_seconds),
        PAYERLENS_INPROCESS_WORKERS=str(settings.inprocess_workers),
    )
    if settings.database_url:
        env["PAYERLENS_DATABASE_URL"] = settings.database_url
    return env


class ProcessGroups:
    """Child processes, each the leader of its own process group (so a kill reaches a Celery
    worker's pool processes too); every group is killed when the test ends."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: dict[int, Path] = {}

    def start(self, args: list[str], env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
        log_path = self.log_dir / f"{name}-{len(self.procs)}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, *args],
                cwd=Path(__file__).resolve().parents[2],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        self.logs[proc.pid] = log_path
        return proc

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal the whole group and wait until no member runs any more."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
        deadline = time.monotonic() + 15
        while self.group_alive(proc) and time.monotonic() < deadline:
            time.sleep(0.05)

    def group_alive(self, proc: subprocess.Popen[bytes]) -> bool:
        """Whether a member of the process group still runs (zombies waiting to be reaped by
        whoever inherited them do not count)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
            state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == proc.pid and state not in ("Z", "X"):
                return True
        return False

    def log(self, proc: subprocess.Popen[bytes], tail: int = 6000) -> str:
        text = self.logs[proc.pid].read_text(errors="replace")
        return text[-tail:]

    def logs_text(self) -> str:
        return "\n".join(f"--- {self.logs[p.pid].name}\n{self.log(p)}" for p in self.procs)

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        for proc in self.procs:  # the leader may be gone while pool processes linger
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)


@pytest.fixture
def jobs_processes(tmp_path: Path) -> Iterator[ProcessGroups]:
    groups = ProcessGroups(tmp_path)
    try:
        yield groups
    finally:
        groups.close()


@pytest.fixture
def jobs_redis(redis_url: str, queue_name: str) -> Iterator[Any]:
    """A Redis client; afterwards this test's queue is removed from Redis: its messages,
    binding, and unacknowledged messages a killed worker left behind."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        for key in client.scan_iter(match=f"{queue_name}*"):
            client.delete(key)
        client.delete(f"_kombu.binding.{queue_name}", f"_kombu.binding_permanent.{queue_name}")
        for tag, raw in client.hscan_iter("unacked"):
            with contextlib.suppress(ValueError, TypeError, IndexError):
                _payload, exchange, routing_key = json.loads(raw)
                if queue_name in (exchange, routing_key):
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        client.close()


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture
def jobs_helpers() -> Any:
    """Helpers for job tests, as one namespace (test modules cannot import conftest)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        seed_document=seed_document,
        env=jobs_env,
        wait_for=wait_for,
        lease_seconds=JOBS_LEASE_SECONDS,
    )


# ---- the HTTP API (tests/service/test_api_*.py) ------------------------------------------
# Appended after the fixtures above, hence E402. Test modules get these through the
# ``api_helpers`` namespace and the ``api_world`` fixture (they cannot import conftest).
import warnings  # noqa: E402
from types import SimpleNamespace  # noqa: E402

with warnings.catch_warnings():
    # starlette would rather have httpx2; httpx, which FastAPI's test client is built on,
    # works, and the suite turns warnings into errors.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

API = "/api/v1"
API_ROLES = ("admin", "legal", "finance", "viewer")
API_JOB_TIMEOUT = 180.0


class RecordingRunner:
    """A runner that runs nothing and records the job ids it is given: for API tests that
    need no analysis (refused uploads, auth, limits, the schema)."""

    def __init__(self) -> None:
        self.started = False
        self.stopped = False
        self.submitted: list[str] = []

    def start(self) -> None:
        self.started = True

    def submit(self, job_id: str) -> None:
        self.submitted.append(job_id)

    def stop(self) -> None:
        self.stopped = True


@dataclass(frozen=True)
class ApiMember:
    role: str
    user_id: str
    key_id: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass(frozen=True)
class ApiOrg:
    id: str
    name: str
    members: dict[str, ApiMember]

    def __getitem__(self, role: str) -> ApiMember:
        return self.members[role]


def api_org(database: Any, name: str | None = None, roles: tuple[str, ...] = API_ROLES) -> ApiOrg:
    """An organisation with one user and key per role (through ``service.accounts``)."""
    from service import accounts

    name = name or "Org " + secrets.token_hex(4)
    members: dict[str, ApiMember] = {}
    with database.transaction() as session:
        org = accounts.create_org(session, name)
        for role in roles:
            user = accounts.create_user(
                session, org_id=org.id, email=f"{role}@{org.id[:8]}.example", role=role
            )
            row, key = accounts.create_key(session, user_id=user.id, label=f"{role} tests")
            members[role] = ApiMember(role, user.id, row.id, key)
    return ApiOrg(org.id, name, members)


@dataclass
class ApiHarness:
    """The real app (``create_app``) behind a TestClient whose lifespan is running."""

    client: TestClient
    settings: Settings
    database: Any
    runner: Any

    def counts(self) -> dict[str, int]:
        """Rows in every table."""
        import sqlalchemy as sa
        from sqlmodel import SQLModel

        import service.storage.models  # noqa: F401  (registers the tables)

        with self.database.engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables
            }

    def stored_files(self) -> list[str]:
        """Every file under the blob store and the upload spool."""
        found = []
        for root in (self.settings.blob_dir, self.settings.upload_dir):
            if root.is_dir():
                found += sorted(str(p) for p in root.rglob("*") if p.is_file())
        return found

    def upload(
        self,
        member: ApiMember,
        content: bytes,
        *,
        filename: str = "contract.pdf",
        content_type: str = "application/pdf",
        data: dict[str, str] | None = None,
    ) -> Any:
        return self.client.post(
            f"{API}/documents",
            headers=member.headers,
            files={"file": (filename, content, content_type)},
            data=data or {},
        )

    def wait_for_job(
        self, member: ApiMember, job_id: str, timeout: float = API_JOB_TIMEOUT
    ) -> dict[str, Any]:
        """Poll ``GET /jobs/{id}`` until it succeeded or failed."""
        deadline = time.monotonic() + timeout
        while True:
            response = self.client.get(f"{API}/jobs/{job_id}", headers=member.headers)
            assert response.status_code == 200, response.text
            job: dict[str, Any] = response.json()
            if job["status"] in ("succeeded", "failed"):
                return job
            if time.monotonic() > deadline:
                pytest.fail(f"job {job_id} still {job['status']} after {timeout:.0f} s")
            time.sleep(0.25)


@contextlib.contextmanager
def api_harness(settings: Settings, runner: Any = None, **options: Any) -> Iterator[ApiHarness]:
    """``create_app(settings)`` with its lifespan running; ``runner`` None is the real one
    that the settings name (``make_runner``)."""
    from service.api.app import create_app
    from service.storage.db import Database

    database = Database(settings)
    try:
        app = create_app(settings, runner=runner, database=database, **options)
        with TestClient(app) as client:
            yield ApiHarness(client, settings, database, runner)
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def api_helpers() -> Any:
    """Helpers for API tests, as one namespace."""
    return SimpleNamespace(
        API=API,
        ROLES=API_ROLES,
        harness=api_harness,
        org=api_org,
        RecordingRunner=RecordingRunner,
        samples=SAMPLES,
    )


@dataclass
class ApiWorld:
    """Two organisations on one app (SQLite, the in-process runner), with analysed contracts:
    ``a`` (every role) has the anesthesia and behavioral-health samples, ``b`` (every role)
    the behavioral-health sample too — the same bytes, so a document and contract of each.
    Shared by the whole session: tests that change it (reviews, re-analysis) must leave it
    usable, waiting for any job they start."""

    harness: ApiHarness
    a: ApiOrg
    b: ApiOrg
    contracts: dict[str, str]  # "a.anesthesia", "a.behavioral", "b.behavioral"
    documents: dict[str, str]
    jobs: dict[str, str]


API_WORLD_SAMPLES = {
    "a.anesthesia": ("a", "anesthesia_group_agreement.pdf"),
    "a.behavioral": ("a", "behavioral_health_services_agreement.pdf"),
    "b.behavioral": ("b", "behavioral_health_services_agreement.pdf"),
}


@pytest.fixture(scope="session")
def api_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("api_world") / "data",
        use_model=False,
        ocr=False,
        rate_limit_per_minute=0,  # the limit has its own tests
    )
    with api_harness(settings) as harness:
        a = api_org(harness.database, "World A")
        b = api_org(harness.database, "World B")
        orgs = {"a": a, "b": b}
        jobs: dict[str, str] = {}
        documents: dict[str, str] = {}
        for name, (org, sample) in API_WORLD_SAMPLES.items():
            response = harness.upload(
                orgs[org]["legal"], (SAMPLES / sample).read_bytes(), filename=sample
            )
            assert response.status_code == 202, response.text
            jobs[name] = response.json()["job_id"]
            documents[name] = response.json()["document_id"]
        contracts: dict[str, str] = {}
        for name, (org, _) in API_WORLD_SAMPLES.items():
            job = harness.wait_for_job(orgs[org]["legal"], jobs[name])
            assert job["status"] == "succeeded", job
            contracts[name] = job["contract_id"]
        yield ApiWorld(harness, a, b, contracts, documents, jobs)
