"""The live screen's frames (`tui/compositor.py`): each second draws only what changed, and the screen stays whole.

A terminal is kept here from the frames themselves, as a real one would be:
after every frame it must equal the whole screen drawn afresh. And a second's
frame draws only the widgets whose words changed (the big clock, and the
bar when a half cell of it moves), never the panes, the screen or the lines that
stayed the same (issue 17: CPU during a turn).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui.compositor import RowsCompositor
from heartline.tui.screens.session import SessionScreen
from heartline.tui.widgets.pane import PartnerPane
from tests.apps import make_app, text_of
from tests.frames import Terminal

SIZE = (100, 30)
TURN = SessionPlan("speaker-listener", "Alex", "Sam", speak=60, reflect=20, rounds=1, rules=False, checkin=False)
UNCHANGED = {"who", "role", "phase", "guidance", "nudge", "keys-left", "keys-right", "keys-shared", "top"}


def afresh(screen) -> Terminal:
    whole = Terminal(*SIZE)
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            for char in segment.text:
                whole.cells[y][x] = (char, segment.style)
                x += cell_len(char)
    return whole


async def frame(pilot) -> None:
    """Until the screen's next frame has been written (Textual writes frames on its own timer)."""
    await pilot.pause()
    await pilot.pause(0.05)


@pytest.fixture
def drawn(monkeypatch):
    """Every widget drawn in a frame, while recording."""
    seen: list[Widget] = []
    original = Widget.render_lines

    def render_lines(self, crop):
        seen.append(self)
        return original(self, crop)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    return seen


async def test_a_seconds_frame_draws_only_what_changed(tmp_path, drawn):
    clock = ManualClock()
    app = make_app(tmp_path, clock, TURN)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen) and isinstance(screen._compositor, RowsCompositor)
        await frame(pilot)
        for _ in range(3):
            drawn.clear()
            clock.advance(1.0)
            await frame(pilot)
            ids = {w.id for w in drawn}
            assert "clock" in ids  # the second did change on screen
            assert not ids & (UNCHANGED | {"timeline", "top-right"}), ids  # one clock: nothing else counts seconds
            containers = [w for w in drawn if isinstance(w, (Screen, PartnerPane, Horizontal, Vertical, ContentSwitcher))]
            assert not containers, containers
            assert len(drawn) <= 3  # the clock; in a 20 s turn, the bar (and its inside) too


async def test_between_two_seconds_of_a_turn_only_the_big_clock_changes(tmp_path, drawn):
    """Issue 17: one clock on the floor. A second of a long turn changes the turn's clock and nothing else: not the
    time lines, not the time together (it moves by the minute), not the bar (a half cell every half minute)."""
    clock = ManualClock()
    plan = SessionPlan("stress-reducing", "Alex", "Sam", speak=600, reflect=20, rounds=1, rules=False, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        clock.advance(1.5)
        await frame(pilot)

        def words() -> dict:
            return {w.id: text_of(screen, f"#{w.parent.id} #{w.id}" if w.parent.id else f"#{w.id}")
                    for w in screen.query("Static, Label") if w.id and w.display}

        for _ in range(5):
            before = words()
            shown = screen.query_one("#pane-left #clock").value
            drawn.clear()
            clock.advance(1.0)
            await frame(pilot)
            assert screen.query_one("#pane-left #clock").value != shown  # the turn's second did turn over
            assert words() == before
            assert {w.id for w in drawn} == {"clock"}, {w.id for w in drawn}


@pytest.mark.parametrize("size", [SIZE])
async def test_the_terminal_kept_from_the_frames_is_the_whole_screen_drawn_afresh(tmp_path, size):
    clock = ManualClock()
    app = make_app(tmp_path, clock, TURN)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        terminal = Terminal(*size)
        compositor = screen._compositor
        original = compositor.render_update

        def written(*args, **kwargs):
            update = original(*args, **kwargs)
            if update is not None:
                terminal.write(update)
            return update

        compositor.render_update = written
        screen.refresh(layout=True)  # a whole frame first, as at the start
        await frame(pilot)
        steps = [1.0] * 3 + [0.5, 0.5, 17.0, 1.0, 0.4, 0.6]  # seconds, the turn's end and the floor passing
        for n, step in enumerate(steps):
            clock.advance(step)
            await frame(pilot)
            if n == 4:
                await pilot.press("j")  # a listener's key: a nudge appears
                await frame(pilot)
            if n == 6:
                await pilot.press("space")  # a pause: the banner row pushes the floor down (a layout)
                await frame(pilot)
                await pilot.press("space")
                await frame(pilot)
            assert terminal.rows() == afresh(screen).rows(), (n, text_of(screen, "#banner"))
            assert terminal.cells == afresh(screen).cells, n
