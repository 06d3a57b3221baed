"""What heartline remembers between sessions: the couple's names, last choices and settings.

Kept in `settings.toml` in the config folder. A key heartline does not know
(a typo such as `speak_second`), or a value of the wrong type, out of range or
not one of its choices, is refused alone, in one line naming it; that setting
keeps its default and every other setting in the file is used (as a key in
`[keymap]` is refused alone). A file that cannot be read or is not TOML is not
used at all: the defaults, and a line saying why. Either way the file is left
exactly as it is, never overwritten, until the person saves settings on
purpose; then the old file is kept beside it as `settings.toml.bak`.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path


from .files import read_regular, write_private
from .keep import KEEPS
from .text import has_unsafe
from .tomlfile import parse_text

FILE = "settings.toml"
BACKUP = "settings.toml.bak"

# field: (lowest, highest) for numbers; 0 means "the ritual's own" where allowed.
RANGES = {
    "speak": (0, 3600),
    "reflect": (0, 3600),
    "rounds": (0, 20),
    "grace": (0, 300),
    "confirm": (0, 600),
    "timeout_minutes": (20, 24 * 60),
}

CHOICES = {"keep": KEEPS}

RELAY_RE = re.compile(r"^wss?://[A-Za-z0-9._\[\]:-]+(:[0-9]{1,5})?(/[!-~]*)?$")


@dataclass(frozen=True)
class Prefs:
    left: str = ""
    right: str = ""
    protocol: str = "speaker-listener"
    speak: int = 0  # seconds; 0: the ritual's default
    reflect: int = 0
    rounds: int = 0
    grace: int = 0  # seconds to wrap up after time; 0: the ritual's
    confirm: int = 0  # seconds to answer "did they get it?"; 0: the ritual's
    deck: str = ""
    checkin: bool = True
    closing_appreciation: bool = True
    warnings: bool = True  # "under 30 seconds" and "under 10 seconds" before a turn ends
    bell: bool = True
    timeout_minutes: int = 20  # the shortest time-out; a flooded body needs twenty minutes
    reduced_motion: bool = False  # the breathing pacer and flashes become still text
    quiet_clock: bool = False  # a calm bar instead of big digits
    theme: str = ""
    ascii: bool = False  # plain ASCII borders, bars and symbols (automatic on TERM=linux and dumb terminals)
    # {layout = "azerty", keys = {"left.done" = "g"}}; what the names mean is checked by tui/keys.py
    keymap: dict = field(default_factory=dict)
    keep: str = "shape"  # what a session's file keeps: "shape", "words" or "nothing" (asked again at each end)
    relay: str = ""  # a session apart: the magic-wormhole mailbox server ("" for magic-wormhole's public one)
    told_files: bool = False  # the first run said once that sessions are plain files on this computer
    told_safety: bool = False  # "Is this right for us?" was shown once, before the first session
    problem: str = ""  # what in the file could not be used, one line each ("" when all of it is used)
    refused: tuple = ()  # the keys refused alone (the rest of the file is used); () when none, or the whole file

    def remember(self, **changes) -> Prefs:
        return replace(self, **changes)

    def timing(self) -> dict:
        """The SessionPlan fields these settings decide (None: the ritual's own)."""
        return {"grace": self.grace or None, "confirm": self.confirm or None,
                "timeout": self.timeout_minutes * 60}


class SettingsDamaged(OSError):
    """settings.toml has a problem and is kept as it is until the person saves settings."""


def _path(config_dir: Path) -> Path:
    return Path(config_dir) / FILE


NOT_KEPT = ("problem", "refused")  # what a Prefs knows about its file, never written into it
TYPE_WORDS = {bool: "true or false", int: "a whole number", str: "text in quotes", dict: "a table"}


def _wrong(name: str, value: object) -> str:
    """Why `value` cannot be the setting `name` ("must be …"); "" when it can."""
    known = {f.name for f in fields(Prefs)} - set(NOT_KEPT)
    if name not in known:
        return "is not a setting heartline knows (a typo?)"
    expected = type(getattr(Prefs(), name))
    if type(value) is not expected:
        return f"must be {TYPE_WORDS.get(expected, expected.__name__)}"
    if name in CHOICES and value not in CHOICES[name]:
        return f"must be one of {', '.join(map(repr, CHOICES[name]))}, not {value!r}"
    if name in RANGES and not RANGES[name][0] <= value <= RANGES[name][1]:
        low, high = RANGES[name]
        return f"must be from {low} to {high}"
    return ""


def _usable(path: Path, data: dict) -> Prefs:
    """The settings of `data`, each wrong one refused alone: it keeps its default, the others are used.

    A `relay` of the wrong type is kept as its text, which is no relay
    address: a session apart then refuses to start, as for any address that
    is not one, never going to the public relay the couple did not choose.
    """
    lines, refused, good = [], [], {}
    for name, value in data.items():
        why = _wrong(name, value)
        if not why:
            good[name] = value
            continue
        refused.append(name)
        instead = "its default is used" if name in {f.name for f in fields(Prefs)} else "it is left out"
        if name == "relay":
            good[name] = str(value)[:300]
            instead = "a session apart will not start until it is fixed"
        lines.append(f"{path}: {name}: {why}; {instead}, the rest of the file is used")
    return Prefs(**good, problem="\n".join(lines), refused=tuple(refused))


def load(config_dir: Path) -> Prefs:
    """The remembered settings; the defaults (with `problem` saying why) if the file cannot be used."""
    path = _path(config_dir)
    try:
        raw = read_regular(path, 256 * 1024)
    except FileNotFoundError:
        return Prefs()
    except OSError as exc:
        return Prefs(problem=f"{path}: cannot be read ({exc.strerror or exc}); using the defaults")
    try:
        data = parse_text(raw)
    except ValueError as exc:
        return Prefs(problem=f"{path}: {exc}; using the defaults")
    return _usable(path, data)


def save(config_dir: Path, prefs: Prefs, *, replace_damaged: bool = False) -> Path:
    """Write settings privately (0600, atomic, through `write_private`).

    A file that is there but cannot be used is never overwritten by a side
    effect (setup remembering names): SettingsDamaged. Saving settings on
    purpose (`replace_damaged`) keeps the old file as settings.toml.bak first.
    """
    path = _path(config_dir)
    current = load(config_dir)
    if current.problem and os.path.lexists(path):
        if not replace_damaged:
            raise SettingsDamaged(f"{FILE} has a problem and is left as it is until you save settings "
                                  f"({current.problem})")
        try:
            old = read_regular(path, 256 * 1024)
        except OSError:
            old = b""  # not a regular file, or unreadable: nothing to keep, and we do not follow it
        write_private(Path(config_dir) / BACKUP, old)
    import tomli_w  # only when settings are written

    data = {k: v for k, v in asdict(prefs).items() if k not in NOT_KEPT}
    return write_private(path, tomli_w.dumps(data))


def refusal(prefs: Prefs, name: str) -> str:
    """The line that refused the setting `name` in the file, or ""."""
    if name not in prefs.refused:
        return ""
    return next((line for line in prefs.problem.splitlines() if f": {name}: " in line), "")


def check_relay(url: str) -> str:
    """A mailbox server's address (ws:// or wss://); ValueError with one plain line if it is not one."""
    url = url.strip()
    if has_unsafe(url) or not RELAY_RE.match(url):
        raise ValueError(f"{url!r} is not a relay address like ws://relay.example.org:4000/v1")
    return url


def relay_problem(config_dir: Path, relay: str) -> str:
    """Why the `relay` setting cannot be used, naming the file and the key; "" when it can (or is not set).

    Only a session apart reads it, so the rest of the file stays in use; the
    session apart refuses to start (never the public relay instead) and the
    doctor says so.
    """
    if not relay:
        return ""
    try:
        check_relay(relay)
    except ValueError as exc:
        return f"{_path(config_dir)}: relay: {exc} (change it in Settings, or leave it blank for the public one)"
    return ""


def check_values(config_dir: Path, prefs: Prefs) -> list[str]:
    """What cannot be used of the file's settings, one line each: each refused setting (or why the whole file
    is not used), and a relay address that is none (a session apart would refuse to start with it)."""
    lines = prefs.problem.splitlines()
    whole = bool(prefs.problem) and not prefs.refused
    if not whole and "relay" not in prefs.refused and (problem := relay_problem(config_dir, prefs.relay)):
        lines.append(problem)
    return lines


def check(config_dir: Path) -> list[str]:
    """Everything worth saying about settings.toml, one line each (for the start and `heartline doctor`)."""
    path = _path(config_dir)
    lines = check_values(config_dir, load(config_dir))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return lines
    except OSError as exc:
        return lines + [f"{path}: cannot be checked ({exc.strerror or exc})"]
    if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
        lines.append(f"{path}: others can read it (mode {stat.S_IMODE(info.st_mode):04o}); "
                     "heartline makes it 0600 the next time settings are saved")
    return lines
