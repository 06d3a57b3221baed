"""Home's lines at once, however long the history: which sessions `index.recent` chose, kept until the folder changes.

`index.recent` answers "last time" and last time's commitments by listing and
stat'ing every session file (the index's test that nothing changed): at
20,000 sessions that is most of home's wait. `<data>/index-recent.json`
keeps its answer (the ids of the at most three sessions it chose and the
problems it reported), keyed by the sessions folder's own modification time
and inode: heartline writes a session by renaming a new file into the
folder, and a new, removed or renamed file changes the folder's time. The
chosen records themselves are always read afresh from their files.

What the folder's time cannot see (a file edited in place, by hand) the
caller checks just after: `recent()` gives the full answer, and home shows it
if it differs. The file goes whenever the index is written (`index._write`),
so it never names a session the index no longer does; one that cannot be
read, has the wrong shape or whose checksum does not match is not believed.

The folder's time also moves when nothing that matters did: a session's
journal and the empty file holding its name come and go beside the records.
So the answer also keeps a digest of the session files' names (journals
left out) and the size, time and inode of the files it chose and of each
`<id>.toml` that has a journal beside it: while those are as they were, no
file was added, removed, renamed or replaced by a rename, and it still
holds. That check lists the folder's names but stat's only those few files,
so a session can start (`answer`) with who began last time known at once.
A record rewritten under its own name (a session taken up again after a
time-out, a commitment marked) goes through `store`, which drops the answer
(`forget`) before and after it writes. A session saved by heartline is added
to the answer (`before_save`, `saved`) when nothing else in the folder
changed meanwhile, so the next start reads no other file either. Two
programs writing one folder within the same moment could slip past that
last check; the full answer (`recent`, run by home just after its frame)
puts it right.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .files import listed_names, read_regular, write_private
from .paths import sessions_dir
from .validate import ID_RE, JOURNAL_SUFFIX, StoreError, load_record

try:  # hashlib's own blake2b, without hashlib loading OpenSSL (before start's first frame: issue 17)
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b

NAME = "index-recent.json"  # `index.RECENT_NAME`: the index removes it whenever it is written
_JOURNAL = re.compile(rf"^([^\n]*){re.escape(JOURNAL_SUFFIX)}$", re.MULTILINE)
VERSION = 3  # 2: "last time" leaves out a run stopped before it began; 3: the names' digest and files' keys


def cache_path(data: Path) -> Path:
    return Path(data) / NAME


def _folder_key(data: Path) -> list[int] | None:
    try:
        info = os.stat(sessions_dir(Path(data)))
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_ino, info.st_dev]


def _listing(data: Path) -> list[str] | None:
    try:
        return listed_names(sessions_dir(Path(data)))  # the journals' check at start lists it no more
    except OSError:
        return None


def _names(data: Path, listed: list[str] | None = None) -> tuple[str, dict[str, list[int]]] | None:
    """A digest of every name in the sessions folder, and the key of each `<id>.toml` with a journal beside it."""
    folder = sessions_dir(Path(data))
    listed = _listing(data) if listed is None else listed
    if listed is None:
        return None
    # In the order the folder lists them, not sorted (a few milliseconds at 20,000): the same names listed in
    # another order only send the caller to the full answer. One string, searched at C speed.
    joined = "\n".join(listed)
    held = {}
    for stem in _JOURNAL.findall(joined) if JOURNAL_SUFFIX in joined else ():
        placeholder = folder / f"{stem}.toml"  # a session in progress (or just saved): watched by its key
        if os.path.lexists(placeholder):
            key = _file_key(placeholder)
            if key is None:
                return None
            held[placeholder.name] = key
    return blake2b(joined.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest(), held


def _file_key(path: Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _sum(body: dict) -> str:
    fields = [body[k] for k in ("version", "key", "names", "held", "ids", "files", "problems")]
    return blake2b(json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogateescape"),
                           digest_size=16).hexdigest()


def _key_list(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(type(x) is int for x in value)


def quick(data: Path, leave_out: frozenset[str] = frozenset()) -> tuple[list[dict[str, Any]], list[StoreError]] | None:
    """What `index.recent` last answered, with the records read again, while the files are as they were; else None.

    `leave_out`: names in the folder not looked at (a session's own while it is saved, `before_save`).
    """
    data = Path(data)
    key = _folder_key(data)
    if key is None:
        return None
    try:
        kept = json.loads(read_regular(cache_path(data), limit=1024 * 1024))
        if kept["version"] != VERSION or kept.get("sum") != _sum(kept):
            return None
        ids, problems, files, held = kept["ids"], kept["problems"], kept["files"], kept["held"]
        if not (all(isinstance(i, str) and ID_RE.match(i) for i in ids)
                and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in problems)
                and isinstance(files, list) and len(files) == len(ids) and all(_key_list(f) for f in files)
                and isinstance(held, dict) and all(_key_list(f) for f in held.values())):
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    folder = sessions_dir(data)
    if kept["key"] != key or leave_out:  # something in the folder changed: a journal, or a session file?
        listed = _listing(data)
        now = None if listed is None else _names(data, [n for n in listed if n not in leave_out] if leave_out else listed)
        if now is None or [now[0], now[1]] != [kept["names"], held]:
            return None
    if any(_file_key(folder / f"{sid}.toml") != f for sid, f in zip(ids, files)):
        return None  # a chosen file changed or went (a few stats: never another file's answer)
    records = []
    for sid in ids:
        try:
            record = load_record(folder / f"{sid}.toml")
        except StoreError:
            return None  # changed meanwhile: the full answer says how
        if record["id"] != sid:
            return None
        records.append(record)
    return records, [StoreError(source, problem) for source, problem in problems]


def answer(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]]:
    """`index.recent`'s answer: kept (`quick`) when the files are as they were, else found again (and kept)."""
    return quick(data) or recent(data)


def forget(data: Path) -> None:
    """Drop the kept answer: a session file is about to be, or was just, rewritten under its own name."""
    try:
        cache_path(data).unlink(missing_ok=True)
    except OSError:
        pass


def recent(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]]:
    """`index.recent`'s answer, kept for `quick` when the folder did not change while it was found."""
    data = Path(data)
    key = _folder_key(data)
    names = _names(data)
    from . import index  # not on the way to a start's first frame while the answer holds

    records, errors = index.recent(data)
    _keep(data, key, names, [r["id"] for r in records], errors)
    return records, errors


def _keep(data: Path, key: list[int] | None, names: tuple | None, ids: list[str], errors: list[StoreError]) -> None:
    """Write the answer for `quick`, unless the folder changed since `key` (then no stale answer is left behind)."""
    files = [_file_key(sessions_dir(data) / f"{sid}.toml") for sid in ids]  # `quick` reads them by id
    if key is None or names is None or None in files or _folder_key(data) != key:
        return
    body = {"version": VERSION, "key": key, "names": names[0], "held": names[1], "ids": ids, "files": files,
            "problems": [[e.source, e.problem] for e in errors]}
    body["sum"] = _sum(body)
    try:
        write_private(cache_path(data), json.dumps(body, ensure_ascii=False).encode("utf-8"))
        if _folder_key(data) != key:
            cache_path(data).unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


def before_save(data: Path, session_id: str) -> tuple | None:
    """Just before a session's record is written: the answer kept for the folder without the session's own files.

    The session took its name (an empty `<id>.toml`) and its journal after the
    answer was kept; left out, the rest must be exactly as it was. `saved`
    then adds the record to the answer, so the next start does not look at
    every file again.
    """
    own = frozenset((f"{session_id}.toml", f"{session_id}{JOURNAL_SUFFIX}"))
    kept = quick(data, leave_out=own)
    listed = _listing(data)
    if kept is None or listed is None:
        return None
    return kept, [n for n in listed if n not in own], session_id


def saved(data: Path, before: tuple | None) -> None:
    """Once the record is written and its journal gone: the answer of `before_save` with the new record in it.

    Kept only when the folder now lists exactly what it listed then, and the
    record under its own name; else the next start finds the answer again.
    """
    if before is None:
        return
    data = Path(data)
    (records, errors), listed_then, sid = before
    key = _folder_key(data)
    listed = _listing(data)
    mine = f"{sid}.toml"
    if listed is None or [n for n in listed if n != mine] != listed_then or mine not in listed:
        return
    try:
        record = load_record(sessions_dir(data) / mine)
    except StoreError:
        return
    if record["id"] != sid:
        return
    from . import index
    from .rows import COMMITMENTS, ID, T, end_timestamp, not_started, summarize

    shown = []
    for rec in records + [record]:
        row = summarize(rec)
        shown.append((row[T], row[ID], f"{row[ID]}.toml", len(row[COMMITMENTS]), end_timestamp(row),
                      not not_started(row)))
    _keep(data, key, _names(data, listed), [name[:-5] for name in index.choose(sorted(shown, reverse=True))], errors)


def same(one: tuple[list[dict[str, Any]], list[StoreError]], other: tuple[list[dict[str, Any]], list[StoreError]]) -> bool:
    """Whether two answers name the same sessions and the same problems."""
    return ([r["id"] for r in one[0]] == [r["id"] for r in other[0]]
            and [(e.source, e.problem) for e in one[1]] == [(e.source, e.problem) for e in other[1]])
