"""Swearing and slur lexicon: disguises are seen through; place names and ordinary words never caught."""
from __future__ import annotations

import random
import re

import pytest

from pipeline.rules import load_lexicon, load_rules
from pipeline.rules.lexicon import _DISGUISE
from pipeline.schema import Post
from pipeline.text import normalise


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def lexicon_hits(rules, text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.span[0]:f.span[1]]) for f in rules.check([Post(text)])[0] if f.rule.startswith("lexicon.")]


@pytest.mark.parametrize("text, found", [
    ("Fuck off", "Fuck"),
    ("youse are f*cking useless", "f*cking"),
    ("f**k this", "f**k"),
    ("F*CK", "F*CK"),
    ("what a sh1t service", "sh1t"),
    ("sh!t", "sh!t"),
    ("$hit", "$hit"),
    ("5hit", "5hit"),
    ("you b @ s t a r d", "b @ s t a r d"),
    ("F U C K", "F U C K"),
    ("a.r.s.e", "a.r.s.e"),
    ("fuuuuck", "fuuuuck"),
    ("fuuck", "fuuck"),
    ("fuucck off", "fuucck"),  # two letters doubled: no single-doubling shortcut may miss it
    ("biittch please", "biittch"),
    ("total w@nkers the lot of you", "w@nkers"),
    ("c*nt", "c*nt"),
    ("a**hole", "a**hole"),  # arsehole or asshole: either way a swear word
    ("motherfucker", "motherfucker"),
    ("bullshit", "bullshit"),
    ("FFS what a load of shite", "shite"),
    ("you absolute twat", "twat"),
    ("twaaaat", "twaaaat"),
    ("fu\u200bck off", "fu\u200bck"),  # zero-width space inside
    ("ｆｕｃｋ off", "ｆｕｃｋ"),  # full-width letters
    ("phuck", "phuck"),
])
def test_swearing_through_disguises(rules, text, found):
    assert ("lexicon.swearing", found) in lexicon_hits(rules, text)


@pytest.mark.parametrize("text, found", [
    ("p*ki", "p*ki"),
    ("wogs out", "wogs"),
    ("n1gger", "n1gger"),
    ("you spaz", "spaz"),
])
def test_slurs(rules, text, found):
    assert ("lexicon.slur", found) in lexicon_hits(rules, text)


@pytest.mark.parametrize("text", [
    "Scunthorpe", "Penistone", "Cockermouth", "Middlesbrough", "assess", "class", "Dickens", "cocktail",
    "Sussex", "shiitake", "Essex", "scrap", "grape", "Scunth0rpe", "S c u n t h o r p e", "swanky bar",
    "mishit", "cl@ss act", "ASSESSMENT", "Bloody roadworks on the A66", "spam fritters and chips",
    "the Arsenal game", "passion", "flame retardant", "Pakistan", "raccoon", "cocoon", "I was pricked",
    "such as?", "blue tits in the garden", "slag heap at Redcar", "peacock", "Hancock", "why?? no",
    "#Boro", "@Cleveland_PCC thanks", "Essex Police", "4pm meeting", "jo@example.com", "Matsushita",
    "Twatt in Orkney", "a torpedo", "Fukushima", "",
])
def test_place_names_and_ordinary_words_are_not_caught(rules, text):
    assert lexicon_hits(rules, text) == []


def test_load_lexicon_is_the_folding_list():
    lexicon = load_lexicon()
    assert {"fuck", "fucking", "shit", "bastard", "nigger"} <= lexicon
    assert "fuk" not in lexicon  # a variant: it would make "f**k" ambiguous to unmask
    assert "scunthorpe" not in lexicon
    # The classifier's normaliser folds against the same list, so it sees the same words.
    assert normalise("F*CK off you sh1t b @ s t a r d", lexicon=lexicon) == "fuck off you shit bastard"


def test_each_occurrence_has_its_span(rules):
    text = "shit, more shit"
    assert [f.span for f in rules.check([Post(text)])[0]] == [(0, 4), (11, 15)]


def test_disguise_check_is_the_plain_alternation():
    """``_DISGUISE`` shares its first character class between alternatives (for speed): it must
    find what the alternation of the five patterns, each with its own first class, finds."""
    alternation = re.compile(r"[*#@$!|?€0-9](?<=[a-z].)(?![a-z0-9-]*\.[a-z])[*#@$!|?€0-9]*[a-z]|[*#](?<=[a-z].)"
                             r"|[$*](?<![\w].)[a-z]|@(?<![\w].)[a-z]{1,4}(?![a-z0-9_])|[013457](?<![\w].)[a-z]{3}")
    rng = random.Random(0)
    alphabet = "abcfhikstu*#@$!|?€0134579 .-_"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12)))
        found, expected = _DISGUISE.search(text), alternation.search(text)
        assert (found and found.span()) == (expected and expected.span()), text


def test_a_word_found_again_is_found_at_its_own_place(rules):
    """Hits inside a folded post are placed word by word, from a cache of each word's hits."""
    text = "sh1t service, sh1t staff, total sh1t"
    assert lexicon_hits(rules, text) == [("lexicon.swearing", "sh1t")] * 3
    assert [f.span for f in rules.check([Post(text)])[0]] == [(0, 4), (14, 18), (32, 36)]
