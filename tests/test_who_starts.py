"""Who starts: chosen at setup or on the command line, else the other one from last time (issue 18, item 6).

The engine takes who starts as a setting, so every ritual honours it; the
default takes turns by name from the last session that was talked in, and
says nothing about who went first how often (DESIGN's "Care").
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Select

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Stage, other
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan, first_of, last_first, taking_turns
from heartline.tui import cli
from heartline.tui.screens.setup import SetupScreen
from tests.apps import make_app, text_of
from tests.records import make_record

RITUALS = load_rituals()


def _records(*firsts: tuple[str, str], names=("Alex", "Sam")) -> list[dict]:
    """Records, oldest first, each begun by the given side (with the given status)."""
    out = []
    for n, (side, status) in enumerate(firsts):
        rec = make_record(id=f"20261126-19051{n}-alex-sam", status=status)
        rec["started_at"] += timedelta(days=n)
        rec["ended_at"] += timedelta(days=n)
        rec["partners"][0]["name"], rec["partners"][1]["name"] = names
        for turn in rec["turns"]:
            turn["by"] = side if turn["by"] == "left" else other(side)
        out.append(rec)
    return out


# ----- the engine honours it, in every ritual ------------------------------------------------------

@pytest.mark.parametrize("ritual_id", sorted(RITUALS.rituals))
@pytest.mark.parametrize("first", [LEFT, RIGHT])
def test_every_ritual_begins_with_the_partner_chosen(ritual_id, first):
    ritual = RITUALS.get(ritual_id)
    plan = SessionPlan(ritual_id, "Alex", "Sam", speak=5, reflect=5, rounds=1, rules=False, checkin=False,
                       first=first).checked()
    clock = ManualClock()
    engine = plan.engine(ritual, clock)
    assert engine.settings.first == first
    step = engine.state().step
    assert step.speaker == first  # the first part's topic is the chosen partner's
    assert engine.state().first == step.holder
    clock.advance(2)
    engine.press(step.holder, "done")
    assert engine.record()["turns"][0]["by"] == step.holder
    blocks = {}
    for s in engine.steps:  # each part that is played both ways: the chosen partner's go comes first
        blocks.setdefault((s.round, s.part), []).append(s.speaker)
    for speakers in blocks.values():
        assert speakers[0] == first


def test_who_starts_goes_into_the_journal_so_a_resumed_session_keeps_it(tmp_path):
    from heartline.sessions import journalfile

    plan = SessionPlan("speaker-listener", "Alex", "Sam", rules=False, checkin=False, first=RIGHT)
    engine = plan.engine(RITUALS.get("speaker-listener"), ManualClock())
    head = journalfile.header(engine)
    again = journalfile.rebuild(head, engine.log)
    assert again.settings.first == RIGHT and again.state().step.speaker == RIGHT


def test_a_plan_refuses_a_side_that_is_neither():
    with pytest.raises(ValueError, match="who starts"):
        SessionPlan("speaker-listener", "Alex", "Sam", first="middle").checked()


def test_a_plan_without_a_choice_starts_on_the_left():
    plan = SessionPlan("speaker-listener", "Alex", "Sam")
    assert plan.settings(RITUALS.get("speaker-listener")).first == LEFT


# ----- taking turns from last time -------------------------------------------------------------------

def test_the_other_one_starts_after_last_time():
    assert taking_turns(_records((LEFT, "completed")), "Alex", "Sam") == (RIGHT, "Alex")
    assert taking_turns(_records((RIGHT, "completed")), "Alex", "Sam") == (LEFT, "Sam")


def test_last_time_is_the_session_that_ended_last():
    older, newer = _records((LEFT, "completed"), (RIGHT, "completed"))
    assert last_first([newer, older]) == "Sam"
    assert taking_turns([older, newer], "Alex", "Sam") == (LEFT, "Sam")


def test_taking_turns_goes_by_name_when_you_swapped_seats():
    assert taking_turns(_records((LEFT, "completed")), "Sam", "Alex") == (LEFT, "Alex")  # Alex began: Sam, now left


def test_a_run_never_started_is_not_last_time():
    recs = _records((RIGHT, "completed"), (LEFT, "not-started"))
    assert taking_turns(recs, "Alex", "Sam") == (LEFT, "Sam")


@pytest.mark.parametrize("recs", [[], _records((LEFT, "not-started")), _records((LEFT, "completed"),
                                                                                 names=("Kim", "Lee"))])
def test_with_nothing_to_go_by_the_left_starts(recs):
    assert taking_turns(recs, "Alex", "Sam") == (LEFT, "")


def test_a_record_without_turns_says_nothing():
    rec = make_record(turns=[])
    assert last_first([rec]) == ""


# ----- the command line -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, side", [("left", LEFT), ("RIGHT", RIGHT), ("sam", RIGHT), (" Alex ", LEFT)])
def test_first_of_reads_a_side_or_a_name(value, side):
    assert first_of(value, "Alex", "Sam") == side


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, problem", [
    (["--left", "Alex", "--right", "Sam", "--first", "Kim"], "--first: 'Kim' is not left, right, Alex or Sam"),
    (["--first", "Sam"], "--first: 'Sam' is not left or right"),
    (["--left", "Alex", "--right", "Sam", "--first", ""], "--first: '' is not left, right, Alex or Sam"),
])
def test_a_bad_first_is_one_line_and_exit_2(capsys, monkeypatch, argv, problem):
    import heartline.tui.app as tui_app

    monkeypatch.setattr(tui_app, "run_session", lambda options: pytest.fail("started"))
    code, out, err = run(capsys, "start", *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"heartline: {problem}"), err


@pytest.mark.parametrize("value, side", [("right", RIGHT), ("Sam", RIGHT), ("alex", LEFT)])
def test_first_is_passed_to_the_app_as_a_side(capsys, monkeypatch, value, side):
    import heartline.tui.app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run_session", lambda options: seen.append(options) or 0)
    code, _, err = run(capsys, "start", "--left", "Alex", "--right", "Sam", "--first", value)
    assert (code, err) == (0, "")
    assert seen[0].first == side


def _start_app(tmp_path: Path, *extra: str):
    from heartline.tui.app import start_app

    args = cli.build_parser().parse_args(["--data-dir", str(tmp_path / "data"), "start", "--left", "Alex",
                                          "--right", "Sam", *extra])
    return start_app(cli._start_options(args), ManualClock())


def test_start_without_first_takes_turns_from_the_saved_sessions(tmp_path):
    for rec in _records((RIGHT, "completed"), (LEFT, "completed")):
        store.save_record(rec, tmp_path / "data")
    assert _start_app(tmp_path).plan.first == RIGHT  # Alex began last time
    assert _start_app(tmp_path, "--first", "left").plan.first == LEFT  # a choice wins


def test_start_with_no_sessions_yet_begins_on_the_left(tmp_path):
    assert _start_app(tmp_path).plan.first == LEFT


# ----- the setup screen --------------------------------------------------------------------------------

async def _setup(pilot):
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SetupScreen)
    return pilot.app.screen


def _shown(screen) -> str:
    select = screen.query_one("#first", Select)
    return dict((v, str(p)) for p, v in select._options)[select.value]


async def test_setup_says_who_starts_by_taking_turns_and_starts_them(tmp_path):
    store.save_record(_records((LEFT, "completed"))[0], tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _setup(pilot)
        await pilot.press(*"Alex", "tab", *"Sam")
        await pilot.pause()
        assert screen.query_one("#first", Select).value == "auto"
        assert _shown(screen) == "Sam — taking turns: Alex began last time"
        await pilot.press("f2")  # swapped seats: still Sam, now on the left
        await pilot.pause()
        assert _shown(screen) == "Sam — taking turns: Alex began last time"
        await pilot.press("f2", "ctrl+s")
        await pilot.pause()
        engine = app.screen.engine
        assert engine.settings.first == RIGHT and engine.state().first == RIGHT


async def test_setup_lets_the_couple_choose_who_starts(tmp_path):
    store.save_record(_records((LEFT, "completed"))[0], tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _setup(pilot)
        await pilot.press(*"Alex", "tab", *"Sam", "tab", "tab")  # names, the ritual, then who starts
        await pilot.pause()
        assert screen.focused is screen.query_one("#first", Select)
        await pilot.press("enter", "down", "enter")  # the list: taking turns, Alex (left), Sam (right)
        await pilot.pause()
        assert screen.query_one("#first", Select).value == "left"
        assert _shown(screen) == "Alex (left)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.engine.settings.first == LEFT


async def test_setup_with_no_last_time_says_the_left_begins(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _setup(pilot)
        await pilot.press(*"Alex", "tab", *"Sam")
        await pilot.pause()
        assert _shown(screen) == "Alex — no last time to take turns from"


async def test_setup_opened_with_first_from_the_command_line_shows_it(tmp_path):
    plan = SessionPlan("speaker-listener", "", "", first=RIGHT)
    app = make_app(tmp_path, ManualClock(), plan=plan)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        assert screen.query_one("#first", Select).value == "right"
        assert _shown(screen) == "the right partner (right)"
