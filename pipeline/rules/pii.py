"""Personal information: phones, emails, postcodes, NI numbers, plates, dates of birth, cards, addresses.

Patterns live in ``data/rules/pii.toml``; this module adds what a regex cannot check (digit
counts and prefixes for phones, the Luhn check for cards, word-like letter blocks on plates) and
keeps the office's own numbers (999, 101, crime reference numbers) out.

>>> rules = PiiRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "pii.toml"))
>>> t = "Ring Jo on 07700 900123 or jo@example.com, not 101"
>>> [f.rule for f in rules.check(PostText(Post(t)))]
['pii.phone', 'pii.email']
>>> redact(t, rules.check(PostText(Post(t))))
'Ring Jo on [phone] or [email], not 101'
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.rules.base import Batch, PostText, RuleKind, quote
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile, compile_regex, trie_regex
from pipeline.schema import Finding, Post

KINDS = ("phone", "email", "postcode", "ni_number", "vehicle_reg", "dob", "card", "address")
_DATE_LIKE = re.compile(r"^\(?\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_NON_DIGIT = re.compile(r"\D")
_AT = re.compile("@")
DETAILS = {"phone": "UK phone number", "email": "email address", "postcode": "full UK postcode",
           "ni_number": "National Insurance number", "vehicle_reg": "vehicle registration",
           "dob": "date of birth", "card": "payment card number (Luhn-valid)", "address": "street address"}


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum used by payment cards.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Structural pre-checks (what any match must contain), so most posts skip each pattern.
_GATES = {
    "phone": re.compile(r"\d(?:\D{0,3}\d){9}"),          # ten digits close together
    "card": re.compile(r"\d(?:[ -]?\d){12}"),              # thirteen digits
    "postcode": re.compile(r"\d[a-z]{2}(?![a-z])"),         # an inward code: digit + two letters
    "ni_number": re.compile(r"\d\d ?\d\d ?\d\d ?[a-d]\b"),
    "vehicle_reg": re.compile(r"\d(?<=[A-Z]\d)|\d(?= ?[A-Z])"),
}


class PiiRule(RuleKind):
    FILE = "pii.toml"
    RULE_IDS = tuple(f"pii.{k}" for k in KINDS)

    def __init__(self, patterns: dict[str, re.Pattern[str]], *, safe_numbers: Iterable[str],
                 crime_refs: Iterable[re.Pattern[str]], phone_prefixes: Iterable[str], dob_hints: Iterable[str],
                 street_types: Iterable[str], plate_cues: Iterable[str], plate_stop: Iterable[str]):
        super().__init__()
        self.patterns = patterns
        self.plate_any_case = re.compile(patterns["vehicle_reg"].pattern, re.IGNORECASE)
        self.safe_numbers = frozenset(safe_numbers)
        self.crime_refs = tuple(crime_refs)
        self.phone_prefixes = tuple(phone_prefixes)
        self.dob_hints = trie_regex(dob_hints, whole_words=False)
        self.street_types = frozenset(street_types)
        cues = sorted(plate_cues, key=len, reverse=True)
        self.plate_cue_words = frozenset(w for c in cues for w in c.split()) - {"number", "no"}
        self.plate_cue = re.compile(r"(?i)\b(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) +
                                    r")\b[\s:.#-]*(?:(?:no|number|is|was|of)\b[\s:.]*)*$") if cues else None
        self.plate_stop = frozenset(plate_stop)

    @classmethod
    def from_file(cls, rf: RuleFile) -> PiiRule:
        patterns, extra = {}, {}
        for kind in KINDS:
            table = rf.table(kind)
            if kind == "phone":
                extra["phone_prefixes"] = table.strs("prefixes")
            if kind == "dob":
                extra["dob_hints"] = table.words("hints")
            if kind == "address":
                extra["street_types"] = table.words("street_types")
            if kind == "vehicle_reg":
                extra["plate_cues"] = table.words("cue_words")
                extra["plate_stop"] = tuple(w.upper() for w in table.words("stop_letters"))
            source = table.str("pattern")
            if kind == "address":
                if "{street_types}" not in source:
                    raise table.error("pattern", "must contain {street_types}, where the street types go")
                source = source.replace("{street_types}", "|".join(map(re.escape, extra["street_types"])))
            patterns[kind] = compile_regex(table, "pattern", source)
            table.finish()
        if "date" not in patterns["dob"].groupindex:
            raise rf.error("dob.pattern", "needs a (?P<date>...) group: the part masked as the date of birth")
        safe = rf.strs("safe_numbers")
        for i, number in enumerate(safe):
            if not number.isdigit():
                raise rf.error(f"safe_numbers[{i}]", f"digits only, got {number!r}")
        crime_refs = tuple(compile_regex(rf, f"crime_refs[{i}]", p) for i, p in enumerate(rf.strs("crime_refs")))
        rf.finish()
        return cls(patterns, safe_numbers=safe, crime_refs=crime_refs, **extra)

    def gated(self, batch: Batch) -> list[tuple[int, list[tuple[str, re.Pattern[str]]]]]:
        """(post, the kinds and their patterns to run on it) for the posts where one matches. Each
        kind's pattern is run only on the posts passing its quick pre-check, and every kind but
        email needs a digit, so most posts stop at the first step."""
        digits = batch.with_digits
        word_lists = batch.word_lists
        cued = [i for i in digits if not self.plate_cue_words.isdisjoint(word_lists[i])]
        plates = set(batch.holding(_GATES["vehicle_reg"], lower=False, among=digits)).difference(cued)
        gated = [  # in the order their spans are listed when two are alike
            ("email", self.patterns["email"], batch.holding(_AT, lower=False)),
            *((k, self.patterns[k], batch.holding(_GATES[k], among=digits)) for k in ("phone", "card", "ni_number", "postcode")),
            ("dob", self.patterns["dob"], batch.holding(self.dob_hints, among=digits) if self.dob_hints else []),
            ("address", self.patterns["address"], [i for i in digits if not self.street_types.isdisjoint(word_lists[i])]),
            ("vehicle_reg", self.plate_any_case, cued),  # any case after a cue word
            ("vehicle_reg", self.patterns["vehicle_reg"], sorted(plates)),
        ]
        kinds: dict[int, list[tuple[str, re.Pattern[str]]]] = {}
        for kind, pattern, posts in gated:
            for i in batch.holding(pattern, lower=False, among=posts):
                kinds.setdefault(i, []).append((kind, pattern))
        return sorted(kinds.items())

    def check_gated(self, t: PostText, kinds: list[tuple[str, re.Pattern[str]]]) -> list[Finding]:
        """The findings of the ``kinds``' patterns in one post."""
        text = t.text
        spans: list[tuple[str, int, int]] = []
        refs = None  # crime reference spans: looked for only once there is a match to check
        for kind, regex in kinds:
            for m in regex.finditer(text):
                if kind == "email":
                    spans.append((kind, *m.span()))
                    continue
                span = m.span("date") if kind == "dob" else m.span()
                if refs is None:
                    refs = [r.span() for p in self.crime_refs for r in p.finditer(text)]
                if _inside(span, refs) or not getattr(self, f"_ok_{kind}", _yes)(text, m):
                    continue
                spans.append((kind, *span))
        spans = _drop_contained(spans)
        return [self.finding(f"pii.{kind}", f"{DETAILS[kind]}: {quote(text, (s, e))!r}", (s, e))
                for kind, s, e in spans]

    def _ok_phone(self, text: str, m: re.Match[str]) -> bool:
        raw = m.group(0)
        digits = _NON_DIGIT.sub("", raw)
        if digits in self.safe_numbers or _DATE_LIKE.match(raw):
            return False
        national = digits
        if digits.startswith("0044") or (raw.startswith("+") and digits.startswith("44")):
            rest = digits[4:] if digits.startswith("0044") else digits[2:]
            national = "0" + (rest[1:] if rest.startswith("0") else rest)  # "+44 (0)7700 ..."
        if national in self.safe_numbers or not national.startswith(self.phone_prefixes):
            return False
        return len(national) == 11 or (len(national) == 10 and national.startswith("01"))

    def _ok_card(self, text: str, m: re.Match[str]) -> bool:
        digits = _NON_DIGIT.sub("", m.group(0))
        return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_ok(digits)

    def _ok_vehicle_reg(self, text: str, m: re.Match[str]) -> bool:
        plate = m.group(0)
        if self.plate_cue and self.plate_cue.search(text[max(0, m.start() - 30):m.start()]):
            return True
        return plate.isupper() and not any(block in self.plate_stop for block in re.findall(r"[A-Za-z]+", plate))


def _yes(text: str, m: re.Match[str]) -> bool:
    return True


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in others)


def _drop_contained(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Spans in text order; one lying inside a longer one (a postcode in an address) is dropped."""
    spans.sort(key=lambda x: (x[1], -(x[2] - x[1])))
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in spans:
        if any(ks <= s and e <= ke for _, ks, ke in kept):
            continue
        kept.append((kind, s, e))
    return kept


def redact(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with the span of every personal-information finding replaced by ``[kind]``.

    >>> redact("call 07700 900123", [Finding("pii.phone", "mod.pii", "phone", (5, 17))])
    'call [phone]'
    """
    spans = sorted((f.span, f.rule.split(".", 1)[1]) for f in findings
                   if f.rule.startswith("pii.") and f.span is not None)
    out, pos = [], 0
    for (s, e), kind in spans:
        if s < pos:  # overlaps the previous mask: extend it instead of masking twice
            pos = max(pos, e)
            continue
        out += [text[pos:s], f"[{kind}]"]
        pos = e
    out.append(text[pos:])
    return "".join(out)
