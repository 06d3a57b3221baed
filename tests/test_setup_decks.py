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


async def test_a_drawn_prompt_says_its_level_and_draw_another_stays_there_until_asked(tmp_path):
    """Issue 18: intensity was never shown, and 'Draw another' drew from every level."""
    from textual.widgets import Input

    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SetupScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#ritual", Select).value = "speaker-listener"
        screen.query_one("#deck", Select).value = "fears"
        await pilot.pause()
        deck = screen.decks["fears"]
        topic = screen.query_one("#topic", Input)
        for _ in range(12):
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert deck.level(topic.value) == "light", topic.value
            assert str(topic.border_subtitle).startswith("light · "), topic.border_subtitle
        await pilot.press("ctrl+o")  # asked: one level deeper
        await pilot.pause()
        assert deck.level(topic.value) == "deeper" and str(topic.border_subtitle).startswith("deeper · ")
        for _ in range(8):
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert deck.level(topic.value) == "deeper", topic.value
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert deck.level(topic.value) == "deep" and "pass is always fine" in str(topic.border_subtitle)
        shown = topic.value
        await pilot.press("ctrl+o")  # no deeper level: said, and the prompt stays
        await pilot.pause()
        assert topic.value == shown
        topic.value = "our own topic"
        await pilot.pause()
        assert not topic.border_subtitle  # a typed topic is not a drawn one

