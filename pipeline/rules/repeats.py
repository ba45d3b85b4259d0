"""Repeats: the same or nearly the same message from one author, or from many (a campaign).

A post becomes a fingerprint (hash of its normalised words) and a bottom-k sketch of its word
n-gram hashes; similar posts (Jaccard >= ``similarity`` in ``data/rules/repeats.toml``) join one
cluster (``repeat_index``). Posts shorter than ``min_words`` ("thanks", emoji) never count.

``RepeatTracker`` carries posts between runs in a JSONL file (author, fingerprint, sketch, time);
no text is stored.

>>> tracker = RepeatTracker()  # in memory; RepeatTracker("history.jsonl") to keep it
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from datetime import datetime, timezone

from pipeline.rules.base import MAYBE_URL, NOTHING, PUNCT_TO_SPACE, PostText, RuleKind
from pipeline.rules.repeat_index import RepeatTracker
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import Finding
from pipeline.text import URL

__all__ = ["RepeatRule", "RepeatTracker"]

_DIGITS = re.compile(r"\d+")
_MIX = 0x9E3779B1  # odd constant (golden ratio) combining two word hashes into a word-pair hash


class RepeatRule(RuleKind):
    FILE = "repeats.toml"
    RULE_IDS = ("repeat.author", "repeat.campaign")

    def __init__(self, min_words: int, shingle_sizes: tuple[int, ...], threshold: float, campaign_min_authors: int,
                 campaign_min_words: int, sketch_size: int):
        super().__init__()
        self.min_words, self.sizes, self.threshold = min_words, shingle_sizes, threshold
        self.campaign_min_authors, self.campaign_min_words, self.k = campaign_min_authors, campaign_min_words, sketch_size
        self._word_hashes: dict[str, int] = {}  # words recur across posts: hash each once

    @classmethod
    def from_file(cls, rf: RuleFile) -> RepeatRule:
        values = {key: rf.int(key) for key in ("min_words", "campaign_min_authors", "campaign_min_words", "sketch_size")}
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
                   values["campaign_min_words"], values["sketch_size"])

    def words(self, t: PostText) -> list[str]:
        """The words compared: lower case, links as their domain, every number as 0."""
        if t.plain and not MAYBE_URL.search(t.text):
            words = t.word_list  # shared with the other rules: the common case
        else:
            text = t.lower if t.plain else t.cleaned.lower()
            words = URL.sub(lambda m: " " + _host(m.group(0)) + " ", text).translate(PUNCT_TO_SPACE).split()
        if not t.has_digit:
            return words
        return [w if w.isalpha() else _DIGITS.sub("0", w) for w in words]

    def signature(self, words: list[str]) -> tuple[str, tuple[int, ...]]:
        """(fingerprint, bottom-k sketch of n-gram hashes) of normalised words.

        Word hashes are CRC-32 (stable across runs, so a history file stays valid); an n-gram's
        hash combines its words' hashes arithmetically, which is much cheaper than hashing text.
        """
        fingerprint = hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()
        cache = self._word_hashes
        ids = [cache.get(w) or cache.setdefault(w, zlib.crc32(w.encode())) for w in words]
        grams: set[int] = set()
        for n in self.sizes:
            if n == 1:
                grams.update(ids)
                continue
            hashes = ids
            for shift in range(1, n):  # fold in the next word, n - 1 times
                hashes = [(h * _MIX + x) & 0xFFFFFFFF for h, x in zip(hashes, ids[shift:])]
            grams.update(hashes)
        return fingerprint, tuple(sorted(grams)[: self.k])

    def check_batch(self, texts: Sequence[PostText], history: RepeatTracker | None) -> list[list[Finding]]:
        """The repeat findings of each post, in order."""
        tracker = history if history is not None else RepeatTracker()
        clusters = tracker.index(self.threshold, self.k)
        out: list[list[Finding]] = [[] for _ in texts]
        members: list[tuple[int, int]] = []  # (post, cluster) of posts long enough for a campaign
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for i, t in enumerate(texts):
            words = self.words(t)
            if len(words) < self.min_words:
                continue
            fingerprint, sketch = self.signature(words)
            cid, sim = clusters.match(fingerprint, sketch)
            author = t.post.author
            if cid is not None and author and clusters.authors[cid].get(author):
                how = "the same message" if sim == 1.0 else f"a very similar message (similarity {sim:.2f})"
                out[i].append(self.finding("repeat.author", f"{how} posted before by {author}"))
            cid = tracker.add(author, fingerprint, sketch, t.post.created_at or now,
                              cluster=False if cid is None else cid)
            if len(words) >= self.campaign_min_words:
                members.append((i, cid))
        for i, cid in members:
            n = clusters.n_authors(cid)
            if n >= self.campaign_min_authors:
                out[i].append(self.finding("repeat.campaign", f"the same message from {n} different authors"))
        return out

    def check(self, t: PostText) -> tuple[Finding, ...]:  # repeats need the batch: see check_batch
        return NOTHING


def _host(url: str) -> str:
    return re.sub(r"(?i)^(?:(?:https?|hxxps?|ftp)://)?(?:www\.)?", "", url).split("/")[0]
