"""Pause and time-out: never blocked, and a time-out keeps its twenty minutes and its agreed return."""

from __future__ import annotations

import math
from datetime import timedelta

from .terms import (PAUSE_REASONS, RETURN_WITHIN_MINUTES, SIDES, UNDO_SECONDS, Action, Outcome, Result,
                    Stage)


class Breaks:
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
        self._start_time_out()
        return Outcome(Result.ACCEPTED, "time-out")

    def _start_time_out(self) -> None:
        self._repair = ""  # a repair phrase, and the list of them, give way to the time-out
        self._repair_list = ""
        self._paused_before_timeout = self.pause_kind == "pause"
        self.pause_kind = "time-out"
        self._timeout_began = self.clock.monotonic()
        self._timeout_until = self._timeout_began + self.settings.timeout_seconds
        self._timeout_back = set()
        self.return_at = None  # each time-out asks again when you will come back
        self._event("time-out", "both")

    def minimum_minutes(self) -> int:
        """In a time-out, the fewest whole minutes from now to come back: until its minimum has passed."""
        if self.pause_kind != "time-out":
            return 1
        return max(1, math.ceil((self._timeout_until - self.clock.monotonic()) / 60 - 1e-9))

    def agree_return(self, minutes: int) -> Outcome:
        """An agreed time to come back, in minutes from now: from the time-out's minimum to a day; kept in the record.

        Less than the minimum is refused with the reason ("Back at 06:59" above
        "You can come back in 20 min" was a promise the time-out could not keep).
        """
        self.tick()
        self._record_input("return-at", minutes=minutes)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= RETURN_WITHIN_MINUTES:
            return Outcome(Result.IGNORED, "return-at", "Choose a time within the next day.")
        least = self.minimum_minutes()
        if minutes < least:
            return Outcome(Result.IGNORED, "too-soon",
                           f"At least {least} min from now: a flooded body needs about twenty minutes to settle.")
        self.return_at = self.started_at + timedelta(seconds=round(self._offset()) + minutes * 60)
        self._event("return-agreed", "both")
        return Outcome(Result.ACCEPTED, "return-agreed")

    def more_time(self, minutes: int) -> Outcome:
        """Asked on coming back ("Both calm?"): more time, and the time-out goes on until then; nobody is named."""
        self.tick()
        self._record_input("more-time", minutes=minutes)
        if self.pause_kind != "time-out":
            return Outcome(Result.IGNORED, "not-in-time-out")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= RETURN_WITHIN_MINUTES:
            return Outcome(Result.IGNORED, "more-time", "Choose a time within the next day.")
        now = self.clock.monotonic()
        self._timeout_until = max(self._timeout_until, now + minutes * 60)
        self._timeout_back = set()  # whoever was ready waits with the other
        self.return_at = self.started_at + timedelta(seconds=round(self._offset()) + minutes * 60)
        self._event("time-out-extended", "both")
        return Outcome(Result.ACCEPTED, "time-out-extended")


    def _resume(self) -> None:
        self.pause_kind = ""
        self._unanswered = False
        self._repair = ""
        self._timeout_back = set()
        self._mark = self.clock.monotonic()
