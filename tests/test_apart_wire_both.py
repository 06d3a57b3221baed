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
