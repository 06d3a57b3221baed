"""Settings: what heartline remembers, each with one line saying what it does.

Every change is saved at once (to `settings.toml`, 0600). A settings file
that could not be used is never overwritten behind anyone's back: this
screen says what is wrong with it, and the first change made here saves a
fresh file and keeps the old one as `settings.toml.bak`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, Switch

from heartline.sessions import prefs as prefs_store
from heartline.sessions.durations import format_duration, parse_duration
from heartline.sessions.keep import KEEP_WORDS, KEEPS
from heartline.sessions.setup import MAX_NAME
from heartline.themes import load_themes

from .. import glyphs, keys
from ..widgets.toggle import Toggle
from ..widgets.too_small import GuardedScreen

# id: (label, what it does). Toggles and boxes are built from these, in this order.
ABOUT = {
    "left": ("Left", "Who usually sits on the left; setup starts with this name."),
    "right": ("Right", "Who usually sits on the right."),
    "protocol": ("Ritual", "The ritual the setup form starts with."),
    "speak": ("Speak", "A speaking turn: 90s, 2m or 1:30; blank: the ritual's own."),
    "reflect": ("Reflect", "A reflecting turn; blank: the ritual's own."),
    "grace": ("Wrap up", "Time to finish a sentence once time is up; blank: ritual's."),
    "confirm": ("Confirm", "Time to answer \"did they get it?\"; blank: the ritual's."),
    "timeout_minutes": ("Time-out", "A time-out lasts at least this many minutes (20 or more)."),
    "warnings": ("Warnings", "Warnings: \"under 30 seconds\" before a turn ends"),
    "bell": ("Bell", "Bell: ring the terminal bell when a turn ends"),
    "quiet_clock": ("Quiet clock", "Quiet clock: a calm bar instead of big digits"),
    "reduced_motion": ("Still", "Reduced motion: no breathing animation or flashes"),
    "theme": ("Theme", "Colours for your light and eyes; also in the palette, ctrl+p."),
    "ascii": ("ASCII", "ASCII mode: plain borders, bars and symbols"),
    "keep": ("Keep", "What a session's file keeps; asked again at each end."),
    "relay": ("Relay", "Apart: the mailbox server (ws://…); blank: the public one."),
}
TOGGLES = ("warnings", "bell", "quiet_clock", "reduced_motion", "ascii")
DURATIONS = ("speak", "reflect", "grace", "confirm")


TOO_SHORT = ("a flooded body needs about twenty minutes to settle, so {low} minutes is the least;"
             " the time-out stays at {kept} minutes")


class SettingsScreen(GuardedScreen, Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="settings.back"),
        Binding("f1", "help", "Help", id="settings.help", show=False),  # ? is typed into the boxes
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
    DEFAULT_CSS = """
    SettingsScreen VerticalScroll { padding: 0 2; height: 1fr; }
    SettingsScreen .title { text-style: bold; margin: 1 0 0 0; }
    SettingsScreen #damaged { color: $warning; text-style: bold; margin: 1 0 0 0; }
    SettingsScreen .row { height: auto; }
    SettingsScreen .row Label.name { width: 13; padding: 0 1 0 0; text-style: bold; }
    SettingsScreen .row Input { width: 24; }
    SettingsScreen .row Input#relay { width: 44; }
    SettingsScreen .row Select { width: 40; }
    SettingsScreen .about { color: $text-muted; padding: 0 0 0 13; margin-bottom: 1; }
    SettingsScreen Toggle { margin: 0 0 1 12; width: 1fr; }
    SettingsScreen Toggle Label { padding: 0 1; width: 1fr; }
    SettingsScreen Toggle Switch { border: none; height: 1; }
    SettingsScreen #keymap-about { margin: 0 0 1 13; }
    SettingsScreen #problem { color: $error; text-style: bold; height: auto; padding: 0 2; }
    SettingsScreen .row :focus { text-style: bold reverse; }
    /* Focus by shape, in any theme and terminal: the focused row's name is reversed, and a dropdown's
       value or a switch's words too (a Select or a compact Switch drew no focus of its own). */
    SettingsScreen .row:focus-within Label.name { text-style: bold reverse; }
    /* Textual restyles on focus only from the outermost node that has a :focus-within rule of its own:
       these (no change of look) make the row and the toggle such nodes, so their labels follow focus. */
    SettingsScreen .row:focus-within, SettingsScreen Toggle:focus-within { height: auto; }
    SettingsScreen .row Select:focus > SelectCurrent { text-style: bold reverse; }
    SettingsScreen Toggle:focus-within Label { text-style: bold reverse; }
    """

    def compose(self) -> ComposeResult:
        config = self.app.config
        self.prefs = prefs_store.load(config.config_dir)
        self.damaged = self.prefs.problem
        theme_set = load_themes(config.config_dir / "themes")
        p = self.prefs
        with VerticalScroll():
            yield Static("Settings — each change is saved at once", classes="title")
            if self.damaged:
                shown_now = "The first" if self.prefs.refused else "The defaults are shown; the first"  # or: the rest
                yield Static(Text(f"{glyphs.glyph('warning')} {self.damaged}. {shown_now} "
                                  f"change saves a fresh file and keeps the old one as {prefs_store.BACKUP}."),
                             id="damaged")
            for name in ("left", "right"):
                yield from self._row(name, Input(getattr(p, name), placeholder="a name", id=name,
                                                 max_length=MAX_NAME, compact=True))
            rituals = list(self.app.rituals)
            protocol = p.protocol if self.app.rituals.get(p.protocol) else rituals[0].id
            yield from self._row("protocol", Select([(r.name, r.id) for r in rituals], value=protocol,
                                                    allow_blank=False, id="protocol", compact=True))
            for name in DURATIONS:
                value = getattr(p, name)
                yield from self._row(name, Input(format_duration(value) if value else "", id=name,
                                                 placeholder="the ritual's own", compact=True))
            yield from self._row("timeout_minutes", Input(str(p.timeout_minutes), id="timeout_minutes",
                                                          type="integer", max_length=4, compact=True))
            for name in TOGGLES[:4]:
                yield Toggle(ABOUT[name][1], getattr(p, name), id=name)
            themes = [(theme_set.labels.get(t, t), t) for t in sorted(self.app.available_themes)]
            yield from self._row("theme", Select(themes, value=self.app.theme, allow_blank=False, id="theme",
                                                 compact=True), about=False)
            yield Static(ABOUT["theme"][1], classes="about")
            yield Toggle(ABOUT["ascii"][1] + (" (on for this terminal)" if self.app.ascii and not p.ascii else ""),
                         p.ascii or self.app.ascii, id="ascii")
            keep = p.keep if p.keep in KEEPS else KEEPS[0]
            yield from self._row("keep", Select([(KEEP_WORDS[k].split(":")[0].capitalize(), k) for k in KEEPS],
                                                value=keep, allow_blank=False, id="keep", compact=True))
            yield from self._row("relay", Input(p.relay, placeholder="magic-wormhole's public one", id="relay",
                                                max_length=300, compact=True))
            with Horizontal(id="keys-row", classes="row"):
                yield Label("Keys", classes="name")
                yield Select([(layout.label, layout.name) for layout in keys.LAYOUTS.values()],
                             value=keys.current().layout, allow_blank=False, id="keymap", compact=True)
            yield Static(keys.LAYOUTS[keys.current().layout].about, id="keymap-about", classes="muted", markup=False)
            yield Static(Text(f"Saved in {config.config_dir / prefs_store.FILE}"), classes="muted")
        yield Static(id="problem")  # below the list, never scrolled out of sight: at 80×24 the list scrolls
        yield Footer()

    def _row(self, name: str, control, about: bool = True) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(ABOUT[name][0], classes="name")
            yield control
        if about:
            yield Static(ABOUT[name][1], classes="about")

    def on_mount(self) -> None:
        self.query_one("#left", Input).focus()

    # ----- changes --------------------------------------------------------

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        name = event.input.id
        text = event.value.strip()
        try:
            if name in ("left", "right"):
                if any(not ch.isprintable() for ch in text):
                    raise ValueError("a name cannot hold control characters")
                value = text
            elif name in DURATIONS:
                value = parse_duration(text) if text else 0
                low, high = prefs_store.RANGES[name]
                if not low <= value <= high:
                    raise ValueError(f"from {format_duration(max(low, 1))} to {format_duration(high)}, please")
            elif name == "relay":
                from heartline.sessions.prefs import check_relay  # the address is only checked

                value = check_relay(text) if text else ""
            elif name == "timeout_minutes":
                low, high = prefs_store.RANGES[name]
                value = int(text) if text else 0
                if value < low:
                    raise ValueError(TOO_SHORT.format(low=low, kept=self.prefs.timeout_minutes))
                if value > high:
                    raise ValueError(f"at most {high} minutes (a day); {self.prefs.timeout_minutes} is kept")
            else:
                return
        except ValueError as exc:
            self._problem(f"{ABOUT[name][0]}: {exc}")
            return
        self._problem("")
        if getattr(self.prefs, name) != value:
            self._save(**{name: value})

    @on(Input.Blurred, "#timeout_minutes")
    def left_timeout(self, event: Input.Blurred) -> None:
        """Leaving the box shows the time-out actually kept, and says why if it is not what was typed."""
        kept = str(self.prefs.timeout_minutes)
        if event.input.value.strip() == kept:
            return
        low = prefs_store.RANGES["timeout_minutes"][0]
        typed = event.input.value.strip()
        why = (TOO_SHORT.format(low=low, kept=kept) if typed.isdigit() and int(typed) < low
               else f"{kept} minutes is kept")
        event.input.value = kept
        self._problem("")
        self.notify(f"{why}.", title="Time-out", markup=False, timeout=10)

    @on(Switch.Changed)
    def switched(self, event: Switch.Changed) -> None:
        toggle = event.switch.parent
        name = getattr(toggle, "id", None)
        if name not in TOGGLES or getattr(self.prefs, name) == event.value:
            return
        self._save(**{name: event.value})
        if name == "bell":
            self.app.config.bell = event.value
        elif name in ("quiet_clock", "reduced_motion", "warnings"):
            setattr(self.app.config, name, event.value)
        elif name == "ascii":
            self.app.set_ascii(event.value)

    @on(Select.Changed, "#protocol")
    def ritual(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.prefs.protocol:
            self._save(protocol=event.value)

    @on(Select.Changed, "#keep")
    def keep(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in KEEPS and event.value != self.prefs.keep:
            self._save(keep=event.value)

    @on(Select.Changed, "#theme")
    def theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self.app.available_themes \
                and event.value != self.app.theme:
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

    def _problem(self, text: str) -> None:
        self.query_one("#problem", Static).update(Text(f"{glyphs.glyph('warning')} {text}" if text else ""))

    def _save(self, **changes) -> None:
        self.prefs = self.prefs.remember(problem="", **changes)
        try:
            prefs_store.save(self.app.config.config_dir, self.prefs, replace_damaged=True)
        except OSError as exc:
            self.notify(f"Could not save settings: {exc}", severity="error", markup=False)
            return
        if self.damaged:
            self.damaged = ""
            self.notify(f"A fresh settings file is saved; the old one is kept as {prefs_store.BACKUP}.",
                        title="Settings saved", markup=False)
            self.query_one("#damaged").remove()

    def action_back(self) -> None:
        self.app.pop_screen()
