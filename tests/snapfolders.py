"""Fixed snapshot folders, one test at a time across every checkout on this machine.

Snapshot pictures show the saved path, so the folders under /tmp have fixed
names. Two worktrees running the suite at once would wipe each other's
folders mid-test; an exclusive lock on the folder's own lock file keeps them
apart (the lock goes with the process, so a killed run leaves none behind).
"""

from __future__ import annotations

import fcntl
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def fixed_folder(home: Path) -> Iterator[Path]:
    """An empty `home` that no other run touches until the block ends."""
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f".{home.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            shutil.rmtree(home, ignore_errors=True)
            yield home
        finally:
            shutil.rmtree(home, ignore_errors=True)
            fcntl.flock(lock, fcntl.LOCK_UN)
