"""The session record: one private TOML file a session, written atomically.

A record is a plain dict shaped exactly like DESIGN's "Session file". Loading
checks every key a reader relies on and says, naming the file, what is wrong;
keys it does not know are kept untouched, so later features can add their own
and older code still round-trips them. Writing goes through a 0600 temporary
file in the same folder and `os.replace`, so a crash leaves the old file or the
new one, never half of either.
"""

from __future__ import annotations

import copy
import math
import os
import re
import tomllib
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from .files import FileRefused, read_regular, write_private
from .paths import sessions_dir
from .tomlfile import parse_text

SCHEMA = 1
JOURNAL_SUFFIX = ".journal"
STATUSES = ("completed", "ended-early", "recovered")
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
    rnd, phase, by, planned, ended_by, blocked = (get("round"), get("phase"), get("by"), get("planned_seconds"),
                                                  get("ended_by"), get("interruptions_blocked"))
    return (rnd.__class__ is int and rnd >= 1 and phase.__class__ is str and bool(phase.strip())
            and by.__class__ is str and by in SIDES
            and planned.__class__ in (int, float) and 0 <= planned < math.inf
            and _seconds_as_written(get("started_offset_seconds")) and _seconds_as_written(get("actual_seconds"))
            and _seconds_as_written(get("overtime_seconds"))
            and ended_by.__class__ is str and bool(ended_by.strip()) and blocked.__class__ is int and blocked >= 0)


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
        for key in ("speaking_seconds", "overtime_seconds"):
            _seconds(partner, key, where)
        for key in ("interruptions_blocked", "reflections_confirmed_first_time"):
            _int(partner, key, where)

    for n, turn in enumerate(_tables(record, "turns"), 1):
        if _plain_turn(turn):
            continue  # as heartline writes it: every check below would pass and change nothing
        where = f"turns[{n}]."
        _int(turn, "round", where, lo=1)
        _str(turn, "phase", where, nonempty=True)
        _str(turn, "by", where, choices=SIDES)
        value = _get(turn, "planned_seconds", where)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise _Bad(f"{where}planned_seconds must be a number of seconds (0 or more), not {value!r}")
        for key in ("started_offset_seconds", "actual_seconds", "overtime_seconds"):
            _seconds(turn, key, where)
        _str(turn, "ended_by", where, nonempty=True)
        _int(turn, "interruptions_blocked", where)

    for n, event in enumerate(_tables(record, "events"), 1):
        if _plain_event(event):
            continue
        where = f"events[{n}]."
        _seconds(event, "offset_seconds", where)
        _str(event, "kind", where, nonempty=True)
        _str(event, "by", where, choices=SIDES + ("both",))

    for n, note in enumerate(_tables(record, "notes"), 1):
        where = f"notes[{n}]."
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


def _session_files(data: Path) -> list[Path]:
    folder = sessions_dir(data)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("."):
            continue  # a temporary file from a write in progress
        if path.with_suffix(JOURNAL_SUFFIX).exists() and _is_empty(path):
            continue  # a session in progress: its name is taken, its record not written yet
        out.append(path)
    return out


def _is_empty(path: Path) -> bool:
    try:
        return os.lstat(path).st_size == 0
    except OSError:
        return False


def scan(data: Path) -> tuple[dict[str, tuple[dict, Path]], list[StoreError]]:
    """Every readable session by its `id` (whatever its file name), and one error per file that is not.

    Two files holding one id are a conflict: the one named after the id (or the
    first) is used, and the other is reported naming both, never a crash.
    """
    found: dict[str, tuple[dict, Path]] = {}
    errors: list[StoreError] = []
    for path in _session_files(data):
        try:
            record = load_record(path)
        except StoreError as exc:
            errors.append(exc)
            continue
        sid = record["id"]
        if sid in found:
            kept = found[sid][1]
            if path.stem == sid and kept.stem != sid:
                found[sid], path, kept = (record, path), kept, path
            errors.append(StoreError(path, f"holds the same session ({sid}) as {kept.name}: a conflict, "
                                           f"{kept.name} is the one shown"))
            continue
        found[sid] = (record, path)
    return found, errors


def existing_ids(data: Path) -> set[str]:
    """Ids taken by a file name, a record inside a file, or a session in progress.

    Cheap with years of sessions: the names come from one listing of the
    folder, the ids inside the files from the index's small table when it is
    current (else the index reads what changed).
    """
    folder = sessions_dir(data)
    try:
        listed = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return set()
    names = {name.rpartition(".")[0] for name in listed
             if not name.startswith(".") and name.endswith((".toml", JOURNAL_SUFFIX))}
    return names | set(record_files(data))


def record_files(data: Path) -> dict[str, str]:
    """Each id held inside a session file, and the file's name (a session in progress holds none yet)."""
    from .index import record_files  # the index's small table when current, else it reads what changed

    return record_files(data)


def list_sessions(data: Path) -> tuple[list[dict], list[StoreError]]:
    """Every readable session, newest first, and one error per damaged file."""
    found, errors = scan(data)
    records = [record for record, _ in found.values()]
    records.sort(key=lambda r: (r["started_at"], r["id"]), reverse=True)
    return records, errors


def find_session(data: Path, session_id: str) -> Path:
    """The file holding an exact id, or the one id starting with `session_id` (ids are read from the files)."""
    wanted = (session_id or "").strip()
    folder = sessions_dir(data)
    if not wanted:
        raise StoreError(folder, "no session id given")
    from .index import load, path_of  # the index reads only the files that changed

    listing = load(data)
    errors = listing.errors
    paths = {e["id"]: path_of(data, e) for e in listing.entries}
    for problem in errors:  # a damaged file is still found by its name, so `show` can say what is wrong
        damaged = Path(problem.source)
        if damaged.suffix == ".toml" and damaged.stem not in paths and damaged.name not in {p.name for p in paths.values()}:
            paths[damaged.stem] = damaged
    if wanted in paths:
        return paths[wanted]
    matches = sorted(i for i in paths if i.startswith(wanted))
    if len(matches) == 1:
        return paths[matches[0]]
    if not matches:
        raise StoreError(folder, f"no session {wanted!r} (`heartline history` lists them)")
    shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
    raise StoreError(folder, f"{wanted!r} matches {len(matches)} sessions ({shown}): give more of the id")


# ----- writing ----------------------------------------------------------

def _slug(name: str, fallback: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:20].strip("-")
    return slug or fallback


def make_session_id(started_at: datetime, left: str, right: str, existing: set[str] | None = None) -> str:
    """Like "20261126-190512-alex-sam": sortable, readable, safe as a file name."""
    base = f"{started_at:%Y%m%d-%H%M%S}-{_slug(left or '', 'left')}-{_slug(right or '', 'right')}"
    taken = existing or set()
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _is_aot(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _to_toml(record: dict) -> str:
    """tomli_w, but every [[partners]], [[turns]], [[events]], [[notes]] as a block.

    tomli_w inlines short arrays of tables; DESIGN's file (and a person reading
    it) expects one `[[events]]` block an event, whatever the lengths.
    """
    chunks = [tomli_w.dumps({k: v for k, v in record.items() if not _is_aot(v)})]
    for key, tables in record.items():
        if not _is_aot(tables):
            continue
        flat = all(not any(isinstance(v, dict) or _is_aot(v) for v in t.values()) for t in tables)
        if flat and re.fullmatch(r"[A-Za-z0-9_-]+", key):
            chunks += [f"[[{key}]]\n{tomli_w.dumps(t)}" for t in tables]
        else:  # nested extras: let tomli_w lay them out
            chunks.append(tomli_w.dumps({key: tables}))
    return "\n".join(chunks)


def dumps_record(record: dict) -> str:
    """The record as TOML text, validated; StoreError instead of a bad file."""
    name = f"session {record.get('id', '?')!r}" if isinstance(record, dict) else "session"
    record = validate(copy.deepcopy(record), name)  # the caller's dict stays as it was
    try:
        text = _to_toml(record)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"session {record['id']!r}", f"cannot be written as TOML ({exc})") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError(f"session {record['id']!r}", "holds text that is not valid Unicode") from None
    try:
        tomllib.loads(text)  # belt and braces: never write what we could not read back
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"session {record['id']!r}", f"would not read back ({exc})") from None
    return text


def _write(path: Path, text: str) -> None:
    write_private(path, text)


def save_record(record: dict, data: Path) -> Path:
    """Write `<data>/sessions/<id>.toml` atomically and privately; return its path."""
    text = dumps_record(record)  # validates first: a bad record never reaches the disk
    path = sessions_dir(Path(data)) / f"{record['id']}.toml"
    if not os.path.lexists(path):  # renamed by hand? rewrite the file it lives in now
        from .index import load, path_of  # the index reads only the files that changed

        entry = load(Path(data)).by_id.get(record["id"])
        if entry is not None:
            path = path_of(Path(data), entry)
    _write(path, text)
    return path


def update_note_status(data: Path, session_id: str, note_index: int, status: str) -> dict:
    """Mark one note (say, a commitment kept) and rewrite its file atomically."""
    if status not in NOTE_STATUSES:
        raise StoreError(session_id, f"a note's status must be one of {', '.join(NOTE_STATUSES)}, not {status!r}")
    path = find_session(data, session_id)
    record = load_record(path)
    notes = record["notes"]
    if isinstance(note_index, bool) or not isinstance(note_index, int) or not 0 <= note_index < len(notes):
        raise StoreError(path, f"has no note number {note_index} (it has {len(notes)})")
    notes[note_index]["status"] = status
    _write(path, dumps_record(record))
    return record


def move_to_trash(data: Path, session_id: str, file_name: str | None = None) -> Path:
    """Move one session's file to `<data>/trash/` (never deleted: it can be moved back); the new path."""
    source = sessions_dir(Path(data)) / (file_name or f"{session_id}.toml")
    if not ID_RE.match(session_id) or source.suffix != ".toml" or source.parent != sessions_dir(Path(data)) \
            or not source.is_file():
        raise StoreError(source, "is not there any more")
    from .files import ensure_private_dir, fsync_dir

    trash = ensure_private_dir(Path(data) / "trash")
    target, n = trash / source.name, 1
    while os.path.lexists(target):  # an older trashed copy stays too
        n += 1
        target = trash / f"{source.stem}.{n}.toml"
    os.rename(source, target)
    fsync_dir(trash)
    fsync_dir(source.parent)
    return target
