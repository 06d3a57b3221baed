"""Text from people and files, made safe to print on a terminal.

Names, topics, notes and file names are data. On the command line a control
character (C0/C1, escape sequences), a format character or a bidi override
could retitle the terminal, write the clipboard or forge a line, so each is
shown escaped instead (as `\\x1b`, `\\u202e`), the way `ls` shows `?`.
"""

from __future__ import annotations

import unicodedata

_KEEP = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def is_unsafe(ch: str) -> bool:
    """A character that is not ordinary visible text: controls, format and bidi characters."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and ch != "\u200d"


def printable(text: object, *, newlines: bool = False) -> str:
    """`text` with every unsafe character shown escaped. `newlines` keeps line breaks as they are."""
    out = []
    for ch in str(text):
        if newlines and ch == "\n":
            out.append(ch)
        elif ch in _KEEP:
            out.append(_KEEP[ch])
        elif is_unsafe(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def has_unsafe(text: str) -> bool:
    """True when `text` holds a character a name or topic must not (see `is_unsafe`)."""
    return any(is_unsafe(ch) for ch in text)
