"""What waits for the first frame of `heartline start`, and that nothing is lost by waiting (issue 11)."""

from __future__ import annotations

import gc

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.app import HeartlineApp
from heartline.tui.screens.session import SessionScreen
from heartline.tui.widgets.pane import PartnerPane
from tests.apps import make_app, text_of, until

PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, checkin=False)



async def test_keys_faster_than_the_first_frame_still_open_the_floor(tmp_path, monkeypatch):
    held = []
    monkeypatch.setattr(HeartlineApp, "after_first_frame", lambda self, callback: held.append(callback))
    app = make_app(tmp_path, ManualClock(), PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert screen.engine.stage is Stage.RULES
        assert not screen.query(PartnerPane)  # the rules are shown; the floor's panes wait
        await pilot.press("f", "j")  # both agree before anything after the first frame has run
        assert screen.engine.stage is Stage.FLOOR
        await until(pilot, lambda: len(screen.query(PartnerPane)) == 2 and screen.query_one("#pane-left #role"))
        await until(pilot, lambda: "Has the floor" in text_of(screen, "#pane-left #role"))
        assert "Listening" in text_of(screen, "#pane-right #role")
        assert [e["op"] for e in screen.engine.log] == ["press", "press"]
        await pilot.press("ctrl+q")


async def test_after_the_first_frame_the_floor_is_ready_and_collection_resumes(tmp_path):
    app = make_app(tmp_path, ManualClock(), PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: app.first_frame_shown)
        await until(pilot, lambda: len(app.screen.query(PartnerPane)) == 2)
        assert gc.isenabled()
        await pilot.press("f", "j")
        assert "Has the floor" in text_of(app.screen, "#pane-left #role")
        await pilot.press("ctrl+q")
    assert gc.isenabled()


async def test_quitting_before_the_floor_is_built_does_not_crash(tmp_path, monkeypatch):
    """The panes are built by a callback just after the first frame: quit (ctrl+q) before it runs and it finds
    the session screen already taken down. It must do nothing, not crash the app on its way out (a full
    loaded test run once ended `test_calm_first` with `NoMatches: '#floor'` in `_build_floor`)."""
    held = []
    monkeypatch.setattr(HeartlineApp, "after_first_frame", lambda self, callback: held.append(callback))
    app = make_app(tmp_path, ManualClock(), PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert screen.engine.stage is Stage.RULES and not screen.query(PartnerPane)
        await pilot.press("ctrl+q")
    assert screen._build_floor in held
    for callback in held:  # what was waiting runs only now: the screen is gone
        callback()
    assert not screen.query(PartnerPane)


async def test_leaving_the_session_screen_before_its_floor_is_built_does_not_crash(tmp_path, monkeypatch):
    held = []
    monkeypatch.setattr(HeartlineApp, "after_first_frame", lambda self, callback: held.append(callback))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 32)) as pilot:
        app.push_screen(SessionScreen(PLAN))
        await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.engine is not None)
        screen = app.screen  # mounted, on the rules: its panes wait for the callback
        assert screen._build_floor in held and not screen.query(PartnerPane)
        await app.pop_screen()  # escape on the rules would ask first; a screen going away is what matters
        await pilot.pause()
        for callback in held:
            callback()
        await pilot.pause()
        assert app.screen is not screen and not screen.query(PartnerPane)
