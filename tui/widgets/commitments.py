"""Last time's commitments; enter marks the highlighted one kept (or open again).

Marking rewrites that old session's file atomically, so the mark is remembered
wherever it is shown next. Kept or open is written in words, not colour alone.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from heartline.sessions import store
from heartline.sessions.history import Commitment


def label(c: Commitment) -> Text:
    """As Text: a name or a commitment is what someone typed, never markup."""
    return Text(f"{'[✓] kept' if c.kept else '[ ] open'}  {c.name}: {c.text}")


class CommitmentList(OptionList):
    """A checklist of commitments. Hidden when there is nothing to show."""

    DEFAULT_CSS = """
    CommitmentList { height: auto; max-height: 8; border: none; background: transparent; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[Commitment] = []

    def show(self, commitments: list[Commitment]) -> None:
        self.items = list(commitments)
        self.clear_options()
        self.add_options([Option(label(c), id=str(i)) for i, c in enumerate(self.items)])
        self.display = bool(self.items)
        if self.items:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        i = event.option_index
        c = self.items[i]
        status = "open" if c.kept else "kept"
        try:
            store.update_note_status(self.app.config.data_dir, c.session_id, c.index, status)
        except (OSError, store.StoreError) as exc:
            self.notify(f"Could not mark it: {exc}", severity="error", markup=False)
            return
        self.items[i] = replace(c, kept=status == "kept")
        self.replace_option_prompt_at_index(i, label(self.items[i]))
