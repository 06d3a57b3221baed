"""Snapshots of looking back: Past sessions at 80×24 and 120×36, one session in full, trends."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from heartline.sessions.clock import ManualClock
from heartline.tui.app import AppConfig, HeartlineApp
from tests.snapfolders import fixed_folder
from tests.bench.generate import generate

SNAP_HOME = Path("/tmp/heartline-snapshots-history")


@pytest.fixture
def folders(request):
    with fixed_folder(SNAP_HOME / request.node.name.replace("[", "-").replace("]", "")) as home:
        generate(home / "data", 30, seed=4)
        yield home


def build(folders: Path) -> HeartlineApp:
    config = AppConfig(data_dir=folders / "data", config_dir=folders / "config", clock=ManualClock(), seed=7)
    return HeartlineApp(config)


async def still(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_past_sessions(snap_compare, folders, size):
    async def run(pilot):
        await pilot.press("p")
        await still(pilot)

    assert snap_compare(build(folders), terminal_size=size, run_before=run)


def test_past_sessions_filtered(snap_compare, folders):
    async def run(pilot):
        await pilot.press("p")
        await pilot.press(*"chores")
        await still(pilot)

    assert snap_compare(build(folders), terminal_size=(80, 24), run_before=run)


def test_session_in_full(snap_compare, folders):
    async def run(pilot):
        await pilot.press("p")
        await pilot.press("down", "enter")
        await still(pilot)

    assert snap_compare(build(folders), terminal_size=(100, 40), run_before=run)


def test_trends(snap_compare, folders):
    async def run(pilot):
        await pilot.press("g")
        await still(pilot)

    assert snap_compare(build(folders), terminal_size=(100, 40), run_before=run)
