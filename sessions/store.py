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
import os
import re
import tomllib
import unicodedata
from datetime import datetime
from pathlib import Path


from .files import write_private
from .paths import sessions_dir
from .validate import (  # noqa: F401 - the store's readers find these here too
    ID_RE, JOURNAL_SUFFIX, NOTE_STATUSES, SCHEMA, SIDES, STATUSES, StoreError, load_record, parse_record, validate,
)


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
    import tomli_w  # only when a record is written: not on the way to a first frame

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
    """Write a session file; one rewritten under its own name takes home's and start's kept answer with it.

    The empty file holding a session's name beside its journal is watched by
    its key (`recentcache._names`), so writing the record over it needs nothing.
    """
    from . import recentcache

    replaced = os.path.lexists(path) and not os.path.lexists(path.with_suffix(JOURNAL_SUFFIX))
    if replaced:
        recentcache.forget(path.parent.parent)
    write_private(path, text)
    if replaced:
        recentcache.forget(path.parent.parent)


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
    """Move one session's file to `<data>/trash/` (move it back to restore it); the new path.

    Its exports and its index row go at once: a session in the trash is no
    longer listed anywhere; `empty_trash` deletes it for good.
    """
    source = _session_path(data, session_id, file_name)
    from .files import ensure_private_dir, move_no_replace

    trash = ensure_private_dir(Path(data) / "trash")
    for n in range(1, 10_000):
        target = trash / (source.name if n == 1 else f"{source.stem}.{n}.toml")
        try:
            move_no_replace(source, target)  # an older trashed copy stays, even one put there meanwhile
        except FileExistsError:
            continue
        break
    else:
        raise StoreError(trash, f"has no free name for {source.name}")
    _forget(data, session_id)
    return target


# ----- deleting ---------------------------------------------------------

EXPORT_SUFFIXES = (".md", ".toml", ".svg")
TRASH = "trash"
EXPORTS = "exports"
# Said wherever something is deleted: what heartline removes, and what no program can promise to reach.
BEYOND_REACH = ("copies you saved elsewhere, in backups or synced folders, and what disk-recovery "
                "tools can still find, are beyond heartline's reach")


def exports_of(data: Path, session_id: str, other_ids: set[str] | frozenset[str] = frozenset()) -> list[Path]:
    """This session's files in `<data>/exports/` (`<id>.md`, `<id>-2.svg`, …), never another session's."""
    folder = Path(data) / EXPORTS
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    mine = re.compile(rf"{re.escape(session_id)}(-\d+)?")
    out = []
    for name in sorted(names):
        stem, dot, ext = name.rpartition(".")
        match = mine.fullmatch(stem) if dot and f".{ext}" in EXPORT_SUFFIXES else None
        if match and (not match.group(1) or stem not in other_ids):  # "<id>-2" may be another session's id
            out.append(folder / name)
    return out


def _forget(data: Path, session_id: str) -> list[Path]:
    """After a session's file has gone: its exports go too, and the index is written without its row."""
    from .index import load  # the index drops a vanished file and is written again at once

    gone = []
    others = set(record_files(data)) - {session_id}
    for path in exports_of(data, session_id, others):
        try:
            if path.is_symlink() or path.is_file():  # a link is removed, never followed
                path.unlink()
                gone.append(path)
        except FileNotFoundError:
            pass
    load(Path(data))
    return gone


def _session_path(data: Path, session_id: str, file_name: str | None) -> Path:
    source = sessions_dir(Path(data)) / (file_name or f"{session_id}.toml")
    if not ID_RE.match(session_id) or source.suffix != ".toml" or source.parent != sessions_dir(Path(data)) \
            or not source.is_file():
        raise StoreError(source, "is not there any more")
    return source


def delete_for_good(data: Path, session_id: str, file_name: str | None = None) -> Path:
    """Remove one session's file, its exports and its index row; the path that was removed."""
    from .files import fsync_dir

    source = _session_path(data, session_id, file_name)
    source.unlink()
    fsync_dir(source.parent)
    _forget(data, session_id)
    return source


def trash_dir(data: Path) -> Path:
    return Path(data) / TRASH


def trash_contents(data: Path) -> list[Path]:
    """What is in `<data>/trash/`: sessions moved there and unfinished sessions put away."""
    folder = trash_dir(data)
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names if not name.startswith(".")]


def empty_trash(data: Path) -> int:
    """Delete everything in the trash for good (a link is removed, never followed); how many went."""
    from .files import fsync_dir

    n = 0
    for path in trash_contents(data):
        try:
            if path.is_dir() and not path.is_symlink():
                continue  # heartline never makes folders there: a person's own, left alone
            path.unlink()
            n += 1
        except FileNotFoundError:
            pass
    if n:
        fsync_dir(trash_dir(data))
    return n
