"""The time-out: a long, quiet break with a breathing pacer.

Couples are taught that a flooded body needs at least twenty minutes to settle,
so that is the default. Both partners press their done key to come back early;
the session then resumes exactly where it was.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Static

from heartline.sessions.durations import format_duration
from heartline.sessions.engine import LEFT, RIGHT, SIDES, Action, Engine

from .. import keys
from ..keys import default, key
from ..widgets.too_small import GuardedScreen

BREATH = (("Breathe in", 4), ("Hold", 4), ("Breathe out", 4), ("Hold", 4))
CYCLE = sum(seconds for _, seconds in BREATH)
STILL_BREATH = "Breathe in for 4 · hold for 4 · breathe out for 4 · hold for 4"  # reduced motion


def breath_at(seconds: float) -> tuple[str, int, float]:
    """Which step of the 4·4·4·4 breath we are in, the second within it, and how full the lungs are (0..1)."""
    t = seconds % CYCLE
    for i, (word, length) in enumerate(BREATH):
        if t < length:
            fill = {0: t / length, 1: 1.0, 2: 1 - t / length, 3: 0.0}[i]
            return word, int(t) + 1, fill
        t -= length
    return BREATH[0][0], 1, 0.0


class TimeoutScreen(GuardedScreen, ModalScreen[None]):
    """Covers the session while both partners take a break."""

    CSS_PATH = "timeout.tcss"
    TOO_SMALL_NOTE = "The time-out goes on underneath."
    BINDINGS = [
        Binding(default(f"{LEFT}.done"), "back('left')", "Left: ready to return", id="left.done"),
        Binding(default(f"{RIGHT}.done"), "back('right')", "Right: ready to return", id="right.done"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    def compose(self) -> ComposeResult:
        with Vertical(id="calm"):
            yield Static("TIME-OUT", id="title")
            yield Static("Step away, breathe, come back when your body has settled.", id="why")
            yield Digits(id="countdown")
            yield Static(id="breath-word")
            yield Static(id="breath-shape")
            yield Static(id="return", markup=False)

    def on_mount(self) -> None:
        self._leaving = False
        self.set_interval(self.app.config.redraw_seconds, self.redraw)
        self.redraw()

    def redraw(self) -> None:
        if self._leaving or self not in self.app.screen_stack:
            return  # already popped (the session ended under it): a dismiss now would pop the summary
        state = self.engine.state()
        if state.pause_kind != "time-out":
            self._leaving = True  # dismiss once: a second dismiss would pop the session too
            self.dismiss(None)
            return
        self.query_one("#countdown", Digits).update(format_duration(state.timeout_left))
        spent = self.engine.settings.timeout_seconds - state.timeout_left
        word, count, fill = breath_at(spent)
        if getattr(self.app.config, "reduced_motion", False):  # the same words, standing still
            word, count, fill = STILL_BREATH, 0, 0.0
        self.query_one("#breath-word", Static).update(f"{word} · {count}" if count else word)
        width = 2 + round(fill * 30)
        shape = Text(justify="center")
        for _ in range(0 if count == 0 else 1 + round(fill * 4)):
            shape.append(("●" * width) + "\n")
        self.query_one("#breath-shape", Static).update(shape)
        back = state.timeout_ready
        lines = []
        for side in SIDES:
            name = self.engine.partners[side].name
            lines.append(f"{name}: ✓ ready" if side in back else f"{name}: press {key(side, 'done')} when ready")
        self.query_one("#return", Static).update(Text(
            "   ·   ".join(lines) + "\nWe come back together when you have both pressed.\n\n"
            f"({keys.current().first('end')} ends the session instead; it asks first)",
            justify="center",
        ))

    def action_back(self, side: str) -> None:
        self.engine.press(side, Action.DONE)
        self.redraw()
