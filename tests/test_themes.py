"""Themes: seven shipped, each readable (WCAG contrast), partners apart for colour-blind eyes, user themes strict."""

from __future__ import annotations

import os

import pytest
from textual.color import Color

from heartline.sessions.clock import ManualClock
from heartline.themes import load_themes
from heartline.themes.contrast import contrast, distance, main_pairs, partner_colours
from heartline.tui.cli import main
from tests.apps import make_app

SHIPPED = load_themes().themes
PARTNER_DISTANCE = 40  # CIE76 ΔE; a red/green pair seen with protanopia is 39, with deuteranopia 6


def test_seven_themes_ship_and_all_load():
    found = load_themes()
    assert found.errors == []
    assert {"heartline", "heartline-light", "warm", "high-contrast", "high-contrast-light",
            "colour-safe-dark", "colour-safe-light"} <= set(found.themes)
    assert {t.dark for t in found.themes.values()} == {True, False}
    assert found.labels["heartline"] == "Calm dark"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_main_pairs_are_readable(name):
    """WCAG 2 contrast: 4.5:1 for every main pair, 7:1 in the high-contrast themes."""
    need = 7.0 if name.startswith("high-contrast") else 4.5
    low = {what: round(contrast(fg, bg), 2) for what, (fg, bg) in main_pairs(SHIPPED[name]).items()
           if contrast(fg, bg) < need}
    assert low == {}


@pytest.mark.parametrize("name", sorted(SHIPPED))
@pytest.mark.parametrize("sight", ["typical", "protanopia", "deuteranopia"])
def test_partner_colours_stay_apart_for_colour_blind_eyes(name, sight):
    left, right = partner_colours(SHIPPED[name])
    assert distance(left, right, sight) >= PARTNER_DISTANCE


def test_the_colour_checks_can_fail():
    """The arithmetic itself: black on white is 21:1; red and green merge for deuteranopia."""
    assert round(contrast(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert round(contrast(Color(119, 119, 119), Color(255, 255, 255)), 2) == 4.48  # the famous near miss
    red, green = Color.parse("#D03030"), Color.parse("#30A030")
    assert distance(red, green) > 100
    assert distance(red, green, "deuteranopia") < PARTNER_DISTANCE
    assert distance(red, green, "protanopia") < PARTNER_DISTANCE


def write_theme(home, name: str, text: str):
    folder = home / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder / f"{name}.toml"


MINE = '''name = "mine"
label = "Mine"
dark = true
primary = "#C08FFF"
background = "#101010"
foreground = "#EEEEEE"
[variables]
partner-left = "#66BBFF"
partner-right = "#FFAA44"
'''


async def test_a_user_theme_loads_and_appears_in_the_palette(tmp_path):
    write_theme(tmp_path / "config", "mine", MINE)
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 30)) as pilot:
        assert "mine" in app.available_themes
        assert "textual-dark" not in app.available_themes  # only checked themes are offered
        from textual.theme import ThemeProvider

        provider = ThemeProvider(app.screen)
        names = [name for name, _ in provider.commands]
        assert "mine" in names and "colour-safe-light" in names
        app.theme = "mine"
        await pilot.pause()
        assert app.current_theme.variables["partner-left"] == "#66BBFF"


@pytest.mark.parametrize("text, field", [
    ('name = "mine"\nprimary = "#123456"\nforegroud = "#ffffff"\n', "foregroud"),
    ('name = "mine"\nprimary = "blue-ish"\n', "primary"),
    ('name = "mine"\nprimary = "#123456"\n[variables]\npartner-middle = "#ffffff"\n', "variables.partner-middle"),
    ('name = "mine"\n', "primary"),
    ('name = "mine"\nprimary = "#123456"\ndark = "yes"\n', "dark"),
    ('name = "mine\nprimary = \n', ""),
    ('name = "heartline"\nprimary = "#123456"\n', "name"),
])
def test_a_broken_theme_is_reported_by_file_and_field(heartline_home, text, field):
    path = write_theme(heartline_home, "mine", text)
    found = load_themes(heartline_home / "themes")
    assert "mine" not in found.themes
    assert len(found.errors) == 1
    assert found.errors[0].startswith(f"{path}: {field}")
    assert found.themes["heartline"].primary != "#123456"  # a built-in is never replaced


def test_theme_flag_names_the_broken_file(heartline_home, capsys):
    path = write_theme(heartline_home, "mine", 'name = "mine"\nprimary = "#123456"\nforegroud = "#fff"\n')
    assert main(["--theme", "mine"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(path) in err and "foregroud" in err


def test_theme_flag_unknown_lists_the_themes(heartline_home, capsys):
    assert main(["--theme", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown theme 'nope'" in err and "colour-safe-dark" in err


async def test_a_broken_theme_is_said_once_at_start(tmp_path):
    write_theme(tmp_path / "config", "mine", 'name = "mine"\nprimary = 3\n')
    app = make_app(tmp_path, ManualClock())
    said = []
    app.notify = lambda message, **kw: said.append((kw.get("title", ""), str(message)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    themes = [m for t, m in said if "theme" in t.lower()]
    assert len(themes) == 1 and "mine.toml: primary" in themes[0]
