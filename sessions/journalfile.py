"""What a journal file holds: a header (the ritual whole, names, settings), one line per engine input,
and how those lines are read back and replayed into the session they describe."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from . import __version__
from .clock import ManualClock
from .engine import Engine, Settings
from .rituals import Part, Phase, Ritual

FORMAT = 1
MAX_JOURNAL_BYTES = 16 * 1024 * 1024


class JournalError(Exception):
    """A journal that cannot be read or written, and why (one plain line)."""


class EmptyJournal(JournalError):
    """A journal without even its header: a start stopped (a crash, power lost) before its first line was
    whole on disk. Nothing of a session is in it, so it is put away rather than reported at every start."""


# ----- the ritual, carried whole in the header ---------------------------------

def ritual_to_dict(ritual: Ritual) -> dict[str, Any]:
    return dataclasses.asdict(ritual)


def _build(cls, data: dict[str, Any]):
    known = {f.name for f in dataclasses.fields(cls)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return cls(**values)


def ritual_from_dict(data: dict[str, Any]) -> Ritual:
    """The ritual as it was when the session started, even if its file changed since."""
    parts = tuple(
        Part(**{**{k: v for k, v in part.items() if k != "phases"},
                "phases": tuple(_build(Phase, phase) for phase in part["phases"])})
        for part in data["parts"]
    )
    return _build(Ritual, {**data, "parts": parts})




def header(engine: Engine) -> dict[str, Any]:
    return {
        "heartline_journal": FORMAT,
        "id": engine.session_id,
        "app_version": __version__,
        "started_at": engine.started_at.isoformat(),
        "ritual": ritual_to_dict(engine.ritual),
        "left": engine.partners["left"].name,
        "right": engine.partners["right"].name,
        "settings": dataclasses.asdict(engine.settings),
        "options": {"rules": engine.rules, "checkin": engine.checkin, "good_time": engine.good_time,
                    "topic": engine.topic,
                    "topic_deck": engine.topic_deck},
    }


# ----- reading and rebuilding --------------------------------------------------------

def parse(raw: bytes, source: str = "journal") -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """The header, the inputs, and a note on what was skipped ('' when nothing).

    A torn last line (the power went during a write) is ignored; a damaged
    line in the middle ends the log there, keeping everything before it.
    """
    lines = raw.split(b"\n")
    torn = lines.pop() if lines else b""  # after the last newline: empty, or a torn write
    note = "its last line was cut short and is left out" if torn.strip() else ""
    if not lines or not raw.strip(b"\x00 \t\r\n"):  # no whole first line (or only the zeros a crash can leave)
        raise EmptyJournal(f"{source} is empty: a session stopped in its first moments, before anything of it "
                           "was written")
    try:
        head = json.loads(lines[0])
    except (ValueError, RecursionError):
        raise JournalError(f"{source} is damaged, because its header cannot be read") from None
    if not isinstance(head, dict) or head.get("heartline_journal") != FORMAT:
        raise JournalError(f"{source} is not a heartline journal this version can read")
    log: list[dict[str, Any]] = []
    for n, line in enumerate(lines[1:], 2):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("op"), str) \
                or not isinstance(entry.get("offset"), (int, float)):
            note = f"line {n} is damaged; what came before it is kept"
            break
        log.append(entry)
    return head, log, note


def rebuild(head: dict[str, Any], log: list[dict[str, Any]], clock: ManualClock | None = None) -> Engine:
    """The session the journal describes, replayed input by input."""
    started_at = datetime.fromisoformat(head["started_at"])
    options = head.get("options", {})
    engine = Engine.replay(
        ritual_from_dict(head["ritual"]),
        head["left"],
        head["right"],
        _build(Settings, head["settings"]),
        log,
        started_at,
        clock=clock,
        rules=options.get("rules", True),
        checkin=options.get("checkin", True),
        good_time=options.get("good_time", False),  # a journal from before the question never asked it
        topic=options.get("topic", ""),
        topic_deck=options.get("topic_deck", ""),
        session_id=head["id"],
    )
    return engine

