"""Races made deterministic (issue 20): the competing file appears exactly between the check and the act.

Two processes that happen to collide prove little and fail rarely. Here a hook in a stand-in for `os`
(or `tempfile`), as `sessions/journal.py` and `sessions/files.py` call them, creates the other party's
file at the one moment that matters: after heartline looked and before it acted. Nothing sleeps.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from heartline.sessions import files, journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Engine, Settings
from heartline.sessions.rituals import load_rituals
from heartline.tui import cli
from tests.records import make_record

WHEN = datetime(2026, 11, 27, 20, 0, 0, tzinfo=timezone.utc)
FIRST = "20261127-200000-alex-sam"


class Hooked:
    """`os` (or any module) as the code under test sees it, with one function wrapped by `before`."""

    def __init__(self, real, name: str, before) -> None:
        self._real, self._name, self._before = real, name, before

    def __getattr__(self, attr):
        value = getattr(self._real, attr)
        if attr != self._name:
            return value

        def hooked(*args, **kwargs):
            self._before(*args, **kwargs)
            return value(*args, **kwargs)

        return hooked


def engine_at(when=WHEN) -> Engine:
    ritual = load_rituals().get("speaker-listener")
    return Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(start=when),
                  rules=False, checkin=False)


# ----- the session's name, taken with O_EXCL ------------------------------------------------------------

def test_a_name_taken_between_the_check_and_the_exclusive_create_goes_to_the_other_session(tmp_path, monkeypatch):
    """Mutation: O_EXCL dropped from the open that reserves `<id>.toml` (both would take one name)."""
    folder = files.ensure_private_dir(paths.sessions_dir(tmp_path))
    theirs = folder / f"{FIRST}.toml"
    raced = []

    def other_session_takes_it(path, flags, *rest):
        if Path(path) == theirs and flags & os.O_CREAT and not raced:
            raced.append(path)  # free_id has just seen the name free; now the other heartline takes it
            fd = os.open(theirs, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)

    monkeypatch.setattr(journal, "os", Hooked(os, "open", other_session_takes_it))
    sid = journal.reserve_id(tmp_path, WHEN, "Alex", "Sam", taken=set())
    assert raced, "the hook never ran: the race was not staged"
    assert sid != FIRST and sid == f"{FIRST}-2"
    assert (folder / f"{sid}.toml").exists() and theirs.exists()


def test_a_session_started_as_another_takes_the_same_name_gets_its_own_journal(tmp_path, monkeypatch):
    """The whole start, raced: the other session's name and journal are left exactly as they were."""
    folder = files.ensure_private_dir(paths.sessions_dir(tmp_path))
    theirs = folder / f"{FIRST}.toml"
    their_journal = folder / f"{FIRST}{journal.SUFFIX}"
    their_bytes = b'{"heartline_journal":1,"id":"' + FIRST.encode() + b'"}\n'

    def other_session_starts(path, flags, *rest):
        if Path(path) == theirs and flags & os.O_CREAT and not theirs.exists():
            fd = os.open(theirs, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            their_journal.write_bytes(their_bytes)

    monkeypatch.setattr(journal, "os", Hooked(os, "open", other_session_starts))
    engine = engine_at()
    mine = journal.Journal.start(tmp_path, engine, taken=set())
    try:
        assert engine.session_id == f"{FIRST}-2" and mine.path.name == f"{FIRST}-2{journal.SUFFIX}"
        assert their_journal.read_bytes() == their_bytes and theirs.read_bytes() == b""
    finally:
        mine.close()


def test_a_journal_made_between_the_check_and_the_create_is_never_appended_to(tmp_path, monkeypatch):
    """The journal itself is created O_EXCL too: a journal someone else made just now is not written into."""
    folder = files.ensure_private_dir(paths.sessions_dir(tmp_path))
    their_journal = folder / f"{FIRST}{journal.SUFFIX}"
    their_bytes = b'{"theirs":true}\n'

    def someone_makes_the_journal(path, flags, *rest):
        if Path(path) == their_journal and flags & os.O_CREAT and not their_journal.exists():
            their_journal.write_bytes(their_bytes)

    monkeypatch.setattr(journal, "os", Hooked(os, "open", someone_makes_the_journal))
    with pytest.raises(FileExistsError):
        journal.Journal.start(tmp_path, engine_at(), taken=set())
    assert their_journal.read_bytes() == their_bytes


# ----- the no-overwrite path: os.link, never os.replace --------------------------------------------------

def stage_competitor(monkeypatch, target: Path, content: bytes) -> list:
    """Create `target` while the writer makes its temporary file: after its check, before its link."""
    raced = []

    def competitor(*args, dir=None, prefix="", **kwargs):
        if not raced and Path(dir) == target.parent and prefix.startswith(f".{target.name}."):
            raced.append(True)  # the temporary file for *this* target (not, say, the index written on the way)
            target.write_bytes(content)

    monkeypatch.setattr(files, "tempfile", Hooked(tempfile, "mkstemp", competitor))
    return raced


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_file_made_between_the_check_and_the_link_is_never_replaced(tmp_path, monkeypatch):
    """Mutation: the no-overwrite path written with os.replace instead of os.link (silently replaces)."""
    target = tmp_path / "talk.md"
    raced = stage_competitor(monkeypatch, target, b"someone else's\n")
    with pytest.raises(FileExistsError):
        files.write_private(target, "ours\n", overwrite=False, private_dir=False)
    assert raced
    assert target.read_bytes() == b"someone else's\n"
    assert leftovers(tmp_path) == []


def test_export_refuses_in_one_line_when_the_file_appears_while_it_writes(capsys, heartline_home, tmp_path,
                                                                          monkeypatch):
    store.save_record(make_record(), heartline_home)
    target = tmp_path / "talk.md"
    raced = stage_competitor(monkeypatch, target, b"written meanwhile\n")
    code = cli.main(["export", "2026", "-o", str(target)])
    _, err = capsys.readouterr()
    assert raced
    assert code == 2 and err.count("\n") == 1 and "already exists" in err and str(target) in err
    assert target.read_bytes() == b"written meanwhile\n"
    assert leftovers(tmp_path) == []


def test_saving_elsewhere_never_replaces_a_record_written_there_meanwhile(tmp_path, monkeypatch):
    record = make_record()
    folder = tmp_path / "usb"
    folder.mkdir()
    target = folder / f"{record['id']}.toml"
    raced = stage_competitor(monkeypatch, target, b"# the other copy\n")
    with pytest.raises(FileExistsError):
        journal.write_elsewhere(record, folder)
    assert raced and target.read_bytes() == b"# the other copy\n" and leftovers(folder) == []


def test_a_link_made_between_the_check_and_the_rename_is_replaced_not_followed(tmp_path, monkeypatch):
    """The overwrite path renames over the name: a symlink slipped in meanwhile is replaced, its target kept."""
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    folder = files.ensure_private_dir(tmp_path / "home")
    path = folder / "settings.toml"
    path.write_text("old = 1\n")

    def swap_in_a_link(*args, **kwargs):
        if not os.path.islink(path):
            path.unlink()
            path.symlink_to(target)

    monkeypatch.setattr(files, "tempfile", Hooked(tempfile, "mkstemp", swap_in_a_link))
    files.write_private(path, "new = 2\n")
    assert not os.path.islink(path) and path.read_text() == "new = 2\n"
    assert target.read_text() == "keep me\n"
