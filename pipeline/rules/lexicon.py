"""Swearing and slurs, found through obfuscation, never in place names or ordinary words.

Terms live in ``data/rules/lexicon.toml``: ``words`` match whole words, ``stems`` match inside a
word (letters may be doubled), and a word on the allowlist (or starting with an entry) is never
caught. Disguises are undone with ``pipeline.text.fold_obfuscation``, the same folding the
classifier's normaliser uses, against the same list (``load_lexicon``).

Text with no sign of disguise (no homoglyphs or zero-width characters, no inner symbols or
digits, no stretched or spaced-out letters) is matched as it is, which keeps most posts fast;
the rest is folded first, and a hit is then traced back to its span in the original text.

>>> rule = LexiconRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "lexicon.toml"))
>>> [(f.rule, f.span) for f in rule.check(PostText(Post("Scunthorpe lot are sh1t")))]
[('lexicon.swearing', (19, 23))]
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

from pipeline.rules.base import NOTHING, Batch, PostText, RuleKind, WordTest
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile, trie_regex
from pipeline.schema import Finding, Post
from pipeline.text import SPACED, TOKEN, ZERO_WIDTH, clean, fold_obfuscation

FILE = "lexicon.toml"
KINDS = ("swearing", "slur")
_STRETCHED = re.compile(r"([a-zA-Z])\1\1")
INFLECTIONS = ("", "s", "e", "es", "er", "ers", "ed", "ing", "in", "y", "ty", "head", "heads")
_STILL_MASKED = re.compile(r"(?<![\w*#?])[a-z]*[*#?_]+[a-z][a-z*#?_]*|(?<![\w*#?])[a-z]+[*#_]+(?![\w*#])")
# Signs that a word may be disguised; text without any is matched as it is. Each regex starts
# with a rare character (a symbol, a digit, a space) and looks back, so the scans are fast.
# ``_DISGUISE`` starts with one character class shared by its alternatives (each then checks
# its own first character by looking back): the engine skips straight to such characters,
# where an alternation of different classes would be tried at every position (5 times slower).
_DISGUISE = re.compile(r"[*#@$!|?€0-9](?:" + "|".join([
    r"(?<=[a-z].)(?![a-z0-9-]*\.[a-z])[*#@$!|?€0-9]*[a-z]",  # sh1t, f*ck, w@nker (not jo@x.com)
    r"(?<=[a-z][*#])",                                       # f***, sh*
    r"(?<=[$*])(?<![\w].)[a-z]",                             # $hit, *uck
    r"(?<=@)(?<![\w].)[a-z]{1,4}(?![a-z0-9_])",              # @ss (not @mentions)
    r"(?<=[013457])(?<![\w].)[a-z]{3}",                      # 5hit, 1diot
]) + ")")
_DRAWN_OUT = re.compile(r"([a-vx-z])\1\1")  # fuuuck (not www.): inside one word
# Spelt out ("f u c k", "a.r.s.e") at the start of the text or after a space: the second is looked
# for with a regex starting with a space, which the regex engine skips to quickly.
_SPACED_OUT = re.compile(r"[a-z@$*!0-9][ .\-_]{1,3}[a-z@$*!0-9][ .\-_]{1,3}[a-z@$*!0-9](?![a-z0-9])")
_SPACED_OUT_AFTER_SPACE = re.compile(" " + _SPACED_OUT.pattern)


def disguised(low: str) -> bool:
    """Whether lower-case text shows a sign of a disguised word (then it is folded before matching).

    >>> disguised("you are sh1t"), disguised("f u c k off"), disguised("meet at 2pm, jo@example.com")
    (True, True, False)
    """
    return bool(_DISGUISE.search(low) or _DRAWN_OUT.search(low) or _SPACED_OUT.match(low)
                or _SPACED_OUT_AFTER_SPACE.search(low))


def _flex(stem: str) -> str:
    """A stem whose letters may be repeated: ``f+u+c+k+``."""
    return "".join(re.escape(ch) + "+" for ch in stem)


class LexiconRule(RuleKind):
    FILE = FILE
    RULE_IDS = tuple(f"lexicon.{k}" for k in KINDS)

    def __init__(self, words: dict[str, tuple[str, ...]], stems: dict[str, tuple[str, ...]],
                 variants: dict[str, tuple[str, ...]], allow: tuple[str, ...]):
        super().__init__()
        # Every form a disguised word may stand for, with its kind: words, stems with their
        # inflections, variants. ``lexicon`` (exported for folding) leaves variants out, as
        # "fuk" beside "fuck" would make "f**k" ambiguous to unmask.
        self.forms: dict[str, str] = {}
        for kind in KINDS:
            forms = [*words[kind], *(st + suffix for st in stems[kind] for suffix in INFLECTIONS)]
            self.forms.update((w, kind) for w in [*forms, *variants[kind]] if w not in self.forms)
        self.lexicon = frozenset(w for w in self.forms if not any(w in variants[k] for k in KINDS))
        self.allow = tuple(sorted(set(allow)))
        groups = []
        for kind in KINDS:
            whole = (*words[kind], *variants[kind])
            if whole:
                alts = "|".join(sorted(map(re.escape, whole), key=len, reverse=True))
                groups.append(f"(?P<{kind}_w>(?<![a-z])(?:{alts})(?![a-z]))")
            if stems[kind]:
                groups.append(f"(?P<{kind}_s>{'|'.join(_flex(s) for s in sorted(stems[kind], key=len, reverse=True))})")
        self.regex = re.compile("|".join(groups) or r"(?!x)x")
        # Quick test for plain text: a whole word, or a stem anywhere.
        self.whole = frozenset(w for kind in KINDS for w in (*words[kind], *variants[kind]))
        # Every spelling of a stem with any of its letters doubled is listed ("fuuck", "fuucck": the
        # full pattern allows them all; a letter three times is a disguise and never gets here).
        quick = {"".join(spelling) for kind in KINDS for st in stems[kind]
                 for spelling in itertools.product(*((ch, ch + ch) for ch in st))}
        self.stem_regex = trie_regex(quick, whole_words=False)
        # A post is checked only if it is not plain, shows a disguise, or has a word that is a term,
        # holds a stem or is stretched: the words are tested once, and remembered.
        self.word_gate = WordTest(lambda w: w in self.whole or _DRAWN_OUT.search(w) or
                                  (self.stem_regex and self.stem_regex.search(w)))
        self._piece_hits = lru_cache(maxsize=1 << 16)(self._hits_in_piece)

    @classmethod
    def from_file(cls, rf: RuleFile) -> LexiconRule:
        terms: dict[str, dict[str, tuple[str, ...]]] = {"words": {}, "stems": {}, "variants": {}}
        for kind in KINDS:
            table = rf.table(kind)
            for key in terms:
                terms[key][kind] = table.words(key, ())
                for i, term in enumerate(terms[key][kind]):
                    if not re.fullmatch(r"[a-z]+", term):
                        raise table.error(f"{key}[{i}]", f"letters only (folding handles disguises), got {term!r}")
            table.finish()
        allow_rf = rf.table("allow")
        allow = allow_rf.words("words")
        allow_rf.finish()
        rf.finish()
        return cls(terms["words"], terms["stems"], terms["variants"], allow)

    def candidates(self, batch: Batch) -> list[int]:
        """Every post ``check`` may find a hit in: one that is not plain or looks disguised (folded
        before matching), or that has a word of the lexicon, a stem, or a stretched word."""
        posts = set(batch.unplain)
        posts.update(batch.holding(_DISGUISE), batch.holding(_SPACED_OUT_AFTER_SPACE), self.word_gate.posts(batch))
        posts.update(i for i, low in enumerate(batch.lowers) if _SPACED_OUT.match(low))
        return sorted(posts)

    def check(self, t: PostText) -> list[Finding]:
        low = t.lower
        if t.plain and not disguised(low):
            if self.whole.isdisjoint(t.word_list) and not (self.stem_regex and self.stem_regex.search(low)):
                return NOTHING
            return [self._finding(kind, term, span) for kind, term, span in self._hits(low)]
        folded = fold_obfuscation(t.cleaned, self.lexicon)
        hits = self._hits(folded) + self._masked(folded)
        if not hits:
            return NOTHING
        found = self._locate(t.text) or [(kind, term, None) for kind, term, _ in hits]
        return [self._finding(kind, term, span) for kind, term, span in found]

    def _finding(self, kind: str, term: str, span: tuple[int, int] | None) -> Finding:
        what = "swear word" if kind == "swearing" else "slur"
        return self.finding(f"lexicon.{kind}", f"{what}: {term!r}", span)

    def _hits(self, s: str) -> list[tuple[str, str, tuple[int, int]]]:
        """(kind, whole word, span) for each lexicon hit in lower-case ``s`` whose word is not allowed."""
        out = []
        for m in self.regex.finditer(s):
            start, end = m.span()
            while start > 0 and s[start - 1].isalnum():
                start -= 1
            while end < len(s) and s[end].isalnum():
                end += 1
            word = s[start:end]
            if word.startswith(self.allow):
                continue
            out.append((m.lastgroup.rsplit("_", 1)[0], word, (start, end)))
        return out

    def _masked(self, s: str) -> list[tuple[str, str, tuple[int, int]]]:
        """Masked words folding left as they were ("a**hole": arsehole or asshole?) whose every
        reading in the lexicon is of one kind."""
        out = []
        for m in _STILL_MASKED.finditer(s):
            token = m.group(0)
            if sum(ch.isalpha() for ch in token) < 2:
                continue
            pattern = re.compile("^" + "[a-z]{1,3}".join(re.escape(p) for p in re.split(r"[*#?_]+", token)) + "$")
            kinds = {kind for form, kind in self.forms.items() if pattern.match(form)}
            if len(kinds) == 1:
                out.append((kinds.pop(), token, m.span()))
        return out

    def _locate(self, text: str) -> list[tuple[str, str, tuple[int, int] | None]]:
        """Hits with spans in the original text: each word (or spaced-out run) folded on its own."""
        index = None
        if ZERO_WIDTH.search(text):  # "fu\u200bck": fold without them, map offsets back
            index = [i for i, ch in enumerate(text) if not ZERO_WIDTH.match(ch)]
            text = "".join(text[i] for i in index)
        pieces = [m.span() for m in SPACED.finditer(text)]
        pieces += [m.span() for m in TOKEN.finditer(text) if not any(s <= m.start() < e for s, e in pieces)]
        out = []
        for s, e in sorted(pieces):
            span = (index[s], index[e - 1] + 1) if index else (s, e)
            out += [(kind, term, span) for kind, term in self._piece_hits(text[s:e])]
        return out

    def _hits_in_piece(self, piece: str) -> tuple[tuple[str, str], ...]:
        """(kind, term) of each hit in one word or spaced-out run, folded on its own (cached as
        ``_piece_hits``: the same words come back post after post)."""
        # Plain words need no folding (most of them); stretched ones ("fuuuck") do.
        folded = piece.lower() if piece.isascii() and piece.isalpha() and not _STRETCHED.search(piece) \
            else fold_obfuscation(clean(piece), self.lexicon).replace(" ", "")
        return tuple((kind, term) for kind, term, _ in self._hits(folded) + self._masked(folded))


def load_lexicon(rules_dir: str | Path | None = None) -> frozenset[str]:
    """The words people disguise (swearing and slurs, words and stems), for folding.

    >>> "fuck" in load_lexicon()
    True
    """
    path = Path(rules_dir or DEFAULT_RULES_DIR) / FILE
    return LexiconRule.from_file(RuleFile.load(path)).lexicon
