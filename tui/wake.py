"""A screen's one wake-up: at the moment its shown text next changes, on the app's clock.

On the machine's clock it is a Textual timer, a millisecond late so the moment
has surely come; on a manual clock (tests) it is an alarm that rings when the
clock is advanced past it, so tests see exactly the redraws a person would,
without sleeping.
"""

from __future__ import annotations

from typing import Callable, Protocol

from textual.message_pump import MessagePump

SLACK = 0.001  # timers may wake a hair early; a figure read then would still be the old one


class Stoppable(Protocol):
    def stop(self) -> object: ...


def wake_in(owner: MessagePump, clock, seconds: float, callback: Callable[[], object]) -> Stoppable:
    """Call `callback` once `seconds` of `clock` have passed; the timer belongs to `owner` (gone with it)."""
    seconds = max(0.0, seconds)
    call_at = getattr(clock, "call_at", None)
    if call_at is not None:
        return call_at(clock.monotonic() + seconds, callback)
    return owner.set_timer(seconds + SLACK, callback, name="wake")
