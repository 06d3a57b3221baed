"""Keys mean what the person meant: the engine reads intent, played on a manual clock.

Each of the first tests reproduces something a couple saw (issue 8).
"""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings
from heartline.sessions.rituals import load_rituals

RITUALS = load_rituals()


def make(ritual_id="speaker-listener", speak=120, reflect=60, rounds=1, **kw):
    ritual = RITUALS.get(ritual_id)
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=False, checkin=False, **kw), clock


def taps(engine, clock, side, action, n, gap=0.15):
    outs = []
    for i in range(n):
        if i:
            clock.advance(gap)
        outs.append(engine.press(side, action))
    return outs


def test_seen_imago_quick_taps_do_not_skip_the_mirror_turn():
    e, c = make("imago-dialogue")
    c.advance(20)
    taps(e, c, RIGHT, "done", 3)  # Sam, impatient, while Alex sends
    c.advance(0.3)
    e.press(LEFT, "done")  # Alex has sent
    s = e.state()
    assert (s.step.kind, s.floor) == ("mirror", RIGHT)
    c.advance(0.05)
    e.press(RIGHT, "done")  # Sam's next tap lands in Sam's own mirror turn
    c.advance(0.2)
    e.press(RIGHT, "done")
    s = e.state()
    assert (s.step.kind, s.floor) == ("mirror", RIGHT)  # the mirror has not been skipped
    assert all(t["actual_seconds"] >= 0.8 for t in e.record()["turns"] if t["ended_by"] == "done")


def test_seen_speakers_double_done_is_not_their_interruption():
    e, c = make()
    c.advance(30)
    taps(e, c, LEFT, "done", 2, gap=0.2)
    rec = e.record()
    assert rec["partners"][0]["interruptions_blocked"] == 0
    assert not [ev for ev in rec["events"] if ev["kind"] == "interruption-blocked"]


def test_seen_four_quick_not_quite_taps_from_the_listener_leave_nothing():
    e, c = make()
    c.advance(30)
    taps(e, c, RIGHT, "not-quite", 4)
    assert e.record()["partners"][1].get("hands_raised", 0) == 0
    assert not [ev for ev in e.record()["events"] if ev["kind"] == "hand-raised"]


def test_seen_three_quick_interruptions_are_one():
    e, c = make()
    c.advance(30)
    outs = taps(e, c, RIGHT, "done", 3)
    assert outs[0].result is Result.BLOCKED
    assert e.record()["partners"][1]["interruptions_blocked"] == 1


def test_seen_temperature_reading_turns_take_the_typed_length():
    e, c = make("temperature-reading", speak=8, reflect=3)
    planned = {t.kind: t.planned for t in e.steps}
    assert planned["appreciate"] == 8
    assert planned["new-information"] == 8
    assert planned["complaint-request"] == 12  # 90 s at the ritual's 60 s scales to 12 s at 8 s
