"""A session apart: what holds the turn's clock on one machine holds it on both (the host's engine decides).

A note box open on either machine, the park box of a stress-reducing talk, the end question: the host's
engine takes each as an input (`writing`, `park`, `asking`), the guest replays it, and both clocks wait.
"""

from __future__ import annotations

import pytest

from heartline.sessions.engine import Stage
from heartline.tui.apart.screens import GuestSessionScreen, HostSessionScreen
from heartline.tui.screens.dialogs import ConfirmScreen, NoteScreen, ParkScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import both_joined, now_is_a_good_time, options, pane_text, pass_time, until

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(autouse=True)
def patient(monkeypatch):
    """Minutes pass on the manual clocks here: nobody is taken for away by them (but where a test says so)."""
    from heartline.tui.apart import screens

    monkeypatch.setattr(screens, "GONE_SECONDS", 10_000.0)


async def joined(mailbox, tmp_path, body, protocol: str = "speaker-listener") -> None:
    couple = options(tmp_path, "host", left="Alex", right="Sam", protocol=protocol, speak=60, reflect=30, rounds=1,
                     checkin=False)
    async with both_joined(mailbox, tmp_path, couple) as (host, hp, guest, gp):
        if host.screen.engine.state().stage is Stage.GOOD_TIME:
            await now_is_a_good_time(host, hp, guest, gp)
        await gp.press("j")
        await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement")
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor on the guest")
        await until(hp, lambda: host.screen.engine.state().stage is Stage.FLOOR, "the floor on the host")
        pass_time(host, guest, 5.0)
        await body(host, hp, guest, gp)


def session_of(app):
    return next(s for s in app.screen_stack if isinstance(s, (HostSessionScreen, GuestSessionScreen)))


def left(app) -> float:
    return session_of(app).engine.state().time_left


async def caught_up(host, guest, gp) -> None:
    await until(gp, lambda: list(session_of(guest).mirror.log) == list(session_of(host).engine.log),
                "the guest caught up with the host's journal")


async def test_a_note_box_open_on_the_host_holds_the_clock_on_the_guests_screen_too(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await hp.press("s")  # Alex, who holds the floor, opens a note box
        await until(hp, lambda: isinstance(host.screen, NoteScreen), "Alex's note box")
        await until(gp, lambda: session_of(guest).engine.state().writing, "the hold on Sam's screen")
        await caught_up(host, guest, gp)
        before_host, before_guest = left(host), left(guest)
        pass_time(host, guest, 50.0)  # a long note: nobody's turn runs out under it
        await gp.pause()
        assert left(host) == before_host and left(guest) == before_guest
        assert "Alex is writing a note" in pane_text(guest, "right", "timeline")
        await hp.press("escape")
        await until(gp, lambda: not session_of(guest).engine.state().writing, "the clock going on for Sam")
        pass_time(host, guest, 5.0)
        await gp.pause()
        assert abs(left(guest) - (before_guest - 5.0)) < 1.0 and abs(left(host) - (before_host - 5.0)) < 1.0
        assert session_of(guest).refused == 0

    await joined(mailbox, tmp_path, body)


async def test_a_note_box_open_on_the_guest_holds_the_hosts_clock(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("l")  # Sam, listening, opens a note box on Sam's machine
        await until(gp, lambda: isinstance(guest.screen, NoteScreen), "Sam's note box")
        await until(hp, lambda: session_of(host).engine.state().writers == frozenset({"right"}),
                    "Sam writing, at the host")
        await caught_up(host, guest, gp)
        before = left(host)
        pass_time(host, guest, 50.0)
        await hp.pause()
        assert left(host) == before and left(guest) == before
        assert "Sam is writing a note" in pane_text(host, "left", "timeline")
        await gp.press("o", "k", "enter")
        await until(hp, lambda: not session_of(host).engine.state().writing, "the clock going on at the host")
        await until(hp, lambda: any(n["text"] == "ok" for n in session_of(host).engine.record()["notes"]),
                    "Sam's note at the host")
        await caught_up(host, guest, gp)
        assert not session_of(guest).engine.state().writing

    await joined(mailbox, tmp_path, body)


async def test_the_guest_vanishing_with_a_note_box_open_lets_the_hosts_clock_go(mailbox, tmp_path):
    from heartline.tui.apart.screens import GONE_SECONDS

    async def body(host, hp, guest, gp):
        await gp.press("l")
        await until(hp, lambda: session_of(host).engine.state().writing, "Sam writing, at the host")
        session_of(guest)._stop_presence()
        session_of(guest).link.send = lambda data: None
        host.config.clock.advance(GONE_SECONDS + 1)
        await until(hp, lambda: host.screen.away, "the host noticing that Sam is away")
        assert not session_of(host).engine.state().writing  # Sam's box is not Sam's hold any more

    await joined(mailbox, tmp_path, body)


async def test_the_end_question_on_either_machine_holds_the_clock_on_both(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("escape")  # Sam asks to end: the question is read on Sam's screen
        await until(gp, lambda: isinstance(guest.screen, ConfirmScreen), "the question on Sam's screen")
        await until(hp, lambda: session_of(host).engine.question_open, "the clock held at the host")
        await caught_up(host, guest, gp)
        before = left(host)
        pass_time(host, guest, 70.0)
        await hp.pause()
        assert left(host) == before and left(guest) == before
        await gp.press("n")  # carry on
        await until(hp, lambda: not session_of(host).engine.question_open, "the clock going on at the host")
        await hp.press("escape")  # and Alex's question holds Sam's clock
        await until(hp, lambda: isinstance(host.screen, ConfirmScreen), "the question on Alex's screen")
        await until(gp, lambda: session_of(guest).engine.question_open, "the clock held on Sam's screen")
        await caught_up(host, guest, gp)
        before = left(guest)
        pass_time(host, guest, 70.0)
        await gp.pause()
        assert left(guest) == before and left(host) == before
        await hp.press("n")
        await until(gp, lambda: not session_of(guest).engine.question_open, "the clock on again for Sam")

    await joined(mailbox, tmp_path, body)


# ----- the park key of a stress-reducing talk, from either machine ------------------------------

def parked(app) -> list[str]:
    return [n["text"] for n in session_of(app).engine.record()["notes"] if n["kind"] == "parked"]


async def test_the_park_key_works_from_either_machine_and_shows_on_both(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("w")  # Sam: it is about us after all
        await until(gp, lambda: isinstance(guest.screen, ParkScreen), "the park box on Sam's screen")
        await until(hp, lambda: session_of(host).engine.state().writing, "the clock held at the host")
        await gp.press("u", "s", "enter")
        await until(hp, lambda: parked(host) == ["us"], "kept at the host")
        await until(gp, lambda: parked(guest) == ["us"], "kept on Sam's screen")
        assert not session_of(host).engine.state().writing
        await hp.press("w")  # and Alex, from the starting machine
        await until(hp, lambda: isinstance(host.screen, ParkScreen), "the park box on Alex's screen")
        await until(gp, lambda: session_of(guest).engine.state().writing, "the clock held on Sam's screen")
        await hp.press("enter")  # kept without words
        await until(gp, lambda: [e["kind"] for e in session_of(guest).engine.record()["events"]].count("parked") == 2,
                    "both kept on Sam's screen")
        await caught_up(host, guest, gp)
        assert "Kept for your next state of the union" in pane_text(guest, "right", "nudge")

    await joined(mailbox, tmp_path, body, protocol="stress-reducing")
