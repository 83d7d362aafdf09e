"""The report at the end of a batch: one CSV and one self-contained HTML page.

``build_summary(session, batch_id, today)`` reads the batch from the database into a
``BatchSummary`` (frozen dataclasses, nothing else is kept); ``write_summary(database,
batch_id, out_dir)`` writes ``batch-<id>.csv`` and ``batch-<id>.html`` from it.

What is counted (every query is scoped to the batch's organisation):

* Files: the batch's items by status (``pending``, ``queued``, ``skipped``, ``succeeded``,
  ``failed``). Pages and OCR'd pages are those this batch analysed: of its succeeded files,
  once per document (two files with the same bytes were analysed once); files with OCR'd
  pages are counted as files.
* Low OCR confidence: an OCR'd file (succeeded, or skipped as already stored) whose mean word
  confidence is below the extractor's mark (``OcrSettings.low_confidence``, 60/100), or whose
  analysis reported a page below it (``ocr.low_confidence``): the mean of a file can pass
  while one page did not.
* Contracts: the distinct contracts whose document is a file of this batch, analysed now or
  already stored (``skipped``). By payer and product line, a contract counts once under each
  product line it names (``(none stated)`` when it names none), and once in its payer's total.
* Findings: those of each contract's current analysis, by category and severity.
* Notice deadlines: contracts whose ``notice_deadline`` is from ``today`` to 12 months after
  it; deadlines before ``today`` are listed apart as missed.
* Failed files: path, error code and message.

The CSV is one table with a ``section`` column, so a spreadsheet user filters on it (each
section fills only the columns that apply to it; see ``CSV_COLUMNS`` and ``CSV_SECTIONS``).
Text that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return) is prefixed with ``'``. The HTML page needs nothing beside it: inline CSS and SVG, no
script, font or image from elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import func
from sqlmodel import Session, col, select

from extractor import errors
from extractor.deadlines import add_months
from extractor.ocr import OcrSettings
from service.spreadsheet import inert
from service.storage.db import Database
from service.storage.models import (
    AnalysisRun,
    Batch,
    BatchItem,
    Contract,
    Document,
    Finding,
    Organisation,
)

# Item statuses in the order a reader expects them; unknown ones follow, sorted.
STATUSES = ("succeeded", "skipped", "failed", "queued", "pending")
SEVERITIES = ("high", "medium", "low")
# A file is poorly read below this mean word confidence (0-100): the extractor's own mark.
LOW_CONFIDENCE = OcrSettings().low_confidence
DEADLINE_MONTHS = 12
NO_PAYER = "(unknown payer)"
NO_PRODUCT_LINE = "(none stated)"
# Items whose document belongs to the batch's contracts.
_CONTRACT_STATUSES = ("succeeded", "skipped")


class BatchNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PayerLineCount:
    payer: str
    product_line: str
    contracts: int


@dataclass(frozen=True)
class FindingCount:
    category: str
    severity: str
    findings: int
    contracts: int  # contracts with at least one finding of this category and severity


@dataclass(frozen=True)
class DeadlineRow:
    contract_id: str
    title: str | None
    payer: str | None
    files: tuple[str, ...]  # the batch's files of this contract
    notice_deadline: date
    days_left: int  # negative: missed by that many days
    term_end: date | None
    notice_days: int | None
    auto_renews: bool | None


@dataclass(frozen=True)
class LowConfidenceFile:
    path: str
    status: str  # succeeded (read now) or skipped (read before, stored)
    ocr_pages: int
    ocr_confidence: float | None  # mean over the OCR'd pages
    low_pages: int  # pages the analysis reported below the mark


@dataclass(frozen=True)
class FailedFile:
    path: str
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class BatchSummary:
    batch_id: str
    organisation: str
    source: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    today: date
    deadline_horizon: date
    low_confidence_mark: float
    status_counts: tuple[tuple[str, int], ...]
    pages: int
    ocr_pages: int
    ocr_files: int
    low_confidence: tuple[LowConfidenceFile, ...]
    contracts: int
    payers: tuple[tuple[str, int], ...]  # distinct contracts per payer
    by_payer_line: tuple[PayerLineCount, ...]
    findings: tuple[FindingCount, ...]
    upcoming_deadlines: tuple[DeadlineRow, ...]
    missed_deadlines: tuple[DeadlineRow, ...]
    failed: tuple[FailedFile, ...]
    _counts: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._counts.update(self.status_counts)

    def count(self, status: str) -> int:
        return self._counts.get(status, 0)

    @property
    def files(self) -> int:
        return sum(n for _, n in self.status_counts)

    @property
    def findings_total(self) -> int:
        return sum(f.findings for f in self.findings)

    @property
    def product_lines(self) -> tuple[str, ...]:
        lines = {r.product_line for r in self.by_payer_line}
        return tuple(sorted(lines - {NO_PRODUCT_LINE})) + (
            (NO_PRODUCT_LINE,) if NO_PRODUCT_LINE in lines else ()
        )

    def metrics(self) -> dict[str, int]:
        """The headline numbers, by the names the CSV and the page's ``data-metric`` use."""
        return {
            "files": self.files,
            **{f"files_{s}": self.count(s) for s in self.statuses()},
            "pages": self.pages,
            "ocr_pages": self.ocr_pages,
            "ocr_files": self.ocr_files,
            "low_confidence_files": len(self.low_confidence),
            "contracts": self.contracts,
            "findings": self.findings_total,
            "deadlines_12_months": len(self.upcoming_deadlines),
            "deadlines_missed": len(self.missed_deadlines),
        }

    def statuses(self) -> tuple[str, ...]:
        seen = {s for s, _ in self.status_counts}
        return STATUSES + tuple(sorted(seen - set(STATUSES)))

    def findings_matrix(self) -> list[tuple[str, dict[str, int], int]]:
        """(category, findings by severity, total), most findings first."""
        rows: dict[str, dict[str, int]] = defaultdict(dict)
        for f in self.findings:
            rows[f.category][f.severity] = f.findings
        table = [(c, by, sum(by.values())) for c, by in rows.items()]
        return sorted(table, key=lambda r: (-r[2], r[0]))

    def severity_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            totals[f.severity] = totals.get(f.severity, 0) + f.findings
        return totals

    def payer_matrix(self) -> list[tuple[str, dict[str, int], int]]:
        """(payer, contracts by product line, distinct contracts), most contracts first."""
        cells: dict[str, dict[str, int]] = defaultdict(dict)
        for r in self.by_payer_line:
            cells[r.payer][r.product_line] = r.contracts
        totals = dict(self.payers)
        return sorted(((p, cells[p], totals.get(p, 0)) for p in cells), key=lambda r: (-r[2], r[0]))


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def build_summary(session: Session, batch_id: str, today: date) -> BatchSummary:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise BatchNotFound(f"no batch {batch_id}")
    org_id = batch.org_id
    org = session.get(Organisation, org_id)

    statuses = session.exec(
        select(BatchItem.status, func.count())
        .where(BatchItem.batch_id == batch_id, BatchItem.org_id == org_id)
        .group_by(BatchItem.status)
    ).all()
    order = {s: i for i, s in enumerate(STATUSES)}
    status_counts = tuple(
        sorted(((s, int(n)) for s, n in statuses), key=lambda r: (order.get(r[0], 99), r[0]))
    )

    # Pages analysed: once per document (two files with the same bytes are one analysis).
    analysed: dict[str, tuple[int, int]] = {}
    ocr_files = 0
    for item_id, document_id, item_pages, item_ocr in session.exec(
        select(BatchItem.id, BatchItem.document_id, BatchItem.pages, BatchItem.ocr_pages).where(
            BatchItem.batch_id == batch_id,
            BatchItem.org_id == org_id,
            BatchItem.status == "succeeded",
        )
    ).all():
        analysed[document_id or item_id] = (item_pages or 0, item_ocr or 0)
        ocr_files += bool(item_ocr)
    pages = sum(p for p, _ in analysed.values())
    ocr_pages = sum(o for _, o in analysed.values())

    low_confidence = tuple(_low_confidence(session, batch_id, org_id))

    failed = tuple(
        FailedFile(path, code, message)
        for path, code, message in session.exec(
            select(BatchItem.path, BatchItem.error_code, BatchItem.error_message)
            .where(
                BatchItem.batch_id == batch_id,
                BatchItem.org_id == org_id,
                BatchItem.status == "failed",
            )
            .order_by(BatchItem.path)
        ).all()
    )

    # The batch's contracts and, for each, its files in this batch.
    files_of: dict[str, list[str]] = defaultdict(list)
    for path, contract_id in session.exec(
        select(BatchItem.path, Document.contract_id)
        .join(Document, col(Document.id) == col(BatchItem.document_id))
        .where(
            BatchItem.batch_id == batch_id,
            BatchItem.org_id == org_id,
            Document.org_id == org_id,
            col(BatchItem.status).in_(_CONTRACT_STATUSES),
            col(Document.contract_id).is_not(None),
        )
        .order_by(BatchItem.path)
    ).all():
        if contract_id is not None:
            files_of[contract_id].append(path)
    contracts: list[Contract] = []
    for ids in _chunks(sorted(files_of)):
        contracts += session.exec(
            select(Contract).where(Contract.org_id == org_id, col(Contract.id).in_(ids))
        ).all()

    payers: Counter[str] = Counter()
    by_line: Counter[tuple[str, str]] = Counter()
    for c in contracts:
        payer = c.payer or NO_PAYER
        payers[payer] += 1
        for line in sorted(set(c.product_lines or [])) or [NO_PRODUCT_LINE]:
            by_line[(payer, line)] += 1

    findings = tuple(_findings(session, org_id, [c.current_run_id for c in contracts]))

    horizon = add_months(today, DEADLINE_MONTHS)
    upcoming: list[DeadlineRow] = []
    missed: list[DeadlineRow] = []
    for c in contracts:
        if c.notice_deadline is None:
            continue
        row = DeadlineRow(
            contract_id=c.id,
            title=c.title,
            payer=c.payer,
            files=tuple(files_of[c.id]),
            notice_deadline=c.notice_deadline,
            days_left=(c.notice_deadline - today).days,
            term_end=c.term_end,
            notice_days=c.notice_days,
            auto_renews=c.auto_renews,
        )
        if c.notice_deadline < today:
            missed.append(row)
        elif c.notice_deadline <= horizon:
            upcoming.append(row)

    def by_date(r: DeadlineRow) -> tuple[date, str, str]:
        return (r.notice_deadline, r.title or "", r.contract_id)

    return BatchSummary(
        batch_id=batch.id,
        organisation=org.name if org else org_id,
        source=batch.source,
        status=batch.status,
        created_at=batch.created_at,
        finished_at=batch.finished_at,
        today=today,
        deadline_horizon=horizon,
        low_confidence_mark=LOW_CONFIDENCE,
        status_counts=status_counts,
        pages=pages,
        ocr_pages=ocr_pages,
        ocr_files=ocr_files,
        low_confidence=low_confidence,
        contracts=len(contracts),
        payers=tuple(sorted(payers.items(), key=lambda r: (-r[1], r[0]))),
        by_payer_line=tuple(PayerLineCount(p, line, n) for (p, line), n in sorted(by_line.items())),
        findings=findings,
        upcoming_deadlines=tuple(sorted(upcoming, key=by_date)),
        missed_deadlines=tuple(sorted(missed, key=by_date)),
        failed=failed,
    )


def _low_confidence(session: Session, batch_id: str, org_id: str) -> Iterator[LowConfidenceFile]:
    """OCR'd files read below the mark, by their mean or by one page (from the run's errors;
    only the OCR'd files' runs are loaded). Skipped files count too: their stored text is as
    poorly read as when it was analysed."""
    items = session.exec(
        select(BatchItem)
        .where(
            BatchItem.batch_id == batch_id,
            BatchItem.org_id == org_id,
            col(BatchItem.status).in_(_CONTRACT_STATUSES),
            col(BatchItem.ocr_pages) > 0,
        )
        .order_by(BatchItem.path)
    ).all()
    for item in items:
        low_pages = 0
        if item.document_id is not None:
            run = session.exec(
                select(AnalysisRun.result)
                .where(AnalysisRun.org_id == org_id, AnalysisRun.document_id == item.document_id)
                .order_by(col(AnalysisRun.created_at).desc())
                .limit(1)
            ).first()
            if isinstance(run, dict):
                low_pages = sum(
                    1
                    for e in run.get("errors") or []
                    if isinstance(e, dict) and e.get("code") == errors.OCR_LOW_CONFIDENCE
                )
        confidence = item.ocr_confidence
        if low_pages or (confidence is not None and confidence < LOW_CONFIDENCE):
            yield LowConfidenceFile(
                item.path, item.status, item.ocr_pages or 0, confidence, low_pages
            )


def _findings(session: Session, org_id: str, run_ids: list[str | None]) -> Iterator[FindingCount]:
    runs = sorted({r for r in run_ids if r})
    findings: Counter[tuple[str, str]] = Counter()
    contracts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ids in _chunks(runs):
        for category, severity, contract_id, n in session.exec(
            select(Finding.category, Finding.severity, Finding.contract_id, func.count())
            .where(Finding.org_id == org_id, col(Finding.run_id).in_(ids))
            .group_by(Finding.category, Finding.severity, Finding.contract_id)
        ).all():
            findings[(category, severity)] += int(n)
            contracts[(category, severity)].add(contract_id)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    for category, severity in sorted(findings, key=lambda k: (k[0], rank.get(k[1], 9), k[1])):
        key = (category, severity)
        yield FindingCount(category, severity, findings[key], len(contracts[key]))


# ---- CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "section", "name", "value", "payer", "product_line", "category", "severity", "contracts",
    "findings", "file", "status", "contract", "title", "notice_deadline", "days_left", "term_end",
    "notice_days", "auto_renews", "ocr_pages", "ocr_confidence", "low_pages", "code", "message",
)  # fmt: skip
_DEADLINE_COLUMNS = (
    "contract", "title", "payer", "file", "notice_deadline", "days_left", "term_end",
    "notice_days", "auto_renews",
)  # fmt: skip
# section -> the columns it fills besides ``section``; the others stay empty.
CSV_SECTIONS: dict[str, tuple[str, ...]] = {
    "batch": ("name", "value"),  # batch_id, organisation, source, status, dates, today, mark
    "metric": ("name", "value"),  # BatchSummary.metrics(): files, files_<status>, pages, ...
    "contracts_by_payer": ("payer", "product_line", "contracts"),
    "payer_total": ("payer", "contracts"),
    "findings": ("category", "severity", "findings", "contracts"),
    "deadline_upcoming": _DEADLINE_COLUMNS,  # file: the batch's files, "; "-separated
    "deadline_missed": _DEADLINE_COLUMNS,  # days_left negative
    "low_ocr_confidence": ("file", "status", "ocr_pages", "ocr_confidence", "low_pages"),
    "failed": ("file", "code", "message"),
}


def _cell(value: Any) -> Any:
    """Text as a spreadsheet shows it, never runs it; numbers and dates as they are."""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_rows(summary: BatchSummary) -> Iterator[dict[str, Any]]:
    """The CSV's rows, in section order, before cell formatting."""
    s = summary
    for name, value in (
        ("batch_id", s.batch_id),
        ("organisation", s.organisation),
        ("source", s.source),
        ("status", s.status),
        ("created_at", s.created_at),
        ("finished_at", s.finished_at),
        ("today", s.today),
        ("deadline_horizon", s.deadline_horizon),
        ("low_ocr_confidence_mark", s.low_confidence_mark),
    ):
        yield {"section": "batch", "name": name, "value": value}
    for name, count in s.metrics().items():
        yield {"section": "metric", "name": name, "value": count}
    for r in s.by_payer_line:
        yield {
            "section": "contracts_by_payer",
            "payer": r.payer,
            "product_line": r.product_line,
            "contracts": r.contracts,
        }
    for payer, count in s.payers:
        yield {"section": "payer_total", "payer": payer, "contracts": count}
    for f in s.findings:
        yield {
            "section": "findings",
            "category": f.category,
            "severity": f.severity,
            "findings": f.findings,
            "contracts": f.contracts,
        }
    for section, rows in (
        ("deadline_upcoming", s.upcoming_deadlines),
        ("deadline_missed", s.missed_deadlines),
    ):
        for d in rows:
            yield {
                "section": section,
                "contract": d.contract_id,
                "title": d.title,
                "payer": d.payer,
                "file": "; ".join(d.files),
                "notice_deadline": d.notice_deadline,
                "days_left": d.days_left,
                "term_end": d.term_end,
                "notice_days": d.notice_days,
                "auto_renews": d.auto_renews,
            }
    for low in s.low_confidence:
        yield {
            "section": "low_ocr_confidence",
            "file": low.path,
            "status": low.status,
            "ocr_pages": low.ocr_pages,
            "ocr_confidence": low.ocr_confidence,
            "low_pages": low.low_pages,
        }
    for failed in s.failed:
        yield {
            "section": "failed",
            "file": failed.path,
            "code": failed.error_code,
            "message": failed.error_message,
        }


def render_csv(summary: BatchSummary) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(summary):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


# ---- HTML ---------------------------------------------------------------------------------

_ENV: Environment | None = None


def _environment() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=PackageLoader("service.batch", "templates"),
            autoescape=select_autoescape(["html"], default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return _ENV


@dataclass(frozen=True)
class Segment:
    key: str  # a severity, or a status
    value: int
    offset: float  # start, as a share of the longest bar (0..1)
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    segments: tuple[Segment, ...]


def _bars(rows: Iterable[tuple[str, Sequence[tuple[str, int]]]], limit: int = 20) -> list[Bar]:
    """Horizontal (stacked) bars scaled to the longest; rows with nothing are left out."""
    kept = [(label, parts) for label, parts in rows if sum(v for _, v in parts) > 0][:limit]
    top = max((sum(v for _, v in parts) for _, parts in kept), default=0) or 1
    bars = []
    for label, parts in kept:
        segments, offset = [], 0.0
        for key, value in parts:
            if value > 0:
                segments.append(Segment(key, value, offset, value / top))
                offset += value / top
        bars.append(Bar(label, sum(v for _, v in parts), tuple(segments)))
    return bars


def render_html(summary: BatchSummary) -> str:
    s = summary
    matrix = s.findings_matrix()
    template = _environment().get_template("summary.html")
    return template.render(
        s=s,
        metrics=s.metrics(),
        severities=SEVERITIES,
        status_bars=_bars((st, [(st, s.count(st))]) for st in s.statuses()),
        category_bars=_bars(
            (c, [(sev, by.get(sev, 0)) for sev in SEVERITIES]) for c, by, _ in matrix
        ),
        findings_matrix=matrix,
        severity_totals=s.severity_totals(),
        payer_matrix=s.payer_matrix(),
        product_lines=s.product_lines,
    )


def write_summary(
    database: Database, batch_id: str, out_dir: Path, today: date | None = None
) -> tuple[Path, Path]:
    """Write ``batch-<id>.csv`` and ``batch-<id>.html`` into ``out_dir`` (created if needed);
    returns their paths. ``today`` (default: the local date) places the deadlines."""
    with database.session() as session:
        summary = build_summary(session, batch_id, today or date.today())
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"batch-{batch_id}.csv"
    html_path = out_dir / f"batch-{batch_id}.html"
    # utf-8-sig: spreadsheet programs read the BOM and show accented payer names right.
    csv_path.write_text(render_csv(summary), encoding="utf-8-sig", newline="")
    html_path.write_text(render_html(summary), encoding="utf-8")
    return csv_path, html_path
