"""Scanned pages to text: Tesseract through ocrmypdf, on the pages that need it only.

ocrmypdf rasterises each chosen page, straightens it (``--deskew`` for a tilted scan; for a page
that reads poorly as it lies, a second run with ``--rotate-pages`` for a sideways or upside-down
one), runs Tesseract and grafts an invisible text layer with word positions onto the page. The
result is an ordinary PDF page, so the OCR'd page goes through the same reader as a digital one.
Other pages pass through untouched.

ocrmypdf runs as a subprocess (the Debian package brings its own Python and Tesseract), with
``OMP_THREAD_LIMIT=1``: Tesseract's OpenMP threads made each page about 7x slower on a 2-core
machine, so parallelism comes from ocrmypdf's one-process-per-page ``--jobs`` instead.
The word confidences come from the hOCR files ocrmypdf keeps with ``-k``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from extractor import errors
from extractor.model import Problem

# Exit codes of ocrmypdf worth a specific message (ocrmypdf's ExitCode enum).
_EXIT_MESSAGES = {
    2: "ocrmypdf rejected its arguments",
    6: "a page already has text",
    8: "the PDF is encrypted",
    10: "a program OCR needs (Tesseract or Ghostscript) is missing",
    15: "ocrmypdf failed",
}
WORD_CONFIDENCE = re.compile(rb"x_wconf (\d+)")
LINE_BOX = re.compile(
    rb"class='ocr_(?:line|header|caption|textfloat)'[^>]*?title=\"bbox (\d+) (\d+) (\d+) (\d+)"
)
HOCR_PAGE = re.compile(r"^(\d{6})_ocr_hocr\.hocr$")


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    language: str = "eng"
    # Pages OCR'd at once, one single-threaded Tesseract each.
    jobs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    # Tesseract's own limit per page, and ours for the whole ocrmypdf run per page OCR'd.
    page_timeout_s: float = 120.0
    # ocrmypdf's orientation confidence needed to turn a page; its default (14) left
    # sideways scans of dense contract text unturned in our trials.
    rotate_threshold: float = 7.0
    # Read a poorly read page again with orientation detection (see ``ocr_pages``).
    rotate_pages: bool = True
    # Below this mean word confidence (0-100) a page is reported as poorly read.
    low_confidence: float = 60.0

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.page_timeout_s <= 0:
            raise ValueError("OCR jobs and timeout must be positive")


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes | None  # the document with text layers on the OCR'd pages; None if OCR failed
    confidence: dict[int, float]  # page number -> mean word confidence (0-100)
    problems: tuple[Problem, ...] = ()


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None and shutil.which("tesseract") is not None


def ocr_pages(
    data: bytes,
    pages: Sequence[int],
    settings: OcrSettings,
    labels: Sequence[int] | None = None,
) -> OcrResult:
    """OCR the 1-based ``pages`` of the PDF ``data``; never raises for a failed OCR run.
    ``labels`` are the page numbers to report (and key confidences by) in place of ``pages``,
    for a PDF made of some pages of a larger document.

    Pages are read as they lie first. Only a page that reads poorly (mean word confidence
    under ``low_confidence``: an upside-down scan reads as noise) or as vertical lines (a
    sideways scan) is read again with Tesseract's orientation detection, and the better of
    its two readings is kept: detecting the orientation of every page cost about a fifth of
    the OCR time, for the few scans fed in turned."""
    names = dict(zip(pages, labels, strict=True)) if labels is not None else {p: p for p in pages}
    if not pages:
        return OcrResult(data, {})
    if not ocr_available():
        return OcrResult(
            None,
            {},
            (
                Problem(
                    errors.OCR_UNAVAILABLE,
                    "Scanned pages were found but OCR is not installed "
                    "(install the Debian packages ocrmypdf and tesseract-ocr-eng).",
                    stage="ocr",
                ),
            ),
        )
    first = _run_ocrmypdf(data, pages, settings, rotate=False)
    if first.pdf is None:
        return _failed(list(names.values()), first.error)
    pdf, confidence = first.pdf, dict(first.confidence)
    doubtful = sorted(
        p
        for p in set(pages)
        if p in first.sideways or confidence.get(p, 0.0) < settings.low_confidence
    )
    if doubtful and settings.rotate_pages:
        turned = _run_ocrmypdf(
            pages_pdf(data, doubtful), range(1, len(doubtful) + 1), settings, rotate=True
        )
        if turned.pdf is not None:  # otherwise the first reading stands
            better = {
                page: index
                for index, page in enumerate(doubtful, start=1)
                if _better(turned, index, first, page)
            }
            if better:
                pdf = _replace_pages(pdf, turned.pdf, better)
                confidence.update({page: turned.confidence[i] for page, i in better.items()})
    confidence = {names.get(n, n): c for n, c in confidence.items()}
    problems = tuple(
        Problem(
            errors.OCR_LOW_CONFIDENCE,
            f"Page {page} was OCR'd with low confidence ({score:.0f}/100); "
            "check its text and rates against the scan.",
            page=page,
            stage="ocr",
        )
        for page, score in sorted(confidence.items())
        if score < settings.low_confidence
    )
    return OcrResult(pdf, confidence, problems)


def _better(turned: _Run, index: int, first: _Run, page: int) -> bool:
    """Whether page ``index`` of the run with orientation detection reads better than page
    ``page`` of the first run: upright where the first was sideways, else more confident;
    never a reading without words."""
    if index not in turned.confidence:
        return False
    if (page in first.sideways) != (index in turned.sideways):
        return page in first.sideways
    return turned.confidence[index] > first.confidence.get(page, 0.0)


@dataclass(frozen=True)
class _Run:
    pdf: bytes | None  # None when the run failed, with the reason in ``error``
    confidence: dict[int, float]  # page of the input PDF -> mean word confidence
    sideways: frozenset[int] = frozenset()  # pages read as vertical lines
    error: str = ""


def _run_ocrmypdf(
    data: bytes, pages: Sequence[int], settings: OcrSettings, *, rotate: bool
) -> _Run:
    with tempfile.TemporaryDirectory(prefix="payerlens-ocr-") as tmp:
        work = Path(tmp)
        source, target = work / "in.pdf", work / "out.pdf"
        source.write_bytes(data)
        # ocrmypdf makes its working folder under TMPDIR; keeping it (-k) keeps the hOCR.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1", "TMPDIR": str(work)}
        turn = ["--rotate-pages", "--rotate-pages-threshold", str(settings.rotate_threshold)]
        command = [
            "ocrmypdf",
            "--pages", _page_spec(pages),
            "--force-ocr",  # a "scanned" page may carry a stray stamp of text
            *(turn if rotate else []),
            "--deskew",
            "--pdf-renderer", "hocr",
            "--keep-temporary-files",
            "--language", settings.language,
            "--output-type", "pdf",
            "--optimize", "0",
            "--jobs", str(settings.jobs),
            "--tesseract-timeout", str(int(settings.page_timeout_s)),
            "--quiet",
            str(source), str(target),
        ]  # fmt: skip
        timeout = settings.page_timeout_s * (1 + len(pages) / settings.jobs) + 30
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return _Run(None, {}, error=f"OCR took longer than {timeout:.0f} s")
        except OSError as exc:
            return _Run(None, {}, error=f"ocrmypdf could not be started ({exc.strerror})")
        if done.returncode != 0 or not target.exists():
            reason = _EXIT_MESSAGES.get(done.returncode, f"ocrmypdf exited {done.returncode}")
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            return _Run(None, {}, error=reason + (f": {tail[0]}" if tail else ""))
        confidence, sideways = _hocr_pages(work)
        return _Run(target.read_bytes(), confidence, frozenset(sideways))


def pages_pdf(data: bytes, numbers: Sequence[int]) -> bytes:
    """A new PDF holding the given 1-based pages of ``data``, in order."""
    source = pdfium.PdfDocument(data)
    target = pdfium.PdfDocument.new()
    try:
        target.import_pages(source, [n - 1 for n in numbers])
        return _saved(target)
    finally:
        target.close()
        source.close()


def _replace_pages(base: bytes, other: bytes, taken: dict[int, int]) -> bytes:
    """``base`` with its page ``p`` replaced by page ``taken[p]`` of ``other`` (1-based)."""
    first, second = pdfium.PdfDocument(base), pdfium.PdfDocument(other)
    target = pdfium.PdfDocument.new()
    try:
        for number in range(1, len(first) + 1):
            if number in taken:
                target.import_pages(second, [taken[number] - 1])
            else:
                target.import_pages(first, [number - 1])
        return _saved(target)
    finally:
        for doc in (target, second, first):
            doc.close()


def _saved(document: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _failed(pages: Sequence[int], reason: str) -> OcrResult:
    listed = ", ".join(str(p) for p in pages)
    return OcrResult(
        None,
        {},
        (Problem(errors.OCR_FAILED, f"OCR of page(s) {listed} failed: {reason}.", stage="ocr"),),
    )


def _page_spec(pages: Sequence[int]) -> str:
    return ",".join(str(p) for p in sorted(set(pages)))


def _hocr_pages(work: Path) -> tuple[dict[int, float], set[int]]:
    """From the hOCR ocrmypdf kept: the mean Tesseract word confidence per page, and the pages
    read mostly as vertical lines. Tesseract reads a sideways scan's lines as vertical text,
    often with high confidence, so the confidence alone does not tell that the page lies on its
    side: the shape of its lines does."""
    scores: dict[int, float] = {}
    sideways: set[int] = set()
    for hocr in work.glob("ocrmypdf.io.*/*_ocr_hocr.hocr"):
        match = HOCR_PAGE.match(hocr.name)
        if not match:
            continue
        page, text = int(match.group(1)), hocr.read_bytes()
        words = [int(v) for v in WORD_CONFIDENCE.findall(text)]
        if words:  # a page where Tesseract found no word is reported as having no text
            scores[page] = sum(words) / len(words)
        upright = vertical = 0
        for x0, y0, x1, y1 in LINE_BOX.findall(text):
            width, height = int(x1) - int(x0), int(y1) - int(y0)
            if height > width:
                vertical += height
            else:
                upright += width
        if vertical > upright:
            sideways.add(page)
    return scores, sideways
