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
