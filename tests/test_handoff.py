"""A hand-off to a therapist (issue 18, item 5): only when both agree; by default no note, mood or feeling word."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from heartline.sessions.handoff import Handoff, NotAgreed, Part, build
from tests.records import CET, make_record

SECRET_NOTE = "ask about the flights"


def records() -> list[dict]:
    first = make_record()
    for p, feeling in zip(first["partners"], ("anxious", "tender")):
        p["feeling_before"] = feeling
        p["feeling_after"] = "calmer"
    first["partners"][0]["i_statement"] = "I feel lonely when the evenings go to screens."
    second = make_record(id="20261203-200000-alex-sam", protocol="imago-dialogue", topic="The evenings",
                         started_at=datetime(2026, 12, 3, 20, 0, tzinfo=CET),
                         ended_at=datetime(2026, 12, 3, 20, 40, tzinfo=CET), duration_seconds=2400.0,
                         notes=[{"kind": "topic-for-later", "text": "my mother's visit"}])
    return [second, first]  # any order in: oldest first out


def agreed(**extras) -> Handoff:
    h = Handoff(extras=set(extras.get("extras", ())))
    h.parts["left"] = Part("That I am tired, not distant.", "Weekly check-ins with an app.", "Talking about money.")
    h.parts["right"] = Part("I want to feel chosen.", "", "How to argue without going cold.")
    h.agreed = {"left": True, "right": True}
    return h


@pytest.mark.parametrize("who", [{}, {"left": True}, {"right": True}, {"left": True, "right": False}])
def test_nothing_is_made_unless_both_agree(who):
    h = agreed()
    h.agreed = {"left": False, "right": False, **who}
    with pytest.raises(NotAgreed):
        build(records(), h)


def test_by_default_it_holds_their_words_and_the_rituals_with_dates_and_nothing_else():
    text = build(records(), agreed(), {"speaker-listener": "Speaker–listener", "imago-dialogue": "Imago dialogue"},
                 now=datetime(2026, 12, 5, tzinfo=CET))
    for words in ("That I am tired, not distant.", "Weekly check-ins with an app.", "I want to feel chosen.",
                  "How to argue without going cold.", "Alex", "Sam"):
        assert words in text, words
    assert text.index("2026-11-26: Speaker–listener") < text.index("2026-12-03: Imago dialogue")
    for kept_out in (SECRET_NOTE, "book the train", "my mother", "mood", "anxious", "tender", "calmer", "lonely",
                     "How we spend the holidays", "The evenings", "blocked", "overtime", "402", "interrupt"):
        assert kept_out.lower() not in text.lower(), kept_out


def test_what_both_add_goes_in():
    text = build(records(), agreed(extras={"notes", "moods", "feelings"}))
    for words in (SECRET_NOTE, "my mother", "How we spend the holidays", "mood 3 → 4", "anxious → calmer",
                  "I feel lonely when the evenings go to screens."):
        assert words in text, words
    moods_only = build(records(), agreed(extras={"moods"}))
    assert "mood 2 → 4" in moods_only and "anxious" not in moods_only and SECRET_NOTE not in moods_only


def test_their_words_are_data_not_markdown():
    h = agreed()
    h.parts["left"] = Part("# not a heading [link](http://x) <b>", "", "")
    text = build(records(), h)
    assert "\\# not a heading \\[link\\](http://x) \\<b>" in text


def test_it_says_what_goes_in_and_what_stays_out_before_anyone_agrees():
    held, out = Handoff().what_it_holds()
    assert any("notes" in w for w in out) and any("moods" in w for w in out) and any("feeling" in w for w in out)
    held, out = Handoff(extras={"moods"}).what_it_holds()
    assert any("moods" in w for w in held) and not any("moods" in w for w in out)
