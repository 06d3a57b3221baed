"""Home: start a session, look back, read about the rituals, settings, quit.

One gentle line about last time and, if there were any, last time's
commitments, which can be marked kept here. Nothing here counts streaks.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from heartline.sessions import index

from ..widgets.commitments import CommitmentList
from ..widgets.too_small import GuardedScreen

MENU = (
    ("start", "Start a session", "s"),
    ("history", "Past sessions", "p"),
    ("trends", "Trends", "g"),
    ("rituals", "Rituals", "r"),
    ("settings", "Settings", "o"),
    ("quit", "Quit", "q"),
)


class HomeScreen(GuardedScreen, Screen):
    """Where heartline opens."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("s", "open('start')", "Start", id="home.start"),
        Binding("p", "open('history')", "Past sessions", id="home.history"),
        Binding("g", "open('trends')", "Trends", id="home.trends"),
        Binding("r", "open('rituals')", "Rituals", id="home.rituals"),
        Binding("o", "open('settings')", "Settings", id="home.settings"),
        Binding("q", "open('quit')", "Quit", id="home.quit"),
        Binding("f1,question_mark", "help", "Help", id="home.help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static("heartline", id="brand")
            yield Static("A calm place to talk and to listen — one of you on each side of the keyboard.",
                         id="tagline")
            yield Static(id="last-time", markup=False)
            yield Static("Last time, you each offered (tab to reach them, enter marks one kept):",
                         id="commitments-title")
            yield CommitmentList(id="commitments")
            yield OptionList(*(Option(f"{label}  ({key})", id=oid) for oid, label, key in MENU), id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.app.after_first_frame(self.reload)  # paint first; the index answers just after
        self.query_one("#menu", OptionList).focus()

    def on_screen_resume(self) -> None:
        if self.app.first_frame_shown:  # back from a session; the first showing waits for on_mount's call
            self.reload()

    def reload(self) -> None:
        """Read the history again: a session may have just been saved."""
        from heartline.sessions.history import last_commitments, last_time

        app = self.app
        records, problems = index.recent(app.config.data_dir)  # at most two records read
        names = {r.id: r.name for r in app.rituals}
        line = last_time(records, app.config.clock.now().date(), names)
        self.query_one("#last-time", Static).update(line or "Whenever you are ready.")
        commitments = last_commitments(records)
        self.query_one(CommitmentList).show(commitments)
        self.query_one("#commitments-title").display = bool(commitments)
        app.warn_damaged(problems)

    @on(OptionList.OptionSelected, "#menu")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id)

    def action_open(self, what: str) -> None:
        if what == "start":
            from .setup import SetupScreen

            self.app.push_screen(SetupScreen())
        elif what == "history":
            from .history import HistoryScreen

            self.app.push_screen(HistoryScreen())
        elif what == "trends":
            from .trends import TrendsScreen

            self.app.push_screen(TrendsScreen())
        elif what == "rituals":
            from .rituals import RitualsScreen

            self.app.push_screen(RitualsScreen())
        elif what == "settings":
            from .settings import SettingsScreen

            self.app.push_screen(SettingsScreen())
        elif what == "quit":
            self.app.exit()

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
