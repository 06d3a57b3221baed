"""The floor redraws exactly when what it shows next changes, and never shows a figure the engine no longer says.

The domain says when its figures change (`State.next_change`); the screen adds
its own cue and nudges and sets one wake-up. On the manual clock a wake-up is
an alarm that rings as the clock is advanced past it, so these tests see the
very redraws a person would, without sleeping and without calling the screen.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import example, given, settings as hsettings, strategies as st
from textual.widgets import Digits

from heartline.sessions.clock import ManualClock
from heartline.sessions.durations import (EPSILON, countdown_change, elapsed_change, format_duration, minutes_spent,
                                          whole_seconds)
from heartline.sessions.engine import LEFT, RIGHT, Action, Stage
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.session import SessionScreen
from heartline.tui.widgets.pane import clock_text, length_words
from tests.apps import make_app, text_of

RITUALS = load_rituals()
# One long speaking turn each (stress-reducing: "let it out" is the whole speak length), no rules, no check-in.
LONG = SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1, rules=False, checkin=False)
# Speaker–listener at 60 s: 20 s chunks in a loop, so the speaker's "floor in all" shows too.
LOOP = SessionPlan("speaker-listener", "Alex", "Sam", speak=60, reflect=20, rounds=1, rules=False, checkin=False)


def on_screen(screen) -> str:
    """The screen's rows as its next frame draws them (the cue's words drawn ahead of the banner too)."""
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


def faces(state) -> tuple:
    """Every figure the floor shows that time alone can change, as the screen shows it."""
    left = max(0.0, state.time_left)
    return (
        state.stage, state.step_number, state.paused,
        minutes_spent(state.elapsed),  # the time together, by the minute
        format_duration(left),
        whole_seconds(min(state.planned, state.planned - left)),  # the bar's whole seconds
        state.warning, state.in_grace,
        format_duration(state.grace_left) if state.in_grace else "",
        state.floor_after,  # "then … says it back": no figure of its own
        length_words(state.planned) if state.floor_turn is not None else "",  # "this part is 7 s of the 20 s left
        length_words(state.floor_turn) if state.floor_turn is not None else "",  # of your floor": the turn's own
    )


# ----- the arithmetic ------------------------------------------------------

@pytest.mark.parametrize("left, expected", [(5.0, 1.0), (4.3, 0.3), (0.25, 0.25), (1.0, 1.0), (0.0, None), (-2.0, None)])
def test_a_countdown_changes_as_the_time_left_crosses_a_whole_second(left, expected):
    assert countdown_change(left) == pytest.approx(expected, abs=1e-6) if expected else countdown_change(left) is None


@pytest.mark.parametrize("spent, expected", [(0.0, 1.0), (4.3, 0.7), (59.999, 0.001), (7.0, 1.0)])
def test_time_spent_changes_at_the_next_whole_second(spent, expected):
    assert elapsed_change(spent) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("spent, expected, words", [(0.0, 60.0, "under a minute"), (59.5, 0.5, "under a minute"),
                                                     (60.0, 60.0, "1 min"), (754.3, 25.7, "12 min"),
                                                     (3600.0, 60.0, "1 h"), (3930.0, 30.0, "1 h 5 min")])
def test_time_together_is_shown_by_the_minute(spent, expected, words):
    assert elapsed_change(spent, 60) == pytest.approx(expected, abs=1e-6) and minutes_spent(spent) == words


def test_next_change_names_the_grace_start_the_deadline_and_stands_still_once_ended():
    engine = LONG.engine(RITUALS.get("stress-reducing"), clock := ManualClock())
    clock.advance(59.75)
    assert engine.state().next_change() == pytest.approx(0.25)  # the grace start: 0:01 → 0:00, "wrap up"
    clock.advance(0.25)
    state = engine.state()
    assert state.in_grace and state.next_change() == pytest.approx(1.0)
    clock.advance(14.4)
    assert engine.state().next_change() == pytest.approx(0.6)  # the deadline: the engine ends the turn itself
    clock.advance(0.6)
    assert engine.state().step_number == 2
    engine.end_early()
    assert engine.state().next_change() is None


def test_while_paused_only_the_time_together_moves():
    engine = LONG.engine(RITUALS.get("stress-reducing"), clock := ManualClock())
    clock.advance(10.5)
    engine.toggle_pause()
    clock.advance(0.2)
    state = engine.state()
    assert state.next_change() == pytest.approx(49.3)  # 10.7 s together: "1 min together" in 49.3 s
    clock.advance(49.3)
    assert engine.state().next_change() == pytest.approx(60.0)
    clock.advance(500)
    assert engine.state().time_left == pytest.approx(49.5)  # the countdown stood still


@hsettings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from(["wait", "done", "pause", "other"])),
                      min_size=5, max_size=60),
       ritual=st.sampled_from(["stress-reducing", "speaker-listener"]), speak=st.integers(5, 70))
# A 2 s chunk of a 5 s floor, waited into its grace: the floor runs on there, its turn's clock does not, so
# "there is floor left after this part" must not be read from the two running apart (found by hypothesis).
@example(steps=[(0.0, "wait")] * 4 + [(1.0, "wait")], ritual="speaker-listener", speak=5)
def test_no_shown_figure_changes_before_next_change_and_one_does_at_it(steps, ritual, speak):
    """Between now and `next_change()` every shown figure stays; at it, one moves (so a redraw then is never wasted)."""
    plan = SessionPlan(ritual, "Alex", "Sam", speak=speak, reflect=12, rounds=1, rules=False, checkin=False)
    clock = ManualClock()
    engine = plan.engine(RITUALS.get(ritual), clock)
    for fraction, act in steps:
        state = engine.state()
        wait = state.next_change()
        if wait is None:
            break
        before = faces(state)
        early = max(0.0, wait - EPSILON) * fraction  # figures turn over a nanosecond before their whole second
        clock.advance(early)
        assert faces(engine.state()) == before
        clock.advance(wait - early)
        assert faces(engine.state()) != before
        if act == "done" and engine.state().floor:
            engine.press(engine.state().floor, Action.DONE)
        elif act == "pause":
            engine.toggle_pause()
        elif act == "other" and engine.state().floor:
            engine.press(LEFT if engine.state().floor == RIGHT else RIGHT, Action.DONE)


# ----- the manual clock's alarms ---------------------------------------------

def test_alarms_ring_in_order_each_at_its_own_moment_and_a_stopped_one_never():
    clock = ManualClock(monotonic=0.0)
    rang = []
    clock.call_at(2.0, lambda: rang.append(("b", clock.monotonic())))
    clock.call_at(1.0, lambda: (rang.append(("a", clock.monotonic())),
                                clock.call_at(1.5, lambda: rang.append(("a2", clock.monotonic())))))
    clock.call_at(1.2, lambda: rang.append(("never", clock.monotonic()))).stop()
    clock.advance(5)
    assert rang == [("a", 1.0), ("a2", 1.5), ("b", 2.0)]
    assert clock.monotonic() == 5.0


# ----- the screen ------------------------------------------------------------

def shown(screen, side=LEFT) -> str:
    return screen.query_one(f"#pane-{side} #clock", Digits).value


async def test_the_wake_up_is_the_time_to_the_next_shown_change(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert shown(screen) == "1:00" and screen.wake_delay == pytest.approx(1.0)
        clock.advance(0.3)
        await pilot.press("k")  # Sam's not-quite key (nothing while listening): a redraw, and the wake-up is set again
        assert screen.wake_delay == pytest.approx(0.7)  # not 1 s from the key: the next whole second
        clock.advance(0.69)
        assert shown(screen) == "1:00"
        clock.advance(0.01)
        assert shown(screen) == "0:59"  # rung by the clock: no call to the screen, no pause
        assert screen.wake_delay == pytest.approx(1.0)


async def test_grace_start_deadline_cue_and_its_expiry_each_shown_on_time(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        clock.advance(59.6)
        assert shown(screen) == "0:01"
        await pilot.press("k")  # a listener's key redraws off the second: the grace start is 0.4 s away
        assert screen.wake_delay == pytest.approx(0.4)
        clock.advance(0.4)
        assert "please wrap up" in text_of(screen, "#pane-left #timeline")  # the grace start, at once
        assert text_of(screen, "#banner") == ""
        bells = app.bells
        clock.advance(15)  # to the deadline exactly: the engine ends the turn, the screen says so
        assert screen.engine.state().step_number == 2
        assert on_screen(screen).splitlines()[1].strip().startswith("Turn ended") and app.bells == bells + 1
        await pilot.pause()  # the banner and the panes follow the cue's own frame
        assert text_of(screen, "#banner").startswith("Turn ended")
        assert "Support" in text_of(screen, "#pane-right #phase")
        assert screen.wake_delay == pytest.approx(1.0)
        clock.advance(3.999)
        assert text_of(screen, "#banner").startswith("Turn ended")
        clock.advance(0.001)
        assert text_of(screen, "#banner") == ""  # the cue's own expiry wakes the screen


async def test_a_nudge_goes_when_its_time_is_up(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LOOP)  # not a stress-reducing talk: there the listener may speak (issue 18)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        clock.advance(2.5)
        await pilot.press("j")  # Sam's done key while Alex has the floor: a nudge for nudge_seconds
        assert "Alex is still speaking" in text_of(screen, "#pane-right #nudge")
        clock.advance(app.config.nudge_seconds - 0.001)
        assert "Alex is still speaking" in text_of(screen, "#pane-right #nudge")
        clock.advance(0.001)
        assert text_of(screen, "#pane-right #nudge") == ""


async def test_a_long_turn_never_drifts_and_redraws_about_once_a_second(tmp_path):
    """At every instant of a 60 s turn and its grace, the shown countdown, time together and bar are the engine's."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, replace(LONG, rules=True))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        clock.advance(0.37)  # agree off the whole second: time together and the turn's clock then tick apart
        await pilot.press("f", "j")
        redraws = []
        original = screen.refresh_state

        def counted(state=None) -> None:
            original(state)
            redraws.append(clock.monotonic())

        screen.refresh_state = counted
        for _ in range(750):  # 75 s in tenths: the turn, its grace, the deadline
            clock.advance(0.1)
            state = screen.engine.state()
            if state.step_number == 1:
                assert shown(screen) == clock_text(state.grace_left if state.in_grace else state.time_left)  # one clock
                bar = screen.query_one("#pane-left #bar")
                assert bar.progress == whole_seconds(min(state.planned, state.planned - max(0.0, state.time_left)))
            assert text_of(screen, "#top-right").endswith(f"{minutes_spent(state.elapsed)} together")
        assert screen.engine.state().step_number == 2
        turn = [t for t in redraws if t < redraws[0] + 60]
        assert 60 <= len(turn) <= 62, len(turn)  # once a second: the time together moves by the minute, with it


async def test_paused_only_the_time_together_redraws(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        clock.advance(5.5)
        await pilot.press("space")
        assert screen.engine.state().paused
        assert screen.wake_delay == pytest.approx(54.5)  # the time together's next minute
        before = shown(screen)
        clock.advance(60)
        assert shown(screen) == before == "0:55"
        assert text_of(screen, "#top-right").endswith("1 min together")
        await pilot.press("space")
        clock.advance(0.5)
        assert shown(screen) == "0:54"


@pytest.mark.parametrize("old, new, same", [
    ("0:18 left", "0:17 left", True), ("9:59 together", "10:00 together", False), ("ab c", "a bc", False),
    ("", "0:01", False), (None, "0:01", False), ("0:59", "1:00", True), ("x…", "xy", True), ("x", "世", False),
])
def test_a_tick_asks_for_a_layout_only_when_the_text_changes_size(old, new, same):
    from heartline.tui.widgets.pane import same_shape

    assert same_shape(old, new) is same


async def test_a_turn_the_clock_ends_shows_its_cue_in_a_frame_before_the_panes_restyle(tmp_path):
    """The cue is not held back by the panes' restyle (most of that frame's work): it is written out first."""
    from textual.screen import Screen

    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    frames = []
    original = Screen._compositor_refresh

    def written(self) -> None:
        original(self)
        if isinstance(self, SessionScreen):
            frames.append((on_screen(self).splitlines()[1].strip(), text_of(self, "#pane-right #phase")))

    Screen._compositor_refresh = written
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            clock.advance(75)  # the turn and its grace: the engine ends the turn itself
            await pilot.pause()
            await pilot.pause()
    finally:
        Screen._compositor_refresh = original
    with_cue = [f for f in frames if f[0].startswith("Turn ended")]
    assert with_cue and "Support" not in with_cue[0][1]  # the cue's frame: the panes not yet restyled
    assert "Support" in with_cue[-1][1]  # then the panes, the cue still showing


async def test_the_turn_bar_keeps_no_timer_of_its_own_and_repaints_only_when_it_moves(tmp_path):
    from heartline.tui.widgets.pane import TurnBar

    clock = ManualClock()
    app = make_app(tmp_path, clock, replace(LONG, speak=600))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        bars = list(app.screen.query(TurnBar))
        assert bars and all(not bar._timers for bar in bars)  # ProgressBar's own once-a-second update is gone
        bar = app.screen.query_one("#pane-left #bar", TurnBar)
        inner = bar.query_one("Bar")
        shown = inner.percentage
        clock.advance(1)  # 1 s of 600: less than a half cell of the bar
        await pilot.pause()
        assert bar.progress == 1 and inner.percentage == shown
        clock.advance(299)  # half the turn: the bar has moved
        await pilot.pause()
        assert bar.progress == 300 and inner.percentage == pytest.approx(0.5, abs=0.02)


def test_floor_left_after_a_part_holds_all_turn_its_grace_too():
    """A 2 s part of a 5 s floor: "there is floor after this part" is the turn's, not read off the running floor
    (in the grace the floor runs on and the turn's clock does not; the two read together turned it over unnamed)."""
    plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=5, reflect=12, rounds=1, rules=False, checkin=False)
    engine = plan.engine(RITUALS.get("speaker-listener"), clock := ManualClock())
    state = engine.state()
    assert (state.planned, state.floor_turn, state.floor_after) == (2.0, 5.0, True)
    seen = set()
    while engine.state().step_number == 1:
        state = engine.state()
        seen.add((state.in_grace, state.floor_after))
        clock.advance(0.25)
    assert seen == {(False, True), (True, True)}  # the floor ran down to nothing in the grace; the words stood
