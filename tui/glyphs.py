"""Symbols with a plain stand-in, for ASCII mode and fonts without them.

No symbol here is ever needed to understand anything: each stands beside
words. In ASCII mode (a setting, and automatic on `TERM=linux`, `dumb` and
the like) every one becomes plain ASCII, and borders and bars do too.
"""

from __future__ import annotations

import os
import re
import unicodedata

GLYPHS = {
    "warning": ("⚠", "!"),
    "check": ("✓", "+"),
    "bullet": ("•", "*"),
    "dot": ("·", "-"),
    "chosen": ("●", "*"),
    "floor": ("▶", ">"),
    "floor-end": ("◀", "<"),
    "paused": ("⏸", "||"),
    "hand": ("✋", "(hand)"),
    "swap": ("⇄", "<>"),
    "ellipsis": ("…", "..."),
    "dash": ("—", "-"),
    "bar-full": ("█", "#"),
    "bar-empty": ("░", "."),
    "breath": ("●", "o"),
    "open-quote": ("“", '"'),
    "close-quote": ("”", '"'),
}

PLAIN_TERMS = ("linux", "dumb", "vt100", "vt102", "vt220", "ansi", "cons25", "unknown")

_ascii = False


def terminal_wants_ascii(term: str | None = None) -> bool:
    """A console or dumb terminal whose font lacks box drawing and symbols."""
    term = (os.environ.get("TERM", "") if term is None else term).strip().lower()
    return term in PLAIN_TERMS or term.startswith(("vt1", "vt2"))


# The big clock in ASCII: a seven-segment face of _ and |, three cells a character as Textual's own
# 3×3 font. Passed through the screen filter instead, that font's heavy strokes read "#=#   #=##=#".
_SEVEN = {
    " ": ("   ", "   ", "   "),
    "0": (" _ ", "| |", "|_|"), "1": ("   ", "  |", "  |"), "2": (" _ ", " _|", "|_ "),
    "3": (" _ ", " _|", " _|"), "4": ("   ", "|_|", "  |"), "5": (" _ ", "|_ ", " _|"),
    "6": (" _ ", "|_ ", "|_|"), "7": (" _ ", "  |", "  |"), "8": (" _ ", "|_|", "|_|"),
    "9": (" _ ", "|_|", " _|"), "+": ("   ", "_|_", " | "), "-": ("   ", " _ ", "   "),
    "^": (" ^ ", "   ", "   "), "x": ("   ", " x ", "   "), ":": ("   ", " . ", " . "),
    "A": (" _ ", "|_|", "| |"), "B": ("   ", "|_ ", "|_|"), "C": (" _ ", "|  ", "|_ "),
    "D": ("   ", " _|", "|_|"), "E": (" _ ", "|_ ", "|_ "), "F": (" _ ", "|_ ", "|  "),
    "$": ("   ", " $ ", "   "), "£": ("   ", " L ", "   "), "€": ("   ", " E ", "   "),
    "(": (" / ", "|  ", " \\ "), ")": (" \\ ", "  |", " / "),
}
_fancy_digits: tuple[list[str], list[str]] | None = None


def _ascii_digits(on: bool) -> None:
    """Give Textual's `Digits` the seven-segment face in ASCII mode, and its own back after."""
    global _fancy_digits
    if not on and _fancy_digits is None:
        return  # never changed: nothing to give back (and no need to import Textual's font)
    from textual.renderables import digits

    if _fancy_digits is None:
        _fancy_digits = (digits.DIGITS3X3, digits.DIGITS3X3_BOLD)
    if on:
        face = [row for ch in digits.DIGITS for row in _SEVEN.get(ch, ("   ", "   ", "   "))]
        digits.DIGITS3X3 = digits.DIGITS3X3_BOLD = face
    else:
        digits.DIGITS3X3, digits.DIGITS3X3_BOLD = _fancy_digits


def set_ascii(on: bool) -> None:
    global _ascii
    _ascii = bool(on)
    _ascii_digits(_ascii)


def ascii_mode() -> bool:
    return _ascii


def glyph(name: str) -> str:
    fancy, plain = GLYPHS[name]
    return plain if _ascii else fancy


def plain(text: str) -> str:
    """Text with every known symbol replaced, when in ASCII mode; as it is otherwise."""
    if not _ascii:
        return text
    for fancy, simple in GLYPHS.values():
        text = text.replace(fancy, simple)
    return text


def shown(value):
    """What a widget is given, with symbols in words' room before layout (ASCII mode only).

    The screen-wide filter keeps each cell's width, so it can only turn "…" into
    "."; given here, before the text is laid out, "…" becomes "..." and
    "I feel … when …" does not read as "I feel . when .".
    """
    if not _ascii:
        return value
    if isinstance(value, str):
        return plain(value)
    from rich.text import Text

    if isinstance(value, Text) and not value.plain.isascii():
        text = plain(value.plain)
        if text != value.plain:  # spans would no longer line up: the whole keeps the base style
            return Text(text, style=value.style, justify=value.justify, no_wrap=value.no_wrap)
    return value


# ----- the whole screen in ASCII ---------------------------------------------
#
# Box drawing, blocks and symbols come from many widgets (borders, the big
# clock, progress bars, other screens' words). Rather than teach each of them,
# ASCII mode passes every painted line through one filter (Textual's own
# line-filter hook, as NO_COLOR does), keeping each character's width.

def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x2500, 0x2580):  # box drawing: light lines as + - |, heavy and double ones as # = #
        name = unicodedata.name(chr(code), "").removeprefix("BOX DRAWINGS ")
        strong = "HEAVY" in name or ("DOUBLE" in name and "DASH" not in name)  # the floor-holder, a focused field
        if "DIAGONAL" in name:
            table[code] = {0x2571: "/", 0x2572: "\\"}.get(code, "x")
        elif " AND " in name:
            table[code] = "#" if strong else "+"  # a corner or a joint
        elif "HORIZONTAL" in name or name.endswith((" LEFT", " RIGHT")):
            table[code] = "=" if strong else "-"
        elif "VERTICAL" in name or name.endswith((" UP", " DOWN")):
            table[code] = "#" if strong else "|"
        else:
            table[code] = "+"
    for code in range(0x2580, 0x25A0):  # block elements
        table[code] = "#"
    table.update({ord("░"): ".", ord("▒"): ":", ord("▓"): "#", ord("▔"): "-", ord("▁"): "_", ord("▊"): "|",
                  ord("▎"): "|", ord("▏"): "|", ord("▕"): "|", ord("▌"): "|", ord("▐"): "|", ord("▍"): "|",
                  ord("▋"): "|", ord("▉"): "|", ord("▇"): "#", ord("▆"): "#", ord("▅"): "=", ord("▄"): "=",
                  ord("▃"): "_", ord("▂"): "_"})
    singles = {"✓": "+", "✔": "+", "●": "*", "•": "*", "·": "-", "▶": ">", "◀": "<", "►": ">", "◄": "<",
               "▼": "v", "▲": "^", "…": ".", "—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
               "⇄": "=", "⚠": "!", "×": "x", "→": ">", "←": "<", "↑": "^", "↓": "v", "⏎": "<", "≥": ">",
               "≤": "<", "★": "*", "☆": "*", "○": "o", "◉": "o", "◯": "o", "⏸": "|", "✋": "!", "🔔": "!"}
    for fancy, simple in singles.items():
        table[ord(fancy)] = simple
    return table


_TABLE = _build_table()


def to_ascii(text: str) -> str:
    """The same text with box drawing, blocks and known symbols as ASCII, each the same width."""
    if text.isascii():
        return text
    from rich.cells import cell_len

    out = []
    for ch in text:
        simple = _TABLE.get(ord(ch))
        if simple is None:
            out.append(ch)
        else:
            out.append(simple * max(1, cell_len(ch)) if len(simple) == 1 else simple)
    return "".join(out)


def ascii_filter():
    """A Textual line filter that paints every line through `to_ascii`."""
    from rich.segment import Segment
    from textual.filter import LineFilter

    class AsciiFilter(LineFilter):
        def apply(self, segments: list[Segment], background):
            return [Segment(to_ascii(s.text), s.style, s.control) if not s.control else s for s in segments]

    return AsciiFilter()


# C0 and C1 controls (ESC, BEL, CSI, OSC…), bidi marks, overrides and isolates, line and paragraph separators:
# what a terminal would act on, or what would reorder the line, rather than show.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def safe_filter():
    """A Textual line filter that lets no control or bidi character of any text reach the terminal.

    Widgets show names, topics and notes from files as Text, but Text keeps ESC and its kin: a topic could
    retitle the terminal or clear it. This is the net under every screen: each such character takes no cell,
    so dropping it keeps every line's width.
    """
    from rich.segment import Segment
    from textual.filter import LineFilter

    class SafeFilter(LineFilter):
        def apply(self, segments: list[Segment], background):
            if not any(_UNSAFE.search(s.text) for s in segments if not s.control):
                return segments
            return [Segment(_UNSAFE.sub("", s.text), s.style, s.control) if not s.control else s
                    for s in segments]

    return SafeFilter()
