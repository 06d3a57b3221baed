"""Reading the small TOML files people may write by hand (rituals, decks).

One place decides how a file that cannot be used is described, so every
message names the file, the field where there is one, and what is wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


class FileProblem(Exception):
    """A hand-written file that cannot be used, and exactly why."""

    def __init__(self, source: str, field_name: str, problem: str) -> None:
        self.source = source
        self.field = field_name
        self.problem = problem
        super().__init__(f"{source}: {field_name}: {problem}" if field_name else f"{source}: {problem}")


def read_toml(path: Path, problem: type[FileProblem]) -> dict:
    """The file's table; `problem` (a FileProblem subclass) when it cannot be read or parsed."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise problem(source, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # tolerate a BOM (Notepad)
    except UnicodeDecodeError:
        raise problem(source, "", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise problem(source, "", f"is not valid TOML ({exc})") from None
