"""The app's own ways into a session apart: setup's "One of us is elsewhere", home's "Join a session from elsewhere".

Nothing of Twisted or wormhole is imported here or by the screens it opens
until a code is asked for (tui/apart/link.py).
"""

from __future__ import annotations


def _relay(app) -> str | None:
    from heartline.sessions import prefs

    from .link import PUBLIC_RELAY

    remembered = prefs.load(app.config.config_dir).relay
    problem = prefs.relay_problem(app.config.config_dir, remembered)
    if problem:
        app.notify(f"The relay cannot be used: {problem}", title="Not started", severity="warning", markup=False)
        return None
    return prefs.check_relay(remembered) if remembered else PUBLIC_RELAY


def start_apart(app, plan) -> None:
    """The setup's plan, started with one of the two elsewhere: the connect screen shows a code to read out."""
    from .screens import ConnectScreen

    relay = _relay(app)
    if relay is not None:
        app.switch_screen(ConnectScreen(relay, "host", plan))


def join(app) -> None:
    """Asks for the code the other reads out, then joins their session."""
    from .screens import ConnectScreen

    relay = _relay(app)
    if relay is not None:
        app.push_screen(ConnectScreen(relay, "guest"))
