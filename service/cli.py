"""The ``payerlens`` command: thin commands over the extractor, output formatting, exit codes."""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from extractor.analyzer import Analyzer, AnalyzerSettings
from extractor.compare import (
    STATUS_ORDER,
    ClauseComparison,
    ClauseSide,
    ClauseStatus,
    ComparisonResult,
    compare_results,
)
from extractor.errors import PayerlensError
from extractor.model import AnalysisResult, Status
from extractor.ocr import OcrSettings
from extractor.pdf_reader import ReaderSettings
from extractor.rates.medicare import KNOWN_LOCALITIES
from extractor.serialize import result_to_dict
from service import accounts
from service.accounts import AccountError
from service.rates_csv import RATE_COLUMNS, rate_csv_row
from service.settings import Settings
from service.storage.db import Database

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="payerlens: read payer contracts — risky clauses with evidence, key terms, rates.",
)
out = Console(soft_wrap=False)
err = Console(stderr=True)

DEFAULT_SAMPLES = Path("corpus/samples")
DEFAULT_CUAD = Path("corpus/cuad")


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given (the reader is chosen by content); directories searched recursively for
    PDFs and Word .docx files, in a stable order (Word's "~$" owner files left out: they are
    lock files, not documents)."""
    suffixes = (".pdf", ".docx")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in suffixes and not p.name.startswith("~$")
                )
            )
        else:
            files.append(path)
    return files


LocalityOption = Annotated[
    str | None,
    typer.Option(
        help="Price fee-schedule rows against Medicare in this locality: "
        + ", ".join(KNOWN_LOCALITIES)
        + "."
    ),
]
OcrOption = Annotated[
    bool,
    typer.Option(
        "--ocr/--no-ocr",
        help="OCR pages without a text layer (Tesseract via ocrmypdf); --no-ocr skips them.",
    ),
]


ModelOption = Annotated[
    bool,
    typer.Option(
        "--model/--no-model",
        help="Add the clause model's second opinion to the rules (--no-model: rules alone).",
    ),
]


def _analyzer(
    max_pages: int,
    max_mb: int,
    rules: Path | None,
    locality: str | None = None,
    ocr: bool = True,
    model: bool = True,
) -> Analyzer:
    if locality is not None and locality not in KNOWN_LOCALITIES:
        # A usage error like typer's own (exit 2), on one line however narrow the terminal.
        err.print(
            f"[red]error[/red] usage.bad_locality: unknown locality {escape(repr(locality))}; "
            f"known: {', '.join(KNOWN_LOCALITIES)}",
            soft_wrap=True,
        )
        raise typer.Exit(2)
    reader = ReaderSettings(
        max_pages=max_pages, max_bytes=max_mb * 1024 * 1024, ocr=OcrSettings(enabled=ocr)
    )
    settings = AnalyzerSettings(
        reader=reader, rules_dir=rules, medicare_locality=locality, use_model=model
    )
    try:
        return Analyzer(settings)
    except PayerlensError as exc:
        err.print(f"[red]error[/red] {exc.code}: {exc.message}")
        raise typer.Exit(2) from None


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders of PDFs.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON Lines, one schema-v1 object per document.")
    ] = False,
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages.")] = 1000,
    max_mb: Annotated[int, typer.Option(help="Refuse files larger than this (MiB).")] = 100,
    rules: Annotated[
        Path | None, typer.Option(help="A folder of rule files instead of the shipped rules.")
    ] = None,
    locality: LocalityOption = None,
    ocr: OcrOption = True,
    model: ModelOption = True,
) -> None:
    """Analyse contracts: findings with evidence, and key terms; exit 1 if none could be read."""
    files = expand_inputs(paths)
    if not files:
        err.print("[red]error[/red] input.not_found: no PDF files in the given paths.")
        raise typer.Exit(1)
    analyzer = _analyzer(max_pages, max_mb, rules, locality, ocr, model)
    analysed = 0
    for path in files:
        result = analyzer.analyze_path(path)
        if result.status is not Status.FAILED:
            analysed += 1
        if as_json:
            sys.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            print_report(result)
    if analysed == 0:
        raise typer.Exit(1)


def print_report(result: AnalysisResult) -> None:
    """A report that reads well in a terminal and in a pipe: a count table, then one block per
    finding (severity, where, fields, explanation, the clause itself), then the key terms."""
    out.rule(f"[bold]{result.source.path}[/bold]")
    for problem in result.problems:
        where = f" (page {problem.page})" if problem.page else ""
        style = "red" if problem.fatal else "yellow"
        out.print(f"[{style}]{problem.code}[/{style}]{where}: {problem.message}")
    if result.status is Status.FAILED:
        return
    if result.source.ocr_pages:
        pages = ", ".join(str(n) for n in result.source.ocr_pages)
        confidence = result.source.ocr_confidence or 0.0
        out.print(f"[dim]OCR'd pages: {pages} (mean word confidence {confidence:.0f}/100)[/dim]")
    counts = Table(title=f"{len(result.findings)} findings", title_justify="left")
    counts.add_column("category")
    for sev in ("high", "medium", "low"):
        counts.add_column(sev, justify="right")
    for category in sorted({f.category for f in result.findings}):
        row = [
            sum(f.category == category and f.severity.value == s for f in result.findings)
            for s in ("high", "medium", "low")
        ]
        counts.add_row(category, *(str(n) for n in row))
    out.print(counts)
    colour = {"high": "red", "medium": "yellow", "low": "green"}
    for f in result.findings:
        sev = f.severity.value
        where = f"page {f.page}" + (f", section {f.section}" if f.section else "")
        out.print(
            f"\n[bold {colour[sev]}]{sev.upper()}[/bold {colour[sev]}] "
            f"[bold]{f.category}[/bold]  {where}  [dim]{f.rule_id}[/dim]"
        )
        fields = ", ".join(f"{k}={v}" for k, v in f.fields.items() if v is not None)
        if fields:
            out.print(f"  fields: {fields}", highlight=False)
        out.print(f"  {f.explanation}", highlight=False)
        excerpt = f.text if len(f.text) <= 300 else f.text[:297] + "..."
        out.print(f'  [italic]"{excerpt}"[/italic]', highlight=False)
    c = result.contract
    terms = Table(title="key terms", show_header=False, title_justify="left")
    terms.add_column("term", style="bold")
    terms.add_column("value")
    for name, value in (
        ("title", c.title),
        ("payer", c.payer),
        ("provider", c.provider),
        ("effective date", c.effective_date),
        ("expiration date", c.expiration_date),
        ("initial term (months)", c.initial_term_months),
        ("product lines", ", ".join(c.product_lines)),
        ("pages", result.source.pages),
    ):
        terms.add_row(name, "" if value is None else str(value))
    out.print()
    out.print(terms)


@app.command()
def rates(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders of PDFs.")],
    as_csv: Annotated[
        bool, typer.Option("--csv", help="CSV on standard output, one line per rate row.")
    ] = False,
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages.")] = 1000,
    max_mb: Annotated[int, typer.Option(help="Refuse files larger than this (MiB).")] = 100,
    locality: LocalityOption = None,
    ocr: OcrOption = True,
) -> None:
    """Rate rows of every compensation table, with the page, table and row they come from."""
    files = expand_inputs(paths)
    if not files:
        err.print("[red]error[/red] input.not_found: no PDF files in the given paths.")
        raise typer.Exit(1)
    analyzer = _analyzer(max_pages, max_mb, None, locality, ocr)
    writer = (
        csv.DictWriter(sys.stdout, fieldnames=RATE_COLUMNS, extrasaction="ignore")
        if as_csv
        else None
    )
    if writer:
        writer.writeheader()
    analysed = 0
    for path in files:
        result = analyzer.analyze_path(path)
        for problem in result.problems:
            err.print(f"{path}: {problem.code}: {problem.message}")
        if result.status is Status.FAILED:
            continue
        analysed += 1
        rows = [rate_csv_row(path, r) for r in result.rates]
        if writer:
            writer.writerows(rows)
        else:
            table = Table(title=f"{path}: {len(rows)} rate rows", title_justify="left")
            for col in RATE_COLUMNS[1:]:
                table.add_column(col)
            for row in rows:
                table.add_row(*("" if row[c] is None else str(row[c]) for c in RATE_COLUMNS[1:]))
            out.print(table)
    if analysed == 0:
        raise typer.Exit(1)


@app.command()
def evaluate(
    samples: Annotated[Path, typer.Option(help="Folder of sample PDFs with ground truth JSON.")] = (
        DEFAULT_SAMPLES
    ),
    cuad: Annotated[
        Path | None, typer.Option(help="CUAD folder (contract texts + spans); 'none' to skip.")
    ] = DEFAULT_CUAD,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable figures.")] = False,
    cuad_limit: Annotated[
        int, typer.Option(help="Evaluate only the first N CUAD contracts (0 = all).")
    ] = 0,
    model: ModelOption = True,
) -> None:
    """Score findings and key terms against the ground truth; print the README's tables."""
    from extractor.evaluation import (
        OutOfFold,
        cuad_report,
        evaluate_cuad,
        evaluate_samples,
        samples_report,
    )
    from extractor.learned.model import shipped_model_path
    from extractor.learned.training import OOF_FILE

    analyzer = _analyzer(1000, 100, None, model=model)
    figures: dict[str, object] = {}
    if samples.is_dir():
        scores = evaluate_samples(analyzer, samples)
        figures["samples"] = scores
        if not as_json:
            out.print(samples_report(scores), soft_wrap=True, markup=False, highlight=False)
    else:
        err.print(f"[yellow]no samples folder at {samples}[/yellow]")
    if cuad is not None and str(cuad) != "none" and cuad.is_dir():
        oof = None
        oof_path = shipped_model_path().parent / OOF_FILE
        if analyzer.model is not None and oof_path.is_file():
            thresholds = {h: c.threshold for h, c in analyzer.model.categories.items()}
            oof = OutOfFold(json.loads(oof_path.read_text(encoding="utf-8")), thresholds)
        cuad_scores = evaluate_cuad(analyzer, cuad, limit=cuad_limit or None, oof=oof)
        figures["cuad"] = cuad_scores
        if not as_json:
            out.print(cuad_report(cuad_scores), soft_wrap=True, markup=False, highlight=False)
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=2, default=str) + "\n")


@app.command()
def compare(
    draft: Annotated[Path, typer.Argument(help="The draft contract (PDF).")],
    template: Annotated[
        Path, typer.Option("--template", "-t", help="The standard template (PDF) to compare with.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The comparison as one JSON object.")] = (
        False
    ),
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages.")] = 1000,
    max_mb: Annotated[int, typer.Option(help="Refuse files larger than this (MiB).")] = 100,
    ocr: OcrOption = True,
) -> None:
    """Compare a draft with a standard template clause by clause: standard, value changes,
    substance changes, added and missing clauses, each with its word diff and findings."""
    analyzer = _analyzer(max_pages, max_mb, None, None, ocr)
    try:
        comparison = compare_results(analyzer.analyze_path(template), analyzer.analyze_path(draft))
    except PayerlensError as exc:
        err.print(f"[red]error[/red] {exc.code}: {escape(exc.message)}", soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_comparison(comparison)


def print_comparison(comparison: ComparisonResult) -> None:
    """Counts, then the clauses grouped by label: substance and value changes with their word
    diff ([-deleted-] {+inserted+}), added and missing clauses in full, standard ones listed."""
    out.rule(
        f"[bold]{escape(comparison.draft.path)}[/bold] against "
        f"[bold]{escape(comparison.template.path)}[/bold]"
    )
    counts = Table(title="clauses", title_justify="left", show_header=False)
    counts.add_column("label")
    counts.add_column("n", justify="right")
    for label, n in comparison.counts().items():
        counts.add_row(label, str(n))
    out.print(counts)
    for status in (*STATUS_ORDER[1:], STATUS_ORDER[0]):
        group = comparison.by_status(status)
        if not group:
            continue
        out.print()
        out.rule(f"[bold]{status.value}[/bold] ({len(group)})", align="left")
        if status is ClauseStatus.STANDARD:
            out.print(_standard_list(group), soft_wrap=True, highlight=False)
            continue
        for c in group:
            line = Text(_where(c), style="bold")
            side = c.draft or c.template
            caption = side.caption if side else None
            if caption and caption != c.section:
                line.append(f"  {caption}", style="italic")
            if c.moved:
                line.append("  [moved]", style="yellow")
            out.print()
            out.print(line, soft_wrap=True)
            for v in c.value_changes:
                out.print(f"  {v.kind}: {v.from_text} -> {v.to_text}", highlight=False)
            for which, clause in (("template", c.template), ("draft", c.draft)):
                if clause and clause.findings:
                    names = ", ".join(f"{f.category} ({f.severity.value})" for f in clause.findings)
                    out.print(f"  findings in {which}: {names}", highlight=False, soft_wrap=True)
            for f in c.findings_added:
                out.print(
                    f"  [red]new risk:[/red] {f.category} ({f.severity.value})", highlight=False
                )
            diff = Text("  ")
            for seg in c.diff:
                body = seg.text.lstrip()
                diff.append(seg.text[: len(seg.text) - len(body)])
                if seg.op == "insert":
                    diff.append(f"{{+{body}+}}", style="green")
                elif seg.op == "delete":
                    diff.append(f"[-{body}-]", style="red strike")
                else:
                    diff.append(body)
            out.print(diff, soft_wrap=True)


def _standard_list(group: tuple[ClauseComparison, ...]) -> str:
    """ "1.1, 2.3 -> 2.4, 8.1 -> 9.6 (moved)" and a count of the unnumbered paragraphs."""
    names, unnumbered = [], 0
    for c in group:
        t = c.template.section if c.template else None
        d = c.draft.section if c.draft else None
        if t is None and d is None:
            unnumbered += 1
            continue
        name = str(t) if t == d else f"{t or '-'} -> {d or '-'}"
        names.append(name + (" (moved)" if c.moved else ""))
    if unnumbered:
        names.append(f"and {unnumbered} unnumbered paragraph(s)")
    return ", ".join(names)


def _where(c: ClauseComparison) -> str:
    """ "4.5 -> 4.4 (p. 2 -> p. 2)": template section and page, then the draft's."""

    def one(side: ClauseSide | None) -> str:
        return "-" if side is None else f"{side.section or '(no section)'} (p. {side.page})"

    return f"{one(c.template)} -> {one(c.draft)}"


@app.command()
def train(
    output: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write the model into (default: the shipped one)."),
    ] = None,
    samples: Annotated[Path, typer.Option(help="Sample contracts with ground truth.")] = (
        DEFAULT_SAMPLES
    ),
    cuad: Annotated[Path, typer.Option(help="CUAD folder (contract texts + spans).")] = (
        DEFAULT_CUAD
    ),
) -> None:
    """Rebuild the clause model from corpus/ (deterministic: same repo, same bytes)."""
    from extractor.learned.model import ARTEFACT, shipped_model_path
    from extractor.learned.training import (
        OOF_FILE,
        load_samples,
        oof_to_bytes,
        rule_predictions,
        taxonomy,
    )
    from extractor.learned.training import train as train_model

    if not (cuad / "cuad_spans.jsonl").is_file() or not samples.is_dir():
        err.print("[red]error[/red] input.not_found: need the CUAD folder and the samples folder.")
        raise typer.Exit(1)
    target = output or shipped_model_path().parent
    target.mkdir(parents=True, exist_ok=True)
    with err.status("reading the samples"):
        documents, truths = load_samples(samples)
    with err.status("running the rules on the CUAD dev half (the thresholds complement them)"):
        rules = rule_predictions(cuad, Analyzer(AnalyzerSettings(use_model=False)))
    with err.status("training (5 cross-validation folds, then the shipped model)"):
        model, oof = train_model(cuad, documents, truths, taxonomy(truths), rules)
    (target / ARTEFACT).write_bytes(model.to_bytes())
    (target / OOF_FILE).write_bytes(oof_to_bytes(oof))
    table = Table("head", "positives", "threshold", title=f"clause model v{model.version}")
    for name, head in sorted(model.categories.items()):
        shown = "rules only" if head.threshold is None else f"{head.threshold:.4f}"
        table.add_row(name, str(head.positives), shown)
    out.print(table)
    out.print(f"wrote {target / ARTEFACT} and {target / OOF_FILE}", soft_wrap=True)


# -- service ------------------------------------------------------------------------------------

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the SQLite database and uploaded files live "
        "(default: PAYERLENS_DATA_DIR, else ./payerlens-data).",
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL, e.g. postgresql://user@host/db "
        "(default: PAYERLENS_DATABASE_URL, else SQLite under the data directory).",
    ),
]


def _settings(data_dir: Path | None, database_url: str | None, **more: object) -> Settings:
    try:
        return Settings.from_env(None, data_dir=data_dir, database_url=database_url, **more)
    except ValueError as exc:
        err.print(f"[red]error[/red] usage.bad_setting: {escape(str(exc))}")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    runner: Annotated[
        str | None,
        typer.Option(
            help="Where analyses run: inprocess (threads of this server, the default) or "
            "celery (workers started with `payerlens worker`)."
        ),
    ] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Run the API (and, by default, the analysis workers) in this process."""
    from service.api.app import serve as run_server

    settings = _settings(data_dir, database_url, runner=runner)
    run_server(settings, host=host, port=port)


@app.command()
def worker(
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", "-c", min=1, help="Pool processes (analyses at once)."),
    ] = 1,
    loglevel: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING, …")] = "INFO",
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
    redis_url: Annotated[
        str | None, typer.Option(help="Celery broker (default: PAYERLENS_REDIS_URL).")
    ] = None,
) -> None:
    """A Celery worker on Redis: takes the analysis jobs of `payerlens serve --runner celery`
    from PAYERLENS_QUEUE, and requeues jobs whose worker died. Same database and data
    directory as the server."""
    from service.jobs.worker import run_worker

    settings = _settings(data_dir, database_url, runner="celery", redis_url=redis_url)
    raise typer.Exit(run_worker(settings, concurrency=concurrency, loglevel=loglevel))


db_app = typer.Typer(no_args_is_help=True, help="The database: schema upgrades.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDirOption = None, database_url: DatabaseOption = None) -> None:
    """Bring the schema up to date (the server and workers also do this when they start)."""
    from service.storage.db import upgrade

    settings = _settings(data_dir, database_url)
    upgrade(settings.url)
    out.print("schema up to date")


admin_app = typer.Typer(no_args_is_help=True, help="Organisations, users and API keys.")
app.add_typer(admin_app, name="admin")


def _admin_session(data_dir: Path | None, database_url: str | None) -> Database:
    return Database(_settings(data_dir, database_url))


def _admin_fail(exc: AccountError) -> NoReturn:
    err.print(f"[red]error[/red] {exc.code}: {escape(exc.message)}")
    raise typer.Exit(1)


@admin_app.command("create-org")
def create_org_command(
    name: Annotated[str, typer.Argument(help="The organisation's name (unique).")],
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create an organisation; prints its id on the last line."""
    database = _admin_session(data_dir, database_url)
    try:
        with database.transaction() as session:
            org = accounts.create_org(session, name)
    except AccountError as exc:
        _admin_fail(exc)
    out.print(f"organisation {escape(org.name)}")
    print(org.id)


@admin_app.command("create-user")
def create_user_command(
    email: Annotated[str, typer.Argument(help="The user's e-mail (unique in the organisation).")],
    org: Annotated[str, typer.Option(help="Organisation name or id.")],
    role: Annotated[str, typer.Option(help="admin, legal, finance or viewer.")] = "viewer",
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create a user in an organisation; prints the user id on the last line."""
    database = _admin_session(data_dir, database_url)
    try:
        with database.transaction() as session:
            found = accounts.find_org(session, org)
            if found is None:
                raise AccountError("not_found", f"No organisation {org!r}.")
            user = accounts.create_user(session, org_id=found.id, email=email, role=role, name=name)
    except AccountError as exc:
        _admin_fail(exc)
    out.print(f"user {escape(user.email)} ({user.role}) in {escape(found.name)}")
    print(user.id)


@admin_app.command("create-key")
def create_key_command(
    user: Annotated[str, typer.Argument(help="The user's e-mail or id.")],
    org: Annotated[str, typer.Option(help="Organisation name or id.")],
    label: Annotated[str | None, typer.Option(help="What the key is for.")] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create an API key; the key is printed once, alone on the last line (only its hash is
    stored)."""
    database = _admin_session(data_dir, database_url)
    try:
        with database.transaction() as session:
            found = accounts.find_org(session, org)
            if found is None:
                raise AccountError("not_found", f"No organisation {org!r}.")
            member = accounts.find_user(session, org_id=found.id, email_or_id=user)
            if member is None:
                raise AccountError("not_found", f"No user {user!r} in {found.name}.")
            row, key = accounts.create_key(session, user_id=member.id, label=label)
    except AccountError as exc:
        _admin_fail(exc)
    out.print(f"key {row.prefix} for {escape(member.email)} ({member.role}); store it now:")
    print(key)


# -- batch --------------------------------------------------------------------------------------


def _default_workers() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))


@app.command()
def batch(
    source: Annotated[
        Path,
        typer.Argument(
            help="A folder (searched recursively) or a .zip archive of contracts: PDF and "
            "Word .docx files; any other file is reported as not a PDF."
        ),
    ],
    org: Annotated[
        str | None,
        typer.Option(
            help="Organisation (name or id) the documents belong to. Default: the one named "
            "'default', created when the database has no organisation yet."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Local worker processes, one analyzer each, each keeping one core busy (OCR "
            "one page at a time) (default: the processors, at most 4).",
        ),
    ] = None,
    queue: Annotated[
        str | None,
        typer.Option(
            help="redis://host:port/db: send the analyses to Celery workers (`payerlens "
            "worker`, PAYERLENS_QUEUE) sharing this database and data directory, instead of "
            "running them here."
        ),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Try files that failed in an earlier run again.")
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds per file before it is stopped and failed (limits.timeout); 0: no limit.",
        ),
    ] = 900.0,
    max_memory_mb: Annotated[
        int,
        typer.Option(
            min=0,
            help="Memory (address space, MiB) per local worker process; a file needing more "
            "fails (limits.memory); 0: no limit.",
        ),
    ] = 3072,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the CSV and HTML summary (default: DATA_DIR/batches/BATCH_ID/).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print each file's status line.")
    ] = False,
    ocr: Annotated[
        bool | None,
        typer.Option("--ocr/--no-ocr", help="OCR scanned pages (default: PAYERLENS_OCR, else on)."),
    ] = None,
    model: Annotated[
        bool | None,
        typer.Option(
            "--model/--no-model",
            help="The clause model's second opinion (default: PAYERLENS_USE_MODEL, else on).",
        ),
    ] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Store and analyse every contract of a folder or zip into the service's database,
    resumably: run it again after a stop or a crash and it goes on where it was; files are
    keyed by SHA-256, so nothing is stored twice. Exit 0 when every file has its final status
    (failed files are listed), 1 when workers could not start or the summary could not be
    written, 2 when the source or options are refused, 130 when stopped (run it again)."""
    from service.batch.pool import PoolBroken
    from service.batch.runner import BatchRefused, run_batch

    settings = _settings(data_dir, database_url, ocr=ocr, use_model=model)
    try:
        report = run_batch(
            settings,
            source,
            org=org,
            workers=workers or _default_workers(),
            queue=queue,
            retry_failed=retry_failed,
            time_limit=time_limit,
            max_memory_mb=max_memory_mb,
            out_dir=out_dir,
            verbose=verbose,
            console=out,
            progress_console=err,
        )
    except BatchRefused as exc:
        err.print(f"[red]error[/red] {exc.code}: {escape(exc.message)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except PoolBroken as exc:
        err.print(f"[red]error[/red] batch.workers_failed: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    raise typer.Exit(report.exit_code)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
