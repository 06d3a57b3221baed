"""Looking back: the gentle line about last time, and last time's commitments.

Pure functions over loaded records (newest first), so they are tested without
files. No streaks, no counting of missed weeks: heartline never pressures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .durations import human_duration
from .rows import record_not_started


def _day(when: datetime, today: date) -> str:
    days = (today - when.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return when.strftime("%A")
    return when.strftime("%-d %B")


def last_time(records: list[dict], today: date, ritual_names: dict[str, str] | None = None) -> str:
    """'last time: Sunday, speaker-listener, 24 min' — or '' when there is no last time.

    Last time is the session that ended last (of equals, the first given: the newest start); a run
    stopped before it began is not last time (`rows.never_began`, as for trends and who starts).
    """
    began = [r for r in records if not record_not_started(r)]
    if not began:
        return ""
    rec = max(began, key=lambda r: r["ended_at"])
    name = (ritual_names or {}).get(rec["protocol"], rec["protocol"])
    return f"last time: {_day(rec['started_at'], today)}, {name}, {human_duration(rec['duration_seconds'])}"


@dataclass(frozen=True)
class Commitment:
    session_id: str
    index: int  # position in that session's notes
    by: str  # side
    name: str
    text: str
    kept: bool


def last_commitments(records: list[dict]) -> list[Commitment]:
    """The commitments of the newest session that made any."""
    for rec in records:
        names = {p["side"]: p["name"] for p in rec["partners"]}
        found = [
            Commitment(rec["id"], i, n["by"], names.get(n["by"], n["by"]), n["text"], n.get("status") == "kept")
            for i, n in enumerate(rec["notes"])
            if n.get("kind") == "commitment"
        ]
        if found:
            return found
    return []


def agreed_return(records: list[dict], now: datetime) -> datetime | None:
    """The time the last session agreed to come back, offered again within a day of it; else None."""
    if not records or "agreed_return" not in records[0]:
        return None
    when = records[0]["agreed_return"]
    if not isinstance(when, datetime) or when.tzinfo is None:
        return None
    return when if timedelta(0) <= now - records[0]["ended_at"] <= timedelta(days=1) else None
