"""The urgent rule tokenises only posts that hold a pattern's content words (speed is measured in
benchmarks/, not here)."""
from __future__ import annotations

import pytest

from pipeline.rules import load_rules
from pipeline.schema import Post

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


def test_check_tokenises_only_candidates():
    rules = load_rules()
    posts = [Post(TEMPLATES[i % len(TEMPLATES)].format(town=TOWNS[i % 7], n=i), author=f"user{i % 300}")
             for i in range(2000)]
    rules.check(posts[:200])
    kind = rules.kind("urgent.toml")
    calls = []
    original = kind.nlp.make_doc
    kind.nlp.make_doc = lambda text: calls.append(text) or original(text)
    try:
        rules.check(posts)
    finally:
        del kind.nlp.make_doc
    # At most one tokenisation per post, and only of posts holding a pattern's content words.
    assert len(calls) == sum("following" in p.text or "knife" in p.text for p in posts) < len(posts) / 2
