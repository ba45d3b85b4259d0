"""Impersonation rules: names imitating the office's accounts, and claims to speak for it."""
from __future__ import annotations

import pytest

from pipeline.rules import load_rules
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def impersonation(rules, text: str, author: str | None) -> list[str]:
    return [f.rule for f in rules.check([Post(text, author=author)])[0] if f.rule.startswith("impersonation.")]


@pytest.mark.parametrize("author", [
    "Cleveland_PCC0", "CIeveland_PCC", "Cleveland PCC Official", "cleveland.pcc.refunds", "Clevland_PCC",
    "Cleveland PCC Support", "Cleveland_PC", "PCC Cleveland", "Police and Crime Commissioner for Cleveland",
    "C1eveland_PCC", "Clеveland_PCC",  # Cyrillic e
    "Cleveland OPCC",
])
def test_names_imitating_official_accounts(rules, author):
    assert impersonation(rules, "Refunds are ready, DM us", author) == ["impersonation.account"]


@pytest.mark.parametrize("author", [
    "@Cleveland_PCC", "Cleveland_PCC", "cleveland_pcc", "ClevelandPCC", "Police & Crime Commissioner for Cleveland",
    "Cleveland Fan", "Jan Scollen", "Durham PCC", "Cleveland Police", "Steve from Redcar", None, "",
])
def test_official_and_ordinary_names(rules, author):
    assert impersonation(rules, "New funding for victims' services announced", author) == []


@pytest.mark.parametrize("text", [
    "Hi, this is the official account of the PCC, DM us your details",
    "Claim your PCC refund here",
    "I am writing on behalf of the Police and Crime Commissioner",
    "OFFICIAL CLEVELAND PCC REFUND TEAM: reply with your bank details",  # any case in the post
])
def test_claims_to_speak_for_the_office(rules, text):
    assert impersonation(rules, text, "Joe Bloggs") == ["impersonation.claim"]


@pytest.mark.parametrize("text, author", [
    ("the PCC said he would look into it", "Joe Bloggs"),
    ("Can the Commissioner explain the precept rise?", "Joe Bloggs"),
    ("This is the official account of the Police and Crime Commissioner for Cleveland", "@Cleveland_PCC"),
])
def test_not_a_claim(rules, text, author):
    assert impersonation(rules, text, author) == []


def test_claim_span_and_clause(rules):
    text = "Claim your PCC refund here"
    (finding,) = rules.check([Post(text, author="x")])[0]
    assert (text[finding.span[0]:finding.span[1]], finding.clause) == ("PCC refund", "mod.impersonation")
