"""The only way the domain reads time.

Two readings: `monotonic()` for measuring turns (never jumps), and `now()` for
the wall-clock timestamps written into the record. Tests use `ManualClock` and
advance it by hand, so no test ever sleeps for a turn to pass.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...


class RealClock:
    """The machine's clocks: `time.monotonic` and the local wall time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone().replace(microsecond=0)


class Alarm:
    """A wake-up set on a manual clock; `stop()` takes it back."""

    def __init__(self, when: float, callback: Callable[[], object]) -> None:
        self.when = when
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class ManualClock:
    """A clock that moves only when told to; both readings move together.

    A screen that redraws when the shown time next changes sets an alarm
    (`call_at`); advancing the clock rings each alarm it passes, at its own
    moment, in order. So a test that advances a turn sees every redraw the
    real clock would have made, exactly, without sleeping.
    """

    def __init__(
        self,
        start: datetime | None = None,
        monotonic: float = 1000.0,
    ) -> None:
        self._start = start or datetime(2026, 11, 26, 19, 5, 12, tzinfo=timezone(timedelta(hours=1)))
        self._mono = self._mono0 = monotonic
        self._alarms: list[Alarm] = []

    def call_at(self, when: float, callback: Callable[[], object]) -> Alarm:
        """Call `callback` once the clock is advanced to `when` (at once on the next advance if already past)."""
        alarm = Alarm(when, callback)
        self._alarms.append(alarm)
        return alarm

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=self._mono - self._mono0)).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        """Move both readings on; each alarm on the way rings with the clock at its moment."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        target = self._mono + seconds
        while True:
            self._alarms = [a for a in self._alarms if not a.stopped]
            due = [a for a in self._alarms if a.when <= target]
            if not due:
                break
            alarm = min(due, key=lambda a: a.when)  # the earliest; among equals, the first set
            self._alarms.remove(alarm)
            self._mono = max(self._mono, alarm.when)
            alarm.callback()
        self._mono = target
