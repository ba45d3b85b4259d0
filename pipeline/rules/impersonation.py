"""Impersonation: author names imitating the office's accounts, and posts claiming to speak for it.

Names are compared by their *skeleton* (``base.skeleton``: case, spacing, punctuation, 0/o,
1/l/I, rn/m and homoglyphs folded), so ``CIeveland_PCC`` (capital i) and ``Cleveland.PCC``
match ``@Cleveland_PCC``; the official names themselves, exactly, never do.

>>> rule = ImpersonationRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "impersonation.toml"))
>>> [f.rule for f in rule.check(PostText(Post("Refunds here", author="Cleveland_PCC0")))]
['impersonation.account']
>>> rule.check(PostText(Post("New funding announced", author="@Cleveland_PCC")))
[]
"""
from __future__ import annotations

import re

from pipeline.rules.base import Batch, PostText, RuleKind, WordTest, edit_distance, quote, skeleton
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile, lower_case_regex
from pipeline.schema import Finding, Post

_CLAIM_HINTS = ("pcc", "commissioner")  # every claim pattern names the office


def _official_key(name: str) -> str:
    return name.strip().lstrip("@").casefold()


class ImpersonationRule(RuleKind):
    FILE = "impersonation.toml"
    RULE_IDS = ("impersonation.account", "impersonation.claim")

    def __init__(self, official: tuple[str, ...], protected: tuple[str, ...], max_edits: int,
                 claims: tuple[re.Pattern[str], ...]):
        super().__init__()
        self.official = frozenset(_official_key(n) for n in official)
        names = dict.fromkeys((*official, *protected))
        self.protected = tuple((skeleton(n), n.strip()) for n in names if skeleton(n))
        self.max_edits = max_edits
        self.claims = claims
        self.any_claim = _any(claims)
        self.naming = WordTest(lambda w: any(h in w for h in _CLAIM_HINTS))  # posts naming the office
        self._seen: dict[str, str] = {}  # author -> reason ('' = fine); authors repeat a lot

    @classmethod
    def from_file(cls, rf: RuleFile) -> ImpersonationRule:
        max_edits = rf.int("max_edit_distance")
        if not 0 <= max_edits <= 3:
            raise rf.error("max_edit_distance", f"must be between 0 and 3, got {max_edits}")
        # Matched against the post in lower case, so written in lower case (see lower_case_regex).
        claims = tuple(lower_case_regex(rf, f"claims[{i}]", p) for i, p in enumerate(rf.strs("claims", ())))
        rule = cls(rf.strs("official_accounts"), rf.strs("protected_names"), max_edits, claims)
        rf.finish()
        return rule

    def is_official(self, author: str | None) -> bool:
        return bool(author) and _official_key(author) in self.official

    def imitates(self, author: str) -> str:
        """Why ``author`` looks like an official account ('' if it does not, or is one)."""
        if author not in self._seen:
            self._seen[author] = "" if self.is_official(author) else self._compare(skeleton(author))
        return self._seen[author]

    def _compare(self, name: str) -> str:
        if not name:
            return ""
        for protected, original in self.protected:
            if name == protected:
                return f"looks the same as the official account '{original}'"
            if protected in name:
                return f"contains the official name '{original}'"
        for protected, original in self.protected:
            if len(protected) >= 8 and _may_be_close(name, protected, self.max_edits) and \
                    edit_distance(name, protected, self.max_edits + 1) <= self.max_edits:
                return f"differs by a character or two from the official account '{original}'"
        return ""

    def candidates(self, batch: Batch) -> list[int]:
        """Posts whose author imitates the office (authors are compared once), or that hold a claim."""
        named = {i for i, post in enumerate(batch.posts) if post.author and self.imitates(post.author)}
        if self.claims:
            named.update(batch.holding(self.any_claim, among=self.naming.posts(batch)))
        return sorted(named)

    def check(self, t: PostText) -> list[Finding]:
        author = t.post.author
        out = []
        if author:
            why = self.imitates(author)
            if why:
                out.append(self.finding("impersonation.account", f"author {author!r} {why}"))
        if self.claims and any(h in t.lower for h in _CLAIM_HINTS) and not self.is_official(author):
            for pattern in self.claims:
                m = pattern.search(t.lower)  # offsets as in t.text
                if m:
                    out.append(self.finding("impersonation.claim", f"claims to speak for the office: "
                                                                   f"{quote(t.text, m.span())!r}", m.span()))
                    break
        return out


def _any(claims: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One regex matching where any of ``claims`` does (or, if they cannot be joined, any text)."""
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in claims) or "")
    except re.error:  # e.g. a claim with its own flags, which only the start of a regex may hold
        return re.compile("")


def _may_be_close(name: str, protected: str, max_edits: int) -> bool:
    """Pigeonhole pre-check: within ``max_edits`` edits, one of ``max_edits + 1`` disjoint pieces survives."""
    if abs(len(name) - len(protected)) > max_edits:
        return False
    size = len(protected) // (max_edits + 1)
    return any(protected[i * size:(i + 1) * size] in name for i in range(max_edits + 1))
