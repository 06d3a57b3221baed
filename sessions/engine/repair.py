"""Repair at hand (Gottman's repair attempts): a phrase either partner reaches for when a talk starts to go wrong.

Codes only; the words live in tui/. The clock waits while the list of
phrases is open and while a chosen phrase shows on both panes, until you carry
on (the pause key). A phrase chosen is kept as one shared `repair` event with
its code: which phrase, never whose, never counted per partner. "I think I'm
flooded" is the time-out itself.
"""

from __future__ import annotations

from .terms import Outcome, Result, Stage

REPAIRS = ("slow-down", "getting-flooded", "more-gently", "my-part", "understand", "start-again", "same-side",
           "flooded")
FLOODED = "flooded"  # "I think I'm flooded": the time-out, not a pause


class Repair:
    _repair: str  # the phrase showing while the clock waits ("" for none)
    _repair_list: str  # "" closed; "paused" the list paused the clock itself; "open" it was already paused

    def may_repair(self) -> bool:
        """A repair can be reached for at every stage of a session, except in a time-out or after the end."""
        return self.stage is not Stage.ENDED and self.pause_kind != "time-out"

    def open_repair(self) -> Outcome:
        """Either of you opened the list of phrases: the clock waits while you choose (the app's pause, not a break)."""
        self.tick()
        self._record_input("repair-open")
        if not self.may_repair():
            return Outcome(Result.IGNORED, "ended" if self.stage is Stage.ENDED else "time-out")
        if self._repair_list:
            return Outcome(Result.ACCEPTED, "repair-open")  # already open: nothing changes
        if self.pause_kind:
            self._repair_list = "open"
        else:
            self._repair_list = "paused"
            self.pause_kind = "pause"
            self._event("pause-repair", "both")
        return Outcome(Result.ACCEPTED, "repair-open")

    def repair(self, code: str | None) -> Outcome:
        """The list closed: with a phrase chosen (`code`), or without one (None).

        A phrase shows on both panes and the clock waits until the pause key
        carries on; a second phrase replaces the first. Closed without one, the
        clock runs again if the list alone had stopped it.
        """
        self.tick()
        self._record_input("repair", phrase=code or "")
        opened, self._repair_list = self._repair_list, ""
        if not self.may_repair():
            return Outcome(Result.IGNORED, "ended" if self.stage is Stage.ENDED else "time-out")
        if code not in REPAIRS:
            if opened == "paused" and self.pause_kind == "pause" and not self._repair:
                self._event("resume", "both")
                self._resume()
            return Outcome(Result.IGNORED if code else Result.ACCEPTED, "repair-closed")
        self._event("repair", "both", phrase=code)
        if code == FLOODED:
            if opened == "paused" and not self._repair:
                self.pause_kind = ""  # the list's own pause gives way: after the time-out, the turn runs again
            self._start_time_out()
            return Outcome(Result.ACCEPTED, "time-out")
        self._repair = code
        self.pause_kind = "pause"
        return Outcome(Result.ACCEPTED, "repair")
