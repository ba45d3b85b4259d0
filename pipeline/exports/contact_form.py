"""The website contact form's CSV export (``contact_form``).

No platform defines this file; it is our own definition of what the office's form tool exports,
one submission a row, with a header:

``submission_id, submitted_at, name, email, subject, message``

- ``submission_id`` (optional): the form tool's reference, kept as ``id``.
- ``submitted_at``: when the form was sent. ISO 8601 with an offset is read as given; a time
  without one ("2025-03-14 18:22:05" or the UK "14/03/2025 18:22") is UK local time
  (Europe/London, so summer times are BST) and converted to UTC.
- ``name``: the ``author``. ``email`` is not carried into the record (it is personal data the
  scoring does not need; it stays in the original file).
- ``subject`` and ``message``: ``text`` is the subject, a blank line, then the message; either may
  be empty, both empty is a ``read_error``.

>>> rows = list(read(Path("data/exports/contact_form.csv"), None))
>>> rows[0]["platform"], rows[0]["created_at"].endswith("Z")
('website', True)
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.records import failed, read_header, record, table_rows
from pipeline.exports.times import uk_time

PLATFORM = "website"
REQUIRED = ("submitted_at", "name", "email", "subject", "message")
EXPECTS = f"contact-form CSV: columns {', '.join(REQUIRED)} (and optionally submission_id)"


def looks_like(header: list[str]) -> bool:
    return set(REQUIRED) <= {h.strip().lower() for h in header}


def read(path: Path, opts: Any) -> Iterator[dict]:
    header = read_header(path)
    if not looks_like(header):
        raise DataError(path, f"expected {EXPECTS}; found {', '.join(header)}")
    col = {h.strip().lower(): h for h in header}
    local = uk_time()
    for n, row in table_rows(path):
        if isinstance(row, str):
            yield failed(path, n, row, unit="row", platform=PLATFORM)
            continue
        v = {key: (row.get(h) or "").strip() for key, h in col.items()}
        text = "\n\n".join(part for part in (v["subject"], v["message"]) if part)
        yield record(path, n, text=text, text_field="subject/message", id=v.get("submission_id"),
                     platform=PLATFORM, author=v["name"], created_at=v["submitted_at"],
                     time_field="submitted_at", naive_tz=local, unit="row")
