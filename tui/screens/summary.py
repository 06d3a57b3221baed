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
    ]

    def __init__(self, record: dict, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.record, self.path, self.error = record, path, error

    def compose(self) -> ComposeResult:
        rec = self.record
        title = "Thank you both." if rec["status"] == "completed" else "Session ended early — all of it is kept."
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
            if self.path is not None:
                yield Static(f"Saved to {self.path}", id="saved", markup=False)
            else:
                yield Static(f"Could not save the session: {self.error}", id="saved", classes="-error", markup=False)
        yield Footer()

    def action_home(self) -> None:
        from .home import HomeScreen

        self.app.switch_screen(HomeScreen())

    def action_quit_app(self) -> None:
        self.app.exit()
