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
    """Create `path` (and missing parents) as 0700; tighten it to 0700 if it exists.

    Parents that already exist are left alone: `HEARTLINE_HOME` may point into
    a folder the user shares on purpose.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass  # created by someone else meanwhile
        os.chmod(folder, 0o700)
    os.chmod(path, 0o700)
    return path
