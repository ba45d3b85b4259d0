"""Repeat rules: same or near-same message by one author, campaigns, history between runs."""
from __future__ import annotations

import json
import pickle
import random
import zlib
from array import array

import pytest

from pipeline.errors import DataError
from pipeline.rules import RepeatTracker, load_rules
from pipeline.rules.base import PostText
from pipeline.rules.repeat_index import closest
from pipeline.rules.repeats import RepeatRule
from pipeline.schema import Post

SPAM = "Buy cheap followers now at bestfollowers dot com today"
PETITION = "Please fund more officers for Hartlepool town centre, we are not safe at night"


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def repeats(rules, posts, history=None) -> list[list[str]]:
    return [[f.rule for f in fs if f.rule.startswith("repeat.")] for fs in rules.check(posts, history=history)]


@pytest.mark.parametrize("first, second", [
    (SPAM, SPAM),
    (SPAM, SPAM.upper() + "!!"),
    (SPAM, SPAM + " 🔥🔥"),
    (SPAM, "Buy cheap followers today at bestfollowers dot com now"),  # two words swapped
    ("Win 500 pounds now at http://bit.ly/abc just click it", "Win 900 pounds now at http://bit.ly/xyz just click it"),
])
def test_same_author_again_is_a_repeat(rules, first, second):
    assert repeats(rules, [Post(first, author="s1"), Post(second, author="s1")]) == [[], ["repeat.author"]]


@pytest.mark.parametrize("first, second, author2", [
    ("thanks", "thanks", "a"),
    ("👏👏", "👏👏", "a"),
    ("Great work everyone", "Great work everyone", "a"),  # too short to count
    ("Thank you @Cleveland_PCC for visiting Hartlepool today", "Thank you @Cleveland_PCC for visiting Redcar today", "a"),
    (SPAM, "When is the next PCC surgery at Thornaby library?", "a"),
    (SPAM, SPAM, "someone else"),  # two authors: not one author's repeat, and not yet a campaign
])
def test_not_a_repeat(rules, first, second, author2):
    assert repeats(rules, [Post(first, author="a"), Post(second, author=author2)]) == [[], []]


def test_anonymous_posts_are_never_one_author(rules):
    assert repeats(rules, [Post(SPAM), Post(SPAM)]) == [[], []]


def test_campaign_from_many_authors(rules):
    posts = [Post(PETITION, author="c1"), Post(PETITION.lower(), author="c2"), Post(PETITION + "!", author="c3"),
             Post("Unrelated comment about parking on Linthorpe Road tonight", author="c4")]
    assert repeats(rules, posts) == [["repeat.campaign"], ["repeat.campaign"], ["repeat.campaign"], []]


def test_short_messages_never_make_a_campaign(rules):
    posts = [Post("Well done to everyone involved", author=f"u{i}") for i in range(6)]
    assert repeats(rules, posts) == [[]] * 6


def test_history_is_carried_between_runs(rules, tmp_path):
    path = tmp_path / "history.jsonl"
    tracker = RepeatTracker(path)
    assert repeats(rules, [Post(SPAM, author="s1", created_at="2026-10-01T10:00:00Z")], tracker) == [[]]
    tracker.save()
    header, *lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert header == {"repeat_history": 2} and SPAM not in path.read_text()
    assert {tuple(sorted(line)) for line in lines} == {("author", "day", "key"), ("author", "day", "sketch")}

    later = RepeatTracker(path)
    assert repeats(rules, [Post(SPAM, author="s1"), Post("thanks", author="s1")], later) == [["repeat.author"], []]


def test_history_keeps_only_recent_entries(rules, tmp_path):
    path = tmp_path / "history.jsonl"
    tracker = RepeatTracker(path, keep_days=30)
    rules.check([Post(SPAM, author="old", created_at="2026-01-01T00:00:00Z"),
                 Post(PETITION, author="new", created_at="2026-10-01T00:00:00Z")], history=tracker)
    tracker.save()
    assert {json.loads(line)["author"] for line in path.read_text().splitlines()[1:]} == {"new"}


def test_in_memory_tracker_save_is_a_no_op(rules):
    tracker = RepeatTracker()
    rules.check([Post(SPAM, author="s1")], history=tracker)
    tracker.save()
    assert repeats(rules, [Post(SPAM, author="s1")], tracker) == [["repeat.author"]]


def test_corrupt_history_names_file_and_row(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"repeat_history": 2}\n{"author": "a", "key": "00ff00ff00ff00ff", "day": "2026-01-01"}\nnot json\n')
    with pytest.raises(DataError, match=r"history.jsonl, row 3"):
        RepeatTracker(path)


def test_history_of_the_old_format_is_refused_clearly(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"author": "a", "fingerprint": "x", "sketch": [1], "time": "2026-01-01"}\n')
    with pytest.raises(DataError, match=r"row 1: repeat history of format 1; this version reads format 2"):
        RepeatTracker(path)


def test_near_duplicates_are_carried_between_runs(rules, tmp_path):
    path = tmp_path / "history.jsonl"
    tracker = RepeatTracker(path)
    rules.check([Post(SPAM, author="s1", created_at="2026-10-01T10:00:00Z")], history=tracker)
    tracker.save()
    swapped = "Buy cheap followers today at bestfollowers dot com now"
    assert repeats(rules, [Post(swapped, author="s1")], RepeatTracker(path)) == [["repeat.author"]]


def test_same_message_from_one_author_is_found_however_many_posts_ago(rules):
    others = [Post(f"Different message number {w} about {w} and more {w} words", author="s1")
              for w in ("parking", "speeding", "litter", "noise", "drugs", "funding", "lighting", "bins", "dogs",
                        "bikes", "graffiti", "potholes")]
    found = repeats(rules, [Post(SPAM, author="s1"), *others, Post(SPAM, author="s1")])
    assert found[-1] == ["repeat.author"] and not any(found[:-1])


def test_near_duplicates_only_among_the_authors_recent_posts(rules):
    """A very similar (not the same) message is looked for in the author's last recent_per_author
    posts only (10 in repeats.toml); further back, it is missed."""
    swapped = "Buy cheap followers today at bestfollowers dot com now"
    others = [Post(f"Different message number {w} about {w} and more {w} words", author="s1")
              for w in ("parking", "speeding", "litter", "noise", "drugs", "funding", "lighting", "bins", "dogs",
                        "bikes", "graffiti", "potholes")]
    assert repeats(rules, [Post(SPAM, author="s1"), *others[:9], Post(swapped, author="s1")])[-1] == ["repeat.author"]
    assert repeats(rules, [Post(SPAM, author="s1"), *others, Post(swapped, author="s1")])[-1] == []


def test_a_campaign_is_the_same_message_not_a_similar_one(rules):
    """Near-duplicates from different authors (a word changed each time) are not a campaign."""
    posts = [Post(PETITION, author="c1"), Post(PETITION.replace("night", "nite"), author="c2"),
             Post(PETITION.replace("more", "extra"), author="c3")]
    assert repeats(rules, posts) == [[], [], []]


def test_many_variants_stay_fast(rules):
    posts = [Post(f"{SPAM} offer number {i} only", author=f"bot{i % 50}") for i in range(2000)]
    found = repeats(rules, posts)
    assert sum("repeat.campaign" in f for f in found) == 2000


def test_check_is_check_posts_then_check_repeats(rules):
    posts = [Post(SPAM, author="a"), Post(SPAM, author="a"), Post("Call 07700 900123", author="b")]
    assert rules.check(posts) == [x + y for x, y in zip(rules.check_posts(posts), rules.check_repeats(posts))]


def test_prints_made_beforehand_give_the_same_repeats(rules):
    """Scoring makes each chunk's prints with the per-post rules (in a worker, when there are
    several: so they pickle) and compares them in order later; the findings are the same."""
    posts = [Post(SPAM, author="a"), Post(SPAM.upper(), author="a"), Post(PETITION, author="b"),
             Post(PETITION + " 🙏", author="c"), Post(PETITION, author="d"), Post("ok", author="a")]
    prints = pickle.loads(pickle.dumps(rules.prints(posts)))
    with_prints, history = rules.check_repeats(posts, RepeatTracker(), prints=prints), RepeatTracker()
    assert with_prints == rules.check_repeats(posts, history) and any(with_prints)
    assert prints.n_words[-1] == 1 and prints.keys[-1] == 0  # too short to count: no key


def test_check_batch_takes_an_iterator(rules):
    posts = [Post(SPAM, author="a"), Post(SPAM, author="a")]
    assert [[f.rule for f in fs] for fs in rules.repeats.check_batch(map(PostText, posts), None)] == \
        [[], ["repeat.author"]]


@pytest.mark.parametrize("text, words", [
    ("Meet at 4pm on the 2nd, 500 of us", ["meet", "at", "0", "on", "the", "0", "0", "of", "us"]),
    ("ring ② now", ["ring", "0", "now"]),  # not a digit until cleaned ("2")
    ("no digits here", ["no", "digits", "here"]),
])
def test_every_word_with_a_digit_is_zero(rules, text, words):
    assert rules.repeats.words(PostText(Post(text))) == words


def _sketch_of_one(words, sizes, k):
    """The sketch as defined: the k smallest distinct n-gram hashes of one post."""
    ids = [zlib.crc32(w.encode()) for w in words]
    grams = set()
    for n in sizes:
        hashes = ids
        for shift in range(1, n):
            hashes = [(h * 0x9E3779B1 + x) & 0xFFFFFFFF for h, x in zip(hashes, ids[shift:])]
        grams.update(hashes)
    return sorted(grams)[:k]


@pytest.mark.parametrize("sizes, k", [((1, 2), 32), ((1, 2, 3, 5), 8), ((4,), 3)])
def test_sketches_of_a_batch_are_each_posts_own(sizes, k):
    rng = random.Random(sum(sizes) * k)
    vocabulary = [f"w{i}" for i in range(30)]
    lists = [[rng.choice(vocabulary) for _ in range(rng.randrange(12))] for _ in range(300)] + [[], ["a"] * 40]
    rule = RepeatRule(5, sizes, 0.7, 3, 8, k)
    assert rule.sketches(lists) == [_sketch_of_one(words, sizes, k) for words in lists]


def _similarity(mine, theirs, k):
    """Jaccard similarity from bottom-k sketches, without the early exits of ``closest``."""
    if len(mine) < k and len(theirs) < k:
        return len(set(mine) & set(theirs)) / len(set(mine) | set(theirs))
    smallest = sorted(set(mine) | set(theirs))[:k]
    return sum(1 for h in smallest if h in mine and h in theirs) / len(smallest)


def test_closest_gives_up_only_where_the_threshold_cannot_be_reached():
    rng = random.Random(4)
    k, at_least = 32, 0.7
    for _ in range(3000):
        base = rng.sample(range(1000), rng.randrange(10, 60))
        sketches = []
        for _ in range(4):  # variants sharing more or less of the base
            kept = [h for h in base if rng.random() < rng.choice((0.5, 0.8, 0.95, 1.0))]
            sketches.append(sorted(set(kept + rng.sample(range(1000, 1100), rng.randrange(0, 8))))[:k])
        mine, recent = sketches[0], [array("I", [20000, *s]).tobytes() for s in sketches[1:]]
        expected = next((sim for s in reversed(sketches[1:]) if (sim := _similarity(mine, s, k)) >= at_least), 0.0)
        assert closest(mine, recent, k, at_least) == expected


def test_posts_without_findings_share_one_empty_tuple(rules):
    """A batch makes no object per post that found nothing (the garbage collector would walk them)."""
    found = rules.check([Post("Lovely day in Redcar", author="a"), Post("Thanks all", author="b"),
                         Post("Call me on 07700 900123", author="c")])
    assert found[0] is found[1] == () and [f.rule for f in found[2]] == ["pii.phone"]
