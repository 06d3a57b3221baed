"""The I-statement box: three optional parts make one sentence that reads once."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from heartline.sessions.clock import ManualClock
from heartline.sessions.istatement import compose
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.dialogs import IStatementScreen
from tests.apps import make_app, text_of


@pytest.mark.parametrize(("feel", "about", "need", "expected"), [
    ("worried", "when we plan late", "us to plan together", "I feel worried when we plan late and I need us to plan together."),
    ("I feel worried", "", "", "I feel worried."),  # before: "I feel I feel worried."
    ("i feel  worried", "", "I need a hug", "I feel worried and I need a hug."),  # before: "… and I need I need a hug."
    ("I am sad", "money", "and I need time", "I am sad about money and I need time."),
    ("I’m tired", "", "", "I’m tired."),
    ("feeling low", "", "", "I feel low."),
    ("", "", "I'd like a walk", "I need a walk."),
    ("", "the holidays", "", "About the holidays."),
    ("I feel", "", "I need", ""),  # only the frame: nothing to keep
    ("", "", "", ""),
    ("hopeful!", "", "", "I feel hopeful!"),
    ("hurt", "when plans change", "I'd love us to plan together", "I feel hurt when plans change and I'd love us to plan together."),
    ("", "", "I’d love a walk", "I’d love a walk."),  # the hint's "a wish: I'd love us to …", in their words
    ("", "", "I'd love", ""),
])
def test_each_part_reads_once(feel, about, need, expected):
    assert compose(feel, about, need) == expected


async def test_the_box_shows_the_sentence_it_will_keep(tmp_path):
    plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=20, reflect=10, rounds=1, checkin=False)
    app = make_app(tmp_path, ManualClock(), plan)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")  # Alex prepares an I-statement on the ground-rules screen
        await pilot.pause()
        box = app.screen
        assert isinstance(box, IStatementScreen)
        await pilot.press(*"I feel worried")
        await pilot.pause()
        assert str(box.query_one("#intro").render()) == "Kept as: “I feel worried.”"
        await pilot.press("enter", "enter", *"I need a plan", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, IStatementScreen)
        assert app.screen.engine.record()["partners"][0]["i_statement"] == "I feel worried and I need a plan."


# ----- a soft start-up (issue 18, item 3) ------------------------------------------------

from heartline.sessions.istatement import HINTS, flags, gentle_note  # noqa: E402


@pytest.mark.parametrize(("parts", "kinds"), [
    (("frustrated", "when you always leave the dishes", ""), ["absolute"]),
    (("", "", "you to never do that again"), ["absolute"]),
    (("hurt", "you are so cold to my friends", ""), ["you-are"]),
    (("", "you’re so lazy", ""), ["you-are", "name"]),
    (("", "your selfish plans", ""), ["name"]),
    (("angry", "when you call me an IDIOT", ""), ["name"]),
])
def test_harsh_start_ups_are_noticed(parts, kinds):
    assert [f.kind for f in flags(*parts)] == kinds


@pytest.mark.parametrize("parts", [
    ("worried", "when we plan late", "us to plan together"),
    ("I feel stupid", "when I forget the dates", ""),  # their own word for themselves
    ("lonely", "on the evenings you work late", "a hug when you come home"),
    ("", "the alwayson phones", ""),  # not the word "always"
])
def test_soft_start_ups_are_left_alone(parts):
    assert flags(*parts) == [] and gentle_note([]) == ""


def test_the_note_is_gentle_and_keeps_the_words():
    note = gentle_note(flags("", "you are always late", ""))
    assert "“always”" in note and "Also: “you are”" in note
    assert "kept as you wrote it" in note
    assert not any(w in note.lower() for w in ("wrong", "bad", "don't", "must", "not allowed"))


async def test_the_box_hints_flags_gently_and_still_keeps_the_words(tmp_path):
    """Issue 18: the box had no hints and said nothing about 'always' or 'you are'."""
    plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=20, reflect=10, rounds=1, checkin=False)
    app = make_app(tmp_path, ManualClock(), plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        box = app.screen
        assert isinstance(box, IStatementScreen)
        assert box.query_one("#about", Input).border_subtitle == HINTS["about"] == "what happened, as a camera would see it"
        assert box.query_one("#need", Input).border_subtitle.startswith("a wish: I'd love us to")
        soften = box.query_one("#soften")
        assert not soften.display
        await pilot.press(*"hurt", "enter", *"when you are always late")
        await pilot.pause()
        assert soften.display
        shown = str(soften.render())
        assert "“always”" in shown and "kept as you wrote it" in shown
        whole = box.query_one(".box").region
        for part in ("#soften", ".typing-keys", "#need"):  # the flag and the safety keys are in sight at 80×24
            region = box.query_one(part).region
            assert region.height and whole.contains_region(region), (part, region, whole)
            assert region.bottom <= 24
        await pilot.press("enter", "enter")  # nothing blocked: the words are kept as typed
        await pilot.pause()
        assert not isinstance(app.screen, IStatementScreen)
        assert app.screen.engine.record()["partners"][0]["i_statement"] == "I feel hurt when you are always late."
