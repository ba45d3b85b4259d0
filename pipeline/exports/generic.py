"""Any table of posts: CSV, TSV, JSON Lines, Parquet or Excel (.xlsx), read through a column mapping.

By default the text is in ``text`` and the optional ``id``, ``author``, ``created_at``,
``platform``, ``thread_id`` and ``parent_id`` columns are used when present. A ``ColumnMapping``
names other columns; a column it names explicitly must exist. Every format is streamed (CSV and
JSONL line by line, Parquet by row group batches, Excel through openpyxl's read-only mode), so a
file of millions of rows reads in bounded memory.

>>> cols = ColumnMapping(text_column="Comment", author_column="Name").resolve(["Comment", "Name", "When"])
>>> cols["text"], cols["author"], cols["created_at"]
('Comment', 'Name', None)
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.records import MISSING, ReadOptions, as_id, failed, read_header, record, table_rows, text_encoding
from pipeline.exports.times import uk_time

EXPECTS = "a header with a '{text}' column (or a ColumnMapping naming the text column)"


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds what in a generic table. Only the text column must be there.

    ``platform`` is written on every row; when None, a ``platform`` column is used if present.
    ``timezone`` is the zone of times written without an offset ("UTC", "Europe/London", ...).
    """

    text_column: str = "text"
    id_column: str | None = "id"
    author_column: str | None = "author"
    time_column: str | None = "created_at"
    platform: str | None = None
    thread_column: str | None = "thread_id"
    parent_column: str | None = "parent_id"
    timezone: str = "UTC"

    def __post_init__(self):
        self.tz()  # an unknown time zone fails here, not halfway through a file

    def resolve(self, header: Iterable[str]) -> dict[str, str | None]:
        """Our field -> the header's column (None when absent); DataError-ready ValueError if one is missing."""
        header = list(header)
        out: dict[str, str | None] = {}
        for key, column in _named(self).items():
            if column is not None and column in header:
                out[key] = column
            elif key == "text" or (column is not None and column != _named(ColumnMapping())[key]):
                raise ValueError(f"no column '{column}' (for {key}); columns are: {', '.join(map(str, header))}")
            else:
                out[key] = None
        return out

    def tz(self) -> tzinfo:
        if self.timezone.upper() == "UTC":
            return timezone.utc
        if self.timezone == "Europe/London":
            return uk_time()
        from zoneinfo import ZoneInfo

        try:
            return ZoneInfo(self.timezone)
        except Exception as e:  # ZoneInfoNotFoundError, or a malformed key
            raise ValueError(f"unknown time zone {self.timezone!r}; use an IANA name such as 'Europe/London'") from e


def accepts(header: Iterable[str], mapping: ColumnMapping) -> bool:
    try:
        mapping.resolve(header)
    except ValueError:
        return False
    return True


def _columns(path: Path, header: list[str], mapping: ColumnMapping) -> dict[str, str | None]:
    try:
        return mapping.resolve(header)
    except ValueError as e:
        raise DataError(path, str(e)) from e


def _record(path: Path, n: int, row: dict, cols: dict, mapping: ColumnMapping, tz: tzinfo, unit: str) -> dict:
    def cell(key: str) -> Any:
        return row.get(cols[key]) if cols[key] else None

    rec = record(path, n, text=row.get(cols["text"], MISSING), text_field=cols["text"], id=cell("id"),
                 platform=mapping.platform or cell("platform"), author=cell("author"),
                 created_at=cell("created_at"), time_field=cols["created_at"] or "created_at",
                 thread_id=cell("thread_id"), parent_id=cell("parent_id"), naive_tz=tz, unit=unit)
    used = set(cols.values())
    rec.update((k, v) for k, v in row.items() if k not in used and k not in rec)  # other columns pass through
    return rec


def read_delimited(path: Path, opts: ReadOptions, delimiter: str | None = None) -> Iterator[dict]:
    mapping = opts.mapping or ColumnMapping()
    cols, tz = _columns(path, read_header(path), mapping), mapping.tz()
    for n, row in table_rows(path, delimiter):
        if isinstance(row, str):
            yield failed(path, n, row, unit="row", platform=mapping.platform)
        else:
            yield _record(path, n, row, cols, mapping, tz, "row")


def read_tsv(path: Path, opts: ReadOptions) -> Iterator[dict]:
    return read_delimited(path, opts, "\t")


def read_jsonl(path: Path, opts: ReadOptions) -> Iterator[dict]:
    mapping = opts.mapping or ColumnMapping()
    tz = mapping.tz()
    try:
        yield from _jsonl_records(path, mapping, tz)
    except UnicodeDecodeError as e:
        raise DataError(path, f"not UTF-8 text ({e}); save it as UTF-8") from e


def _jsonl_records(path: Path, mapping: ColumnMapping, tz: tzinfo) -> Iterator[dict]:
    with path.open(encoding=text_encoding(path)) as f:
        for n, line in enumerate(f, start=1):  # n: the line number, blank lines included
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield failed(path, n, f"line is not valid JSON ({e})", unit="line", platform=mapping.platform)
                continue
            if not isinstance(obj, dict):
                yield failed(path, n, f"line is a JSON {type(obj).__name__}, not an object", unit="line",
                             platform=mapping.platform)
                continue
            cols = {k: c if c in obj else None for k, c in _named(mapping).items()}
            cols["text"] = mapping.text_column
            yield _record(path, n, obj, cols, mapping, tz, "line")


def _named(mapping: ColumnMapping) -> dict[str, str | None]:
    return {"text": mapping.text_column, "id": mapping.id_column, "author": mapping.author_column,
            "created_at": mapping.time_column, "thread_id": mapping.thread_column,
            "parent_id": mapping.parent_column, "platform": None if mapping.platform else "platform"}


def parquet_header(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def read_parquet(path: Path, opts: ReadOptions, batch_size: int = 10_000) -> Iterator[dict]:
    import pyarrow.parquet as pq

    mapping = opts.mapping or ColumnMapping()
    cols, tz = _columns(path, parquet_header(path), mapping), mapping.tz()
    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size, columns=sorted({c for c in cols.values() if c})):
        for row in batch.to_pylist():
            n += 1
            yield _record(path, n, row, cols, mapping, tz, "row")


def _open_workbook(path: Path):
    try:
        import openpyxl
    except ImportError as e:
        raise DataError(path, "reading Excel needs openpyxl: pip install openpyxl") from e
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several types for a damaged or non-xlsx file
        raise DataError(path, f"cannot open as an Excel workbook ({type(e).__name__}: {e})") from e


def excel_header(path: Path) -> list[str]:
    wb = _open_workbook(path)
    try:
        first = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        return [str(v).strip() if v is not None else "" for v in first]
    finally:
        wb.close()


def read_excel(path: Path, opts: ReadOptions) -> Iterator[dict]:
    """The first sheet; numbers in the text column are text (Excel typed them, not the writer)."""
    mapping = opts.mapping or ColumnMapping()
    header = excel_header(path)
    cols, tz = _columns(path, header, mapping), mapping.tz()
    wb = _open_workbook(path)
    try:
        for n, values in enumerate(wb.worksheets[0].iter_rows(min_row=2, values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue  # an empty row is no record, but keeps its number
            row = dict(zip(header, values, strict=False))  # a short row leaves cells empty
            text = row.get(cols["text"])
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                row[cols["text"]] = as_id(text)
            yield _record(path, n, row, cols, mapping, tz, "row")
    finally:
        wb.close()
