"""A session's summary as the index keeps it: a compact positional row, its fields, and the check of its shape."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from .keep import floor_seconds
from .validate import SIDES

# A summary row, in this order (the index stores all but the file name, which its table already holds).
FIELDS = ("id", "started_at", "ended_at", "t", "protocol", "topic", "topic_deck", "status", "duration_seconds",
          "notes", "events", "commitments", "left", "right", "words", "file")
(ID, STARTED, ENDED, T, PROTOCOL, TOPIC, DECK, STATUS, DURATION, NOTES, EVENTS, COMMITMENTS, LEFT, RIGHT,
 WORDS, FILE) = range(len(FIELDS))
# WORDS: the notes' words, one a line, for Past sessions' filter; only what the record keeps (with keep =
# "words", or topics for later both said yes to): a record of its shape alone has none.
# A partner, left then right, in this order; None where the record has no such key (TOML has no null).
# No per-partner counters (DESIGN's "Care"); `speaking_seconds` is each one's floor time, read from the turns.
PARTNER_KEYS = ("name", "mood_before", "mood_after", "feeling_before", "feeling_after", "speaking_seconds")
(P_NAME, P_MOOD_BEFORE, P_MOOD_AFTER, P_FEELING_BEFORE, P_FEELING_AFTER, P_SPEAKING) = range(len(PARTNER_KEYS))
_POS = {name: n for n, name in enumerate(FIELDS)}
# The table of files: [name, size, mtime_ns, inode, id, t, commitments, problem, end, began]; id, t,
# commitments, end (when it ended, a timestamp) and began (not `not_started`) are None for a damaged file,
# problem None for a readable one.
K_NAME, K_SIZE, K_MTIME, K_INO, K_ID, K_T, K_COMMITMENTS, K_PROBLEM, K_END, K_BEGAN = range(10)


def partner(side: str, values: list) -> dict[str, Any]:
    """One partner's summary as a dict, as the record has it (absent keys left out)."""
    out: dict[str, Any] = {"side": side}
    for key, value in zip(PARTNER_KEYS, values):
        if value is not None:
            out[key] = value
    return out


class Row(list):
    """One session's summary as a compact list (positions `ID` … `FILE`); `row["topic"]` reads by name too.

    Loops that read every row unpack it (fast); everything else may use names.
    `row["partners"]` gives the two partners as dicts, left first.
    """

    __slots__ = ()

    def __getitem__(self, key):  # type: ignore[override]
        if key.__class__ is str:
            if key == "partners":
                return [partner(side, list.__getitem__(self, pos)) for side, pos in zip(SIDES, (LEFT, RIGHT))]
            return list.__getitem__(self, _POS[key])
        return list.__getitem__(self, key)

    def __setitem__(self, key, value) -> None:  # type: ignore[override]
        list.__setitem__(self, _POS[key] if key.__class__ is str else key, value)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in _POS or key == "partners" else default


def never_began(status: str, floor: tuple[float, float]) -> bool:
    """A run stopped before a first turn ended: status "not-started" or, in a file from before that status, one
    that did not complete and where nobody held the floor. Past sessions lists it; no figure counts it, and it is
    never "last time" nor who began last (one rule for trends, home and who starts)."""
    return status == "not-started" or (status != "completed" and not any(floor))


def not_started(row: list) -> bool:
    """`never_began` for a summary row."""
    return never_began(row[STATUS], (row[LEFT][P_SPEAKING], row[RIGHT][P_SPEAKING]))


def record_not_started(record: dict) -> bool:
    """`never_began` for a record (a dict, as read or built)."""
    return never_began(record.get("status", ""), floor_seconds(record))


def summarize(record: dict, file: str = "") -> Row:
    """What looking back needs from one validated record, as a row of JSON-able values."""
    events = Counter(e["kind"] for e in record["events"])
    left, right = ([p.get(k) for k in PARTNER_KEYS[:-1]] + [seconds]
                   for p, seconds in zip(record["partners"], floor_seconds(record)))
    return Row((
        record["id"],
        record["started_at"].isoformat(),
        record["ended_at"].isoformat(),
        record["started_at"].timestamp(),
        record["protocol"],
        record["topic"],
        record.get("topic_deck", ""),
        record["status"],
        record["duration_seconds"],
        len(record["notes"]),
        dict(events),
        [[i, n.get("by", "both"), n["text"], n.get("status", "open")]
         for i, n in enumerate(record["notes"]) if n["kind"] == "commitment"],
        left,
        right,
        "\n".join(n["text"] for n in record["notes"]),
        file,
    ))


_TYPES = (str, str, str, (int, float), str, str, str, str, (int, float), int, dict, list, list, list, str)
_NUMBER = (int, float)


def _well_formed_partner(p: object) -> bool:
    if not (isinstance(p, list) and len(p) == len(PARTNER_KEYS) and isinstance(p[P_NAME], str)):
        return False
    for n in (P_MOOD_BEFORE, P_MOOD_AFTER):
        if p[n] is not None and (not isinstance(p[n], int) or isinstance(p[n], bool)):
            return False
    for n in (P_FEELING_BEFORE, P_FEELING_AFTER):
        if p[n] is not None and not isinstance(p[n], str):
            return False
    return isinstance(p[P_SPEAKING], _NUMBER) and not isinstance(p[P_SPEAKING], bool)


def _well_formed(row: object) -> bool:
    """A check that a row read from the index has the shape `summarize` gives (for an index not as written)."""
    if not isinstance(row, list) or len(row) != FILE:
        return False
    for value, kind in zip(row, _TYPES):
        if not isinstance(value, kind) or isinstance(value, bool):
            return False
    if not (_well_formed_partner(row[LEFT]) and _well_formed_partner(row[RIGHT])):
        return False
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in row[EVENTS].values()):
        return False
    if not all(isinstance(c, list) and len(c) == 4 and isinstance(c[3], str) for c in row[COMMITMENTS]):
        return False
    try:
        datetime.fromisoformat(row[STARTED])
        datetime.fromisoformat(row[ENDED])
    except ValueError:
        return False
    return True


def _well_formed_key(key: object) -> bool:
    if not (isinstance(key, list) and len(key) == 10 and isinstance(key[K_NAME], str)):
        return False
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in key[K_SIZE:K_ID]):
        return False
    if key[K_PROBLEM] is None:
        return (isinstance(key[K_ID], str) and isinstance(key[K_T], _NUMBER) and not isinstance(key[K_T], bool)
                and isinstance(key[K_COMMITMENTS], int)
                and isinstance(key[K_END], _NUMBER) and not isinstance(key[K_END], bool)
                and isinstance(key[K_BEGAN], bool))
    return isinstance(key[K_PROBLEM], str) and key[K_ID] is None


def end_timestamp(row: list) -> float:
    """When a summarised session ended, as a timestamp (its row keeps the date-time as text)."""
    return datetime.fromisoformat(row[ENDED]).timestamp()
