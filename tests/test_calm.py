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


async def test_the_quiet_clock_counts_in_words_each_second(tmp_path):
    """No big digits: the holder's time line is the one clock, and it moves every second (issue 17's one clock)."""
    clock = ManualClock()
    plan = SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1, rules=False, checkin=False)
    app = make_app(tmp_path, clock, plan=plan, quiet_clock=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for left in (59, 58, 57):
            clock.advance(1.0)
            await pilot.pause()
            assert text_of(app.screen, "#pane-left #timeline") == f"0:{left} left"
            assert text_of(app.screen, "#pane-right #timeline") == "Alex has the floor"  # no count of its own
