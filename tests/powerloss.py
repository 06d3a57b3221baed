"""A power-loss simulator for the tests, in the spirit of SQLite's crash tests (issue 20).

`Disk.recording(...)` stands in for the few calls the private writer (`sessions/files.py`) and the
journal (`sessions/journal.py`) make to change the disk: `open` (with O_CREAT), `mkstemp`, `write`,
`fsync` of a file, `fsync` of a folder, `rename`/`replace`, `link`, `unlink`. Each call goes through to
the real disk (so the code behaves exactly as it does for a person) and is recorded.

From the record, `Disk.crashes()` builds every state the disk could be in had the power failed after
each call, under the pessimistic POSIX model the promises are made against:

- a file's data is on the platter only up to its last `fsync`: what was written after may be lost,
  whole or in part (a write torn in the middle), or read back as zeros (the file's new size reached
  the disk, its data did not, as on ext4 with data=writeback or XFS after a crash);
- a change to a folder (a new name, a rename, a link, an unlink) is on the platter only once that
  folder was fsynced; until then any of the pending changes may have been kept or lost, in any
  combination (POSIX promises no order: the code must fsync a folder where order matters);
- a new folder is itself a new name in its parent folder: until that parent is fsynced it may be
  gone, and everything in it with it;
- what was there before the recording started was safely on disk.

Each state comes back as a real folder, so a test checks it with heartline's own readers, as the next
start would. Nothing sleeps; nothing is random.
"""

from __future__ import annotations

import itertools
import os
import pathlib
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heartline.sessions import files, journal, store

MAX_STATES_PER_POINT = 256  # a guard: the scenarios here stay far below it
FOLDER = 0  # the "file id" of a folder's name


@dataclass(frozen=True)
class Op:
    kind: str  # create | mkdir | write | fsync | fsyncdir | rename | link | unlink | mark
    path: str = ""  # relative to the disk's root (the source of a rename or link)
    to: str = ""  # the target of a rename or link
    fid: int = -1  # which file (not which name): a rename keeps it, a new file gets a new one
    data: bytes = b""
    mark: Any = None


@dataclass(frozen=True)
class Crash:
    """One state the power could have left: after `after` calls, with `marks` (the test's own notes) done."""

    after: int
    marks: tuple
    files: tuple  # ((relative path, bytes), …), sorted
    folders: tuple  # the folders there (a folder made but not yet made durable in its parent may be gone)
    how: str  # which folder changes and which file data made it, for the failure message

    def read(self, rel: str) -> bytes | None:
        return dict(self.files).get(rel)


@dataclass
class Disk:
    root: Path
    ops: list[Op] = field(default_factory=list)
    initial: dict[str, bytes] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)
    _names: dict[str, int] = field(default_factory=dict)  # the live names, to give each call its file
    _initial_fids: dict[str, int] = field(default_factory=dict)
    _fds: dict[int, tuple[str, Any]] = field(default_factory=dict)  # fd -> ("file", fid) | ("dir", rel)
    _next_fid: int = 0

    # ----- recording -----------------------------------------------------------------------------

    def _rel(self, path) -> str | None:
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            return None  # outside what this test watches
        return rel.as_posix()

    def _new_fid(self) -> int:
        self._next_fid += 1
        return self._next_fid

    def _snapshot(self) -> None:
        for here, dirs, names in os.walk(self.root):
            rel_dir = Path(here).relative_to(self.root).as_posix()
            self.folders.append(rel_dir)
            if rel_dir != ".":
                self._names[rel_dir] = FOLDER
            for name in names:
                path = Path(here) / name
                if stat.S_ISREG(os.lstat(path).st_mode):
                    rel = (Path(rel_dir) / name).as_posix() if rel_dir != "." else name
                    self.initial[rel] = path.read_bytes()
                    self._names[rel] = self._new_fid()
        self._initial_fids = {rel: fid for rel, fid in self._names.items()}

    def mark(self, mark: Any) -> None:
        """A note in the record: what the code under test has promised by now (an input taken, a save done)."""
        self.ops.append(Op("mark", mark=mark))

    def _opened(self, fd: int, path, created: bool) -> None:
        rel = self._rel(path)
        if rel is None:
            return
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            self._fds[fd] = ("dir", rel)
            return
        if created or rel not in self._names:
            self._names[rel] = self._new_fid()
            self.ops.append(Op("create", rel, fid=self._names[rel]))
        self._fds[fd] = ("file", self._names[rel])

    def _wrote(self, fd: int, data: bytes) -> None:
        kind, what = self._fds.get(fd, (None, None))
        if kind == "file" and data:
            self.ops.append(Op("write", fid=what, data=bytes(data)))

    def _synced(self, fd: int) -> None:
        kind, what = self._fds.get(fd, (None, None))
        if kind == "file":
            self.ops.append(Op("fsync", fid=what))
        elif kind == "dir":
            self.ops.append(Op("fsyncdir", what))

    def _moved(self, kind: str, src, dst) -> None:
        a, b = self._rel(src), self._rel(dst)
        if a is None or b is None:
            return
        fid = self._names.get(a, -1)
        if kind == "rename":
            self._names.pop(a, None)
        self._names[b] = fid
        self.ops.append(Op(kind, a, b, fid=fid))

    def _made_folder(self, path) -> None:
        rel = self._rel(path)
        if rel is not None:
            self._names[rel] = FOLDER
            self.ops.append(Op("mkdir", rel, fid=FOLDER))

    def _unlinked(self, path) -> None:
        rel = self._rel(path)
        if rel is not None:
            self._names.pop(rel, None)
            self.ops.append(Op("unlink", rel))

    @contextmanager
    def recording(self, monkeypatch) -> Iterator[Disk]:
        """Record every change heartline's writer and journal make under `root` while the block runs."""
        self._snapshot()
        disk = self
        real_os, real_tempfile, real_unlink = os, tempfile, pathlib.Path.unlink

        class File:
            """What `os.fdopen` gives the private writer: its writes are recorded too."""

            def __init__(self, fh) -> None:
                self._fh = fh

            def write(self, data):
                n = self._fh.write(data)
                self._fh.flush()  # what reaches the kernel is what may reach the disk
                disk._wrote(self._fh.fileno(), data)
                return n

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fd = self._fh.fileno()
                self._fh.close()
                disk._fds.pop(fd, None)

            def __getattr__(self, name):
                return getattr(self._fh, name)

        class RecordingOS:
            def __getattr__(self, name):
                return getattr(real_os, name)

            def open(self, path, flags, mode=0o777, *args, **kwargs):
                existed = real_os.path.lexists(path)
                fd = real_os.open(path, flags, mode, *args, **kwargs)
                disk._opened(fd, path, bool(flags & real_os.O_CREAT) and not existed)
                return fd

            def write(self, fd, data):
                n = real_os.write(fd, data)
                disk._wrote(fd, data[:n])
                return n

            def fsync(self, fd):
                real_os.fsync(fd)
                disk._synced(fd)

            def close(self, fd):
                real_os.close(fd)
                disk._fds.pop(fd, None)

            def fdopen(self, fd, *args, **kwargs):
                return File(real_os.fdopen(fd, *args, **kwargs))

            def replace(self, src, dst, **kwargs):
                real_os.replace(src, dst, **kwargs)
                disk._moved("rename", src, dst)

            def rename(self, src, dst, **kwargs):
                real_os.rename(src, dst, **kwargs)
                disk._moved("rename", src, dst)

            def link(self, src, dst, **kwargs):
                real_os.link(src, dst, **kwargs)
                disk._moved("link", src, dst)

            def unlink(self, path, **kwargs):
                real_os.unlink(path, **kwargs)
                disk._unlinked(path)

            remove = unlink

            def mkdir(self, path, *args, **kwargs):
                real_os.mkdir(path, *args, **kwargs)
                disk._made_folder(path)

        class RecordingTempfile:
            def __getattr__(self, name):
                return getattr(real_tempfile, name)

            def mkstemp(self, *args, **kwargs):
                fd, name = real_tempfile.mkstemp(*args, **kwargs)
                disk._opened(fd, name, True)
                return fd, name

        def unlink(path, missing_ok=False):
            try:
                real_unlink(path)
            except FileNotFoundError:
                if not missing_ok:
                    raise
                return
            disk._unlinked(path)

        fake = RecordingOS()
        monkeypatch.setattr(files, "os", fake)
        monkeypatch.setattr(journal, "os", fake)
        monkeypatch.setattr(store, "os", fake)  # moving a session to the trash
        monkeypatch.setattr(files, "tempfile", RecordingTempfile())
        monkeypatch.setattr(pathlib.Path, "unlink", unlink)
        try:
            yield self
        finally:
            monkeypatch.setattr(files, "os", real_os)
            monkeypatch.setattr(journal, "os", real_os)
            monkeypatch.setattr(store, "os", real_os)
            monkeypatch.setattr(files, "tempfile", real_tempfile)
            monkeypatch.setattr(pathlib.Path, "unlink", real_unlink)

    def kinds(self) -> list[str]:
        return [op.kind for op in self.ops if op.kind != "mark"]

    # ----- what the power could leave -------------------------------------------------------------

    def crashes(self) -> Iterator[Crash]:
        """Every distinct state after each call (from before the first to after the last)."""
        seen: set[tuple] = set()
        for k in range(len(self.ops) + 1):
            if k < len(self.ops) and self.ops[k].kind == "mark":
                continue  # a mark is not a call: the state after it is the state before it
            for crash in self._states_after(k):
                key = (crash.marks, crash.files, crash.folders)
                if key not in seen:
                    seen.add(key)
                    yield crash

    def _states_after(self, k: int) -> list[Crash]:
        names = dict(self._initial_fids)
        content: dict[int, bytes] = {fid: self.initial[rel] for rel, fid in names.items() if fid != FOLDER}
        last = next((op for op in reversed(self.ops[:k]) if op.kind != "mark"), None)
        synced = dict(content)
        pending: list[Op] = []  # folder changes not yet fsynced, in order
        marks: list = []
        for op in self.ops[:k]:
            if op.kind == "mark":
                marks.append(op.mark)
            elif op.kind == "write":
                content[op.fid] = content.get(op.fid, b"") + op.data
            elif op.kind == "fsync":
                synced[op.fid] = content.get(op.fid, b"")
            elif op.kind == "fsyncdir":
                kept = [p for p in pending if _touches(p, op.path)]
                for p in kept:
                    _apply(names, p)
                pending = [p for p in pending if p not in kept]
            else:
                content.setdefault(op.fid, b"")
                synced.setdefault(op.fid, b"")
                pending.append(op)
        states = []
        subsets = [kept for n in range(len(pending) + 1) for kept in itertools.combinations(pending, n)]
        for kept in subsets:
            world = dict(names)
            for p in kept:
                _apply(world, p)
            folders = {rel for rel, fid in world.items() if fid == FOLDER}
            # a name is there only if every folder above it is (a folder whose own name was lost takes its files)
            world = {rel: fid for rel, fid in world.items()
                     if fid != FOLDER and all(a in folders for a in _ancestors(rel))}
            folders = {rel for rel in folders if all(a in folders for a in _ancestors(rel))}
            choices = []
            for rel, fid in sorted(world.items()):
                done, now = synced.get(fid, b""), content.get(fid, b"")
                options = [done]
                if now != done:
                    if now.startswith(done) and len(now) - len(done) > 1:
                        options.append(now[: len(done) + (len(now) - len(done)) // 2])  # a torn write
                    if now.startswith(done):  # the size reached the disk, the data did not: zeros
                        options.append(done + b"\0" * (len(now) - len(done)))
                    options.append(now)
                choices.append([(rel, data, data == now) for data in options])
            combos = list(itertools.islice(itertools.product(*choices), MAX_STATES_PER_POINT + 1))
            assert len(combos) <= MAX_STATES_PER_POINT, "too many states: make the scenario smaller"
            for combo in combos:
                lost = [rel for rel, _, whole in combo if not whole]
                how = f"after {last.kind} {last.path or last.fid} {last.to}".rstrip() if last else "before any call"
                how += f"; of {len(pending)} folder changes not yet fsynced, kept: {[p.kind for p in kept]}"
                how += f"; unsynced data lost in {', '.join(lost)}" if lost else ""
                states.append(Crash(k, tuple(marks), tuple(sorted((rel, data) for rel, data, _ in combo)),
                                    tuple(sorted(folders)), how))
        return states

    def build(self, crash: Crash, where: Path) -> Path:
        """The crash state as a real folder at `where` (its folders as they were, its files as the power left them)."""
        if where.exists():
            shutil.rmtree(where)
        where.mkdir(parents=True, mode=0o700)
        for rel in crash.folders:
            (where / rel).mkdir(parents=True, exist_ok=True, mode=0o700)
        for rel, data in crash.files:
            path = where / rel
            path.write_bytes(data)
            os.chmod(path, 0o600)
        return where


def _touches(op: Op, folder: str) -> bool:
    return any(p and _parent(p) == folder for p in (op.path, op.to))


def _parent(rel: str) -> str:
    parent = Path(rel).parent.as_posix()
    return parent


def _ancestors(rel: str) -> list[str]:
    return [p.as_posix() for p in Path(rel).parents if p.as_posix() != "."]


def _apply(names: dict[str, int], op: Op) -> None:
    if op.kind in ("create", "mkdir"):
        names[op.path] = op.fid
    elif op.kind == "rename":  # kept even when the source's own new name was not: the file is there under the new
        fid = names.pop(op.path, op.fid)
        if fid != -1:
            names[op.to] = fid
    elif op.kind == "link":
        fid = names.get(op.path, op.fid)
        if fid != -1:
            names[op.to] = fid
    elif op.kind == "unlink":
        names.pop(op.path, None)
