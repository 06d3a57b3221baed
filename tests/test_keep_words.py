"""In-session words never say more is kept than the couple's keep choice keeps (README "What is kept")."""

from __future__ import annotations

import pytest

from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.keep import ending_words
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.dialogs import ConfirmScreen, QuitScreen
from tests.apps import make_app, until
from tests.whole import cut_text

SHOWN = {"shape": "none of your words", "words": "your words are kept", "nothing": "Nothing of it is kept"}


def _app(tmp_path, keep: str):
    config = tmp_path / "config"
    config.mkdir()
    prefs.save(config, prefs.Prefs(keep=keep, told_safety=True))
    plan = SessionPlan("speaker-listener", "Alex", "Sam", rules=False, checkin=False)
    app = make_app(tmp_path, ManualClock(), plan)
    app.config.first_safety = False
    return app


def _words(screen) -> str:
    return " ".join(str(label.render()) for label in screen.query("Label"))


@pytest.mark.parametrize("keep", ["shape", "words", "nothing"])
async def test_ending_says_what_the_keep_choice_keeps(tmp_path, keep):
    app = _app(tmp_path, keep)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "engine", None) is not None)
        session = app.screen
        assert session.engine.stage is Stage.FLOOR
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        words = _words(app.screen)
        assert "Everything so far is kept" not in words
        assert SHOWN[keep] in words and "choose again" in words  # the summary asks again
        assert ("End and save" in str(app.screen.query_one("#yes").label)) is (keep != "nothing")
        assert cut_text(app.screen) == []
        await pilot.press("n")
        await until(pilot, lambda: app.screen is session)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen))
        words = _words(app.screen)
        assert "Everything so far is kept" not in words and SHOWN[keep] in words and "choose again" not in words
        assert cut_text(app.screen) == []
        await pilot.press("n")


def test_the_words_never_claim_more_than_is_kept():
    assert "words" not in ending_words("shape", summary=False).replace("none of your words", "")
    assert "Nothing" in ending_words("nothing", summary=False)
    assert ending_words("bogus", summary=False) == ending_words("shape", summary=False)  # the default


def test_the_union_does_not_promise_to_remember_what_is_written():
    """"Write it down so you both remember" promised the words stay; with keep = shape they do not."""
    union = load_rituals().get("state-of-the-union")
    lines = [line for part in union.parts for phase in part.phases for line in (*phase.speaker, *phase.listener)]
    assert lines and not [line for line in lines if "remember" in line.casefold()]
