"""Calm first: a ritual for going over a fight (`calm_first = true`) waits out the time-out's minimum.

A flooded body needs about twenty minutes to settle (DESIGN: "Flooding is
physical"); talking a fight over before then starts it again. The newest
time-out in the records (one taken back in its first seconds does not count)
says from when such a ritual may start.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..rituals import Ritual
from .terms import TIMEOUT_SECONDS


def last_time_out(records: list[dict[str, Any]]) -> datetime | None:
    """When the newest time-out in these records began (None: none taken)."""
    latest: datetime | None = None
    for rec in records:
        started = rec.get("started_at")
        if not isinstance(started, datetime) or started.tzinfo is None:
            continue
        began: float | None = None
        for event in rec.get("events", []):
            kind, offset = event.get("kind"), event.get("offset_seconds")
            if kind == "time-out" and isinstance(offset, (int, float)):
                if began is not None:
                    latest = max(latest or started, started + timedelta(seconds=began))
                began = float(offset)
            elif kind == "time-out-undone":
                began = None  # pressed by mistake and taken back: not a time-out
        if began is not None:
            latest = max(latest or started, started + timedelta(seconds=began))
    return latest


def calm_from(ritual: Ritual, records: list[dict[str, Any]], now: datetime,
              minimum: float = TIMEOUT_SECONDS) -> tuple[datetime, datetime] | None:
    """For a calm-first ritual still within a time-out's minimum: (when the time-out began, when it may start).

    None when the ritual may start now.
    """
    if not ritual.calm_first:
        return None
    began = last_time_out(records)
    if began is None:
        return None
    until = began + timedelta(seconds=minimum)
    return (began, until) if now < until else None
