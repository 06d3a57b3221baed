"""Is this right for us? heartline is not therapy, and structured talk is not for every relationship.

Shown once before the first session, and reachable from home, help, the
time-out, and a low check-in or check-out. It names coercive use too: a tool
for talking can be turned into one for control. Generic words only: no
invented phone numbers, because the right number depends on where you live.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH, GuardedScreen

TITLE = "Is this right for us?"
PAGE = (
    "heartline is a quiet structure for two people who feel safe with each other. It is not therapy, "
    "and it cannot see or judge what happens between you.\n\n"
    "A structured talk is not for a relationship with fear, threats, violence or control. If one of you "
    "is afraid of the other, if someone checks, threatens or hurts, talking turns will not make it safe, "
    "and asking a partner to listen can make things worse. None of that is your fault.\n\n"
    "heartline is for two people who both want to be here. It is never to be used on someone: pressing a "
    "partner into sessions, reading their notes, or quoting what they said here back at them later turns "
    "it into a way to control. Either of you can say not now, and stop at any time.\n\n"
    "Where to find help:\n"
    "  •  In danger right now: call your local emergency number.\n"
    "  •  Fear, threats or control at home: a domestic-violence helpline or support service where you live "
    "can listen in confidence and help you plan; a doctor or a local advice service can tell you how to "
    "reach one.\n"
    "  •  Stuck in the same hard talk: a couples therapist or counsellor can help you both.\n"
    "  •  Feeling low or overwhelmed on your own: your doctor, or a crisis line in your country.\n\n"
    "In a session, the time-out key is always there. If you feel unsafe, leave and get help."
)


class SafetyScreen(GuardedScreen, ModalScreen[None]):
    """A short page, said plainly; escape goes back, once the page can be seen."""

    DEFAULT_CSS = """
    SafetyScreen { background: $background; }
    SafetyScreen VerticalScroll { padding: 1 2; }
    SafetyScreen #safety-title { text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,q", "back", "Back", id="safety.back")]

    TOO_SMALL_NOTE = "Nothing is lost: the page waits, and so do your keys."

    def __init__(self, on_seen: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.on_seen = on_seen  # called once the page has really been visible (the once-only page counts as shown)

    def _too_small(self) -> bool:
        return self.app.size.width < MIN_WIDTH or self.app.size.height < MIN_HEIGHT

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self._too_small()  # nobody can read it yet: escape must not close it unseen

    def on_mount(self) -> None:
        super().on_mount()
        self._seen()

    def on_resize(self) -> None:
        self._seen()
        self.refresh_bindings()

    def _seen(self) -> None:
        if self.on_seen is not None and not self._too_small():
            seen, self.on_seen = self.on_seen, None
            seen()

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(TITLE, id="safety-title", markup=False)
            yield Static(PAGE, id="safety-page", markup=False)
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)
