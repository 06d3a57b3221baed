"""Every key of a session in one place: binding ids, the default keymap, layouts, checks.

Bindings across the app carry these ids; the keymap in use is applied with
Textual's `App.set_keymap`, and every hint on screen asks this module for the
key, so a changed key changes the hint too. Keys are Textual key names
("f", "space", "question_mark", "ctrl+s"); a user may also write a plain
character ("?", "é").
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from textual.binding import Binding
from textual.keys import Keys, format_key

SIDES = ("left", "right")
MOODS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class KeySpec:
    id: str
    keys: str  # the default (QWERTY), comma-separated
    words: str  # what it does, for help and for messages about a clash


def mood_digit(side: str, mood: int) -> int:
    """The number key for a feeling: 1 … 5 on the left, 0 … 6 on the right (0 struggling, 6 great).

    Each partner's scale runs from the outer edge of the number row (struggling) to its middle (great),
    so both read the same way round, lowest number lowest: the right's used to run 6 … 0, "0 = great".
    """
    return mood if side == "left" else (11 - mood) % 10


def _partner(side: str, done: str, not_quite: str, note: str) -> list[KeySpec]:
    who = f"{side} partner"
    specs = [
        KeySpec(f"{side}.done", done, f"{who}: done"),
        KeySpec(f"{side}.not-quite", not_quite, f"{who}: not quite"),
        KeySpec(f"{side}.note", note, f"{who}: note"),
    ]
    for mood in MOODS:
        specs.append(KeySpec(f"{side}.mood-{mood}", str(mood_digit(side, mood)), f"{who}: feeling {mood}"))
    return specs


PARTNER = _partner("left", "f", "d", "s") + _partner("right", "j", "k", "l")

# Shared keys: the plain ones work wherever nobody is typing; the "anywhere"
# ones are keys a text box does not take, so they work while a note is typed.
SHARED = [
    KeySpec("pause", "space", "pause / resume"),
    KeySpec("time-out", "t", "time-out"),
    KeySpec("end", "escape", "end the session (asks first)"),
    KeySpec("help", "question_mark", "help"),
]
ANYWHERE = [
    KeySpec("pause.anywhere", "ctrl+s", "pause / resume, even while typing"),
    KeySpec("time-out.anywhere", "ctrl+t", "time-out, even while typing"),
    KeySpec("end.anywhere", "ctrl+g", "end the session, even while typing"),
    KeySpec("help.anywhere", "f1", "help, even while typing"),
]
DIALOGS = {
    "confirm": [KeySpec("confirm.yes", "y", "yes, in a question"), KeySpec("confirm.no", "n,escape", "no, in a question")],
    "note": [KeySpec("note.cancel", "escape", "cancel a note")],
    "help": [KeySpec("help.close", "escape,q", "close help"), KeySpec("help.safety", "i", "is this right for us?")],
    "time-out": [KeySpec("time-out.agree", "a", "agree a time to come back, in a time-out")],
}
# Keys of the check-in and check-out stages, live beside the partners' keys: after a low check-in, a gentler
# talk instead; after a low check-in or check-out, the safety page.
SESSION = [
    KeySpec("session.gentler", "c", "change to a gentler talk, after a low check-in"),
    KeySpec("session.safety", "i", "is this right for us? (after a low check-in or check-out)"),
    KeySpec("repair", "r", "a repair: words to steady the talk (either of you)"),
    KeySpec("park", "w", "about us after all? keep it for our state of the union (a stress-reducing talk)"),
]
DISMISS = {"confirm.no", "note.cancel", "help.close"}  # a dialog's way out may share the end key
FIXED = [KeySpec("quit", "ctrl+q", "quit (saves first)")]  # not changeable: the way out always works

SPECS: dict[str, KeySpec] = {s.id: s for s in PARTNER + SHARED + ANYWHERE + SESSION
                             + [d for ds in DIALOGS.values() for d in ds]}

# Keys a text box uses for itself: an "anywhere" key must not be one of them.
TEXT_BOX_KEYS = {
    "space", "enter", "tab", "shift+tab", "backspace", "delete", "left", "right", "up", "down", "home", "end", "escape",
    "ctrl+a", "ctrl+e", "ctrl+d", "ctrl+w", "ctrl+u", "ctrl+k", "ctrl+x", "ctrl+c", "ctrl+v", "ctrl+z",
    "ctrl+h", "ctrl+i", "ctrl+j", "ctrl+m", "ctrl+left", "ctrl+right", "shift+left", "shift+right",
    "shift+home", "shift+end", "ctrl+shift+a", "ctrl+backspace", "alt+backspace",
}


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    about: str
    keys: Mapping[str, str] = field(default_factory=dict)  # only what differs from QWERTY


def _moods(side: str, keys: str) -> dict[str, str]:
    """A layout's feeling keys, from struggling to great, each with its digit (shifted, it still works)."""
    return {f"{side}.mood-{n}": f"{k},{mood_digit(side, n)}" for n, k in zip(MOODS, keys.split())}


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("qwerty", "QWERTY", "Left f d s, right j k l; feelings on 1–5 and 0–6."),
        Layout("azerty", "AZERTY", "Feelings without shift: & é \" ' ( and à ç _ è -.",
               {**_moods("left", "& é \" ' ("), **_moods("right", "à ç _ è -")}),
        Layout("qwertz", "QWERTZ", "The same places as QWERTY: left f d s, right j k l."),
        Layout("dvorak", "Dvorak", "Left u e o, right h t n; time-out is b (a break).",
               {"left.done": "u", "left.not-quite": "e", "left.note": "o",
                "right.done": "h", "right.not-quite": "t", "right.note": "n", "time-out": "b"}),
        Layout("far-ends", "One hand each at the far ends",
               "Each of you at an outer edge: left a q z, right ; p /.",
               {"left.done": "a", "left.not-quite": "q", "left.note": "z",
                "right.done": "semicolon", "right.not-quite": "p", "right.note": "slash"}),
    )
}
DEFAULT_LAYOUT = "qwerty"


class KeymapError(ValueError):
    """A keymap that cannot be used; the message says why, in words a person can act on."""


def _names(keys: str) -> tuple[str, ...]:
    """Textual's own key names for a comma-separated list ("?" becomes "question_mark")."""
    tokens = [t.strip() for t in keys.split(",")]
    if not all(tokens):
        return ()
    keys = ",".join(t if len(t) == 1 else t.lower() for t in tokens)  # "Space" means space; "G" stays G
    return tuple(dict.fromkeys(b.key for b in Binding.make_bindings([Binding(keys, "noop")])))


@cache
def _known_names() -> frozenset[str]:
    """Every key name Textual knows: built when a changed key is first checked, not at every start (issue 17)."""
    return frozenset({k.value for k in Keys}
                     | {n for c in string.printable.strip() for n in _names(c if c != "," else "comma")})


def _known(name: str) -> bool:
    *mods, base = name.split("+")
    if any(m not in ("ctrl", "shift", "alt", "super", "meta") for m in mods):
        return False
    return len(base) == 1 or base in _known_names() or name in _known_names()


def show(name: str) -> str:
    """A key as people read it: "f", "space", "esc", "?", "ctrl+s"."""
    return format_key(name)


@dataclass(frozen=True)
class KeyMap:
    """The keys in use: binding id → Textual key names."""

    layout: str
    keys: Mapping[str, tuple[str, ...]]

    def textual(self) -> dict[str, str]:
        """What `App.set_keymap` takes."""
        return {i: ",".join(k) for i, k in self.keys.items()}

    def first(self, binding_id: str) -> str:
        return show(self.keys[binding_id][0])

    def all(self, binding_id: str, sep: str = " or ") -> str:
        return sep.join(show(k) for k in self.keys[binding_id])


def resolve(layout: str = DEFAULT_LAYOUT, overrides: Mapping[str, object] | None = None) -> KeyMap:
    """The keymap for a layout and a person's own changes, or `KeymapError` saying what to change."""
    if layout not in LAYOUTS:
        raise KeymapError(f"There is no keyboard layout called “{layout}”; choose one of: {', '.join(LAYOUTS)}.")
    chosen = {i: s.keys for i, s in SPECS.items()}
    chosen.update(LAYOUTS[layout].keys)
    for binding_id, keys in (overrides or {}).items():
        if binding_id not in SPECS:
            raise KeymapError(f"“{binding_id}” is not a key heartline knows; the names are listed in the README.")
        if not isinstance(keys, str) or not _names(keys):
            raise KeymapError(f"The key for “{SPECS[binding_id].words}” should be written as text, like \"g\".")
        chosen[binding_id] = keys
    names: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in chosen.items():
        names[binding_id] = _names(keys)
        for name in names[binding_id]:
            if not _known(name):
                raise KeymapError(f"“{name}” (for “{SPECS[binding_id].words}”) is not a key heartline can read.")
    _check(names)
    return KeyMap(layout, names)


def _check(names: Mapping[str, tuple[str, ...]]) -> None:
    fixed = {s.id: _names(s.keys) for s in FIXED}
    words = {**{i: s.words for i, s in SPECS.items()}, **{s.id: s.words for s in FIXED}}

    def clash(ids: list[str]) -> None:
        seen: dict[str, str] = {}
        for binding_id in ids:
            for key in {**names, **fixed}[binding_id]:
                if key in seen and seen[key] != binding_id:
                    raise KeymapError(
                        f"The key {show(key)} is set for both “{words[seen[key]]}” and “{words[binding_id]}”;"
                        " choose another key for one of them."
                    )
                seen[key] = binding_id

    shared = [s.id for s in SHARED + ANYWHERE] + list(fixed)
    clash([s.id for s in PARTNER + SESSION] + shared)  # everything live on the floor at once
    for specs in DIALOGS.values():  # a dialog's own keys sit over the shared ones
        clash([s.id for s in specs] + [i for i in shared if not (i == "end" and any(s.id in DISMISS for s in specs))])
    for spec in ANYWHERE:
        for key in names[spec.id]:
            if key in TEXT_BOX_KEYS or len(show(key)) == 1:
                raise KeymapError(
                    f"The key {show(key)} types into a note, so it cannot be the key for “{spec.words}”;"
                    " choose a key like ctrl+s or f2."
                )


def validate_keymap(setting: Mapping[str, object] | None) -> KeyMap:
    """The keymap from the `keymap` table of settings.toml (layout plus per-key changes)."""
    setting = setting or {}
    layout = setting.get("layout", DEFAULT_LAYOUT)
    overrides = setting.get("keys", {})
    if not isinstance(layout, str):
        raise KeymapError("keymap.layout should be the name of a layout, like \"azerty\".")
    if not isinstance(overrides, Mapping):
        raise KeymapError("keymap.keys should be a table of key names, like \"left.done\" = \"g\".")
    return resolve(layout, overrides)


# ----- the keymap in use ----------------------------------------------------
# The app sets it (with `use`) when it applies the keymap to its bindings, so
# every hint drawn afterwards names the live key.

_current = resolve()


def use(keymap: KeyMap) -> None:
    global _current
    _current = keymap


def current() -> KeyMap:
    return _current


def default(binding_id: str) -> str:
    """The default key string, for `BINDINGS` (the live keymap is applied over it)."""
    return SPECS[binding_id].keys


def key(side: str, what: str) -> str:
    """A partner's key as shown: `key("left", "done")` is "f" on QWERTY."""
    return _current.first(f"{side}.{what.replace('_', '-')}")


def mood_key(side: str, mood: int) -> str:
    return _current.first(f"{side}.mood-{mood}")


def mood_keys(side: str) -> str:
    return " ".join(mood_key(side, m) for m in MOODS)


def shared_hint(repair: bool = True, paused: bool = False) -> str:
    """The line under both panes: keys for either of you (`repair`: with the repair key; `paused`: the pause
    key carries on, as the key bars say)."""
    k = _current
    with_repair = f" · {k.first('repair')} repair" if repair else ""
    return (f"{k.first('pause')} {'carry on' if paused else 'pause'}{with_repair} · {k.first('time-out')} time-out"
            f" · {k.first('end')} end (asks first) · {k.first('help.anywhere')} or {k.first('help')} help")


def help_open_hint(held: bool, paused: bool) -> str:
    """The line under both panes while help is open over them: only help's own keys reach the session then.
    `held`: help paused the turn, and closing it carries on; `paused`: you paused it, and it stays paused."""
    k = _current
    closes = f"{k.first('help.close')} or {k.first('help')} closes it"
    if held:
        return f"help is open, the turn waits · {closes}, and the turn carries on"
    if paused:
        return f"help is open · {closes}; then {k.first('pause')} carries on"
    return f"help is open · {closes}"


def typing_hint() -> str:
    """Shown in a text box: the keys that still work while typing."""
    k = _current
    return (f"{k.first('pause.anywhere')} pause · {k.first('time-out.anywhere')} time-out · "
            f"{k.first('end.anywhere')} end · {k.first('help.anywhere')} help")

