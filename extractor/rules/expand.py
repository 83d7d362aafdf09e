"""Bounded token runs (``{"OP": "{0,12}"}``) rewritten as exact counts, so spaCy matches them in
linear time.

spaCy's Matcher expands ``{n,m}`` into ``n`` required and ``m - n`` optional (``?``) copies of
the token and keeps every path through them as a separate state: a run of twelve optional
wildcards is up to 2**12 states per start. One prompt-payment pattern took 150 ms on a
17-token sentence, and a 300-page contract spent four fifths of its analysis there. A pattern
with such runs is the union of the patterns with one exact count per run (``{k}``: ``k``
required copies, no branching), so it is added as those variants instead: the same
(start, end) matches, found in linear time. But the matcher tries every pattern at every token,
so variants have a cost too: runs of fewer than ``MIN_WIDTH`` choices stay as written, and a
pattern whose variants would exceed ``MAX_VARIANTS`` keeps its narrowest runs as written. The
two limits are the fastest of a sweep on a 300-page contract (13.8 s against 20.5 s with every
run expanded and 32 s with none).
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

Pattern = list[dict[str, Any]]

_RANGE = re.compile(r"^\{(\d*),(\d+)\}$")
MIN_WIDTH = 7  # choices (m - n + 1) below which a run stays as written
MAX_VARIANTS = 50


def _choices(token: dict[str, Any]) -> range | None:
    op = token.get("OP")
    match = _RANGE.match(op) if isinstance(op, str) else None
    if not match:
        return None
    low, high = int(match.group(1) or 0), int(match.group(2))
    return range(low, high + 1) if high - low + 1 >= MIN_WIDTH else None


def _exactly(token: dict[str, Any], count: int) -> Pattern:
    if count == 0:
        return []
    plain = {key: value for key, value in token.items() if key != "OP"}
    return [plain] if count == 1 else [{**plain, "OP": f"{{{count}}}"}]


def expand_bounded_runs(pattern: Pattern) -> list[Pattern]:
    """``pattern`` as patterns without wide ``{n,m}`` runs, matching the same token spans."""
    runs = {i: c for i, token in enumerate(pattern) if (c := _choices(token)) is not None}
    # Narrow runs branch least: they are the first kept as written when over budget.
    while runs and math.prod(len(c) for c in runs.values()) > MAX_VARIANTS:
        del runs[min(runs, key=lambda i: len(runs[i]))]
    if not runs:
        return [pattern]
    positions = sorted(runs)
    variants = []
    for counts in itertools.product(*(runs[i] for i in positions)):
        chosen = dict(zip(positions, counts, strict=True))
        variant: Pattern = []
        for i, token in enumerate(pattern):
            variant.extend(_exactly(token, chosen[i]) if i in chosen else [token])
        if variant:
            variants.append(variant)
    return variants


def expand_all(patterns: list[Pattern]) -> list[Pattern]:
    return [variant for pattern in patterns for variant in expand_bounded_runs(pattern)]
