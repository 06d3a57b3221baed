"""Reading the engine: the `State` a screen renders, with each partner's view of their keys."""

from __future__ import annotations

from dataclasses import replace

from ..durations import EPSILON, whole_seconds
from ..rituals import FLOOR_UP
from .plan import Step
from .state import SideView, State
from .terms import ASKING, GENTLER, LEFT, LOW_MOOD, RIGHT, UNDO_SECONDS, Stage


class View:
    def offset_now(self) -> float:
        """Seconds since the run began, pauses included, stopped at its end: the clock of the input log
        (and of a session apart's messages). Time together (`State.elapsed`) begins later when it is asked
        "Is now a good time?"."""
        return self._ended_offset if self._ended_offset is not None else self.clock.monotonic() - self._t0

    def _activity(self, side: str, step: Step | None) -> str:
        if self.stage is Stage.GOOD_TIME:
            return "asked" if side == self.asked else "asking"
        if self.stage is Stage.RULES:
            return "agreed" if self.partners[side].agreed else "reading-rules"
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            return "checking-in" if self.stage is Stage.CHECKIN else "checking-out"
        if self.stage is Stage.ENDED or step is None:
            return "finished"
        if step.together:
            return "agreeing"
        if side == step.holder:
            return {"confirm": "confirming", "more": "floor-up" if self._floor_up else "deciding",
                    "clarify": "clarifying"}.get(
                step.added, "speaking" if step.phase.actor == "speaker" or not step.phase.confirm else "reflecting")
        if step.added in ("confirm", "more"):
            return "waiting"
        if self._floor_of(step) == side:
            return "heard"  # a kept floor: being said back to
        return "alongside" if step.phase.conversation else "listening"  # alongside: the listener may speak too

    def _keys(self, side: str, step: Step | None, revealed: bool) -> tuple[str, str]:
        """What this partner's done and not-quite keys do now, as codes."""
        if self.stage is Stage.GOOD_TIME:
            return ("now", "later") if side == self.asked else ("", "")
        if self.stage is Stage.RULES:
            return ("" if self.partners[side].agreed else "agree", "")
        if self.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            if revealed:
                return ("" if side in self._ready else "ready", "")
            chosen = self._chosen.get(side, (None, ""))[0] is not None
            return ("seal" if chosen and self._mood(side) is None else "", "")
        if step is None or self.pause_kind == "pause":
            return ("", "")  # paused (an unanswered question too): no floor key does anything until you carry on
        if step.together:
            unsolved = "not-solvable" if step.phase.not_solvable and not self.said_not_solvable(side) else ""
            return ("" if side in self._together else "agree", unsolved)
        if side != step.holder:
            return ("", "")  # listening: no raised hand (issue 16), only the note key
        if step.is_confirm:
            return ("got-it", "not-quite")
        if step.phase.choose and any(self.notes[i]["kind"] == "gift" for i in self.requests_now()):
            return ("give", "")
        if step.added == "more":
            return ("pass-floor", "minute-more") if self._floor_up else ("pass", "more")
        written = step.phase.collect == "request" and self.requests_now()  # requests written go on to the gift
        return ("end-turn", "skip" if step.on_not_quite is not None and not written else "")

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
            keeps_floor=bool(step and step.holder != side and self._floor_of(step) == side),
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
            not_solvable_now=self.said_not_solvable(side),
            written=self._written(side, step),
            choose=bool(step and step.phase.choose and side == step.holder and self.requests_now()),
        )

    def _written(self, side: str, step: Step | None) -> tuple[tuple[str, str], ...]:
        """At the compromise's steps together: what this partner wrote of their core needs and flexible areas,
        (kind, text) in order, shown on their own pane (so the two stand side by side)."""
        if step is None or not step.together or not (
                step.phase.collect in ("core-need", "flexible") or step.phase.not_solvable):
            return ()
        return tuple((n["kind"], n["text"]) for n in self.notes
                     if n["by"] == side and n["kind"] in ("core-need", "flexible"))

    def _clock_fields(self, step: Step | None) -> dict:
        """The state's fields that move with time alone while a turn runs (the rest: with inputs and transitions)."""
        planned = self._planned if step else 0.0
        left = planned - (self._active - self._ask_base) if step else 0.0  # a question asked again: its time anew
        grace = self.settings.grace_seconds
        in_grace = bool(step) and left <= EPSILON
        warning = ""
        if step and step.added not in ASKING:  # a yes-or-no is never hurried: no warnings, no "wrap up"
            if in_grace:
                warning = "wrap-up"
            elif left <= 10 + EPSILON and planned >= 20:
                warning = "10"
            elif left <= 30 + EPSILON and planned >= 60:
                warning = "30"
        # unrounded while it runs: the shown figure turns over exactly when `next_change` says
        elapsed = self._together_seconds(self.offset_now())
        floor_left = floor_turn = None
        if step and step.budgeted:
            floor_turn = max(0.0, self._budget(step.block) - self._used.get(step.block, 0.0))
            floor_left = max(0.0, floor_turn - self._active)
        return dict(elapsed=elapsed, planned=planned, time_left=left, in_grace=in_grace,
                    grace_left=max(0.0, grace + left) if in_grace else float(grace), overtime=max(0.0, -left),
                    warning=warning, floor_left=floor_left, floor_turn=floor_turn)

    def _changes(self) -> tuple:
        """What moves the state but time, counted: the inputs taken, the transitions and events, the step, the stage."""
        return len(self.log), len(self.transitions), len(self.events), self._index, self.stage, self.pause_kind

    def seconds_later(self, last: State) -> State | None:
        """`last` with the turn's seconds brought up to now, when nothing else in it can have changed since: the
        same inputs and transitions, the turn's clock running all along, and no warning, grace or minute of time
        together reached. None when only a whole `state()` says what is now.

        A screen's once-a-second read: a fraction of `state()`'s work."""
        self.tick()
        step = self.current_step
        if (step is None or self.stage is not Stage.FLOOR or self.pause_kind or self._clock_held()
                or self._changes() != last.changes or last.stage is not Stage.FLOOR or last.paused):
            return None
        fields = self._clock_fields(step)
        if (fields["in_grace"] != last.in_grace or fields["warning"] != last.warning
                or (fields["floor_left"] is None) != (last.floor_left is None)
                or whole_seconds(fields["elapsed"]) // 60 != whole_seconds(last.elapsed) // 60):
            return None
        now = object.__new__(State)  # a copy of the frozen `last` with these fields: a tenth of `replace`
        now.__dict__.update(vars(last), **fields)
        return now

    def state(self) -> State:
        self.tick()
        step = self.current_step
        if step is not None and self._floor_up:  # the same step, asked as what it now is: pass, or a minute more
            step = replace(step, title=FLOOR_UP.title, phase=FLOOR_UP)
        revealed = self.checkin_revealed
        written = self.requests_now() if step and (step.phase.collect == "request" or step.phase.choose) else []
        return State(
            requests=tuple(self.notes[i]["text"] for i in written),
            gift=next((n for n, i in enumerate(written, 1) if self.notes[i]["kind"] == "gift"), 0),
            stage=self.stage,
            paused=bool(self.pause_kind),
            pause_kind=self.pause_kind,
            round=step.round if step else (self.settings.rounds if self.stage in (Stage.CHECKOUT, Stage.ENDED) else 1),
            rounds=self.settings.rounds,
            step=step,
            step_number=self._index + 1,
            steps_total=len(self.steps),
            floor=step.holder if step else None,
            floor_owner=self._floor_of(step) if step else None,
            asked_again=bool(step) and self._asked,
            unanswered=self._unanswered and self.pause_kind == "pause",
            floor_up=bool(step) and self._floor_up,
            timeout_left=max(0.0, self._timeout_until - self.clock.monotonic()) if self.pause_kind == "time-out" else 0.0,
            timeout_ready=len(self._timeout_back) if self.pause_kind == "time-out" else 0,
            timeout_spent=self.clock.monotonic() - self._timeout_began if self.pause_kind == "time-out" else 0.0,
            timeout_undo_left=(max(0.0, UNDO_SECONDS - (self.clock.monotonic() - self._timeout_began))
                               if self.pause_kind == "time-out" else 0.0),
            return_at=self.return_at,
            checkin_revealed=revealed,
            left=self._side_view(LEFT, step, revealed),
            right=self._side_view(RIGHT, step, revealed),
            status=self.status,
            ritual_name=self.ritual.name,
            topic=self.topic,
            ground_rules=self.ritual.ground_rules,
            first=self.steps[0].holder if self.steps else LEFT,
            good_time=self.ritual.good_time if self.stage is Stage.GOOD_TIME else "",
            asked=self.asked if self.stage is Stage.GOOD_TIME else "",
            later=self.later,
            transition=self.transitions[-1] if self.transitions else None,
            transitions=len(self.transitions),
            changes=self._changes(),
            **self._clock_fields(step),
            writing=bool(self._writing) and self.stage is Stage.FLOOR,
            asking=self.question_open and self.stage is Stage.FLOOR,
            repair=self._repair if self.pause_kind == "pause" else "",
            repair_list=bool(self._repair_list),
            park=self.may_park(),
            writers=frozenset(self._writing),
            gentle_offer=(offer := self.stage is Stage.CHECKIN and revealed and any(
                p.mood_before is not None and p.mood_before <= LOW_MOOD for p in self.partners.values())),
            gentler=next((r for r in GENTLER if r != self.ritual.id), "") if offer else "",
            low_after=self.stage in (Stage.CHECKOUT, Stage.ENDED) and any(
                p.mood_after is not None and p.mood_after <= LOW_MOOD for p in self.partners.values())
            and (self.stage is Stage.ENDED or revealed),
        )
