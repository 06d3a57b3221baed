"""Where heartline keeps its files.

`HEARTLINE_HOME`, when set, holds both data and config (handy for tests, a USB
stick, or keeping two couples apart); otherwise the platform's user folders.
Nothing is created until something is written, and what is created is
private (0700): these are a couple's conversations.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from . import files

APP = "heartline"
ENV_HOME = "HEARTLINE_HOME"


def _home() -> Path | None:
    value = os.environ.get(ENV_HOME, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Where sessions are saved."""
    return _home() or Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """Where rituals, decks, themes and settings the user adds live."""
    return _home() or Path(platformdirs.user_config_dir(APP, appauthor=False))


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
