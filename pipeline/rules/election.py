"""The pre-election period ("purdah"): is a post's date inside the window before an election?

Election dates and the window length live in ``data/rules/election.toml``. ``check`` notes a
post dated inside a window (``election.pre_election``); whether the office acts depends on the
post being party political, which ``status`` (and ``pipeline.decision``) combine.

>>> rule = ElectionRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "election.toml"))
>>> rule.status("2024-04-20T10:00:00Z", party_political=True).action
'hide'
>>> rule.status("2024-09-01", party_political=True).action
'none'
>>> rule.status(None, party_political=True).reason
'party political; the post has no date, so the pre-election period could not be checked'
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.rules.base import NOTHING, Batch, PostText, RuleKind
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import Finding


@dataclass(frozen=True)
class Election:
    date: dt.date
    name: str


@dataclass(frozen=True)
class ElectionStatus:
    in_window: bool
    election: Election | None
    action: str  # "hide" (remove or decline to respond) or "none"
    reason: str


def parse_date(created_at: str | None) -> dt.date | None:
    """The calendar date of an ISO 8601 timestamp or date, as written (None if missing or unreadable).

    >>> parse_date("2024-04-20T23:30:00+01:00"), parse_date("yesterday")
    (datetime.date(2024, 4, 20), None)
    """
    if not created_at:
        return None
    text = created_at.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


class ElectionRule(RuleKind):
    FILE = "election.toml"
    RULE_IDS = ("election.pre_election",)

    def __init__(self, elections: tuple[Election, ...], window_weeks: int):
        super().__init__()
        self.elections = tuple(sorted(elections, key=lambda e: e.date))
        self.window = dt.timedelta(weeks=window_weeks)
        self.window_weeks = window_weeks
        self._cache: dict[str, Sequence[Finding]] = {}  # date -> its findings

    @classmethod
    def from_file(cls, rf: RuleFile) -> ElectionRule:
        weeks = rf.int("window_weeks")
        if not 1 <= weeks <= 26:
            raise rf.error("window_weeks", f"must be between 1 and 26, got {weeks}")
        elections = []
        for erf in rf.tables("elections"):
            elections.append(Election(erf.date("date"), erf.str("name")))
            erf.finish()
        rf.finish()
        return cls(tuple(elections), weeks)

    def election_for(self, day: dt.date) -> Election | None:
        """The election whose pre-election window holds ``day``, if any."""
        for election in self.elections:
            if election.date - self.window <= day <= election.date:
                return election
        return None

    def check_posts(self, batch: Batch) -> Iterator[tuple[int, Sequence[Finding]]]:
        """Only the date matters: no post's text is looked at."""
        for i, post in enumerate(batch.posts):
            found = self.dated(post.created_at)
            if found:
                yield i, found

    def check(self, t: PostText) -> Sequence[Finding]:
        return self.dated(t.post.created_at)

    def dated(self, created: str | None) -> Sequence[Finding]:
        """The finding of a post made at ``created``, if inside a window (one per date: posts share few)."""
        if not created:
            return NOTHING
        key = created[:10]
        found = self._cache.get(key)
        if found is None:
            day = parse_date(created)
            election = self.election_for(day) if day else None
            found = self._cache[key] = NOTHING if election is None else (self.finding(
                "election.pre_election", f"posted {key}, within {self.window_weeks} weeks before the "
                                         f"{election.name} on {election.date.isoformat()}"),)
        return found

    def status(self, created_at: str | None, party_political: bool) -> ElectionStatus:
        """What the policy says for a post of this date: inside a window a party-political post is hidden
        (the office removes it or declines to respond); outside it is only noted."""
        day = parse_date(created_at)
        what = "party political" if party_political else "not party political"
        if day is None:
            missing = "has no date" if not created_at else f"has an unreadable date {created_at!r}"
            return ElectionStatus(False, None, "none",
                                  f"{what}; the post {missing}, so the pre-election period could not be checked")
        election = self.election_for(day)
        if election is None:
            return ElectionStatus(False, None, "none", f"{what}; {day} is outside any pre-election period (noted only)")
        where = f"{day} is within {self.window_weeks} weeks before the {election.name} on {election.date}"
        if party_political:
            return ElectionStatus(True, election, "hide", f"party political during the pre-election period: {where}")
        return ElectionStatus(True, election, "none", f"not party political; {where}")
