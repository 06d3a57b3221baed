"""Where heartline keeps its files.

`HEARTLINE_HOME`, when set, holds both data and config (handy for tests, a USB
stick, or keeping two couples apart); otherwise the platform's user folders.
Nothing is created until something is written, and what is created is
private (0700): these are a couple's conversations.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from . import files

APP = "heartline"
ENV_HOME = "HEARTLINE_HOME"


def _home() -> Path | None:
    value = os.environ.get(ENV_HOME, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Where sessions are saved (a symbolic link there followed as `followed` says)."""
    return followed(_home() or Path(platformdirs.user_data_dir(APP, appauthor=False)))


def config_dir() -> Path:
    """Where rituals, decks, themes and settings the user adds live (a link followed as `followed` says)."""
    return followed(_home() or Path(platformdirs.user_config_dir(APP, appauthor=False)))


def followed(folder: Path) -> Path:
    """The folder heartline was told to use, or the real folder it leads to when it is a link heartline follows.

    Keeping heartline's folder in a synced folder through a symbolic link is
    common: such a top folder (HEARTLINE_HOME, --data-dir, the platform's data
    or config folder) is followed when the link and the folder it leads to are
    both the user's own. Anything else comes back as it is, and is refused
    (`check_usable`, `files.ensure_private_dir`) naming the link. Inside
    heartline's folder a link is never followed.
    """
    folder = Path(folder)
    try:
        if not stat.S_ISLNK(os.lstat(folder).st_mode) or os.lstat(folder).st_uid != os.getuid():
            return folder
        real = Path(os.path.realpath(folder, strict=True))
        target = os.stat(real)
    except (OSError, RuntimeError):  # missing, a loop, or leading nowhere
        return folder
    if not stat.S_ISDIR(target.st_mode) or target.st_uid != os.getuid():
        return folder
    return real


def _why_not_followed(link: Path) -> str:
    try:
        if os.lstat(link).st_uid != os.getuid():
            return "is a symbolic link made by another user; heartline does not follow it"
        target = os.stat(link)
    except OSError:
        return "is a symbolic link that leads nowhere"
    if not stat.S_ISDIR(target.st_mode):
        return "is a symbolic link to something that is not a folder"
    return "is a symbolic link to a folder of another user; heartline does not follow it"


def sessions_dir(data: Path) -> Path:
    return data / "sessions"


def rituals_dir(config: Path) -> Path:
    return config / "rituals"


def decks_dir(config: Path) -> Path:
    return config / "decks"


def themes_dir(config: Path) -> Path:
    return config / "themes"


def settings_path(config: Path) -> Path:
    return config / "settings.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; see `files.ensure_private_dir`."""
    return files.ensure_private_dir(path)


def check_usable(folder: Path, *, writable: bool = True) -> Path:
    """`folder` if it is (or can become) a folder heartline can use; FileRefused saying why not.

    Checked at start, before anyone talks: a HEARTLINE_HOME that is a file, or
    sits under one, would otherwise show "no sessions yet" or lose a session.
    """
    folder = Path(folder)
    if os.path.islink(folder) and followed(folder) == folder:
        raise files.FileRefused(folder, _why_not_followed(folder))
    probe = folder
    while not os.path.exists(probe):
        if probe.parent == probe:
            break
        probe = probe.parent
    if not os.path.isdir(probe):
        raise files.FileRefused(probe, "is not a folder")
    if writable and not os.access(probe, os.W_OK | os.X_OK):
        raise files.FileRefused(probe, "is a folder heartline cannot write to")
    return folder
