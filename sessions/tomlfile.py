"""Reading the small TOML files people may write by hand (rituals, decks).

One place decides how a file that cannot be used is described, so every
message names the file, the field where there is one, and what is wrong.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from .files import read_regular

MAX_HAND_WRITTEN = 1024 * 1024  # a ritual or deck is a few KB
MAX_DOTTED = 64  # tomllib is quadratic in a key's dots: 20,000 of them took 12 s
_DOT = re.compile(r"\.\s*[\w\"']")


# Deletes every ASCII character but dots and newlines: what is left shows each line's dots side by side.
_DOTS_ONLY = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in ".\n"))
# The same for UTF-8 bytes, every other byte deleted (no byte of a longer character is a dot or a newline).
_NOT_DOTS = bytes(b for b in range(256) if b not in b".\n")


def too_deep(text: str) -> bool:
    """A key with more than MAX_DOTTED dotted parts: nothing heartline writes, and slow to parse.

    First a quick look for any line with that many dots at all (a session
    file's numbers have dots too, and splitting every file into lines cost a
    tenth of reading years of sessions); only then each line's key.
    """
    dots = text.translate(_DOTS_ONLY)
    if dots.isascii() and "." * (MAX_DOTTED + 1) not in dots:
        return False
    for line in text.splitlines():
        key = line.split("=", 1)[0] if "=" in line else line
        if len(_DOT.findall(key)) > MAX_DOTTED:
            return True
    return False


def parse_text(raw: bytes) -> dict:
    """TOML bytes to a table; ValueError with a plain reason for anything that goes wrong.

    Any exception while parsing (a RecursionError from 500 nested brackets, a
    MemoryError) means the file is damaged, never that heartline stops.
    """
    try:
        text = raw.decode("utf-8-sig")  # tolerate a BOM (Notepad)
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    if b"." * (MAX_DOTTED + 1) in raw.translate(None, _NOT_DOTS) and too_deep(text):  # bytes: the quickest look
        raise ValueError(f"has keys nested more than {MAX_DOTTED} deep")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise ValueError("is nested too deeply to read") from None
    except MemoryError:
        raise ValueError("is too large to read") from None
    except Exception as exc:  # noqa: BLE001 - whatever a hostile file provokes, it is that file's problem
        raise ValueError(f"could not be read ({type(exc).__name__})") from None


class FileProblem(Exception):
    """A hand-written file that cannot be used, and exactly why."""

    def __init__(self, source: str, field_name: str, problem: str) -> None:
        self.source = source
        self.field = field_name
        self.problem = problem
        super().__init__(f"{source}: {field_name}: {problem}" if field_name else f"{source}: {problem}")


def reject_unknown(data: dict, allowed: tuple[str, ...] | set[str], problem: type[FileProblem], source: str,
                   where: str = "") -> None:
    """Strict files: a key heartline does not know (a typo like `speak_second`) is named, never ignored."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), 1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise problem(source, f"{where}{key}", f"is not a field heartline knows{hint}")


def read_toml(path: Path, problem: type[FileProblem]) -> dict:
    """The file's table; `problem` (a FileProblem subclass) when it cannot be read or parsed."""
    source = str(path)
    try:
        raw = read_regular(path, MAX_HAND_WRITTEN)
    except OSError as exc:
        raise problem(source, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        return parse_text(raw)
    except ValueError as exc:
        raise problem(source, "", str(exc)) from None
