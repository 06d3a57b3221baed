"""The end and quit questions hold the turn's clock (seen at 120×36: at "Pass, or a minute more?", escape or ctrl+q
asked "End the session now?" while the countdown and its bar ran on behind it, using up a partner's time)."""

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Engine
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.dialogs import ConfirmScreen, QuitScreen
from tests.apps import make_app


@pytest.mark.parametrize("key, question", [("escape", ConfirmScreen), ("ctrl+q", QuitScreen)])
async def test_the_end_and_quit_questions_hold_the_turns_clock_and_carry_on_resumes_it(tmp_path, key, question):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        await pilot.pause()
        engine = app.session().engine
        before = engine.state()
        assert before.floor and not before.paused and before.time_left > 31  # 30 s more would all but end it
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, question)
        clock.advance(30)  # the couple read the question
        held = engine.state()
        assert held.time_left == pytest.approx(before.time_left) and held.asking
        assert held.next_change() == pytest.approx(60 - (held.elapsed % 60), abs=1e-3)  # only time together moves
        await pilot.press("escape")  # no: carry on
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and app.is_running
        after = engine.state()
        assert not after.asking and after.time_left == pytest.approx(before.time_left)  # unchanged
        clock.advance(4)
        assert engine.state().time_left == pytest.approx(before.time_left - 4)  # it goes on from where it was
        again = Engine.replay(engine.ritual, "Alex", "Sam", engine.settings, engine.log, engine.started_at,
                              until=clock.monotonic() - engine._t0, rules=True, checkin=False)
        assert again.state().time_left == pytest.approx(before.time_left - 4)  # the journal replays the hold


def test_the_held_clock_under_the_question_replays_to_the_same_time_left():
    from tests.test_floor_rules import make

    e, c = make()
    c.advance(3)
    e.asking(True)
    c.advance(20)
    again = Engine.replay(e.ritual, "Maya", "Jon", e.settings, e.log, e.started_at, until=c.monotonic() - e._t0,
                          rules=False, checkin=False)
    assert again.state().asking and again.state().time_left == pytest.approx(e.state().planned - 3)


def test_a_session_that_crashed_with_the_question_open_resumes_without_it(tmp_path):
    from heartline.sessions import journal
    from tests.test_journal import _unfinished_after_crash, play_some, start

    clock = ManualClock()
    engine, j = start(tmp_path, clock)
    play_some(engine, clock)
    engine.asking(True)  # "End the session now?" was open when the app went
    clock.advance(30)
    left = engine.state().time_left
    (item,), _ = _unfinished_after_crash(tmp_path, j)
    resumed, _ = journal.resume(item, clock)
    assert not resumed.question_open and resumed.state().time_left == pytest.approx(left)  # the journal held it too
    resumed.toggle_pause()  # it starts paused; the couple carry on
    clock.advance(4)
    assert resumed.state().time_left == pytest.approx(left - 4)
