"""Last time's commitments; only its owner marks one kept (or open again), with their own done key.

Marking rewrites that old session's file atomically, so the mark is remembered
wherever it is shown next. Kept or open is written in words, not colour alone.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from textual.binding import Binding
from textual.widgets import OptionList

from ..keys import default
from textual.widgets.option_list import Option

from heartline.sessions import store
from heartline.sessions.history import Commitment


def label(c: Commitment) -> Text:
    """As Text: a name or a commitment is what someone typed, never markup."""
    return Text(f"{'[✓] kept' if c.kept else '[ ] open'}  {c.name}: {c.text}")


class CommitmentList(OptionList):
    """A checklist of commitments. Hidden when there is nothing to show.

    Each owns their words: the left partner's done key marks only the left
    partner's commitment, the right's only theirs ("both" may be marked by either).
    """

    BINDINGS = [
        Binding(default("left.done"), "mark('left')", "Left: mark yours kept", id="left.done"),
        Binding(default("right.done"), "mark('right')", "Right: mark yours kept", id="right.done"),
    ]

    DEFAULT_CSS = """
    CommitmentList { height: auto; max-height: 8; border: none; background: transparent; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[Commitment] = []
        self.display = False  # until there is something to show: hidden, it takes no keys
        self.can_focus = False

    def show(self, commitments: list[Commitment]) -> None:
        self.items = list(commitments)
        self.clear_options()
        self.add_options([Option(label(c), id=str(i)) for i, c in enumerate(self.items)])
        self.display = bool(self.items)
        self.can_focus = bool(self.items)
        if self.items:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: whose it is, and which key marks it (nobody marks another's)."""
        event.stop()
        c = self.items[event.option_index]
        from ..keys import key

        who = "either of you" if c.by == "both" else c.name
        k = key("left", "done") if c.by in ("left", "both") else key("right", "done")
        self.notify(f"Only {who} can mark this one: press {k}.", timeout=4, markup=False)

    def action_mark(self, side: str) -> None:
        i = self.highlighted
        if i is None or not 0 <= i < len(self.items):
            return
        c = self.items[i]
        if c.by not in (side, "both"):
            self.notify(f"This one is {c.name}'s to mark.", timeout=4, markup=False)
            return
        status = "open" if c.kept else "kept"
        try:
            store.update_note_status(self.app.config.data_dir, c.session_id, c.index, status)
        except (OSError, store.StoreError) as exc:
            self.notify(f"Could not mark it: {exc}", severity="error", markup=False)
            return
        self.items[i] = replace(c, kept=status == "kept")
        self.replace_option_prompt_at_index(i, label(self.items[i]))
