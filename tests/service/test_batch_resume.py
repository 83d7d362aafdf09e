"""``payerlens batch`` is resumable and idempotent: killed part-way (SIGKILL, every process of
it) and run again, every good file of the archive is stored exactly once, every bad one is
reported with its code, and what the first run finished is not touched again.

The archive is a zip of small digital samples, a second copy of one of them, a Word draft, a
one-page scan (so OCR runs), and bad files: corrupt, encrypted, not a PDF, truncated, empty.
"""

from __future__ import annotations

import hashlib
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from corpus.generator.scan import scan_pdf
from extractor.ocr import ocr_available
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    AuditLog,
    Batch,
    BatchItem,
    Document,
    Job,
    StoredFile,
)
from tests.conftest import SAMPLES, build_pdf
from tests.test_docx import agreement_docx

DIGITAL = [
    "behavioral_health_services_agreement.pdf",
    "anesthesia_group_agreement.pdf",
    "independent_clinical_laboratory_agreement.pdf",
    "exchange_narrow_network_agreement.pdf",
]
CLAUSES = [
    [
        "PROVIDER SERVICES AGREEMENT",
        "",
        "1.1 Term. This Agreement shall renew automatically for successive one (1) year",
        "terms unless either party gives written notice of non-renewal at least ninety (90)",
        "days before the end of the then-current term.",
        "",
        "1.2 Termination Without Cause. Either party may terminate this Agreement without",
        "cause upon sixty (60) days' prior written notice to the other party.",
    ]
]
# path in the archive -> the code its item must fail with (a set where the reader may say
# either, as tests/test_bad_input.py allows)
BAD: dict[str, set[str]] = {
    "bad/corrupt.pdf": {"input.corrupt", "input.empty"},
    "bad/locked.pdf": {"input.encrypted"},
    "bad/notes.txt": {"input.not_pdf"},
    "bad/cut.pdf": {"input.truncated"},
    "bad/empty.pdf": {"input.empty"},
}


def build_archive(folder: Path, *, scanned: bool = True) -> dict[str, bytes]:
    """The archive's files by path: good ones and bad ones (see the module docstring)."""
    work = folder / "parts"
    work.mkdir(parents=True)
    files: dict[str, bytes] = {}
    for name in DIGITAL:
        files[f"digital/{name}"] = (SAMPLES / name).read_bytes()
    files["copies/same_as_behavioral.pdf"] = files[f"digital/{DIGITAL[0]}"]
    files["drafts/agreement.docx"] = agreement_docx(work / "agreement.docx").read_bytes()
    if scanned:
        one_page = build_pdf(work / "one_page.pdf", CLAUSES).read_bytes()
        files["scans/one_page_scanned.pdf"] = scan_pdf(one_page, [1], seed="batch")
    good = build_pdf(work / "good.pdf", CLAUSES).read_bytes()
    files["bad/corrupt.pdf"] = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    files["bad/locked.pdf"] = build_pdf(work / "locked.pdf", CLAUSES, encrypt="s3cret").read_bytes()
    files["bad/notes.txt"] = b"These are notes about the contracts, not a contract.\n"
    files["bad/cut.pdf"] = good[:400]
    files["bad/empty.pdf"] = b""
    return files


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return path


def write_folder(path: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def items(db: Database) -> dict[str, BatchItem]:
    with db.session() as session:
        return {i.path: i for i in session.exec(select(BatchItem)).all()}


def count(db: Database, model: Any, *where: Any) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def assert_batch_complete(db: Database, files: dict[str, bytes]) -> dict[str, BatchItem]:
    """Every good file stored exactly once (one document, one stored file, one successful
    analysis, one upload record), every bad one failed with its code and stored nowhere."""
    rows = items(db)
    assert set(rows) == set(files)
    good = {p: d for p, d in files.items() if p not in BAD}
    for path, data in good.items():
        item = rows[path]
        assert item.status in ("succeeded", "skipped"), (path, item.error_code, item.error_message)
        digest = sha(data)
        assert item.sha256 == digest and item.document_id
        assert count(db, Document, Document.sha256 == digest) == 1
        assert count(db, StoredFile, StoredFile.sha256 == digest) == 1
        assert count(db, AnalysisRun, AnalysisRun.document_id == item.document_id) == 1
        assert count(db, Job, Job.document_id == item.document_id, Job.status == "succeeded") == 1
        with db.session() as session:
            uploads = session.exec(
                select(AuditLog).where(AuditLog.action == "document.uploaded")
            ).all()
        assert sum(1 for u in uploads if u.detail.get("sha256") == digest) == 1, path
    for path, codes in BAD.items():
        item = rows[path]
        assert item.status == "failed" and item.error_code in codes, (
            path,
            item.status,
            item.error_code,
        )
        assert item.error_message and "Traceback" not in item.error_message
        assert item.document_id is None
        assert count(db, Document, Document.sha256 == sha(files[path])) == 0
    # the two copies of the same bytes: one document
    copy, original = rows["copies/same_as_behavioral.pdf"], rows[f"digital/{DIGITAL[0]}"]
    assert copy.document_id == original.document_id
    assert count(db, Document) == len({sha(d) for d in good.values()})
    assert count(db, AnalysisRun) == count(db, Document)
    return rows


@pytest.fixture
def resume_settings(sqlite_settings: Settings, jobs_helpers: Any) -> Settings:
    return sqlite_settings.with_(ocr=ocr_available(), job_lease_seconds=jobs_helpers.lease_seconds)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[tuple[Path, dict[str, bytes]]]:
    files = build_archive(tmp_path, scanned=ocr_available())
    yield write_zip(tmp_path / "contracts.zip", files), files


def test_a_killed_batch_resumes_and_stores_every_good_file_once(
    resume_settings: Settings,
    archive: tuple[Path, dict[str, bytes]],
    jobs_processes: Any,
    jobs_helpers: Any,
) -> None:
    source, files = archive
    settings = resume_settings
    env = jobs_helpers.env(settings)
    args = ["-m", "service.cli", "batch", str(source), "--workers", "2", "--verbose"]
    db = Database(settings)
    try:
        # 1. start, and kill every process of it once some files are done and others not
        first = jobs_processes.start(args, env, "batch-1")

        def some_done() -> bool:
            if first.poll() is not None:
                pytest.fail(f"the batch ended before it was killed:\n{jobs_processes.log(first)}")
            return any(i.status == "succeeded" for i in items(db).values())

        jobs_helpers.wait_for(some_done, 240, "the first analysed file")
        jobs_processes.kill(first, signal.SIGKILL)
        assert not jobs_processes.group_alive(first)
        at_kill = items(db)
        done_at_kill = {p: i for p, i in at_kill.items() if i.status in ("succeeded", "skipped")}
        unfinished = [p for p in files if p not in at_kill or at_kill[p].status == "queued"]
        assert done_at_kill and unfinished, "the kill came too late to interrupt anything"
        with db.session() as session:
            assert session.exec(select(Batch.status)).one() == "running"

        # 2. run it again to the end
        second = jobs_processes.start(args, env, "batch-2")
        assert second.wait(timeout=400) == 0, jobs_processes.log(second)
        rows = assert_batch_complete(db, files)
        for path, before in done_at_kill.items():  # finished before the kill: not touched
            after = rows[path]
            assert (after.status, after.job_id, after.updated_at) == (
                before.status,
                before.job_id,
                before.updated_at,
            )
        if "scans/one_page_scanned.pdf" in rows:
            scanned = rows["scans/one_page_scanned.pdf"]
            assert scanned.ocr_pages == 1 and scanned.ocr_confidence is not None
        assert rows[f"digital/{DIGITAL[0]}"].ocr_pages == 0
        with db.session() as session:
            docx = session.get(Document, rows["drafts/agreement.docx"].document_id)
            assert docx is not None and docx.media_type.endswith("wordprocessingml.document")
            batch = session.exec(select(Batch)).one()
            assert batch.status == "finished" and batch.options["runs"] == 2
        log_lines = (settings.data_dir / "batches" / f"{batch.id}.log").read_text().splitlines()
        statuses = [line.split("\t") for line in log_lines if "\t# " not in line]
        assert {line[-1] for line in statuses} == set(files)
        assert {line[-1]: line[2] for line in statuses if line[1] == "failed"}.keys() == set(BAD)
        summary = settings.data_dir / "batches" / batch.id
        assert (summary / f"batch-{batch.id}.csv").is_file()

        # 3. a third run finds nothing to do and changes nothing
        counts = {m.__name__: count(db, m) for m in (Document, Job, AnalysisRun, AuditLog)}
        started = time.monotonic()
        third = jobs_processes.start(args, env, "batch-3")
        assert third.wait(timeout=120) == 0, jobs_processes.log(third)
        assert {m.__name__: count(db, m) for m in (Document, Job, AnalysisRun, AuditLog)} == counts
        assert items(db) == rows
        output = jobs_processes.log(third)
        assert "finished in this run" in output and time.monotonic() - started < 60
    finally:
        db.dispose()


def test_retry_failed_tries_failed_files_again(sqlite_settings: Settings, tmp_path: Path) -> None:
    """Failed files stay failed on a rerun unless asked; with --retry-failed an analysis that
    failed gets a new job (here: a scan read with OCR off, then on)."""
    from service.batch.runner import run_batch

    folder = tmp_path / "scans"
    folder.mkdir()
    one_page = build_pdf(tmp_path / "one.pdf", CLAUSES).read_bytes()
    (folder / "scanned.pdf").write_bytes(scan_pdf(one_page, [1], seed="retry"))
    (folder / "notes.txt").write_text("not a contract")
    settings = sqlite_settings  # OCR off: the scan has no text
    report = run_batch(settings, folder, workers=1)
    assert report.exit_code == 0 and report.counts == {"failed": 2}
    db = Database(settings)
    try:
        first = items(db)
        assert first["scanned.pdf"].error_code == "input.no_text"
        assert first["notes.txt"].error_code == "input.not_pdf"
        again = run_batch(settings, folder, workers=1)
        assert again.done_before == 2 and again.processed == 0
        assert items(db) == first
        if not ocr_available():
            return
        retried = run_batch(settings.with_(ocr=True), folder, workers=1, retry_failed=True)
        assert retried.processed == 2
        rows = items(db)
        assert rows["scanned.pdf"].status == "succeeded" and rows["scanned.pdf"].ocr_pages == 1
        assert rows["scanned.pdf"].job_id != first["scanned.pdf"].job_id
        assert rows["notes.txt"].error_code == "input.not_pdf"
        assert count(db, Document) == 1 and count(db, Job) == 2
    finally:
        db.dispose()
