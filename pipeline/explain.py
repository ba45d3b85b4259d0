"""Why a category was flagged: the words that pushed its score up most.

Each classifier is linear over the shared features, so a post's decision value is a sum of
feature value × weight. Word n-gram features name themselves; character n-grams are credited to
the word of the normalised text they sit in, so a moderator reads words, not fragments:
``abuse: "scumbag" +2.3, "useless" +0.8``.

>>> explainer = Explainer(model)  # doctest: +SKIP
>>> explainer.explain(*model.featurise(["you useless scumbag"]), {0: ["abuse"]})  # doctest: +SKIP
{0: 'abuse: "scumbag" +2.34, "useless" +1.68, "you" +0.56'}
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from pipeline.classifier import CategoryModel
from pipeline.schema import OUTPUTS

EDGE_PUNCTUATION = ".,!?;:\"'()[]"  # stripped from words; emoji and symbols stay (they carry weight too)


class Explainer:
    """Per-category weight vectors and the feature layout, read once from a fitted model."""

    def __init__(self, model: CategoryModel, top: int = 3):
        self.model, self.top = model, top
        union = model.features.named_steps["vectorise"]
        (_, words), (_, chars) = union.transformer_list
        self.word_names = np.array(words.get_feature_names_out(), dtype=object)
        self.n_words = len(self.word_names)
        self.char_vocab, self.char_grams = chars.vocabulary_, chars.build_analyzer()
        self.weights = {c: model.classifiers[c].calibrated_classifiers_[0].estimator.coef_.ravel()
                        for c in OUTPUTS}

    def explain(self, normalised, X, wanted: dict[int, list[str]]) -> dict[int, str]:
        """For row ``i`` in ``wanted``, a line naming the top words of each category listed.

        ``normalised`` and ``X`` are what ``CategoryModel.featurise`` gave for the posts, so the
        features are computed once for scoring and explaining.
        """
        out = {}
        for i in sorted(wanted):
            x = X.getrow(i)
            out[i] = " | ".join(f"{c}: {self._top_words(x, normalised[i], c)}" for c in wanted[i])
        return out

    def _top_words(self, x, text: str, category: str) -> str:
        w = self.weights[category]
        values = dict(zip(x.indices.tolist(), x.data.tolist()))
        credit: dict[str, float] = defaultdict(float)
        for j, value in zip(x.indices, x.data):
            if j < self.n_words:
                credit[self.word_names[j]] += value * w[j]
        for word in {w.strip(EDGE_PUNCTUATION) for w in text.split()} - {""}:
            for gram in set(self.char_grams(word)):
                j = self.char_vocab.get(gram)
                if j is not None:
                    k = self.n_words + j
                    credit[word] += values.get(k, 0.0) * w[k]
        best = sorted(((v, k) for k, v in credit.items() if v > 0), reverse=True)[: self.top]
        if not x.nnz:
            return "(no word the model knows: the score is its baseline)"
        return ", ".join(f'"{k}" +{v:.2f}' for v, k in best) or "(no single word stands out)"

