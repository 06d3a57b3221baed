"""The only way the domain reads time.

Two readings: `monotonic()` for measuring turns (never jumps), and `now()` for
the wall-clock timestamps written into the record. Tests use `ManualClock` and
advance it by hand, so no test ever sleeps for a turn to pass.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...


class RealClock:
    """The machine's clocks: `time.monotonic` and the local wall time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone().replace(microsecond=0)


class ManualClock:
    """A clock that moves only when told to; both readings move together."""

    def __init__(
        self,
        start: datetime | None = None,
        monotonic: float = 1000.0,
    ) -> None:
        self._wall = start or datetime(2026, 11, 26, 19, 5, 12, tzinfo=timezone(timedelta(hours=1)))
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall.replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)
