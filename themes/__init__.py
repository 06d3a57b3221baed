"""Theme files (TOML colour sets) and the loader that turns them into Textual themes.

Built-in themes ship beside this file; a user's own load from the `themes/`
folder of the config folder. A broken file is reported by name, never fatal,
and never silently ignored: `load_themes` returns one line per problem, naming
the file and the field. The format is described in `themes/FORMAT.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.color import Color
from textual.theme import Theme

from heartline.sessions.tomlfile import FileProblem, read_toml

DEFAULT = "heartline"
COLOUR_KEYS = ("primary", "secondary", "accent", "warning", "error", "success",
               "foreground", "background", "surface", "panel", "boost")
# Colours of our own, used by the style sheets; a theme may set them under [variables].
VARIABLES = ("partner-left", "partner-right", "text-muted")
OTHER_KEYS = ("name", "label", "dark", "variables")
HIGH_CONTRAST = "high-contrast"  # themes whose name starts so promise 7:1


class ThemeProblem(FileProblem):
    """A theme file that cannot be used, and why."""


@dataclass(frozen=True)
class ThemeSet:
    themes: dict[str, Theme]
    errors: list[str]
    files: dict[str, Path]  # name -> the file it came from
    labels: dict[str, str]  # name -> what a person reads ("Calm dark")

    def __iter__(self):  # `themes, errors = load_themes(...)` keeps working
        return iter((self.themes, self.errors))

    def broken_file_named(self, name: str) -> str | None:
        """The problem of a file whose name (stem) is `name`, if one could not be loaded."""
        for line in self.errors:
            path = line.split(": ", 1)[0]
            if Path(path).stem == name:
                return line
        return None


def _colour(value: object, source: str, key: str) -> str:
    if not isinstance(value, str):
        raise ThemeProblem(source, key, 'must be a colour in quotes, such as "#E8A0B4"')
    try:
        Color.parse(value)
    except Exception:  # Textual raises ColorParseError
        raise ThemeProblem(source, key, f"{value!r} is not a colour (use \"#RRGGBB\")") from None
    return value


def parse_theme(data: dict, source: str) -> Theme:
    """A Textual theme from a theme file's table; ThemeProblem naming the field otherwise."""
    unknown = sorted(set(data) - set(COLOUR_KEYS) - set(OTHER_KEYS))
    if unknown:
        known = ", ".join(OTHER_KEYS + COLOUR_KEYS)
        raise ThemeProblem(source, unknown[0], f"is not a theme setting (known: {known})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeProblem(source, "name", "is missing (a short name such as \"calm-dark\")")
    if any(c.isspace() or not c.isprintable() for c in name.strip()):
        raise ThemeProblem(source, "name", "must be one word, such as \"calm-dark\"")
    if "primary" not in data:
        raise ThemeProblem(source, "primary", 'is missing (a colour such as "#E8A0B4")')
    colours = {key: _colour(data[key], source, key) for key in COLOUR_KEYS if key in data}
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeProblem(source, "dark", "must be true or false")
    if "label" in data and not isinstance(data["label"], str):
        raise ThemeProblem(source, "label", "must be text in quotes")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeProblem(source, "variables", "must be a table: [variables]")
    for key, value in variables.items():
        if key not in VARIABLES:
            raise ThemeProblem(source, f"variables.{key}", f"is not a theme variable (known: {', '.join(VARIABLES)})")
        _colour(value, source, f"variables.{key}")
    theme = Theme(name=name.strip(), dark=dark, variables=dict(variables), **colours)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # noqa: BLE001 - a colour Textual cannot use is the file's problem
        raise ThemeProblem(source, "", f"has a colour Textual cannot use ({exc})") from None
    return theme


def builtin_files() -> list[Path]:
    return sorted(p for p in (Path(__file__).parent / "builtin").iterdir()  # files: no importlib.resources
                  if p.name.endswith(".toml"))


def builtin_theme(name: str) -> Theme | None:
    """The built-in theme called `name` (its file is named so), read alone; None if there is none, or it will not load.

    A user's theme may not take a built-in's name, so this is the theme
    `load_themes` would give by that name.
    """
    path = next((p for p in builtin_files() if p.stem == name), None)
    if path is None:
        return None
    try:
        theme = parse_theme(read_toml(path, ThemeProblem), str(path))
    except ThemeProblem:
        return None
    return theme if theme.name == name else None


def load_themes(user_dir: Path | None = None) -> ThemeSet:
    """Built-in themes, then the user's; a user's theme may not take a built-in's name."""
    builtin = builtin_files()
    files = list(builtin)
    if user_dir is not None and user_dir.is_dir():
        try:
            files += sorted(p for p in user_dir.iterdir() if p.suffix == ".toml")
        except OSError as exc:
            return ThemeSet({}, [f"{user_dir}: cannot be read ({exc.strerror or exc})"], {}, {})
    themes: dict[str, Theme] = {}
    where: dict[str, Path] = {}
    errors: list[str] = []
    labels: dict[str, str] = {}
    for path in files:
        try:
            data = read_toml(path, ThemeProblem)
            theme = parse_theme(data, str(path))
        except ThemeProblem as exc:
            errors.append(str(exc))
            continue
        if theme.name in themes and path not in builtin and where[theme.name] in builtin:
            errors.append(f"{path}: name: {theme.name!r} is a built-in theme's name; choose another")
            continue
        themes[theme.name] = theme
        where[theme.name] = path
        labels[theme.name] = " ".join(str(data.get("label") or theme.name).split())[:40]
    return ThemeSet(themes, errors, where, labels)


def variable_defaults() -> dict[str, str]:
    """Values for our own CSS variables when a theme does not set them (Textual needs defaults)."""
    return {"partner-left": "#9FB7D9", "partner-right": "#F2C38A"}
