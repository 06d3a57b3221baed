"""Symbols with a plain stand-in, for ASCII mode and fonts without them.

No symbol here is ever needed to understand anything: each stands beside
words. In ASCII mode (a setting, and automatic on `TERM=linux`, `dumb` and
the like) every one becomes plain ASCII, and borders and bars do too.
"""

from __future__ import annotations

import os

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


def set_ascii(on: bool) -> None:
    global _ascii
    _ascii = bool(on)


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
