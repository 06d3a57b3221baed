"""The end-of-turn cue's own frame (issue 17: the cue within 20 ms of its deadline).

When the clock ends a turn, the first frame written shows the cue's words where
the banner shows them, in its colours, and does nothing else: no layout, no
restyle, no widget drawn (what a bare app pays to change one line). The banner,
the floor moved down a row and the panes restyled for the new holder follow in
the next frame, and then the terminal is the whole screen drawn afresh.
"""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widget import Widget

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of
from tests.test_frames import Terminal, afresh, frame

SIZE = (100, 30)


def looks(cells: list) -> list:
    """Each cell's character and style as a terminal shows it (a mouse's meta is not shown)."""
    return [(char, style.clear_meta_and_links()) for char, style in cells]
TURN = SessionPlan("stress-reducing", "Alex", "Sam", speak=20, reflect=20, rounds=1, rules=False, checkin=False,
                   grace=5)


@pytest.mark.parametrize("waiting", [False, True])
async def test_the_cues_frame_draws_its_words_in_the_banners_row_and_nothing_else(tmp_path, monkeypatch, waiting):
    """`waiting`: a widget changed in the same instant, not drawn yet, is drawn in that frame too, not lost."""
    work: list[str] = []  # what Textual did between two frames written
    render_lines, refresh_layout, update_nodes = Widget.render_lines, Screen._refresh_layout, Stylesheet.update_nodes
    monkeypatch.setattr(Widget, "render_lines", lambda self, crop: work.append(f"draw {self!r}") or
                        render_lines(self, crop))
    monkeypatch.setattr(Screen, "_refresh_layout", lambda self, *a, **k: work.append("layout") or
                        refresh_layout(self, *a, **k))
    monkeypatch.setattr(Stylesheet, "update_nodes", lambda self, nodes, *a, **k: work.append(f"restyle {nodes}") or
                        update_nodes(self, nodes, *a, **k))
    clock = ManualClock()
    app = make_app(tmp_path, clock, TURN)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        shared = screen.query_one("#keys-shared")
        terminal = Terminal(*SIZE)
        frames: list[tuple[list[str], list, list[str]]] = []  # rows shown, cells of the banner's row, work done
        original = screen._compositor.render_update

        def written(*args, **kwargs):
            update = original(*args, **kwargs)
            if update is not None:
                terminal.write(update)
                frames.append((terminal.rows(), list(terminal.cells[1]), work[:]))
            work.clear()
            return update

        screen._compositor.render_update = written
        screen.refresh(layout=True)  # a whole frame first, as at the start
        await frame(pilot)
        clock.advance(24.5)
        await frame(pilot)
        assert "please wrap up" in text_of(screen, "#pane-left #timeline")
        assert "Turn ended" not in "".join(terminal.rows())
        frames.clear()
        if waiting:
            shared.update("waiting to be drawn", layout=False)
        clock.advance(0.5)  # the deadline: the engine ends the turn itself
        await frame(pilot)
        await frame(pilot)
        banner, phase, whole = text_of(screen, "#banner"), text_of(screen, "#pane-right #phase"), afresh(screen)

    cue = screen._cue[0]
    assert cue.startswith("Turn ended — now: Support · Sam has the floor"), cue
    rows, cue_cells, work_done = frames[0]
    assert rows[1].strip() == cue  # the first frame after the deadline shows the words, in the banner's row
    if waiting:
        assert work_done == [f"draw {shared!r}"] and "waiting to be drawn" in rows[-1]
    else:
        assert work_done == []  # and does nothing else: no layout, no restyle, no widget drawn
    assert "Alex has the floor" not in rows[2] and "Sam" in rows[2]  # the floor has not moved yet
    last_rows, banner_cells, _ = frames[-1]
    assert banner == cue and last_rows[1].strip() == cue  # then the banner, with the same words
    assert looks(cue_cells) == looks(banner_cells)  # in the same cells and colours
    assert "Support" in phase  # and the panes, restyled for the new holder
    assert terminal.cells == whole.cells  # the screen whole: nothing of the cue's frame left over
