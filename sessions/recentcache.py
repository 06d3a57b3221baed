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
read or has the wrong shape is not believed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import index
from .files import read_regular, write_private
from .paths import sessions_dir
from .validate import ID_RE, StoreError, load_record

VERSION = 2  # 2: "last time" leaves out a run stopped before it began


def cache_path(data: Path) -> Path:
    return Path(data) / index.RECENT_NAME


def _folder_key(data: Path) -> list[int] | None:
    try:
        info = os.stat(sessions_dir(Path(data)))
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_ino, info.st_dev]


def quick(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]] | None:
    """What `index.recent` last answered, with the records read again, while the folder is as it was; else None."""
    data = Path(data)
    key = _folder_key(data)
    if key is None:
        return None
    try:
        kept = json.loads(read_regular(cache_path(data), limit=1024 * 1024))
        if kept["version"] != VERSION or kept["key"] != key:
            return None
        ids, problems = kept["ids"], kept["problems"]
        if not (all(isinstance(i, str) and ID_RE.match(i) for i in ids)
                and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in problems)):
            return None
    except (OSError, ValueError, TypeError, KeyError):
        return None
    records = []
    for sid in ids:
        try:
            record = load_record(sessions_dir(data) / f"{sid}.toml")
        except StoreError:
            return None  # changed meanwhile: the full answer says how
        if record["id"] != sid:
            return None
        records.append(record)
    return records, [StoreError(source, problem) for source, problem in problems]


def recent(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]]:
    """`index.recent`'s answer, kept for `quick` when the folder did not change while it was found."""
    data = Path(data)
    key = _folder_key(data)
    records, errors = index.recent(data)
    ids = [r["id"] for r in records]
    named = all((sessions_dir(data) / f"{sid}.toml").is_file() for sid in ids)  # `quick` reads them by id
    if key is not None and named and _folder_key(data) == key:
        body = {"version": VERSION, "key": key, "ids": ids, "problems": [[e.source, e.problem] for e in errors]}
        try:
            write_private(cache_path(data), json.dumps(body, ensure_ascii=False).encode("utf-8"))
            if _folder_key(data) != key:  # written while the folder changed: no stale answer left behind
                cache_path(data).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass
    return records, errors


def same(one: tuple[list[dict[str, Any]], list[StoreError]], other: tuple[list[dict[str, Any]], list[StoreError]]) -> bool:
    """Whether two answers name the same sessions and the same problems."""
    return ([r["id"] for r in one[0]] == [r["id"] for r in other[0]]
            and [(e.source, e.problem) for e in one[1]] == [(e.source, e.problem) for e in other[1]])
