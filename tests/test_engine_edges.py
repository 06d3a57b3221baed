"""The engine's edges, exactly at the line (issue 20): the time-out's undo window, a pause held through
an undone time-out, and the burst rule keyed by partner *and* key.

Each test is written so that the one-line change named in its docstring makes it fail (tests/mutations.md).
Everything runs on the manual clock; nothing sleeps.
"""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import (
    BURST_GAP_SECONDS,
    LEFT,
    RIGHT,
    UNDO_SECONDS,
    Engine,
    Result,
    Settings,
)
from heartline.sessions.rituals import load_rituals

RITUALS = load_rituals()


def make(speak=120, reflect=60):
    ritual = RITUALS.get("speaker-listener")
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=1)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=False, checkin=False), clock


def kinds(engine):
    return [ev["kind"] for ev in engine.record()["events"]]


def replayed(engine):
    """The same session rebuilt from its log, as the journal would rebuild it."""
    return Engine.replay(engine.ritual, "Alex", "Sam", engine.settings, engine.log, engine.started_at,
                         rules=False, checkin=False, session_id=engine.session_id)


# ----- the undo window: strictly less than UNDO_SECONDS ------------------------------------------

def test_the_time_out_key_again_exactly_at_the_end_of_the_undo_window_does_not_take_it_back():
    """Mutation: `< UNDO_SECONDS` written `<= UNDO_SECONDS`. At exactly ten seconds the window is closed."""
    e, c = make()
    c.advance(30)
    assert e.time_out().what == "time-out"
    c.advance(UNDO_SECONDS)
    assert e.state().timeout_undo_left == 0  # what the screen says agrees with what the key does
    out = e.time_out()
    assert (out.result, out.what) == (Result.IGNORED, "time-out")
    assert e.state().pause_kind == "time-out"
    assert "time-out-undone" not in kinds(e)
    assert replayed(e).state().pause_kind == "time-out"  # a journal replays the same boundary


def test_the_time_out_key_again_just_inside_the_undo_window_takes_it_back():
    e, c = make()
    c.advance(30)
    e.time_out()
    c.advance(UNDO_SECONDS - 0.001)
    assert e.state().timeout_undo_left > 0
    assert e.time_out().what == "time-out-undone"
    assert e.state().pause_kind == ""
    assert kinds(e) == ["time-out", "time-out-undone"]


# ----- a pause held through an undone time-out --------------------------------------------------------

def test_undoing_a_time_out_taken_during_a_pause_leaves_the_pause_on():
    """Mutation: undoing a time-out always resumes (the pause that was on before it is dropped)."""
    e, c = make()
    c.advance(20)
    e.toggle_pause()
    left_at_pause = e.state().time_left
    c.advance(4)
    e.time_out()  # pressed by mistake while paused
    c.advance(2)
    assert e.time_out().what == "time-out-undone"
    s = e.state()
    assert s.paused and s.pause_kind == "pause"  # still the pause the couple chose, not a running turn
    c.advance(60)
    assert e.state().time_left == left_at_pause  # the turn's clock did not run on
    assert e.toggle_pause().what == "resumed"  # one press of space resumes, as from any pause
    assert kinds(e) == ["pause", "time-out", "time-out-undone", "resume"]
    again = replayed(e)
    assert again.state().pause_kind == "" and again.state().time_left == e.state().time_left


def test_undoing_a_time_out_taken_while_paused_is_the_same_after_a_replay():
    e, c = make()
    c.advance(20)
    e.toggle_pause()
    e.time_out()
    c.advance(1)
    e.time_out()
    c.advance(30)
    rebuilt = replayed(e)
    assert rebuilt.state().pause_kind == "pause" and rebuilt.state().time_left == e.state().time_left


# ----- bursts: one partner's *same* key, not any key of theirs -------------------------------------

def test_one_partners_two_different_keys_in_quick_succession_are_two_acts():
    """Mutation: the burst rule keyed by side only (a not-quite then a 'done' a moment later: one press).
    A listener's not-quite does nothing (no raised hand, issue 16), but it is its own act all the same."""
    e, c = make()
    c.advance(30)  # Alex has the floor, well past the settle time
    assert e.press(RIGHT, "not-quite").what == "listening"
    c.advance(BURST_GAP_SECONDS / 4)
    out = e.press(RIGHT, "done")
    assert (out.result, out.what) == (Result.BLOCKED, "interruption-blocked")
    assert kinds(e) == ["interruption-blocked"]


def test_the_speakers_not_quite_right_after_their_done_at_a_confirm_is_its_own_act():
    """The same rule for the floor-holder: Sam's 'done' ends the reflection, Alex's 'got it' and 'not
    quite' are separate keys, so each is read on its own (here: the second one lands in the next step)."""
    e, c = make()
    c.advance(30)
    assert e.press(LEFT, "done").what == "turn-ended"  # Alex passes to Sam's reflection
    c.advance(20)
    assert e.press(RIGHT, "done").what == "turn-ended"  # Sam has reflected; Alex confirms
    c.advance(5)
    assert e.state().step.is_confirm
    assert e.press(LEFT, "not-quite").what == "retry"
    c.advance(BURST_GAP_SECONDS / 4)
    # the same key again is one act with the first: nothing more happens
    assert e.press(LEFT, "not-quite").what == "burst"
    # a different key of the same partner is not part of that burst (it lands in the new step's settle time)
    assert e.press(LEFT, "done").what != "burst"


def test_the_same_key_within_the_burst_gap_is_still_one_act_and_after_it_two():
    e, c = make()
    c.advance(30)
    e.press(RIGHT, "done")
    c.advance(BURST_GAP_SECONDS - 0.01)
    assert e.press(RIGHT, "done").what == "burst"
    c.advance(BURST_GAP_SECONDS)  # a full gap after the last press of the burst
    assert e.press(RIGHT, "done").result is Result.BLOCKED
    assert e.record()["partners"][1]["interruptions_blocked"] == 2
