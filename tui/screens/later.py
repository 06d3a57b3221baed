"""After "later, within a day": the one asked "Is now a good time?" said not now, and that is all right.

Nothing was said, so nothing is kept (no record, no journal); the names stay
remembered for when you come back. No summary: there is nothing to sum up.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..routes import Go
from ..widgets.too_small import GuardedScreen
from .dialogs import NOTHING_SAID

TITLE = "Later, then. That is fine."
# No box to agree a time in: heartline keeps nothing of a run that never began, so a time could not be kept either.
AGREE = "Choose a time together, within the next day, and keep it between you: heartline keeps no time for it."
WORDS = (f"{AGREE} {NOTHING_SAID}\n\n"
         "Saying not now is part of talking well: it keeps the talk for a time when you can both listen.")


class LaterScreen(GuardedScreen, Screen):
    """A calm end before anything began; enter goes home."""

    DEFAULT_CSS = """
    LaterScreen VerticalScroll { padding: 1 2; }
    LaterScreen #later-title { text-style: bold; color: $primary; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("enter,h,escape", "home", "Home", id="later.home"),
        Binding("q", "quit_app", "Quit", id="later.quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(TITLE, id="later-title", markup=False)
            yield Static(WORDS, id="later-words", markup=False)
        yield Footer()

    def action_home(self) -> None:
        self.post_message(Go("home", switch=True))

    def action_quit_app(self) -> None:
        self.app.exit()
