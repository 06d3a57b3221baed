"""`heartline start` knows who began last time without stat'ing every session file (issue 17's first paint).

It asks `recentcache.answer`, as home does: the answer kept beside the index
holds while the folder's names and the few files it chose are as they were,
so a session's journal coming and going costs a listing, not 20,000 stats.
Each test checks the answer stays right after what changes it.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from heartline.sessions import index, recentcache, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, other
from heartline.tui import cli
from tests.records import make_record


def _record(day: int, began: str, **kw) -> dict:
    rec = make_record(id=f"202611{day:02d}-190512-alex-sam", **kw)
    rec["started_at"] += timedelta(days=day - 26)
    rec["ended_at"] += timedelta(days=day - 26)
    for turn in rec["turns"]:
        turn["by"] = began if turn["by"] == "left" else other(began)
    return rec


def _first(data: Path) -> str:
    """Who `heartline start --left Alex --right Sam` lets begin: the other one from last time."""
    from heartline.tui.app import start_app

    args = cli.build_parser().parse_args(["--data-dir", str(data), "start", "--left", "Alex", "--right", "Sam"])
    return start_app(cli._start_options(args), ManualClock()).plan.first


def _no_scan(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("every file stat'ed")

    monkeypatch.setattr(index, "_scan", refuse)


def _in_progress(data: Path, name: str = "20261130-190512-alex-sam") -> tuple[Path, Path]:
    """What a session being talked leaves in the folder: an empty file holding its name, and its journal."""
    folder = data / "sessions"
    placeholder, journal = folder / f"{name}.toml", folder / f"{name}.journal"
    placeholder.write_bytes(b"")
    journal.write_bytes(b"{}\n")
    return placeholder, journal


@pytest.fixture
def data(tmp_path) -> Path:
    data = tmp_path / "data"
    store.save_record(_record(20, LEFT), data)
    store.save_record(_record(22, RIGHT), data)  # ended last: Sam began, so Alex (left) begins now
    assert _first(data) == LEFT  # found the long way, and kept
    return data


def test_a_journal_that_came_and_went_does_not_make_start_stat_every_file(data, monkeypatch):
    placeholder, journal = _in_progress(data)  # a session begun, then stopped and put away
    journal.unlink()
    placeholder.unlink()
    _no_scan(monkeypatch)
    assert _first(data) == LEFT


def test_a_session_in_progress_beside_does_not_either(data, monkeypatch):
    recentcache.recent(data)
    _in_progress(data)
    recentcache.recent(data)  # kept with the empty file watched
    _no_scan(monkeypatch)
    assert _first(data) == LEFT


def test_its_record_written_over_the_empty_file_is_seen_at_once(data):
    placeholder, journal = _in_progress(data)
    recentcache.recent(data)
    store.save_record(_record(30, LEFT), data)  # the session saved: Alex began it
    assert placeholder.stat().st_size > 0
    assert _first(data) == RIGHT
    journal.unlink()  # and then its journal goes
    assert _first(data) == RIGHT


def test_a_new_session_saved_or_imported(data):
    store.save_record(_record(24, LEFT), data)
    assert _first(data) == RIGHT
    (data / "sessions" / "20261125-190512-alex-sam.toml").write_text(  # copied in by hand
        store.dumps_record(_record(25, RIGHT)), encoding="utf-8")
    assert _first(data) == LEFT


def test_the_last_session_deleted_trashed_and_put_back(data, capsys):
    last = "20261122-190512-alex-sam"
    moved = store.move_to_trash(data, last)
    assert _first(data) == RIGHT  # the one before: Alex began it
    os.rename(moved, data / "sessions" / moved.name)  # "move it back to restore it": its old times come back
    assert _first(data) == LEFT
    store.delete_for_good(data, last)
    assert _first(data) == RIGHT


def test_an_older_session_taken_up_again_and_saved_under_its_own_name(data):
    resumed = _record(20, LEFT)
    resumed["ended_at"] += timedelta(days=5)  # resumed after a time-out: it now ended last
    store.save_record(resumed, data)
    assert _first(data) == RIGHT


def test_a_session_recovered_from_its_journal(data):
    placeholder, journal = _in_progress(data)
    recentcache.recent(data)
    placeholder.write_text(store.dumps_record(_record(29, LEFT)), encoding="utf-8")  # as `save_recovered` leaves it
    journal.unlink()
    assert _first(data) == RIGHT


@pytest.mark.parametrize("change", [
    lambda kept: kept.update(ids=["20261120-190512-alex-sam"]),  # an older session named instead
    lambda kept: kept.update(files=[[1, 2, 3]] * len(kept["files"])),
    lambda kept: kept.update(held={"x.toml": "nonsense"}),
    lambda kept: kept.update(names=7),
])
@pytest.mark.parametrize("sealed", [False, True])
def test_a_damaged_or_altered_answer_is_never_believed(data, change, sealed):
    path = recentcache.cache_path(data)
    kept = json.loads(path.read_text(encoding="utf-8"))
    placeholder, journal = _in_progress(data)  # the folder's time moved: the names are what is checked
    journal.unlink()
    placeholder.unlink()
    change(kept)
    if sealed:  # even with its checksum made to match, a wrong shape or a changed file sends start the long way
        try:
            kept["sum"] = recentcache._sum(kept)
        except (TypeError, ValueError):
            pass
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert recentcache.quick(data) is None
    assert _first(data) == LEFT


def test_a_session_saved_is_added_to_the_answer_so_the_next_start_looks_at_no_other_file(data, monkeypatch):
    sid = "20261130-190512-alex-sam"
    placeholder, journal = _in_progress(data, sid)  # a session begun after the answer was kept
    before = recentcache.before_save(data, sid)
    assert before is not None
    store.save_record(_record(30, LEFT), data)  # Alex began it
    journal.unlink()
    recentcache.saved(data, before)
    _no_scan(monkeypatch)
    assert _first(data) == RIGHT
    kept = [r["id"] for r in recentcache.quick(data)[0]]
    monkeypatch.undo()
    assert kept == [r["id"] for r in index.recent(data)[0]]


def test_a_session_saved_while_another_file_came_is_not_added(data):
    sid = "20261130-190512-alex-sam"
    _, journal = _in_progress(data, sid)
    before = recentcache.before_save(data, sid)
    store.save_record(_record(30, LEFT), data)
    journal.unlink()
    (data / "sessions" / "20261131-190512-alex-sam.toml").write_text(  # copied in meanwhile: ended last, Sam began
        store.dumps_record(_record(31, RIGHT)), encoding="utf-8")
    recentcache.saved(data, before)
    assert recentcache.quick(data) is None
    assert _first(data) == LEFT


def test_a_session_saved_as_heartline_saves_keeps_the_answer_for_the_next_start(data, monkeypatch):
    from datetime import datetime

    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.rituals import load_rituals
    from heartline.tui.saving import SessionSaver
    from tests.records import CET

    ritual = load_rituals().get("speaker-listener")
    clock = ManualClock(start=datetime(2026, 11, 30, 12, tzinfo=CET))
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=20, reflect=10, rounds=1, first=LEFT),
                    clock, rules=False, checkin=False)
    saver = SessionSaver.start(engine, data)
    clock.advance(25)
    engine.tick()
    engine.end_early()
    assert saver.save() is not None and not saver.journal.path.exists()
    _no_scan(monkeypatch)
    assert _first(data) == RIGHT  # Alex began it
    kept = [r["id"] for r in recentcache.quick(data)[0]]
    monkeypatch.undo()
    assert engine.session_id in kept and kept == [r["id"] for r in index.recent(data)[0]]


def test_the_index_removes_the_kept_answer_by_its_own_name():
    assert index.RECENT_NAME == recentcache.NAME  # kept apart so a start need not import the index
