"""One pathological file cannot stall or kill ``payerlens batch``: a file over the time limit,
one that needs more memory than the limit, one whose worker the kernel kills — each is a
failed item with its code, and the batch finishes the rest.

The limit cases use an analyzer (``hungry_analyzer``, built in the batch's worker processes)
that analyses for real and then, for files carrying a marker word, allocates 1.5 GiB or kills
its own process with SIGKILL as the kernel's OOM killer would, and stalls on the long
contract. 1.5 GiB is nothing to this machine: only the batch's ``--max-memory-mb`` limit makes
it fail.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from service.batch.pool import PoolBroken
from service.batch.runner import run_batch
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import BatchItem, Job
from tests.conftest import build_pdf

ALLOCATE = "ALLOCATEPLENTY"
KILL = "KILLMYWORKER"
LONG_PAGES = 100
TIME_LIMIT = 10.0


def clauses(marker: str = "") -> list[list[str]]:
    return [
        [
            "PROVIDER SERVICES AGREEMENT",
            "",
            "1.1 Term. This Agreement shall renew automatically for successive one (1) year",
            "terms unless either party gives written notice of non-renewal at least ninety",
            "(90) days before the end of the then-current term.",
            "",
            f"1.2 Notices. {marker}".strip(),
        ]
    ]


class _Hungry:
    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.model = analyzer.model
        self.rules = analyzer.rules

    def analyze_path(self, path: Path) -> Any:
        result = self.analyzer.analyze_path(path)
        text = result.document.text if result.document is not None else ""
        if ALLOCATE in text:
            block = bytearray(1536 * 1024 * 1024)
            block[-1] = 1
        if KILL in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if result.source.pages >= LONG_PAGES:
            # A pathological file: analysed for real (a few seconds), then stalled well past
            # the time limit (analysis got faster than any fixed page count could stay slow).
            time.sleep(TIME_LIMIT * 6)
        return result


def hungry_analyzer(settings: Settings) -> Any:
    """The job system's analyzer, hungry for the marked files (runs in a worker process)."""
    from service.jobs.work import AnalyzerFactory

    return _Hungry(AnalyzerFactory(settings)())


FACTORY = f"{__name__}:hungry_analyzer"


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corpus.generator.long_contract import build_long_contract

    path = tmp_path_factory.mktemp("limits") / "long_contract.pdf"
    build_long_contract(path, LONG_PAGES)
    return path


def _items(settings: Settings) -> dict[str, tuple[BatchItem, Job | None]]:
    db = Database(settings, migrate=False)
    try:
        with db.session() as session:
            rows = session.exec(select(BatchItem)).all()
            return {i.path: (i, session.get(Job, i.job_id) if i.job_id else None) for i in rows}
    finally:
        db.dispose()


def test_time_and_memory_limits_fail_one_file_each_and_the_batch_goes_on(
    sqlite_settings: Settings, tmp_path: Path, long_pdf: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    build_pdf(folder / "good.pdf", clauses())
    build_pdf(folder / "hungry.pdf", clauses(ALLOCATE))
    build_pdf(folder / "killed.pdf", clauses(KILL))
    (folder / "long.pdf").write_bytes(long_pdf.read_bytes())
    settings = sqlite_settings.with_(job_max_attempts=2)
    report = run_batch(
        settings,
        folder,
        workers=2,
        time_limit=TIME_LIMIT,
        max_memory_mb=1024,
        analyzer_factory=FACTORY,
    )
    assert report.exit_code == 0 and report.counts == {"succeeded": 1, "failed": 3}
    rows = _items(settings)
    good, _ = rows["good.pdf"]
    assert good.status == "succeeded" and good.pages == 1
    long, long_job = rows["long.pdf"]
    assert (long.status, long.error_code) == ("failed", "limits.timeout")
    assert long_job is not None and long_job.attempts == 1  # not retried
    assert long.pages == LONG_PAGES and "time limit" in (long.error_message or "")
    hungry, hungry_job = rows["hungry.pdf"]
    assert (hungry.status, hungry.error_code) == ("failed", "limits.memory")
    assert hungry_job is not None and hungry_job.attempts == 1
    killed, killed_job = rows["killed.pdf"]
    assert (killed.status, killed.error_code) == ("failed", "limits.memory")
    assert killed_job is not None and killed_job.attempts == 2  # the job's bounded attempts
    assert "SIGKILL" in (killed.error_message or "")
    assert {code for _, code, _ in report.failures} == {"limits.timeout", "limits.memory"}


def test_workers_that_cannot_start_stop_the_batch_resumably(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    build_pdf(folder / "good.pdf", clauses())
    with pytest.raises(PoolBroken, match="could not start"):
        run_batch(sqlite_settings, folder, workers=1, max_memory_mb=64)
    (item, job) = _items(sqlite_settings)["good.pdf"]
    assert item.status == "queued" and job is not None and job.status == "queued"
    report = run_batch(sqlite_settings, folder, workers=1)  # the same batch, resumed
    assert report.counts == {"succeeded": 1} and report.processed == 1
