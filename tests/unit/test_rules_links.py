"""Link rules: URLs found with and without a scheme; malicious-looking ones flagged, official ones never."""
from __future__ import annotations

import pytest

from pipeline.rules import extract_urls, load_rules
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def links(rules, text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.span[0]:f.span[1]]) for f in rules.check([Post(text)])[0] if f.rule.startswith("link.")]


@pytest.mark.parametrize("text, rule, found", [
    ("check bit.ly/3fakeXyz now", "link.shortener", "bit.ly/3fakeXyz"),
    ("see http://t.co/abc.", "link.shortener", "http://t.co/abc"),
    ("login at http://192.0.2.14/login.php", "link.ip_host", "http://192.0.2.14/login.php"),
    ("or 192.0.2.14/admin", "link.ip_host", "192.0.2.14/admin"),
    ("https://xn--clevelnd-pcc-abc.com/", "link.punycode", "https://xn--clevelnd-pcc-abc.com/"),
    ("https://clevеland-pcc.com/ (Cyrillic e)", "link.punycode", "https://clevеland-pcc.com/"),
    ("https://clevеland-pcc.com/ (Cyrillic e)", "link.lookalike", "https://clevеland-pcc.com/"),
    ("claim at c1eveland-pcc-refunds.com/login before Friday", "link.lookalike", "c1eveland-pcc-refunds.com/login"),
    ("cleveland-pcc-refund.com", "link.lookalike", "cleveland-pcc-refund.com"),
    ("https://gov.uk.refund-claim.com", "link.lookalike", "https://gov.uk.refund-claim.com"),
    ("https://po1ice.uk/x", "link.lookalike", "https://po1ice.uk/x"),
    ("https://www.police.uk@evil.example/", "link.lookalike", "https://www.police.uk@evil.example/"),
    ("get https://example.com/setup.exe", "link.executable", "https://example.com/setup.exe"),
    ("the app https://example.org/app.apk?x=1", "link.executable", "https://example.org/app.apk?x=1"),
    ("www.example.net/files/pics.zip", "link.executable", "www.example.net/files/pics.zip"),
    ("https://police-refund-claims.example/x", "link.blocklist", "https://police-refund-claims.example/x"),
    ("www.crypto-doubler.example", "link.blocklist", "www.crypto-doubler.example"),
    ("crypto-doubler.example/win", "link.blocklist", "crypto-doubler.example/win"),
    ("https://sub.crypto-doubler.example/", "link.blocklist", "https://sub.crypto-doubler.example/"),
])
def test_flags_suspicious_links(rules, text, rule, found):
    assert (rule, found) in links(rules, text)


@pytest.mark.parametrize("text", [
    "Report it at https://www.gov.uk/report-crime",
    "www.cleveland.pcc.police.uk/contact",
    "cleveland.pcc.police.uk",
    "Details on www.police.uk",
    "(see www.police.uk)",
    "https://www.cleveland.police.uk/ro/report",
    "https://www.nhs.uk/mental-health/",
    "the BBC story bbc.co.uk/news",
    "https://www.youtube.com/watch?v=1",
    "mail jo@example.com",
    "e.g. this, i.e. that",
    "version 3.5.1 is out",
    "Mr.Smith said hello.It was fine",
    "https://notice.example.com",
    "",
])
def test_official_and_ordinary_links_are_not_flagged(rules, text):
    assert links(rules, text) == []


def test_extract_urls_with_and_without_scheme():
    urls = extract_urls("a www.gov.uk, b (bit.ly/x) and http://t.co/a. end; mail jo@example.com")
    assert [(u.url, u.host) for u in urls] == [("www.gov.uk", "www.gov.uk"), ("bit.ly/x", "bit.ly"),
                                               ("http://t.co/a", "t.co")]


def test_span_excludes_trailing_punctuation(rules):
    text = "Go to bit.ly/abc."
    (finding,) = rules.check([Post(text)])[0]
    assert text[finding.span[0]:finding.span[1]] == "bit.ly/abc" and finding.clause == "mod.malicious_links"


def test_a_host_seen_again_is_judged_the_same_without_comparing_again():
    rules = load_rules()  # its own, so the cache starts empty
    kind = rules.kind("links.toml")
    texts = ["claim at c1eveland-pcc-refunds.com/login", "or c1eveland-pcc-refunds.com/form today"]
    found = [links(rules, text) for text in texts]
    assert found == [[("link.lookalike", "c1eveland-pcc-refunds.com/login")],
                     [("link.lookalike", "c1eveland-pcc-refunds.com/form")]]
    assert kind._lookalike.cache_info().hits == 1
