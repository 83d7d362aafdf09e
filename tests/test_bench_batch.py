"""The batch benchmark's archive generator (bench/bench_batch.py) makes valid, distinct,
deterministic PDFs, text and scanned, and reuses its cache. The benchmark itself is not run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bench.bench_batch import ArchiveSpec, build_archive, make_file
from corpus.generator.scan import text_chars


def test_plan_mixes_scanned_files_evenly() -> None:
    plan = ArchiveSpec(files=200, scanned_share=0.15).plan()
    assert len(plan) == 200 and len({f.name for f in plan}) == 200
    scanned = [i for i, f in enumerate(plan) if f.kind == "scanned"]
    assert len(scanned) == 30
    # Spread through the archive, not bunched at one end.
    assert scanned[0] < 10 and scanned[-1] > 190
    assert all(2 <= f.pages <= 6 for f in plan if f.kind == "text")
    assert all(1 <= f.pages <= 2 for f in plan if f.kind == "scanned")
    with pytest.raises(ValueError):
        ArchiveSpec(files=10, scanned_share=1.5)


def test_archive_files_are_valid_pdfs(tmp_path: Path) -> None:
    spec = ArchiveSpec(files=4, scanned_share=0.25)
    archive = build_archive(spec, tmp_path, jobs=1)
    assert archive.built
    assert [f.kind for f in archive.files] == ["text", "text", "text", "scanned"]
    for built, path in zip(archive.files, archive.paths(), strict=True):
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
        assert hashlib.sha256(data).hexdigest() == built.sha256
        chars = text_chars(data)  # opens the PDF with pdfium: it parses
        assert len(chars) == built.pages >= 1
        if built.kind == "scanned":
            assert chars == [0] * built.pages  # image only: OCR has to read it
        else:
            assert all(n > 200 for n in chars)
    assert len({f.sha256 for f in archive.files}) == 4
    # The archive holds the PDFs only (its manifest lies beside it): the batch reads it all.
    assert sorted(p for p in archive.root.rglob("*") if p.is_file()) == sorted(archive.paths())

    again = build_archive(spec, tmp_path, jobs=1)
    assert not again.built and again.files == archive.files
    # Deterministic: the same spec gives the same bytes.
    scanned = spec.plan()[3]
    assert hashlib.sha256(make_file(scanned)).hexdigest() == archive.files[3].sha256
