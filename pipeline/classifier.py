"""The per-category classifiers over the shared feature space, with their thresholds.

One calibrated logistic regression per category (and one for the urgent flag), each fitted only on the rows whose label for
that category is known (a public corpus that labels only spam says nothing about abuse).

>>> model = CategoryModel.fit_new(texts, labels, weights, config)  # doctest: +SKIP
>>> model.predict_proba(["you absolute sh1te"])  # doctest: +SKIP
array([[0.97, 0.02, 0.01, 0.03, 0.01]], dtype=float32)
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from pipeline.config import Config
from pipeline.features import build_features
from pipeline.schema import OUTPUTS
from pipeline.thresholds import plain


@dataclass
class CategoryModel:
    """Fitted features, one classifier per category, and per-category thresholds."""

    features: Pipeline
    classifiers: dict[str, CalibratedClassifierCV]
    points: dict[str, dict[str, dict]]  # category -> {"act": point, "review": point}, see pipeline.thresholds
    curves: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # validation PR curves

    @property
    def thresholds(self) -> dict[str, dict[str, float]]:
        """``{category: {"act": t, "review": t}}``."""
        return plain(self.points)

    @classmethod
    def fit_new(cls, texts: Sequence[str], labels: np.ndarray, weights: np.ndarray,
                config: Config, lexicon: frozenset[str] = frozenset()) -> "CategoryModel":
        """Fit features on all ``texts``; fit each category on rows where its label is not NaN."""
        features = build_features(config.features, lexicon)
        X = features.fit_transform(list(texts))
        classifiers = {}
        for k, category in enumerate(OUTPUTS):
            known = ~np.isnan(labels[:, k])
            y = labels[known, k].astype(int)
            if known.sum() < 10 or len(set(y)) < 2:
                raise ValueError(f"category '{category}' has {known.sum()} labelled rows and classes "
                                 f"{sorted(set(y))}: it needs both 0 and 1 to train")
            classifiers[category] = _classifier(config).fit(X[known], y, sample_weight=weights[known])
        untuned = {"threshold": 0.5, "precision": None, "recall": None, "chosen_by": "default (not tuned)"}
        return cls(features, classifiers, {c: {"act": dict(untuned), "review": dict(untuned)} for c in OUTPUTS})

    def featurise(self, texts: Sequence[str]) -> tuple[np.ndarray, sp.csr_matrix]:
        """The normalised texts and the feature matrix, computed step by step (the same as
        ``features.transform``, without the per-call validation of Pipeline and FeatureUnion, which
        costs more than the work for one post)."""
        normalised = self.features.named_steps["normalise"].transform(list(texts))
        parts = [v.transform(normalised) for _, v in self.features.named_steps["vectorise"].transformer_list]
        return normalised, sp.hstack(parts, format="csr")

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.featurise(texts)[1]

    def predict_proba(self, texts: Sequence[str], X=None) -> np.ndarray:
        """Probabilities, shape (n_posts, n_outputs), columns in ``OUTPUTS`` order.

        The same numbers as each classifier's ``predict_proba``, computed in one sparse product:
        a calibrated logistic regression with ``ensemble=False`` is ``expit(-(a·(x·w + b) + c))``.
        """
        X = self.transform(texts) if X is None else X
        if X.shape[0] == 0:
            return np.zeros((0, len(OUTPUTS)), dtype=np.float32)
        W, b, a, c = self._linear
        decision = np.asarray(X @ W) + b
        return expit(-(a * decision + c)).astype(np.float32)

    @cached_property
    def _linear(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Stacked weights, intercepts and sigmoid calibration of every output (derived, not saved)."""
        fitted = [self.classifiers[o].calibrated_classifiers_[0] for o in OUTPUTS]
        W = np.column_stack([f.estimator.coef_.ravel() for f in fitted])
        b = np.array([f.estimator.intercept_[0] for f in fitted])
        a = np.array([f.calibrators[0].a_ for f in fitted])
        c = np.array([f.calibrators[0].b_ for f in fitted])
        return W, b, a, c


def _classifier(config: Config) -> CalibratedClassifierCV:
    base = LogisticRegression(
        C=config.model.C, class_weight=config.model.class_weight or None,
        max_iter=config.model.max_iter, solver="liblinear", random_state=config.seed,
    )
    # ensemble=False: one model fitted on all rows, calibrated on cross-validated predictions,
    # so a category has a single weight vector (which explanations read).
    return CalibratedClassifierCV(base, method=config.model.calibration, cv=config.model.calibration_folds,
                                  ensemble=False)
