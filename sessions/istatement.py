"""A softened start-up, put together from three optional parts: "I feel … about … and I need …".

People often type the frame themselves ("I feel worried", "about when…",
"I need a hug"): each part's own opening is recognised, so the words read
once and never "I feel I feel".

A soft start-up describes, not blames. `flags` notices what makes a start-up
harsh ("always", "never", "you are …", a name called), gently and once of
each kind, for the box to show while the words are typed, before they are
put on the pane. Nothing is blocked or changed: the words are kept as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONNECTORS = {"about", "when", "that", "because", "if", "as", "since", "whenever", "after", "before"}
_FEEL = re.compile(r"^(?:i\s+(?:feel|felt|am\s+feeling|'m\s+feeling|am|'m)|i'm\s+feeling|i'm|feeling)\b\s*",
                   re.IGNORECASE)
_WISH = re.compile(r"^(?:and\s+)?(?:i'd\s+love|i\s+would\s+love)\b\s*", re.IGNORECASE)  # the hint's own words
_NEED = re.compile(r"^(?:and\s+)?(?:i\s+(?:need|would\s+like|'d\s+like)|i'd\s+like|need)\b\s*", re.IGNORECASE)


def _rest(pattern: re.Pattern, text: str) -> tuple[str, str]:
    """(the person's own opening, the rest): "I am sad" → ("I am", "sad")."""
    text = " ".join(text.split())
    m = pattern.match(text.replace("’", "'"))
    if not m:
        return "", text
    return text[:m.end()].strip(), text[m.end():].strip()  # only the frame typed: nothing to add


def compose(feel: str, about: str, need: str) -> str:
    """The I-statement the three boxes make, or "" when all are empty."""
    parts = []
    opening, feel = _rest(_FEEL, feel)
    if feel:
        lead = opening if opening.casefold().startswith("i") else "I feel"  # keep "I am", "I'm" as typed
        parts.append(f"{lead} {feel}")
    about = " ".join(about.split())
    if about:
        parts.append(about if about.split(maxsplit=1)[0].casefold() in CONNECTORS else f"about {about}")
    wish, rest = _rest(_WISH, need)
    if wish:  # "I'd love us to …", as the box suggests: kept in their words, not turned into a need
        wish = wish[4:] if wish.casefold().startswith("and ") else wish
        if rest:
            parts.append(f"and {wish} {rest}" if parts else f"{wish} {rest}")
        need = ""
    _, need = _rest(_NEED, need)
    if need:
        parts.append(f"and I need {need}" if parts else f"I need {need}")
    if not parts:
        return ""
    text = " ".join(parts)
    text = text[0].upper() + text[1:]  # "About money and I need…" when no feeling was given
    return text if text[-1] in ".!?…" else text + "."


# ----- a soft start-up: gentle flags, never a block -------------------------------------

HINTS = {
    "feel": "a feeling word: worried, hurt, lonely, hopeful…",
    "about": "what happened, as a camera would see it",
    "need": "a wish: I'd love us to …",
}

_ABSOLUTE = re.compile(r"\b(always|never|every single time|constantly)\b", re.IGNORECASE)
_YOU_ARE = re.compile(r"\b(you\s+are|you're)\b", re.IGNORECASE)
# Names people call each other when a talk goes badly; a word that describes the one who says it
# ("I feel stupid") is theirs to use and is not flagged.
NAMES = (
    "idiot", "idiotic", "stupid", "lazy", "selfish", "useless", "pathetic", "dumb", "jerk", "moron",
    "liar", "childish", "immature", "ridiculous", "worthless", "hopeless", "incompetent", "heartless",
    "psycho", "hysterical", "irresponsible", "disgusting", "nag", "drama queen", "control freak",
    "narcissist", "asshole", "arsehole", "bastard", "bitch", "cold-hearted",
)
_NAME = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True)) + r")\b",
                   re.IGNORECASE)
_SELF = re.compile(r"\b(?:i|i'm|im|i\s+am|i\s+feel|feel|felt|feeling|myself)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    """One gentle thought about a start-up: what was noticed, and a softer way to say it."""

    kind: str  # "absolute" | "you-are" | "name"
    words: str  # as the person typed them
    thought: str


THOUGHTS = {
    "absolute": "“{w}” can sound like a verdict; one moment, as a camera would see it, is easier to hear.",
    "you-are": "“{w} …” speaks about them; “I feel …” speaks about you, and is easier to hear.",
    "name": "a word like “{w}” can sting; what happened, and how you felt, will be heard better.",
}


def flags(*parts: str) -> list[Flag]:
    """Gentle flags on what the parts say: "always"/"never", "you are", name-calling; at most one of each kind.

    Nothing is blocked or changed: the words are kept as they are typed.
    """
    found: dict[str, Flag] = {}
    for part in parts:
        text = " ".join(part.replace("’", "'").split())
        for kind, pattern in (("absolute", _ABSOLUTE), ("you-are", _YOU_ARE), ("name", _NAME)):
            if kind in found:
                continue
            for m in pattern.finditer(text):
                if kind == "name" and _SELF.search(text[:m.start()]):
                    continue  # "I feel stupid": their own word for themselves
                words = m.group(0)
                found[kind] = Flag(kind, words, THOUGHTS[kind].format(w=words))
                break
    return [found[k] for k in ("absolute", "you-are", "name") if k in found]


def gentle_note(found: list[Flag]) -> str:
    """One calm line for the box, or "" when nothing was noticed. The words are kept either way."""
    if not found:
        return ""
    also = "".join(f" Also: “{f.words}”." for f in found[1:])
    return f"A thought, if it helps: {found[0].thought}{also} It is kept as you wrote it."
