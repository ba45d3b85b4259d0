"""What every rule kind shares: the post's text views, computed once, the batch, and the finding factory.

A rule kind is a class with ``FILE`` (its TOML in the rules folder), ``rule_ids`` (every rule id
it can emit), ``from_file(rf)`` and ``check(t: PostText) -> list[Finding]``. Kinds
read their terms and patterns from the file; the code only knows how to apply them.

Most posts trigger no rule, so per-post work is what a batch cannot afford: ``RuleSet.check_posts``
gives each kind the whole ``Batch``, and the kind's ``candidates`` (a regex pass over the batch's
texts joined, or a test of its distinct words) name the few posts worth a ``check``.
"""
from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, KeysView, Mapping, Sequence

import numpy as np

from pipeline.schema import Finding, Post
from pipeline.text import DIGIT, HOMOGLYPHS, clean

# Printable ASCII only: for such text ``clean`` changes nothing but runs of spaces, so the
# cheap path below gives the same string without the per-character loop.
NOTHING: tuple = ()  # what a kind returns when nothing fires: shared, so no list is made per post
_PLAIN = re.compile(r"[\x20-\x7e\n]*")
# Characters ``clean`` would change besides NFKC forms: homoglyphs, zero-width and control characters.
_UNCLEAN = re.compile("[" + re.escape("".join(map(chr, HOMOGLYPHS))) +
                      "\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b-\x1f\x7f]")
# A dot between word characters, or "://": the only places a URL can be (a quick pre-check).
MAYBE_URL = re.compile(r"\.(?<=\w\.)(?=\w)|://")
_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~’‘“”…£€"
# A word: a run of characters that are neither punctuation nor whitespace (``str.split``'s).
_WORD = re.compile("[^\\s" + re.escape(_PUNCT) + "]+")
_PUNCT_TO_SPACE = bytes(32 if chr(b) in _PUNCT else b for b in range(256))  # split_ascii's table for _WORD


def fast_clean(text: str) -> str:
    """``pipeline.text.clean(text)``, skipping its slow per-character work when it would do nothing.

    >>> fast_clean("  two  spaces "), fast_clean("w\\u043erk")
    ('two spaces', 'work')
    """
    if _PLAIN.fullmatch(text):
        return re.sub(r"[ \t]+", " ", text).strip()
    return clean(text)


class lazy:
    """``functools.cached_property`` without its lock (which costs about a microsecond a view):
    the value is computed on first access and stored in the instance, which then shadows this."""

    def __init__(self, fn):
        self.fn, self.name, self.__doc__ = fn, fn.__name__, fn.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


def text_of(post: Post) -> str:
    return post.text if isinstance(post.text, str) else ""  # a NaN from a spreadsheet is no text


def lower_case(text: str) -> str:
    """Lower case with every offset kept (the rare letter whose lower case is longer stays).

    >>> lower_case("İSTANBUL Café")
    'İstanbul café'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def words_of(low: str) -> tuple[str, ...]:
    """The words of lower-case text in order, punctuation split off ("can't" is "can", "t"). A
    tuple of strings, which Python's garbage collector stops tracking: a batch holds many."""
    return split_ascii(low, _PUNCT_TO_SPACE) if low.isascii() else tuple(_WORD.findall(low))


def split_ascii(text: str, table: bytes) -> tuple[str, ...]:
    """The runs of ASCII ``text`` between whitespace, once ``table`` (``bytes.translate``) has made
    the characters that split words spaces: several times faster than a regex's ``findall``.

    >>> split_ascii("can't stop, won't_stop", _PUNCT_TO_SPACE)
    ('can', 't', 'stop', 'won', 't', 'stop')
    """
    return tuple(text.encode().translate(table).decode().split())


class PostText:
    """One post with the views rules need, each computed at most once and only when asked for.

    A ``Batch`` hands over the views it has made for all its posts (``lower``, ``word_list``), which
    then shadow the ``lazy`` ones.
    """

    def __init__(self, post: Post):
        self.post = post
        self.text = text_of(post)

    @lazy
    def plain(self) -> bool:
        """``clean`` would change nothing but spacing: no homoglyphs, zero-width or control
        characters, nothing NFKC folds. Curly quotes, £ and emoji are plain."""
        text = self.text
        return _UNCLEAN.search(text) is None and (text.isascii() or unicodedata.is_normalized("NFKC", text))

    @lazy
    def lower(self) -> str:
        return lower_case(self.text)

    @lazy
    def word_list(self) -> tuple[str, ...]:
        """``words_of(self.lower)``. Kinds look them up as ``their_words.isdisjoint(t.word_list)``: no
        set of the post's words is made (most posts are looked up once or twice, and making the set
        would cost more)."""
        return words_of(self.lower)

    @lazy
    def cleaned(self) -> str:
        return fast_clean(self.text)

    @lazy
    def has_digit(self) -> bool:
        return DIGIT.search(self.text) is not None


SEPARATOR = "\n"  # between the posts of a batch's joined text: ends a word and a line, like the end of a text


class Batch:
    """The posts of one ``check_posts`` call, with views shared by every kind: each post's lower
    case and words, and its text and lower case joined into one string (``SEPARATOR`` between
    posts), so that a regex finds the posts holding it in one pass (``holding``) instead of a
    call per post; the batch's words numbered, so that the posts holding some words are a numpy
    look-up (``with_words``, ``words_in``). Views are made on first use; ``view(i)`` is one
    post's ``PostText``.
    """

    def __init__(self, posts: Sequence[Post]):
        self.posts = posts
        self.texts = [text_of(p) for p in posts]
        self._views: dict[int, PostText] = {}  # see of
        self._joins: dict[tuple, tuple[str, list[str], list[int]]] = {}  # see holding
        self._held: dict[tuple, list[int]] = {}  # (regex, lower) -> holding's answer for every post

    @classmethod
    def of(cls, views: Sequence[PostText]) -> Batch:
        """A batch of posts whose views are made already (and shared)."""
        batch = cls([t.post for t in views])
        batch._views = dict(enumerate(views))
        batch.lowers = [t.lower for t in views]
        return batch

    def __len__(self) -> int:
        return len(self.texts)

    @lazy
    def lowers(self) -> list[str]:
        return list(map(lower_case, self.texts))

    @lazy
    def word_lists(self) -> list[tuple[str, ...]]:
        return list(map(words_of, self.lowers))

    @lazy
    def word_numbers(self) -> dict[str, int]:
        """Every word of the batch, numbered in the order of first use."""
        words = dict.fromkeys(itertools.chain.from_iterable(self.word_lists))
        return dict(zip(words, range(len(words))))

    @property
    def vocabulary(self) -> KeysView[str]:
        """Every word of the batch, once (a set view: ``vocabulary & words``, ``vocabulary - words``)."""
        return self.word_numbers.keys()

    @lazy
    def numbered(self) -> tuple[np.ndarray, np.ndarray]:
        """(post, word number) of every word of every post, post after post: which posts hold
        which words is then a numpy look-up, not a Python pass over every post's words."""
        lengths = np.fromiter(map(len, self.word_lists), np.intp, len(self.word_lists))
        numbers = np.fromiter(map(self.word_numbers.__getitem__, itertools.chain.from_iterable(self.word_lists)),
                              np.intp, int(lengths.sum()))
        return np.repeat(np.arange(len(lengths)), lengths), numbers

    @lazy
    def with_digits(self) -> list[int]:
        """The posts, in order, holding a digit (always inside a word: digits neither space nor punctuation)."""
        return self.with_words({w for w in self.vocabulary if not w.isalpha() and DIGIT.search(w)})

    def words_in(self, values: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """(post, ``values[word]``) of each word of each post that ``values`` has, post after post."""
        common = self.vocabulary & values.keys()
        table = np.full(len(self.word_numbers), -1, dtype=np.intp)
        if common:
            table[[self.word_numbers[w] for w in common]] = [values[w] for w in common]
        posts, numbers = self.numbered
        found = table[numbers]
        held = found >= 0
        return posts[held], found[held]

    @lazy
    def unplain(self) -> list[int]:
        """The posts, in order, whose ``PostText.plain`` is false."""
        odd = set(self.holding(_UNCLEAN, lower=False))
        odd.update(i for i, text in enumerate(self.texts)
                   if not text.isascii() and not unicodedata.is_normalized("NFKC", text))
        return sorted(odd)

    def with_words(self, words: frozenset[str] | set[str]) -> list[int]:
        """The posts, in order, holding one of ``words`` in their ``word_list``."""
        common = self.vocabulary & words
        if not common:
            return []
        posts, _ = self.words_in(dict.fromkeys(common, 0))
        return np.flatnonzero(np.bincount(posts, minlength=len(self))).tolist()

    @lazy
    def starts(self) -> list[int]:
        """Where each post's text starts in ``joined`` (and in ``joined_lower``), and where a next would."""
        return _starts(self.texts)

    @lazy
    def joined(self) -> str:
        return SEPARATOR.join(self.texts)

    @lazy
    def joined_lower(self) -> str:
        return SEPARATOR.join(self.lowers)

    def view(self, i: int) -> PostText:
        """Post ``i``'s ``PostText``, with the views the batch has made. Made anew for each kind
        (unless given to ``of``): it is cheap, and views that outlive their kind's check would
        make the garbage collector walk everything again."""
        t = self._views.get(i)
        if t is None:
            t = PostText(self.posts[i])
            made = self.__dict__
            if "lowers" in made:
                t.lower = made["lowers"][i]
            if "word_lists" in made:
                t.word_list = made["word_lists"][i]
        return t

    def holding(self, regex: re.Pattern[str], lower: bool = True, among: Sequence[int] | None = None) -> list[int]:
        r"""The posts, in order, whose text (lower-cased unless ``lower`` is false) holds a match of
        ``regex``: those for which ``regex.search`` finds one, from one pass over the joined texts
        (of the posts ``among``, in order, if given).

        A match running over a separator is checked again on its post alone. Lookarounds see the
        separator (a newline) before and after each post, so ``regex`` must treat a newline as it
        treats the start or end of a text, as ``\b``, ``(?<![a-z])`` and ``(?!\w)`` do (not
        ``^``, ``$``, ``\A`` or ``(?<!\n)``); ``(?<=\s)`` may name a post whose text alone has no match.

        >>> batch = Batch([Post("a b"), Post("c"), Post("b")])
        >>> batch.holding(re.compile("b")), batch.holding(re.compile("b"), among=[1, 2])
        ([0, 2], [2])
        """
        texts = self.lowers if lower else self.texts
        if among is None:  # kinds look for some things (digits, links) in every post: answered once
            held = self._held.get((regex, lower))
            if held is None:
                held = self._held[regex, lower] = _holding(regex, self.joined_lower if lower else self.joined,
                                                           texts, self.starts)
            return held
        if len(among) < 2:  # nothing to join
            return [i for i in among if regex.search(texts[i])]
        key = (lower, tuple(among))  # kinds look for several things among the same posts
        joined = self._joins.get(key)
        if joined is None:
            texts = [texts[i] for i in among]
            joined = self._joins[key] = (SEPARATOR.join(texts), texts, _starts(texts))
        return [among[j] for j in _holding(regex, *joined)]


def _starts(texts: Sequence[str]) -> list[int]:
    """Where each text starts in ``SEPARATOR.join(texts)``, and where a next would."""
    return [0, *itertools.accumulate(map(operator.add, map(len, texts), itertools.repeat(len(SEPARATOR))))]


def _holding(regex: re.Pattern[str], joined: str, texts: Sequence[str], starts: Sequence[int]) -> list[int]:
    """``Batch.holding`` of ``joined``, made of ``texts`` starting at ``starts``."""
    out, at, n = [], 0, len(texts)
    while n and (m := regex.search(joined, at)) is not None:
        i = bisect_right(starts, m.start()) - 1
        if m.end() <= starts[i] + len(texts[i]) or regex.search(texts[i]):
            out.append(i)
        if i + 1 == n:
            break
        at = starts[i + 1]
    return out


class WordTest:
    """A test of one word (``test(word) -> bool``) that a post must pass with one of its words to be
    worth checking, remembered: a batch's words are mostly ones earlier batches had, so each word is
    tested once (up to ``limit`` words, then anew).

    >>> stems = WordTest(re.compile("shit").search)
    >>> stems.posts(Batch([Post("Bullshit!"), Post("Shiitake")]))
    [0]
    """

    def __init__(self, test: Callable[[str], object], limit: int = 1 << 17):
        self.test, self.limit = test, limit
        self.seen: set[str] = set()
        self.passed: set[str] = set()

    def posts(self, batch: Batch) -> list[int]:
        """The posts of ``batch``, in order, with a word passing the test."""
        new = batch.vocabulary - self.seen
        if new and len(self.seen) + len(new) > self.limit:
            self.seen.clear()
            self.passed.clear()
            new = batch.vocabulary
        self.seen.update(new)
        self.passed.update(filter(self.test, new))
        return batch.with_words(self.passed)


class RuleKind:
    """Base class. ``clause_of`` (rule id -> clause id) is filled from policy.toml by ``load_rules``.

    ``check_posts(batch)`` gives the findings of a batch's posts: ``check`` of each post that
    ``candidates`` names. A kind narrows ``candidates`` to the posts that can fire (a gate derived
    from its rule data); ``check`` alone, on any post, still gives its findings. A kind whose gate
    learns what to look for in each post (which patterns) overrides ``gated`` and ``check_gated``
    instead of ``candidates`` and ``check``: a post alone then goes through that gate too.
    """

    FILE: str = ""
    RULE_IDS: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.clause_of: dict[str, str] = {}
        self.rule_ids: tuple[str, ...] = self.RULE_IDS

    def finding(self, rule: str, detail: str, span: tuple[int, int] | None = None,
                urgent: bool = False) -> Finding:
        return Finding(rule=rule, clause=self.clause_of.get(rule, ""), detail=detail, span=span, urgent=urgent)

    def candidates(self, batch: Batch) -> Iterable[int]:
        """The posts of ``batch`` (indices, in order) on which ``check`` may find something."""
        return range(len(batch))

    def gated(self, batch: Batch) -> Iterable[tuple[int, object]]:
        """(post, what the gate learnt about it) for the posts worth checking, in order."""
        return ((i, None) for i in self.candidates(batch))

    def check_posts(self, batch: Batch) -> Iterator[tuple[int, Sequence[Finding]]]:
        """(index, findings) of each post of ``batch`` with findings, in order."""
        for i, learnt in self.gated(batch):
            found = self.check_gated(batch.view(i), learnt)
            if found:
                yield i, found

    def check_gated(self, t: PostText, learnt: object) -> Sequence[Finding]:
        """The findings of one post the gate let through, told what it learnt."""
        return self.check(t)

    def check(self, t: PostText) -> Sequence[Finding]:
        """The findings of one post (a kind overrides this, or ``check_gated``)."""
        return next((found for _, found in self.check_posts(Batch.of([t]))), NOTHING)


def quote(text: str, span: tuple[int, int], width: int = 60) -> str:
    """The matched text, shortened, for a finding's detail."""
    piece = " ".join(text[span[0]:span[1]].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


_LOOKALIKE = str.maketrans({"0": "o", "1": "l", "!": "l", "|": "l", "i": "l", "3": "e", "4": "a", "5": "s",
                            "7": "t", "8": "b", "@": "a", "$": "s"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def skeleton(name: str) -> str:
    """A name reduced to what a reader sees: homoglyphs, digits-for-letters, I/l and rn/m folded.

    Two names with one skeleton look alike (after Unicode TR39's "skeleton").

    >>> skeleton("CIeveland_PCC") == skeleton("Cleveland PCC") == skeleton("c1eveland-pcc")
    True
    """
    low = clean(name).lower().replace("rn", "m").translate(_LOOKALIKE)
    return _NOT_ALNUM.sub("", low)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up at ``limit`` (returned as ``limit``) for speed.

    >>> edit_distance("police.uk", "po1ice.uk"), edit_distance("gov.uk", "example.com")
    (1, 3)
    """
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)
