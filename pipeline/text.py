"""Text normalisation that survives what people type, and the spaCy tokenizer built on it.

Two levels, used by different consumers:

- ``clean`` keeps the meaning and the words, and only removes what hides them: Unicode
  compatibility forms (NFKC), zero-width and control characters, homoglyphs from other scripts.
- ``normalise`` prepares text for the classifiers: ``clean``, then emails, URLs, @mentions,
  numbers and party names become deliberate placeholder tokens, obfuscated words are folded back
  (``f*ck``, ``sh1t``, ``b @ s t a r d``, ``fuuuuck``) against a lexicon of words people
  disguise, and words in quotation marks are marked as quoted (``mark_quoted``).

>>> normalise("Y0u absolute b @ s t a r d, see http://bit.ly/x", lexicon={"bastard"})
'you absolute bastard, see xxurl bit.ly'
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

ZERO_WIDTH = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Unicode category Cc, except tab and newline

# Letters from other scripts that look like Latin ones; NFKC does not fold these.
HOMOGLYPHS = str.maketrans(
    "аеорсухіјԁһӏѕԛԝАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijdhlsqwABEKMHOPCTXIJSabeiknoptuxABEHIKMNOPTYX",
)

URL = re.compile(
    r"(?i)\b(?:(?:https?|hxxps?|ftp)://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|uk|io|ly|co|me|info|biz|xyz|ru|tk|gl|gd|to|app|site|online|shop)\b(?:/[^\s<>\"']*)?"
)
EMAIL = re.compile(r"(?i)\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b")
MENTION = re.compile(r"(?<![\w.])@\w{1,30}")
NUMBER = re.compile(r"(?<![\w])[£$€]?\d[\d,.:/-]*\d?(?![\w])")
DIGIT = re.compile(r"\d")
SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[,.!?;:])")
KEPT_NUMBERS = {"999", "101", "111"}  # numbers with a meaning of their own in this domain
# UK political parties, each one placeholder: what a post does with a party (backs it, attacks it,
# reports what it did) matters, not which party, so what the training posts teach about one party
# serves them all. "Green(s)" and "Reform" only with a capital: "green space", "police reform".
PARTY = re.compile(
    r"(?i:\b(?:labour|conservatives?|tor(?:y|ies)|lib[ -]?dems?|liberal democrats?|snp|plaid(?: cymru)?|ukip|"
    r"workers'? party|brexit party|green party|reform uk)\b)|\b(?:Greens?|Reform)\b")

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                      "@": "a", "$": "s", "!": "i", "|": "l", "€": "e"})
# A token mixing letters with digits or symbols, excluding ordinals, times and units (2nd, 4pm, 10k).
MIXED = re.compile(r"(?i)^(?=.*[a-z])(?=.*[0-9@$!|€])[a-z0-9@$!|€]{3,}$")
NOT_LEET = re.compile(r"(?i)^\d+(st|nd|rd|th|am|pm|k|m|p|s|mph|ft|kg|hr|hrs|mins?)$")
MASKED = re.compile(r"(?i)^[a-z]+[*#?_]+[a-z*#?_]*$|^[*#]+[a-z]+$")
# Four or more single characters separated by spaces, dots or dashes: "b @ s t a r d", "a.r.s.e".
SPACED = re.compile(r"(?<![\w@$*])(?:[\w@$*!][ .\-_]{1,3}){3,}[\w@$*!](?![\w@$*])")
REPEATS = re.compile(r"([^\W\d_])\1{2,}")
# "!", "|" and "?" count as letters only inside a word (sh!t), not as its end punctuation (roads!).
TOKEN = re.compile(r"(?:[\w@$€*#]|[!|?](?=\w))+(?:[.'’]\w+)*|[^\w\s]", re.UNICODE)


@lru_cache(maxsize=1)
def english():
    """spaCy's English language with no components (tokenizer, vocab, string store), made on first
    use and shared by the features and the urgent rule. ``English()`` tokenises exactly as
    ``spacy.blank("en")`` but is built in a third of the time (no config resolution).

    >>> [t.text for t in english().make_doc("can't stop")]
    ['ca', "n't", 'stop']
    """
    from spacy.lang.en import English

    return English()


def clean(text: str) -> str:
    """NFKC, without zero-width or control characters, homoglyphs folded, whitespace tidied.

    >>> clean("ﬁne\\u200b wоrk")  # ligature, zero-width space, Cyrillic 'о'
    'fine work'
    """
    text = unicodedata.normalize("NFKC", text)
    text = ZERO_WIDTH.sub("", text)
    text = CONTROL.sub("", text)
    text = text.translate(HOMOGLYPHS)
    return re.sub(r"[ \t]+", " ", text).strip()


def _unmask(token: str, lexicon: frozenset[str]) -> str | None:
    """The lexicon word a masked token (``f*ck``, ``c#nt``) stands for, if exactly one fits."""
    pattern = re.compile("^" + re.sub(r"[*#?_]+", "[a-z]{1,3}", re.escape(token).replace("\\", "")) + "$")
    hits = [w for w in _by_length(lexicon, len(token)) if pattern.match(w)]
    return hits[0] if len(hits) == 1 else None


@lru_cache(maxsize=8)
def _lexicon_index(lexicon: frozenset[str]) -> dict[int, tuple[str, ...]]:
    index: dict[int, list[str]] = {}
    for word in lexicon:
        index.setdefault(len(word), []).append(word)
    return {n: tuple(sorted(ws)) for n, ws in index.items()}


def _by_length(lexicon: frozenset[str], n: int) -> Iterable[str]:
    index = _lexicon_index(lexicon)
    for size in range(max(1, n - 2), n + 3):
        yield from index.get(size, ())


def fold_token(token: str, lexicon: frozenset[str]) -> str:
    """One lower-case token with its disguise removed, where the disguise is recognisable."""
    low = token.lower()
    if MIXED.match(low) and not NOT_LEET.match(low):
        low = low.translate(LEET)
    if MASKED.match(low):
        low = _unmask(low, lexicon) or low.strip("*#.?_")
    if REPEATS.search(low):
        low = REPEATS.sub(r"\1\1", low)
        single = re.sub(r"([^\W\d_])\1+", r"\1", low)
        if low not in lexicon and single in lexicon:
            low = single
    return low


def fold_obfuscation(text: str, lexicon: Iterable[str]) -> str:
    """Lower-case ``text`` with spaced-out, leet, masked and stretched words folded back.

    >>> fold_obfuscation("F*CK off you sh1t b @ s t a r d, fuuuuck", {"fuck", "shit", "bastard"})
    'fuck off you shit bastard , fuck'
    """
    lex = lexicon if isinstance(lexicon, frozenset) else frozenset(lexicon)

    def join_spaced(m: re.Match[str]) -> str:
        joined = re.sub(r"[ .\-_]", "", m.group(0))
        return joined if sum(c.isalpha() for c in joined) * 2 >= len(joined) else m.group(0)

    text = SPACED.sub(join_spaced, text)
    folded = _folded(lex)
    out = []
    for tok in TOKEN.findall(text):
        low = folded.get(tok)
        if low is None:
            if len(folded) >= 1 << 17:
                folded.clear()
            low = folded[tok] = fold_token(tok, lex)
        out.append(low)
    return " ".join(out)


@lru_cache(maxsize=8)
def _folded(lexicon: frozenset[str]) -> dict[str, str]:
    """Tokens already folded against ``lexicon`` (words repeat: most of a batch's were seen before)."""
    return {}


URL_PREFIX = re.compile(r"(?i)^(?:(?:https?|hxxps?|ftp)://)?(?:www\.)?")


def url_host(url: str) -> str:
    """The host of a ``URL`` match, without scheme or "www." (case kept).

    >>> url_host("HTTPS://www.Bit.ly/x?y=1")
    'Bit.ly'
    """
    return URL_PREFIX.sub("", url).split("/")[0]


def _url_token(m: re.Match[str]) -> str:
    return f" xxurl {url_host(m.group(0)).lower()} "


def _number_token(m: re.Match[str]) -> str:
    number = m.group(0)
    if number in KEPT_NUMBERS:
        return number
    if number[0] in "£$€":
        return " xxmoney "
    return " xxnum "


def normalise(text: str, lexicon: Iterable[str] = ()) -> str:
    """The text the classifiers read: cleaned, placeholders for URLs/mentions/numbers/parties,
    folded, quoted words marked."""
    text = clean(text)
    # Each pattern is tried only where it could match (an email or mention needs "@", a URL a dot
    # or "://", a number a digit): most posts have none, and the test is far cheaper than the search.
    if "@" in text:
        text = EMAIL.sub(" xxemail ", text)
    if "." in text or "://" in text:
        text = URL.sub(_url_token, text)
    if "@" in text:
        text = MENTION.sub(" xxuser ", text)
    if DIGIT.search(text):
        text = NUMBER.sub(_number_token, text)
    text = PARTY.sub(" xxparty", text)  # no space after: "Labour's" stays one word, "xxparty's"
    text = fold_obfuscation(text, lexicon)
    # Words run together by folding or placeholders are tidied; punctuation stays as tokens.
    return mark_quoted(" ".join(SPACE_BEFORE_PUNCTUATION.sub("", text).split()))


QUOTES = {"'", '"', "‘", "’", "“", "”"}
QUOTED = "xq"  # the prefix of a quoted word
QUOTED_MAX = 15  # words: a longer "quotation" is more likely a stray apostrophe


def mark_quoted(normalised: str) -> str:
    """Each word between a pair of quotation marks (at most ``QUOTED_MAX`` words, within one
    sentence) gets the prefix ``xq``: quoted words are often someone else's ("calling her 'a stupid
    cow' isn't banter"), so the model learns weights for them apart from the writer's own.

    >>> mark_quoted("people writing ' all muslims are terrorists ', have a word")
    "people writing ' xqall xqmuslims xqare xqterrorists ', have a word"
    >>> mark_quoted("the lads ' night out")  # an apostrophe alone quotes nothing
    "the lads ' night out"
    """
    if not any(q in normalised for q in QUOTES):
        return normalised
    tokens = normalised.split(" ")
    is_quote = [t[0] in QUOTES and not any(c.isalnum() for c in t) for t in tokens]
    out, i = [], 0
    while i < len(tokens):
        out.append(tokens[i])
        i += 1
        if not is_quote[i - 1]:
            continue
        end = next((j for j in range(i, min(len(tokens), i + QUOTED_MAX + 1)) if is_quote[j]), None)
        if end is None or end == i or any(t[-1] in ".!?" for t in tokens[i:end - 1]):
            continue
        out.extend(QUOTED + t if t[0].isalnum() else t for t in tokens[i:end])
        out.append(tokens[end])
        i = end + 1
    return " ".join(out)


# How a placeholder reads in an explanation.
PLACEHOLDERS_SHOWN = {"xxurl": "[a link]", "xxemail": "[an email address]", "xxuser": "[an @mention]",
                      "xxnum": "[a number]", "xxmoney": "[a sum of money]", "xxparty": "[a party]"}


def shown(gram: str) -> str:
    """A word n-gram as a moderator should read it: quoted words back in quotation marks,
    placeholders in words.

    >>> shown("xqstupid xqcow")
    "'stupid' 'cow'"
    >>> shown("vote xxparty")
    'vote [a party]'
    """
    words = (f"'{w[len(QUOTED):]}'" if w.startswith(QUOTED) else w for w in gram.split(" "))
    return " ".join(PLACEHOLDERS_SHOWN.get(w, w) for w in words)
