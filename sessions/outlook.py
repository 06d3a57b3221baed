"""Solvable or gridlocked: after a talk on a topic, the couple may say which kind it is.

Some problems can be solved; many keep coming back for every couple, and are
lived with by understanding what each person's position means to them (the
Gottman method's "perpetual problems"). The mark is one shared fact in the
record, `topic_outlook = "solvable" | "gridlocked"`, never one partner's; a
topic marked as coming back, or one that recurs in the index, is offered the
dreams-within-conflict ritual when that ritual is there.
"""

from __future__ import annotations

from pathlib import Path

from . import index, store
from .stats import topic_key

OUTLOOKS = {"solvable": "we can solve this", "gridlocked": "this keeps coming back"}
DREAMS_RITUAL = "dreams-within-conflict"


def mark(data: Path, session_id: str, outlook: str) -> dict:
    """Keep the couple's mark in the session's file (rewritten atomically); the record as now saved."""
    if outlook not in OUTLOOKS:
        raise ValueError(f"a topic is {' or '.join(OUTLOOKS)}, not {outlook!r}")
    record = store.load_record(store.find_session(Path(data), session_id))
    if not " ".join(str(record.get("topic", "")).split()):
        raise ValueError("this session has no topic to mark")
    record["topic_outlook"] = outlook
    store.save_record(record, Path(data))
    return record


def recurs(data: Path, topic: str) -> bool:
    """The topic was talked about in more than one session (the index counts; case and spacing aside)."""
    key = topic_key(topic or "")
    if not key:
        return False
    entries = index.load(Path(data)).entries
    return sum(1 for e in entries if e[index.TOPIC] and topic_key(e[index.TOPIC]) == key) >= 2


def offers_dreams(record: dict, data: Path | None, ritual_ids) -> bool:
    """Whether to offer dreams within conflict for this session's topic: gridlocked or recurring, and there."""
    if DREAMS_RITUAL not in ritual_ids or not " ".join(str(record.get("topic", "")).split()):
        return False
    if record.get("topic_outlook") == "gridlocked":
        return True
    return data is not None and recurs(data, record["topic"])
