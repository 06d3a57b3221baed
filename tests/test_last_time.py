"""Home's "last time" is the session that ended last (issue 17, item 18)."""

from __future__ import annotations

from datetime import date, datetime

from heartline.sessions import index, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.history import last_time
from tests.apps import make_app, text_of, until
from tests.records import CET, make_record


def _two(home) -> None:
    """A 22-minute Imago taken up again after a time-out ends after a 4-second run that started later."""
    imago = make_record(id="20261126-090000-alex-sam", protocol="imago-dialogue",
                        started_at=datetime(2026, 11, 26, 9, 0, tzinfo=CET),
                        ended_at=datetime(2026, 11, 26, 10, 40, tzinfo=CET), duration_seconds=1320.0, notes=[])
    short = make_record(id="20261126-093000-alex-sam", started_at=datetime(2026, 11, 26, 9, 30, tzinfo=CET),
                        ended_at=datetime(2026, 11, 26, 9, 30, 4, tzinfo=CET), duration_seconds=4.0, notes=[],
                        status="ended-early")
    store.save_record(short, home)
    store.save_record(imago, home)


def test_last_time_is_the_session_that_ended_last(heartline_home):
    _two(heartline_home)
    every, _ = store.list_sessions(heartline_home)
    assert [r["duration_seconds"] for r in every] == [4.0, 1320.0]  # newest start first
    names = {"imago-dialogue": "Imago dialogue", "speaker-listener": "Speaker–listener"}
    line = last_time(every, date(2026, 11, 26), names)
    assert line == "last time: today, Imago dialogue, 22 min"
    for _ in range(2):  # index written, then read from its table alone
        few, errors = index.recent(heartline_home)
        assert errors == [] and last_time(few, date(2026, 11, 26), names) == line


async def _home_last_time(tmp_path) -> str:
    """Home's "last time" line at noon on 26 November, once it shows one."""
    clock = ManualClock(start=datetime(2026, 11, 26, 12, 0, tzinfo=CET))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "last time" in text_of(app.screen, "#last-time"))
        return text_of(app.screen, "#last-time")


async def test_home_says_the_session_that_ended_last(tmp_path):
    _two(tmp_path / "data")
    assert "22 min" in await _home_last_time(tmp_path)


def _talked_then_not_started(home, status: str = "not-started") -> None:
    """A 22-minute talk yesterday evening, then a run stopped at the ground rules this morning."""
    talk = make_record(id="20261125-190000-alex-sam", started_at=datetime(2026, 11, 25, 19, 0, tzinfo=CET),
                       ended_at=datetime(2026, 11, 25, 19, 22, tzinfo=CET), duration_seconds=1320.0, notes=[])
    stopped = make_record(id="20261126-090000-alex-sam", started_at=datetime(2026, 11, 26, 9, 0, tzinfo=CET),
                          ended_at=datetime(2026, 11, 26, 9, 0, 40, tzinfo=CET), duration_seconds=40.0, notes=[],
                          status=status, turns=[], partners=[
                              {"side": "left", "name": "Alex"}, {"side": "right", "name": "Sam"}])
    store.save_record(talk, home)
    store.save_record(stopped, home)


def test_last_time_leaves_out_a_run_stopped_before_it_began(heartline_home):
    """As who-starts and trends do: a "not started" run is listed in Past sessions, never "last time"."""
    _talked_then_not_started(heartline_home)
    every, _ = store.list_sessions(heartline_home)
    assert [r["status"] for r in every] == ["not-started", "completed"]
    line = last_time(every, date(2026, 11, 26))
    assert line == "last time: yesterday, speaker-listener, 22 min"
    for _ in range(2):  # index written, then read from its table alone
        few, errors = index.recent(heartline_home)
        assert errors == [] and last_time(few, date(2026, 11, 26)) == line
    assert last_time(every[:1], date(2026, 11, 26)) == ""  # only a run that never began: no last time


def test_last_time_leaves_out_an_old_file_where_nobody_held_the_floor(heartline_home):
    """A file from before the "not-started" status: ended early, nobody held the floor (as trends read it)."""
    _talked_then_not_started(heartline_home, status="ended-early")
    few, _ = index.recent(heartline_home)
    assert last_time(few, date(2026, 11, 26)) == "last time: yesterday, speaker-listener, 22 min"


async def test_home_leaves_out_a_run_stopped_before_it_began(tmp_path):
    _talked_then_not_started(tmp_path / "data")
    line = await _home_last_time(tmp_path)
    assert "yesterday" in line and "22 min" in line
