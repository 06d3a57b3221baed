"""Settings for now: the end-of-turn bell and the theme. (Keys per partner come later.)"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Select, Static, Switch

from heartline.sessions import prefs as prefs_store

from .. import keys
from ..widgets.toggle import Toggle
from ..widgets.too_small import GuardedScreen


class SettingsScreen(GuardedScreen, Screen):
    BINDINGS = [Binding("escape,q", "back", "Back", id="settings.back")]
    DEFAULT_CSS = """
    SettingsScreen VerticalScroll { padding: 1 2; }
    SettingsScreen Horizontal { height: auto; margin-bottom: 1; }
    SettingsScreen Label { padding: 1 1 0 0; }
    SettingsScreen Select { width: 40; }
    SettingsScreen #keys-row { margin-bottom: 0; }
    SettingsScreen #keymap-about { margin: 0 0 1 9; }
    """

    def compose(self) -> ComposeResult:
        self.prefs = prefs_store.load(self.app.config.config_dir)
        with VerticalScroll():
            yield Static("Settings", classes="title")
            yield Toggle("Ring the terminal bell when a turn ends", self.prefs.bell, id="bell")
            with Horizontal():
                yield Label("Theme")
                themes = sorted(self.app.available_themes)
                yield Select([(t, t) for t in themes], value=self.app.theme, allow_blank=False, id="theme")
            with Horizontal(id="keys-row"):
                yield Label("Keys")
                yield Select([(layout.label, layout.name) for layout in keys.LAYOUTS.values()],
                             value=keys.current().layout, allow_blank=False, id="keymap")
            yield Static(keys.LAYOUTS[keys.current().layout].about, id="keymap-about", classes="muted", markup=False)
            yield Static(f"Saved in {self.app.config.config_dir / prefs_store.FILE}", classes="muted")
        yield Footer()

    @on(Switch.Changed, "#bell Switch")
    def bell(self, event: Switch.Changed) -> None:
        self.app.config.bell = event.value
        self._save(bell=event.value)

    @on(Select.Changed, "#theme")
    def theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value
            self._save(theme=event.value)

    @on(Select.Changed, "#keymap")
    def keymap(self, event: Select.Changed) -> None:
        """A layout for your keyboard; your own changes in settings.toml stay on top of it."""
        if not isinstance(event.value, str) or event.value == keys.current().layout:
            return
        setting = {**self.prefs.keymap, "layout": event.value}
        try:
            keymap = keys.validate_keymap(setting)
        except keys.KeymapError as exc:
            self.notify(str(exc), title="That layout was not used", severity="warning", timeout=10, markup=False)
            event.select.value = keys.current().layout
            return
        self.app.use_keys(keymap)
        self._save(keymap=setting)
        self.query_one("#keymap-about", Static).update(keys.LAYOUTS[event.value].about)

    def _save(self, **changes) -> None:
        self.prefs = self.prefs.remember(**changes)
        try:
            prefs_store.save(self.app.config.config_dir, self.prefs)
        except OSError as exc:
            self.notify(f"Could not save settings: {exc}", severity="error", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
