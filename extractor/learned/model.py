"""The shipped clause model: TF-IDF over word n-grams and one logistic regression per category.

The artefact is plain JSON (gzip, fixed mtime) so it loads without pickle or network and a
rebuild from the repo is byte-identical: vocabulary in index order, idf and weights rounded.
Scoring needs only numpy and scipy; scikit-learn is used to train (``training.py``).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

FORMAT = "payerlens-clause-model/1"
ARTEFACT = "clause_model.json.gz"

_NUMBER = re.compile(r"\d+")
_TOKEN = re.compile(r"[a-z0]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower case with every number folded to ``0``: the model learns "within 0 days", not 90."""
    return _NUMBER.sub("0", text.lower())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def ngrams(words: list[str], n_max: int) -> list[str]:
    out = list(words)
    for n in range(2, n_max + 1):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


@dataclass(frozen=True)
class CategoryModel:
    category: str
    weights: np.ndarray  # dense, one per vocabulary entry
    bias: float
    # A sentence scoring at or above this is a model finding when no rule found its clause;
    # None: the category's held-out data did not support model-only findings (rules only).
    threshold: float | None
    positives: int  # training sentences labelled with the category


@dataclass(frozen=True)
class ClauseModel:
    version: str
    ngram_max: int
    vocabulary: dict[str, int]
    idf: np.ndarray
    categories: dict[str, CategoryModel]
    training: dict[str, Any]

    def vectorize(self, texts: list[str]) -> sparse.csr_matrix:
        """Sublinear tf × idf, rows L2-normalised (as ``TfidfVectorizer(sublinear_tf=True)``)."""
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in ngrams(tokens(text), self.ngram_max):
                j = self.vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append((1.0 + np.log(c)) * self.idf[j])
        m = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float64), (rows, cols)),
            shape=(len(texts), len(self.vocabulary)),
        )
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)

    def scores(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probability per head for each sentence."""
        if not texts:
            return {c: np.zeros(0) for c in self.categories}
        x = self.vectorize(texts)
        return {
            name: 1.0 / (1.0 + np.exp(-(x @ cm.weights + cm.bias)))
            for name, cm in self.categories.items()
        }

    # -- artefact ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        vocab = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "format": FORMAT,
            "version": self.version,
            "ngram_max": self.ngram_max,
            "vocabulary": vocab,
            "idf": [_round(v) for v in self.idf],
            "categories": {
                name: {
                    "bias": _round(cm.bias),
                    "threshold": cm.threshold,
                    "positives": cm.positives,
                    # sparse: most weights of a rare category are ~0 after rounding
                    "weights": {
                        str(j): _round(float(w))
                        for j, w in enumerate(cm.weights)
                        if _round(float(w)) != 0.0
                    },
                }
                for name, cm in sorted(self.categories.items())
            },
            "training": self.training,
        }

    def to_bytes(self) -> bytes:
        payload = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode()
        return gzip.compress(payload, compresslevel=9, mtime=0)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClauseModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artefact: {data.get('format')!r}")
        vocab = {gram: i for i, gram in enumerate(data["vocabulary"])}
        cats = {}
        for name, c in data["categories"].items():
            w = np.zeros(len(vocab))
            for j, v in c["weights"].items():
                w[int(j)] = v
            cats[name] = CategoryModel(name, w, float(c["bias"]), c["threshold"], c["positives"])
        return cls(
            version=data["version"],
            ngram_max=int(data["ngram_max"]),
            vocabulary=vocab,
            idf=np.asarray(data["idf"], dtype=np.float64),
            categories=cats,
            training=data.get("training", {}),
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> ClauseModel:
        return cls.from_json(json.loads(gzip.decompress(raw)))


def _round(value: float) -> float:
    # Four decimals: far below what changes a decision, and it makes rebuilds byte-identical.
    return round(float(value), 4) + 0.0  # + 0.0 turns -0.0 into 0.0


def shipped_model_path() -> Path:
    return Path(str(resources.files("clause_rules") / "model" / ARTEFACT))


def load_model(path: Path | None = None) -> ClauseModel | None:
    """The shipped model, or None when the package carries none (rules alone then)."""
    path = path or shipped_model_path()
    if not path.is_file():
        return None
    return ClauseModel.from_bytes(path.read_bytes())
