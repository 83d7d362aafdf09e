"""Second holdout set: six contracts in voices unlike ``corpus/samples`` and ``corpus/holdout``.

    python -m corpus.generator.holdout2.generate [--out corpus/holdout2]

Only the layout / locating machinery of ``corpus.generator`` is shared; every clause here was
written for this set.
"""
