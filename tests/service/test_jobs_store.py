"""Job rows under the lease protocol (service.jobs.store, service.jobs.work), on SQLite and
PostgreSQL: exclusive claims, expiry and takeover, heartbeats, completion that stores exactly
once, bounded retries, permanent failures on bad input, and the sweeper."""

from __future__ import annotations

import re
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlmodel import col, select

from extractor.learned.model import load_model
from extractor.model import AnalysisResult
from service.jobs import store
from service.jobs.runner import Sweeper
from service.jobs.work import Heartbeat, model_version, run_job
from service.settings import Settings
from service.storage.models import (
    AnalysisRun,
    AuditLog,
    Contract,
    Finding,
    Job,
    RateRow,
    utcnow,
)
from tests.conftest import build_pdf

CONTRACT_LINES = [
    [
        "PROVIDER SERVICES AGREEMENT",
        "",
        "1.1 Term. This Agreement shall renew automatically for successive one (1) year",
        "terms unless either party gives written notice of non-renewal at least ninety (90)",
        "days before the end of the then-current term.",
        "",
        "2.1 Audit. Plan may conduct post-payment reviews of claims paid within the preceding",
        "twenty-four (24) months and may recover any amount found to have been overpaid.",
        "",
        "3.1 Compensation. Plan shall pay Provider 110% of the Medicare Physician Fee",
        "Schedule for Covered Services.",
    ]
]


@pytest.fixture
def small_pdf(tmp_path: Path) -> Path:
    return build_pdf(tmp_path / "small_contract.pdf", CONTRACT_LINES)


def _enqueue(db: Any, doc: Any, max_attempts: int = 3) -> str:
    with db.transaction() as session:
        job = store.enqueue_analysis(
            session,
            org_id=doc.org_id,
            document_id=doc.document_id,
            user_id=doc.user_id,
            max_attempts=max_attempts,
        )
        return job.id


def _job(db: Any, job_id: str) -> Job:
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _claim(db: Any, job_id: str, lease: float = 3.0) -> str | None:
    with db.transaction() as session:
        return store.claim(session, job_id, lease)


def _expire(db: Any, job_id: str) -> None:
    """As if the lease holder had died a while ago."""
    with db.transaction() as session:
        session.exec(
            update(Job)
            .where(col(Job.id) == job_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )


def _count(db: Any, model: Any, **where: Any) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.exec(query).one())


@pytest.fixture
def doc(jobs_db: Any, jobs_settings: Settings, small_pdf: Path, jobs_helpers: Any) -> Any:
    return jobs_helpers.seed_document(jobs_db, jobs_settings, small_pdf)


# ---- enqueue and claim -------------------------------------------------------------------


def test_enqueue_adds_a_queued_job_to_the_callers_transaction(jobs_db: Any, doc: Any) -> None:
    with jobs_db.session() as session:
        job = store.enqueue_analysis(
            session, org_id=doc.org_id, document_id=doc.document_id, user_id=doc.user_id
        )
        assert job.id and job.status == "queued" and job.attempts == 0
        assert job.created_by == doc.user_id and job.max_attempts == 3
        session.rollback()  # not committed by enqueue: rolling back leaves nothing
    assert _count(jobs_db, Job) == 0
    job_id = _enqueue(jobs_db, doc, max_attempts=5)
    assert _job(jobs_db, job_id).max_attempts == 5


def test_only_one_of_concurrent_claims_wins(jobs_db: Any, doc: Any) -> None:
    job_id = _enqueue(jobs_db, doc)
    claimers = 6
    barrier = threading.Barrier(claimers)
    tokens: list[str | None] = []
    errors: list[BaseException] = []

    def claim() -> None:
        try:
            barrier.wait()
            tokens.append(_claim(jobs_db, job_id))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim) for _ in range(claimers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    winners = [t for t in tokens if t is not None]
    assert len(tokens) == claimers and len(winners) == 1
    job = _job(jobs_db, job_id)
    assert job.status == "running" and job.attempts == 1 and job.lease_token == winners[0]
    assert job.started_at is not None and job.lease_expires_at is not None
    assert job.lease_expires_at > utcnow()
    assert _claim(jobs_db, job_id) is None  # a live lease is not taken over


def test_an_expired_lease_is_taken_over_and_the_old_token_is_void(jobs_db: Any, doc: Any) -> None:
    job_id = _enqueue(jobs_db, doc)
    first = _claim(jobs_db, job_id)
    assert first
    _expire(jobs_db, job_id)
    second = _claim(jobs_db, job_id)
    assert second and second != first
    job = _job(jobs_db, job_id)
    assert job.status == "running" and job.attempts == 2 and job.lease_token == second
    with jobs_db.transaction() as session:
        assert not store.renew(session, job_id, first, 3.0)
        assert store.renew(session, job_id, second, 3.0)


def test_finished_and_missing_jobs_cannot_be_claimed(jobs_db: Any, doc: Any) -> None:
    job_id = _enqueue(jobs_db, doc)
    token = _claim(jobs_db, job_id)
    assert token
    with jobs_db.transaction() as session:
        assert store.fail_permanently(session, job_id, token, "input.corrupt", "broken")
    _expire(jobs_db, job_id)
    assert _claim(jobs_db, job_id) is None
    assert _job(jobs_db, job_id).attempts == 1
    assert _claim(jobs_db, "0" * 32) is None


def test_a_job_without_attempts_left_is_not_taken_over(jobs_db: Any, doc: Any) -> None:
    job_id = _enqueue(jobs_db, doc, max_attempts=1)
    assert _claim(jobs_db, job_id)
    _expire(jobs_db, job_id)
    assert _claim(jobs_db, job_id) is None


# ---- heartbeat --------------------------------------------------------------------------


def test_the_heartbeat_keeps_the_lease_and_notices_a_takeover(jobs_db: Any, doc: Any) -> None:
    lease = 1.5
    job_id = _enqueue(jobs_db, doc)
    token = _claim(jobs_db, job_id, lease)
    assert token
    with Heartbeat(jobs_db, job_id, token, lease) as beat:
        time.sleep(lease * 2.5)  # well past the first lease
        assert _claim(jobs_db, job_id, lease) is None
        assert _job(jobs_db, job_id).lease_token == token
        assert not beat.lost.is_set()
    time.sleep(lease * 1.3)  # no heartbeat: the lease runs out
    other = _claim(jobs_db, job_id, lease)
    assert other and other != token
    with Heartbeat(jobs_db, job_id, token, lease) as stale:
        assert stale.lost.wait(lease * 3)
    assert _job(jobs_db, job_id).lease_token == other


# ---- one attempt (run_job) ----------------------------------------------------------------


def test_a_job_stores_its_analysis_once(
    jobs_db: Any, jobs_settings: Settings, doc: Any, jobs_analyzer: Any
) -> None:
    job_id = _enqueue(jobs_db, doc)
    run_job(jobs_db, jobs_settings, job_id, jobs_analyzer)
    job = _job(jobs_db, job_id)
    assert job.status == "succeeded", (job.error_code, job.error_message)
    assert job.attempts == 1 and job.lease_token is None and job.finished_at is not None
    assert job.error_code is None and job.run_id and job.contract_id
    with jobs_db.session() as session:
        run = session.get(AnalysisRun, job.run_id)
        assert run is not None and run.job_id == job_id and run.contract_id == job.contract_id
        assert run.model_version is None  # the model is off in these settings
        findings = run.result["findings"]
    assert findings and {"evergreen_renewal", "audit_provision"} <= {
        f["category"] for f in findings
    }
    assert _count(jobs_db, Finding, run_id=job.run_id) == len(findings)
    assert _count(jobs_db, RateRow, run_id=job.run_id) >= 1
    # Running it again (a duplicate message) changes nothing.
    run_job(jobs_db, jobs_settings, job_id, jobs_analyzer)
    assert _count(jobs_db, AnalysisRun) == 1 and _count(jobs_db, Contract) == 1
    assert _job(jobs_db, job_id).attempts == 1


class TakenOverDuringAnalysis:
    """Analyses for real, but meanwhile the lease expires and another worker claims the job."""

    model = None

    def __init__(self, db: Any, analyzer: Any) -> None:
        self.db = db
        self.analyzer = analyzer
        self.rival_token: str | None = None

    def analyze_path(self, path: Path) -> AnalysisResult:
        result = self.analyzer.analyze_path(path)
        with self.db.session() as session:
            (job_id,) = session.exec(select(Job.id)).all()
        _expire(self.db, job_id)
        self.rival_token = _claim(self.db, job_id)
        return result


def test_a_result_is_dropped_when_the_lease_was_taken_over(
    jobs_db: Any, jobs_settings: Settings, doc: Any, jobs_analyzer: Any
) -> None:
    job_id = _enqueue(jobs_db, doc)
    analyzer = TakenOverDuringAnalysis(jobs_db, jobs_analyzer)
    run_job(jobs_db, jobs_settings, job_id, analyzer)
    assert analyzer.rival_token
    job = _job(jobs_db, job_id)
    assert job.status == "running" and job.lease_token == analyzer.rival_token
    assert job.attempts == 2 and job.run_id is None
    for model in (AnalysisRun, Contract, Finding, RateRow):
        assert _count(jobs_db, model) == 0, model


def test_completion_with_a_void_token_stores_nothing(
    jobs_db: Any, doc: Any, jobs_analyzer: Any, small_pdf: Path
) -> None:
    result = jobs_analyzer.analyze_path(small_pdf)
    job_id = _enqueue(jobs_db, doc)
    old = _claim(jobs_db, job_id)
    assert old
    _expire(jobs_db, job_id)
    new = _claim(jobs_db, job_id)
    assert new
    with jobs_db.transaction() as session:
        kwargs: dict[str, Any] = {"result": result, "model_version": None, "today": date.today()}
        assert store.complete_analysis(session, job_id, old, **kwargs) is None
    assert _count(jobs_db, AnalysisRun) == 0 and _count(jobs_db, Contract) == 0
    with jobs_db.transaction() as session:
        run = store.complete_analysis(session, job_id, new, **kwargs)
        assert run is not None
    assert _count(jobs_db, AnalysisRun) == 1 and _job(jobs_db, job_id).status == "succeeded"


class Exploding:
    model = None

    def __init__(self) -> None:
        self.calls = 0

    def analyze_path(self, path: Path) -> AnalysisResult:
        self.calls += 1
        raise RuntimeError(f"disk on fire\n  (call {self.calls})")


def test_transient_failures_are_retried_a_bounded_number_of_times(
    jobs_db: Any, jobs_settings: Settings, doc: Any
) -> None:
    job_id = _enqueue(jobs_db, doc, max_attempts=3)
    retries: list[tuple[str, float]] = []
    analyzer = Exploding()
    for attempt in (1, 2):
        run_job(jobs_db, jobs_settings, job_id, analyzer, on_retry=lambda *a: retries.append(a))
        job = _job(jobs_db, job_id)
        assert job.status == "queued" and job.attempts == attempt and job.lease_token is None
        assert job.error_message and "disk on fire" in job.error_message
    assert [r[0] for r in retries] == [job_id, job_id]
    assert 0 < retries[0][1] < retries[1][1]  # backoff grows
    run_job(jobs_db, jobs_settings, job_id, analyzer, on_retry=lambda *a: retries.append(a))
    job = _job(jobs_db, job_id)
    assert job.status == "failed" and job.attempts == 3 and len(retries) == 2
    assert job.error_code == "job.failed"
    assert job.error_message == "RuntimeError: disk on fire (call 3)"  # one line, no traceback
    assert job.finished_at is not None and job.lease_token is None
    run_job(jobs_db, jobs_settings, job_id, analyzer)  # finished: not tried again
    assert analyzer.calls == 3
    assert _count(jobs_db, AnalysisRun) == 0 and _count(jobs_db, Contract) == 0
    with jobs_db.session() as session:
        entries = session.exec(select(AuditLog).where(AuditLog.action == "job.failed")).all()
    assert [(e.target_id, e.detail["error_code"]) for e in entries] == [(job_id, "job.failed")]
    assert entries[0].org_id == doc.org_id and entries[0].user_id == doc.user_id


def _encrypted(path: Path) -> Path:
    return build_pdf(path, CONTRACT_LINES, encrypt="s3cret")


def _garbage(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    return path


@pytest.mark.parametrize(
    ("make", "codes"),
    [(_encrypted, {"input.encrypted"}), (_garbage, {"input.corrupt", "input.empty"})],
    ids=["encrypted", "garbage"],
)
def test_bad_input_fails_at_once_with_the_extractors_code(
    jobs_db: Any,
    jobs_settings: Settings,
    jobs_analyzer: Any,
    jobs_helpers: Any,
    tmp_path: Path,
    make: Any,
    codes: set[str],
) -> None:
    bad = jobs_helpers.seed_document(jobs_db, jobs_settings, make(tmp_path / "bad.pdf"))
    job_id = _enqueue(jobs_db, bad)
    retries: list[Any] = []
    run_job(jobs_db, jobs_settings, job_id, jobs_analyzer, on_retry=lambda *a: retries.append(a))
    job = _job(jobs_db, job_id)
    assert job.status == "failed" and job.error_code in codes, job.error_code
    assert job.error_message and "Traceback" not in job.error_message
    assert job.attempts == 1 and not retries and job.run_id is None
    for model in (AnalysisRun, Contract, Finding, RateRow):
        assert _count(jobs_db, model) == 0, model
    assert _count(jobs_db, AuditLog, action="job.failed", target_id=job_id) == 1


# ---- the sweeper --------------------------------------------------------------------------


def test_the_sweeper_requeues_dead_workers_jobs_and_abandons_exhausted_ones(
    jobs_db: Any, jobs_settings: Settings, doc: Any
) -> None:
    alive = _enqueue(jobs_db, doc)
    dead = _enqueue(jobs_db, doc)
    exhausted = _enqueue(jobs_db, doc, max_attempts=1)
    waiting = _enqueue(jobs_db, doc)
    for job_id in (alive, dead, exhausted):
        assert _claim(jobs_db, job_id)
    _expire(jobs_db, dead)
    _expire(jobs_db, exhausted)
    sent: list[str] = []
    sweeper = Sweeper(jobs_db, jobs_settings, sent.append)
    assert sweeper.sweep() == [dead] and sent == [dead]
    assert _job(jobs_db, alive).status == "running"
    assert _job(jobs_db, waiting).status == "queued"
    requeued = _job(jobs_db, dead)
    assert requeued.status == "queued" and requeued.lease_token is None
    assert requeued.attempts == 1  # the next claim counts the next attempt
    failed = _job(jobs_db, exhausted)
    assert failed.status == "failed" and failed.error_code == "job.abandoned"
    assert failed.error_message and failed.finished_at is not None
    assert _count(jobs_db, AuditLog, action="job.failed", target_id=exhausted) == 1
    assert sweeper.sweep() == []  # nothing left to recover; a second sweeper finds nothing
    token = _claim(jobs_db, dead)
    assert token and _job(jobs_db, dead).attempts == 2


def test_queued_jobs_nobody_claimed_are_sent_again_once_per_period(
    jobs_db: Any, jobs_settings: Settings, doc: Any
) -> None:
    fresh = _enqueue(jobs_db, doc)
    stale = _enqueue(jobs_db, doc)
    with jobs_db.transaction() as session:
        session.exec(
            update(Job)
            .where(col(Job.id) == stale)
            .values(created_at=utcnow() - store.redispatch_after(3.0) - timedelta(seconds=1))
        )
    sent: list[str] = []
    sweeper = Sweeper(jobs_db, jobs_settings, sent.append, redispatch=True)
    assert sweeper.sweep() == [stale]
    assert sweeper.sweep() == []  # its next deadline is a period away
    assert Sweeper(jobs_db, jobs_settings, sent.append).sweep() == []  # in-process: no redispatch
    assert sent == [stale]
    with jobs_db.transaction() as session:
        later = utcnow() + store.redispatch_after(3.0) * 2
        taken = store.take_stale_queued(session, lease_seconds=3.0, now=later)
    assert sorted(taken) == sorted([fresh, stale])
    assert _job(jobs_db, fresh).status == "queued"


def test_the_model_version_names_the_shipped_artefact() -> None:
    model = load_model()
    assert model is not None
    version = model_version(SimpleNamespace(model=model))
    assert version and re.fullmatch(
        re.escape(str(model.version)) + r"\+sha256:[0-9a-f]{12}", version
    )
    assert model_version(SimpleNamespace(model=None)) is None
