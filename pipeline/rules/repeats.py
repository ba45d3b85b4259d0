"""Repeats: the same or nearly the same message from one author, or the same from many (a campaign).

A post's words are normalised (lower case, links as their domain, every word with a digit as 0, emoji and
punctuation dropped) and hashed to a 64-bit *message key*. The same key again from one author is
``repeat.author`` ("the same message"); one key from ``campaign_min_authors`` authors is
``repeat.campaign``. Nearly the same message is looked for only among the author's own last
``recent_per_author`` posts: Jaccard similarity of word n-gram sets (bottom-k sketches, see
``data/rules/repeats.toml``) at or above ``similarity`` is ``repeat.author`` too. Near-duplicates
from *different* authors do not make a campaign: a campaign is one message, as normalised.
Posts shorter than ``min_words`` ("thanks", emoji) never count.

``RepeatTracker`` carries keys and sketches between runs in a JSONL file; no text is stored.

>>> tracker = RepeatTracker()  # in memory; RepeatTracker("history.jsonl") to keep it
"""
from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections.abc import Sequence
from datetime import datetime, timezone

from pipeline.rules.base import MAYBE_URL, NOTHING, PostText, RuleKind
from pipeline.rules.repeat_index import RepeatTracker, similarity, to_day
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import Finding, Post
from pipeline.text import URL

__all__ = ["RepeatRule", "RepeatTracker"]

_DIGITS = re.compile(r"[^\W_]*\d[^\W_]*")  # a word with a digit in it ("2nd", "500", "4pm") is one "0"
_MIX = 0x9E3779B1  # odd constant (golden ratio) combining two word hashes into a word-pair hash
_WORD = re.compile(r"[^\W_]+")  # letters and digits: punctuation, symbols and emoji are not words


class RepeatRule(RuleKind):
    FILE = "repeats.toml"
    RULE_IDS = ("repeat.author", "repeat.campaign")

    def __init__(self, min_words: int, shingle_sizes: tuple[int, ...], threshold: float, campaign_min_authors: int,
                 campaign_min_words: int, sketch_size: int, recent_per_author: int = 10):
        super().__init__()
        self.min_words, self.sizes, self.threshold = min_words, shingle_sizes, threshold
        self.campaign_min_authors, self.campaign_min_words, self.k = campaign_min_authors, campaign_min_words, sketch_size
        self.recent_per_author = recent_per_author
        self._word_hashes: dict[str, int] = {}  # words recur across posts: hash each once

    @classmethod
    def from_file(cls, rf: RuleFile) -> RepeatRule:
        values = {key: rf.int(key) for key in ("min_words", "campaign_min_authors", "campaign_min_words", "sketch_size")}
        # Optional, so rule files exported with older models still load.
        values["recent_per_author"] = rf.int("recent_per_author", 10)
        for key, value in values.items():
            if value < 1:
                raise rf.error(key, f"must be at least 1, got {value}")
        sizes = rf.get("shingle_sizes", list)
        if not sizes or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 5 for n in sizes):
            raise rf.error("shingle_sizes", f"must be a list of n-gram sizes from 1 to 5, got {sizes!r}")
        threshold = rf.float("similarity")
        if not 0 < threshold <= 1:
            raise rf.error("similarity", f"must be in (0, 1], got {threshold}")
        rf.finish()
        return cls(values["min_words"], tuple(sizes), threshold, values["campaign_min_authors"],
                   values["campaign_min_words"], values["sketch_size"], values["recent_per_author"])

    def words(self, t: PostText) -> list[str]:
        """The words compared: lower case, links as their domain, every word with a digit as 0, no emoji or punctuation.

        >>> rule = RepeatRule(5, (1, 2), 0.7, 3, 8, 32)
        >>> rule.words(PostText(Post("WIN £500 now at https://bit.ly/x 🔥🔥 can't wait!")))
        ['win', '0', 'now', 'at', 'bit', 'ly', 'can', 't', 'wait']
        """
        text = t.lower if t.plain else t.cleaned.lower()
        if MAYBE_URL.search(text):
            text = URL.sub(lambda m: " " + _host(m.group(0)) + " ", text)
        return _WORD.findall(_DIGITS.sub("0", text))

    @staticmethod
    def key(words: list[str]) -> int:
        """The message key: a 64-bit hash of the normalised words, stable across runs."""
        return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "little")

    def sketch(self, words: list[str]) -> list[int]:
        """Bottom-k sketch (the k smallest, ascending) of the words' n-gram hashes.

        Word hashes are CRC-32 (stable across runs, so a history file stays valid); an n-gram's
        hash combines its words' hashes arithmetically, which is much cheaper than hashing text.
        """
        cache = self._word_hashes
        for w in words:
            if w not in cache:
                cache[w] = zlib.crc32(w.encode())
        ids = list(map(cache.__getitem__, words))
        grams: set[int] = set()
        for n in self.sizes:
            hashes = ids
            for shift in range(1, n):  # fold in the next word, n - 1 times
                hashes = [(h * _MIX + x) & 0xFFFFFFFF for h, x in zip(hashes, ids[shift:])]
            grams.update(hashes)
        return sorted(grams)[: self.k]

    def check_batch(self, texts: Sequence[PostText], history: RepeatTracker | None) -> list[list[Finding]]:
        """The repeat findings of each post, in order."""
        tracker = history if history is not None else RepeatTracker()
        out: list[list[Finding]] = [[] for _ in texts]
        members: list[tuple[int, int]] = []  # (post, message key) of posts long enough for a campaign
        today = to_day(datetime.now(timezone.utc).date())
        for i, t in enumerate(texts):
            words = self.words(t)
            if len(words) < self.min_words:
                continue
            key, author = self.key(words), t.post.author
            aid = tracker.author_id(author)
            day = tracker.day(t.post.created_at, today)
            stored = None
            if author:  # anonymous posts are never one author's repeats
                if tracker.posted(key, aid):
                    out[i].append(self.finding("repeat.author", f"the same message posted before by {author}"))
                else:
                    sketch = self.sketch(words)
                    sim = self._closest(sketch, tracker.recent.get(aid, ()))
                    if sim:
                        how = "the same message" if sim == 1.0 else f"a very similar message (similarity {sim:.2f})"
                        out[i].append(self.finding("repeat.author", f"{how} posted before by {author}"))
                    stored = array("I", [day, *sketch]).tobytes()
            tracker.add(key, aid, day, stored, self.recent_per_author)
            if len(words) >= self.campaign_min_words:
                members.append((i, key))
        for i, key in members:
            n = tracker.n_authors(key)
            if n >= self.campaign_min_authors:
                out[i].append(self.finding("repeat.campaign", f"the same message from {n} different authors"))
        return out

    def _closest(self, sketch: list[int], recent: Sequence[bytes]) -> float:
        """The similarity of the newest of ``recent`` at or above the threshold, else 0.0."""
        if not recent:
            return 0.0
        mine = set(sketch)
        for other in reversed(recent):
            sim = similarity(mine, len(sketch), other, self.k, self.threshold)
            if sim >= self.threshold:
                return sim
        return 0.0

    def check(self, t: PostText) -> tuple[Finding, ...]:  # repeats need the batch: see check_batch
        return NOTHING


def _host(url: str) -> str:
    return re.sub(r"(?i)^(?:(?:https?|hxxps?|ftp)://)?(?:www\.)?", "", url).split("/")[0]
