"""One factory builds the app for `heartline start` and for tests: what was typed reaches the engine."""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.tui.app import start_app
from heartline.tui.cli import _start_options, build_parser
from heartline.tui.screens.session import SessionScreen


def app_for(*argv: str):
    args = build_parser().parse_args(["start", *argv])
    app = start_app(_start_options(args), clock=ManualClock())
    app.config.first_safety = False  # the safety page before a first session has its own test (test_care)
    return app


async def test_start_lengths_and_no_checkin_reach_the_engine(heartline_home):
    app = app_for("--left", "Alex", "--right", "Sam", "--protocol", "temperature-reading", "--speak", "8",
                  "--reflect", "3s", "--rounds", "2", "--no-checkin")
    assert (app.plan.speak, app.plan.reflect, app.plan.rounds, app.plan.checkin) == (8, 3, 2, False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        engine = screen.engine
        assert (engine.settings.speak_seconds, engine.settings.reflect_seconds, engine.settings.rounds) == (8, 3, 2)
        assert not engine.checkin
        await pilot.press("f", "j")  # the rules; then straight to the floor, no check-in
        assert engine.state().stage is Stage.FLOOR
        assert engine.state().planned == 8  # the appreciation turn takes the typed length


async def test_start_with_checkin_asks_how_you_feel(heartline_home):
    app = app_for("--left", "Alex", "--right", "Sam", "--speak", "1m30s")
    assert app.plan.checkin and app.plan.speak == 90
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.screen.engine.state().stage is Stage.GOOD_TIME  # speaker-listener asks first (issue 18)
        app.config.clock.advance(1)
        await pilot.press("j")  # now
        app.config.clock.advance(1)  # the rules are read before anyone agrees (the settle time after "now")
        await pilot.press("f", "j")
        assert app.screen.engine.state().stage is Stage.CHECKIN
