"""Pause, time-out, end and help work from every screen and dialog of a session, text boxes included."""

from __future__ import annotations

from dataclasses import replace

import tomllib

import pytest
from textual.widgets import Input

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.dialogs import ConfirmScreen, HelpScreen, IStatementScreen, NoteScreen
from heartline.tui.screens.session import SessionScreen
from heartline.tui.screens.summary import SummaryScreen
from heartline.tui.screens.timeout import TimeoutScreen
from tests.apps import make_app, until, text_of

# one plain 30 s speaking turn (speaker–listener speaks in shorter chunks of its floor time)
PLAN = SessionPlan("stress-reducing", "Alex", "Sam", speak=30, reflect=20, rounds=1, topic="Holidays", checkin=False)


async def on_the_floor(pilot, clock, app):
    """Both agree to the rules; Alex speaks for 10 s (20 s left)."""
    await pilot.press("f", "j")
    clock.advance(10)
    await pilot.pause()
    session = app.screen
    assert isinstance(session, SessionScreen) and session.engine.stage is Stage.FLOOR
    assert session.engine.state().time_left == pytest.approx(20)
    return session


async def test_help_pauses_the_turn_and_closing_it_carries_on(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert session.engine.state().paused
        clock.advance(6)  # reading help is not speaking time
        assert session.engine.state().time_left == pytest.approx(20)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is session and not session.engine.state().paused
        clock.advance(5)
        assert session.engine.state().time_left == pytest.approx(15)


async def test_reading_help_is_not_told_back_as_a_pause_you_needed(tmp_path):
    """Seen in the trial: help opened once, and the summary said "You paused once when you needed to" and the
    timeline "Together you paused". The app's own pause is now its own kind of event, and replays the same."""
    from heartline.sessions.engine import Engine
    from heartline.sessions.export import timeline
    from heartline.sessions.summary import shared_lines, summarize

    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("question_mark")
        clock.advance(6)
        await pilot.press("escape")
        await pilot.pause()
        engine = session.engine
        record, log = engine.record(), list(engine.log)  # leaving the app ends the session: not part of this
    kinds = [e["kind"] for e in record["events"]]
    assert kinds == ["pause-help", "resume"]
    assert not any("paused" in line for line in shared_lines(summarize(record)))
    assert any(words == "Together you paused while help was open" for _, words in timeline(record))
    again = Engine.replay(engine.ritual, "Alex", "Sam", engine.settings, log, engine.started_at,
                          checkin=False, topic="Holidays")
    assert [e["kind"] for e in again.record()["events"]] == kinds


async def test_help_over_a_pause_leaves_it_paused(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("space")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # the help key closes it again
        await pilot.pause()
        assert app.screen is session and session.engine.state().paused


async def test_pause_then_time_out_with_help_open(tmp_path):
    """Seen: `?` then space then `t` did not pause; the clock ran from 0:20 to 0:14."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("question_mark", "space")
        clock.advance(6)
        assert session.engine.state().paused and session.engine.state().time_left == pytest.approx(20)
        await pilot.press("escape")  # close help: the pause asked for with space stays
        await pilot.pause()
        assert app.screen is session and session.engine.state().paused
        await pilot.press("question_mark", "t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        assert session.engine.state().pause_kind == "time-out"


async def test_pause_and_time_out_while_a_note_is_typed(tmp_path):
    """Seen: in a note box, space and `t` were typed into the note and nothing paused."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("l")  # Sam starts a parking-lot note
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"at t")  # space and t are words here
        assert app.screen.query_one(Input).value == "at t"
        assert not session.engine.state().paused
        await pilot.press("ctrl+s")
        assert session.engine.state().paused
        assert "ctrl+s pause" in " ".join(str(label.content) for label in app.screen.query(".typing-keys"))
        clock.advance(5)
        assert session.engine.state().time_left == pytest.approx(20)
        await pilot.press("ctrl+s")
        assert not session.engine.state().paused
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        clock.advance(20 * 60)  # the time-out's minimum
        await pilot.pause()
        await pilot.press("f", "j")  # both back
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # the note waited, with what was typed
        assert app.screen.query_one(Input).value == "at t"
        await pilot.press("enter")
        assert session.engine.notes[-1]["text"] == "at t"


async def test_end_from_a_note_asks_first_and_keeps_the_note(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("l", *"tea")
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+g")  # already asking: a second press changes nothing
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen) and app.screen.query_one(Input).value == "tea"
        assert session.engine.stage is Stage.FLOOR


async def test_escape_ends_the_session_from_a_time_out(tmp_path):
    """Seen: escape could not end the session from a time-out."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_the_floor(pilot, clock, app)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))  # a time-out and a question close first
    rec = tomllib.loads(next((tmp_path / "data" / "sessions").glob("*.toml")).read_text())
    assert rec["status"] == "not-started"  # stopped within the first turn (issue 17 item 5)


async def test_help_and_pause_over_the_end_question(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("space")
        assert session.engine.state().paused
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")  # close help, then "carry on"
        await pilot.pause()
        assert app.screen is session and session.engine.state().paused


async def test_a_pause_never_ends_while_the_window_is_too_small(tmp_path):
    """Seen with tui-drive: paused by hand, the window made small, then space: the turn ran on (into its wrap-up)
    while the screen said "the turn waits until then" and nobody could see the panes."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("space")
        assert session.engine.state().pause_kind == "pause"
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        for key in ("space", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause()
            assert session.engine.state().paused, key
        clock.advance(30)
        assert session.engine.state().time_left == pytest.approx(20)
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert session.engine.state().paused  # their own pause: it stays until one of them ends it
        await pilot.press("space")
        await pilot.pause()
        assert not session.engine.state().paused


async def test_a_window_made_too_small_pauses_and_growing_it_carries_on(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert session.engine.state().paused
        clock.advance(30)
        assert session.engine.state().time_left == pytest.approx(20)
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert not session.engine.state().paused
        # pausing by hand while small: it stays paused when the window grows
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        await pilot.press("space")
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert session.engine.state().paused
        assert "Paused" in text_of(session, "#banner")


async def test_safety_keys_outside_a_session_leave_other_screens_alone(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        await pilot.press("t", "space", "ctrl+t", "ctrl+g")
        assert app.screen is home
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert app.screen is home


async def test_time_out_from_the_i_statement_box(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, replace(PLAN, protocol="speaker-listener"))  # a ritual with an I-statement
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")  # Alex prepares an I-statement before the turns
        assert isinstance(app.screen, IStatementScreen)
        await pilot.press(*"tired ?")
        assert app.screen.query_one("#feel", Input).value == "tired ?"
        assert app.screen.query_one(".typing-keys") is not None
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        clock.advance(20 * 60)  # the time-out's minimum
        await pilot.pause()
        await pilot.press("f", "j")
        await pilot.pause()
        assert isinstance(app.screen, IStatementScreen)
        assert app.screen.query_one("#feel", Input).value == "tired ?"


async def test_a_new_session_starts_with_no_pause_held_from_the_last(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        app.hold_pause("too-small")  # as if the window had been small in the last session
        assert session.engine.state().paused
        app.pop_screen()  # that session is gone; another begins
        app.push_screen(SessionScreen(PLAN))
        await pilot.pause()
        fresh = await on_the_floor(pilot, clock, app)
        assert fresh is not session
        await pilot.press("question_mark")
        assert fresh.engine.state().paused  # help pauses the new turn
        await pilot.press("escape")
        await pilot.pause()
        assert not fresh.engine.state().paused


def bars(screen) -> str:
    return " | ".join(text_of(screen, f"#keys-{where}") for where in ("left", "right", "shared"))


async def test_the_bars_beneath_help_offer_only_what_works_while_it_is_open(tmp_path):
    """Seen at 80x24: help open over a turn, the bars beneath said "space carry on", and space did not close
    help; escape then left the session in a pause of its own. The bars say what help's keys do, help's first
    line says what the pause key did, and the turn never runs under help."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = bars(session)
        assert "carry on" not in shown.replace("the turn carries on", "") and "f done" not in shown
        assert "esc or ? closes it, and the turn carries on" in shown
        await pilot.press("space")  # a pause of their own: it stays when help closes, and help says so
        assert "stays paused until one of you presses space" in text_of(app.screen, "#help-close")
        assert "then space carries on" in bars(session)
        await pilot.press("space")  # again: back to carrying on when help closes, never under it
        assert session.engine.state().paused and isinstance(app.screen, HelpScreen)
        clock.advance(5)
        assert session.engine.state().time_left == pytest.approx(20)
        assert "the turn is paused until then" in text_of(app.screen, "#help-close")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is session and not session.engine.state().paused
        assert "f done" in bars(session) and "space pause" in bars(session)


async def test_a_too_small_window_says_which_keys_still_work(tmp_path):
    """Seen at 70x20: "Please make the window larger … Your keys wait too" and no word of the keys that still work
    (pause, time-out, end, help, quit). Over a note box they are the keys that work while typing."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        session = await on_the_floor(pilot, clock, app)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        shown = str(session.query_one("TooSmall").render())
        assert "Still working: space pause · t time-out" in shown and "esc end · f1 help · ctrl+q quit" in shown
        await pilot.press("t")  # and it is so
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("t")  # taken back within its first seconds
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is session  # the partner's own keys wait
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        await pilot.press("l")
        assert isinstance(app.screen, NoteScreen)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        shown = str(app.screen.query_one("TooSmall").render())
        assert "ctrl+s pause · ctrl+t time-out" in shown and "ctrl+g end · f1 help" in shown


async def test_a_pause_before_the_turns_says_no_clock_runs_there_and_the_keys_still_work(tmp_path):
    """Seen at 80x24: paused on the rules, the banner said "the turn clock has stopped. Press space when you are
    both ready", as if everything waited, while the agree keys worked as ever. On a step with no clock it says
    so, and what the pause does: the first turn waits for it to be lifted."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, replace(PLAN, checkin=True))
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert session.engine.stage is Stage.RULES and session.engine.state().paused
        before = "⏸  Paused. No clock runs here: your keys work. The first turn waits for space."
        assert text_of(session, "#banner") == before
        await pilot.press("f", "j")  # the words are true: agreeing works while paused
        clock.advance(1)
        await pilot.pause()
        assert session.engine.stage is Stage.CHECKIN and text_of(session, "#banner") == before
        await pilot.press("3", "8", "f", "j")  # each chooses and seals a feeling, paused
        clock.advance(1)
        await pilot.press("f", "j")  # and both are ready
        await pilot.pause()
        assert session.engine.stage is Stage.FLOOR and session.engine.state().paused  # as it said: the turn waits
        assert text_of(session, "#banner").startswith("⏸  Paused — the turn clock has stopped.")
        after = session._pause_without_clock(replace(session.engine.state(), stage=Stage.CHECKOUT))
        assert after == "⏸  Paused. No clock runs here: your keys work. Press space to lift it."  # no turn follows
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert session._pause_without_clock(replace(session.engine.state(), stage=Stage.RULES)) == (
            "⏸  Paused, though no clock runs on this step: your keys still work here. "
            "The first turn will wait until you press space.")
