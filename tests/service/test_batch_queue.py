"""``payerlens batch --queue redis://…`` sends the same jobs to Celery workers (a real
``python -m service.jobs.worker`` process on Redis) and stores exactly what a local run stores:
the same archive, run locally with two worker processes into one PostgreSQL database and
through the queue into another, gives identical analyses, findings and rate rows per file.
The local run's contracts are the service's: the API lists them."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from service.batch.runner import BatchRefused, run_batch
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import AnalysisRun, BatchItem, Document, Finding, RateRow
from tests.conftest import SAMPLES, build_pdf
from tests.test_docx import agreement_docx

PG_URL = __import__("os").environ.get("PAYERLENS_TEST_DATABASE_URL")
DIGITAL = [
    "behavioral_health_services_agreement.pdf",
    "anesthesia_group_agreement.pdf",
    "exchange_narrow_network_agreement.pdf",
]


@pytest.fixture
def second_postgres_url(postgres_url: str) -> Iterator[str]:
    """Another fresh database on the test server, dropped afterwards."""
    import sqlalchemy as sa

    from service.storage.db import make_engine

    assert PG_URL
    name = "payerlens_" + secrets.token_hex(6)
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}"
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
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / "drafts").mkdir(parents=True)
    for name in DIGITAL:
        (root / name).write_bytes((SAMPLES / name).read_bytes())
    agreement_docx(root / "drafts" / "agreement.docx")
    build_pdf(root / "locked.pdf", [["PROVIDER AGREEMENT", "1.1 Term."]], encrypt="pw")
    (root / "readme.txt").write_text("the archive's notes")
    return root


def stored(settings: Settings) -> dict[str, Any]:
    """Everything a batch stored, keyed by what does not depend on where it ran: per file
    its item's outcome; per document (SHA-256) its analysis, findings and rate rows."""
    db = Database(settings, migrate=False)
    try:
        with db.session() as session:
            items = {
                i.path: (i.status, i.error_code, i.pages, i.ocr_pages, i.sha256)
                for i in session.exec(select(BatchItem)).all()
            }
            documents: dict[str, Any] = {}
            for doc in session.exec(select(Document)).all():
                (run,) = session.exec(
                    select(AnalysisRun).where(AnalysisRun.document_id == doc.id)
                ).all()
                findings = session.exec(
                    select(Finding).where(Finding.run_id == run.id).order_by(Finding.ordinal)
                ).all()
                rates = session.exec(
                    select(RateRow).where(RateRow.run_id == run.id).order_by(RateRow.ordinal)
                ).all()
                documents[doc.sha256] = {
                    "document": (doc.filename, doc.media_type, doc.size, doc.pages),
                    "run": (run.status, run.ruleset_version, run.model_version, run.result),
                    "findings": [
                        (f.category, f.severity, f.page, f.section, f.text, f.fields, f.rule_id)
                        for f in findings
                    ],
                    "rates": [(r.code, r.amount, r.page, r.data) for r in rates],
                }
        return {"items": items, "documents": documents}
    finally:
        db.dispose()


def test_the_queue_stores_what_a_local_run_stores(
    postgres_settings: Settings,
    second_postgres_url: str,
    redis_url: str,
    queue_name: str,
    folder: Path,
    tmp_path: Path,
    jobs_processes: Any,
    jobs_redis: Any,
    jobs_helpers: Any,
    api_helpers: Any,
) -> None:
    # Locally, two worker processes, into the first database, for an organisation of the API.
    local = postgres_settings
    with api_helpers.harness(local, runner=api_helpers.RecordingRunner()) as api:
        org = api_helpers.org(api.database, "Batch Org")
    report = run_batch(local, folder, org="Batch Org", workers=2)
    assert report.exit_code == 0
    assert report.counts == {"succeeded": 4, "failed": 2}, report.failures

    # Through the queue, into the second database, by a Celery worker.
    remote = Settings(
        data_dir=tmp_path / "queue-data",
        database_url=second_postgres_url,
        use_model=False,
        ocr=False,
        queue=queue_name,
        runner="celery",
        redis_url=redis_url,
        job_lease_seconds=jobs_helpers.lease_seconds,
    )
    Database(remote).dispose()  # the schema, before the worker and the batch start together
    worker = jobs_processes.start(["-m", "service.jobs.worker"], jobs_helpers.env(remote), "worker")
    queued = run_batch(remote, folder, queue=redis_url)  # org "default", created
    assert worker.poll() is None, jobs_processes.log(worker)
    assert queued.exit_code == 0 and queued.counts == report.counts, queued.failures

    here, there = stored(local), stored(remote)
    assert here["items"] == there["items"]
    assert set(here["documents"]) == set(there["documents"])
    assert len(here["documents"]) == 4
    for sha256, expected in here["documents"].items():
        assert there["documents"][sha256] == expected, sha256
    assert any(d["findings"] for d in here["documents"].values())
    assert any(d["rates"] for d in here["documents"].values())
    docx = hashlib.sha256((folder / "drafts" / "agreement.docx").read_bytes()).hexdigest()
    assert here["items"]["drafts/agreement.docx"][4] == docx
    assert here["items"]["locked.pdf"][:2] == ("failed", "input.encrypted")
    assert here["items"]["readme.txt"][:2] == ("failed", "input.not_pdf")

    # The local run's contracts are the service's.
    with api_helpers.harness(local, runner=api_helpers.RecordingRunner()) as api:
        listed = api.client.get(f"{api_helpers.API}/contracts", headers=org["viewer"].headers)
        assert listed.status_code == 200, listed.text
        assert len(listed.json()["items"]) == 4


def test_an_unreachable_queue_is_refused_before_anything_is_stored(
    sqlite_settings: Settings, folder: Path
) -> None:
    with pytest.raises(BatchRefused) as caught:
        run_batch(sqlite_settings, folder, queue="redis://127.0.0.1:1/0")
    assert caught.value.code == "queue.unreachable"
    assert not (sqlite_settings.data_dir / "payerlens.db").exists()
