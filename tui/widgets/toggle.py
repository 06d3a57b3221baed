"""A switch that says "on" or "off" in words, so its state is never shown by colour alone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Switch


class Toggle(Horizontal):
    """A Switch with a label that ends in ": on" / ": off"."""

    DEFAULT_CSS = """
    Toggle { height: auto; width: auto; }
    Toggle Label { padding: 1 2 0 1; }
    """

    def __init__(self, text: str, value: bool, *, id: str) -> None:
        super().__init__(id=id)
        self.text = text
        self._initial = value

    def compose(self) -> ComposeResult:
        yield Switch(value=self._initial)
        yield Label(self._words(self._initial))

    def _words(self, value: bool) -> str:
        return f"{self.text}: {'on' if value else 'off'}"

    @property
    def value(self) -> bool:
        return self.query_one(Switch).value

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.query_one(Label).update(self._words(event.value))
