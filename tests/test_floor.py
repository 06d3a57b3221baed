"""The rulebook, rule by rule, on the manual clock: keys read for intent, the floor loops, notes,
I-statements, the sealed check-in, the transitions the screen answers, and lengths that match setup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import (
    BURST_GAP_SECONDS, LEFT, RIGHT, SETTLE_SECONDS, SIDES, Engine, Result, Settings, Stage, estimate_seconds, other,
    ritual_estimate,
)
from heartline.sessions.rituals import load_rituals

RITUALS = load_rituals()


def make(ritual_id="speaker-listener", speak=None, reflect=None, rounds=1, rules=False, checkin=False, **kw):
    ritual = RITUALS.get(ritual_id)
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=rules, checkin=checkin, **kw), clock


def kinds(engine):
    return [ev["kind"] for ev in engine.record()["events"]]


def at(engine, clock, seconds, side, action="done"):
    clock.advance(seconds)
    return engine.press(side, action)


# ----- keys mean what the person meant -------------------------------------


def test_carried_over_tap_does_nothing_and_is_recorded_as_such():
    e, c = make()
    at(e, c, 10, LEFT)  # Alex ends the chunk; the floor comes to Sam
    out = at(e, c, SETTLE_SECONDS - 0.1, RIGHT)  # Sam's single key, just after: meant for before
    assert (out.result, out.what) == (Result.IGNORED, "carried-over")
    assert e.state().step.kind == "reflect"
    assert kinds(e) == ["tap-carried-over"]
    out = at(e, c, 0.5, RIGHT)  # past the settle time (and not a burst), a key means it
    assert out.what == "turn-ended" and e.state().step.kind == "confirm"


def test_the_settle_time_also_guards_the_very_first_turn():
    e, c = make(rules=True)
    e.press(LEFT, "done")
    e.press(RIGHT, "done")  # both agreed: the floor opens for Alex
    assert e.press(LEFT, "done").what == "carried-over"  # Alex's second tap of "agree"
    assert e.state().step.kind == "speak"


def test_a_burst_is_one_act_however_long_it_lasts():
    e, c = make()
    c.advance(10)
    outs = [at(e, c, 0.3 if i else 0, RIGHT, "not-quite") for i in range(8)]  # 2.1 s of mashing
    assert [o.what for o in outs] == ["listening"] + ["burst"] * 7
    assert at(e, c, BURST_GAP_SECONDS + 0.1, RIGHT, "not-quite").what == "listening"  # a new act


def test_a_burst_carries_over_the_end_of_a_turn():
    """Sam mashes j while Alex speaks; Alex ends; Sam's keys keep coming: none ends Sam's turn."""
    e, c = make("imago-dialogue")
    c.advance(10)
    for _ in range(6):
        at(e, c, 0.25, RIGHT)
    at(e, c, 0.05, LEFT)  # Alex has sent, in the middle of Sam's burst
    for _ in range(8):  # Sam goes on, past the settle time
        at(e, c, 0.25, RIGHT)
    s = e.state()
    assert (s.step.kind, s.floor) == ("mirror", RIGHT)
    assert e.record()["partners"][1]["interruptions_blocked"] == 1


def test_speakers_repeat_within_settle_is_ignored_never_an_interruption():
    e, c = make()
    at(e, c, 10, LEFT)
    out = at(e, c, BURST_GAP_SECONDS + 0.2, LEFT)  # not a burst, but within the settle time
    assert (out.result, out.what) == (Result.IGNORED, "repeat")
    assert kinds(e) == ["repeat-ignored"]
    assert e.record()["partners"][0]["interruptions_blocked"] == 0


def test_after_the_settle_time_the_former_speaker_is_a_real_interruption():
    e, c = make()
    at(e, c, 10, LEFT)
    out = at(e, c, SETTLE_SECONDS + 0.5, LEFT)
    assert out.result is Result.BLOCKED
    assert e.record()["partners"][0]["interruptions_blocked"] == 1


def test_separate_attempts_by_the_listener_each_count():
    e, c = make()
    at(e, c, 5, RIGHT)
    at(e, c, 2, RIGHT)
    assert kinds(e) == ["interruption-blocked", "interruption-blocked"]
    assert e.record()["turns"][0]["interruptions_blocked"] == 2


def test_listener_not_quite_is_never_blocked_and_raises_no_hand():
    e, c = make()
    out = at(e, c, 5, RIGHT, "not-quite")
    assert out.what == "listening" and out.result.name == "IGNORED"
    assert not [ev for ev in e.record()["events"] if ev["kind"] in ("hand-raised", "interruption-blocked")]


# ----- the floor loops -------------------------------------------------------


def test_prep_loop_not_quite_clarify_paraphrase_got_it_more_then_pass():
    e, c = make(speak=120, reflect=45)
    seen = []

    def step(seconds, side, action="done"):
        at(e, c, seconds, side, action)
        s = e.state()
        seen.append((s.step.kind, s.floor) if s.step else (e.stage.value, None))

    step(30, LEFT)                   # a chunk
    step(20, RIGHT)                  # paraphrase
    step(2, LEFT, "not-quite")       # not quite
    step(8, LEFT)                    # clarify
    step(15, RIGHT)                  # paraphrase again
    step(2, LEFT)                    # got it
    step(2, LEFT, "not-quite")       # is there more? there's more
    step(25, LEFT)                   # another chunk
    step(20, RIGHT)
    step(2, LEFT)                    # got it
    step(2, LEFT)                    # is there more? that's all: the floor passes
    assert seen == [
        ("reflect", RIGHT), ("confirm", LEFT), ("clarify", LEFT), ("reflect", RIGHT), ("confirm", LEFT),
        ("more", LEFT), ("speak", LEFT), ("reflect", RIGHT), ("confirm", LEFT), ("more", LEFT), ("speak", RIGHT),
    ]
    assert [t.kind for t in e.transitions] == [
        "turn-ended", "turn-ended", "not-quite", "turn-ended", "turn-ended", "turn-ended", "more", "turn-ended",
        "turn-ended", "turn-ended", "floor-passed"]
    rec = e.record()
    # chunks, the clarify and (PREP: the speaker keeps the floor) the paraphrases of them; "got it" is not talk
    assert rec["partners"][0]["speaking_seconds"] == 30 + 8 + 25 + 20 + 15 + 20
    assert rec["partners"][1]["reflection_retries"] == 1


def test_the_speakers_floor_time_bounds_the_loop():
    e, c = make(speak=120, reflect=45)  # chunks of 40 s
    at(e, c, 39, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)
    at(e, c, 1, LEFT, "not-quite")  # more
    s = e.state()
    assert s.step.kind == "speak" and s.planned == 40 and s.floor_left == pytest.approx(81)
    at(e, c, 40, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)
    at(e, c, 1, LEFT, "not-quite")  # more: 41 s of floor left, a full chunk
    at(e, c, 38, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)
    at(e, c, 1, LEFT, "not-quite")  # more: only 3 s of floor left
    s = e.state()
    assert s.step.kind == "speak" and s.planned == pytest.approx(3)
    at(e, c, 3, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)  # got it, and the floor is used up: the speaker is asked, never the clock
    s = e.state()
    assert (s.step.kind, s.floor, s.floor_up) == ("more", LEFT, True)
    assert (s.left.done_means, s.left.not_quite_means) == ("pass-floor", "minute-more")
    at(e, c, 2, LEFT)  # pass the floor
    s = e.state()
    assert (s.step.kind, s.floor) == ("speak", RIGHT)
    assert e.transitions[-1].kind == "floor-passed"


def test_a_confirm_that_runs_out_is_never_taken_as_yes():
    e, c = make(speak=120, reflect=45)
    at(e, c, 10, LEFT)
    at(e, c, 10, RIGHT)
    c.advance(20 + 15)  # confirm: its 20 s and grace: asked again, nothing decided
    assert e.state().step.kind == "confirm" and e.state().asked_again
    c.advance(20 + 15)  # unanswered twice: a pause, never a "got it"
    s = e.state()
    assert s.step.kind == "confirm" and s.pause_kind == "pause" and s.unanswered
    assert "confirmed" not in kinds(e) and kinds(e)[-2:] == ["asked-again", "pause-unanswered"]


def test_imago_mirror_until_thats_all_then_summary_validation_empathy_each_checked():
    e, c = make("imago-dialogue")
    script = [
        (10, LEFT, "done"), (10, RIGHT, "done"), (2, LEFT, "done"), (2, LEFT, "not-quite"),  # more
        (10, LEFT, "done"), (10, RIGHT, "done"), (2, LEFT, "done"), (2, LEFT, "done"),  # that's all
        (10, RIGHT, "done"), (2, LEFT, "not-quite"), (5, LEFT, "done"), (10, RIGHT, "done"), (2, LEFT, "done"),
        (10, RIGHT, "done"), (2, LEFT, "done"),  # validation, "does that make sense?" yes
        (10, RIGHT, "done"), (2, LEFT, "done"),  # empathy, "is that what you're feeling?" yes
    ]
    seen = []
    for seconds, side, action in script:
        s = e.state()
        seen.append((s.step.kind, s.step.title, s.floor))
        assert at(e, c, seconds, side, action).accepted, (s.step.kind, side, action)
    assert seen == [
        ("send", "Send", LEFT), ("mirror", "Mirror", RIGHT), ("confirm", "Did they get it?", LEFT),
        ("more", "Is there more?", LEFT),
        ("send", "Send", LEFT), ("mirror", "Mirror", RIGHT), ("confirm", "Did they get it?", LEFT),
        ("more", "Is there more?", LEFT),
        ("summary", "Summary", RIGHT), ("confirm", "Did they get it all?", LEFT),
        ("clarify", "Adding the piece that matters", LEFT),
        ("summary", "Summary", RIGHT), ("confirm", "Did they get it all?", LEFT),
        ("validate", "Validate", RIGHT), ("confirm", "Did they see how you make sense?", LEFT),
        ("empathize", "Empathize", RIGHT), ("confirm", "Did they name what you feel?", LEFT),
    ]
    s = e.state()
    assert (s.step.kind, s.floor) == ("requests", LEFT)  # the sender's requests, the receiver's gift, thanks
    assert at(e, c, 5, LEFT, "not-quite").what == "skipped"  # no request today: no gift either
    assert (e.state().step.kind, e.state().floor) == ("thanks", LEFT)
    at(e, c, 3, LEFT)
    s = e.state()
    assert (s.step.kind, s.floor) == ("send", RIGHT)  # then swap
    assert e.transitions[-1].kind == "floor-passed"


def test_state_of_the_union_sequence():
    e, c = make("state-of-the-union", speak=60, reflect=20)
    order = []
    while e.stage is Stage.FLOOR:
        s = e.state()
        order.append((s.step.kind, "both" if s.step.together else s.floor))
        if s.step.together:
            assert at(e, c, 2, LEFT).what == "agreed"
            assert e.state().left.agreed_now and not e.state().right.agreed_now
            assert at(e, c, 0, RIGHT).what == "turn-ended"  # both said yes: on
        else:
            at(e, c, 2, s.floor)
    assert order == [
        ("appreciate", LEFT), ("appreciate", RIGHT), ("went-well", LEFT), ("went-well", RIGHT),
        ("choose-issue", "both"),
        ("speak", LEFT), ("reflect", RIGHT), ("confirm", LEFT), ("more", LEFT), ("validate", RIGHT), ("confirm", LEFT),
        ("speak", RIGHT), ("reflect", LEFT), ("confirm", RIGHT), ("more", RIGHT), ("validate", LEFT), ("confirm", RIGHT),
        ("core-needs", "both"), ("flexible-areas", "both"), ("compromise", "both"),
        ("ask-loved", RIGHT), ("answer-loved", LEFT), ("offer-loved", RIGHT),
        ("ask-loved", LEFT), ("answer-loved", RIGHT), ("offer-loved", LEFT),
    ]


def test_temperature_reading_complaint_can_be_skipped_and_puzzles_get_an_answer():
    e, c = make("temperature-reading", speak=8, reflect=3)
    while e.state().step.kind != "puzzle-answer":
        at(e, c, 1, e.state().floor)
    s = e.state()
    assert s.floor == RIGHT and s.step.speaker == LEFT and s.planned == 3  # Sam answers Alex's puzzle, briefly
    assert s.right.not_quite_means == "skip"
    while e.state().step.kind != "complaint-request":
        at(e, c, 1, e.state().floor)
    s = e.state()
    assert s.planned == 12 and s.left.not_quite_means == "skip"
    assert at(e, c, 1, LEFT, "not-quite").what == "skipped"
    assert e.turns[-1]["ended_by"] == "skipped" and e.state().step.kind == "complaint-request"
    assert e.state().floor == RIGHT
    assert e.transitions[-1].ended_by == "skipped"


def test_a_plain_turn_cannot_be_skipped():
    e, c = make("temperature-reading")
    assert at(e, c, 2, LEFT, "not-quite").what == "has-floor"


def test_stress_reducing_vents_without_the_formula_and_ends_with_affection():
    e, c = make("stress-reducing", speak=60, reflect=20)
    e.set_i_statement(LEFT, "I feel tired")
    s = e.state()
    assert s.step.kind == "speak" and not s.left.show_i_statement  # venting, not a formula
    while e.stage is Stage.FLOOR and not e.state().step.together:
        at(e, c, 2, e.state().floor)
    s = e.state()
    assert s.step.kind == "affection" and s.left.activity == s.right.activity == "agreeing"
    assert at(e, c, 2, RIGHT).what == "agreed" and e.press(RIGHT, "done").result is Result.IGNORED
    at(e, c, 1, LEFT)
    assert e.stage is Stage.ENDED and e.transitions[-1].kind == "session-ended"


# ----- every rule in the engine -------------------------------------------------


def test_notes_are_allowed_by_the_engine():
    e, c = make("appreciation-round", rules=True, checkin=True)
    assert e.note_kind(LEFT) == ""  # no I-statement to prepare in an appreciation round (issue 17)
    assert make("speaker-listener", rules=True)[0].note_kind(LEFT) == "i-statement"  # where one is spoken
    assert e.add_note(LEFT, "a note before we start").what == "not-now"
    e.press(LEFT, "done")
    e.press(RIGHT, "done")
    assert e.note_kind(LEFT) == "feeling"  # the sealed check-in: a word for how you feel
    e.check_in(LEFT, 3)
    assert e.note_kind(LEFT) == ""  # sealed: nothing more to add
    e.check_in(RIGHT, 4)
    at(e, c, 1, LEFT)
    at(e, c, 0, RIGHT)
    assert e.stage is Stage.FLOOR
    assert (e.note_kind(LEFT), e.note_kind(RIGHT)) == ("appreciation", "parking-lot")
    assert e.add_note(RIGHT, "x", kind="appreciation").accepted  # not Sam's to collect now: kept, as parking lot
    assert e.notes[-1]["kind"] == "parking-lot"
    assert e.add_note(RIGHT, "y", kind="score").what == "not-now"
    e.end_early()
    assert e.note_kind(LEFT) == "" and e.add_note(LEFT, "late").what == "not-now"


def test_each_partner_may_prepare_an_i_statement_before_their_own_first_turn():
    e, c = make(rules=True)
    assert e.set_i_statement(RIGHT, "I feel unsure").accepted  # Sam speaks second: still fine
    e.press(LEFT, "done")
    e.press(RIGHT, "done")
    assert e.state().left.show_i_statement is False  # nothing prepared by Alex
    assert e.set_i_statement(LEFT, "too late").what == "too-late"  # Alex's first turn has begun
    assert e.set_i_statement(RIGHT, "I feel hopeful").accepted  # Sam's has not
    assert e.state().right.may_prepare and not e.state().left.may_prepare
    at(e, c, 10, LEFT)
    at(e, c, 10, RIGHT)
    at(e, c, 1, LEFT)
    at(e, c, 1, LEFT)
    s = e.state()
    assert s.floor == RIGHT and s.right.show_i_statement and s.right.i_statement == "I feel hopeful"
    assert e.set_i_statement(RIGHT, "now").what == "too-late"


def test_check_in_is_chosen_then_sealed_and_nothing_shows_before_both():
    e, c = make(checkin=True)
    assert e.check_in(LEFT, 2, seal=False).what == "chosen"
    assert e.check_in(LEFT, None, "tired", seal=False).what == "chosen"
    assert e.check_in(LEFT, 3, seal=False).what == "chosen"  # changed their mind
    s = e.state()
    assert s.left.chosen and s.left.has_word and not s.left.checked_in and s.left.mood is None
    assert s.left.done_means == "seal" and s.right.done_means == ""
    assert e.press(RIGHT, "done").result is Result.IGNORED  # nothing chosen: nothing to seal
    assert e.press(LEFT, "done").what == "sealed"
    s = e.state()
    assert s.left.checked_in and s.left.mood is None and s.left.feeling == "" and not s.left.chosen
    assert e.check_in(LEFT, 5, seal=False).what == "answered"  # sealed is sealed
    e.check_in(RIGHT, 4, seal=False)
    assert e.press(RIGHT, "done").what == "revealed"
    s = e.state()
    assert (s.left.mood, s.left.feeling, s.right.mood) == (3, "tired", 4)
    assert s.left.done_means == "ready"


def test_keys_mean_codes_not_screen_words():
    e, c = make()
    s = e.state()
    assert (s.left.activity, s.left.done_means, s.left.not_quite_means) == ("speaking", "end-turn", "")
    assert (s.right.activity, s.right.done_means, s.right.not_quite_means) == ("listening", "", "")
    at(e, c, 5, LEFT)
    at(e, c, 5, RIGHT)
    s = e.state()
    assert (s.left.activity, s.left.done_means, s.left.not_quite_means) == ("confirming", "got-it", "not-quite")
    assert s.right.activity == "waiting"
    at(e, c, 1, LEFT)
    s = e.state()
    assert (s.left.activity, s.left.done_means, s.left.not_quite_means) == ("deciding", "pass", "more")
    for value in (s.left.activity, s.right.activity, s.left.done_means, e.press(LEFT, "done").what):
        assert value == value.lower() and " " not in value


def test_transitions_say_how_each_turn_ended():
    e, c = make(speak=120, reflect=45, checkin=True)
    e.check_in(LEFT, 3)
    e.check_in(RIGHT, 3)
    c.advance(1)  # the answers read
    e.press(LEFT, "done")
    e.press(RIGHT, "done")
    c.advance(40 + 15)  # the chunk runs out
    t = e.state().transition
    assert (t.number, t.kind, t.ended_by, t.by, t.offset) == (1, "turn-ended", "time", LEFT, 56.0)
    e.end_early()
    assert e.state().transition.kind == "session-ended" and e.state().transitions == 2


# ----- invariants under random keys -------------------------------------------------

KEYS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=3, allow_nan=False), st.sampled_from(SIDES),
              st.sampled_from(["done", "not-quite"])),
    max_size=120,
)


@hsettings(max_examples=150, deadline=None)
@given(ritual=st.sampled_from([r.id for r in RITUALS]), keys=KEYS)
def test_random_keys_from_both_never_cut_a_turn_short_nor_blame_the_speaker_and_replay(ritual, keys):
    e, c = make(ritual, speak=20, reflect=10)
    t0 = c.monotonic()
    ended_at: dict[str, float] = {}  # side -> when their own turn last ended
    for gap, side, action in keys:
        c.advance(gap)
        before = e.state()
        out = e.press(side, action)
        now = c.monotonic()
        if before.step is not None and len(e.turns) and e.turns[-1]["by"] == before.floor and out.accepted \
                and e.state().step is not before.step:
            ended_at[before.floor] = now
        if out.result is Result.BLOCKED:
            # never the partner whose own turn just ended (a repeat), never the holder
            assert side != before.floor
            assert now - ended_at.get(side, -99) >= SETTLE_SECONDS
    for t in e.record()["turns"]:
        if t["ended_by"] in ("done", "not-quite", "more", "skipped"):
            assert t["actual_seconds"] >= SETTLE_SECONDS - 1e-9, t
    again = Engine.replay(e.ritual, "Alex", "Sam", e.settings, e.log, e.started_at, until=c.monotonic() - t0,
                          rules=False, checkin=False)
    assert again.record() == e.record()


# ----- lengths mean what setup says ---------------------------------------------


def play_using_the_time(engine: Engine, clock: ManualClock) -> None:
    """Each holder takes exactly their planned time; the speaker has more while floor time remains."""
    while engine.stage is Stage.FLOOR:
        s = engine.state()
        clock.advance(s.planned)
        if s.step.together:
            engine.press(LEFT, "done")
            engine.press(RIGHT, "done")
        elif s.step.added == "more":
            engine.press(s.floor, "done" if s.floor_up else "not-quite")  # more, while floor time remains
        else:
            engine.press(s.floor, "done")


@pytest.mark.parametrize("ritual_id", [r.id for r in RITUALS])
@pytest.mark.parametrize("lengths", [(None, None, None), (8, 3, 1), (300, 90, 2)])
def test_setup_estimate_matches_what_then_runs(ritual_id, lengths):
    speak, reflect, rounds = lengths
    ritual = RITUALS.get(ritual_id)
    e, c = make(ritual_id, speak=speak, reflect=reflect, rounds=rounds or ritual.rounds)
    play_using_the_time(e, c)
    assert e.stage is Stage.ENDED
    assert e.record()["duration_seconds"] == pytest.approx(ritual_estimate(ritual, speak, reflect, rounds), abs=1)


def test_typed_lengths_scale_the_rituals_own_numbers():
    e, _ = make("temperature-reading", speak=8, reflect=3)
    planned = {s.kind: s.planned for s in e.steps}
    assert planned == {"appreciate": 8, "new-information": 8, "puzzles": 8, "puzzle-answer": 3,
                       "complaint-request": 12, "thank-you": 2, "wishes": 8}
    e, _ = make("stress-reducing", speak=60)
    assert next(s for s in e.steps if s.kind == "affection").planned == 30  # fixed = true keeps its own


def test_estimate_counts_every_round():
    ritual = RITUALS.get("speaker-listener")
    one = estimate_seconds(ritual, Settings.from_ritual(ritual, rounds=1))
    assert estimate_seconds(ritual, Settings.from_ritual(ritual, rounds=3)) == 3 * one


def test_in_a_phase_done_together_both_keys_settle_first():
    e, c = make("stress-reducing", speak=20, reflect=10)
    for side in (LEFT, RIGHT, RIGHT, LEFT):  # each vents and is supported
        at(e, c, 5, side)
    s = e.state()
    assert s.step.together and s.step.holder == LEFT  # the moment of affection begins, for both
    assert at(e, c, 0.3, RIGHT).what == "carried-over"  # Sam's key, meant for the turn before
    assert e.state().right.agreed_now is False


def test_a_word_alone_cannot_be_sealed():
    e, c = make(checkin=True)
    e.check_in(LEFT, None, "tired", seal=False)
    s = e.state()
    assert s.left.has_word and not s.left.chosen and s.left.done_means == ""
    assert e.press(LEFT, "done").result is Result.IGNORED
    assert not e.state().left.checked_in


def test_after_choosing_together_the_first_speaker_goes_on_without_a_floor_pass():
    e, c = make("state-of-the-union", speak=20, reflect=10)
    while not e.state().step.together:
        at(e, c, 1, e.state().floor)
    assert e.transitions[-1].kind == "floor-passed"  # from Sam's "went well" to the two of you
    at(e, c, 1, LEFT)
    at(e, c, 0, RIGHT)
    assert e.state().step.kind == "speak" and e.state().floor == LEFT
    assert e.transitions[-1].kind == "turn-ended"  # Alex was part of it: the floor did not pass


def test_only_done_is_a_repeat_a_listeners_not_quite_does_nothing():
    e, c = make()
    at(e, c, 10, LEFT)
    assert at(e, c, 0.5, LEFT, "not-quite").what == "listening"


def test_a_step_done_together_is_neither_partners_floor():
    """Seen in a trial: 'A moment of affection' was Alex's floor, counted as Alex's speaking time."""
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.rituals import load_rituals

    ritual = load_rituals().get("stress-reducing")
    clock = ManualClock()
    e = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=10, reflect=5, rounds=1), clock,
               rules=False, checkin=False)
    while e.stage is Stage.FLOOR and not e.state().step.together:
        clock.advance(3)
        e.press(e.state().floor, "done")
    s = e.state()
    assert s.step.together and s.left.holds_floor and s.right.holds_floor
    before = {p["side"]: p["speaking_seconds"] for p in e.record()["partners"]}
    clock.advance(20)
    rec = e.record()
    assert {p["side"]: p["speaking_seconds"] for p in rec["partners"]} == before
    assert rec["turns"][-1]["together"] is True


def test_only_a_reflection_is_called_reflecting():
    """Seen in a trial: State of the Union's 'Say what you'll do' was labelled 'Reflecting back'."""
    ritual = load_rituals().get("state-of-the-union")
    clock = ManualClock()
    e = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=10, reflect=5, rounds=1), clock,
               rules=False, checkin=False)
    seen = {}
    for _ in range(2000):
        s = e.state()
        if s.stage is not Stage.FLOOR:
            break
        if not s.step.added and not s.step.together:
            seen[s.step.kind] = s.side(s.floor).activity
        clock.advance(1)
        if s.step.added in ("confirm", "more"):  # a question is answered by the speaker, never by the clock
            e.press(s.floor, "done")
    assert seen["offer-loved"] == "speaking" and seen["reflect"] == "reflecting"
