"""The session engine: a deterministic state machine over a ritual, two partners and a clock.

The UI forwards keys here and renders `state()`; every rule of the
conversation lives in this module. Each input is appended to `log` with its
time, and replaying the log on a manual clock rebuilds the same session, which
is what the crash journal and the exact tests stand on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Callable

from . import __version__
from .clock import Clock, ManualClock
from .rituals import CLOSING_APPRECIATION, Phase, Ritual, ends_with_appreciation

SCHEMA = 1
LEFT, RIGHT = "left", "right"
SIDES = (LEFT, RIGHT)

MOODS = {1: "struggling", 2: "low", 3: "okay", 4: "good", 5: "great"}
TIMEOUT_SECONDS = 20 * 60  # a flooded body needs at least twenty minutes to settle


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
    """One planned turn: a phase played by one partner in one round."""

    index: int
    round: int
    part: str
    kind: str
    title: str
    holder: str  # side holding the floor
    speaker: str  # side whose topic this is (the ritual's "speaker" role)
    planned: int
    phase: Phase
    retry_to: int | None = None  # confirm steps: where "not quite" goes back to

    @property
    def is_confirm(self) -> bool:
        return self.retry_to is not None

    def role(self, side: str) -> str:
        return "speaker" if side == self.speaker else "listener"


def plan(ritual: Ritual, settings: Settings) -> list[Step]:
    """Expand a ritual into its ordered steps: rounds × parts × both speakers × phases."""
    lengths = {
        "speak": settings.speak_seconds,
        "reflect": settings.reflect_seconds,
        "confirm": settings.confirm_seconds,
    }
    steps: list[Step] = []
    first = settings.first
    rounds = [(rnd, ritual.parts) for rnd in range(1, settings.rounds + 1)]
    if settings.closing_appreciation and not ends_with_appreciation(ritual):
        rounds.append((settings.rounds, (CLOSING_APPRECIATION,)))
    for rnd, parts in rounds:
        for part in parts:
            for speaker in (first, other(first)):
                for phase in part.phases:
                    holder = speaker if phase.actor == "speaker" else other(speaker)
                    planned = lengths[phase.length] if isinstance(phase.length, str) else phase.length
                    steps.append(Step(len(steps), rnd, part.title, phase.kind, phase.title, holder, speaker, planned, phase))
                    if phase.confirm:
                        confirm = Phase(
                            kind="confirm",
                            title="Did they get it?",
                            actor="speaker",
                            length="confirm",
                            speaker=("Did they get it?", "Done: “Yes, you got it.”", "Not quite: “Let me say it again.”"),
                            listener=("Wait for their answer.", "If not quite, listen again and reflect once more."),
                        )
                        steps.append(
                            Step(len(steps), rnd, part.title, "confirm", confirm.title, speaker, speaker,
                                 settings.confirm_seconds, confirm, retry_to=len(steps) - 1)
                        )
    return steps


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
    """What one partner's pane needs to show."""

    side: str
    name: str
    holds_floor: bool
    role: str  # speaker | listener
    status: str  # HAS THE FLOOR, LISTENING, REFLECTING, CONFIRMING, …
    guidance: tuple[str, ...]
    interruptions_blocked: int
    hands_raised: int
    agreed: bool
    checked_in: bool
    mood: int | None  # None until both have answered (the check-in is sealed)
    feeling: str
    i_statement: str
    ready: bool  # said "ready" after the check-in reveal


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
    timeout_left: float
    timeout_ready: tuple[str, ...]  # who has pressed done to come back from a time-out
    hand_raised_by: str | None  # a raised hand in the current turn
    checkin_revealed: bool
    left: SideView
    right: SideView
    status: str  # completed | ended-early, once ended

    def side(self, side: str) -> SideView:
        return self.left if side == LEFT else self.right


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
        self._ready: set[str] = set()  # who has said "ready" after a check-in reveal
        self._index = 0
        self._active = 0.0  # active (unpaused) seconds in the current step
        self._turn_start = 0.0  # offset of the current step's start
        self._turn_blocked = 0
        self._hand: str | None = None
        self._tries = 0  # reflections tried for the current confirm cycle
        if self.stage is Stage.FLOOR:
            self._begin_step(0, self._t0)

    # ----- time ---------------------------------------------------------

    def _offset(self, mono: float | None = None) -> float:
        return round((self.clock.monotonic() if mono is None else mono) - self._t0, 3)

    def tick(self) -> None:
        """Bring the state up to now: ends timed-out phases and time-outs exactly when they ran out."""
        now = self.clock.monotonic()
        while True:
            if self.pause_kind == "time-out" and now >= self._timeout_until:
                self.pause_kind = "pause"
                self._event("time-out-ended", "both", self._timeout_until)
                continue
            if self.stage is Stage.FLOOR and not self.pause_kind:
                step = self.steps[self._index]
                limit = step.planned + self.settings.grace_seconds
                need = limit - self._active
                if now - self._mark >= need:
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
            if action is Action.DONE:
                self._timeout_back.add(side)
                if self._timeout_back == set(SIDES):
                    self._event("time-out-ended", "both")
                    if self._paused_before_timeout:  # back to where it was: still paused
                        self.pause_kind = "pause"
                        self._timeout_back = set()
                    else:
                        self._resume()
                    return Outcome(Result.ACCEPTED, "time-out-ended")
                return Outcome(Result.ACCEPTED, "ready-to-return", f"Waiting for {self._name(other(side))}.")
            return Outcome(Result.IGNORED, "time-out", "Take your time-out.")
        if self.stage is Stage.RULES:
            return self._press_rules(side, action)
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return self._press_checkin(side, action)
        if self.pause_kind:
            return Outcome(Result.IGNORED, "paused", "Paused: press space to carry on.")
        return self._press_floor(side, action)

    def _press_rules(self, side: str, action: Action) -> Outcome:
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "rules", "Press your done key to agree.")
        tally = self.partners[side]
        if tally.agreed:
            return Outcome(Result.IGNORED, "agreed", f"Waiting for {self._name(other(side))}.")
        tally.agreed = True
        if all(p.agreed for p in self.partners.values()):
            self._to_stage(Stage.CHECKIN if self.checkin else Stage.FLOOR)
        return Outcome(Result.ACCEPTED, "agreed")

    def _press_checkin(self, side: str, action: Action) -> Outcome:
        """After the reveal, each partner says they are ready; we go on only when both have."""
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "check-in", "")
        if not self.checkin_revealed:
            return Outcome(Result.IGNORED, "check-in", "Both of you answer first.")
        if side in self._ready:
            return Outcome(Result.IGNORED, "ready", f"Waiting for {self._name(other(side))}.")
        self._ready.add(side)
        if self._ready != set(SIDES):
            return Outcome(Result.ACCEPTED, "ready", f"Waiting for {self._name(other(side))}.")
        self._to_stage(Stage.FLOOR if self.stage is Stage.CHECKIN else Stage.ENDED)
        return Outcome(Result.ACCEPTED, "continue")

    def _press_floor(self, side: str, action: Action) -> Outcome:
        step = self.steps[self._index]
        holder = step.holder
        if action is Action.DONE:
            if side != holder:
                self.partners[side].interruptions_blocked += 1
                self._turn_blocked += 1
                self._event("interruption-blocked", side)
                return Outcome(
                    Result.BLOCKED,
                    "interruption-blocked",
                    f"{self._name(holder)} has the floor.",
                )
            if step.is_confirm:
                reflector = other(step.speaker)
                if self._tries == 1:
                    self.partners[reflector].reflections_confirmed_first_time += 1
                self._event("confirmed", side)
                self._end_step("done", self.clock.monotonic())
                return Outcome(Result.ACCEPTED, "confirmed")
            self._end_step("done", self.clock.monotonic())
            return Outcome(Result.ACCEPTED, "turn-ended")
        # not quite / raise a hand
        if side != holder:
            self.partners[side].hands_raised += 1
            self._hand = side
            self._event("hand-raised", side)
            return Outcome(Result.ACCEPTED, "hand-raised")
        if step.is_confirm:
            reflector = other(step.speaker)
            self.partners[reflector].reflection_retries += 1
            self._event("not-quite", side)
            self._end_step("not-quite", self.clock.monotonic(), go_to=step.retry_to)
            return Outcome(Result.ACCEPTED, "retry")
        return Outcome(Result.IGNORED, "has-floor", "You have the floor: press done when you've finished.")

    def toggle_pause(self) -> Outcome:
        """Space: pause or resume. Never blocked."""
        self.tick()
        self._record_input("pause")
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.pause_kind == "time-out":
            return Outcome(Result.IGNORED, "time-out", "In a time-out: both press done to come back early.")
        if self.pause_kind:
            self._event("resume", "both")
            self._resume()
            return Outcome(Result.ACCEPTED, "resumed")
        self.pause_kind = "pause"
        self._event("pause", "both")
        return Outcome(Result.ACCEPTED, "paused")

    def time_out(self) -> Outcome:
        """t: a longer break with its own countdown. Never blocked."""
        self.tick()
        self._record_input("time-out")
        if self.stage is Stage.ENDED:
            return Outcome(Result.IGNORED, "ended")
        if self.pause_kind == "time-out":
            return Outcome(Result.IGNORED, "time-out", "Already in a time-out.")
        self._paused_before_timeout = self.pause_kind == "pause"
        self.pause_kind = "time-out"
        self._timeout_until = self.clock.monotonic() + self.settings.timeout_seconds
        self._timeout_back = set()
        self._event("time-out", "both")
        return Outcome(Result.ACCEPTED, "time-out")

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

    def check_in(self, side: str, mood: int, feeling: str = "") -> Outcome:
        """A sealed mood answer (1..5) with an optional word, before or after."""
        self.tick()
        if mood not in MOODS:
            raise ValueError(f"mood must be 1..5, not {mood!r}")
        self._record_input("check-in", side=side, mood=mood, feeling=feeling)
        tally = self.partners[side]
        if self.stage is Stage.CHECKIN:
            if tally.mood_before is not None:
                return Outcome(Result.IGNORED, "answered", "Already answered.")
            tally.mood_before, tally.feeling_before = mood, feeling.strip()
        elif self.stage is Stage.CHECKOUT:
            if tally.mood_after is not None:
                return Outcome(Result.IGNORED, "answered", "Already answered.")
            tally.mood_after, tally.feeling_after = mood, feeling.strip()
        else:
            return Outcome(Result.IGNORED, "not-check-in", "")
        return Outcome(Result.ACCEPTED, "revealed" if self.checkin_revealed else "sealed")

    def set_i_statement(self, side: str, text: str) -> Outcome:
        """The softened start-up a speaker prepares; shown on their pane while they speak."""
        self.tick()
        self._record_input("i-statement", side=side, text=text)
        self.partners[side].i_statement = text.strip()
        return Outcome(Result.ACCEPTED, "i-statement")

    def note_kind(self, side: str) -> str:
        """What a note from this partner would be now: what the phase collects, else parking lot."""
        if self.stage is Stage.FLOOR:
            step = self.steps[self._index]
            if step.phase.collect and side == step.holder:
                return step.phase.collect
        return "parking-lot"

    def add_note(self, side: str, text: str, kind: str | None = None) -> Outcome:
        """A parking-lot note, appreciation or commitment. Does not touch the clock."""
        self.tick()
        text = text.strip()
        kind = kind or self.note_kind(side)
        self._record_input("note", side=side, text=text, kind=kind)
        if not text:
            return Outcome(Result.IGNORED, "empty", "Nothing written.")
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

    def _resume(self) -> None:
        self.pause_kind = ""
        self._timeout_back = set()
        self._mark = self.clock.monotonic()

    def _to_stage(self, stage: Stage) -> None:
        self.stage = stage
        self._ready = set()
        if stage is Stage.FLOOR:
            self._begin_step(0, self.clock.monotonic())
        elif stage is Stage.ENDED:
            self._finish("completed")

    def _begin_step(self, index: int, mono: float) -> None:
        self._index = index
        self._active = 0.0
        self._mark = mono
        self._turn_start = self._offset(mono)
        self._turn_blocked = 0
        self._hand = None
        step = self.steps[index]
        if step.phase.confirm:  # a reflection begins: count tries until confirmed
            self._tries += 1
        elif not step.is_confirm:
            self._tries = 0

    def _turn_so_far(self, ended_by: str) -> dict[str, Any]:
        """The current step as a [[turns]] entry, as if it ended now."""
        step = self.steps[self._index]
        return {
            "round": step.round,
            "phase": step.kind,
            "by": step.holder,
            "started_offset_seconds": self._turn_start,
            "planned_seconds": step.planned,
            "actual_seconds": round(self._active, 3),
            "overtime_seconds": round(max(0.0, self._active - step.planned), 3),
            "ended_by": ended_by,
            "interruptions_blocked": self._turn_blocked,
        }

    def _credit(self, tallies: dict[str, PartnerTally]) -> None:
        """Add the current step's floor time to its holder; a confirm is a yes or no, not talk."""
        step = self.steps[self._index]
        if step.is_confirm:
            return
        tallies[step.holder].speaking_seconds += self._active
        tallies[step.holder].overtime_seconds += max(0.0, self._active - step.planned)

    def _close_turn(self, ended_by: str) -> None:
        self._credit(self.partners)
        self.turns.append(self._turn_so_far(ended_by))

    def _end_step(self, ended_by: str, mono: float, go_to: int | None = None) -> None:
        self._close_turn(ended_by)
        nxt = self._index + 1 if go_to is None else go_to
        if nxt < len(self.steps):
            self._begin_step(nxt, mono)
        elif self.checkin:
            self.stage = Stage.CHECKOUT
            self._ready = set()
            self._mark = mono
        else:
            self._finish("completed", mono)

    def _finish(self, status: str, mono: float | None = None) -> None:
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

    def _status_word(self, side: str, step: Step | None) -> str:
        if self.stage is Stage.RULES:
            return "AGREED" if self.partners[side].agreed else "READING THE RULES"
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return "CHECKING IN" if self.stage is Stage.CHECKIN else "CHECKING OUT"
        if self.stage is Stage.ENDED or step is None:
            return "FINISHED"
        if side == step.holder:
            if step.is_confirm:
                return "CONFIRMING"
            return "HAS THE FLOOR" if step.phase.actor == "speaker" else "REFLECTING"
        if step.is_confirm:
            return "WAITING FOR A YES"
        return "LISTENING"

    def _side_view(self, side: str, step: Step | None, revealed: bool) -> SideView:
        tally = self.partners[side]
        after = self.stage is Stage.CHECKOUT or (self.stage is Stage.ENDED and tally.mood_after is not None)
        mood = tally.mood_after if after else tally.mood_before
        feeling = tally.feeling_after if after else tally.feeling_before
        role = step.role(side) if step else "speaker"
        return SideView(
            side=side,
            name=tally.name,
            holds_floor=bool(step and step.holder == side),
            role=role,
            status=self._status_word(side, step),
            guidance=step.phase.guidance(role) if step else (),
            interruptions_blocked=tally.interruptions_blocked,
            hands_raised=tally.hands_raised,
            agreed=tally.agreed,
            checked_in=mood is not None,
            mood=mood if revealed or self.stage is Stage.ENDED else None,
            feeling=feeling if revealed or self.stage is Stage.ENDED else "",
            i_statement=tally.i_statement,
            ready=side in self._ready,
        )

    def state(self) -> State:
        self.tick()
        step = self.current_step
        planned = float(step.planned) if step else 0.0
        left = planned - self._active if step else 0.0
        grace = self.settings.grace_seconds
        in_grace = bool(step) and left <= 0
        warning = ""
        if step:
            if in_grace:
                warning = "wrap-up"
            elif left <= 10 and planned >= 20:
                warning = "10"
            elif left <= 30 and planned >= 60:
                warning = "30"
        revealed = self.checkin_revealed
        elapsed = self._ended_offset if self._ended_offset is not None else self._offset()
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
            timeout_ready=tuple(side for side in SIDES if side in self._timeout_back),
            hand_raised_by=self._hand if step else None,
            checkin_revealed=revealed,
            left=self._side_view(LEFT, step, revealed),
            right=self._side_view(RIGHT, step, revealed),
            status=self.status,
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
                engine.toggle_pause()
            elif op == "time-out":
                engine.time_out()
            elif op == "end":
                engine.end_early()
            elif op == "check-in":
                engine.check_in(entry["side"], entry["mood"], entry.get("feeling", ""))
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
