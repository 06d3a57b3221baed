"""What a partner writes during a session: the I-statement they prepare, and notes for later."""

from __future__ import annotations

from typing import Any

from ..rituals import REQUESTS
from .terms import NOTE_KINDS, SIDES, Outcome, Result, Stage


class Notes:
    def may_prepare(self, side: str) -> bool:
        """Each partner may prepare an I-statement until their own first speaking turn begins,
        in a ritual that shows it (not in an appreciation round: issue 17)."""
        return (self.stage in (Stage.RULES, Stage.CHECKIN, Stage.FLOOR) and side not in self._spoken
                and any(p.i_statement for part in self.ritual.parts for p in part.phases))

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
                if step.phase.collect == "request" and len(self.requests_now()) >= REQUESTS:
                    return "parking-lot"  # three written: enough to choose from
                return step.phase.collect
            return "parking-lot"
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT) and not self.checkin_revealed:
            return "" if self._mood(side) is not None else "feeling"
        if self.stage in (Stage.RULES, Stage.CHECKIN) and self.may_prepare(side):
            return "i-statement"
        return ""

    def writing(self, side: str, on: bool) -> Outcome:
        """A partner's note box opened (`on`) or closed. While the partner who holds the floor writes, their
        turn's clock waits (a note box takes the keyboard: no turn may run out under it)."""
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        self.tick()  # the clock counts up to now under the rule before this
        self._record_input("writing", side=side, on=bool(on))
        if on:
            self._writing.add(side)
        else:
            self._writing.discard(side)
        return Outcome(Result.ACCEPTED, "writing" if on else "written")

    @property
    def writing_now(self) -> frozenset[str]:
        return frozenset(self._writing)

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
        if kind == "request":  # the current speaker's requests, for the partner to choose one from
            self._requests.setdefault(self.steps[self._index].block, []).append(len(self.notes))
        self.notes.append(note)
        return Outcome(Result.ACCEPTED, "noted")

    # ----- behaviour-change requests (Imago): three written, one chosen as a gift ------------------------

    def requests_now(self) -> list[int]:
        """Where in `notes` the requests of the current speaker's go are (written on this floor, in order)."""
        if self.stage is not Stage.FLOOR:
            return []
        return self._requests.get(self.steps[self._index].block, [])

    def choose(self, side: str, number: int) -> Outcome:
        """The partner holding a `choose` step picks request `number` (1, 2, 3) as their gift; until their done key,
        another number changes the pick. Nobody's choice is counted: the record keeps the gift, not who gave it."""
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        self.tick()
        self._record_input("choose", side=side, number=number)
        step = self.current_step
        if self.pause_kind or step is None or not step.phase.choose or side != step.holder:
            return Outcome(Result.IGNORED, "not-now")
        written = self.requests_now()
        if not 1 <= number <= len(written):
            return Outcome(Result.IGNORED, "no-such-request")
        for i in written:
            self.notes[i]["kind"] = "request"
        self.notes[written[number - 1]]["kind"] = "gift"
        return Outcome(Result.ACCEPTED, "chosen")
