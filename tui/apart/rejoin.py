"""Coming back after a dropped connection in a session apart: a fresh code, and the box that shows it.

When the other heartline goes quiet (closed, killed, or the relay went away),
the session pauses on both sides and nothing is lost: the host's engine and
journal hold it. Two ways back, whichever comes first:

- the same connection returns (the relay restarts; the wormhole reconnects by
  itself and what was sent meanwhile arrives), and both screens go on;
- the host's screen offers a fresh code (`fresh_code`, tried again while the
  relay cannot be reached); the joining partner types it (`heartline join
  CODE`, home's `e`, or the box on their own paused screen) and receives the
  whole session so far from the host's engine, so both screens resume where
  they were, with the floor and the clock as the engine says.

No Twisted here either: `Link` imports it when a code is asked for.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from heartline.sessions import __version__

from . import wire
from .link import Link, LinkError

RETRY_SECONDS = 3.0  # the relay could not be reached: asked again this often


def _close_later(link: Link) -> None:
    link.on_message = link.on_lost = None
    asyncio.ensure_future(link.close(2.0))


async def fresh_code(relay: str, show: Callable[[str, str], None]) -> Link:
    """A new code on the relay, offered (`show(code, line)`) until the other heartline joins with it.

    While the relay cannot be reached, `show("", line)` says so and it is asked
    again every few seconds. Cancelled (the old connection came back, or the
    session ended), the code it holds is given up.
    """
    while True:
        link = Link(relay, wire.hello("host", __version__))
        try:
            try:
                code = await link.allocate()
            except LinkError:
                show("", "The relay cannot be reached just now; a new code will show here when it can.")
                _close_later(link)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            show(code, "")
            try:
                wire.check_hello(await link.connected(), "guest", __version__)
            except (LinkError, wire.WireError) as exc:
                show("", str(exc))
                _close_later(link)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            return link
        except asyncio.CancelledError:
            _close_later(link)
            raise


async def join_again(relay: str, code: str) -> Link:
    """The joining side: a new code read out by the host; LinkError or WireError (one line) if it cannot be used."""
    from .run import check_code

    try:
        code = check_code(code)
    except ValueError as exc:
        raise LinkError(str(exc)) from None
    link = Link(relay, wire.hello("guest", __version__))
    try:
        await link.join(code)
        wire.check_hello(link.peer_versions, "host", __version__)
    except LinkError as exc:
        _close_later(link)
        if "did not answer" in str(exc):
            raise LinkError("Nobody is waiting with that code (mistyped, or used already): "
                            "ask for the one on the other screen now.") from None
        raise
    except (wire.WireError, asyncio.CancelledError):
        _close_later(link)
        raise
    return link


def host_words(guest: str, code: str, line: str, relay: str, public: str) -> Text:
    """What the host's box says while the other is away: what happened, and how they come back."""
    text = Text(f"{guest}'s heartline is not answering: the connection dropped or was closed. "
                "If it comes back by itself, the session goes on.\n")
    if code:
        text.append(f"Or read {guest} this new code:  ")
        text.append(code, "bold reverse")
        text.append(f"\nThey type:  heartline join {code}" + (f" --relay {relay}" if relay != public else "")
                    + "  (or e on heartline's home)\n")
    elif line:
        text.append(f"{line}\n")
    else:
        text.append("Asking the relay for a new code…\n")
    text.append("Escape ends the session; its summary asks what you keep.")
    return text


def guest_words(host: str, line: str) -> Text:
    text = Text(f"{host}'s heartline is not answering: the session waits there and nothing is lost. "
                "If the connection comes back, it goes on by itself. "
                f"Or type the new code on {host}'s screen, then enter (if {host}'s heartline was closed, "
                "`heartline start --apart` there offers this session again: r resumes it with a new code). "
                "Escape leaves for now.")
    if line:
        text.append(f"\n{line}")
    return text


class AwayBox(Vertical):
    """Under the banner while the other is away: what happened and the way back (the joining side types a code)."""

    DEFAULT_CSS = """
    AwayBox {
        height: auto;
        padding: 0 1;
        display: none;
        background: $warning 15%;
    }
    AwayBox.-shown {
        display: block;
    }
    AwayBox #away-words {
        height: auto;
    }
    AwayBox #away-code {
        width: 50;
    }
    """

    def __init__(self, joining: bool) -> None:
        super().__init__(id="apart-away")
        self.joining = joining

    def compose(self) -> ComposeResult:
        yield Static(id="away-words", markup=False)
        if self.joining:
            yield Input(placeholder="the new code, like 7-guitarist-revenge", id="away-code", max_length=100,
                        disabled=True)  # never focused while put away: the keys are the session's

    def show(self, words: Text | None) -> None:
        """The box with these words (None: put away)."""
        shown = words is not None
        if shown:
            self.query_one("#away-words", Static).update(words)
        if shown != self.has_class("-shown"):
            self.set_class(shown, "-shown")
            for box in self.query("#away-code").results(Input):
                box.disabled = not shown
                if shown:
                    box.value = ""
                    self.call_after_refresh(box.focus)  # once it is displayed
                elif box.has_focus:
                    self.screen.set_focus(None)
