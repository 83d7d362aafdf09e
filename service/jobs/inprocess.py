"""The default runner: ``settings.inprocess_workers`` daemon threads of the server process.

Nothing to start besides the server. Each thread builds its analyzer on its first job (the
rule set and model are loaded once and shared, ``AnalyzerFactory``). This process is the only
consumer in such a deployment, so ``start`` resubmits every queued job as well as the jobs
whose lease expired; a sweeper thread keeps recovering expired leases every lease.

PDFium (the extractor's PDF reader) is not thread-safe, not even across documents: calling it
from two threads at once can crash or corrupt the process. So analyses of this process take
turns (``PDF_LOCK``, one for the whole process); the threads still overlap storing results,
OCR subprocesses and waiting on the database. Analysis is CPU-bound Python, which the GIL
serialises anyway: for analyses in parallel, use the Celery runner (processes).

The in-memory queue is only a cache of the job rows: whatever it holds when the process ends
is still ``queued`` (or ``running`` with a lease that will expire) in the database, and the
next ``start`` picks it up.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from extractor.model import AnalysisResult
from service.jobs import store
from service.jobs.runner import Sweeper
from service.jobs.work import AnalyzerFactory, JobAnalyzer, run_job
from service.settings import Settings
from service.storage.db import Database

log = logging.getLogger(__name__)

# One analysis at a time in this process: PDFium must never be entered from two threads.
PDF_LOCK = threading.Lock()


class _TakingTurns:
    """An analyzer whose ``analyze_path`` holds ``PDF_LOCK``."""

    def __init__(self, analyzer: JobAnalyzer) -> None:
        self.analyzer = analyzer
        self.model = analyzer.model

    def analyze_path(self, path: Path) -> AnalysisResult:
        with PDF_LOCK:
            return self.analyzer.analyze_path(path)


class InProcessRunner:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        analyzer_factory: Callable[[], JobAnalyzer] | None = None,
        stop_grace_seconds: float = 5.0,
    ) -> None:
        self.settings = settings
        self.database = database
        self.workers = max(1, settings.inprocess_workers)
        self.analyzer_factory = analyzer_factory or AnalyzerFactory(settings)
        self.stop_grace_seconds = stop_grace_seconds
        self.sweeper = Sweeper(database, settings, self.submit)
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        with self._lock:
            if self._threads:
                return
            self._stopping.clear()
            # A fresh queue: what an earlier run left in memory is still queued in the
            # database and resubmitted below.
            self._queue = queue.Queue()
            for i in range(self.workers):
                thread = threading.Thread(
                    target=self._work, args=(self._queue,), name=f"payerlens-job-{i}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        resubmitted = self.sweeper.sweep()
        with self.database.session() as session:
            queued = store.queued_job_ids(session)
        left = [job_id for job_id in queued if job_id not in resubmitted]
        for job_id in left:
            self.submit(job_id)
        if left:
            log.info("resubmitted %d queued job(s) left from before", len(left))
        self.sweeper.start()

    def submit(self, job_id: str) -> None:
        if self._stopping.is_set():
            log.info("job %s: runner stopped; it stays queued for the next start", job_id)
            return
        self._queue.put(job_id)

    def stop(self) -> None:
        self._stopping.set()
        self.sweeper.stop()
        with self._lock:
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)  # wakes each idle thread
        for thread in threads:
            thread.join(self.stop_grace_seconds / max(1, len(threads)))
        still = [t.name for t in threads if t.is_alive()]
        if still:
            # Daemon threads: they end with the process; their leases then expire and the
            # next start takes the jobs over.
            log.warning("stopped while jobs were still running in %s", ", ".join(still))

    def _retry_later(self, job_id: str, delay: float) -> None:
        def fire() -> None:
            with self._lock:
                self._timers.discard(timer)
            self.submit(job_id)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._lock:
            if self._stopping.is_set():
                return
            self._timers.add(timer)
        timer.start()

    def _work(self, jobs: queue.Queue[str | None]) -> None:
        analyzer: JobAnalyzer | None = None
        while True:
            job_id = jobs.get()
            if job_id is None or self._stopping.is_set():
                return
            try:
                if analyzer is None:
                    analyzer = _TakingTurns(self.analyzer_factory())
                run_job(self.database, self.settings, job_id, analyzer, on_retry=self._retry_later)
            except Exception:
                log.exception("job %s: the runner could not run it", job_id)
