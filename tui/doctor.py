"""`heartline doctor`: check the folders, the files and their modes, and say what was found.

Every line is a finding in plain words: "ok" for what is well, "problem" for
what needs a person's attention (and which file, and why), "note" for what is
worth knowing. Nothing is changed: the doctor only looks.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from heartline.sessions import journal, paths, store
from heartline.sessions.files import FileRefused
from heartline.sessions.prompts import load_decks
from heartline.sessions.rituals import load_rituals


@dataclass(frozen=True)
class Finding:
    level: str  # ok | note | problem
    text: str


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _folder(label: str, folder: Path, writable: bool, inside: bool = False) -> list[Finding]:
    try:
        paths.check_usable(folder, writable=writable)
    except FileRefused as exc:
        return [Finding("problem", f"{label}: {exc}")]
    if not folder.exists():
        return [Finding("ok", f"{label}: {folder} (not made yet: it is made, private, when first needed)")]
    if os.path.islink(folder):
        if inside:  # heartline never follows a link inside its own folder: nothing can be saved there
            return [Finding("problem", f"{label}: {folder} is a symbolic link (to {os.path.realpath(folder)}); "
                                       "heartline keeps its files only in a real folder")]
        return [Finding("note", f"{label}: {folder} is a link to {os.path.realpath(folder)}, followed (both are "
                                "yours)")]
    mode = _mode(folder)
    if mode & 0o077:
        return [Finding("problem", f"{label}: {folder} can be read by others (mode {mode:04o}; heartline makes 0700)")]
    return [Finding("ok", f"{label}: {folder} (mode {mode:04o})")]


def _modes(folder: Path, pattern: str) -> list[Finding]:
    out = []
    if not folder.is_dir() or folder.is_symlink():
        return out
    for path in sorted(folder.glob(pattern)):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
            out.append(Finding("problem", f"{path} can be read by others (mode {stat.S_IMODE(info.st_mode):04o}; "
                                          "heartline writes 0600)"))
    return out


def _keys(settings: Path, setting: dict) -> list[Finding]:
    from heartline.tui import keys

    try:
        keymap = keys.validate_keymap(setting)
    except keys.KeymapError as exc:
        return [Finding("problem", f"{settings}: keymap: {exc}")]
    changed = f", with {len(setting['keys'])} of your own" if setting.get("keys") else ""
    return [Finding("ok", f"keys: {keys.LAYOUTS[keymap.layout].label}{changed}")]


def _trash(data: Path) -> Finding:
    """What the trash holds: a session there is still on this computer until the trash is emptied."""
    held = store.trash_contents(data)
    if not held:
        return Finding("ok", "trash: empty")
    files = f"{len(held)} file{'s' if len(held) != 1 else ''}"
    return Finding("note", f"trash: {files} in {store.trash_dir(data)} (sessions moved there or put away), still "
                           "on this computer; `heartline trash --empty` deletes them for good")


def check(data: Path, config: Path) -> list[Finding]:
    """Everything the doctor finds, in the order a person would look."""
    found = _folder("data folder", data, writable=True) + _folder("config folder", config, writable=False)
    sessions = paths.sessions_dir(data)
    found += _folder("sessions folder", sessions, writable=True, inside=True) if os.path.lexists(sessions) else []

    records, errors = store.list_sessions(data)
    found.append(Finding("ok", f"{len(records)} session{'s' if len(records) != 1 else ''} read well"))
    found += [Finding("problem", str(e)) for e in errors]
    found += _modes(sessions, "*.toml") + _modes(sessions, f"*{journal.SUFFIX}")
    found.append(_trash(data))

    unfinished, problems = journal.unfinished(data)
    for item in unfinished:
        found.append(Finding("note", f"{item.path}: an unfinished session of {item.head['left']} and "
                                     f"{item.head['right']}; start heartline to resume it, save it or put it away"))
    found += [Finding("problem", p) for p in problems]

    rituals = load_rituals(paths.rituals_dir(config))
    found.append(Finding("ok", f"{len(rituals.rituals)} rituals"))
    found += [Finding("problem", str(e)) for e in rituals.errors]
    found += [Finding("note", n) for n in rituals.notices]
    decks, deck_errors = load_decks(paths.decks_dir(config))
    found.append(Finding("ok", f"{len(decks)} prompt decks"))
    found += [Finding("problem", str(e)) for e in deck_errors]
    try:
        from heartline.themes import load_themes

        themes, theme_errors = load_themes(paths.themes_dir(config))
        found.append(Finding("ok", f"{len(themes)} themes"))
        found += [Finding("problem", str(e)) for e in theme_errors]
    except Exception as exc:  # noqa: BLE001 - the doctor reports, it does not stop
        found.append(Finding("problem", f"themes could not be checked ({type(exc).__name__}: {exc})"))
    try:
        from heartline.sessions import prefs

        remembered = prefs.load(config)
        found += [Finding("problem", line) for line in prefs.check_values(config, remembered)]
        settings = paths.settings_path(config)
        found += _keys(settings, remembered.keymap)
        if settings.exists():
            found += _modes(config, settings.name)
    except Exception as exc:  # noqa: BLE001
        found.append(Finding("problem", f"settings could not be checked ({type(exc).__name__}: {exc})"))
    return found
