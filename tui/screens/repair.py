"""Repair at hand: a short list of phrases either of you reaches for when a talk starts to go wrong.

The clock waits while the list is open (the engine's rule). A number or
enter chooses a phrase; the cancel key closes the list without one. The words
are the app's own (`REPAIR_WORDS`); the engine keeps only the phrase's code.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from heartline.sessions.engine import REPAIRS

from .. import keys
from ..keys import default
from ..widgets.pane import REPAIR_WORDS
from ..widgets.too_small import GuardedScreen

__all__ = ["REPAIR_WORDS", "RepairScreen"]


class RepairScreen(GuardedScreen, ModalScreen[str | None]):
    """The phrases, numbered: a number or enter chooses one; the cancel key closes the list."""

    CSS_PATH = "repair.tcss"
    BINDINGS = [
        Binding(default("note.cancel"), "cancel", "Not now", id="note.cancel"),
        *[Binding(str(n), f"choose({n})", f"Say phrase {n}", show=False, id=f"repair.phrase-{n}")
          for n in range(1, len(REPAIRS) + 1)],
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("A repair: words to steady the talk", classes="title")
            yield Label("Either of you. The clock waits while you choose, and while your words show.",
                        classes="muted")
            yield OptionList(*[Option(Text(f"{n}  {REPAIR_WORDS[code]}"), id=code)
                               for n, code in enumerate(REPAIRS, 1)], id="repairs")
            yield Label(f"a number or enter: say it · {keys.current().first('note.cancel')}: not now",
                        classes="muted", markup=False)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self, n: int) -> None:
        self.dismiss(REPAIRS[n - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
