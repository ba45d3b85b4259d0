"""Labelled posts: the file format, loading with ``datasets``, and validation.

A labelled file is CSV, JSONL or Parquet with a ``text`` column and one column per category
(``abuse``, ``spam``, ``sub_judice``, ``crime_report``, ``party_political``) holding 1, 0, or
nothing. Nothing (an empty cell, ``null``) means *unknown*: the post was not labelled for that
category, and training leaves it out of that category's classifier instead of calling it 0.
Optional columns: ``id``, ``author``, ``created_at``, ``platform``, ``source``, ``urgent``,
``group`` (posts from one idea or template, kept in one split), ``notes``.

>>> posts = load_labelled("data/opcc/posts.jsonl")  # doctest: +SKIP
>>> posts[["text", "abuse"]].head(2)  # doctest: +SKIP
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError, DataErrors
from pipeline.schema import CATEGORIES, OUTPUTS

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "json", ".json": "json", ".parquet": "parquet"}
LABEL_COLUMNS: tuple[str, ...] = OUTPUTS
TRUE, FALSE, UNKNOWN = {"1", "1.0", "true", "True"}, {"0", "0.0", "false", "False"}, {"", "nan", "None", "null", "<NA>"}


def file_format(path: Path) -> str:
    """The ``datasets`` builder for a file, from its extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(path, f"unknown file type '{path.suffix}'; use one of {', '.join(sorted(FORMATS))}")
    return fmt


def read_table(path: str | Path) -> pd.DataFrame:
    """Any supported file as a DataFrame, read with ``datasets``; CSV cells stay strings."""
    import datasets
    from datasets import Features, Value

    path = Path(path)
    if not path.is_file():
        raise DataError(path, "file not found")
    fmt = file_format(path)
    if fmt == "json":
        return _read_json(path)
    kwargs: dict = {}
    if fmt == "csv":
        try:
            with path.open(newline="", encoding="utf-8-sig") as f:
                header = next(csv.reader(f, delimiter="\t" if path.suffix == ".tsv" else ","), None)
        except (UnicodeDecodeError, OSError) as e:
            raise DataError(path, f"cannot read file: {e}") from e
        if not header:
            raise DataError(path, "file is empty (no header row)")
        kwargs = {"features": Features({c: Value("string") for c in header}), "keep_default_na": False,
                  "sep": "\t" if path.suffix == ".tsv" else ",", "encoding": "utf-8-sig"}
    datasets.disable_progress_bars()
    try:
        ds = datasets.load_dataset(fmt, data_files=str(path), split="train", keep_in_memory=True, **kwargs)
    except Exception as e:  # datasets wraps parser errors in several types; all mean "unreadable"
        raise DataError(path, f"cannot parse as {fmt}: {_root_cause(e)}") from e
    return ds.to_pandas()


def _read_json(path: Path) -> pd.DataFrame:
    """A JSON or JSON Lines file, every field a string as in CSV: dates stay the text they were
    and ids never become floats. Parsed here, not by the ``datasets`` json builder, because
    pyarrow reads ISO dates as timestamps and gives them back re-spelt ("2025-06-29 20:58:23")."""
    import datasets
    from datasets import Features, Value

    records = _json_records(path)
    keys = list(dict.fromkeys(k for r in records for k in r))
    datasets.disable_progress_bars()
    return datasets.Dataset.from_list([{k: _cell(r.get(k)) for k in keys} for r in records],
                                      features=Features({k: Value("string") for k in keys})).to_pandas()


def _json_records(path: Path) -> list[dict]:
    """The objects of a JSON Lines file, or of a ``.json`` file holding a list of objects (or,
    like the ``datasets`` json builder, JSON Lines under a ``.json`` name)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as e:
        raise DataError(path, f"cannot read file: {e}") from e
    if not text.strip():
        raise DataError(path, "file is empty")
    if path.suffix.lower() == ".json" and text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as e:
            raise DataError(path, f"cannot parse as json: {e}") from e
        for n, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                raise DataError(path, "each item of the list must be a JSON object", row=n)
        return records
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(path, f"cannot parse as json: {e}", row=n) from e
        if not isinstance(record, dict):
            raise DataError(path, "each line must be a JSON object", row=n)
        records.append(record)
    return records


def _cell(value: object) -> str | None:
    """A JSON value as the string a CSV cell would hold (``null`` stays missing)."""
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _root_cause(e: BaseException) -> str:
    while e.__cause__ is not None:
        e = e.__cause__
    return f"{type(e).__name__}: {e}"


def parse_label(value: object) -> float:
    """1.0, 0.0 or NaN (unknown) for a label cell; ValueError for anything else."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return float("nan")
    text = str(value).strip()
    if text in TRUE:
        return 1.0
    if text in FALSE:
        return 0.0
    if text in UNKNOWN:
        return float("nan")
    raise ValueError(f"label must be 0, 1 or empty (unknown), got {value!r}")


def validate(df: pd.DataFrame, path: str | Path, required_labels: bool = True) -> pd.DataFrame:
    """The table with labels as float 1/0/NaN, or DataErrors listing every bad cell.

    Row numbers count data rows from 1, as a spreadsheet shows them below the header.
    """
    errors: list[DataError] = []
    needed = ("text", *CATEGORIES) if required_labels else ("text",)
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise DataError(path, f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
    out = df.copy()
    for i, text in enumerate(out["text"], start=1):
        if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
            errors.append(DataError(path, "empty text", row=i, column="text"))
    out["text"] = out["text"].fillna("").astype(str)
    for col in LABEL_COLUMNS:
        if col not in out.columns:
            continue
        parsed = []
        for i, value in enumerate(out[col], start=1):
            try:
                parsed.append(parse_label(value))
            except ValueError as e:
                errors.append(DataError(path, str(e), row=i, column=col))
                parsed.append(float("nan"))
        out[col] = pd.array(parsed, dtype="float64")
    if errors:
        raise DataErrors(errors)
    return out


def load_labelled(path: str | Path) -> pd.DataFrame:
    """A validated labelled file: text, five label columns (1.0/0.0/NaN) and any optional columns."""
    df = validate(read_table(path), path)
    if "urgent" not in df.columns:
        df["urgent"] = float("nan")  # not labelled for urgency: unknown, not 0
    made = [f"{Path(path).stem}:{i}" for i in range(1, len(df) + 1)]
    given = df["id"] if "id" in df.columns else [None] * len(df)
    df["id"] = [str(v) if known(v) else m for v, m in zip(given, made)]
    return df


def content_hash(df: pd.DataFrame) -> str:
    """SHA-256 over texts and labels in order: the identity of a training set, without the texts."""
    h = hashlib.sha256()
    cols = [c for c in ("text", *LABEL_COLUMNS) if c in df.columns]
    for row in df[cols].itertuples(index=False):
        h.update("\x1f".join("" if pd.isna(v) else str(v) for v in row).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def load_sources(sources, root: Path | None = None) -> pd.DataFrame:
    """All configured sources in one table with ``source`` and ``weight`` columns.

    A ``path`` source is one of our labelled files; a ``corpus`` source is read from the public
    corpora by its importer (``pipeline.corpora``), its unlabelled categories left unknown.
    """
    from pipeline.corpora import read_corpus

    frames = []
    for source in sources:
        if source.path:
            path = Path(source.path) if root is None else root / source.path
            df = load_labelled(path)
        else:
            df = read_corpus(source.corpus)
        df = df.copy()
        df["source"] = source.name
        df["weight"] = float(source.weight)
        for col in LABEL_COLUMNS:
            if col not in df.columns:
                df[col] = float("nan")
            df[col] = pd.to_numeric(df[col], errors="raise").astype("float64")
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != ""


def tidy_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Labels as 1/0/empty, ids as text, whole-number columns (``group``) without a '.0' from gaps."""
    for col in df.columns:
        if col in LABEL_COLUMNS:
            df[col] = df[col].astype("float64").astype("Int64")
        elif col == "id":
            df[col] = df[col].map(lambda v: str(v) if known(v) else None).astype(object)
        elif pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            values = df[col].dropna()
            if len(values) and (values == values.round()).all():
                df[col] = df[col].astype("Int64")
    return df


def _write_json(df: pd.DataFrame, path: str, lines: bool) -> None:
    # Written record by record (not DataFrame.to_json) so '/' is not escaped, dates stay ISO 8601
    # and absent optional fields stay absent: an unchanged post is an unchanged line in a diff.
    keep = {"text", *CATEGORIES}
    records = [{k: v for k, v in r.items() if v is not None or k in keep}
               for r in df.astype(object).where(df.notna(), None).to_dict("records")]
    with open(path, "w", encoding="utf-8") as f:
        if lines:
            f.writelines(json.dumps(r, ensure_ascii=False, default=_iso) + "\n" for r in records)
        else:
            json.dump(records, f, ensure_ascii=False, default=_iso, indent=1)


def _iso(value: object) -> str:
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_labelled(df: pd.DataFrame, path: Path) -> None:
    """Write a labelled file in its extension's format via a temp file and a rename, so a crash
    or a full disk never leaves a half-written corpus."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DataError(path, f"cannot write '{suffix}' files; use one of {', '.join(sorted(FORMATS))}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        if suffix in (".csv", ".tsv"):
            df.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",")
        elif suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            _write_json(df, tmp, lines=suffix == ".jsonl")
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o644)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
