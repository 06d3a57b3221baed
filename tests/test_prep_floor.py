"""PREP's missing steps (issue 18, item 6): the speaker keeps the floor while paraphrased; an unanswered
confirmation is never a "got it"; time running out asks the speaker (pass the floor, or a minute more).

Each rule on the manual clock, then as the couple sees it at 80x24.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heartline.sessions import keep
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings
from heartline.sessions.rituals import RitualError, load_rituals, parse_ritual
from heartline.sessions.setup import SessionPlan
from heartline.sessions.export import timeline
from heartline.sessions.summary import summarize
from heartline.sessions.validate import validate
from tests.apps import make_app, later, text_of, to_the_floor

RITUALS = load_rituals()
FORMAT = (Path(__file__).resolve().parents[1] / "sessions" / "rituals" / "FORMAT.md").read_text(encoding="utf-8")


def make(ritual_id="speaker-listener", speak=120, reflect=45, rounds=1):
    ritual = RITUALS.get(ritual_id)
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds)
    return Engine(ritual, "Maya", "Jon", settings, clock, rules=False, checkin=False,
                  session_id="20261205-210000-maya-jon"), clock


def at(engine, clock, seconds, side, action="done"):
    clock.advance(seconds)
    return engine.press(side, action)


def kinds(engine):
    return [ev["kind"] for ev in engine.record()["events"]]


# ----- 1. the speaker keeps the floor while paraphrased ------------------------------------


def test_the_paraphrase_is_held_on_the_speakers_floor():
    e, c = make()
    at(e, c, 30, LEFT)  # Maya's chunk: Jon says it back
    s = e.state()
    assert (s.step.kind, s.floor, s.floor_owner) == ("reflect", RIGHT, LEFT)  # Jon talks; the floor is Maya's
    assert s.left.keeps_floor and not s.right.keeps_floor
    assert (s.left.activity, s.right.activity) == ("heard", "reflecting")
    assert s.right.done_means == "end-turn" and s.left.done_means == ""  # Jon still ends his saying-back


def test_the_paraphrase_counts_as_the_speakers_floor_time_and_the_file_says_so():
    e, c = make()
    at(e, c, 30, LEFT)
    at(e, c, 20, RIGHT)  # paraphrase
    at(e, c, 2, LEFT)    # got it
    at(e, c, 2, LEFT)    # that's all: the floor passes to Jon
    rec = e.record()
    reflect = next(t for t in rec["turns"] if t["phase"] == "reflect")
    assert (reflect["by"], reflect["floor"]) == (RIGHT, LEFT)  # who said it back, and whose floor it was
    assert rec["partners"][0]["speaking_seconds"] == pytest.approx(50)
    assert rec["partners"][1]["speaking_seconds"] == pytest.approx(0)
    kept = keep.kept(rec)  # schema 2: no per-partner counters; the floor reads from the turns
    assert kept["schema"] == 2 and all("speaking_seconds" not in p for p in kept["partners"])
    validate(kept)
    with pytest.raises(Exception, match="floor"):
        validate({**kept, "turns": [{**reflect, "floor": "middle"}]})
    assert keep.floor_seconds(kept) == (50.0, 0.0)
    assert summarize(kept).floor_seconds == pytest.approx(50)
    assert any(words.startswith("Jon reflected back for 0:20, on Maya's floor") for _, words in timeline(kept))


def test_a_ritual_that_does_not_say_so_is_unaffected():
    e, c = make("imago-dialogue")
    at(e, c, 30, LEFT)
    s = e.state()
    assert s.step.phase.actor == "listener" and s.floor_owner == s.floor == RIGHT and not s.left.keeps_floor
    at(e, c, 20, RIGHT)
    assert all("floor" not in t for t in e.record()["turns"])


def test_the_setting_is_a_ritual_key_checked_and_documented():
    base = {"id": "x", "name": "X", "summary": "s", "parts": [{"title": "t", "phases": [
        {"kind": "speak", "title": "Speak", "actor": "speaker"}]}]}
    assert parse_ritual(base, "x.toml").speaker_keeps_floor is False
    assert parse_ritual({**base, "speaker_keeps_floor": True}, "x.toml").speaker_keeps_floor is True
    with pytest.raises(RitualError, match="speaker_keeps_floor"):
        parse_ritual({**base, "speaker_keeps_floor": "yes"}, "x.toml")
    assert RITUALS.get("speaker-listener").speaker_keeps_floor
    assert "speaker_keeps_floor" in FORMAT


# ----- 2. an unanswered confirmation is never a "got it" ----------------------------------


def test_an_unanswered_check_is_asked_again_then_pauses_and_never_counts_as_got_it():
    e, c = make()
    at(e, c, 30, LEFT)
    at(e, c, 20, RIGHT)
    s = e.state()
    assert s.step.added == "confirm" and s.warning == ""  # a yes-or-no is never hurried
    c.advance(20 + 15 - 2)
    assert e.state().warning == "" and not e.state().asked_again
    c.advance(2)
    s = e.state()
    assert s.step.added == "confirm" and s.asked_again and s.time_left == pytest.approx(20)  # asked again, anew
    c.advance(35)
    s = e.state()
    assert s.step.added == "confirm" and s.paused and s.unanswered
    assert kinds(e)[-2:] == ["asked-again", "pause-unanswered"] and "confirmed" not in kinds(e)
    assert all(ev["by"] == "both" for ev in e.record()["events"] if ev["kind"] in ("asked-again", "pause-unanswered"))
    c.advance(300)  # paused: nothing moves, nothing is decided
    assert e.state().step.added == "confirm" and e.press(LEFT, "done").result is Result.IGNORED
    e.toggle_pause()  # space: carry on, the question asked afresh
    s = e.state()
    assert not s.paused and not s.unanswered and s.step.added == "confirm" and s.time_left == pytest.approx(20)
    assert at(e, c, 3, LEFT).what == "confirmed"
    rec = e.record()
    assert summarize(rec).breaks == 0  # not "you paused when you needed to": nobody chose it
    assert rec["partners"][1]["reflections_confirmed_first_time"] == 1


def test_while_paused_unanswered_no_key_is_offered_but_carrying_on():
    e, c = make()
    at(e, c, 30, LEFT)
    at(e, c, 20, RIGHT)
    c.advance(70)
    s = e.state()
    assert s.unanswered
    assert [(v.done_means, v.not_quite_means) for v in (s.left, s.right)] == [("", ""), ("", "")]
    assert e.press(LEFT, "done").result is Result.IGNORED  # as offered: nothing
    e.toggle_pause()
    assert (e.state().left.done_means, e.state().left.not_quite_means) == ("got-it", "not-quite")


@pytest.mark.parametrize("speak, over", [(20, 0), (20, 9), (120, 0)])
def test_a_minute_more_is_a_whole_minute_of_floor_whatever_the_turn_lengths(speak, over):
    e, c = make(speak=speak, reflect=10)
    used = 0.0
    while not e.state().floor_up:  # Maya talks each chunk to its end (the last one `over` into its grace)
        planned = e.state().planned
        used += planned
        at(e, c, planned + (over if used >= speak else 0), LEFT)
        at(e, c, 5, RIGHT)
        at(e, c, 1, LEFT)
        if not e.state().floor_up:
            at(e, c, 1, LEFT, "not-quite")
    assert at(e, c, 1, LEFT, "not-quite").what == "minute-more"
    s = e.state()
    assert (s.step.kind, s.floor) == ("speak", LEFT)
    assert s.planned == pytest.approx(60) and s.time_left == pytest.approx(60) and s.floor_left == pytest.approx(60)
    at(e, c, 60, LEFT)
    assert e.turns[-1]["planned_seconds"] == 60 and e.turns[-1]["overtime_seconds"] == 0
    at(e, c, 5, RIGHT)
    at(e, c, 1, LEFT)
    assert e.state().floor_up  # the minute is used: asked again, pass or a minute more


def test_the_speaker_can_answer_just_as_the_question_is_asked_again():
    e, c = make()
    at(e, c, 30, LEFT)
    at(e, c, 20, RIGHT)
    c.advance(35)
    assert e.state().asked_again
    assert at(e, c, 0.1, LEFT).what == "confirmed"  # not read as a key carried over from the turn before


def test_an_unanswered_question_replays_the_same():
    e, c = make()
    t0 = c.monotonic()
    at(e, c, 30, LEFT)
    at(e, c, 20, RIGHT)
    c.advance(80)
    e.toggle_pause()
    at(e, c, 3, LEFT, "not-quite")
    again = Engine.replay(e.ritual, "Maya", "Jon", e.settings, e.log, e.started_at, until=c.monotonic() - t0,
                          rules=False, checkin=False, session_id=e.session_id)
    assert again.record() == e.record()


# ----- 3. time running out asks the speaker ------------------------------------------------


def _use_the_floor(e, c):
    """Maya uses all her floor (three chunks of 40 s), each said back and confirmed."""
    for more in (True, True, False):
        at(e, c, 40, LEFT)
        at(e, c, 10, RIGHT)
        at(e, c, 1, LEFT)
        if more:
            at(e, c, 1, LEFT, "not-quite")


def test_time_running_out_asks_the_speaker_pass_the_floor_or_a_minute_more():
    e, c = make()
    _use_the_floor(e, c)
    s = e.state()
    assert (s.step.added, s.floor, s.floor_up) == ("more", LEFT, True)  # the clock did not pass the floor
    assert (s.left.done_means, s.left.not_quite_means) == ("pass-floor", "minute-more")
    assert (s.right.done_means, s.right.not_quite_means) == ("", "")
    assert s.step.title == "Pass the floor?" and "Is there more" not in " ".join(s.left.guidance + s.right.guidance)
    assert at(e, c, 2, RIGHT).result is Result.BLOCKED  # the listener cannot pass it for her
    assert at(e, c, 1, RIGHT, "not-quite").result is Result.IGNORED
    assert at(e, c, 1, LEFT, "not-quite").what == "minute-more"
    assert (e.turns[-1]["ended_by"], e.transitions[-1].kind) == ("minute-more", "more")
    s = e.state()
    assert (s.step.kind, s.floor) == ("speak", LEFT) and s.planned == 60 and s.floor_left == pytest.approx(60)
    at(e, c, 40, LEFT)  # she may end the minute early: the rest stays hers
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)  # got it: 20 s of the minute left, so "is there more?"
    assert e.state().step.added == "more" and not e.state().floor_up
    at(e, c, 1, LEFT, "not-quite")
    assert e.state().planned == pytest.approx(20)
    at(e, c, 20, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)
    assert e.state().floor_up  # the minute is used too: asked again, never decided
    at(e, c, 2, LEFT)  # pass the floor
    s = e.state()
    assert (s.step.kind, s.floor) == ("speak", RIGHT) and e.transitions[-1].kind == "floor-passed"


def test_an_unanswered_pass_the_floor_is_asked_again_then_pauses():
    e, c = make()
    _use_the_floor(e, c)
    c.advance(20 + 15)
    s = e.state()
    assert s.floor_up and s.asked_again and s.floor == LEFT
    c.advance(20 + 15)
    s = e.state()
    assert s.floor_up and s.unanswered and s.floor == LEFT
    e.toggle_pause()
    assert at(e, c, 3, LEFT).what == "floor-passed"


# ----- as the couple sees it -------------------------------------------------------------

PLAN = SessionPlan("speaker-listener", "Maya", "Jon", speak=90, reflect=20, rounds=1, topic="Holidays", checkin=False)


async def test_the_banner_and_both_panes_say_whose_floor_it_is(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await later(pilot, screen, clock, 10, "f")  # Maya's chunk ends: Jon says it back
        assert "Maya has the floor — Jon is saying" in text_of(screen, "#banner")
        assert "▶" in text_of(screen, "#pane-left #role") and "▶" not in text_of(screen, "#pane-right #role")
        assert "Jon is saying it back" in text_of(screen, "#pane-left #timeline")
        assert "Maya's floor" in text_of(screen, "#pane-right #timeline")
        await later(pilot, screen, clock, 2, "f")  # Maya, on her own floor, would end his saying-back: blocked
        assert screen.engine.state().floor == RIGHT
        assert text_of(screen, "#pane-left #nudge").startswith("Jon is still saying it back. Breathe; you'll answer next.")


async def test_the_speakers_question_is_asked_calmly_and_the_key_bar_fits_80_columns(tmp_path):
    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=8, reflect=5, rounds=1, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await later(pilot, screen, clock, 8, "f")  # all of Maya's floor in one go
        await later(pilot, screen, clock, 3, "j")  # Jon says it back
        clock.advance(20 + 15)  # the check runs out: asked again
        screen.refresh_state()
        await pilot.pause()
        line = text_of(screen, "#pane-left #timeline")
        assert "Asked again" in line and "wrap up" not in line and "hurry" not in line  # its own clock runs again
        listener = text_of(screen, "#pane-right #timeline")
        assert "Maya is asked again" in listener and "no hurry" not in listener, listener
        await later(pilot, screen, clock, 2, "f")  # got it: her floor time is used
        assert "pass the floor, or a minute more" in text_of(screen, "#banner")
        keys_left = text_of(screen, "#keys-left")
        assert "f pass" in keys_left and "d +1 minute" in keys_left and keys_left.startswith("Maya")
        assert len(keys_left) <= 80 // 2 - 2
        assert "f: pass the floor · d: a minute more" in text_of(screen, "#pane-left #nudge")
        clock.advance(70)  # unanswered twice: paused, calmly
        screen.refresh_state()
        await pilot.pause()
        assert "No answer yet, and that's all right" in text_of(screen, "#banner")
        assert screen.engine.state().step.added == "more"
        # the pause holds: f and d do nothing until space, so the way on is shown, not them
        assert "f:" not in text_of(screen, "#pane-left #nudge") and "d:" not in text_of(screen, "#pane-left #nudge")
        assert "space to carry on" in text_of(screen, "#pane-left #timeline")
        for side in ("left", "right"):
            bar = text_of(screen, f"#keys-{side}")
            assert "space carry on" in bar and "pass" not in bar and "+1 minute" not in bar, bar
            assert len(bar) <= 80 // 2 - 2
        await pilot.press("space")  # carry on: the question is asked afresh, with its keys
        screen.refresh_state()
        await pilot.pause()
        assert "f pass" in text_of(screen, "#keys-left")
        assert "f: pass the floor · d: a minute more" in text_of(screen, "#pane-left #nudge")
