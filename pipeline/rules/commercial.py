"""Commercial promotion and scams: sales talk, promo codes, prices on offer, investment and prize bait.

Phrases and patterns live in ``data/rules/commercial.toml``; all matching is on the lower-cased
post. Phrases are one trie-shaped regex per rule; patterns run only on posts holding a hint.

>>> rule = CommercialRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "commercial.toml"))
>>> [f.rule for f in rule.check(PostText(Post("Vapes only £5, DM me to buy")))]
['commercial.sale', 'commercial.price_offer']
>>> rule.check(PostText(Post("He got a £100 fine for fly-tipping")))
[]
"""
from __future__ import annotations

import re

from pipeline.rules.base import Batch, PostText, RuleKind, WordTest, quote, words_of
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile, lower_case_regex, trie_regex
from pipeline.schema import Finding, Post

KINDS = ("sale", "promo_code", "price_offer", "scam", "giveaway")
# Words in so many posts that they would let most posts through a gate.
_COMMON = frozenset("a am an and are at be for has have i in is it me my now of on our out the this to "
                    "us ve was we you your".split())
_ALNUM = re.compile(r"[a-z0-9]+")
DETAILS = {"sale": "sales talk", "promo_code": "promo code", "price_offer": "price on offer",
           "scam": "investment or crypto bait", "giveaway": "prize or giveaway bait"}


class CommercialRule(RuleKind):
    FILE = "commercial.toml"
    RULE_IDS = tuple(f"commercial.{k}" for k in KINDS)

    def __init__(self, phrases: dict[str, tuple[str, ...]], patterns: dict[str, re.Pattern[str] | None],
                 hints: dict[str, tuple[str, ...]]):
        super().__init__()
        self.patterns = patterns
        # One scan for every rule's phrases, one for every rule's hints; then rule by rule.
        self.phrase_kind = {p: kind for kind in KINDS for p in phrases[kind]}
        self.any_phrase = trie_regex(self.phrase_kind)
        self.hints = {kind: trie_regex(hints[kind], whole_words=False) for kind in KINDS}
        all_hints = {h for kind in KINDS for h in hints[kind]}
        self.any_hint = trie_regex(all_hints, whole_words=False)
        # Gates. A phrase is looked for only in posts with a word holding the phrase's key word as a
        # word of its own ("now" in "now🔥"; a phrase of symbols is looked for everywhere), and
        # patterns in posts with a hint inside a word ("code") or anywhere else ("£"). The key is the
        # phrase's longest word that is not a common one ("won", not "you", in "you have won").
        keys = {max(_ALNUM.findall(p), key=lambda w: (w not in _COMMON, len(w)))
                for p in self.phrase_kind if _ALNUM.search(p)}
        self.unkeyed = any(not _ALNUM.search(p) for p in self.phrase_kind)
        self.keyed = WordTest(lambda w: not keys.isdisjoint(_ALNUM.findall(w)))
        inner = tuple(h for h in all_hints if words_of(h) == (h,))
        self.hinted = WordTest(lambda w: any(h in w for h in inner))
        self.other_hints = trie_regex(all_hints.difference(inner), whole_words=False)

    @classmethod
    def from_file(cls, rf: RuleFile) -> CommercialRule:
        phrases, patterns, hints = {}, {}, {}
        for kind in KINDS:
            table = rf.table(kind)
            phrases[kind] = table.words("phrases", ())
            sources = table.strs("patterns", ())
            for i, pattern in enumerate(sources):
                lower_case_regex(table, f"patterns[{i}]", pattern)
            hint_words = table.words("hints", ())
            if sources and not hint_words:
                raise table.error("hints", "patterns need hints: strings one of which a matching post must contain")
            patterns[kind] = re.compile("|".join(f"(?:{p})" for p in sources), re.DOTALL) if sources else None
            hints[kind] = hint_words
            table.finish()
        rf.finish()
        return cls(phrases, patterns, hints)

    def candidates(self, batch: Batch) -> list[int]:
        posts = set()
        if self.any_phrase:
            posts.update(batch.holding(self.any_phrase, among=None if self.unkeyed else self.keyed.posts(batch)))
        if self.any_hint:
            hinted = set(self.hinted.posts(batch))
            if self.other_hints:
                hinted.update(batch.holding(self.other_hints))
            hinted = sorted(hinted)
            for kind, pattern in self.patterns.items():
                if pattern is not None:
                    posts.update(batch.holding(pattern, among=batch.holding(self.hints[kind], among=hinted)))
        return sorted(posts)

    def check(self, t: PostText) -> list[Finding]:
        low = t.lower
        found: dict[str, re.Match[str]] = {}
        if self.any_phrase:
            for m in self.any_phrase.finditer(low):
                found.setdefault(self.phrase_kind.get(" ".join(m.group(0).split()), ""), m)
        if self.any_hint and self.any_hint.search(low):
            for kind, pattern in self.patterns.items():
                if pattern is not None and kind not in found and self.hints[kind].search(low):
                    m = pattern.search(low)
                    if m:
                        found[kind] = m
        return [self.finding(f"commercial.{kind}", f"{DETAILS[kind]}: {quote(t.text, found[kind].span())!r}",
                             found[kind].span()) for kind in KINDS if kind in found]
