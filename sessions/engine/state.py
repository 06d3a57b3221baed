"""What a screen renders at one instant (`State`, one `SideView` a partner), and the tallies it reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..durations import AFTER, EPSILON, countdown_change, elapsed_change
from .plan import Step
from .terms import LEFT, Stage


@dataclass
class PartnerTally:
    name: str
    speaking_seconds: float = 0.0
    overtime_seconds: float = 0.0
    interruptions_blocked: int = 0
    hands_raised: int = 0
    reflections_confirmed_first_time: int = 0
    reflection_retries: int = 0
    agreed: bool = False
    mood_before: int | None = None
    feeling_before: str = ""
    mood_after: int | None = None
    feeling_after: str = ""
    i_statement: str = ""


@dataclass(frozen=True)
class SideView:
    """What one partner's pane needs to show: codes, never screen words (the words live in tui/)."""

    side: str
    name: str
    holds_floor: bool
    role: str  # speaker | listener
    activity: str  # asked, asking ("Is now a good time?"),
    #                reading-rules, agreed, checking-in, checking-out, finished, speaking, reflecting,
    #                confirming, deciding, floor-up, clarifying, agreeing, listening, heard,
    #                alongside (may speak too), waiting
    guidance: tuple[str, ...]
    interruptions_blocked: int
    hands_raised: int
    agreed: bool
    checked_in: bool
    mood: int | None  # None until both have answered (the check-in is sealed)
    feeling: str
    i_statement: str
    ready: bool  # said "ready" after the check-in reveal
    done_means: str = ""  # what their done key does now: now, agree, seal, ready, end-turn, got-it, pass,
    #                       pass-floor, "" (nothing)
    not_quite_means: str = ""  # what their not-quite key does now: later, not-quite, more, minute-more, skip,
    #                            not-solvable, ""
    note: str = ""  # what their note key opens now: parking-lot, appreciation, commitment, i-statement, feeling, ""
    show_i_statement: bool = False  # their prepared words belong on their pane now
    may_prepare: bool = False  # they may still prepare an I-statement (before their own first speaking turn)
    chosen: bool = False  # a mood is chosen but not yet sealed (the choice itself is never shown)
    has_word: bool = False  # a word for how they feel is waiting with the choice
    agreed_now: bool = False  # in a phase the two do together, they have said yes
    not_solvable_now: bool = False  # at a compromise, they have said "not solvable today"
    written: tuple[tuple[str, str], ...] = ()  # at a compromise: their core needs and flexible areas (kind, text)
    keeps_floor: bool = False  # the floor is theirs while the other says back what they heard (the ritual says so)
    choose: bool = False  # their number keys 1, 2, 3 choose one of the requests now (a gift)


@dataclass(frozen=True)
class Transition:
    """Something that happened between two moments, for the screen to answer (bell, cue)."""

    number: int  # 1, 2, … in the session: a screen rings once per new number
    kind: str  # turn-ended | not-quite | more | floor-passed | floor-ended | session-ended
    ended_by: str  # done | time | not-quite | more | minute-more | skipped | session-end | not-solvable
    by: str  # the side that held the floor when it happened
    offset: float


@dataclass(frozen=True)
class State:
    """Everything a screen renders, computed at one instant."""

    stage: Stage
    paused: bool
    pause_kind: str  # "", "pause", "time-out"
    elapsed: float  # time together: seconds since the conversation began (after "now"), pauses included
    round: int
    rounds: int
    step: Step | None
    step_number: int  # 1-based, among all steps
    steps_total: int
    floor: str | None  # side holding the floor
    planned: float
    time_left: float  # may be negative in grace
    in_grace: bool
    grace_left: float
    overtime: float
    warning: str  # "", "30", "10", "wrap-up"
    timeout_left: float  # until the minimum has passed and you may come back (0 after)
    timeout_ready: int  # how many of you are ready to come back (never who: no names on readiness)
    timeout_spent: float  # seconds since the time-out began
    timeout_undo_left: float  # while > 0, the time-out key again takes a mistaken time-out back
    return_at: datetime | None  # the time you agreed to come back, if you agreed one
    checkin_revealed: bool
    left: SideView
    right: SideView
    status: str  # completed | ended-early, once ended
    ritual_name: str = ""
    topic: str = ""
    ground_rules: tuple[str, ...] = ()
    first: str = LEFT  # who speaks first
    floor_left: float | None = None  # the speaker's floor time left in an "Is there more?" loop
    floor_turn: float | None = None  # that floor time left as this turn began (a turn's share of it: the same all turn)
    transition: Transition | None = None  # the latest, if any
    transitions: int = 0  # how many so far
    changes: tuple = ()  # what moved the state but time, counted (the engine's own: `Engine.seconds_later`)
    gentle_offer: bool = False  # the check-in before showed one of you at LOW_MOOD or below: offer, never block
    gentler: str = ""  # with the offer: a gentler ritual's id to switch to (never the one you are in), or ""
    low_after: bool = False  # the check-out showed one of you at LOW_MOOD or below: a gentle word, never who
    writing: bool = False  # a partner is writing a note on the floor: the clock waits
    writers: frozenset[str] = frozenset()  # who has a note box open
    asking: bool = False  # the end or quit question is open on the floor: the clock waits
    repair: str = ""  # a repair phrase's code, on both panes while the clock waits for it ("" for none)
    repair_list: bool = False  # the list of repair phrases is open (the clock waits while you choose)
    park: bool = False  # the park key would keep a couple issue for the next state of the union now
    good_time: str = ""  # the question asked before anything else ("Is now a good time?"), while it is asked
    asked: str = ""  # the side asked it (who listens first); only their keys answer
    later: bool = False  # they said "later, within a day": the run ended before anything was said
    floor_owner: str | None = None  # whose floor it is: the speaker's while they are said back to, if the ritual says so
    asked_again: bool = False  # a question ran out of time once and is asked again (the clock never answers it)
    unanswered: bool = False  # paused because a question was asked twice with no answer: carry on when ready
    floor_up: bool = False  # "is there more?" once the speaker's floor time is used: pass the floor, or a minute more
    requests: tuple[str, ...] = ()  # the requests written on this floor, while they are written and chosen from
    gift: int = 0  # which of them is chosen as a gift (1, 2, 3), 0 for none yet

    def side(self, side: str) -> SideView:
        return self.left if side == LEFT else self.right

    @property
    def floor_after(self) -> bool:
        """The speaker has floor time left once this turn's clock runs out ("then … says it back, and you can go
        on"), not only this last part of it. Read from the turn's share and its length, both set as the turn
        begins, so it holds all turn: in the grace the floor runs on while the turn's clock does not, and the
        two read against each other would turn it over at a moment `next_change` does not name."""
        return self.floor_turn is not None and self.floor_turn > self.planned + 0.5

    def next_change(self) -> float | None:
        """Seconds from this instant until a figure shown from time next reads differently; None: never.

        A screen redraws then and only then, so what it shows is what the
        engine says at that moment: the time together (by the minute), the
        countdown and the turn's whole seconds spent, the 30- and 10-second
        warnings, the grace start, the deadline (when the engine ends the turn
        itself). The speaker's floor in all is said in words that hold for a
        whole turn (`floor_after`, its share as the turn began), so it sets no moment of its own.
        While paused, while the holder writes or the end question is open, only the time together moves.
        Each is a hair (AFTER) past the moment its figure turns over (EPSILON early).
        """
        if self.stage in (Stage.ENDED, Stage.GOOD_TIME):
            return None  # "Is now a good time?" has no clock, and time together has not begun
        soon = [elapsed_change(self.elapsed, 60)]  # the time together is shown by the minute
        if self.stage is Stage.FLOOR and self.step is not None and not self.paused and not self.writing and not self.asking:
            left = self.time_left
            if self.in_grace:
                soon += [countdown_change(self.grace_left), self.grace_left - AFTER]  # the deadline
            else:
                soon += [countdown_change(left), left - AFTER]  # the figure, and the grace start
                soon.append(elapsed_change(self.planned - left))  # a whole second more of the turn spent
                soon += [left - mark - AFTER for mark in (30, 10) if left - mark > EPSILON]  # the warnings
        return min(s for s in soon if s is not None and s > 0)

