"""YouTube: Data API v3 ``commentThreads.list`` responses, and the Google Takeout comments CSV.

**Data API** (``youtube_api``), as documented at developers.google.com/youtube/v3/docs/commentThreads
and .../docs/comments: a response is ``{"kind": "youtube#commentThreadListResponse",
"nextPageToken", "pageInfo", "items": [thread, ...]}``; a thread is ``{"id", "snippet": {"videoId",
"topLevelComment": comment, "totalReplyCount", ...}, "replies": {"comments": [comment, ...]}}``;
a comment is ``{"id", "snippet": {"authorDisplayName", "textDisplay", "textOriginal", "parentId",
"publishedAt", "videoId", ...}}``. A ``comments.list`` response (``youtube#commentListResponse``,
the replies fetched with ``parentId``) is read too. Mapping: each thread gives its top-level comment
then its replies; ``text`` is ``textOriginal``, else ``textDisplay`` with its HTML removed
(``textOriginal`` is only guaranteed to the comment's author); ``parent_id`` is ``parentId``;
``thread_id`` the ``videoId``.

**Takeout** (``youtube_takeout``): "YouTube and YouTube Music/comments/comments.csv". No official
schema is published; the columns follow the parser ``google_takeout_parser`` (purarue, parse_csv.py)
and test files of other Takeout readers: ``Comment ID, Channel ID, Comment Create Timestamp, Price,
Parent Comment ID, Post ID, Video ID, Comment Text, Top-Level Comment ID``. Header case varies
between exports and any "Comment ... timestamp" header is taken. ``Comment Text`` is JSON: since
2024 comma-separated segments ``{"text":"..."},{"text":"..."}``, before that
``{"takeoutSegments":[{"text":"..."}]}``; the segments' texts are joined. Assumed: a cell that
is not JSON is the text itself; ``author`` is the ``Channel ID`` (a Takeout holds the account's
own comments and names no display name); ``thread_id`` is the ``Video ID`` or ``Post ID``.

>>> rows = list(read_api(Path("data/exports/youtube_commentThreads.json"), None))
>>> rows[0]["platform"]
'youtube'
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.records import MISSING, failed, load_json, read_header, record, table_rows

PLATFORM = "youtube"
API_EXPECTS = ("YouTube Data API JSON: {\"kind\": \"youtube#commentThreadListResponse\", \"items\": [...]} "
               "with items[].snippet.topLevelComment")
TAKEOUT_EXPECTS = ("YouTube Takeout comments CSV: columns 'Comment ID', 'Channel ID', 'Comment Create Timestamp', "
                   "'Video ID', 'Comment Text'")
TAKEOUT_COLUMNS = {"comment id", "channel id", "video id", "comment text"}


def looks_like_api(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    if doc.get("kind") in ("youtube#commentThreadListResponse", "youtube#commentListResponse"):
        return True
    items = doc.get("items")
    return isinstance(items, list) and any(
        isinstance(t, dict) and isinstance(t.get("snippet"), dict) and "topLevelComment" in t["snippet"] for t in items)


def read_api(path: Path, opts: Any) -> Iterator[dict]:
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise DataError(path, f"expected {API_EXPECTS}")
    n = 0
    for i, item in enumerate(doc["items"]):
        where = f"items[{i}]"
        if not isinstance(item, dict):
            n += 1
            yield failed(path, n, f"an item must be a JSON object, found {type(item).__name__}", where=where,
                         platform=PLATFORM)
            continue
        if item.get("kind") == "youtube#comment":  # a comments.list response
            n += 1
            yield _comment(path, n, item, where, None)
            continue
        snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
        n += 1
        yield _comment(path, n, snippet.get("topLevelComment", MISSING), f"{where}.snippet.topLevelComment",
                       snippet.get("videoId"))
        replies = item.get("replies") if isinstance(item.get("replies"), dict) else {}
        for j, reply in enumerate(replies.get("comments") or []):
            n += 1
            yield _comment(path, n, reply, f"{where}.replies.comments[{j}]", snippet.get("videoId"),
                           default_parent=item.get("id"))


def _comment(path: Path, n: int, comment: Any, where: str, video: Any, default_parent: Any = None) -> dict:
    if not isinstance(comment, dict) or not isinstance(comment.get("snippet"), dict):
        return failed(path, n, "no comment with a 'snippet' here", where=where, platform=PLATFORM, thread_id=video)
    s = comment["snippet"]
    text = s.get("textOriginal")
    if not isinstance(text, str) or not text.strip():
        text = _plain(s["textDisplay"]) if isinstance(s.get("textDisplay"), str) else s.get("textDisplay", MISSING)
    return record(path, n, text=text, text_field="textOriginal/textDisplay", id=comment.get("id"),
                  platform=PLATFORM, author=s.get("authorDisplayName"), created_at=s.get("publishedAt"),
                  time_field="publishedAt", thread_id=s.get("videoId", video),
                  parent_id=s.get("parentId", default_parent), where=where)


def _plain(display: str) -> str:
    """``textDisplay`` may be HTML (the API's default textFormat): line breaks kept, tags dropped."""
    text = re.sub(r"<br\s*/?>", "\n", display, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def takeout_columns(header: list[str]) -> dict[str, str] | None:
    """Our field -> the file's header, or None when the header is not a Takeout comments header."""
    norm = {" ".join(h.lower().split()): h for h in header}
    if not TAKEOUT_COLUMNS <= norm.keys():
        return None
    found = {"id": "comment id", "author": "channel id", "parent": "parent comment id", "post": "post id",
             "video": "video id", "text": "comment text"}
    cols = {k: norm[v] for k, v in found.items() if v in norm}
    cols["time"] = next((h for k, h in norm.items() if k.startswith("comment") and "timestamp" in k), None)
    return cols


def read_takeout(path: Path, opts: Any) -> Iterator[dict]:
    cols = takeout_columns(read_header(path))
    if cols is None:
        raise DataError(path, f"expected {TAKEOUT_EXPECTS}")
    for n, row in table_rows(path, delimiter=","):
        if isinstance(row, str):
            yield failed(path, n, row, unit="row", platform=PLATFORM)
            continue
        v = {key: row.get(header) if header else None for key, header in cols.items()}
        try:
            text = takeout_text(v.get("text") or "")
        except ValueError as e:
            yield failed(path, n, str(e), unit="row", id=v.get("id"), platform=PLATFORM, author=v.get("author"))
            continue
        yield record(path, n, text=text, text_field=cols["text"], id=v.get("id"), platform=PLATFORM,
                     author=v.get("author"), created_at=v.get("time"), time_field=cols.get("time") or "timestamp",
                     thread_id=v.get("video") or v.get("post"), parent_id=v.get("parent"), unit="row")


def takeout_text(cell: str) -> str:
    """The comment's text from Takeout's JSON segments.

    >>> takeout_text('{"text":"Thanks "},{"text":"PCC","link":{"linkUrl":"https://example.com"}}')
    'Thanks PCC'
    """
    raw = cell.strip()
    if not raw.startswith("{"):
        return cell
    try:
        parts = json.loads(f"[{raw}]", strict=False)  # strict=False: the CSV puts real newlines in strings
    except json.JSONDecodeError as e:
        raise ValueError(f"'Comment Text' is not Takeout's JSON segments ({e})") from e
    if len(parts) == 1 and isinstance(parts[0], dict) and isinstance(parts[0].get("takeoutSegments"), list):
        parts = parts[0]["takeoutSegments"]
    return "".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))
