"""Calm settings on the floor and in the time-out: the quiet clock, no warnings, reduced motion."""

from __future__ import annotations

from textual.widgets import Digits

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of

PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=60, reflect=30, rounds=1, checkin=False)


async def test_quiet_clock_hides_the_big_digits_and_keeps_the_words(tmp_path):
    for quiet in (False, True):
        clock = ManualClock()
        app = make_app(tmp_path / str(quiet), clock, plan=PLAN, quiet_clock=quiet)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f", "j")
            clock.advance(10)
            app.screen.refresh_state()
            await pilot.pause()
            pane = app.screen.query_one("#pane-left")
            assert pane.query_one(Digits).display is (not quiet)
            assert "left" in text_of(pane, "#timeline")


async def test_reduced_motion_stills_the_breathing_pacer(tmp_path):
    for reduced in (False, True):
        clock = ManualClock()
        app = make_app(tmp_path / str(reduced), clock, plan=PLAN, reduced_motion=reduced)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f", "j")
            clock.advance(5)
            await pilot.press("t")
            await pilot.pause()
            seen = []
            for _ in range(3):
                clock.advance(3)
                app.screen.redraw()
                await pilot.pause()
                seen.append((text_of(app.screen, "#breath-word"), text_of(app.screen, "#breath-shape")))
            assert (len(set(seen)) == 1) is reduced
            if reduced:
                assert "Breathe in" in seen[0][0]
