"""Writing scored tables chunk by chunk (CSV, TSV, JSON Lines, Parquet), and reading them back.

CSV and TSV are written so a spreadsheet opens them safely: a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so Excel shows it as text instead
of running it as a formula (OWASP's advice on CSV injection). Unicode, quotes and newlines
inside cells round-trip through Python's csv module and pandas.

>>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-1"), neutralise("fine")
('\\'=HYPERLINK("http://x")', "'-1", 'fine')
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pipeline.errors import DataError

SUFFIXES = (".csv", ".tsv", ".jsonl", ".parquet")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and (value.startswith(FORMULA_START)
                                   or (value.startswith("'") and value[1:].startswith(FORMULA_START))):
        return "'" + value  # the second case keeps a text that really starts with '= exact on read-back
    return value


def unneutralise(value):
    """The original of a cell written by ``neutralise``."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) != value[1:]:
        return value[1:]
    return value


class TableWriter:
    """Appends DataFrames to one file; ``flush`` returns the bytes written so far (for checkpoints)."""

    def __init__(self, path: Path, append: bool = False):
        self.path, self.suffix = Path(path), Path(path).suffix.lower()
        if self.suffix not in SUFFIXES:
            raise DataError(path, f"unknown output type '{self.suffix}'; use {', '.join(SUFFIXES)}")
        if append and self.suffix == ".parquet":
            raise DataError(path, "a Parquet output cannot be resumed; use .csv or .jsonl to resume")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._header = not (append and self.path.exists() and self.path.stat().st_size > 0)
        self._file = None if self.suffix == ".parquet" else open(self.path, "a" if append else "w",
                                                                 encoding="utf-8", newline="")
        self._parquet = None
        self._columns: list[str] | None = None

    def write(self, df: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = list(df.columns)
        df = df.reindex(columns=self._columns)
        if self.suffix in (".csv", ".tsv"):
            safe = df.astype(object).map(neutralise)
            safe.to_csv(self._file, index=False, header=self._header, sep="\t" if self.suffix == ".tsv" else ",",
                        quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        elif self.suffix == ".jsonl":
            for record in df.astype(object).where(df.notna(), None).to_dict("records"):
                self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            self._write_parquet(df)
        self._header = False

    def _write_parquet(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns if df[c].dtype == object}),
                                     preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, table.schema)
        self._parquet.write_table(table.cast(self._parquet.schema))

    def flush(self) -> int:
        if self._file is not None:
            self._file.flush()
            return self._file.tell()
        return self.path.stat().st_size if self.path.exists() else 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._parquet is not None:
            self._parquet.close()
        if self._header and self._file is None and self._parquet is None and not self.path.exists():
            self.path.touch()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def read_back(path: Path, chunk_size: int = 50_000) -> Iterator[pd.DataFrame]:
        """A written table in chunks, cells as strings (the ' added by ``neutralise`` removed)."""
        path = Path(path)
        if not path.exists() or path.stat().st_size == 0:
            return
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_size,
                                     sep="\t" if suffix == ".tsv" else ","):
                yield chunk.map(unneutralise)
        elif suffix == ".jsonl":
            yield from pd.read_json(path, lines=True, dtype=False, convert_dates=False, chunksize=chunk_size)
        else:
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(chunk_size):
                yield batch.to_pandas()
