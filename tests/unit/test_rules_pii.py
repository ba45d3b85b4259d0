"""Personal information rules: what is found (with its span), what must not be, and redaction."""
from __future__ import annotations

import pytest

from pipeline.rules import load_rules, redact
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def pii(rules, text: str) -> list[tuple[str, str]]:
    """(rule, matched text) for every personal-information finding."""
    return [(f.rule, text[f.span[0]:f.span[1]]) for f in rules.check([Post(text)])[0] if f.rule.startswith("pii.")]


@pytest.mark.parametrize("text, rule, found", [
    ("ring me on 07700 900123 tonight", "pii.phone", "07700 900123"),
    ("mobile 07700900123", "pii.phone", "07700900123"),
    ("call 07700-900-123", "pii.phone", "07700-900-123"),
    ("call 07700.900.123", "pii.phone", "07700.900.123"),
    ("my number is +44 7700 900123", "pii.phone", "+44 7700 900123"),
    ("my number is +447700900123", "pii.phone", "+447700900123"),
    ("try +44 (0)7700 900123", "pii.phone", "+44 (0)7700 900123"),
    ("or 0044 7700 900123", "pii.phone", "0044 7700 900123"),
    ("landline (01632) 960123 after six", "pii.phone", "(01632) 960123"),
    ("landline 01632 960123", "pii.phone", "01632 960123"),
    ("email jo.bloggs@example.com please", "pii.email", "jo.bloggs@example.com"),
    ("JO+news@mail.example.com", "pii.email", "JO+news@mail.example.com"),
    ("she lives at TS1 2AB", "pii.postcode", "TS1 2AB"),
    ("postcode ts12ab", "pii.postcode", "ts12ab"),
    ("SW1A 1AA is the one", "pii.postcode", "SW1A 1AA"),
    ("his NI is JK 12 34 56 C", "pii.ni_number", "JK 12 34 56 C"),
    ("NI number AB123456D", "pii.ni_number", "AB123456D"),
    ("blue Corsa AB12 CDE outside", "pii.vehicle_reg", "AB12 CDE"),
    ("the van was AB12CDE", "pii.vehicle_reg", "AB12CDE"),
    ("reg ab12 cde, silver", "pii.vehicle_reg", "ab12 cde"),
    ("old Fiesta A123 BCD", "pii.vehicle_reg", "A123 BCD"),
    ("an old Escort ABC 123D", "pii.vehicle_reg", "ABC 123D"),
    ("his DOB is 12/03/1985", "pii.dob", "12/03/1985"),
    ("date of birth: 3rd March 1985", "pii.dob", "3rd March 1985"),
    ("she was born on 14 February 1990", "pii.dob", "14 February 1990"),
    ("card 4111 1111 1111 1111 exp 12/27", "pii.card", "4111 1111 1111 1111"),
    ("card 4111-1111-1111-1111", "pii.card", "4111-1111-1111-1111"),
    ("he lives at 14 Larkspur Close with his mum", "pii.address", "14 Larkspur Close"),
    ("outside 22a Thistle Grove overnight", "pii.address", "22a Thistle Grove"),
    ("at 3 Acklam Road", "pii.address", "3 Acklam Road"),
])
def test_finds_personal_information_with_its_span(rules, text, rule, found):
    assert (rule, found) in pii(rules, text)


@pytest.mark.parametrize("text", [
    "In an emergency call 999, otherwise 101",
    "NHS 111 is open all night",
    "Crimestoppers on 0800 555 111 is anonymous",
    "The meeting is on 02/05/2024 at 19:30 in the town hall",
    "Fine of £1,250 and costs of £85",
    "Event on 07.05.2024 19.30, doors 6pm",
    "Tickets £10, raffle 2 for £5",
    "My crime ref is CLE-24001234, any update?",
    "crime ref 123456/24 still nothing from CID",
    "Roadworks on the A19 and the M62 again",
    "I DROVE ON THE A19 THE OTHER DAY AND IT WAS CHAOS",
    "TS1 is a busy area",
    "Ring 0300 123 1234 for the council",
    "Born in 1985, been in Redcar all my life",
    "Up 12% on last year, 3,400 incidents",
    "the number 1234 5678 9012 3456 is not a card",
    "Station Road needs more patrols",
    "We waited 20 minutes in the lane",
    "order 12345678901",
    "Visit us at www.example.com or contact @Cleveland_PCC",
])
def test_not_personal_information(rules, text):
    assert pii(rules, text) == []


def test_crime_reference_masks_nothing_inside_it(rules):
    assert pii(rules, "ref CLE-07700900 and crime ref 077009/24") == []


@pytest.mark.parametrize("text, expected", [
    ("Ring Jo on 07700 900123 or jo@example.com, not 101",
     "Ring Jo on [phone] or [email], not 101"),
    ("He lives at 14 Larkspur Close, TS1 2AB, DOB 12/03/1985",
     "He lives at [address], [postcode], DOB [dob]"),
    ("Nothing personal here, call 999", "Nothing personal here, call 999"),
    ("card 4111 1111 1111 1111 and reg AB12 CDE", "card [card] and reg [vehicle_reg]"),
])
def test_redact(rules, text, expected):
    assert redact(text, rules.check([Post(text)])[0]) == expected


def test_redact_keeps_other_findings_text(rules):
    text = "Help someone is breaking in at 14 Larkspur Close"
    findings = rules.check([Post(text)])[0]
    assert {f.rule for f in findings} >= {"urgent.break_in", "pii.address"}
    assert redact(text, findings) == "Help someone is breaking in at [address]"


def test_findings_name_the_clause(rules):
    finding = rules.check([Post("07700 900123")])[0][0]
    assert (finding.rule, finding.clause, finding.span) == ("pii.phone", "mod.pii", (0, 12))
