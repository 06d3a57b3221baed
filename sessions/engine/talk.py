"""Three rules some methods add to the floor, each set by a phase key in the ritual file (FORMAT.md):

- `not_solvable` (Gottman's compromise, state of the union): at a step the two
  take together, each partner's not-quite key says "not solvable today";
  when both have said it, the run ends as a completed session, its outcome
  `not-solvable-today` (a real ending: not a failure, not "not started").
  Either may change their mind with the other key until both agree.
- `conversation` (Gottman's stress-reducing talk): the listener may speak
  (questions, "that sounds so hard", taking their side). Their keys are not
  blocked and nothing is counted; the floor and its time stay the speaker's.
- `park`: when the stress turns out to be about the two of you, the park key
  keeps it for your next state of the union: one shared `parked` event,
  never whose, and its words as a `parked` note (kept only with keep = words).
"""

from __future__ import annotations

from .terms import SIDES, Action, Outcome, Result, Stage

NOT_SOLVABLE = "not-solvable-today"  # the record's `outcome` when a talk ended there


class Talk:
    outcome: str  # "" or NOT_SOLVABLE
    _unsolved: set[str]  # who has said "not solvable today" at the current step
    _unsolved_at: int  # the step those answers belong to

    def _not_solvable_now(self) -> set[str]:
        if self._unsolved_at != self._index:
            self._unsolved, self._unsolved_at = set(), self._index
        return self._unsolved

    def _press_not_solvable(self, side: str, action: Action, now: float) -> Outcome | None:
        """A key at a step with `not_solvable`: None when the ordinary "I agree" rule answers it."""
        said = self._not_solvable_now()
        if action is Action.DONE:
            said.discard(side)  # "I agree" after all: the ordinary rule follows
            return None
        if side in said:
            return Outcome(Result.IGNORED, "not-solvable-said")
        said.add(side)
        self._together.discard(side)  # one answer each: the latest
        if said != set(SIDES):
            return Outcome(Result.ACCEPTED, "not-solvable")
        self.outcome = NOT_SOLVABLE
        self._event(NOT_SOLVABLE, "both", now)
        step = self.steps[self._index]
        self._close_turn("not-solvable")
        if self.checkin:  # the check-out still follows: how each of you feels now
            self._transition("floor-ended", "not-solvable", step.holder, now)
            self.stage = Stage.CHECKOUT
            self._ready = set()
            self._mark = now
        else:
            self._transition("session-ended", "not-solvable", step.holder, now)
            self._finish("completed", now)
        return Outcome(Result.ACCEPTED, NOT_SOLVABLE)

    def said_not_solvable(self, side: str) -> bool:
        return self.stage is Stage.FLOOR and side in self._not_solvable_now()

    # ----- park ---------------------------------------------------------

    def may_park(self) -> bool:
        """The park key works on a phase that has `park`, while the floor runs or is paused (not in a time-out)."""
        return (self.stage is Stage.FLOOR and self.pause_kind != "time-out"
                and self.steps[self._index].phase.park)

    def park(self, text: str = "") -> Outcome:
        """Keep a couple issue for the next state of the union; the talk goes on."""
        self.tick()
        self._record_input("park", text=text)
        if not self.may_park():
            return Outcome(Result.IGNORED, "not-now")
        self._event("parked", "both", then="state-of-the-union")
        words = " ".join(text.split())
        if words:
            self.notes.append({"by": "both", "kind": "parked", "text": words, "offset_seconds": self._offset()})
        return Outcome(Result.ACCEPTED, "parked")
