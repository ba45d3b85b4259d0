"""Rule files are validated when loaded: a bad value is a ConfigError naming the file and the key.
And the policy file covers every clause and every rule."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.rules import DEFAULT_RULES_DIR, load_policy, load_rules
from pipeline.rules.policy import RULE_GROUPS


def copy_rules(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the shipped rules with one edit (``old`` must be in ``file``)."""
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules_dir


@pytest.mark.parametrize("file, old, new, key, message", [
    ("repeats.toml", "similarity = 0.7", 'similarity = "high"', "similarity", "must be int or float, got str"),
    ("repeats.toml", "min_words = 5", "min_words = 0", "min_words", "at least 1"),
    ("repeats.toml", "shingle_sizes = [1, 2]", "shingle_sizes = [1, 9]", "shingle_sizes", "sizes from 1 to 5"),
    ("repeats.toml", "min_words = 5", "min_words = 5\nmin_wrods = 3", "min_wrods", "unknown key"),
    ("pii.toml", "[phone]\n", "[phone]\nunused = 1\n", "phone.unused", "unknown key"),
    ("pii.toml", "pattern = '(?<![\\w+])", "pattern = '(?<![\\w+])(", "phone.pattern", "does not compile"),
    ("pii.toml", '"999", "112"', '"999", "1-1-2"', "safe_numbers[1]", "digits only"),
    ("pii.toml", "(?i:{street_types})", "(?i:street|road)", "address.pattern", "{street_types}"),
    ("pii.toml", "(?P<date>", "(", "dob.pattern", "(?P<date>"),
    ("election.toml", "date = 2024-05-02", 'date = "May 2024"', "elections[0].date", "must be a date"),
    ("election.toml", "window_weeks = 6", "window_weeks = 60", "window_weeks", "between 1 and 26"),
    ("election.toml", 'name = "general election"', "", "elections[1].name", "missing"),
    ("lexicon.toml", 'words = ["arse",', 'words = ["f*ck", "arse",', "swearing.words[0]", "letters only"),
    ("lexicon.toml", 'words = ["scunthorpe",', 'words = [3, "scunthorpe",', "allow.words[0]", "non-empty string"),
    ("links.toml", "max_edit_distance = 2", "max_edit_distance = 2\ncolour = 1", "colour", "unknown key"),
    ("links.toml", '"bit.ly",', '"https://bit.ly",', "shorteners[0]", "bare domain"),
    ("links.toml", 'blocklist_file = "blocklist.txt"', 'blocklist_file = "nowhere.txt"', "blocklist_file", "cannot read"),
    ("blocklist.txt", "crypto-doubler.example", "http://crypto-doubler.example/x", "blocklist_file", "line"),
    ("urgent.toml", 'IN = "$person"', 'IN = "$persons"', "NORM.IN", "no word set 'persons'"),
    ("urgent.toml", 'rule = "urgent.break_in"', 'rule = "emergency.break_in"', "patterns[0].rule", "urgent.<name>"),
    ("urgent.toml", 'OP = "?"', 'OP = "maybe"', "OP", "must be one of"),
    ("urgent.toml", "{NORM = {IN = [\"breaking\", \"smashing\", \"kicking\", \"forcing\", \"climbing\"]}}",
     "{SHAPE = \"xxxx\"}", "tokens[2].SHAPE", "unsupported attribute"),
    ("commercial.toml", "use\\s+(?:my\\s+)?code", "USE\\s+(?:my\\s+)?code", "promo_code.patterns[0]", "lower case"),
    ("urgent.toml", "idioms = ['killing me',", "idioms = ['Killing me',", "filters.idioms[0]", "lower case"),
    ("urgent.toml", "past_time_regex = '\\b(?:19|20)", "past_time_regex = '\\B(?:19|20)\\bLast", "filters.past_time_regex", "lower case"),
    ("commercial.toml", 'hints = ["code"]', "", "promo_code.hints", "patterns need hints"),
    ("impersonation.toml", "max_edit_distance = 2", "max_edit_distance = 9", "max_edit_distance", "between 0 and 3"),
    ("impersonation.toml", "claims = [", "claims = ['(unclosed',", "claims[0]", "does not compile"),
    ("impersonation.toml", "claims = [", "claims = ['On Behalf Of the PCC',", "claims[0]", "lower case"),
    ("policy.toml", 'handled_by = ["model:abuse"]', 'handled_by = ["model:abusive"]', "handled_by[0]", "model:<category>"),
    ("policy.toml", 'handled_by = ["rule:pii.*"]', 'handled_by = ["model:spam"]', "pii.phone", "handled by no clause"),
    ("policy.toml", 'manual_reason = "Who owns', 'notes = "Who owns', "manual_reason", "why it cannot be automated"),
    ("policy.toml", "spam_evidence = [", "evidence = [", "rule_actions.evidence", "unknown group"),
    ("policy.toml", '"pii.*", ', "", "pii.phone", "no entry in [rule_actions]"),
    ("policy.toml", 'abuse = ["mod.abuse.swearing"', 'abuse = ["mod.abuse.swear"', "categories.abuse[0]",
     "does not define"),
    ("policy.toml", 'reply = "crime_report"', 'reply = "crime"', "reply", "no template 'crime'"),
    ("policy.toml", 'id = "libel"', 'id = "mod.pii"', "id", "duplicate clause id"),
])
def test_bad_value_names_file_and_key(tmp_path, file, old, new, key, message):
    rules_dir = copy_rules(tmp_path, file, old, new)
    with pytest.raises(ConfigError) as err:
        load_rules(rules_dir)
    text = str(err.value)
    shown_file = "links.toml" if file == "blocklist.txt" else file
    assert shown_file in text and key in text and message in text, text


def test_not_toml(tmp_path):
    rules_dir = copy_rules(tmp_path, "pii.toml", "\n[phone]\n", "\n[phone\n")
    with pytest.raises(ConfigError, match=r"pii\.toml: not valid TOML"):
        load_rules(rules_dir)


def test_missing_rule_file(tmp_path):
    rules_dir = copy_rules(tmp_path, "repeats.toml", "", "")
    (rules_dir / "repeats.toml").unlink()
    with pytest.raises(ConfigError, match=r"repeats\.toml: rule file not found"):
        load_rules(rules_dir)


def test_shipped_rules_load_and_every_rule_rests_on_one_clause():
    rules, policy = load_rules(), load_policy()
    for rule in rules.rule_ids:
        assert policy.clause_for(rule) in policy.clauses, rule
        assert policy.group_for(rule) in RULE_GROUPS, rule


# The clauses the brief and the README name; each quoted from the policy text.
CLAUSES = ["mod.vexatious", "mod.abuse.swearing", "mod.abuse.unlawful", "mod.illegal_activity", "mod.copyright",
           "mod.spam.repeat", "mod.pii", "mod.commercial", "mod.impersonation", "mod.sub_judice",
           "mod.malicious_links", "mod.abuse.malicious", "mod.hate", "crime_report", "urgent_help", "libel",
           "sub_judice", "pre_election"]


def test_policy_clauses_are_quoted_from_the_policy():
    policy = load_policy()
    assert list(policy.clauses) == CLAUSES
    source = " ".join((Path(__file__).resolve().parents[3] / "shared" / "policy" /
                       "opcc-social-media-policy.txt").read_text(encoding="utf-8").replace("*", "").split()) \
        if (Path(__file__).resolve().parents[3] / "shared").exists() else None
    for clause in policy.clauses.values():
        assert clause.text and clause.handled_by
        if "manual" in clause.handled_by:
            assert clause.manual_reason
        if source:
            assert " ".join(clause.text.split()) in source, clause.id


def test_copyright_is_manual_and_replies_carry_the_numbers():
    policy = load_policy()
    assert policy.clauses["mod.copyright"].handled_by == ("manual",)
    assert re.search(r"\b101\b", policy.reply_for("crime_report")) and "999" in policy.reply_for("crime_report")
    assert "call 999 now" in policy.reply_for("urgent_help")


def test_rules_load_nothing_at_import():
    import subprocess
    import sys

    code = "import sys, pipeline.rules, pipeline.decision; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
