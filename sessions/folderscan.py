"""The session files in a folder as they are now, one file an id: what the index checks itself against.

Below the index (`index.py`) and its caches (`trendcache.py`, `recentcache.py`), so each lists and
stat's the folder the same way; no record is read here.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .validate import JOURNAL_SUFFIX, StoreError


@contextmanager
def no_cycles_collected() -> Iterator[None]:
    """Pause Python's cycle collector while hundreds of thousands of small lists are made.

    They hold no cycles, yet each batch of new containers set off a
    collection that walked all the earlier ones: a third of loading 20,000
    sessions. Reference counting still frees everything as usual.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _key(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _scan(folder: Path) -> tuple[list[tuple[str, list[int]]], list[StoreError]]:
    """The session files in `folder` now, with their keys; a name that is not a regular file is a problem."""
    found: list[tuple[str, list[int]]] = []
    errors: list[StoreError] = []
    try:
        items = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return found, errors
    names = {item.name for item in items}
    for item in items:
        name = item.name
        if name.startswith(".") or not name.endswith(".toml"):
            continue  # a temporary file from a write in progress, or not ours
        try:
            info = item.stat()  # follows a link, as reading does
        except OSError:
            continue  # removed meanwhile
        if not stat.S_ISREG(info.st_mode):
            errors.append(StoreError(folder / name, "is not a regular file"))
            continue
        if info.st_size == 0 and name[:-5] + JOURNAL_SUFFIX in names:
            continue  # a session in progress: its name is taken, its record not written yet
        found.append((name, _key(info)))
    return found, errors


def _one_per_id(pairs: list[tuple[str, str]], folder: Path) -> tuple[dict[str, str], list[StoreError]]:
    """(file name, id) pairs to one file an id: the file named after it wins, else the first by name.

    As `store.scan` does; the other file is reported as a conflict, naming both.
    """
    chosen: dict[str, str] = {}
    errors: list[StoreError] = []
    for name, sid in sorted(pairs):
        kept = chosen.get(sid)
        if kept is None:
            chosen[sid] = name
            continue
        if name == f"{sid}.toml" and kept != name:
            chosen[sid], name = name, kept
        errors.append(StoreError(folder / name, f"holds the same session ({sid}) as {chosen[sid]}: "
                                                f"a conflict, {chosen[sid]} is the one shown"))
    return chosen, errors
