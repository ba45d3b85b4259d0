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
import hashlib
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError, DataErrors
from pipeline.schema import CATEGORIES

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "json", ".json": "json", ".parquet": "parquet"}
LABEL_COLUMNS: tuple[str, ...] = (*CATEGORIES, "urgent")
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
    if "id" not in df.columns:
        df["id"] = [f"{Path(path).stem}:{i}" for i in range(1, len(df) + 1)]
    df["id"] = df["id"].astype(str)
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
