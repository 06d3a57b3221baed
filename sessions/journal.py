"""The journal: the session in progress, on disk as it happens.

A session's file name is taken exclusively when it starts (`<id>.toml`,
created empty with O_CREAT|O_EXCL, as git takes `index.lock`), so two sessions
started in the same second get two ids. Beside it, `<id>.journal` holds one
JSON header line (ritual id and content, names, settings, start time, app
version) and then one line per engine input, each flushed and fsynced as it
is written. The record is built by replaying the journal, so what is saved is
what happened; the journal is removed only after the record is safely written.

A journal whose session is still open is locked (flock) by its process; one
that is not locked after a crash, a power cut or a failed save is
"unfinished", and the next start offers it: resume (within a day, from the
phase it was in), save it as `recovered`, or put it away in `trash/`.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import keep, store
from .clock import Clock, ManualClock
from .engine import Engine, Stage
from .files import ensure_private_dir, fsync_dir, listed_names, read_regular, write_private
from .paths import sessions_dir
from .journaltrash import remove_placeholder as _remove_placeholder, set_aside_empty, to_trash
from .journalfile import (  # noqa: F401 - the journal's readers find these here too
    FORMAT, MAX_JOURNAL_BYTES, EmptyJournal, JournalError, header, parse, rebuild, ritual_from_dict, ritual_to_dict,
)

SUFFIX = store.JOURNAL_SUFFIX
RESUME_WITHIN = timedelta(hours=24)


# ----- taking a name -------------------------------------------------------------

def reserve_id(data: Path, started_at: datetime, left: str, right: str, taken: set[str] | None = None) -> str:
    """Take `<id>.toml` exclusively; the next free id if another session took this one first.

    `taken` is what is already known to be used; by default every id, read from
    the index (`store.existing_ids`). With an empty set only the names in the
    folder count (`<id>.toml` taken with O_EXCL, no `<id>.journal`): nothing is
    read, so a session can start before the index answers, and `Journal.rename`
    moves it later if a record inside a file turns out to hold the same id.
    """
    folder = ensure_private_dir(sessions_dir(Path(data)))
    taken = store.existing_ids(Path(data)) if taken is None else set(taken)
    for _ in range(1000):
        sid = free_id(folder, started_at, left, right, taken)
        taken.add(sid)
        try:
            fd = os.open(folder / f"{sid}.toml", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue  # another session took it just now
        os.close(fd)
        return sid
    raise JournalError(f"{folder}: no free session name for {started_at:%Y-%m-%d %H:%M:%S}")


def free_id(folder: Path, started_at: datetime, left: str, right: str, taken: set[str]) -> str:
    """An id nothing in `taken` uses, nor a `.toml` or a journal in `folder` (a session in progress, even one
    whose `.toml` went missing). Not taken by this: `reserve_id` takes it."""
    taken = set(taken)
    for _ in range(1000):
        sid = store.make_session_id(started_at, left, right, taken)
        if not (os.path.lexists(folder / f"{sid}.toml") or os.path.lexists(folder / f"{sid}{SUFFIX}")):
            return sid
        taken.add(sid)
    raise JournalError(f"{folder}: no free session name for {started_at:%Y-%m-%d %H:%M:%S}")


# ----- writing -------------------------------------------------------------------

class Journal:
    """The open journal of one session; every engine input goes through `append`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd
        self._pending: list[dict[str, Any]] = []  # inputs not yet on disk (the disk was full): tried again

    @property
    def complete(self) -> bool:
        """Every input so far is on disk."""
        return not self._pending

    @property
    def session_id(self) -> str:
        return self.path.stem

    @classmethod
    def start(cls, data: Path, engine: Engine, taken: set[str] | None = None) -> Journal:
        """Reserve the session's name, write the header, and follow the engine from now on.

        `taken` as for `reserve_id`: an empty set takes the name by the folder's
        file names alone (then `rename` if a record turns out to hold it).
        """
        engine.session_id = reserve_id(data, engine.started_at, engine.partners["left"].name,
                                       engine.partners["right"].name, taken)
        path = sessions_dir(Path(data)) / f"{engine.session_id}{SUFFIX}"
        journal = cls._create(path, engine)  # on failure the name stays taken: the session runs on without
        engine.on_input = journal.append
        return journal

    @classmethod
    def _create(cls, path: Path, engine: Engine) -> Journal:
        """A new journal at `path`, locked, holding the header and every input the engine has taken so far."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        journal = cls(path, fd)
        try:
            journal._lock()
            journal._write(header(engine))
            for entry in engine.log:  # inputs taken before the journal opened: keys pressed at once
                journal._write(entry)
            # The lines are fsynced, but a new file's name is on disk only once its folder is: without this a
            # power cut could lose the whole journal (and the reserved `<id>.toml`) however many lines were synced.
            fsync_dir(path.parent)
        except BaseException:
            journal.close()
            path.unlink(missing_ok=True)
            raise
        return journal

    def rename(self, data: Path, engine: Engine, taken: set[str]) -> bool:
        """Move to a new name when `engine.session_id` is in `taken` (a record in a file under another name holds it).

        The new journal is written whole (header with the new id, then every
        input) and locked before the old one goes, so at every moment at least
        one journal holds the whole session. False when there was no need, or
        when the new one cannot be written (then the old name is kept).
        """
        old_id = engine.session_id
        if old_id not in taken or self._fd < 0:
            return False
        folder = self.path.parent
        try:
            new_id = reserve_id(data, engine.started_at, engine.partners["left"].name,
                                engine.partners["right"].name, set(taken) | {old_id})
        except (OSError, JournalError):
            return False
        engine.session_id = new_id
        try:
            moved = self._create(folder / f"{new_id}{SUFFIX}", engine)
        except (OSError, JournalError):
            engine.session_id = old_id
            _remove_placeholder(folder / f"{new_id}.toml")
            return False
        old_path, old_fd = self.path, self._fd
        self.path, self._fd, self._pending = moved.path, moved._fd, []  # every input is in the new one
        _remove_placeholder(old_path.with_suffix(".toml"))
        old_path.unlink(missing_ok=True)
        os.close(old_fd)
        fsync_dir(folder)  # else power lost now could bring the old name back: one session offered twice
        return True

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """Carry on writing a journal (a resumed session)."""
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        journal = cls(path, fd)
        journal._lock()
        return journal

    def _lock(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = -1
            raise JournalError(f"{self.path} is open in another heartline") from None

    def _write(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode("ascii")  # any text, even a lone surrogate
        os.write(self._fd, line)
        os.fsync(self._fd)

    def append(self, entry: dict[str, Any]) -> None:
        """One engine input, on disk before the next one is taken."""
        self._pending.append(entry)
        self.flush()

    def flush(self) -> bool:
        """Write what could not be written before; False while the disk still refuses.

        A full disk must not stop a conversation: the session goes on in memory,
        and the journal catches up as soon as it can.
        """
        while self._pending and self._fd >= 0:
            try:
                self._write(self._pending[0])
            except OSError:
                return False
            self._pending.pop(0)
        return not self._pending

    def close(self) -> None:
        """Stop writing and let go of the lock; the journal stays (an unsaved session is offered next time)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def finish(self) -> None:
        """The record is safely written: the journal is no longer needed."""
        self.close()
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        fsync_dir(self.path.parent)  # else power lost now brings it back, offered as unfinished beside its record


def free_name(path: Path) -> None:
    """Free the name a session took (its empty `.toml`) when nothing of the session is kept."""
    _remove_placeholder(path)


@dataclass
class Unfinished:
    """A journal left behind, and what it holds."""

    path: Path
    head: dict[str, Any]
    log: list[dict[str, Any]]
    engine: Engine
    note: str = ""  # what was left out of a damaged journal

    @property
    def session_id(self) -> str:
        return self.head["id"]

    @property
    def last_activity(self) -> datetime:
        last = self.log[-1]["offset"] if self.log else 0.0
        return self.engine.started_at + timedelta(seconds=last)

    @property
    def ended(self) -> bool:
        return self.engine.stage is Stage.ENDED

    def can_resume(self, now: datetime) -> bool:
        return not self.ended and now - self.last_activity <= RESUME_WITHIN


def _locked_elsewhere(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def unfinished(data: Path, set_aside: list[str] | None = None) -> tuple[list[Unfinished], list[str]]:
    """Journals no running heartline holds, oldest first, and one line per journal that cannot be read.

    An empty journal (a start stopped before its first line was on disk) holds
    nothing to offer: with a `set_aside` list (the app's start) it is put away
    in `trash/` and one line saying so is added there, so it is told once, not
    at every start; without one (the doctor only looks) it is a problem line.
    """
    folder = sessions_dir(Path(data))
    found: list[Unfinished] = []
    problems: list[str] = []
    try:  # this runs before every start's first frame: one listing, no pattern matching (years of sessions)
        names = sorted(n for n in listed_names(folder) if n.endswith(SUFFIX) and not n.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return found, problems
    for path in (folder / name for name in names):
        if _locked_elsewhere(path):
            continue
        try:
            head, log, note = parse(read_regular(path, MAX_JOURNAL_BYTES), str(path))
            engine = rebuild(head, log)
        except EmptyJournal as exc:
            if set_aside is None:
                problems.append(f"{exc}; the next start puts it away in the trash")
                continue
            try:
                target = set_aside_empty(path, Path(data))
            except (OSError, JournalError) as why:
                problems.append(f"{exc}; it could not be put away ({getattr(why, 'strerror', None) or why})")
                continue
            if target is not None:
                set_aside.append(f"{path.name}: a start that stopped before anything of it was written left it "
                                 f"empty; it is now in {target}")
            continue
        except JournalError as exc:
            problems.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a damaged journal is reported, never fatal
            problems.append(f"{path} is damaged, because it could not be replayed ({type(exc).__name__}: {exc})")
            continue
        found.append(Unfinished(path, head, log, engine, note))
    found.sort(key=lambda u: u.engine.started_at)
    return found, problems


def recovered_record(item: Unfinished) -> dict[str, Any]:
    """The record as far as the journal goes: every completed turn, event and note."""
    record = item.engine.record()
    if not item.ended:
        record["status"] = "recovered" if item.engine.started else "not-started"
    return record


def save_recovered(item: Unfinished, data: Path) -> Path:
    """Write the record, then (only then) remove the journal.

    A session is named by the folder's file names when it starts, and checked
    against the records just after; if it stopped before that, the check is
    made here: a record under another file name holding the same id gives this
    one a new id.
    """
    record = keep.kept(recovered_record(item), "shape")  # nobody was asked what to keep: its shape only
    sid = record["id"]
    taken = {i for i, name in store.record_files(Path(data)).items() if name != f"{i}.toml"}
    placeholder = sessions_dir(Path(data)) / f"{sid}.toml"
    if sid in taken:
        engine = item.engine
        record["id"] = reserve_id(data, engine.started_at, engine.partners["left"].name,
                                  engine.partners["right"].name, taken | {sid})
    path = store.save_record(record, data)
    item.path.unlink(missing_ok=True)
    if record["id"] != sid:
        _remove_placeholder(placeholder)
    fsync_dir(item.path.parent)  # else power lost now brings the journal back, and it is offered (and saved) again
    return path


def put_away(item: Unfinished, data: Path) -> Path:
    """Move the journal to `trash/` (never deleted); free its name."""
    return to_trash(item.path, Path(data))


class ResumeClock(ManualClock):
    """Manual while the journal replays, then live: the session goes on from where it stopped.

    The time between the last input and the resume does not count: the
    session's own clock carries on from its last offset.
    """

    def __init__(self, live: Clock, start: datetime) -> None:
        super().__init__(start=start, monotonic=0.0)
        self._live: Clock | None = None
        self._real = live
        self._shift = 0.0

    def go_live(self, away: float = 0.0) -> None:
        """From now on, follow the live clock; `away` seconds of the time between count (a time-out's)."""
        self._shift = self._mono + max(0.0, away) - self._real.monotonic()
        self._live = self._real

    def monotonic(self) -> float:
        return self._live.monotonic() + self._shift if self._live else self._mono

    def now(self) -> datetime:
        return self._live.now() if self._live else super().now()


def resume(item: Unfinished, clock: Clock) -> tuple[Engine, Journal]:
    """The session rebuilt on a clock that goes on live, paused, with its journal open again."""
    if item.ended:
        raise JournalError("this session had already ended: save it instead")
    journal = Journal.reopen(item.path)
    rclock = ResumeClock(clock, datetime.fromisoformat(item.head["started_at"]))
    engine = rebuild(item.head, item.log, rclock)
    # A time-out is a break the couple took on purpose: the time they were away counts towards its
    # minimum, so coming back at the agreed time does not start the twenty minutes again.
    away = (clock.now() - item.last_activity).total_seconds() if engine.pause_kind == "time-out" else 0.0
    rclock.go_live(min(away, RESUME_WITHIN.total_seconds()))
    engine.on_input = journal.append
    for side in sorted(engine.writing_now):  # the note box went with the app that had it open
        engine.writing(side, False)
    while engine.question_open:  # so did the end question
        engine.asking(False)
    if engine.stage is Stage.FLOOR and not engine.pause_kind:
        engine.toggle_pause("resumed")  # you come back to a paused screen: space when you are both ready
    return engine, journal


def write_elsewhere(record: dict[str, Any], folder: Path) -> Path:
    """Save a record into a folder the person chose (when heartline's own cannot be written)."""
    return write_private(Path(folder) / f"{record['id']}.toml", store.dumps_record(record), overwrite=False,
                         private_dir=False)
