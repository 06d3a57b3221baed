"""At the end of a talk on a topic: the couple marks it solvable or coming back; the summary offers dreams."""

from __future__ import annotations

from importlib import resources

from textual.widgets import Input, Select

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.tui.screens.setup import SetupScreen
from heartline.tui.screens.summary import SummaryScreen
from tests.apps import make_app, text_of, until
from tests.records import make_record
from tests.whole import cut_text


def dreams_ritual(tmp_path) -> None:
    """A stand-in for the dreams-within-conflict ritual (built in another slice of issue 18)."""
    text = resources.files("heartline.sessions").joinpath("rituals/speaker-listener.toml").read_text("utf-8")
    text = text.replace('id = "speaker-listener"', 'id = "dreams-within-conflict"', 1)
    folder = tmp_path / "config" / "rituals"
    folder.mkdir(parents=True)
    (folder / "dreams-within-conflict.toml").write_text(text, "utf-8")


async def show_summary(app, pilot, tmp_path):
    path = store.save_record(make_record(), tmp_path / "data")
    await pilot.pause()
    await app.push_screen(SummaryScreen(store.load_record(path), path))
    await pilot.pause()
    return app.screen, path


async def test_the_couple_marks_the_topic_and_one_that_comes_back_is_offered_dreams(tmp_path):
    dreams_ritual(tmp_path)
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen, path = await show_summary(app, pilot, tmp_path)
        words = text_of(screen, "#outlook")
        assert "we can solve this" in words and "keeps coming back" in words and "dreams" not in words
        assert cut_text(screen) == []
        await pilot.press("w")  # not offered yet: nothing happens
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("g")
        await pilot.pause()
        assert store.load_record(path)["topic_outlook"] == "gridlocked"
        words = text_of(screen, "#outlook")
        assert "You marked this topic together: this keeps coming back." in words
        assert "w: next time, dreams within conflict" in words
        assert cut_text(screen) == []
        await pilot.press("v")  # changed their minds
        await pilot.pause()
        assert store.load_record(path)["topic_outlook"] == "solvable"
        await pilot.press("g", "w")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen))
        setup = app.screen
        assert setup.query_one("#ritual", Select).value == "dreams-within-conflict"
        assert setup.query_one("#topic", Input).value == "How we spend the holidays"


async def test_without_the_dreams_ritual_nothing_is_offered_but_the_mark_is_kept(tmp_path):
    from heartline.sessions.rituals import load_rituals

    rituals = load_rituals()
    rituals.rituals.pop("dreams-within-conflict")  # built in since issue 18 item 2: a set without it, as a user's
    app = make_app(tmp_path, ManualClock(), rituals=rituals)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, path = await show_summary(app, pilot, tmp_path)
        await pilot.press("g")
        await pilot.pause()
        assert store.load_record(path)["topic_outlook"] == "gridlocked"
        assert "dreams" not in text_of(screen, "#outlook")
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is screen


async def test_the_mark_stays_when_the_couple_changes_what_is_kept(tmp_path):
    """Choosing what to keep writes the file anew: the topic's mark must not be lost with it."""
    from heartline.sessions.setup import SessionPlan

    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=3, reflect=2, rounds=1, topic="the money",
                       checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        for _ in range(40):
            if isinstance(app.screen, SummaryScreen):
                break
            clock.advance(1)
            await pilot.press("f" if app.screen.engine.state().floor == "left" else "j")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen) and screen.path is not None
        await pilot.press("g")
        await pilot.pause()
        assert store.load_record(screen.path)["topic_outlook"] == "gridlocked"
        await pilot.press("2")  # your words too: the file is written again
        await pilot.pause()
        assert store.load_record(screen.path)["topic_outlook"] == "gridlocked"
        await pilot.press("3")  # nothing kept: no file, and nothing to mark
        await pilot.pause()
        assert screen.path is None and not screen.query_one("#outlook").display
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#outlook").display
        assert store.load_record(screen.path)["topic_outlook"] == "gridlocked"
