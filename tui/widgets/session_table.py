"""A table that draws only the rows on screen, so years of sessions open and filter at once.

Textual's `DataTable` measures every cell of every row when rows are added
(2.3 s for 5,000 rows here), which no filter keystroke can afford. This is a
Line API widget: rows are plain tuples of strings, widths are given, and only
the lines in view are rendered. Text from files is shown as data: control
characters are removed and every cell is cut to its width in terminal cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class SessionTable(ScrollView, can_focus=True):
    """Rows of cells under a header; a row cursor; enter selects."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="session-table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="session-table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="session-table.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="session-table.page-down"),
        Binding("home", "jump(0)", "First", show=False, id="session-table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="session-table.last"),
        Binding("enter", "select", "Open", show=False, id="session-table.select"),
    ]
    COMPONENT_CLASSES = {"session-table--header", "session-table--cursor", "session-table--stripe"}
    DEFAULT_CSS = """
    SessionTable { height: 1fr; }
    SessionTable > .session-table--header { text-style: bold; color: $text-primary; background: $panel; }
    SessionTable > .session-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                            text-style: bold; }
    SessionTable > .session-table--stripe { background: $surface-lighten-1; }
    """

    cursor_row: reactive[int] = reactive(0)

    class Selected(Message):
        """Enter (or a click) on a row."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headers: tuple[str, ...] = ()
        self.widths: tuple[int, ...] = ()
        self.rows: Sequence[tuple[str, ...]] = []

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_columns(self, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
        self.headers, self.widths = headers, widths
        self._resize()

    def set_rows(self, rows: Sequence[tuple[str, ...]], cursor: int = 0) -> None:
        """Replace every row (cheap: nothing is measured or rendered here; a lazy sequence is fine)."""
        self.rows = rows
        self._resize()
        self.cursor_row = max(0, min(cursor, len(rows) - 1))
        self.refresh()

    def _resize(self) -> None:
        width = sum(self.widths) + 2 * len(self.widths)
        self.virtual_size = Size(width, len(self.rows) + 1)  # the header is line 0

    def _line(self, cells: tuple[str, ...]) -> str:
        return "".join(" " + set_cell_size(strip_control_codes(" ".join(str(c).split())), w) + " "
                       for c, w in zip(cells, self.widths))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:  # the header stays put while the rows scroll
            style = self.get_component_rich_style("session-table--header")
            return Strip([Segment(set_cell_size(self._line(self.headers), width), style)])
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip([Segment(" " * width, self.rich_style)])
        if index == self.cursor_row:
            style = self.get_component_rich_style("session-table--cursor")
        elif index % 2:
            style = self.get_component_rich_style("session-table--stripe")
        else:
            style = self.rich_style
        return Strip([Segment(set_cell_size(self._line(self.rows[index]), width), style)])

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        view = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + view:
            self.scroll_to(y=self.cursor_row - view + 1, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(len(self.rows) - 1, self.cursor_row + step))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 2))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor_row = where if where >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self.cursor_row))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            if index == self.cursor_row and event.chain >= 2:
                self.post_message(self.Selected(index))
            self.cursor_row = index

