"""The engine's vocabulary: sides, stages, the two partner keys, what an input came to, and its constants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCHEMA = 1
LEFT, RIGHT = "left", "right"
SIDES = (LEFT, RIGHT)

NOTE_KINDS = ("parking-lot", "appreciation", "commitment", "core-need", "flexible", "request")  # a request chosen as a gift becomes "gift"
MOODS = {1: "struggling", 2: "low", 3: "okay", 4: "good", 5: "great"}
PAUSE_REASONS = ("help", "too-small", "resumed")  # the app pauses for these itself: events "pause-help", …
TIMEOUT_SECONDS = 20 * 60  # a flooded body needs at least twenty minutes to settle
LOW_MOOD = 2  # a check-in at or below this gently offers another kind of talk, or another time
GENTLER = ("stress-reducing", "appreciation-round")  # offered after a low check-in, never the one you are in
UNDO_SECONDS = 10  # a time-out pressed by mistake can be taken back this soon
MINUTE_MORE_SECONDS = 60  # the speaker's floor time is used up and they ask for a minute more
ASKING = ("confirm", "more")  # a yes-or-no only the speaker can answer: the clock never answers it for them
RETURN_WITHIN_MINUTES = 24 * 60  # an agreed time to come back: within a day

# Two people at one keyboard press late, twice, or in bursts (DESIGN: "Keys mean what the person meant").
SETTLE_SECONDS = 0.8  # a key within this long after the floor came to you was meant for the turn before
BURST_GAP_SECONDS = 0.4  # the same key again within this long of the last is the same act, held or mashed
SAME_INSTANT_SECONDS = 0.3  # the listener's key this close before the holder's ending key: pressed together


def other(side: str) -> str:
    return RIGHT if side == LEFT else LEFT


class Stage(StrEnum):
    GOOD_TIME = "good-time"  # "Is now a good time?", asked of who listens first (a ritual's `good_time`)
    RULES = "rules"  # both agree to the ground rules
    CHECKIN = "check-in"  # sealed mood before
    FLOOR = "floor"  # the timed turns
    CHECKOUT = "check-out"  # sealed mood after
    ENDED = "ended"


class Action(StrEnum):
    DONE = "done"  # end my turn / "yes" to a check / I agree / I'm ready
    NOT_QUITE = "not-quite"  # the holder's "not yet": not quite, there's more, or skip; nothing when listening


class Result(StrEnum):
    ACCEPTED = "accepted"
    BLOCKED = "blocked"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Outcome:
    """What the engine made of one input, so the UI can answer the person."""

    result: Result
    what: str  # a short slug: turn-ended, confirmed, retry, interruption-blocked, paused…
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.result is Result.ACCEPTED


