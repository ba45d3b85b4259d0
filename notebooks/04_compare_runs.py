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
# # 04 · Compare training runs
#
# Every `moderate train` logs one MLflow run: its settings (params), the data's hash, and the
# metrics of the new model on its held-out **test split**, per category. This notebook puts the
# runs side by side: which settings changed, and what that did to each category.
#
# Runs are read from `MLFLOW_TRACKING_URI` when it is set, else from the project's store
# (`sqlite:///mlruns/mlflow.db`). Training runs are the runs with test metrics, in every
# experiment (one per config `name`) unless `MODERATE_NB_EXPERIMENT` names one. Runs trained on
# different data (see the `data` column) are not directly comparable: their test splits differ.
# The MLflow UI shows the same runs: `mlflow ui --backend-store-uri <the URI below>`.

# %% tags=["parameters"]
import os

from pipeline.config import REPO_ROOT, tracking_uri

os.chdir(REPO_ROOT)  # every path is relative to the repository root, wherever Jupyter was started
MLFLOW_TRACKING_URI = tracking_uri()  # $MLFLOW_TRACKING_URI, else the project's store in mlruns/
EXPERIMENT = os.environ.get("MODERATE_NB_EXPERIMENT", "")  # empty: training runs of every experiment
RUNS_SHOWN = 8  # the most recent runs in the bar charts
PLOT_METRICS = ("pr_auc", "f1")  # test-split metrics to chart: pr_auc needs no threshold, f1 is at the act threshold

# %%
# %matplotlib inline
import warnings

# Set before pipeline.train imports datasets (whose progress bars are off anyway) and MLflow.
warnings.filterwarnings("ignore", message="IProgress not found")
warnings.filterwarnings("ignore", category=FutureWarning)
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.schema import OUTPUTS
from pipeline.train import METRIC_NAMES

pd.set_option("display.precision", 3)
# A store that does not exist yet has no runs; asking MLflow would create an empty one.
store_missing = MLFLOW_TRACKING_URI.startswith("sqlite:///") and not Path(MLFLOW_TRACKING_URI[len("sqlite:///"):]).exists()
if store_missing:
    runs, experiments = pd.DataFrame(), {}
else:
    mlflow.set_tracking_uri(MLFLOW_TRACKING_URI)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT] if EXPERIMENT else None,
                              search_all_experiments=not EXPERIMENT, order_by=["attributes.start_time DESC"])
    experiments = {e.experiment_id: e.name for e in mlflow.search_experiments()}
# The columns used below exist even when there are no runs, so every cell runs on an empty store.
runs = runs.reindex(columns=list(dict.fromkeys(["run_id", "experiment_id", "start_time", "tags.mlflow.runName",
                                                "tags.data.sha256", "tags.git.commit", *runs.columns])))
TEST_METRIC = r"^metrics\.test\.([^.]+)\.([^.]+)$"  # test.<category>.<metric>, all sources together
training = runs[runs.filter(regex=TEST_METRIC).notna().any(axis=1)]
label = pd.Series([f"{t:%Y-%m-%d %H:%M} · {name} · {experiments.get(eid, eid)}" for t, name, eid in
                   zip(pd.to_datetime(training["start_time"]), training["tags.mlflow.runName"].fillna(""),
                       training["experiment_id"])], index=training.index, name="run", dtype=str)
where = f"{MLFLOW_TRACKING_URI}" + (f", experiment '{EXPERIMENT}'" if EXPERIMENT else "")
if training.empty:
    print(f"No training runs yet in {where}.\n"
          "Train a model first (`make demo`, or `moderate train --config configs/demo.toml`), or set "
          "MLFLOW_TRACKING_URI (and MODERATE_NB_EXPERIMENT) to the store holding your runs.")
else:
    print(f"{len(training)} training runs in {where}, newest first")

# %% [markdown]
# ## The runs
#
# One row per run, newest first, named by start time (UTC), MLflow run name and experiment: its
# run id, the hash of the data it was trained on (first 8 characters) and the code commit
# (`-dirty`: with uncommitted changes).

# %%
pd.DataFrame({"run_id": training["run_id"],
              "data": training["tags.data.sha256"].astype("string").str[:8],
              "git commit": training["tags.git.commit"].astype("string").str[:15]}
             ).set_index(label)

# %% [markdown]
# ## Settings that differ between the runs
#
# Only the params (from the config TOML) that are not the same in every run. Empty when the runs
# share every setting (then differences in the metrics come from the data or the code).

# %%
params = training.filter(like="params.").set_index(label)
params.loc[:, params.nunique(dropna=False) > 1].rename(columns=lambda c: c.removeprefix("params."))

# %% [markdown]
# ## Test-split metrics per run
#
# Columns are metric, then category. `precision`, `recall` and `f1` are at the act threshold the
# run chose; `pr_auc` and `roc_auc` do not depend on a threshold, so they compare models best.

# %%
metrics = training.filter(regex=TEST_METRIC).set_index(label)
metrics.columns = pd.MultiIndex.from_frame(metrics.columns.str.extract(TEST_METRIC), names=["category", "metric"])
metrics = (metrics.reorder_levels(["metric", "category"], axis=1)
           .reindex(columns=pd.MultiIndex.from_product([METRIC_NAMES, OUTPUTS], names=["metric", "category"]))
           .dropna(axis=1, how="all"))
metrics

# %% [markdown]
# ## Metrics per category, run by run
#
# The `RUNS_SHOWN` most recent runs, one bar each (oldest first, left to right), for each metric
# of `PLOT_METRICS`. A change that helps one category and hurts another shows as bars moving
# apart.

# %%
shown = metrics.head(RUNS_SHOWN).iloc[::-1]
fig = Figure(figsize=(12, 3.6 * len(PLOT_METRICS)), layout="constrained")
axes = fig.subplots(len(PLOT_METRICS), 1, squeeze=False).ravel()
for ax, metric in zip(axes, PLOT_METRICS):
    ax.set(title=f"test {metric}", ylim=(0, 1.05), ylabel=metric)
    if shown.empty or metric not in shown.columns.get_level_values("metric"):
        ax.text(0.5, 0.5, f"no training runs with test {metric} yet", ha="center", va="center", transform=ax.transAxes)
        continue
    values = shown[metric]
    width = 0.8 / len(values)
    for i, (run, row) in enumerate(values.iterrows()):
        ax.bar(np.arange(len(values.columns)) + (i - (len(values) - 1) / 2) * width, row.to_numpy(), width, label=run)
    ax.set_xticks(np.arange(len(values.columns)), list(values.columns))
if not shown.empty:
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
fig
