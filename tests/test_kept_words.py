"""Words that promise nothing the couple's keep choice may not give (a couple's trial): a hint never says a note
"is kept" (with keep = shape no note is), and a step's words and its key hint say the same thing."""

from __future__ import annotations

import re

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.rituals import CLOSING_APPRECIATION, load_rituals
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of, until

PROMISE = re.compile(r"so (it's|it is|they're|they are) kept|to keep it\b", re.IGNORECASE)


def test_no_ritual_hint_promises_a_note_is_kept():
    """Seen: "Jot it as a note so it's kept." in the appreciation round, where keep = shape keeps no note."""
    found = []
    for ritual in (*load_rituals(), None):
        parts = ritual.parts if ritual else (CLOSING_APPRECIATION,)
        for part in parts:
            for phase in part.phases:
                for role in ("speaker", "listener"):
                    found += [line for line in phase.guidance(role) if PROMISE.search(line)]
    assert found == []


async def test_the_brainstorm_says_what_its_key_says(tmp_path):
    """Seen: the pane said "Each press done when the ideas run out", the key hint "f: I agree (you both say it)"."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("problem-solving", "Alex", "Sam", rules=False, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.engine.stage is Stage.FLOOR)
        for _ in range(20):
            if screen.engine.state().step.kind == "brainstorm":
                break
            clock.advance(2)
            step = screen.engine.state().step
            for side in (("left", "right") if step.together else (step.holder,)):
                screen.engine.press(side, "done")
        screen.refresh_state()
        await pilot.pause()
        assert screen.engine.state().step.kind == "brainstorm"
        for side in ("left", "right"):
            guidance, nudge = text_of(screen, f"#pane-{side} #guidance"), text_of(screen, f"#pane-{side} #nudge")
            assert "I agree" in nudge, nudge
            assert "when you agree: no more ideas" in guidance, guidance
