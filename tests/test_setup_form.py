"""The setup form: a fixed focus order, focus that is easy to see, errors that clear when fixed."""

from __future__ import annotations

from textual.widgets import Input, Select

from heartline.sessions import prefs
from heartline.sessions.durations import human_duration
from heartline.sessions.engine import estimate_seconds
from heartline.sessions.setup import SessionPlan
from heartline.sessions.clock import ManualClock
from heartline.tui.screens.setup import SetupScreen
from tests.apps import make_app, text_of


async def open_setup(pilot):
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SetupScreen)
    return pilot.app.screen


async def test_a_name_typed_into_the_ritual_list_changes_nothing_and_says_where_it_went(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        before = screen.query_one("#ritual", Select).value
        await pilot.press(*"Alex", "tab", "tab", *"Jo Ann", "enter")
        await pilot.pause()
        assert screen.query_one("#ritual", Select).value == before
        assert "ritual" in text_of(screen, "#error").lower()


async def test_first_focus_is_the_left_name_whatever_was_saved(tmp_path):
    prefs.save(tmp_path / "config", prefs.Prefs(left="Alex", right="Sam"))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        assert screen.focused is screen.query_one("#left", Input)


async def test_first_focus_is_the_left_name_with_custom_lengths_remembered(tmp_path):
    """Seen with tui-drive: remembered custom lengths put the first focus in the speak box, so 'fj' went there."""
    prefs.save(tmp_path / "config", prefs.Prefs(left="Alex", right="Sam", speak=5, reflect=3))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        await pilot.pause()
        assert screen.focused is screen.query_one("#left", Input)


async def test_focus_order_names_ritual_lengths_topic_start(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        order = []
        for _ in range(20):
            order.append(screen.focused.id)
            await pilot.press("tab")
            if screen.focused.id == "left":
                break
        wanted = ["left", "right", "ritual", "preset", "speak", "reflect", "rounds", "topic", "start"]
        assert [f for f in order if f in wanted] == wanted


async def test_the_focused_field_is_marked_by_shape_not_colour_alone(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        left, right = screen.query_one("#left"), screen.query_one("#right")
        assert left.has_focus
        assert left.styles.border_top[0] != right.styles.border_top[0]


async def test_an_error_clears_when_the_field_is_fixed(tmp_path):
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press(*"Alex", "tab", *"Sam")
        screen.query_one("#preset", Select).value = "custom"
        await pilot.pause()
        screen.query_one("#speak", Input).focus()
        await pilot.press(*"2 hours")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "speak" in text_of(screen, "#error").lower()
        assert screen.focused is screen.query_one("#speak", Input)
        screen.query_one("#speak", Input).value = ""
        await pilot.press(*"2m")
        await pilot.pause()
        assert text_of(screen, "#error") == ""
        assert isinstance(app.screen, SetupScreen)  # fixing does not start the session


async def test_setup_says_which_steps_keep_their_own_length(tmp_path):
    """Typed lengths scale the rest; the yes-or-no answers and a fixed step do not, and setup now says so."""
    prefs.save(tmp_path / "config", prefs.Prefs(left="Alex", right="Sam", protocol="stress-reducing"))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_setup(pilot)
        assert "own length" not in text_of(screen, "#ritual-about")  # nothing typed: nothing to warn about
        screen.query_one("#speak", Input).value = "8s"
        await pilot.pause()
        about = text_of(screen, "#ritual-about")
        assert "These keep their own length: Affection (0:30) · Closing appreciations (0:45)." in about
        ritual = app.rituals.get("stress-reducing")
        with_closing, without = (human_duration(estimate_seconds(ritual, SessionPlan(
            "stress-reducing", "A", "B", speak=8, closing_appreciation=on).settings(ritual))) for on in (True, False))
        assert with_closing != without  # the closing round's 2 × 45 s show in whole minutes
        assert f"about {with_closing} if every turn takes all its time" in about  # before: the estimate left the closing round out
        await pilot.click("#closing Switch")
        await pilot.pause()
        about = text_of(screen, "#ritual-about")
        assert "These keep their own length: Affection (0:30)." in about and f"about {without} if every turn takes all its time" in about
        screen.query_one("#ritual", Select).value = "speaker-listener"
        await pilot.pause()
        assert "each yes-or-no answer (0:20)" in text_of(screen, "#ritual-about")


async def test_the_rituals_list_and_setup_give_one_estimate(tmp_path):
    """Issue 17, item 18: Rituals said "about 24 min" where setup said "about 25 min" (the closing round)."""
    import re

    from heartline.tui.screens.rituals import RitualsScreen

    prefs.save(tmp_path / "config", prefs.Prefs(speak=10, reflect=10))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RitualsScreen)
        listed = {}
        for static in app.screen.query(".ritual"):
            text = str(static.content)
            listed[re.search(r"\(([\w-]+)\)", text).group(1)] = re.search(r"about ([\w ]+?)\n", text).group(1)
        await pilot.press("escape")
        screen = await open_setup(pilot)
        for ritual in app.rituals:
            screen.query_one("#ritual", Select).value = ritual.id
            await pilot.pause()
            about = text_of(screen, "#ritual-about")
            assert f"about {listed[ritual.id]} if every turn takes all its time" in about, (ritual.id, about)
