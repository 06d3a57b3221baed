"""The session engine: a deterministic state machine over a ritual, two partners and a clock.

The UI forwards keys here and renders `state()`; every rule of the
conversation lives in this module. Each input is appended to `log` with its
time, and replaying the log on a manual clock rebuilds the same session, which
is what the crash journal and the exact tests stand on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Callable

from . import __version__
from .clock import Clock, ManualClock
from .durations import AFTER, EPSILON, countdown_change, elapsed_change
from .rituals import CLARIFY, CLOSING_APPRECIATION, CONFIRM, MORE, Phase, Ritual, ends_with_appreciation

SCHEMA = 1
LEFT, RIGHT = "left", "right"
SIDES = (LEFT, RIGHT)

NOTE_KINDS = ("parking-lot", "appreciation", "commitment")
MOODS = {1: "struggling", 2: "low", 3: "okay", 4: "good", 5: "great"}
PAUSE_REASONS = ("help", "too-small", "resumed")  # the app pauses for these itself: events "pause-help", …
TIMEOUT_SECONDS = 20 * 60  # a flooded body needs at least twenty minutes to settle
LOW_MOOD = 2  # a check-in at or below this gently offers another kind of talk, or another time
UNDO_SECONDS = 10  # a time-out pressed by mistake can be taken back this soon
RETURN_WITHIN_MINUTES = 24 * 60  # an agreed time to come back: within a day

# Two people at one keyboard press late, twice, or in bursts (DESIGN: "Keys mean what the person meant").
SETTLE_SECONDS = 0.8  # a key within this long after the floor came to you was meant for the turn before
BURST_GAP_SECONDS = 0.4  # the same key again within this long of the last is the same act, held or mashed


def other(side: str) -> str:
    return RIGHT if side == LEFT else LEFT


class Stage(StrEnum):
    RULES = "rules"  # both agree to the ground rules
    CHECKIN = "check-in"  # sealed mood before
    FLOOR = "floor"  # the timed turns
    CHECKOUT = "check-out"  # sealed mood after
    ENDED = "ended"


class Action(StrEnum):
    DONE = "done"  # end my turn / "yes, you got it" / I agree / I'm ready
    NOT_QUITE = "not-quite"  # when confirming; a raised hand when listening


class Result(StrEnum):
    ACCEPTED = "accepted"
    BLOCKED = "blocked"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Outcome:
    """What the engine made of one input, so the UI can answer the person."""

    result: Result
    what: str  # a short slug: turn-ended, confirmed, retry, hand-raised, interruption-blocked, paused…
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.result is Result.ACCEPTED


@dataclass(frozen=True)
class Settings:
    speak_seconds: int
    reflect_seconds: int
    rounds: int
    grace_seconds: int = 15
    confirm_seconds: int = 30
    timeout_seconds: int = TIMEOUT_SECONDS
    first: str = LEFT  # who speaks first
    closing_appreciation: bool = False  # end with a short appreciation turn each

    @classmethod
    def from_ritual(
        cls,
        ritual: Ritual,
        speak: int | None = None,
        reflect: int | None = None,
        rounds: int | None = None,
        **extra: Any,
    ) -> Settings:
        return cls(
            speak_seconds=speak or ritual.speak_seconds,
            reflect_seconds=reflect or ritual.reflect_seconds,
            rounds=rounds or ritual.rounds,
            grace_seconds=ritual.grace_seconds,
            confirm_seconds=ritual.confirm_seconds,
            **extra,
        )


@dataclass(frozen=True)
class Step:
    """One planned turn: a phase played by one partner in one round.

    Steps are laid out in order; `on_done` and `on_not_quite` say where the
    two partner keys lead when they are not simply "the next step", which is
    how the floor loops (not quite → clarify → reflect again; is there more →
    speak again) live in a flat plan.
    """

    index: int
    round: int
    part: str
    kind: str
    title: str
    holder: str  # side holding the floor
    speaker: str  # side whose topic this is (the ritual's "speaker" role)
    planned: int
    phase: Phase
    added: str = ""  # what the engine added around a phase: confirm | clarify | more
    on_done: int | None = None  # where done (or time) leads; None: the next step
    on_not_quite: int | None = None  # where the holder's not-quite leads; None: it does nothing
    block: int = 0  # one speaker's go at one part; their speak time is counted per block
    budgeted: bool = False  # the speaker's talk inside an "Is there more?" loop: bounded by speak time

    @property
    def is_confirm(self) -> bool:
        return self.added == "confirm"

    @property
    def retry_to(self) -> int | None:  # kept for readers of the old plan
        return self.on_not_quite if self.is_confirm else None

    @property
    def together(self) -> bool:
        return self.phase.actor == "both"

    def role(self, side: str) -> str:
        return "speaker" if side == self.speaker else "listener"


def phase_seconds(phase: Phase, ritual: Ritual, settings: Settings) -> int:
    """A phase's length for these settings: named lengths follow what was typed; numbers scale with them.

    A number in a ritual file is meant at the ritual's own speak (or, for a
    listener, reflect) length; typed lengths scale it, so a demo at 8 s keeps
    the proportions. `fixed = true` keeps the number as it is.
    """
    if phase.length == "speak":
        return settings.speak_seconds
    if phase.length == "reflect":
        return settings.reflect_seconds
    if phase.length == "confirm":
        return settings.confirm_seconds
    if phase.length == "clarify":
        seconds, listener = ritual.clarify_seconds, False
    else:
        seconds, listener = int(phase.length), phase.actor == "listener"
    if phase.fixed:
        return seconds
    base, typed = (ritual.reflect_seconds, settings.reflect_seconds) if listener else (ritual.speak_seconds, settings.speak_seconds)
    return max(1, int(seconds * typed / base + 0.5))


def plan(ritual: Ritual, settings: Settings) -> list[Step]:
    """Expand a ritual into its steps: rounds × parts × speakers × phases, with the added checks."""
    steps: list[Step] = []
    first = settings.first
    rounds = [(rnd, ritual.parts) for rnd in range(1, settings.rounds + 1)]
    if settings.closing_appreciation and not ends_with_appreciation(ritual):
        rounds.append((settings.rounds, (CLOSING_APPRECIATION,)))
    block = 0
    for rnd, parts in rounds:
        for part in parts:
            last_more = max((i for i, ph in enumerate(part.phases) if ph.more), default=-1)
            for speaker in (first,) if part.once else (first, other(first)):
                block += 1
                start = len(steps)

                def add(phase: Phase, holder: str, added: str = "", budgeted: bool = False, **jumps) -> int:
                    title = phase.title
                    steps.append(Step(len(steps), rnd, part.title, phase.kind, title, holder, speaker,
                                      phase_seconds(phase, ritual, settings), phase, added, block=block,
                                      budgeted=budgeted, **jumps))
                    return len(steps) - 1

                for i, phase in enumerate(part.phases):
                    holder = other(speaker) if phase.actor == "listener" else speaker
                    in_loop = i <= last_more
                    here = len(steps)
                    if not phase.confirm:
                        after = here + 1
                        add(phase, holder, budgeted=in_loop and phase.actor == "speaker",
                            on_not_quite=after if phase.skippable else None)
                        continue
                    confirm_at = here + 1
                    more_at = here + 2 if phase.more else None
                    clarify_at = (more_at or confirm_at) + 1
                    after = clarify_at + 1
                    add(phase, holder)
                    check = replace(CONFIRM, title=phase.check) if phase.check else CONFIRM
                    add(check, speaker, "confirm", on_done=more_at or after, on_not_quite=clarify_at)
                    if more_at is not None:
                        add(MORE, speaker, "more", on_done=after, on_not_quite=start)
                    add(CLARIFY, speaker, "clarify", budgeted=in_loop, on_done=here)
    return steps


def estimate_seconds(ritual: Ritual, settings: Settings) -> int:
    """The session's planned length when every turn takes its time and the speaker uses all their floor.

    Setup shows this; `tests/test_lengths.py` plays sessions on the manual
    clock and checks the two agree.
    """
    steps = plan(ritual, settings)
    total = 0.0
    i = 0
    used: dict[int, float] = {}
    while i < len(steps):
        step = steps[i]
        if step.added == "more" and used.get(step.block, 0.0) >= settings.speak_seconds:
            i = step.on_done
            continue
        planned = step.planned
        if step.budgeted and step.added != "clarify":
            planned = min(planned, settings.speak_seconds - used.get(step.block, 0.0))
        total += planned
        if step.budgeted:
            used[step.block] = used.get(step.block, 0.0) + planned
        if step.added == "more":
            i = step.on_not_quite  # there is more, while floor time remains
        elif step.on_done is not None:
            i = step.on_done
        else:
            i += 1
    return int(total + 0.5)


def own_lengths(ritual: Ritual, settings: Settings) -> tuple[tuple[str, int], ...]:
    """Steps that keep their own length whatever speak and reflect lengths are typed (setup says which)."""
    out: dict[str, int] = {}
    single = {part.title for part in (*ritual.parts, CLOSING_APPRECIATION) if len(part.phases) == 1}
    for step in plan(ritual, settings):
        if step.added in ("confirm", "more"):
            out.setdefault("each yes-or-no answer", settings.confirm_seconds)
        elif step.phase.fixed:  # a part of one step is named by the part ("Affection"), not its prompt
            out.setdefault(step.part if step.part in single else step.title, int(step.planned))
    return tuple(out.items())


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
    activity: str  # reading-rules, agreed, checking-in, checking-out, finished, speaking, reflecting,
    #                confirming, deciding, clarifying, agreeing, listening, waiting
    guidance: tuple[str, ...]
    interruptions_blocked: int
    hands_raised: int
    agreed: bool
    checked_in: bool
    mood: int | None  # None until both have answered (the check-in is sealed)
    feeling: str
    i_statement: str
    ready: bool  # said "ready" after the check-in reveal
    done_means: str = ""  # what their done key does now: agree, seal, ready, end-turn, got-it, pass, "" (nothing)
    not_quite_means: str = ""  # what their not-quite key does now: not-quite, more, skip, raise-hand, ""
    note: str = ""  # what their note key opens now: parking-lot, appreciation, commitment, i-statement, feeling, ""
    show_i_statement: bool = False  # their prepared words belong on their pane now
    may_prepare: bool = False  # they may still prepare an I-statement (before their own first speaking turn)
    chosen: bool = False  # a mood is chosen but not yet sealed (the choice itself is never shown)
    has_word: bool = False  # a word for how they feel is waiting with the choice
    agreed_now: bool = False  # in a phase the two do together, they have said yes


@dataclass(frozen=True)
class Transition:
    """Something that happened between two moments, for the screen to answer (bell, cue)."""

    number: int  # 1, 2, … in the session: a screen rings once per new number
    kind: str  # turn-ended | not-quite | more | floor-passed | floor-ended | session-ended
    ended_by: str  # done | time | not-quite | more | skipped | session-end
    by: str  # the side that held the floor when it happened
    offset: float


@dataclass(frozen=True)
class State:
    """Everything a screen renders, computed at one instant."""

    stage: Stage
    paused: bool
    pause_kind: str  # "", "pause", "time-out"
    elapsed: float  # seconds since the session began, pauses included
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
    hand_raised_by: str | None  # a raised hand in the current turn
    checkin_revealed: bool
    left: SideView
    right: SideView
    status: str  # completed | ended-early, once ended
    ritual_name: str = ""
    topic: str = ""
    ground_rules: tuple[str, ...] = ()
    first: str = LEFT  # who speaks first
    floor_left: float | None = None  # the speaker's floor time left in an "Is there more?" loop
    transition: Transition | None = None  # the latest, if any
    transitions: int = 0  # how many so far
    gentle_offer: bool = False  # the check-in before showed one of you at LOW_MOOD or below: offer, never block

    def side(self, side: str) -> SideView:
        return self.left if side == LEFT else self.right

    def next_change(self) -> float | None:
        """Seconds from this instant until a figure shown from time next reads differently; None: never.

        A screen redraws then and only then, so what it shows is what the
        engine says at that moment: the time together, the countdown and the
        turn's whole seconds spent, the 30- and 10-second warnings, the grace
        start, the deadline (when the engine ends the turn itself), the
        speaker's floor in all. While paused only the time together moves.
        Each is a hair (AFTER) past the moment its figure turns over (EPSILON early).
        """
        if self.stage is Stage.ENDED:
            return None
        soon = [elapsed_change(self.elapsed)]
        if self.stage is Stage.FLOOR and self.step is not None and not self.paused:
            left = self.time_left
            if self.in_grace:
                soon += [countdown_change(self.grace_left), self.grace_left - AFTER]  # the deadline
            else:
                soon += [countdown_change(left), left - AFTER]  # the figure, and the grace start
                soon.append(elapsed_change(self.planned - left))  # a whole second more of the turn spent
                soon += [left - mark - AFTER for mark in (30, 10) if left - mark > EPSILON]  # the warnings
            if self.floor_left is not None:
                soon.append(countdown_change(self.floor_left))
        return min(s for s in soon if s is not None and s > 0)


class Engine:
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
        topic: str = "",
        topic_deck: str = "",
        session_id: str = "",
    ) -> None:
        self.ritual = ritual
        self.settings = settings
        self.clock = clock
        self.rules = rules
        self.checkin = checkin
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
        self.stage = Stage.RULES if rules else (Stage.CHECKIN if checkin else Stage.FLOOR)
        self.status = ""
        self._ended_offset: float | None = None
        self.pause_kind = ""
        self._paused_before_timeout = False
        self._timeout_until = 0.0
        self._timeout_back: set[str] = set()
        self._timeout_began = 0.0
        self.return_at: datetime | None = None
        self._ready: set[str] = set()  # who has said "ready" after a check-in reveal
        self._index = 0
        self._active = 0.0  # active (unpaused) seconds in the current step
        self._turn_start = 0.0  # offset of the current step's start
        self._turn_blocked = 0
        self._hand: str | None = None
        self._tries = 0  # reflections tried for the current confirm cycle
        self._planned = 0.0  # the current step's length (a chunk in a loop may get less than its own)
        self._used: dict[int, float] = {}  # floor time a speaker has used, per block
        self._prev_holder: str | None = None  # who held the floor in the step before this one
        self._last_key: dict[tuple[str, str], float] = {}  # (side, action) -> when last pressed, for bursts
        self._together: set[str] = set()  # who has said yes in a phase the two do together
        self._spoken: set[str] = set()  # who has begun their own first speaking turn
        self._chosen: dict[str, tuple[int | None, str]] = {}  # check-in: chosen mood and word, not yet sealed
        self.transitions: list[Transition] = []
        if self.stage is Stage.FLOOR:
            self._begin_step(0, self._t0)

    # ----- time ---------------------------------------------------------

    def _offset(self, mono: float | None = None) -> float:
        return round((self.clock.monotonic() if mono is None else mono) - self._t0, 3)

    def tick(self) -> None:
        """Bring the state up to now: ends timed-out phases and time-outs exactly when they ran out."""
        now = self.clock.monotonic()
        while True:
            if self.stage is Stage.FLOOR and not self.pause_kind:
                limit = self._planned + self.settings.grace_seconds
                need = limit - self._active
                if now - self._mark >= need - EPSILON:  # a deadline reached to the nanosecond is reached
                    at = self._mark + need
                    self._active = float(limit)
                    self._mark = at
                    self._end_step("time", at)
                    continue
                self._active += now - self._mark
            self._mark = now
            return

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
        if self.stage is Stage.RULES:
            return self._press_rules(side, action)
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return self._press_checkin(side, action)
        if self.pause_kind:
            return Outcome(Result.IGNORED, "paused")
        return self._press_floor(side, action)

    def _press_time_out(self, side: str, action: Action) -> Outcome:
        """Coming back: not before the minimum, and only when both are ready (who is ready stays unsaid)."""
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "time-out", "Take your time-out.")
        if self.clock.monotonic() < self._timeout_until:
            return Outcome(Result.IGNORED, "too-soon",
                           "A flooded body needs about twenty minutes to settle: we come back after that.")
        self._timeout_back.add(side)
        if self._timeout_back != set(SIDES):
            return Outcome(Result.ACCEPTED, "ready-to-return", "Whenever you're both ready.")
        self._end_time_out()
        return Outcome(Result.ACCEPTED, "time-out-ended")

    def _end_time_out(self) -> None:
        self._event("time-out-ended", "both")
        if self._paused_before_timeout:  # back to where it was: still paused
            self.pause_kind = "pause"
            self._timeout_back = set()
        else:
            self._resume()

    def _press_rules(self, side: str, action: Action) -> Outcome:
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "rules")
        tally = self.partners[side]
        if tally.agreed:
            return Outcome(Result.IGNORED, "agreed")
        tally.agreed = True
        if all(p.agreed for p in self.partners.values()):
            self._to_stage(Stage.CHECKIN if self.checkin else Stage.FLOOR)
        return Outcome(Result.ACCEPTED, "agreed")

    def _press_checkin(self, side: str, action: Action) -> Outcome:
        """Done seals a chosen mood; after the reveal, each says they are ready; we go on when both have."""
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "check-in")
        if not self.checkin_revealed:
            if side not in self._chosen or self._chosen[side][0] is None or self._mood(side) is not None:
                return Outcome(Result.IGNORED, "check-in")  # nothing chosen yet, or already sealed
            mood, feeling = self._chosen.pop(side)
            return self._seal(side, mood, feeling)
        if side in self._ready:
            return Outcome(Result.IGNORED, "ready")
        self._ready.add(side)
        if self._ready != set(SIDES):
            return Outcome(Result.ACCEPTED, "ready")
        self._to_stage(Stage.FLOOR if self.stage is Stage.CHECKIN else Stage.ENDED)
        return Outcome(Result.ACCEPTED, "continue")

    def _press_floor(self, side: str, action: Action) -> Outcome:
        """Read what the person meant, then apply the floor's rules."""
        step = self.steps[self._index]
        holder = step.holder
        now = self.clock.monotonic()
        last = self._last_key.get((side, str(action)))
        self._last_key[(side, str(action))] = now
        if last is not None and now - last < BURST_GAP_SECONDS:
            return Outcome(Result.IGNORED, "burst")  # one act, however many times the key went down
        mine = side == holder or step.together
        if mine and self._active < SETTLE_SECONDS:
            self._event("tap-carried-over", side)
            return Outcome(Result.IGNORED, "carried-over")
        if not mine and action is Action.DONE and side == self._prev_holder and self._active < SETTLE_SECONDS:
            self._event("repeat-ignored", side)
            return Outcome(Result.IGNORED, "repeat")
        if step.together:
            if action is not Action.DONE or side in self._together:
                return Outcome(Result.IGNORED, "agreed" if side in self._together else "together")
            self._together.add(side)
            self._event("agreed", side)
            if self._together == set(SIDES):
                self._end_step("done", now)
                return Outcome(Result.ACCEPTED, "turn-ended")
            return Outcome(Result.ACCEPTED, "agreed")
        if action is Action.DONE:
            if side != holder:
                self.partners[side].interruptions_blocked += 1
                self._turn_blocked += 1
                self._event("interruption-blocked", side)
                return Outcome(Result.BLOCKED, "interruption-blocked")
            if step.is_confirm:
                reflector = other(step.speaker)
                if self._tries == 1:
                    self.partners[reflector].reflections_confirmed_first_time += 1
                self._event("confirmed", side)
                self._end_step("done", now)
                return Outcome(Result.ACCEPTED, "confirmed")
            if step.added == "more":
                self._end_step("done", now)
                return Outcome(Result.ACCEPTED, "floor-passed")
            self._end_step("done", now)
            return Outcome(Result.ACCEPTED, "turn-ended")
        # not quite / raise a hand
        if side != holder:
            self.partners[side].hands_raised += 1
            self._hand = side
            self._event("hand-raised", side)
            return Outcome(Result.ACCEPTED, "hand-raised")
        if step.on_not_quite is None:
            return Outcome(Result.IGNORED, "has-floor")
        if step.is_confirm:
            reflector = other(step.speaker)
            self.partners[reflector].reflection_retries += 1
            self._event("not-quite", side)
            self._end_step("not-quite", now)
            return Outcome(Result.ACCEPTED, "retry")
        if step.added == "more":
            self._event("more", side)
            self._end_step("more", now)
            return Outcome(Result.ACCEPTED, "more")
        self._event("skipped", side)  # a skippable phase: "not today"
        self._end_step("skipped", now)
        return Outcome(Result.ACCEPTED, "skipped")

    def toggle_pause(self, reason: str = "") -> Outcome:
        """Space: pause or resume. Never blocked.

        `reason` is the app's own, when it pauses for you ("help" is open, the
        window is "too-small"): recorded as its own kind of event, so help read
        is never told back as a pause you needed.
        """
        self.tick()
        self._record_input("pause", **({"reason": reason} if reason else {}))
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.pause_kind == "time-out":
            if self.clock.monotonic() < self._timeout_until:
                return Outcome(Result.IGNORED, "too-soon",
                               "A flooded body needs about twenty minutes to settle: we come back after that.")
            self._end_time_out()  # after the minimum, the shared pause key brings you both back
            return Outcome(Result.ACCEPTED, "time-out-ended")
        if self.pause_kind:
            self._event("resume", "both")
            self._resume()
            return Outcome(Result.ACCEPTED, "resumed")
        self.pause_kind = "pause"
        self._event(f"pause-{reason}" if reason in PAUSE_REASONS else "pause", "both")
        return Outcome(Result.ACCEPTED, "paused")

    def time_out(self) -> Outcome:
        """t: a longer break with its own countdown. Never blocked."""
        self.tick()
        self._record_input("time-out")
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.pause_kind == "time-out":
            if self.clock.monotonic() - self._timeout_began < UNDO_SECONDS:  # pressed by mistake: take it back
                self._event("time-out-undone", "both")
                if self._paused_before_timeout:
                    self.pause_kind = "pause"
                    self._timeout_back = set()
                else:
                    self._resume()
                return Outcome(Result.ACCEPTED, "time-out-undone")
            return Outcome(Result.IGNORED, "time-out", "Already in a time-out.")
        self._paused_before_timeout = self.pause_kind == "pause"
        self.pause_kind = "time-out"
        self._timeout_began = self.clock.monotonic()
        self._timeout_until = self._timeout_began + self.settings.timeout_seconds
        self._timeout_back = set()
        self._event("time-out", "both")
        return Outcome(Result.ACCEPTED, "time-out")

    def agree_return(self, minutes: int) -> Outcome:
        """An agreed time to come back, in minutes from now (within a day); kept in the record."""
        self.tick()
        self._record_input("return-at", minutes=minutes)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= RETURN_WITHIN_MINUTES:
            return Outcome(Result.IGNORED, "return-at", "Choose a time within the next day.")
        self.return_at = self.started_at + timedelta(seconds=round(self._offset()) + minutes * 60)
        self._event("return-agreed", "both")
        return Outcome(Result.ACCEPTED, "return-agreed")

    def end_early(self) -> Outcome:
        """Escape (after asking): stop now and keep everything so far."""
        self.tick()
        self._record_input("end")
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.stage is Stage.FLOOR:
            self._close_turn("session-end")
            self._event("ended-early", "both")
            self._finish("ended-early")
        elif self.stage is Stage.CHECKOUT:
            self._finish("completed")  # the conversation itself was complete
        else:
            self._event("ended-early", "both")
            self._finish("ended-early")
        return Outcome(Result.ACCEPTED, "ended")

    def check_in(self, side: str, mood: int | None, feeling: str | None = None, *, seal: bool = True) -> Outcome:
        """A mood answer (1..5) with an optional word, before or after the floor.

        `seal=False` is a choice the partner can still change (their number
        key, or a word with `mood=None`); their done key then seals it. Nothing
        is shown to anyone until both have sealed.
        """
        self.tick()
        if mood is not None and mood not in MOODS:
            raise ValueError(f"mood must be 1..5, not {mood!r}")
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        self._record_input("check-in", side=side, mood=mood, feeling=feeling, seal=seal)
        if self.stage not in (Stage.CHECKIN, Stage.CHECKOUT) or self.checkin_revealed:
            return Outcome(Result.IGNORED, "not-check-in")
        if self._mood(side) is not None:
            return Outcome(Result.IGNORED, "answered")
        was_mood, was_word = self._chosen.get(side, (None, ""))
        mood = was_mood if mood is None else mood
        feeling = was_word if feeling is None else feeling.strip()
        if not seal:
            self._chosen[side] = (mood, feeling)
            return Outcome(Result.ACCEPTED, "chosen")
        if mood is None:
            return Outcome(Result.IGNORED, "nothing-chosen")
        self._chosen.pop(side, None)
        return self._seal(side, mood, feeling)

    def _seal(self, side: str, mood: int, feeling: str) -> Outcome:
        tally = self.partners[side]
        if self.stage is Stage.CHECKIN:
            tally.mood_before, tally.feeling_before = mood, feeling
        else:
            tally.mood_after, tally.feeling_after = mood, feeling
        return Outcome(Result.ACCEPTED, "revealed" if self.checkin_revealed else "sealed")

    def _mood(self, side: str) -> int | None:
        tally = self.partners[side]
        return tally.mood_after if self.stage is Stage.CHECKOUT else tally.mood_before

    def may_prepare(self, side: str) -> bool:
        """Each partner may prepare an I-statement until their own first speaking turn begins."""
        return self.stage in (Stage.RULES, Stage.CHECKIN, Stage.FLOOR) and side not in self._spoken

    def set_i_statement(self, side: str, text: str) -> Outcome:
        """The softened start-up a speaker prepares; shown on their pane while they speak."""
        self.tick()
        self._record_input("i-statement", side=side, text=text)
        if not self.may_prepare(side):
            return Outcome(Result.IGNORED, "too-late")
        self.partners[side].i_statement = text.strip()
        return Outcome(Result.ACCEPTED, "i-statement")

    def note_kind(self, side: str) -> str:
        """What this partner's note key opens now ("" for nothing): the engine's rule, the screen follows it."""
        if self.stage is Stage.FLOOR:
            step = self.steps[self._index]
            if step.phase.collect and (side == step.holder or step.together) and not step.added:
                return step.phase.collect
            return "parking-lot"
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT) and not self.checkin_revealed:
            return "" if self._mood(side) is not None else "feeling"
        if self.stage in (Stage.RULES, Stage.CHECKIN) and self.may_prepare(side):
            return "i-statement"
        return ""

    def add_note(self, side: str, text: str, kind: str | None = None) -> Outcome:
        """A parking-lot note, appreciation or commitment, while the floor is open. Does not touch the clock.

        A note asked for as an appreciation or commitment whose phase ended
        while it was typed is kept as a parking-lot note: nothing is lost.
        """
        self.tick()
        text = text.strip()
        allowed = self.note_kind(side)
        kind = kind or allowed
        self._record_input("note", side=side, text=text, kind=kind)
        if self.stage is not Stage.FLOOR or kind not in NOTE_KINDS:
            return Outcome(Result.IGNORED, "not-now")
        if not text:
            return Outcome(Result.IGNORED, "empty")
        if kind != allowed:
            kind = "parking-lot"
        note: dict[str, Any] = {"by": side, "kind": kind, "text": text, "offset_seconds": self._offset()}
        if kind == "commitment":
            note["status"] = "open"
        self.notes.append(note)
        return Outcome(Result.ACCEPTED, "noted")

    # ----- transitions --------------------------------------------------

    def _name(self, side: str) -> str:
        return self.partners[side].name

    def _event(self, kind: str, by: str, mono: float | None = None) -> None:
        self.events.append({"offset_seconds": self._offset(mono), "kind": kind, "by": by})

    def _transition(self, kind: str, ended_by: str, by: str, mono: float | None = None) -> None:
        self.transitions.append(Transition(len(self.transitions) + 1, kind, ended_by, by, self._offset(mono)))

    def _resume(self) -> None:
        self.pause_kind = ""
        self._timeout_back = set()
        self._mark = self.clock.monotonic()

    def _to_stage(self, stage: Stage) -> None:
        self._ready = set()
        if stage is Stage.ENDED:
            self._finish("completed")
            return
        self.stage = stage
        if stage is Stage.FLOOR:
            self._prev_holder = None
            self._begin_step(0, self.clock.monotonic())

    def _begin_step(self, index: int, mono: float) -> None:
        step = self.steps[index]
        self._index = index
        self._active = 0.0
        self._mark = mono
        self._turn_start = self._offset(mono)
        self._turn_blocked = 0
        self._hand = None
        self._together = set()
        planned = float(step.planned)
        if step.budgeted and step.added != "clarify":  # a chunk never runs past the speaker's floor time
            planned = min(planned, max(0.0, self.settings.speak_seconds - self._used.get(step.block, 0.0)))
        self._planned = planned
        if step.phase.actor == "speaker" and not step.added and step.holder == step.speaker:
            self._spoken.add(step.holder)
        if step.phase.confirm and not step.added:  # a reflection begins: count tries until confirmed
            self._tries += 1
        elif not step.added:
            self._tries = 0

    def _turn_so_far(self, ended_by: str) -> dict[str, Any]:
        """The current step as a [[turns]] entry, as if it ended now."""
        step = self.steps[self._index]
        planned = round(self._planned, 3)
        return {
            "round": step.round,
            "phase": step.kind,
            "by": step.holder,
            "started_offset_seconds": self._turn_start,
            "planned_seconds": int(planned) if planned == int(planned) else planned,
            "actual_seconds": round(self._active, 3),
            "overtime_seconds": round(max(0.0, self._active - self._planned), 3),
            "ended_by": ended_by,
            "interruptions_blocked": self._turn_blocked,
            **({"together": True} if step.together else {}),  # both of you: `by` is only who began it
        }

    def _credit(self, tallies: dict[str, PartnerTally]) -> None:
        """Add the current step's floor time to its holder; a confirm or "is there more" is a yes or no, not talk,
        and a step done together (choosing an issue, a moment of affection) is neither partner's floor."""
        step = self.steps[self._index]
        if step.added in ("confirm", "more") or step.together:
            return
        tallies[step.holder].speaking_seconds += self._active
        tallies[step.holder].overtime_seconds += max(0.0, self._active - self._planned)

    def _close_turn(self, ended_by: str) -> None:
        self._credit(self.partners)
        step = self.steps[self._index]
        if step.budgeted:
            self._used[step.block] = self._used.get(step.block, 0.0) + self._active
        self.turns.append(self._turn_so_far(ended_by))

    def _next_index(self, ended_by: str) -> int:
        step = self.steps[self._index]
        if ended_by in ("not-quite", "more", "skipped"):
            nxt = step.on_not_quite
        else:  # done or time: a confirm or "is there more?" that runs out is taken as yes
            nxt = step.on_done if step.on_done is not None else step.index + 1
        while nxt < len(self.steps):
            ahead = self.steps[nxt]
            if ahead.added == "more" and self._used.get(ahead.block, 0.0) >= self.settings.speak_seconds:
                nxt = ahead.on_done  # the speaker's floor time is used up: the floor passes on
                continue
            break
        return nxt

    def _end_step(self, ended_by: str, mono: float) -> None:
        step = self.steps[self._index]
        self._close_turn(ended_by)
        nxt = self._next_index(ended_by)
        if nxt < len(self.steps):
            ahead = self.steps[nxt]
            if ended_by in ("not-quite", "more"):
                kind = ended_by
            elif ahead.block != step.block and ahead.speaker != step.speaker:
                kind = "floor-passed"
            else:
                kind = "turn-ended"
            self._transition(kind, ended_by, step.holder, mono)
            self._prev_holder = step.holder
            self._begin_step(nxt, mono)
        elif self.checkin:
            self._transition("floor-ended", ended_by, step.holder, mono)
            self.stage = Stage.CHECKOUT
            self._ready = set()
            self._mark = mono
        else:
            self._transition("session-ended", ended_by, step.holder, mono)
            self._finish("completed", mono)

    def _finish(self, status: str, mono: float | None = None) -> None:
        if not (self.transitions and self.transitions[-1].kind == "session-ended"):
            self._transition("session-ended", "session-end" if status == "ended-early" else "done", "both", mono)
        self.stage = Stage.ENDED
        self.status = status
        self.pause_kind = ""
        self._ended_offset = self._offset(mono)

    # ----- reading ------------------------------------------------------

    @property
    def checkin_revealed(self) -> bool:
        if self.stage is Stage.CHECKOUT:
            return all(p.mood_after is not None for p in self.partners.values())
        return all(p.mood_before is not None for p in self.partners.values())

    @property
    def current_step(self) -> Step | None:
        return self.steps[self._index] if self.stage is Stage.FLOOR else None

    def _activity(self, side: str, step: Step | None) -> str:
        if self.stage is Stage.RULES:
            return "agreed" if self.partners[side].agreed else "reading-rules"
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return "checking-in" if self.stage is Stage.CHECKIN else "checking-out"
        if self.stage is Stage.ENDED or step is None:
            return "finished"
        if step.together:
            return "agreeing"
        if side == step.holder:
            return {"confirm": "confirming", "more": "deciding", "clarify": "clarifying"}.get(
                step.added, "speaking" if step.phase.actor == "speaker" or not step.phase.confirm else "reflecting")
        return "waiting" if step.added in ("confirm", "more") else "listening"

    def _keys(self, side: str, step: Step | None, revealed: bool) -> tuple[str, str]:
        """What this partner's done and not-quite keys do now, as codes."""
        if self.stage is Stage.RULES:
            return ("" if self.partners[side].agreed else "agree", "")
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            if revealed:
                return ("" if side in self._ready else "ready", "")
            chosen = self._chosen.get(side, (None, ""))[0] is not None
            return ("seal" if chosen and self._mood(side) is None else "", "")
        if step is None:
            return ("", "")
        if step.together:
            return ("" if side in self._together else "agree", "")
        if side != step.holder:
            return ("", "raise-hand")
        if step.is_confirm:
            return ("got-it", "not-quite")
        if step.added == "more":
            return ("pass", "more")
        return ("end-turn", "skip" if step.on_not_quite is not None else "")

    def _side_view(self, side: str, step: Step | None, revealed: bool) -> SideView:
        tally = self.partners[side]
        after = self.stage is Stage.CHECKOUT or (self.stage is Stage.ENDED and tally.mood_after is not None)
        mood = tally.mood_after if after else tally.mood_before
        feeling = tally.feeling_after if after else tally.feeling_before
        role = step.role(side) if step else "speaker"
        done, not_quite = self._keys(side, step, revealed)
        chosen, word = self._chosen.get(side, (None, ""))
        return SideView(
            side=side,
            name=tally.name,
            holds_floor=bool(step and (step.holder == side or step.together)),  # together: both of you
            role=role,
            activity=self._activity(side, step),
            guidance=step.phase.guidance(role) if step else (),
            interruptions_blocked=tally.interruptions_blocked,
            hands_raised=tally.hands_raised,
            agreed=tally.agreed,
            checked_in=mood is not None,
            mood=mood if revealed or self.stage is Stage.ENDED else None,
            feeling=feeling if revealed or self.stage is Stage.ENDED else "",
            i_statement=tally.i_statement,
            ready=side in self._ready,
            done_means=done,
            not_quite_means=not_quite,
            note=self.note_kind(side),
            show_i_statement=bool(step and step.holder == side and step.phase.i_statement and tally.i_statement),
            may_prepare=self.may_prepare(side),
            chosen=chosen is not None and mood is None,
            has_word=bool(word) and mood is None,
            agreed_now=bool(step and step.together and side in self._together),
        )

    def state(self) -> State:
        self.tick()
        step = self.current_step
        planned = self._planned if step else 0.0
        left = planned - self._active if step else 0.0
        grace = self.settings.grace_seconds
        in_grace = bool(step) and left <= EPSILON
        warning = ""
        if step:
            if in_grace:
                warning = "wrap-up"
            elif left <= 10 + EPSILON and planned >= 20:
                warning = "10"
            elif left <= 30 + EPSILON and planned >= 60:
                warning = "30"
        revealed = self.checkin_revealed
        # unrounded while it runs: the shown figure turns over exactly when `next_change` says
        elapsed = self._ended_offset if self._ended_offset is not None else self.clock.monotonic() - self._t0
        floor_left = None
        if step and step.budgeted:
            floor_left = max(0.0, self.settings.speak_seconds - self._used.get(step.block, 0.0) - self._active)
        return State(
            stage=self.stage,
            paused=bool(self.pause_kind),
            pause_kind=self.pause_kind,
            elapsed=elapsed,
            round=step.round if step else (self.settings.rounds if self.stage in (Stage.CHECKOUT, Stage.ENDED) else 1),
            rounds=self.settings.rounds,
            step=step,
            step_number=self._index + 1,
            steps_total=len(self.steps),
            floor=step.holder if step else None,
            planned=planned,
            time_left=left,
            in_grace=in_grace,
            grace_left=max(0.0, grace + left) if in_grace else float(grace),
            overtime=max(0.0, -left),
            warning=warning,
            timeout_left=max(0.0, self._timeout_until - self.clock.monotonic()) if self.pause_kind == "time-out" else 0.0,
            timeout_ready=len(self._timeout_back) if self.pause_kind == "time-out" else 0,
            timeout_spent=self.clock.monotonic() - self._timeout_began if self.pause_kind == "time-out" else 0.0,
            timeout_undo_left=(max(0.0, UNDO_SECONDS - (self.clock.monotonic() - self._timeout_began))
                               if self.pause_kind == "time-out" else 0.0),
            return_at=self.return_at,
            hand_raised_by=self._hand if step else None,
            checkin_revealed=revealed,
            left=self._side_view(LEFT, step, revealed),
            right=self._side_view(RIGHT, step, revealed),
            status=self.status,
            ritual_name=self.ritual.name,
            topic=self.topic,
            ground_rules=self.ritual.ground_rules,
            first=self.steps[0].holder if self.steps else LEFT,
            floor_left=floor_left,
            transition=self.transitions[-1] if self.transitions else None,
            transitions=len(self.transitions),
            gentle_offer=self.stage is Stage.CHECKIN and revealed and any(
                p.mood_before is not None and p.mood_before <= LOW_MOOD for p in self.partners.values()),
        )

    def record(self) -> dict[str, Any]:
        """The session as DESIGN's TOML shape, at any moment (a partial session included)."""
        self.tick()
        turns = list(self.turns)
        partners = {s: PartnerTally(**vars(p)) for s, p in self.partners.items()}
        if self.stage is Stage.FLOOR:  # the turn in progress, as if ended now
            self._credit(partners)
            turns.append(self._turn_so_far("session-end"))
        duration = self._ended_offset if self._ended_offset is not None else self._offset()
        rec: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.session_id,
            "app_version": __version__,
            "protocol": self.ritual.id,
            "topic": self.topic,
        }
        if self.topic_deck:
            rec["topic_deck"] = self.topic_deck
        if self.return_at is not None:
            rec["agreed_return"] = self.return_at
        rec.update(
            {
                "started_at": self.started_at,
                "ended_at": self.started_at + timedelta(seconds=round(duration)),
                "status": self.status or "ended-early",
                "duration_seconds": round(duration, 1),
                "ground_rules_agreed": all(p.agreed for p in partners.values()) if self.rules else False,
                "settings": {
                    "speak_seconds": self.settings.speak_seconds,
                    "reflect_seconds": self.settings.reflect_seconds,
                    "rounds": self.settings.rounds,
                    "grace_seconds": self.settings.grace_seconds,
                    "confirm_seconds": self.settings.confirm_seconds,
                    "closing_appreciation": self.settings.closing_appreciation,
                },
                "partners": [self._partner_record(s, partners[s]) for s in SIDES],
                "turns": turns,
                "events": list(self.events),
                "notes": [dict(n) for n in self.notes],
            }
        )
        return rec

    @staticmethod
    def _partner_record(side: str, p: PartnerTally) -> dict[str, Any]:
        out: dict[str, Any] = {"side": side, "name": p.name}
        if p.mood_before is not None:
            out["mood_before"] = p.mood_before
        if p.mood_after is not None:
            out["mood_after"] = p.mood_after
        out.update(
            {
                "speaking_seconds": round(p.speaking_seconds, 1),
                "overtime_seconds": round(p.overtime_seconds, 1),
                "interruptions_blocked": p.interruptions_blocked,
                "reflections_confirmed_first_time": p.reflections_confirmed_first_time,
                "reflection_retries": p.reflection_retries,
                "hands_raised": p.hands_raised,
            }
        )
        if p.feeling_before:
            out["feeling_before"] = p.feeling_before
        if p.feeling_after:
            out["feeling_after"] = p.feeling_after
        if p.i_statement:
            out["i_statement"] = p.i_statement
        return out

    # ----- replay -------------------------------------------------------

    @classmethod
    def replay(
        cls,
        ritual: Ritual,
        left: str,
        right: str,
        settings: Settings,
        log: list[dict[str, Any]],
        started_at: datetime,
        until: float | None = None,
        clock: ManualClock | None = None,
        **options: Any,
    ) -> Engine:
        """Rebuild a session from its input log on a manual clock (`clock`, to go on live after: a resume)."""
        clock = clock or ManualClock(start=started_at, monotonic=0.0)
        engine = cls(ritual, left, right, settings, clock, **options)
        for entry in log:
            clock.advance(max(0.0, entry["offset"] - clock.monotonic()))
            op = entry["op"]
            if op == "press":
                engine.press(entry["side"], entry["action"])
            elif op == "pause":
                engine.toggle_pause(entry.get("reason", ""))
            elif op == "time-out":
                engine.time_out()
            elif op == "end":
                engine.end_early()
            elif op == "return-at":
                engine.agree_return(entry["minutes"])
            elif op == "check-in":
                engine.check_in(entry["side"], entry["mood"], entry.get("feeling", ""), seal=entry.get("seal", True))
            elif op == "i-statement":
                engine.set_i_statement(entry["side"], entry["text"])
            elif op == "note":
                engine.add_note(entry["side"], entry["text"], entry.get("kind"))
            else:
                raise ValueError(f"unknown log entry {op!r}")
        if until is not None and until > clock.monotonic():
            clock.advance(until - clock.monotonic())
        engine.tick()
        return engine
