"""Calm first (issue 18): the aftermath of a fight refuses to start within the time-out minimum of a time-out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from heartline.sessions import paths, store
from heartline.sessions.engine import calm_from, last_time_out
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui import cli
from tests.records import make_record

RITUALS = load_rituals()
AFTERMATH = RITUALS.get("aftermath-of-a-fight")


def with_time_out(started: datetime, offset: float, undone: bool = False) -> dict:
    events = [{"offset_seconds": offset, "kind": "time-out", "by": "both"}]
    if undone:
        events.append({"offset_seconds": offset + 3, "kind": "time-out-undone", "by": "both"})
    return make_record(started_at=started, ended_at=started + timedelta(seconds=offset + 10),
                       duration_seconds=offset + 10.0, events=events)


def test_within_the_minimum_of_a_time_out_the_aftermath_waits():
    now = datetime(2026, 12, 5, 21, 0).astimezone()
    record = with_time_out(now - timedelta(minutes=10), 120)  # began 8 minutes ago
    assert last_time_out([record]) == now - timedelta(minutes=8)
    began, until = calm_from(AFTERMATH, [record], now)
    assert (began, until) == (now - timedelta(minutes=8), now + timedelta(minutes=12))
    assert calm_from(AFTERMATH, [record], now + timedelta(minutes=12)) is None  # calm: it may start
    assert calm_from(RITUALS.get("speaker-listener"), [record], now) is None  # only a calm-first ritual waits
    assert calm_from(AFTERMATH, [with_time_out(now - timedelta(minutes=10), 120, undone=True)], now) is None
    assert calm_from(AFTERMATH, [], now) is None
    assert calm_from(AFTERMATH, [record], now, minimum=5 * 60) is None  # the time-out's length is a setting


def test_the_plan_says_why_in_one_sentence():
    now = datetime(2026, 12, 5, 21, 0).astimezone()
    why = SessionPlan("aftermath-of-a-fight", "Alex", "Sam").not_yet(
        AFTERMATH, [with_time_out(now - timedelta(minutes=10), 120)], now)
    assert why.startswith("Aftermath of a fight waits until you are both calm") and "20:52" in why
    assert "21:12" in why and "\n" not in why


def test_heartline_start_refuses_it_in_one_line(capsys, heartline_home):
    now = datetime.now().astimezone()
    store.save_record(with_time_out(now - timedelta(minutes=3), 60), paths.data_dir())
    code = cli.main(["start", "--left", "Alex", "--right", "Sam", "--protocol", "aftermath-of-a-fight"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "waits until you are both calm" in err and "Traceback" not in err


@pytest.mark.parametrize("protocol", ["speaker-listener", "aftermath-of-a-fight"])
def test_other_rituals_and_a_calm_couple_start(monkeypatch, heartline_home, protocol):
    started = []
    monkeypatch.setattr("heartline.tui.app.run_session", lambda options: started.append(options.protocol) or 0)
    now = datetime.now().astimezone()
    store.save_record(with_time_out(now - timedelta(minutes=40 if protocol != "speaker-listener" else 3), 60),
                      paths.data_dir())
    assert cli.main(["start", "--left", "Alex", "--right", "Sam", "--protocol", protocol]) == 0
    assert started == [protocol]


async def test_the_setup_form_says_so_under_the_form_and_keeps_what_was_typed(tmp_path):
    from heartline.sessions import prefs
    from heartline.sessions.clock import ManualClock
    from heartline.tui.screens.setup import SetupScreen
    from tests.apps import make_app, text_of

    clock = ManualClock()
    now = clock.now()
    store.save_record(with_time_out(now - timedelta(minutes=3), 60), tmp_path / "data")
    prefs.save(tmp_path / "config", prefs.Prefs(left="Alex", right="Sam", protocol="aftermath-of-a-fight"))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        screen.action_start()
        await pilot.pause()
        assert app.screen is screen  # not started
        assert "waits until you are both calm" in text_of(screen, "#error")
        clock.advance(20 * 60)  # calm: the same form starts it
        screen.action_start()
        await pilot.pause()
        assert app.screen is not screen
