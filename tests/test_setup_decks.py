"""Setup offers only the prompt decks that suit the chosen ritual."""

from __future__ import annotations

from textual.widgets import Select

from heartline.sessions.clock import ManualClock
from heartline.tui.screens.setup import SetupScreen
from tests.apps import make_app


def _deck_ids(screen) -> list[str]:
    select = screen.query_one("#deck", Select)
    return [value for _, value in select._options if isinstance(value, str)]


async def test_no_repair_prompts_in_a_stress_reducing_conversation(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(SetupScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#ritual", Select).value = "speaker-listener"
        await pilot.pause()
        assert "repair" in _deck_ids(screen)
        screen.query_one("#ritual", Select).value = "stress-reducing"
        await pilot.pause()
        assert "repair" not in _deck_ids(screen) and _deck_ids(screen)
        assert screen.query_one("#deck", Select).value in _deck_ids(screen)
