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
# # 01 · Data overview
#
# What is in a labelled file (by default our own corpus, `data/opcc/posts.jsonl`, described in
# `data/opcc/DATASHEET.md`) before any model sees it:
#
# 1. how many posts carry each label, and on which platform;
# 2. which labels occur together on one post;
# 3. how long the posts are;
# 4. when they were posted, with the elections of `data/rules/election.toml` and their
#    pre-election windows marked.
#
# Every figure is the value of its cell. Set `MODERATE_NB_DATA` to look at another labelled file.

# %% tags=["parameters"]
import os

from pipeline.config import REPO_ROOT

os.chdir(REPO_ROOT)  # every path is relative to the repository root, wherever Jupyter was started
DATA = os.environ.get("MODERATE_NB_DATA", "data/opcc/posts.jsonl")

# %%
# %matplotlib inline
import warnings

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.data import load_labelled
from pipeline.plots import heatmap_figure
from pipeline.rules import load_rules
from pipeline.rules.election import parse_date
from pipeline.schema import CATEGORIES, OUTPUTS

pd.set_option("display.max_colwidth", 160)
warnings.filterwarnings("ignore", message="IProgress not found")  # datasets' progress bars are off anyway
posts = load_labelled(DATA)
labels = posts[list(OUTPUTS)]
platform = posts.get("platform", pd.Series(None, index=posts.index, dtype=object)).fillna("(none)")
print(f"{len(posts):,} posts in {DATA}")

# %% [markdown]
# ## Labels
#
# Each label is 1, 0 or *unknown* (not labelled for that category: training leaves the post out
# of that category's classifier rather than calling it 0). A post with no category at all is an
# acceptable post. `urgent` marks danger happening now and is mostly found on crime reports.

# %%
label_counts = pd.DataFrame({"positive": (labels == 1).sum(), "negative": (labels == 0).sum(),
                             "unknown": labels.isna().sum()})
label_counts["positive rate"] = (label_counts["positive"] / (label_counts["positive"] + label_counts["negative"])).round(3)
categories_per_post = (posts[list(CATEGORIES)] == 1).sum(axis=1)
print(f"no category: {(categories_per_post == 0).sum():,} posts; two or more: {(categories_per_post >= 2).sum():,}")
label_counts

# %% [markdown]
# ## Platforms
#
# Posts per platform, and the positives of each label per platform. A label that lives mostly on
# one platform can teach the model the platform's style rather than the label: check the slice
# metrics in `02_model_evaluation` for that platform.

# %%
by_platform = (labels == 1).groupby(platform).sum().assign(posts=platform.value_counts())
by_platform = by_platform.sort_values("posts", ascending=False)
by_platform

# %%
fig = Figure(figsize=(12, 4), layout="constrained")
ax_posts, ax_labels = fig.subplots(1, 2, width_ratios=[1, 2])
ax_posts.barh(by_platform.index, by_platform["posts"], color="grey")
ax_posts.invert_yaxis()
ax_posts.set(title="Posts per platform", xlabel="posts")
left = np.zeros(len(OUTPUTS))
for name, row in by_platform[list(OUTPUTS)].iterrows():
    ax_labels.barh(list(OUTPUTS), row.to_numpy(), left=left, label=name)
    left += row.to_numpy()
ax_labels.invert_yaxis()
ax_labels.set(title="Positives per label, by platform", xlabel="posts")
ax_labels.legend(fontsize=8)
fig

# %% [markdown]
# ## Labels that occur together
#
# Row *A*, column *B*: of the posts labelled *A*, the share also labelled *B* (the counts are in
# the table below). Spam that is also abuse (sexual bots), or a crime report that names a
# suspect in a live case (sub judice), are expected overlaps; a large unexpected one is worth a
# look at the labelling guide.

# %%
positive = (labels == 1).astype(int)
cooccurrence = positive.T @ positive
share = cooccurrence.div(np.diag(cooccurrence).clip(min=1), axis=0).mask(np.eye(len(OUTPUTS), dtype=bool))
heatmap_figure(share, "Of the posts labelled <row>, the share also labelled <column>", cmap="Blues", vmax=None)

# %%
cooccurrence

# %% [markdown]
# ## Text length
#
# Characters per post. If one label's posts are much longer or shorter than the rest, a model can
# learn length instead of content; very short posts (a few words) are hard for any model and
# have their own slice in the evaluation.

# %%
lengths = posts["text"].str.len()
groups = {"no category": lengths[categories_per_post == 0], **{c: lengths[labels[c] == 1] for c in OUTPUTS}}
fig = Figure(figsize=(12, 4), layout="constrained")
ax_hist, ax_box = fig.subplots(1, 2)
ax_hist.hist(lengths, bins=60, color="grey")
for q, style in ((0.5, "-"), (0.95, "--")):
    ax_hist.axvline(lengths.quantile(q), color="black", ls=style, lw=1, label=f"{q:.0%} of posts ≤ {lengths.quantile(q):.0f}")
ax_hist.set(title="All posts", xlabel="characters", ylabel="posts")
ax_hist.legend(fontsize=8)
ax_box.boxplot([g.to_numpy() for g in groups.values()], orientation="horizontal", showfliers=False)
ax_box.set_yticks(range(1, len(groups) + 1), [f"{k} (n={len(g)})" for k, g in groups.items()])
ax_box.invert_yaxis()
ax_box.set(title="By label (boxes: quartiles; whiskers: 1.5 IQR)", xlabel="characters")
fig

# %%
lengths.groupby(pd.cut(lengths, [0, 20, 60, 140, 300, np.inf], labels=["≤ 20", "21–60", "61–140", "141–300", "> 300"]),
                observed=False).size().rename("posts").to_frame()

# %% [markdown]
# ## Posts over time
#
# Posts per week, all and party political. Dates are read as the pre-election rule reads them
# (`pipeline.rules.election.parse_date`); posts without a readable date are counted below and left
# out. Vertical lines are election days; the shaded weeks before each are the pre-election
# period in which party-political posts are hidden (window length from `election.toml`).

# %%
dates = pd.to_datetime(posts.get("created_at", pd.Series(None, index=posts.index, dtype=object))
                       .map(lambda v: parse_date(v) if isinstance(v, str) else None))
print(f"{dates.notna().sum():,} posts with a readable date ({dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}), "
      f"{dates.isna().sum():,} without")
election_rule = load_rules().kind("election.toml")
weekly = (pd.DataFrame({"all posts": 1, "party political": (labels["party_political"] == 1).astype(int)})
          .set_index(dates).loc[lambda d: d.index.notna()].sort_index().resample("W").sum())

# %%
fig = Figure(figsize=(12, 4), layout="constrained")
ax = fig.subplots()
if weekly.empty:
    ax.text(0.5, 0.5, "no post has a readable created_at date", ha="center", va="center", transform=ax.transAxes)
else:
    for column in weekly.columns:
        ax.plot(weekly.index, weekly[column], label=column, drawstyle="steps-mid")
    shown = [e for e in election_rule.elections
             if weekly.index.min() - election_rule.window <= pd.Timestamp(e.date) <= weekly.index.max() + election_rule.window]
    for i, election in enumerate(shown):
        day = pd.Timestamp(election.date)
        ax.axvspan(day - election_rule.window, day, color="gold", alpha=0.25)
        ax.axvline(day, color="dimgrey", lw=1)
        # Labels alternate in height so that two elections weeks apart stay readable.
        ax.text(day, 0.97 - 0.1 * (i % 2), f" {election.name}\n {election.date}", va="top", fontsize=8,
                transform=ax.get_xaxis_transform())
    ax.legend(loc="upper left", fontsize=8)
ax.set(title=f"Posts per week; shaded: {election_rule.window_weeks}-week pre-election periods", ylabel="posts")
fig
