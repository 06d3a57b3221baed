"""Theme files (TOML colour sets) and the loader that turns them into Textual themes.

Built-in themes ship beside this file; a user's own load from the `themes/`
folder of the config folder. A broken file is reported, never fatal.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from textual.theme import Theme

DEFAULT = "heartline"
COLOUR_KEYS = ("primary", "secondary", "accent", "warning", "error", "success",
               "foreground", "background", "surface", "panel", "boost")


def _parse(data: dict, source: str) -> Theme:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{source}: name: is missing")
    if not isinstance(data.get("primary"), str):
        raise ValueError(f"{source}: primary: is missing (a colour such as \"#E8A0B4\")")
    colours = {}
    for key in COLOUR_KEYS:
        if key in data:
            if not isinstance(data[key], str):
                raise ValueError(f"{source}: {key}: must be a colour in quotes")
            colours[key] = data[key]
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError(f"{source}: dark: must be true or false")
    theme = Theme(name=name.strip(), dark=dark, **colours)
    try:
        theme.to_color_system()
    except Exception as exc:  # Textual raises ColorParseError and friends
        raise ValueError(f"{source}: a colour is not valid ({exc})") from None
    return theme


def load_themes(user_dir: Path | None = None) -> tuple[dict[str, Theme], list[str]]:
    """Built-in themes, then the user's; returns themes by name and error lines."""
    files = sorted(Path(str(p)) for p in resources.files(__package__).joinpath("builtin").iterdir()
                   if p.name.endswith(".toml"))
    if user_dir is not None and user_dir.is_dir():
        files += sorted(user_dir.glob("*.toml"))
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            theme = _parse(data, str(path))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            errors.append(f"{path}: cannot be read as a theme ({exc})")
            continue
        except ValueError as exc:
            errors.append(str(exc))
            continue
        themes[theme.name] = theme
    return themes, errors
