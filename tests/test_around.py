"""Around the floor, driven with the pilot: home, setup, ground rules, sealed check-in, closing, commitments."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, Select

from heartline.sessions import prefs, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of, until
from heartline.tui.keys import key
from heartline.tui.screens.home import HomeScreen
from heartline.tui.screens.session import SessionScreen
from heartline.tui.screens.setup import SetupScreen
from heartline.tui.screens.summary import SummaryScreen


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


def saved(tmp_path) -> dict:
    files = sorted((tmp_path / "data" / "sessions").glob("*.toml"))
    assert len(files) == 1, files
    return tomllib.loads(files[0].read_text(encoding="utf-8"))


async def play_floor(pilot, clock, notes: dict[str, str] | None = None) -> None:
    """Each floor-holder speaks 4 s and presses done; in collecting phases they first write a note."""
    screen = pilot.app.screen
    while screen.engine.stage is Stage.FLOOR:
        state = screen.engine.state()
        side = state.floor
        clock.advance(4)
        if state.step.together:  # a phase the two do together: each says yes
            await pilot.press(key("left", "done"), key("right", "done"))
            continue
        if state.step.phase.collect and notes:
            await pilot.press(key(side, "note"))
            await pilot.press(*notes[f"{state.step.phase.collect}-{side}"], "enter")
        await pilot.press(key(side, "done"))


async def test_home_setup_rules_sealed_checkin_session_appreciation_checkout(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await until(pilot, lambda: app.first_frame_shown)  # home looks back just after its first frame
        assert "Whenever you are ready" in text_of(app.screen, "#last-time")
        await pilot.press("s")
        assert isinstance(app.screen, SetupScreen)
        setup = app.screen
        await type_into(pilot, "#left", "Alex")
        await type_into(pilot, "#right", "Sam")
        setup.query_one("#ritual", Select).value = "speaker-listener"
        setup.query_one("#preset", Select).value = "custom"
        await pilot.pause()
        await type_into(pilot, "#speak", "20s")
        await type_into(pilot, "#reflect", "10")
        await type_into(pilot, "#rounds", "1")
        setup.query_one("#deck", Select).value = "dreams"
        await type_into(pilot, "#topic", "Money")
        await pilot.press("ctrl+r")  # what was typed is not thrown away on one key
        assert setup.query_one("#topic", Input).value == "Money"
        await pilot.press("ctrl+r")
        first = setup.query_one("#topic", Input).value
        assert first != "Money"
        assert "pass is always fine" in str(setup.query_one("#topic", Input).border_subtitle)
        await pilot.press("ctrl+r")  # redraw
        drawn = setup.query_one("#topic", Input).value
        assert drawn and drawn != first
        await pilot.press("ctrl+s")
        await pilot.pause()

        screen = app.screen
        assert isinstance(screen, SessionScreen)
        engine = screen.engine
        # "Is now a good time?" (issue 18): asked of Sam, who listens first; now
        assert engine.stage is Stage.GOOD_TIME and engine.state().asked == "right"
        clock.advance(1)
        await pilot.press("j")
        # ground rules: not started until both agreed
        assert engine.stage is Stage.RULES
        assert "One speaker at a time" in text_of(screen, "#stage-body")
        await pilot.press("f")
        clock.advance(30)
        screen.refresh_state()
        assert engine.stage is Stage.RULES and engine.turns == []
        await pilot.press("j")
        assert engine.stage is Stage.CHECKIN

        # sealed check-in: Alex answers 2 with a word, Sam has not answered yet
        await pilot.press("2", "s")
        await pilot.press(*"tired", "enter")
        await pilot.press("f")
        left_box, right_box = text_of(screen, "#stage-left"), text_of(screen, "#stage-right")
        assert "sealed" in left_box and "tired" not in left_box and "low" not in left_box.split("\n", 2)[1]
        assert "feels" not in left_box + right_box
        await pilot.press("7")  # Sam: 4 (the right runs 0 … 6), chosen but not sealed yet
        assert "feels" not in text_of(screen, "#stage-left")
        await pilot.press("j")
        left_box, right_box = text_of(screen, "#stage-left"), text_of(screen, "#stage-right")
        assert "feels 2 · low" in left_box and "“tired”" in left_box and "feels 4 · good" in right_box
        clock.advance(1)  # the answers read: a "ready" now is meant (issue 17 item 2)

        # softened start-up for the first speaker, then begin
        await pilot.press("s")
        await pilot.press(*"hopeful", "enter", *"the holidays", "enter", *"us to plan together", "enter")
        await pilot.press("f")
        assert engine.stage is Stage.CHECKIN and "✓ ready" in text_of(screen, "#stage-left")  # Sam too, please
        await pilot.press("j")
        assert engine.stage is Stage.FLOOR
        assert "I feel hopeful about the holidays and I need us to plan together." in text_of(
            screen, "#pane-left #istatement")

        await play_floor(pilot, clock, {"appreciation-left": "the soup on Tuesday",
                                        "appreciation-right": "you listened"})
        assert engine.stage is Stage.CHECKOUT
        await pilot.press("4", "f", "6")
        assert "feels" not in text_of(screen, "#stage-left")  # Alex's answer stays sealed for now
        await pilot.press("j")
        clock.advance(1)
        await pilot.press("f", "j")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        # what is kept: the shape by default; the couple choose their words too, and both say yes to the moods
        assert "What do you keep of this session?" in text_of(app.screen, "#keep")
        await pilot.press("2")
        assert "Keep your check-in numbers? Only if you both say yes" in text_of(app.screen, "#keep")
        await pilot.press("f")
        assert "Alex: yes ✓ · Sam: …" in text_of(app.screen, "#keep")
        await pilot.press("j")
        assert "the check-in numbers kept" in text_of(app.screen, "#keep")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "last time: today, Speaker–listener" in text_of(app.screen, "#last-time")

    rec = saved(tmp_path)
    assert rec["status"] == "completed" and rec["ground_rules_agreed"] is True
    assert rec["topic"] == drawn and rec["topic_deck"] == "dreams"
    assert rec["settings"]["speak_seconds"] == 20 and rec["settings"]["reflect_seconds"] == 10
    assert rec["settings"]["rounds"] == 1 and rec["settings"]["closing_appreciation"] is True
    left, right = rec["partners"]
    assert (left["mood_before"], left["feeling_before"], left["mood_after"]) == (2, "tired", 4)
    assert (right["mood_before"], right["mood_after"]) == (4, 5) and "feeling_before" not in right
    assert left["i_statement"] == "I feel hopeful about the holidays and I need us to plan together."
    assert [t["phase"] for t in rec["turns"]] == ["speak", "reflect", "confirm", "more"] * 2 + ["appreciate"] * 2
    assert rec["turns"][0]["started_offset_seconds"] == 32  # after "now" (1 s), the rules and check-in (1 s to read it)
    appreciations = [(n.get("by"), n["text"]) for n in rec["notes"] if n["kind"] == "appreciation"]
    assert appreciations == [(None, "the soup on Tuesday"), (None, "you listened")]  # a note keeps no author
    remembered = prefs.load(tmp_path / "config")
    assert (remembered.left, remembered.right, remembered.speak, remembered.deck) == ("Alex", "Sam", 20, "dreams")


async def test_state_of_the_union_commitments_show_on_home_and_can_be_kept(tmp_path):
    clock = ManualClock()
    plan = SessionPlan("state-of-the-union", "Alex", "Sam", speak=10, reflect=5, checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f", "j")
        await play_floor(pilot, clock, {
            "appreciation-left": "you made tea", "appreciation-right": "your patience",
            "commitment-left": "Cook together on Friday", "commitment-right": "A walk, phones at home",
        })
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Cook together on Friday" in text_of(app.screen, "#shared")
        await pilot.press("2")  # keep our words too: the commitments (the shape alone keeps no note's text)
        await pilot.press("enter")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        listed = [str(o.prompt) for o in home.query_one("#commitments").options]
        # the one asked "what would make you feel loved?" offers: Sam first (Alex answered first)
        assert listed == ["[ ] open  Sam: A walk, phones at home", "[ ] open  Alex: Cook together on Friday"]
        home.query_one("#commitments").focus()
        await pilot.press("down", "j")  # the second is Alex's: Sam cannot mark it
        await pilot.pause()
        assert str(home.query_one("#commitments").options[1].prompt).startswith("[ ] open")
        await pilot.press("f")  # Alex marks their own
        await pilot.pause()
        listed = [str(o.prompt) for o in home.query_one("#commitments").options]
        assert listed[1] == "[✓] kept  Alex: Cook together on Friday"
    rec = saved(tmp_path)
    commitments = [(n["by"], n["text"], n["status"]) for n in rec["notes"] if n["kind"] == "commitment"]
    assert commitments == [("right", "A walk, phones at home", "open"), ("left", "Cook together on Friday", "kept")]


async def test_unusual_names_round_trip_and_empty_name_is_refused(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock)
    left, right = '😀 "Al" \\ O\'Neil', "سام"
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        setup = app.screen
        await type_into(pilot, "#left", "   ")
        await type_into(pilot, "#right", "Sam")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SetupScreen)
        assert "left partner's name is empty" in text_of(setup, "#error")
        assert app.focused is setup.query_one("#left")
        setup.query_one("#left", Input).value = left
        setup.query_one("#right", Input).value = right
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert left in text_of(screen, "#stage-left") and right in text_of(screen, "#stage-right")
        app.config.clock.advance(1)
        await pilot.press("j")  # "Is now a good time?" (issue 18): now
        app.config.clock.advance(1)  # the rules read: Sam's j agrees, not "now" again
        await pilot.press("f", "j", "3", "f", "8", "j")
        app.config.clock.advance(1)  # the answers read
        await pilot.press("f", "j")
        assert left in text_of(screen, "#pane-left #who")
        await pilot.press("escape", "y")
        await pilot.pause()
    rec = saved(tmp_path)
    assert [p["name"] for p in rec["partners"]] == [left, right]
    assert rec["id"].endswith("-right")  # an all-Arabic name gets a plain fallback in the file name
