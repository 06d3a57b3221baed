"""The words and redraw helpers a session screen paints with before its partners' panes are built.

Apart from `pane.py` (the panes themselves, their clock and bar) so that the
first frame of `heartline start` (the ground rules, the check-in or "Is now a
good time?", with the panes hidden) does not import the pane widgets, nor
Textual's progress bar and label, before it is out (issue 17). `pane` gives
the same names.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Digits

from heartline.sessions.durations import whole_seconds
from heartline.sessions.engine import State

from ..glyphs import shown


# The engine's repair codes in the app's own words (Gottman's repair attempts: gentle, and about oneself).
REPAIR_WORDS = {
    "slow-down": "Can we slow down?",
    "getting-flooded": "I'm getting flooded. I need a moment.",
    "more-gently": "Let me say that more gently.",
    "my-part": "I can see my part in this.",
    "understand": "I hear you. I want to understand.",
    "start-again": "Can we start that part again?",
    "same-side": "We're on the same side here.",
    "flooded": "I think I'm flooded: a time-out, please.",
}


def repair_words(code: str) -> str:
    """A repair phrase in the app's words."""
    return REPAIR_WORDS.get(code, code)


def same_shape(old: object, new: object) -> bool:
    """Whether new text takes exactly the room the old did (so a redraw needs no layout).

    The same cells and the same spaces and line breaks in the same places wrap
    the same way: a countdown "0:18 left" → "0:17 left" does; "9:59" → "10:00" does not.
    """
    if not isinstance(old, (str, Text)) or not isinstance(new, (str, Text)):
        return False
    old, new = str(old), str(new)
    return (len(old) == len(new) and cell_len(old) == cell_len(new)
            and all((a.isspace() or b.isspace()) <= (a == b) for a, b in zip(old, new)))


def update_text(widget, old: object, value: object) -> None:
    """Give a widget its new words: a layout only when they take other room (a countdown's second does not)."""
    if isinstance(widget, Digits):
        widget.update(shown(value))  # Digits asks for a layout itself only when its length changes
    else:  # a layout each second would cost most of a redraw
        widget.update(shown(value), layout=not same_shape(shown(old), shown(value)))


def timeless(state: State) -> dict:
    """`state`'s fields without the seconds only the big clock and the bar show (the time together by its minute,
    the floor in all as the words say it): two states alike here paint alike, but for those two."""
    fields = dict(vars(state))  # a copy of a frozen dataclass's fields: a twentieth of `dataclasses.replace`
    fields.update(elapsed=whole_seconds(state.elapsed) // 60, time_left=0.0, grace_left=0.0, overtime=0.0,
                  timeout_left=0.0, timeout_spent=0.0, timeout_undo_left=0.0,
                  floor_left=state.floor_after)
    return fields
