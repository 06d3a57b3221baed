"""The ground rules agreed and the sealed check-in and check-out: nothing shown until both have sealed."""

from __future__ import annotations

from .terms import MOODS, SETTLE_SECONDS, SIDES, Action, Outcome, Result, Stage


class CheckIn:
    @property
    def checkin_revealed(self) -> bool:
        if self.stage is Stage.CHECKOUT:
            return all(p.mood_after is not None for p in self.partners.values())
        return all(p.mood_before is not None for p in self.partners.values())


    def _press_rules(self, side: str, action: Action) -> Outcome:
        if action is not Action.DONE:
            return Outcome(Result.IGNORED, "rules")
        tally = self.partners[side]
        if tally.agreed:
            return Outcome(Result.IGNORED, "agreed")
        if side == self.asked and self._rules_at is not None and self.clock.monotonic() - self._rules_at < SETTLE_SECONDS:
            self._event("tap-carried-over", side)  # "now" pressed twice: the rules could not have been read yet
            return Outcome(Result.IGNORED, "carried-over")
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
        if self._revealed_at is not None and self.clock.monotonic() - self._revealed_at < SETTLE_SECONDS:
            self._event("tap-carried-over", side)  # the seal's key again, or a key before the answers could be read
            return Outcome(Result.IGNORED, "carried-over")
        self._ready.add(side)
        if self._ready != set(SIDES):
            return Outcome(Result.ACCEPTED, "ready")
        self._to_stage(Stage.FLOOR if self.stage is Stage.CHECKIN else Stage.ENDED)
        return Outcome(Result.ACCEPTED, "continue")


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
        if self.checkin_revealed:
            self._revealed_at = self.clock.monotonic()
            return Outcome(Result.ACCEPTED, "revealed")
        return Outcome(Result.ACCEPTED, "sealed")

    def _mood(self, side: str) -> int | None:
        tally = self.partners[side]
        return tally.mood_after if self.stage is Stage.CHECKOUT else tally.mood_before
