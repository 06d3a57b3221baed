"""Snapshots of the floor in every shipped theme, with NO_COLOR and in ASCII mode; settings and help.

Layout only; what they must say is asserted directly below each (words, not colour).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.themes import load_themes
from heartline.tui.app import AppConfig, HeartlineApp
from tests.snapfolders import fixed_folder

SNAP_HOME = Path("/tmp/heartline-snapshots-looks")
PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1,
                   topic="The holidays", checkin=False)
THEMES = sorted(load_themes().themes)
SIZE = (80, 24)


@pytest.fixture
def folders(request):
    with fixed_folder(SNAP_HOME / re.sub(r"[^\w-]", "_", request.node.name)) as home:
        yield home


def build(folders: Path, plan=PLAN, clock=None, **config) -> HeartlineApp:
    cfg = AppConfig(data_dir=folders / "data", config_dir=folders / "config", clock=clock or ManualClock(), seed=7,
                    **config)
    return HeartlineApp(cfg, plan)


def on_the_floor(clock: ManualClock):
    """Both agree, Alex speaks 40 s, Sam tries to take the floor: the nudge shows."""

    async def run(pilot):
        await pilot.press("f", "j")
        clock.advance(40)
        await pilot.press("j")
        pilot.app.screen.refresh_state()
        await pilot.pause()

    return run


@pytest.mark.parametrize("theme", THEMES)
def test_floor_in_every_theme(snap_compare, folders, theme):
    clock = ManualClock()
    assert snap_compare(build(folders, clock=clock, theme=theme), terminal_size=SIZE, run_before=on_the_floor(clock))


def test_floor_with_no_color(snap_compare, folders, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    clock = ManualClock()
    assert snap_compare(build(folders, clock=clock), terminal_size=SIZE, run_before=on_the_floor(clock))


def test_floor_in_ascii(snap_compare, folders):
    clock = ManualClock()
    assert snap_compare(build(folders, clock=clock, ascii=True), terminal_size=SIZE, run_before=on_the_floor(clock))


def test_settings(snap_compare, folders):
    assert snap_compare(build(folders, plan=None), terminal_size=SIZE, press=["o"])


def test_help(snap_compare, folders):
    assert snap_compare(build(folders, plan=None), terminal_size=SIZE, press=["f1"])


# ----- what they say, asserted ------------------------------------------------

CHROME = {"#c5c8c6"}  # the SVG window's own title colour, not the app's


def _colours(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r"(?:fill|color):\s*(#[0-9a-fA-F]{6})", svg)} - CHROME


async def _shot(app: HeartlineApp, clock: ManualClock) -> tuple[str, HeartlineApp]:
    async with app.run_test(size=SIZE) as pilot:
        await on_the_floor(clock)(pilot)
        return app.export_screenshot(), app


async def test_no_color_paints_only_greys_and_says_the_floor_in_words(folders, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    clock = ManualClock()
    svg, app = await _shot(build(folders, clock=clock), clock)
    assert app.no_color
    coloured = {c for c in _colours(svg) if not (c[1:3] == c[3:5] == c[5:7])}
    assert coloured == set()
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ")
    assert "Alex is wrapping up" in text and "listening" in text.lower()  # whose turn it is, in words


async def test_with_colour_the_same_screen_has_colours(folders):
    """The check above can fail: without NO_COLOR the floor is painted in colour."""
    clock = ManualClock()
    svg, _ = await _shot(build(folders, clock=clock), clock)
    assert {c for c in _colours(svg) if not (c[1:3] == c[3:5] == c[5:7])}


async def test_ascii_mode_draws_only_ascii_but_keeps_names(folders):
    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Zoë", "Sam", speak=120, reflect=60, rounds=1, topic="The holidays",
                       checkin=False)
    svg, _ = await _shot(build(folders, plan=plan, clock=clock, ascii=True), clock)
    import html

    text = html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>")[-1]))
    assert "Zoë" in text  # a person's name is theirs, accents and all
    assert not [ch for ch in text.replace("Zoë", "") if ord(ch) > 127 and ch != "\u00a0"]


def test_ascii_mode_is_automatic_for_console_terminals(monkeypatch, tmp_path):
    from heartline.tui import glyphs

    for term, wanted in (("linux", True), ("dumb", True), ("vt100", True), ("xterm-256color", False),
                         ("screen", False)):
        monkeypatch.setenv("TERM", term)
        app = HeartlineApp(AppConfig(data_dir=tmp_path / "d", config_dir=tmp_path / "c"))
        assert app.ascii is wanted, term
        assert glyphs.ascii_mode() is wanted


async def test_in_ascii_the_floor_holder_is_framed_differently(folders):
    """Seen on TERM=linux: both panes were framed with + - |, so only the words said whose turn it was. The
    holder's heavy border (double in grace) now draws as # = #, a listener's light one as + - |."""
    from heartline.tui.glyphs import to_ascii
    from heartline.tui.widgets.pane import PartnerPane

    clock = ManualClock()
    async with build(folders, clock=clock, ascii=True).run_test(size=SIZE) as pilot:
        await on_the_floor(clock)(pilot)
        holder, listener = (pilot.app.screen.query_one(f"#pane-{side}", PartnerPane) for side in ("left", "right"))
        borders = []
        for pane in (holder, listener):
            kind = pane.styles.border_top[0]
            chars = {"heavy": "┏━┓┃", "double": "╔═╗║", "round": "╭─╮│", "solid": "┌─┐│"}[kind]
            borders.append(to_ascii(chars))
    assert borders == ["#=##", "+-+|"]


async def test_in_ascii_an_ellipsis_reads_as_three_dots(folders):
    """Seen on TERM=linux: "I feel … when … and I need …" read "I feel . when . and I need ." (the screen
    filter keeps each cell's width); the panes' words now say "..." before they are laid out."""
    clock = ManualClock()
    async with build(folders, clock=clock, ascii=True).run_test(size=SIZE) as pilot:
        await on_the_floor(clock)(pilot)
        guidance = str(pilot.app.screen.query_one("#pane-left #guidance").render())
    assert "I feel ... when ... and I need ..." in guidance
