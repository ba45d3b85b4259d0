"""Repeat rules: same or near-same message by one author, campaigns, history between runs."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import DataError
from pipeline.rules import RepeatTracker, load_rules
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
    line = json.loads(path.read_text().splitlines()[0])
    assert set(line) == {"author", "fingerprint", "sketch", "time"} and SPAM not in path.read_text()

    later = RepeatTracker(path)
    assert repeats(rules, [Post(SPAM, author="s1"), Post("thanks", author="s1")], later) == [["repeat.author"], []]


def test_history_keeps_only_recent_entries(rules, tmp_path):
    path = tmp_path / "history.jsonl"
    tracker = RepeatTracker(path, keep_days=30)
    rules.check([Post(SPAM, author="old", created_at="2026-01-01T00:00:00Z"),
                 Post(PETITION, author="new", created_at="2026-10-01T00:00:00Z")], history=tracker)
    tracker.save()
    assert [json.loads(line)["author"] for line in path.read_text().splitlines()] == ["new"]


def test_in_memory_tracker_save_is_a_no_op(rules):
    tracker = RepeatTracker()
    rules.check([Post(SPAM, author="s1")], history=tracker)
    tracker.save()
    assert repeats(rules, [Post(SPAM, author="s1")], tracker) == [["repeat.author"]]


def test_corrupt_history_names_file_and_row(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"author": "a", "fingerprint": "x", "sketch": [1], "time": "2026-01-01"}\nnot json\n')
    with pytest.raises(DataError, match=r"history.jsonl, row 2"):
        RepeatTracker(path)


def test_many_variants_stay_fast(rules):
    posts = [Post(f"{SPAM} offer number {i} only", author=f"bot{i % 50}") for i in range(2000)]
    found = repeats(rules, posts)
    assert sum("repeat.campaign" in f for f in found) == 2000
