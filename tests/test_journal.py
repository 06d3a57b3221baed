"""The journal: a session on disk as it happens, recovered or resumed after a crash (issue 10, items 1 and 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from heartline.sessions import journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings, Stage
from heartline.sessions.rituals import load_rituals

RITUALS = load_rituals()


def start(data: Path, clock: ManualClock, left="Alex", right="Sam", **kw) -> tuple[Engine, journal.Journal]:
    ritual = RITUALS.get("speaker-listener")
    engine = Engine(ritual, left, right, Settings.from_ritual(ritual, speak=180, reflect=30, rounds=1), clock,
                    rules=True, checkin=True, topic="the holidays", **kw)
    return engine, journal.Journal.start(data, engine)


def play_some(engine: Engine, clock: ManualClock) -> None:
    """Rules, check-in, a first turn with a blocked key and a note, a reflection half done."""
    engine.press(LEFT, "done")
    engine.press(RIGHT, "done")
    engine.check_in(LEFT, 3, "tired")
    engine.check_in(RIGHT, 4)
    clock.advance(1)  # the answers read
    engine.press(LEFT, "done")
    engine.press(RIGHT, "done")
    clock.advance(20)
    engine.press(RIGHT, "done")  # blocked: Alex has the floor
    engine.add_note(RIGHT, "ask about the flights")
    clock.advance(15)
    engine.toggle_pause()
    clock.advance(5)
    engine.toggle_pause()
    clock.advance(10)
    engine.press(LEFT, "done")  # the first turn is complete
    clock.advance(12)


def test_every_input_is_on_disk_as_it_happens(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    assert (paths.sessions_dir(tmp_path) / f"{engine.session_id}.toml").stat().st_size == 0  # the name is taken
    play_some(engine, clock)
    lines = j.path.read_text().splitlines()
    head = json.loads(lines[0])
    assert head["id"] == engine.session_id and head["left"] == "Alex" and head["ritual"]["id"] == "speaker-listener"
    assert head["app_version"] and head["settings"]["speak_seconds"] == 180 and head["started_at"]
    assert [json.loads(line) for line in lines[1:]] == engine.log
    assert os.stat(j.path).st_mode & 0o777 == 0o600


def test_the_record_is_the_replay_of_the_journal(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    (item,), problems = _unfinished_after_crash(tmp_path, j)
    assert problems == []
    live = engine.record()
    replayed = item.engine.record()
    # the turn in progress ends at the last input, not at "now": everything up to there is identical
    assert replayed["turns"][:-1] == live["turns"][:-1]
    assert replayed["events"] == live["events"] and replayed["notes"] == live["notes"]
    assert replayed["partners"][0]["feeling_before"] == "tired"


def _unfinished_after_crash(data: Path, j: journal.Journal):
    j.close()  # what the kernel does when the process dies: the lock goes, the file stays
    return journal.unfinished(data)


def test_recovering_keeps_every_completed_turn_note_and_event(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    path = journal.save_recovered(item, tmp_path)
    record = store.load_record(path)
    assert record["status"] == "recovered" and record["id"] == engine.session_id
    assert record["turns"][0]["ended_by"] == "done" and record["turns"][0]["by"] == "left"
    assert record["notes"] == [] and "flights" not in path.read_text()  # recovered: its shape, no note's text
    assert [e["kind"] for e in record["events"]] == ["pause", "resume"]  # a blocked key is never kept (issue 16)
    assert not j.path.exists()
    assert journal.unfinished(tmp_path) == ([], [])


def test_a_torn_last_line_is_ignored(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    j.close()
    with open(j.path, "ab") as fh:
        fh.write(b'{"offset": 99.0, "op": "pre')  # the power went mid-write
    (item,), problems = journal.unfinished(tmp_path)
    assert problems == [] and "cut short" in item.note
    assert len(item.log) == len(engine.log)


def test_a_damaged_journal_is_reported_and_the_others_go_on(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    j.close()
    bad = paths.sessions_dir(tmp_path) / "x.journal"
    bad.write_text("[" * 5000 + "\n")
    found, problems = journal.unfinished(tmp_path)
    assert [u.session_id for u in found] == [engine.session_id]
    assert len(problems) == 1 and "x.journal" in problems[0] and "damaged" in problems[0]


def test_a_journal_still_open_is_not_offered(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    assert journal.unfinished(tmp_path) == ([], [])  # another heartline (here: this one) holds it
    assert store.list_sessions(tmp_path) == ([], [])  # its empty reserved file is not "damaged"


def test_putting_away_moves_the_journal_to_trash(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    moved = journal.put_away(item, tmp_path)
    assert moved.parent == tmp_path / "trash" and moved.read_bytes().startswith(b'{"heartline_journal"')
    assert not j.path.exists() and not (paths.sessions_dir(tmp_path) / f"{engine.session_id}.toml").exists()
    assert journal.unfinished(tmp_path) == ([], [])


def test_resume_the_next_day_and_finish(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    step_before = engine.state().step_number
    (item,), _ = _unfinished_after_crash(tmp_path, j)

    clock.advance(timedelta(hours=20).total_seconds())  # the agreed time, the next day
    assert item.can_resume(clock.now())
    resumed, j2 = journal.resume(item, clock)
    state = resumed.state()
    assert state.stage is Stage.FLOOR and state.step_number == step_before and state.paused
    assert resumed.state().elapsed == pytest.approx(engine.log[-1]["offset"])  # the night does not count
    resumed.toggle_pause()
    while resumed.stage is Stage.FLOOR:
        clock.advance(5)
        resumed.press(resumed.state().floor, "done")
    resumed.check_in(LEFT, 4)
    resumed.check_in(RIGHT, 5)
    clock.advance(1)
    resumed.press(LEFT, "done")
    resumed.press(RIGHT, "done")
    assert resumed.stage is Stage.ENDED and resumed.status == "completed"
    path = store.save_record(resumed.record(), tmp_path)
    j2.finish()
    record = store.load_record(path)
    assert record["status"] == "completed" and [n["text"] for n in record["notes"]] == ["ask about the flights"]
    assert [p["mood_after"] for p in record["partners"]] == [4, 5]
    # the journal, had it stayed, replays to the same record
    assert journal.rebuild(item.head, resumed.log).record() == resumed.record()


def test_taking_a_session_up_again_is_not_told_back_as_a_pause_you_took(tmp_path):
    """A resumed session opens paused (space when you are both ready); that pause was recorded as the couple's
    own, so the summary said "You paused twice" after one pause. It is now the app's, and replays the same."""
    from heartline.sessions.summary import summarize

    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)  # one pause of their own
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    resumed, j2 = journal.resume(item, clock)
    assert resumed.state().paused
    assert resumed.record()["events"][-1]["kind"] == "pause-resumed"
    assert summarize(resumed.record()).breaks == 1
    assert journal.rebuild(item.head, resumed.log).record() == resumed.record()
    j2.close()


def test_no_resume_after_a_day(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    clock.advance(timedelta(hours=25).total_seconds())
    assert not item.can_resume(clock.now())


def test_two_sessions_in_the_same_second_get_two_names(tmp_path):
    clock = ManualClock()
    a, ja = start(tmp_path, clock)
    b, jb = start(tmp_path, clock)
    assert a.session_id != b.session_id
    for engine, j in ((a, ja), (b, jb)):
        engine.end_early()
        store.save_record(engine.record(), tmp_path)
        j.finish()
    records, errors = store.list_sessions(tmp_path)
    assert len(records) == 2 and errors == []


SCRIPT = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from heartline.sessions import journal, store
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.rituals import load_rituals

    data, go = Path(sys.argv[1]), float(sys.argv[2])
    while time.time() < go:
        time.sleep(0.001)
    ritual = load_rituals().get("speaker-listener")
    clock = ManualClock(start=datetime(2026, 11, 27, 20, 0, 0, tzinfo=timezone.utc))
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), clock, rules=False, checkin=False)
    j = journal.Journal.start(data, engine)
    clock.advance(3)
    engine.add_note("left", "from " + sys.argv[3])
    engine.end_early()
    store.save_record(engine.record(), data)
    j.finish()
""")


def test_two_processes_starting_in_the_same_second_give_two_intact_files(tmp_path):
    import time

    go = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path), str(go), who])
             for who in ("one", "two")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    records, errors = store.list_sessions(tmp_path)
    assert errors == []
    assert sorted(r["id"] for r in records) == ["20261127-200000-alex-sam", "20261127-200000-alex-sam-2"]
    assert sorted(r["notes"][0]["text"] for r in records) == ["from one", "from two"]
    assert list(paths.sessions_dir(tmp_path).glob("*.journal")) == []


def test_a_full_disk_mid_session_is_caught_up_and_never_claimed_complete(tmp_path, monkeypatch):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    engine.press(LEFT, "done")
    real_write = os.write

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal.os, "write", full)
    engine.press(RIGHT, "done")
    engine.add_note(LEFT, "still here")
    assert not j.complete  # the session goes on in memory; the journal knows it is behind
    monkeypatch.setattr(journal.os, "write", real_write)
    assert j.flush() and j.complete
    j.close()
    (item,), _ = journal.unfinished(tmp_path)
    assert item.log == engine.log


def test_a_time_out_taken_up_again_counts_the_time_away(tmp_path):
    """Coming back at the agreed time does not start the twenty minutes again."""
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    engine.time_out()
    clock.advance(60)
    assert engine.state().timeout_left > 0  # one minute of twenty
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    clock.advance(45 * 60)  # back after the walk they agreed on
    resumed, _ = journal.resume(item, clock)
    state = resumed.state()
    assert state.pause_kind == "time-out" and state.timeout_left == 0  # the minimum has passed
    resumed.press(LEFT, "done")
    resumed.press(RIGHT, "done")
    assert not resumed.state().paused or resumed.state().pause_kind == "pause"


def test_a_time_out_resumed_early_keeps_the_rest_of_its_minimum(tmp_path):
    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    engine.time_out()
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    clock.advance(5 * 60)
    resumed, _ = journal.resume(item, clock)
    assert resumed.state().timeout_left == pytest.approx(engine.settings.timeout_seconds - 5 * 60, abs=1)
