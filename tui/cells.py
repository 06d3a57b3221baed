"""Text measured and cut as the terminal draws it: in cells, not characters.

A CJK character or most emoji take two cells, a combining accent none; `len()` counts each as one, so a line
"fitted" by `len()` can still overflow, or be cut where it had room.
"""

from __future__ import annotations

from rich.cells import cell_len

__all__ = ["cell_len", "cut"]


def cut(text: str, room: int, mark: str = "…", rstrip: bool = False) -> str:
    """`text` whole when it fits in `room` cells; else as much of its start as fits with `mark` after it, within
    `room` cells (never splitting an accent, joiner or variation selector from what it belongs to); `rstrip`: no
    space before the mark."""
    if cell_len(text) <= room:
        return text
    room -= cell_len(mark)
    if room < 0:
        return ""
    used = end = 0
    for i, char in enumerate(text):
        width = cell_len(char)
        if width and i and text[i - 1] != "\u200d":  # a place a cut may fall: before a char that stands alone
            end = i
        used += width or char == "\ufe0f"  # a joined emoji counts each part, ❤️ two: it cuts early, never late
        if used > room:
            break
    return (text[:end].rstrip() if rstrip else text[:end]) + mark
