"""The guest's replica of the host's session shows what the host's engine decided (issue 19).

The host's inputs travel as JSON through `wire` and are replayed by
`mirror.Mirror` on a clock that follows the host's; the State on both sides
must be the same, and an input that arrives after the guest's clock ran past
it is replayed, never guessed.
"""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Engine, Settings, Stage
from heartline.sessions.journal import header
from heartline.sessions.rituals import load_rituals
from heartline.tui.apart import wire
from heartline.tui.apart.mirror import Mirror


def host_and_guest(**settings):
    ritual = load_rituals(None).get("speaker-listener")
    clock = ManualClock(monotonic=500.0)
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=20, reflect=10, rounds=1, **settings),
                    clock, session_id="20261126-190512-alex-sam", checkin=False)
    sent: list[bytes] = []
    engine.on_input = lambda item: sent.append(wire.encode(wire.entry(item, item["offset"])))
    first = wire.read_host(wire.encode(wire.session(header(engine), engine.log, 0.0)))
    guest_clock = ManualClock(monotonic=7.0)  # another machine: its own monotonic origin
    mirror = Mirror(first.head, guest_clock)
    mirror.load(first.log, first.at)
    return engine, clock, mirror, guest_clock, sent


def deliver(mirror: Mirror, sent: list[bytes]) -> None:
    while sent:
        message = wire.read_host(sent.pop(0))
        mirror.add(message.log[0], message.at)


def same(a, b) -> None:
    fields = ("stage", "paused", "round", "step_number", "floor", "in_grace", "warning", "transitions", "status")
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert abs(a.time_left - b.time_left) < 1e-6
    assert a.left == b.left and a.right == b.right


def test_the_replica_follows_every_key_and_the_clock_between():
    engine, clock, mirror, guest_clock, sent = host_and_guest()
    engine.press("left", "done")
    engine.press("right", "done")  # both agree to the rules: the floor opens
    deliver(mirror, sent)
    same(engine.state(), mirror.engine.state())
    assert mirror.engine.state().stage is Stage.FLOOR
    for _ in range(5):  # no message for five seconds: the guest's own clock runs the countdown
        clock.advance(1.0)
        guest_clock.advance(1.0)
        same(engine.state(), mirror.engine.state())
    engine.press("right", "done")  # Sam tries to take the floor: blocked, on both
    deliver(mirror, sent)
    same(engine.state(), mirror.engine.state())
    assert mirror.engine.state().floor == "left"
    clock.advance(30.0)  # the turn runs out by time: both engines end it at the same moment
    guest_clock.advance(30.0)
    same(engine.state(), mirror.engine.state())
    assert engine.state().floor == "right"
    assert mirror.replays == 1  # all carried on, never rebuilt


def test_an_input_the_guest_had_run_past_is_replayed_not_guessed():
    engine, clock, mirror, guest_clock, sent = host_and_guest()
    engine.press("left", "done")
    engine.press("right", "done")
    deliver(mirror, sent)
    clock.advance(19.9)
    engine.press("left", "done")  # Alex ends the turn just before time
    guest_clock.advance(40.0)  # the guest's clock had run on past the deadline before the key arrived
    assert mirror.engine.state().transition.ended_by == "time"  # it had guessed the turn ran out
    deliver(mirror, sent)
    assert mirror.engine.state().transition.ended_by == "done"  # the host's truth: Alex ended it
    same(engine.state(), mirror.engine.state())
    clock.advance(3.0)
    guest_clock.advance(3.0)
    same(engine.state(), mirror.engine.state())
    assert mirror.replays == 2
    assert engine.record()["turns"] == mirror.engine.record()["turns"]


def test_the_record_on_both_sides_is_the_same():
    engine, clock, mirror, guest_clock, sent = host_and_guest()
    for side in ("left", "right"):
        engine.press(side, "done")
    for _ in range(4):
        clock.advance(3.0)
        guest_clock.advance(3.0)
        engine.press(engine.state().floor, "done")
    engine.add_note("right", "[bold]ask about the flights[/]", "parking-lot")
    engine.end_early()
    deliver(mirror, sent)
    assert mirror.engine.state().stage is Stage.ENDED
    assert engine.record() == mirror.engine.record()
