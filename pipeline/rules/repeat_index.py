"""The memory behind the repeat rules: near-duplicate clusters and the history kept between runs.

Each post is a fingerprint (a hash of its normalised words) and a bottom-k sketch of its word
n-gram hashes (``repeats.RepeatRule.signature``). Similar posts join one cluster. Candidates come
from an index on triples of each sketch's smallest hashes (LSH banding), so a batch costs about
a few dictionary look-ups per post, not a comparison with every other post.

``RepeatTracker`` holds the posts seen so far and, with a path, keeps them in a JSONL file
(author, fingerprint, sketch, time; no text) between runs.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from itertools import combinations
from pathlib import Path

from pipeline.errors import DataError

# Index keys: every triple among a sketch's 5 smallest hashes (LSH banding on a bottom-k sketch).
# Near-duplicates share most of their smallest hashes, so they share a triple; posts that merely
# share common words ("the", whose hash may be small) rarely share three of them.
_BAND = 5
_BUCKET_SCAN = 16  # newest clusters compared per key at most: a flood of variants stays linear
_POPULAR = 48  # a key shared by more clusters than this is made of common words: skipped


def _keys(sketch: tuple[int, ...]) -> list[int]:
    low = sketch[:_BAND]
    if len(low) <= 3:
        return [hash(low)]
    return [hash(c) for c in combinations(low, 3)]


def similarity(a: tuple[int, ...], b: tuple[int, ...], k: int, at_least: float = 0.0) -> float:
    """Jaccard similarity estimated from two bottom-k sketches (exact when both are shorter than k).

    Returns 0.0 early when the result cannot reach ``at_least``.
    """
    if a == b:
        return 1.0
    sa, sb = set(a), set(b)
    both, union = len(sa & sb), len(sa | sb)
    if len(a) < k and len(b) < k:  # both sketches hold every n-gram: exact
        return both / union
    if both < at_least * min(k, union):  # the estimate below counts at most these
        return 0.0
    smallest = sorted(sa | sb)[:k]
    return sum(1 for h in smallest if h in sa and h in sb) / len(smallest)


class RepeatTracker:
    """Posts seen before, optionally kept in a JSONL file between runs.

    ``RepeatTracker(history_path=None)`` keeps them in memory; with a path, the file is read now
    (if it exists) and written by ``save()``. ``RuleSet.check(posts, history=tracker)`` compares a
    batch with what the tracker holds, then adds the batch to it.
    """

    def __init__(self, history_path: str | Path | None = None, keep_days: int = 90):
        self.history_path = Path(history_path) if history_path else None
        self.keep_days = keep_days
        self.entries: list[tuple] = []  # (author, fingerprint, sketch, time)
        self._index: Clusters | None = None
        if self.history_path and self.history_path.exists():
            self._load(self.history_path)

    def _load(self, path: Path) -> None:
        for row, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                ok = isinstance(entry["fingerprint"], str) and all(isinstance(h, int) for h in entry["sketch"])
            except (ValueError, KeyError, TypeError):
                ok = False
            if not ok:
                raise DataError(path, "not a repeat-history line (JSON with author, fingerprint, sketch, time)", row=row)
            self.entries.append((entry.get("author"), entry["fingerprint"], tuple(entry["sketch"]), entry.get("time")))

    def add(self, author: str | None, fingerprint: str, sketch: tuple[int, ...], time: str,
            cluster: int | None | bool = None) -> int | None:
        """Hold one more post; its cluster id if the index is built (``cluster``: already matched,
        ``False`` for a post known to match nothing)."""
        self.entries.append((author, fingerprint, sketch, time))
        return self._index.add(fingerprint, sketch, author, cluster) if self._index is not None else None

    def index(self, threshold: float, k: int) -> Clusters:
        """The clusters of everything held, built once and kept up to date by ``add``."""
        if self._index is None or (self._index.threshold, self._index.k) != (threshold, k):
            self._index = Clusters(threshold, k)
            for author, fingerprint, sketch, _ in self.entries:
                self._index.add(fingerprint, sketch, author, None)
        return self._index

    def save(self) -> None:
        """Write the history; nothing to do in memory.

        Entries more than ``keep_days`` older than the newest are dropped (relative to the newest,
        not to today, so a back-filled batch of old posts is kept).
        """
        if self.history_path is None:
            return
        times = [_parse_time(e[3]) for e in self.entries]
        cutoff = max(times, default=datetime.now(timezone.utc)) - timedelta(days=self.keep_days)
        kept = [e for e, time in zip(self.entries, times) if time >= cutoff]
        self.history_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.history_path.with_name(self.history_path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for author, fingerprint, sketch, time in kept:
                row = {"author": author, "fingerprint": fingerprint, "sketch": list(sketch), "time": time}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, self.history_path)


class Clusters:
    """Near-duplicate clusters: exact fingerprints, and an index on triples of each sketch's smallest hashes."""

    def __init__(self, threshold: float, k: int):
        self.threshold, self.k = threshold, k
        self.exact: dict[str, int] = {}
        self.buckets: dict[int, list[int]] = {}
        self.sketches: list[tuple[int, ...]] = []
        self.authors: list[dict[str, int]] = []
        self.anonymous: list[int] = []

    def match(self, fingerprint: str, sketch: tuple[int, ...]) -> tuple[int | None, float]:
        if fingerprint in self.exact:
            return self.exact[fingerprint], 1.0
        seen: set[int] = set()
        get = self.buckets.get
        for key in _keys(sketch):
            bucket = get(key)
            if not bucket or len(bucket) > _POPULAR:
                continue
            for cid in bucket[-_BUCKET_SCAN:]:
                if cid in seen:
                    continue
                seen.add(cid)
                sim = similarity(sketch, self.sketches[cid], self.k, self.threshold)
                if sim >= self.threshold:
                    return cid, sim
        return None, 0.0

    def add(self, fingerprint: str, sketch: tuple[int, ...], author: str | None, cid: int | None | bool) -> int:
        """Add a post to cluster ``cid``; ``None``: find its cluster; ``False``: known to be new."""
        if cid is None:
            cid, _ = self.match(fingerprint, sketch)
        if cid is None or cid is False:
            cid = len(self.sketches)
            self.sketches.append(sketch)
            self.authors.append({})
            self.anonymous.append(0)
            buckets = self.buckets
            for key in _keys(sketch):
                if key in buckets:
                    buckets[key].append(cid)
                else:
                    buckets[key] = [cid]
        self.exact.setdefault(fingerprint, cid)
        if author:
            self.authors[cid][author] = self.authors[cid].get(author, 0) + 1
        else:
            self.anonymous[cid] += 1
        return cid

    def n_authors(self, cid: int) -> int:
        return len(self.authors[cid]) + self.anonymous[cid]  # each anonymous post may be anyone


def _parse_time(value: object) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(timezone.utc)  # unknown time: keep it
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
