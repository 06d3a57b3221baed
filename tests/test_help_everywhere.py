"""Help opens from every screen a person can reach from home, with or without a session."""

from __future__ import annotations

import pytest

from heartline.sessions.clock import ManualClock
from heartline.tui.screens.dialogs import HelpScreen
from tests.apps import make_app, until
from tests.test_whole_80x24 import saved_history

# screen reached from home -> the keys that should open help there
REACH = {
    "past sessions": (["p"], ["f1"]),  # ? types into the filter there
    "a session in full": (["p", "enter"], ["f1", "question_mark"]),
    "trends": (["g"], ["f1", "question_mark"]),
    "rituals": (["r"], ["f1", "question_mark"]),
    "settings": (["o"], ["f1"]),
    "setup": (["s"], ["f1"]),
}


@pytest.mark.parametrize("where,help_key", [(w, k) for w, (_, ks) in REACH.items() for k in ks])
async def test_help_opens_and_closes(tmp_path, where, help_key):
    saved_history(tmp_path)
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for k in REACH[where][0]:
            await pilot.press(k)
            await pilot.pause()
        before = type(app.screen)
        await pilot.press(help_key)
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "help" not in app.holds  # no session: nothing is paused
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen) is before)
