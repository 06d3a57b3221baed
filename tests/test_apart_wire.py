"""The wire of a session apart, read as a hostile peer would write it (issue 19).

Every message from the other heartline is checked against a strict schema and
a size limit; a guest can only speak for its own partner; text is data (never
control characters, never read as markup); too many messages are dropped and
counted. No network here: `wire` is plain data.
"""

from __future__ import annotations

import json

import pytest

from heartline.sessions import __version__
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Engine, Settings
from heartline.sessions.journal import header
from heartline.sessions.rituals import load_rituals
from heartline.tui.apart import wire


def raw(message: dict) -> bytes:
    return json.dumps(message).encode()


def intent(intent_id: str, **extra) -> bytes:
    return raw({"v": 1, "t": "intent", "id": intent_id, "at": 12.5, **extra})


# ----- the guest's intents ---------------------------------------------------------------

@pytest.mark.parametrize("intent_id", ["right.done", "right.not-quite", "right.mood-1", "right.mood-5", "pause",
                                       "time-out", "end"])
def test_a_guest_may_press_its_own_keys_and_the_shared_ones(intent_id):
    item = wire.read_intent(intent(intent_id), "right")
    assert item.id == intent_id
    assert item.at == 12.5
    assert item.side in ("right", "")


@pytest.mark.parametrize("intent_id", ["left.done", "left.not-quite", "left.mood-3", "left.note"])
def test_a_guest_cannot_press_the_other_partners_keys(intent_id):
    with pytest.raises(wire.WireError, match="its own partner"):
        wire.read_intent(intent(intent_id, **({"text": "x"} if intent_id.endswith("note") else {})), "right")


@pytest.mark.parametrize("intent_id", ["right.mood-6", "right.mood-0", "right.quit", "both.done", "right", "",
                                       "right.done.again", "../../etc/passwd", "quit"])
def test_unknown_intents_are_refused(intent_id):
    with pytest.raises(wire.WireError):
        wire.read_intent(intent(intent_id), "right")


def test_a_guest_cannot_send_what_only_a_host_sends():
    for kind in ("session", "input", "record", "clock", "nothing"):
        with pytest.raises(wire.WireError, match="cannot send"):
            wire.read_intent(raw({"v": 1, "t": kind, "at": 0}), "right")


def test_a_message_of_another_version_is_refused():
    for version in (0, 2, "1", None, True):
        with pytest.raises(wire.WireError, match="version"):
            wire.read_intent(raw({"v": version, "t": "intent", "id": "right.done", "at": 1}), "right")
    with pytest.raises(wire.WireError, match="version"):
        wire.read_intent(raw({"t": "intent", "id": "right.done", "at": 1}), "right")


def test_a_megabyte_is_refused_before_it_is_parsed():
    big = intent("right.note", text="x" * (1024 * 1024))
    with pytest.raises(wire.WireError, match="too large"):
        wire.read_intent(big, "right")
    with pytest.raises(wire.WireError, match="too large"):
        wire.read_host(b"{" + b" " * (1024 * 1024) + b"}")


def test_a_note_too_long_is_refused_even_under_the_size_limit():
    with pytest.raises(wire.WireError, match="too long"):
        wire.read_intent(intent("right.note", text="x" * (wire.MAX_TEXT + 1)), "right")


@pytest.mark.parametrize("text", ["\x1b[2J\x1b]0;owned\x07", "evil\u202etxt", "zero\u200bwidth", "bell\x07",
                                  "nul\x00", "line\nbreak", "\x9b31m"])
def test_text_with_control_or_invisible_characters_is_refused(text):
    with pytest.raises(wire.WireError, match="control or invisible"):
        wire.read_intent(intent("right.note", text=text), "right")


def test_markup_is_kept_as_data():
    item = wire.read_intent(intent("right.note", text="[bold red]I win[/] [link=http://x]y[/link]"), "right")
    assert item.text == "[bold red]I win[/] [link=http://x]y[/link]"  # shown as typed, never as style


@pytest.mark.parametrize("payload", [
    b"", b"null", b"[]", b"42", b"\xff\xfe", b'{"v":1', b"not json",
    b'{"v":1,"t":"intent","id":"right.done","at":NaN}',
    b'{"v":1,"t":"intent","id":"right.done","at":Infinity}',
    b'{"v":1,"t":"intent","id":"right.done","at":true}',
    b'{"v":1,"t":"intent","id":"right.done","at":"soon"}',
    b'{"v":1,"t":"intent","id":"right.done","at":-1}',
    b'{"v":1,"t":"intent","id":"right.done"}',
    b'{"v":1,"t":"intent","id":"right.done","at":1,"path":"/etc/passwd"}',
    b'{"v":1,"t":"intent","id":"right.done","at":1,"text":"hi"}',
    b'{"v":1,"t":"intent","id":"right.note","at":1}',
    b'{"v":1,"t":"intent","id":"right.note","at":1,"text":"a","kind":"secret"}',
    b'{"v":1,"t":"intent","id":"right.note","at":1,"text":["a"]}',
    b'{"v":1,"t":"intent","id":"return-at","at":1,"minutes":true}',
    b'{"v":1,"t":"intent","id":"return-at","at":1,"minutes":99999}',
    b'{"v":1,"t":"intent","id":"pause","at":1,"reason":"because"}',
    b'{"v":1,"t":"intent","id":7,"at":1}',
    b"[" * 100000,
    b'{"v":1,"t":"intent","id":"right.done","at":1,"x":' + b"[" * 50 + b"]" * 50 + b"}",
])
def test_malformed_messages_are_refused_with_a_reason(payload):
    with pytest.raises(wire.WireError):
        wire.read_intent(payload, "right")


def test_bye_and_ping():
    assert wire.read_intent(raw({"v": 1, "t": "bye", "why": "left"}), "right") is None
    assert wire.read_intent(wire.encode(wire.ping()), "right") is wire.PING


def test_ten_thousand_messages_at_once_are_mostly_dropped_and_counted():
    limit = wire.RateLimit(rate=30, burst=60)
    allowed = sum(limit.allow(100.0 + n * 1e-6) for n in range(10_000))
    assert allowed <= 61
    assert limit.take_dropped() == 10_000 - allowed
    assert limit.take_dropped() == 0
    assert limit.allow(102.0)  # two seconds later keys get through again


# ----- the hello --------------------------------------------------------------------------

def test_the_hello_names_the_app_the_wire_and_the_role():
    wire.check_hello({"app_versions": wire.hello("guest", __version__)}, "guest", __version__)
    with pytest.raises(wire.WireError, match="same version"):
        wire.check_hello({"app_versions": {**wire.hello("guest", "9.9.9"), "wire": 2}}, "guest", __version__)
    with pytest.raises(wire.WireError, match="not a heartline"):
        wire.check_hello({"app_versions": {}}, "guest", __version__)
    with pytest.raises(wire.WireError, match="one of you starts"):
        wire.check_hello({"app_versions": wire.hello("host", __version__)}, "guest", __version__)


def test_a_hostile_version_string_is_not_echoed():
    with pytest.raises(wire.WireError) as caught:
        wire.check_hello({"app_versions": {**wire.hello("guest", "\x1b]0;x\x07"), "wire": 3}}, "guest", "0.1.0")
    assert "\x1b" not in str(caught.value)


# ----- what the host sends ---------------------------------------------------------------

def _engine() -> Engine:
    ritual = load_rituals(None).get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=20, reflect=10, rounds=1),
                    ManualClock(), session_id="20261126-190512-alex-sam")
    return engine


def test_the_hosts_session_header_reads_back_strictly():
    engine = _engine()
    engine.press("left", "done")
    message = wire.read_host(wire.encode(wire.session(header(engine), engine.log, 1.0)))
    assert message.kind == "session"
    assert message.head["ritual"] == engine.ritual.__class__(**{**vars(engine.ritual), "source": message.head["ritual"].source})
    assert message.head["left"] == "Alex"
    assert message.log == [{"op": "press", "offset": 0.0, "side": "left", "action": "done"}]


@pytest.mark.parametrize("change", [
    {"left": "\x1b[31mAlex"}, {"right": ""}, {"right": "x" * 100}, {"id": "../../etc/passwd"},
    {"started_at": "yesterday"}, {"started_at": "2026-11-26T19:05:12"}, {"heartline_journal": 2},
    {"settings": {"speak_seconds": 10**9, "reflect_seconds": 10, "rounds": 1}},
    {"settings": {"speak_seconds": 10, "reflect_seconds": 10, "rounds": 1, "first": "middle"}},
    {"options": {"rules": "yes"}}, {"options": {"topic": "\u202e"}}, {"options": {"evil": 1}},
    {"extra": 1},
])
def test_a_hostile_header_is_refused(change):
    head = {**header(_engine()), **change}
    with pytest.raises(wire.WireError):
        wire.read_host(wire.encode(wire.session(head, [], 0.0)))


def test_a_hostile_ritual_is_refused_like_a_ritual_file():
    head = header(_engine())
    for ritual in ({**head["ritual"], "parts": []}, {**head["ritual"], "rounds": 10**6},
                   {**head["ritual"], "name": "\x1b]52;c;owned\x07"}, {**head["ritual"], "unknown": 1}, "x"):
        with pytest.raises(wire.WireError):
            wire.read_host(wire.encode(wire.session({**head, "ritual": ritual}, [], 0.0)))


@pytest.mark.parametrize("item", [
    {"op": "format-disk", "offset": 1}, {"op": "press", "offset": 1, "side": "middle", "action": "done"},
    {"op": "press", "offset": 1, "side": "left", "action": "win"}, {"op": "press", "offset": -1, "side": "left",
                                                                       "action": "done"},
    {"op": "press", "offset": float("inf"), "side": "left", "action": "done"},
    {"op": "check-in", "offset": 1, "side": "left", "mood": 9}, {"op": "note", "offset": 1, "side": "left"},
    {"op": "pause", "offset": 1, "reason": "x"}, {"op": "end", "offset": 1, "path": "/"}, [], "press",
])
def test_hostile_inputs_from_the_host_are_refused(item):
    with pytest.raises((wire.WireError, ValueError)):
        wire.read_host(raw({"v": 1, "t": "input", "entry": item, "at": 1.0}))


def test_inputs_out_of_order_are_refused():
    log = [{"op": "pause", "offset": 5.0}, {"op": "pause", "offset": 1.0}]
    with pytest.raises(wire.WireError, match="order"):
        wire.read_host(wire.encode(wire.session(header(_engine()), log, 6.0)))


def test_a_note_typed_on_the_host_with_an_escape_arrives_escaped_not_live():
    item = {"op": "note", "offset": 1.0, "side": "left", "text": "hi\x1b[2J", "kind": "parking-lot"}
    message = wire.read_host(raw({"v": 1, "t": "input", "entry": item, "at": 1.0}))
    assert message.log[0]["text"] == "hi\\x1b[2J"


def test_a_host_cannot_send_an_intent():
    with pytest.raises(wire.WireError, match="cannot send"):
        wire.read_host(intent("left.done"))


def test_nothing_is_a_host_message_of_its_own_with_no_other_keys():
    assert wire.read_host(wire.encode(wire.nothing())).kind == "nothing"
    with pytest.raises(wire.WireError, match="unknown keys"):
        wire.read_host(raw({"v": 1, "t": "nothing", "path": "/etc/passwd"}))


@pytest.mark.parametrize("kind", ["core-need", "flexible"])
def test_a_state_of_the_unions_core_need_and_flexible_area_cross_the_wire(kind):
    """Issue 18: the compromise's notes are kinds of their own; apart, a guest writes them too."""
    out = wire.read_intent(intent("right.note", text="a quiet day", kind=kind), "right")
    assert out.kind == kind
    item = {"op": "note", "offset": 1.0, "side": "left", "text": "time with family", "kind": kind}
    assert wire.read_host(raw({"v": 1, "t": "input", "entry": item, "at": 1.0})).log[0]["kind"] == kind


# ----- what holds the clock, and the park key (a note box, the end question, a topic kept) ----------------

def test_a_guests_note_box_its_question_and_a_parked_topic_cross_the_wire_strictly():
    assert wire.read_intent(intent("right.writing", on=True), "right").on is True
    assert wire.read_intent(intent("asking", on=False), "right").on is False
    assert wire.read_intent(intent("park", text="our evenings"), "right").text == "our evenings"
    assert wire.read_intent(intent("park"), "right").text == ""  # kept without words
    assert wire.read_intent(intent("more-time", minutes=20), "right").minutes == 20
    for bad in (intent("left.writing", on=True), intent("right.writing"), intent("right.writing", on=1),
                intent("asking", on="yes"), intent("park", text="\x1b[2J"), intent("park", on=True),
                intent("more-time", minutes=0), intent("right.writing", on=True, text="x")):
        with pytest.raises(wire.WireError):
            wire.read_intent(bad, "right")


def test_the_hosts_holds_and_parked_topics_are_inputs_the_guest_reads():
    assert wire.check_entry({"op": "writing", "offset": 3.0, "side": "left", "on": True})["on"] is True
    assert wire.check_entry({"op": "asking", "offset": 3.0, "on": False})["on"] is False
    assert wire.check_entry({"op": "park", "offset": 3.0, "text": "us"})["text"] == "us"
    assert wire.check_entry({"op": "more-time", "offset": 3.0, "minutes": 10})["minutes"] == 10
    for bad in ({"op": "writing", "offset": 3.0, "side": "left"}, {"op": "writing", "offset": 3.0, "side": "x", "on": True},
                {"op": "asking", "offset": 3.0, "on": 0}, {"op": "park", "offset": 3.0, "text": 5}):
        with pytest.raises(wire.WireError):
            wire.check_entry(bad)
