"""The one post record every export reader yields, and the helpers the readers share.

A record is a dict with exactly ``COLUMNS``. A record that cannot be read keeps the fields that
were read, has empty ``text`` and says why in ``read_error`` (file, row or record number, and
where in the record): nothing is dropped, so a moderator can find the original.

>>> record(Path("page.json"), 1, text="Thanks!", id=17, created_at="Wed Oct 10 20:19:24 +0000 2018")["created_at"]
'2018-10-10T20:19:24Z'
>>> record(Path("page.json"), 2, text=MISSING, text_field="message", where="data[1]")["read_error"]
"page.json, record 2: data[1]: no 'message'"
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.times import utc_iso

COLUMNS: tuple[str, ...] = (
    "id", "platform", "author", "created_at", "text", "thread_id", "parent_id",
    "source_file", "source_row", "read_error",
)
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # a field absent from the record


@dataclass
class ReadOptions:
    """What a reader may need beyond its file: the column mapping, users seen across X pages."""

    mapping: Any = None  # a generic.ColumnMapping
    x_users: dict[str, str] = field(default_factory=dict)


def record(source: Path, n: int, *, text: Any, id: Any = None, platform: str | None = None,
           author: Any = None, created_at: Any = None, thread_id: Any = None, parent_id: Any = None,
           text_field: str = "text", time_field: str = "created_at", naive_tz: tzinfo = timezone.utc,
           unit: str = "record", where: str = "") -> dict:
    """One record; problems with the text or the time make it an error record (text left empty)."""
    row = {"id": as_id(id), "platform": platform, "author": as_id(author), "created_at": None, "text": "",
           "thread_id": as_id(thread_id), "parent_id": as_id(parent_id),
           "source_file": str(source), "source_row": n, "read_error": None}
    problems = []
    if text is MISSING or text is None:
        problems.append(f"no '{text_field}'")
    elif not isinstance(text, str):
        problems.append(f"'{text_field}' is {type(text).__name__}, not text")
    elif not text.strip():
        problems.append(f"'{text_field}' is empty")
    try:
        row["created_at"] = utc_iso(None if created_at is MISSING else created_at, naive_tz)
    except ValueError as e:
        problems.append(f"'{time_field}' {e}")
    if problems:
        row["read_error"] = locate(source, n, "; ".join(problems), unit, where)
    else:
        row["text"] = text
    return row


def failed(source: Path, n: int, reason: str, unit: str = "record", where: str = "", **known: Any) -> dict:
    """An error record for something that could not be read at all (bad JSON line, not an object)."""
    row = dict.fromkeys(COLUMNS)
    row.update({k: as_id(v) for k, v in known.items()})
    row.update(text="", source_file=str(source), source_row=n, read_error=locate(source, n, reason, unit, where))
    return row


def locate(source: Path, n: int, reason: str, unit: str = "record", where: str = "") -> str:
    """'file, row 3: reason', in the style of ``DataError``."""
    return f"{source.name}, {unit} {n}: {where + ': ' if where else ''}{reason}"


def as_id(value: Any) -> str | None:
    """Ids and names as text: 17 -> '17', 17.0 -> '17' (a spreadsheet's number), '' -> None."""
    if value is None or value is MISSING or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def load_json(path: Path) -> Any:
    """A whole JSON file (platform pages are small); DataError if it is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataError(path, f"not valid JSON ({e})") from e


def text_encoding(path: Path) -> str:
    """utf-8-sig, or cp1252 for files a spreadsheet saved in the Windows code page."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut by the 1 MiB boundary
            return "cp1252"
    return "utf-8-sig"


def table_rows(path: Path, delimiter: str | None = None) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Stream a CSV/TSV: (data row number from 1, {header: cell}) or (n, reason) for a malformed row.

    Blank rows are not records but keep their number, so ``n`` is the row a spreadsheet shows
    below the header.

    Never holds more than one row, so a two-million-row export reads in constant memory.
    """
    encoding = text_encoding(path)
    with path.open(newline="", encoding=encoding) as f:
        first = f.readline()
        delimiter = delimiter or sniff_delimiter(first)
        header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
        if not any(header):
            raise DataError(path, "file is empty (no header row)")
        reader = csv.reader(f, delimiter=delimiter)
        n = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as e:
                raise DataError(path, f"cannot be read as {encoding} CSV ({e})", row=n + 1) from e
            n += 1  # a blank row still has its number, as in a spreadsheet
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                yield n, f"has {len(cells)} fields, the header has {len(header)} (an unquoted delimiter?)"
            else:
                yield n, dict(zip(header, cells, strict=True))


def sniff_delimiter(header_line: str) -> str:
    return "\t" if header_line.count("\t") > header_line.count(",") else ","


def read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding=text_encoding(path)) as f:
        first = f.readline()
    return [h.strip() for h in next(csv.reader([first], delimiter=sniff_delimiter(first)), [])]
