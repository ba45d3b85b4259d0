"""Times as the platforms write them, normalised to ISO 8601 UTC ("2025-03-14T18:22:05Z").

>>> utc_iso("Wed Oct 10 20:19:24 +0000 2018"), utc_iso("2025-03-14T18:22:05+0000")
('2018-10-10T20:19:24Z', '2025-03-14T18:22:05Z')
>>> utc_iso("2025-07-01 09:00:00", uk_time())  # a UK summer time is BST, an hour ahead of UTC
'2025-07-01T08:00:00Z'
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
TWITTER_LEGACY = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"
UK_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


def utc_iso(value: Any, naive_tz: tzinfo = timezone.utc) -> str | None:
    """A time as ISO 8601 UTC ('2025-03-14T18:22:05Z'); None when empty; ValueError when unreadable.

    Reads ISO 8601 (any offset), Twitter's legacy form, UK day-first dates and Unix epochs; a time
    without an offset is taken to be in ``naive_tz``.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _from_epoch(value)
    elif isinstance(value, str):
        if not value.strip():
            return None
        moment = _parse_text(value.strip())
    else:
        raise ValueError(f"is {type(value).__name__}, not a date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_tz)
    return moment.astimezone(timezone.utc).strftime(ISO_UTC)


def _parse_text(text: str) -> datetime:
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in (TWITTER_LEGACY, *UK_FORMATS):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date and time (expected ISO 8601, e.g. 2025-03-14T18:22:05Z)")


def _from_epoch(seconds: float) -> datetime:
    if 1e12 <= seconds < 1e14:  # milliseconds
        seconds /= 1000
    if not 1e8 <= seconds < 1e11:
        raise ValueError(f"{seconds!r} is not a plausible Unix time")
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def uk_time() -> tzinfo:
    """Europe/London; if this machine has no time-zone database, the UK summer-time rule (since 1996)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/London")
    except Exception:  # ZoneInfoNotFoundError on machines without tzdata
        return _UKRule()


class _UKRule(tzinfo):
    """BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October."""

    def utcoffset(self, dt):
        start, end = (_last_sunday(dt.year, m) for m in (3, 10))
        naive = dt.replace(tzinfo=None)
        return timedelta(hours=1) if start + timedelta(hours=1) <= naive < end + timedelta(hours=1) else timedelta(0)

    def dst(self, dt):
        return self.utcoffset(dt)

    def tzname(self, dt):
        return "BST" if self.utcoffset(dt) else "GMT"


def _last_sunday(year: int, month: int) -> datetime:
    last = datetime(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)
