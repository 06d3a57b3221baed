"""A softened start-up, put together from three optional parts: "I feel … about … and I need …".

People often type the frame themselves ("I feel worried", "about when…",
"I need a hug"): each part's own opening is recognised, so the words read
once and never "I feel I feel".
"""

from __future__ import annotations

import re

CONNECTORS = {"about", "when", "that", "because", "if", "as", "since", "whenever", "after", "before"}
_FEEL = re.compile(r"^(?:i\s+(?:feel|felt|am\s+feeling|'m\s+feeling|am|'m)|i'm\s+feeling|i'm|feeling)\b\s*",
                   re.IGNORECASE)
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
    _, need = _rest(_NEED, need)
    if need:
        parts.append(f"and I need {need}" if parts else f"I need {need}")
    if not parts:
        return ""
    text = " ".join(parts)
    text = text[0].upper() + text[1:]  # "About money and I need…" when no feeling was given
    return text if text[-1] in ".!?…" else text + "."
