"""The wire's strict schema for what a session apart adds at its edges: the summary's question and answers (issue 19)."""

from __future__ import annotations

import json

import pytest

from heartline.tui.apart import wire


def raw(message: dict) -> bytes:
    return json.dumps(message).encode()


def test_an_answer_names_its_question_and_only_the_guests_own_side_may_give_it():
    item = wire.read_intent(raw(wire.intent("right.done", 3.0, keep="moods")), "right")
    assert (item.side, item.action, item.keep) == ("right", "done", "moods")
    assert wire.read_intent(raw(wire.intent("right.not-quite", 3.0, keep="topics")), "right").keep == "topics"
    assert wire.read_intent(raw(wire.intent("right.done", 3.0)), "right").keep == ""  # a key of the session
    with pytest.raises(wire.WireError):
        wire.read_intent(raw(wire.intent("left.done", 3.0, keep="moods")), "right")  # the other side's yes
    for bad in ("everything", "", 1, True, None, ["moods"]):
        with pytest.raises(wire.WireError):
            wire.read_intent(raw(wire.intent("right.done", 3.0, keep=bad)), "right")
    with pytest.raises(wire.WireError):
        wire.read_intent(raw(wire.intent("right.mood-3", 3.0, keep="moods")), "right")  # only yes or no answers


def test_the_question_from_the_host_is_read_field_by_field():
    good = wire.question("words", "topics", {"left"}, True, None)
    assert wire.read_host(raw(good)).question == {"keep": "words", "asking": "topics", "yes": ["left"],
                                                  "moods": True, "topics": None}
    for field, bad in (("keep", "all"), ("asking", "names"), ("yes", ["left", "left"]), ("yes", ["up"]),
                       ("yes", "left"), ("yes", ["left", "right", "left"]), ("moods", 1), ("topics", "yes"),
                       ("extra", 1)):
        with pytest.raises(wire.WireError):
            wire.read_host(raw({**good, field: bad}))
    for missing in ("keep", "asking", "yes", "moods", "topics"):
        with pytest.raises(wire.WireError):
            wire.read_host(raw({k: v for k, v in good.items() if k != missing}))


def test_a_repair_goes_by_the_phrases_id_and_only_the_listed_ones():
    from heartline.sessions.engine import REPAIRS

    for code in REPAIRS:
        item = wire.read_intent(raw(wire.intent("repair", 1.0, phrase=code)), "right")
        assert (item.action, item.phrase) == ("repair", code)
        assert wire.check_entry({"op": "repair", "offset": 1.0, "phrase": code})["phrase"] == code
    assert wire.read_intent(raw(wire.intent("repair", 1.0, phrase="")), "right").phrase == ""  # closed, none chosen
    assert wire.read_intent(raw(wire.intent("repair-open", 1.0)), "right").action == "repair-open"
    assert wire.check_entry({"op": "repair-open", "offset": 1.0}) == {"op": "repair-open", "offset": 1.0}
    for bad in ("Slow down, please", "[b]slow-down[/b]", "slow-down ", 1, None, True, ["slow-down"], {"a": 1}):
        with pytest.raises(wire.WireError):
            wire.read_intent(raw(wire.intent("repair", 1.0, phrase=bad)), "right")
        with pytest.raises(wire.WireError):
            wire.check_entry({"op": "repair", "offset": 1.0, "phrase": bad})
    for extra in ({"text": "hi"}, {"kind": "parking-lot"}, {"minutes": 3}):
        with pytest.raises(wire.WireError):
            wire.read_intent(raw(wire.intent("repair", 1.0, phrase="my-part", **extra)), "right")
    with pytest.raises(wire.WireError):
        wire.read_intent(raw(wire.intent("repair-open", 1.0, phrase="my-part")), "right")
    with pytest.raises(wire.WireError):
        wire.read_intent(raw(wire.intent("right.repair", 1.0, phrase="my-part")), "right")
    with pytest.raises(wire.WireError):
        wire.check_entry({"op": "repair-open", "offset": 1.0, "phrase": "my-part"})


def test_the_mirror_replays_a_repair_as_the_host_took_it():
    from tests.test_apart_mirror import deliver, host_and_guest, same

    engine, clock, mirror, guest_clock, sent = host_and_guest()
    engine.press("left", "done")
    engine.press("right", "done")  # the rules agreed: Alex's floor
    clock.advance(3)
    guest_clock.advance(3)
    engine.open_repair()
    clock.advance(5)
    guest_clock.advance(5)
    engine.repair("my-part")
    deliver(mirror, sent)
    assert mirror.engine.state().repair == engine.state().repair == "my-part"
    same(mirror.engine.state(), engine.state())
    engine.open_repair()
    engine.repair("flooded")  # the time-out, on the replica too
    deliver(mirror, sent)
    assert mirror.engine.state().pause_kind == engine.state().pause_kind == "time-out"
