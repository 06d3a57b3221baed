"""The hand-off on screen and from the command line: both agree, each writes their part, nothing else goes in."""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.handoff import Handoff, Part
from heartline.tui import cli
from heartline.tui.app import AppConfig
from heartline.tui.handoff import HandoffApp
from heartline.tui.screens.handoff import AgreeScreen, HandoffScreen
from tests.apps import make_app, text_of, until
from tests.records import CET, make_record
from tests.whole import cut_text

NOTE = "ask about the flights"  # in make_record's notes


def two_records() -> list[dict]:
    return [make_record(), make_record(id="20261203-200000-alex-sam", protocol="imago-dialogue",
                                       started_at=datetime(2026, 12, 3, 20, tzinfo=CET),
                                       ended_at=datetime(2026, 12, 3, 20, 30, tzinfo=CET))]


def handoff_app(tmp_path) -> HandoffApp:
    config = AppConfig(data_dir=tmp_path / "data", config_dir=tmp_path / "config", clock=ManualClock(), seed=7)
    return HandoffApp(config, two_records())


async def test_both_agree_with_their_own_keys_after_writing_their_part(tmp_path):
    app = handoff_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
        screen = app.screen
        assert cut_text(screen) == []
        await pilot.press(*"I am tired, not distant", "enter", *"check-ins", "enter", *"money talks")
        screen.query_one("#right-help").value = "arguing without going cold"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AgreeScreen))
        agree = app.screen
        assert cut_text(agree) == []
        shown = text_of(agree, "#who-agrees")
        assert "Alex: press f to agree" in shown and "Sam: press j to agree" in shown
        await pilot.press("f")
        await pilot.pause()
        assert "Alex agrees" in text_of(agree, "#who-agrees")
        await pilot.press("escape")  # Sam is not ready: nothing is made, and nothing typed is lost
        await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
        assert app.handoff is None and screen.query_one("#left-understood").value == "I am tired, not distant"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AgreeScreen))
        assert "Alex: press f" in text_of(app.screen, "#who-agrees")  # agreeing counts only here and now
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, AgreeScreen)  # one partner is not both
        await pilot.press("f")
        await pilot.pause()
    handoff = app.handoff
    assert handoff is not None and handoff.both_agree
    assert handoff.parts["left"] == Part("I am tired, not distant", "check-ins", "money talks")
    assert handoff.parts["right"].help == "arguing without going cold"
    assert handoff.extras == set()


async def test_the_screen_says_what_stays_out_and_the_switches_add_it(tmp_path):
    app = handoff_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
        screen = app.screen
        holds = text_of(screen, "#holds")
        assert "leaves out: notes" in holds and "moods" in holds.split("leaves out:")[1]
        screen.query_one("#extra-moods Switch").value = True
        await pilot.pause()
        holds = text_of(screen, "#holds")
        assert "moods" in holds.split("leaves out:")[0] and "moods" not in holds.split("leaves out:")[1]


# ----- the command line -----------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(heartline_home):
    for record in two_records():
        store.save_record(record, heartline_home)
    other = make_record(id="20261201-100000-zoe-jose")
    for p, name in zip(other["partners"], ("Zoe", "Jose")):
        p["name"] = name
    store.save_record(other, heartline_home)
    return heartline_home


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr(cli, "_at_a_terminal", lambda: True)


def screen_answers(monkeypatch, handoff):
    import heartline.tui.handoff as module

    calls = []
    monkeypatch.setattr(module, "run_handoff", lambda options, records: calls.append(records) or handoff)
    return calls


@pytest.mark.parametrize(("argv", "problem"), [
    (["export", "--for-therapist", "-o", "x.md"], "needs one or more session ids"),
    (["export", "--for-therapist", "20261126"], "needs -o FILE"),
    (["export", "--for-therapist", "--all", "-o", "x.md"], "not --all"),
    (["export", "--for-therapist", "20261126", "--format", "toml", "-o", "x.md"], "is Markdown"),
    (["export", "--for-therapist", "20261126", "20261201", "-o", "x.md"], "not all of the same two people"),
    (["export", "--for-therapist", "nope", "-o", "x.md"], "nope"),
    (["export", "20261126", "20261203"], "takes one session id"),
])
def test_mistakes_are_one_line_and_exit_2(capsys, saved, terminal, monkeypatch, tmp_path, argv, problem):
    monkeypatch.chdir(tmp_path)
    calls = screen_answers(monkeypatch, None)
    code, out, err = run(capsys, *argv)
    assert code == 2 and problem in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert calls == [] and not (tmp_path / "x.md").exists()


def test_without_a_terminal_for_both_to_agree_it_refuses(capsys, saved, monkeypatch, tmp_path):
    calls = screen_answers(monkeypatch, None)
    out_file = tmp_path / "for-therapist.md"
    code, out, err = run(capsys, "export", "--for-therapist", "20261126", "-o", str(out_file))
    assert code == 2 and "agree on screen" in err and calls == [] and not out_file.exists()


@pytest.mark.parametrize("agreed", [None, {"left": True, "right": False}, {"left": False, "right": True}])
def test_without_both_agreeing_on_screen_nothing_is_written(capsys, saved, terminal, monkeypatch, tmp_path, agreed):
    handoff = None if agreed is None else Handoff(agreed=agreed)
    calls = screen_answers(monkeypatch, handoff)
    out_file = tmp_path / "for-therapist.md"
    code, out, err = run(capsys, "export", "--for-therapist", "20261126", "20261203", "-o", str(out_file))
    assert code == 1 and "both agree" in err and len(calls) == 1 and not out_file.exists()


def test_agreed_on_screen_it_is_written_privately_with_no_note_mood_or_feeling(capsys, saved, terminal, monkeypatch,
                                                                               tmp_path):
    handoff = Handoff(agreed={"left": True, "right": True})
    handoff.parts["left"] = Part("I am tired, not distant", "", "")
    calls = screen_answers(monkeypatch, handoff)
    out_file = tmp_path / "for-therapist.md"
    code, out, err = run(capsys, "export", "--for-therapist", "20261126", "20261203", "-o", str(out_file))
    assert code == 0 and "written to" in out, err
    assert sorted(r["id"] for r in calls[0]) == ["20261126-190512-alex-sam", "20261203-200000-alex-sam"]
    text = out_file.read_text("utf-8")
    assert "I am tired, not distant" in text and "Speaker–listener" in text and "Imago dialogue" in text
    assert NOTE not in text and "mood" not in text.lower() and "How we spend the holidays" not in text
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    code, out, err = run(capsys, "export", "--for-therapist", "20261126", "-o", str(out_file))
    assert code == 2 and "already exists" in err  # never over a file without --force


# ----- from Past sessions ------------------------------------------------------------------


async def test_past_sessions_hands_off_the_sessions_listed(tmp_path):
    app = make_app(tmp_path, ManualClock())
    for record in two_records():
        store.save_record(record, tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
        assert len(app.screen.records) == 2
        await pilot.press(*"to be understood", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AgreeScreen))
        await pilot.press("f", "j")
        await until(pilot, lambda: not isinstance(app.screen, (HandoffScreen, AgreeScreen)))
        await pilot.pause()
    written = list((tmp_path / "data" / "exports").glob("for-therapist-*.md"))
    assert len(written) == 1
    text = written[0].read_text("utf-8")
    assert "to be understood" in text and NOTE not in text and "mood" not in text.lower()
