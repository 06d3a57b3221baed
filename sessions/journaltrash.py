"""Putting a journal away in `trash/`, and freeing the name its session took: never over a file that is there."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .files import ensure_private_dir, fsync_dir, move_no_replace, read_regular
from .journalfile import MAX_JOURNAL_BYTES, EmptyJournal, JournalError, parse
from .validate import JOURNAL_SUFFIX as SUFFIX


def remove_placeholder(path: Path) -> None:
    """Free a name taken for a session: its `.toml`, while still empty (a record written there stays)."""
    try:
        if os.lstat(path).st_size == 0:
            path.unlink()
    except FileNotFoundError:
        pass


def to_trash(path: Path, data: Path) -> Path:
    """Move a journal to `trash/` under a free name (never deleted), then free its session's empty name."""
    trash = ensure_private_dir(data / "trash")
    for n in range(1, 10_000):
        target = trash / (path.name if n == 1 else f"{path.stem}-{n}{SUFFIX}")
        try:
            move_no_replace(path, target)  # never over a file that is there, or appears meanwhile
        except FileExistsError:
            continue
        break
    else:
        raise JournalError(f"{trash} has no free name for {path.name}")
    remove_placeholder(path.with_suffix(".toml"))
    fsync_dir(path.parent)
    return target


def set_aside_empty(path: Path, data: Path) -> Path | None:
    """Put an empty journal away, holding its lock meanwhile; None when a heartline took it up (it is in use)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None
        try:
            parse(read_regular(path, MAX_JOURNAL_BYTES), str(path))
        except EmptyJournal:
            try:
                return to_trash(path, data)  # still empty under the lock: nobody is writing it
            except FileNotFoundError:
                return None  # a start that lost its race for the lock took its journal back
        except JournalError:
            return None
        return None  # written meanwhile: a session is starting; left to it
    finally:
        os.close(fd)
