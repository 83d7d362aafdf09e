"""Local worker processes for ``payerlens batch``: a pool that runs analysis jobs with the job
system's own ``run_job`` (the code path of ``payerlens worker``, so results are identical),
and a one-process sandbox that checks a file before it is stored.

Each process is forked from multiprocessing's *fork server*, a clean single-threaded process
that imported the extractor and the job system and loaded the rule set and model once
(``PRELOAD``, ``warm``): no threads, locks or database connections of the batch are
inherited, and those seconds of loading are not paid again per process. Each runs in a process
group of its own (so stopping it stops its OCR subprocesses too) and dies with the batch
(``PR_SET_PDEATHSIG`` on Linux). Before building anything it sets ``RLIMIT_AS`` to
``max_memory_mb`` (0: no limit): an allocation past it raises ``MemoryError`` instead of
pushing the machine into swap or the kernel's OOM killer. A pool process then builds one
analyzer (``service.jobs.work.AnalyzerFactory``: one spaCy pipeline, the rules, the model)
and runs the job ids it is sent, one at a time, OCR'ing one page at a time: a pool of N
processes keeps N processors busy (the machine's processors are the default N).

The parent supervises, so one pathological file can neither stall nor kill the batch:

* **time limit**: a job running longer than ``time_limit`` seconds gets its process group
  killed; the job ends ``failed`` with ``limits.timeout`` at once (no retry: it would only
  time out again) and a new process takes the slot;
* **memory**: ``MemoryError`` during an analysis ends the job ``failed`` with
  ``limits.memory`` through ``run_job``'s own path for unreadable input, after which the
  process exits and is replaced (its heap may be in pieces). A process killed by SIGKILL that
  the parent did not send (the kernel's OOM killer) or that crashed has its job put back in
  the queue while the job has attempts left (``Job.max_attempts``), then ``failed`` with
  ``limits.memory`` (SIGKILL) or ``job.abandoned`` (a crash);
* processes that cannot even start (``--max-memory-mb`` too small for the analyzer, say)
  stop the batch with ``PoolBroken`` after three tries in a row.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from extractor.model import AnalysisResult, ContractTerms, Problem, SourceInfo, Status
from service.jobs import store
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import Job

log = logging.getLogger(__name__)

LIMITS_TIMEOUT = store.LIMITS_TIMEOUT
LIMITS_MEMORY = store.LIMITS_MEMORY

# Exit codes of a pool process.
EXIT_OUT_OF_MEMORY = 75
EXIT_STARTUP_FAILED = 76
STARTUP_TRIES = 3
STARTUP_TIMEOUT_S = 300.0
PR_SET_PDEATHSIG = 1

# "module:function" building an analyzer from Settings (default: the job system's factory).
AnalyzerFactoryRef = str | None


class PoolBroken(Exception):
    """Worker processes cannot start; the batch cannot go on."""


# ---- in the child ------------------------------------------------------------------------


def _child_setup(max_memory_mb: int, log_path: Path | None) -> None:
    with contextlib.suppress(OSError):
        os.setpgrp()  # its own group: stopping it stops its OCR subprocesses too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _die_with_parent()
    if max_memory_mb > 0:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    root = logging.getLogger()
    root.handlers.clear()
    handler: logging.Handler
    if log_path is not None:
        handler = logging.FileHandler(log_path, encoding="utf-8")
    else:
        handler = logging.NullHandler()
    handler.setFormatter(
        logging.Formatter(f"%(asctime)s pid {os.getpid()} %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the batch process dies, however it dies."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _make_factory(settings: Settings, ref: AnalyzerFactoryRef) -> Callable[[], Any]:
    if ref is None:
        from service.jobs.work import AnalyzerFactory

        factory = AnalyzerFactory(settings)
        # One page OCR'd at a time (one single-threaded Tesseract), so each pool process keeps
        # one processor busy and ``--workers N`` means N processors, OCR included; results do
        # not depend on it.
        reader = factory.settings.reader
        factory.settings = replace(
            factory.settings, reader=replace(reader, ocr=replace(reader.ocr, jobs=1))
        )
        _seed(factory)
        return factory
    import importlib

    module, _, name = ref.partition(":")
    build = getattr(importlib.import_module(module), name)
    return lambda: build(settings)


def _seed(factory: Any) -> None:
    """Give the factory the rule set and model the fork server loaded (``warm``), if it
    has not loaded its own: what it would load itself, without the seconds it takes."""
    warm = sys.modules.get("service.batch.warm")
    rules = getattr(warm, "RULES", None)
    if rules is None or factory.settings.rules_dir is not None:
        return
    if getattr(factory, "_rules", "") is None and getattr(factory, "_model", "") is None:
        factory._rules = rules
        factory._model = warm.MODEL if factory.settings.use_model else None  # type: ignore[union-attr]


class MemoryGuard:
    """An analyzer whose ``MemoryError`` becomes a FAILED result with ``limits.memory``, so
    ``run_job`` records it as it records unreadable input: failed at once, no retry."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.model = analyzer.model
        self.out_of_memory = False

    def analyze_path(self, path: Path) -> AnalysisResult:
        try:
            result: AnalysisResult = self.analyzer.analyze_path(path)
            return result
        except MemoryError:
            self.out_of_memory = True
            problem = Problem(
                LIMITS_MEMORY,
                "The analysis ran out of memory (over the batch's memory limit per worker, "
                "--max-memory-mb).",
                fatal=True,
            )
            source = SourceInfo(path=str(path), sha256="", pages=0)
            ruleset = getattr(getattr(self.analyzer, "rules", None), "version", "")
            return AnalysisResult(
                source, Status.FAILED, ContractTerms(), (), (), (problem,), ruleset
            )


def worker_main(
    conn: Connection,
    settings: Settings,
    max_memory_mb: int,
    log_path: Path | None,
    factory_ref: AnalyzerFactoryRef,
) -> None:
    """A pool process: build the analyzer once, then run the job ids the parent sends."""
    _child_setup(max_memory_mb, log_path)
    from service.jobs.work import run_job

    try:
        database = Database(settings, migrate=False)
        guard = MemoryGuard(_make_factory(settings, factory_ref)())
    except BaseException as exc:  # MemoryError under a small limit, a broken rule folder, ...
        with contextlib.suppress(Exception):
            conn.send(("failed", _describe(exc)))
        os._exit(EXIT_STARTUP_FAILED)
    conn.send(("ready", os.getpid()))

    def on_retry(job_id: str, delay: float) -> None:
        conn.send(("retry", job_id, delay))

    while True:
        try:
            job_id = conn.recv()
        except (EOFError, OSError):
            break
        if job_id is None:
            break
        try:
            run_job(database, settings, job_id, guard, on_retry=on_retry)
        except Exception as exc:  # the database is away while claiming: try again later
            conn.send(("error", job_id, _describe(exc)))
        else:
            conn.send(("done", job_id))
        if guard.out_of_memory:
            conn.close()
            os._exit(EXIT_OUT_OF_MEMORY)
    database.dispose()


def inspector_main(
    conn: Connection, settings: Settings, max_memory_mb: int, log_path: Path | None
) -> None:
    """The sandbox process: answer each path with its page count and media type, or the
    extractor's code for a file the analyzer would refuse."""
    _child_setup(max_memory_mb, log_path)
    from extractor.docx_reader import DOCX_MEDIA_TYPE, wants_docx_reader
    from extractor.errors import PayerlensError
    from extractor.ocr import OcrSettings
    from extractor.pdf_reader import ReaderSettings, inspect_document

    reader = ReaderSettings(
        max_bytes=max(1, settings.max_upload_bytes),
        max_pages=settings.max_pages,
        ocr=OcrSettings(enabled=False),
    )
    conn.send(("ready", os.getpid()))
    while True:
        try:
            raw = conn.recv()
        except (EOFError, OSError):
            break
        if raw is None:
            break
        path = Path(raw)
        try:
            pages = inspect_document(path, reader)
            media = DOCX_MEDIA_TYPE if wants_docx_reader(path) else "application/pdf"
            conn.send(("ok", pages, media))
        except PayerlensError as exc:
            conn.send(("error", exc.code, exc.message))
        except MemoryError:
            conn.send(("error", LIMITS_MEMORY, "Reading the file ran out of memory."))
            os._exit(EXIT_OUT_OF_MEMORY)
        except Exception as exc:  # a reader bug on a damaged file
            conn.send(("error", "input.corrupt", f"The file cannot be read ({_describe(exc)})."))


# ---- the parent's side -------------------------------------------------------------------


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    job_id: str | None = None
    started: float = 0.0
    timed_out: bool = False
    startup_error: str | None = None

    @property
    def pid(self) -> int:
        return self.process.pid or 0


# Imported once by the fork server, so each process forked from it starts with them loaded.
PRELOAD = ["service.jobs.work", "service.batch.pool", "extractor.docx_reader", "service.batch.warm"]


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # ignored once this process's fork server runs
    return ctx


def _spawn(target: Callable[..., None], args: tuple[Any, ...], name: str) -> _Child:
    ctx = _context()
    parent_conn, child_conn = ctx.Pipe()
    process = ctx.Process(target=target, args=(child_conn, *args), name=name, daemon=True)
    process.start()
    child_conn.close()
    return _Child(process, parent_conn)


def _kill(child: _Child) -> None:
    """SIGKILL the child's process group (it and its OCR subprocesses) and reap it."""
    pid = child.pid
    if pid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    child.process.join(10)


def _how_it_died(exitcode: int | None) -> str:
    if exitcode is None:
        return "it stopped"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


@dataclass
class PoolEvents:
    """What ``WorkerPool.poll`` saw: jobs the pool is done with (finished, settled after a
    death or a timeout, or handed back unclaimed) and retries the job system asked for."""

    released: list[str] = field(default_factory=list)
    retries: list[tuple[str, float]] = field(default_factory=list)


class WorkerPool:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        workers: int,
        time_limit: float,
        max_memory_mb: int,
        log_path: Path | None = None,
        factory_ref: AnalyzerFactoryRef = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings = settings
        self.database = database
        self.workers = workers
        self.time_limit = time_limit
        self.max_memory_mb = max_memory_mb
        self.log_path = log_path
        self.factory_ref = factory_ref
        self.children: list[_Child] = []
        self.started = False
        self._startup_failures = 0
        self._last_startup_error: str | None = None

    # -- lifecycle

    def start(self) -> None:
        self.started = True
        for _ in range(self.workers):
            self.children.append(self._start_one())

    def _start_one(self) -> _Child:
        return _spawn(
            worker_main,
            (
                self.settings,
                self.max_memory_mb,
                self.log_path,
                self.factory_ref,
            ),
            "payerlens-batch-worker",
        )

    def stop(self) -> list[str]:
        """Stop every process now; jobs they were running go back to ``queued`` (their
        attempt counts) so the next run takes them at once. The ids of those jobs."""
        requeued: list[str] = []
        for child in self.children:
            if child.job_id is None and child.ready and child.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    child.conn.send(None)
        deadline = time.monotonic() + 2.0
        for child in self.children:
            if child.job_id is None:
                child.process.join(max(0.0, deadline - time.monotonic()))
        for child in self.children:
            if child.process.is_alive():
                _kill(child)
            if child.job_id is not None:
                job_id, child.job_id = child.job_id, None
                try:
                    with self.database.transaction() as session:
                        if store.requeue_unfinished(
                            session, job_id, "the batch was stopped during this attempt"
                        ):
                            requeued.append(job_id)
                except Exception:  # the lease expires and the next run takes it over
                    log.exception("job %s: could not put it back in the queue", job_id)
        self.children = []
        return requeued

    # -- work

    def idle(self) -> int:
        return sum(1 for c in self.children if c.ready and c.job_id is None)

    def busy(self) -> int:
        return sum(1 for c in self.children if c.job_id is not None)

    def running(self) -> set[str]:
        return {c.job_id for c in self.children if c.job_id is not None}

    def run(self, job_id: str) -> bool:
        """Hand ``job_id`` to an idle process; False when none is idle."""
        for child in self.children:
            if child.ready and child.job_id is None:
                try:
                    child.conn.send(job_id)
                except (OSError, ValueError):
                    continue  # it died; poll notices
                child.job_id = job_id
                child.started = time.monotonic()
                return True
        return False

    def poll(self, timeout: float) -> PoolEvents:
        """Wait up to ``timeout`` s for messages or deaths; enforce the time limit."""
        events = PoolEvents()
        by_conn = {c.conn: c for c in self.children}
        by_sentinel = {c.process.sentinel: c for c in self.children}
        ready = wait([*by_conn, *by_sentinel], timeout) if self.children else []
        if not self.children:
            time.sleep(timeout)
        dead: list[_Child] = []
        for obj in ready:
            if obj in by_conn:
                self._read(by_conn[obj], events)
            else:
                dead.append(by_sentinel[obj])  # type: ignore[index]
        for child in dead:
            self._drain(child, events)
            self._died(child, events)
        self._enforce_time_limit(events)
        return events

    def _read(self, child: _Child, events: PoolEvents) -> None:
        try:
            while child.conn.poll():
                self._handle(child, child.conn.recv(), events)
        except (EOFError, OSError):
            pass  # it died: its sentinel says so

    def _drain(self, child: _Child, events: PoolEvents) -> None:
        with contextlib.suppress(EOFError, OSError, ValueError):
            while child.conn.poll():
                self._handle(child, child.conn.recv(), events)

    def _handle(self, child: _Child, message: tuple[Any, ...], events: PoolEvents) -> None:
        kind = message[0]
        if kind == "ready":
            child.ready = True
            self._startup_failures = 0
        elif kind == "failed":
            child.startup_error = str(message[1])
        elif kind == "retry":
            events.retries.append((str(message[1]), float(message[2])))
        elif kind in ("done", "error"):
            job_id = str(message[1])
            if kind == "error":
                log.warning("job %s: the worker could not run it: %s", job_id, message[2])
                events.retries.append((job_id, 5.0))
            if child.job_id == job_id:
                child.job_id = None
                events.released.append(job_id)

    def _died(self, child: _Child, events: PoolEvents) -> None:
        child.process.join(5)
        exitcode = child.process.exitcode
        with contextlib.suppress(OSError):
            child.conn.close()
        if child in self.children:
            self.children.remove(child)
        if not child.ready:
            self._startup_failures += 1
            self._last_startup_error = child.startup_error or _how_it_died(exitcode)
            if self._startup_failures >= STARTUP_TRIES:
                raise PoolBroken(
                    f"batch workers could not start ({self._last_startup_error}); with "
                    "--max-memory-mb, allow more memory"
                )
        elif exitcode != EXIT_OUT_OF_MEMORY:
            log.warning("batch worker %d died (%s)", child.pid, _how_it_died(exitcode))
        if child.job_id is not None:
            job_id, child.job_id = child.job_id, None
            self._settle(job_id, exitcode, timed_out=child.timed_out)
            events.released.append(job_id)
        self.children.append(self._start_one())

    def _enforce_time_limit(self, events: PoolEvents) -> None:
        if self.time_limit <= 0:
            return
        now = time.monotonic()
        for child in list(self.children):
            if child.job_id is None or now - child.started <= self.time_limit:
                continue
            self._drain(child, events)  # it may have finished just now
            if child.job_id is not None:
                child.timed_out = True
                log.warning(
                    "job %s: over the time limit of %g s; stopping its worker",
                    child.job_id,
                    self.time_limit,
                )
                _kill(child)
                self._died(child, events)

    def _settle(self, job_id: str, exitcode: int | None, *, timed_out: bool) -> None:
        """The job of a process that is gone: decide its state now, so nobody waits for its
        lease to expire."""
        with self.database.transaction() as session:
            job = session.get(Job, job_id, populate_existing=True)
            if job is None or job.status in (store.SUCCEEDED, store.FAILED):
                return
            if timed_out:
                store.fail_unfinished(
                    session,
                    job_id,
                    LIMITS_TIMEOUT,
                    f"The analysis took longer than the time limit of {self.time_limit:g} s "
                    "(--time-limit); its worker was stopped.",
                )
                return
            if job.status != store.RUNNING:
                return  # sent but never claimed: it is run again
            how = _how_it_died(exitcode)
            if job.attempts < job.max_attempts:
                store.requeue_unfinished(
                    session, job_id, f"attempt {job.attempts}: its worker died ({how})"
                )
            elif exitcode == -signal.SIGKILL:
                store.fail_unfinished(
                    session,
                    job_id,
                    LIMITS_MEMORY,
                    f"Its worker was killed (SIGKILL) during each of {job.attempts} attempts, "
                    "most likely by the system for using too much memory.",
                )
            else:
                store.fail_unfinished(
                    session,
                    job_id,
                    store.JOB_ABANDONED,
                    f"Its worker crashed during each of {job.attempts} attempts ({how}).",
                )


class InspectFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Inspector:
    """One sandboxed process checking files before they are stored (``inspect_document``:
    a PDF or .docx the analyzer would accept, its page count), under the same time limit and
    memory limit as an analysis. Not thread-safe: one caller."""

    def __init__(
        self,
        settings: Settings,
        *,
        time_limit: float,
        max_memory_mb: int,
        log_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.time_limit = time_limit
        self.max_memory_mb = max_memory_mb
        self.log_path = log_path
        self._child: _Child | None = None

    def _ready_child(self) -> _Child:
        for _ in range(STARTUP_TRIES):
            if self._child is None:
                self._child = _spawn(
                    inspector_main,
                    (self.settings, self.max_memory_mb, self.log_path),
                    "payerlens-batch-inspector",
                )
            child = self._child
            if child.ready:
                return child
            if child.conn.poll(STARTUP_TIMEOUT_S):
                with contextlib.suppress(EOFError, OSError):
                    if child.conn.recv()[0] == "ready":
                        child.ready = True
                        return child
            self._discard()
        raise PoolBroken(
            "the file checker could not start; with --max-memory-mb, allow more memory"
        )

    def inspect(self, path: Path) -> tuple[int, str]:
        """(pages, media type), or ``InspectFailed`` with the extractor's code."""
        child = self._ready_child()
        child.conn.send(str(path))
        limit = self.time_limit if self.time_limit > 0 else None
        try:
            if child.conn.poll(limit):
                reply = child.conn.recv()
                if reply[0] == "ok":
                    return int(reply[1]), str(reply[2])
                if reply[1] == LIMITS_MEMORY:
                    self._discard()
                raise InspectFailed(str(reply[1]), str(reply[2]))
        except (EOFError, OSError):
            child.process.join(5)
            exitcode = child.process.exitcode
            self._discard()
            if exitcode == -signal.SIGKILL:
                raise InspectFailed(
                    LIMITS_MEMORY, "Reading the file was killed, most likely for its memory use."
                ) from None
            raise InspectFailed(
                "input.corrupt", f"Reading the file crashed its reader ({_how_it_died(exitcode)})."
            ) from None
        self._discard()
        raise InspectFailed(
            LIMITS_TIMEOUT,
            f"Checking the file took longer than the time limit of {self.time_limit:g} s.",
        )

    def _discard(self) -> None:
        if self._child is not None:
            _kill(self._child)
            with contextlib.suppress(OSError):
                self._child.conn.close()
            self._child = None

    def close(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        with contextlib.suppress(OSError, ValueError):
            child.conn.send(None)
        child.process.join(2)
        if child.process.is_alive():
            _kill(child)
