"""Two operating points per category: act automatically, or queue for a person to review.

The *act* threshold is the lowest score whose precision on validation data reaches the target
(0.95 by default): above it the office acts without a person. The *review* threshold is the
highest score whose recall reaches its target (0.90): between the two, a post is hidden pending
review. Both are stored in the model's ``thresholds.json`` with the precision and recall they
gave on validation data, beside the validation precision-recall curve (``validation_curves.json``)
so that ``moderate thresholds`` can move them later without retraining or the data.

>>> y, s = np.array([0, 0, 1, 0, 1, 1]), np.array([0.1, 0.3, 0.35, 0.5, 0.8, 0.9])
>>> points = choose_points(curve(y, s), act_precision=0.95, review_recall=0.9)
>>> points["act"]["threshold"], points["review"]["threshold"]
(0.8, 0.35)
"""
from __future__ import annotations

import numpy as np

from pipeline.schema import OUTPUTS

MAX_CURVE_POINTS = 400


def curve(y: np.ndarray, scores: np.ndarray) -> dict[str, list[float]]:
    """The validation PR curve as thresholds with their precision and recall (at most 400 points)."""
    from sklearn.metrics import precision_recall_curve  # training and evaluation only: scoring never needs it

    precision, recall, thresholds = precision_recall_curve(y, scores)
    keep = np.unique(np.linspace(0, len(thresholds) - 1, min(len(thresholds), MAX_CURVE_POINTS)).astype(int))
    return {"threshold": thresholds[keep].round(6).tolist(), "precision": precision[keep].round(4).tolist(),
            "recall": recall[keep].round(4).tolist()}


def point_at(pr: dict[str, list[float]], threshold: float, chosen_by: str) -> dict:
    """The operating point a threshold gives on a stored curve (the nearest curve point at or above it)."""
    t = np.asarray(pr["threshold"])
    i = min(int(np.searchsorted(t, threshold)), len(t) - 1)
    return {"threshold": float(threshold), "precision": pr["precision"][i], "recall": pr["recall"][i],
            "chosen_by": chosen_by}


def act_point(pr: dict[str, list[float]], target_precision: float) -> dict:
    """The lowest threshold reaching ``target_precision``; F1-best when no threshold reaches it."""
    p, r, t = (np.asarray(pr[k]) for k in ("precision", "recall", "threshold"))
    ok = np.flatnonzero((p >= target_precision) & (r > 0))
    if len(ok):
        return point_at(pr, float(t[ok[0]]), f"precision >= {target_precision} on validation")
    f1 = 2 * p * r / np.maximum(p + r, 1e-12)
    best = len(f1) - 1 - int(np.argmax(f1[::-1]))
    return point_at(pr, float(t[best]), f"precision {target_precision} not reached on validation: best F1")


def review_point(pr: dict[str, list[float]], target_recall: float) -> dict:
    """The highest threshold whose recall still reaches ``target_recall``."""
    r, t = np.asarray(pr["recall"]), np.asarray(pr["threshold"])
    ok = np.flatnonzero(r >= target_recall)
    threshold = float(t[ok[-1]]) if len(ok) else float(t[0])
    return point_at(pr, threshold, f"recall >= {target_recall} on validation")


def choose_points(pr: dict[str, list[float]], act_precision: float, review_recall: float) -> dict[str, dict]:
    """Both operating points for one category, from its validation curve; review is never above act."""
    act, review = act_point(pr, act_precision), review_point(pr, review_recall)
    if review["threshold"] > act["threshold"]:
        review = {**act, "chosen_by": review["chosen_by"] + " (capped at the act threshold)"}
    return {"act": act, "review": review}


def plain(points: dict[str, dict[str, dict]]) -> dict[str, dict[str, float]]:
    """``{category: {"act": t, "review": t}}`` from the stored operating points."""
    return {c: {level: p["threshold"] for level, p in levels.items()} for c, levels in points.items()}


def levels_of(scores: np.ndarray, thresholds: dict[str, dict[str, float]],
              outputs: tuple[str, ...] = OUTPUTS) -> list[dict[str, str]]:
    """Each post's level per output: "act" at or above the act threshold, "review" at or above the
    review threshold, else "none".

    >>> levels_of(np.array([[0.9], [0.5], [0.1]]), {"abuse": {"act": 0.8, "review": 0.4}}, ("abuse",))
    [{'abuse': 'act'}, {'abuse': 'review'}, {'abuse': 'none'}]
    """
    act = np.array([thresholds[c]["act"] for c in outputs])
    review = np.array([thresholds[c]["review"] for c in outputs])
    codes = np.where(scores >= act, 2, np.where(scores >= review, 1, 0)).tolist()
    names = ("none", "review", "act")
    return [{c: names[v] for c, v in zip(outputs, row)} for row in codes]


def move(points: dict, curves: dict, category: str, *, act: float | None = None, review: float | None = None,
         act_precision: float | None = None, review_recall: float | None = None) -> dict:
    """``points`` with one category's thresholds moved, by value or by a new target on its curve."""
    pr, current = curves[category], dict(points[category])
    if act_precision is not None:
        current["act"] = act_point(pr, act_precision)
    if act is not None:
        current["act"] = point_at(pr, act, "set by hand")
    if review_recall is not None:
        current["review"] = review_point(pr, review_recall)
    if review is not None:
        current["review"] = point_at(pr, review, "set by hand")
    if current["review"]["threshold"] > current["act"]["threshold"]:
        raise ValueError(f"{category}: review threshold {current['review']['threshold']} is above the act "
                         f"threshold {current['act']['threshold']}")
    return {**points, category: current}
