"""Reading the ritual files when they are first asked for.

A session about to start needs its one ritual: with no rituals of the user's
own, that built-in's file is read alone (its name is its id), and the others
wait until something asks for every ritual, or for the files that did not
load. The answers are those of reading every file at once.
"""

from __future__ import annotations

from pathlib import Path

from . import BUILTIN_ORDER, Ritual, RitualError, RitualSet, _builtin_files, load_ritual_file


def load_rituals(user_dir: Path | None = None) -> RitualSet:
    """Built-in rituals, then the user's (which may replace a built-in by id); each file read when first needed."""
    return OnDemand(user_dir)


def load_all(user_dir: Path | None, read: dict[Path, Ritual] | None = None) -> RitualSet:
    """Every ritual, now (`read`: files already read, not read again)."""
    read = read or {}
    found: dict[str, Ritual] = {}
    errors: list[RitualError] = []
    files = _builtin_files()
    if user_dir is not None and user_dir.is_dir():
        files += sorted(user_dir.glob("*.toml"))
    notices: list[str] = []
    builtin: set[str] = set()
    shipped = set(files[: len(_builtin_files())])
    for path in files:
        try:
            ritual = read.get(path) or load_ritual_file(path)
        except RitualError as exc:
            errors.append(exc)
            continue
        if path in shipped:
            builtin.add(ritual.id)
        elif ritual.id in builtin:
            notices.append(f"{path}: replaces the built-in ritual {ritual.id!r} (give it another id to keep both)")
        found[ritual.id] = ritual
    ordered = {rid: found[rid] for rid in BUILTIN_ORDER if rid in found}
    ordered.update({rid: r for rid, r in sorted(found.items()) if rid not in ordered})
    return RitualSet(ordered, errors, notices)


class OnDemand(RitualSet):
    """A RitualSet whose files are read when first asked for (see the module's words)."""

    def __init__(self, user_dir: Path | None) -> None:  # not the dataclass's fields: they are read on demand
        self._user_dir = user_dir
        self._all: RitualSet | None = None
        self._read: dict[Path, Ritual] = {}

    def _everything(self) -> RitualSet:
        if self._all is None:
            self._all = load_all(self._user_dir, self._read)
        return self._all

    rituals = property(lambda self: self._everything().rituals)  # type: ignore[assignment]
    errors = property(lambda self: self._everything().errors)  # type: ignore[assignment]
    notices = property(lambda self: self._everything().notices)  # type: ignore[assignment]

    def get(self, rid: str) -> Ritual | None:
        if self._all is None and rid in BUILTIN_ORDER and not self._user_files():
            path = Path(__file__).parent / f"{rid}.toml"  # the built-in files beside this one
            try:
                ritual = self._read.get(path) or load_ritual_file(path)
            except RitualError:
                ritual = None  # said with the others: read them all
            if ritual is not None and ritual.id == rid:
                self._read[path] = ritual
                return ritual
        return self._everything().get(rid)

    def _user_files(self) -> bool:
        folder = self._user_dir
        try:
            return folder is not None and folder.is_dir() and any(folder.glob("*.toml"))
        except OSError:
            return True  # whatever is wrong there, reading them all says it
