"""Links: every URL in a post (with or without a scheme), judged by its address alone.

Flags blocklisted domains, look-alikes of the official domains, punycode, raw IP hosts,
executable downloads and URL shorteners; a link to an official domain (``data/rules/links.toml``)
or any subdomain of one is never flagged. No page is fetched.

>>> [u.host for u in extract_urls("see https://www.gov.uk/x and bit.ly/abc, mail jo@example.com")]
['www.gov.uk', 'bit.ly']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.rules.base import MAYBE_URL, NOTHING, Batch, PostText, RuleKind, edit_distance, quote, skeleton
from pipeline.rules.ruledata import RuleFile
from pipeline.schema import Finding

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TAIL = r"[^\s<>\"'`]*"
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_SCHEME = re.compile(r"(?i)^(?:(?:https?|hxxps?|ftp)://)?")
_TRAILING = ".,;:!?)]}'\"’”"


@dataclass(frozen=True)
class Url:
    url: str
    host: str  # lower case, no port or user part, IDN as written
    path: str
    span: tuple[int, int]
    userinfo: bool = False  # "https://gov.uk@evil.example/": the real host comes after the @


@lru_cache(maxsize=8)
def url_regex(bare_tlds: tuple[str, ...], known_hosts: tuple[str, ...]) -> re.Pattern[str]:
    """URLs with a scheme or ``www.``, known hosts bare, bare domains under ``bare_tlds``, IP hosts with a path."""
    tlds = "|".join(sorted(map(re.escape, bare_tlds), key=len, reverse=True)) or "(?!x)x"
    known = "|".join(sorted(map(re.escape, known_hosts), key=len, reverse=True)) or "(?!x)x"
    return re.compile(
        r"(?i)(?<![\w@.\-/])(?:"
        r"(?:https?|hxxps?|ftp)://[^\s<>\"'`]+"
        r"|www\." + _TAIL +
        r"|(?:" + known + r")(?![\w-])(?:/" + _TAIL + r")?"
        r"|(?:" + _LABEL + r"\.)+(?:" + tlds + r")(?![\w-])(?::\d{2,5})?(?:/" + _TAIL + r")?"
        r"|\d{1,3}(?:\.\d{1,3}){3}(?::\d{2,5})?/" + _TAIL + r")"
    )


def parse_url(raw: str, span: tuple[int, int]) -> Url:
    rest = _SCHEME.sub("", raw)
    authority, _, path = rest.partition("/")
    authority = re.split(r"[?#]", authority)[0]
    userinfo = "@" in authority
    host = authority.rsplit("@", 1)[-1]
    if not host.startswith("[") and host.count(":") == 1:
        host = host.split(":")[0]
    return Url(raw, host.strip(".").lower(), "/" + path, span, userinfo)


def extract_urls(text: str, bare_tlds: tuple[str, ...] = ("com", "net", "org", "uk", "ly", "co", "io", "xyz"),
                 known_hosts: tuple[str, ...] = ()) -> list[Url]:
    """Every URL in ``text`` with its span; trailing punctuation is not part of a URL."""
    if not MAYBE_URL.search(text):
        return NOTHING
    out = []
    for m in url_regex(tuple(bare_tlds), tuple(known_hosts)).finditer(text):
        raw, start = m.group(0), m.start()
        stripped = raw.rstrip(_TRAILING)
        if raw.count("(") < raw.count(")"):  # "(see gov.uk)" - keep balanced brackets only
            stripped = stripped.rstrip(")")
        if stripped:
            out.append(parse_url(stripped, (start, start + len(stripped))))
    return out


def _under(host: str, domains: frozenset[str]) -> str | None:
    """The entry of ``domains`` that ``host`` is, or is a subdomain of."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in domains:
            return candidate
    return None


class LinkRule(RuleKind):
    FILE = "links.toml"
    RULE_IDS = ("link.blocklist", "link.lookalike", "link.punycode", "link.ip_host", "link.executable",
                "link.shortener")

    def __init__(self, official: tuple[str, ...], protected: tuple[str, ...], max_edits: int,
                 shorteners: tuple[str, ...], executables: tuple[str, ...], bare_tlds: tuple[str, ...],
                 blocklist: tuple[str, ...]):
        super().__init__()
        self.official = frozenset(official)
        self.official_skeletons = {skeleton(d): d for d in official if len(d) >= 8}
        self.protected = tuple((skeleton(n), n) for n in protected)
        self.max_edits = max_edits
        self.shorteners = frozenset(shorteners)
        self.executable = re.compile(r"(?i)\.(?:" + "|".join(map(re.escape, executables)) + r")$") if executables else None
        self.blocklist = frozenset(blocklist)
        self.bare_tlds = bare_tlds
        self.known_hosts = tuple(sorted(self.shorteners | self.blocklist))
        # The same hosts come back post after post: compare each with the official names once.
        self._lookalike = lru_cache(maxsize=1 << 14)(self._compare_host)

    @classmethod
    def from_file(cls, rf: RuleFile) -> LinkRule:
        domains = {key: rf.words(key) for key in ("official_domains", "shorteners")}
        for key, values in domains.items():
            for i, d in enumerate(values):
                if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", d):
                    raise rf.error(f"{key}[{i}]", f"must be a bare domain like 'gov.uk', got {d!r}")
        blocklist_name = rf.str("blocklist_file")
        blocklist = _read_blocklist(rf, blocklist_name)
        max_edits = rf.int("max_edit_distance")
        if not 0 <= max_edits <= 3:
            raise rf.error("max_edit_distance", f"must be between 0 and 3, got {max_edits}")
        exts = tuple(e.lstrip(".") for e in rf.words("executable_extensions"))
        rule = cls(domains["official_domains"], rf.words("protected_names"), max_edits, domains["shorteners"],
                   exts, rf.words("bare_tlds"), blocklist)
        rf.finish()
        return rule

    def candidates(self, batch: Batch) -> list[int]:
        return batch.holding(MAYBE_URL, lower=False)

    def check(self, t: PostText) -> list[Finding]:
        findings = []
        for url in extract_urls(t.text, self.bare_tlds, self.known_hosts):
            findings += self.judge(url, t.text)
        return findings

    def judge(self, url: Url, text: str) -> list[Finding]:
        """The findings for one URL: none for an official domain."""
        host, where = url.host, quote(text, url.span)
        if not url.userinfo and _under(host, self.official):
            return NOTHING
        out = []
        if _under(host, self.blocklist):
            out.append(self.finding("link.blocklist", f"blocklisted domain: {where}", url.span))
        lookalike = self._lookalike(host, url.userinfo)
        if lookalike:
            out.append(self.finding("link.lookalike", f"{lookalike}: {where}", url.span))
        ascii_host = _idna(host)
        if "xn--" in ascii_host:
            out.append(self.finding("link.punycode", f"internationalised (punycode) domain {ascii_host}: {where}", url.span))
        if _IPV4.match(host) or host.startswith("["):
            out.append(self.finding("link.ip_host", f"raw IP address instead of a domain: {where}", url.span))
        if self.executable and self.executable.search(re.split(r"[?#]", url.path)[0]):
            out.append(self.finding("link.executable", f"download of a program or archive: {where}", url.span))
        if _under(host, self.shorteners):
            out.append(self.finding("link.shortener", f"shortened link hides its destination: {where}", url.span))
        return out

    def _compare_host(self, host: str, userinfo: bool) -> str:
        """Why the host imitates an official domain ('' if it does not); cached as ``_lookalike``."""
        if userinfo:
            return "address hides its real host after an '@'"
        bare = host[4:] if host.startswith("www.") else host
        squashed = skeleton(bare)
        for name_skeleton, name in self.protected:
            if name_skeleton and name_skeleton in squashed:
                return f"imitates '{name}'"
        for official_skeleton, official in self.official_skeletons.items():
            # Short names sit close to ordinary words ("notice.uk"): allow them one edit only.
            limit = self.max_edits if len(official) >= 12 else min(1, self.max_edits)
            if edit_distance(squashed, official_skeleton, limit + 1) <= limit or \
                    edit_distance(bare, official, limit + 1) <= limit:
                return f"looks like official domain '{official}'"
        return ""


def _idna(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return "xn--" + host  # not even valid IDNA: certainly not plain ASCII


def _read_blocklist(rf: RuleFile, name: str) -> tuple[str, ...]:
    path = rf.path.parent / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise rf.error("blocklist_file", f"cannot read {path}: {e}") from e
    domains = []
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", entry):
            raise rf.error("blocklist_file", f"{path.name} line {number}: not a bare domain: {entry!r}")
        domains.append(entry)
    return tuple(domains)
