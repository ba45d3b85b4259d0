"""rules_report: per-rule hits and hit rates among positives and negatives, like SpamAssassin's mass-check."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.rules import load_rules
from pipeline.rules.report import rules_report
from pipeline.schema import Post


@pytest.fixture(scope="module")
def report():
    posts = [Post("ring me on 07700 900123"), Post("you absolute sh1t"), Post("thanks for the update"),
             Post("buy now at bit.ly/x"), Post("email jo@example.com")]
    labels = pd.DataFrame({"abuse": [0, 1, 0, 0, None], "spam": [1, 0, 0, 1, 0]})
    return rules_report(posts, labels, load_rules())


def test_every_rule_is_listed(report):
    assert set(load_rules().rule_ids) == set(report.index)
    assert report.loc["pii.postcode", "hits"] == 0


@pytest.mark.parametrize("rule, column, value", [
    ("pii.phone", "hits", 1), ("pii.phone", "rate", 0.2), ("pii.phone", "spam_pos", 0.5), ("pii.phone", "spam_neg", 0.0),
    ("pii.phone", "spam_so", 1.0), ("lexicon.swearing", "abuse_pos", 1.0), ("lexicon.swearing", "abuse_neg", 0.0),
    ("link.shortener", "spam_pos", 0.5), ("pii.email", "abuse_neg", 0.0),  # unlabelled for abuse: left out
    ("pii.email", "spam_neg", 1 / 3), ("pii.email", "spam_so", 0.0),
])
def test_rates(report, rule, column, value):
    assert report.loc[rule, column] == pytest.approx(value)


def test_no_positives_gives_nan_and_clause_is_named(report):
    assert math.isnan(report.loc["pii.postcode", "spam_so"])
    assert report.loc["pii.phone", "clause"] == "mod.pii"
    assert "sub_judice_pos" not in report.columns  # no such label column given


def test_rows_must_match_posts():
    with pytest.raises(ValueError, match="matched by position"):
        rules_report([Post("x")], pd.DataFrame({"spam": [1, 0]}), load_rules())
