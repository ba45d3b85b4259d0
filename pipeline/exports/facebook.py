"""Facebook: Graph API responses of a post's ``/comments`` edge (``facebook_graph``).

Structure followed: the Graph API reference for ``/{object-id}/comments`` and "Paginated Results"
(developers.facebook.com/docs/graph-api/reference/object/comments, .../graph-api/results): a
response is ``{"data": [comment, ...], "paging": {"cursors": {"before", "after"}, "next"}}``; a
comment has ``id``, ``message``, ``created_time`` ("2025-03-14T18:22:05+0000"), ``from``
(``{"name", "id"}``) and, when requested with ``fields=...,comments{...}``, its replies as the
same structure in ``comments`` (``{"data": [...], "paging": {...}}``).

Mapping: replies are flattened after their comment, depth first (file order); ``parent_id`` is the
comment replied to (or the reply's own ``parent.id`` when the response has it); ``author`` is
``from.name`` (absent when the app may not see the commenter: left empty, not an error).
Assumed, not documented: ``thread_id`` is the post part of the comment id, whose form is
``{post-id}_{comment-id}``. A comment without ``message`` (a sticker or photo alone) is a record
with ``read_error``, as the pipeline scores text only.

>>> rows = list(read(Path("data/exports/facebook_graph_comments.json"), None))
>>> rows[0]["platform"], rows[0]["parent_id"] is None
('facebook', True)
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.records import MISSING, failed, load_json, record

PLATFORM = "facebook"
EXPECTS = ("Facebook Graph API JSON: an object with 'data' (comments with 'id', 'message', 'created_time', "
           "'from') and 'paging'")
COMMENT_KEYS = {"message", "created_time", "from"}


def looks_like(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        return False
    if any(isinstance(c, dict) and COMMENT_KEYS & c.keys() for c in doc["data"]):
        return True
    return not doc["data"] and isinstance(doc.get("paging"), dict)


def read(path: Path, opts: Any) -> Iterator[dict]:
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise DataError(path, f"expected {EXPECTS}")
    yield from _flatten(path, doc["data"], "data", None, itertools.count(1))


def _flatten(path: Path, comments: list, where: str, parent: str | None, counter) -> Iterator[dict]:
    for i, comment in enumerate(comments):
        n, here = next(counter), f"{where}[{i}]"
        if not isinstance(comment, dict):
            yield failed(path, n, f"a comment must be a JSON object, found {type(comment).__name__}",
                         where=here, platform=PLATFORM, parent_id=parent)
            continue
        sender = comment.get("from") if isinstance(comment.get("from"), dict) else {}
        own_parent = comment.get("parent", {}).get("id") if isinstance(comment.get("parent"), dict) else None
        cid = comment.get("id")
        yield record(path, n, text=comment.get("message", MISSING), text_field="message", id=cid,
                     platform=PLATFORM, author=sender.get("name"), created_at=comment.get("created_time"),
                     time_field="created_time", thread_id=_post_of(cid), parent_id=own_parent or parent,
                     where=here)
        replies = comment.get("comments")
        if isinstance(replies, dict) and isinstance(replies.get("data"), list):
            yield from _flatten(path, replies["data"], f"{here}.comments.data", cid, counter)


def _post_of(comment_id: Any) -> str | None:
    if isinstance(comment_id, str) and "_" in comment_id:
        return comment_id.split("_", 1)[0]
    return None
