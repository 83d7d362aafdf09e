"""Speed and memory of ``payerlens analyze`` beside two baselines, measured in the same run.

    python bench/bench_analyze.py [--pages 300] [--samples corpus/samples]

For each document set it prints pages/s of
  * pdfplumber ``extract_text`` (each page closed after use),
  * pypdfium2 text extraction (the practical ceiling for reading a PDF's text),
  * the full payerlens analysis (read, layout, spaCy, rules, key terms),
and the peak memory (max RSS) of each, every measurement in a fresh process so none inherits
another's memory. The text-only set is a generated contract with no tables; the samples mix
text pages with ruled rate tables (which pdfplumber reads). Page kinds are also measured apart:
text-only, ruled table, whitespace table, and scanned (OCR'd) text and table pages, each beside
pdfplumber's plain text extraction of the same pages. It also checks that the pdfium
text path yields the same findings as a pdfplumber text path on every document.

This is a benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _measure(tool: str, paths: list[str]) -> dict[str, float]:
    """Runs in a child process: time one tool over the documents, report pages and max RSS."""
    pages = 0
    if tool == "pdfplumber":
        import pdfplumber

        start = time.perf_counter()
        for path in paths:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
                    pages += 1
    elif tool == "pdfium":
        import pypdfium2 as pdfium

        start = time.perf_counter()
        for path in paths:
            pdf = pdfium.PdfDocument(path)
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                pages += 1
            pdf.close()
    elif tool == "payerlens":
        from extractor.analyzer import Analyzer

        loaded = time.perf_counter()
        analyzer = Analyzer()
        load_seconds = time.perf_counter() - loaded
        start = time.perf_counter()
        for path in paths:
            pages += analyzer.analyze_path(Path(path)).source.pages
    else:
        raise SystemExit(f"unknown tool {tool}")
    seconds = time.perf_counter() - start
    result = {
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": pages / seconds if seconds else 0.0,
        "max_rss_mb": _peak_rss_mb(),
        # OCR runs in ocrmypdf/Tesseract child processes; their largest peak, reported apart.
        "children_max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if tool == "payerlens":
        result["load_seconds"] = load_seconds
    return result


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). ``getrusage`` would also count the memory of the
    parent it was forked from, before the exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(tool: str, paths: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", tool, *paths],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _same_findings(paths: list[str]) -> tuple[int, int]:
    from extractor.analyzer import Analyzer, AnalyzerSettings
    from extractor.pdf_reader import ReaderSettings

    fast = Analyzer()
    slow = Analyzer(
        AnalyzerSettings(reader=ReaderSettings(text_engine="pdfplumber")),
        rules=fast.rules,
        nlp=fast.nlp,
    )
    same = 0
    for path in paths:
        a = sorted((f.category, f.page, f.section) for f in fast.analyze_path(Path(path)).findings)
        b = sorted((f.category, f.page, f.section) for f in slow.analyze_path(Path(path)).findings)
        same += a == b
    return same, len(paths)


def _report(name: str, paths: list[str]) -> None:
    figures = {tool: _child(tool, paths) for tool in ("pdfplumber", "pdfium", "payerlens")}
    plumber = figures["pdfplumber"]["pages_per_s"]
    pdfium_rate = figures["pdfium"]["pages_per_s"]
    print(f"\n{name}: {len(paths)} PDF(s), {int(figures['payerlens']['pages'])} pages")
    print(f"{'reader':<28}{'pages/s':>10}{'peak MB':>10}{'vs pdfplumber':>15}")
    for tool, label in (
        ("pdfplumber", "pdfplumber extract_text"),
        ("pdfium", "pypdfium2 text (ceiling)"),
        ("payerlens", "payerlens analyze (full)"),
    ):
        f = figures[tool]
        ratio = f["pages_per_s"] / plumber if plumber else 0.0
        print(f"{label:<28}{f['pages_per_s']:>10.1f}{f['max_rss_mb']:>10.0f}{ratio:>14.1f}x")
    analyze = figures["payerlens"]["pages_per_s"]
    print(
        f"ratios: analyze / pdfplumber = {analyze / plumber:.1f}x; "
        f"analyze / pdfium = {analyze / pdfium_rate:.2f}x; "
        f"pipeline load (spaCy + rules) {figures['payerlens']['load_seconds']:.2f} s, not counted"
    )
    if figures["payerlens"]["children_max_rss_mb"] > 20:
        print(
            f"OCR child processes (ocrmypdf, Tesseract): largest peak "
            f"{figures['payerlens']['children_max_rss_mb']:.0f} MB"
        )


def table_pages(path: Path, pages: int, ruled: bool) -> Path:
    """A fee schedule of ``pages`` pages, 38 rows a page, drawn with or without ruling lines."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    width, height = letter
    columns = (72, 140, 190, 470)  # code, modifier, description, amount (right edge 540)
    code = 10021
    for page in range(pages):
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(
            width / 2, height - 60, f"Exhibit B - Professional Fee Schedule ({page + 1})"
        )
        c.setFont("Helvetica", 9)
        top = height - 90
        for row in range(39):
            y = top - row * 16
            cells = (
                ("CPT", "Mod", "Description", "Allowable")
                if row == 0
                else (
                    str(code + row),
                    "26" if row % 7 == 0 else "",
                    f"Procedure {code + row}, professional component"
                    if row % 7 == 0
                    else f"Procedure {code + row}",
                    f"${(code + row) % 900 + 25}.{row % 100:02d}",
                )
            )
            for x, text in zip(columns[:3], cells[:3], strict=True):
                c.drawString(x + 4, y, text)
            c.drawRightString(536, y, cells[3])
            if ruled:
                c.line(72, y - 5, 540, y - 5)
        if ruled:
            for x in (*columns, 540):
                c.line(x, top + 12, x, top - 38 * 16 - 5)
            c.line(72, top + 12, 540, top + 12)
        code += 40
        c.showPage()
    c.save()
    return path


def scanned_copy(source: Path, target: Path, pages: int) -> Path:
    """The first ``pages`` pages of ``source`` through the corpus scanner (200 dpi, tilted,
    noisy, JPEG; no text layer)."""
    import io

    import pypdfium2 as pdfium

    from corpus.generator.scan import scan_pdf

    first = pdfium.PdfDocument.new()
    first.import_pages(pdfium.PdfDocument(str(source)), list(range(pages)))
    buffer = io.BytesIO()
    first.save(buffer)
    target.write_bytes(scan_pdf(buffer.getvalue(), range(1, pages + 1), seed=target.name))
    return target


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_measure(sys.argv[2], sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages of the text-only contract")
    parser.add_argument("--samples", type=Path, default=REPO / "corpus" / "samples")
    parser.add_argument("--table-pages", type=int, default=30, help="pages of each table set")
    parser.add_argument("--scanned-pages", type=int, default=8, help="pages of each scanned set")
    args = parser.parse_args()

    from corpus.generator.long_contract import build_long_contract

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text_only = work / f"text_only_{args.pages}p.pdf"
        build_long_contract(text_only, args.pages, tables=False)
        with_tables = work / f"with_tables_{args.pages}p.pdf"
        build_long_contract(with_tables, args.pages, tables=True)
        ruled = table_pages(work / "ruled_tables.pdf", args.table_pages, ruled=True)
        unruled = table_pages(work / "whitespace_tables.pdf", args.table_pages, ruled=False)
        scan_text = scanned_copy(text_only, work / "scanned_text.pdf", args.scanned_pages)
        scan_table = scanned_copy(ruled, work / "scanned_tables.pdf", args.scanned_pages)
        samples = sorted(str(p) for p in args.samples.glob("*.pdf"))
        print("Per page kind (each set holds pages of one kind only):")
        _report("text-only pages (generated contract, no tables)", [str(text_only)])
        _report("ruled fee-schedule pages (grid read from pdfium path objects)", [str(ruled)])
        _report("whitespace fee-schedule pages (no ruling lines)", [str(unruled)])
        _report("scanned text pages (OCR)", [str(scan_text)])
        _report("scanned fee-schedule pages (OCR)", [str(scan_table)])
        print("\nMixed documents:")
        _report("pages with ruled tables every ~3 pages (generated contract)", [str(with_tables)])
        _report("sample contracts (text + rate tables, some scanned pages)", samples)
        same, total = _same_findings([str(text_only), *samples])
        print(f"\nsame findings via pdfium and via pdfplumber text: {same}/{total} documents")


if __name__ == "__main__":
    main()
