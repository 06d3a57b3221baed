"""Coming back in a session apart (issue 19): a fresh code after the joining side vanished, a new code typed on
the joining side's paused screen, and the relay going away and coming back. Both apps in this process, on
manual clocks, through the tests' own mailbox server on 127.0.0.1.

Each time: the session pauses for both with a calm line, nothing is lost, and when they are together again
both screens resume where they were, with the floor and the clock as the host's engine says.
"""

from __future__ import annotations

import re
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.tui.apart.run import guest_app, host_app
from heartline.tui.apart.screens import GONE_SECONDS, ConnectScreen, GuestSessionScreen, HostSessionScreen
from heartline.tui.screens.summary import SummaryScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import SIZE, _files, host_options, now_is_a_good_time, pass_time
from tests.test_apart_app import until as _until

pytestmark = pytest.mark.asyncio(loop_scope="session")
CODE = re.compile(r"heartline join ([0-9]+(?:-[a-z]+)+)")
NETWORK = 90.0  # seconds: every wait here crosses a real wormhole (a join took 14.5 s of 15 on a loaded machine)


async def until(pilot, condition, what: str, timeout: float = NETWORK):
    """`test_apart_app.until`, with an overall timeout for a loaded machine: a condition, never a fixed sleep."""
    return await _until(pilot, condition, what, timeout=max(timeout, NETWORK))


async def code_of(pilot, host) -> str:
    return await until(pilot, lambda: isinstance(host.screen, ConnectScreen) and host.screen.link is not None
                       and host.screen.link.code, "the host's code")


async def noticed_away(pilot, app, what: str):
    """Wait until `app` says the other is away, after more than GONE_SECONDS of silence on its manual clock.

    The test advances that clock once; but a ping already on its way (sent before the other went quiet, slow
    through a loaded relay) can arrive after that advance and restart the silence at the advanced time, and
    then nothing would advance it again ("not within 20 s: the host notices", under load). So whenever the
    app heard something less than GONE_SECONDS ago on its clock, the clock is moved on past it again.
    """
    screen, clock = app.screen, app.config.clock

    def away():
        if not screen.away and clock.monotonic() - screen._heard <= GONE_SECONDS:
            clock.advance(GONE_SECONDS + 1.0 - (clock.monotonic() - screen._heard))
        return screen.away

    return await until(pilot, away, what)


def guest_options(tmp_path):
    from heartline.tui.cli import StartOptions

    data, config = tmp_path / "guest" / "data", tmp_path / "guest" / "config"
    data.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    return StartOptions(data, config)


def away_words(app) -> str:
    box = app.screen.query_one("#apart-away")
    if not box.has_class("-shown"):
        return ""
    return " ".join(str(box.query_one("#away-words").render()).split())


def banner(app) -> str:
    return str(app.screen.query_one("#banner").render())


async def start_guest(stack, tmp_path, mailbox, code: str, monotonic: float = 50.0):
    guest = guest_app(guest_options(tmp_path), mailbox.url, code, clock=ManualClock(monotonic=monotonic))
    guest.config.first_safety = False
    gp = await stack.enter_async_context(guest.run_test(size=SIZE))
    await until(gp, lambda: isinstance(guest.screen, GuestSessionScreen) and guest.screen.engine is not None
                and guest.screen.is_mounted, "the guest's session")
    return guest, gp


async def to_the_floor(host, hp, guest, gp) -> None:
    await now_is_a_good_time(host, hp, guest, gp)
    await gp.press("j")
    await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement")
    await hp.press("f")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor on the guest")
    pass_time(host, guest, 5.0)


async def end_from(host, hp, guest, gp) -> None:
    await gp.press("escape")
    await gp.pause()
    await gp.press("y")
    await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
    await until(gp, lambda: isinstance(guest.screen, SummaryScreen), "the guest's summary")


@asynccontextmanager
async def together_on_the_floor(mailbox, tmp_path):
    """Alex's host and Sam's guest joined through the tests' relay, on Alex's floor: (host, hp, guest, gp)."""
    host = host_app(host_options(tmp_path), mailbox.url, clock=ManualClock())
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp, AsyncExitStack() as stack:
        guest, gp = await start_guest(stack, tmp_path, mailbox, await code_of(hp, host))
        await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                    "the host's session")
        await to_the_floor(host, hp, guest, gp)
        yield host, hp, guest, gp


async def same_session(host, guest, gp) -> None:
    """The guest has caught up with everything the host's engine took (it comes just after the first ping)."""
    await until(gp, lambda: list(guest.screen.mirror.log) == list(host.screen.engine.log), "the guest caught up")
    h, g = host.screen.engine.state(), guest.screen.engine.state()
    assert (h.stage, h.floor, h.paused, h.step.title) == (g.stage, g.floor, g.paused, g.step.title)
    assert list(guest.screen.mirror.log) == list(host.screen.engine.log)


async def test_the_joining_side_killed_comes_back_with_a_fresh_code_and_the_session_goes_on(mailbox, tmp_path):
    host = host_app(host_options(tmp_path), mailbox.url, clock=ManualClock())
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp:
        code = await code_of(hp, host)
        async with AsyncExitStack() as first:
            guest, gp = await start_guest(first, tmp_path, mailbox, code)
            await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                        "the host's session")
            await to_the_floor(host, hp, guest, gp)
            guest.screen._send = lambda message: None  # as kill -9: no goodbye, no more pings
            guest.screen._stop_presence()
        screen = host.screen
        host.config.clock.advance(8.0)  # seven seconds of silence, on the host's clock
        await noticed_away(hp, host, "the host notices")
        assert screen.engine.state().paused
        left_before = screen.engine.state().time_left  # the turn's clock stopped where it was noticed
        assert banner(host).startswith("Waiting for Sam to come back — the session is paused, nothing is lost")
        words = await until(hp, lambda: CODE.search(away_words(host)), "a fresh code on the host's screen")
        assert "Escape ends the session; its summary asks what you keep." in away_words(host)
        host.config.clock.advance(600.0)  # a long wait: the paused turn clock does not run
        async with AsyncExitStack() as second:
            guest, gp = await start_guest(second, tmp_path, mailbox, words.group(1), monotonic=900.0)
            await until(hp, lambda: not screen.away, "the host sees Sam back")
            await until(gp, lambda: guest.screen.engine.state().paused is False, "the session resumed on the guest")
            state = screen.engine.state()
            assert not state.paused and state.floor == "left" and state.time_left == left_before
            assert away_words(host) == "" and "Waiting" not in banner(host)
            await same_session(host, guest, gp)
            assert guest.screen.engine.state().time_left == pytest.approx(left_before, abs=1)
            pass_time(host, guest, 5.0)
            await hp.press("f")  # Alex ends the turn: the floor passes to Sam, on both
            await until(gp, lambda: guest.screen.engine.state().floor == "right", "the floor passed to Sam")
            await until(hp, lambda: host.screen._heard == host.config.clock.monotonic(),  # Sam heard since the
                        "a ping from Sam, after those 5 s")  # 5 s: 5 s more is not 10 s of silence (away at 7)
            pass_time(host, guest, 5.0)
            await gp.press("j")
            await until(hp, lambda: host.screen.engine.state().floor == "left", "back to Alex")
            await end_from(host, hp, guest, gp)
    host_files, guest_files = _files(tmp_path, "host"), _files(tmp_path, "guest")
    assert len(host_files) == 1 and len(guest_files) == 1
    assert host_files[0].read_bytes() == guest_files[0].read_bytes()


async def test_the_joining_side_types_the_new_code_on_its_own_paused_screen(mailbox, tmp_path):
    async with together_on_the_floor(mailbox, tmp_path) as (host, hp, guest, gp):
        hs, gs = host.screen, guest.screen
        old = hs.link
        hs.link.on_message = gs.link.on_message = None  # the old connection carries nothing any more
        pass_time(host, guest, 8.0)
        await noticed_away(gp, guest, "the guest notices")
        await until(gp, lambda: away_words(guest), "the guest's away words")
        await noticed_away(hp, host, "the host notices")
        assert "Alex's heartline is not answering: the session waits there and nothing is lost" in away_words(guest)
        assert banner(guest).startswith("Waiting for Alex to come back")
        await until(gp, lambda: guest.focused is not None and guest.focused.id == "away-code", "the code box")
        words = await until(hp, lambda: CODE.search(away_words(host)), "a fresh code")
        await gp.press("escape")  # away from the host, escape asks whether to leave for now
        await until(gp, lambda: "Leave for now?" in " ".join(str(w.render()) for w in guest.screen.query("Static")),
                    "the question")
        await gp.press("n")  # stay
        await until(gp, lambda: guest.screen is gs, "back on the paused session")
        guest.screen.query_one("#away-code").focus()
        # A code nobody waits on first: one calm line, typed again. Not "4-not-it": the relay hands out a free
        # nameplate of 1-9 at random, so one run in nine the host's fresh code was "4-…", this joined it with the
        # wrong words, and the calm line never came. It hands out 1000 and over only once 1-999 are all taken.
        await gp.press(*"1000-not-it", "enter")
        await until(gp, lambda: "Nobody is waiting with that code" in away_words(guest), "the calm line")
        assert gs.away and not guest.screen.query_one("#away-code").disabled
        await gp.press(*words.group(1), "enter")
        await until(hp, lambda: not hs.away, "the host sees Sam back")
        await until(gp, lambda: not gs.away and not gs.engine.state().paused, "the guest resumed")
        assert hs.link is not old and old.closed  # the new connection, the old one given up
        assert away_words(guest) == ""
        assert guest.focused is None or guest.focused.id != "away-code"
        await same_session(host, guest, gp)
        await gp.press("j")  # Sam's keys reach the engine again: blocked while Alex speaks, on both
        await until(hp, lambda: hs.engine.partners["right"].interruptions_blocked == 1, "Sam's key at the host")
        assert hs.engine.state().floor == "left"


async def test_the_relay_goes_away_mid_turn_both_pause_and_both_resume_when_it_is_back(mailbox, tmp_path):
    async with together_on_the_floor(mailbox, tmp_path) as (host, hp, guest, gp):
        hs, gs = host.screen, guest.screen
        mailbox.stop()
        pass_time(host, guest, 8.0)
        await noticed_away(hp, host, "the host notices")
        await noticed_away(gp, guest, "the guest notices")
        assert hs.engine.state().paused
        left_before = hs.engine.state().time_left
        assert banner(guest).startswith("Waiting for Alex to come back") and banner(host).startswith("Waiting for Sam")
        await until(hp, lambda: "The relay cannot be reached just now" in away_words(host), "the relay line")
        mailbox.start()  # the same relay back (its own channel database): the connection comes back by itself
        await until(hp, lambda: not hs.away, "the host hears Sam again", timeout=120)
        await until(gp, lambda: not gs.away and not gs.engine.state().paused, "the guest resumed", timeout=120)
        state = hs.engine.state()
        assert not state.paused and state.floor == "left" and state.time_left == left_before
        assert away_words(host) == "" and away_words(guest) == ""
        await same_session(host, guest, gp)
        await gp.press("j")
        await until(hp, lambda: hs.engine.partners["right"].interruptions_blocked == 1, "Sam's key at the host")


async def test_space_while_waiting_does_not_carry_on_alone_and_they_go_on_together_when_back(mailbox, tmp_path):
    """While Sam is away only waiting or ending is offered (issue 19): Alex's space neither resumes the turn alone
    nor leaves a pause of Alex's own behind; when Sam is back, the app's pause is taken back on both."""
    host = host_app(host_options(tmp_path), mailbox.url, clock=ManualClock())
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp:
        async with AsyncExitStack() as first:
            guest, gp = await start_guest(first, tmp_path, mailbox, await code_of(hp, host))
            await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                        "the host's session")
            await to_the_floor(host, hp, guest, gp)
            guest.screen._send = lambda message: None  # as kill -9
            guest.screen._stop_presence()
        screen = host.screen
        host.config.clock.advance(8.0)
        await noticed_away(hp, host, "the host notices")
        words = await until(hp, lambda: CODE.search(away_words(host)), "a fresh code")
        log = len(screen.engine.log)
        await hp.press("space", "space")  # not Alex's alone to carry on
        await hp.pause()
        assert screen.engine.state().paused and len(screen.engine.log) == log
        async with AsyncExitStack() as second:
            guest, gp = await start_guest(second, tmp_path, mailbox, words.group(1))
            await until(hp, lambda: not screen.away, "Sam back")
            await until(hp, lambda: not screen.engine.state().paused, "the app's pause taken back")
            await until(gp, lambda: not guest.screen.engine.state().paused and not guest.screen.away,
                        "going on, on Sam's screen too")
