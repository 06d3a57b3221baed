"""The floor and its turns: reading what a key meant, then who holds the floor next and for how long."""

from __future__ import annotations

from typing import Any

from .state import PartnerTally
from ..durations import EPSILON
from .terms import (ASKING, BURST_GAP_SECONDS, MINUTE_MORE_SECONDS, SAME_INSTANT_SECONDS, SETTLE_SECONDS, SIDES,
                    Action, Outcome, Result, Stage, other)


class Floor:
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
            if step.phase.not_solvable and (said := self._press_not_solvable(side, action, now)) is not None:
                return said
            if action is not Action.DONE or side in self._together:
                return Outcome(Result.IGNORED, "agreed" if side in self._together else "together")
            self._together.add(side)
            self._event("agreed", side)
            if self._together == set(SIDES):
                self._end_step("done", now)
                return Outcome(Result.ACCEPTED, "turn-ended")
            return Outcome(Result.ACCEPTED, "agreed")
        if action is Action.DONE:
            if side != holder and step.phase.conversation:
                return Outcome(Result.IGNORED, "conversation")  # the listener may speak here: nothing blocked
            if side != holder:
                self.partners[side].interruptions_blocked += 1
                self._turn_blocked += 1
                self._event("interruption-blocked", side)
                self._last_blocked = (side, now, len(self.events) - 1)
                return Outcome(Result.BLOCKED, "interruption-blocked")
            self._pressed_together(now)
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
        # not quite (or there's more, or skip): the holder's answer. A listener's not-quite key does nothing:
        # no raised hand to hurry the speaker, nothing counted against the listener (issue 16)
        if side != holder:
            return Outcome(Result.IGNORED, "listening")
        if step.on_not_quite is None or (step.phase.collect == "request" and self.requests_now()):
            return Outcome(Result.IGNORED, "has-floor")  # (requests written are not skipped: they go to the gift)
        self._pressed_together(now)
        if step.is_confirm:
            reflector = other(step.speaker)
            self.partners[reflector].reflection_retries += 1
            self._event("not-quite", side)
            self._end_step("not-quite", now)
            return Outcome(Result.ACCEPTED, "retry")
        if step.added == "more" and self._floor_up:  # the floor time was used: the speaker asks for a minute more
            used = self._used.get(step.block, 0.0)  # a minute from now, however far over the last turn ran
            self._extra[step.block] = max(0.0, used - self.settings.speak_seconds) + MINUTE_MORE_SECONDS
            self._minute_more = True
            self._event("minute-more", side)
            self._end_step("minute-more", now)
            return Outcome(Result.ACCEPTED, "minute-more")
        if step.added == "more":
            self._event("more", side)
            self._end_step("more", now)
            return Outcome(Result.ACCEPTED, "more")
        self._event("skipped", side)  # a skippable phase: "not today"
        self._end_step("skipped", now)
        return Outcome(Result.ACCEPTED, "skipped")


    def _pressed_together(self, now: float) -> None:
        """The holder's key ends the turn: the other's key at the same instant (just before it) was meant for
        the turn that follows, not an interruption. It is read again as a carried-over tap."""
        last, self._last_blocked = self._last_blocked, None
        if last is None:
            return
        side, at, n = last
        if now - at <= SAME_INSTANT_SECONDS and n < len(self.events) and self.events[n]["kind"] == "interruption-blocked":
            self.events[n]["kind"] = "tap-carried-over"
            self.partners[side].interruptions_blocked -= 1
            self._turn_blocked -= 1

    def _begin_step(self, index: int, mono: float) -> None:
        step = self.steps[index]
        minute, self._minute_more = self._minute_more, False  # this turn is the minute asked for
        self._index = index
        self._active = 0.0
        self._mark = mono
        self._turn_start = self._offset(mono)
        self._turn_blocked = 0
        self._together = set()
        self._last_blocked = None
        self._ask_base = 0.0
        self._asked = self._unanswered = False
        planned = float(step.planned)
        if step.budgeted and step.added != "clarify":  # a chunk never runs past the speaker's floor time
            left = max(0.0, self._budget(step.block) - self._used.get(step.block, 0.0))
            planned = left if minute else min(planned, left)  # a minute more is a minute, not a chunk
        self._floor_up = step.added == "more" and self._used.get(step.block, 0.0) >= self._budget(step.block) - EPSILON
        self._planned = planned
        if step.phase.actor == "speaker" and not step.added and step.holder == step.speaker:
            self._spoken.add(step.holder)
        if step.phase.confirm and not step.added:  # a reflection begins: count tries until confirmed
            self._tries += 1
        elif not step.added:
            self._tries = 0

    def _budget(self, block: int) -> float:
        """The speaker's floor time in a block: the typed speak time, and each "a minute more" they asked for."""
        return self.settings.speak_seconds + self._extra.get(block, 0.0)

    def _floor_of(self, step) -> str:
        """Whose floor a step is: its holder's, except that in a ritual where the speaker keeps the floor (PREP)
        the listener's saying-back is held on the speaker's floor."""
        if self.ritual.speaker_keeps_floor and step.phase.actor == "listener" and not step.together:
            return step.speaker
        return step.holder

    def _time_up(self, at: float) -> None:
        """The step's time ran out. A turn ends; a question only the speaker can answer is never answered by the
        clock: it is asked again, calmly, and if it runs out again the session pauses until you carry on."""
        step = self.steps[self._index]
        if step.added not in ASKING:
            self._end_step("time", at)
            return
        self._ask_base = self._active
        if not self._asked:
            self._asked = True
            self._event("asked-again", "both", at)
            return
        self._asked = False
        self._unanswered = True
        self.pause_kind = "pause"
        self._event("pause-unanswered", "both", at)  # a shared fact: nobody is named for it

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
            "overtime_seconds": round(max(0.0, self._active - self._ask_base - self._planned), 3),  # of the last asking
            "ended_by": ended_by,
            "interruptions_blocked": self._turn_blocked,
            **({"together": True} if step.together else {}),  # both of you: `by` is only who began it
            **({"floor": floor} if (floor := self._floor_of(step)) != step.holder else {}),  # whose floor it is
        }

    def _credit(self, tallies: dict[str, PartnerTally]) -> None:
        """Add the current step's floor time to its holder; a confirm or "is there more" is a yes or no, not talk,
        and a step done together (choosing an issue, a moment of affection) is neither partner's floor."""
        step = self.steps[self._index]
        if step.added in ("confirm", "more") or step.together:
            return
        tallies[self._floor_of(step)].speaking_seconds += self._active  # a saying-back on a kept floor: the speaker's
        tallies[step.holder].overtime_seconds += max(0.0, self._active - self._planned)

    def _close_turn(self, ended_by: str) -> None:
        self._credit(self.partners)
        step = self.steps[self._index]
        if step.budgeted:
            self._used[step.block] = self._used.get(step.block, 0.0) + self._active
        self.turns.append(self._turn_so_far(ended_by))

    def _next_index(self, ended_by: str) -> int:
        step = self.steps[self._index]
        if ended_by in ("not-quite", "more", "minute-more", "skipped"):
            nxt = step.on_not_quite
        else:  # done, or time on a turn (a question is never answered by the clock: `_time_up`)
            nxt = step.on_done if step.on_done is not None else step.index + 1
        return nxt  # "is there more?" with the floor time used up still asks: pass the floor, or a minute more

    def _end_step(self, ended_by: str, mono: float) -> None:
        step = self.steps[self._index]
        self._close_turn(ended_by)
        nxt = self._next_index(ended_by)
        if nxt < len(self.steps):
            ahead = self.steps[nxt]
            if ended_by in ("not-quite", "more", "minute-more"):
                kind = "more" if ended_by == "minute-more" else ended_by
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
