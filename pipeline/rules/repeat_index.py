"""The memory behind the repeat rules: who posted which message, kept compact, and between runs.

Two structures, both small per post (a 2M-post batch must fit in memory beside the model):

* ``seen``: the 64-bit key of each normalised message -> who posted it and on which day. A key
  posted by one author holds one packed int (author id and day); by several, a dict {author id:
  day}. This finds exact repeats by one author and campaigns (one key, many authors).
* ``recent``: each author's last few posts as bottom-k sketches of their word n-gram hashes
  (``bytes`` of 32-bit ints, first the day), for near-duplicates by the same author.

Anonymous posts get an id of their own each (below zero): each may be anyone.

``RepeatTracker`` holds both and, with a path, keeps them in a JSONL file (keys, sketches,
authors and days; no text) between runs.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from pipeline.errors import DataError

FORMAT = 2  # the history file's format; format 1 (one line per post with a MinHash sketch) is not read
_DAY_BITS = 16  # a day is stored as days since 1970 in the low bits of a packed entry
_DAY_MASK = (1 << _DAY_BITS) - 1
_EPOCH = dt.date(1970, 1, 1).toordinal()


def to_day(date: dt.date) -> int:
    """Days since 1970, kept inside 16 bits."""
    return min(max(date.toordinal() - _EPOCH, 0), _DAY_MASK)


def _iso(day: int) -> str:
    return dt.date.fromordinal(day + _EPOCH).isoformat()


class RepeatTracker:
    """Messages seen before, optionally kept in a JSONL file between runs.

    ``RepeatTracker(history_path=None)`` keeps them in memory; with a path, the file is read now
    (if it exists) and written by ``save()``. ``RuleSet.check(posts, history=tracker)`` compares a
    batch with what the tracker holds, then adds the batch to it.
    """

    def __init__(self, history_path: str | Path | None = None, keep_days: int = 90):
        self.history_path = Path(history_path) if history_path else None
        self.keep_days = keep_days
        self.seen: dict[int, int | dict[int, int]] = {}  # message key -> packed (author, day) or {author: day}
        self.recent: dict[int, list[bytes]] = {}  # author id -> last sketches, oldest first
        self.ids: dict[str, int] = {}  # author -> id (from 1)
        self.names: list[str] = [""]  # id -> author
        self._anonymous = 0
        self._days: dict[str, int] = {}  # "YYYY-MM-DD" -> day; posts of a batch share few dates
        if self.history_path and self.history_path.exists():
            self._load(self.history_path)

    def author_id(self, author: str | None) -> int:
        """A small int per author; each anonymous post a new one below zero."""
        if not author:
            self._anonymous += 1
            return -self._anonymous
        aid = self.ids.get(author)
        if aid is None:
            aid = self.ids[author] = len(self.names)
            self.names.append(author)
        return aid

    def day(self, created_at: str | None, default: int) -> int:
        """The day of an ISO 8601 time (its first ten characters); ``default`` if missing or unreadable."""
        if not created_at:
            return default
        date = created_at[:10]
        day = self._days.get(date)
        if day is None:
            try:
                day = to_day(dt.date.fromisoformat(date))
            except ValueError:
                day = default
            self._days[date] = day
        return day

    def posted(self, key: int, aid: int) -> bool:
        """Whether author ``aid`` posted message ``key`` before."""
        prior = self.seen.get(key)
        if prior is None:
            return False
        return aid in prior if isinstance(prior, dict) else prior >> _DAY_BITS == aid

    def n_authors(self, key: int) -> int:
        prior = self.seen.get(key)
        return 0 if prior is None else len(prior) if isinstance(prior, dict) else 1

    def add(self, key: int, aid: int, day: int, sketch: bytes | None, keep_recent: int) -> None:
        """Hold one more post: its message key, and its sketch among the author's last ``keep_recent``."""
        prior = self.seen.get(key)
        if prior is None:
            self.seen[key] = aid << _DAY_BITS | day
        elif isinstance(prior, dict):
            prior[aid] = max(day, prior.get(aid, 0))
        elif prior >> _DAY_BITS == aid:
            self.seen[key] = aid << _DAY_BITS | max(day, prior & _DAY_MASK)
        else:
            self.seen[key] = {prior >> _DAY_BITS: prior & _DAY_MASK, aid: day}
        if sketch is not None:
            mine = self.recent.get(aid)
            if mine is None:
                self.recent[aid] = [sketch]
            else:
                mine.append(sketch)
                if len(mine) > keep_recent:
                    del mine[0]

    def _pairs(self) -> Iterator[tuple[int, int, int]]:
        """(key, author id, day) of everything in ``seen``."""
        for key, prior in self.seen.items():
            if isinstance(prior, dict):
                for aid, day in prior.items():
                    yield key, aid, day
            else:
                yield key, prior >> _DAY_BITS, prior & _DAY_MASK

    def _load(self, path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        try:
            header = json.loads(lines[0]) if lines else {}
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("repeat_history") != FORMAT:
            found = header.get("repeat_history", 1) if isinstance(header, dict) else "unknown"
            raise DataError(path, f"repeat history of format {found}; this version reads format {FORMAT} "
                                  "(keys and per-author sketches). Delete the file or pass a new --history path: "
                                  "repeats are then compared within this run only", row=1)
        for row, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                author = entry["author"]
                day = to_day(dt.date.fromisoformat(entry["day"]))
                if "key" in entry:
                    self.add(int(entry["key"], 16), self.author_id(author), day, None, 0)
                else:
                    sketch = array("I", [day, *array("I", bytes.fromhex(entry["sketch"]))]).tobytes()
                    self.recent.setdefault(self.author_id(author), []).append(sketch)
            except (ValueError, KeyError, TypeError, AttributeError):
                raise DataError(path, "not a repeat-history line (JSON with author, day, and key or sketch)",
                                row=row) from None

    def save(self) -> None:
        """Write the history; nothing to do in memory.

        Entries more than ``keep_days`` older than the newest are dropped (relative to the newest,
        not to today, so a back-filled batch of old posts is kept).
        """
        if self.history_path is None:
            return
        pairs = list(self._pairs())
        newest = max((day for _, _, day in pairs), default=0)
        cutoff = newest - self.keep_days
        self.history_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.history_path.with_name(self.history_path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"repeat_history": FORMAT}) + "\n")
            for key, aid, day in pairs:
                if day >= cutoff:
                    row = {"author": self.names[aid] if aid > 0 else None, "key": f"{key:016x}", "day": _iso(day)}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
            for aid, sketches in self.recent.items():
                for sketch in sketches:
                    hashes = array("I", sketch)
                    if hashes[0] >= cutoff:
                        row = {"author": self.names[aid], "day": _iso(hashes[0]), "sketch": hashes[1:].tobytes().hex()}
                        f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, self.history_path)


def closest(sketch: list[int], recent: Sequence[bytes], k: int, at_least: float) -> float:
    """The Jaccard similarity of a post's n-gram sketch (``sketch``: its bottom-k hashes) to the
    newest of ``recent`` (stored sketches, oldest first) at or above ``at_least``; 0.0 if none.

    Estimated from bottom-k sketches (exact when both hold fewer than k). Nearly every comparison
    fails, so each gives up as soon as it cannot reach ``at_least``; and it is one loop rather
    than a call per stored sketch, as most posts are compared with ``recent_per_author`` others.
    """
    mine, size = set(sketch), len(sketch)
    need = math.ceil(at_least * k)  # hashes the two must share for the estimate to reach at_least
    for other in reversed(recent):
        n = len(other) // 4 - 1  # 32-bit hashes, after the day
        hashes = memoryview(other)[4:].cast("I")
        if size < k and n < k:  # both hold every n-gram: exact
            if min(size, n) < at_least * max(size, n):
                continue
            both = len(mine.intersection(hashes))
            sim = both / (size + n - both)
        else:
            # The estimate below counts at most ``both``, so at most n - need of theirs may be
            # missing from mine: half of theirs is enough to rule out nearly every pair.
            half = n // 2
            if len(mine.intersection(hashes[:half])) < half - (n - need):
                continue
            both = len(mine.intersection(hashes))
            if both < need:
                continue
            theirs = set(hashes)
            smallest = sorted(mine | theirs)[:k]
            sim = sum(1 for h in smallest if h in mine and h in theirs) / len(smallest)
        if sim >= at_least:
            return sim
    return 0.0


_BUCKETS = 64  # for closest_many's bound: hashes counted by their low 6 bits


def closest_many(mine: Sequence[bytes], recent: Sequence[Sequence[bytes]], k: int, at_least: float) -> list[float]:
    """``closest`` of each stored sketch ``mine[j]`` (day first, as ``recent`` holds them) to the
    stored sketches ``recent[j]``, for many posts at once.

    Two sketches share at most, bucket by bucket, the smaller of their counts of hashes in the
    bucket. Summed, that bound rules out nearly every pair (unrelated posts share a few n-grams),
    and it is worked out for all pairs with numpy; ``closest`` compares the few pairs left.
    """
    others = list(itertools.chain.from_iterable(map(reversed, recent)))  # newest first, post by post
    if not others:
        return [0.0] * len(mine)
    owner = np.repeat(np.arange(len(mine)), np.fromiter(map(len, recent), np.intp, len(recent)))
    # Each stored sketch once, as a row: mine, then those stored before (most compared are mine).
    row = {id(s): r for r, s in enumerate(mine)}
    theirs = np.fromiter(map(row.get, map(id, others), itertools.repeat(-1)), np.intp, len(others))
    missing = np.flatnonzero(theirs < 0).tolist()
    older = list({id(others[p]): others[p] for p in missing}.values())
    row.update((id(s), r) for r, s in enumerate(older, len(mine)))
    theirs[missing] = [row[id(others[p])] for p in missing]
    sketches = [*mine, *older]
    blob = np.frombuffer(b"".join(sketches), dtype=np.uint32)
    lengths = np.fromiter(map(len, sketches), np.intp, len(sketches)) // 4
    sizes = lengths - 1  # hashes, after the day
    which = np.repeat(np.arange(len(sketches)), lengths)
    hashes = np.ones(len(blob), dtype=bool)
    hashes[np.cumsum(lengths) - lengths] = False  # not the days
    counts = np.bincount(which[hashes] * _BUCKETS + (blob[hashes] & (_BUCKETS - 1)).astype(np.intp),
                         minlength=len(sketches) * _BUCKETS).reshape(len(sketches), _BUCKETS).astype(np.uint8)
    bound = np.minimum(counts[owner], counts[theirs]).sum(axis=1, dtype=np.int64)
    # closest needs at least at_least * min(k, larger size) shared hashes (see there)
    possible = bound >= at_least * np.minimum(k, np.maximum(sizes[owner], sizes[theirs])) - 1e-9
    out = [0.0] * len(mine)
    for p in np.flatnonzero(possible).tolist():
        j = owner[p]
        if not out[j]:
            out[j] = closest(array("I", mine[j])[1:].tolist(), (others[p],), k, at_least)
    return out
