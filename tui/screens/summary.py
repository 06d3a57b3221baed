"""The end of a session: how the time was shared, and where the file is.

Talk balance is a bar per partner so it is seen at a glance; every figure is
also written out in words and numbers, never shown by colour alone.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from heartline.sessions.durations import format_duration
from heartline.sessions.export import NOTE_TITLES, partner_rows

from ..widgets.too_small import GuardedScreen

BAR_WIDTH = 20


def talk_bar(seconds: float, most: float) -> str:
    filled = round(BAR_WIDTH * seconds / most) if most > 0 else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def summary_table(record: dict) -> Table:
    partners = record["partners"]
    most = max(p["speaking_seconds"] for p in partners) or 0.0
    total = sum(p["speaking_seconds"] for p in partners)
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold", expand=False)
    table.add_column("")
    for p in partners:
        table.add_column(Text(p["name"]), overflow="fold")
    table.add_row("speaking time", *(
        f"{talk_bar(p['speaking_seconds'], most)}\n{format_duration(p['speaking_seconds'], elapsed=True)}"
        f" ({round(100 * p['speaking_seconds'] / total) if total else 0}%)" for p in partners))
    for row in partner_rows(record)[1:]:  # the first, speaking time, is the bar above
        table.add_row(*row)
    return table


class SummaryScreen(GuardedScreen, Screen):
    """Shown when a session ends, however it ended."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,h", "home", "Home", id="home"),
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
        return "Session ended early — all of it is kept." if self.path is not None else "Session ended early."

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
            yield Static(
                f"{ritual.name if ritual else rec['protocol']} · {format_duration(rec['duration_seconds'], elapsed=True)} together"
                + (f" · “{rec['topic']}”" if rec.get("topic") else ""),
                id="subtitle", markup=False,
            )
            yield Static(summary_table(rec), id="table")
            notes = Text()
            names = {p["side"]: p["name"] for p in rec["partners"]}
            for kind, heading in NOTE_TITLES.items():
                mine = [n for n in rec["notes"] if n["kind"] == kind]
                if mine:
                    notes.append(f"\n{heading}\n", style="bold")
                    for n in mine:
                        notes.append(f"  • {names.get(n['by'], n['by'])}: {n['text']}\n")
            if notes:
                yield Static(notes, id="notes")
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
        from .recover import SaveElsewhereScreen

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.path = self.saver.save_elsewhere(folder)
                self.error = self.saver.error
                self._refresh_saved()

        self.app.push_screen(SaveElsewhereScreen(), chosen)

    def action_home(self) -> None:
        from .home import HomeScreen

        if self.path is None and self.saver is not None and not self.saver.journal_kept:
            from .dialogs import ConfirmScreen

            def answer(leave: bool | None) -> None:
                if leave:
                    self.app.switch_screen(HomeScreen())

            self.app.push_screen(ConfirmScreen("Leave without saving?", "This session is not saved anywhere yet.",
                                               yes="Leave", no="Stay"), answer)
            return
        self.app.switch_screen(HomeScreen())

    def action_quit_app(self) -> None:
        self.app.exit()
