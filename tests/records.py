"""A valid session record to start tests from (DESIGN's example, filled in)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

CET = timezone(timedelta(hours=1))

_BASE = {
    "schema": 1,
    "id": "20261126-190512-alex-sam",
    "app_version": "0.1.0",
    "protocol": "speaker-listener",
    "topic": "How we spend the holidays",
    "started_at": datetime(2026, 11, 26, 19, 5, 12, tzinfo=CET),
    "ended_at": datetime(2026, 11, 26, 19, 31, 40, tzinfo=CET),
    "status": "completed",
    "duration_seconds": 1588.2,
    "settings": {"speak_seconds": 120, "reflect_seconds": 60, "rounds": 2, "grace_seconds": 15},
    "partners": [
        {"side": "left", "name": "Alex", "mood_before": 3, "mood_after": 4, "speaking_seconds": 402.1,
         "overtime_seconds": 12.3, "interruptions_blocked": 2, "reflections_confirmed_first_time": 1},
        {"side": "right", "name": "Sam", "mood_before": 2, "mood_after": 4, "speaking_seconds": 380.0,
         "overtime_seconds": 0.0, "interruptions_blocked": 0, "reflections_confirmed_first_time": 2},
    ],
    "turns": [
        {"round": 1, "phase": "speak", "by": "left", "started_offset_seconds": 0.0, "planned_seconds": 120,
         "actual_seconds": 131.2, "overtime_seconds": 11.2, "ended_by": "done", "interruptions_blocked": 1},
        {"round": 1, "phase": "reflect", "by": "right", "started_offset_seconds": 131.2, "planned_seconds": 60,
         "actual_seconds": 48.0, "overtime_seconds": 0.0, "ended_by": "done", "interruptions_blocked": 0},
    ],
    "events": [
        {"offset_seconds": 42.5, "kind": "interruption-blocked", "by": "right"},
        {"offset_seconds": 300.0, "kind": "pause", "by": "both"},
    ],
    "notes": [
        {"by": "right", "kind": "parking-lot", "text": "ask about the flights"},
        {"by": "left", "kind": "commitment", "text": "book the train", "status": "open"},
    ],
}


def make_record(**overrides) -> dict:
    """A fresh, valid record; keyword arguments replace top-level keys."""
    record = copy.deepcopy(_BASE)
    record.update(overrides)
    return record


def as_read(record: dict) -> dict:
    """`record` as heartline reads it back: a schema-1 file's per-partner counters, blocked keys and note
    authors left out (issue 16)."""
    from heartline.sessions.keep import strip

    return strip(copy.deepcopy(record))
