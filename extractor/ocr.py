"""Scanned pages to text: Tesseract through ocrmypdf, on the pages that need it only.

ocrmypdf rasterises each chosen page, straightens it (``--rotate-pages`` for sideways or upside
down scans, ``--deskew`` for a tilted one), runs Tesseract and grafts an invisible text layer
with word positions onto the page. The result is an ordinary PDF page, so the OCR'd page goes
through the same reader as a digital one. Other pages pass through untouched.

ocrmypdf runs as a subprocess (the Debian package brings its own Python and Tesseract), with
``OMP_THREAD_LIMIT=1``: Tesseract's OpenMP threads made each page about 7x slower on a 2-core
machine, so parallelism comes from ocrmypdf's one-process-per-page ``--jobs`` instead.
The word confidences come from the hOCR files ocrmypdf keeps with ``-k``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    for a PDF made of some pages of a larger document."""
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
    with tempfile.TemporaryDirectory(prefix="payerlens-ocr-") as tmp:
        work = Path(tmp)
        source, target = work / "in.pdf", work / "out.pdf"
        source.write_bytes(data)
        # ocrmypdf makes its working folder under TMPDIR; keeping it (-k) keeps the hOCR.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1", "TMPDIR": str(work)}
        command = [
            "ocrmypdf",
            "--pages", _page_spec(pages),
            "--force-ocr",  # a "scanned" page may carry a stray stamp of text
            "--rotate-pages", "--rotate-pages-threshold", str(settings.rotate_threshold),
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
            return _failed(list(names.values()), f"OCR took longer than {timeout:.0f} s")
        except OSError as exc:
            reason = f"ocrmypdf could not be started ({exc.strerror})"
            return _failed(list(names.values()), reason)
        if done.returncode != 0 or not target.exists():
            reason = _EXIT_MESSAGES.get(done.returncode, f"ocrmypdf exited {done.returncode}")
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            return _failed(list(names.values()), reason + (f": {tail[0]}" if tail else ""))
        confidence = {names.get(n, n): c for n, c in _hocr_confidence(work).items()}
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
        return OcrResult(target.read_bytes(), confidence, problems)


def _failed(pages: Sequence[int], reason: str) -> OcrResult:
    listed = ", ".join(str(p) for p in pages)
    return OcrResult(
        None,
        {},
        (Problem(errors.OCR_FAILED, f"OCR of page(s) {listed} failed: {reason}.", stage="ocr"),),
    )


def _page_spec(pages: Sequence[int]) -> str:
    return ",".join(str(p) for p in sorted(set(pages)))


def _hocr_confidence(work: Path) -> dict[int, float]:
    """Mean Tesseract word confidence per page, from the hOCR ocrmypdf kept."""
    scores: dict[int, float] = {}
    for hocr in work.glob("ocrmypdf.io.*/*_ocr_hocr.hocr"):
        match = HOCR_PAGE.match(hocr.name)
        if not match:
            continue
        words = [int(v) for v in WORD_CONFIDENCE.findall(hocr.read_bytes())]
        if words:  # a page where Tesseract found no word is reported as having no text
            scores[int(match.group(1))] = sum(words) / len(words)
    return scores
