"""The time-out: a long, quiet break with a breathing pacer, as the research has it.

A flooded body needs about twenty minutes to settle, so nobody comes back
before the minimum (a setting); the reason is said once, when someone tries.
A time-out pressed by mistake can be taken back in its first seconds; pause
stays the short break. Who is ready is never named, only how many of you are:
"Whenever you're both ready". Before stepping away you may agree a time to
come back; it is kept in the record and shown on home. Escape still ends the
session (the app asks first).
"""

from __future__ import annotations

import math

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Input, Label, Static

from heartline.sessions.durations import format_duration, human_duration
from heartline.sessions.engine import LEFT, RIGHT, RETURN_WITHIN_MINUTES, Action, Engine

from .. import keys
from ..keys import default, key
from ..widgets.too_small import GuardedScreen

GUIDE = (
    "Breathe slowly, and move if you can: a walk, a stretch, some water.\n"
    "Try not to rehearse the argument; rest your mind on something calm.\n"
    "If you feel unsafe, leave and get help."
)
TOO_SOON = "A flooded body needs about twenty minutes to settle."

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


def minutes_from(text: str, now) -> int | None:
    """'30' (minutes from now) or '19:40' (a clock time, today or tomorrow) as minutes from now; None if neither."""
    text = text.strip()
    if text.isdigit():
        minutes = int(text)
    elif ":" in text and all(part.isdigit() for part in text.split(":", 1)):
        hour, minute = (int(part) for part in text.split(":", 1))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            return None
        minutes = (hour * 60 + minute - (now.hour * 60 + now.minute)) % (24 * 60)
    else:
        return None
    return minutes if 0 < minutes <= RETURN_WITHIN_MINUTES else None


class ReturnTimeScreen(GuardedScreen, ModalScreen[int | None]):
    """An agreed time to come back: minutes from now or a clock time, within a day."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding(default("note.cancel"), "cancel", "Cancel", id="note.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("When shall we come back? (optional)", classes="title")
            yield Input(placeholder="30 (minutes) or 19:40", max_length=5, id="text")
            yield Label("", id="error", classes="muted")
            yield Label(f"enter: agree · {keys.current().first('note.cancel')}: not now", classes="muted", markup=False)

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        minutes = minutes_from(event.value, self.app.config.clock.now())
        if minutes is None:
            self.query_one("#error", Label).update("Minutes (like 30) or a time (like 19:40), within a day.")
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TimeoutScreen(GuardedScreen, ModalScreen[None]):
    """Covers the session while both partners take a break."""

    CSS_PATH = "timeout.tcss"
    TOO_SMALL_NOTE = "The time-out goes on underneath."
    BINDINGS = [
        Binding(default(f"{LEFT}.done"), "back('left')", "Ready to come back", id="left.done", show=False),
        Binding(default(f"{RIGHT}.done"), "back('right')", "Ready to come back", id="right.done", show=False),
        Binding(default("time-out.agree"), "agree", "Agree a time to come back", id="time-out.agree"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.told_why = False  # the reason for the minimum, said once when someone tries to come back early

    def compose(self) -> ComposeResult:
        with Vertical(id="calm"):
            yield Static("Time-out", id="title")
            yield Static("A break from the conversation, not from each other.", id="why")
            yield Digits(id="countdown")
            yield Static(id="breath-word")
            yield Static(id="breath-shape")
            yield Static(GUIDE, id="guide", markup=False)
            yield Static(id="agreed", markup=False)
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
        word, count, fill = breath_at(state.timeout_spent)
        if getattr(self.app.config, "reduced_motion", False):  # the same words, standing still
            word, count, fill = STILL_BREATH, 0, 0.0
        self.query_one("#breath-word", Static).update(f"{word} · {count}" if count else word)
        width = 2 + round(fill * 30)
        shape = Text(justify="center")
        for _ in range(0 if count == 0 else 1 + round(fill * 2)):
            shape.append(("●" * width) + "\n")
        self.query_one("#breath-shape", Static).update(shape)
        current = keys.current()
        if state.return_at is not None:
            agreed = f"Back at {state.return_at:%H:%M}, as you agreed. Nothing is lost meanwhile."
        else:
            agreed = f"{current.first('time-out.agree')}: agree a time to come back (optional)"
        if state.timeout_undo_left > 0:
            agreed += (f"\nPressed by mistake? {current.first('time-out')} again in the next "
                       f"{math.ceil(state.timeout_undo_left)} s takes it back.")
        self.query_one("#agreed", Static).update(agreed)
        end = f"{current.first('end')} ends the session instead (it asks first)"
        if state.timeout_left > 0:
            lines = [f"You can come back in {human_duration(state.timeout_left)}."]
            if self.told_why:
                lines.append(TOO_SOON)
        else:
            dots = "●" * state.timeout_ready + "○" * (2 - state.timeout_ready)
            lines = [f"Whenever you're both ready: each press your done key ({key(LEFT, 'done')} or "
                     f"{key(RIGHT, 'done')}).  {dots}"]
        lines.append(end)
        self.query_one("#return", Static).update(Text("\n".join(lines), justify="center"))

    def action_back(self, side: str) -> None:
        if self.engine.press(side, Action.DONE).what == "too-soon":
            self.told_why = True
        self.redraw()

    def action_agree(self) -> None:
        def agreed(minutes: int | None) -> None:
            if minutes is not None:
                self.engine.agree_return(minutes)
            self.redraw()

        self.app.push_screen(ReturnTimeScreen(), agreed)
