"""The one connection of a session apart: a magic-wormhole between two heartlines.

Twisted and wormhole are imported here and only here, when a session apart is
asked for: the home screen and `heartline start` never load them. Twisted's
asyncio reactor runs on the app's own event loop (no thread): `ensure_reactor`
installs it on the running loop once a process and starts it; `stop_reactor`
lets the process end (its thread pool would hold it open).

A `Link` carries bytes both ways, already encrypted end to end by the wormhole
(SPAKE2 from the spoken code; the mailbox server sees only ciphertext). What
the bytes mean, and whether they may be believed, is `wire`'s business.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

APPID = "heartline.app/apart/v1"
PUBLIC_RELAY = "ws://relay.magic-wormhole.io:4000/v1"
WAITING_MAX = 200  # messages kept while no screen listens (the host's journal comes in one)
CONNECT_SECONDS = 8.0  # a wrong code, a used code, an unreachable relay: said within 10 s of typing it


class LinkError(Exception):
    """The connection could not be made or was refused; one plain line for a person."""


_reactor = None


def ensure_reactor():
    """Twisted's asyncio reactor on the running loop, started (once a process)."""
    global _reactor
    loop = asyncio.get_running_loop()
    if _reactor is not None:
        if _reactor._asyncioEventloop is not loop:  # a new loop in the same process (tests): follow it
            _reactor._asyncioEventloop = loop
        return _reactor
    import sys

    if "twisted.internet.reactor" in sys.modules:
        from twisted.internet import reactor
    else:
        from twisted.internet import asyncioreactor

        asyncioreactor.install(loop)
        from twisted.internet import reactor
    if not reactor.running:
        reactor.startRunning(installSignalHandlers=False)
    _reactor = reactor
    import threading

    register = getattr(threading, "_register_atexit", None)  # before the interpreter waits for threads
    if register is not None:  # opened from the home screen: no ApartApp to stop it on the way out
        register(stop_reactor)
    return reactor


def stop_reactor() -> None:
    """Let the process end: the reactor's thread pool stops with it."""
    global _reactor
    if _reactor is None:
        return
    reactor = _reactor
    try:  # not reactor.stop(): that stops the app's own loop under it
        pool = getattr(reactor, "threadpool", None)
        if pool is not None:
            pool.stop()
            reactor.threadpool = None
    except Exception:  # noqa: BLE001 - on the way out, nothing more to do
        pass


def _reason(exc: BaseException, relay: str) -> str:
    from wormhole import errors

    if isinstance(exc, errors.WrongPasswordError):
        return "That code did not match: check it with your partner and try again (a new code may be needed)."
    if isinstance(exc, errors.LonelyError):
        return "Nobody joined with that code."
    if isinstance(exc, errors.ServerConnectionError):
        return f"The relay at {relay} could not be reached ({exc})."
    if isinstance(exc, errors.ServerError):
        text = str(exc)
        if "crowded" in text:
            return "That code has already been used: ask your partner for a new one."
        return f"The relay refused: {text}"
    if isinstance(exc, errors.KeyFormatError):
        return "That is not a code: it looks like 7-guitarist-revenge (a number, then words, with dashes)."
    return f"The connection could not be made ({type(exc).__name__}: {exc})"


class Link:
    """One wormhole: make or take a code, then send and receive messages (bytes)."""

    def __init__(self, relay: str, versions: dict[str, Any] | None = None) -> None:
        self.relay = relay
        self.versions = versions or {}
        self.code: str | None = None
        self.peer_versions: dict[str, Any] | None = None
        self.closed = False
        self._w = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_message: Callable[[bytes], None] | None = None
        self._waiting: list[bytes] = []  # arrived while nobody listened (between two screens): kept, in order
        self.on_lost: Callable[[str], None] | None = None

    @property
    def on_message(self) -> Callable[[bytes], None] | None:
        return self._on_message

    @on_message.setter
    def on_message(self, receive: Callable[[bytes], None] | None) -> None:
        """Who reads what arrives; what came while nobody did is handed over first, in order."""
        self._on_message = receive
        while receive is not None and self._waiting and self._on_message is receive:
            self._deliver(self._waiting.pop(0))

    def _open(self) -> None:
        reactor = ensure_reactor()
        self._loop = asyncio.get_running_loop()
        import wormhole

        self._w = wormhole.create(APPID, self.relay, reactor, versions=self.versions)

    async def _wait(self, d, seconds: float | None):
        fut = d.asFuture(self._loop)
        try:
            return await asyncio.wait_for(fut, seconds)
        except asyncio.TimeoutError:
            raise LinkError(f"The relay at {self.relay} did not answer within {seconds:.0f} seconds.") from None
        except LinkError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line
            raise LinkError(_reason(exc, self.relay)) from exc

    async def allocate(self, seconds: float = CONNECT_SECONDS) -> str:
        """A new code to read out (the host)."""
        self._open()
        self._w.allocate_code()
        self.code = await self._wait(self._w.get_code(), seconds)
        return self.code

    async def join(self, code: str, seconds: float = CONNECT_SECONDS) -> None:
        """Take a code read out by the other (the guest), and wait for the key exchange."""
        self._open()
        try:
            self._w.set_code(code)
        except Exception as exc:  # noqa: BLE001 - a malformed code
            raise LinkError(_reason(exc, self.relay)) from None
        self.code = code
        await self.connected(seconds)

    async def connected(self, seconds: float | None = None) -> dict[str, Any]:
        """Wait until the other side has joined and proved it knows the code; their versions."""
        if self.peer_versions is None:
            versions = await self._wait(self._w.get_versions(), seconds)
            self.peer_versions = versions if isinstance(versions, dict) else {}
            self._receive_next()
        return self.peer_versions

    def _receive_next(self) -> None:
        if self.closed:
            return
        d = self._w.get_message()
        d.addCallbacks(self._got, self._failed)

    def _got(self, data: bytes) -> None:
        if self.closed:
            return
        if self._on_message is not None:
            self._deliver(data)
        elif len(self._waiting) < WAITING_MAX:  # a flood while nobody listens is dropped
            self._waiting.append(data)
        self._receive_next()

    def _deliver(self, data: bytes) -> None:
        try:
            self._on_message(data)
        except Exception:  # noqa: BLE001 - nothing the peer sends may stop the receiving
            pass

    def _failed(self, failure) -> None:
        if self.closed:
            return None
        self.closed = True
        if self.on_lost is not None:
            self.on_lost(_reason(failure.value, self.relay))
        return None

    def send(self, data: bytes) -> None:
        if not self.closed and self._w is not None:
            self._w.send_message(data)

    async def close(self, seconds: float = 3.0) -> None:
        if self._w is None:
            return
        self.closed = True
        w, self._w = self._w, None
        try:
            await asyncio.wait_for(w.close().asFuture(self._loop), seconds)
        except Exception:  # noqa: BLE001 - closing: the other side may have gone already
            pass
