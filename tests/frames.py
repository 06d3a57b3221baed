"""A terminal kept from the updates Textual writes (cursor moves and text), as a real one would keep them.

Shared by the frame tests (tests/test_frames.py, tests/test_cue_frame.py) and the floor bench
(tests/bench/floor.py): what a person would see, read from what was written, not from a widget.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.segment import ControlType


class Terminal:
    """Cells as a terminal holds them, from the updates written to it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[tuple | None]] = [[None] * width for _ in range(height)]
        self.console = Console(width=width, height=height, file=open("/dev/null", "w"), legacy_windows=False)

    def write(self, update) -> None:
        x = y = 0
        for segment in update.__rich_console__(self.console, self.console.options):
            if segment.control:
                for code in segment.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                continue
            if segment.text == "\n":
                continue  # every line of an update begins with its own move
            for char in segment.text:
                if 0 <= y < self.height and 0 <= x < self.width:
                    self.cells[y][x] = (char, segment.style)
                x += cell_len(char)

    def rows(self) -> list[str]:
        return ["".join(c[0] if c else "?" for c in row) for row in self.cells]
