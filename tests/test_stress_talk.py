"""The stress-reducing talk as Gottman's conversation (issue 18): the listener may speak, on the speaker's side;
a couple issue that turns up is parked for the next state of the union; affection only if welcome."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Result, Settings, Stage
from heartline.sessions.keep import kept
from heartline.sessions.rituals import load_rituals
from heartline.sessions.summary import shared_lines, summarize
from heartline.sessions.validate import parse_record
from tests.apps import make_app, text_of, until
from tests.records import make_record

RITUALS = load_rituals()
STRESS = RITUALS.get("stress-reducing")


def make(ritual_id="stress-reducing", **kw):
    ritual = RITUALS.get(ritual_id)
    clock = ManualClock()
    settings = Settings.from_ritual(ritual, speak=60, reflect=20)
    return Engine(ritual, "Alex", "Sam", settings, clock, rules=False, checkin=False, session_id="s1", **kw), clock


def lines(role):
    return " ".join(line for part in STRESS.parts for ph in part.phases for line in ph.guidance(role))


# ----- the listener may speak ---------------------------------------------


def test_the_listener_may_speak_and_nothing_is_blocked_while_the_floor_stays_the_speakers():
    e, c = make()
    c.advance(5)
    s = e.state()
    assert s.step.kind == "speak" and s.floor == LEFT
    assert s.right.activity == "alongside" and s.left.activity == "speaking"
    out = e.press(RIGHT, "done")  # "that sounds so hard", and a key pressed while saying it
    assert out.result is Result.IGNORED and out.what == "conversation"
    c.advance(1)
    e.press(RIGHT, "not-quite")
    s = e.state()
    assert s.floor == LEFT and s.step.kind == "speak"  # still the speaker's turn
    rec = e.record()
    assert not any(ev["kind"] == "interruption-blocked" for ev in rec["events"])
    assert e.partners[RIGHT].interruptions_blocked == 0
    c.advance(10)
    e.press(LEFT, "done")
    assert e.record()["turns"][0]["by"] == LEFT and e.record()["turns"][0]["actual_seconds"] == 16.0


def test_other_rituals_still_keep_the_floor_for_the_speaker():
    e, c = make("speaker-listener")
    c.advance(5)
    assert e.press(RIGHT, "done").result is Result.BLOCKED
    assert e.state().right.activity == "listening"


def test_the_listeners_hints_are_a_conversation_and_affection_only_if_welcome():
    listener = lines("listener")
    assert "sounds so hard" in listener and "?" in listener and "side" in listener
    assert "Ask, don't fix" not in listener
    affection = next(ph for part in STRESS.parts for ph in part.phases if ph.kind == "affection")
    assert any("only if welcome" in line for line in affection.speaker + affection.listener)
    assert any("state of the union" in rule for rule in STRESS.ground_rules)


# ----- parking a couple issue ---------------------------------------------


def test_a_couple_issue_is_parked_as_a_shared_event_and_the_talk_goes_on():
    e, c = make()
    c.advance(30)
    assert e.state().park
    assert e.park("  how we split the evenings ").what == "parked"
    s = e.state()
    assert s.stage is Stage.FLOOR and s.step.kind == "speak" and s.floor == LEFT and not s.paused
    rec = e.record()
    assert [(ev["kind"], ev["by"]) for ev in rec["events"]] == [("parked", "both")]
    assert [n["text"] for n in rec["notes"] if n["kind"] == "parked"] == ["how we split the evenings"]
    assert e.park("").accepted  # a topic kept without words
    assert [ev["kind"] for ev in e.record()["events"]] == ["parked", "parked"]


def test_its_words_are_kept_only_with_keep_words_and_never_whose():
    e, c = make()
    c.advance(3)
    e.park("how we split the evenings")
    shape = kept(e.record(), "shape")
    assert [ev["kind"] for ev in shape["events"]] == ["parked"] and shape["notes"] == []
    words = kept(e.record(), "words")
    assert words["notes"] == [{"kind": "parked", "text": "how we split the evenings", "offset_seconds": 3.0}]
    read = parse_record(store.dumps_record(shape), "x.toml")
    assert "Kept for your next state of the union: 1 topic about the two of you." in shared_lines(summarize(read))


def test_parking_is_only_where_the_ritual_says_and_is_replayed():
    e, c = make("speaker-listener")
    c.advance(3)
    assert not e.state().park and e.park("x").result is Result.IGNORED and e.record()["events"] == []
    e, c = make()
    c.advance(3)
    e.park("the evenings")
    again = Engine.replay(STRESS, "Alex", "Sam", e.settings, e.log, e.started_at, rules=False, checkin=False,
                          session_id="s1")
    assert again.record() == e.record()


# ----- the next state of the union offers it --------------------------------

UTC = timezone.utc


def saved(data, protocol, started, events=(), notes=(), sid=None):
    record = make_record(id=sid or f"2026120{started.day}-{started:%H%M%S}-alex-sam", protocol=protocol,
                         started_at=started, ended_at=started + timedelta(minutes=10), duration_seconds=600.0,
                         events=list(events), notes=list(notes))
    store.save_record(record, data)


def test_the_next_state_of_the_union_offers_what_was_parked_since_the_last_one(tmp_path):
    from heartline.sessions import parked

    data = tmp_path / "data"
    t = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    saved(data, "stress-reducing", t, [{"offset_seconds": 5.0, "kind": "parked", "by": "both"}],
          [{"kind": "parked", "text": "before the last union"}])
    saved(data, "state-of-the-union", t + timedelta(days=1))
    assert parked.waiting(data) == []  # talked about since
    saved(data, "stress-reducing", t + timedelta(days=2),
          [{"offset_seconds": 5.0, "kind": "parked", "by": "both"}, {"offset_seconds": 9.0, "kind": "parked", "by": "both"}],
          [{"kind": "parked", "text": "how we split the evenings"}])
    waiting = parked.waiting(data)
    assert [p.text for p in waiting] == ["how we split the evenings", ""]
    assert parked.offer_words(waiting).startswith("Kept for this state of the union from a stress-reducing talk: 2 topics")


async def test_setup_offers_the_parked_topic_for_a_state_of_the_union(tmp_path):
    from textual.widgets import Input, Select

    from heartline.tui.screens.setup import SetupScreen

    saved(tmp_path / "data", "stress-reducing", datetime(2026, 12, 3, 20, 0, tzinfo=UTC),
          [{"offset_seconds": 5.0, "kind": "parked", "by": "both"}], [{"kind": "parked", "text": "our evenings"}])
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SetupScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#ritual", Select).value = "speaker-listener"
        await pilot.pause()
        assert "Kept for this state of the union" not in text_of(screen, "#ritual-about")
        screen.query_one("#ritual", Select).value = "state-of-the-union"
        await pilot.pause()
        assert "Kept for this state of the union" in text_of(screen, "#ritual-about")
        assert screen.query_one("#topic", Input).value == "our evenings"


# ----- in the session ---------------------------------------------------------


async def test_the_park_key_keeps_it_with_a_few_words_and_the_talk_goes_on(tmp_path):
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.dialogs import ParkScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")  # the ground rules
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        await pilot.pause()
        assert "about us? keep it for our state of the union" in text_of(session, "#pane-left #nudge")
        assert "On their side" in text_of(session, "#pane-right #role")
        clock.advance(3)
        await pilot.press("j")  # the listener's key: nothing blocked, no nudge that they interrupted
        await pilot.pause()
        assert "still speaking" not in text_of(session, "#pane-right #nudge")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ParkScreen))
        assert session.engine.state().writing  # the clock waits while the box is open
        await pilot.press(*[ch if ch != " " else "space" for ch in "our evenings"], "enter")
        await until(pilot, lambda: app.screen is session)
        await pilot.pause()
        rec = session.engine.record()
        assert [ev["kind"] for ev in rec["events"]].count("parked") == 1
        assert session.engine.state().step.kind == "speak" and not session.engine.state().writing
        assert "Kept for your next state of the union" in text_of(session, "#pane-right #nudge")


async def test_home_says_a_topic_was_kept_after_the_talk_that_parked_it(tmp_path):
    from tests.whole import cut_text

    saved(tmp_path / "data", "stress-reducing", datetime(2026, 12, 3, 20, 0, tzinfo=UTC),
          [{"offset_seconds": 5.0, "kind": "parked", "by": "both"}])
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query_one("#parked").display)
        assert text_of(app.screen, "#parked").startswith("You kept a topic for your next state of the union")
        assert cut_text(app.screen) == []
    saved(tmp_path / "data", "state-of-the-union", datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert not app.screen.query_one("#parked").display  # talked about since


async def test_the_summary_says_the_parked_words_go_in_a_file_only_with_your_words_too(tmp_path):
    """Seen in a couple's trial: with keep = shape the words typed after `w` were listed under "Kept for your next
    state of the union", though no file keeps them. The heading says no more than is sure, and a line says when
    the words are kept, true whichever of 1, 2 or 3 the couple chooses."""
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.summary import SummaryScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=20, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")  # the ground rules
        session = app.screen
        await until(pilot, lambda: session.engine.stage is Stage.FLOOR)
        clock.advance(3)
        session.engine.park("our evenings")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # End and save
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        screen = app.screen
        assert "▶ 1 The shape" in text_of(screen, "#keep")
        shared = text_of(screen, "#shared")
        assert "our evenings" in shared and "Kept for your next state of the union\n" not in shared
        assert "For your next state of the union\n" in shared
        said = text_of(screen, "#notes-kept")
        assert said == "These notes go in the file only with 2 (your words too).", said
        for choice in ("2", "3", "1"):  # stays true whatever they choose
            await pilot.press(choice)
            await pilot.pause()
            assert text_of(screen, "#notes-kept") == said
