"""Splits that do not leak: posts of one group, and near-duplicates, always share a split.

A group is the union (union-find) of posts that share an explicit ``group`` id (the same idea
or template, as the writer recorded it) and posts whose word 3-shingles have a MinHash Jaccard
estimate above the threshold (retweets, copy-paste campaigns, reworded repeats). Each group is
then placed by a seeded hash, so the split is stable and independent of row order.

>>> split_of(["a", "a", "b"], seed=1, validation_size=0.0, test_size=0.0).tolist()
['train', 'train', 'train']
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.text import normalise

NUM_PERM = 64
PLACEHOLDERS = {"xxuser", "xxurl", "xxnum", "xxmoney", "xxemail", "rt"}


def _shingles(text: str) -> list[bytes]:
    norm = normalise(text)
    words = [w for w in re.findall(r"\w+", norm) if w not in PLACEHOLDERS]
    if not words:  # emoji or punctuation only: the post is its own single shingle
        return [norm.encode()]
    if len(words) < 3:
        return [" ".join(words).encode()]
    return list({" ".join(words[i:i + 3]).encode() for i in range(len(words) - 2)})


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def near_duplicate_pairs(texts: Sequence[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs (earlier, later) whose texts are near-duplicates by MinHash LSH."""
    from datasketch import MinHash, MinHashLSH

    hashes = MinHash.bulk([_shingles(t) for t in texts], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    pairs = []
    for i, mh in enumerate(hashes):
        # LSH gives candidates; keep those whose estimated Jaccard really reaches the threshold.
        pairs.extend((j, i) for j in lsh.query(mh) if hashes[j].jaccard(mh) >= threshold)
        lsh.insert(i, mh)
    return pairs


def assign_groups(df: pd.DataFrame, threshold: float = 0.7) -> pd.Series:
    """A group label per row joining explicit ``group`` ids (per source) and near-duplicates."""
    n = len(df)
    uf = _UnionFind(n)
    if "group" in df.columns:
        source = df["source"].astype(str) if "source" in df.columns else pd.Series([""] * n, index=df.index)
        keys = source + "/" + df["group"].astype(str)
        first: dict[str, int] = {}
        for i, (key, raw) in enumerate(zip(keys, df["group"])):
            if pd.isna(raw) or str(raw) == "":
                continue
            uf.union(first.setdefault(key, i), i)
    for i, j in near_duplicate_pairs(df["text"].tolist(), threshold):
        uf.union(i, j)
    # A group is named after its smallest post id, so the name (and the split) ignores row order.
    ids = df["id"].astype(str).tolist() if "id" in df.columns else [str(i) for i in range(n)]
    name: dict[int, str] = {}
    for i in range(n):
        root = uf.find(i)
        name[root] = min(name.get(root, ids[i]), ids[i])
    return pd.Series([name[uf.find(i)] for i in range(n)], index=df.index, name="split_group")


def split_of(groups: Sequence[str], seed: int, validation_size: float, test_size: float) -> pd.Series:
    """'train', 'validation' or 'test' per row, by a seeded hash of its group."""
    def position(group: str) -> float:
        digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    cache = {g: position(g) for g in set(groups)}
    u = np.array([cache[g] for g in groups])
    out = np.where(u < test_size, "test", np.where(u < test_size + validation_size, "validation", "train"))
    return pd.Series(out, name="split")
