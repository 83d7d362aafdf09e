"""Document work the API does itself — checking an upload (PDF or Word .docx), reading a stored
document's text — runs in a small pool of child processes, never in the server's own threads.

Two reasons. PDFium is not thread-safe (not even across documents), and with the in-process
runner an analysis runs PDFium in a thread of this very process; a request thread calling it at
the same time could crash or corrupt both. And uploads are untrusted bytes: a PDF that crashes
or hangs PDFium takes down a child, not the server (the pool is rebuilt and the upload refused
as ``upload.corrupt``).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from service.ingest import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE

log = logging.getLogger(__name__)


class PdfProblem(Exception):
    """The extractor's verdict on a file (``input.encrypted``, ``limits.too_many_pages``, …),
    or ``sandbox.crashed`` / ``sandbox.timeout`` when the child died or took too long."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message


# ---- run in the child ------------------------------------------------------------------


def _inspect(path: str, max_pages: int, max_bytes: int) -> tuple[str, Any, str]:
    """("ok", (pages, media type), "") for a PDF or Word .docx the analyzer would read (the
    reader chosen by content, as the analyzer chooses it), else ("error", code, message) with
    the extractor's code."""
    from extractor.docx_reader import wants_docx_reader
    from extractor.errors import PayerlensError
    from extractor.ocr import OcrSettings
    from extractor.pdf_reader import ReaderSettings, inspect_document

    settings = ReaderSettings(
        max_pages=max_pages, max_bytes=max_bytes, ocr=OcrSettings(enabled=False)
    )
    try:
        pages = inspect_document(Path(path), settings)
    except PayerlensError as exc:
        return "error", exc.code, exc.message
    media = DOCX_MEDIA_TYPE if wants_docx_reader(Path(path)) else PDF_MEDIA_TYPE
    return "ok", (pages, media), ""


def _page_texts(path: str, offset: int, limit: int) -> tuple[int, list[tuple[int, str | None]]]:
    """(page count, [(page, text)]) for ``limit`` pages from ``offset``: a PDF's text layer
    line by line (None for a page without one), a .docx's paragraphs on the page its page
    breaks put them."""
    from extractor.docx_reader import read_docx, wants_docx_reader
    from extractor.ocr import OcrSettings
    from extractor.pdf_reader import ReaderSettings, read_pdf

    settings = ReaderSettings(
        extract_tables=False, whitespace_tables=False, ocr=OcrSettings(enabled=False)
    )
    pages: list[tuple[int, str | None]]
    if wants_docx_reader(Path(path)):
        document = read_docx(Path(path), settings).document
        texts: dict[int, list[str]] = {p.number: [] for p in document.pages}
        for block in document.blocks:
            page = block.provenance[0].page if block.provenance else 1
            texts.setdefault(page, []).append(block.text)
        pages = [(n, "\n\n".join(parts)) for n, parts in sorted(texts.items())]
    else:
        read = read_pdf(Path(path), settings)
        pages = [
            (
                raw.info.number,
                "\n".join(line.text for line in raw.lines) if raw.info.has_text_layer else None,
            )
            for raw in read.pages
        ]
    return len(pages), pages[offset : offset + limit]


def _warm() -> bool:
    import extractor.pdf_reader  # noqa: F401

    return True


# ---- the parent's side -----------------------------------------------------------------------


class PdfSandbox:
    def __init__(self, workers: int = 1, timeout_s: float = 60.0) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the children and import the reader in them (about a second), so the first
        upload does not wait for it."""
        self._executor().submit(_warm)

    def stop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def inspect(self, path: Path, *, max_pages: int, max_bytes: int) -> tuple[int, str]:
        """(pages, media type) of an acceptable PDF or Word .docx; ``PdfProblem`` with the
        extractor's code otherwise."""
        status, value, message = self._run(_inspect, str(path), max_pages, max_bytes)
        if status != "ok":
            raise PdfProblem(value, message)
        pages, media = value
        return int(pages), str(media)

    def page_texts(
        self, path: Path, *, offset: int, limit: int
    ) -> tuple[int, list[tuple[int, str | None]]]:
        """(page count, [(page number, text or None)]) for ``limit`` pages from ``offset``."""
        total, pages = self._run(_page_texts, str(path), offset, limit)
        return int(total), list(pages)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pool

    def _run(self, fn: Any, *args: Any) -> Any:
        pool = self._executor()
        try:
            return pool.submit(fn, *args).result(timeout=self.timeout_s)
        except BrokenProcessPool:
            log.warning("PDF sandbox: a child died on %s; rebuilding the pool", fn.__name__)
            self._discard(pool, kill=False)
            raise PdfProblem("sandbox.crashed", "Reading the PDF crashed its reader.") from None
        except FutureTimeout:
            log.warning("PDF sandbox: %s took over %.0f s; killing", fn.__name__, self.timeout_s)
            self._discard(pool, kill=True)
            raise PdfProblem(
                "sandbox.timeout", f"Reading the PDF took longer than {self.timeout_s:.0f} s."
            ) from None

    def _discard(self, pool: ProcessPoolExecutor, *, kill: bool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        if kill:
            # ProcessPoolExecutor cannot cancel a running call; end its children instead.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
