"""Scoring: model scores and hard rules combined into one decision per post.

>>> from pipeline import load_model
>>> m = load_model()  # the default model in models/
>>> m.score(["Thanks for the update on the knife amnesty"])["action"].tolist()
['none']
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.bundle import Bundle
from pipeline.decision import decide
from pipeline.errors import DataError
from pipeline.explain import Explainer
from pipeline.rules import load_policy, load_rules, redact
from pipeline.schema import CATEGORIES, Decision, Post
from pipeline.thresholds import level

SCORE_COLUMNS = [f"score_{c}" for c in CATEGORIES]
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
        optionally id, author, created_at, platform). A post that cannot be scored (empty or
        undecodable text) gets ``action`` = ``error`` and the reason; it is never dropped.
        """
        records = to_posts(posts)
        problems = [text_problem(p.text) for p in records]
        ok = [i for i, problem in enumerate(problems) if problem is None]
        good = [records[i] for i in ok]
        scores = self.bundle.model.predict_proba([p.text for p in good]) if good else np.zeros((0, len(CATEGORIES)))
        findings = self.rules.check(good, history=history) if good else []
        rows: list[dict] = [error_row(problem, self.version) if problem else {} for problem in problems]
        flagged: dict[int, list[str]] = {}
        for j, i in enumerate(ok):
            post_scores = {c: float(scores[j, k]) for k, c in enumerate(CATEGORIES)}
            levels = {c: level(post_scores[c], self.thresholds[c]) for c in CATEGORIES}
            decision = decide(good[j], levels, post_scores, findings[j], self.policy, thresholds=self.thresholds)
            rows[i] = decision_row(post_scores, levels, decision, self.version)
            if any(v != "none" for v in levels.values()):
                flagged[j] = [c for c in CATEGORIES if levels[c] != "none"]
        for j, line in self.explainer.explain([p.text for p in good], flagged).items():
            rows[ok[j]]["explanations"] = line
        return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)

    @property
    def explainer(self) -> Explainer:
        if self._explainer is None:
            self._explainer = Explainer(self.bundle.model)
        return self._explainer

    def redact_texts(self, texts: Sequence[str]) -> list[str]:
        """Each text with its personal information masked (``[phone]``, ``[email]``, ...)."""
        posts = [Post(text=_text(t)) for t in texts]
        findings = self.rules.check(posts)
        return [redact(p.text, f) for p, f in zip(posts, findings)]

    def score_frame(self, df: pd.DataFrame, history=None) -> pd.DataFrame:
        """``df`` with the output columns appended (existing columns pass through unchanged)."""
        scored = self.score(df, history=history)
        clash = [c for c in OUTPUT_COLUMNS if c in df.columns]
        base = df.drop(columns=clash).reset_index(drop=True)
        return pd.concat([base, scored], axis=1)


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
        **{f"score_{c}": round(scores[c], 4) for c in CATEGORIES},
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


def read_posts_file(path: Path) -> pd.DataFrame:
    """An input file as strings, exactly as written: CSV/TSV, JSONL or Parquet by extension."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(path, "file not found")
    if suffix in (".csv", ".tsv"):
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep="\t" if suffix == ".tsv" else ",",
                           encoding="utf-8-sig", encoding_errors="replace")
    if suffix in (".jsonl", ".json"):
        return pd.read_json(path, lines=suffix == ".jsonl", dtype=False, convert_dates=False)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise DataError(path, f"unknown input type '{suffix}'; use .csv, .tsv, .jsonl or .parquet")


def write_posts_file(df: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".csv", ".tsv"):
        df.to_csv(path, index=False, sep="\t" if suffix == ".tsv" else ",")
    elif suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    elif suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        raise DataError(path, f"unknown output type '{suffix}'; use .csv, .tsv, .jsonl or .parquet")


def score_file(moderator: Moderator, input_path: Path, output_path: Path, redact: bool = False) -> dict:
    """Score every row of ``input_path`` into ``output_path`` and return a summary of counts."""
    if output_path.suffix.lower() not in (".csv", ".tsv", ".jsonl", ".parquet"):
        raise DataError(output_path, "unknown output type; use .csv, .tsv, .jsonl or .parquet")
    df = read_posts_file(input_path)
    if "text" not in df.columns:
        raise DataError(input_path, f"no 'text' column; columns are {', '.join(map(str, df.columns))}")
    scored = moderator.score_frame(df)
    if redact:
        scored["text_redacted"] = moderator.redact_texts(df["text"].tolist())
    write_posts_file(scored, output_path)
    return {
        "input": str(input_path), "output": str(output_path), "posts": len(scored),
        "model_version": moderator.version,
        "categories": {c: int(scored[f"flag_{c}"].sum()) for c in CATEGORIES},
        "urgent": int(scored["urgent"].sum()),
        "actions": scored["action"].value_counts().to_dict(),
    }
