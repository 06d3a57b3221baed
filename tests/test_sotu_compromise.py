"""State of the union's compromise (issue 18): core needs and flexible areas, each partner's, side by side,
then the shared ground; and "not solvable today" as a real ending, not a failure."""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings, Stage
from heartline.sessions.keep import kept
from heartline.sessions.rituals import RitualError, load_rituals, parse_ritual
from heartline.sessions.summary import shared_lines, summarize
from heartline.sessions.validate import parse_record
from heartline.sessions.store import dumps_record

import pytest

RITUALS = load_rituals()


def make(checkin=False):
    ritual = RITUALS.get("state-of-the-union")
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=60, reflect=20)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=False, checkin=checkin, session_id="s1"), clock


def to(engine, clock, kind):
    """Play the floor (each turn done after 2 s, each step together agreed by both) until `kind` begins."""
    while engine.state().step.kind != kind:
        step = engine.state().step
        clock.advance(2)
        if step.together:
            engine.press(LEFT, "done")
            engine.press(RIGHT, "done")
        else:
            engine.press(step.holder, "done")


def test_the_compromise_is_core_needs_then_flexible_areas_then_the_shared_ground():
    e, c = make()
    to(e, c, "core-needs")
    kinds = []
    for _ in range(3):
        s = e.state()
        kinds.append((s.step.kind, s.step.together, s.left.note, s.right.note))
        c.advance(2)
        e.press(LEFT, "done")
        e.press(RIGHT, "done")
    assert kinds == [("core-needs", True, "core-need", "core-need"),
                     ("flexible-areas", True, "flexible", "flexible"),
                     ("compromise", True, "commitment", "commitment")]


def test_each_writes_both_and_they_stand_side_by_side_at_the_shared_ground():
    e, c = make()
    to(e, c, "core-needs")
    c.advance(2)
    assert e.add_note(LEFT, "  time with my family at the holidays ").accepted
    assert e.add_note(RIGHT, "a quiet day after travelling").accepted
    assert e.state().left.written == (("core-need", "time with my family at the holidays"),)
    e.press(LEFT, "done"), e.press(RIGHT, "done")
    c.advance(2)
    e.add_note(LEFT, "how many days")
    e.add_note(RIGHT, "where we stay")
    e.press(LEFT, "done"), e.press(RIGHT, "done")
    s = e.state()
    assert s.step.kind == "compromise"
    assert s.left.written == (("core-need", "time with my family at the holidays"), ("flexible", "how many days"))
    assert s.right.written == (("core-need", "a quiet day after travelling"), ("flexible", "where we stay"))
    words = {n["kind"]: n for n in e.record()["notes"]}
    assert set(words) == {"core-need", "flexible"}
    shape = kept(e.record(), "shape")
    assert shape["notes"] == []  # the shape keeps none of their words
    summary = summarize(kept(e.record(), "words"))
    assert [n.text for n in summary.core_needs] == ["time with my family at the holidays", "a quiet day after travelling"]
    assert all(n.by == "" for n in summary.core_needs + summary.flexible)  # no author kept


def test_not_solvable_today_said_by_both_ends_the_run_as_a_completed_session():
    e, c = make()
    to(e, c, "compromise")
    c.advance(2)
    s = e.state()
    assert s.left.not_quite_means == s.right.not_quite_means == "not-solvable"
    assert e.press(LEFT, "not-quite").what == "not-solvable"
    s = e.state()
    assert s.stage is Stage.FLOOR and s.left.not_solvable_now and s.left.not_quite_means == ""
    assert e.press(LEFT, "not-quite").result is Result.IGNORED  # said once is said
    assert e.press(RIGHT, "not-quite").what == "not-solvable-today"
    assert e.stage is Stage.ENDED and e.status == "completed"
    rec = e.record()
    assert rec["outcome"] == "not-solvable-today"
    assert rec["turns"][-1]["phase"] == "compromise" and rec["turns"][-1]["ended_by"] == "not-solvable"
    assert [ev["by"] for ev in rec["events"] if ev["kind"] == "not-solvable-today"] == ["both"]
    assert e.transitions[-1].ended_by == "not-solvable"
    # the feeling-loved steps are not played: the run ended here
    assert not any(t["phase"].endswith("-loved") for t in rec["turns"])


def test_not_solvable_today_is_kept_and_read_back_with_calm_words():
    e, c = make()
    to(e, c, "compromise")
    c.advance(2)
    e.press(LEFT, "not-quite"), e.press(RIGHT, "not-quite")
    rec = parse_record(dumps_record(kept(e.record(), "shape")), "x.toml")
    assert rec["status"] == "completed" and rec["outcome"] == "not-solvable-today"
    s = summarize(rec)
    assert not s.not_started
    assert shared_lines(s)[0] == "Not solvable today — that's allowed. You can come back to it."


def test_a_partner_may_change_their_mind_either_way_until_both_agree():
    e, c = make()
    to(e, c, "compromise")
    c.advance(2)
    e.press(LEFT, "not-quite")
    c.advance(1)
    assert e.press(LEFT, "done").what == "agreed"  # agreed after all
    assert not e.state().left.not_solvable_now
    c.advance(1)
    assert e.press(RIGHT, "not-quite").what == "not-solvable"  # one each way: nothing ends
    assert e.stage is Stage.FLOOR
    c.advance(1)
    assert e.press(LEFT, "not-quite").what == "not-solvable-today"
    assert e.stage is Stage.ENDED and e.outcome == "not-solvable-today"


def test_agreeing_at_the_shared_ground_goes_on_to_feeling_loved_with_no_outcome():
    e, c = make()
    to(e, c, "compromise")
    c.advance(2)
    e.press(LEFT, "done"), e.press(RIGHT, "done")
    assert e.state().step.kind == "ask-loved"
    assert "outcome" not in e.record()


def test_with_a_check_out_not_solvable_today_goes_to_how_you_feel_now():
    e, c = make(checkin=True)
    e.check_in(LEFT, 3), e.check_in(RIGHT, 4)
    c.advance(1)
    e.press(LEFT, "done"), e.press(RIGHT, "done")
    to(e, c, "compromise")
    c.advance(2)
    e.press(RIGHT, "not-quite"), e.press(LEFT, "not-quite")
    assert e.stage is Stage.CHECKOUT
    e.check_in(LEFT, 3), e.check_in(RIGHT, 3)
    c.advance(1)
    e.press(LEFT, "done"), e.press(RIGHT, "done")
    assert e.stage is Stage.ENDED and e.status == "completed" and e.record()["outcome"] == "not-solvable-today"


def test_replay_rebuilds_not_solvable_today():
    e, c = make()
    to(e, c, "compromise")
    c.advance(2)
    e.press(LEFT, "not-quite"), e.press(RIGHT, "not-quite")
    again = Engine.replay(RITUALS.get("state-of-the-union"), "Alex", "Sam", e.settings, e.log, e.started_at,
                          rules=False, checkin=False, session_id="s1")
    assert again.record() == e.record()
    assert again.stage is Stage.ENDED and again.record()["outcome"] == "not-solvable-today"


def test_only_a_step_together_may_be_not_solvable():
    bad = {"id": "x", "name": "X", "summary": "x", "rounds": 1, "speak_seconds": 60, "reflect_seconds": 30,
           "parts": [{"title": "p", "phases": [{"kind": "speak", "actor": "speaker", "not_solvable": True}]}]}
    with pytest.raises(RitualError, match="not_solvable"):
        parse_ritual(bad, "x.toml")
    bad["parts"][0]["phases"][0]["actor"] = "both"
    assert parse_ritual(bad, "x.toml").parts[0].phases[0].not_solvable


def test_state_of_the_union_points_to_the_aftermath_of_a_fight():
    ritual = RITUALS.get("state-of-the-union")
    words = " ".join(line for part in ritual.parts for ph in part.phases for line in ph.speaker + ph.listener)
    assert "aftermath of a fight" in words


async def test_on_screen_each_says_not_solvable_today_and_the_summary_says_it_calmly(tmp_path):
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.summary import SummaryScreen
    from tests.apps import make_app, text_of, until
    from tests.whole import cut_text

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("state-of-the-union", "Alex", "Sam", speak=60, reflect=20,
                                                rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")  # the ground rules
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        to(session.engine, clock, "flexible-areas")
        clock.advance(2)
        session.engine.add_note(LEFT, "how many days")
        session.engine.add_note(RIGHT, "where we sleep")
        session.engine.press(LEFT, "done"), session.engine.press(RIGHT, "done")
        clock.advance(2)
        session.refresh_state()
        await pilot.pause()
        assert "can bend: how many days" in text_of(session, "#pane-left #guidance")
        assert "can bend: where we sleep" in text_of(session, "#pane-right #guidance")
        assert "not solvable today" in text_of(session, "#pane-left #nudge")
        assert cut_text(session) == []
        await pilot.press("d")
        await pilot.pause()
        assert "you said: not solvable today" in text_of(session, "#pane-left #nudge")
        assert session.engine.stage is Stage.FLOOR
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert "Not solvable today — that's allowed. You can come back to it." in text_of(app.screen, "#shared")
        assert text_of(app.screen, "#title") == "Thank you both."
