"""An empty journal is put away once, with one clear line (issue 20, noticed and fixed).

A start that stops in its first moments (killed, power lost) before the journal's header is whole on disk
leaves an empty or torn journal beside an empty `<id>.toml`. It holds nothing of a session. It used to be
reported at every start ("… is empty") and never tidied; now the app's start puts it in `trash/` (never
deleted), frees its name, and says so once. The doctor only looks: it still reports it, and moves nothing.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from heartline.sessions import files, journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.tui.doctor import check
from tests.apps import make_app
from tests.test_powerloss import crashed_session

SID = "20261205-171500-alex-sam"

LEFT_BY_A_CRASH = {
    "empty": b"",
    "torn header": b'{"heartline_journal":1,"id":"20261205-1715',
    "zeros": b"\x00" * 300,  # the size reached the disk, the data did not
}


def left_behind(data: Path, raw: bytes, sid: str = SID) -> Path:
    folder = files.ensure_private_dir(paths.sessions_dir(data))
    (folder / f"{sid}.toml").write_bytes(b"")  # the name it took
    path = folder / f"{sid}{journal.SUFFIX}"
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("raw", LEFT_BY_A_CRASH.values(), ids=LEFT_BY_A_CRASH.keys())
def test_an_empty_journal_is_put_away_once_with_one_line(tmp_path, raw):
    path = left_behind(tmp_path, raw)
    said: list[str] = []
    found, problems = journal.unfinished(tmp_path, set_aside=said)
    assert found == [] and problems == []
    trashed = store.trash_dir(tmp_path) / path.name
    assert len(said) == 1 and path.name in said[0] and str(trashed) in said[0] and "\n" not in said[0]
    assert trashed.read_bytes() == raw  # put away, never deleted
    assert not path.exists() and not path.with_suffix(".toml").exists()  # its name is free again
    assert store.list_sessions(tmp_path) == ([], [])  # the empty name is not shown as a damaged record

    again: list[str] = []
    assert journal.unfinished(tmp_path, set_aside=again) == ([], []) and again == []  # told once


def test_only_the_empty_one_goes_the_unfinished_session_beside_it_is_offered(tmp_path):
    engine, j = crashed_session(tmp_path)
    empty = left_behind(tmp_path, b"", sid="20261205-171500-robin-kai")
    said: list[str] = []
    (item,), problems = journal.unfinished(tmp_path, set_aside=said)
    assert item.session_id == engine.session_id and j.path.exists() and problems == []
    assert len(said) == 1 and empty.name in said[0]


def test_an_empty_journal_a_start_has_locked_is_left_to_it(tmp_path):
    """A heartline starting now holds the lock between the exclusive create and its header: never moved."""
    path = left_behind(tmp_path, b"")
    fd = os.open(path, os.O_WRONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        said: list[str] = []
        assert journal.unfinished(tmp_path, set_aside=said) == ([], []) and said == []
        assert path.exists()
    finally:
        os.close(fd)


def test_a_journal_written_while_it_was_being_put_away_is_left_alone(tmp_path, monkeypatch):
    """Read empty, then (before the lock) a start wrote its header: checked again under the lock, kept."""
    path = left_behind(tmp_path, b"")
    real_flock = fcntl.flock

    def header_written_first(fd, op):
        path.write_bytes(b'{"heartline_journal":1}\n')
        return real_flock(fd, op)

    monkeypatch.setattr(journal.fcntl, "flock", header_written_first)
    monkeypatch.setattr(journal, "_locked_elsewhere", lambda p: False)
    said: list[str] = []
    journal.unfinished(tmp_path, set_aside=said)
    assert said == [] and path.exists()


def test_the_doctor_reports_an_empty_journal_and_moves_nothing(tmp_path):
    path = left_behind(tmp_path / "data", b"")
    findings = check(tmp_path / "data", tmp_path / "config")
    problems = [f.text for f in findings if f.level == "problem"]
    assert any(str(path) in p and "is empty" in p and "next start puts it away" in p for p in problems), problems
    assert path.exists()


async def test_the_app_says_it_once_and_the_next_start_says_nothing(tmp_path):
    path = left_behind(tmp_path / "data", b"")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [(n.title, n.message) for n in app._notifications]
    assert [t for t, _ in said] == ["An empty journal was put away"], said
    assert path.name in said[0][1] and "trash" in said[0][1]
    assert not path.exists()
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert list(app._notifications) == []
