"""The urgent rule tokenises only posts that can match: those holding a pattern's content words and
the text a match would cover (``sequence_regex``). Speed is measured in benchmarks/, not here."""
from __future__ import annotations

import json
import re

import pytest

from pipeline.rules import load_rules
from pipeline.rules.urgent import norm_surfaces, sequence_regex
from pipeline.schema import Post
from pipeline.suites import load_suites
from pipeline.text import english

REPO_POSTS = "data/opcc/posts.jsonl"

TEMPLATES = [
    "Thanks to the PCC for coming to the meeting in {town} last night, really useful to hear about the plans.",
    "Where's all the money gone from the precept then? Still never see a bobby in {town}. Number {n} complaint.",
    "Is the surgery at {town} library still on for Thursday at 2pm? Can I just turn up?",
    "Off-road bikes round {town} every single night, it's been going on for {n} weeks now",
    "The PCC has failed on burglary in {town} for three years running and should step aside.",
    "Good to see the knife amnesty bins going in at {town}. More of this please! 👏",
    "Someone is following me along the high street in {town}",
    "I turned £{n} into £4,500 in a week with bitcoin trading!! DM me bit.ly/x{n}",
]
TOWNS = ["Redcar", "Hartlepool", "Stockton", "Middlesbrough", "Eston", "Thornaby", "Guisborough", "Billingham"]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture(scope="module")
def urgent(rules):
    return rules.kind("urgent.toml")


@pytest.fixture(scope="module")
def texts():
    """Every suite case and every post of our corpus: real wording, contractions, slang and all."""
    with open(REPO_POSTS, encoding="utf-8") as f:
        corpus = [json.loads(line)["text"] for line in f]
    return [*load_suites()["text"], *corpus]


def tokenised(rules, posts) -> list[str]:
    """The texts the urgent rule tokenises when ``rules`` check ``posts``."""
    nlp, calls = rules.kind("urgent.toml").nlp, []
    original = nlp.make_doc
    nlp.make_doc = lambda text: calls.append(text) or original(text)
    try:
        rules.check(posts)
    finally:
        del nlp.make_doc
    return calls


def test_check_tokenises_only_posts_that_can_match(rules):
    posts = [Post(TEMPLATES[i % len(TEMPLATES)].format(town=TOWNS[i % 7], n=i), author=f"user{i % 300}")
             for i in range(2000)]
    calls = tokenised(rules, posts)
    # At most one tokenisation per post, and only of posts holding a pattern's content words in an
    # order a pattern allows ("Good to see the knife amnesty bins" holds "s … the knife", which
    # the regex for "he's got the knife" cannot tell from it: it sees text, not tokens).
    assert len(calls) == sum("following" in p.text or "knife" in p.text for p in posts) < len(posts) / 2


@pytest.mark.parametrize("text, tokenised_", [
    ("Someone is following me home", True),
    ("he's got a knife", True),
    ("hes got a knife", True),
    ("My house was burgled last year, someone said", False),  # the words, not in a pattern's order
    ("Lovely walk home, the people there were friendly", False),
    ("Thanks for the update on the new community hub", False),  # none of the words
])
def test_only_text_in_a_pattern_order_is_tokenised(rules, text, tokenised_):
    assert bool(tokenised(rules, [Post(text)])) is tokenised_


def test_a_token_norm_is_its_lower_case_or_one_of_its_surfaces(texts):
    """What the sequence regexes rest on: a token whose NORM is w reads as w or as one of
    ``norm_surfaces()[w]`` in lower case. Checked on every token of the suites and our corpus."""
    nlp = english()
    surfaces = norm_surfaces(nlp)
    odd = {(t.lower_, t.norm_) for text in texts for t in nlp.make_doc(text)
           if t.norm_ != t.lower_ and t.lower_ not in surfaces.get(t.norm_, ())}
    assert not odd


def test_wherever_a_pattern_matches_its_sequence_regex_finds_it(urgent, texts):
    """On every text holding an anchor word: within the text of each Matcher match on the whole doc,
    the pattern's sequence regex finds something (it leaves out a match's optional first and last tokens)."""
    from spacy.matcher import Matcher

    matcher = Matcher(urgent.nlp.vocab)  # every pattern in one, keyed by its index
    for i, pattern in enumerate(urgent.patterns):
        matcher.add(str(i), [pattern["tokens"]])
    checked = 0
    for text in texts:
        low = text.lower()
        if not urgent.prefilter.search(low):
            continue
        doc = urgent.nlp.make_doc(text)
        for key, start, end in matcher(doc):
            i = int(urgent.nlp.vocab.strings[key])
            regex = urgent.sequences[i]
            span = low[doc[start].idx:doc[end - 1].idx + len(doc[end - 1])]
            assert regex is not None and regex.search(span), (text, urgent.patterns[i]["rule"], span)
            checked += 1
    assert checked > 500  # the suites alone hold hundreds of urgent posts


@pytest.mark.parametrize("tokens, finds, misses", [
    ([{"LOWER": "kill"}, {"LOWER": "myself"}], ["i will kill myself"], ["kill them myself"]),
    ([{"NORM": {"IN": ["is", "am"]}}, {"LOWER": "being", "OP": "?"}, {"LOWER": "followed"}],
     ["i'm followed", "i’m being followed", "im followed", "is being    followed"], ["followed me", "is not being followed"]),
    ([{"NORM": "not"}, {"LOWER": "breathing"}], ["isn't breathing", "is not breathing", "isnt breathing"], ["not now breathing"]),
    ([{"IS_PUNCT": True, "OP": "?"}, {"LOWER": "help"}, {"LIKE_NUM": True}], ["help 999", "help"], ["hlp 999"]),
])
def test_sequence_regex(tokens, finds, misses):
    regex = sequence_regex(tokens, norm_surfaces(english()))
    assert all(regex.search(t) for t in finds), finds
    assert not any(regex.search(t) for t in misses), misses


def test_a_repeated_token_gets_no_regex():
    assert sequence_regex([{"LOWER": "help", "OP": "+"}], {}) is None
    assert re.compile(sequence_regex([{"LOWER": "help"}], {}).pattern).search("please help")
