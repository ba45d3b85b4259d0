"""Pre-election ("purdah") rule: inside the window a party-political post is hidden; outside, noted."""
from __future__ import annotations

import shutil

import pytest

from pipeline.rules import DEFAULT_RULES_DIR, load_rules
from pipeline.rules.election import parse_date
from pipeline.schema import Post


@pytest.fixture(scope="module")
def election():
    return load_rules().kind("election.toml")


@pytest.mark.parametrize("created_at, election_name", [
    ("2024-03-21T09:00:00Z", "PCC and local elections"),  # first day of the 6-week window
    ("2024-04-20T10:00:00Z", "PCC and local elections"),
    ("2024-05-02T21:59:00Z", "PCC and local elections"),  # polling day itself
    ("2024-06-01", "general election"),
    ("2026-04-01T09:00:00+01:00", "local elections"),
    ("2028-04-30T12:00:00Z", "PCC elections"),
])
def test_inside_a_window(election, created_at, election_name):
    (finding,) = election.check(_text(created_at))
    assert finding.rule == "election.pre_election" and finding.clause == "pre_election"
    assert election_name in finding.detail
    status = election.status(created_at, party_political=True)
    assert (status.in_window, status.action, status.election.name) == (True, "hide", election_name)


@pytest.mark.parametrize("created_at", ["2024-03-20T23:00:00Z", "2024-05-03", "2025-01-15T12:00:00Z", "2026-10-02"])
def test_outside_any_window_is_noted_only(election, created_at):
    assert not election.check(_text(created_at))
    status = election.status(created_at, party_political=True)
    assert (status.in_window, status.action) == (False, "none") and "noted" in status.reason


@pytest.mark.parametrize("created_at, says", [(None, "has no date"), ("", "has no date"),
                                              ("last Tuesday", "unreadable date")])
def test_no_date_says_so(election, created_at, says):
    assert not election.check(_text(created_at))
    status = election.status(created_at, party_political=True)
    assert status.action == "none" and says in status.reason and "could not be checked" in status.reason


def test_not_party_political_inside_window_is_no_action(election):
    status = election.status("2024-04-20", party_political=False)
    assert (status.in_window, status.action) == (True, "none")


def test_window_length_is_configurable(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "election.toml"
    path.write_text(path.read_text().replace("window_weeks = 6", "window_weeks = 2"))
    short = load_rules(rules_dir).kind("election.toml")
    assert not short.check(_text("2024-04-10"))
    assert short.check(_text("2024-04-20"))


def test_parse_date():
    assert str(parse_date("2024-04-20T23:30:00+01:00")) == "2024-04-20"
    assert parse_date("20/04/2024") is None


def _text(created_at):
    from pipeline.rules.base import PostText

    return PostText(Post("Vote for us in May!", created_at=created_at))
