"""The journal's order (issue 20): replayed only up to the first damaged line; removed only after the record.

The power-loss simulator (tests/test_powerloss.py) covers what a crash can leave on disk; these cover two
orders in `sessions/journal.py` directly, each with the one-line change that breaks it named in its test.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from heartline.sessions.keep import kept
from heartline.sessions import journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings
from heartline.sessions.rituals import load_rituals

RITUALS = load_rituals()


def a_session(data: Path) -> tuple[Engine, journal.Journal]:
    """Three completed turns, a blocked key and a note, all in the journal; then the process is gone."""
    ritual = RITUALS.get("speaker-listener")
    clock = ManualClock()
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=60, reflect=30, rounds=2), clock,
                    rules=False, checkin=False, topic="the holidays")
    j = journal.Journal.start(data, engine)
    clock.advance(10)
    engine.press(RIGHT, "done")  # blocked
    clock.advance(5)
    engine.add_note(RIGHT, "the flights")
    clock.advance(5)
    engine.press(LEFT, "done")  # Alex's turn complete
    clock.advance(12)
    engine.press(RIGHT, "done")  # Sam's reflection complete
    clock.advance(3)
    engine.press(LEFT, "done")  # confirmed
    clock.advance(4)
    j.close()  # the process dies: the lock goes, the file stays
    return engine, j


def test_a_damaged_line_in_the_middle_ends_the_replay_there(tmp_path):
    """Mutation: a damaged middle line skipped (`continue`) instead of ending the log (`break`): the lines after
    it would replay on a state they were not recorded against."""
    engine, j = a_session(tmp_path)
    lines = j.path.read_bytes().split(b"\n")
    assert len(lines) - 2 == len(engine.log) >= 4  # header, the inputs, "" after the last newline
    damaged = 3  # the third input (file line 4): Alex's "done" that ended the first turn
    assert engine.log[damaged - 1]["op"] == "press" and engine.log[damaged - 1]["side"] == LEFT
    lines[damaged] = b"\x00" * len(lines[damaged])  # a block of zeros, as a disk can leave after a crash
    j.path.write_bytes(b"\n".join(lines))

    (item,), problems = journal.unfinished(tmp_path)
    assert problems == []
    assert item.log == engine.log[: damaged - 1]  # the inputs before the damage, and nothing after it
    assert f"line {damaged + 1} is damaged" in item.note
    kept = journal.rebuild(item.head, engine.log[: damaged - 1]).record()
    assert item.engine.record() == kept
    record = item.engine.record()
    assert [n["text"] for n in record["notes"]] == ["the flights"]  # what came before is kept
    assert [t["ended_by"] for t in record["turns"]] == ["session-end"]  # nothing after the damage is guessed at


def test_the_lines_after_a_damaged_one_are_not_replayed_even_when_they_parse(tmp_path):
    engine, j = a_session(tmp_path)
    head, *rest = j.path.read_bytes().splitlines()
    entries = [json.loads(line) for line in rest]
    broken = b"\n".join([head, *(json.dumps(e).encode() for e in entries[:1]), b'{"op": 7}',
                         *(json.dumps(e).encode() for e in entries[1:])]) + b"\n"
    parsed_head, log, note = journal.parse(broken)
    assert parsed_head["id"] == engine.session_id
    assert log == entries[:1] and "line 3 is damaged" in note


def test_a_recovered_session_keeps_its_journal_when_the_record_cannot_be_written(tmp_path, monkeypatch):
    """Mutation: the journal unlinked *before* the record is saved. A save that fails must leave the journal."""
    engine, j = a_session(tmp_path)
    (item,), _ = journal.unfinished(tmp_path)
    journal_bytes = j.path.read_bytes()

    def no_space(record, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "save_record", no_space)
    with pytest.raises(OSError):
        journal.save_recovered(item, tmp_path)
    assert j.path.read_bytes() == journal_bytes  # everything is still there to be offered again
    monkeypatch.undo()
    (again,), _ = journal.unfinished(tmp_path)
    path = journal.save_recovered(again, tmp_path)
    assert store.load_record(path)["turns"][:3] == kept(engine.record(), "shape")["turns"][:3]  # schema 2
    assert not j.path.exists()


def test_a_finished_session_keeps_its_journal_when_the_record_cannot_be_written(tmp_path, monkeypatch):
    """The same order in the app's saver: the journal goes only once the record is written."""
    from heartline.tui.saving import SessionSaver

    ritual = RITUALS.get("speaker-listener")
    clock = ManualClock()
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), clock, rules=False, checkin=False)
    saver = SessionSaver.start(engine, tmp_path)
    clock.advance(20)
    engine.press(LEFT, "done")
    engine.end_early()
    monkeypatch.setattr(store, "save_record", lambda record, data: (_ for _ in ()).throw(
        OSError(errno.EIO, "Input/output error")))
    assert saver.save() is None and saver.journal_kept
    assert (paths.sessions_dir(tmp_path) / f"{engine.session_id}{journal.SUFFIX}").exists()
    monkeypatch.undo()
    assert saver.save() is not None and not saver.journal.path.exists()
