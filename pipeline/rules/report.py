"""How each rule behaves on labelled posts, after SpamAssassin's mass-check: is a rule noisy?

For every rule id: how many posts it fired on, and its hit rate among the posts positive and
negative for each category. A rule meant as spam evidence should fire far more often on
``spam`` positives than negatives (``spam_so`` near 1); one that fires as often on both is noise.

>>> import pandas as pd
>>> from pipeline.rules import load_rules
>>> from pipeline.schema import Post
>>> posts = [Post("ring 07700 900123"), Post("great work")]
>>> labels = pd.DataFrame({"spam": [1, 0]})
>>> report = rules_report(posts, labels, load_rules())
>>> int(report.loc["pii.phone", "hits"]), float(report.loc["pii.phone", "spam_pos"])
(1, 1.0)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.schema import CATEGORIES, Post

LABEL_COLUMNS = (*CATEGORIES, "urgent")


def rules_report(posts: Sequence[Post], labels: pd.DataFrame, ruleset) -> pd.DataFrame:
    """One row per rule id (index ``rule``), every rule listed even if it never fired.

    Columns: ``clause``, ``hits`` (posts it fired on), ``rate`` (hits / posts), then for each
    label column present in ``labels`` (the categories and ``urgent``; 1 / 0 / missing = unknown):
    ``<c>_pos`` and ``<c>_neg`` (hit rate among positives and negatives, NaN if there are none)
    and ``<c>_so`` (pos / (pos + neg), SpamAssassin's S/O: 1 = fires only on positives).
    ``labels`` rows are matched to ``posts`` by position.
    """
    if len(labels) != len(posts):
        raise ValueError(f"labels has {len(labels)} rows for {len(posts)} posts; they are matched by position")
    findings = ruleset.check(list(posts))
    rule_ids = list(ruleset.rule_ids)
    fired = np.zeros((len(posts), len(rule_ids)), dtype=bool)
    column = {r: j for j, r in enumerate(rule_ids)}
    for i, post_findings in enumerate(findings):
        for f in post_findings:
            if f.rule in column:
                fired[i, column[f.rule]] = True
    n = max(len(posts), 1)
    table: dict[str, object] = {
        "clause": [ruleset.policy.clause_for(r) for r in rule_ids],
        "hits": fired.sum(axis=0),
        "rate": fired.sum(axis=0) / n,
    }
    for category in (c for c in LABEL_COLUMNS if c in labels.columns):
        values = pd.to_numeric(labels[category], errors="coerce").to_numpy(dtype=float)
        pos, neg = values == 1, values == 0
        pos_hits, neg_hits = fired[pos].sum(axis=0), fired[neg].sum(axis=0)
        pos_rate = pos_hits / pos.sum() if pos.any() else np.full(len(rule_ids), np.nan)
        neg_rate = neg_hits / neg.sum() if neg.any() else np.full(len(rule_ids), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            so = np.where(pos_rate + neg_rate > 0, pos_rate / (pos_rate + neg_rate), np.nan)
        table[f"{category}_pos"], table[f"{category}_neg"], table[f"{category}_so"] = pos_rate, neg_rate, so
    return pd.DataFrame(table, index=pd.Index(rule_ids, name="rule"))
