"""The floor's rules that issue 17 found wanting (items 1, 2 and 5), played on a manual clock: a turn never runs
out under a note box, one quick double-tap is one act at the check-in, simultaneous keys are no interruption, and
a run stopped before its first turn is "not started" and never a figure."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from heartline.sessions import stats
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings, Stage
from heartline.sessions.rituals import load_rituals
from heartline.sessions.rows import summarize as row_of
from heartline.sessions.summary import balance_bar, balance_words, summarize

RITUALS = load_rituals()


def make(ritual_id="temperature-reading", speak=10, reflect=10, rounds=1, **kw):
    ritual = RITUALS.get(ritual_id)
    clock = ManualClock(start=datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc))
    settings = Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds)
    options = {"rules": False, "checkin": False, **kw}
    return Engine(ritual, "Maya", "Jon", settings, clock, **options), clock


# ----- 1. a note box never eats a turn ---------------------------------------

def test_seen_a_holders_note_box_holds_her_clock_so_no_turn_runs_out_under_it():
    """Temperature reading, speak 10: Maya types for 25 s; her turn, its wrap-up and Jon's turn ran out under it."""
    e, c = make()
    c.advance(3)
    first = e.state().step
    assert e.state().floor == LEFT
    e.writing(LEFT, True)  # Maya's note box opens
    c.advance(25)
    s = e.state()
    assert s.step == first and s.floor == LEFT and s.time_left == pytest.approx(s.planned - 3)
    assert s.writing and s.next_change() == pytest.approx(60 - (s.elapsed % 60), abs=1e-3)  # only time together
    e.add_note(LEFT, "the boiler", "parking-lot")
    e.writing(LEFT, False)
    c.advance(1)
    assert e.state().time_left == pytest.approx(s.planned - 4)  # her clock goes on from where it waited
    assert [n["text"] for n in e.notes] == ["the boiler"]


def test_seen_a_listeners_note_box_holds_the_speakers_clock_too():
    """Tried as a couple: while Maya spoke (20 s), Jon jotted a note for 15 s; the box had the keyboard, so she
    could not say done, and her turn ran to "please wrap up" and passed to his reflection, ended by time."""
    e, c = make()
    c.advance(3)
    first = e.state().step
    e.writing(RIGHT, True)  # Jon jots a thought while Maya speaks
    c.advance(e.state().planned + e.settings.grace_seconds + 30)  # long enough for her turn and wrap-up to end
    s = e.state()
    assert s.floor == LEFT and s.step == first and s.writing and s.writers == {RIGHT}
    assert s.time_left == pytest.approx(s.planned - 3) and not s.in_grace  # her clock waited with her keys
    e.writing(RIGHT, False)
    c.advance(2)
    s = e.state()
    assert s.floor == LEFT and not s.writing and s.time_left == pytest.approx(s.planned - 5)


def test_the_held_clock_replays_to_the_same_session():
    e, c = make()
    c.advance(2)
    e.writing(LEFT, True)
    c.advance(40)
    e.writing(LEFT, False)
    c.advance(3)
    e.press(LEFT, "done")
    again = Engine.replay(e.ritual, "Maya", "Jon", e.settings, e.log, e.started_at, until=e.log[-1]["offset"],
                          rules=False, checkin=False)
    assert again.record()["turns"] == e.record()["turns"] and again.state().step == e.state().step


# ----- 2. one quick double-tap is one act at the check-in --------------------

def test_seen_seal_then_a_quick_second_tap_is_not_ready():
    """Check-in: Jon presses 8, then jj quickly: the reveal showed "✓ ready — waiting for the other"."""
    e, c = make(checkin=True)
    e.check_in(LEFT, 3, seal=False)
    e.press(LEFT, "done")  # Maya has sealed
    c.advance(2)
    e.check_in(RIGHT, 3, seal=False)  # Jon's 8
    c.advance(0.3)
    e.press(RIGHT, "done")  # j: sealed, and both answers are shown
    c.advance(0.15)
    e.press(RIGHT, "done")  # the second j of a quick jj
    s = e.state()
    assert s.checkin_revealed and not s.right.ready and s.right.done_means == "ready"
    c.advance(0.4)
    e.press(LEFT, "done")  # Maya, before she can have read the answers
    assert not e.state().left.ready
    c.advance(2)
    e.press(RIGHT, "done")  # read, and ready
    assert e.state().right.ready and e.stage is Stage.CHECKIN
    c.advance(0.5)
    e.press(LEFT, "done")
    assert e.stage is Stage.FLOOR


# ----- 5. simultaneous keys; runs not started; the balance barely held ------

def test_seen_simultaneous_keys_are_not_a_blocked_key():
    """Jon's j at the same instant as Maya's f was kept as Jon's blocked key."""
    e, c = make("speaker-listener", speak=60, reflect=20)
    c.advance(12)
    e.press(RIGHT, "done")  # Jon's j lands a hair before Maya's f
    c.advance(0.05)
    e.press(LEFT, "done")
    assert e.state().floor == RIGHT
    rec = e.record()
    assert not [ev for ev in rec["events"] if ev["kind"] == "interruption-blocked"]
    assert rec["partners"][1]["interruptions_blocked"] == 0 and rec["turns"][0]["interruptions_blocked"] == 0


def test_a_key_well_before_the_holders_is_still_a_blocked_key():
    e, c = make("speaker-listener", speak=60, reflect=20)
    c.advance(12)
    e.press(RIGHT, "done")
    c.advance(2)
    e.press(LEFT, "done")
    assert [ev["kind"] for ev in e.record()["events"]].count("interruption-blocked") == 1


@pytest.mark.parametrize("stop_at", ["rules", "check-in", "first turn"])
def test_a_run_stopped_before_its_first_turn_ended_is_not_started(stop_at):
    e, c = make(rules=True, checkin=True)
    if stop_at != "rules":
        e.press(LEFT, "done"), e.press(RIGHT, "done")
    if stop_at == "first turn":
        for side in (LEFT, RIGHT):
            e.check_in(side, 3)
        c.advance(1)
        e.press(LEFT, "done"), e.press(RIGHT, "done")
        assert e.stage is Stage.FLOOR
    c.advance(4)
    e.end_early()
    assert e.record()["status"] == "not-started" and e.state().status == "not-started"


def test_seen_a_long_first_turn_ended_early_is_a_session_not_a_false_start():
    """Tried as a couple: a ten-minute stress-reducing turn ended at 9:48 was saved as "not started"."""
    e, c = make("stress-reducing", speak=600)
    c.advance(588)
    e.end_early()
    assert e.record()["status"] == "ended-early"
    e, c = make("stress-reducing", speak=600)
    c.advance(20)
    e.end_early()
    assert e.record()["status"] == "not-started"  # a false start stays one


def test_a_run_stopped_after_its_first_turn_is_ended_early():
    e, c = make()
    c.advance(5)
    e.press(LEFT, "done")
    c.advance(3)
    e.end_early()
    assert e.record()["status"] == "ended-early"


def _record(left_seconds, right_seconds, status="ended-early", day=1):
    from tests.records import make_record

    rec = make_record()
    rec["status"] = status
    rec["partners"][0]["speaking_seconds"] = left_seconds
    rec["partners"][1]["speaking_seconds"] = right_seconds
    rec["started_at"] = rec["started_at"].replace(day=day)
    rec["id"] = f"{rec['id']}-{day}"
    return rec


def test_seen_a_twelve_second_session_draws_no_bar():
    """A 12-second session's summary drew a full bar "Maya 0:05 · Jon 0:00"."""
    s = summarize(_record(5, 0))
    assert balance_bar(s) == "" and "0:05" not in balance_words(s)


def test_seen_a_session_where_nobody_spoke_draws_no_half_bar():
    s = summarize(_record(0, 0))
    assert balance_bar(s) == "" and "not counted" in balance_words(s)
    assert balance_bar(summarize(_record(0, 0, status="not-started"))) == ""


def test_a_session_where_both_held_the_floor_draws_its_bar():
    assert balance_bar(summarize(_record(60, 50, status="completed")))


def test_seen_runs_not_started_do_not_enter_trends_or_the_balance():
    """Trends said "Maya 82% · Jon 18%" and "The floor has leaned to one side" from early stops."""
    rows = [row_of(_record(60, 60, "completed", day=10)), row_of(_record(4, 0, "not-started", day=9)),
            row_of(_record(0, 0, "ended-early", day=8)), row_of(_record(30, 0, "ended-early", day=7)),
            row_of(_record(50, 70, "completed", day=6))]
    t = stats.compute(rows)
    assert t.sessions == 3 and t.not_started == 2
    assert t.balance == [pytest.approx(50 / 120, abs=1e-3), pytest.approx(0.5)]  # oldest first; the one-sided out
