"""Synthetic payer-contract corpus: PDF samples with ground truth.

Run ``python -m corpus.generator.generate_samples`` from the repository root to
(re)write ``corpus/samples``; see ``corpus/README.md``.
"""
