"""The engine at full speed: every rule played key by key on a manual clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings, Stage
from heartline.sessions.rituals import load_rituals, parse_ritual

RITUALS = load_rituals()

# One long speaking turn, a reflection and its check: the timing rules without the loops.
PLAIN = parse_ritual({
    "id": "plain", "name": "Plain", "summary": "One turn each.", "rounds": 2, "speak_seconds": 120,
    "reflect_seconds": 60, "confirm_seconds": 30, "clarify_seconds": 20,
    "parts": [{"title": "The floor", "phases": [
        {"kind": "speak", "actor": "speaker", "length": "speak", "i_statement": True},
        {"kind": "reflect", "actor": "listener", "length": "reflect", "confirm": True},
    ]}],
}, "plain.toml")


def make(ritual_id="plain", speak=120, reflect=60, rounds=2, rules=False, checkin=False, **kw):
    ritual = PLAIN if ritual_id == "plain" else RITUALS.get(ritual_id)
    clock = ManualClock()
    engine = Engine(
        ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds),
        clock, rules=rules, checkin=checkin, **kw,
    )
    return engine, clock


def test_whole_speaker_listener_session_two_rounds_key_by_key():
    e, c = make()
    expected = []
    for rnd in (1, 2):
        for speaker, listener, skey in ((LEFT, RIGHT, LEFT), (RIGHT, LEFT, RIGHT)):
            s = e.state()
            assert (s.step.kind, s.floor, s.round) == ("speak", speaker, rnd)
            assert s.side(speaker).activity == "speaking"
            assert s.side(listener).activity == "listening"
            c.advance(100)
            assert e.press(speaker, "done").result is Result.ACCEPTED
            s = e.state()
            assert (s.step.kind, s.floor) == ("reflect", listener)
            assert s.side(listener).activity == "reflecting"
            c.advance(40)
            e.press(listener, "done")
            s = e.state()
            assert (s.step.kind, s.floor) == ("confirm", speaker)
            assert s.side(speaker).activity == "confirming"
            c.advance(5)
            assert e.press(speaker, "done").what == "confirmed"
            expected += [("speak", speaker, 100.0), ("reflect", listener, 40.0), ("confirm", speaker, 5.0)]
    assert e.stage is Stage.ENDED and e.status == "completed"
    rec = e.record()
    assert [(t["phase"], t["by"], t["actual_seconds"]) for t in rec["turns"]] == expected
    assert [t["round"] for t in rec["turns"]] == [1] * 6 + [2] * 6
    left, right = rec["partners"]
    assert left["speaking_seconds"] == right["speaking_seconds"] == 2 * (100 + 40)  # confirming is not talk
    assert left["reflections_confirmed_first_time"] == right["reflections_confirmed_first_time"] == 2
    assert rec["duration_seconds"] == 4 * 145
    assert rec["status"] == "completed"
    assert all(t["ended_by"] == "done" for t in rec["turns"])


def test_listener_done_is_blocked_and_counted_and_changes_nothing():
    e, c = make()
    c.advance(42.5)
    before = e.state()
    out = e.press(RIGHT, "done")
    assert out.result is Result.BLOCKED
    after = e.state()
    assert (after.step, after.floor, after.time_left) == (before.step, before.floor, before.time_left)
    assert after.right.interruptions_blocked == 1
    rec = e.record()
    assert rec["events"] == [{"offset_seconds": 42.5, "kind": "interruption-blocked", "by": "right"}]
    assert rec["turns"][0]["interruptions_blocked"] == 1
    assert rec["partners"][1]["interruptions_blocked"] == 1


def test_a_listeners_not_quite_key_raises_no_hand_and_counts_nothing():
    """Issue 16: "Jon raised a hand — when you're ready." hurried the speaker, and was counted against Jon."""
    e, c = make()
    c.advance(10)
    out = e.press(RIGHT, "not-quite")
    assert out.what == "listening" and out.result.name == "IGNORED"
    s = e.state()
    assert s.floor == LEFT and s.step.kind == "speak" and not hasattr(s, "hand_raised_by")
    assert s.right.not_quite_means == ""  # the key bar offers nothing there
    rec = e.record()
    assert not [ev for ev in rec["events"] if ev["kind"] == "hand-raised"]
    assert rec["partners"][1].get("hands_raised", 0) == 0


def test_not_quite_then_clarify_then_reflect_again_counts_retries():
    e, c = make()
    c.advance(10)
    e.press(LEFT, "done")
    c.advance(30)
    e.press(RIGHT, "done")  # reflect
    c.advance(2)
    assert e.press(LEFT, "not-quite").what == "retry"
    s = e.state()
    assert (s.step.kind, s.floor, s.planned) == ("clarify", LEFT, 20)  # the speaker says the missed part
    assert s.transition.kind == "not-quite"
    c.advance(8)
    e.press(LEFT, "done")
    s = e.state()
    assert (s.step.kind, s.floor) == ("reflect", RIGHT)  # and the listener reflects again
    c.advance(20)
    e.press(RIGHT, "done")
    c.advance(2)
    e.press(LEFT, "done")  # confirmed, second time
    rec = e.record()
    right = rec["partners"][1]
    assert right["reflections_confirmed_first_time"] == 0
    assert right["reflection_retries"] == 1
    assert [t["phase"] for t in rec["turns"]][:6] == ["speak", "reflect", "confirm", "clarify", "reflect", "confirm"]
    assert rec["turns"][2]["ended_by"] == "not-quite"
    assert rec["partners"][0]["speaking_seconds"] == 10 + 8  # clarifying is talk, confirming is not
    assert any(ev["kind"] == "not-quite" for ev in rec["events"])
    s = e.state()
    assert s.step.kind == "speak" and s.floor == RIGHT and s.transition.kind == "floor-passed"


def test_not_quite_from_speaker_while_speaking_is_ignored():
    e, _ = make()
    assert e.press(LEFT, "not-quite").result is Result.IGNORED
    assert e.state().step.index == 0


def test_grace_period_overtime_and_automatic_advance():
    e, c = make(speak=60)
    c.advance(30)
    assert e.state().warning == "30"
    c.advance(20)
    assert e.state().warning == "10"
    c.advance(10)
    s = e.state()
    assert s.in_grace and s.warning == "wrap-up" and s.grace_left == 15
    c.advance(12)
    s = e.state()
    assert s.step.kind == "speak" and s.overtime == pytest.approx(12) and s.grace_left == pytest.approx(3)
    c.advance(3)
    s = e.state()
    assert s.step.kind == "reflect"  # advanced by itself at the end of grace
    turn = e.record()["turns"][0]
    assert turn["ended_by"] == "time" and turn["actual_seconds"] == 75 and turn["overtime_seconds"] == 15


def test_done_in_grace_measures_overtime():
    e, c = make(speak=60)
    c.advance(64.5)
    e.press(LEFT, "done")
    t = e.record()["turns"][0]
    assert t["overtime_seconds"] == 4.5 and t["ended_by"] == "done"
    assert e.record()["partners"][0]["overtime_seconds"] == 4.5


def test_late_tick_ends_several_phases_at_their_exact_times():
    e, c = make(speak=10, reflect=5)
    c.advance(10 + 15 + 5 + 15 + 1)  # speak and reflect both ran out, 1 s into confirm
    s = e.state()
    assert s.step.kind == "confirm" and s.time_left == pytest.approx(29)
    starts = [t["started_offset_seconds"] for t in e.record()["turns"]]
    assert starts[:3] == [0.0, 25.0, 45.0]


def test_pause_is_not_speaking_time_and_never_blocked():
    e, c = make()
    c.advance(20)
    assert e.toggle_pause().what == "paused"
    s = e.state()
    assert s.paused and s.left.activity == "speaking"
    c.advance(300)
    assert e.state().time_left == pytest.approx(100)  # the clock stopped
    assert e.press(LEFT, "done").result is Result.IGNORED  # paused: nothing ends
    assert e.press(RIGHT, "done").result is Result.IGNORED  # and nothing is counted
    assert e.toggle_pause().what == "resumed"
    c.advance(10)
    e.press(LEFT, "done")
    rec = e.record()
    assert rec["turns"][0]["actual_seconds"] == 30
    assert rec["partners"][0]["speaking_seconds"] == 30
    assert rec["partners"][1]["interruptions_blocked"] == 0
    assert [ev["kind"] for ev in rec["events"]] == ["pause", "resume"]
    assert rec["duration_seconds"] == 330


def test_time_out_both_return_after_the_minimum_and_session_resumes_where_it_was():
    e, c = make()
    c.advance(20)
    assert e.time_out().what == "time-out"
    s = e.state()
    assert s.pause_kind == "time-out" and s.timeout_left == 1200
    c.advance(300)
    assert e.state().timeout_left == 900
    assert e.press(LEFT, "done").what == "too-soon"
    c.advance(900)
    assert e.press(LEFT, "done").what == "ready-to-return"
    assert e.state().pause_kind == "time-out" and e.state().timeout_ready == 1
    assert e.press(RIGHT, "done").what == "time-out-ended"
    s = e.state()
    assert not s.paused and s.step.index == 0 and s.time_left == pytest.approx(100)


def test_time_out_called_while_paused_comes_back_paused():
    e, c = make()
    c.advance(20)
    e.toggle_pause()
    e.time_out()
    c.advance(1260)
    e.press(LEFT, "done")
    assert e.press(RIGHT, "done").what == "time-out-ended"
    s = e.state()
    assert s.pause_kind == "pause" and s.time_left == pytest.approx(100)
    c.advance(30)
    assert e.state().time_left == pytest.approx(100)  # still stopped until someone presses space
    e.toggle_pause()
    c.advance(30)
    assert e.state().time_left == pytest.approx(70)


def test_time_out_waits_past_its_minimum_until_you_come_back_together():
    e, c = make()
    e.time_out()
    c.advance(1300)
    s = e.state()
    assert s.pause_kind == "time-out" and s.timeout_left == 0 and s.time_left == 120
    assert e.toggle_pause().what == "time-out-ended"  # the shared key brings you both back
    kinds = [(ev["kind"], ev["offset_seconds"]) for ev in e.record()["events"]]
    assert kinds == [("time-out", 0.0), ("time-out-ended", 1300.0)]


def test_pause_and_time_out_work_for_the_listener_too():
    e, _ = make()
    assert e.toggle_pause().result is Result.ACCEPTED  # shared keys belong to no one
    e.toggle_pause()
    assert e.time_out().result is Result.ACCEPTED


def test_end_early_keeps_everything_so_far():
    e, c = make()
    c.advance(50)
    e.press(LEFT, "done")
    e.add_note(RIGHT, "ask about the flights")
    c.advance(12)
    e.end_early()
    rec = e.record()
    assert rec["status"] == "ended-early"
    assert [(t["phase"], t["ended_by"], t["actual_seconds"]) for t in rec["turns"]] == [
        ("speak", "done", 50.0), ("reflect", "session-end", 12.0)]
    assert rec["notes"][0]["text"] == "ask about the flights"
    assert rec["duration_seconds"] == 62
    assert e.press(LEFT, "done").result is Result.IGNORED


def test_partial_record_mid_turn_can_be_saved():
    e, c = make()
    c.advance(33)
    rec = e.record()
    assert rec["turns"][-1]["ended_by"] == "session-end" and rec["turns"][-1]["actual_seconds"] == 33
    assert e.state().step.index == 0  # reading the record changed nothing


def test_rules_then_sealed_checkin_then_floor_then_checkout():
    e, c = make(rules=True, checkin=True)
    assert e.stage is Stage.RULES
    e.press(LEFT, "done")
    assert e.stage is Stage.RULES and e.state().left.agreed and not e.state().right.agreed
    e.press(RIGHT, "done")
    assert e.stage is Stage.CHECKIN
    e.check_in(LEFT, 2, "tired")
    s = e.state()
    assert s.left.checked_in and s.left.mood is None and s.left.feeling == ""  # sealed
    assert e.press(LEFT, "done").result is Result.IGNORED  # cannot skip past the other's answer
    assert e.check_in(RIGHT, 4, "hopeful").what == "revealed"
    s = e.state()
    assert (s.left.mood, s.left.feeling, s.right.mood) == (2, "tired", 4)
    assert e.press(RIGHT, "done").what == "carried-over"  # the seal's key again, before the answers were read
    c.advance(1)
    assert e.press(RIGHT, "done").what == "ready"
    assert e.stage is Stage.CHECKIN and e.state().right.ready  # one partner cannot move both on
    e.press(LEFT, "done")
    assert e.stage is Stage.FLOOR and e.record()["turns"][0]["started_offset_seconds"] == 1
    for _ in range(12):
        c.advance(1)
        e.press(e.state().floor, "done")
    assert e.stage is Stage.CHECKOUT
    e.check_in(RIGHT, 5)
    assert e.state().right.mood is None
    e.check_in(LEFT, 3)
    c.advance(1)
    e.press(LEFT, "done")
    assert e.stage is Stage.CHECKOUT
    e.press(RIGHT, "done")
    rec = e.record()
    assert rec["status"] == "completed" and rec["ground_rules_agreed"]
    assert [(p["mood_before"], p["mood_after"]) for p in rec["partners"]] == [(2, 3), (4, 5)]
    assert rec["partners"][0]["feeling_before"] == "tired"


def test_notes_take_the_kind_the_phase_collects():
    e, c = make("appreciation-round", rounds=1)
    assert e.note_kind(LEFT) == "appreciation"
    assert e.note_kind(RIGHT) == "parking-lot"
    e.add_note(LEFT, "  how you made soup on Tuesday  ")
    assert e.add_note(RIGHT, "   ").result is Result.IGNORED
    assert e.record()["notes"] == [
        {"by": "left", "kind": "appreciation", "text": "how you made soup on Tuesday", "offset_seconds": 0.0}]


def test_commitments_are_open_until_kept():
    e, c = make("state-of-the-union")
    while e.state().step.kind != "compromise":
        c.advance(1)
        e.press(e.state().floor, "done")
    e.add_note(LEFT, "cook on Friday", kind="commitment")
    assert e.record()["notes"][0]["status"] == "open"


def test_replaying_the_log_gives_the_same_session():
    e, c = make(rules=True, checkin=True, topic="holidays")
    script = [
        (0, lambda: e.press(LEFT, "done")), (1, lambda: e.press(RIGHT, "done")),
        (2, lambda: e.check_in(LEFT, 3, "ok")), (1, lambda: e.check_in(RIGHT, 4)),
        (1, lambda: e.press(LEFT, "done")), (0, lambda: e.press(RIGHT, "done")), (30, lambda: e.press(RIGHT, "done")),
        (5, lambda: e.toggle_pause()), (60, lambda: e.toggle_pause()),
        (80, lambda: e.press(RIGHT, "not-quite")), (50, lambda: e.add_note(RIGHT, "flights")),
        (10, lambda: e.time_out()), (100, lambda: e.press(LEFT, "done")), (1, lambda: e.agree_return(45)),
        (1200, lambda: e.press(LEFT, "done")), (1, lambda: e.press(RIGHT, "done")),
        (400, lambda: e.press(LEFT, "not-quite")), (3, lambda: e.end_early()),
    ]
    for dt, act in script:
        c.advance(dt)
        act()
    again = Engine.replay(e.ritual, "Alex", "Sam", e.settings, e.log, e.started_at, rules=True, checkin=True,
                          topic="holidays")
    assert again.record() == e.record()


# ----- invariants under random play ------------------------------------

ACTIONS = st.one_of(
    st.tuples(st.just("press"), st.sampled_from([LEFT, RIGHT]), st.sampled_from(["done", "not-quite"])),
    st.tuples(st.just("advance"), st.floats(min_value=0, max_value=200, allow_nan=False)),
    st.tuples(st.just("pause")),
    st.tuples(st.just("time-out")),
    st.tuples(st.just("note"), st.sampled_from([LEFT, RIGHT])),
    st.tuples(st.just("end")),
)


@hsettings(max_examples=200, deadline=None)
@given(
    ritual=st.sampled_from(["speaker-listener", "imago-dialogue", "state-of-the-union", "temperature-reading"]),
    actions=st.lists(ACTIONS, max_size=80),
)
def test_random_play_never_breaks_invariants(ritual, actions):
    e, c = make(ritual, speak=30, reflect=20, rounds=1)
    for action in actions:
        before = e.state()
        before_turns = len(e.turns)
        kind = action[0]
        if kind == "press":
            out = e.press(action[1], action[2])
            if out.result is Result.BLOCKED:
                after = e.state()
                assert len(e.turns) == before_turns
                assert (after.step, after.floor) == (before.step, before.floor)
                assert action[1] != before.floor
        elif kind == "advance":
            c.advance(action[1])
        elif kind == "pause":
            e.toggle_pause()
        elif kind == "time-out":
            e.time_out()
        elif kind == "note":
            e.add_note(action[1], "a note")
        else:
            e.end_early()
        s = e.state()
        # exactly one floor-holder while the floor is open (both in a step done together), none otherwise
        if s.stage is Stage.FLOOR:
            assert [s.left.holds_floor, s.right.holds_floor].count(True) == (2 if s.step.together else 1)
            assert s.floor in (LEFT, RIGHT)
            assert s.overtime <= e.settings.grace_seconds + 1e-6
        else:
            assert not s.left.holds_floor and not s.right.holds_floor
        rec = e.record()
        turns = rec["turns"]
        # times add up: each partner's speaking time is the sum of their turns, within the session's length
        for p in rec["partners"]:
            mine = sum(t["actual_seconds"] for t in turns
                       if t.get("floor", t["by"]) == p["side"] and t["phase"] not in ("confirm", "more") and not t.get("together"))
            assert p["speaking_seconds"] == pytest.approx(mine, abs=0.1 + 0.001 * len(turns))
        assert sum(t["actual_seconds"] for t in turns) <= rec["duration_seconds"] + 0.1
        for a, b in zip(turns, turns[1:]):
            assert b["started_offset_seconds"] >= a["started_offset_seconds"] + a["actual_seconds"] - 0.01
        assert all(t["overtime_seconds"] <= e.settings.grace_seconds + 0.01 for t in turns)


def test_closing_appreciation_round_is_added_once():
    e, c = make(rounds=1)
    assert [s.kind for s in e.steps][-1] == "clarify"
    ritual = RITUALS.get("speaker-listener")
    closing = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, rounds=1, closing_appreciation=True),
                     ManualClock(), rules=False, checkin=False)
    tail = [(s.kind, s.holder, s.planned, s.round) for s in closing.steps[-2:]]
    assert tail == [("appreciate", LEFT, 45, 1), ("appreciate", RIGHT, 45, 1)]
    assert closing.record()["settings"]["closing_appreciation"] is True
    already = RITUALS.get("appreciation-round")
    same = Engine(already, "A", "B", Settings.from_ritual(already, rounds=1, closing_appreciation=True),
                  ManualClock(), rules=False, checkin=False)
    assert len(same.steps) == 2  # a ritual that already ends with appreciations gets no second round


@pytest.mark.parametrize(("ritual_id", "speak", "clarify"), [
    ("speaker-listener", 120, 20),  # the ritual's own lengths: its own 20 s
    ("speaker-listener", 20, 20),  # a short speak time no longer cuts it to 3 s: still the ritual's 20 s
    ("speaker-listener", 12, 12),  # nor to 2 s: never shorter than the turn it clarifies, up to its own 20 s
    ("speaker-listener", 3, 3),  # a 3-second demo stays a demo
    ("speaker-listener", 240, 40),  # a longer speak time gives more room, as before
    ("imago-dialogue", 30, 20),
    ("plain", 20, 20),
])
def test_saying_it_again_is_never_shorter_than_a_person_can_use(ritual_id, speak, clarify):
    e, _ = make(ritual_id, speak=speak, reflect=min(speak, 45))
    steps = [s for s in e.steps if s.added == "clarify"]
    assert steps and {s.planned for s in steps} == {clarify}
