"""The app's own ways into a session apart (issue 19): setup's "One of us is elsewhere", home's "Join…".

Both open the connect screen (what goes over the network, how to stop; then
the code), whole at 80×24, by keys in BINDINGS with descriptions; escape goes
back and nothing is saved.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.tui.apart.screens import ConnectScreen
from heartline.tui.screens.home import HomeScreen
from heartline.tui.screens.setup import SetupScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.apps import make_app
from tests.whole import cut_text

SIZE = (80, 24)
pytestmark = pytest.mark.asyncio(loop_scope="session")  # Twisted's reactor: once a process, on one loop


async def until(pilot, condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"not within {timeout} s: {what}")


def app_with_relay(tmp_path, relay: str):
    (tmp_path / "config").mkdir()
    prefs.save(tmp_path / "config", prefs.load(tmp_path / "config").remember(relay=relay))
    app = make_app(tmp_path, ManualClock())
    app.config.first_safety = False
    return app


def described(screen, binding_id: str) -> str:
    found = [b for b in type(screen).BINDINGS if b.id == binding_id]
    assert found, binding_id
    return found[0].description


async def test_home_joins_a_session_from_elsewhere_asking_for_the_code(mailbox, tmp_path):
    app = app_with_relay(tmp_path, mailbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        assert described(app.screen, "home.join") == "Join a session from elsewhere"
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), "the connect screen")
        assert app.screen.role == "guest" and app.screen.relay == mailbox.url
        assert app.screen.query_one("#apart-input", Input).has_focus
        await pilot.pause()
        assert cut_text(app.screen) == []
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    assert not (tmp_path / "data" / "sessions").exists()


async def test_setup_starts_with_one_of_us_elsewhere_and_shows_a_code(mailbox, tmp_path):
    app = app_with_relay(tmp_path, mailbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen), "setup")
        assert described(app.screen, "setup.apart") == "One of us is elsewhere"
        app.screen.query_one("#left", Input).value = "Alex"
        app.screen.query_one("#right", Input).value = "Sam"
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen) and app.screen.link is not None
                    and app.screen.link.code, f"the code ({getattr(app.screen, 'problem', '')!r} {type(app.screen).__name__})")
        screen = app.screen
        assert screen.role == "host" and screen.plan.left == "Alex" and screen.plan.right == "Sam"
        assert screen.link.code in str(screen.query_one("#apart-code").render())
        await pilot.pause()
        assert cut_text(screen) == []
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConnectScreen), "back")
    assert not list((tmp_path / "data").glob("sessions/*.toml"))


async def test_a_bad_relay_in_settings_says_which_file_and_key(tmp_path):
    """Home's "Join…" with settings.toml's `relay` not an address: the toast names the file and the key."""
    app = app_with_relay(tmp_path, "http://relay.example.org")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # not started
        said = [n.message for n in app._notifications]
        assert any(f"{tmp_path / 'config' / 'settings.toml'}: relay:" in m and "not a relay address" in m
                   for m in said), said
