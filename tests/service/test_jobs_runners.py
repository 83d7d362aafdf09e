"""Both runners end to end on a real sample contract: the in-process runner (threads of this
process) on SQLite and PostgreSQL, and the Celery runner with a real ``python -m
service.jobs.worker`` process on Redis and PostgreSQL."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlmodel import col, select

from extractor.model import AnalysisResult
from service.jobs import store
from service.jobs.celery_app import CeleryRunner, make_celery, send_analysis
from service.jobs.inprocess import InProcessRunner
from service.jobs.runner import make_runner
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    AuditLog,
    Contract,
    Document,
    Finding,
    Job,
    RateRow,
    utcnow,
)
from tests.conftest import SAMPLES, build_pdf

SAMPLE = SAMPLES / "acute_care_hospital_agreement.pdf"
SMALL_LINES = [
    [
        "PROVIDER SERVICES AGREEMENT",
        "",
        "1.1 Term. This Agreement shall renew automatically for successive one (1) year",
        "terms unless either party gives written notice of non-renewal at least ninety (90)",
        "days before the end of the then-current term.",
    ]
]


@pytest.fixture(scope="module")
def sample_reference(jobs_analyzer: Any) -> AnalysisResult:
    result: AnalysisResult = jobs_analyzer.analyze_path(SAMPLE)
    assert result.status.value == "success" and result.findings and result.rates
    return result


def _enqueue(db: Database, doc: Any, max_attempts: int = 3) -> str:
    with db.transaction() as session:
        return store.enqueue_analysis(
            session,
            org_id=doc.org_id,
            document_id=doc.document_id,
            user_id=doc.user_id,
            max_attempts=max_attempts,
        ).id


def _job(db: Database, job_id: str) -> Job:
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _finished(db: Database, job_id: str) -> Job | None:
    job = _job(db, job_id)
    return job if job.status in ("succeeded", "failed") else None


def _count(db: Database, model: Any, **where: Any) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.exec(query).one())


def assert_stored_once(db: Database, job_id: str, reference: AnalysisResult) -> Job:
    """The job succeeded and stored exactly one analysis, equal to a clean run's."""
    job = _job(db, job_id)
    assert job.status == "succeeded", (job.error_code, job.error_message)
    assert job.run_id and job.contract_id and job.lease_token is None
    assert _count(db, AnalysisRun, job_id=job_id) == 1
    assert _count(db, Contract, org_id=job.org_id) == 1
    assert _count(db, Finding, run_id=job.run_id) == len(reference.findings)
    assert _count(db, RateRow, run_id=job.run_id) == len(reference.rates)
    with db.session() as session:
        run = session.get(AnalysisRun, job.run_id)
        contract = session.get(Contract, job.contract_id)
        document = session.get(Document, job.document_id)
        assert run is not None and contract is not None and document is not None
        assert run.status == "success" and run.result["schema_version"] == 1
        assert contract.current_run_id == run.id and contract.current_document_id == document.id
        assert contract.payer == reference.contract.payer
        assert document.contract_id == contract.id and document.version == 1
    assert _count(db, AuditLog, action="analysis.stored", target_id=job.contract_id) == 1
    return job


# ---- in-process ---------------------------------------------------------------------------


def test_the_inprocess_runner_analyses_an_upload_end_to_end(
    jobs_db: Database,
    jobs_settings: Settings,
    jobs_helpers: Any,
    sample_reference: AnalysisResult,
) -> None:
    doc = jobs_helpers.seed_document(jobs_db, jobs_settings, SAMPLE)
    runner = make_runner(jobs_settings, jobs_db)
    assert isinstance(runner, InProcessRunner)
    runner.start()
    try:
        job_id = _enqueue(jobs_db, doc)
        runner.submit(job_id)
        jobs_helpers.wait_for(lambda: _finished(jobs_db, job_id), 120, "the job")
    finally:
        runner.stop()
    job = assert_stored_once(jobs_db, job_id, sample_reference)
    assert job.attempts == 1


def test_the_inprocess_runner_takes_up_jobs_left_from_before_on_start(
    sqlite_settings: Settings, jobs_helpers: Any, tmp_path: Path
) -> None:
    settings = sqlite_settings.with_(job_lease_seconds=jobs_helpers.lease_seconds)
    db = Database(settings)
    pdf = build_pdf(tmp_path / "small.pdf", SMALL_LINES)
    doc = jobs_helpers.seed_document(db, settings, pdf)
    never_sent = _enqueue(db, doc)  # the server died before submitting it
    orphan = _enqueue(db, doc)  # the server died while analysing it
    with db.transaction() as session:
        assert store.claim(session, orphan, 60.0)
    runner = InProcessRunner(settings, db)
    runner.start()
    try:
        jobs_helpers.wait_for(lambda: _finished(db, never_sent), 60, "the queued job")
        assert _job(db, orphan).status == "running"  # its lease is still valid
        with db.transaction() as session:  # ... until it expires
            session.exec(
                update(Job)
                .where(col(Job.id) == orphan)
                .values(lease_expires_at=utcnow() - timedelta(seconds=1))
            )
        jobs_helpers.wait_for(lambda: _finished(db, orphan), 60, "the orphaned job")
    finally:
        runner.stop()
        db.dispose()
    first, second = _job(db, never_sent), _job(db, orphan)
    assert (first.status, first.attempts) == ("succeeded", 1)
    assert (second.status, second.attempts) == ("succeeded", 2)
    assert _count(db, AnalysisRun) == 2


class FailsOnce:
    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.model = analyzer.model
        self.calls = 0

    def analyze_path(self, path: Path) -> AnalysisResult:
        self.calls += 1
        if self.calls == 1:
            raise OSError("network storage went away")
        result: AnalysisResult = self.analyzer.analyze_path(path)
        return result


def test_the_inprocess_runner_resubmits_after_a_transient_failure(
    sqlite_settings: Settings, jobs_helpers: Any, jobs_analyzer: Any, tmp_path: Path
) -> None:
    db = Database(sqlite_settings)
    doc = jobs_helpers.seed_document(
        db, sqlite_settings, build_pdf(tmp_path / "s.pdf", SMALL_LINES)
    )
    flaky = FailsOnce(jobs_analyzer)
    runner = InProcessRunner(sqlite_settings, db, analyzer_factory=lambda: flaky)
    runner.start()
    try:
        job_id = _enqueue(db, doc)
        runner.submit(job_id)
        job = jobs_helpers.wait_for(lambda: _finished(db, job_id), 60, "the retried job")
    finally:
        runner.stop()
        db.dispose()
    assert (job.status, job.attempts, flaky.calls) == ("succeeded", 2, 2)
    assert job.error_message is None


def test_a_stopped_inprocess_runner_leaves_jobs_queued(
    sqlite_settings: Settings, jobs_helpers: Any, tmp_path: Path
) -> None:
    db = Database(sqlite_settings)
    doc = jobs_helpers.seed_document(
        db, sqlite_settings, build_pdf(tmp_path / "s.pdf", SMALL_LINES)
    )
    runner = InProcessRunner(
        sqlite_settings, db, analyzer_factory=lambda: pytest.fail("a job ran after stop()")
    )
    runner.start()
    runner.stop()
    job_id = _enqueue(db, doc)
    runner.submit(job_id)
    time.sleep(0.5)
    assert _job(db, job_id).status == "queued" and _job(db, job_id).attempts == 0
    db.dispose()


# ---- Celery -------------------------------------------------------------------------------


def test_make_runner_builds_the_configured_runner(sqlite_settings: Settings) -> None:
    db = Database(sqlite_settings)
    try:
        assert isinstance(make_runner(sqlite_settings, db), InProcessRunner)
        celery_runner = make_runner(sqlite_settings.with_(runner="celery", queue="q1"), db)
        assert isinstance(celery_runner, CeleryRunner)
        conf = celery_runner.app.conf
        assert conf.task_acks_late and conf.task_reject_on_worker_lost
        assert conf.worker_prefetch_multiplier == 1 and conf.task_default_queue == "q1"
        assert conf.task_serializer == "json" and conf.accept_content == ["json"]
        assert "payerlens.analyze" in celery_runner.app.tasks
        celery_runner.stop()
    finally:
        db.dispose()


def test_a_celery_worker_analyses_uploads_end_to_end(
    jobs_celery_settings: Settings,
    jobs_helpers: Any,
    jobs_processes: Any,
    jobs_redis: Any,
    sample_reference: AnalysisResult,
    tmp_path: Path,
) -> None:
    db = Database(jobs_celery_settings)
    runner = make_runner(jobs_celery_settings, db)
    assert isinstance(runner, CeleryRunner)
    worker = jobs_processes.start(
        ["-m", "service.jobs.worker"], jobs_helpers.env(jobs_celery_settings), "worker"
    )
    try:
        runner.start()
        good = _enqueue(db, jobs_helpers.seed_document(db, jobs_celery_settings, SAMPLE))
        locked = build_pdf(tmp_path / "locked.pdf", SMALL_LINES, encrypt="s3cret")
        bad = _enqueue(db, jobs_helpers.seed_document(db, jobs_celery_settings, locked))
        runner.submit(good)
        runner.submit(bad)
        for job_id in (good, bad):
            jobs_helpers.wait_for(
                lambda job_id=job_id: _finished(db, job_id) or worker.poll() is not None,
                180,
                "the worker to finish the job",
            )
        assert worker.poll() is None, jobs_processes.log(worker)
        job = assert_stored_once(db, good, sample_reference)
        assert job.attempts == 1
        failed = _job(db, bad)
        assert (failed.status, failed.error_code, failed.attempts) == (
            "failed",
            "input.encrypted",
            1,
        )
        assert _count(db, AnalysisRun) == 1
        assert jobs_redis.llen(jobs_celery_settings.queue) == 0  # nothing left undelivered
    finally:
        runner.stop()
        db.dispose()


def test_a_retry_is_published_on_the_queue_with_its_delay(
    jobs_celery_settings: Settings, jobs_redis: Any
) -> None:
    app = make_celery(jobs_celery_settings)
    try:
        send_analysis(app, jobs_celery_settings, "0123abcd" * 4, countdown=30)
    finally:
        app.close()
    (raw,) = jobs_redis.lrange(jobs_celery_settings.queue, 0, -1)
    message = json.loads(raw)
    headers = message["headers"]
    assert headers["task"] == "payerlens.analyze" and "0123abcd" in headers["argsrepr"]
    assert message["content-type"] == "application/json"
    delay = datetime.fromisoformat(headers["eta"]) - utcnow()
    assert timedelta(seconds=25) < delay <= timedelta(seconds=30)
