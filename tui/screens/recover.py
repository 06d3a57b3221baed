"""A session that was not finished: offered at the next start, never lost.

A crash, a closed terminal, a power cut or a save that could not be written
leaves the session's journal behind. This screen offers it: resume (within a
day, from the phase it was in), save it as `recovered` (every completed turn,
event and note), or put it away (moved to `trash/`, never deleted). "Later"
leaves it for next time.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Static

from heartline.sessions import journal as journals
from heartline.sessions.durations import human_duration

from ..widgets.too_small import GuardedScreen


def describe(item: journals.Unfinished, now: datetime | None = None) -> Text:
    """Who, which ritual, when, how far it got, and a time-out it was in: all of it data, never markup."""
    engine = item.engine
    record = engine.record()
    left, right = engine.partners["left"].name, engine.partners["right"].name
    text = Text()
    text.append(f"{left} & {right}", style="bold")
    text.append(f" · {engine.ritual.name}")
    if engine.topic:
        text.append(f" · “{engine.topic}”")
    text.append(f"\nstarted {engine.started_at:%a %-d %b %Y %H:%M}, "
                f"{human_duration(record['duration_seconds'])} together so far\n")
    done = sum(1 for t in record["turns"] if t["ended_by"] != "session-end")
    notes = len(record["notes"])
    events = len(record["events"])
    text.append(f"{done} turn{'s' if done != 1 else ''} complete · {notes} note{'s' if notes != 1 else ''}")
    if events:
        text.append(f" · {events} moment{'s' if events != 1 else ''} (pauses, time-outs…)")
    if engine.pause_kind == "time-out":
        text.append("\nYou were in a time-out", style="bold")
        back = engine.return_at
        if back is not None:
            day = "" if now is not None and back.date() == now.date() else f" on {back:%a %-d %b}"
            text.append(f"; you agreed to come back at {back:%H:%M}{day}")
        text.append(".")
    if item.note:
        text.append(f"\n(the journal {item.note})", style="italic")
    return text


class RecoverScreen(GuardedScreen, Screen[tuple | None]):
    """One unfinished session at a time; dismisses with ("resume", engine, journal), ("told", what it did last)
    or None.

    A whole screen with its own footer, not a dialog over home: home's keys (s, p) mean something else.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("r", "resume", "Resume", id="recover.resume"),
        Binding("s", "save", "Save as recovered", id="recover.save"),
        Binding("p", "put_away", "Put away", id="recover.put-away"),
        Binding("l,escape", "later", "Later", id="recover.later"),
    ]
    DEFAULT_CSS = """
    RecoverScreen { align: center middle; }
    RecoverScreen #what { margin: 1 0; }
    RecoverScreen #choices { margin-top: 1; }
    RecoverScreen #outcome { color: $warning; }
    """

    def __init__(self, items: list[journals.Unfinished], problems: list[str] | None = None) -> None:
        super().__init__(classes="-wide")
        self.items = list(items)
        self.problems = list(problems or [])

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("A session was not finished", classes="title", id="heading")
            yield Static(id="what", markup=False)
            yield Static(id="choices", markup=False)
            yield Static(id="outcome", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_current()

    @property
    def current(self) -> journals.Unfinished | None:
        return self.items[0] if self.items else None

    def _now(self):
        return self.app.config.clock.now()

    def show_current(self, outcome: str = "") -> None:
        item = self.current
        if item is None:
            self.dismiss(None)
            return
        more = f" ({len(self.items)} in all)" if len(self.items) > 1 else ""
        self.query_one("#heading", Label).update(f"A session was not finished{more}")
        self.query_one("#what", Static).update(describe(item, self._now()))
        choices = Text()
        if item.can_resume(self._now()) and item.engine.pause_kind == "time-out":
            choices.append("r  resume it: back to your time-out (the time you were away counts towards it)\n")
        elif item.can_resume(self._now()):
            choices.append("r  resume it: carry on from where you were (it starts paused)\n")
        elif not item.ended:
            choices.append("(more than a day has passed: it can be saved, not resumed)\n", style="italic")
        choices.append("s  save it as recovered: every completed turn, note and moment is kept\n")
        choices.append("p  put it away: moved to the trash folder, not deleted\n")
        choices.append("l  later: ask again next time")
        self.query_one("#choices", Static).update(choices)
        self.query_one("#outcome", Static).update(outcome)

    def _next(self, outcome: str = "") -> None:
        self.app.spend_key()  # the same key again at once is this press carried over, on the next offer too
        self.items.pop(0)
        if self.items:
            self.show_current(outcome)
        else:  # the app says it once the next screen is up: a toast now would sit over a session's right keys
            self.dismiss(("told", outcome) if outcome else None)

    def action_resume(self) -> None:
        item = self.current
        if item is None or not item.can_resume(self._now()):
            return
        try:
            engine, journal = journals.resume(item, self.app.config.clock)
        except (OSError, journals.JournalError) as exc:
            self.query_one("#outcome", Static).update(f"It cannot be resumed: {exc}")
            return
        self.app.spend_key()  # `r r`: the second is not a repair
        self.dismiss(("resume", engine, journal))

    def action_save(self) -> None:
        item = self.current
        if item is None:
            return
        try:
            path = journals.save_recovered(item, self.app.config.data_dir)
        except Exception as exc:  # noqa: BLE001 - say so; the journal stays where it is
            self.query_one("#outcome", Static).update(f"It could not be saved ({exc}); the journal is still there.")
            return
        self._next(f"Saved as recovered: {path}")

    def action_put_away(self) -> None:
        item = self.current
        if item is None:
            return
        try:
            where = journals.put_away(item, self.app.config.data_dir)
        except OSError as exc:
            self.query_one("#outcome", Static).update(f"It could not be moved ({exc}); it is still there.")
            return
        self._next(f"Put away in {where.parent}")

    def action_later(self) -> None:
        self.app.spend_key()  # `escape escape` with a session behind: the second does not ask to end it
        self.dismiss(None)


class SaveElsewhereScreen(GuardedScreen, ModalScreen[Path | None]):
    """Ask for a folder to save into, when heartline's own cannot be written."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save-elsewhere.cancel")]
    DEFAULT_CSS = "SaveElsewhereScreen { align: center middle; background: $background 60%; }"

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("Save this session in another folder", classes="title")
            yield Input(placeholder="a folder, like ~/Documents", id="folder")
            yield Label("enter: save there · escape: back", classes="muted")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
