"""A screen's one wake-up: at the moment its shown text next changes, on the app's clock.

On the machine's clock it is an event-loop timer at that very moment (a
millisecond after, so the moment has surely come); on a manual clock (tests)
it is an alarm that rings when the clock is advanced past it, so tests see
exactly the redraws a person would, without sleeping.

Not `set_timer`: a Textual timer counts its delay from when its task first
runs, which is after the redraw that set it has finished (10–40 ms of a turn
changing hands), so every wake-up came that much late.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Protocol

from textual.message_pump import MessagePump

SLACK = 0.001  # a loop timer may wake a hair early; a figure read then would still be the old one


class Stoppable(Protocol):
    def stop(self) -> object: ...


class _LoopWake:
    def __init__(self, handle: asyncio.TimerHandle) -> None:
        self._handle = handle

    def stop(self) -> None:
        self._handle.cancel()


def wake_at(owner: MessagePump, clock, when: float, callback: Callable[[], object]) -> Stoppable:
    """Call `callback` on `owner` once `clock.monotonic()` reaches `when`; stop() takes it back."""
    call_at = getattr(clock, "call_at", None)
    if call_at is not None:
        return call_at(when, callback)
    loop = asyncio.get_running_loop()
    delay = max(0.0, when - clock.monotonic()) + SLACK
    # the loop rings on time; the callback runs as the owner's next message, so Textual paints after it as usual
    return _LoopWake(loop.call_at(loop.time() + delay, owner.call_next, callback))
