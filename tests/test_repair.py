"""Repair at hand (issue 18 item 1): a phrase either of you reaches for, on every floor of every ritual.

The clock waits while the list is open and while the phrase shows; the phrase
shows on both panes; it is kept as one shared `repair` event (which phrase,
never whose, never counted per partner); "I think I'm flooded" is the time-out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import FLOODED, LEFT, REPAIRS, RIGHT, Engine, Settings, Stage
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.sessions.validate import load_record
from tests.apps import make_app, text_of, until

RITUALS = load_rituals()


def make(rid: str, **kw) -> tuple[Engine, ManualClock]:
    ritual = RITUALS.get(rid)
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=30, reflect=20, rounds=1)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=False, checkin=False, **kw), clock


def tallies(engine: Engine) -> list[dict]:
    return [dict(vars(p)) for p in engine.partners.values()]


def test_every_ritual_is_walked_including_the_three_new_ones():
    assert {"aftermath-of-a-fight", "dreams-within-conflict", "problem-solving"} <= {r.id for r in RITUALS}


@pytest.mark.parametrize("rid", [r.id for r in RITUALS])
def test_a_repair_on_every_floor_pauses_the_clock_shows_and_is_a_shared_fact(rid):
    engine, clock = make(rid)
    floors = 0
    while engine.stage is Stage.FLOOR:
        clock.advance(2)
        before = engine.state()
        kept = tallies(engine)
        assert engine.open_repair().accepted, before.step.title
        clock.advance(300)  # the list stays open a long while: long enough to end any turn, were the clock running
        assert engine.state().paused and engine.state().time_left == before.time_left, before.step.title
        assert engine.repair("slow-down").accepted, before.step.title
        clock.advance(300)  # the phrase shows a long while too
        held = engine.state()
        assert held.paused and held.repair == "slow-down", before.step.title
        assert (held.step.index, held.time_left) == (before.step.index, before.time_left)  # the clock waited
        assert tallies(engine) == kept  # nobody's figures move: a repair is not counted per partner
        last = engine.events[-1]
        assert {k: v for k, v in last.items() if k != "offset_seconds"} == {
            "kind": "repair", "by": "both", "phrase": "slow-down"}
        engine.toggle_pause()  # carry on: the phrase goes with the pause
        assert engine.state().repair == "" and not engine.state().paused
        floors += 1
        step = engine.state().step
        clock.advance(1)
        if step.together:
            engine.press(LEFT, "done"), engine.press(RIGHT, "done")
        else:
            engine.press(step.holder, "done")
    assert floors >= len(RITUALS.get(rid).parts)
    rec = engine.record()
    assert sum(e["kind"] == "repair" for e in rec["events"]) == floors
    assert "repair" not in str(rec["partners"]) and "repair" not in str(rec["turns"])


def test_the_list_closed_without_a_phrase_lets_the_turn_run_on():
    engine, clock = make("speaker-listener")
    clock.advance(5)
    left = engine.state().time_left
    engine.open_repair()
    clock.advance(40)
    assert engine.state().paused and engine.state().time_left == left
    assert engine.repair(None).accepted
    state = engine.state()
    assert not state.paused and state.repair == "" and state.time_left == left
    assert [e["kind"] for e in engine.events] == ["pause-repair", "resume"]  # the app's pause: not a break taken


def test_a_list_opened_while_paused_leaves_the_pause_as_it_was():
    engine, clock = make("speaker-listener")
    clock.advance(5)
    engine.toggle_pause()
    engine.open_repair()
    engine.repair(None)
    assert engine.state().pause_kind == "pause"
    engine.open_repair()
    engine.repair("understand")
    engine.open_repair()  # a phrase shows; the list again, closed without one: the phrase stays
    engine.repair(None)
    assert engine.state().repair == "understand"


def test_i_think_im_flooded_is_the_time_out_and_after_it_the_turn_runs_again():
    engine, clock = make("speaker-listener")
    clock.advance(3)
    engine.open_repair()
    assert engine.repair(FLOODED).what == "time-out"
    state = engine.state()
    assert state.pause_kind == "time-out" and state.repair == ""
    assert [e["kind"] for e in engine.events][-2:] == ["repair", "time-out"]
    clock.advance(5)
    assert not engine.open_repair().accepted and not engine.repair("slow-down").accepted  # no phrase over it
    clock.advance(engine.settings.timeout_seconds)
    engine.press(LEFT, "done"), engine.press(RIGHT, "done")
    assert engine.state().pause_kind == ""  # the list's own pause is not waiting underneath


def test_a_second_phrase_replaces_the_first_and_a_repair_while_paused_stays_paused():
    engine, clock = make("imago-dialogue")
    clock.advance(2)
    engine.toggle_pause()
    engine.repair("my-part")
    assert engine.state().paused and engine.state().repair == "my-part"
    engine.repair("same-side")
    assert engine.state().repair == "same-side"
    engine.toggle_pause()
    assert not engine.state().paused and engine.state().repair == ""


def test_repair_at_the_rules_and_check_in_but_not_after_the_end():
    ritual = RITUALS.get("speaker-listener")
    clock = ManualClock()
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), clock)
    assert engine.stage is Stage.RULES and engine.repair("understand").accepted
    assert engine.state().repair == "understand"
    engine.toggle_pause()
    engine.end_early()
    assert not engine.may_repair() and not engine.open_repair().accepted and not engine.repair("understand").accepted
    assert engine.repair("no-such-phrase").accepted is False


def test_a_session_with_repairs_replays_to_the_same_record():
    engine, clock = make("aftermath-of-a-fight")
    clock.advance(4)
    engine.open_repair()
    clock.advance(3)
    engine.repair("more-gently")
    clock.advance(30)
    engine.toggle_pause()
    clock.advance(4)
    engine.open_repair()
    clock.advance(2)
    engine.repair(None)
    clock.advance(4)
    engine.open_repair()
    engine.repair(FLOODED)
    clock.advance(5)
    engine.time_out()  # taken back in its first seconds
    clock.advance(2)
    engine.end_early()
    again = Engine.replay(engine.ritual, "Alex", "Sam", engine.settings, engine.log, engine.started_at,
                          rules=False, checkin=False)
    assert again.record() == engine.record()
    kinds = [e["kind"] for e in engine.record()["events"]]
    assert kinds[:8] == ["pause-repair", "repair", "resume", "pause-repair", "resume", "pause-repair", "repair",
                         "time-out"]


def test_a_repair_event_survives_the_file(tmp_path):
    engine, clock = make("speaker-listener", session_id="20261205-090000-alex-sam")
    clock.advance(3)
    engine.repair("understand")
    engine.toggle_pause()
    engine.end_early()
    path = store.save_record(engine.record(), tmp_path)
    back = load_record(path)
    assert {"kind": "repair", "by": "both", "phrase": "understand"}.items() <= back["events"][0].items()


def test_every_phrase_has_words_and_none_is_a_never_word():
    from heartline.tui.screens.repair import REPAIR_WORDS
    from tests.test_words import PATTERN

    assert set(REPAIR_WORDS) == set(REPAIRS)
    assert all(not PATTERN.search(w) and len(w) <= 44 for w in REPAIR_WORDS.values())
    assert REPAIRS[-1] == FLOODED  # the time-out closes the list


# ----- on screen ------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_repair_key_pauses_while_open_and_shows_the_phrase_on_both_panes(tmp_path, size):
    from heartline.tui.screens.repair import REPAIR_WORDS, RepairScreen
    from tests.whole import cut_text

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f", "j")  # the ground rules
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        clock.advance(3)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RepairScreen))
        assert session.engine.state().paused  # the clock waits while you choose
        assert "waits while you choose" in text_of(session, "#banner")
        assert cut_text(app.screen) == []
        await pilot.press("1")
        await until(pilot, lambda: app.screen is session)
        await pilot.pause()
        state = session.engine.state()
        assert state.paused and state.repair == "slow-down"
        for side in ("left", "right"):
            assert REPAIR_WORDS["slow-down"] in text_of(session, f"#pane-{side} #repair")
        assert REPAIR_WORDS["slow-down"] in text_of(session, "#banner")
        assert cut_text(session) == []
        await pilot.press("space")
        await pilot.pause()
        assert not session.engine.state().paused
        assert not session.query_one("#pane-left #repair").display


async def test_escape_closes_the_list_and_the_turn_runs_on(tmp_path):
    from heartline.tui.screens.repair import RepairScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("problem-solving", "Alex", "Sam", rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RepairScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is session)
        await pilot.pause()
        assert not session.engine.state().paused and session.engine.stage is Stage.FLOOR


async def test_the_flooded_phrase_opens_the_time_out(tmp_path):
    from heartline.tui.screens.timeout import TimeoutScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("dreams-within-conflict", "Alex", "Sam", speak=30, reflect=20,
                                                rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        clock.advance(3)
        await pilot.press("r", str(len(REPAIRS)))
        await until(pilot, lambda: isinstance(app.screen, TimeoutScreen))
        assert session.engine.state().pause_kind == "time-out"
        assert app.screen_stack[-2] is session  # the list closed: nothing left between the session and the time-out


def test_the_repair_key_is_in_the_help_and_the_readme():
    from heartline.tui import keys

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "| a repair: words to steady the talk" in readme and "`repair`" in readme
    assert keys.current().first("repair") == "r" and "r repair" in keys.shared_hint()


def test_a_session_apart_offers_the_repair_key_its_wire_carrying_the_phrase_ids():
    """The guest's mirror replays the host's inputs and refuses any it does not know: repair is one it knows."""
    from heartline.sessions.engine import REPAIRS
    from heartline.tui.apart import wire
    from heartline.tui.apart.screens import GuestSessionScreen, HostSessionScreen

    assert {"repair-open", "repair"} <= set(wire.JOURNAL_OPS) and {"repair-open", "repair"} <= set(wire.SHARED_INTENTS)
    assert set(wire.PHRASES) == set(REPAIRS) | {""}
    assert HostSessionScreen.REPAIR_AT_HAND and GuestSessionScreen.REPAIR_AT_HAND
