"""The time-out: a long, quiet break with a breathing pacer, as the research has it.

A flooded body needs about twenty minutes to settle, so nobody comes back
before the minimum (a setting); the reason is said once, when someone tries.
A time-out pressed by mistake can be taken back in its first seconds; once
that moment has passed, the screen asks every time when to come back (in
words: no box pops up over the couple; `a` opens it): from the minimum to a
day, never less than the minimum (the reason is said); it is kept in the
record and shown on home. The pacer breathes out longer than in
(4 in, 6 out), which settles a racing body better than holding the breath.
Coming back asks first: "Both calm?", with more time or stopping for today
beside it. Who is ready is never named, only how many of you are. The safety
page is a key away; escape still ends the session (the app asks first).
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
from ..routes import Go
from ..wake import Stoppable, wake_at
from ..widgets.too_small import GuardedScreen
from .dialogs import QUIT_KEYS

GUIDE = (
    "Separate rooms help: somewhere quiet each, apart for a while.\n"
    "Breathe slowly, and move if you can: a walk, a stretch, some water.\n"
    "Try not to rehearse the argument; rest your mind on something calm.\n"
    "If you feel unsafe, leave and get help."
)
TOO_SOON = "A flooded body needs about twenty minutes to settle."

BREATH = (("Breathe in", 4), ("Breathe out", 6))  # a longer out-breath settles; no holding
CYCLE = sum(seconds for _, seconds in BREATH)
STILL_BREATH = "Breathe in for 4 · breathe out slowly for 6"  # reduced motion


def breath_at(seconds: float) -> tuple[str, int, float]:
    """Which part of the 4-in, 6-out breath we are in, the second within it, and how full the lungs are (0..1)."""
    t = seconds % CYCLE
    (inhale, in_length), (exhale, out_length) = BREATH
    if t < in_length:
        return inhale, int(t) + 1, t / in_length
    t -= in_length
    return exhale, int(t) + 1, 1 - t / out_length


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


def too_few(minutes: int, minimum: int) -> str:
    """The reason a return time is refused ("" when it is fine): never sooner than the minimum."""
    if minutes >= minimum:
        return ""
    return f"At least {minimum} min from now: {TOO_SOON[0].lower()}{TOO_SOON[1:]}"


class ReturnTimeScreen(GuardedScreen, ModalScreen[int | None]):
    """An agreed time to come back: minutes from now or a clock time, from the minimum to a day."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding(default("note.cancel"), "cancel", "Cancel", id="note.cancel"), *QUIT_KEYS]

    def __init__(self, minimum: int = 1, more: bool = False) -> None:
        super().__init__()
        self.minimum = max(1, minimum)  # minutes from now until the time-out's minimum has passed
        self.more = more  # after the minimum: how much more time

    def compose(self) -> ComposeResult:
        title = ("How much more time do you need?" if self.more
                 else f"When shall we come back? At least {self.minimum} min, within a day")
        with Vertical(classes="box"):
            yield Label(title, classes="title", markup=False)
            yield Input(str(max(self.minimum, 10 if self.more else self.minimum)),
                        placeholder="30 (minutes) or 19:40", max_length=5, id="text")
            yield Label("", id="error", classes="muted", markup=False)
            yield Label(f"enter: agree · {keys.current().first('note.cancel')}: not now", classes="muted", markup=False)

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        minutes = minutes_from(event.value, self.app.config.clock.now())
        if minutes is None:
            self.query_one("#error", Label).update("Minutes (like 30) or a time (like 19:40), within a day.")
            return
        reason = too_few(minutes, self.minimum)
        if reason:
            self.query_one("#error", Label).update(reason)
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
        Binding(default("time-out.agree"), "agree", "Agree a time to come back, or more time", id="time-out.agree"),
        Binding(default("help.safety"), "safety", "Is this right for us?", id="help.safety"),
        *QUIT_KEYS,
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.told_why = False  # the reason for the minimum, said once when someone tries to come back early
        self._alarm: Stoppable | None = None

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
        undo_left = self.engine.state().timeout_undo_left
        if undo_left > 0:  # ask (in words) exactly when the time-out can no longer be taken back
            clock = self.app.config.clock
            self._alarm = wake_at(self, clock, clock.monotonic() + undo_left + 0.001, self.redraw)  # surely past
        self.redraw()

    def on_unmount(self) -> None:
        if self._alarm is not None:
            self._alarm.stop()
            self._alarm = None

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
        agree, safety = current.first("time-out.agree"), current.first("help.safety")
        if state.return_at is not None and self.app.config.clock.now() < state.return_at:
            agreed = f"Back at {state.return_at:%H:%M}, as you agreed. Nothing is lost meanwhile."
        elif state.return_at is not None:  # the agreed time has come: never "back at" a time gone by
            agreed = f"You agreed to come back at {state.return_at:%H:%M}; take the time you need."
        elif state.timeout_left > 0 and state.timeout_undo_left <= 0:  # asked every time, in words: the box is theirs
            agreed = f"When shall we come back? {agree}: agree a time"
        elif state.timeout_left > 0:
            agreed = f"{agree}: agree a time to come back"
        else:
            agreed = ""
        if state.timeout_undo_left > 0:
            agreed += (f"\nPressed by mistake? {current.first('time-out')} again in the next "
                       f"{math.ceil(state.timeout_undo_left)} s takes it back.")
        self.query_one("#agreed", Static).update(agreed)
        if state.timeout_left > 0:
            lines = [f"You can come back in {human_duration(state.timeout_left)}."]
            if self.told_why:
                lines.append(TOO_SOON)
            lines.append(f"{current.first('end')} ends the session instead (it asks first) · "
                         f"{safety}: is this right for us?")
        else:  # asked before the floor: calm enough, more time, or stop for today
            dots = "●" * state.timeout_ready + "○" * (2 - state.timeout_ready)
            lines = [f"Both calm? Then each press your done key ({key(LEFT, 'done')} or {key(RIGHT, 'done')}) "
                     f"to come back.  {dots}",
                     f"{agree}: more time · {current.first('end')}: stop for today · {safety}: is this right for us?"]
        self.query_one("#return", Static).update(Text("\n".join(lines), justify="center"))

    def action_back(self, side: str) -> None:
        if self.engine.press(side, Action.DONE).what == "too-soon":
            self.told_why = True
        self.redraw()

    def action_agree(self) -> None:
        """Before the minimum: when to come back (never sooner than the minimum); after it: more time."""
        left = self.engine.state().timeout_left
        more = left <= 0

        def agreed(minutes: int | None) -> None:
            if minutes is not None:
                (self.engine.more_time if more else self.engine.agree_return)(minutes)
            self.redraw()

        self.app.push_screen(ReturnTimeScreen(math.ceil(left / 60), more=more), agreed)

    def action_safety(self) -> None:
        self.post_message(Go("safety"))
