"""What the workspace reads from a stored file — the text of each page (PDF or Word .docx), a
PDF page as a PNG — done in the API's PDF sandbox (child processes: PDFium is not thread-safe,
and the bytes are untrusted), and cached under the data directory by the file's SHA-256 (a
stored file never changes).

The functions prefixed ``_child_`` run in the sandbox's children.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from service.api.pdf_sandbox import DOCX_MEDIA_TYPE as DOCX_MEDIA_TYPE  # re-exported
from service.api.pdf_sandbox import PdfProblem, PdfSandbox
from service.settings import Settings

# Page images: 1.5 × 72 dpi = 108 dpi, sharp beside the text on a laptop screen.
RENDER_SCALE = 1.5
# Bump when the way page texts are read changes: cached texts of the old way are ignored.
TEXT_CACHE_VERSION = 1


# ---- run in the child ----------------------------------------------------------------------


def _child_render(path: str, page: int, scale: float) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"no page {page}")
        pdf_page = pdf[page - 1]
        try:
            bitmap = pdf_page.render(scale=scale)
            # 64 colours: a third of the bytes of true colour, no visible loss on print.
            image = bitmap.to_pil().quantize(colors=64)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            return out.getvalue()
        finally:
            pdf_page.close()
    finally:
        pdf.close()


# ---- the parent's side -------------------------------------------------------------------


def in_sandbox(sandbox: PdfSandbox, fn: Any, *args: Any) -> Any:
    """Run ``fn(*args)`` in the sandbox's pool with its timeout and crash handling
    (``PdfProblem`` ``sandbox.crashed`` / ``sandbox.timeout``)."""
    return sandbox._run(fn, *args)


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "web-cache"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def page_texts(
    sandbox: PdfSandbox, settings: Settings, blob: Path, sha256: str
) -> dict[int, str | None]:
    """{page number: text or None}, from the cache or read once in the sandbox."""
    cached = cache_dir(settings) / "text" / f"{sha256}.v{TEXT_CACHE_VERSION}.json"
    if cached.is_file():
        with contextlib.suppress(OSError, ValueError):
            return {int(n): t for n, t in json.loads(cached.read_text(encoding="utf-8"))}
    try:
        _, pages = sandbox.page_texts(blob, offset=0, limit=sys.maxsize)
    except PdfProblem:
        raise
    except Exception as exc:  # the extractor refused the stored file (it passed its upload check)
        raise PdfProblem("document.unreadable", str(exc) or "The file cannot be read.") from exc
    _write_atomically(cached, json.dumps(pages).encode("utf-8"))
    return {int(n): t for n, t in pages}


def page_png(sandbox: PdfSandbox, settings: Settings, blob: Path, sha256: str, page: int) -> bytes:
    """Page ``page`` of a stored PDF as a PNG, from the cache or rendered once."""
    cached = cache_dir(settings) / "pages" / sha256 / f"{page}@{RENDER_SCALE:g}.png"
    if cached.is_file():
        with contextlib.suppress(OSError):
            return cached.read_bytes()
    try:
        data: bytes = in_sandbox(sandbox, _child_render, str(blob), page, RENDER_SCALE)
    except PdfProblem:
        raise
    except Exception as exc:  # no such page, or PDFium refused the file
        raise PdfProblem("page.unavailable", f"Page {page} cannot be shown.") from exc
    _write_atomically(cached, data)
    return data
