"""Time, in one place: stored as naive UTC, shown and grouped in local time.

Booths work by the local day ("today's sign-ups"), the store works in UTC so
records from stations in different settings compare correctly.
"""

from __future__ import annotations

import datetime as dt


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def local_today() -> dt.date:
    return dt.datetime.now().date()


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored naive-UTC moment as naive local time (for display)."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)


def local_day_bounds_utc(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day, as naive UTC."""
    start = dt.datetime.combine(day, dt.time()).astimezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone()
    utc = dt.timezone.utc
    return start.astimezone(utc).replace(tzinfo=None), end.astimezone(utc).replace(tzinfo=None)


def fmt_local(moment: dt.datetime) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")
