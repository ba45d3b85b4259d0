# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Model evaluation
#
# How a model (by default the one in `models/DEFAULT`) does on a labelled file (by default our
# corpus), category by category:
#
# 1. precision-recall curves, with the two operating points the model uses;
# 2. calibration: does a score of 0.7 mean "70 % of such posts are positive"?
# 3. the threshold trade-off on the model's own validation data, where its thresholds were chosen;
# 4. confusion matrices at the act threshold;
# 5. slices: the same metrics on subsets where a model may do worse (a platform, short posts,
#    dialect, posts naming a protected group...).
#
# The model *acts* on its own (hides or removes) at or above a category's **act** threshold, chosen
# for high precision; between the **review** and the act threshold a post is queued for a person,
# the review threshold being chosen for high recall. `moderate evaluate` writes the same metrics
# to MLflow; this notebook is for looking at them.

# %% tags=["parameters"]
import os

from pipeline.bundle import default_model_path
from pipeline.config import REPO_ROOT

os.chdir(REPO_ROOT)  # every path is relative to the repository root, wherever Jupyter was started
# A model folder or MLflow URI (models:/comment-moderator@champion); else the one named in models/DEFAULT
# (`moderate train --set-default`, or `make model`, makes one). `or`, not a get() default: no models/DEFAULT is fine
# when the variable is set.
MODEL = os.environ.get("MODERATE_NB_MODEL") or str(default_model_path())
DATA = os.environ.get("MODERATE_NB_DATA", "data/opcc/posts.jsonl")
SLICES = "configs/slices.toml"
MIN_POSITIVES = 5  # slice cells with fewer positives than this are left blank: too few to mean anything

# %%
# %matplotlib inline
import warnings
from pathlib import Path

import pandas as pd

from pipeline import load_model
from pipeline.data import content_hash, load_labelled
from pipeline.evaluate import confusion_figure, evaluate_scores, pr_curve_figure
from pipeline.plots import heatmap_figure, reliability_figure, threshold_figure
from pipeline.schema import OUTPUTS
from pipeline.slices import load_slices, slice_metrics

pd.set_option("display.precision", 3)
warnings.filterwarnings("ignore", message="IProgress not found")  # datasets' progress bars are off anyway
moderator = load_model(MODEL)
thresholds = moderator.thresholds
posts = load_labelled(DATA)
labels = posts[list(OUTPUTS)].to_numpy(dtype=float)
scores = moderator.bundle.model.predict_proba(posts["text"].tolist())
title = f"{Path(DATA).name} · model {moderator.version}"
print(f"model {moderator.version} ({MODEL}) on {len(posts):,} posts of {DATA}")
if content_hash(posts) in {s.get("sha256") for s in moderator.bundle.meta.get("training_data", {}).get("sources", [])}:
    print("NOTE: this file is one the model was trained on; the metrics below are optimistic. "
          "The held-out test-split metrics recorded at training are the table that follows.")

# %% [markdown]
# ## Metrics recorded at training (held-out test split)
#
# Computed when the model was trained, on posts it never saw (nor its thresholds). If the file
# evaluated here is the training file, compare with these rather than trusting the figures below.

# %%
pd.DataFrame(moderator.bundle.meta.get("metrics", {}).get("all", {})).T

# %% [markdown]
# ## Metrics on this file
#
# `precision`/`recall`/`f1` at the act threshold, `review_precision`/`review_recall` at the review
# threshold, threshold-free `pr_auc` and `roc_auc`, and two calibration scores (`brier`, `ece`:
# lower is better). Rows whose label is unknown are left out of that category.

# %%
pd.DataFrame(evaluate_scores(labels, scores, thresholds)).T

# %% [markdown]
# ## Precision-recall curves
#
# One curve per category, traced by moving a single threshold. The filled dot is the act
# threshold, the hollow one the review threshold. A curve hugging the top right is a model that
# can have both; AP (average precision) sums the curve up.

# %%
pr_curve_figure(labels, scores, thresholds, title)

# %% [markdown]
# ## Calibration
#
# Posts are put in ten score bins; each point is a bin's mean score against the share of its
# posts that are really positive. On the diagonal, scores can be read as probabilities; below
# it the model is over-confident, above it under-confident. ECE is the average gap, weighted by
# the posts in each bin (marker size). Thresholds do not need calibration, but anyone reading a
# score as "80 % likely" does.

# %%
reliability_figure(labels, scores, title=f"Reliability · {title}")

# %% [markdown]
# ## Threshold trade-off
#
# Precision and recall against the threshold on the **validation** split stored in the model
# (where the thresholds were chosen, so this does not depend on the file above). The solid line
# is the act threshold, the dashed one the review threshold; the table says what each gave on
# validation and why it was chosen. To move one: `moderate thresholds`.

# %%
threshold_figure(moderator.bundle.model.curves, thresholds)

# %%
pd.DataFrame([{"category": category, "level": level, **point}
              for category, levels in moderator.bundle.model.points.items() for level, point in levels.items()]
             ).set_index(["category", "level"])

# %% [markdown]
# ## Confusion matrices
#
# At the act threshold: rows are the true label, columns what the model would do on its own.
# Top right are false positives (acted on wrongly), bottom left false negatives (missed, or only
# queued for review). `03_error_analysis` lists them.

# %%
confusion_figure(labels, scores, thresholds, title)

# %% [markdown]
# ## Slices
#
# Recall and precision at the act threshold per slice (rows, with their post counts) and
# category (columns), slices from `configs/slices.toml`; green is good, red bad. Look for a row
# redder than the `platform=…` rows: the model misses (recall) or wrongly flags (precision) that
# kind of post. Cells with fewer than `MIN_POSITIVES` positives are blank (–); the last table gives
# the positives in every cell.

# %%
slices = pd.DataFrame(slice_metrics(posts, scores, thresholds, load_slices(SLICES)))
slices["slice"] = slices["slice"] + " (n=" + slices["posts"].astype(str) + ")"
slices = slices.assign(recall=slices["recall"].where(slices["positives"] >= MIN_POSITIVES),
                       precision=slices["precision"].where(slices["positives"] >= MIN_POSITIVES))
heatmap_figure(slices.pivot(index="slice", columns="category", values="recall")[list(OUTPUTS)],
               f"Recall at the act threshold by slice · {title}")

# %%
heatmap_figure(slices.pivot(index="slice", columns="category", values="precision")[list(OUTPUTS)],
               f"Precision at the act threshold by slice · {title}")

# %%
slices.pivot(index="slice", columns="category", values="positives")[list(OUTPUTS)]
