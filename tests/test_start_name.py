"""Taking a session's name without reading every record before the first frame (issue 11).

`heartline start` takes the name by the folder's file names alone (O_EXCL on
`<id>.toml`, no `<id>.journal`), opens the journal at once, and only after the
first frame asks the index whether a record inside a file under another name
already holds that id; if one does, the journal moves, whole, to a new name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from heartline.sessions import index, journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings, Stage
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.saving import SessionSaver
from heartline.tui.screens.session import SessionScreen
from tests.apps import make_app, until
from tests.records import make_record

RITUALS = load_rituals()
TAKEN = "20261126-190512-alex-sam"  # what ManualClock's start and Alex and Sam make
PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, topic="the holidays",
                   checkin=False)


def new_engine(clock: ManualClock) -> Engine:
    ritual = RITUALS.get("speaker-listener")
    return Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=180, reflect=30, rounds=1), clock,
                  rules=True, checkin=False, topic="the holidays")


def renamed_record(data: Path, name: str = "renamed by hand.toml") -> Path:
    """A record whose id is TAKEN, in a file called something else: only the index knows its id."""
    folder = paths.sessions_dir(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(store.dumps_record(make_record(id=TAKEN)), encoding="utf-8")
    return path


def journal_lines(path: Path) -> tuple[dict, list[dict]]:
    head, *rest = path.read_text(encoding="utf-8").splitlines()
    return json.loads(head), [json.loads(line) for line in rest]


def no_index(monkeypatch) -> list:
    """Fail loudly if anything reads the index (every record) now."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the index was read")

    monkeypatch.setattr(index, "load", refuse)
    return calls


# ----- the journal ---------------------------------------------------------------------


def test_the_name_is_taken_by_file_names_alone(tmp_path, monkeypatch):
    clock = ManualClock()
    folder = paths.sessions_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / f"{TAKEN}.toml").write_text("a file with that name, whatever it holds", encoding="utf-8")
    (folder / f"{TAKEN}-2.journal").write_text("{}\n", encoding="utf-8")  # a session in progress, its .toml gone
    no_index(monkeypatch)
    engine = new_engine(clock)
    j = journal.Journal.start(tmp_path, engine, taken=set())
    assert engine.session_id == f"{TAKEN}-3"
    assert j.path == folder / f"{TAKEN}-3.journal" and (folder / f"{TAKEN}-3.toml").stat().st_size == 0
    j.close()


def test_a_session_in_progress_is_never_taken_again(tmp_path, monkeypatch):
    clock = ManualClock()
    no_index(monkeypatch)
    first, second = new_engine(clock), new_engine(clock)
    j1 = journal.Journal.start(tmp_path, first, taken=set())
    j2 = journal.Journal.start(tmp_path, second, taken=set())
    assert (first.session_id, second.session_id) == (TAKEN, f"{TAKEN}-2")
    j1.close()
    j2.close()


def test_inputs_taken_before_the_journal_opens_are_written_into_it(tmp_path):
    clock = ManualClock()
    engine = new_engine(clock)
    engine.press(LEFT, "done")  # keys at once, before the journal is open
    clock.advance(0.4)
    engine.press(RIGHT, "done")
    assert engine.stage is Stage.FLOOR and len(engine.log) == 2
    j = journal.Journal.start(tmp_path, engine, taken=set())
    clock.advance(3)
    engine.add_note(RIGHT, "ask about the flights")
    head, logged = journal_lines(j.path)
    assert head["id"] == engine.session_id
    assert logged == engine.log and len(logged) == 3
    j.close()


def test_a_record_holding_the_name_moves_the_whole_journal(tmp_path):
    clock = ManualClock()
    other = renamed_record(tmp_path)
    engine = new_engine(clock)
    j = journal.Journal.start(tmp_path, engine, taken=set())
    assert engine.session_id == TAKEN  # nothing in the folder is called that
    engine.press(LEFT, "done")
    engine.press(RIGHT, "done")
    old = j.path
    assert j.rename(tmp_path, engine, set(store.record_files(tmp_path)))
    assert engine.session_id == f"{TAKEN}-2" and j.path.name == f"{TAKEN}-2.journal"
    assert not old.exists() and not old.with_suffix(".toml").exists()
    clock.advance(5)
    engine.add_note(RIGHT, "ask about the flights")  # after the move: into the new journal
    head, logged = journal_lines(j.path)
    assert head["id"] == f"{TAKEN}-2" and logged == engine.log and len(logged) == 3
    assert not j.rename(tmp_path, engine, set(store.record_files(tmp_path)))  # nothing holds the new one
    engine.end_early()
    store.save_record(engine.record(), tmp_path)
    j.finish()
    records, errors = store.list_sessions(tmp_path)
    assert errors == [] and sorted(r["id"] for r in records) == [TAKEN, f"{TAKEN}-2"]
    assert other.read_text(encoding="utf-8") == store.dumps_record(make_record(id=TAKEN))  # untouched


def test_a_session_stopped_before_its_name_was_checked_is_recovered_under_a_free_name(tmp_path):
    clock = ManualClock()
    renamed_record(tmp_path)
    engine = new_engine(clock)
    j = journal.Journal.start(tmp_path, engine, taken=set())
    engine.press(LEFT, "done")
    engine.press(RIGHT, "done")
    clock.advance(30)
    engine.press(LEFT, "done")
    j.close()  # the process died before the check after the first frame came back
    (item,), problems = journal.unfinished(tmp_path)
    assert problems == [] and item.session_id == TAKEN
    path = journal.save_recovered(item, tmp_path)
    assert path.name == f"{TAKEN}-2.toml"
    records, errors = store.list_sessions(tmp_path)
    assert errors == [] and sorted(r["id"] for r in records) == [TAKEN, f"{TAKEN}-2"]
    folder = paths.sessions_dir(tmp_path)
    assert not (folder / f"{TAKEN}.toml").exists() and list(folder.glob("*.journal")) == []


def test_recovering_a_record_already_written_keeps_its_name(tmp_path):
    """The record was written but the journal not yet removed: the same session, not a clash."""
    clock = ManualClock()
    engine = new_engine(clock)
    j = journal.Journal.start(tmp_path, engine)
    engine.end_early()
    store.save_record(engine.record(), tmp_path)
    j.close()
    (item,), _ = journal.unfinished(tmp_path)
    assert journal.save_recovered(item, tmp_path).name == f"{TAKEN}.toml"
    records, errors = store.list_sessions(tmp_path)
    assert errors == [] and [r["id"] for r in records] == [TAKEN]


# ----- the saver -----------------------------------------------------------------------


def test_a_session_ending_before_the_check_came_back_is_checked_when_saved(tmp_path, monkeypatch):
    clock = ManualClock()
    renamed_record(tmp_path)
    engine = new_engine(clock)
    with monkeypatch.context() as m:
        no_index(m)
        saver = SessionSaver.start(engine, tmp_path)
    assert engine.session_id == TAKEN and not saver.name_checked
    engine.press(LEFT, "done")
    engine.end_early()
    path = saver.save()
    assert path is not None and path.name == f"{TAKEN}-2.toml"
    records, errors = store.list_sessions(tmp_path)
    assert errors == [] and sorted(r["id"] for r in records) == [TAKEN, f"{TAKEN}-2"]
    assert list(paths.sessions_dir(tmp_path).glob("*.journal")) == []


def test_without_a_journal_the_name_still_avoids_every_file_and_record(tmp_path, monkeypatch):
    clock = ManualClock()
    renamed_record(tmp_path)
    folder = paths.sessions_dir(tmp_path)
    (folder / f"{TAKEN}-2.toml").write_text("taken by its name", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "reserve_id", refuse)
    engine = new_engine(clock)
    saver = SessionSaver.start(engine, tmp_path)
    assert saver.journal is None and "no space left" in saver.error
    assert engine.session_id == TAKEN  # by file names: the record inside is not read yet
    saver.check_name()
    assert engine.session_id == f"{TAKEN}-3"


# ----- the app -------------------------------------------------------------------------


async def test_start_reads_no_record_before_its_first_frame(tmp_path, monkeypatch):
    app = make_app(tmp_path, ManualClock(), PLAN)
    renamed_record(app.config.data_dir)
    load = index.load
    reads = []

    def watched(*args, **kwargs):
        reads.append(app.first_frame_shown)
        return load(*args, **kwargs)

    monkeypatch.setattr(index, "load", watched)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await until(pilot, lambda: screen.saver.name_check is not None and screen.saver.name_check.done())
    assert reads and all(reads), "the index was read before the first frame"


async def test_keys_at_once_are_all_journaled_when_a_record_holds_the_name(tmp_path):
    app = make_app(tmp_path, ManualClock(), PLAN)
    data = app.config.data_dir
    renamed_record(data)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        engine, saver = screen.engine, screen.saver
        await pilot.press("f", "j")  # both agree at once, while the check may still be running
        await until(pilot, lambda: saver.name_check is not None and saver.name_check.done())
        assert engine.session_id == f"{TAKEN}-2"
        app.config.clock.advance(5)
        await pilot.press("j")  # blocked: Alex has the floor
        folder = paths.sessions_dir(data)
        assert [p.name for p in folder.glob("*.journal")] == [f"{TAKEN}-2.journal"]
        head, logged = journal_lines(folder / f"{TAKEN}-2.journal")
        assert head["id"] == f"{TAKEN}-2" and logged == engine.log
        assert [e["op"] for e in logged] == ["press", "press", "press"]
        assert not (folder / f"{TAKEN}.toml").exists()
        await pilot.press("ctrl+q")
    records, errors = store.list_sessions(data)
    assert errors == [] and sorted(r["id"] for r in records) == [TAKEN, f"{TAKEN}-2"]
    assert list(paths.sessions_dir(data).glob("*.journal")) == []


async def test_start_remembers_the_names_once_the_session_is_on_screen(heartline_home):
    from heartline.sessions import paths as where
    from heartline.sessions import prefs
    from heartline.tui.app import start_app
    from heartline.tui.cli import _start_options, build_parser

    options = _start_options(build_parser().parse_args(["start", "--left", "Robin", "--right", "Kai"]))
    app = start_app(options, clock=ManualClock())
    assert app.rituals is options.rituals  # read once, by the command line
    config = where.config_dir()
    assert prefs.load(config).left != "Robin"  # nothing written before the first frame
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: app.first_frame_shown)
        await pilot.pause()
        assert (prefs.load(config).left, prefs.load(config).right) == ("Robin", "Kai")
        await pilot.press("ctrl+q")
