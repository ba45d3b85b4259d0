"""Emergency and safeguarding: danger happening now, found with spaCy ``Matcher`` token patterns.

Patterns and cue words live in ``data/rules/urgent.toml``. A post is tokenised (once, with a
blank English tokenizer: no model download) only if it holds one of the patterns' content
words, and the text a match would cover (``sequence_regex``); a match is then kept unless its
clause is framed as hypothetical or past, its sentence names a past time, or an idiom overlaps
it ("this queue is killing me") - except that a "now" word in the sentence keeps it after all.
Every finding has ``urgent=True``.

>>> rule = UrgentRule.from_file(RuleFile.load(DEFAULT_RULES_DIR / "urgent.toml"))
>>> [f.rule for f in rule.check(PostText(Post("Help, someone is breaking in right now")))]
['urgent.break_in']
>>> rule.check(PostText(Post("Last night someone broke in and took the telly")))
()
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from pipeline.rules.base import Batch, PostText, RuleKind, quote
from pipeline.rules.policy import DEFAULT_RULES_DIR
from pipeline.rules.ruledata import RuleFile, lower_case_regex, trie_regex
from pipeline.schema import Finding, Post
from pipeline.text import english

_RULE_ID = re.compile(r"^urgent\.[a-z_]+$")
# Norms spaCy gives contractions: never the surface text, so never usable as pre-check words.
# Short function words are left out too: they are in almost every post, so they filter nothing.
_NORM_ONLY = {"will", "not", "going", "to", "am", "are", "is", "can", "have", "has", "would", "s", "m",
              "'s", "the", "a", "an", "my", "me", "us", "it", "in", "on", "up", "i", "he", "she", "they"}
_CLAUSE_END = {",", ";", ":", ".", "!", "?", "-", "–", "—", "…", "\n"}
_SENTENCE_END = {".", "!", "?", "\n"}
_WORD_ATTRS = ("NORM", "LOWER", "ORTH")  # token attributes whose values are words


class UrgentRule(RuleKind):
    FILE = "urgent.toml"

    def __init__(self, patterns: list[dict], cues: dict[str, re.Pattern[str] | None]):
        super().__init__()
        from spacy.matcher import Matcher

        self.patterns = patterns
        self.rule_ids = tuple(dict.fromkeys(p["rule"] for p in patterns))
        self.cues = cues
        self.nlp = english()  # the features' tokenizer and vocab: built once per process
        # One matcher per pattern, so a post is matched only against the patterns whose content
        # words it has (spaCy's IN predicates are costly; most posts pass one pattern or none).
        self.matchers = []
        for i, p in enumerate(patterns):
            matcher = Matcher(self.nlp.vocab)
            matcher.add(p["rule"], [p["tokens"]])
            self.matchers.append(matcher)
        # Which posts are tokenised, and matched against which patterns: a pattern is a candidate
        # for a post whose words (``word_list``, shared with the other kinds) hold a word of each of
        # its content-word tokens (``required``; one of them is its anchor), then a "strong now"
        # phrase if it needs one. Worked out for a whole batch at once (``gated``): which
        # posts hold a word of which word group, then each pattern's groups together.
        groups = list(dict.fromkeys(ws for p in patterns for ws in p["required"]))
        self.n_groups = len(groups)
        self.vocab = {w: k for k, w in enumerate(sorted(set().union(*groups)))}  # word -> k
        pairs = sorted({(self.vocab[w], g) for g, ws in enumerate(groups) for w in ws})
        # The groups word k is in: word_groups[word_start[k]:word_start[k + 1]].
        self.word_groups = np.array([g for _, g in pairs], dtype=np.intp)
        self.word_start = np.searchsorted([w for w, _ in pairs], np.arange(len(self.vocab) + 1))
        # Each pattern's groups, pattern after pattern, and where each pattern's begin.
        index = {ws: g for g, ws in enumerate(groups)}
        pattern_groups = [sorted({index[ws] for ws in p["required"]}) for p in patterns]
        self.groups_in_order = np.array([g for gs in pattern_groups for g in gs], dtype=np.intp)
        self.first_group = np.cumsum([0] + [len(gs) for gs in pattern_groups[:-1]])
        self.needs_strong = np.array([p["needs_strong_now"] for p in patterns], dtype=bool)
        # The text a match of each pattern must cover, to test before tokenising (None: no test).
        surfaces = norm_surfaces(self.nlp)
        self.sequences = [sequence_regex(p["tokens"], surfaces) for p in patterns]
        self.anchor_words = frozenset(w for p in patterns for w in p["anchor"])
        # An anchor must also be a whole word to the regex, whose word boundary is not the word split's (at "_").
        self.prefilter = trie_regex(self.anchor_words)
        self.anchor_ids = [frozenset(map(self.nlp.vocab.strings.add, p["anchor"])) for p in patterns]
        self.clause_end, self.sentence_end = (frozenset(map(self.nlp.vocab.strings.add, ends))
                                              for ends in (_CLAUSE_END, _SENTENCE_END))
        # (attribute, ids) of each token a match of the pattern must hold (those without OP "?",
        # "*" or "!"): the Matcher is not called on tokens lacking one.
        self.required_ids = [[(attr, frozenset(map(self.nlp.vocab.strings.add, v["IN"] if isinstance(v, dict) else [v])))
                              for tok in p["tokens"] if tok.get("OP", "+") == "+"
                              for attr, v in tok.items() if attr in _WORD_ATTRS] for p in patterns]

    @classmethod
    def from_file(cls, rf: RuleFile) -> UrgentRule:
        sets_rf = rf.table("sets")
        sets = {name: sets_rf.words(name) for name in sets_rf.data}
        sets_rf.finish()
        frf = rf.table("filters")
        cues = {name: trie_regex(frf.words(name, ())) for name in ("hypothetical", "past", "past_time", "now", "strong_now")}
        # Matched against lower-cased text, so written in lower case (see lower_case_regex).
        cues["past_time_regex"] = lower_case_regex(frf, "past_time_regex", frf.str("past_time_regex")) \
            if frf.has("past_time_regex") else None
        idioms = [lower_case_regex(frf, f"idioms[{i}]", p).pattern for i, p in enumerate(frf.strs("idioms", ()))]
        cues["idioms"] = re.compile("|".join(f"(?:{p})" for p in idioms)) if idioms else None
        frf.finish()
        patterns = [_pattern(prf, sets) for prf in rf.tables("patterns")]
        if not patterns:
            raise rf.error("patterns", "at least one [[patterns]] entry is needed")
        rf.finish()
        return cls(patterns, cues)

    def gated(self, batch: Batch) -> list[tuple[int, list[int]]]:
        """(post, the patterns it is matched against) for the posts worth tokenising, in order."""
        rows, words = batch.words_in(self.vocab)  # (post, k) for each of the patterns' words k a post holds
        if not len(rows):
            return []
        # has[group, post]: the post holds a word of the group (each word, once per group of it).
        per_word = self.word_start[words + 1] - self.word_start[words]
        rows = np.repeat(rows, per_word)
        at = np.repeat(self.word_start[words] - np.cumsum(per_word) + per_word, per_word) + np.arange(per_word.sum())
        has = np.zeros((self.n_groups, len(batch)), dtype=bool)
        has[self.word_groups[at], rows] = True
        ok = np.logical_and.reduceat(has[self.groups_in_order], self.first_group, axis=0)  # ok[pattern, post]
        needing = np.flatnonzero(ok[self.needs_strong].any(axis=0)).tolist()
        if needing:
            strong = np.zeros(len(batch), dtype=bool)
            if self.cues["strong_now"]:
                strong[batch.holding(self.cues["strong_now"], among=needing)] = True
            ok[self.needs_strong] &= strong
        kept = batch.holding(self.prefilter, among=np.flatnonzero(ok.any(axis=0)).tolist())
        # Each kept post's candidate patterns, in order, if the text a match would cover is there.
        row, pattern = np.nonzero(ok[:, kept].T)
        ends = np.searchsorted(row, np.arange(1, len(kept) + 1)).tolist()
        pattern, sequences, out = pattern.tolist(), self.sequences, []
        for i, start, end in zip(kept, [0, *ends], ends):
            low = _ended(batch.lowers[i])  # as check_gated tokenises it
            candidates = [p for p in pattern[start:end] if sequences[p] is None or sequences[p].search(low)]
            if candidates:
                out.append((i, candidates))
        return out

    def check_gated(self, t: PostText, candidates: list[int]) -> list[Finding]:
        """The findings of the ``candidates`` patterns in one post, tokenised once."""
        text = t.text
        doc = self.nlp.make_doc(_ended(text))
        values = _Values(doc)
        found: dict[str, Finding] = {}
        for i in candidates:
            pattern = self.patterns[i]
            if pattern["rule"] in found:
                continue
            for start, end in self._matches(i, doc, values):
                span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
                if self._keep(doc, start, span, t.lower, pattern["needs_now"], pattern["needs_strong_now"],
                              values.ids("ORTH")):
                    found[pattern["rule"]] = self.finding(pattern["rule"], f"{pattern['detail']}: {quote(text, span)!r}",
                                                          span, urgent=True)
                    break
        return sorted(found.values(), key=lambda f: f.span)

    def _matches(self, i: int, doc: Any, values: _Values | None = None) -> list[tuple[int, int]]:
        """(start, end) in ``doc`` of each match of pattern ``i``, in the Matcher's order (``values``:
        the doc's tokens' attributes, made here if not given).

        The Matcher's cost grows with the tokens it is given, and every match holds an anchor
        token (a word of ``anchor`` as its NORM or LOWER). So a pattern of bounded length is given
        only the tokens from the first anchor's reach to the last's, and one more, with which
        the Matcher completes every match there just as it does in the whole doc; and only if
        they hold a token for each of the pattern's required tokens."""
        pattern = self.patterns[i]
        if values is None:
            values = _Values(doc)
        start, end = 0, len(doc)
        if pattern["reach"] is not None:
            first, last = values.bounds(pattern["anchor_attr"])
            anchors = self.anchor_ids[i].intersection(first)
            if not anchors:
                return []
            before, after = pattern["reach"]
            start = max(0, min(map(first.__getitem__, anchors)) - before)
            end = min(len(doc), max(map(last.__getitem__, anchors)) + after + 1)
        if any(ids.isdisjoint(values.ids(attr)[start:end]) for attr, ids in self.required_ids[i]):
            return []
        if pattern["reach"] is None:
            return [(s, e) for _, s, e in self.matchers[i](doc)]
        return [(start + s, start + e) for _, s, e in self.matchers[i](doc[start:end])]

    def _keep(self, doc: Any, start: int, span: tuple[int, int], lower: str, needs_now: bool,
              needs_strong_now: bool, orth: list[int]) -> bool:
        """Whether a match starting at token ``start`` stands (``orth``: the tokens' ORTH ids)."""
        clause = sentence = start
        while clause > 0 and orth[clause - 1] not in self.clause_end:
            clause -= 1
        while sentence > 0 and orth[sentence - 1] not in self.sentence_end:
            sentence -= 1
        end = start
        while end < len(doc) and orth[end] not in self.sentence_end:
            end += 1
        s_start, s_end = doc[sentence].idx, doc[end - 1].idx + len(doc[end - 1].text) if end > sentence else span[1]
        sentence_text, clause_text = lower[s_start:max(s_end, span[1])], lower[doc[clause].idx:span[0]]
        c = self.cues
        strong = bool(c["strong_now"] and c["strong_now"].search(sentence_text))
        if needs_strong_now and not strong:
            return False
        now = strong or bool(c["now"] and c["now"].search(sentence_text))
        if needs_now and not now:
            return False
        if not now and (any(c[k] and c[k].search(clause_text) for k in ("hypothetical", "past")) or any(
                c[k] and c[k].search(sentence_text) for k in ("past_time", "past_time_regex"))):
            return False  # framed as hypothetical or past, with no "now" word
        # Last, as it is the slowest test (a match it overlaps is cancelled, whatever else holds).
        return not (c["idioms"] and any(m.start() + s_start < span[1] and span[0] < m.end() + s_start
                                        for m in c["idioms"].finditer(sentence_text)))


def _ended(text: str) -> str:
    """The text as it is tokenised: with a full stop at the end if it has none, so that patterns
    see where the text ends ("he's bleeding"). The gate's sequence regexes read the same."""
    return text if text.rstrip().endswith((".", "!", "?")) else text + " ."


class _Values:
    """A doc's tokens' NORM, LOWER, ORTH... ids (``ids(attr)``) and where each id is first and
    last (``bounds(attr)``), each made when first asked for."""

    def __init__(self, doc: Any):
        self.doc = doc
        self._ids: dict[str, list[int]] = {}
        self._bounds: dict[str, tuple[dict[int, int], dict[int, int]]] = {}

    def ids(self, attr: str) -> list[int]:
        ids = self._ids.get(attr)
        if ids is None:
            ids = self._ids[attr] = self.doc.to_array(attr).tolist()
        return ids

    def bounds(self, attr: str) -> tuple[dict[int, int], dict[int, int]]:
        found = self._bounds.get(attr)
        if found is None:
            ids = self.ids(attr)
            found = self._bounds[attr] = (dict(zip(reversed(ids), range(len(ids) - 1, -1, -1))),
                                          dict(zip(ids, range(len(ids)))))
        return found


def _pattern(prf: RuleFile, sets: dict[str, tuple[str, ...]]) -> dict:
    rule = prf.str("rule")
    if not _RULE_ID.match(rule):
        raise prf.error("rule", f"must look like 'urgent.<name>', got {rule!r}")
    tokens = [_token(prf, i, tok, sets) for i, tok in enumerate(prf.get("tokens", list))]
    if not tokens:
        raise prf.error("tokens", "empty pattern")
    content = _content_tokens(tokens)
    if not content:
        raise prf.error("tokens", "needs one required token of content words (not only 'is', 'my', ...) "
                                  "for the quick pre-check")
    at, anchor = max(content, key=lambda iw: min(map(len, iw[1])))
    # Tokens a match holds before its anchor token, and from it on: a bound unless an OP repeats.
    bounded = all(tok.get("OP") not in ("*", "+") for tok in tokens)
    out = {"rule": rule, "detail": prf.str("detail"), "needs_now": prf.bool("needs_now", False),
           "needs_strong_now": prf.bool("needs_strong_now", False),
           "tokens": tokens, "anchor": tuple(anchor), "anchor_attr": "NORM" if "NORM" in tokens[at] else "LOWER",
           "reach": (at, len(tokens) - at) if bounded else None, "required": [ws for _, ws in content]}
    prf.finish()
    return out


def _token(prf: RuleFile, i: int, tok: Any, sets: dict[str, tuple[str, ...]]) -> dict:
    key = f"tokens[{i}]"
    if not isinstance(tok, dict) or not tok:
        raise prf.error(key, f"must be an inline table such as {{NORM = \"knife\"}}, got {tok!r}")
    out = {}
    for attr, value in tok.items():
        if attr == "OP":
            if value not in ("?", "*", "+", "!"):
                raise prf.error(f"{key}.OP", f"must be one of ? * + !, got {value!r}")
        elif attr in ("NORM", "LOWER", "ORTH"):
            if isinstance(value, dict):
                words = value.get("IN")
                if set(value) != {"IN"}:
                    raise prf.error(f"{key}.{attr}", "only {IN = [...]} is supported here")
                if isinstance(words, str) and words.startswith("$"):
                    if words[1:] not in sets:
                        raise prf.error(f"{key}.{attr}.IN", f"no word set {words[1:]!r} in [sets]; known: {', '.join(sets)}")
                    words = list(sets[words[1:]])
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    raise prf.error(f"{key}.{attr}.IN", f"must be a list of words or \"$set\", got {words!r}")
                value = {"IN": words if attr == "ORTH" else [w.lower() for w in words]}
            elif not isinstance(value, str):
                raise prf.error(f"{key}.{attr}", f"must be a word or {{IN = [...]}}, got {value!r}")
            elif attr != "ORTH":  # ORTH is the exact text, case and all
                value = value.lower()
        elif attr not in ("IS_PUNCT", "LIKE_NUM", "IS_DIGIT"):
            raise prf.error(f"{key}.{attr}", "unsupported attribute; use NORM, LOWER, ORTH, OP, IS_PUNCT, LIKE_NUM")
        out[attr] = value
    return out


def _content_tokens(tokens: list[dict]) -> list[tuple[int, frozenset[str]]]:
    """(index, word set) of the pattern's required tokens made of content words only: a post that
    lacks a word from any of them cannot match (contractions are left out: their NORM is not
    their text)."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.get("OP", "+") != "+":
            continue
        value = tok.get("NORM", tok.get("LOWER"))
        words = tuple(value["IN"] if isinstance(value, dict) else [value]) if value else ()
        if words and not any(w in _NORM_ONLY or not re.fullmatch(r"[a-z0-9]+", w) for w in words):
            out.append((i, frozenset(words)))
    return out


def norm_surfaces(nlp: Any) -> dict[str, frozenset[str]]:
    """NORM -> the lower-case texts of tokens spaCy gives that NORM though their text is not it
    ("'m" and "m" for "am", "’s" for "'s", "nt" for "not"): its tokenizer's special cases and its
    base and lookup norms, which are all the ways a token's NORM departs from its lower case."""
    from spacy.attrs import NORM, ORTH
    from spacy.lang.norm_exceptions import BASE_NORMS

    pairs = [*BASE_NORMS.items(), *(nlp.vocab.lookups.get_table("lexeme_norm").items()
                                    if nlp.vocab.lookups.has_table("lexeme_norm") else ())]
    pairs += [(tok[ORTH], tok[NORM]) for tokens in nlp.tokenizer.rules.values() for tok in tokens if NORM in tok]
    out: dict[str, set[str]] = {}
    for text, norm in pairs:
        if text.lower() != norm:
            out.setdefault(norm, set()).add(text.lower())
    return {norm: frozenset(texts) for norm, texts in out.items()}


def sequence_regex(tokens: list[dict], surfaces: dict[str, frozenset[str]]) -> re.Pattern[str] | None:
    """A regex that finds, in lower-case text, whatever text a match of the token pattern covers
    (and more): each required token's possible texts in order, whitespace or nothing between
    tokens, and any run of non-space characters for a token that may be anything or absent.

    A match's tokens lie in the text one after another, each within a run of non-space characters
    (spaCy splits at whitespace first), so a text in which this regex finds nothing cannot match
    and need not be tokenised. None (no test) for a pattern with a repeated token (``*``/``+``).

    >>> print(sequence_regex([{"NORM": {"IN": ["am", "is"]}}, {"LOWER": "being", "OP": "?"}, {"LOWER": "followed"}],
    ...                      {"am": frozenset({"m", "'m"})}).pattern)
    (?:'m|am|is|m)\\s*\\S*\\s*followed
    """
    parts: list[str | None] = []
    for tok in tokens:
        op = tok.get("OP")
        if op in ("*", "+"):
            return None
        attr = next((a for a in _WORD_ATTRS if a in tok), None)
        if op in ("?", "!") or attr is None:
            parts.append(None)  # one token of any text, or none
            continue
        value = tok[attr]
        words = value["IN"] if isinstance(value, dict) else [value]
        texts = {w.lower() for w in words}
        if attr == "NORM":
            texts.update(*(surfaces.get(w, ()) for w in words))
        parts.append(_alternatives(texts))
    while parts and parts[0] is None:
        parts.pop(0)
    while parts and parts[-1] is None:
        parts.pop()
    if not parts:
        return None
    return re.compile(r"\s*".join(r"\S*" if part is None else part for part in parts))


def _alternatives(texts: set[str]) -> str:
    return "(?:" + "|".join(re.escape(t) for t in sorted(texts, key=lambda t: (-len(t), t))) + ")" if len(texts) > 1 \
        else re.escape(next(iter(texts)))
