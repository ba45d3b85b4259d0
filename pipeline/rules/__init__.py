"""The policy's hard rules, as data: load them once, check batches of posts fast.

Rule data lives in ``data/rules/*.toml`` (editable by staff, validated when loaded: a bad value
is a ``ConfigError`` naming file and key). Each module here implements one rule *kind*:

==============  =========================================  ===========================
module          rule ids                                   data
==============  =========================================  ===========================
urgent          urgent.break_in/weapon/injury/followed/     urgent.toml
                self_harm/threat/help/in_progress/fire/
                water/assault/abduction
pii             pii.phone/email/postcode/ni_number/         pii.toml
                vehicle_reg/dob/card/address
links           link.blocklist/lookalike/punycode/          links.toml, blocklist.txt
                ip_host/executable/shortener
lexicon         lexicon.swearing/slur                       lexicon.toml
impersonation   impersonation.account/claim                 impersonation.toml
commercial      commercial.sale/promo_code/price_offer/     commercial.toml
                scam/giveaway
election        election.pre_election                       election.toml
repeats         repeat.author/campaign                      repeats.toml
==============  =========================================  ===========================

Which policy clause each rule rests on, and what a finding does on its own, is in
``policy.toml`` (see ``pipeline.rules.policy``); ``pipeline.decision`` combines findings with
model scores into one decision per post.

>>> rules = load_rules()
>>> [[f.rule for f in fs] for fs in rules.check([Post("Call me on 07700 900123"), Post("Thanks!")])]
[['pii.phone'], []]
"""
from __future__ import annotations

import operator
from collections.abc import Sequence
from pathlib import Path

from pipeline.rules.base import NOTHING, Batch, RuleKind
from pipeline.rules.commercial import CommercialRule
from pipeline.rules.election import ElectionRule
from pipeline.rules.impersonation import ImpersonationRule
from pipeline.rules.lexicon import LexiconRule, load_lexicon
from pipeline.rules.links import LinkRule, extract_urls
from pipeline.rules.pii import PiiRule, redact
from pipeline.rules.policy import DEFAULT_RULES_DIR, Policy, load_policy
from pipeline.rules.repeats import Prints, RepeatRule, RepeatTracker
from pipeline.rules.ruledata import RuleFile
from pipeline.rules.urgent import UrgentRule
from pipeline.schema import Finding, Post

__all__ = ["RuleSet", "load_rules", "load_policy", "load_lexicon", "Policy", "Prints", "RepeatTracker", "redact",
           "extract_urls", "DEFAULT_RULES_DIR"]

# Per-post kinds, in the order their findings are listed; repeats run over the whole batch.
POST_KINDS: tuple[type, ...] = (UrgentRule, PiiRule, LinkRule, LexiconRule, ImpersonationRule, CommercialRule,
                                ElectionRule)


class RuleSet:
    """Every rule kind, loaded and validated; ``check`` runs them over a batch of posts."""

    def __init__(self, kinds: list[RuleKind], repeats: RepeatRule, policy: Policy, rules_dir: Path):
        self.kinds, self.repeats, self.policy, self.rules_dir = kinds, repeats, policy, rules_dir
        self.by_file = {k.FILE: k for k in (*kinds, repeats)}

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r for k in (*self.kinds, self.repeats) for r in k.rule_ids)

    def kind(self, file: str) -> RuleKind:
        """One kind by its rule file name, e.g. ``rules.kind("election.toml").status(...)``."""
        return self.by_file[file]

    def check(self, posts: Sequence[Post], history: RepeatTracker | None = None) -> list[tuple[Finding, ...]]:
        """The findings for each post, in order (a tuple per post: most posts share the empty
        one, so a batch makes no object per post the garbage collector would walk). Repeats
        compare the whole batch (and ``history``, which then holds the batch too: call
        ``history.save()`` to keep it)."""
        batch = Batch(posts)
        return list(map(operator.add, self.check_posts(batch), self.check_repeats(batch, history)))

    def check_posts(self, posts: Sequence[Post] | Batch) -> list[tuple[Finding, ...]]:
        """The rules that look at one post at a time (safe to run in parallel, chunk by chunk).

        Each kind sees the whole batch, and checks only the posts its gate lets through; the views
        of a post (lower case, words) are made once and shared by every kind (and by ``prints``
        and ``check_repeats`` when given the same ``Batch``).
        """
        batch = posts if isinstance(posts, Batch) else Batch(posts)
        out: list[tuple[Finding, ...]] = [NOTHING] * len(batch)
        for kind in self.kinds:
            for i, found in kind.check_posts(batch):
                out[i] += tuple(found)
        return out

    def prints(self, posts: Sequence[Post] | Batch) -> Prints:
        """What repeats compare of each post, from its text alone (safe to run in parallel, chunk
        by chunk); ``check_repeats`` compares them in order."""
        return self.repeats.prints(posts if isinstance(posts, Batch) else Batch(posts))

    def check_repeats(self, posts: Sequence[Post] | Batch, history: RepeatTracker | None = None,
                      prints: Prints | None = None) -> list[tuple[Finding, ...]]:
        """Repeats, which need the batch (and ``history``) in order: run them in one place.
        ``prints``: the posts' ``prints``, if made already."""
        if prints is None:
            prints = self.prints(posts)
        return self.repeats.check_prints(posts.posts if isinstance(posts, Batch) else posts, prints, history)


def load_rules(rules_dir: str | Path | None = None) -> RuleSet:
    """Every rule file in ``rules_dir`` (default: the repo's ``data/rules``), validated together.

    Each rule id must rest on exactly one clause of ``policy.toml`` and have one action there.
    """
    rules_dir = Path(rules_dir or DEFAULT_RULES_DIR)
    policy = load_policy(rules_dir)
    kinds = [cls.from_file(RuleFile.load(rules_dir / cls.FILE)) for cls in POST_KINDS]
    repeats = RepeatRule.from_file(RuleFile.load(rules_dir / RepeatRule.FILE))
    rule_ids = tuple(r for k in (*kinds, repeats) for r in k.rule_ids)
    clause_of = policy.check_rules(rule_ids)
    for kind in (*kinds, repeats):
        kind.clause_of = clause_of
    return RuleSet(kinds, repeats, policy, rules_dir)
