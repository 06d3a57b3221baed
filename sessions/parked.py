"""Couple issues parked in a stress-reducing talk, waiting for the next state of the union (issue 18).

When the stress of the day turns out to be about the two of you, the park key
keeps it ("Let's keep this for our state of the union"): a shared `parked`
event, and its words as a `parked` note only when you keep your words. The
next state of the union offers them: every parked topic from sessions that
started after the newest state of the union you held (one stopped before it
began does not count). Pure reading of the store; no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import index
from .validate import StoreError, load_record

UNION = "state-of-the-union"


@dataclass(frozen=True)
class Parked:
    when: datetime  # when the session it was parked in started
    text: str  # its words, "" when the record keeps only its shape


def waiting(data: Path) -> list[Parked]:
    """The topics parked since the newest state of the union, oldest first ([] when there are none)."""
    rows = index.load(Path(data), write=False).rows  # newest first
    found: list[Parked] = []
    for row in rows:
        if row[index.PROTOCOL] == UNION and row[index.STATUS] != "not-started":
            break
        count = (row[index.EVENTS] or {}).get("parked", 0)
        if not count:
            continue
        try:
            record = load_record(index.path_of(data, row))
        except StoreError:
            continue  # changed or damaged since the index was read: its topics wait for the next read
        words = [" ".join(str(n.get("text", "")).split()) for n in record.get("notes", ())
                 if n.get("kind") == "parked"]
        words = [w for w in words if w]
        texts = words + [""] * max(0, count - len(words))  # a topic kept without words is still a topic
        found += [Parked(index.started(row), text) for text in reversed(texts)]
    return list(reversed(found))


def offer_words(parked: list[Parked]) -> str:
    """The setup form's line for a state of the union: what was kept for it, or ""."""
    if not parked:
        return ""
    said = [p.text for p in parked if p.text]
    n = len(parked)
    head = f"Kept for this state of the union from a stress-reducing talk: {n} topic{'s' if n != 1 else ''}"
    if said:
        return head + ": " + " · ".join(f"“{t}”" for t in said[:3]) + (" …" if len(said) > 3 else "")
    return head + " (its words were not kept: you both know what it was)."


def home_words(records: list[dict]) -> str:
    """Home's line when the newest session kept topics for the next state of the union, or "".

    Home reads only the few newest records (`index.recent`), so it says this
    after the talk that parked them; setup's offer reads them all.
    """
    held = [r for r in records if not (r.get("protocol") == UNION and r.get("status") == "not-started")]
    newest = held[0] if held else None  # a state of the union stopped before it began did not talk about it
    if newest is None or newest.get("protocol") == UNION:
        return ""
    n = sum(1 for e in newest.get("events", ()) if e.get("kind") == "parked")
    if not n:
        return ""
    what = "a topic" if n == 1 else f"{n} topics"
    return f"You kept {what} for your next state of the union: setup offers it when you choose one."
