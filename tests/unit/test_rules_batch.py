"""The batch the rule kinds share: one regex pass over the joined texts names the posts holding a
match, exactly as a search of each post would; words are tested once; gates never lose a finding;
similar messages are found for many posts at once as one by one."""
from __future__ import annotations

import json
import random
import re
from array import array
from pathlib import Path

import pytest

from pipeline.rules import load_rules
from pipeline.rules.base import Batch, PostText, WordTest
from pipeline.rules.repeat_index import closest, closest_many
from pipeline.schema import Post

CORPUS = Path(__file__).resolve().parents[2] / "data" / "opcc" / "posts.jsonl"


def batch(*texts) -> Batch:
    return Batch([Post(t) for t in texts])


def one_by_one(regex: re.Pattern[str], texts, lower=True) -> list[int]:
    return [i for i, t in enumerate(texts) if regex.search(t.lower() if lower else t)]


@pytest.mark.parametrize("pattern, texts, expected", [
    ("b", [], []),                                      # empty batch
    ("b", [""], []),
    ("x*", ["", "a", ""], [0, 1, 2]),                   # an empty match is a match in every post
    ("ab", ["ab", "cab", "abc"], [0, 1, 2]),            # at the start and end of posts
    ("ab", ["xa", "bx"], []),                           # "a" + separator + "b" is not "ab"
    (r"b\sc", ["ab", "cd"], []),                        # a match over the separator does not count...
    (r"a[^z]*b", ["ab a", "b"], [0]),                   # ...unless its post has one alone
    (r"a[^z]*b", ["a", "b", "ab"], [2]),                # the post after a match over a separator
    (r"\bcat\b", ["cat", "scat", "cats", "a cat"], [0, 3]),
    (r"(?<![a-z])ok(?![a-z])", ["ok", "book", "ok!"], [0, 2]),
    (r"\d{3}", ["12", "3", "1234"], [2]),               # digits of two posts do not join
    ("B", ["b", "B"], []),                              # the lower-cased text is searched
])
def test_holding_is_search_post_by_post(pattern, texts, expected):
    regex = re.compile(pattern)
    assert batch(*texts).holding(regex) == one_by_one(regex, texts) == expected


def test_holding_original_text_and_among():
    b = batch("Call JO", "jo here", "JO", "x")
    assert b.holding(re.compile("JO"), lower=False) == [0, 2]
    assert b.holding(re.compile("jo")) == [0, 1, 2]
    assert b.holding(re.compile("jo"), among=[1, 3]) == [1]
    assert b.holding(re.compile("jo"), among=[]) == []


def test_holding_skips_a_post_once_it_matches():
    calls = []

    class Counting:
        def search(self, text, pos=0):
            calls.append(pos)
            return re.compile("a").search(text, pos)

    assert batch("aaaa", "b", "ba").holding(Counting()) == [0, 2]
    assert calls == [0, 5]  # one search per post holding a match: none after the last


def test_holding_matches_search_on_real_posts():
    texts = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")][:2000]
    b = batch(*texts)
    for pattern in (r"\bpcc\b", r"\d{2,}", r"[£$]\s?\d", r"(?i)police\s+and", r"[!?]\s", r"\w+'\w"):
        regex = re.compile(pattern)
        assert b.holding(regex) == one_by_one(regex, texts)
        assert b.holding(regex, lower=False) == one_by_one(regex, texts, lower=False)


def test_views_are_shared_and_match_post_text():
    b = batch("Hello THERE, İstanbul", "")
    assert b.lowers == [PostText(Post(t)).lower for t in ("Hello THERE, İstanbul", "")]
    assert b.word_lists == [("hello", "there", "İstanbul"), ()]
    assert b.view(0).word_list is b.word_lists[0] and b.view(0).lower is b.lowers[0]
    t = PostText(Post("given"))
    assert Batch.of([t]).view(0) is t
    assert b.with_words(frozenset({"there"})) == [0]
    assert b.with_words(frozenset({"nowhere"})) == []


@pytest.mark.parametrize("text", ["plain text", "tab\there", "bell\x07", "wоrk (Cyrillic o)", "ﬁne", "zero\u200bwidth",
                                  "emoji 👍 and “quotes”", "café", "cafe\u0301"])
def test_unplain_is_not_plain(text):
    b = batch("fine", text)
    assert (1 in b.unplain) == (not PostText(Post(text)).plain)


def test_word_test_remembers_words_and_starts_again_when_full():
    tested = []
    gate = WordTest(lambda w: tested.append(w) or w.startswith("x"), limit=4)
    assert gate.posts(batch("a xa", "b", "a")) == [0]
    assert sorted(tested) == ["a", "b", "xa"]
    assert gate.posts(batch("b", "xa b")) == [1]
    assert sorted(tested) == ["a", "b", "xa"]  # known words are not tested again
    assert gate.posts(batch("xb", "c", "d")) == [0]  # 3 + 3 words is over the limit: forget, then test
    assert sorted(tested) == ["a", "b", "c", "d", "xa", "xb"]
    assert gate.posts(batch("xa")) == [0]
    assert tested[-1] == "xa"


def test_posts_with_words_are_found_as_post_by_post():
    """``with_words`` and ``words_in`` (numpy look-ups over the batch's numbered words) name the
    posts a test of each post's words would, on our corpus's words and words it never holds."""
    with open(CORPUS, encoding="utf-8") as f:
        b = Batch([Post(json.loads(line)["text"]) for line in f])
    rng = random.Random(3)
    vocabulary = sorted(b.vocabulary)
    for size in (1, 5, 300):
        words = {*rng.sample(vocabulary, size), "zzznotaword"}
        assert b.with_words(words) == [i for i, ws in enumerate(b.word_lists) if not words.isdisjoint(ws)]
        values = {w: k for k, w in enumerate(sorted(words))}
        posts, found = b.words_in(values)
        assert list(zip(posts.tolist(), found.tolist())) == [(i, values[w]) for i, ws in enumerate(b.word_lists)
                                                            for w in ws if w in values]
    assert b.with_words({"zzznotaword"}) == [] and batch().with_words({"a"}) == []
    assert b.with_digits == [i for i, text in enumerate(b.texts) if re.search(r"\d", text)]
    assert batch("no digits", "٣ cats", "room 101", "x²").with_digits == [1, 2]  # as \d: "٣" is one, "²" not


def test_gates_never_lose_a_finding():
    """Every kind's ``check_posts`` over a batch equals its ``check`` of each post alone."""
    rules = load_rules()
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    posts = [Post(r["text"], author=r.get("author"), created_at=r.get("created_at")) for r in rows]
    posts += [Post(text, author="Cleveland_PCC0" if i % 5 == 0 else None) for i, text in enumerate([
        "f u c k this, sh1t", "", "DM me to buy🔥", "🔥dm me to buy", "Use code SAVE20 today", "only £5 each",
        "turned £500 into £5,000 in a day with bitcoin", "f4f", "you've won!", "giveaway: follow and share",
        "call 07700 900123 now", "jo@example.com", "reg ab12 cde", "DOB 12/03/1985", "14 Larkspur Close",
        "AB12 CDE", "someone is breaking in right now", "he's got a knife, send help", "see bit.ly/x",
        "This is the official account of the PCC", "fuuuuck", "Scunthorpe", "w@nker", "I'm going to kill myself"])]
    b = Batch(posts)
    for kind in rules.kinds:
        assert dict(kind.check_posts(b)) == {i: found for i, p in enumerate(posts)
                                              if (found := kind.check(PostText(p)))}, kind.FILE


@pytest.mark.parametrize("k, at_least", [(32, 0.7), (8, 0.5), (3, 1.0)])
def test_closest_many_is_closest_of_each(k, at_least):
    """The bucket bound never rules out a pair ``closest`` would find, near the threshold too."""
    rng = random.Random(k)
    mine, recent = [], []
    for _ in range(2000):
        base = rng.sample(range(1 << 32), rng.randrange(1, 60))
        variants = []
        for _ in range(rng.randrange(0, 6)):  # sharing more or less of the base, plus a few other hashes
            kept = [h for h in base if rng.random() < rng.choice((0.5, 0.8, 0.95, 1.0))]
            variants.append(sorted(set(kept + rng.sample(range(64), rng.randrange(0, 8))))[:k])
        ours = sorted(base)[:k]
        mine.append(array("I", [20000, *ours]).tobytes())
        recent.append(tuple(array("I", [20000, *s]).tobytes() for s in variants))
    expected = [closest(list(array("I", m)[1:]), r, k, at_least) for m, r in zip(mine, recent)]
    assert closest_many(mine, recent, k, at_least) == expected
    assert sum(map(bool, expected)) > 100
    assert closest_many([], [], k, at_least) == []


def test_ascii_text_is_split_into_the_words_the_regexes_find():
    from pipeline.rules.base import _PUNCT_TO_SPACE, _WORD, split_ascii
    from pipeline.rules.repeats import _NOT_ALNUM_TO_SPACE, _WORD as ALNUM
    rng = random.Random(0)
    ascii_chars = [chr(c) for c in range(128)]
    texts = ["", "  ", "can't stop", "a_b-c.d", "tab\tand\x1cfile\x1fseparators", "ctrl\x07bell", "x\x7fy"]
    texts += ["".join(rng.choices(ascii_chars, k=rng.randrange(20))) for _ in range(20000)]
    for text in texts:
        assert split_ascii(text, _PUNCT_TO_SPACE) == tuple(_WORD.findall(text)), repr(text)
        assert split_ascii(text, _NOT_ALNUM_TO_SPACE) == tuple(ALNUM.findall(text)), repr(text)
