"""What a couple chose before a session, checked once, whichever way it was chosen.

The command line and the setup screen both end in a `SessionPlan`, so a name
or a turn length is validated by the same rule wherever it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .clock import Clock
from .engine import LEFT, RIGHT, SIDES, TIMEOUT_SECONDS, Engine, Settings, calm_from, other
from .rituals import Ritual
from .rows import record_not_started
from .text import has_unsafe, is_unsafe, printable

MAX_NAME = 40
MAX_TOPIC = 200
MAX_ROUNDS = 20


def _first_unsafe(text: str) -> str:
    return printable(next(ch for ch in text if is_unsafe(ch)))


def clean_name(name: str, which: str = "name") -> str:
    """A partner's name as it will be shown, or ValueError saying what to fix."""
    name = (name or "").strip()
    if not name:
        raise ValueError(f"the {which} is empty: please type a name")
    if has_unsafe(name):
        raise ValueError(f"the {which} has control characters in it (like {_first_unsafe(name)})")
    if len(name) > MAX_NAME:
        raise ValueError(f"the {which} is longer than {MAX_NAME} characters")
    return name


def clean_topic(topic: str) -> str:
    topic = " ".join((topic or "").split())  # one line: newlines and tabs become spaces
    if has_unsafe(topic):
        raise ValueError(f"the topic has control characters in it (like {_first_unsafe(topic)})")
    if len(topic) > MAX_TOPIC:
        raise ValueError(f"the topic is longer than {MAX_TOPIC} characters")
    return topic


def first_of(value: str, left: str = "", right: str = "") -> str:
    """Who starts, as a side, from "left", "right" or one of the two names; ValueError saying what to type."""
    wanted = " ".join((value or "").split()).casefold()
    if wanted in SIDES:
        return wanted
    for side, name in ((LEFT, left), (RIGHT, right)):
        if wanted and name and wanted == " ".join(name.split()).casefold():
            return side
    if not (left and right):
        raise ValueError(f"{printable(value)!r} is not left or right (a name works once both names are given)")
    raise ValueError(f"{printable(value)!r} is not left, right, {printable(left)} or {printable(right)}")


def last_first(records: list[dict]) -> str:
    """The name of who began the last session that was talked in (its first turn), or "" when none says.

    The session that ended last among `records`, leaving out runs that were
    never started (nobody really began those). Only the shared fact of who
    went first, never a count of who went first how often (DESIGN's "Care").
    """
    talked = [r for r in records if not record_not_started(r) and r.get("turns")]
    if not talked:
        return ""
    rec = max(talked, key=lambda r: r["ended_at"])
    side = rec["turns"][0].get("by")
    return next((str(p.get("name", "")) for p in rec.get("partners", ()) if p.get("side") == side), "")


def taking_turns(records: list[dict], left: str, right: str) -> tuple[str, str]:
    """Who starts by default: the other one from last time. (side, who began last time, or "" when unknown: left).

    Last time is matched by name, so swapping seats does not swap who starts.
    """
    began = last_first(records)
    key = " ".join(began.split()).casefold()
    for side, name in ((LEFT, left), (RIGHT, right)):
        if key and key == " ".join((name or "").split()).casefold():
            return other(side), began
    return LEFT, ""


@dataclass(frozen=True)
class SessionPlan:
    """Everything needed to start a session: who, which ritual, how long."""

    protocol: str
    left: str
    right: str
    speak: int | None = None
    reflect: int | None = None
    rounds: int | None = None
    topic: str = ""
    topic_deck: str = ""
    checkin: bool = True
    rules: bool = True
    closing_appreciation: bool = False
    grace: int | None = None  # seconds; None: the ritual's (from settings)
    confirm: int | None = None
    timeout: int | None = None  # the time-out's length in seconds; None: twenty minutes
    good_time: bool = False  # ask "Is now a good time?" first, where the ritual has it (setup and `start` do)
    first: str = ""  # who starts (the side whose turn comes first in every part); "": not chosen, so left

    def checked(self) -> SessionPlan:
        """The same plan with names and topic cleaned; ValueError on the first problem."""
        left = clean_name(self.left, "left partner's name")
        right = clean_name(self.right, "right partner's name")
        if left.casefold() == right.casefold():
            raise ValueError("both partners have the same name: please tell them apart")
        if self.rounds is not None and not 1 <= self.rounds <= MAX_ROUNDS:
            raise ValueError(f"rounds must be between 1 and {MAX_ROUNDS}")
        if self.first and self.first not in SIDES:
            raise ValueError(f"who starts must be left or right, not {printable(str(self.first))!r}")
        return replace(self, left=left, right=right, topic=clean_topic(self.topic))

    def settings(self, ritual: Ritual) -> Settings:
        settings = Settings.from_ritual(ritual, speak=self.speak, reflect=self.reflect, rounds=self.rounds,
                                        first=self.first or LEFT, closing_appreciation=self.closing_appreciation)
        chosen = {"grace_seconds": self.grace, "confirm_seconds": self.confirm, "timeout_seconds": self.timeout}
        return replace(settings, **{k: v for k, v in chosen.items() if v is not None})

    def taking_turns(self, records: list[dict]) -> SessionPlan:
        """The plan with who starts filled in when it was not chosen: the other one from last time."""
        if self.first:
            return self
        return replace(self, first=taking_turns(records, self.left, self.right)[0])

    def not_yet(self, ritual: Ritual, records: list[dict], now: datetime) -> str:
        """Why this ritual cannot start now ("" when it can): a calm-first one waits out a time-out's minimum."""
        wait = calm_from(ritual, records, now, self.timeout or TIMEOUT_SECONDS)
        if wait is None:
            return ""
        began, until = (when.astimezone(now.tzinfo) for when in wait)
        return (f"{ritual.name} waits until you are both calm: a time-out began at {began:%H:%M},"
                f" so it can start from {until:%H:%M}. Take your time; or choose another ritual")

    def engine(self, ritual: Ritual, clock: Clock, session_id: str = "") -> Engine:
        return Engine(
            ritual,
            self.left,
            self.right,
            self.settings(ritual),
            clock,
            rules=self.rules,
            checkin=self.checkin,
            good_time=self.good_time,
            topic=self.topic,
            topic_deck=self.topic_deck,
            session_id=session_id,
        )
