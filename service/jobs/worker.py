"""``payerlens worker``: a Celery worker for ``settings.queue`` plus the job sweeper.

    python -m service.jobs.worker [--concurrency N] [--loglevel INFO]

reads its settings from PAYERLENS_* variables (``Settings.from_env``): the database URL, data
directory (blobs), Redis URL, queue, lease and analysis options.

Pool: **prefork**. Analysis is CPU-bound Python, so parallelism needs processes, and a pool
process that dies (out of memory on a huge PDF, a crash in a native library) is replaced while
the worker and its sweeper live on; ``task_reject_on_worker_lost`` puts its message back.
The analyzer (rule set, spaCy pipeline, model) is built once here before the pool forks, so
every pool process starts with it; each process opens its own database connections.

The sweeper runs in a thread of this main process, every lease: a job whose worker was
killed (its lease expired) is requeued and sent again, or ends ``failed``/``job.abandoned``
after its last attempt; a queued job no worker claimed in time is sent again.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

from celery import signals

from service.jobs.celery_app import CeleryRunner, WorkerContext, make_celery
from service.settings import Settings
from service.storage.db import Database

log = logging.getLogger(__name__)


def run_worker(settings: Settings, concurrency: int = 1, *, loglevel: str = "INFO") -> int:
    """Run until stopped (SIGTERM/SIGINT: warm shutdown, running jobs finish); the exit code."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    database = Database(settings)  # brings the schema up to date, once, before any fork
    context = WorkerContext(settings)
    app = make_celery(settings, context)
    runner = CeleryRunner(settings, database, app=app)
    context.analyzer()

    def on_ready(**_: Any) -> None:
        log.info(
            "payerlens worker ready: queue %s, %d pool process(es), lease %.0f s; sweeping",
            settings.queue,
            concurrency,
            settings.job_lease_seconds,
        )
        runner.sweeper.start(immediately=True)

    def on_shutdown(**_: Any) -> None:
        runner.sweeper.stop()

    def in_pool_process(**_: Any) -> None:
        # The main process's pooled connections belong to it; never touch them here.
        database.engine.dispose(close=False)

    signals.worker_ready.connect(on_ready, weak=False)
    signals.worker_shutdown.connect(on_shutdown, weak=False)
    signals.worker_process_init.connect(in_pool_process, weak=False)
    argv = [
        "worker",
        f"--queues={settings.queue}",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        f"--hostname=payerlens-{os.getpid()}@%h",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    try:
        code = app.worker_main(argv)
    finally:
        runner.sweeper.stop()
        signals.worker_ready.disconnect(on_ready)
        signals.worker_shutdown.disconnect(on_shutdown)
        signals.worker_process_init.disconnect(in_pool_process)
        database.dispose()
    return int(code or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.jobs.worker")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    return run_worker(Settings.from_env(), args.concurrency, loglevel=args.loglevel)


if __name__ == "__main__":
    raise SystemExit(main())
