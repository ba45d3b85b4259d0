"""Reading the rule files: typed access that names the file and key of every problem.

Rule files are TOML that staff edit, so each value is checked when the rules are loaded: a
missing key, a value of the wrong type, a regex that does not compile or a key nobody reads
(usually a typo) is a ``ConfigError`` such as ``data/rules/pii.toml: patterns.phone: ...``.

>>> rf = RuleFile("x.toml", {"words": ["a", "b"], "weeks": 6})
>>> rf.strs("words"), rf.int("weeks")
(('a', 'b'), 6)
>>> rf.finish()
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from pipeline import errors
from pipeline.errors import ConfigError

_MISSING = object()


class RuleFile:
    """One table of a rule file; ``where`` is its dotted key prefix inside the file."""

    def __init__(self, path: str | Path, data: dict[str, Any], where: str = ""):
        self.path, self.data, self.where = Path(path), data, where
        self._read: set[str] = set()

    @classmethod
    def load(cls, path: Path) -> RuleFile:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as e:
            raise ConfigError(path, errors.RULE_FILE_MISSING) from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(path, f"cannot read rule file: {e}") from e
        try:
            return cls(path, tomllib.loads(text))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(path, f"not valid TOML: {e}") from e

    def error(self, key: str, reason: str) -> ConfigError:
        return ConfigError(self.path, f"{self.where}{key}: {reason}")

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
        self._read.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise self.error(key, errors.RULE_MISSING_KEY)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.error(key, errors.RULE_BAD_TYPE.format(expected=names, got=type(value).__name__,
                                                              value=value))
        return value

    def str(self, key: str, default: Any = _MISSING) -> str:
        return self.get(key, str, default)

    def int(self, key: str, default: Any = _MISSING) -> int:
        return self.get(key, int, default)

    def float(self, key: str, default: Any = _MISSING) -> float:
        return float(self.get(key, (int, float), default))

    def bool(self, key: str, default: Any = _MISSING) -> bool:
        return self.get(key, bool, default)

    def strs(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self.get(key, list, default)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{i}]", f"must be a non-empty string, got {item!r}")
        return tuple(value)

    def words(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        """A term list, lower-cased and stripped, in file order without duplicates."""
        return tuple(dict.fromkeys(w.strip().lower() for w in self.strs(key, default)))

    def regex(self, key: str, default: Any = _MISSING, flags: int = 0) -> re.Pattern[str]:
        return compile_regex(self, key, self.str(key, default), flags)

    def regexes(self, key: str, default: Any = _MISSING, flags: int = 0) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_regex(self, f"{key}[{i}]", p, flags) for i, p in enumerate(self.strs(key, default)))

    def date(self, key: str) -> dt.date:
        value = self.get(key, (dt.date, str))
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError as e:
            raise self.error(key, f"must be a date like 2024-05-02, got {value!r}") from e

    def table(self, key: str, default: Any = _MISSING) -> RuleFile:
        value = self.get(key, dict, {} if default is not _MISSING else _MISSING)
        return RuleFile(self.path, value, f"{self.where}{key}.")

    def tables(self, key: str, default: Any = _MISSING) -> list[RuleFile]:
        value = self.get(key, list, default)
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{i}]", "must be a table ([[%s]])" % key)
            out.append(RuleFile(self.path, item, f"{self.where}{key}[{i}]."))
        return out

    def finish(self) -> None:
        """Raise for any key that was never read: a typo must not silently do nothing."""
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            known = ", ".join(sorted(self._read)) or "none"
            raise self.error(unknown[0], errors.RULE_UNKNOWN_KEY.format(known=known))


_ESCAPE = re.compile(r"\\.")  # escapes such as \S and \B are not upper-case letters
_UPPER = re.compile(r"[A-Z]")


def lower_case_regex(rf: RuleFile, key: str, pattern: str) -> re.Pattern[str]:
    """A regex for lower-cased text, which must be written in lower case (a clear error if not). It
    is compiled without IGNORECASE, which would stop Python's regex engine skipping quickly to where
    a match may start (an idiom list ran three times slower with it)."""
    if _UPPER.search(_ESCAPE.sub("", pattern)):
        raise rf.error(key, f"write patterns in lower case: they are matched against lower-cased text, "
                            f"got {pattern!r}")
    return compile_regex(rf, key, pattern)


def compile_regex(rf: RuleFile, key: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise rf.error(key, errors.RULE_BAD_REGEX.format(error=e, pattern=pattern)) from e


def trie_regex(terms: tuple[str, ...] | list[str] | set[str] | frozenset[str],
               whole_words: bool = True) -> re.Pattern[str] | None:
    """One regex matching any of the lower-case ``terms`` (as whole words, unless ``whole_words``
    is false), for lower-cased text.

    Built as a trie (shared prefixes factored out) and without IGNORECASE, so Python's regex
    engine can skip quickly to positions where a term may start: several times faster than a
    plain alternation. A space in a term matches any whitespace. None if there are no terms.

    >>> trie_regex(["dm me", "buy now", "buy"]).findall("buy now or dm me to buy")
    ['buy now', 'dm me', 'buy']
    """
    terms = {t.strip().lower() for t in terms if t.strip()}
    if not terms:
        return None
    if not whole_words:
        return re.compile(_trie(sorted(terms)))
    word_start = sorted(t for t in terms if t[0].isalnum())
    other = sorted(t for t in terms if not t[0].isalnum())
    parts = []
    if word_start:
        parts.append(r"\b" + _trie(word_start))
    if other:
        parts.append(_trie(other))
    return re.compile("(?:" + "|".join(parts) + r")(?![a-z0-9])")


def _trie(terms: list[str]) -> str:
    root: dict = {}
    for term in terms:
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict) -> str:
    ends = "" in node
    alternatives = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_node(child)
                    for ch, child in sorted(node.items()) if ch]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if ends:
        return "(?:" + body + ")?" if len(alternatives) == 1 else body + "?"
    return body
