"""The shared vocabulary of the pipeline: categories, actions, posts, rule findings, decisions.

Every other module speaks in these terms, so a category or an action is spelled in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = ("abuse", "spam", "sub_judice", "crime_report", "party_political")
# What the model scores: the five categories and the urgent flag (which the urgent rules also set).
OUTPUTS: tuple[str, ...] = (*CATEGORIES, "urgent")

# Actions, most pressing first. The order is the precedence used when several apply.
ACTIONS: tuple[str, ...] = ("escalate", "remove", "hide", "reply", "none", "error")

OPTIONAL_COLUMNS: tuple[str, ...] = ("id", "author", "created_at", "platform", "source", "urgent", "group")


@dataclass(frozen=True)
class Post:
    """One post as every reader and rule sees it. Only ``text`` is required."""

    text: str
    id: str | None = None
    author: str | None = None
    created_at: str | None = None  # ISO 8601, as given by the platform
    platform: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class Finding:
    """One hard rule that fired on a post.

    ``rule`` is a stable rule id (``pii.phone``); ``clause`` the policy clause id it rests on;
    ``span`` the character offsets in the original text, when the finding has a place.
    """

    rule: str
    clause: str
    detail: str
    span: tuple[int, int] | None = None
    urgent: bool = False


@dataclass
class Decision:
    """What to do with one post, and why."""

    action: str
    urgent: bool = False
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    policy_refs: list[str] = field(default_factory=list)
    reply: str = ""
