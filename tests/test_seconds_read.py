"""A second of a turn is a cheap read and a direct wake-up (issue 17's CPU during a turn).

The engine brings the last state's seconds up to now (`Engine.seconds_later`)
when nothing but the turn's clock moved, and says "read me whole" otherwise;
the screen paints such a second with the big clock and the bar alone; and on
the machine's clock the wake-up calls the screen itself, as a Textual timer
does, not as a message to it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from hypothesis import given, settings as hsettings, strategies as st
from textual.message_pump import MessagePump
from textual.widgets import Digits

from heartline.sessions.clock import ManualClock, RealClock
from heartline.sessions.engine import LEFT, RIGHT, Action
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.wake import wake_at
from heartline.tui.widgets.pane import clock_text, timeless
from tests.apps import make_app

RITUALS = load_rituals()
LONG = SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1, rules=False, checkin=False)


def engine_of(plan: SessionPlan, clock):
    return plan.engine(RITUALS.get(plan.protocol), clock)


@hsettings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.floats(0.0, 2.5), st.sampled_from(["wait", "wait", "done", "pause", "other"])),
                      min_size=5, max_size=60),
       ritual=st.sampled_from(["stress-reducing", "speaker-listener", "imago-dialogue", "problem-solving"]), speak=st.integers(5, 70))
def test_a_cheap_read_is_always_the_whole_state_or_nothing(steps, ritual, speak):
    """Whenever `seconds_later` gives a state, it is the very state `state()` gives at that instant."""
    plan = SessionPlan(ritual, "Alex", "Sam", speak=speak, reflect=12, rounds=1, rules=False, checkin=False)
    clock = ManualClock()
    engine = engine_of(plan, clock)
    last = engine.state()
    for wait, act in steps:
        clock.advance(wait)
        later = engine.seconds_later(last)
        now = engine.state()
        if later is not None:
            assert later == now
            assert timeless(now) == timeless(last)  # the screen paints it as the last but for the seconds: so it must be
        last = now if later is None or act != "wait" else later  # a screen keeps the cheap one too
        if act == "done" and now.floor:
            engine.press(now.floor, Action.DONE)
        elif act == "pause":
            engine.toggle_pause()
        elif act == "other" and now.floor:
            engine.press(LEFT if now.floor == RIGHT else RIGHT, Action.DONE)


def test_a_plain_second_is_read_cheaply_and_anything_else_whole():
    clock = ManualClock()
    engine = engine_of(replace(LONG, speak=120), clock)
    last = engine.state()
    clock.advance(1)
    assert engine.seconds_later(last) is not None  # a second of the turn and nothing else
    clock.advance(60)  # a minute of time together on the top line
    assert engine.seconds_later(last) is None
    last = engine.state()
    clock.advance(29.5)  # 29.5 s left: the 30-second warning
    assert engine.seconds_later(last) is None
    last = engine.state()
    engine.press(RIGHT, Action.DONE)  # a key of the listener's: an input, though it changes nothing shown
    assert engine.seconds_later(last) is None
    last = engine.state()
    engine.toggle_pause()
    clock.advance(1)
    assert engine.seconds_later(last) is None  # paused: only a whole read says so


def shown(screen, side=LEFT) -> str:
    return screen.query_one(f"#pane-{side} #clock", Digits).value


async def test_a_second_of_the_turn_reads_the_engine_cheaply_and_shows_its_figure(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        engine = screen.engine
        whole = []
        original = engine.state
        engine.state = lambda: whole.append(clock.monotonic()) or original()
        for _ in range(5):
            clock.advance(1)
            assert shown(screen) == clock_text(original().time_left)
        assert whole == []  # five seconds, five cheap reads
        await pilot.press("k")  # Sam's not-quite key: a whole read and paint
        assert whole
        clock.advance(1)
        assert shown(screen) == clock_text(original().time_left)


async def test_a_wake_up_on_the_machine_clock_calls_back_itself_not_through_the_owners_messages():
    pump = MessagePump()  # never started: a message to it would never be handled
    rang = []
    clock = RealClock()
    wake_at(pump, clock, clock.monotonic(), lambda: rang.append(True))
    for _ in range(400):  # the loop's timer, a millisecond away (up to 2 s on a busy machine)
        if rang:
            break
        await asyncio.sleep(0.005)
    assert rang == [True]

