"""Splits: seeded, stable, and no group or near-duplicate crosses them."""
import pandas as pd

from pipeline.splits import assign_groups, near_duplicate_pairs, split_of


def test_near_duplicates_are_paired_and_different_posts_are_not():
    texts = [
        "RT @someone: the police never come when you call them about the bikes on our estate",
        "the police never come when you call them about the bikes on our estate!!",
        "Thank you for the knife amnesty bins in Stockton, brilliant idea",
    ]
    assert near_duplicate_pairs(texts, 0.7) == [(0, 1)]


def test_groups_join_explicit_ids_and_near_duplicates():
    df = pd.DataFrame({
        "id": ["a1", "a2", "b1", "c1"],
        "group": ["g1", "g1", "", "g9"],
        "source": ["s", "s", "s", "s"],
        "text": ["first idea here today", "same idea reworded entirely", "unique post about bins and roads",
                 "Unique post about bins and roads!"],
    })
    groups = assign_groups(df).tolist()
    assert groups == ["a1", "a1", "b1", "b1"]


def test_split_is_seeded_and_order_free():
    groups = [f"g{i}" for i in range(2000)]
    a = split_of(groups, seed=1, validation_size=0.15, test_size=0.15)
    b = split_of(groups[::-1], seed=1, validation_size=0.15, test_size=0.15)[::-1].reset_index(drop=True)
    c = split_of(groups, seed=2, validation_size=0.15, test_size=0.15)
    assert a.tolist() == b.tolist()
    assert a.tolist() != c.tolist()
    shares = a.value_counts(normalize=True)
    assert abs(shares["test"] - 0.15) < 0.03 and abs(shares["validation"] - 0.15) < 0.03
    same = split_of(["g1", "g1", "g1"], seed=5, validation_size=0.3, test_size=0.3)
    assert same.nunique() == 1
