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

from heartline.sessions import parked, recentcache

from ..routes import Go
from ..widgets.commitments import CommitmentList
from ..widgets.too_small import GuardedScreen

MENU = (
    ("start", "Start a session", "s"),
    ("history", "Past sessions", "p"),
    ("trends", "Trends", "g"),
    ("rituals", "Rituals", "r"),
    ("settings", "Settings", "o"),
    ("safety", "Is this right for us?", "i"),
    ("quit", "Quit", "q"),
)


class HomeScreen(GuardedScreen, Screen):
    """Where heartline opens."""

    CSS_PATH = "home.tcss"
    # The menu names every key; the footer keeps the few a person looks for first, so it fits 80 columns.
    BINDINGS = [
        Binding("s", "open('start')", "Start", id="home.start"),
        Binding("p", "open('history')", "Past sessions", id="home.history"),
        Binding("e", "open('join')", "Join a session from elsewhere", id="home.join", show=False),
        Binding("g", "open('trends')", "Trends", id="home.trends", show=False),
        Binding("r", "open('rituals')", "Rituals", id="home.rituals", show=False),
        Binding("o", "open('settings')", "Settings", id="home.settings", show=False),
        Binding("i", "open('safety')", "Is this right for us?", id="home.safety", show=False),
        Binding("q", "open('quit')", "Quit", id="home.quit", show=False),
        Binding("f1,question_mark", "help", "Help", id="home.help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static("heartline", id="brand")
            yield Static("A calm place to talk and to listen — one of you on each side of the keyboard.",
                         id="tagline")
            yield Static(id="last-time", markup=False)
            yield Static(id="agreed-return", markup=False)
            yield Static(id="parked", markup=False)  # topics kept for the next state of the union
            yield Static(id="files-note", markup=False)
            yield Static("Last time you each offered (tab to them; your done key marks yours kept):",
                         id="commitments-title")
            yield CommitmentList(id="commitments")
            yield OptionList(*(Option(f"{label}  ({key})", id=oid) for oid, label, key in MENU), id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.app.after_first_frame(self.reload)  # paint first; the index answers just after
        self.query_one("#menu", OptionList).focus()
        self.tell_about_files()

    def tell_about_files(self) -> None:
        """Once, on the first run: where the sessions are, and who can read them."""
        from heartline.sessions import prefs

        config_dir = self.app.config.config_dir
        remembered = prefs.load(config_dir)
        if remembered.told_files or remembered.problem:
            return
        note = self.query_one("#files-note", Static)
        note.update("Sessions are plain files here: anyone using this computer account can read them.")
        note.display = True
        try:
            prefs.save(config_dir, remembered.remember(told_files=True))
        except OSError:
            pass  # said again next time: better twice than never

    def on_screen_resume(self) -> None:
        if self.app.first_frame_shown and self.query("#last-time"):  # not before it is built: on_mount reloads  # back from a session; the first showing waits for on_mount's call
            self.reload()

    def reload(self) -> None:
        """Read the history again: a session may have just been saved.

        While the sessions folder is as it was, the sessions chosen last time
        are read at once (`recentcache.quick`), and the full check (every
        file stat'ed) runs just after that frame, changing the lines only if a
        file was edited in place meanwhile.
        """
        data = self.app.config.data_dir
        kept = recentcache.quick(data)
        if kept is None:
            self._show(*recentcache.recent(data))  # at most three records read
            return
        self._show(*kept)

        def check() -> None:
            if self.is_attached:
                full = recentcache.recent(data)
                if not recentcache.same(full, kept):
                    self._show(*full)

        self.call_after_refresh(check)

    def _show(self, records: list, problems: list) -> None:
        from heartline.sessions.history import agreed_return, last_commitments, last_time

        app = self.app
        names = {r.id: r.name for r in app.rituals}
        line = last_time(records, app.config.clock.now().date(), names)
        self.query_one("#last-time", Static).update(line or "Whenever you are ready.")
        commitments = last_commitments(records)
        self.query_one(CommitmentList).show(commitments)
        self.query_one("#commitments-title").display = bool(commitments)
        when = agreed_return(records, app.config.clock.now())
        agreed = self.query_one("#agreed-return", Static)
        agreed.display = when is not None
        if when is not None:
            agreed.update(f"You agreed to come back to your talk at {when:%H:%M}"
                          f"{'' if when.date() == app.config.clock.now().date() else ' yesterday'}."
                          " Whenever you're both ready.")
        kept = parked.home_words(records)
        widget = self.query_one("#parked", Static)
        widget.display = bool(kept)
        widget.update(kept)
        app.warn_damaged(problems)

    @on(OptionList.OptionSelected, "#menu")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id)

    def action_open(self, what: str) -> None:
        if what == "quit":
            self.app.exit()
        elif what in ("history", "trends", "safety", "rituals", "settings"):
            self.post_message(Go(what))
        elif what == "start":
            self.post_message(Go("setup"))
        elif what == "join":
            from ..apart.entry import join

            join(self.app)

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
