"""A worker killed in the middle of a job: after a restart the job completes, once.

Each test starts a real worker process on a long contract, waits until the job is running,
SIGKILLs the worker's whole process group mid-analysis (nothing gets to clean up), starts a
new one, and checks that the job succeeded on its second attempt with exactly one analysis
run, one contract, and as many findings and rate rows as a clean analysis of the same file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from service.jobs import store
from service.jobs.celery_app import CeleryRunner
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    AuditLog,
    Contract,
    Finding,
    Job,
    RateRow,
)
from tests.conftest import build_pdf

# A server process with the in-process runner: start it (recovering what was left), submit
# the job ids given, run until SIGTERM.
INPROCESS_SERVER = """
import logging, signal, sys, threading
from service.jobs.runner import make_runner
from service.settings import Settings
from service.storage.db import Database

logging.basicConfig(
    level=logging.INFO, format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
)
settings = Settings.from_env()
database = Database(settings)
runner = make_runner(settings, database)
runner.start()
for job_id in sys.argv[1:]:
    runner.submit(job_id)
stopped = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stopped.set())
stopped.wait()
runner.stop()
database.dispose()
"""


def _job(db: Database, job_id: str) -> Job:
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _count(db: Database, model: Any, **where: Any) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.exec(query).one())


def _enqueue(db: Database, doc: Any) -> str:
    with db.transaction() as session:
        return store.enqueue_analysis(
            session, org_id=doc.org_id, document_id=doc.document_id, user_id=doc.user_id
        ).id


def _running(db: Database, job_id: str, procs: Any, proc: Any) -> Job | None:
    if proc.poll() is not None:
        pytest.fail(f"the worker exited early:\n{procs.log(proc)}")
    job = _job(db, job_id)
    assert job.status in ("queued", "running"), (job.status, job.error_message)
    return job if job.status == "running" else None


def _kill_mid_analysis(db: Database, job_id: str, procs: Any, proc: Any, helpers: Any) -> None:
    """Wait until ``proc`` holds the job and is analysing, then SIGKILL its process group."""
    helpers.wait_for(lambda: _running(db, job_id, procs, proc), 120, "the job to start")
    time.sleep(1.0)  # into the analysis (several seconds for the long contract)
    job = _job(db, job_id)
    assert (job.status, job.attempts) == ("running", 1), "finished before it could be killed"
    procs.kill(proc)
    assert not procs.group_alive(proc)
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.run_id) == ("running", 1, None)
    assert _count(db, AnalysisRun) == 0


def assert_completed_once(
    db: Database, job_id: str, reference: tuple[int, int], procs: Any
) -> None:
    job = _job(db, job_id)
    assert job.status == "succeeded", (job.error_code, job.error_message, procs.logs_text())
    assert job.attempts == 2
    assert _count(db, AnalysisRun) == 1 and _count(db, AnalysisRun, job_id=job_id) == 1
    assert _count(db, Contract) == 1
    findings, rates = reference
    assert _count(db, Finding, run_id=job.run_id) == findings
    assert _count(db, RateRow, run_id=job.run_id) == rates
    with db.session() as session:
        ordinals = session.exec(select(Finding.ordinal).where(Finding.run_id == job.run_id)).all()
    assert sorted(ordinals) == list(range(findings))
    assert _count(db, AuditLog, action="analysis.stored") == 1
    assert _count(db, AuditLog, action="job.failed") == 0


def test_a_killed_celery_worker_s_job_completes_after_restart(
    jobs_celery_settings: Settings,
    jobs_helpers: Any,
    jobs_processes: Any,
    jobs_redis: Any,
    jobs_long_pdf: Path,
    jobs_long_reference: tuple[int, int],
) -> None:
    db = Database(jobs_celery_settings)
    runner = CeleryRunner(jobs_celery_settings, db)
    env = jobs_helpers.env(jobs_celery_settings)
    try:
        doc = jobs_helpers.seed_document(db, jobs_celery_settings, jobs_long_pdf)
        job_id = _enqueue(db, doc)
        first = jobs_processes.start(["-m", "service.jobs.worker"], env, "worker")
        runner.submit(job_id)
        _kill_mid_analysis(db, job_id, jobs_processes, first, jobs_helpers)
        # Its message is stranded (unacknowledged) in Redis; the new worker's sweeper
        # requeues the job once the dead worker's lease expires and sends it again.
        second = jobs_processes.start(["-m", "service.jobs.worker"], env, "worker")
        jobs_helpers.wait_for(
            lambda: _job(db, job_id).status in ("succeeded", "failed") or second.poll() is not None,
            120,
            "the restarted worker to finish the job",
        )
        assert_completed_once(db, job_id, jobs_long_reference, jobs_processes)
    finally:
        runner.stop()
        db.dispose()


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def test_a_killed_pool_process_s_job_is_recovered_by_its_worker(
    jobs_celery_settings: Settings,
    jobs_helpers: Any,
    jobs_processes: Any,
    jobs_redis: Any,
    jobs_long_pdf: Path,
    jobs_long_reference: tuple[int, int],
) -> None:
    """Only the pool process running the job dies (as under the OOM killer): the worker
    replaces it, and its own sweeper requeues and resends the job; no restart needed."""
    db = Database(jobs_celery_settings)
    runner = CeleryRunner(jobs_celery_settings, db)
    try:
        doc = jobs_helpers.seed_document(db, jobs_celery_settings, jobs_long_pdf)
        job_id = _enqueue(db, doc)
        worker = jobs_processes.start(
            ["-m", "service.jobs.worker"], jobs_helpers.env(jobs_celery_settings), "worker"
        )
        runner.submit(job_id)
        jobs_helpers.wait_for(
            lambda: _running(db, job_id, jobs_processes, worker), 120, "the job to start"
        )
        time.sleep(1.0)
        (pool_process,) = _children(worker.pid)
        os.kill(pool_process, 9)
        jobs_helpers.wait_for(
            lambda: _job(db, job_id).status in ("succeeded", "failed") or worker.poll() is not None,
            120,
            "the worker to recover the job",
        )
        assert worker.poll() is None, jobs_processes.log(worker)
        assert_completed_once(db, job_id, jobs_long_reference, jobs_processes)
    finally:
        runner.stop()
        db.dispose()


def test_a_killed_inprocess_server_s_job_completes_after_restart(
    sqlite_settings: Settings,
    jobs_helpers: Any,
    jobs_processes: Any,
    jobs_long_pdf: Path,
    jobs_long_reference: tuple[int, int],
) -> None:
    settings = sqlite_settings.with_(job_lease_seconds=jobs_helpers.lease_seconds)
    db = Database(settings)
    env = jobs_helpers.env(settings)
    try:
        doc = jobs_helpers.seed_document(db, settings, jobs_long_pdf)
        job_id = _enqueue(db, doc)
        first = jobs_processes.start(["-c", INPROCESS_SERVER, job_id], env, "server")
        _kill_mid_analysis(db, job_id, jobs_processes, first, jobs_helpers)
        # The restarted server submits nothing itself: its runner's start() and sweeper
        # find the job.
        second = jobs_processes.start(["-c", INPROCESS_SERVER], env, "server")
        jobs_helpers.wait_for(
            lambda: _job(db, job_id).status in ("succeeded", "failed") or second.poll() is not None,
            120,
            "the restarted server to finish the job",
        )
        assert_completed_once(db, job_id, jobs_long_reference, jobs_processes)
    finally:
        db.dispose()


def test_a_celery_job_over_its_time_limit_fails_once_and_the_worker_goes_on(
    jobs_celery_settings: Settings,
    jobs_helpers: Any,
    jobs_processes: Any,
    jobs_redis: Any,
    jobs_long_pdf: Path,
    tmp_path: Path,
) -> None:
    settings = jobs_celery_settings.with_(job_time_limit_seconds=1.0)
    db = Database(settings)
    runner = CeleryRunner(settings, db)
    try:
        slow = jobs_helpers.seed_document(db, settings, jobs_long_pdf)
        slow_job = _enqueue(db, slow)
        worker = jobs_processes.start(
            ["-m", "service.jobs.worker"], jobs_helpers.env(settings), "worker"
        )
        runner.submit(slow_job)
        jobs_helpers.wait_for(
            lambda: (
                _job(db, slow_job).status in ("succeeded", "failed") or worker.poll() is not None
            ),
            120,
            "the job to stop at its time limit",
        )
        job = _job(db, slow_job)
        assert (job.status, job.error_code, job.attempts) == ("failed", "limits.timeout", 1), (
            job.error_message,
            jobs_processes.logs_text(),
        )
        assert "1 s" in (job.error_message or "")
        assert _count(db, AnalysisRun) == 0
        assert _count(db, AuditLog, action="job.failed") == 1
        # The same worker takes the next job (a one-page contract, well within the limit).
        short = build_pdf(tmp_path / "short.pdf", [["AGREEMENT", "1.1 Term. One year."]])
        quick_job = _enqueue(db, jobs_helpers.seed_document(db, settings, short))
        runner.submit(quick_job)
        jobs_helpers.wait_for(
            lambda: _job(db, quick_job).status in ("succeeded", "failed"), 120, "the next job"
        )
        assert _job(db, quick_job).status == "succeeded", _job(db, quick_job).error_message
        assert worker.poll() is None
    finally:
        runner.stop()
        db.dispose()
