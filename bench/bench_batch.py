"""Throughput of ``payerlens batch`` over a generated archive, for 1, 2 and N workers.

    python bench/bench_batch.py [--files 200] [--scanned-share 0.15] [--workers 1,2]
                                [--cache-dir DIR] [--out-json PATH]

The archive is generated once and cached (``--cache-dir``, default
``$XDG_CACHE_HOME/payerlens/bench-batch`` or ``~/.cache/...``): ``--files`` PDFs in a few
folders, every one different (the batch stores a file once by its SHA-256), deterministic
(the same options give the same bytes). Most are digital contracts of 2-6 pages from
``corpus.generator.long_contract`` (every other one with a ruled fee schedule); a share
(``--scanned-share``, spread evenly through the archive) are short contracts of 1-2 pages
turned into office scans by ``corpus.generator.scan``, which the batch reads by OCR.

Each worker count runs ``payerlens batch ARCHIVE --workers N`` as a fresh process on a fresh
data directory (SQLite, OCR and the clause model on: the defaults), one after the other in the
same run. Wall time is the whole command (start-up, model loading in each worker, every file,
the summary); pages are those the batch analysed (from its summary). CPU seconds are those of
the whole process tree, OCR programs included (this process becomes a child subreaper, so the
batch's orphaned fork server is waited for too); "cores" is CPU seconds per wall second, and
the machine's load average at the start of each run is printed beside it, since other work on
the machine competes for the same cores. Peak memory is the process tree's: every 0.25 s the
live processes under the command are found and their own high-water marks (VmHWM) added up,
and the largest sum is kept (short-lived OCR children between two samples are missed; the
largest single process is printed too). The default worker counts are 1, 2 and
``os.cpu_count()`` when that is more than 2; the last lines are the scaling ratios to
1 worker.

This is a benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Bump when the archive's content changes, so stale caches are not reused.
ARCHIVE_VERSION = 4
MANIFEST = "manifest.json"
ARCHIVE_DIR = "archive"  # the PDFs, under the cache entry; the manifest beside it
FOLDERS = ("north", "south", "east", "west")


@dataclass(frozen=True)
class FileSpec:
    name: str  # path inside the archive
    kind: str  # "text" or "scanned"
    pages: int
    seed: int
    tables: bool


@dataclass(frozen=True)
class ArchiveSpec:
    files: int = 200
    scanned_share: float = 0.15
    seed: int = 2026

    def __post_init__(self) -> None:
        if self.files < 1:
            raise ValueError("files must be >= 1")
        if not 0.0 <= self.scanned_share <= 1.0:
            raise ValueError("scanned share must be between 0 and 1")

    @property
    def key(self) -> str:
        return f"v{ARCHIVE_VERSION}-{self.files}files-{self.scanned_share:.3f}scanned-{self.seed}"

    def plan(self) -> list[FileSpec]:
        """The files, scanned ones spread evenly (file i is scanned when the running count
        of scanned files steps up there) and named like the others, so they stay spread in
        the batch's path order too (the manifest says which is which)."""
        specs: list[FileSpec] = []
        scanned = 0
        for i in range(self.files):
            is_scan = int((i + 1) * self.scanned_share) > int(i * self.scanned_share)
            folder = FOLDERS[i % len(FOLDERS)]
            seed = self.seed * 100_000 + i
            if is_scan:
                scanned += 1
                pages = 1 + scanned % 2
                name = f"{folder}/contract-{i + 1:04d}.pdf"
                specs.append(FileSpec(name, "scanned", pages, seed, tables=False))
            else:
                pages = 2 + (i * 7) % 5
                name = f"{folder}/contract-{i + 1:04d}.pdf"
                specs.append(FileSpec(name, "text", pages, seed, tables=i % 2 == 0))
        return specs


@dataclass(frozen=True)
class BuiltFile:
    name: str
    kind: str
    pages: int
    sha256: str


@dataclass(frozen=True)
class Archive:
    root: Path
    spec: ArchiveSpec
    files: tuple[BuiltFile, ...]
    built: bool  # False when it came from the cache

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    @property
    def scanned(self) -> tuple[BuiltFile, ...]:
        return tuple(f for f in self.files if f.kind == "scanned")

    def paths(self) -> list[Path]:
        return [self.root / f.name for f in self.files]


def _contract_pdf(pages: int, seed: int, tables: bool) -> bytes:
    from corpus.generator.long_contract import build_long_contract

    with tempfile.TemporaryDirectory(prefix="payerlens-bench-") as tmp:
        path = Path(tmp) / "contract.pdf"
        build_long_contract(path, pages, seed, tables=tables)
        return path.read_bytes()


def make_file(spec: FileSpec) -> bytes:
    """One archive file's bytes (deterministic)."""
    pdf = _contract_pdf(spec.pages, spec.seed, spec.tables)
    if spec.kind == "scanned":
        from corpus.generator.scan import scan_pdf

        pdf = scan_pdf(pdf, range(1, _page_count(pdf) + 1), seed=f"bench-{spec.seed}")
    return pdf


def _page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _make_and_write(spec: FileSpec, root: str) -> BuiltFile:
    data = make_file(spec)
    target = Path(root) / spec.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return BuiltFile(spec.name, spec.kind, _page_count(data), hashlib.sha256(data).hexdigest())


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "payerlens" / "bench-batch"


def build_archive(
    spec: ArchiveSpec, cache_dir: Path | None = None, *, jobs: int | None = None
) -> Archive:
    """The archive for ``spec`` under ``cache_dir`` (made once: a folder with a complete
    manifest whose files are all there is reused)."""
    home = (cache_dir or default_cache_dir()) / spec.key
    cached = _cached(home, spec)
    if cached is not None:
        return cached
    if home.exists():
        shutil.rmtree(home)
    partial = home.with_name(home.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    (partial / ARCHIVE_DIR).mkdir(parents=True)
    plan = spec.plan()
    target = str(partial / ARCHIVE_DIR)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    if workers == 1:
        files = [_make_and_write(f, target) for f in plan]
    else:
        with ProcessPoolExecutor(workers) as pool:
            files = list(pool.map(_make_and_write, plan, [target] * len(plan)))
    shas = [f.sha256 for f in files]
    if len(set(shas)) != len(shas):  # the batch would store duplicates once
        raise RuntimeError("the archive has identical files")
    manifest = {"spec": asdict(spec), "files": [asdict(f) for f in files]}
    # Beside the archive, not in it: the batch would take it for a file of the archive.
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    partial.rename(home)
    return Archive(home / ARCHIVE_DIR, spec, tuple(files), built=True)


def _cached(home: Path, spec: ArchiveSpec) -> Archive | None:
    try:
        manifest = json.loads((home / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("spec") != asdict(spec):
        return None
    try:
        files = tuple(BuiltFile(**f) for f in manifest.get("files") or [])
    except TypeError:
        return None
    root = home / ARCHIVE_DIR
    if len(files) != spec.files or not all((root / f.name).is_file() for f in files):
        return None
    if sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) != sorted(
        f.name for f in files
    ):
        return None  # something else was put in the archive
    return Archive(root, spec, files, built=False)


# ---- measuring ----------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """ppid -> pids, for every process now running."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(root: int) -> Iterator[int]:
    tree = _children()
    stack = [root]
    while stack:
        pid = stack.pop()
        yield pid
        stack.extend(tree.get(pid, ()))


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _own_cpu(pid: int) -> float | None:
    """A process's own user + system seconds (not its children's)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _is_pool_process(pid: int) -> bool:
    """The batch's fork server and the processes forked from it (workers, file checker)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"multiprocessing.forkserver" in f.read()
    except OSError:
        return False


class TreeMemory:
    """Samples a process tree while it runs: its memory, and the CPU time of the batch
    process itself and of its pool processes (the rest, by difference with the total, is the
    OCR programs')."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_sum_kb = 0
        self.peak_one_kb = 0
        self.most_processes = 0
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (role, last seen own CPU s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        marks = []
        for pid in _descendants(self.pid):
            mark = _hwm_kb(pid)
            if not mark:
                continue
            marks.append(mark)
            role = self.cpu.get(pid, ("", 0.0))[0]
            if not role:
                role = "batch" if pid == self.pid else "pool" if _is_pool_process(pid) else "ocr"
            seconds = _own_cpu(pid)
            if seconds is not None:
                self.cpu[pid] = (role, seconds)
        if marks:
            self.peak_sum_kb = max(self.peak_sum_kb, sum(marks))
            self.peak_one_kb = max(self.peak_one_kb, max(marks))
            self.most_processes = max(self.most_processes, len(marks))

    def cpu_of(self, role: str) -> float:
        return sum(seconds for r, seconds in self.cpu.values() if r == role)


@dataclass(frozen=True)
class RunFigures:
    workers: int
    seconds: float
    busy_seconds: float  # first analysis started .. last analysis finished
    cpu_seconds: float  # user + system of the whole tree (OCR programs included)
    cpu_batch: float  # of that, the batch process itself (ingest thread, main loop)
    cpu_pool: float  # the pool processes (analysis; the file checker); the rest is OCR's
    load_before: float  # the machine's 1-minute load average when the run started
    files: int
    succeeded: int
    skipped: int
    failed: int
    pages: int
    ocr_pages: int
    peak_tree_mb: float
    peak_process_mb: float
    processes: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def busy_pages_per_s(self) -> float:
        return self.pages / self.busy_seconds if self.busy_seconds else 0.0

    @property
    def cores_used(self) -> float:
        return self.cpu_seconds / self.seconds if self.seconds else 0.0


PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    """Linux: processes orphaned under us (the batch's fork server outlives the batch by a
    moment) are re-parented to this process, so waiting for them adds their CPU time to
    RUSAGE_CHILDREN."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans(timeout: float = 15.0) -> None:
    """Wait for every remaining child (orphans of the batch adopted by this process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def batch_command(archive: Path, workers: int, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "service.cli", "batch", str(archive),
        "--workers", str(workers), "--out", str(out),
    ]  # fmt: skip


def run_batch(archive: Archive, workers: int, work: Path, log: Path) -> RunFigures:
    """``payerlens batch`` with ``workers`` on a fresh data directory under ``work``."""
    data_dir = work / f"data-{workers}"
    out_dir = work / f"out-{workers}"
    for d in (data_dir, out_dir):
        if d.exists():
            shutil.rmtree(d)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYERLENS_")}
    env["PAYERLENS_DATA_DIR"] = str(data_dir)
    _become_subreaper()
    _reap_orphans(0.1)
    load = _load()
    cpu_before = _children_cpu()
    with log.open("wb") as log_file:
        start = time.perf_counter()
        proc = subprocess.Popen(
            batch_command(archive.root, workers, out_dir),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        with TreeMemory(proc.pid) as memory:
            code = proc.wait()
        seconds = time.perf_counter() - start
    _reap_orphans()
    cpu = _children_cpu() - cpu_before
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"payerlens batch --workers {workers} exited {code}:\n{tail}")
    return _figures(workers, seconds, cpu, load, data_dir, memory)


def _figures(
    workers: int, seconds: float, cpu: float, load: float, data_dir: Path, memory: TreeMemory
) -> RunFigures:
    from sqlalchemy import func
    from sqlmodel import col, select

    from service.batch.summary import build_summary
    from service.settings import Settings
    from service.storage.db import Database
    from service.storage.models import Batch, BatchItem, Job

    database = Database(Settings(data_dir=data_dir), migrate=False)
    try:
        with database.session() as session:
            batch_id = session.exec(select(Batch.id)).one()
            s = build_summary(session, batch_id, date.today())
            # From the first analysis started to the last finished: the pool at work,
            # without start-up (imports, migrations, loading the analyzers) and the summary.
            first, last = session.exec(
                select(func.min(Job.started_at), func.max(Job.finished_at)).where(
                    col(Job.id).in_(select(BatchItem.job_id).where(BatchItem.batch_id == batch_id))
                )
            ).one()
    finally:
        database.dispose()
    busy = (last - first).total_seconds() if first and last else seconds
    return RunFigures(
        workers=workers,
        seconds=seconds,
        busy_seconds=busy,
        cpu_seconds=cpu,
        cpu_batch=memory.cpu_of("batch"),
        cpu_pool=memory.cpu_of("pool"),
        load_before=load,
        files=s.files,
        succeeded=s.count("succeeded"),
        skipped=s.count("skipped"),
        failed=s.count("failed"),
        pages=s.pages,
        ocr_pages=s.ocr_pages,
        peak_tree_mb=memory.peak_sum_kb / 1024,
        peak_process_mb=memory.peak_one_kb / 1024,
        processes=memory.most_processes,
    )


def print_table(results: Sequence[RunFigures]) -> None:
    print(
        f"{'workers':>7}{'files':>7}{'ok':>6}{'failed':>8}{'pages':>7}{'OCR pp':>8}"
        f"{'wall s':>9}{'pages/s':>9}{'CPU s':>8}{'cores':>7}{'peak MB':>9}{'max proc':>10}"
        f"{'procs':>7}{'load':>6}"
    )
    for r in results:
        print(
            f"{r.workers:>7}{r.files:>7}{r.succeeded:>6}{r.failed:>8}{r.pages:>7}"
            f"{r.ocr_pages:>8}{r.seconds:>9.1f}{r.pages_per_s:>9.2f}{r.cpu_seconds:>8.0f}"
            f"{r.cores_used:>7.2f}{r.peak_tree_mb:>9.0f}{r.peak_process_mb:>10.0f}"
            f"{r.processes:>7}{r.load_before:>6.1f}"
        )
    print(
        "cores: CPU seconds of the process tree per wall second; load: the machine's 1-minute "
        "load average at the start (others' work competes for the same cores)"
    )
    for r in results:
        rest = max(0.0, r.cpu_seconds - r.cpu_batch - r.cpu_pool)
        print(
            f"CPU s with {r.workers} worker(s): batch process {r.cpu_batch:.0f}, pool processes "
            f"{r.cpu_pool:.0f}, OCR programs and other children {rest:.0f}"
        )
    for r in results:
        print(
            f"after start-up with {r.workers} worker(s): {r.busy_seconds:.1f} s from the first "
            f"analysis started to the last finished, {r.busy_pages_per_s:.2f} pages/s "
            f"(start-up and summary {r.seconds - r.busy_seconds:.1f} s)"
        )
    by = {r.workers: r for r in results}
    if 1 in by and by[1].pages_per_s:
        for n in sorted(by):
            if n != 1:
                ratio = by[n].pages_per_s / by[1].pages_per_s
                busy = by[n].busy_pages_per_s / by[1].busy_pages_per_s
                print(
                    f"scaling: {n} workers / 1 worker = {ratio:.2f}x ({busy:.2f}x after start-up)"
                )


def _workers(raw: str) -> list[int]:
    try:
        counts = [int(x) for x in raw.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError("workers: comma-separated integers, e.g. 1,2") from exc
    if not counts or any(n < 1 for n in counts):
        raise argparse.ArgumentTypeError("workers: positive integers")
    return counts


def main(argv: list[str] | None = None) -> int:
    cpus = os.cpu_count() or 1
    default_workers = "1,2" + (f",{cpus}" if cpus > 2 else "")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--scanned-share", type=float, default=0.15)
    ap.add_argument("--workers", type=_workers, default=_workers(default_workers))
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--work-dir", type=Path, default=None, help="data dirs and logs (kept)")
    ap.add_argument("--out-json", type=Path, default=None)
    ap.add_argument("--build-only", action="store_true", help="make the archive, run nothing")
    args = ap.parse_args(argv)

    spec = ArchiveSpec(files=args.files, scanned_share=args.scanned_share)
    start = time.perf_counter()
    archive = build_archive(spec, args.cache_dir)
    scanned = archive.scanned
    print(
        f"archive {archive.root}: {len(archive.files)} PDFs ({len(scanned)} scanned), "
        f"{archive.pages} pages ({sum(f.pages for f in scanned)} scanned); "
        + (f"built in {time.perf_counter() - start:.0f} s" if archive.built else "from the cache")
    )
    if args.build_only:
        return 0

    with contextlib.ExitStack() as stack:
        if args.work_dir is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-batch-")))
        else:
            work = args.work_dir
            work.mkdir(parents=True, exist_ok=True)
        results = []
        for n in args.workers:
            log = work / f"batch-{n}.log"
            figures = run_batch(archive, n, work, log)
            print(
                f"  --workers {n}: {figures.seconds:.1f} s, {figures.pages} pages "
                f"({figures.ocr_pages} OCR), {figures.pages_per_s:.2f} pages/s",
                flush=True,
            )
            results.append(figures)
        print()
        print_table(results)
        if args.out_json:
            args.out_json.write_text(
                json.dumps([{**asdict(r), "pages_per_s": r.pages_per_s} for r in results], indent=1)
                + "\n"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
