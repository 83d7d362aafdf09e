"""Memory stays flat with length: a 300-page contract analyses in well under 400 MB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from corpus.generator.long_contract import build_long_contract
from tests.conftest import REPO

# VmHWM is the peak of this process's own memory map. ru_maxrss would also count what the
# process held before exec: a child forked from a large pytest process starts with the
# parent's pages in its RSS (seen: 422 MB reported for a run whose own peak is about 185 MB).
MEASURE = """
import resource, sys
from pathlib import Path
from extractor.analyzer import Analyzer
result = Analyzer().analyze_path(Path(sys.argv[1]))
assert result.source.pages == int(sys.argv[2]), result.source.pages
try:
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(result.findings), peak_kb // 1024)
"""


def test_300_page_contract_peak_memory_under_400_mb(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    build_long_contract(path, 300)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), "300"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    findings, peak_mb = (int(x) for x in out.stdout.split())
    assert findings > 50  # the long contract restates risky articles in every attachment
    assert peak_mb < 400, f"peak RSS {peak_mb} MB"
