"""Words on screen that told a couple something untrue or unexplained (the last trial): each says what is so."""

from __future__ import annotations

import pytest

from heartline.sessions import keep as keeping
from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of, to_the_floor, until

TEMPERATURE = SessionPlan("temperature-reading", "Maya", "Jon", speak=60, rounds=1, checkin=False)


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
        screen = await to_the_floor(pilot, app, clock)
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


# ----- a short --speak: why the clock shows less, and what the second count is ---------------------

async def _press(pilot, screen, clock, seconds, key=""):
    clock.advance(seconds)
    if key:
        await pilot.press(key)
    screen.refresh_state()
    await pilot.pause()


def _loop(speak: int) -> SessionPlan:
    return SessionPlan("speaker-listener", "Maya", "Jon", speak=speak, rounds=1, checkin=False)


@pytest.mark.parametrize("speak, clock_face, share", [
    (20, "0:07", "This part is 7 s of the 20 s left of your floor. Then Jon says it back, and you can go on"),
    (120, "0:40", "This part is 40 s of the 2 min left of your floor. Then Jon says it back, and you can go on"),
])
async def test_a_part_of_the_floor_says_its_share_and_the_wrap_up_says_what_the_clock_counts(tmp_path, speak,
                                                                                             clock_face, share):
    """Seen: `--speak 20s`, and the big clock began at 0:07, then counted 15 s more, with nothing saying why."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, _loop(speak))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        screen = app.screen
        await _press(pilot, screen, clock, 0)
        assert screen.query_one("#pane-left #clock").value == clock_face
        assert text_of(screen, "#pane-left #timeline") == share
        await _press(pilot, screen, clock, 1.5)
        assert text_of(screen, "#pane-left #timeline") == share  # words that stand still while the clock moves
        await _press(pilot, screen, clock, int(clock_face[-2:]))  # the part's time is up: the wrap-up
        assert screen.query_one("#pane-left #clock").value == "0:14"
        assert text_of(screen, "#pane-left #timeline") == "Time — please wrap up: the clock above is your time to finish"


async def _clarify(pilot, app, clock, speak):
    await pilot.press("f", "j")
    screen = app.screen
    await _press(pilot, screen, clock, 5, "f")  # Maya's part ends
    await _press(pilot, screen, clock, 3, "j")  # Jon has said it back
    await _press(pilot, screen, clock, 1, "d")  # not quite: Maya says it again
    step = screen.engine.state().step
    assert step.added == "clarify" and step.planned == 20
    return screen


async def test_saying_it_again_never_calls_itself_the_last_of_the_floor_when_it_may_run_past(tmp_path):
    """Seen: the clarify pane said "the last of your floor", though its 20 s run on past the 15 s left."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, _loop(20))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _clarify(pilot, app, clock, 20)
        assert screen.engine.state().floor_left < 20
        line = text_of(screen, "#pane-left #timeline")
        assert "last of your floor" not in line
        assert line == ("Then Jon tries once more; this may run past your floor time, and the floor stays yours "
                        "until you pass it")


async def test_saying_it_again_with_floor_to_spare_says_what_follows(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, _loop(120))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _clarify(pilot, app, clock, 120)
        assert text_of(screen, "#pane-left #timeline") == "Then Jon tries once more"


# ----- the top line: the topic is read whole, the other words give way -------------------------------

async def test_the_topic_is_read_whole_at_80x24_in_the_first_minute(tmp_path):
    """Seen: "Speaker–listener · “Who does the dis…”  round 1 of 2 · under a minute together"."""
    topic = "Who does the dishes after dinner"
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=120, rounds=2, topic=topic, checkin=False)
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        screen = app.screen
        await _press(pilot, screen, clock, 2)
        assert screen.engine.stage is Stage.FLOOR
        assert text_of(screen, "#top") == f"Speaker–listener · “{topic}”"
        assert text_of(screen, "#top-right") == "1/2 · under a minute"
        await _press(pilot, screen, clock, 60)
        assert text_of(screen, "#top") == f"Speaker–listener · “{topic}”"
        assert text_of(screen, "#top-right") == "round 1 of 2 · 1 min"
        row = "".join(strip.text for strip in screen._compositor.render_strips()[:1])
        assert topic in row and "round 1 of 2 · 1 min" in row  # both in sight on the one row


async def test_a_topic_with_room_keeps_every_word(tmp_path):
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=120, rounds=2, topic="Holidays", checkin=False)
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        await _press(pilot, app.screen, clock, 2)
        assert text_of(app.screen, "#top-right") == "round 1 of 2 · under a minute together"
