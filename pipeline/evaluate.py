"""Metrics per category, threshold tuning, and the figures logged with every run.

>>> m = category_metrics(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), {"act": 0.5, "review": 0.3})
>>> m["precision"], m["recall"], m["review_recall"]
(1.0, 0.5, 1.0)
"""
from __future__ import annotations

import numpy as np
from sklearn.metrics import (average_precision_score, brier_score_loss, confusion_matrix, f1_score,
                             precision_recall_curve, precision_score, recall_score, roc_auc_score)

from pipeline.schema import OUTPUTS


def expected_calibration_error(y: np.ndarray, scores: np.ndarray, bins: int = 10) -> float:
    """Mean |observed rate - mean score| over 10 equal-width score bins, weighted by bin size."""
    if not len(y):
        return float("nan")
    which = np.minimum((scores * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            total += in_bin.sum() * abs(y[in_bin].mean() - scores[in_bin].mean())
    return float(total / len(y))


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
        "brier": float(brier_score_loss(y, scores, pos_label=1)) if len(y) else float("nan"),
        "ece": expected_calibration_error(y, scores),
        "positives": int(y.sum()),
        "negatives": int(len(y) - y.sum()),
    }


def evaluate_scores(labels: np.ndarray, scores: np.ndarray, thresholds: dict[str, dict[str, float]]) -> dict[str, dict]:
    """``category_metrics`` for every category, over the rows whose label is known."""
    results = {}
    for k, category in enumerate(OUTPUTS):
        known = ~np.isnan(labels[:, k])
        if known.sum() == 0:
            continue
        results[category] = category_metrics(labels[known, k].astype(int), scores[known, k], thresholds[category])
    return results


def pr_curve_figure(labels: np.ndarray, scores: np.ndarray, thresholds: dict[str, dict[str, float]], title: str):
    """One figure: the precision-recall curve of every category, act (●) and review (○) points marked."""
    from matplotlib.figure import Figure  # no pyplot: no global state, works under any backend

    fig = Figure(figsize=(6.5, 5))
    ax = fig.subplots()
    for k, category in enumerate(OUTPUTS):
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
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3 * len(OUTPUTS), 3.2))
    axes = fig.subplots(1, len(OUTPUTS))
    for ax, (k, category) in zip(axes, enumerate(OUTPUTS)):
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
    return evaluate_scores(df[list(OUTPUTS)].to_numpy(dtype=float), scores, moderator.thresholds)


def error_rows(df, scores: np.ndarray, thresholds: dict) -> list[dict]:
    """False positives and false negatives at the act threshold, with scores, worst first."""
    rows = []
    for k, category in enumerate(OUTPUTS):
        y = df[category].to_numpy(dtype=float)
        flagged = scores[:, k] >= thresholds[category]["act"]
        for i in np.flatnonzero(~np.isnan(y) & (flagged != (y == 1))):
            rows.append({"category": category, "error": "false positive" if flagged[i] else "false negative",
                         "score": round(float(scores[i, k]), 4), "id": df["id"].iloc[i], "text": df["text"].iloc[i]})
    return sorted(rows, key=lambda r: (r["category"], r["error"], -abs(r["score"] - 0.5)))


def evaluate_model(moderator, data, out_dir, slices_path, suites: bool = False, log: bool = True) -> dict:
    """The full evaluation of a model on a labelled file, written to ``out_dir`` and to MLflow.

    ``out_dir`` gets ``evaluation.json`` (metrics, slices, suites; no texts), ``errors.csv`` (the
    false positives and negatives, with their texts, for the people fixing the data) and figures.
    The MLflow run holds the same figures and JSON, never the texts, and is linked to the model.
    """
    import json
    from pathlib import Path

    import pandas as pd

    from pipeline.data import content_hash, load_labelled
    from pipeline.slices import load_slices, slice_metrics

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    df = load_labelled(data)
    scores = moderator.bundle.model.predict_proba(df["text"].tolist())
    labels = df[list(OUTPUTS)].to_numpy(dtype=float)
    result = {"model_version": moderator.version, "data": str(data), "data_sha256": content_hash(df),
              "posts": len(df), "thresholds": moderator.thresholds,
              "metrics": evaluate_scores(labels, scores, moderator.thresholds),
              "slices": slice_metrics(df, scores, moderator.thresholds, load_slices(slices_path))}
    if suites:
        from pipeline.suites import pass_rates, run_suites

        result["suites"] = pass_rates(run_suites(moderator)).to_dict("records")
    pd.DataFrame(error_rows(df, scores, moderator.thresholds)).to_csv(out_dir / "errors.csv", index=False)
    (out_dir / "evaluation.json").write_text(json.dumps(result, indent=2, default=float) + "\n")
    figures = {"pr_curves.png": pr_curve_figure(labels, scores, moderator.thresholds, f"{data}"),
               "confusion_matrices.png": confusion_figure(labels, scores, moderator.thresholds, f"{data}")}
    for name, fig in figures.items():
        fig.savefig(out_dir / name, dpi=110)
    if log:
        result["mlflow_run_id"] = _log_evaluation(moderator, result, figures)
    return result


def _log_evaluation(moderator, result: dict, figures: dict) -> str:
    """One MLflow run in the 'comment-moderator-evaluation' experiment, linked to the model."""
    import mlflow
    from mlflow.tracking import MlflowClient

    from pipeline.tracking import configure_tracking

    configure_tracking("comment-moderator-evaluation")
    registered = moderator.bundle.meta.get("mlflow", {}).get("registered_model")
    with mlflow.start_run() as run:
        mlflow.set_tags({"model_version": moderator.version, "data": result["data"],
                         "data.sha256": result["data_sha256"],
                         "model.training_run_id": moderator.bundle.meta.get("mlflow", {}).get("run_id", ""),
                         **({"model.registered": f"{registered['name']}/{registered['version']}"} if registered else {})})
        for category, values in result["metrics"].items():
            mlflow.log_metrics({f"eval.{category}.{k}": v for k, v in values.items() if not np.isnan(v)})
        for row in result.get("suites", []):
            mlflow.log_metric(f"suite.{row['suite']}.{row['functionality']}", row["pass_rate"])
        mlflow.log_dict(result, "evaluation.json")
        for name, fig in figures.items():
            mlflow.log_figure(fig, f"figures/{name}")
    if registered:
        try:
            MlflowClient().set_model_version_tag(registered["name"], registered["version"], "last_evaluation_run",
                                                 run.info.run_id)
        except mlflow.exceptions.MlflowException:
            pass  # the version is in another tracking store: the run's tags still name it
    return run.info.run_id
