"""A session file's escape codes never reach the terminal from any screen (tried as an attacker: a topic that
retitles the terminal and a name that clears it, opened in Past sessions, reached the terminal as codes)."""

from __future__ import annotations

from datetime import datetime

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from tests.apps import make_app
from tests.records import CET, make_record

TOPIC = "\x1b]0;PWNED\x07\x1b[31mRED money \u202eevil"
NAME = "Maya\x1b[2J"
NOTE = "call \x1b[5mmum\x07 \u2066back\u2069"


def painted(app) -> str:
    """What the screen would write to a real terminal now, whole (Textual's own codes included)."""
    app.screen._compositor.reflow(app.screen, app.screen.size)
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_clean(out: str, where: str) -> None:
    for bad in ("\x1b]0;", "\x07", "\x1b[2J", "\x1b[5m", "\u202e", "\u2066"):
        assert bad not in out, f"{where}: {bad!r} reached the terminal"


def _hostile_history(tmp_path):
    data = tmp_path / "data"
    rec = make_record(topic=TOPIC)
    rec["partners"][0]["name"] = NAME
    for note in rec["notes"]:
        note["text"] = NOTE
    store.save_record(rec, data)
    store.save_record(make_record(id="20261120-190512-alex-sam", topic=TOPIC), data)
    return data


async def test_no_screen_lets_a_file_write_escape_codes_to_the_terminal(tmp_path):
    _hostile_history(tmp_path)
    app = make_app(tmp_path, ManualClock(start=datetime(2026, 11, 28, 10, tzinfo=CET)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert_clean(painted(app), "home")
        await pilot.press("p")
        await pilot.pause()
        out = painted(app)
        assert_clean(out, "past sessions")
        assert "PWNED" in out  # shown, escaped, not hidden
        await pilot.press("enter")
        await pilot.pause()
        assert_clean(painted(app), "a session in full")
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert_clean(painted(app), "trends")
