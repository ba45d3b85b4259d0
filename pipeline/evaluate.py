"""Metrics per category, threshold tuning, and the figures logged with every run.

>>> m = category_metrics(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), {"act": 0.5, "review": 0.3})
>>> m["precision"], m["recall"], m["review_recall"]
(1.0, 0.5, 1.0)
"""
from __future__ import annotations

import numpy as np
from sklearn.metrics import (average_precision_score, confusion_matrix, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score)

from pipeline.schema import CATEGORIES


def category_metrics(y: np.ndarray, scores: np.ndarray, thresholds: dict[str, float]) -> dict[str, float]:
    """Precision, recall, F1 at the act threshold, precision and recall at the review threshold,
    PR-AUC and ROC-AUC, plus support counts."""
    pred = (scores >= thresholds["act"]).astype(int)
    review = (scores >= thresholds["review"]).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "review_precision": float(precision_score(y, review, zero_division=0)),
        "review_recall": float(recall_score(y, review, zero_division=0)),
        "pr_auc": float(average_precision_score(y, scores)) if both else float("nan"),
        "roc_auc": float(roc_auc_score(y, scores)) if both else float("nan"),
        "positives": int(y.sum()),
        "negatives": int(len(y) - y.sum()),
    }


def evaluate_scores(labels: np.ndarray, scores: np.ndarray, thresholds: dict[str, dict[str, float]]) -> dict[str, dict]:
    """``category_metrics`` for every category, over the rows whose label is known."""
    results = {}
    for k, category in enumerate(CATEGORIES):
        known = ~np.isnan(labels[:, k])
        if known.sum() == 0:
            continue
        results[category] = category_metrics(labels[known, k].astype(int), scores[known, k], thresholds[category])
    return results


def pr_curve_figure(labels: np.ndarray, scores: np.ndarray, thresholds: dict[str, dict[str, float]], title: str):
    """One figure: the precision-recall curve of every category, act (●) and review (○) points marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 5))
    for k, category in enumerate(CATEGORIES):
        known = ~np.isnan(labels[:, k])
        y = labels[known, k].astype(int)
        if len(np.unique(y)) < 2:
            continue
        p, r, t = precision_recall_curve(y, scores[known, k])
        line, = ax.plot(r, p, label=f"{category} (AP {average_precision_score(y, scores[known, k]):.2f})")
        for level, marker in (("act", "o"), ("review", "o")):
            at = min(np.searchsorted(t, thresholds[category][level]), len(t) - 1)
            ax.plot(r[at], p[at], marker, color=line.get_color(), fillstyle="full" if level == "act" else "none")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.01), ylim=(0, 1.01), title=title)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def confusion_figure(labels: np.ndarray, scores: np.ndarray, thresholds: dict[str, dict[str, float]], title: str):
    """One figure: a 2x2 confusion matrix per category at its act threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(CATEGORIES), figsize=(3 * len(CATEGORIES), 3.2))
    for ax, (k, category) in zip(axes, enumerate(CATEGORIES)):
        known = ~np.isnan(labels[:, k])
        y = labels[known, k].astype(int)
        cm = confusion_matrix(y, (scores[known, k] >= thresholds[category]["act"]).astype(int), labels=[0, 1])
        ax.imshow(cm, cmap="Blues")
        for (i, j), v in np.ndenumerate(cm):
            ax.text(j, i, str(v), ha="center", va="center", color="black")
        ax.set(title=category, xticks=[0, 1], yticks=[0, 1], xlabel="predicted", ylabel="true")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def evaluate_file(moderator, path) -> dict[str, dict]:
    """Metrics of a loaded model on a labelled file (categories it labels), at the model's thresholds."""
    from pipeline.data import load_labelled

    df = load_labelled(path)
    scores = moderator.bundle.model.predict_proba(df["text"].tolist())
    return evaluate_scores(df[list(CATEGORIES)].to_numpy(dtype=float), scores, moderator.thresholds)
