"""Prompt decks: topics a couple can draw to start a conversation.

A deck is one TOML file:

    id = "dreams"                      # lowercase letters, digits and '-'
    name = "Dreams"
    description = "One line for lists."
    rituals = ["speaker-listener", "imago-dialogue"]   # which rituals it suits (absent: all)
    light = ["An easy, open question…"]               # each prompt has an intensity:
    deeper = ["…"]                                     #   light, deeper or deep
    deep = ["…"]
    prompts = ["…"]                                    # older files: prompts without an intensity

A random draw starts light: the first prompt drawn (nothing shown before) comes
from the light ones when the deck has any. Pass is always fine.

The built-in decks live in the package folder `sessions/decks`; the user's
own go in a folder given to `load_decks`, and a user deck with the same `id`
as a built-in one replaces it. A broken file never stops the others from
loading: it becomes one error line naming the file and what is wrong.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .tomlfile import FileProblem, read_toml, reject_unknown

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}\Z")
MAX_PROMPT_CHARS = 500

INTENSITIES = ("light", "deeper", "deep")
PASS_IS_FINE = "Pass is always fine: draw another, or choose your own topic."

BUILTIN_ORDER = (
    "warm-up",
    "dreams",
    "fears",
    "aspirations",
    "appreciation",
    "everyday-life",
    "repair",
    "intimacy",
    "the-future",
    "money",
    "family",
    "parenting",
    "play",
    "physical-closeness",
)


@dataclass(frozen=True)
class Deck:
    id: str
    name: str
    description: str
    prompts: tuple[str, ...]
    intensity: tuple[str, ...] = ()  # one per prompt: light | deeper | deep | "" (not said)
    rituals: tuple[str, ...] = ()  # the rituals it suits; empty: any

    def level(self, prompt: str) -> str:
        """A prompt's intensity, or '' when the deck does not say."""
        try:
            return self.intensity[self.prompts.index(prompt)]
        except (ValueError, IndexError):
            return ""

    def suits(self, ritual_id: str) -> bool:
        return not self.rituals or ritual_id in self.rituals


class DeckError(FileProblem):
    """A deck file that cannot be used, and exactly why."""


def _text(data: dict, key: str, source: str, required: bool = True) -> str:
    if key not in data:
        if required:
            raise DeckError(source, key, "is missing")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise DeckError(source, key, f"must be text, not {type(value).__name__}")
    return value.strip()


def parse_deck(data: dict, source: str) -> Deck:
    """Validate one parsed TOML document; raise `DeckError` on the first problem."""
    did = _text(data, "id", source)
    if not ID_RE.match(did):
        raise DeckError(source, "id", f"must be lowercase letters, digits and '-', not {did!r}")
    reject_unknown(data, ("id", "name", "description", "rituals", "prompts", *INTENSITIES), DeckError, source)
    name = _text(data, "name", source)
    if not name:
        raise DeckError(source, "name", "is empty")
    description = _text(data, "description", source, required=False)
    rituals: list[str] = []
    if "rituals" in data:
        raw = data["rituals"]
        if not isinstance(raw, list) or not all(isinstance(r, str) and r.strip() for r in raw):
            raise DeckError(source, "rituals", "must be a list of ritual ids (text)")
        rituals = [r.strip() for r in raw]
    prompts: list[str] = []
    levels: list[str] = []
    lists = [key for key in (*INTENSITIES, "prompts") if key in data]
    if not lists:
        raise DeckError(source, "prompts", "is missing (or light, deeper, deep)")
    for key in lists:
        raw = data[key]
        if not isinstance(raw, list):
            raise DeckError(source, key, f"must be a list of text, not {type(raw).__name__}")
        for i, value in enumerate(raw, 1):
            if not isinstance(value, str):
                raise DeckError(source, f"{key}[{i}]", f"must be text, not {type(value).__name__}")
            text = " ".join(value.split())
            if not text:
                raise DeckError(source, f"{key}[{i}]", "is empty")
            if len(text) > MAX_PROMPT_CHARS:
                raise DeckError(source, f"{key}[{i}]", f"is longer than {MAX_PROMPT_CHARS} characters")
            if text not in prompts:  # a repeated prompt is harmless: keep the first
                prompts.append(text)
                levels.append(key if key in INTENSITIES else "")
    if not prompts:
        raise DeckError(source, "prompts", "needs at least one prompt")
    return Deck(id=did, name=name, description=description, prompts=tuple(prompts), intensity=tuple(levels),
                rituals=tuple(rituals))



def load_deck_file(path: Path) -> Deck:
    return parse_deck(read_toml(path, DeckError), str(path))


def load_decks(user_dir: Path | None = None) -> tuple[dict[str, Deck], list[str]]:
    """Built-in decks, then the user's (which may replace a built-in by id).

    Returns the decks by id (built-ins first, in their usual order, then the
    rest by id) and one line for every file that could not be used.
    """
    found: dict[str, Deck] = {}
    errors: list[str] = []

    folder = resources.files(__package__).joinpath("decks")
    builtins = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    for entry in builtins:
        try:
            deck = load_deck_file(entry)
        except DeckError as exc:
            errors.append(str(exc))
            continue
        found[deck.id] = deck

    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            try:
                deck = load_deck_file(path)
            except DeckError as exc:
                errors.append(str(exc))
                continue
            found[deck.id] = deck

    ordered = {did: found[did] for did in BUILTIN_ORDER if did in found}
    ordered.update({did: d for did, d in sorted(found.items()) if did not in ordered})
    return ordered, errors


def draw(deck: Deck, rng: random.Random, avoid: str | None = None, intensity: str | None = None) -> str:
    """One prompt from the deck; not `avoid` (the one shown before) when there is any other.

    Draws start gently: the first one (nothing shown before) is a light prompt
    when the deck has any, unless the couple asks for an `intensity`.
    """
    if not deck.prompts:
        raise ValueError(f"deck {deck.id!r} has no prompts")
    wanted = intensity or ("light" if avoid is None else None)
    pool = [p for p in deck.prompts if wanted is None or deck.level(p) == wanted] or list(deck.prompts)
    choices = [p for p in pool if p != avoid] or pool
    return rng.choice(choices)


def decks_for(decks: dict[str, Deck], ritual_id: str) -> dict[str, Deck]:
    """The decks that suit a ritual (no repair prompts in a stress-reducing conversation)."""
    return {did: d for did, d in decks.items() if d.suits(ritual_id)}
