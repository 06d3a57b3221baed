"""The Engine: its clock and inputs; the rules live in the parts it is built from (see the package's docstring).

The UI forwards keys here and renders `state()`; every rule of the
conversation lives in this package. Each input is appended to `log` with its
time, and replaying the log on a manual clock rebuilds the same session, which
is what the crash journal and the exact tests stand on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from ..clock import Clock
from ..durations import EPSILON
from ..rituals import Ritual
from .breaks import Breaks
from .checkin import CheckIn
from .floor import Floor
from .goodtime import GoodTime
from .notes import Notes
from .plan import Settings, Step, plan
from .record import Recording
from .repair import Repair
from .state import PartnerTally, Transition
from .talk import Talk
from .terms import LEFT, RIGHT, SIDES, Action, Outcome, Result, Stage
from .view import View


STARTED_AFTER = 60.0  # seconds of floor held that make a run a session, though no turn ended


class Engine(Floor, Breaks, CheckIn, GoodTime, Notes, View, Recording, Repair, Talk):
    """The rules of a session. Feed it inputs; read `state()` and `record()`."""

    def __init__(
        self,
        ritual: Ritual,
        left: str,
        right: str,
        settings: Settings,
        clock: Clock,
        *,
        rules: bool = True,
        checkin: bool = True,
        good_time: bool = False,
        topic: str = "",
        topic_deck: str = "",
        session_id: str = "",
    ) -> None:
        self.ritual = ritual
        self.settings = settings
        self.clock = clock
        self.rules = rules
        self.checkin = checkin
        self.good_time = good_time and bool(ritual.good_time)  # the ritual asks first, and this run asks it
        self.later = False
        self.topic = topic
        self.topic_deck = topic_deck
        self.session_id = session_id
        self.steps = plan(ritual, settings)
        self.partners = {LEFT: PartnerTally(left), RIGHT: PartnerTally(right)}
        self.log: list[dict[str, Any]] = []
        self.on_input: Callable[[dict[str, Any]], None] | None = None  # the journal writes each input as it comes
        self.turns: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.started_at: datetime = clock.now()
        self._t0 = clock.monotonic()
        self._mark = self._t0
        self.stage = Stage.GOOD_TIME if self.good_time else self._after_good_time()
        # when the conversation began (an offset): time together starts there, not while "Is now a good time?" is asked
        self._together_at: float | None = None if self.stage is Stage.GOOD_TIME else 0.0
        self.status = ""
        self._ended_offset: float | None = None
        self.pause_kind = ""
        self._paused_before_timeout = False
        self._timeout_until = 0.0
        self._timeout_back: set[str] = set()
        self._timeout_began = 0.0
        self.return_at: datetime | None = None
        self._ready: set[str] = set()  # who has said "ready" after a check-in reveal
        self._rules_at: float | None = None  # when the ground rules came after "Is now a good time?": settle time
        self._index = 0
        self._active = 0.0  # active (unpaused) seconds in the current step
        self._turn_start = 0.0  # offset of the current step's start
        self._turn_blocked = 0
        self._tries = 0  # reflections tried for the current confirm cycle
        self._planned = 0.0  # the current step's length (a chunk in a loop may get less than its own)
        self._used: dict[int, float] = {}  # floor time a speaker has used, per block
        self._extra: dict[int, float] = {}  # "a minute more", asked for once the floor time was used, per block
        self._minute_more = False  # the next turn of the floor is the minute asked for: all of it, in one turn
        self._ask_base = 0.0  # active seconds of the step when its question was (last) asked
        self._asked = False  # the question ran out once and is asked again, calmly
        self._unanswered = False  # paused because a question was asked twice and not answered: nobody's fault
        self._floor_up = False  # "is there more?" with the speaker's floor time used: pass, or a minute more
        self._prev_holder: str | None = None  # who held the floor in the step before this one
        self._last_key: dict[tuple[str, str], float] = {}  # (side, action) -> when last pressed, for bursts
        self._together: set[str] = set()  # who has said yes in a phase the two do together
        self._spoken: set[str] = set()  # who has begun their own first speaking turn
        self._chosen: dict[str, tuple[int | None, str]] = {}  # check-in: chosen mood and word, not yet sealed
        self._revealed_at: float | None = None  # when the sealed answers were shown: ready waits a settle time
        self._requests: dict[int, list[int]] = {}  # block -> where its behaviour-change requests are in `notes`
        self._writing: set[str] = set()  # who has a note box open (the holder's clock waits for them)
        self._asking = 0  # the end or quit question is open (questions open over each other): the clock waits
        self._last_blocked: tuple[str, float, int] | None = None  # (side, when, event index) in this turn
        self._repair = ""  # a repair phrase the clock is waiting on ("" for none)
        self._repair_list = ""  # the repair list is open: "paused" (it stopped the clock) or "open"
        self.transitions: list[Transition] = []
        self.outcome = ""  # how the talk ended, when it ended somewhere of its own: "not-solvable-today"
        self._unsolved: set[str] = set()  # who has said "not solvable today" at the step `_unsolved_at`
        self._unsolved_at = -1
        if self.stage is Stage.FLOOR:
            self._begin_step(0, self._t0)

    # ----- time ---------------------------------------------------------

    def _offset(self, mono: float | None = None) -> float:
        return round((self.clock.monotonic() if mono is None else mono) - self._t0, 3)

    def tick(self) -> None:
        """Bring the state up to now: ends timed-out phases and time-outs exactly when they ran out."""
        now = self.clock.monotonic()
        while True:
            if self.stage is Stage.FLOOR and not self.pause_kind and not self._clock_held():
                limit = self._ask_base + self._planned + self.settings.grace_seconds
                need = limit - self._active
                if now - self._mark >= need - EPSILON:  # a deadline reached to the nanosecond is reached
                    at = self._mark + need
                    self._active = float(limit)
                    self._mark = at
                    self._time_up(at)
                    continue
                self._active += now - self._mark
            self._mark = now
            return

    def _clock_held(self) -> bool:
        """The turn's clock waits while either partner writes a note: a turn never runs out under a note box.
        A note box has the keyboard (its letters are the other partner's keys too), so while the listener
        writes, the speaker could neither say done nor answer the clock: her time waits with her keys."""
        return bool(self._writing or self._asking) and self.stage is Stage.FLOOR

    # ----- inputs -------------------------------------------------------

    def _record_input(self, op: str, **data: Any) -> None:
        entry = {"offset": self.clock.monotonic() - self._t0, "op": op, **data}
        self.log.append(entry)
        if self.on_input is not None:
            self.on_input(entry)

    def press(self, side: str, action: Action | str) -> Outcome:
        """A partner's done or not-quite key."""
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        action = Action(action)
        self.tick()
        self._record_input("press", side=side, action=str(action))
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended", "The session has ended.")
        if self.pause_kind == "time-out":
            return self._press_time_out(side, action)
        if self.stage is Stage.GOOD_TIME:
            return self._press_good_time(side, action)
        if self.stage is Stage.RULES:
            return self._press_rules(side, action)
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return self._press_checkin(side, action)
        if self.pause_kind:
            return Outcome(Result.IGNORED, "paused")
        return self._press_floor(side, action)


    def end_early(self) -> Outcome:
        """Escape (after asking): stop now and keep everything so far."""
        self.tick()
        self._record_input("end")
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.stage is Stage.GOOD_TIME:
            self._not_now()  # nothing was said yet: ending here is "later", and nothing is kept
        elif self.stage is Stage.FLOOR:
            self._close_turn("session-end")
            self._event("ended-early", "both")
            self._finish("ended-early")
        elif self.stage is Stage.CHECKOUT:
            self._finish("completed")  # the conversation itself was complete
        else:
            self._event("ended-early", "both")
            self._finish("ended-early")
        return Outcome(Result.ACCEPTED, "ended")


    def asking(self, on: bool) -> Outcome:
        """The end (or quit) question opened (`on`) or was answered "carry on": while the couple reads it, the
        turn's clock waits, as under a note box, and goes on from where it was."""
        self.tick()  # the clock counts up to now under the rule before this
        self._record_input("asking", on=bool(on))
        self._asking = self._asking + 1 if on else max(0, self._asking - 1)
        return Outcome(Result.ACCEPTED, "asking" if on else "asked")

    @property
    def question_open(self) -> bool:
        return self._asking > 0

    def _name(self, side: str) -> str:
        return self.partners[side].name

    def _event(self, kind: str, by: str, mono: float | None = None, **extra: str) -> None:
        self.events.append({"offset_seconds": self._offset(mono), "kind": kind, "by": by, **extra})

    def _transition(self, kind: str, ended_by: str, by: str, mono: float | None = None) -> None:
        self.transitions.append(Transition(len(self.transitions) + 1, kind, ended_by, by, self._offset(mono)))


    def _to_stage(self, stage: Stage) -> None:
        self._ready = set()
        if stage is Stage.ENDED:
            self._finish("completed")
            return
        if self.stage is Stage.GOOD_TIME:
            self._together_at = self._offset()  # "now": the conversation, and its time together, begin
            if stage is Stage.RULES:
                self._rules_at = self.clock.monotonic()  # "now"'s key again must not agree to rules nobody has read
        self.stage = stage
        if stage is Stage.FLOOR:
            self._prev_holder = None
            self._begin_step(0, self.clock.monotonic())


    def _finish(self, status: str, mono: float | None = None) -> None:
        if not (self.transitions and self.transitions[-1].kind == "session-ended"):
            self._transition("session-ended", "session-end" if status == "ended-early" else "done", "both", mono)
        if status == "ended-early" and not self.started:
            status = "not-started"  # listed with the others, never counted in a figure
        self.stage = Stage.ENDED
        self.status = status
        self.pause_kind = ""
        self._ended_offset = self._offset(mono)


    @property
    def started(self) -> bool:
        """Whether a first turn was completed, or the floor was held for a minute: a run stopped before either is
        "not started" (its status says so). A ten-minute turn ended at 9:48 was a talk, not a false start."""
        return (any(turn["ended_by"] != "session-end" for turn in self.turns)
                or sum(turn["actual_seconds"] for turn in self.turns) >= STARTED_AFTER)

    @property
    def current_step(self) -> Step | None:
        return self.steps[self._index] if self.stage is Stage.FLOOR else None

