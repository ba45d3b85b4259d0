"""Every error the pipeline raises on purpose, in one catalogue (after spaCy's ``errors.py``).

Each error says what is wrong, where (file, row, column), and what to do about it. The CLI
prints the message and exits non-zero; library callers catch ``ModerationError``.
"""
from __future__ import annotations


class ModerationError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class DataError(ModerationError):
    """A labelled or input file that cannot be used as it is."""

    def __init__(self, path: object, reason: str, row: int | None = None, column: str | None = None):
        self.path, self.row, self.column, self.reason = str(path), row, column, reason
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {reason}")


class ConfigError(ModerationError):
    """A configuration or rule file with a missing, unknown or ill-typed setting."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class ModelLoadError(ModerationError):
    """A model folder or MLflow URI that must not or cannot be loaded."""


class DataErrors(ModerationError):
    """Several data errors found in one pass, reported together so they can be fixed together."""

    def __init__(self, errors: list[DataError], limit: int = 20):
        self.errors = errors
        shown = "\n  ".join(str(e) for e in errors[:limit])
        more = f"\n  ... and {len(errors) - limit} more" if len(errors) > limit else ""
        super().__init__(f"{len(errors)} problem(s) in the data:\n  {shown}{more}")


class PromotionRefused(ModerationError):
    """A challenger that fails the promotion gate; ``comparison`` holds the full table."""

    def __init__(self, name: str, version: str, reasons: list[str], comparison: object = None):
        self.name, self.version, self.reasons, self.comparison = name, version, list(reasons), comparison
        shown = "\n  ".join(self.reasons)
        super().__init__(f"promotion of {name} version {version} to champion refused, {len(self.reasons)} "
                         f"reason(s):\n  {shown}\nFix the challenger, or override with --force --reason TEXT "
                         "(the override and these reasons are recorded on the model version).")


# Messages used in more than one place.
TAMPERED = (
    "{path}: file does not match the model's manifest (expected sha256 {expected}, found {found}). "
    "The model may have been altered; it was not loaded. Re-export it or restore the original."
)
NO_MANIFEST = "{path}: no MANIFEST.json in the model folder; refusing to load an unverified model."
VERSION_MISMATCH = (
    "{path}: model was made with {package} {made}, this environment has {have}; "
    "pickled models are only loaded with the same {package} minor version. "
    "Install {package}=={made} or retrain the model."
)

# Rule files (data/rules/*.toml): each is raised as ConfigError(path, "<key>: <message>").
RULE_FILE_MISSING = "rule file not found; every rule kind needs its file in the rules folder"
RULE_MISSING_KEY = "missing; add it to the file (see the comments in the shipped data/rules)"
RULE_BAD_TYPE = "must be {expected}, got {got} {value!r}"
RULE_UNKNOWN_KEY = "unknown key (a typo?); keys read here: {known}"
RULE_BAD_REGEX = "regular expression does not compile ({error}): {pattern!r}"
RULE_UNKNOWN_CLAUSE = "names clause {clause!r}, which policy.toml does not define; known clauses: {known}"
RULE_UNCOVERED = "rule {rule!r} is handled by no clause in policy.toml; add 'rule:{rule}' to a clause's handled_by"
RULE_NO_ACTION = "rule {rule!r} has no entry in [rule_actions]; put it (or a pattern like 'pii.*') in one group"
