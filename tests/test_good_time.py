""""Is now a good time? / later, within a day": PREP's question and Imago's appointment (issue 18, item 6).

A ritual opts in with `good_time`; before anything else the partner who will
listen first is asked. Only their keys answer; "now" goes on, "later" ends the
run calmly as "not started", and the app keeps nothing of it.
"""

from __future__ import annotations

import pytest

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings, Stage, other
from heartline.sessions.journalfile import header, rebuild
from heartline.sessions.paths import sessions_dir
from heartline.sessions.rituals import GOOD_TIME, RitualError, load_rituals, parse_ritual
from heartline.sessions.setup import SessionPlan
from heartline.tui.keys import key
from tests.apps import make_app, text_of, until
from tests.whole import cut_text

RITUALS = load_rituals()
ASKING = {"speaker-listener": "Is now a good time?",
          "imago-dialogue": "I'd like to have a dialogue. Is now a good time?"}


def engine(ritual_id="speaker-listener", first=LEFT, *, rules=True, checkin=True, good_time=True, clock=None):
    plan = SessionPlan(ritual_id, "Alex", "Sam", rules=rules, checkin=checkin, good_time=good_time, first=first)
    return plan.engine(RITUALS.get(ritual_id), clock or ManualClock())


# ----- the rituals that ask it ------------------------------------------------------------------------

def test_prep_and_imago_ask_it_and_the_others_do_not():
    asking = {r.id: r.good_time for r in RITUALS if r.good_time}
    assert asking == ASKING


@pytest.mark.parametrize("ritual_id", sorted(ASKING))
@pytest.mark.parametrize("first", [LEFT, RIGHT])
def test_the_partner_who_will_listen_is_asked_first_of_all(ritual_id, first):
    e = engine(ritual_id, first)
    state = e.state()
    assert state.stage is Stage.GOOD_TIME
    assert state.asked == other(first)
    assert state.good_time == ASKING[ritual_id]
    asked, speaker = state.side(other(first)), state.side(first)
    assert (asked.activity, asked.done_means, asked.not_quite_means) == ("asked", "now", "later")
    assert (speaker.activity, speaker.done_means, speaker.not_quite_means) == ("asking", "", "")
    assert asked.note == speaker.note == ""  # nothing to write before you both agreed to talk


@pytest.mark.parametrize("ritual_id", sorted(r.id for r in RITUALS if not r.good_time))
def test_a_ritual_without_it_starts_as_always(ritual_id):
    assert engine(ritual_id).stage is Stage.RULES


def test_a_plan_built_without_asking_starts_with_the_ground_rules():
    assert engine(good_time=False).stage is Stage.RULES


# ----- only the partner asked answers --------------------------------------------------------------

@pytest.mark.parametrize("action", ["done", "not-quite"])
def test_the_other_partners_keys_are_blocked_and_count_for_nothing(action):
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(3)
    outcome = e.press(LEFT, action)
    assert outcome.result is Result.BLOCKED
    assert e.stage is Stage.GOOD_TIME
    assert e.events == [] and all(p.interruptions_blocked == 0 for p in e.partners.values())


def test_a_key_carried_over_from_the_form_is_not_an_answer():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(0.3)
    assert e.press(RIGHT, "not-quite").result is Result.IGNORED
    assert e.stage is Stage.GOOD_TIME


@pytest.mark.parametrize("rules, checkin, then", [(True, True, Stage.RULES), (False, True, Stage.CHECKIN),
                                                  (False, False, Stage.FLOOR)])
def test_now_goes_on_to_what_comes_next(rules, checkin, then):
    clock = ManualClock()
    e = engine(first=RIGHT, rules=rules, checkin=checkin, clock=clock)
    clock.advance(4)
    assert e.press(LEFT, "done").what == "now"
    assert e.stage is then
    if then is Stage.FLOOR:
        assert e.state().step.speaker == RIGHT and e.state().time_left == e.state().planned  # the turn starts now


def test_now_pressed_twice_does_not_agree_to_rules_not_yet_read():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(4)
    assert e.press(RIGHT, "done").what == "now"
    clock.advance(0.5)  # the same key again, half a second later
    assert e.press(RIGHT, "done").what == "carried-over" and not e.partners[RIGHT].agreed
    clock.advance(0.2)
    assert e.press(LEFT, "done").what == "agreed"  # the other partner pressed nothing before: theirs is meant
    clock.advance(0.2)
    assert e.press(RIGHT, "done").what == "agreed" and e.partners[RIGHT].agreed  # read: now it is an answer


@pytest.mark.parametrize("ritual_id", sorted(ASKING))
def test_later_ends_the_run_calmly_as_not_started(ritual_id):
    clock = ManualClock()
    e = engine(ritual_id, first=LEFT, clock=clock)
    clock.advance(6)
    assert e.press(RIGHT, "not-quite").what == "later"
    state = e.state()
    assert state.stage is Stage.ENDED and state.later and state.status == "not-started"
    rec = e.record()
    assert rec["status"] == "not-started" and rec["turns"] == []
    assert [ev["kind"] for ev in rec["events"]] == ["later"] and rec["events"][0]["by"] == "both"


def test_the_question_has_no_clock():
    clock = ManualClock()
    e = engine(clock=clock)
    clock.advance(3 * 3600)
    state = e.state()
    assert state.stage is Stage.GOOD_TIME and state.elapsed == 0
    assert state.next_change() is None  # nothing on screen moves while asked: no time together yet


def test_time_together_starts_when_the_conversation_does():
    """Asked for 40 s (the two of them talking it over), then "now": the clock starts at 0:00, not 0:40."""
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(40)
    assert e.press(RIGHT, "done").what == "now"
    assert e.state().elapsed == 0
    clock.advance(5)
    assert e.state().elapsed == 5
    e.end_early()
    clock.advance(60)
    rec = e.record()
    assert rec["duration_seconds"] == 5.0 and e.state().elapsed == 5  # the summary's "together" too
    assert (rec["ended_at"] - rec["started_at"]).total_seconds() == 45  # the wall clock still says when it ended


def test_a_time_out_during_the_question_comes_back_to_it():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(2)
    e.time_out()
    assert e.state().pause_kind == "time-out"
    clock.advance(e.settings.timeout_seconds + 1)
    e.press(LEFT, "done")
    e.press(RIGHT, "done")
    assert e.state().pause_kind == "" and e.stage is Stage.GOOD_TIME


def test_the_journal_replays_the_answer():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(5)
    e.press(RIGHT, "not-quite")
    head = header(e)
    assert head["options"]["good_time"] is True
    again = rebuild(head, e.log)
    assert again.later and again.record()["status"] == "not-started"
    old = dict(head, options={k: v for k, v in head["options"].items() if k != "good_time"})
    assert rebuild(old, []).stage is Stage.RULES  # a journal from before the question never asked it


# ----- the ritual file ------------------------------------------------------------------------------

def _ritual(**extra) -> dict:
    return {"id": "ask", "name": "Ask", "summary": "s", **extra,
            "parts": [{"title": "p", "phases": [{"kind": "speak", "title": "Speak", "actor": "speaker",
                                                  "length": "speak"}]}]}


def test_good_time_in_a_ritual_file():
    assert parse_ritual(_ritual(good_time=True), "x").good_time == GOOD_TIME == "Is now a good time?"
    assert parse_ritual(_ritual(good_time=False), "x").good_time == ""
    assert parse_ritual(_ritual(), "x").good_time == ""
    assert parse_ritual(_ritual(good_time="  "), "x").good_time == ""
    assert parse_ritual(_ritual(good_time=" May we talk?  Now? "), "x").good_time == "May we talk? Now?"


@pytest.mark.parametrize("bad", [1, "a\x1bquestion", "x" * 201, ["now"]])
def test_a_bad_good_time_is_refused_by_name(bad):
    with pytest.raises(RitualError, match="good_time"):
        parse_ritual(_ritual(good_time=bad), "x")


def test_a_users_ritual_opts_in():
    ritual = parse_ritual(_ritual(good_time="Is this evening good for you?"), "x")
    e = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(), good_time=True)
    assert e.state().stage is Stage.GOOD_TIME and e.state().good_time == "Is this evening good for you?"


# ----- in the app -------------------------------------------------------------------------------------

def _start(tmp_path, ritual_id="speaker-listener", first=LEFT):
    from heartline.tui import cli
    from heartline.tui.app import start_app

    args = cli.build_parser().parse_args(["--data-dir", str(tmp_path / "data"), "start", "--left", "Alex",
                                          "--right", "Sam", "--protocol", ritual_id, "--first", first])
    clock = ManualClock()
    app = start_app(cli._start_options(args), clock)
    app.config.first_safety = False  # "Is this right for us?" once before the first session: not the point here
    return app, clock


@pytest.mark.parametrize("ritual_id", sorted(ASKING))
async def test_the_app_asks_then_later_keeps_nothing_and_goes_home_calmly(tmp_path, ritual_id):
    from heartline.tui.screens.later import LaterScreen
    from heartline.tui.screens.home import HomeScreen

    app, clock = _start(tmp_path, ritual_id, first=LEFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        body = text_of(screen, "#stage-body")
        assert "Before we begin: is now a good time?" in body and f"Alex asks: “{ASKING[ritual_id]}”" in body
        assert "press k: later, within a day" in text_of(screen, "#stage-right")
        assert "Sam answers this one" in text_of(screen, "#stage-left")
        assert text_of(screen, "#keys-right") == "Sam: j now · k later, within a day"
        assert cut_text(screen) == []
        clock.advance(2)
        await pilot.press(key(LEFT, "done"), key(LEFT, "not_quite"))  # not Alex's to answer
        await pilot.pause()
        assert screen.engine.stage is Stage.GOOD_TIME
        await pilot.press(key(RIGHT, "not_quite"))
        await until(pilot, lambda: isinstance(app.screen, LaterScreen))
        later = app.screen
        assert text_of(later, "#later-words").startswith(
            "Choose a time together, within the next day, and keep it between you: heartline keeps no time for it."
            " Nothing was said yet, so nothing is kept.")
        assert cut_text(later) == []
        folder = sessions_dir(tmp_path / "data")
        assert not folder.exists() or list(folder.iterdir()) == []  # no record, no journal, no name taken
        assert store.list_sessions(tmp_path / "data")[0] == []
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_now_goes_on_to_the_ground_rules(tmp_path):
    app, clock = _start(tmp_path, first=RIGHT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "Sam asks" in text_of(screen, "#stage-body")
        clock.advance(2)
        await pilot.press(key(RIGHT, "done"))  # Sam speaks first: not Sam's to answer
        await pilot.pause()
        assert screen.engine.stage is Stage.GOOD_TIME
        assert "together" not in text_of(screen, "#top-right")  # the question has no clock
        clock.advance(30)
        await pilot.press(key(LEFT, "done"))
        await pilot.pause()
        assert screen.engine.stage is Stage.RULES
        assert "our ground rules" in text_of(screen, "#stage-body")
        assert text_of(screen, "#top-right") == "under a minute together"  # from when the conversation began, by the minute


# ----- ending while asked: nothing was said, so nothing is kept (as "later") -------------------------

def test_ending_while_asked_is_later_and_keeps_nothing():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(1)
    assert e.end_early().what == "ended"
    state = e.state()
    assert state.stage is Stage.ENDED and state.later and state.status == "not-started"
    assert [ev["kind"] for ev in e.record()["events"]] == ["later"]
    again = rebuild(header(e), e.log)  # a journal replays it the same way
    assert again.later


def test_ending_after_now_is_an_ordinary_early_end():
    clock = ManualClock()
    e = engine(first=LEFT, clock=clock)
    clock.advance(3)
    e.press(RIGHT, "done")
    e.end_early()
    assert not e.later and [ev["kind"] for ev in e.record()["events"]] == ["ended-early"]


def _nothing_on_disk(tmp_path):
    folder = sessions_dir(tmp_path / "data")
    assert not folder.exists() or list(folder.iterdir()) == []  # no record, no journal, no name taken
    assert store.list_sessions(tmp_path / "data")[0] == []


@pytest.mark.parametrize("ritual_id", sorted(ASKING))
async def test_escape_while_asked_says_nothing_is_kept_and_keeps_nothing(tmp_path, ritual_id):
    from heartline.tui.screens.dialogs import ConfirmScreen
    from heartline.tui.screens.later import LaterScreen

    app, clock = _start(tmp_path, ritual_id, first=LEFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.screen
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        words = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Nothing was said yet, so nothing is kept." in words and "kept and saved" not in words
        assert cut_text(app.screen) == []
        await pilot.press("n")  # carry on: still asked
        await until(pilot, lambda: app.screen is session)
        assert session.engine.stage is Stage.GOOD_TIME
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, LaterScreen))
        assert text_of(app.screen, "#later-words").startswith(
            "Choose a time together, within the next day, and keep it between you: heartline keeps no time for it."
            " Nothing was said yet, so nothing is kept.")
        _nothing_on_disk(tmp_path)


@pytest.mark.parametrize("quit_key", ["ctrl+c", "ctrl+q"])
async def test_quitting_while_asked_says_nothing_is_kept_and_keeps_nothing(tmp_path, quit_key):
    from heartline.tui.screens.dialogs import QuitScreen

    app, clock = _start(tmp_path, first=RIGHT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(quit_key)
        await until(pilot, lambda: isinstance(app.screen, QuitScreen))
        words = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Nothing was said yet, so nothing is kept." in words and "kept and saved" not in words
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
    _nothing_on_disk(tmp_path)


async def test_a_terminal_closed_while_asked_keeps_nothing(tmp_path):
    app, clock = _start(tmp_path, first=LEFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app._hang_up()
        await pilot.pause()
    _nothing_on_disk(tmp_path)
