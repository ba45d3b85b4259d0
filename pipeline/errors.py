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
