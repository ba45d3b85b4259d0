"""Which reader a file needs, told from its content, and many files read as chunks of post records.

>>> detect_format("data/exports/tweets.js")
'x_archive'
>>> chunk = next(iter_records(Path("data/exports/youtube_takeout_comments.csv")))
>>> list(chunk.columns) == list(COLUMNS)
True
"""
from __future__ import annotations

import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError
from pipeline.exports import contact_form, facebook, generic, x, youtube
from pipeline.exports.generic import ColumnMapping
from pipeline.exports.records import COLUMNS, ReadOptions, read_header, sniff_delimiter, text_encoding

HEAD_BYTES = 64 * 1024
WHOLE_JSON_MAX = 64 * 1024 * 1024  # a larger JSON file is taken for JSON Lines, never loaded whole


@dataclass(frozen=True)
class Format:
    name: str
    expects: str  # '{text}' stands for the mapping's text column
    read: Callable[[Path, ReadOptions], Iterator[dict]]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("x_api_v2", x.API_EXPECTS, x.read_api),
    Format("x_archive", x.ARCHIVE_EXPECTS, x.read_archive),
    Format("facebook_graph", facebook.EXPECTS, facebook.read),
    Format("youtube_api", youtube.API_EXPECTS, youtube.read_api),
    Format("youtube_takeout", youtube.TAKEOUT_EXPECTS, youtube.read_takeout),
    Format("contact_form", contact_form.EXPECTS, contact_form.read),
    Format("csv", "CSV with " + generic.EXPECTS, generic.read_delimited),
    Format("tsv", "TSV (tab-separated) with " + generic.EXPECTS, generic.read_tsv),
    Format("jsonl", "JSON Lines: one object a line, with a '{text}' key", generic.read_jsonl),
    Format("parquet", "Parquet with " + generic.EXPECTS, generic.read_parquet),
    Format("excel", "Excel .xlsx whose first sheet has " + generic.EXPECTS, generic.read_excel),
)}


def detect_format(path: str | Path, mapping: ColumnMapping | None = None) -> str:
    """The name of the reader for a file (a key of ``FORMATS``), from what the file contains."""
    path, mapping = Path(path), mapping or ColumnMapping()
    if not path.is_file():
        raise DataError(path, "file not found")
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head.strip():
        raise DataError(path, "file is empty")
    if head.startswith(b"PAR1"):
        return _generic_binary(path, "parquet", generic.parquet_header, mapping)
    if head.startswith(b"PK\x03\x04") and _is_xlsx(path):
        return _generic_binary(path, "excel", generic.excel_header, mapping)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(path, "an old-style Excel .xls workbook; save it as .xlsx (Excel Workbook) and read that")
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    part = x.archive_part(text)
    if part is not None:
        if part in x.ARCHIVE_TWEET_PARTS:
            return "x_archive"
        raise _unrecognised(path, mapping, f"it is the X archive's '{part}' file, which holds no posts")
    if text[:1] in ("{", "["):
        found = _detect_json(path, mapping)
        if found:
            return found
        raise _unrecognised(path, mapping, "it is JSON, but not in any of these structures")
    header = read_header(path)
    if youtube.takeout_columns(header):
        return "youtube_takeout"
    if contact_form.looks_like(header):
        return "contact_form"
    if generic.accepts(header, mapping):
        return "tsv" if sniff_delimiter(text.split("\n", 1)[0]) == "\t" else "csv"
    raise _unrecognised(path, mapping, f"its first line reads {', '.join(header)[:200]!r}")


def _detect_json(path: Path, mapping: ColumnMapping) -> str | None:
    lines = _first_lines(path, 20)
    objects = [_json_or_none(line) for line in lines]
    if len(lines) > 1 and isinstance(objects[0], dict):  # one object a line: never load the file whole
        return "jsonl" if any(isinstance(o, dict) and mapping.text_column in o for o in objects) else None
    if path.stat().st_size <= WHOLE_JSON_MAX:
        doc = _json_or_none(path.read_text(encoding="utf-8-sig", errors="replace"))
        for name, test in (("x_api_v2", x.looks_like_api), ("youtube_api", youtube.looks_like_api),
                           ("facebook_graph", facebook.looks_like)):
            if test(doc):
                return name
        if isinstance(doc, dict):
            return "jsonl" if mapping.text_column in doc else None
    # JSON Lines whose first line is broken
    return "jsonl" if any(isinstance(o, dict) and mapping.text_column in o for o in objects) else None


def _first_lines(path: Path, n: int) -> list[str]:
    with path.open(encoding=text_encoding(path), errors="replace") as f:
        return list(itertools.islice((line for line in f if line.strip()), n))


def _json_or_none(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _generic_binary(path: Path, name: str, header_of, mapping: ColumnMapping) -> str:
    header = header_of(path)
    if not generic.accepts(header, mapping):
        raise DataError(path, f"a {name} file without a '{mapping.text_column}' column (columns: "
                              f"{', '.join(map(str, header))}); name the text column (moderate score --text-column, or a ColumnMapping)")
    return name


def _unrecognised(path: Path, mapping: ColumnMapping, why: str) -> DataError:
    tried = "\n".join(f"  {f.name}: {f.expects.replace('{text}', mapping.text_column)}" for f in FORMATS.values())
    return DataError(path, f"not a format these readers know ({why}). Tried:\n{tried}\n"
                           "For a table with other column names, name them: moderate score --text-column NAME (ColumnMapping in Python).")


def expand(paths: str | Path | list) -> list[Path]:
    """Files to read, in order: a folder becomes its files, sorted by name (hidden ones skipped)."""
    out: list[Path] = []
    for p in [paths] if isinstance(paths, (str, Path)) else paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            if not files:
                raise DataError(p, "folder has no files to read")
            out.extend(files)
        elif p.is_file():
            out.append(p)
        else:
            raise DataError(p, "file or folder not found")
    return out


def iter_records(paths: str | Path | list, format: str | None = None, mapping: ColumnMapping | None = None,
                 chunk_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """Every record of every file, in file order, as DataFrames of at most ``chunk_size`` rows.

    ``format`` forces one reader for all files (a name in ``FORMATS``); otherwise each file's is
    detected, for all files before the first chunk, so an unreadable file stops the run at once.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if format is not None and format not in FORMATS:
        raise DataError(paths, f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    mapping = mapping or ColumnMapping()
    plan = [(p, format or detect_format(p, mapping)) for p in expand(paths)]
    opts = ReadOptions(mapping=mapping, x_users=x.collect_users([p for p, f in plan if f == "x_api_v2"]))
    rows: list[dict] = []
    for path, name in plan:
        for row in FORMATS[name].read(path, opts):
            rows.append(row)
            if len(rows) >= chunk_size:
                yield _frame(rows)
                rows = []
    if rows:
        yield _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    # object columns keep None as None (pandas would make a missing string NaN). Columns beyond
    # COLUMNS are a generic table's own other columns, passed through under their own names.
    extra = dict.fromkeys(k for r in rows for k in r if k not in COLUMNS)
    return pd.DataFrame({col: pd.Series([r.get(col) for r in rows], dtype="int64" if col == "source_row" else object)
                         for col in (*COLUMNS, *extra)})
