"""X (Twitter): API v2 response pages, and the ``tweets.js`` file of an account archive.

**API v2** (``x_api_v2``), as documented in the X developer docs (docs.x.com, "Conversation ID"
and the ``GET /2/tweets/search/recent`` response schema): a page is
``{"data": [post, ...], "includes": {"users": [...], "tweets": [...]}, "meta": {"result_count",
"next_token", ...}}``. A post has ``id``, ``text``, ``author_id``, ``created_at``
("2020-07-06T15:58:10.000Z"), ``conversation_id`` (the id of the post that started the thread) and
``referenced_tweets`` (``[{"type": "replied_to", "id": ...}]``); a post longer than 280 characters
carries its full text in ``note_tweet.text``. Mapping: ``author`` is the ``username`` of the user
in ``includes.users`` with that ``author_id`` (users from every page read together are pooled, so
paged files combine; the ``author_id`` itself when no page names the user), ``thread_id`` is
``conversation_id``, ``parent_id`` the ``replied_to`` id. ``includes.tweets`` are context (the
posts replied to), not records.

**Account archive** (``x_archive``): ``data/tweets.js`` of "Download an archive of your data" is
JavaScript, ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`` (as read by e.g. the Rust
``twitter-archive`` crate, docs.rs/twitter-archive). A tweet is the v1.1 object (developer.x.com
"Tweet object"): ``id_str``, ``full_text``, ``created_at`` ("Wed Oct 10 20:19:24 +0000 2018"),
``in_reply_to_status_id_str``. An archive holds one account's own posts and names no author in
them; ``author`` is the ``username`` from ``account.js`` beside the file when it is there, and
``thread_id`` is empty (the archive has no conversation id).

>>> rows = list(read_api(Path("data/exports/x_api_v2_replies.json"), ReadOptions()))
>>> rows[0]["platform"], rows[0]["created_at"].endswith("Z")
('x', True)
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import DataError
from pipeline.exports.records import MISSING, ReadOptions, failed, load_json, record

PLATFORM = "x"
ARCHIVE_PREFIX = re.compile(r"^\s*window\.YTD\.(\w+)\.part\d+\s*=\s*")
ARCHIVE_TWEET_PARTS = {"tweets", "tweet", "deleted_tweets"}
API_EXPECTS = "X API v2 JSON: an object with 'data' (posts with 'id', 'text', 'author_id') and 'includes.users'"
ARCHIVE_EXPECTS = "X archive tweets.js: 'window.YTD.tweets.part0 = [ {\"tweet\": {...}} ]'"


def looks_like_api(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    posts = doc.get("data")
    posts = [posts] if isinstance(posts, dict) else posts
    if isinstance(posts, list) and any(isinstance(p, dict) and ("author_id" in p or "conversation_id" in p
                                                                 or "edit_history_tweet_ids" in p) for p in posts):
        return True
    meta = doc.get("meta")
    return "includes" in doc or (isinstance(meta, dict) and "result_count" in meta)


def collect_users(paths: list[Path]) -> dict[str, str]:
    """``author_id`` -> username over every page, so a post finds its author on another page."""
    users: dict[str, str] = {}
    for path in paths:
        doc = load_json(path)
        includes = doc.get("includes") if isinstance(doc, dict) else None
        for user in (includes or {}).get("users") or []:
            if isinstance(user, dict) and user.get("id") is not None:
                users[str(user["id"])] = user.get("username") or user.get("name")
    return users


def read_api(path: Path, opts: ReadOptions) -> Iterator[dict]:
    doc = load_json(path)
    if not isinstance(doc, dict):
        raise DataError(path, f"expected {API_EXPECTS}; found a JSON {type(doc).__name__}")
    users = {**collect_users([path]), **opts.x_users}
    posts = doc.get("data") or []
    posts = [posts] if isinstance(posts, dict) else posts
    for n, post in enumerate(posts, start=1):
        where = f"data[{n - 1}]"
        if not isinstance(post, dict):
            yield failed(path, n, f"a post must be a JSON object, found {type(post).__name__}", where=where,
                         platform=PLATFORM)
            continue
        author_id = post.get("author_id")
        note = post.get("note_tweet")
        long_text = note.get("text") if isinstance(note, dict) else None
        text = long_text if isinstance(long_text, str) else post.get("text", MISSING)
        yield record(path, n, text=text, id=post.get("id"), platform=PLATFORM,
                     author=users.get(str(author_id), author_id) if author_id is not None else None,
                     created_at=post.get("created_at"), thread_id=post.get("conversation_id"),
                     parent_id=_replied_to(post.get("referenced_tweets")), where=where)


def _replied_to(refs: Any) -> str | None:
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to":
            return ref.get("id")
    return None


def archive_part(text_head: str) -> str | None:
    """The archive part name ('tweets', 'account', ...) when the text is an archive .js file."""
    match = ARCHIVE_PREFIX.match(text_head)
    return match.group(1) if match else None


def _load_archive(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError(path, f"not UTF-8 text ({e})") from e
    match = ARCHIVE_PREFIX.match(text)
    if not match:
        raise DataError(path, f"expected {ARCHIVE_EXPECTS}")
    try:
        return match.group(1), json.loads(text[match.end():].strip().rstrip(";"))
    except json.JSONDecodeError as e:
        raise DataError(path, f"the array after '{match.group(0).strip()}' is not valid JSON ({e})") from e


def _archive_owner(path: Path) -> str | None:
    account = path.with_name("account.js")
    if not account.is_file():
        return None
    try:
        _, items = _load_archive(account)
        return items[0]["account"]["username"]
    except (DataError, LookupError, TypeError):
        return None


def read_archive(path: Path, opts: ReadOptions) -> Iterator[dict]:
    part, items = _load_archive(path)
    if part not in ARCHIVE_TWEET_PARTS or not isinstance(items, list):
        raise DataError(path, f"an X archive '{part}' file, not tweets; expected {ARCHIVE_EXPECTS}")
    owner = _archive_owner(path)
    for n, item in enumerate(items, start=1):
        where = f"[{n - 1}]"
        tweet = item.get("tweet", item) if isinstance(item, dict) else item
        if not isinstance(tweet, dict):
            yield failed(path, n, f"expected {{\"tweet\": {{...}}}}, found {type(item).__name__}", where=where,
                         platform=PLATFORM)
            continue
        yield record(path, n, text=tweet.get("full_text", tweet.get("text", MISSING)), text_field="full_text",
                     id=tweet.get("id_str", tweet.get("id")), platform=PLATFORM, author=owner,
                     created_at=tweet.get("created_at"), parent_id=tweet.get("in_reply_to_status_id_str"),
                     where=where)
