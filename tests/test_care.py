"""Care around the session: the safety page, commitments owned by their owner, the agreed time, the first run."""

from __future__ import annotations

from datetime import timedelta

from heartline.sessions import prefs, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.home import HomeScreen
from heartline.tui.screens.safety import SafetyScreen
from tests.apps import make_app, text_of
from tests.records import make_record


async def test_safety_page_from_home_and_from_help(tmp_path):
    """What was seen: no safety guidance anywhere."""
    clock = ManualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        page = text_of(app.screen, "#safety-page")
        for words in ("not therapy", "fear, threats, violence or control", "local emergency number",
                      "domestic-violence helpline", "couples therapist"):
            assert words in page
        assert not any(ch.isdigit() for ch in page)  # no invented phone numbers
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", checkin=False))
    async with app.run_test(size=(100, 40)) as pilot:
        session = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert session.engine.stage.value == "rules"  # escape closed the page; the session goes on


async def test_commitments_show_on_home_not_before_the_rules_and_only_the_owner_marks_one(tmp_path):
    """What was seen: commitments by name right before a hard talk, and either partner could mark the other's."""
    record = make_record()
    record["notes"].append({"by": "right", "kind": "commitment", "text": "call my sister", "status": "open"})
    store.save_record(record, tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        listed = home.query_one("#commitments")
        assert [str(o.prompt) for o in listed.options] == ["[ ] open  Alex: book the train",
                                                           "[ ] open  Sam: call my sister"]
        listed.focus()
        await pilot.press("j")  # Sam cannot mark Alex's
        assert "open" in str(listed.options[0].prompt)
        await pilot.press("f")  # Alex marks their own
        assert "kept" in str(listed.options[0].prompt)
        await pilot.press("down", "f")  # Alex cannot mark Sam's
        assert "open" in str(listed.options[1].prompt)
        await pilot.press("j")
        assert "kept" in str(listed.options[1].prompt)
    statuses = [n.get("status") for n in store.list_sessions(tmp_path / "data")[0][0]["notes"]]
    assert statuses == [None, "kept", "kept"]
    app = make_app(tmp_path, ManualClock(), SessionPlan("speaker-listener", "Alex", "Sam", checkin=False))
    async with app.run_test(size=(100, 40)) as pilot:
        assert not app.screen.query("#last-commitments, CommitmentList")  # not even a hidden list before the rules
        assert "book the train" not in text_of(app.screen, "#stage-body")


async def test_agreed_time_is_offered_on_home_within_a_day(tmp_path):
    clock = ManualClock()
    record = make_record(started_at=clock.now() - timedelta(hours=2), ended_at=clock.now() - timedelta(hours=1),
                         agreed_return=clock.now() + timedelta(minutes=30), status="ended-early")
    store.save_record(record, tmp_path / "data")
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "come back to your talk at" in text_of(app.screen, "#agreed-return")
    clock.advance(2 * 24 * 3600)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#agreed-return").display


async def test_first_run_says_once_that_sessions_are_plain_files(tmp_path):
    said = []
    for _ in range(2):
        app = make_app(tmp_path, ManualClock())
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            note = app.screen.query_one("#files-note")
            said.append(text_of(app.screen, "#files-note") if note.display else "")
    assert "anyone using this computer account can read them" in said[0] and said[1] == ""
    assert prefs.load(tmp_path / "config").told_files


async def _checked_in(tmp_path, left_mood: int, right_mood: int) -> str:
    """Both agree to the rules, pick a mood each and seal it; the check-in's words once revealed."""
    from heartline.tui.keys import key, mood_key

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=60, reflect=30, rounds=1))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(key("left", "done"), key("right", "done"))
        clock.advance(2)  # past the settle time after the check-in opened
        await pilot.press(mood_key("left", left_mood), key("left", "done"))
        await pilot.press(mood_key("right", right_mood), key("right", "done"))
        await pilot.pause()
        session = app.screen
        assert session.engine.state().checkin_revealed
        return text_of(session, "#stage-body")


async def test_a_check_in_at_one_gently_offers_another_kind_of_talk_or_another_time(tmp_path):
    """What was seen: a check-in at 1 ("struggling") is revealed and nothing follows."""
    said = await _checked_in(tmp_path, 1, 4)
    assert "stress-reducing conversation instead" in said and "a break" in said and "stop for today" in said
    assert "no reason needed" in said and "is this right for us?" in said
    assert "Alex" not in said and "Sam" not in said  # it names no one


async def test_the_low_check_in_offer_is_true_and_actionable(tmp_path):
    """Issue 17: inside a stress-reducing talk it offered a stress-reducing talk, and no key switched ritual."""
    from heartline.tui.keys import key, mood_key
    from heartline.tui.screens.dialogs import ConfirmScreen
    from heartline.tui.screens.session import SessionScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("stress-reducing", "Alex", "Sam", speak=60, reflect=30, rounds=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key("left", "done"), key("right", "done"))
        clock.advance(2)
        await pilot.press(mood_key("left", 1), key("left", "done"), mood_key("right", 2), key("right", "done"))
        await pilot.pause()
        first = app.screen
        said = text_of(first, "#stage-body")
        assert "stress-reducing" not in said  # never the ritual they are already in
        assert "c: appreciation round instead" in said
        await pilot.press("i")  # the safety page, from the low check-in
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen is not first
        assert app.screen.plan.protocol == "appreciation-round" and app.screen.plan.left == "Alex"
        assert app.screen.engine.ritual.id == "appreciation-round"


async def test_a_check_out_at_one_gets_a_gentle_word_and_the_safety_key(tmp_path):
    """Issue 16: a check-out at 1 got "Thank you both." and nothing else."""
    from heartline.tui.keys import key, mood_key

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("appreciation-round", "Alex", "Sam", speak=5, reflect=5, rounds=1,
                                                rules=False))
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen
        clock.advance(2)
        await pilot.press(mood_key("left", 3), key("left", "done"), mood_key("right", 4), key("right", "done"))
        clock.advance(2)
        await pilot.press(key("left", "done"), key("right", "done"))
        for _ in range(20):  # let every turn run out
            if session.engine.state().stage.value != "floor":
                break
            clock.advance(30)
            await pilot.pause()
        assert session.engine.state().stage.value == "check-out"
        clock.advance(2)
        await pilot.press(mood_key("left", 1), key("left", "done"), mood_key("right", 4), key("right", "done"))
        await pilot.pause()
        said = text_of(session, "#stage-body")
        assert "hard for one of you" in said and "i: is this right for us?" in said
        assert "Alex" not in said.split("\n", 2)[-1] and "Sam" not in said  # never who
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)


async def test_the_safety_page_is_shown_once_before_the_first_session_and_speaks_of_coercion(tmp_path):
    app = make_app(tmp_path, ManualClock(), SessionPlan("speaker-listener", "Alex", "Sam"), first_safety=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        page = text_of(app.screen, "#safety-page")
        for words in ("pressing a partner into sessions", "reading their notes", "quoting what they said here"):
            assert words in page.replace("\n", " ")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.engine.stage.value == "rules"
    assert prefs.load(tmp_path / "config").told_safety
    from heartline.tui.app import _config
    from heartline.tui.cli import StartOptions

    again = _config(StartOptions(data_dir=tmp_path / "data", config_dir=tmp_path / "config"))
    assert not again.first_safety  # once


async def test_a_check_in_at_three_or_more_offers_nothing(tmp_path):
    said = await _checked_in(tmp_path, 3, 5)
    assert "stress-reducing" not in said and "another time" not in said


async def _to_the_summary(tmp_path, before: tuple[int, int], after: tuple[int, int] | None):
    """A short appreciation round with a check-in, to the summary; `after` None stops at the check-in."""
    from heartline.tui.keys import key, mood_key
    from tests.apps import until

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("appreciation-round", "Alex", "Sam", speak=5, reflect=5, rounds=1,
                                                rules=False))
    pilot_cm = app.run_test(size=(80, 24))
    pilot = await pilot_cm.__aenter__()
    session = app.screen
    clock.advance(2)
    await pilot.press(mood_key("left", before[0]), key("left", "done"), mood_key("right", before[1]),
                      key("right", "done"))
    clock.advance(2)
    if after is None:
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
    else:
        await pilot.press(key("left", "done"), key("right", "done"))
        for _ in range(20):
            if session.engine.state().stage.value != "floor":
                break
            clock.advance(30)
            await pilot.pause()
        clock.advance(2)
        await pilot.press(mood_key("left", after[0]), key("left", "done"), mood_key("right", after[1]),
                          key("right", "done"))
        clock.advance(2)
        await pilot.press(key("left", "done"), key("right", "done"))
    from heartline.tui.screens.summary import SummaryScreen

    await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
    return app, pilot, pilot_cm


async def test_the_summary_after_a_check_out_at_one_has_a_gentle_line_and_the_safety_key(tmp_path):
    """Issue 16: the summary after a check-out at 1 said "Thank you both." and nothing else."""
    app, pilot, cm = await _to_the_summary(tmp_path, (3, 4), (1, 4))
    try:
        summary = app.screen
        said = text_of(summary, "#gentle")
        assert "hard for one of you" in said and "i: is this right for us?" in said
        assert "Alex" not in said and "Sam" not in said  # never who
        assert summary.query_one("#gentle").region.bottom <= 24  # seen without scrolling, at 80×24
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is summary
    finally:
        await cm.__aexit__(None, None, None)


async def test_the_summary_after_a_low_check_in_you_stopped_at_offers_the_safety_key(tmp_path):
    app, pilot, cm = await _to_the_summary(tmp_path, (2, 4), None)
    try:
        said = text_of(app.screen, "#gentle")
        assert "no reason" in said and "i: is this right for us?" in said
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
    finally:
        await cm.__aexit__(None, None, None)


async def test_the_summary_after_a_good_check_out_offers_no_gentle_line(tmp_path):
    app, pilot, cm = await _to_the_summary(tmp_path, (2, 4), (3, 4))  # low before, better after: nothing to add
    try:
        summary = app.screen
        assert not summary.query("#gentle")
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is summary
    finally:
        await cm.__aexit__(None, None, None)


async def test_temperature_reading_and_appreciation_round_offer_no_i_statement_and_no_listener_reflection_rule(
        tmp_path):
    """Issue 17 item 9: the ground rules of a temperature reading offered "s: prepare an I-statement" (its first
    turns are appreciations and news) and rules that do not fit these rituals."""
    from heartline.tui.keys import key

    for ritual in ("temperature-reading", "appreciation-round"):
        app = make_app(tmp_path / ritual, ManualClock(), SessionPlan(ritual, "Alex", "Sam", speak=5, reflect=5,
                                                                     rounds=1))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            session = app.screen
            assert session.engine.state().stage.value == "rules"
            said = " ".join(text_of(session, sel) for sel in ("#stage-body", "#stage-left", "#stage-right"))
            assert "I-statement" not in said, ritual
            assert "does not argue, defend or solve" not in said and "reflect back" not in said, ritual
            assert "Either of us can say not now." in said and "Nothing said here is used against" in said
            assert session.engine.note_kind("left") == "" and session.engine.note_kind("right") == ""
            await pilot.press(key("left", "note"))
            await pilot.pause()
            assert app.screen is session  # no box opens
