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
# # 03 · Error analysis
#
# Where the model (by default the one in `models/DEFAULT`) goes wrong on a labelled file (by
# default our corpus), and which *kinds* of post it gets wrong:
#
# 1. false positives (the model would act on an acceptable post) and false negatives (it would not
#    act on a post that breaks the policy), per category, at the act threshold;
# 2. the worst of them, most confident first: each is either a model mistake or a label mistake,
#    and both are worth fixing;
# 3. the behavioural suites of `tests/model/` (after CheckList and HateCheck): hand-written cases
#    grouped by *functionality* (negation, counter-speech, dialect, past tense...), with a pass rate
#    for each.
#
# Texts are shown in full: this notebook is for the people fixing the model and the data, and its
# outputs are not committed (`notebooks/*.ipynb` is git-ignored).

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
WORST = 8  # examples shown per category and kind of error

# %%
# %matplotlib inline
import warnings

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline import load_model
from pipeline.data import load_labelled
from pipeline.evaluate import error_rows
from pipeline.schema import OUTPUTS
from pipeline.suites import pass_rates, run_suites
from pipeline.thresholds import levels_of

pd.set_option("display.max_colwidth", 200)
pd.set_option("display.max_rows", 200)
warnings.filterwarnings("ignore", message="IProgress not found")  # datasets' progress bars are off anyway
moderator = load_model(MODEL)
thresholds = moderator.thresholds
posts = load_labelled(DATA)
scores = moderator.bundle.model.predict_proba(posts["text"].tolist())
errors = pd.DataFrame(error_rows(posts, scores, thresholds), columns=["category", "error", "score", "id", "text"])
# What the model would do with each wrong post: a false negative at 'review' still reaches a person.
# error_rows rounds its scores, so the level comes from the exact score of the post's row.
first = posts.assign(row=np.arange(len(posts))).drop_duplicates("id").set_index("id")
levels = levels_of(scores, thresholds)
errors["level"] = [levels[first.at[i, "row"]][c] for i, c in zip(errors["id"], errors["category"])]
errors["labelled"] = errors["id"].map((first[list(OUTPUTS)] == 1).apply(lambda r: ", ".join(r.index[r]) or "none", axis=1))
print(f"model {moderator.version} on {len(posts):,} posts of {DATA}: {len(errors):,} errors at the act threshold")

# %% [markdown]
# ## How many, and how bad
#
# Counts of false positives and false negatives per category, beside the posts labelled for it.
# The `level` split says what would really happen: a false negative scored at `review` is
# still queued for a person, so only those at `none` slip through; a false positive is always at
# `act` (the post would be hidden or removed with nobody looking).

# %%
known = posts[list(OUTPUTS)].notna()
counts = (errors.groupby(["category", "error"]).size().unstack("error")
          .reindex(index=list(OUTPUTS), columns=["false positive", "false negative"]).fillna(0).astype(int))
counts["positives"] = (posts[list(OUTPUTS)] == 1).sum()
counts["negatives"] = ((posts[list(OUTPUTS)] == 0) & known).sum()
counts["missed (none)"] = (errors[(errors["error"] == "false negative") & (errors["level"] == "none")]
                           .groupby("category").size().reindex(list(OUTPUTS)).fillna(0).astype(int))
counts

# %%
fig = Figure(figsize=(10, 3.8), layout="constrained")
ax = fig.subplots()
y = np.arange(len(OUTPUTS))
ax.barh(y - 0.2, counts["false positive"], height=0.4, label="false positive (acted on wrongly)", color="C3")
ax.barh(y + 0.2, counts["false negative"] - counts["missed (none)"], height=0.4, color="C1",
        label="false negative, queued for review")
ax.barh(y + 0.2, counts["missed (none)"], left=counts["false negative"] - counts["missed (none)"], height=0.4,
        color="C0", label="false negative, missed (below review)")
ax.set_yticks(y, list(OUTPUTS))
ax.invert_yaxis()
ax.set(title=f"Errors at the act threshold · model {moderator.version}", xlabel="posts")
ax.legend(fontsize=8)
fig

# %% [markdown]
# ## Scores of the errors
#
# Where each error's score falls against its category's thresholds (act: solid line, review:
# dashed). False negatives just under the act line are near misses; false positives near 1.0
# and false negatives near 0.0 are confident mistakes, often a wrong label.

# %%
fig = Figure(figsize=(12, 4), layout="constrained")
ax = fig.subplots()
for k, category in enumerate(OUTPUTS):
    for error, colour, shift in (("false positive", "C3", -0.15), ("false negative", "C1", 0.15)):
        found = errors[(errors["category"] == category) & (errors["error"] == error)]
        ax.scatter(found["score"], np.full(len(found), k + shift), s=12, alpha=0.6, color=colour,
                   label=error if k == 0 else None)
    ax.plot([thresholds[category]["act"]] * 2, [k - 0.4, k + 0.4], color="black", lw=1)
    ax.plot([thresholds[category]["review"]] * 2, [k - 0.4, k + 0.4], color="black", lw=1, ls="--")
ax.set_yticks(range(len(OUTPUTS)), list(OUTPUTS))
ax.invert_yaxis()
ax.set(xlim=(0, 1), xlabel="score", title="Scores of the wrong posts, with act (solid) and review (dashed) thresholds")
ax.legend(fontsize=8, loc="lower right")
fig

# %% [markdown]
# ## The worst examples
#
# Per category and kind of error, the `WORST` most confident mistakes (furthest from 0.5).
# `labelled` lists every label the post carries: a false positive for `abuse` labelled `spam`
# may be a missing label rather than a model error. Fix labels in `data/opcc/posts.jsonl` (with a
# note); fix the model with data that shows it the pattern it missed.

# %%
worst = errors.groupby(["category", "error"], sort=False).head(WORST)
worst.set_index(["category", "error"])[["score", "level", "labelled", "id", "text"]]

# %% [markdown]
# ## Behavioural suites
#
# Each suite (`tests/model/<suite>.csv`) is a table of short cases per functionality. A case
# passes when the system, model and hard rules together, would put the post in front of a person
# as that category exactly when the case expects it (for `urgent`: when the decision is urgent).
# A functionality far below the others is a capability the model lacks, whatever its overall
# F1: negation, counter-speech and dialect are the usual ones.

# %%
results = run_suites(moderator)
rates = pass_rates(results)
print(f"{results['passed'].sum():,} of {len(results):,} cases pass ({results['passed'].mean():.1%})")
rates.set_index(["suite", "functionality"])

# %%
suites = list(dict.fromkeys(rates["suite"]))
fig = Figure(figsize=(14, 3.2 * -(-len(suites) // 2)), layout="constrained")
axes = fig.subplots(-(-len(suites) // 2), 2, squeeze=False).ravel()
for ax in axes[len(suites):]:
    ax.set_visible(False)
for ax, (i, suite) in zip(axes, enumerate(suites)):
    rows = rates[rates["suite"] == suite]
    ax.barh(rows["functionality"], rows["pass_rate"], color=f"C{i}")
    for y_pos, row in enumerate(rows.itertuples()):
        ax.text(1.02, y_pos, f"{row.passed}/{row.cases}", va="center", fontsize=7)
    ax.axvline(1.0, color="grey", lw=1, ls=":")
    ax.invert_yaxis()
    ax.set(xlim=(0, 1.12), xticks=np.linspace(0, 1, 6), title=suite, xlabel="pass rate (passed/cases at right)")
    ax.tick_params(axis="y", labelsize=8)
fig.suptitle(f"Suite pass rate per functionality · model {moderator.version}")
fig

# %% [markdown]
# ### Failing cases
#
# `expected` is what the case says, `predicted` what the system did; `score` is the model's
# score for the suite's category (empty for `urgent`, decided by rules and the urgent flag),
# `action` and `rules` the full decision.

# %%
failing = results[results["passed"] == 0]
failing.set_index(["suite", "functionality"])[["text", "expected", "predicted", "score", "action", "rules"]]
