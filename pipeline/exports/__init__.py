"""Readers for the files staff download from the platforms, each comment mapped to one post record.

One module per family: ``x`` (API v2 pages, account archive ``tweets.js``), ``facebook`` (Graph
API comments), ``youtube`` (Data API comment threads, Takeout comments CSV), ``contact_form``
(the website form's CSV) and ``generic`` (CSV, TSV, JSON Lines, Parquet, Excel through a
``ColumnMapping``). Each module's docstring cites the structure it follows.

``iter_records`` yields DataFrames with exactly ``COLUMNS``: one row for every input record, in
file order, an unreadable record included with its reason in ``read_error``. ``source_row``
finds the record in its file, counted from 1: the data row below the header (CSV, TSV, Excel,
Parquet), the line (JSON Lines), or the record's place in a JSON page (replies counted in turn).

>>> from pipeline.exports import iter_records
>>> chunks = list(iter_records("data/exports/facebook_graph_comments.json"))
>>> chunks[0].loc[0, "platform"]
'facebook'
"""
from __future__ import annotations

from pipeline.exports.generic import ColumnMapping
from pipeline.exports.read import FORMATS, detect_format, iter_records
from pipeline.exports.records import COLUMNS

__all__ = ["COLUMNS", "FORMATS", "ColumnMapping", "detect_format", "iter_records"]
