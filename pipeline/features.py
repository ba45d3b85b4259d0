"""The shared feature space: every post is normalised and vectorised once, for all categories.

Word uni- and bigrams of spaCy lookup lemmas, plus character n-grams within word boundaries
(which survive spelling variants the folding does not catch), each TF-IDF weighted.

>>> feats = build_features(FeatureConfig(min_df=1), lexicon={"shit"})
>>> feats.fit_transform(["sh1t service", "good service"]).shape[0]
2
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.config import FeatureConfig
from pipeline.text import normalise


class Normaliser(TransformerMixin, BaseEstimator):
    """Texts in, normalised texts out (see ``pipeline.text.normalise``); stateless."""

    def __init__(self, lexicon: Iterable[str] = ()):
        self.lexicon = lexicon

    def fit(self, X, y=None):
        self._check(X)
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        self._check(X)
        lexicon = frozenset(self.lexicon)
        return np.array([normalise(str(text), lexicon) for text in _column(X)], dtype=object)

    @staticmethod
    def _check(X) -> None:
        if isinstance(X, str):
            raise ValueError("Normaliser expects an iterable of texts, not a single string")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags


def _column(X) -> Iterable:
    """A 1-D sequence of texts from a list, a Series, or a one-column 2-D array."""
    arr = np.asarray(X, dtype=object)
    return arr[:, 0] if arr.ndim == 2 else arr


class LemmaTokenizer:
    """Lower-case spaCy lookup lemmas from a blank English pipeline (no model download).

    Picklable: the spaCy pipeline is rebuilt on first use after loading, never pickled.
    """

    def __init__(self):
        self._nlp = None

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._nlp = None

    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            nlp = spacy.blank("en")
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
            self._nlp = nlp
        return self._nlp

    def __call__(self, text: str) -> list[str]:
        doc = self.nlp(text)
        return [t.lemma_.lower() for t in doc if not t.is_space]


def build_features(config: FeatureConfig, lexicon: Iterable[str] = ()) -> Pipeline:
    """An unfitted pipeline: texts → sparse TF-IDF matrix of word and character n-grams."""
    words = TfidfVectorizer(
        tokenizer=LemmaTokenizer(), token_pattern=None, lowercase=False,
        ngram_range=(1, config.word_ngram_max), min_df=config.min_df,
        max_features=config.max_word_features, sublinear_tf=True, dtype=np.float32,
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(config.char_ngram_min, config.char_ngram_max),
        min_df=config.min_df, max_features=config.max_char_features, sublinear_tf=True, dtype=np.float32,
    )
    return Pipeline([
        ("normalise", Normaliser(lexicon=tuple(sorted(lexicon)))),
        ("vectorise", FeatureUnion([("words", words), ("chars", chars)])),
    ])
