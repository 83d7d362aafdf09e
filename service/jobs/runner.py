"""The runner interface the API uses, the factory, and the sweeper both runners share.

A runner only carries job ids; the job rows are the truth (``service.jobs.store``). The API
commits the enqueuing transaction, then calls ``submit``; a runner started with ``start``
recovers jobs abandoned by dead workers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from service.jobs import store
from service.settings import Settings
from service.storage.db import Database

log = logging.getLogger(__name__)


class Runner(Protocol):
    def start(self) -> None:
        """Begin taking work; recover jobs whose lease expired (and, in process, the queued
        jobs left from before)."""

    def submit(self, job_id: str) -> None:
        """Run the job; call after the enqueuing transaction committed."""

    def stop(self) -> None:
        """Stop taking work; wait briefly for running jobs."""


def make_runner(settings: Settings, database: Database) -> Runner:
    """``settings.runner``: "inprocess" (threads of this process, the default) or "celery"
    (tasks on ``settings.queue`` for ``payerlens worker`` processes)."""
    if settings.runner == "celery":
        from service.jobs.celery_app import CeleryRunner

        return CeleryRunner(settings, database)
    if settings.runner == "inprocess":
        from service.jobs.inprocess import InProcessRunner

        return InProcessRunner(settings, database)
    raise ValueError(f"unknown runner {settings.runner!r}")


class Sweeper:
    """Recovers jobs whose worker died: ``running`` with an expired lease → ``queued`` and
    resubmitted (or ``failed``/``job.abandoned`` without attempts left). With
    ``redispatch=True`` (Celery) it also sends queued jobs that no worker claimed in time
    again (``store.take_stale_queued``). ``start`` sweeps every ``interval`` seconds (default:
    one lease) in a daemon thread; ``sweep`` runs once."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        resubmit: Callable[[str], None],
        *,
        redispatch: bool = False,
        interval: float | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.resubmit = resubmit
        self.redispatch = redispatch
        self.interval = interval if interval is not None else settings.job_lease_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self) -> list[str]:
        """One pass; the ids it resubmitted."""
        lease = self.settings.job_lease_seconds
        with self.database.transaction() as session:
            recovery = store.recover_expired(session, lease_seconds=lease)
        for job_id in recovery.requeued:
            log.warning("job %s: its worker stopped (lease expired); requeued", job_id)
        for job_id in recovery.abandoned:
            log.error("job %s: its worker stopped on every attempt; failed", job_id)
        send = list(recovery.requeued)
        if self.redispatch:
            with self.database.transaction() as session:
                stale = store.take_stale_queued(session, lease_seconds=lease)
            for job_id in stale:
                log.warning("job %s: queued but not claimed in time; sent again", job_id)
            send += [job_id for job_id in stale if job_id not in send]
        return self._resubmit(send)

    def _resubmit(self, job_ids: list[str]) -> list[str]:
        sent = []
        for job_id in job_ids:
            try:
                self.resubmit(job_id)
            except Exception as exc:  # the broker is down: the job stays queued, sent later
                log.warning("job %s: could not resubmit: %s: %s", job_id, type(exc).__name__, exc)
            else:
                sent.append(job_id)
        return sent

    def start(self, *, immediately: bool = False) -> None:
        """Sweep every ``interval`` seconds in a daemon thread (first at once if
        ``immediately``)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._loop, args=(immediately,), name="payerlens-sweeper", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _loop(self, immediately: bool) -> None:
        if immediately:
            self._sweep_logged()
        while not self._stop.wait(self.interval):
            self._sweep_logged()

    def _sweep_logged(self) -> None:
        try:
            self.sweep()
        except Exception:  # the database is away: try again next time
            log.exception("sweep failed")
