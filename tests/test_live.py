"""The live screen driven with the pilot and the manual clock: keys in, engine state and TOML out."""

from __future__ import annotations

import stat
import tomllib
from datetime import datetime

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.keep import floor_seconds
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of
from heartline.tui.screens.session import SessionScreen
from heartline.tui.screens.summary import SummaryScreen
from heartline.tui.screens.timeout import ReturnTimeScreen, TimeoutScreen, breath_at

PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, topic="How we spend the holidays",
                   checkin=False)
LOOP_PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=60, reflect=20, rounds=1,
                        topic="How we spend the holidays", checkin=False)


async def settle(pilot, app):
    app.screen.refresh_state() if isinstance(app.screen, SessionScreen) else None
    await pilot.pause()


async def test_one_round_session_with_blocked_key_not_quite_pause_and_grace(tmp_path):
    """Speaker–listener at 60 s of floor each: 20 s chunks, a 10 s clarify, the loop to "that's all"."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, LOOP_PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        engine = screen.engine
        # ground rules: the session waits for both
        await pilot.press("f")
        assert engine.stage is Stage.RULES
        assert "✓ agreed" in text_of(screen, "#stage-left")
        await pilot.press("j")
        assert engine.stage is Stage.FLOOR
        assert "Has the floor" in text_of(screen, "#pane-left #role")
        assert "Listening" in text_of(screen, "#pane-right #role")
        assert "f done" in text_of(screen, "#keys-left") and "raise" not in text_of(screen, "#keys-right")

        # Sam tries to take the floor: blocked, nudged, counted
        clock.advance(10)
        await pilot.press("j")
        assert engine.state().floor == "left"
        nudge = text_of(screen, "#pane-right #nudge")
        assert nudge.startswith("Alex is still speaking. Breathe; your turn will come.") and "l parks it" in nudge
        assert "Hold the thought" not in nudge and "jot" not in nudge
        clock.advance(app.config.nudge_seconds + 0.1)
        await settle(pilot, app)
        assert text_of(screen, "#pane-right #nudge") == ""

        # Sam's not-quite key while listening: no raised hand on Alex's pane, nothing counted (issue 16)
        await pilot.press("k")
        assert "raised" not in text_of(screen, "#pane-left #nudge") and not screen.query("#hand")

        # Sam jots a parking-lot note without stopping the clock
        await pilot.press("l")
        await pilot.press(*"flights")
        await pilot.press("enter")
        assert screen.state.transitions == 0

        await pilot.press("f")  # Alex done after 14.1 s
        assert "Reflecting back" in text_of(screen, "#pane-right #role")
        bells = app.bells
        clock.advance(6)
        await pilot.press("j")  # Sam reflected
        assert "Did they get it?" in text_of(screen, "#pane-left #role")
        assert "f got it" in text_of(screen, "#keys-left") and "d not quite" in text_of(screen, "#keys-left")
        assert app.bells == bells + 1
        clock.advance(2)
        await pilot.press("d")  # not quite: Alex says the missed part again
        assert "Saying it again" in text_of(screen, "#pane-left #role")
        banner = text_of(screen, "#banner")
        assert banner == "Alex says again what matters most — two tries is normal", banner  # nobody "missed" it
        guidance = text_of(screen, "#pane-left #guidance") + text_of(screen, "#pane-right #guidance")
        assert "Say again what matters most to you." in guidance and "Listen again; two tries is normal." in guidance
        clock.advance(3)
        await pilot.press("f")
        assert "Reflecting back" in text_of(screen, "#pane-right #role")
        clock.advance(4)
        await pilot.press("j")
        clock.advance(1)
        await pilot.press("f")  # yes, you got it
        assert "Is there more?" in text_of(screen, "#pane-left #role")
        assert "f that's all" in text_of(screen, "#keys-left") and "d more" in text_of(screen, "#keys-left")
        clock.advance(1)
        await pilot.press("f")  # that's all: the floor passes
        assert "The floor passes" in text_of(screen, "#banner")

        # Sam's turn; a pause in the middle is not speaking time
        assert engine.state().floor == "right"
        clock.advance(5)
        await pilot.press("space")
        assert "Paused" in text_of(screen, "#pane-right #role") and "Paused" in text_of(screen, "#pane-left #role")
        assert "Paused" in text_of(screen, "#banner")
        clock.advance(100)
        await pilot.press("space")
        # run into the grace period
        clock.advance(15)
        await settle(pilot, app)
        assert "Time — please wrap up" in text_of(screen, "#pane-right #timeline")
        assert screen.query_one("#pane-right").has_class("-grace")
        clock.advance(13)  # 2 s grace left...
        await settle(pilot, app)
        assert engine.state().floor == "right"
        clock.advance(2)  # ...and the phase moves on by itself
        await settle(pilot, app)
        assert engine.state().step.kind == "reflect" and engine.state().floor == "left"
        clock.advance(8)
        await pilot.press("f")
        clock.advance(1)
        await pilot.press("j")  # got it
        clock.advance(1)
        await pilot.press("j")  # that's all
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = text_of(app.screen, "#shared")
        assert "How the floor was shared" in summary and "interruptions blocked" not in summary

    files = list((tmp_path / "data" / "sessions").glob("*.toml"))
    assert len(files) == 1
    path = files[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    rec = tomllib.loads(path.read_text())
    assert rec["schema"] == 2
    assert rec["id"] == path.stem == "20261126-190512-alex-sam"
    assert rec["app_version"] == "0.1.0"
    assert rec["protocol"] == "speaker-listener"
    assert rec["topic"] == "How we spend the holidays"
    assert isinstance(rec["started_at"], datetime) and rec["started_at"].tzinfo is not None
    assert rec["status"] == "completed"
    assert rec["duration_seconds"] == pytest.approx(14.1 + 6 + 2 + 3 + 4 + 1 + 1 + 5 + 100 + 15 + 13 + 2 + 8 + 1 + 1,
                                                    abs=0.05)
    assert rec["settings"] == {"speak_seconds": 60, "reflect_seconds": 20, "rounds": 1, "grace_seconds": 15,
                               "confirm_seconds": 20, "closing_appreciation": False}
    left, right = rec["partners"]
    assert (left["side"], left["name"], right["side"], right["name"]) == ("left", "Alex", "right", "Sam")
    assert "mood_before" not in left  # check-in skipped
    assert set(left) == set(right) == {"side", "name"}  # no per-partner tallies (issue 16)
    floor_left, floor_right = floor_seconds(rec)  # each one's floor time, read from the turns
    # PREP: each paraphrase is held on the speaker's floor (Sam's 6 + 4 are Alex's; Alex's 8 is Sam's)
    assert floor_left == pytest.approx(14.1 + 3 + 6 + 4)
    assert floor_right == pytest.approx(5 + 15 + 13 + 2 + 8)  # the 100 s pause is not counted
    turns = [(t["phase"], t["by"], t["ended_by"]) for t in rec["turns"]]
    assert turns == [
        ("speak", "left", "done"), ("reflect", "right", "done"), ("confirm", "left", "not-quite"),
        ("clarify", "left", "done"), ("reflect", "right", "done"), ("confirm", "left", "done"), ("more", "left", "done"),
        ("speak", "right", "time"), ("reflect", "left", "done"), ("confirm", "right", "done"), ("more", "right", "done"),
    ]
    assert "interruptions_blocked" not in rec["turns"][0]
    assert rec["turns"][7]["planned_seconds"] == 20 and rec["turns"][7]["actual_seconds"] == pytest.approx(35)
    assert rec["turns"][7]["overtime_seconds"] == pytest.approx(15)
    kinds = [e["kind"] for e in rec["events"]]
    assert kinds == ["confirmed", "pause", "resume", "confirmed"]  # shared moments; blocked keys are not kept
    assert rec["notes"] == []  # the shape, kept by default: no note's text (issue 16)


async def test_escape_asks_then_saves_ended_early(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(12)
        await pilot.press("escape")
        await pilot.press("n")  # carry on
        assert app.screen.engine.stage is Stage.FLOOR
        await pilot.press("escape")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    rec = tomllib.loads(next((tmp_path / "data" / "sessions").glob("*.toml")).read_text())
    assert rec["status"] == "not-started"  # stopped within the first turn: listed, never a figure
    assert rec["turns"][0]["ended_by"] == "session-end" and rec["turns"][0]["actual_seconds"] == 12


async def test_quitting_mid_session_saves_what_happened(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(7)
        await pilot.press("ctrl+q")
    rec = tomllib.loads(next((tmp_path / "data" / "sessions").glob("*.toml")).read_text())
    assert rec["status"] == "not-started" and rec["turns"][0]["actual_seconds"] == 7


async def test_time_out_screen_counts_down_and_both_return(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(3)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        clock.advance(60)  # the moment to take it back has passed: when to come back is asked (a opens the box)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReturnTimeScreen)
        await pilot.press("enter")  # the minimum, offered
        await pilot.pause()
        app.screen.redraw()
        assert "Breathe" in text_of(app.screen, "#breath-word")
        clock.advance(20 * 60)  # the time-out's minimum
        await pilot.press("f")
        assert "●○" in text_of(app.screen, "#return")  # one shared indicator, no names
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        state = app.screen.engine.state()
        assert not state.paused and state.time_left == pytest.approx(7)  # a 10 s chunk of Alex's 30 s floor


def test_breathing_pacer_breathes_out_longer_than_in():
    """Issue 16: the pacer held the breath (box breathing, 4·4·4·4); a longer out-breath settles better."""
    assert breath_at(0)[0] == "Breathe in" and breath_at(0)[2] == 0
    assert breath_at(3.9)[1] == 4
    assert breath_at(4)[0] == "Breathe out" and breath_at(4)[2] == 1
    assert breath_at(9.9)[0] == "Breathe out" and breath_at(9.9)[1] == 6 and 0 < breath_at(9.9)[2] < 0.05
    assert breath_at(10)[0] == "Breathe in"
    words = {breath_at(t / 10)[0] for t in range(100)}
    assert words == {"Breathe in", "Breathe out"}  # no holding
    seconds_in = sum(1 for t in range(1000) if breath_at(t / 100)[0] == "Breathe in")
    seconds_out = sum(1 for t in range(1000) if breath_at(t / 100)[0] == "Breathe out")
    assert seconds_out > seconds_in and (seconds_in, seconds_out) == (400, 600)


async def test_turn_end_rings_the_bell_unless_silenced(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN, bell=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(1)
        await pilot.press("f")
        assert app.screen.engine.state().floor == "right"
        assert app.bells == 0


async def test_too_small_window_shows_notice_and_recovers(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(70, 20)) as pilot:
        notice = app.screen.query_one("TooSmall")
        assert notice.display and app.screen.has_class("-too-narrow")
        await pilot.press("f", "j")  # nobody can read the rules: agreeing waits
        assert app.screen.engine.stage is Stage.RULES and not app.screen.engine.log
        await pilot.press("space")  # pausing still works
        assert app.screen.engine.state().paused
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert not app.screen.query_one("TooSmall").display
        await pilot.press("f", "j")
        assert app.screen.engine.state().side("left").agreed and app.screen.engine.state().side("right").agreed


async def test_staged_warnings_before_the_turn_ends(tmp_path):
    clock = ManualClock()
    plan = SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        seen = []
        for seconds in (20, 15, 10, 10, 7):  # 40 s left, 25, 15, 5, then 2 s into grace
            clock.advance(seconds)
            await settle(pilot, app)
            seen.append(text_of(app.screen, "#pane-left #timeline"))
    assert seen[0] == "Your turn — the clock above is yours"  # the big clock counts; the words stand still
    assert seen[1] == seen[2] == "Under 30 seconds left"
    assert seen[3].startswith("Under 10 seconds left")
    assert seen[4].startswith("Time — please wrap up")


async def test_an_unanswered_check_is_never_announced_as_a_yes(tmp_path):
    """Seen in a trial: 'Did they get it?' left unanswered until time ran out showed 'They got it'."""
    from heartline.sessions.setup import SessionPlan as Plan

    clock = ManualClock()
    app = make_app(tmp_path, clock, Plan("speaker-listener", "Alex", "Sam", speak=60, reflect=3, rounds=1,
                                         checkin=False))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        await pilot.press("f", "j")  # both agree to the rules
        clock.advance(5)
        await pilot.press("f")  # Alex's first chunk
        for _ in range(200):  # the reflection runs out, then the check runs out unanswered, twice
            clock.advance(1)
            screen.refresh_state()
            if screen.engine.state().unanswered:
                break
        await pilot.pause()
        assert screen.engine.state().step.added == "confirm"  # never a yes nobody gave: the session waits
        banner = text_of(screen, "#banner")
        assert "They got it" not in banner and "No answer yet" in banner
