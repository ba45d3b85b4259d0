"""Our corpus, split as training splits it: no group and no near-duplicate crosses splits."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.data import load_labelled
from pipeline.splits import assign_groups, near_duplicate_pairs, split_of

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    config = load_config(REPO / "configs" / "default.toml")
    df = load_labelled(REPO / "data" / "opcc" / "posts.jsonl").assign(source="opcc")
    df["split"] = split_of(assign_groups(df, config.data.near_duplicate_threshold).tolist(), config.seed,
                           config.data.validation_size, config.data.test_size).to_numpy()
    return df, config


def test_no_near_duplicate_crosses_splits(corpus):
    df, config = corpus
    pairs = near_duplicate_pairs(df["text"].tolist(), config.data.near_duplicate_threshold)
    assert len(pairs) > 20  # the corpus has repeats on purpose (spammers, campaigns)
    crossing = [(df["id"].iloc[i], df["id"].iloc[j]) for i, j in pairs if df["split"].iloc[i] != df["split"].iloc[j]]
    assert crossing == []


def test_no_group_crosses_splits(corpus):
    df, _ = corpus
    per_group = df.groupby("group")["split"].nunique()
    assert (per_group == 1).all(), per_group[per_group > 1]


def test_split_sizes_and_every_category_in_each_split(corpus):
    df, _ = corpus
    shares = df["split"].value_counts(normalize=True)
    assert 0.10 < shares["test"] < 0.20 and 0.10 < shares["validation"] < 0.20
    for split, part in df.groupby("split"):
        for category in ("abuse", "spam", "sub_judice", "crime_report", "party_political", "urgent"):
            assert (part[category] == 1).sum() >= 10, (split, category)
