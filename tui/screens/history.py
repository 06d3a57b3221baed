"""Past sessions, newest first; enter opens one. (Trends and export come later.)"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from heartline.sessions import store
from heartline.sessions.durations import human_duration

from ..widgets.too_small import GuardedScreen
from .summary import summary_table


class HistoryScreen(GuardedScreen, Screen):
    BINDINGS = [Binding("escape,q", "back", "Back", id="history.back")]
    DEFAULT_CSS = """
    HistoryScreen DataTable { height: 1fr; }
    HistoryScreen #empty { padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="empty")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        records, problems = store.list_sessions(self.app.config.data_dir)
        self.records = {r["id"]: r for r in records}
        table = self.query_one(DataTable)
        table.add_columns("when", "ritual", "length", "how it ended", "who", "topic")
        for r in records:
            names = " & ".join(p["name"] for p in r["partners"])
            ritual = self.app.rituals.get(r["protocol"])
            topic = r.get("topic") or ""
            table.add_row(r["started_at"].strftime("%a %-d %b %Y %H:%M"), Text(ritual.name if ritual else r["protocol"]),
                          human_duration(r["duration_seconds"]), Text(r["status"]), Text(names),
                          Text(topic if len(topic) <= 40 else topic[:39] + "…"), key=r["id"])
        empty = self.query_one("#empty", Static)
        count = f"{len(records)} session{'s' if len(records) != 1 else ''}"
        empty.update("No sessions yet." if not records else f"{count}. Enter opens one.")
        self.app.warn_damaged(problems)
        table.focus()

    @on(DataTable.RowSelected)
    def open(self, event: DataTable.RowSelected) -> None:
        rec = self.records[event.row_key.value]
        self.app.push_screen(SessionDetail(rec))

    def action_back(self) -> None:
        self.app.pop_screen()


class SessionDetail(GuardedScreen, Screen):
    BINDINGS = [Binding("escape,q", "back", "Back", id="detail.back")]
    DEFAULT_CSS = "SessionDetail VerticalScroll { padding: 1 2; }"

    def __init__(self, record: dict) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        from heartline.sessions.export import to_markdown
        from textual.widgets import Markdown

        with VerticalScroll():
            yield Static(summary_table(self.record))
            ritual = self.app.rituals.get(self.record["protocol"])
            yield Markdown(to_markdown(self.record, ritual.name if ritual else None))
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()
