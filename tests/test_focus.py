"""Focus and state that read in any terminal (issue 17, item 13): plain xterm's eight colours, Calm dark."""

from __future__ import annotations

import pytest
from textual.containers import Horizontal
from textual.widgets import OptionList

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.settings import SettingsScreen
from heartline.tui.widgets.toggle import Toggle
from tests.apps import make_app, until


def _reversed_in(container) -> list:
    return [w for w in container.query("*") if w.styles.text_style.reverse]


async def test_every_field_in_settings_shows_its_focus_by_shape(tmp_path):
    """The dropdowns (ritual, theme, keys) and the switches showed no focus at all."""
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        groups = list(screen.query(".row").results(Horizontal)) + list(screen.query(Toggle))
        assert len(groups) >= 14
        for group in groups:
            target = next(w for w in group.query("*") if w.focusable)
            target.focus()
            await pilot.pause()
            assert _reversed_in(group), f"no focus shown in {group.id or group}"
            others = [g for g in groups if g is not group and _reversed_in(g)]
            assert others == [], others


async def test_home_highlights_only_the_list_that_has_focus(tmp_path):
    """Home drew a commitment row and a menu item highlighted at once."""
    from heartline.sessions import store
    from tests.records import make_record

    store.save_record(make_record(), tmp_path / "data")  # with an open commitment
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        commitments = app.screen.query_one("#commitments", OptionList)
        await until(pilot, lambda: commitments.display and commitments.option_count > 0)
        menu = app.screen.query_one("#menu", OptionList)
        highlighted = "option-list--option-highlighted"
        for focused, other in ((menu, commitments), (commitments, menu)):
            focused.focus()
            await pilot.pause()
            shown = focused.get_component_rich_style(highlighted)
            hidden = other.get_component_rich_style(highlighted)
            plain = other.get_component_rich_style("option-list--option")
            assert shown.bgcolor != plain.bgcolor or shown.reverse
            assert (hidden.bgcolor, hidden.reverse, hidden.bold) == (plain.bgcolor, plain.reverse, plain.bold)


@pytest.fixture
def plain_xterm(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


async def test_in_eight_colours_focus_and_the_floor_are_bright_on_a_colour(tmp_path, plain_xterm):
    """xterm draws bold black as grey: "▶ Has the floor ◀" and the focused menu item were grey on light grey."""
    from rich.color import ColorType

    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.console.color_system == "standard" and app.has_class("-few-colours")
        menu = app.screen.query_one("#menu", OptionList)
        style = menu.get_component_rich_style("option-list--option-highlighted")
        assert style.color.type is ColorType.STANDARD and style.color.number == 15  # bright white
        assert style.bgcolor.number not in (0, 7, 8, 15)  # a colour, not a grey
    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1, checkin=False)
    app = make_app(tmp_path, clock, plan=plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(2)
        app.screen.refresh_state()
        await pilot.pause()
        role = app.screen.query_one("#pane-left .role")
        assert "floor" in str(role.render()).lower()
        style = role.rich_style
        assert style.color.number == 15 and style.bgcolor.number not in (0, 7, 8, 15)


async def test_with_full_colour_the_theme_keeps_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("COLORTERM", "truecolor")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)):
        assert not app.has_class("-few-colours")
