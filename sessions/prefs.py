"""What heartline remembers between sessions: the couple's names and last choices.

Kept in `settings.toml` in the config folder. A damaged or missing file gives
the defaults (and says so through `problem`), never a crash.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import tomli_w

FILE = "settings.toml"


@dataclass(frozen=True)
class Prefs:
    left: str = ""
    right: str = ""
    protocol: str = "speaker-listener"
    speak: int = 0  # 0: the ritual's default
    reflect: int = 0
    rounds: int = 0
    deck: str = ""
    checkin: bool = True
    closing_appreciation: bool = True
    bell: bool = True
    theme: str = ""
    # {layout = "azerty", keys = {"left.done" = "g"}}; what the names mean is checked by tui/keys.py
    keymap: dict = field(default_factory=dict)
    problem: str = ""  # why the file could not be used, if it could not

    def remember(self, **changes) -> Prefs:
        return replace(self, **changes)


def load(config_dir: Path) -> Prefs:
    path = config_dir / FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Prefs()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Prefs(problem=f"{path}: could not be read, using defaults ({exc})")
    values = {}
    for f in fields(Prefs):
        if f.name == "problem" or f.name not in data:
            continue
        value = data[f.name]
        expected = type(getattr(Prefs(), f.name))
        if type(value) is not expected:
            return Prefs(problem=f"{path}: {f.name}: must be {expected.__name__}, using defaults")
        values[f.name] = value
    return Prefs(**values)


def save(config_dir: Path, prefs: Prefs) -> None:
    """Atomic and private, like the session files."""
    config_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {k: v for k, v in asdict(prefs).items() if k != "problem"}
    fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, config_dir / FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
