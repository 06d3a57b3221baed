"""The big clock in ASCII mode reads as digits (issue 17, item 16: it was "#=#   #=##=#")."""

from __future__ import annotations

import html
import re

from rich.style import Style

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui import glyphs
from tests.apps import make_app

PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1, topic="", checkin=False)


def _rows(text: str, bold: bool = True) -> list[str]:
    from textual.renderables.digits import Digits

    out = "".join(seg.text for seg in Digits(text).render(Style(bold=bold)))
    return out.split("\n")[:3]


def test_the_seven_segment_face_in_ascii_and_textuals_own_after():
    fancy = _rows("1:20")
    try:
        glyphs.set_ascii(True)
        for bold in (True, False):
            assert _rows("1:20", bold) == ["       _  _ ", "  | .  _|| |", "  | . |_ |_|"]
        assert all(r.isascii() for r in _rows("0123456789:"))
    finally:
        glyphs.set_ascii(False)
    assert _rows("1:20") == fancy and not "".join(fancy).isascii()


async def test_the_floor_clock_reads_in_ascii(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan=PLAN, ascii=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f", "j")
            clock.advance(7)
            pilot.app.screen.refresh_state()
            await pilot.pause()
            svg = app.export_screenshot()
            shown = app.screen.query_one("#pane-left #clock").value
            rows = _rows(shown)
    finally:
        glyphs.set_ascii(False)
    text = html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>")[-1])).replace("\xa0", " ")
    assert shown and ":" in shown
    assert " . " in rows[1] and all(row.rstrip() in text for row in rows)  # the clock, as _ and |
    assert "#=#" not in text and "=##=" not in text
