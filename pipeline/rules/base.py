"""What every rule kind shares: the post's text views, computed once, and the finding factory.

A rule kind is a class with ``FILE`` (its TOML in the rules folder), ``rule_ids`` (every rule id
it can emit), ``from_file(rf)`` and ``check(t: PostText) -> list[Finding]``. Kinds
read their terms and patterns from the file; the code only knows how to apply them.
"""
from __future__ import annotations

import re
import unicodedata

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


class PostText:
    """One post with the views rules need, each computed at most once and only when asked for."""

    def __init__(self, post: Post):
        self.post = post
        self.text = post.text if isinstance(post.text, str) else ""  # a NaN from a spreadsheet is no text

    @lazy
    def plain(self) -> bool:
        """``clean`` would change nothing but spacing: no homoglyphs, zero-width or control
        characters, nothing NFKC folds. Curly quotes, £ and emoji are plain."""
        text = self.text
        return text.isascii() and _PLAIN.fullmatch(text) is not None or (
            unicodedata.is_normalized("NFKC", text) and _UNCLEAN.search(text) is None)

    @lazy
    def lower(self) -> str:
        """Lower case with every offset kept (the rare letter whose lower case is longer stays)."""
        low = self.text.lower()
        if len(low) == len(self.text):
            return low
        return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in self.text)

    @lazy
    def word_list(self) -> list[str]:
        """The lower-case words in order, punctuation split off ("can't" is "can", "t"). Kinds look
        them up as ``their_words.isdisjoint(t.word_list)``: no set of the post's words is made
        (most posts are looked up once or twice, and making the set would cost more)."""
        return _WORD.findall(self.lower)

    @lazy
    def cleaned(self) -> str:
        return fast_clean(self.text)

    @lazy
    def has_digit(self) -> bool:
        return DIGIT.search(self.text) is not None


class RuleKind:
    """Base class. ``clause_of`` (rule id -> clause id) is filled from policy.toml by ``load_rules``."""

    FILE: str = ""
    RULE_IDS: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.clause_of: dict[str, str] = {}
        self.rule_ids: tuple[str, ...] = self.RULE_IDS

    def finding(self, rule: str, detail: str, span: tuple[int, int] | None = None,
                urgent: bool = False) -> Finding:
        return Finding(rule=rule, clause=self.clause_of.get(rule, ""), detail=detail, span=span, urgent=urgent)

    def check(self, t: PostText) -> list[Finding]:  # pragma: no cover - every kind overrides it
        raise NotImplementedError


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
