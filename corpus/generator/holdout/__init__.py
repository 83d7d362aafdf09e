"""Holdout contracts: drafted in a different voice from ``corpus/samples`` to test generalisation.

    python -m corpus.generator.holdout.generate [--out corpus/holdout]

Only the layout / locating machinery of ``corpus.generator`` is shared; every clause here was
written for the holdout and deliberately avoids the samples' sentence patterns.
"""
