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
import itertools
import re
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from pipeline.rules.base import MAYBE_URL, NOTHING, Batch, PostText, RuleKind, split_ascii
from pipeline.rules.repeat_index import RepeatTracker, closest_many, to_day
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import Finding, Post
from pipeline.text import DIGIT, URL, url_host

__all__ = ["Prints", "RepeatRule", "RepeatTracker"]

_MIX = 0x9E3779B1  # odd constant (golden ratio) combining two word hashes into a word-pair hash
# Posts whose sketches are made together: enough for numpy to pay off (2,048 or 8,192 were no
# faster on the benchmark's posts, now that word lists are tuples the garbage collector drops).
_CHUNK = 512
_WORD = re.compile(r"[^\W_]+")  # letters and digits: punctuation, symbols and emoji are not words
_NOT_ALNUM_TO_SPACE = bytes(b if chr(b).isalnum() else 32 for b in range(256))  # split_ascii's table for _WORD


class RepeatRule(RuleKind):
    FILE = "repeats.toml"
    RULE_IDS = ("repeat.author", "repeat.campaign")

    def __init__(self, min_words: int, shingle_sizes: tuple[int, ...], threshold: float, campaign_min_authors: int,
                 campaign_min_words: int, sketch_size: int, recent_per_author: int = 10):
        super().__init__()
        self.min_words, self.sizes, self.threshold = min_words, shingle_sizes, threshold
        self.campaign_min_authors, self.campaign_min_words, self.k = campaign_min_authors, campaign_min_words, sketch_size
        self.recent_per_author = recent_per_author
        self._word_hashes = _WordHashes()

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
        return list(self.word_lists(Batch.of([t]))[0])

    @staticmethod
    def word_lists(batch: Batch) -> list[tuple[str, ...]]:
        """``words`` of each post of ``batch``. Most posts are plain ASCII without a link: their
        words are the batch's ``word_lists`` (shared with the per-post kinds; split at the same
        characters). The few that are not plain are cleaned first, links are looked for over the
        batch, and digits too. Tuples, which the garbage collector stops tracking (see ``base.words_of``)."""
        texts = list(batch.lowers)
        unplain = batch.unplain
        own = set(unplain)  # posts split here rather than taken from the batch's word_lists
        for i in unplain:
            texts[i] = batch.view(i).cleaned.lower()
        for i in sorted(set(batch.holding(MAYBE_URL, lower=False)).union(unplain)):
            if MAYBE_URL.search(texts[i]):
                texts[i] = URL.sub(lambda m: " " + url_host(m.group(0)) + " ", texts[i])
                own.add(i)
        out = list(batch.word_lists)
        own.update(i for i, text in enumerate(texts) if not text.isascii())
        for i in own:
            text = texts[i]
            out[i] = split_ascii(text, _NOT_ALNUM_TO_SPACE) if text.isascii() else tuple(_WORD.findall(text))
        # Word by word, and only if there may be a digit (cleaning can make one: "①" is "1"; lower
        # case keeps them): a regex replacing digit-bearing words in the whole text is several times slower.
        for i in set(batch.with_digits).union(unplain):
            out[i] = tuple([w if w.isalpha() or not DIGIT.search(w) else "0" for w in out[i]])
        return out

    @staticmethod
    def key(words: Sequence[str]) -> int:
        """The message key: a 64-bit hash of the normalised words, stable across runs."""
        return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "little")

    def sketches(self, word_lists: Sequence[Sequence[str]]) -> list[list[int]]:
        """The bottom-k sketch (the k smallest, ascending) of each post's word n-gram hashes."""
        return [array("I", packed).tolist() for packed in self.packed_sketches(word_lists)]

    def packed_sketches(self, word_lists: Sequence[Sequence[str]]) -> list[bytes]:
        """Each post's ``sketches`` as 32-bit hashes in native byte order: as ``RepeatTracker``
        stores them after the day, made without a Python int per hash.

        Word hashes are CRC-32 (stable across runs, so a history file stays valid); an n-gram's
        hash combines its words' hashes arithmetically, which is much cheaper than hashing text.
        Many posts are done at once, with numpy: a loop per n-gram costs several times more.
        """
        lengths = np.fromiter(map(len, word_lists), np.int64, len(word_lists))
        ids = np.fromiter(map(self._word_hashes.__getitem__, itertools.chain.from_iterable(word_lists)),
                          np.uint64, int(lengths.sum()))
        post = np.repeat(np.arange(len(word_lists), dtype=np.uint64), lengths)
        keyed = []  # post << 32 | n-gram hash, for n-grams within one post
        for n in self.sizes:
            hashes = ids
            for shift in range(1, n):  # fold in the next word, n - 1 times (uint64 wraps; only 32 bits are kept)
                hashes = (hashes[:-1] * np.uint64(_MIX) + ids[shift:]) & np.uint64(0xFFFFFFFF)
            within = post[:len(hashes)] == post[n - 1:]
            keyed.append(post[:len(hashes)][within] << np.uint64(32) | hashes[within])
        keyed = np.sort(np.concatenate(keyed))  # by post, then hash
        distinct = np.ones(len(keyed), dtype=bool)
        distinct[1:] = keyed[1:] != keyed[:-1]
        keyed = keyed[distinct]  # each hash once per post (np.unique is slower)
        owner = (keyed >> np.uint64(32)).astype(np.int64)
        # Each hash's place among its post's, smallest first: the first k are the sketch.
        rank = np.arange(len(keyed)) - np.searchsorted(owner, np.arange(len(word_lists)))[owner]
        kept = rank < self.k
        sizes = (np.bincount(owner[kept], minlength=len(word_lists)) * 4).tolist()
        packed = (keyed[kept] & np.uint64(0xFFFFFFFF)).astype(np.uint32).tobytes()
        return [packed[end - size:end] for size, end in zip(sizes, itertools.accumulate(sizes))]

    def prints(self, batch: Batch) -> Prints:
        """What repeats compare of each post of ``batch``, from its text alone (so chunks can be
        printed in parallel, and a batch's views are shared with the per-post kinds)."""
        word_lists = self.word_lists(batch)
        n_words = [len(words) for words in word_lists]
        keys = [self.key(words) if n >= self.min_words else 0 for words, n in zip(word_lists, n_words)]
        return Prints(n_words, keys, list(self._sketched(word_lists)))

    def check_batch(self, texts: Batch | Iterable[PostText],
                    history: RepeatTracker | None) -> list[tuple[Finding, ...]]:
        """The repeat findings of each post (of a ``Batch``, or each view), in order."""
        batch = texts if isinstance(texts, Batch) else Batch.of(list(texts))
        return self.check_prints(batch.posts, self.prints(batch), history)

    def check_prints(self, posts: Sequence[Post], prints: Prints,
                     history: RepeatTracker | None) -> list[tuple[Finding, ...]]:
        """The repeat findings of each post, in order, from their ``prints``: compared with each
        other and with ``history`` (which then holds them too)."""
        tracker = history if history is not None else RepeatTracker()
        out: list[tuple[Finding, ...]] = [NOTHING] * len(posts)
        # Post -> message key of posts long enough for a campaign. Ints in a dict, not a tuple per
        # post: objects that outlive the loop make Python's garbage collector walk everything again.
        members: dict[int, int] = {}
        # Posts compared with their author's recent sketches: the post, its sketch (as stored),
        # and those sketches as they were then. All are compared at once after the loop.
        compared: list[int] = []
        stored_sketches: list[bytes] = []
        recent: list[tuple[bytes, ...]] = []
        today = to_day(datetime.now(timezone.utc).date())
        days: dict[int, bytes] = {}  # day -> packed, to go before a sketch
        for i, post, n, key, sketch in zip(itertools.count(), posts, prints.n_words, prints.keys, prints.sketches):
            if n < self.min_words:
                continue
            author = post.author
            aid = tracker.author_id(author)
            day = tracker.day(post.created_at, today)
            stored = None
            if author:  # anonymous posts are never one author's repeats
                if tracker.posted(key, aid):
                    out[i] += (self.finding("repeat.author", f"the same message posted before by {author}"),)
                else:
                    if day not in days:
                        days[day] = array("I", [day]).tobytes()
                    stored = days[day] + sketch
                    compared.append(i)
                    stored_sketches.append(stored)
                    recent.append(tuple(tracker.recent.get(aid, ())))
            tracker.add(key, aid, day, stored, self.recent_per_author)
            if n >= self.campaign_min_words:
                members[i] = key
        for i, sim in zip(compared, closest_many(stored_sketches, recent, self.k, self.threshold)):
            if sim:
                how = "the same message" if sim == 1.0 else f"a very similar message (similarity {sim:.2f})"
                out[i] += (self.finding("repeat.author", f"{how} posted before by {posts[i].author}"),)
        campaign: dict[int, Finding] = {}  # by number of authors: a finding is immutable, so one is shared
        for i, key in members.items():
            n = tracker.n_authors(key)
            if n >= self.campaign_min_authors:
                if n not in campaign:
                    campaign[n] = self.finding("repeat.campaign", f"the same message from {n} different authors")
                out[i] += (campaign[n],)
        return out

    def _sketched(self, word_lists: list[tuple[str, ...]]) -> Iterator[bytes]:
        """The packed sketch of each post, made ``_CHUNK`` posts at a time."""
        for start in range(0, len(word_lists), _CHUNK):
            yield from self.packed_sketches(word_lists[start:start + _CHUNK])

    def check(self, t: PostText) -> tuple[Finding, ...]:  # repeats need the batch: see check_batch
        return NOTHING


@dataclass
class Prints:
    """What repeats compare of each post (``RepeatRule.prints``), in order: its number of words,
    its message key (0 below ``min_words``) and its packed sketch. Ints and bytes, cheap to pickle."""

    n_words: list[int]
    keys: list[int]
    sketches: list[bytes]


class _WordHashes(dict):
    """Word -> CRC-32, computed on a word's first look-up: words recur across posts, so each is hashed once."""

    def __missing__(self, word: str) -> int:
        h = self[word] = zlib.crc32(word.encode())
        return h
