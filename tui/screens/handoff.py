"""A hand-off to a therapist: each partner writes their part, and it is made only when both agree, here.

Reached from Past sessions (`h`, for the sessions listed) and from
`heartline export --for-therapist ID… -o FILE`. What goes in and what stays
out is said on screen before anyone agrees; notes, moods and feeling words
stay out unless both add them (the switches), and the agreement is each
partner's own done key, pressed on the last step.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Static, Switch

from heartline.sessions.handoff import EXTRAS, QUESTIONS, SIDES, Handoff, Part

from .. import keys
from ..glyphs import glyph
from ..widgets.toggle import Toggle
from ..widgets.too_small import GuardedScreen

PLACEHOLDERS = {
    "understood": "what I most want them to understand about us, or about me",
    "tried": "what we have already tried, and how it went",
    "help": "what I would like help with first",
}
SWITCHES = {"notes": "Add notes and topics", "moods": "Add moods", "feelings": "Add feeling words"}


def _span(records: list[dict]) -> str:
    dates = sorted(r["started_at"] for r in records)
    first, last = dates[0], dates[-1]
    count = f"{len(records)} session{'s' if len(records) != 1 else ''}"
    if first.date() == last.date():
        return f"{count}, {first:%d %B %Y}"
    return f"{count}, {first:%d %b %Y} to {last:%d %b %Y}"


class HandoffScreen(GuardedScreen, Screen["Handoff | None"]):
    """Both partners' own words for a therapist, and what else both choose to add."""

    CSS_PATH = "handoff.tcss"
    BINDINGS = [
        Binding("ctrl+s", "agree", "We both agree", id="handoff.agree"),
        Binding("escape", "back", "Back, nothing made", id="handoff.back"),
    ]
    TOO_SMALL_NOTE = "Nothing is made until you both agree."

    def __init__(self, records: list[dict]) -> None:
        super().__init__()
        self.records = records
        first = sorted(records, key=lambda r: r["started_at"])[0]
        self.names = {p["side"]: " ".join(str(p["name"]).split()) for p in first["partners"]}
        self.handoff = Handoff()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="handoff-form"):
            yield Static("A hand-off to a therapist", id="handoff-title")
            yield Static(Text(f"{_span(self.records)}: the rituals and their dates go in. Each of you writes your own "
                              "part; it is made only when you both agree, here and now. Leave any box blank."),
                         id="handoff-about", classes="muted")
            for side in SIDES:
                yield Static(Text(f"{self.names[side]}, in your own words", style="bold"), classes="who")
                for key, title in QUESTIONS:
                    box = Input(placeholder=PLACEHOLDERS[key], id=f"{side}-{key}", max_length=500)
                    box.border_title = title
                    yield box
            with Vertical(id="extras"):
                for key, _ in EXTRAS:
                    yield Toggle(SWITCHES[key], False, id=f"extra-{key}")
            yield Static("Only if you both want them: each is left out otherwise.", classes="muted")
            yield Static(id="holds", markup=False)
            yield Button("We both agree… (ctrl+s)", id="agree", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._show_holds()
        self.query_one(f"#{SIDES[0]}-understood", Input).focus()

    @on(Switch.Changed)
    def _show_holds(self) -> None:
        self.handoff.extras = {key for key, _ in EXTRAS if self.query_one(f"#extra-{key}", Toggle).value}
        held, out = self.handoff.what_it_holds()
        self.query_one("#holds", Static).update(Text(f"It will hold: {'; '.join(held)}.\n"
                                                     f"It leaves out: {'; '.join(out)}."))

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def _collect(self) -> None:
        for side in SIDES:
            self.handoff.parts[side] = Part(**{key: self.query_one(f"#{side}-{key}", Input).value
                                              for key, _ in QUESTIONS})

    @on(Button.Pressed, "#agree")
    def action_agree(self) -> None:
        self._collect()
        self._show_holds()

        def answered(both: bool | None) -> None:
            if both:
                self.handoff.agreed = {s: True for s in SIDES}
                self.dismiss(self.handoff)

        self.app.push_screen(AgreeScreen(self.handoff, self.names), answered)

    def action_back(self) -> None:
        self.dismiss(None)


class AgreeScreen(GuardedScreen, ModalScreen[bool]):
    """Each partner agrees with their own done key; either can say not now."""

    CSS_PATH = "handoff.tcss"
    BINDINGS = [Binding("escape", "not_now", "Not now", id="handoff.not-now")]

    def __init__(self, handoff: Handoff, names: dict[str, str]) -> None:
        super().__init__()
        self.handoff, self.names = handoff, names
        self.agreed = {s: False for s in SIDES}

    def compose(self) -> ComposeResult:
        held, out = self.handoff.what_it_holds()
        with Vertical(classes="box"):
            yield Static("Do you both agree to make this hand-off?", classes="title")
            yield Static(Text(f"It will hold: {'; '.join(held)}.\nIt leaves out: {'; '.join(out)}."))
            yield Static(id="who-agrees", markup=False)
            yield Static("escape: not now (nothing is made)", classes="muted")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        lines = []
        for side in SIDES:
            name = self.names[side]
            lines.append(f"{name} agrees {glyph('check')}" if self.agreed[side]
                         else f"{name}: press {keys.key(side, 'done')} to agree")
        self.query_one("#who-agrees", Static).update(Text("   ·   ".join(lines), style="bold"))

    def on_key(self, event: events.Key) -> None:
        for side in SIDES:
            if event.key in keys.current().keys[f"{side}.done"]:
                event.stop()
                self.agreed[side] = True
                self._show()
        if all(self.agreed.values()):
            self.dismiss(True)

    def action_not_now(self) -> None:
        self.dismiss(False)
