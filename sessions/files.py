"""The one way heartline writes and reads its own files.

Every file heartline makes (records, the journal's neighbours, settings,
exports, the index) goes through `write_private`: written to a temporary file
in the same folder, fsynced, made 0600 and moved into place, so a crash leaves
the old file or the new one, never half of either. Folders are made 0700 with
an explicit mode. A symlink is never followed to change a mode or to write
somewhere else: that is refused with a clear message.

Reading goes through `read_regular`: only a regular file is read (a FIFO or a
device would hang or never end), and only up to a size cap.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

MAX_READ_BYTES = 4 * 1024 * 1024  # a session file is a few KB; a 4 MB one is not ours


class FileRefused(OSError):
    """A path heartline will not write to or read from, and why (one plain line)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path, self.reason = str(path), reason


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; tighten an existing one to 0700.

    Parents that already exist are left alone: `HEARTLINE_HOME` may point into a
    folder the user shares on purpose. A symlink where a folder should be is refused.
    """
    path = Path(path)
    missing = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass  # made by someone else meanwhile
        else:
            _fsync_dir(folder.parent)  # a new folder is a new name in its parent: on disk once the parent is
        _tighten_dir(folder)
    _tighten_dir(path)
    return path


def _tighten_dir(folder: Path) -> None:
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        raise FileRefused(folder, "is a symbolic link; heartline keeps its files only in a real folder")
    if not stat.S_ISDIR(info.st_mode):
        raise FileRefused(folder, "is not a folder")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700, follow_symlinks=False)


def write_private(path: Path, data: bytes | str, *, overwrite: bool = True, private_dir: bool = True) -> Path:
    """Write `data` to `path` atomically as a 0600 file.

    `overwrite=False` refuses an existing file (FileExistsError). The parent
    folder is created 0700 when `private_dir` (heartline's own folders); an
    export to a folder the user chose is written into it as it is.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    parent = path.parent
    if private_dir:
        ensure_private_dir(parent)
    elif not parent.is_dir():
        raise FileRefused(parent, "is not a folder")
    if os.path.islink(path):
        raise FileRefused(path, "is a symbolic link; heartline will not write through it")
    if os.path.lexists(path):
        if not overwrite:
            raise FileExistsError(f"{path} already exists")
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise FileRefused(path, "is not a regular file")
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the name was taken meanwhile: no silent replace
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(parent)
    return path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_regular(path: Path, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them; FileRefused otherwise.

    Opened non-blocking and checked with fstat before reading, so a FIFO, a
    device or a symlink to /dev/zero named like a session file cannot hang us.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(path, "is not a regular file")
        if info.st_size > limit:
            raise FileRefused(path, f"is too large ({info.st_size:,} bytes; at most {limit:,})")
        chunks, size = [], 0
        while chunk := os.read(fd, 65536):
            size += len(chunk)
            if size > limit:
                raise FileRefused(path, f"is too large (more than {limit:,} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def move_no_replace(source: Path, target: Path) -> None:
    """Move `source` to `target` in the same file system, never replacing what is at `target`.

    FileExistsError when `target` is taken, even by a file made after the caller
    looked (a check then `os.replace` would overwrite it). A hard link takes the
    new name atomically; the old name goes only once the new one is on disk, so
    power lost at any moment leaves the file under one name or both, never
    neither. Where hard links are not allowed (a FAT stick), the new name is
    taken with O_EXCL first and only that empty file is replaced. Both folders
    are fsynced before this returns: the move does not come undone.
    """
    source, target = Path(source), Path(target)
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
            raise
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        try:
            os.replace(source, target)  # only over the empty file just made
        except BaseException:
            os.unlink(target)
            raise
        _fsync_dir(target.parent)
    else:
        _fsync_dir(target.parent)  # the new name is kept before the old one goes
        os.unlink(source)
    _fsync_dir(source.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in `folder` durable (where the platform allows)."""
    _fsync_dir(folder)


_listed: tuple[str, tuple[int, ...], list[str]] | None = None  # this process's last listing it may give again


def listed_names(folder: Path) -> list[str]:
    """`os.listdir(folder)`, given again without listing while the folder is as it was when last listed here.

    A start lists the sessions folder twice before its first frame (who began
    last time, then the journals left unfinished): years of sessions make that
    a history-sized cost. The folder's own times, inode and device say whether
    a name came or went since; a listing is kept only when it was taken after
    the folder last changed by more than its clock's step (whole seconds, as a
    FAT stick keeps them: 2.5 s; else 50 ms), so a change in the same step
    cannot hide behind an equal time. Raises as `os.listdir` does.
    """
    global _listed
    import time

    where = os.fspath(folder)
    before = os.stat(where)
    key = (before.st_mtime_ns, before.st_ctime_ns, before.st_ino, before.st_dev)
    if _listed is not None and _listed[:2] == (where, key):
        return list(_listed[2])
    names = os.listdir(where)
    after = os.stat(where)
    step = 2_500_000_000 if before.st_mtime_ns % 1_000_000_000 == 0 else 50_000_000
    settled = time.time_ns() - before.st_mtime_ns > step  # a name coming or going sets it
    same = (after.st_mtime_ns, after.st_ctime_ns, after.st_ino, after.st_dev) == key
    _listed = (where, key, list(names)) if settled and same else None
    return names
