"""``payerlens batch SOURCE``: every PDF and Word draft of a folder or zip archive stored and
analysed into the service's database, unattended and resumable (``run_batch``).

**Items.** A batch is one row per organisation and source (the resolved path), so running the
same command again resumes it; each file of the source is a ``BatchItem`` by its relative path.
For each file, in a thread of its own (the *ingest* thread), in path order:

1. stream it into the spool (at most ``max_upload_bytes``), hashing it (SHA-256);
2. if the organisation has that document already: its latest analysis succeeded → the item is
   ``skipped``; it is queued or running (a batch killed earlier, or an upload) → the item waits
   for that job; it failed → the item is ``failed`` with that job's code, unless
   ``retry_failed``, which queues a new job;
3. otherwise check the file in a sandboxed process (``pool.Inspector``: the extractor's
   ``inspect_document``, as an upload is checked): a file the analyzer would refuse is a
   ``failed`` item with the extractor's code (``input.not_pdf``, ``input.encrypted``,
   ``input.truncated``, ``limits.too_many_pages``, ...) and nothing else is stored, as the API
   refuses such an upload;
4. else store it exactly as an upload is stored (``service.ingest.store_document``: the blob,
   ``StoredFile``, ``Document``, a queued ``Job``, the audit record) and mark the item
   ``queued``, **in one transaction per file**, so a kill loses at most the file in flight and
   never leaves a document without its job or an item without its document.

The main thread runs the jobs and turns each finished job into its items' final status
(``succeeded``/``failed`` with the job's code, and from the stored result's ``source``: pages,
OCR'd pages, OCR confidence, seconds).

**Running the jobs.** Locally (the default), ``workers`` processes of a ``pool.WorkerPool``
(one analyzer each, loaded once) run ``service.jobs.work.run_job``, with a per-file time limit
(``limits.timeout``) and memory limit (``limits.memory``). With ``queue`` (a Redis URL), the
jobs are published for the Celery workers of the service (``payerlens worker`` on any machine
sharing the database and the data directory) and this process only waits, watching the job
rows; the time limit then fails a job that runs too long (its worker's result is dropped when
it ends), the memory limit is the workers' own affair.

**Resuming.** Every state is in the database: a rerun skips items that are done (a file whose
size is unchanged is not read again), takes up jobs left queued, and takes over jobs left
running by a killed batch once their lease (at most ``BATCH_LEASE_SECONDS``) runs out.
``retry_failed`` retries failed items. One batch process per source at a time
(``batch.busy``; a lock file under the data directory).
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import itertools
import logging
import os
import queue
import re
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from extractor.ocr import OcrSettings
from service import accounts
from service.batch.pool import (
    AnalyzerFactoryRef,
    InspectFailed,
    Inspector,
    PoolBroken,
    WorkerPool,
)
from service.batch.sources import Entry, EntryError, Source, SourceRefused, ZipLimits, open_source
from service.batch.summary import build_summary
from service.ingest import find_document, latest_job, store_document
from service.jobs import store
from service.settings import Settings
from service.storage.blobs import BlobStore, Spooled, TooLarge
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    Batch,
    BatchItem,
    BatchStatus,
    Job,
    Organisation,
    utcnow,
)

log = logging.getLogger(__name__)

PENDING, SKIPPED, QUEUED, SUCCEEDED, FAILED = "pending", "skipped", "queued", "succeeded", "failed"
DEFAULT_ORG = "default"
DEFAULT_TIME_LIMIT = 900.0
DEFAULT_MAX_MEMORY_MB = 3072
# The lease of a job run by the local pool: a killed batch's jobs are taken over this soon.
BATCH_LEASE_SECONDS = 10.0
# Below this mean OCR word confidence (0-100) a file is listed as poorly read.
LOW_OCR_CONFIDENCE = OcrSettings().low_confidence
MAX_ITEM_PATH = 1000  # BatchItem.path
POLL_SECONDS = 0.2
REFRESH_SECONDS = 1.0
# Queue mode: say so when no job has moved for this long.
QUIET_WARNING_SECONDS = 120.0
EXIT_OK, EXIT_SUMMARY_FAILED, EXIT_INTERRUPTED = 0, 1, 130

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class BatchRefused(Exception):
    """The batch cannot start (exit code 2): a refused source (``source.*``), a usage error
    (``usage.*``), another batch on the same source (``batch.busy``), an unreachable queue
    (``queue.unreachable``). Nothing was stored."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ItemOutcome:
    path: str
    status: str
    code: str | None = None
    message: str | None = None
    pages: int | None = None
    ocr_pages: int | None = None
    ocr_confidence: float | None = None
    seconds: float | None = None


@dataclass
class BatchReport:
    batch_id: str
    source: str
    org: str
    exit_code: int
    total: int
    counts: dict[str, int]  # items of the source by status, after this run
    done_before: int  # items already done when this run started (not touched)
    processed: int  # items that reached a final status in this run
    pages: int  # pages of the stored analyses (succeeded and skipped items)
    ocr_pages: int
    low_confidence: list[tuple[str, float | None]]  # path, mean OCR confidence
    failures: list[tuple[str, str | None, str | None]]
    seconds: float
    log_path: Path
    summary_paths: tuple[Path, Path] | None = None
    interrupted: bool = False


@dataclass(frozen=True)
class _Known:
    """An item as it stood when this run started."""

    status: str
    size: int | None
    job_id: str | None


@dataclass(frozen=True)
class _Final:
    outcome: ItemOutcome


@dataclass(frozen=True)
class _Watch:
    job_id: str
    path: str


@dataclass(frozen=True)
class _IngestDone:
    error: BaseException | None = None


_Event = _Final | _Watch | _IngestDone
Record = Callable[[ItemOutcome], None]


# ---- helpers -------------------------------------------------------------------------------


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def document_filename(path: str) -> str:
    """The file's own name (no folders), without control characters, at most 200 characters
    (as an upload's name is kept)."""
    name = _UNSAFE.sub("", PurePosixPath(path).name).strip()
    return name[:200] or "document.pdf"


def item_path(path: str) -> str:
    """The item's key: the path, or for one longer than the column (1000), its start and a
    digest of the whole."""
    if len(path) <= MAX_ITEM_PATH:
        return path
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return path[: MAX_ITEM_PATH - 17] + "#" + digest


def _looks_like_document(head: bytes, path: str) -> bool:
    """What the analyzer would try to read: a PDF header in the first KiB, a ZIP or OLE
    package (a .docx, or something it reports), or a name it reads as Word."""
    return (
        _PDF_MAGIC in head[:1024]
        or head.startswith(_ZIP_MAGIC)
        or head.startswith(_OLE_MAGIC)
        or PurePosixPath(path).suffix.lower() in _DOCX_SUFFIXES
    )


def _human(o: ItemOutcome) -> str:
    """A status line for the terminal."""
    parts = [f"{o.status:<9}", o.path]
    if o.code:
        parts.append(o.code)
    if o.pages is not None:
        parts.append(f"{o.pages} pages" + (f", {o.ocr_pages} OCR'd" if o.ocr_pages else ""))
    if o.seconds is not None:
        parts.append(f"{o.seconds:.1f} s")
    return "  ".join(parts)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _clip(message: str, limit: int = store.MAX_ERROR_CHARS) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


class _NotADocument(Exception):
    pass


class BatchLog:
    """``batches/<batch_id>.log``: one tab-separated line per file as it reaches its final
    status (time, status, code, pages, OCR'd pages, seconds, path), and ``#`` notes. A line is
    written just before the final status is committed, so every finished file has its line
    even when the batch is killed (at worst twice, when killed in between: the last counts).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = path.open("a", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()

    def item(self, o: ItemOutcome) -> str:
        seconds = f"{o.seconds:.1f}" if o.seconds is not None else "-"
        line = "\t".join(
            (
                _now_text(),
                o.status,
                o.code or "-",
                "-" if o.pages is None else str(o.pages),
                "-" if o.ocr_pages is None else str(o.ocr_pages),
                seconds,
                o.path,
            )
        )
        with self._lock:
            self._fh.write(line + "\n")
        return line

    def note(self, text: str) -> None:
        with self._lock:
            self._fh.write(f"{_now_text()}\t# {text}\n")

    def close(self) -> None:
        self._fh.close()


class BatchLock:
    """An exclusive lock file per batch (released by the kernel however the process ends)."""

    def __init__(self, path: Path) -> None:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise BatchRefused(
                "batch.busy",
                "Another `payerlens batch` is running on this source; wait for it, or stop it "
                "(the next run resumes where it stopped).",
            ) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def resolve_org(session: Session, org: str | None) -> Organisation:
    """``org`` by name or id. Without ``org``: the organisation named ``default``, created
    when the database has no organisation at all (a fresh single-user install); a database
    with other organisations needs ``--org``."""
    if org:
        found = accounts.find_org(session, org)
        if found is None:
            raise BatchRefused(
                "usage.org_not_found",
                f"No organisation {org!r}; create it with `payerlens admin create-org`.",
            )
        return found
    default = session.exec(select(Organisation).where(Organisation.name == DEFAULT_ORG)).first()
    if default is not None:
        return default
    if session.exec(select(Organisation.id)).first() is None:
        return accounts.create_org(session, DEFAULT_ORG)
    raise BatchRefused(
        "usage.org_required",
        "This database has organisations; say which one the files belong to with --org.",
    )


# ---- ingesting: the thread that stores files -----------------------------------------------


class _Ingest(threading.Thread):
    def __init__(self, run: _BatchRun, entries: list[Entry], known: dict[str, _Known]) -> None:
        super().__init__(name="payerlens-batch-ingest", daemon=True)
        self.run_ = run
        self.entries = entries
        self.known = known
        self.stop = threading.Event()

    def run(self) -> None:
        r = self.run_
        try:
            for entry in self.entries:
                known = self.known.get(item_path(entry.path))
                if known is not None and r.is_done(known, entry):
                    continue
                while not r.slots.acquire(timeout=0.5):
                    if self.stop.is_set():
                        return
                if self.stop.is_set():
                    return
                event = r.ingest(entry, known)
                if isinstance(event, _Final):
                    r.slots.release()
                r.events.put(event)
            r.events.put(_IngestDone())
        except BaseException as exc:
            r.events.put(_IngestDone(exc))


class _BatchRun:
    """One run of one batch: the ingest side (``ingest``, in the ingest thread) and the
    tracking side (``loop``, in the calling thread)."""

    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        batch_id: str,
        org_id: str,
        source: Source,
        workers: int,
        queue_url: str | None,
        retry_failed: bool,
        time_limit: float,
        max_memory_mb: int,
        log: BatchLog,
        worker_log: Path,
        factory_ref: AnalyzerFactoryRef,
        verbose: bool,
        progress_console: Console,
    ) -> None:
        self.settings = settings
        self.database = database
        self.batch_id = batch_id
        self.org_id = org_id
        self.source = source
        self.workers = workers
        self.queue_url = queue_url
        self.retry_failed = retry_failed
        self.time_limit = time_limit
        self.max_memory_mb = max_memory_mb
        self.log = log
        self.worker_log = worker_log
        self.factory_ref = factory_ref
        self.verbose = verbose
        self.progress_console = progress_console
        self.blobs = BlobStore(settings.blob_dir, settings.upload_dir)
        self.inspector = Inspector(
            settings, time_limit=time_limit, max_memory_mb=max_memory_mb, log_path=worker_log
        )
        self.events: queue.Queue[_Event] = queue.Queue()
        limit = 2 * workers + 2 if queue_url is None else 10_000
        self.slots = threading.Semaphore(limit)
        # tracking (calling thread only)
        self.watched: set[str] = set()
        self.ready: deque[str] = deque()
        self.retry_at: list[tuple[float, str]] = []
        self.waiting: set[str] = set()  # held elsewhere: look again every REFRESH_SECONDS
        self.outcomes: list[ItemOutcome] = []
        self.pages_done = 0
        self.last_change = time.monotonic()

    # -- what is done

    def is_done(self, known: _Known, entry: Entry) -> bool:
        if known.size is not None and known.size != entry.size:
            return False  # the file changed: read it again
        if known.status in (SUCCEEDED, SKIPPED):
            return True
        return known.status == FAILED and not self.retry_failed

    # -- ingest thread

    def ingest(self, entry: Entry, known: _Known | None) -> _Final | _Watch:
        if known is not None and known.status == QUEUED and known.job_id:
            with self.database.session() as session:
                job = session.get(Job, known.job_id)
            if job is not None and not (job.status == store.FAILED and self.retry_failed):
                return _Watch(job.id, entry.path)
        started = time.monotonic()
        try:
            spooled = self._spool(entry)
        except TooLarge:
            return self._final(
                entry,
                FAILED,
                "limits.too_many_bytes",
                f"The file is larger than the limit of {self.settings.max_upload_bytes:,} bytes.",
                started,
            )
        except EntryError as exc:
            return self._final(entry, FAILED, exc.code, exc.message, started)
        except _NotADocument:
            return self._final(
                entry,
                FAILED,
                "input.not_pdf",
                "The file is not a PDF (no %PDF header) nor a Word .docx document; payerlens "
                "reads PDF and DOCX files.",
                started,
                size=entry.size,
            )
        try:
            return self._store(entry, spooled, started)
        finally:
            self.blobs.discard(spooled)  # a no-op once kept

    def _spool(self, entry: Entry) -> Spooled:
        chunks = entry.chunks()
        first = next(chunks, b"")
        if first and not _looks_like_document(first[:1024], entry.path):
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            raise _NotADocument
        return self.blobs.spool(
            itertools.chain([first], chunks), max(0, self.settings.max_upload_bytes)
        )

    def _store(self, entry: Entry, spooled: Spooled, started: float) -> _Final | _Watch:
        sha = spooled.sha256
        if spooled.size == 0:
            return self._final(entry, FAILED, "input.empty", "The file is empty.", started, size=0)
        with self.database.session() as session:
            document = find_document(session, self.org_id, sha)
            job = latest_job(session, document.id) if document else None
        if document is not None and job is not None:
            if job.status == store.SUCCEEDED:
                source = self._run_source(job)
                return self._final(
                    entry,
                    SKIPPED,
                    None,
                    "Already stored: the organisation has this document and its analysis.",
                    started,
                    pages=source.get("pages", document.pages),
                    ocr_pages=len(source.get("ocr_pages") or []),
                    ocr_confidence=source.get("ocr_confidence"),
                    sha256=sha,
                    size=spooled.size,
                    document_id=document.id,
                    job_id=job.id,
                )
            if job.status == store.FAILED and not self.retry_failed:
                return self._final(
                    entry,
                    FAILED,
                    job.error_code or store.JOB_FAILED,
                    job.error_message,
                    started,
                    pages=document.pages,
                    sha256=sha,
                    size=spooled.size,
                    document_id=document.id,
                    job_id=job.id,
                )
            if job.status in (store.QUEUED, store.RUNNING):
                self._link(entry, job.id, document.id, sha, spooled.size, document.pages)
                return _Watch(job.id, entry.path)
        if document is None:
            try:
                pages, media_type = self.inspector.inspect(spooled.path)
            except InspectFailed as exc:
                return self._final(
                    entry, FAILED, exc.code, exc.message, started, sha256=sha, size=spooled.size
                )
        else:
            pages, media_type = document.pages or 0, document.media_type
        self.blobs.keep(spooled)
        for attempt in (1, 2):
            try:
                with self.database.transaction() as session:
                    stored = store_document(
                        session,
                        sha256=sha,
                        size=spooled.size,
                        pages=pages,
                        filename=document_filename(entry.path),
                        org_id=self.org_id,
                        user_id=None,
                        target_contract_id=None,
                        max_attempts=self.settings.job_max_attempts,
                        media_type=media_type,
                        batch_id=self.batch_id,
                        batch_path=entry.path,
                    )
                    item = self._item(session, entry.path)
                    item.status = QUEUED
                    item.sha256, item.size, item.pages = sha, spooled.size, pages
                    item.document_id, item.job_id = stored.document.id, stored.job.id
                    item.error_code = item.error_message = None
                    item.ocr_pages = item.ocr_confidence = item.seconds = None
                    item.updated_at = utcnow()
                    session.add(item)
                return _Watch(stored.job.id, entry.path)
            except IntegrityError:  # the same bytes stored at this moment by an upload
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _run_source(self, job: Job) -> dict[str, Any]:
        if not job.run_id:
            return {}
        with self.database.session() as session:
            run = session.get(AnalysisRun, job.run_id)
            return dict(run.result.get("source") or {}) if run else {}

    def _item(self, session: Session, path: str) -> BatchItem:
        key = item_path(path)
        item = session.exec(
            select(BatchItem).where(BatchItem.batch_id == self.batch_id, BatchItem.path == key)
        ).first()
        if item is None:
            item = BatchItem(batch_id=self.batch_id, org_id=self.org_id, path=key)
        return item

    def _link(
        self, entry: Entry, job_id: str, document_id: str, sha: str, size: int, pages: int | None
    ) -> None:
        with self.database.transaction() as session:
            item = self._item(session, entry.path)
            item.status, item.job_id, item.document_id = QUEUED, job_id, document_id
            item.sha256, item.size, item.pages = sha, size, pages
            item.error_code = item.error_message = None
            item.updated_at = utcnow()
            session.add(item)

    def _final(
        self,
        entry: Entry,
        status: str,
        code: str | None,
        message: str | None,
        started: float,
        *,
        pages: int | None = None,
        ocr_pages: int | None = None,
        ocr_confidence: float | None = None,
        sha256: str | None = None,
        size: int | None = None,
        document_id: str | None = None,
        job_id: str | None = None,
    ) -> _Final:
        seconds = time.monotonic() - started
        outcome = ItemOutcome(
            entry.path, status, code, message, pages, ocr_pages, ocr_confidence, seconds
        )
        with self.database.transaction() as session:
            item = self._item(session, entry.path)
            item.status, item.error_code = status, code
            item.error_message = _clip(message) if message else None
            item.pages, item.ocr_pages, item.ocr_confidence = pages, ocr_pages, ocr_confidence
            item.sha256, item.size = sha256, size if size is not None else entry.size
            item.document_id, item.job_id, item.seconds = document_id, job_id, seconds
            item.updated_at = utcnow()
            session.add(item)
            session.flush()
            self.log.item(outcome)  # before the commit: see BatchLog
        return _Final(outcome)

    # -- tracking (calling thread)

    def finalize(self, job: Job) -> list[ItemOutcome]:
        """Give the items waiting for the finished ``job`` their final status."""
        outcomes: list[ItemOutcome] = []
        with self.database.transaction() as session:
            items = session.exec(
                select(BatchItem).where(
                    BatchItem.batch_id == self.batch_id,
                    BatchItem.job_id == job.id,
                    BatchItem.status == QUEUED,
                )
            ).all()
            run = session.get(AnalysisRun, job.run_id) if job.run_id else None
            source: dict[str, Any] = dict(run.result.get("source") or {}) if run else {}
            seconds = None
            if job.started_at and job.finished_at:
                seconds = max(0.0, (job.finished_at - job.started_at).total_seconds())
            for item in items:
                if job.status == store.SUCCEEDED:
                    item.status, item.error_code, item.error_message = SUCCEEDED, None, None
                    item.pages = source.get("pages", item.pages)
                    item.ocr_pages = len(source.get("ocr_pages") or [])
                    item.ocr_confidence = source.get("ocr_confidence")
                else:
                    item.status = FAILED
                    item.error_code = job.error_code or store.JOB_FAILED
                    item.error_message = job.error_message
                item.seconds = seconds
                item.updated_at = utcnow()
                session.add(item)
                outcomes.append(
                    ItemOutcome(
                        item.path,
                        item.status,
                        item.error_code,
                        item.error_message,
                        item.pages,
                        item.ocr_pages,
                        item.ocr_confidence,
                        seconds,
                    )
                )
            session.flush()
            for outcome in outcomes:
                self.log.item(outcome)  # before the commit: see BatchLog
        return outcomes


# ---- the batch -----------------------------------------------------------------------------


def run_batch(
    settings: Settings,
    source: Path,
    *,
    org: str | None = None,
    workers: int = 1,
    queue: str | None = None,
    retry_failed: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    out_dir: Path | None = None,
    verbose: bool = False,
    console: Console | None = None,
    progress_console: Console | None = None,
    zip_limits: ZipLimits | None = None,
    analyzer_factory: AnalyzerFactoryRef = None,
) -> BatchReport:
    """Store and analyse every file of ``source`` (a folder or a zip) for the organisation
    ``org`` (see ``resolve_org``); see the module docstring. ``BatchRefused`` (nothing stored)
    when the batch cannot start; the report's ``exit_code`` is 0 when every file reached a
    final status (failed files included: they are listed), 1 when the summary could not be
    written after that, and 130 when stopped by SIGINT or SIGTERM (rerun to resume).
    ``time_limit`` (seconds per file) and ``max_memory_mb`` (per worker process) of 0 mean no
    limit. ``analyzer_factory`` ("module:function(settings)") replaces the analyzer the local
    workers build (tests). ``PoolBroken`` when local workers cannot start (the batch is left
    as it was: run it again)."""
    if workers < 1:
        raise BatchRefused("usage.bad_option", "--workers must be at least 1.")
    if time_limit < 0 or max_memory_mb < 0:
        raise BatchRefused(
            "usage.bad_option", "--time-limit and --max-memory-mb cannot be negative."
        )
    console = console or Console()
    progress_console = progress_console or Console(stderr=True)
    started = time.monotonic()
    try:
        src = open_source(source, zip_limits)
    except SourceRefused as exc:
        raise BatchRefused(exc.code, exc.message) from None
    except OSError as exc:
        raise BatchRefused("source.unreadable", f"{source}: {exc}") from None
    database: Database | None = None
    lock: BatchLock | None = None
    try:
        if queue:
            settings = settings.with_(runner="celery", redis_url=queue)
            _check_queue(settings)
        else:
            # The pool's jobs carry a short lease, so a killed batch's jobs are soon taken over.
            settings = settings.with_(
                job_lease_seconds=min(settings.job_lease_seconds, BATCH_LEASE_SECONDS)
            )
        entries = src.entries()
        database = Database(settings)
        options = {
            "workers": workers,
            "queue": _redact(queue) if queue else None,
            "retry_failed": retry_failed,
            "time_limit": time_limit,
            "max_memory_mb": max_memory_mb,
            "ocr": settings.ocr,
            "use_model": settings.use_model,
        }
        batch_id, org_row = _open_batch(database, str(src.location), org, options)
        batches = settings.data_dir / "batches"
        lock = BatchLock(batches / f"{batch_id}.lock")
        known = _known_items(database, batch_id)
        batch_log = BatchLog(batches / f"{batch_id}.log")
        try:
            run = _BatchRun(
                settings=settings,
                database=database,
                batch_id=batch_id,
                org_id=org_row.id,
                source=src,
                workers=workers,
                queue_url=queue,
                retry_failed=retry_failed,
                time_limit=time_limit,
                max_memory_mb=max_memory_mb,
                log=batch_log,
                worker_log=batches / f"{batch_id}.workers.log",
                factory_ref=analyzer_factory,
                verbose=verbose,
                progress_console=progress_console,
            )
            done_before = sum(
                1
                for e in entries
                if item_path(e.path) in known and run.is_done(known[item_path(e.path)], e)
            )
            batch_log.note(
                f"run started: {len(entries)} files, {done_before} done before; "
                f"{'queue ' + _redact(queue) if queue else f'{workers} local worker(s)'}"
            )
            interrupted = _execute(run, entries, known, done_before)
            if not interrupted:
                with database.transaction() as session:
                    row = session.get(Batch, batch_id)
                    if row is not None:
                        row.status = BatchStatus.FINISHED.value
                        row.finished_at = row.updated_at = utcnow()
                        session.add(row)
            batch_log.note("run interrupted" if interrupted else "run finished")
        finally:
            batch_log.close()
        report = _report(
            database,
            batch_id=batch_id,
            source=str(src.location),
            org=org_row.name,
            entries=entries,
            done_before=done_before,
            processed=len(run.outcomes),
            seconds=time.monotonic() - started,
            log_path=batch_log.path,
            interrupted=interrupted,
        )
        if not interrupted:
            try:
                report.summary_paths = _write_summary(
                    database, batch_id, out_dir or batches / batch_id
                )
            except Exception as exc:  # everything is stored; only the summary is missing
                log.exception("batch %s: the summary could not be written", batch_id)
                console.print(
                    f"[red]error[/red] batch.summary_failed: {escape(_describe(exc))}",
                    soft_wrap=True,
                )
                report.exit_code = EXIT_SUMMARY_FAILED
        print_report(report, console)
        return report
    finally:
        if lock is not None:
            lock.release()
        if database is not None:
            database.dispose()
        src.close()


def _open_batch(
    database: Database, location: str, org: str | None, options: dict[str, Any]
) -> tuple[str, Organisation]:
    for attempt in (1, 2):
        try:
            with database.transaction() as session:
                org_row = resolve_org(session, org)
                batch = session.exec(
                    select(Batch).where(Batch.org_id == org_row.id, Batch.source == location)
                ).first()
                if batch is None:
                    batch = Batch(org_id=org_row.id, source=location, options=options)
                runs = int((batch.options or {}).get("runs", 0)) + 1
                batch.options = {**options, "runs": runs}
                batch.status = BatchStatus.RUNNING.value
                batch.finished_at = None
                batch.updated_at = utcnow()
                session.add(batch)
                session.flush()
                return batch.id, org_row
        except IntegrityError:  # created at this moment by another process
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _known_items(database: Database, batch_id: str) -> dict[str, _Known]:
    with database.session() as session:
        rows = session.exec(
            select(BatchItem.path, BatchItem.status, BatchItem.size, BatchItem.job_id).where(
                BatchItem.batch_id == batch_id
            )
        ).all()
    return {path: _Known(status, size, job_id) for path, status, size, job_id in rows}


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the batch as Ctrl-C does (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _execute(
    run: _BatchRun, entries: list[Entry], known: dict[str, _Known], done_before: int
) -> bool:
    """Ingest and run everything; True when interrupted."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=run.progress_console,
    )
    ingest = _Ingest(run, entries, known)
    pool: WorkerPool | None = None
    celery: Any = None
    interrupted = False
    with _sigterm_interrupts(), progress:
        task = progress.add_task(
            "batch", total=len(entries), completed=done_before, rate="0.0 pages/s"
        )
        clock = time.monotonic()

        def record(outcome: ItemOutcome) -> None:
            run.outcomes.append(outcome)
            run.last_change = time.monotonic()
            if outcome.status == SUCCEEDED and outcome.pages:
                run.pages_done += outcome.pages
            elapsed = max(1e-6, time.monotonic() - clock)
            progress.update(task, advance=1, rate=f"{run.pages_done / elapsed:.1f} pages/s")
            if run.verbose:
                progress.console.print(escape(_human(outcome)), highlight=False)

        try:
            if run.queue_url:
                celery = _start_celery(run)
            else:
                pool = WorkerPool(
                    run.settings,
                    run.database,
                    workers=run.workers,
                    time_limit=run.time_limit,
                    max_memory_mb=run.max_memory_mb,
                    log_path=run.worker_log,
                    factory_ref=run.factory_ref,
                )
            ingest.start()
            _loop(run, pool, celery, record)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            ingest.stop.set()
            if pool is not None:
                pool.stop()
            if celery is not None:
                celery.stop()
            if ingest.is_alive():
                ingest.join(timeout=10 if interrupted else 60)
            run.inspector.close()
    return interrupted


def _check_queue(settings: Settings) -> None:
    """Refuse the batch (before storing anything) when the broker cannot be reached."""
    from service.jobs.celery_app import make_celery

    app = make_celery(settings)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:
        raise BatchRefused(
            "queue.unreachable",
            f"Cannot reach the queue at {_redact(settings.redis_url)}: {exc}",
        ) from None
    finally:
        app.close()


def _start_celery(run: _BatchRun) -> Any:
    from service.jobs.celery_app import CeleryRunner

    runner = CeleryRunner(run.settings, run.database)
    runner.start()  # recovers jobs of dead workers, as the API does on start
    return runner


def _loop(run: _BatchRun, pool: WorkerPool | None, celery: Any, record: Record) -> None:
    ingest_done = False
    next_refresh = 0.0
    warned_quiet = False
    while True:
        # what the ingest thread produced
        fresh: list[str] = []
        while True:
            try:
                event = run.events.get_nowait()
            except queue.Empty:
                break
            if isinstance(event, _IngestDone):
                if event.error is not None:
                    raise event.error
                ingest_done = True
            elif isinstance(event, _Final):
                record(event.outcome)
            elif event.job_id not in run.watched:
                run.watched.add(event.job_id)
                fresh.append(event.job_id)
            else:
                fresh.append(event.job_id)  # a second item on a job: it may be done already
        now = time.monotonic()
        if fresh:
            _refresh(run, pool, celery, fresh, record, send=True)
        while run.retry_at and run.retry_at[0][0] <= now:
            _, job_id = heapq.heappop(run.retry_at)
            if job_id in run.watched and job_id not in run.ready:
                run.ready.append(job_id)
        if now >= next_refresh:
            pending = list(run.waiting) if pool is not None else list(run.watched)
            if pending:
                _refresh(run, pool, celery, pending, record, send=False)
            next_refresh = now + REFRESH_SECONDS
        if pool is not None:
            if run.ready and not pool.started:
                pool.start()  # only once there is work: a finished batch starts no process
            while run.ready and pool.idle():
                job_id = run.ready.popleft()
                if not pool.run(job_id):
                    run.ready.appendleft(job_id)
                    break
            events = pool.poll(POLL_SECONDS)
            for job_id, delay in events.retries:
                heapq.heappush(run.retry_at, (time.monotonic() + delay, job_id))
            if events.released:
                _refresh(run, pool, celery, events.released, record, send=False)
        else:
            time.sleep(POLL_SECONDS)
            quiet = time.monotonic() - run.last_change
            if run.watched and quiet > QUIET_WARNING_SECONDS and not warned_quiet:
                warned_quiet = True
                run.progress_console.print(
                    f"[yellow]no worker has taken a job for {quiet:.0f} s: is a `payerlens worker` "
                    f"running on {escape(_redact(run.settings.redis_url))} for queue "
                    f"{escape(run.settings.queue)} (PAYERLENS_QUEUE), with this database and "
                    "data directory?[/yellow]"
                )
        if ingest_done and not run.watched:
            return


def _refresh(
    run: _BatchRun,
    pool: WorkerPool | None,
    celery: Any,
    job_ids: list[str],
    record: Record,
    *,
    send: bool,
) -> None:
    """Look at the jobs again and act: finished → items final; otherwise (local) queue them
    for the pool, or wait for whoever holds them; (queue) publish new ones, enforce the time
    limit."""
    with run.database.session() as session:
        jobs = store.jobs_by_id(session, sorted(set(job_ids)))
    in_pool = pool.running() if pool is not None else set()
    scheduled = {job_id for _, job_id in run.retry_at}
    now = utcnow()
    for job_id in dict.fromkeys(job_ids):
        job = jobs.get(job_id)
        if job is None:
            _forget(run, job_id)
            continue
        if job.status in (store.SUCCEEDED, store.FAILED):
            _done(run, job, record)
            continue
        if pool is None:
            if job.status == store.RUNNING:
                run.last_change = time.monotonic()  # a worker is on it
            if job.status == store.QUEUED and send:
                celery.submit(job_id)
            elif (
                job.status == store.RUNNING
                and run.time_limit > 0
                and job.started_at is not None
                and (now - job.started_at).total_seconds() > run.time_limit
            ):
                with run.database.transaction() as session:
                    store.fail_unfinished(
                        session,
                        job_id,
                        "limits.timeout",
                        f"The analysis took longer than the time limit of {run.time_limit:g} "
                        "s (--time-limit); its result will be dropped.",
                    )
                    failed = session.get(Job, job_id, populate_existing=True)
                if failed is not None and failed.status == store.FAILED:
                    _done(run, failed, record)
            continue
        if job_id in in_pool or job_id in scheduled or job_id in run.ready:
            continue
        if job.status == store.QUEUED:
            run.waiting.discard(job_id)
            run.ready.append(job_id)
        elif job.lease_expires_at is not None and job.lease_expires_at < now:
            # Its worker is gone (a killed batch): claim takes it over while attempts last.
            if job.attempts < job.max_attempts:
                run.waiting.discard(job_id)
                run.ready.append(job_id)
            else:
                with run.database.transaction() as session:
                    store.abandon_expired(session, job, now=now)
                run.waiting.add(job_id)
        else:
            run.waiting.add(job_id)  # a live worker holds it (an upload's job): wait


def _done(run: _BatchRun, job: Job, record: Record) -> None:
    for outcome in run.finalize(job):
        record(outcome)
        run.slots.release()
    _forget(run, job.id)


def _forget(run: _BatchRun, job_id: str) -> None:
    run.watched.discard(job_id)
    run.waiting.discard(job_id)
    with contextlib.suppress(ValueError):
        run.ready.remove(job_id)


# ---- the report ----------------------------------------------------------------------------


def _report(
    database: Database,
    *,
    batch_id: str,
    source: str,
    org: str,
    entries: list[Entry],
    done_before: int,
    processed: int,
    seconds: float,
    log_path: Path,
    interrupted: bool,
) -> BatchReport:
    with database.session() as session:
        items = {
            i.path: i
            for i in session.exec(select(BatchItem).where(BatchItem.batch_id == batch_id)).all()
        }
    paths = {item_path(e.path) for e in entries}
    relevant = [items[p] for p in sorted(paths) if p in items]
    counts = Counter(i.status for i in relevant)
    counts[PENDING] += len(entries) - len(relevant)
    stored = [i for i in relevant if i.status in (SUCCEEDED, SKIPPED)]
    with database.session() as session:  # the summary's rule: by the mean or by one page
        low = [
            (f.path, f.ocr_confidence)
            for f in build_summary(session, batch_id, date.today()).low_confidence
            if f.path in paths
        ]
    failures = [(i.path, i.error_code, i.error_message) for i in relevant if i.status == FAILED]
    return BatchReport(
        batch_id=batch_id,
        source=source,
        org=org,
        exit_code=EXIT_INTERRUPTED if interrupted else EXIT_OK,
        total=len(entries),
        counts={k: v for k, v in counts.items() if v},
        done_before=done_before,
        processed=processed,
        pages=sum(i.pages or 0 for i in stored),
        ocr_pages=sum(i.ocr_pages or 0 for i in stored),
        low_confidence=low,
        failures=failures,
        seconds=seconds,
        log_path=log_path,
        interrupted=interrupted,
    )


def _write_summary(database: Database, batch_id: str, out_dir: Path) -> tuple[Path, Path]:
    from service.batch.summary import write_summary

    csv_path, html_path = write_summary(database, batch_id, out_dir)
    return Path(csv_path), Path(html_path)


def print_report(report: BatchReport, console: Console) -> None:
    """The end-of-batch table: counts by status, pages, OCR, low confidence, failures."""
    table = Table(title=f"batch {report.batch_id}", title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    table.add_row("source", escape(report.source))
    table.add_row("organisation", escape(report.org))
    table.add_row("files", str(report.total))
    for status in (SUCCEEDED, SKIPPED, FAILED, QUEUED, PENDING):
        if report.counts.get(status):
            table.add_row(f"  {status}", str(report.counts[status]))
    table.add_row("done before this run", str(report.done_before))
    table.add_row("finished in this run", f"{report.processed} in {report.seconds:.0f} s")
    table.add_row("pages analysed", str(report.pages))
    table.add_row("pages read by OCR", str(report.ocr_pages))
    table.add_row(
        f"low OCR confidence (< {LOW_OCR_CONFIDENCE:.0f})", str(len(report.low_confidence))
    )
    table.add_row("log", escape(str(report.log_path)))
    if report.summary_paths:
        table.add_row("summary", escape(", ".join(str(p) for p in report.summary_paths)))
    console.print(table)
    if report.low_confidence:
        low = Table("file", "OCR confidence", title="low OCR confidence", title_justify="left")
        for path, confidence in report.low_confidence:
            low.add_row(escape(path), "" if confidence is None else f"{confidence:.0f}")
        console.print(low)
    if report.failures:
        failed = Table("file", "code", "reason", title="failed files", title_justify="left")
        by_code = Counter(code for _, code, _ in report.failures)
        for path, code, message in report.failures:
            failed.add_row(escape(path), code or "", escape(message or ""))
        console.print(failed)
        console.print(
            "failures by code: "
            + ", ".join(f"{code} {n}" for code, n in sorted(by_code.items(), key=str)),
            highlight=False,
        )
    if report.interrupted:
        console.print(
            "[yellow]interrupted: run the same command again to resume where it stopped[/yellow]"
        )


__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIME_LIMIT",
    "BatchRefused",
    "BatchReport",
    "ItemOutcome",
    "PoolBroken",
    "run_batch",
]
