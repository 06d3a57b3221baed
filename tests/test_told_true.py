"""Words on screen that told a couple something untrue or unexplained (the last trial): each says what is so."""

from __future__ import annotations

import pytest

from heartline.sessions import keep as keeping
from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of, until

TEMPERATURE = SessionPlan("temperature-reading", "Maya", "Jon", speak=60, rounds=1, checkin=False)


async def _on_floor(pilot, app, clock):
    await pilot.press("f", "j")
    clock.advance(2)
    app.screen.refresh_state()
    await pilot.pause()
    assert app.screen.engine.stage is Stage.FLOOR
    return app.screen


# ----- a note box says whether its words go into the file (README "What is kept") ----------------

@pytest.mark.parametrize("keep, said", [
    ("shape", "You keep the shape only: these words are not written to the file."),
    ("words", "You keep your words: these go into the session's file."),
    ("nothing", "You keep nothing: no file, so these words are not kept."),
])
async def test_a_note_box_says_whether_its_words_go_into_the_file(tmp_path, keep, said):
    """Seen: with keep = shape, the box never said the words would not be in the file."""
    from heartline.tui.screens.dialogs import NoteScreen

    prefs.save(tmp_path / "config", prefs.Prefs(keep=keep))
    clock = ManualClock()
    app = make_app(tmp_path, clock, TEMPERATURE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _on_floor(pilot, app, clock)
        assert screen.engine.state().floor == "left"
        await pilot.press("s")  # Maya holds the floor: what she appreciates
        await until(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert text_of(app.screen, "#kept") == said
        assert app.screen.query_one("#kept").region.height >= 1  # in sight in the box at 80×24


def test_what_a_note_box_says_is_what_the_file_keeps():
    """Each kind of note, each choice: the box's words agree with `keep.kept` (what reaches the file)."""
    for kind in ("parking-lot", "appreciation", "commitment", "core-need", "flexible", "request", "parked"):
        record = {"partners": [{"name": "Maya"}, {"name": "Jon"}], "notes": [{"kind": kind, "text": "x", "by": "left"}]}
        for keep in keeping.KEEPS:
            kept = keeping.kept(record, keep)
            in_file = bool(kept and kept["notes"])
            in_file_with_yes = bool((k := keeping.kept(record, keep, topics=True)) and k["notes"])
            words = keeping.note_words(keep, kind)
            if in_file:
                assert "go into the session's file" in words, (kind, keep)
            elif in_file_with_yes:
                assert "if you both say yes" in words, (kind, keep)
            else:
                assert "not written to the file" in words or "not kept" in words, (kind, keep)
    assert "if you both say yes" in keeping.note_words("words", "feeling")  # with the moods kept, by both
