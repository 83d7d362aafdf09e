"""One attempt at one job, the same under both runners: claim it, analyse its document while a
heartbeat thread renews the lease, then store the result and mark the job succeeded in one
transaction — or record why it failed.

* A FAILED analysis (bad input: ``input.encrypted``, ``input.corrupt``, …) is permanent: the
  job ends ``failed`` with the extractor's code and message, nothing else is stored.
* An exception is transient: the job goes back to ``queued`` and ``on_retry`` is asked to
  resubmit it after a backoff, or, with no attempts left, it ends ``failed`` with
  ``job.failed`` and the exception's one-line message (the traceback goes to the log only).
* If the lease was taken over meanwhile (this worker stalled and another claimed the job),
  the completion UPDATE matches no row and the transaction stores nothing.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.learned.model import ClauseModel, load_model, shipped_model_path
from extractor.model import AnalysisResult, Problem, Status
from extractor.ocr import OcrSettings
from extractor.pdf_reader import ReaderSettings
from extractor.rules.loader import RuleSet, load_rules
from service.jobs import store
from service.settings import Settings
from service.storage.blobs import BlobStore
from service.storage.db import Database
from service.storage.models import Document, Job

log = logging.getLogger(__name__)

# Resubmit after a transient failure: 2 s, 4 s, 8 s, … at most a minute.
RETRY_BASE_SECONDS = 2.0
RETRY_MAX_SECONDS = 60.0

RetryHook = Callable[[str, float], None]  # (job_id, delay in seconds)


class JobAnalyzer(Protocol):
    """What a job needs of ``extractor.analyzer.Analyzer``."""

    model: ClauseModel | None

    def analyze_path(self, path: Path) -> AnalysisResult: ...


def analyzer_settings(settings: Settings) -> AnalyzerSettings:
    return AnalyzerSettings(
        reader=ReaderSettings(
            max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
            ocr=OcrSettings(enabled=settings.ocr),
        ),
        medicare_locality=settings.medicare_locality,
        use_model=settings.use_model,
    )


class AnalyzerFactory:
    """Builds analyzers that share what is slow to load and safe to share (the validated rule
    set, about 3 s, and the clause model, read-only arrays); each analyzer gets its own spaCy
    pipeline and matchers, so give each thread its own analyzer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = analyzer_settings(settings)
        self._lock = threading.Lock()
        self._rules: RuleSet | None = None
        self._model: ClauseModel | None = None

    def __call__(self) -> Analyzer:
        with self._lock:
            if self._rules is None:
                self._rules = load_rules(self.settings.rules_dir)
                if self.settings.use_model:
                    self._model = load_model()
            rules, model = self._rules, self._model
        return Analyzer(self.settings, rules=rules, model=model)


def retry_delay(attempts: int) -> float:
    """Backoff before attempt ``attempts + 1``."""
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


@lru_cache(maxsize=1)
def _shipped_model_digest() -> str | None:
    path = shipped_model_path()
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def model_version(analyzer: JobAnalyzer) -> str | None:
    """The clause model's version and the SHA-256 prefix of the shipped artefact
    (``1+sha256:0123456789ab``); None when the model is off."""
    model = analyzer.model
    if model is None:
        return None
    digest = _shipped_model_digest()
    return f"{model.version}+sha256:{digest}" if digest else str(model.version)


class Heartbeat:
    """Renews a job's lease every third of the lease in a daemon thread, until stopped or
    until the lease turns out to be someone else's (``lost``)."""

    def __init__(self, database: Database, job_id: str, token: str, lease_seconds: float):
        self.database = database
        self.job_id = job_id
        self.token = token
        self.lease_seconds = lease_seconds
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"payerlens-lease-{job_id[:8]}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.lease_seconds)

    def _run(self) -> None:
        interval = self.lease_seconds / 3
        while not self._stop.wait(interval):
            try:
                with self.database.transaction() as session:
                    held = store.renew(session, self.job_id, self.token, self.lease_seconds)
            except Exception as exc:  # a database hiccup: try again next beat
                log.warning("job %s: could not renew the lease: %s", self.job_id, _describe(exc))
                continue
            if not held:
                log.warning("job %s: lease lost to another worker", self.job_id)
                self.lost.set()
                return


def run_job(
    database: Database,
    settings: Settings,
    job_id: str,
    analyzer: JobAnalyzer,
    *,
    on_retry: RetryHook | None = None,
    time_limit_errors: tuple[type[BaseException], ...] = (),
) -> None:
    """One attempt at the job, or nothing if it cannot be claimed (finished, or held by a
    live worker). Exceptions of the analysis are handled here; an exception from the
    database while claiming propagates (the job stays as it was). ``time_limit_errors`` are
    what the caller's time limit raises inside the analysis (Celery's soft limit): the job
    fails with ``limits.timeout`` at once, since another attempt would only time out again."""
    lease = settings.job_lease_seconds
    with database.transaction() as session:
        token = store.claim(session, job_id, lease)
    if token is None:
        log.info("job %s: not claimable (finished or held by another worker)", job_id)
        return
    log.info("job %s: claimed", job_id)
    try:
        with Heartbeat(database, job_id, token, lease) as heartbeat:
            path = _document_path(database, settings, job_id)
            result = analyzer.analyze_path(path)
        if heartbeat.lost.is_set():
            log.warning("job %s: lease lost during the analysis; result dropped", job_id)
            return
        if result.status is Status.FAILED:
            _fail_for_input(database, job_id, token, result)
            return
        with database.transaction() as session:
            run = store.complete_analysis(
                session,
                job_id,
                token,
                result=result,
                model_version=model_version(analyzer),
                today=date.today(),
            )
            if run is None:
                session.rollback()
                log.warning("job %s: lease taken over; result dropped", job_id)
                return
        log.info(
            "job %s: succeeded (run %s, %d findings, %d rates)",
            job_id,
            run.id,
            len(result.findings),
            len(result.rates),
        )
    except time_limit_errors:
        seconds = settings.job_time_limit_seconds
        log.warning("job %s: stopped at the time limit (%.0f s)", job_id, seconds)
        with database.transaction() as session:
            store.fail_permanently(
                session,
                job_id,
                token,
                store.LIMITS_TIMEOUT,
                f"The analysis took longer than the limit of {seconds:.0f} s "
                "(PAYERLENS_JOB_TIME_LIMIT_SECONDS) and was stopped.",
            )
    except Exception as exc:
        log.exception("job %s: attempt failed", job_id)
        _release(database, settings, job_id, token, exc, on_retry)


def _document_path(database: Database, settings: Settings, job_id: str) -> Path:
    with database.session() as session:
        job = session.get(Job, job_id)
        document = session.get(Document, job.document_id) if job else None
        if document is None:
            raise LookupError(f"job {job_id} has no document")
        sha256 = document.sha256
    return BlobStore(settings.blob_dir, settings.upload_dir).path_for(sha256)


def _fail_for_input(database: Database, job_id: str, token: str, result: AnalysisResult) -> None:
    problem = _fatal_problem(result)
    code = problem.code if problem else store.JOB_FAILED
    message = problem.message if problem else "the document could not be analysed"
    with database.transaction() as session:
        failed = store.fail_permanently(session, job_id, token, code, message)
    if failed:
        log.info("job %s: failed: %s", job_id, code)
    else:
        log.warning("job %s: lease taken over before recording %s", job_id, code)


def _fatal_problem(result: AnalysisResult) -> Problem | None:
    for problem in result.problems:
        if problem.fatal:
            return problem
    return result.problems[0] if result.problems else None


def _release(
    database: Database,
    settings: Settings,
    job_id: str,
    token: str,
    exc: Exception,
    on_retry: RetryHook | None,
) -> None:
    message = _describe(exc)
    try:
        with database.transaction() as session:
            job = session.get(Job, job_id)
            delay = retry_delay(job.attempts if job else 1)
            released = store.release_after_error(
                session,
                job_id,
                token,
                message,
                retry_delay=delay,
                lease_seconds=settings.job_lease_seconds,
            )
    except Exception:
        # The lease runs out and the sweeper requeues the job.
        log.exception("job %s: could not record the failure", job_id)
        return
    if released is None:
        log.warning("job %s: lease taken over before recording the failure", job_id)
    elif released.status == store.QUEUED:
        log.info(
            "job %s: attempt %d of %d failed; retrying in %.0f s",
            job_id,
            released.attempts,
            released.max_attempts,
            delay,
        )
        if on_retry is not None:
            try:
                on_retry(job_id, delay)
            except Exception as exc:  # the sweeper sends it again later
                log.warning("job %s: could not resubmit: %s", job_id, _describe(exc))
    else:
        log.error("job %s: failed after %d attempts: %s", job_id, released.attempts, message)


def _describe(exc: BaseException) -> str:
    """``Type: message`` on one line — what a user may see; never a traceback."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
