"""What waits for the first frame of `heartline start`, and that nothing is lost by waiting (issue 11)."""

from __future__ import annotations

import gc

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.app import HeartlineApp
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
