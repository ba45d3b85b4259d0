"""Behavioural suites (after CheckList and HateCheck): tables of cases per functionality.

Each ``tests/model/<suite>.csv`` has ``functionality,text,expected,notes``. For a category suite,
a case passes when the system puts the post in front of a person as that category exactly when
``expected`` is 1: the model's score reaches the category's review or act level, or a hard rule
resting on one of that category's policy clauses fires (the swearing lexicon for abuse, sales
talk and repeats for spam). A negative case at review level fails: it would be hidden for nothing. For the ``urgent`` suite, a case
passes when the decision's ``urgent`` matches. Results are a pass rate per functionality.

>>> rates = pass_rates(run_suites(load_model()))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import REPO_ROOT
from pipeline.schema import CATEGORIES

SUITES_DIR = REPO_ROOT / "tests" / "model"
SUITES = (*CATEGORIES, "urgent")


def load_suites(folder: Path = SUITES_DIR) -> pd.DataFrame:
    """Every suite's cases in one table with a ``suite`` column."""
    frames = []
    for suite in SUITES:
        path = Path(folder) / f"{suite}.csv"
        if path.is_file():
            frames.append(pd.read_csv(path, dtype={"expected": int}, keep_default_na=False).assign(suite=suite))
    if not frames:
        raise FileNotFoundError(f"no suite files ({', '.join(SUITES)}.csv) in {folder}")
    return pd.concat(frames, ignore_index=True)


def category_rules(policy, category: str) -> set[str]:
    """Clause ids whose rules count as evidence for ``category``."""
    return set(policy.categories.get(category, ())) | {
        cid for cid, clause in policy.clauses.items() if category in clause.models}


def run_suites(moderator, folder: Path = SUITES_DIR) -> pd.DataFrame:
    """Every case with the model's score, what the system predicted, and whether it passed."""
    cases = load_suites(folder)
    scored = moderator.score(cases["text"].tolist())
    policy = moderator.policy
    predicted, score = [], []
    for suite, rules, row in zip(cases["suite"], scored["rules"], scored.to_dict("records")):
        if suite == "urgent":
            predicted.append(int(row["urgent"]))
            score.append(float("nan"))
            continue
        clauses = category_rules(policy, suite)
        by_rule = any(policy.clause_for(r) in clauses for r in rules.split(";") if r)
        levels = moderator.thresholds[suite]
        predicted.append(int(row[f"score_{suite}"] >= levels["review"] or by_rule))
        score.append(row[f"score_{suite}"])
    return cases.assign(score=score, predicted=predicted,
                        passed=[int(p == e) for p, e in zip(predicted, cases["expected"])],
                        action=scored["action"], rules=scored["rules"])


def pass_rates(results: pd.DataFrame) -> pd.DataFrame:
    """Cases, passes and pass rate per suite and functionality, in file order."""
    grouped = results.groupby(["suite", "functionality"], sort=False)["passed"]
    table = grouped.agg(cases="count", passed="sum").reset_index()
    table["pass_rate"] = table["passed"] / table["cases"]
    return table
