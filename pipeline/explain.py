"""Why a category was flagged: the words that pushed its score up most.

Each classifier is linear over the shared features, so a post's decision value is a sum of
feature value × weight. Word n-gram features name themselves; character n-grams are credited to
the word of the normalised text they sit in, so a moderator reads words, not fragments:
``abuse: "scumbag" +2.3, "useless" +0.8``. Words the post quotes are shown in quotation marks:
``abuse: "'cow'" +0.4``.

>>> explainer = Explainer(model)  # doctest: +SKIP
>>> explainer.explain(*model.featurise(["you useless scumbag"]), {0: ["abuse"]})  # doctest: +SKIP
{0: 'abuse: "scumbag" +2.34, "useless" +1.68, "you" +0.56'}
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from pipeline.classifier import CategoryModel
from pipeline.features import CACHE_LIMIT
from pipeline.schema import OUTPUTS
from pipeline.text import shown

EDGE_PUNCTUATION = ".,!?;:\"'()[]"  # stripped from words; emoji and symbols stay (they carry weight too)


class Explainer:
    """Per-category weight vectors and the feature layout, read once from a fitted model."""

    def __init__(self, model: CategoryModel, top: int = 3):
        self.model, self.top = model, top
        self.features = model.features
        self.word_names = np.array(model.features.word_names(), dtype=object)
        self.n_words = len(self.word_names)
        self.weights = {c: model.weight(c) for c in OUTPUTS}
        self._char_columns: dict[str, np.ndarray] = {}

    def char_columns(self, word: str) -> np.ndarray:
        """The distinct character n-gram columns of one word (cached, like the featuriser's)."""
        cols = self._char_columns.get(word)
        if cols is None:
            if len(self._char_columns) >= CACHE_LIMIT:
                self._char_columns.clear()
            cols = self._char_columns[word] = np.unique(
                np.array(self.features.char_columns(word.lower()), dtype=np.int64))
        return cols

    def explain(self, normalised, X, wanted: dict[int, list[str]]) -> dict[int, str]:
        """For row ``i`` in ``wanted``, a line naming the top words of each category listed.

        ``normalised`` and ``X`` are what ``CategoryModel.featurise`` gave for the posts, so the
        features are computed once for scoring and explaining.
        """
        out = {}
        for i in sorted(wanted):
            start, end = X.indptr[i], X.indptr[i + 1]
            if start == end:
                out[i] = " | ".join(f"{c}: (no word the model knows: the score is its baseline)" for c in wanted[i])
                continue
            row = _Row(self, X.indices[start:end], X.data[start:end], normalised[i])
            out[i] = " | ".join(f"{c}: {row.top_words(self.weights[c], self.top)}" for c in wanted[i])
        return out


class _Row:
    """One post's features, laid out to credit each category's weights to the words of the post."""

    def __init__(self, explainer: Explainer, indices: np.ndarray, values: np.ndarray, text: str):
        is_word = indices < explainer.n_words
        self.word_cols, self.word_values = indices[is_word], values[is_word]
        self.word_names = explainer.word_names[self.word_cols]
        self.char_cols, self.char_values = indices[~is_word], values[~is_word]
        # Each word of the text owns its character n-grams (a shared n-gram counts for each word).
        self.words = sorted({w.strip(EDGE_PUNCTUATION) for w in text.split()} - {""})
        grams = [explainer.char_columns(word) for word in self.words]
        cols = np.concatenate(grams) if grams else np.zeros(0, dtype=np.int64)
        owner = np.repeat(np.arange(len(grams)), [len(g) for g in grams])
        pos = np.searchsorted(self.char_cols, cols).clip(max=max(len(self.char_cols) - 1, 0))
        present = (self.char_cols[pos] == cols) if len(self.char_cols) else np.zeros(len(cols), dtype=bool)
        self.owner, self.pos = owner[present], pos[present]

    def top_words(self, weights: np.ndarray, top: int) -> str:
        credit: dict[str, float] = defaultdict(float)
        for name, value in zip(self.word_names, (self.word_values * weights[self.word_cols]).tolist()):
            credit[name] += value
        char = self.char_values * weights[self.char_cols]
        by_word = np.bincount(self.owner, weights=char[self.pos], minlength=len(self.words))
        for word, value in zip(self.words, by_word.tolist()):
            credit[word] += value
        best = sorted(((v, k) for k, v in credit.items() if v > 0), reverse=True)[:top]
        return ", ".join(f'"{shown(k)}" +{v:.2f}' for v, k in best) or "(no single word stands out)"
