"""A starting heartline that was killed mid-session: `heartline start --apart` offers the unfinished session,
and resuming it offers it apart again (a fresh code; the journal goes on), not at one keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.tui.apart.run import guest_app, host_app
from heartline.tui.apart.screens import ConnectScreen, GuestSessionScreen, HostSessionScreen
from heartline.tui.cli import StartOptions
from heartline.tui.screens.recover import RecoverScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import SIZE, options, until
from tests.test_recover import _play_and_abandon

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_killed_hosts_session_is_offered_apart_again_and_goes_on_where_it_was(mailbox, tmp_path):
    clock = ManualClock()
    await _play_and_abandon(tmp_path, clock)  # Alex's heartline went without saving: its journal keeps it
    clock.advance(timedelta(minutes=5).total_seconds())
    (tmp_path / "config").mkdir(exist_ok=True)
    host = host_app(StartOptions(tmp_path / "data", tmp_path / "config", left="Alex", right="Sam",
                                 protocol="speaker-listener"), mailbox.url, clock=clock)
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp:
        await until(hp, lambda: isinstance(host.screen, RecoverScreen), "the unfinished session offered")
        await hp.press("r")
        await until(hp, lambda: isinstance(host.screen, ConnectScreen) and host.screen.link is not None
                    and host.screen.link.code, "a code for the same session")
        assert "taken up again apart" in str(host.screen.query_one("#apart-title").render())
        code = host.screen.link.code
        guest = guest_app(options(tmp_path, "guest"), mailbox.url, code, clock=ManualClock(monotonic=50.0))
        guest.config.first_safety = False
        async with guest.run_test(size=SIZE) as gp:
            await until(gp, lambda: isinstance(guest.screen, GuestSessionScreen) and guest.screen.engine is not None
                        and guest.screen.is_mounted, "the guest's session")
            await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                        "the host's session")
            engine = host.screen.engine
            state = engine.state()
            assert state.paused and state.floor == "right" and state.step.kind == "reflect"
            await until(gp, lambda: list(guest.screen.mirror.log) == list(engine.log), "the same journal on Sam's")
            g = guest.screen.engine.state()
            assert (g.stage, g.floor, g.paused, g.step.kind) == (Stage.FLOOR, "right", True, "reflect")
            await gp.press("space")  # Sam carries on, from Sam's machine
            await until(hp, lambda: not engine.state().paused, "on again at the host")
            assert host.screen.saver.journal_kept  # the journal goes on: nothing lost
