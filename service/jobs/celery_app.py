"""The Celery runner: Redis as broker, one task ``payerlens.analyze(job_id)`` on
``settings.queue``, run by ``payerlens worker`` processes (``service.jobs.worker``).

Messages carry only a job id; the job row says what to do and whether it is still to be done,
so a duplicate or late message is harmless (its claim matches no row). Delivery settings:

* ``task_acks_late`` + ``task_reject_on_worker_lost``: a message is acknowledged after the
  task ran, and put back if the pool process running it died;
* ``worker_prefetch_multiplier=1``: a worker holds one message per pool process, so long
  analyses do not strand queued jobs behind a busy worker;
* ``task_soft_time_limit`` = ``job_time_limit_seconds``: one pathological file cannot hold a
  pool process forever; its job fails with ``limits.timeout``;
* JSON only; results are ignored (``task_ignore_result``): the job row is the result;
* remote control, gossip, mingle and event heartbeats are off: the worker is a plain queue
  consumer, and a killed one leaves nothing behind in Redis but its unacknowledged message.

A message held by a worker that was killed comes back only after Redis's visibility timeout
(an hour); the sweeper does not wait for it: it requeues the job when its lease expires and
sends it again.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded

from service.jobs.runner import Sweeper
from service.jobs.work import AnalyzerFactory, JobAnalyzer, run_job
from service.settings import Settings
from service.storage.db import Database

log = logging.getLogger(__name__)

TASK_NAME = "payerlens.analyze"


class WorkerContext:
    """What the task needs in a worker process: one analyzer (built once; a prefork pool
    process inherits the one its parent built) and a database engine of its own process
    (connections are never shared across a fork)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._factory = AnalyzerFactory(settings)
        self._lock = threading.Lock()
        self._analyzer: JobAnalyzer | None = None
        self._database: Database | None = None
        self._pid: int | None = None

    def analyzer(self) -> JobAnalyzer:
        with self._lock:
            if self._analyzer is None:
                self._analyzer = self._factory()
            return self._analyzer

    def database(self) -> Database:
        with self._lock:
            if self._database is None or self._pid != os.getpid():
                # Migrations ran once in the worker's main process (run_worker).
                self._database = Database(self.settings, migrate=False)
                self._pid = os.getpid()
            return self._database


def make_celery(settings: Settings, context: WorkerContext | None = None) -> Celery:
    app = Celery(
        "payerlens",
        broker=settings.redis_url,
        backend=settings.redis_url,
        set_as_current=False,
    )
    app.conf.update(
        task_default_queue=settings.queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        # A lost broker connection does not stop a running analysis: the job row decides.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_enable_remote_control=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    if settings.job_time_limit_seconds > 0:
        # The soft limit raises inside the analysis (an OCR subprocess it waits for is killed
        # with it) and the job fails with ``limits.timeout``; the hard limit, a minute later,
        # kills a pool process stuck in native code (its job then goes the way of a crashed
        # worker's: retried while attempts remain).
        app.conf.update(
            task_soft_time_limit=settings.job_time_limit_seconds,
            task_time_limit=settings.job_time_limit_seconds + 60,
        )
    ctx = context or WorkerContext(settings)

    def retry_later(job_id: str, delay: float) -> None:
        send_analysis(app, settings, job_id, countdown=delay)

    # shared=False: this task belongs to this app only (each app binds its own settings).
    @app.task(name=TASK_NAME, ignore_result=True, shared=False)
    def analyze(job_id: str) -> None:
        run_job(
            ctx.database(),
            settings,
            job_id,
            ctx.analyzer(),
            on_retry=retry_later,
            time_limit_errors=(SoftTimeLimitExceeded,),
        )

    return app


def send_analysis(
    app: Celery, settings: Settings, job_id: str, *, countdown: float | None = None
) -> None:
    """Publish the task for ``job_id`` on ``settings.queue``; raises if the broker is away."""
    options: dict[str, Any] = {"queue": settings.queue}
    if countdown:
        options["countdown"] = countdown
    app.send_task(TASK_NAME, args=[job_id], **options)


class CeleryRunner:
    """The API side: ``submit`` publishes; ``start`` sweeps once (the workers sweep
    periodically); ``stop`` closes the broker connections."""

    def __init__(self, settings: Settings, database: Database, *, app: Celery | None = None):
        self.settings = settings
        self.database = database
        self.app = app or make_celery(settings)
        self.sweeper = Sweeper(database, settings, self.send, redispatch=True)

    def start(self) -> None:
        try:
            self.sweeper.sweep()
        except Exception:  # the database or broker is away; the workers' sweepers retry
            log.exception("recovery sweep failed")

    def send(self, job_id: str) -> None:
        send_analysis(self.app, self.settings, job_id)

    def submit(self, job_id: str) -> None:
        """Publish; if the broker is away the job stays queued and a worker's sweeper sends it
        again once it has waited ``store.REDISPATCH_LEASES`` leases (logged, not raised: the
        upload did succeed)."""
        try:
            self.send(job_id)
        except Exception as exc:
            log.error(
                "job %s: could not publish to %s (%s: %s); it stays queued and is sent "
                "again by a worker's sweeper",
                job_id,
                self.settings.queue,
                type(exc).__name__,
                exc,
            )

    def stop(self) -> None:
        self.app.close()
