"""Is every line of the app's own text on screen whole? One checker for every screen.

`cut_text(screen)` lists what a person could not read in full right now:

- a widget clipped by its container (a hint falling out of its pane, a key
  pushed off the key bar), unless a vertical scroll bar is there to reach it;
- text that does not fit its own box: a one-line label whose words wrap
  into a second line nobody sees, or a no-wrap line ending in "…";
- a Rich table whose cells wrap at this width (a label wrapping into a
  table), found by rendering it again on a very wide console;
- a table or list (DataTable, OptionList) wider than its box: columns lost.

Input boxes hold what people type and are left alone; so are notifications.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

SKIP = ("Toast", "ToastRack", "Tooltip", "ScrollBar", "ScrollBarCorner", "TooSmall", "Input", "TextArea",
        "SelectOverlay")


def _name(widget: Widget) -> str:
    ident = f"#{widget.id}" if widget.id else ""
    classes = "".join(f".{c}" for c in sorted(widget.classes) if not c.startswith("-"))
    return f"{type(widget).__name__}{ident}{classes}"


def _scrolls_to_reach(widget: Widget) -> bool:
    """True when an ancestor shows a vertical scroll bar, so clipped lines can be scrolled to."""
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Widget) and ancestor.show_vertical_scrollbar:
            return True
    return False


def _plain(widget: Widget) -> str:
    content = getattr(widget, "content", None) if isinstance(widget, Static) else None
    text = str(content) if content is not None else ""
    return " ".join(text.split())[:60]


def _table_wraps(table: Table, width: int) -> bool:
    def lines(at: int) -> int:
        console = Console(width=at, file=open("/dev/null", "w"), color_system=None, legacy_windows=False)
        return len(console.render_lines(table, console.options.update_width(at), pad=False))

    return lines(width) > lines(1000)


def cut_text(screen) -> list[str]:
    problems: list[str] = []
    for widget in screen.walk_children(with_self=False):
        if not isinstance(widget, Widget) or type(widget).__name__ in SKIP:
            continue
        if any(type(a).__name__ in SKIP for a in widget.ancestors_with_self):
            continue
        try:
            geometry = screen.find_widget(widget)
        except (NoWidget, NoMatches):
            continue  # not displayed now
        region = geometry.region
        if region.width == 0 or region.height == 0:
            continue
        if isinstance(widget, Static) and not str(widget.content).strip():
            continue  # an empty line waiting for words
        visible = geometry.visible_region
        if visible != region:
            across = visible.width != region.width
            if across or not _scrolls_to_reach(widget):
                problems.append(f"{_name(widget)} is cut by its container "
                                f"(shown {visible.width}×{visible.height} of {region.width}×{region.height}) "
                                f"{_plain(widget)!r}")
                continue
        if isinstance(widget, (DataTable, OptionList)):
            inner = widget.scrollable_content_region
            if widget.virtual_size.width > inner.width:
                problems.append(f"{_name(widget)} is wider than its box "
                                f"({widget.virtual_size.width} > {inner.width}): columns are lost")
            continue
        if widget.is_container or isinstance(widget, (Input, TextArea)):
            continue
        box = widget.content_region.size
        if box.width <= 0:
            continue
        container = widget.parent.size if isinstance(widget.parent, Widget) else screen.size
        viewport = screen.size
        styles = widget.styles
        if styles.text_wrap == "nowrap":
            natural = widget.get_content_width(Size(10_000, container.height), viewport)
            if natural > box.width:
                problems.append(f"{_name(widget)} is cut at the right ({natural} > {box.width}) {_plain(widget)!r}")
                continue
        needed = widget.get_content_height(container, viewport, box.width)
        if needed > box.height and not widget.show_vertical_scrollbar:
            problems.append(f"{_name(widget)} needs {needed} lines, has {box.height} {_plain(widget)!r}")
            continue
        content = getattr(widget, "content", None) if isinstance(widget, Static) else None
        if isinstance(content, Table) and _table_wraps(content, box.width):
            problems.append(f"{_name(widget)}: a table cell wraps at width {box.width}")
    return problems
