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
from the light ones when the deck has any. "Draw another" stays at the level of
the prompt shown (or lighter, when that level has no other); only asking to go
deeper (`deeper_than`) draws from the next level. Pass is always fine.

Every prompt is asked of both partners in turn, so none speaks as one of them
("I", "me"): it names "your partner", or asks about "us".

A deck names the rituals it suits. A ritual that no deck names (a user's own,
or one newer than the decks) is offered the decks of the plain floor ritual,
`speaker-listener`, so it is never left with none.

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
    "outside-stress",
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
    "sex-and-desire",
    "trust-and-jealousy",
    "household-load",
    "faith-and-values",
    "illness-and-caregiving",
    "grief-and-loss",
    "work-and-moving",
    "friends-and-time-apart",
    "phones",
    "alcohol",
    "culture-and-identity",
    "blended-families",
    "how-we-fight",
)
GENERAL_RITUAL = "speaker-listener"  # whose decks a ritual no deck names is offered


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


def _rank(level: str) -> int:
    return INTENSITIES.index(level) if level in INTENSITIES else len(INTENSITIES)  # unsaid: any level


def draw(deck: Deck, rng: random.Random, avoid: str | None = None, intensity: str | None = None) -> str:
    """One prompt from the deck; not `avoid` (the one shown before) when there is any other.

    Draws start gently: the first one (nothing shown before) is a light prompt
    when the deck has any. Drawing again stays at the level of `avoid`, or goes
    lighter when that level has no other prompt; never deeper. Only an
    `intensity` the couple asks for (see `deeper_than`) chooses the level.
    """
    if not deck.prompts:
        raise ValueError(f"deck {deck.id!r} has no prompts")
    if intensity:
        pools = [[p for p in deck.prompts if deck.level(p) == intensity]]
    elif avoid is None:
        pools = [[p for p in deck.prompts if deck.level(p) == "light"]]
    elif deck.level(avoid):
        shown = deck.level(avoid)
        same = [p for p in deck.prompts if deck.level(p) == shown]
        pools = [same, same + [p for p in deck.prompts if _rank(deck.level(p)) < _rank(shown)]]
    else:
        pools = []
    for pool in pools:
        choices = [p for p in pool if p != avoid]
        if choices:
            return rng.choice(choices)
    if pools and pools[-1]:
        return pools[-1][0]  # the only prompt at this level or lighter: shown again, never a deeper one
    return rng.choice([p for p in deck.prompts if p != avoid] or list(deck.prompts))


def deeper_than(deck: Deck, prompt: str | None) -> str | None:
    """The next level down that the deck holds, after `prompt`'s (light → deeper → deep); None at the deepest."""
    start = _rank(deck.level(prompt)) + 1 if prompt else 0
    for level in INTENSITIES[start:]:
        if level in deck.intensity:
            return level
    return None


def decks_for(decks: dict[str, Deck], ritual_id: str) -> dict[str, Deck]:
    """The decks that suit a ritual (no relationship grievances in a stress-reducing conversation).

    A ritual no deck names is offered what the plain floor ritual is offered.
    """
    if not any(ritual_id in d.rituals for d in decks.values()) and ritual_id != GENERAL_RITUAL:
        ritual_id = GENERAL_RITUAL
    return {did: d for did, d in decks.items() if d.suits(ritual_id)}
