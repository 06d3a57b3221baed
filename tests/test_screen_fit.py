"""What the screen says at 80×24, as a couple reads it (defects left from the last stop).

Each on the manual clock: an ordinary pause offers only what works while paused; the paused role line of a
kept floor fits one line; long and emoji names still tell each partner which keys are theirs; PREP's
saying-back is in the banner for as long as it lasts; the time-out asks when to come back without a box
popping up over the couple, and escape does what the time-out says.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Stage
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, later, text_of, to_the_floor

PREP = SessionPlan("speaker-listener", "Maya", "Jon", speak=90, reflect=20, rounds=1, topic="Holidays", checkin=False)


@asynccontextmanager
async def _on_the_floor(tmp_path, said_back: bool = False):
    """PREP at 80×24 on the manual clock, on Maya's floor; said_back: her chunk ended (f), Jon says it back."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PREP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        if said_back:
            await later(pilot, screen, clock, 10, "f")
        yield pilot, screen, clock


# ----- 1. an ordinary pause offers what works now, not the floor keys -------------------------------------------


async def test_an_ordinary_pause_offers_carrying_on_not_the_floor_keys_that_wait(tmp_path):
    async with _on_the_floor(tmp_path) as (pilot, screen, clock):
        assert "f done" in text_of(screen, "#keys-left")
        await later(pilot, screen, clock, 3, "space")  # an ordinary pause: nobody's question is waiting
        state = screen.engine.state()
        assert state.pause_kind == "pause" and not state.unanswered
        assert (state.left.done_means, state.left.not_quite_means) == ("", "")  # the engine offers no floor key
        for side, note in ((LEFT, "s note"), (RIGHT, "l note")):
            bar = text_of(screen, f"#keys-{side}")
            assert "space carry on" in bar and note in bar and "done" not in bar, bar
        await later(pilot, screen, clock, 5, "f")  # and indeed: done does nothing while paused
        assert screen.engine.state().step.kind == "speak" and screen.engine.state().paused
        await later(pilot, screen, clock, 2, "space")  # carry on: the floor keys are back
        assert "f done" in text_of(screen, "#keys-left") and "carry on" not in text_of(screen, "#keys-left")
        await later(pilot, screen, clock, 2, "f")  # Maya's chunk ends: Jon says it back
        await later(pilot, screen, clock, 5, "j")  # and Maya is asked: did he get it?
        await later(pilot, screen, clock, 2, "space")
        assert screen.engine.state().step.added == "confirm" and screen.engine.state().paused
        assert "f:" not in text_of(screen, "#pane-left #nudge")  # the pane does not offer the answer's keys either
        assert "space carry on" in text_of(screen, "#keys-left")


# ----- 2. paused on a kept floor: one line at 80 columns, still whose floor it is -----------------------------


async def test_paused_while_being_heard_fits_one_line_and_says_whose_floor(tmp_path):
    # Maya's chunk ends: Jon says it back, on her floor
    async with _on_the_floor(tmp_path, said_back=True) as (pilot, screen, clock):
        assert text_of(screen, "#pane-left #role") == "▶ Your floor · being heard ◀"
        await later(pilot, screen, clock, 3, "space")
        role = screen.query_one("#pane-left #role")
        words = text_of(screen, "#pane-left #role")
        assert words == "⏸ Paused · being heard", words  # not "▶ Your floor ◀": that reads as if Maya is to speak
        assert role.size.height == 1 and role.size.width == 36, role.size  # one line of the pane's 36 cells
        assert role.get_content_height(role.size, pilot.app.size, role.size.width) == 1
        other = text_of(screen, "#pane-right #role")
        assert "Paused" in other and screen.query_one("#pane-right #role").size.height == 1
        await later(pilot, screen, clock, 1, "r")  # a repair, while paused on his saying-back (as seen at 80×24)
        await later(pilot, screen, clock, 1, "3")
        assert screen.engine.state().repair and screen.engine.state().paused
        assert text_of(screen, "#pane-left #role") == "⏸ Paused · being heard"
        await later(pilot, screen, clock, 2, "space")  # carry on: the whole words again
        assert text_of(screen, "#pane-left #role") == "▶ Your floor · being heard ◀"
    async with make_app(tmp_path / "wide", ManualClock(), PREP).run_test(size=(120, 30)) as pilot:
        app = pilot.app
        clock = app.config.clock
        screen = await to_the_floor(pilot, app, clock)
        await later(pilot, screen, clock, 10, "f")
        await later(pilot, screen, clock, 3, "space")
        assert text_of(screen, "#pane-left #role") == "⏸ Paused · ▶ Your floor · being heard ◀"  # room: all of it


# ----- 3. long and emoji names: each partner still knows which keys are theirs ---------------------------------

LONG = SessionPlan("speaker-listener", 'Jon "JJ" O\'Brien', "Maya 🌸", speak=90, reflect=20, rounds=1,
                   checkin=True, good_time=True)


def _own_bar(bar: str, name: str, room: int = 80 // 2 - 2) -> None:
    """A partner's bar fits its half and begins with their whole name, or its first word: never a cut one."""
    from rich.cells import cell_len

    assert cell_len(bar) <= room, (bar, cell_len(bar))
    assert "…" not in bar, bar
    assert bar == name or bar.startswith(f"{name}: ") or bar.startswith(f"{name.split()[0]}: "), bar


async def test_long_and_emoji_names_keep_their_key_bars_whole_at_80_columns(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LONG)
    names = {LEFT: 'Jon "JJ" O\'Brien', RIGHT: "Maya 🌸"}
    seen = []

    async def look(what):
        await pilot.pause()
        for side in (LEFT, RIGHT):
            bar = text_of(app.screen, f"#keys-{side}")
            seen.append((what, bar))
            _own_bar(bar, names[side])

    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.engine.stage is Stage.GOOD_TIME
        await look("good time")
        assert text_of(screen, "#keys-right") == "Maya 🌸: j now · k later, within a day"  # the emoji's 2 cells fit
        await later(pilot, screen, clock, 2, "j")
        await later(pilot, screen, clock, 2, "f")
        await look("rules, one agreed")
        assert text_of(screen, "#keys-left").startswith("Jon: ")  # 'Jon "JJ" O'B…' was a cut name
        await later(pilot, screen, clock, 2, "j")
        assert screen.engine.stage is Stage.CHECKIN
        await look("check-in")
        await later(pilot, screen, clock, 1, "4", "7")
        await later(pilot, screen, clock, 1, "f", "j")
        await later(pilot, screen, clock, 2, "f", "j")
        assert screen.engine.stage is Stage.FLOOR
        await look("floor")
        await later(pilot, screen, clock, 3, "space")
        await look("paused")
        assert text_of(screen, "#keys-left") == "Jon: space carry on · s note"
        assert text_of(screen, "#keys-right") == "Maya 🌸: space carry on · l note"
    assert len(seen) == 10
    # the rule itself: whole, else the first word (unless both begin alike), else cut by cells, with an ellipsis
    from heartline.tui.screens.session import fitted_name

    assert fitted_name("Maya 🌸", 7) == "Maya 🌸" and fitted_name("Maya 🌸", 6) == "Maya"
    assert fitted_name('Jon "JJ" O\'Brien', 10) == "Jon"
    assert fitted_name("Sam Lee", 5, other="Sam Cho") == "Sam…" and fitted_name("Sam Lee", 5, other="Ann") == "Sam"
    assert fitted_name("Bartholomew", 6) == "Barth…" and fitted_name("🌸🌸🌸🌸", 5) == "🌸🌸…"


# ----- 4. PREP's banner stays as long as the floor is said back ------------------------------------------------


async def test_the_saying_back_banner_stays_as_long_as_the_step(tmp_path):
    # Maya's chunk ends: Jon says it back
    async with _on_the_floor(tmp_path, said_back=True) as (pilot, screen, clock):
        said = "Maya has the floor — Jon is saying back what they heard"
        assert text_of(screen, "#banner") == said and screen.query_one("#banner").has_class("-shown")
        for _ in range(3):  # long after the cue's few seconds, all through the saying-back
            await later(pilot, screen, clock, 5)
            assert screen.engine.state().floor_owner == LEFT and screen.engine.state().floor == RIGHT
            assert text_of(screen, "#banner") == said and screen.query_one("#banner").has_class("-shown")
        await later(pilot, screen, clock, 1, "space")  # a pause says so; carrying on, the banner is back
        assert "Paused" in text_of(screen, "#banner")
        await later(pilot, screen, clock, 1, "space")
        assert text_of(screen, "#banner") == said
        await later(pilot, screen, clock, 2, "j")  # Jon has said it back: Maya is asked, and the banner moves on
        assert "saying back" not in text_of(screen, "#banner")
        await later(pilot, screen, clock, 5)
        assert "saying back" not in text_of(screen, "#banner")


# ----- 5. the time-out asks when to come back on its own screen; escape does what it says -----------------------


async def test_the_time_out_asks_when_to_come_back_without_a_box_and_escape_ends_as_it_says(tmp_path):
    from heartline.tui.screens.dialogs import ConfirmScreen
    from heartline.tui.screens.timeout import ReturnTimeScreen, TimeoutScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, PREP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await later(pilot, screen, clock, 3, "t")
        timeout = app.screen
        assert isinstance(timeout, TimeoutScreen)
        for _ in range(4):  # the moment to take it back passes, and a while after: no box pops up over the couple
            clock.advance(5.5)
            await pilot.pause()
            timeout.redraw()
            await pilot.pause()
            assert app.screen is timeout
        assert "When shall we come back? a: agree a time" in text_of(timeout, "#agreed")  # asked, in words
        assert "esc ends the session instead (it asks first)" in text_of(timeout, "#return")
        await pilot.press("escape")  # what the screen says: the session ends (it asks first)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "End the session" in app.screen.question
        await pilot.press("n")  # not now: back to the time-out
        await pilot.pause()
        assert app.screen is timeout
        await pilot.press("a")  # the box opens when asked for, and its escape does what it says: not now
        await pilot.pause()
        box = app.screen
        assert isinstance(box, ReturnTimeScreen)
        assert any("esc: not now" in str(label.render()) for label in box.query("Label.muted"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is timeout and timeout.engine.state().return_at is None
        await pilot.press("a", "ctrl+u", "3", "0", "enter")  # agreed: 30 minutes
        await pilot.pause()
        assert app.screen is timeout and "Back at" in text_of(timeout, "#agreed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_the_saying_back_banner_counts_an_emoji_name_in_cells(tmp_path):
    clock = ManualClock()
    plan = SessionPlan("speaker-listener", 'Jon "JJ" O\'Brien', "Maya 🌸🌸🌸🌸🌸🌸🌸", speak=90, reflect=20, rounds=1,
                       checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await later(pilot, screen, clock, 10, "f")
        await later(pilot, screen, clock, 6, "")  # the cue has gone; the banner stays
        from rich.cells import cell_len

        banner = text_of(screen, "#banner")
        assert banner == 'Jon "JJ" O\'Brien has the floor — Maya 🌸🌸🌸🌸🌸🌸🌸 is saying it back'
        assert cell_len(banner) <= 80 - 2


# ----- 6. the line under both panes says what space does now ------------------------------------------------


async def test_the_shared_line_says_space_carries_on_while_paused(tmp_path):
    """Seen at 80×24: paused, the key bars said "space carry on" but the line under them still "space pause"."""
    async with _on_the_floor(tmp_path) as (pilot, screen, clock):
        assert text_of(screen, "#keys-shared").startswith("space pause · r repair")
        await later(pilot, screen, clock, 3, "space")
        shared = text_of(screen, "#keys-shared")
        assert shared.startswith("space carry on · r repair · t time-out") and "space pause" not in shared, shared
        assert "space carry on" in text_of(screen, "#keys-left")  # the same words as the key bars
        await later(pilot, screen, clock, 2, "space")  # carried on: space pauses again
        assert text_of(screen, "#keys-shared").startswith("space pause · r repair")


# ----- 7. a question's clock runs: the listener is not told "no hurry" beside it --------------------------------


async def test_at_did_they_get_it_the_clock_runs_and_no_pane_says_no_hurry(tmp_path):
    """Seen at 80×24: "Waiting for …'s answer · no hurry" beside the speaker's big clock counting down."""
    # Maya's chunk ends: Jon says it back
    async with _on_the_floor(tmp_path, said_back=True) as (pilot, screen, clock):
        await later(pilot, screen, clock, 5, "j")  # and Maya is asked: did he get it?
        state = screen.engine.state()
        assert state.step.added == "confirm" and state.floor == LEFT and not state.paused
        before, shown_before = state.time_left, text_of(screen, "#pane-left #clock")
        await later(pilot, screen, clock, 4)  # the engine's clock for the question runs...
        assert screen.engine.state().time_left == before - 4
        assert text_of(screen, "#pane-left #clock") != shown_before  # ...and the speaker's pane shows it moving
        assert "the clock above is yours" in text_of(screen, "#pane-left #timeline")
        listener = text_of(screen, "#pane-right #timeline")
        assert listener == "Waiting for Maya's answer" and "hurry" not in listener, listener
