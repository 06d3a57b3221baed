"""A session apart ends while one of them is gone: what needs both partners' yes never waits silently.

The joining partner left (on purpose: their heartline said goodbye) while the starter's machine was out of
reach; the starter ends the session. Their check-in numbers need both yeses, each given on its own machine:
Sam's can no longer come, so leaving counts as Sam's no (as escape does at one keyboard), and the starter's
summary says so. While Sam is only out of reach, it says whom it waits for.
"""

from __future__ import annotations

import pytest

from heartline.sessions.engine import Stage
from heartline.tui.screens.dialogs import ConfirmScreen
from heartline.tui.screens.summary import SummaryScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import both_joined, now_is_a_good_time, options, pass_time, until

pytestmark = pytest.mark.asyncio(loop_scope="session")


def shown(app, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


async def to_the_floor_checked_in(host, hp, guest, gp) -> None:
    await gp.press("j")
    await hp.press("f")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.CHECKIN, "the check-in")
    await hp.press("4", "f")
    await gp.press("3", "j")
    await until(hp, lambda: host.screen.engine.state().checkin_revealed, "both answers, shown")
    await until(gp, lambda: guest.screen.engine.state().checkin_revealed, "both answers, shown to Sam")
    pass_time(host, guest, 5.0)
    await hp.press("f")
    await gp.press("j")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor")
    await until(hp, lambda: host.screen.engine.state().stage is Stage.FLOOR, "the floor at the host")
    pass_time(host, guest, 5.0)


async def run(mailbox, tmp_path, body) -> None:
    couple = options(tmp_path, "host", left="Alex", right="Sam", protocol="speaker-listener", speak=60, reflect=30,
                     rounds=1, checkin=True)
    async with both_joined(mailbox, tmp_path, couple) as (host, hp, guest, gp):
        await now_is_a_good_time(host, hp, guest, gp)
        await to_the_floor_checked_in(host, hp, guest, gp)
        await body(host, hp, guest, gp)


async def host_ends(host, hp) -> None:
    await until(hp, lambda: host.screen.away, "the host noticing that Sam is gone")
    await hp.press("escape")
    await until(hp, lambda: isinstance(host.screen, ConfirmScreen), "the question before ending")
    await hp.press("y")
    await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
    await hp.pause()


async def test_the_guest_leaving_while_the_host_is_away_is_their_no_and_the_summary_says_so(mailbox, tmp_path):
    from heartline.tui.apart.screens import GONE_SECONDS

    async def body(host, hp, guest, gp):
        from heartline.tui.apart import wire

        host.screen._stop_presence()  # Alex's machine drops out of Sam's sight
        host.screen.link.send = lambda data: None
        guest.config.clock.advance(GONE_SECONDS + 1)
        await until(gp, lambda: guest.screen.away, "Sam seeing Alex away")
        link = guest.screen.link
        await gp.press("escape")  # Sam leaves for now
        await until(gp, lambda: isinstance(guest.screen, ConfirmScreen), "Leave for now?")
        await gp.press("y")
        link.send(wire.encode(wire.bye("left")))  # what Sam's heartline says as it closes (its teardown comes later
        await host_ends(host, hp)                 # in this harness), reaching Alex's once it is reachable again
        summary = host.screen
        assert summary.question.moods is False and summary.question.asking == ""
        words = shown(host, "#keep")
        assert "Sam left before answering" in words and "no check-in numbers" in words

    await run(mailbox, tmp_path, body)


async def test_while_the_guest_is_only_out_of_reach_the_summary_says_whom_it_waits_for(mailbox, tmp_path):
    from heartline.tui.apart.screens import GONE_SECONDS

    async def body(host, hp, guest, gp):
        guest.screen._stop_presence()  # Sam's network gone: nothing from Sam, no goodbye either
        guest.screen.link.send = lambda data: None
        host.config.clock.advance(GONE_SECONDS + 1)
        await host_ends(host, hp)
        summary = host.screen
        assert summary.question.asking == "moods"
        words = shown(host, "#keep")
        assert "Waiting for Sam's answer on their machine" in words and "not connected" in words
        await hp.press("k")  # Alex's own no settles it now
        await hp.pause()
        assert summary.question.moods is False
        assert "Waiting for Sam" not in shown(host, "#keep")

    await run(mailbox, tmp_path, body)


async def test_the_guest_leaving_its_summary_before_answering_is_its_no_on_the_hosts(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("escape")
        await gp.pause()
        await gp.press("y")
        await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
        await until(gp, lambda: isinstance(guest.screen, SummaryScreen), "the guest's summary")
        summary = host.screen
        await hp.press("f")  # Alex's yes
        await hp.pause()
        assert summary.question.asking == "moods"
        guest.screen.saver.close()  # what leaving Sam's summary does (its teardown comes later in this harness)
        await until(hp, lambda: summary.question.moods is False, "Sam's leaving taken as Sam's no")
        assert "Sam left before answering" in shown(host, "#keep")

    await run(mailbox, tmp_path, body)
