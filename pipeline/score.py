"""Scoring: model scores and hard rules combined into one decision per post.

>>> from pipeline import load_model
>>> m = load_model()  # the default model in models/
>>> m.score(["Thanks for the update on the knife amnesty"])["action"].tolist()
['none']
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.bundle import Bundle
from pipeline.decision import decide
from pipeline.explain import Explainer
from pipeline.rules import Prints, load_policy, load_rules
from pipeline.rules import redact as redacted
from pipeline.rules.base import Batch
from pipeline.schema import CATEGORIES, OUTPUTS, Decision, Post
from pipeline.thresholds import levels_of

SCORE_COLUMNS = [f"score_{c}" for c in OUTPUTS]
FLAG_COLUMNS = [f"flag_{c}" for c in CATEGORIES]
OUTPUT_COLUMNS = [*SCORE_COLUMNS, *FLAG_COLUMNS, "urgent", "action", "rules", "reasons", "policy_refs",
                  "reply", "explanations", "model_version"]
POST_FIELDS = ("id", "author", "created_at", "platform", "parent_id")


class Moderator:
    """A loaded model with its rules: ``score`` turns posts into decisions."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.rules = load_rules(bundle.rules_dir)
        self.policy = load_policy(bundle.rules_dir)
        self._explainer: Explainer | None = None

    @property
    def version(self) -> str:
        return self.bundle.version

    @property
    def thresholds(self) -> dict[str, dict[str, float]]:
        return self.bundle.model.thresholds

    def score(self, posts: Sequence[str | Post] | pd.DataFrame, history=None) -> pd.DataFrame:
        """One output row per post, in order, with the columns of ``OUTPUT_COLUMNS``.

        ``posts`` may be texts, ``Post`` records, or a DataFrame with a ``text`` column (and
        optionally id, author, created_at, platform, read_error). A post that cannot be scored
        (empty or undecodable text, a read error) gets ``action`` = ``error`` and the reason; it is
        never dropped. ``history`` (a ``RepeatTracker``) carries repeats across batches.
        """
        return self.decide_batch(self.assess(posts), history=history)

    def assess(self, posts: Sequence[str | Post] | pd.DataFrame, redact: bool = False) -> Assessment:
        """Everything that looks at one post at a time: model scores, levels, explanations and
        the per-post rules. Independent of other posts, so chunks can be assessed in parallel."""
        records = to_posts(posts)
        problems = [text_problem(p.text) for p in records]
        if isinstance(posts, pd.DataFrame) and "read_error" in posts.columns:
            problems = [_text(e) or p for e, p in zip(posts["read_error"], problems)]
        ok = [i for i, problem in enumerate(problems) if problem is None]
        good = [records[i] for i in ok]
        model = self.bundle.model
        normalised, X = model.featurise([p.text for p in good]) if good else (None, None)
        scores = model.predict_proba([], X=X) if good else np.zeros((0, len(OUTPUTS)))
        levels = levels_of(scores, self.thresholds)
        flagged = {j: [c for c in OUTPUTS if lv[c] != "none"] for j, lv in enumerate(levels)
                   if any(v != "none" for v in lv.values())}
        batch = Batch(good)  # the posts' views, shared by the per-post rules and the repeats' prints
        findings = self.rules.check_posts(batch)
        return Assessment(records, problems, ok, scores, levels, findings, self.rules.prints(batch),
                          self.explainer.explain(normalised, X, flagged),
                          [redacted(p.text, f) for p, f in zip(good, findings)] if redact else None)

    def decide_batch(self, a: Assessment, history=None) -> pd.DataFrame:
        """Repeats over the batch (in order, with ``history``), then one decision per post."""
        good = [a.posts[i] for i in a.ok]
        repeats = self.rules.check_repeats(good, history, prints=a.prints) if good else []
        rows: list[dict] = [error_row(problem, self.version) if problem else {} for problem in a.problems]
        thresholds = self.thresholds
        for j, i in enumerate(a.ok):
            post_scores = {c: float(a.scores[j, k]) for k, c in enumerate(OUTPUTS)}
            decision = decide(good[j], a.levels[j], post_scores, a.findings[j] + repeats[j], self.policy,
                              thresholds=thresholds)
            rows[i] = decision_row(post_scores, a.levels[j], decision, self.version)
            rows[i]["explanations"] = a.explanations.get(j, "")
        out = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
        if a.redacted is not None:
            redacted = [""] * len(a.posts)
            for j, i in enumerate(a.ok):
                redacted[i] = a.redacted[j]
            out["text_redacted"] = redacted
        return out

    @property
    def explainer(self) -> Explainer:
        if self._explainer is None:
            self._explainer = Explainer(self.bundle.model)
        return self._explainer


@dataclass
class Assessment:
    """The per-post half of scoring (see ``Moderator.assess``); ``ok`` indexes the scorable posts."""

    posts: list[Post]
    problems: list[str | None]
    ok: list[int]
    scores: np.ndarray
    levels: list[dict[str, str]]
    findings: list[tuple]  # per post: the per-post rules' findings
    prints: Prints  # what the repeats compare of each scorable post
    explanations: dict[int, str]
    redacted: list[str] | None


def to_posts(posts: Sequence[str | Post] | pd.DataFrame) -> list[Post]:
    if isinstance(posts, pd.DataFrame):
        if "text" not in posts.columns:
            raise ValueError(f"no 'text' column; columns are {', '.join(map(str, posts.columns))}")
        cols = [c for c in POST_FIELDS if c in posts.columns]
        return [Post(text=_text(row["text"]), **{c: _optional(row[c]) for c in cols})
                for row in posts[["text", *cols]].to_dict("records")]
    if isinstance(posts, str):
        raise TypeError("score() takes a sequence of posts; wrap a single text in a list")
    return [p if isinstance(p, Post) else Post(text=_text(p)) for p in posts]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _optional(value) -> str | None:
    text = _text(value)
    return text or None


def text_problem(text: str) -> str | None:
    """Why a text cannot be scored, or None when it can."""
    if not text.strip():
        return "empty text"
    if "\ufffd" in text:
        return "text contains bytes that could not be decoded (not UTF-8)"
    return None


def error_row(reason: str, version: str) -> dict:
    return {**{c: np.nan for c in SCORE_COLUMNS}, **{c: 0 for c in FLAG_COLUMNS}, "urgent": 0,
            "action": "error", "rules": "", "reasons": reason, "policy_refs": "", "reply": "", "explanations": "",
            "model_version": version}


def decision_row(scores: dict[str, float], levels: dict[str, str], decision: Decision, version: str) -> dict:
    return {
        **{f"score_{c}": round(scores[c], 4) for c in OUTPUTS},
        **{f"flag_{c}": int(levels[c] == "act") for c in CATEGORIES},
        "urgent": int(decision.urgent),
        "action": decision.action,
        "rules": ";".join(decision.rules),
        "reasons": "; ".join(decision.reasons),
        "policy_refs": ";".join(decision.policy_refs),
        "reply": decision.reply,
        "explanations": "",
        "model_version": version,
    }
