"""Emergency and safeguarding rules: danger now fires (urgent=True); past, hypothetical, idiom do not."""
from __future__ import annotations

import random

import pytest

from pipeline.rules import load_rules
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def urgent(rules, text: str) -> list:
    return [f for f in rules.check([Post(text)])[0] if f.rule.startswith("urgent.")]


@pytest.mark.parametrize("text, rule", [
    ("Someone is breaking into my house right now", "urgent.break_in"),
    ("help there's someone trying to get in my back door", "urgent.break_in"),
    ("There's lads trying to get into my neighbours shed right now, what do I do", "urgent.break_in"),
    ("they're kicking my door in", "urgent.break_in"),
    ("there's a man in my garden", "urgent.break_in"),
    ("what do I do if someone is in my garden right now?", "urgent.break_in"),  # "now" outweighs "if"
    ("there's a man with a knife outside my house", "urgent.weapon"),
    ("he's got a gun", "urgent.weapon"),
    ("they've got a crowbar and they're at the door", "urgent.weapon"),
    ("my friend is bleeding and won't wake up", "urgent.injury"),
    ("he's bleeding", "urgent.injury"),
    ("my mate's been stabbed", "urgent.injury"),
    ("she's not breathing", "urgent.injury"),
    ("Someone is following me along Linthorpe Road", "urgent.followed"),
    ("im being followed", "urgent.followed"),
    ("hes following me home", "urgent.followed"),
    ("he keeps following me", "urgent.followed"),
    ("I want to kill myself", "urgent.self_harm"),
    ("I'm going to end my life tonight", "urgent.self_harm"),
    ("I can't do this anymore. Going down to the Tees tonight and that's it.", "urgent.self_harm"),
    ("i dont want to be alive", "urgent.self_harm"),
    ("my ex is outside and says he'll kill me", "urgent.threat"),
    ("he is threatening to stab me", "urgent.threat"),
    ("she’s gonna kill me", "urgent.threat"),
    ("need an ambulance now", "urgent.help"),
    ("someone call an ambulance", "urgent.help"),
])
def test_danger_now_is_urgent(rules, text, rule):
    found = urgent(rules, text)
    assert rule in [f.rule for f in found]
    assert all(f.urgent and f.clause == "urgent_help" for f in found)


@pytest.mark.parametrize("text", [
    "Last night someone broke in and took the telly",
    "What should I do if someone breaks in?",
    "what do you do if you're being followed?",
    "We were burgled two years ago and the police were brilliant",
    "Yesterday a man with a knife robbed the shop",
    "He was stabbed in 2019 and the trial is next week",
    "someone was breaking into cars on our street yesterday",
    "this queue is killing me",
    "this heat is killing me, anyone else?",
    "dying of laughter at this",
    "I nearly died laughing",
    "I'm dying to see the new station",
    "my mum is going to kill me when she sees this",
    "I could murder a pint",
    "Good to see the knife amnesty bins going in at Stockton",
    "knife crime is up in Middlesbrough",
    "it's bleeding ridiculous",
    "thanks for following me!",
    "how do I report someone following me online?",
    "my feelings are hurt by this",
    "We need more police on the streets",
    "",
])
def test_past_hypothetical_and_idioms_are_not_urgent(rules, text):
    assert urgent(rules, text) == []


def test_span_points_into_the_original_text(rules):
    text = "Please!! my ex is outside and says he’ll kill me"
    finding = next(f for f in urgent(rules, text) if f.rule == "urgent.threat")
    assert text[finding.span[0]:finding.span[1]] == "’ll kill me"  # curly apostrophe and all


def test_one_finding_per_rule(rules):
    found = urgent(rules, "he has a knife, he has a gun, he has a machete")
    assert [f.rule for f in found] == ["urgent.weapon"]


def test_posts_without_content_words_are_not_tokenised(rules, monkeypatch):
    kind = rules.kind("urgent.toml")
    calls = []
    monkeypatch.setattr(kind.nlp, "make_doc", lambda text: calls.append(text) or (_ for _ in ()).throw(AssertionError))
    rules.check([Post("Thanks for the update on the new community hub"), Post("Lovely day in Redcar")])
    assert calls == []


def test_matching_around_the_anchors_finds_what_the_whole_doc_does(rules):
    """Each pattern is matched only on the tokens around its anchor words: the same matches, in the
    same order, as on the whole doc, wherever the anchors are and however many there are."""
    kind = rules.kind("urgent.toml")
    sentences = ["he's got a knife", "someone is in my garden", "I want to kill myself.", "they are following me home",
                 "he is bleeding", "going to kill me", "send the police now", "the knife, the gun and the bat",
                 "Thanks all. Lovely day", "my ex is outside", "he has a big kitchen knife and a gun"]
    rng = random.Random(1)
    texts = sentences + [" ".join(rng.choices(sentences, k=rng.randrange(2, 5))) for _ in range(200)]
    for text in texts:
        doc = kind.nlp.make_doc(text)
        for i, matcher in enumerate(kind.matchers):
            assert kind._matches(i, doc) == [(start, end) for _, start, end in matcher(doc)], (text, i)
