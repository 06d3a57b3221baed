"""A session file as read: every key a reader relies on checked, a damaged or hostile file refused with why.

Lower than the store and the index, which both read records through it.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from .files import FileRefused, read_regular
from .keep import strip
from .tomlfile import parse_text

SCHEMA = 2  # schema 2 (issue 16): no per-partner counters, no blocked keys, no note authors; schema 1 still reads
JOURNAL_SUFFIX = ".journal"
STATUSES = ("completed", "ended-early", "recovered", "not-started")
SIDES = ("left", "right")
NOTE_STATUSES = ("open", "kept")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


class StoreError(Exception):
    """A session file (or record) that cannot be used, and exactly why."""

    def __init__(self, source: str | Path, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{source}: {problem}")


# ----- validation -------------------------------------------------------

class _Bad(Exception):
    """Raised inside the checks; turned into a StoreError naming the file."""


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "a table", datetime: "a date-time"}.get(type(value), type(value).__name__)


def _get(table: dict, key: str, where: str) -> Any:
    if key not in table:
        raise _Bad(f"{where}{key} is missing")
    return table[key]


def _str(table: dict, key: str, where: str = "", choices: tuple[str, ...] = (), nonempty: bool = False) -> str:
    value = _get(table, key, where)
    if not isinstance(value, str):
        raise _Bad(f"{where}{key} must be text, not {_kind(value)}")
    if choices and value not in choices:
        raise _Bad(f"{where}{key} must be one of {', '.join(choices)}, not {value!r}")
    if nonempty and not value.strip():
        raise _Bad(f"{where}{key} is empty")
    return value


def _int(table: dict, key: str, where: str = "", lo: int = 0, hi: int | None = None, optional: bool = False) -> None:
    if optional and key not in table:
        return
    value = _get(table, key, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{where}{key} must be a whole number, not {_kind(value)}")
    if value < lo or (hi is not None and value > hi):
        span = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise _Bad(f"{where}{key} must be {span}, not {value}")


def _seconds(table: dict, key: str, where: str = "") -> None:
    """A non-negative number of seconds; a whole number is read as a float."""
    value = _get(table, key, where)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Bad(f"{where}{key} must be a number, not {_kind(value)}")
    if not math.isfinite(value) or value < 0:
        raise _Bad(f"{where}{key} must be a number of seconds (0 or more), not {value}")
    table[key] = float(value)


def _when(table: dict, key: str) -> datetime:
    value = _get(table, key, "")
    if not isinstance(value, datetime):
        raise _Bad(f"{key} must be a date-time like 2026-11-26T19:05:12+01:00, not {_kind(value)}")
    offset = value.utcoffset()
    if offset is None:
        raise _Bad(f"{key} must include a time zone offset (like +01:00)")
    if offset.total_seconds() % 60:
        raise _Bad(f"{key} has a time zone offset that is not whole minutes")
    return value


def _tables(record: dict, key: str, required: bool = False) -> list[dict]:
    if key not in record:
        if required:
            raise _Bad(f"{key} is missing")
        record[key] = []
    value = record[key]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _Bad(f"{key} must be a list of [[{key}]] tables")
    return value


_ANYONE = SIDES + ("both",)


def _seconds_as_written(value: object) -> bool:
    """A float of seconds, finite and not negative (NaN fails both comparisons): nothing to say or convert."""
    return value.__class__ is float and 0.0 <= value < math.inf  # type: ignore[operator]


def _plain_turn(turn: dict) -> bool:
    """The checks of a [[turns]] table in one go, for the usual case; False sends it through them one by one.

    Reading years of sessions validates tens of thousands of turns: this is
    the same verdict for a well-formed turn at a fraction of the cost, and
    anything unusual (a whole number of seconds to convert, a problem to
    name) takes the long way.
    """
    get = turn.get
    rnd, phase, by, planned, ended_by = (get("round"), get("phase"), get("by"), get("planned_seconds"),
                                         get("ended_by"))
    return (rnd.__class__ is int and rnd >= 1 and phase.__class__ is str and bool(phase.strip())
            and by.__class__ is str and by in SIDES and get("floor", by) in SIDES
            and planned.__class__ in (int, float) and 0 <= planned < math.inf
            and _seconds_as_written(get("started_offset_seconds")) and _seconds_as_written(get("actual_seconds"))
            and _seconds_as_written(get("overtime_seconds"))
            and ended_by.__class__ is str and bool(ended_by.strip()))


def _plain_event(event: dict) -> bool:
    """The checks of an [[events]] table in one go, as `_plain_turn`."""
    kind, by = event.get("kind"), event.get("by")
    return (_seconds_as_written(event.get("offset_seconds")) and kind.__class__ is str and bool(kind.strip())
            and by.__class__ is str and by in _ANYONE)


def _check(record: dict) -> None:
    """Validate (and normalise seconds to floats) in place; raise _Bad."""
    schema = _get(record, "schema", "")
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise _Bad(f"schema must be a whole number, not {_kind(schema)}")
    if schema > SCHEMA:
        raise _Bad(f"was written by a newer heartline (schema {schema}); update heartline to read it")
    if schema < 1:
        raise _Bad(f"schema must be 1 or more, not {schema}")
    strip(record)  # a schema-1 file's per-partner counters, blocked keys and note authors are never read
    sid = _str(record, "id")
    if not ID_RE.match(sid):
        raise _Bad(f"id must be letters, digits, '.', '_' and '-' (it names the file), not {sid!r}")
    _str(record, "app_version")
    _str(record, "protocol", nonempty=True)
    _str(record, "topic")
    started, ended = _when(record, "started_at"), _when(record, "ended_at")
    if ended < started:
        raise _Bad("ended_at is earlier than started_at")
    _str(record, "status", choices=STATUSES)
    if "outcome" in record:  # a talk that ended somewhere of its own: "not-solvable-today"
        _str(record, "outcome", nonempty=True)
    _seconds(record, "duration_seconds")

    settings = _get(record, "settings", "")
    if not isinstance(settings, dict):
        raise _Bad(f"settings must be a [settings] table, not {_kind(settings)}")
    for key, lo in (("speak_seconds", 1), ("reflect_seconds", 1), ("rounds", 1), ("grace_seconds", 0)):
        _int(settings, key, "settings.", lo=lo)

    partners = _tables(record, "partners", required=True)
    if len(partners) != 2:
        raise _Bad(f"partners must hold exactly two [[partners]] tables, not {len(partners)}")
    for n, (partner, side) in enumerate(zip(partners, SIDES), 1):
        where = f"partners[{n}]."
        if _str(partner, "side", where) != side:
            raise _Bad(f"{where}side must be {side!r} (left first, then right), not {partner['side']!r}")
        _str(partner, "name", where, nonempty=True)
        for key in ("mood_before", "mood_after"):
            _int(partner, key, where, lo=1, hi=5, optional=True)
        if "speaking_seconds" in partner:  # schema 1 (schema 2 reads each one's floor time from the turns)
            _seconds(partner, "speaking_seconds", where)

    for n, turn in enumerate(_tables(record, "turns"), 1):
        if _plain_turn(turn):
            continue  # as heartline writes it: every check below would pass and change nothing
        where = f"turns[{n}]."
        _int(turn, "round", where, lo=1)
        _str(turn, "phase", where, nonempty=True)
        _str(turn, "by", where, choices=SIDES)
        if "floor" in turn:  # a saying-back held on the speaker's floor (a ritual where the speaker keeps it)
            _str(turn, "floor", where, choices=SIDES)
        value = _get(turn, "planned_seconds", where)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise _Bad(f"{where}planned_seconds must be a number of seconds (0 or more), not {value!r}")
        for key in ("started_offset_seconds", "actual_seconds", "overtime_seconds"):
            _seconds(turn, key, where)
        _str(turn, "ended_by", where, nonempty=True)

    for n, event in enumerate(_tables(record, "events"), 1):
        if _plain_event(event):
            continue
        where = f"events[{n}]."
        _seconds(event, "offset_seconds", where)
        _str(event, "kind", where, nonempty=True)
        _str(event, "by", where, choices=SIDES + ("both",))

    for n, note in enumerate(_tables(record, "notes"), 1):
        where = f"notes[{n}]."
        if "by" in note:  # a commitment's owner (schema 1 named every note's author: not read)
            _str(note, "by", where, choices=SIDES + ("both",))
        _str(note, "kind", where, nonempty=True)
        _str(note, "text", where)
        if "status" in note:
            _str(note, "status", where, choices=NOTE_STATUSES)


def validate(record: dict, source: str | Path = "session") -> dict:
    """The record, checked and with seconds as floats; StoreError if unusable."""
    if not isinstance(record, dict):
        raise StoreError(source, "is not a table of session data")
    try:
        _check(record)
    except _Bad as exc:
        raise StoreError(source, str(exc)) from None
    return record


# ----- reading ----------------------------------------------------------

def parse_record(text: str | bytes, source: str | Path = "session") -> dict:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if not raw.strip():
        raise StoreError(source, "is empty")
    if b"\x00" in raw and _utf8(raw):
        raise StoreError(source, "is damaged, because it is not a text file (it has NUL bytes)")
    try:
        data = parse_text(raw)
    except ValueError as exc:
        raise StoreError(source, f"is damaged, because it {exc}") from None
    if "schema" not in data:
        raise StoreError(source, "has no schema key: it is not a heartline session file")
    try:
        return validate(data, source)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile value is that file's problem, not the app's
        raise StoreError(source, f"is damaged, because it could not be checked ({type(exc).__name__})") from None


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def load_record(path: Path) -> dict:
    """Read and validate one session file; StoreError naming the file otherwise.

    Only a regular file is read, and only up to a size cap (a FIFO or a link
    to /dev/zero named like a session would otherwise hang every command).
    """
    path = Path(path)
    try:
        raw = read_regular(path)
    except FileRefused as exc:
        raise StoreError(path, exc.reason) from None
    except OSError as exc:
        raise StoreError(path, f"cannot be read ({exc.strerror or exc})") from None
    return parse_record(raw, path)
