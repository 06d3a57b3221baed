""""Is now a good time?": before anything else, the partner who will listen first is asked (PREP; Imago's appointment).

A ritual opts in with `good_time` (sessions/rituals/FORMAT.md). Only the
partner asked answers: their done key says "now" and the session goes on to
the ground rules (or the check-in, or the floor); their not-quite key says
"later, within a day" and the run ends calmly, before anything was said, as
"not started". Ending the session while the question is asked (escape,
quit, a closed terminal) is the same "later". The other partner's keys do nothing and count for nothing.
The question has no clock: nobody is hurried into a talk.
"""

from __future__ import annotations

from .terms import SETTLE_SECONDS, Action, Outcome, Result, Stage, other


class GoodTime:
    later: bool  # the one asked said "later, within a day": the run ended before it began

    @property
    def asked(self) -> str:
        """The side asked "Is now a good time?": whoever listens first (the other one from who starts)."""
        return other(self.steps[0].speaker) if self.steps else other(self.settings.first)

    def _after_good_time(self) -> Stage:
        return Stage.RULES if self.rules else (Stage.CHECKIN if self.checkin else Stage.FLOOR)

    def _press_good_time(self, side: str, action: Action) -> Outcome:
        if side != self.asked:
            return Outcome(Result.BLOCKED, "asked-other")  # their answer to give: nothing counted, nothing kept
        if self.clock.monotonic() - self._t0 < SETTLE_SECONDS:
            return Outcome(Result.IGNORED, "carried-over")  # a key from the form, before the question could be read
        if action is Action.DONE:
            self._to_stage(self._after_good_time())
            return Outcome(Result.ACCEPTED, "now")
        self._not_now()
        return Outcome(Result.ACCEPTED, "later")

    def _not_now(self) -> None:
        """"Later", or the session ended (escape, quit) while asked: nothing was said yet, so nothing is kept."""
        self.later = True
        self._event("later", "both")
        self._finish("ended-early")  # nothing was said: "not started"
