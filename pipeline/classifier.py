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
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from pipeline.config import Config
from pipeline.features import Featuriser
from pipeline.schema import OUTPUTS
from pipeline.thresholds import plain

if TYPE_CHECKING:  # scikit-learn is needed to fit, not to score: it is imported only to train
    from sklearn.calibration import CalibratedClassifierCV


@dataclass
class CategoryModel:
    """Fitted features, one linear classifier per output, and per-category thresholds.

    Each classifier is kept as plain arrays: ``weights`` (n_features × n_outputs), ``intercepts``,
    and the sigmoid calibration ``slopes`` and ``offsets``, so that scoring is one sparse product and
    a saved model holds no pickled code.
    """

    features: Featuriser
    weights: np.ndarray
    intercepts: np.ndarray
    slopes: np.ndarray
    offsets: np.ndarray
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
        features = Featuriser.fit(texts, config.features, lexicon)
        X = features.vectorise(features.normalise(texts))
        classifiers = {}
        for k, category in enumerate(OUTPUTS):
            known = ~np.isnan(labels[:, k])
            y = labels[known, k].astype(int)
            if known.sum() < 10 or len(set(y)) < 2:
                raise ValueError(f"category '{category}' has {known.sum()} labelled rows and classes "
                                 f"{sorted(set(y))}: it needs both 0 and 1 to train")
            classifiers[category] = _classifier(config).fit(X[known], y, sample_weight=weights[known])
        return cls.from_classifiers(features, classifiers)

    @classmethod
    def from_classifiers(cls, features: Featuriser, classifiers: dict[str, CalibratedClassifierCV]) -> "CategoryModel":
        """The arrays of fitted calibrated logistic regressions (``ensemble=False``: one each)."""
        fitted = [classifiers[o].calibrated_classifiers_[0] for o in OUTPUTS]
        untuned = {"threshold": 0.5, "precision": None, "recall": None, "chosen_by": "default (not tuned)"}
        return cls(
            features,
            weights=np.column_stack([f.estimator.coef_.ravel() for f in fitted]).astype(np.float64),
            intercepts=np.array([f.estimator.intercept_[0] for f in fitted], dtype=np.float64),
            slopes=np.array([f.calibrators[0].a_ for f in fitted], dtype=np.float64),
            offsets=np.array([f.calibrators[0].b_ for f in fitted], dtype=np.float64),
            points={c: {"act": dict(untuned), "review": dict(untuned)} for c in OUTPUTS},
        )

    def featurise(self, texts: Sequence[str]) -> tuple[list[str], sp.csr_matrix]:
        """The normalised texts and their feature matrix."""
        return self.features.transform(texts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.featurise(texts)[1]

    def predict_proba(self, texts: Sequence[str], X=None) -> np.ndarray:
        """Probabilities, shape (n_posts, n_outputs), columns in ``OUTPUTS`` order.

        The same numbers as each fitted ``CalibratedClassifierCV.predict_proba``: a calibrated
        logistic regression with ``ensemble=False`` is ``expit(-(a·(x·w + b) + c))``.
        """
        X = self.transform(texts) if X is None else X
        if X.shape[0] == 0:
            return np.zeros((0, len(OUTPUTS)), dtype=np.float32)
        decision = np.asarray(X @ self.weights) + self.intercepts
        z = np.clip(self.slopes * decision + self.offsets, -500.0, 500.0)
        return (1.0 / (1.0 + np.exp(z))).astype(np.float32)

    def weight(self, output: str) -> np.ndarray:
        """One output's weight per feature (what explanations read)."""
        return self.weights[:, OUTPUTS.index(output)]


def _classifier(config: Config) -> CalibratedClassifierCV:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    base = LogisticRegression(
        C=config.model.C, class_weight=config.model.class_weight or None,
        max_iter=config.model.max_iter, solver="liblinear", random_state=config.seed,
    )
    # ensemble=False: one model fitted on all rows, calibrated on cross-validated predictions,
    # so a category has a single weight vector (which explanations read).
    return CalibratedClassifierCV(base, method=config.model.calibration, cv=config.model.calibration_folds,
                                  ensemble=False)
