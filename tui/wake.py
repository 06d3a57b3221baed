"""A screen's one wake-up: at the moment its shown text next changes, on the app's clock.

On the machine's clock it is an event-loop timer at that very moment (a
millisecond after, so the moment has surely come); on a manual clock (tests)
it is an alarm that rings when the clock is advanced past it, so tests see
exactly the redraws a person would, without sleeping.

Not `set_timer`: a Textual timer counts its delay from when its task first
runs, which is after the redraw that set it has finished (10–40 ms of a turn
changing hands), so every wake-up came that much late.

The loop's timer calls the callback itself, as a Textual timer calls its own
(not as the owner's next message: posting it, waking the owner's task and
dispatching it cost as much CPU as the second's redraw). What it changes is
painted in the screen's next frame, as after any timer.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Protocol

from textual.message_pump import MessagePump

SLACK = 0.001  # a loop timer may wake a hair early; a figure read then would still be the old one


class Stoppable(Protocol):
    def stop(self) -> object: ...


class _LoopWake:
    def __init__(self, owner: MessagePump, callback: Callable[[], object]) -> None:
        self._owner, self._callback = owner, callback
        self._handle: asyncio.TimerHandle | None = None

    def ring(self) -> None:
        try:
            self._callback()
        except Exception as error:  # as a Textual timer's callback: the app shows it and exits
            self._owner.app._handle_exception(error)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()


def wake_at(owner: MessagePump, clock, when: float, callback: Callable[[], object]) -> Stoppable:
    """Call `callback` on `owner` once `clock.monotonic()` reaches `when`; stop() takes it back."""
    call_at = getattr(clock, "call_at", None)
    if call_at is not None:
        return call_at(when, callback)
    loop = asyncio.get_running_loop()
    delay = max(0.0, when - clock.monotonic()) + SLACK
    wake = _LoopWake(owner, callback)
    wake._handle = loop.call_at(loop.time() + delay, wake.ring)  # in the context (the app, the owner) of now
    return wake
