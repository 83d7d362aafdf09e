"""Imported by the batch's fork server only (``pool.PRELOAD``), never by the batch itself: the
validated rule set and the shipped clause model, loaded once there, so every worker process
forked from it starts with them (shared copy-on-write) instead of loading them again (about
4 s of CPU per worker, and per replacement after a timeout). Analyses are the same either way:
the worker's ``AnalyzerFactory`` gets exactly what it would load itself."""

from __future__ import annotations

from typing import Any

RULES: Any = None
MODEL: Any = None

try:
    from extractor.learned.model import load_model
    from extractor.rules.loader import load_rules

    RULES = load_rules(None)
    MODEL = load_model()
except Exception:  # a worker then loads them itself, and reports what is wrong
    RULES = MODEL = None
