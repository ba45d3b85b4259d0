"""One decision per post: the precedence table of pipeline.decision, reasons and policy references."""
from __future__ import annotations

import pytest

from pipeline.decision import decide, load_policy
from pipeline.rules import load_rules
from pipeline.schema import Finding, Post

URGENT = Finding("urgent.threat", "urgent_help", "threat of violence: 'kill me'", (10, 17), urgent=True)
PHONE = Finding("pii.phone", "mod.pii", "UK phone number: '07700 900123'", (0, 12))
LOOKALIKE = Finding("link.lookalike", "mod.malicious_links", "imitates 'clevelandpcc'", (0, 20))
IMPOSTOR = Finding("impersonation.account", "mod.impersonation", "author 'CIeveland_PCC' looks the same")
REPEAT = Finding("repeat.author", "mod.spam.repeat", "the same message posted before by s1")
SCAM = Finding("commercial.scam", "mod.commercial", "investment or crypto bait")
SHORTENER = Finding("link.shortener", "mod.malicious_links", "shortened link", (5, 15))
SALE = Finding("commercial.sale", "mod.commercial", "sales talk")
SWEAR = Finding("lexicon.swearing", "mod.abuse.swearing", "swear word: 'shit'", (0, 4))
CAMPAIGN = Finding("repeat.campaign", "mod.spam.repeat", "the same message from 4 different authors")
CLAIM = Finding("impersonation.claim", "mod.impersonation", "claims to speak for the office")
PURDAH = Finding("election.pre_election", "pre_election", "posted 2024-04-20, within 6 weeks before the PCC "
                                                          "and local elections on 2024-05-02")

THRESHOLDS = {"abuse": {"act": 0.71, "review": 0.4}, "spam": 0.8}


@pytest.fixture(scope="module")
def policy():
    return load_policy()


# (case, levels, findings, created_at, action, clause ids that must be cited)
PRECEDENCE = [
    ("urgent alone", {}, [URGENT], None, "escalate", ["urgent_help"]),
    ("urgent beats abuse and PII", {"abuse": "act"}, [PHONE, URGENT], None, "escalate",
     ["urgent_help", "mod.pii", "mod.abuse.swearing"]),
    ("urgent beats a crime report", {"crime_report": "act"}, [URGENT], None, "escalate", ["urgent_help", "crime_report"]),
    ("abuse act", {"abuse": "act"}, [], None, "remove", ["mod.abuse.swearing", "mod.abuse.unlawful"]),
    ("sub judice act", {"sub_judice": "act"}, [], None, "remove", ["mod.sub_judice", "sub_judice"]),
    ("personal information", {}, [PHONE], None, "remove", ["mod.pii"]),
    ("malicious link", {}, [LOOKALIKE], None, "remove", ["mod.malicious_links"]),
    ("impersonating account", {}, [IMPOSTOR], None, "remove", ["mod.impersonation"]),
    ("repeat by one author", {}, [REPEAT], None, "remove", ["mod.spam.repeat"]),
    ("scam", {}, [SCAM], None, "remove", ["mod.commercial"]),
    ("spam act with evidence", {"spam": "act"}, [SHORTENER, SALE], None, "remove", ["mod.spam.repeat"]),
    ("remove beats hide", {"abuse": "review"}, [PHONE], None, "remove", ["mod.pii"]),
    ("remove beats reply", {"abuse": "act", "crime_report": "act"}, [], None, "remove", ["crime_report"]),
    ("spam act, model alone", {"spam": "act"}, [], None, "hide", ["mod.spam.repeat"]),
    ("spam review", {"spam": "review"}, [], None, "hide", ["mod.commercial"]),
    ("abuse review", {"abuse": "review"}, [], None, "hide", ["mod.abuse.swearing"]),
    ("crime report review", {"crime_report": "review"}, [], None, "hide", ["crime_report"]),
    ("swearing lexicon", {}, [SWEAR], None, "hide", ["mod.abuse.swearing"]),
    ("campaign", {}, [CAMPAIGN], None, "hide", ["mod.spam.repeat"]),
    ("claim to speak for the office", {}, [CLAIM], None, "hide", ["mod.impersonation"]),
    ("party political in the window", {"party_political": "act"}, [PURDAH], "2024-04-20", "hide", ["pre_election"]),
    ("party political review in the window", {"party_political": "review"}, [PURDAH], "2024-04-20", "hide",
     ["pre_election"]),
    ("hide beats reply", {"spam": "review", "crime_report": "act"}, [], None, "hide", ["crime_report"]),
    ("crime report", {"crime_report": "act"}, [], None, "reply", ["crime_report"]),
    ("party political outside the window", {"party_political": "act"}, [], "2025-09-01", "none", ["pre_election"]),
    ("party political review outside", {"party_political": "review"}, [], "2025-09-01", "none", ["pre_election"]),
    ("party political, no date", {"party_political": "act"}, [], None, "none", ["pre_election"]),
    ("in the window, not political", {}, [PURDAH], "2024-04-20", "none", []),
    ("spam evidence alone", {}, [SHORTENER], None, "none", ["mod.malicious_links"]),
    ("nothing", {}, [], None, "none", []),
]


@pytest.mark.parametrize("case, levels, findings, created_at, action, refs", PRECEDENCE, ids=[p[0] for p in PRECEDENCE])
def test_precedence(policy, case, levels, findings, created_at, action, refs):
    scores = {c: {"act": 0.93, "review": 0.55}.get(level, 0.05) for c, level in levels.items()}
    decision = decide(Post("text", created_at=created_at), levels, scores, findings, policy)
    assert decision.action == action
    assert set(refs) <= set(decision.policy_refs)
    assert decision.rules == [f.rule for f in findings]
    assert decision.urgent == (action == "escalate")
    if action != "none":
        assert decision.reasons[0].startswith(action + ":")


def test_escalation_replies_999_and_lists_what_else_applies(policy):
    decision = decide(Post("x"), {"abuse": "act"}, {"abuse": 0.93}, [PHONE, URGENT], policy)
    assert "call 999 now" in decision.reply
    assert decision.reasons[0].startswith("escalate: threat of violence")
    assert any(r.startswith("remove: UK phone number") for r in decision.reasons)
    assert any(r.startswith("remove: abuse score 0.93") for r in decision.reasons)


@pytest.mark.parametrize("levels, findings, action", [
    ({"crime_report": "act"}, [], "reply"),
    ({"crime_report": "act"}, [PHONE], "remove"),  # removed for the phone number, still told where to report
])
def test_crime_report_gets_the_101_reply(policy, levels, findings, action):
    decision = decide(Post("x"), levels, {"crime_report": 0.9}, findings, policy)
    assert decision.action == action
    assert "101" in decision.reply and "999" in decision.reply


def test_no_reply_when_nothing_to_say(policy):
    assert decide(Post("x"), {"abuse": "act"}, {"abuse": 0.9}, [], policy).reply == ""


def test_reasons_give_scores_and_thresholds(policy):
    decision = decide(Post("x"), {"abuse": "act", "spam": "act"}, {"abuse": 0.93, "spam": 0.85}, [], policy,
                      thresholds=THRESHOLDS)
    assert "remove: abuse score 0.93 ≥ 0.71" in decision.reasons
    assert "hide: spam score 0.85 ≥ 0.80; model alone: hidden pending review" in decision.reasons
    without = decide(Post("x"), {"abuse": "review"}, {"abuse": 0.55}, [], policy)
    assert without.reasons == ["hide: abuse score 0.55 (review level), hidden pending review"]


@pytest.mark.parametrize("created_at, says", [(None, "has no date"), ("2025-09-01", "outside any pre-election period"),
                                              ("soon", "unreadable date")])
def test_party_political_outside_the_window_is_noted(policy, created_at, says):
    decision = decide(Post("Vote Reform", created_at=created_at), {"party_political": "act"},
                      {"party_political": 0.9}, [], policy)
    assert decision.action == "none" and any(says in r for r in decision.reasons)


@pytest.mark.parametrize("levels, error", [({"abuse": "high"}, "must be one of"), ({"toxicity": "act"}, "unknown category")])
def test_bad_levels(policy, levels, error):
    with pytest.raises(ValueError, match=error):
        decide(Post("x"), levels, {}, [], policy)


def test_sample_export_end_to_end(policy):
    """Rules alone (no model) on hand-written posts: the hard cases reach the right action."""
    rules = load_rules()
    posts = {
        "break-in": Post("There's lads trying to get into my neighbours shed right now, they've got a crowbar"),
        "phone": Post("My car was broken into outside 22 Thistle Grove, ring me on 07700 900417"),
        "impostor": Post("Refunds ready, claim at c1eveland-pcc-refunds.com/login", author="Cleveland PCC Support"),
        "thanks": Post("Thank you to the officers who came out to my dad last week"),
        "purdah": Post("Only the Lib Dems have a plan. Vote for us!", created_at="2024-04-20T10:00:00Z"),
    }
    findings = rules.check(list(posts.values()))
    actions = {name: decide(post, {}, {}, f, policy).action for (name, post), f in zip(posts.items(), findings)}
    assert actions == {"break-in": "escalate", "phone": "remove", "impostor": "remove", "thanks": "none",
                       "purdah": "none"}
    political = decide(posts["purdah"], {"party_political": "act"}, {"party_political": 0.9}, findings[4], policy)
    assert political.action == "hide" and "pre_election" in political.policy_refs
