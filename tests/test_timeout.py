"""The time-out as the research has it: a minimum, no names on readiness, undo, an agreed time to come back."""

from __future__ import annotations

from datetime import timedelta

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.timeout import TimeoutScreen
from tests.apps import make_app, text_of

RITUAL = load_rituals().get("speaker-listener")


def make(**settings) -> tuple[Engine, ManualClock]:
    clock = ManualClock()
    engine = Engine(RITUAL, "Alex", "Sam", Settings(speak_seconds=120, reflect_seconds=60, rounds=1, **settings),
                    clock, rules=False, checkin=False)
    return engine, clock


def test_nobody_comes_back_before_the_minimum_and_it_is_a_setting():
    """What was seen: both could press done and come back at once, before twenty minutes."""
    e, c = make()
    e.time_out()
    c.advance(60)
    assert e.press(LEFT, "done").what == "too-soon"
    assert e.press(RIGHT, "done").what == "too-soon"
    assert e.toggle_pause().what == "too-soon"
    assert e.state().pause_kind == "time-out"
    c.advance(20 * 60)
    e.press(LEFT, "done")
    assert e.press(RIGHT, "done").what == "time-out-ended"
    short, c2 = make(timeout_seconds=5 * 60)
    short.time_out()
    c2.advance(5 * 60)
    short.press(LEFT, "done")
    assert short.press(RIGHT, "done").what == "time-out-ended"


def test_a_mistaken_time_out_can_be_taken_back_in_its_first_seconds():
    e, c = make()
    c.advance(5)
    before = e.state().time_left
    e.time_out()
    c.advance(3)
    assert e.state().timeout_undo_left == 7
    assert e.time_out().what == "time-out-undone"
    assert not e.state().paused and e.state().time_left == before  # the clock stood still meanwhile
    e.time_out()
    c.advance(11)
    assert e.time_out().what == "time-out"  # too late to take back: it stays
    assert e.state().pause_kind == "time-out"
    assert [ev["kind"] for ev in e.record()["events"]] == ["time-out", "time-out-undone", "time-out"]


def test_readiness_is_a_count_never_a_name():
    e, c = make()
    e.time_out()
    c.advance(1200)
    out = e.press(RIGHT, "done")
    assert out.what == "ready-to-return" and "Alex" not in out.reason and "Sam" not in out.reason
    assert e.state().timeout_ready == 1


def test_the_agreed_time_to_come_back_is_kept_and_replays():
    e, c = make()
    c.advance(30)
    e.time_out()
    assert e.agree_return(0).what == "return-at"  # not a time
    assert e.agree_return(40).what == "return-agreed"
    assert e.record()["agreed_return"] == e.started_at + timedelta(seconds=30 + 40 * 60)
    again = Engine.replay(RITUAL, "Alex", "Sam", e.settings, e.log, e.started_at, rules=False, checkin=False)
    assert again.record() == e.record()


async def test_time_out_screen_minimum_said_once_no_names_and_agreed_time(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f", "j")
        session = app.screen
        clock.advance(5)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        shown = text_of(screen, "#why") + text_of(screen, "#return") + text_of(screen, "#guide")
        assert "rehears" in shown and "breathe" in shown.lower()
        assert "If you feel unsafe, leave and get help." in shown
        assert "Alex" not in shown and "Sam" not in shown  # no names on who is ready
        await pilot.press("f")  # too soon: the reason, once
        assert "twenty minutes" in text_of(screen, "#return")
        await pilot.press("j", "f")
        assert text_of(screen, "#return").count("twenty minutes") == 1
        assert session.engine.state().pause_kind == "time-out"
        await pilot.press("a")  # agree a time to come back: 30 minutes
        await pilot.pause()
        await pilot.press("backspace", "backspace", "3", "0", "enter")
        await pilot.pause()
        assert session.engine.return_at == session.engine.started_at + timedelta(seconds=5 + 30 * 60)
        assert "Back at" in text_of(screen, "#agreed")
        clock.advance(20 * 60)
        screen.redraw()
        await pilot.press("j")
        shown = text_of(screen, "#return")
        assert "Both calm?" in shown and "●○" in shown and "Alex" not in shown and "Sam" not in shown
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is session and not session.engine.state().paused
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    saved = store.list_sessions(tmp_path / "data")[0][0]
    assert saved["agreed_return"] == saved["started_at"] + timedelta(seconds=5 + 30 * 60)


async def test_escape_ends_the_session_from_the_time_out(tmp_path):
    from heartline.tui.screens.dialogs import ConfirmScreen
    from heartline.tui.screens.summary import SummaryScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f", "j")
        await pilot.press("t")
        await pilot.pause()
        clock.advance(15)
        await pilot.pause()
        await pilot.press("escape")  # the return time is asked in words, no box: escape ends, as the screen says
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)



def test_the_return_time_is_never_sooner_than_the_minimum():
    """Issue 16/17: "1" and "10" minutes were accepted with a 20-minute minimum ("Back at 06:59" above "20 min")."""
    e, c = make()
    e.time_out()
    c.advance(12)
    for too_soon in (1, 10, 19):
        out = e.agree_return(too_soon)
        assert out.what == "too-soon" and "twenty minutes" in out.reason and "20 min" in out.reason
    assert e.return_at is None
    assert e.agree_return(20).what == "return-agreed"
    assert e.agree_return(24 * 60).what == "return-agreed"  # up to a day
    assert e.agree_return(24 * 60 + 1).what == "return-at"
    c.advance(15 * 60)  # five minutes of the minimum left
    assert e.minimum_minutes() == 5 and e.agree_return(4).what == "too-soon" and e.agree_return(5).accepted
    again = Engine.replay(RITUAL, "Alex", "Sam", e.settings, e.log, e.started_at, rules=False, checkin=False)
    assert again.record() == e.record()


def test_more_time_on_coming_back_keeps_the_time_out_going_and_replays():
    e, c = make()
    e.time_out()
    c.advance(20 * 60)
    assert e.press(LEFT, "done").what == "ready-to-return"
    assert e.more_time(10).what == "time-out-extended"
    s = e.state()
    assert s.pause_kind == "time-out" and s.timeout_ready == 0 and s.timeout_left == 10 * 60
    assert e.press(RIGHT, "done").what == "too-soon"
    c.advance(10 * 60)
    e.press(LEFT, "done")
    assert e.press(RIGHT, "done").what == "time-out-ended"
    again = Engine.replay(RITUAL, "Alex", "Sam", e.settings, e.log, e.started_at, rules=False, checkin=False)
    assert again.record() == e.record()


async def test_the_return_time_is_asked_every_time_and_refuses_less_than_the_minimum(tmp_path):
    from heartline.tui.screens.timeout import ReturnTimeScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        session = app.screen
        for _ in range(2):  # every time-out asks
            clock.advance(5)
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, TimeoutScreen)
            clock.advance(10.5)  # the moment to take it back has passed: asked in words, no box over the couple
            await pilot.pause()
            assert isinstance(app.screen, TimeoutScreen) and "When shall we come back?" in text_of(app.screen, "#agreed")
            await pilot.press("a")
            await pilot.pause()
            ask = app.screen
            assert isinstance(ask, ReturnTimeScreen) and "At least 20 min" in text_of(ask, ".title")
            for typed in ("1", "10"):
                await pilot.press("ctrl+u", *typed, "enter")
                await pilot.pause()
                assert app.screen is ask and "twenty minutes" in text_of(ask, "#error")
            assert session.engine.return_at is None or session.engine.state().return_at is not None
            await pilot.press("ctrl+u", "2", "0", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TimeoutScreen)
            clock.advance(20 * 60 + 2)  # the minimum, and the agreed time, have come
            await pilot.pause()
            app.screen.redraw()
            shown = text_of(app.screen, "#return")
            assert "Both calm?" in shown and "more time" in shown and "stop for today" in shown  # asked first
            assert "Back at" not in text_of(app.screen, "#agreed")  # never a time gone by
            await pilot.press("f", "j")
            await pilot.pause()
            assert app.screen is session


async def test_help_opens_in_a_time_out_started_from_help_and_is_not_left_open_after_an_undo(tmp_path):
    """Issue 17: ? → t → f1 did nothing; after the time-out was taken back, help was still open underneath."""
    from heartline.tui.screens.dialogs import HelpScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        session = app.screen
        clock.advance(3)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # help opens over the time-out
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("t")  # taken back
        await pilot.pause()
        if isinstance(app.screen, TimeoutScreen):
            app.screen.redraw()  # its next breath (a quarter second) sees the time-out is gone
        await pilot.pause()
        assert app.screen is session
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)


async def test_the_time_out_links_the_safety_page_and_suggests_separate_rooms(tmp_path):
    from heartline.tui.screens.safety import SafetyScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        await pilot.press("t")
        await pilot.pause()
        assert "Separate rooms" in text_of(app.screen, "#guide")
        assert "i: is this right for us?" in text_of(app.screen, "#return")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
