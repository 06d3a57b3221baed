"""Where a screen asks to go next.

Screens never import each other (each would drag the next one in, and they
went round in a circle: home, setup, session, summary, home). A screen posts
`Go("setup")`, or `Go("summary", record, path, switch=True)`; the message
bubbles up to the app, which alone builds the next screen (`ROUTES`, imported
only when first shown, so start-up pays for none of them). A screen that
wants an answer back passes `then`, called with what that screen dismissed
with, as `push_screen` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message

# name -> (module under tui/screens, class)
ROUTES: dict[str, tuple[str, str]] = {
    "home": ("home", "HomeScreen"),
    "setup": ("setup", "SetupScreen"),
    "session": ("session", "SessionScreen"),
    "summary": ("summary", "SummaryScreen"),
    "later": ("later", "LaterScreen"),
    "history": ("history", "HistoryScreen"),
    "trends": ("trends", "TrendsScreen"),
    "safety": ("safety", "SafetyScreen"),
    "rituals": ("rituals", "RitualsScreen"),
    "settings": ("settings", "SettingsScreen"),
    "timeout": ("timeout", "TimeoutScreen"),
    "recover": ("recover", "RecoverScreen"),
    "repair": ("repair", "RepairScreen"),
    "save-elsewhere": ("recover", "SaveElsewhereScreen"),
    "handoff": ("handoff", "HandoffScreen"),
}


class Go(Message):
    """Show the screen named `where`, built with `args`; over this one, or instead of it (`switch`)."""

    def __init__(self, where: str, *args: Any, switch: bool = False, then: Callable[[Any], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__()
        if where not in ROUTES:
            raise ValueError(f"no screen is called {where!r}")
        self.where, self.args, self.kwargs = where, args, kwargs
        self.switch, self.then = switch, then
