"""A session apart, each partner on their own machine, from the first screen to the summary (issue 19).

Each machine's own partner is "you" from the ground rules on; what needs both
partners' yes at the end is asked on both machines, each answering only for
themselves; while one is away the other can only wait or end; a repair reached
for on either machine shows on both while the clock waits.
"""

from __future__ import annotations

import pytest

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.tui.apart.run import guest_app, host_app
from heartline.tui.apart.screens import GuestSessionScreen, HostSessionScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import SIZE, code_of, options, until

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one loop for every apart module (Twisted's reactor)


def couple(tmp_path, checkin: bool = False):
    return options(tmp_path, "host", left="Alex", right="Sam", protocol="speaker-listener", speak=60, reflect=30,
                   rounds=1, checkin=checkin)


async def joined(mailbox, tmp_path, body, checkin: bool = False) -> None:
    host = host_app(couple(tmp_path, checkin), mailbox.url, clock=ManualClock())
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp:
        code = await code_of(hp, host)
        guest = guest_app(options(tmp_path, "guest"), mailbox.url, code, clock=ManualClock(monotonic=50.0))
        guest.config.first_safety = False
        async with guest.run_test(size=SIZE) as gp:
            await until(gp, lambda: isinstance(guest.screen, GuestSessionScreen), "the guest's session")
            await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                        "the host's session")
            await body(host, hp, guest, gp)


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


# ----- "you", from the first shared screen -----------------------------------------------

async def test_each_machine_marks_its_own_partner_you_from_the_ground_rules_and_the_check_in(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await hp.pause()
        await gp.pause()
        assert host.screen.engine.state().stage is Stage.RULES
        assert shown(host, "#stage-left").startswith("Alex · you") and "you" not in shown(host, "#stage-right")
        assert shown(guest, "#stage-right").startswith("Sam · you") and "you" not in shown(guest, "#stage-left")
        await gp.press("j")
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.CHECKIN, "the check-in on the guest")
        await until(hp, lambda: shown(host, "#stage-left").startswith("Alex · you"), "the host's check-in")
        await until(gp, lambda: shown(guest, "#stage-right").startswith("Sam · you"), "the guest's check-in")
        assert "· you" not in shown(host, "#stage-right") and "· you" not in shown(guest, "#stage-left")

    await joined(mailbox, tmp_path, body, checkin=True)
