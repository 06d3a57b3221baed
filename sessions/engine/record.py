"""The session as its record (DESIGN's TOML shape), and a session rebuilt from its input log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from .. import __version__
from ..clock import ManualClock
from .plan import Settings
from .state import PartnerTally
from .terms import SCHEMA, SIDES, Stage

if TYPE_CHECKING:
    from ..rituals import Ritual


class Recording:
    def record(self) -> dict[str, Any]:
        """The session as DESIGN's TOML shape, at any moment (a partial session included)."""
        self.tick()
        turns = list(self.turns)
        partners = {s: PartnerTally(**vars(p)) for s, p in self.partners.items()}
        if self.stage is Stage.FLOOR:  # the turn in progress, as if ended now
            self._credit(partners)
            turns.append(self._turn_so_far("session-end"))
        offset = self._ended_offset if self._ended_offset is not None else self._offset()
        duration = self._together_seconds(offset)  # time together: from when the conversation began
        rec: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.session_id,
            "app_version": __version__,
            "protocol": self.ritual.id,
            "topic": self.topic,
        }
        if self.topic_deck:
            rec["topic_deck"] = self.topic_deck
        if self.outcome:  # a talk that ended somewhere of its own ("not-solvable-today")
            rec["outcome"] = self.outcome
        if self.return_at is not None:
            rec["agreed_return"] = self.return_at
        rec.update(
            {
                "started_at": self.started_at,
                "ended_at": self.started_at + timedelta(seconds=round(offset)),
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

    def _together_seconds(self, offset: float) -> float:
        """Time together at `offset`: none while "Is now a good time?" is asked (it has no clock), then from "now"."""
        return 0.0 if self._together_at is None else max(0.0, offset - self._together_at)

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
    ) -> Self:
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
            elif op == "repair-open":
                engine.open_repair()
            elif op == "repair":
                engine.repair(entry.get("phrase") or None)
            elif op == "end":
                engine.end_early()
            elif op == "return-at":
                engine.agree_return(entry["minutes"])
            elif op == "more-time":
                engine.more_time(entry["minutes"])
            elif op == "check-in":
                engine.check_in(entry["side"], entry["mood"], entry.get("feeling", ""), seal=entry.get("seal", True))
            elif op == "i-statement":
                engine.set_i_statement(entry["side"], entry["text"])
            elif op == "note":
                engine.add_note(entry["side"], entry["text"], entry.get("kind"))
            elif op == "park":
                engine.park(entry.get("text", ""))
            elif op == "choose":
                engine.choose(entry["side"], entry["number"])
            elif op == "writing":
                engine.writing(entry["side"], bool(entry["on"]))
            elif op == "asking":
                engine.asking(bool(entry["on"]))
            else:
                raise ValueError(f"unknown log entry {op!r}")
        if until is not None and until > clock.monotonic():
            clock.advance(until - clock.monotonic())
        engine.tick()
        return engine
