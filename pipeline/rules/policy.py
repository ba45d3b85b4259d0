"""The policy as data: clauses with stable ids, what handles each, reply templates, rule actions.

``data/rules/policy.toml`` quotes every clause of the OPCC policy that moderation rests on and
says what handles it: ``model:<category>``, ``rule:<rule id or pattern>`` or ``manual`` (with
``manual_reason``: why it cannot be automated). A rule finding's clause is the one clause whose
``handled_by`` names it; ``[rule_actions]`` says what a finding does on its own.

>>> policy = load_policy()
>>> policy.clause_for("pii.phone"), policy.group_for("pii.phone")
('mod.pii', 'remove')
>>> "101" in policy.replies["crime_report"]
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from pipeline import errors
from pipeline.errors import ConfigError
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import OUTPUTS

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "data" / "rules"
POLICY_FILE = "policy.toml"
# What a rule finding does on its own (see pipeline.decision for how they combine):
# escalate: urgent, 999 reply; remove / hide: that action; spam_evidence: only strengthens the
# spam model; party_political: only matters when the post is party political.
RULE_GROUPS: tuple[str, ...] = ("escalate", "remove", "hide", "spam_evidence", "party_political")
_CLAUSE_ID = re.compile(r"^[a-z][a-z_]*(?:\.[a-z][a-z_]*)*$")


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    text: str
    handled_by: tuple[str, ...]
    manual_reason: str = ""
    reply: str = ""
    notes: str = ""

    @property
    def rule_patterns(self) -> tuple[str, ...]:
        return tuple(h[len("rule:"):] for h in self.handled_by if h.startswith("rule:"))

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(h[len("model:"):] for h in self.handled_by if h.startswith("model:"))


@dataclass(frozen=True)
class Policy:
    clauses: dict[str, Clause]
    replies: dict[str, str]
    categories: dict[str, tuple[str, ...]]  # category -> clause ids its model decisions cite
    rule_actions: tuple[tuple[str, str], ...]  # (rule id or pattern, group), in file order
    path: Path

    def clause_for(self, rule: str) -> str:
        """The id of the clause whose ``handled_by`` names ``rule`` ('' if none)."""
        for clause in self.clauses.values():
            if any(fnmatchcase(rule, p) for p in clause.rule_patterns):
                return clause.id
        return ""

    def group_for(self, rule: str) -> str:
        """What a finding of ``rule`` does on its own: one of ``RULE_GROUPS`` ('' if unlisted)."""
        for pattern, group in self.rule_actions:
            if fnmatchcase(rule, pattern):
                return group
        return ""

    def reply_for(self, clause_id: str) -> str:
        clause = self.clauses.get(clause_id)
        return self.replies.get(clause.reply, "") if clause and clause.reply else ""

    def check_rules(self, rule_ids: tuple[str, ...]) -> dict[str, str]:
        """Check every rule id is covered by exactly one clause and one action; the rule -> clause map."""
        clause_of = {}
        for rule in rule_ids:
            covering = [c.id for c in self.clauses.values() if any(fnmatchcase(rule, p) for p in c.rule_patterns)]
            if not covering:
                raise ConfigError(self.path, errors.RULE_UNCOVERED.format(rule=rule))
            if len(covering) > 1:
                raise ConfigError(self.path, f"rule {rule!r} is named by clauses {', '.join(covering)}; "
                                             "a rule rests on exactly one clause")
            groups = {g for p, g in self.rule_actions if fnmatchcase(rule, p)}
            if not groups:
                raise ConfigError(self.path, errors.RULE_NO_ACTION.format(rule=rule))
            if len(groups) > 1:
                raise ConfigError(self.path, f"rule_actions: rule {rule!r} is in several groups ({', '.join(sorted(groups))})")
            clause_of[rule] = covering[0]
        for clause in self.clauses.values():
            for pattern in clause.rule_patterns:
                if not any(fnmatchcase(r, pattern) for r in rule_ids):
                    raise ConfigError(self.path, f"clauses.{clause.id}.handled_by: 'rule:{pattern}' matches no rule; "
                                                 f"rules are: {', '.join(rule_ids)}")
        for pattern, group in self.rule_actions:
            if not any(fnmatchcase(r, pattern) for r in rule_ids):
                raise ConfigError(self.path, f"rule_actions.{group}: {pattern!r} matches no rule")
        return clause_of


def load_policy(rules_dir: str | Path | None = None) -> Policy:
    """The validated policy in ``rules_dir/policy.toml`` (default: the repo's ``data/rules``)."""
    path = Path(rules_dir or DEFAULT_RULES_DIR) / POLICY_FILE
    rf = RuleFile.load(path)
    replies_rf = rf.table("replies")
    replies = {key: replies_rf.str(key) for key in replies_rf.data}
    replies_rf.finish()
    clauses: dict[str, Clause] = {}
    for crf in rf.tables("clauses"):
        clause = _clause(crf, replies)
        if clause.id in clauses:
            raise crf.error("id", f"duplicate clause id {clause.id!r}")
        clauses[clause.id] = clause
    categories = _categories(rf.table("categories"), clauses)
    actions_rf = rf.table("rule_actions")
    rule_actions = []
    for group in actions_rf.data:
        if group not in RULE_GROUPS:
            raise actions_rf.error(group, f"unknown group; use one of {', '.join(RULE_GROUPS)}")
        rule_actions += [(pattern, group) for pattern in actions_rf.strs(group)]
    actions_rf.finish()
    rf.finish()
    return Policy(clauses, replies, categories, tuple(rule_actions), path)


def _clause(crf: RuleFile, replies: dict[str, str]) -> Clause:
    cid = crf.str("id")
    if not _CLAUSE_ID.match(cid):
        raise crf.error("id", f"{cid!r} is not a dotted lower-case id like 'mod.pii'")
    handled_by = crf.strs("handled_by")
    for i, h in enumerate(handled_by):
        kind, _, target = h.partition(":")
        if h == "manual" or (kind == "rule" and target):
            continue
        if kind == "model" and target in OUTPUTS:
            continue
        raise crf.error(f"handled_by[{i}]", f"{h!r} is not 'model:<category>' (one of {', '.join(OUTPUTS)}), "
                                           "'rule:<rule id>' or 'manual'")
    manual_reason = crf.str("manual_reason", "")
    if "manual" in handled_by and not manual_reason.strip():
        raise crf.error("manual_reason", "a clause handled 'manual'ly must say why it cannot be automated")
    reply = crf.str("reply", "")
    if reply and reply not in replies:
        raise crf.error("reply", f"no template {reply!r} in [replies]; known: {', '.join(replies)}")
    clause = Clause(cid, crf.str("section"), crf.str("text"), handled_by, manual_reason, reply, crf.str("notes", ""))
    crf.finish()
    return clause


def _categories(rf: RuleFile, clauses: dict[str, Clause]) -> dict[str, tuple[str, ...]]:
    out = {}
    for category in OUTPUTS:
        refs = rf.strs(category)
        for i, ref in enumerate(refs):
            if ref not in clauses:
                raise rf.error(f"{category}[{i}]", errors.RULE_UNKNOWN_CLAUSE.format(
                    clause=ref, known=", ".join(clauses)))
        out[category] = refs
    rf.finish()
    return out
