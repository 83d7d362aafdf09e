"""What the workspace reads from a stored file — the checks of an upload (PDF or Word .docx),
the text of each page, a PDF page as a PNG — done in the API's PDF sandbox (child processes:
PDFium is not thread-safe, and the bytes are untrusted), and cached under the data directory
by the file's SHA-256 (a stored file never changes).

The functions prefixed ``_child_`` run in the sandbox's children.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from service.api.pdf_sandbox import PdfProblem, PdfSandbox
from service.settings import Settings

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Page images: 1.5 × 72 dpi = 108 dpi, sharp beside the text on a laptop screen.
RENDER_SCALE = 1.5
# Bump when the way page texts are read changes: cached texts of the old way are ignored.
TEXT_CACHE_VERSION = 1


# ---- run in the child ----------------------------------------------------------------------


def _child_inspect(path: str, max_pages: int, max_bytes: int) -> tuple[str, Any, str]:
    """("ok", (pages, media type), "") for a PDF or .docx the analyzer would read, else
    ("error", code, message) with the extractor's code."""
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


def _child_page_texts(path: str) -> list[tuple[int, str | None]]:
    """Every page's text: a PDF's text layer line by line (None for a page without one), a
    .docx's blocks on the page its page breaks put them."""
    from extractor.docx_reader import read_docx, wants_docx_reader
    from extractor.ocr import OcrSettings
    from extractor.pdf_reader import ReaderSettings, read_pdf

    settings = ReaderSettings(
        extract_tables=False, whitespace_tables=False, ocr=OcrSettings(enabled=False)
    )
    if wants_docx_reader(Path(path)):
        document = read_docx(Path(path), settings).document
        texts: dict[int, list[str]] = {p.number: [] for p in document.pages}
        for block in document.blocks:
            page = block.provenance[0].page if block.provenance else 1
            texts.setdefault(page, []).append(block.text)
        return [(n, "\n\n".join(parts)) for n, parts in sorted(texts.items())]
    read = read_pdf(Path(path), settings)
    return [
        (
            raw.info.number,
            "\n".join(line.text for line in raw.lines) if raw.info.has_text_layer else None,
        )
        for raw in read.pages
    ]


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


def inspect_upload(sandbox: PdfSandbox, path: Path, settings: Settings) -> tuple[int, str]:
    """(pages, media type) or raises ``PdfProblem`` with the extractor's code."""
    status, value, message = in_sandbox(
        sandbox, _child_inspect, str(path), settings.max_pages, max(1, settings.max_upload_bytes)
    )
    if status != "ok":
        raise PdfProblem(value, message)
    pages, media = value
    return int(pages), str(media)


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
        pages = in_sandbox(sandbox, _child_page_texts, str(blob))
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
