"""Setup at 80×24 (issue 17, item 11): a drawn prompt is seen, the draw button is whole,
a new deck brings its own prompt, and enter moves through the form."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select

from heartline.sessions.clock import ManualClock
from heartline.tui.screens.setup import SetupScreen
from tests.apps import make_app, until


async def open_setup(pilot) -> SetupScreen:
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SetupScreen))
    await pilot.pause()
    return pilot.app.screen


@pytest.mark.parametrize("ritual", ["speaker-listener", "imago-dialogue", "state-of-the-union"])
async def test_ctrl_r_shows_the_topic_it_fills(tmp_path, ritual):
    """With remembered lengths the ritual's words grow a line and the topic falls below the fold."""
    from heartline.sessions import prefs

    prefs.save(tmp_path / "config", prefs.Prefs(speak=100, reflect=50))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        screen.query_one("#ritual", Select).value = ritual
        await pilot.pause()
        form, topic = screen.query_one("#form"), screen.query_one("#topic", Input)
        form.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.pause()
        assert topic.value  # a prompt was drawn
        assert form.can_view_entire(topic), (form.scroll_y, topic.region)


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
async def test_the_draw_button_is_whole_before_and_after_a_draw(tmp_path, size):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=size) as pilot:
        screen = await open_setup(pilot)
        button = screen.query_one("#draw", Button)
        for _ in range(2):
            button.scroll_visible(animate=False)
            await pilot.pause()
            label = str(button.label)
            # tall borders and one cell of padding each side, inside the form's content
            assert button.content_region.width >= len(label), (label, button.region)
            assert button.region.right <= screen.query_one("#form").scrollable_content_region.right
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert str(button.label).startswith("Draw another")


async def test_a_newly_chosen_deck_brings_its_own_prompt(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        decks = screen.query_one("#deck", Select)
        await pilot.press("ctrl+r")
        await pilot.pause()
        first_deck, first_prompt = decks.value, screen.query_one("#topic", Input).value
        other = next(v for _, v in decks._options if isinstance(v, str) and v != first_deck)
        decks.value = other
        await pilot.pause()
        topic = screen.query_one("#topic", Input).value
        assert topic != first_prompt
        assert topic in screen.decks[other].prompts


async def test_a_typed_topic_stays_when_the_deck_changes(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        screen.query_one("#topic", Input).value = "the holidays"
        decks = screen.query_one("#deck", Select)
        other = next(v for _, v in decks._options if isinstance(v, str) and v != decks.value)
        decks.value = other
        await pilot.pause()
        assert screen.query_one("#topic", Input).value == "the holidays"


async def test_enter_moves_on_through_the_form_and_starts_from_the_topic(tmp_path):
    from heartline.tui.screens.session import SessionScreen

    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press(*"Maya", "enter")
        await pilot.pause()
        assert screen.focused.id == "right"
        await pilot.press(*"Jon", "enter")
        await pilot.pause()
        assert screen.focused.id == "ritual"
        screen.query_one("#topic", Input).focus()
        await pilot.press(*"the holidays", "enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))


async def test_enter_on_the_topic_with_a_name_missing_says_so_and_starts_nothing(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press(*"Maya")
        screen.query_one("#topic", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.focused.id == "right"
