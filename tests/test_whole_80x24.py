"""Every screen whole at 80×24: no line of the app's own text cut, no hint outside its pane.

Each entry of SCREENS reaches one screen (or one moment of the floor) on a
manual clock; `tests.whole.cut_text` then lists what a person could not read.
A new screen joins by adding an entry here.
"""

from __future__ import annotations

import pytest

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.keys import key
from tests.apps import make_app
from tests.records import make_record
from tests.whole import cut_text

SIZE = (80, 24)

# Cut today, in screens being rewritten by others; each comes off this list as it is fixed.
KNOWN_CUT: dict[str, str] = {}


def cases(names):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_CUT[n], strict=True)) if n in KNOWN_CUT else n
            for n in names]
TOPIC = "How we spend the holidays"


def plan(protocol: str = "speaker-listener", checkin: bool = True, rounds: int = 1) -> SessionPlan:
    return SessionPlan(protocol, "Alex", "Sam", rounds=rounds, topic=TOPIC, checkin=checkin,
                       closing_appreciation=True)


def saved_history(tmp_path) -> None:
    rec = make_record(protocol="state-of-the-union")
    rec["notes"] = [
        {"by": "left", "kind": "commitment", "text": "Cook together on Friday", "status": "open"},
        {"by": "right", "kind": "commitment", "text": "A walk after work, phones at home", "status": "kept"},
        {"by": "right", "kind": "parking-lot", "text": "ask about the flights"},
    ]
    store.save_record(rec, tmp_path / "data")


async def check(pilot, where: str) -> list[str]:
    await pilot.pause()
    return [f"{where}: {p}" for p in cut_text(pilot.app.screen)]


# ----- one screen each ----------------------------------------------------

async def home(pilot, clock):
    pass


async def setup(pilot, clock):
    await pilot.press("s")


async def setup_with_error(pilot, clock):
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("ctrl+s")


async def rituals(pilot, clock):
    await pilot.press("r")


async def settings(pilot, clock):
    await pilot.press("o")


async def home_help(pilot, clock):
    await pilot.press("f1")


async def past_sessions(pilot, clock):
    await pilot.press("p")


async def trends(pilot, clock):
    await pilot.press("g")


async def session_in_full(pilot, clock):
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("enter")


HOME_SCREENS = {
    "home": home,
    "setup": setup,
    "setup-error": setup_with_error,
    "rituals": rituals,
    "settings": settings,
    "help-from-home": home_help,
    "past-sessions": past_sessions,
    "session-in-full": session_in_full,
    "trends": trends,
}


@pytest.mark.parametrize("name", cases(HOME_SCREENS))
async def test_screen_from_home_is_whole(tmp_path, name):
    saved_history(tmp_path)
    clock = ManualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await HOME_SCREENS[name](pilot, clock)
        assert await check(pilot, name) == []


# ----- around the floor ---------------------------------------------------

async def rules(pilot, clock):
    pass


async def check_in(pilot, clock):
    await pilot.press("f", "j", "3")


async def check_in_revealed(pilot, clock):
    await pilot.press("f", "j", "3", "f", "7", "j")


async def check_in_low(pilot, clock):
    await pilot.press("f", "j", "1", "f", "7", "j")  # a hard day: the gentle offer shows


async def note_dialog(pilot, clock):
    await pilot.press("f", "j", "3", "f", "7", "j", "f", "j")
    clock.advance(5)
    await pilot.press("l")


async def i_statement(pilot, clock):
    await pilot.press("s")


async def end_dialog(pilot, clock):
    await pilot.press("escape")


async def session_help(pilot, clock):
    await pilot.press("f", "j", "3", "f", "7", "j", "f", "j")
    await pilot.press("f1")


async def time_out(pilot, clock):
    await pilot.press("f", "j", "3", "f", "7", "j", "f", "j")
    clock.advance(5)
    await pilot.press("t")
    clock.advance(1)
    await pilot.pause()
    pilot.app.screen.redraw()


async def paused(pilot, clock):
    await pilot.press("f", "j", "3", "f", "7", "j", "f", "j")
    clock.advance(5)
    await pilot.press("space")


async def summary(pilot, clock):
    await pilot.press("f", "j")
    screen = pilot.app.screen
    while screen.engine.stage is Stage.FLOOR:
        side = screen.engine.state().floor
        clock.advance(5)
        await pilot.press(key(side, "done"))
    await pilot.press("3", "f", "8", "j", "f", "j")
    await pilot.pause()


SESSION_SCREENS = {
    "ground-rules": rules,
    "check-in": check_in,
    "check-in-revealed": check_in_revealed,
    "check-in-low": check_in_low,
    "note": note_dialog,
    "i-statement": i_statement,
    "end-asks-first": end_dialog,
    "help-in-session": session_help,
    "time-out": time_out,
    "paused": paused,
    "summary": summary,
}


@pytest.mark.parametrize("name", cases(SESSION_SCREENS))
async def test_session_screen_is_whole(tmp_path, name):
    saved_history(tmp_path)  # last time's commitments show on the ground rules
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan=plan(checkin=name != "summary"))
    async with app.run_test(size=SIZE) as pilot:
        await SESSION_SCREENS[name](pilot, clock)
        assert await check(pilot, name) == []


RITUALS = [r.id for r in load_rituals(None)]


@pytest.mark.parametrize("protocol", cases(RITUALS))
async def test_floor_in_every_phase_is_whole(tmp_path, protocol):
    """Each step of each ritual, and a blocked key's nudge and the grace period once per ritual."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan=plan(protocol, checkin=False))
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "j")
        screen = pilot.app.screen
        first = True
        while screen.engine.stage is Stage.FLOOR:
            state = screen.engine.state()
            side = state.floor
            where = f"{protocol} step {state.step_number} {state.step.title!r} ({side})"
            clock.advance(5)
            screen.refresh_state()
            problems += await check(pilot, where)
            if first:
                await pilot.press(key("right" if side == "left" else "left", "done"))  # blocked: a nudge
                problems += await check(pilot, f"{where}, nudge")
                clock.advance(state.planned + 1)
                screen.refresh_state()
                problems += await check(pilot, f"{where}, grace")
                first = False
            await pilot.press(key(side, "done"))
            if pilot.app.screen is screen:
                screen.refresh_state()
                problems += await check(pilot, f"{where}, just ended")  # the turn-ended banner
    assert problems == []
