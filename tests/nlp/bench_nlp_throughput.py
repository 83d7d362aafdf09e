"""Throughput of ``make_nlp()`` in words per second (not collected by pytest).

    python tests/nlp/bench_nlp_throughput.py [TEXT_FILE ...]

Without arguments it reads the first 80 CUAD contracts from the shared data folder (about 4.5 MB).
Words are whitespace-separated chunks; the first pass includes the tokenizer's cold cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractor.nlp.entities import find_entities
from extractor.nlp.pipeline import make_nlp

CUAD = Path("/work/shared/data/cuad/full_contract_txt")


def main(paths: list[Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} files, {sum(map(len, texts)) / 1e6:.2f} MB, {words:,} words")
    nlp = make_nlp()
    for label, run in (
        ("find_entities", lambda: [find_entities(t) for t in texts]),
        ("pipeline, cold", lambda: list(nlp.pipe(texts))),
        ("pipeline, warm", lambda: list(nlp.pipe(texts))),
    ):
        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        print(f"{label:16} {seconds:6.2f} s  {words / seconds:>10,.0f} words/s")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or sorted(CUAD.glob("*.txt"))[:80]
    main(args)
