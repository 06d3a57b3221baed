"""The end of a session: what you did together, and where the file is.

Read together, never scored (DESIGN's "Care"): time together, the floor as one
bar between the two names, what was heard, thoughts held for later,
appreciations, commitments, and how each felt in their own words. The figures
come from `heartline.sessions.summary`, shared with every other view; names and
notes go in as `Text`, never as markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from heartline.sessions.summary import summarize, together_words

from ..routes import Go
from ..widgets.figures import shared_summary
from ..widgets.too_small import GuardedScreen

class SummaryScreen(GuardedScreen, Screen):
    """Shown when a session ends, however it ended."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,h,escape", "home", "Home", id="home"),
        Binding("q", "quit_app", "Quit", id="quit-summary", show=False),
        Binding("r", "retry", "Try saving again", id="summary.retry"),
        Binding("e", "elsewhere", "Save elsewhere", id="summary.elsewhere"),
    ]

    def __init__(self, record: dict, path: Path | None, error: str = "", saver=None) -> None:
        super().__init__()
        self.record, self.path, self.error = record, path, error
        self.saver = saver  # tui.saving.SessionSaver: how to try again when the first save failed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "elsewhere"):
            return self.path is None and self.saver is not None
        return True

    def _title(self) -> str:
        if self.record["status"] == "completed":
            return "Thank you both."
        if self.path is not None:
            return "You stopped early, and that is fine: all of it is kept."
        return "You stopped early, and that is fine."

    def _saved_line(self) -> str:
        """Where the record is, or plainly that it is not written, and what still holds it."""
        if self.path is not None:
            return f"Saved to {self.path}"
        kept = self.saver is not None and self.saver.journal_kept
        where = ("It is still here, and in its journal: if you leave, heartline offers it again when it next starts."
                 if kept else "It is only here, on this screen, until you leave it.")
        again = "\nr: try again · e: save it in another folder" if self.saver is not None else ""
        return f"This session could not be saved: {self.error}.\n{where}{again}"

    def compose(self) -> ComposeResult:
        rec = self.record
        title = self._title()
        with VerticalScroll(id="summary"):
            yield Static(title, id="title")
            ritual = self.app.rituals.get(rec["protocol"])
            subtitle = Text(f"{ritual.name if ritual else rec['protocol']} · {together_words(summarize(rec))}")
            if rec.get("topic"):
                subtitle.append(f" · “{' '.join(rec['topic'].split())}”")
            yield Static(subtitle, id="subtitle")
            yield Static(shared_summary(rec), id="shared")
            yield Static(self._saved_line(), id="saved", classes="" if self.path else "-error", markup=False)
        yield Footer()

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()  # unsaved, the journal stays for the next start to offer

    def _refresh_saved(self) -> None:
        self.query_one("#title", Static).update(self._title())
        saved = self.query_one("#saved", Static)
        saved.update(self._saved_line())
        saved.set_class(self.path is None, "-error")
        self.refresh_bindings()

    def action_retry(self) -> None:
        self.path = self.saver.save()
        self.error = self.saver.error
        self._refresh_saved()

    def action_elsewhere(self) -> None:
        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.path = self.saver.save_elsewhere(folder)
                self.error = self.saver.error
                self._refresh_saved()

        self.post_message(Go("save-elsewhere", then=chosen))

    def action_home(self) -> None:
        if self.path is None and self.saver is not None and not self.saver.journal_kept:
            from .dialogs import ConfirmScreen

            def answer(leave: bool | None) -> None:
                if leave:
                    self.post_message(Go("home", switch=True))

            self.app.push_screen(ConfirmScreen("Leave without saving?", "This session is not saved anywhere yet.",
                                               yes="Leave", no="Stay"), answer)
            return
        self.post_message(Go("home", switch=True))

    def action_quit_app(self) -> None:
        self.app.exit()
