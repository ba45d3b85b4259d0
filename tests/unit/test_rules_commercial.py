"""Commercial rules: sales talk, promo codes and prices as spam evidence; scam and giveaway bait."""
from __future__ import annotations

import pytest

from pipeline.rules import load_rules
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def commercial(rules, text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.span[0]:f.span[1]]) for f in rules.check([Post(text)])[0] if f.rule.startswith("commercial.")]


@pytest.mark.parametrize("text, rule, found", [
    ("Vapes only £5, DM me to buy", "commercial.sale", "DM me to buy"),
    ("Vapes only £5, DM me to buy", "commercial.price_offer", "only £5"),
    ("Buy now!", "commercial.sale", "Buy now"),
    ("Free delivery on all orders", "commercial.sale", "Free delivery"),
    ("use code SAVE20 at checkout", "commercial.promo_code", "use code SAVE20"),
    ("Promo code inside", "commercial.promo_code", "Promo code"),
    ("20% off all stock", "commercial.price_offer", "20% off"),
    ("£5 each or 3 for £12", "commercial.price_offer", "£5 each"),
    ("I turned £200 into £4,500 in a week with bitcoin trading!! DM me", "commercial.scam", "turned £200 into"),
    ("Guaranteed returns on crypto, message me", "commercial.scam", "Guaranteed returns"),
    ("Bitcoin investment, whatsapp me", "commercial.scam", "Bitcoin investment, whatsapp me"),
    ("Like and share to win a free iPhone", "commercial.giveaway", "Like and share to win"),
    ("first 50 people to comment get a voucher", "commercial.giveaway", "first 50 people"),
    ("follow for follow", "commercial.giveaway", "follow for follow"),
    ("Giveaway! Follow and share to enter", "commercial.giveaway", "Giveaway! Follow"),
])
def test_commercial_patterns(rules, text, rule, found):
    assert (rule, found) in commercial(rules, text)


@pytest.mark.parametrize("text", [
    "He got a £100 fine for fly-tipping",
    "The precept is going up by £13 a year",
    "I lost £500 in a bitcoin scam, how do I report it?",
    "my mate got scammed by a fake giveaway",
    "Please share: free scam awareness talk at Billingham Forum on 14 November, 2pm",
    "What's the code for the door at the community centre?",
    "Crime is up 12% in Stockton",
    "first time I've seen a PCSO in Eston",
    "",
])
def test_not_commercial(rules, text):
    assert commercial(rules, text) == []


def test_clause(rules):
    assert {f.clause for f in rules.check([Post("Buy now, use code SAVE20")])[0]} == {"mod.commercial"}
