"""One decision per post: model levels and rule findings combined by a fixed precedence.

Precedence (the first that applies sets ``Decision.action``; every reason is still listed):

1. **escalate** - any urgent finding (``urgent.*``: danger now), or the urgent model at its
   review level or above (recall first: a false alarm costs a 999 reply, a miss can cost a life). Reply: "call 999 now". Never
   hidden behind another action: a post that is also abusive or holds a phone number is still
   escalated, and the other findings are listed in its reasons for staff to act on.
2. **remove** - abuse at act level; sub_judice at act level; a rule in the ``remove`` group of
   ``policy.toml`` (personal information, malicious links, an impersonating account, repeats by
   one author, scams and giveaways); spam at act level *with* corroborating spam evidence
   (shortener, sales talk, promo code, price on offer).
3. **hide** (pending review) - any category at review level; spam at act level from the model
   alone; a party-political post (act or review level) inside a pre-election window; a rule in
   the ``hide`` group (swearing and slur lexicon, claims to speak for the office, campaigns).
4. **reply** - crime_report at act level: the policy's template (report on 101 or online, 999 in
   an emergency). The template is also set when a crime report is removed or hidden.
5. **none** - otherwise. A party-political post outside the pre-election window (or with no date)
   is noted in the reasons only, and is exempt from "review level hides": outside the window the
   policy has nothing against it.

``levels[category]`` is "act" (score at or above the automatic-action threshold), "review"
(between the review and action thresholds) or "none"; a missing category counts as "none".

>>> from pipeline.rules import load_policy
>>> from pipeline.schema import Finding, Post
>>> d = decide(Post("Ring me on 07700 900123"), {"abuse": "none"}, {"abuse": 0.1},
...            [Finding("pii.phone", "mod.pii", "UK phone number", (11, 23))], load_policy())
>>> d.action, d.policy_refs, d.rules
('remove', ['mod.pii'], ['pii.phone'])
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.rules.election import parse_date
from pipeline.rules.policy import Policy, load_policy
from pipeline.schema import ACTIONS, CATEGORIES, OUTPUTS, Decision, Finding, Post

__all__ = ["decide", "Policy", "load_policy", "LEVELS"]

LEVELS = ("act", "review", "none")


def decide(post: Post, levels: Mapping[str, str], scores: Mapping[str, float], findings: Sequence[Finding],
           policy: Policy, *, thresholds: Mapping[str, Mapping[str, float] | float] | None = None) -> Decision:
    """The action for one post, with the reasons, policy clauses and rules that led to it.

    ``thresholds`` (optional) only improves the reasons: ``{"abuse": {"act": 0.71, "review": 0.4}}``
    or ``{"abuse": 0.71}`` gives "abuse score 0.93 ≥ 0.71" instead of "abuse score 0.93 (act level)".
    """
    level = _levels(levels)
    candidates: list[tuple[str, str, tuple[str, ...]]] = []  # (action, reason, clause ids)
    notes: list[tuple[str, tuple[str, ...]]] = []

    def model(category: str, action: str, extra: str = "") -> None:
        reason = _score_reason(category, level[category], scores, thresholds) + extra
        candidates.append((action, reason, policy.categories.get(category, ())))

    groups = {f.rule: policy.group_for(f.rule) for f in findings}
    spam_evidence = [f for f in findings if groups[f.rule] == "spam_evidence"]
    in_window = [f for f in findings if groups[f.rule] == "party_political"]
    political = level["party_political"] != "none"

    for f in findings:
        group = "escalate" if f.urgent else groups[f.rule]
        if group in ("escalate", "remove", "hide"):
            candidates.append((group, f"{f.detail} [{f.rule}]", (f.clause,)))
        elif group == "party_political" and not political:
            notes.append((f"{f.detail} [{f.rule}]; the post is not party political", ()))
    if level["urgent"] != "none":  # recall first: the urgent model escalates from its review level
        model("urgent", "escalate")
    for category in ("abuse", "sub_judice"):
        if level[category] == "act":
            model(category, "remove")
    if level["spam"] == "act":
        if spam_evidence:
            model("spam", "remove", " with corroborating rule(s) " + ", ".join(dict.fromkeys(f.rule for f in spam_evidence)))
        else:
            model("spam", "hide", "; model alone: hidden pending review")
    elif spam_evidence:
        notes.append(("spam evidence without the spam model: " + "; ".join(f"{f.detail} [{f.rule}]" for f in spam_evidence),
                      tuple(dict.fromkeys(f.clause for f in spam_evidence))))
    for category in CATEGORIES:
        if level[category] == "review" and category != "party_political":
            model(category, "hide", ", hidden pending review")
    if political:
        _political(post, level, scores, thresholds, in_window, policy, candidates, notes)
    reply = ""
    if level["crime_report"] == "act":
        model("crime_report", "reply")
        reply = policy.reply_for("crime_report")
    return _assemble(candidates, notes, findings, policy, reply)


def _political(post: Post, level: dict[str, str], scores: Mapping[str, float], thresholds, in_window: list[Finding],
               policy: Policy, candidates: list, notes: list) -> None:
    score = _score_reason("party_political", level["party_political"], scores, thresholds)
    refs = policy.categories.get("party_political", ())
    if in_window:
        candidates.append(("hide", f"{score}, during the pre-election period: {in_window[0].detail}", refs))
    elif parse_date(post.created_at) is None:
        missing = "has no date" if not post.created_at else f"has an unreadable date {post.created_at!r}"
        notes.append((f"{score}; the post {missing}, so the pre-election period could not be checked", refs))
    else:
        notes.append((f"{score}; outside any pre-election period: noted, no action", refs))


def _assemble(candidates: list, notes: list, findings: Sequence[Finding], policy: Policy, reply: str) -> Decision:
    order = {a: i for i, a in enumerate(ACTIONS)}
    candidates.sort(key=lambda c: order[c[0]])  # stable: within an action, the order they were found
    action = candidates[0][0] if candidates else "none"
    urgent = action == "escalate"
    if urgent:
        reply = policy.replies.get("urgent", "") or policy.reply_for("urgent_help")
    reasons = [f"{a}: {r}" for a, r, _ in candidates] + [f"note: {n}" for n, _ in notes]
    refs = [c for _, _, cs in candidates for c in cs] + [c for _, cs in notes for c in cs]
    return Decision(action=action, urgent=urgent, rules=list(dict.fromkeys(f.rule for f in findings)),
                    reasons=reasons, policy_refs=list(dict.fromkeys(c for c in refs if c)), reply=reply)


def _levels(levels: Mapping[str, str]) -> dict[str, str]:
    out = {c: "none" for c in OUTPUTS}
    for category, value in levels.items():
        if category not in OUTPUTS:
            raise ValueError(f"unknown category {category!r} in levels; categories are {', '.join(OUTPUTS)}")
        if value not in LEVELS:
            raise ValueError(f"level for {category!r} must be one of {', '.join(LEVELS)}, got {value!r}")
        out[category] = value
    return out


def _score_reason(category: str, level: str, scores: Mapping[str, float], thresholds) -> str:
    score = scores.get(category)
    if score is None:
        return f"{category} ({level} level)"
    limit = None
    if thresholds and category in thresholds:
        t = thresholds[category]
        limit = t.get(level) if isinstance(t, Mapping) else (t if level == "act" else None)
    if limit is not None:
        return f"{category} score {score:.2f} ≥ {limit:.2f}"
    return f"{category} score {score:.2f} ({level} level)"
