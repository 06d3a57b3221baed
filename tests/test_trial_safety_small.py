"""Trial (wt-trial): the once-only safety page must not be dismissed unseen in a too-small window.

Reproduced by hand: `tui-drive start x --size 40x12 -- heartline start --left A --right B` with a fresh
HEARTLINE_HOME; the screen says "Please make the window larger … Your keys wait too, until you can see";
escape still closes the safety page behind it, settings.toml gets told_safety = true, and the page is
never shown again although nobody could read it.
"""
from __future__ import annotations

from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.safety import SafetyScreen
from tests.apps import make_app


async def test_escape_in_a_too_small_window_does_not_dismiss_the_unseen_safety_page(tmp_path):
    app = make_app(tmp_path, ManualClock(), SessionPlan("speaker-listener", "Alex", "Sam"), first_safety=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("escape")  # nobody can see the page yet: the key should wait, like every other key
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
    assert not prefs.load(tmp_path / "config").told_safety
