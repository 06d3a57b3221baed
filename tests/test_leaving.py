"""Leaving, or nearly: ctrl+q and ctrl+c ask first in a session, escape never throws typed words away
unasked, and the app's notices never cover a partner's pane or keys."""

from __future__ import annotations

import tomllib

from textual.widgets import Input
from textual.widgets._toast import Toast

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.dialogs import ConfirmScreen, IStatementScreen, NoteScreen, QuitScreen
from heartline.tui.screens.session import SessionScreen
from tests.apps import make_app, text_of, until

PLAN = SessionPlan("stress-reducing", "Maya", "Jon", speak=30, reflect=20, rounds=1, topic="Holidays", checkin=False)


def records(tmp_path):
    return sorted((tmp_path / "data" / "sessions").glob("*.toml"))


async def on_the_floor(pilot, clock, app):
    await pilot.press("f", "j")
    clock.advance(5)
    await pilot.pause()
    assert app.screen.engine.stage is Stage.FLOOR
    return app.screen


async def test_ctrl_q_mid_turn_asks_first_and_carrying_on_loses_nothing(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitScreen)  # asked, as escape asks
        assert app.is_running and all(p.stat().st_size == 0 for p in records(tmp_path))
        await pilot.press("n")
        assert app.screen is session and session.engine.stage is Stage.FLOOR and session.saved_path is None
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    (rec,) = [tomllib.loads(p.read_text()) for p in records(tmp_path)]
    assert rec["status"] == "not-started"  # saved; stopped within the first turn


async def test_ctrl_q_twice_quits_and_saves(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_floor(pilot, clock, app)
        await pilot.press("ctrl+q", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    (rec,) = [tomllib.loads(p.read_text()) for p in records(tmp_path)]
    assert rec["status"] == "not-started"  # saved; stopped within the first turn


async def test_ctrl_c_mid_turn_asks_the_same_and_shows_no_toast(tmp_path):
    """Seen: Textual's "Press ctrl+q to quit the app" toast over the right pane."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert not app.screen.query(Toast) and not session.query(Toast)
        await pilot.press("escape")  # no: carry on
        assert app.screen is session and session.engine.stage is Stage.FLOOR


async def test_a_warning_at_start_covers_no_pane_or_key(tmp_path):
    """Seen: a damaged settings.toml's toast over the right partner's pane and keys on the floor."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN, prefs_problem="settings.toml: is not valid TOML; using the defaults")
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.pause()
        assert not session.query(Toast)  # no toast over the panes
        notice = session.query_one("#notice")
        assert notice.display and "settings.toml was not used" in text_of(session, "#notice")
        keys_bar = session.query_one("#keys-right").region
        pane = session.query_one("#pane-right").region
        assert not notice.region.overlaps(keys_bar) and not notice.region.overlaps(pane)
        assert "Jon" in text_of(session, "#keys-right")
        clock.advance(16)  # its time is up: the row goes and the panes have it back
        session.refresh_state()
        await pilot.pause()
        assert not notice.display


async def test_escape_in_a_note_asks_before_throwing_typed_words_away(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("l", *"the boiler")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)  # asked, not thrown away
        await pilot.press("escape")  # no: keep writing
        assert isinstance(app.screen, NoteScreen) and app.screen.query_one(Input).value == "the boiler"
        await pilot.press("enter")
        assert session.engine.notes[-1]["text"] == "the boiler"
        await pilot.press("l", *"never mind", "escape", "y")
        assert app.screen is session and len(session.engine.notes) == 1


async def test_escape_in_an_empty_note_closes_it_at_once(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("l", "escape")
        assert app.screen is session


async def test_the_offer_of_a_session_left_in_a_time_out_says_so_and_when_you_agreed_to_come_back(tmp_path):
    """Seen: the unfinished-session offer did not say it was in a time-out, nor when they agreed to come back."""
    from heartline.tui.screens.recover import RecoverScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("t")
        await pilot.pause()
        session.engine.agree_return(45)  # what `a` in the time-out does
        back = session.engine.return_at
        await app.action_quit()  # a time-out is a break: its journal stays
    clock.advance(60)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        what = text_of(app.screen, "#what")
        assert "You were in a time-out" in what
        assert f"you agreed to come back at {back:%H:%M}" in what
        assert "back to your time-out" in text_of(app.screen, "#choices")


async def test_seen_a_note_box_does_not_eat_the_turn(tmp_path):
    """Temperature reading, speak 10: Maya typed for 25 s and her turn, its wrap-up and Jon's ran out under the box."""
    clock = ManualClock()
    plan = SessionPlan("temperature-reading", "Maya", "Jon", speak=10, reflect=10, rounds=1, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)  # 5 s into Maya's turn
        step = session.engine.state().step
        await pilot.press("s", *"slow")
        assert isinstance(app.screen, NoteScreen)
        clock.advance(25)
        session.refresh_state()
        await pilot.pause()
        state = session.engine.state()
        assert state.step == step and state.floor == "left" and not state.in_grace
        assert "waits while you write" in text_of(session, "#pane-left #timeline")
        assert "Maya is writing" in text_of(session, "#pane-right #timeline")
        await pilot.press("enter")
        assert app.screen is session and session.engine.notes[-1]["text"] == "slow"
        assert session.engine.state().step == step  # the rest of her turn is still hers


async def test_a_listeners_note_box_says_the_turns_clock_waits_for_it(tmp_path):
    """The box once said "When the floor is yours, its clock waits for you": a listener read it as "my note
    costs her time". The rule is the engine's: the turn's clock waits while either of you writes."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)  # Maya has the floor
        await pilot.press("l")  # Jon's note key, while she speaks
        assert isinstance(app.screen, NoteScreen)
        words = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "When the floor is yours" not in words
        assert "the turn's clock waits" in words
        clock.advance(40)
        session.refresh_state()
        assert session.engine.state().floor == "left" and session.engine.state().writing


async def test_enter_twice_on_the_summary_does_not_crash_home(tmp_path):
    """Tried as a couple: Enter, Enter on the summary crashed the app (NoMatches '#last-time'): home was resumed
    by the second key before it had been composed."""
    from heartline.tui.screens.summary import SummaryScreen

    clock = ManualClock()
    plan = SessionPlan("appreciation-round", "Maya", "Jon", rounds=1, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(2)
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        summary = app.screen
        summary.action_home()  # two Enters in one read of the terminal: both reach the summary
        summary.action_home()
        await pilot.pause()
        await pilot.pause()
        assert app.return_code is None and app._exception is None
        assert [type(s).__name__ for s in app.screen_stack].count("HomeScreen") == 1 == (type(app.screen).__name__ == "HomeScreen")
    assert records(tmp_path)
