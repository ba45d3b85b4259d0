"""Figures for the notebooks that the training and evaluation runs do not draw themselves.

Built on ``matplotlib.figure.Figure``, not pyplot: no global figure state and no backend switch,
so a figure shows once as a notebook cell's value and saves the same way from a script.

>>> table = reliability_table(np.array([0, 0, 1, 1]), np.array([0.25, 0.25, 0.75, 0.75]), bins=2)
>>> table.to_dict("list")
{'bin': [0, 1], 'mean_score': [0.25, 0.75], 'observed': [0.0, 1.0], 'posts': [2, 2]}
>>> fig = heatmap_figure(pd.DataFrame([[0.5, None]], index=["short"], columns=["abuse", "spam"]), "F1")
>>> [t.get_text() for t in fig.axes[0].texts]
['0.50', '–']
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from pipeline.evaluate import expected_calibration_error
from pipeline.schema import OUTPUTS


def _panels(n: int, title: str, cols: int = 3, size: tuple[float, float] = (3.6, 3.2)):
    """A figure with ``n`` panels in rows of ``cols``; unused panels hidden."""
    rows = -(-n // cols)
    fig = Figure(figsize=(size[0] * cols, size[1] * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle(title)
    return fig, axes[:n]


def reliability_table(y: np.ndarray, scores: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per non-empty score bin (the equal-width bins of ``expected_calibration_error``): the mean
    score, the observed rate of positives and the number of posts."""
    which = np.minimum((np.asarray(scores) * bins).astype(int), bins - 1)
    frame = pd.DataFrame({"bin": which, "score": np.asarray(scores, dtype=float), "y": np.asarray(y, dtype=float)})
    table = frame.groupby("bin").agg(mean_score=("score", "mean"), observed=("y", "mean"), posts=("y", "size"))
    return table.reset_index()


def reliability_figure(labels: np.ndarray, scores: np.ndarray, bins: int = 10, title: str = "Calibration"):
    """A reliability diagram per output (rows with a known label only), its ECE in the title.

    Points on the diagonal are calibrated; below it the model is over-confident. Marker area
    grows with the posts in the bin, so a wild point resting on three posts looks small.
    """
    fig, axes = _panels(len(OUTPUTS), title)
    for ax, (k, category) in zip(axes, enumerate(OUTPUTS)):
        known = ~np.isnan(labels[:, k])
        ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1)
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="mean score in bin", ylabel="observed rate")
        if not known.any():
            ax.set_title(f"{category}: no labels")
            continue
        y, s = labels[known, k], scores[known, k]
        table = reliability_table(y, s, bins)
        ax.plot(table["mean_score"], table["observed"], color="C0")
        ax.scatter(table["mean_score"], table["observed"], s=12 + 300 * table["posts"] / table["posts"].max(),
                   color="C0", alpha=0.6)
        ax.set_title(f"{category}: ECE {expected_calibration_error(y.astype(int), s, bins):.3f} (n={len(y)})")
    return fig


def threshold_figure(curves: dict[str, dict[str, list[float]]], thresholds: dict[str, dict[str, float]],
                     title: str = "Validation precision and recall by threshold"):
    """Precision and recall against the threshold on each category's stored validation curve,
    with the act (solid) and review (dashed) thresholds the model uses."""
    fig, axes = _panels(len(OUTPUTS), title)
    for ax, category in zip(axes, OUTPUTS):
        ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="threshold")
        pr = curves.get(category)
        if not pr or not pr.get("threshold"):
            ax.set_title(f"{category}: no validation curve")
            continue
        ax.plot(pr["threshold"], pr["precision"], label="precision")
        ax.plot(pr["threshold"], pr["recall"], label="recall")
        for level, style in (("act", "-"), ("review", "--")):
            t = thresholds[category][level]
            ax.axvline(t, color="black", ls=style, lw=1, label=f"{level} {t:.2f}")
        ax.set_title(category)
        ax.legend(fontsize=7, loc="lower left")
    return fig


def heatmap_figure(table: pd.DataFrame, title: str, fmt: str = "{:.2f}", cmap: str = "RdYlGn",
                   vmin: float | None = 0.0, vmax: float | None = 1.0):
    """A table as a heatmap with its values written in the cells (a missing value shows '–')."""
    values = table.to_numpy(dtype=float)
    norm = Normalize(vmin=np.nanmin(values) if vmin is None else vmin,
                     vmax=np.nanmax(values) if vmax is None else vmax)
    colours = colormaps[cmap]
    fig = Figure(figsize=(1.2 + 1.1 * table.shape[1], 1.0 + 0.45 * table.shape[0]), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colours, norm=norm, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        r, g, b, _ = colours(norm(v)) if not np.isnan(v) else (1, 1, 1, 1)
        ax.text(j, i, "–" if np.isnan(v) else fmt.format(v), ha="center", va="center", fontsize=8,
                color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=30, ha="right")
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.8)
    return fig
